//! CSV export of measures (public API: the column names are metric ids).

use std::io::Write;

use crate::sim::{History, MetricSpec};

/// Writes `replication,day,<metric ids…>` and one row per replication × day.
/// Replications and days are numbered from 1.
pub fn write_runs_csv<'a, W: Write>(
    out: W,
    metrics: &[MetricSpec],
    runs: impl IntoIterator<Item = &'a History>,
) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    let mut header = vec!["replication", "day"];
    header.extend(metrics.iter().map(|m| m.id));
    w.write_record(&header).map_err(into_io)?;
    let mut record = Vec::with_capacity(header.len());
    for (r, history) in runs.into_iter().enumerate() {
        for day in 1..=history.days() {
            record.clear();
            record.push((r + 1).to_string());
            record.push(day.to_string());
            record.extend(history.row(day).iter().map(|v| v.to_string()));
            w.write_record(&record).map_err(into_io)?;
        }
    }
    w.flush()?;
    Ok(())
}

/// A CSV writer's error as the I/O error it wraps (writing records of text
/// can only fail in I/O), so callers can tell a closed pipe from the rest.
fn into_io(e: csv::Error) -> std::io::Error {
    if !e.is_io_error() {
        return std::io::Error::other(e);
    }
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        kind => std::io::Error::other(format!("{kind:?}")),
    }
}
