//! CSV export of measures (public API: the column names are metric ids).

use std::io::Write;

use crate::sim::{History, MetricSpec};

/// Writes `replication,day,<metric ids…>` and one row per replication × day.
/// Replications and days are numbered from 1.
pub fn write_runs_csv<W: Write>(
    out: W,
    metrics: &[MetricSpec],
    runs: &[History],
) -> csv::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    let mut header = vec!["replication", "day"];
    header.extend(metrics.iter().map(|m| m.id));
    w.write_record(&header)?;
    let mut record = Vec::with_capacity(header.len());
    for (r, history) in runs.iter().enumerate() {
        for day in 1..=history.days() {
            record.clear();
            record.push((r + 1).to_string());
            record.push(day.to_string());
            record.extend(history.row(day).iter().map(|v| v.to_string()));
            w.write_record(&record)?;
        }
    }
    w.flush()?;
    Ok(())
}

/// The CSV as bytes.
pub fn runs_csv(metrics: &[MetricSpec], runs: &[History]) -> Vec<u8> {
    let mut buf = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = write_runs_csv(&mut buf, metrics, runs);
    buf
}
