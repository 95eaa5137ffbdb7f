//! `ixsim run --detail-out FILE`: every district's measures, day by day, as
//! a tidy CSV (one row per replication, day and district).
//!
//! The daily CSV of `ixsim run` carries district 1 and the gaps between
//! districts; comparing a run with a source needs each district. The
//! replications here use the same seeds as the daily CSV's, so the two files
//! describe the same runs. They are run a second time, one after another,
//! rather than kept from the daily run: a policing day costs well under a
//! microsecond per district, and streaming each day's rows as it is made
//! keeps memory flat where holding sixteen districts' rows for every day of
//! every replication would not.

use std::io::Write;

use crate::sim::rng::replication_seed;
use crate::sim::{AnyWorld, ParamValues, Simulation, WorldKind};

/// The detail file's columns, in order (public API).
pub const COLUMNS: [&str; 11] = [
    "replication",
    "day",
    "district",
    "est_share",
    "true_share",
    "patrol_share",
    "patrols",
    "occurred",
    "discovered",
    "reported",
    "missed",
];

/// Whether a world writes a detail file.
pub fn has_detail(kind: WorldKind) -> bool {
    kind == WorldKind::Policing
}

/// Runs `replications` runs of `days` days from `seed` (replication `r`
/// with the daily CSV's seed for `r`) and writes one row per district and
/// day: the model's estimated share and the true share at the end of the
/// day, the day's planned patrol share, the patrols sent and the incidents
/// that occurred, were discovered, reported and missed. `stop` is checked
/// between days. Writes nothing for a world without districts.
pub fn write_detail_csv(
    out: &mut dyn Write,
    kind: WorldKind,
    params: &ParamValues,
    days: u32,
    seed: u64,
    replications: u32,
    stop: &std::sync::atomic::AtomicBool,
) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(COLUMNS).map_err(std::io::Error::other)?;
    for r in 0..replications {
        let mut sim = Simulation::new(kind, params.clone(), replication_seed(seed, u64::from(r)));
        for day in 1..=days {
            if stop.load(std::sync::atomic::Ordering::SeqCst) {
                return Err(std::io::Error::other("cancelled"));
            }
            sim.run(1);
            let AnyWorld::Policing(p) = sim.world() else {
                return Ok(());
            };
            for i in 0..p.districts() {
                let (occurred, discovered, reported) = (
                    p.occurred_today()[i],
                    p.discovered_today()[i],
                    p.reported_today()[i],
                );
                w.write_record([
                    (r + 1).to_string(),
                    day.to_string(),
                    (i + 1).to_string(),
                    p.estimated_shares()[i].to_string(),
                    p.true_shares()[i].to_string(),
                    p.patrol_shares()[i].to_string(),
                    p.patrols_today()[i].to_string(),
                    occurred.to_string(),
                    discovered.to_string(),
                    reported.to_string(),
                    occurred.saturating_sub(discovered + reported).to_string(),
                ])
                .map_err(std::io::Error::other)?;
            }
        }
    }
    w.flush()
}
