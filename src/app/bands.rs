//! Replication bands: the spread of the current run's design over other seeds.
//!
//! Owns the background job that replays the run — its starting parameters and
//! every change made during it — on `R` other seeds up to the run's horizon,
//! and the 10th–90th percentile bands and median computed from them. The job
//! runs on its own thread and never blocks a frame; whenever the design, its
//! schedule of changes, the seed or the horizon changes, the stale job is
//! cancelled and a new one starts.

use std::sync::Arc;

use crate::job::{Job, JobEnd};
use crate::runner::{self, Bands};
use crate::sim::{ParamValues, Simulation, WorldKind};

/// Choices offered for the number of replications (0 = bands off).
pub const CHOICES: [u32; 4] = [0, 10, 20, runner::MAX_BAND_REPLICATIONS];

/// What the views read about bands.
#[derive(Clone, Debug, Default)]
pub struct BandsView {
    /// Replications asked for; 0 = off.
    pub replications: u32,
    /// The latest bands matching the current run, if computed.
    pub bands: Option<Arc<Bands>>,
    /// A job is computing bands for the current run.
    pub computing: bool,
}

/// Everything a set of bands depends on.
#[derive(Clone, Debug, PartialEq)]
struct Key {
    kind: WorldKind,
    initial: Vec<f64>,
    schedule: Vec<(u32, &'static str, f64)>,
    seed: u64,
    days: u32,
    replications: u32,
}

impl Key {
    fn of(sim: &Simulation, initial: &ParamValues, days: u32, replications: u32) -> Self {
        Self {
            kind: sim.kind(),
            initial: initial.values().to_vec(),
            schedule: sim.schedule(),
            seed: sim.seed(),
            days,
            replications,
        }
    }
}

struct Running {
    key: Key,
    /// Dropping it cancels the replications.
    batch: Job<Bands>,
}

/// The background machinery (not part of the views' state).
#[derive(Default)]
pub struct Background {
    done: Option<Key>,
    running: Option<Running>,
}

/// Starts, collects or cancels the job so `view` matches `sim`. Called once
/// per frame; cheap when nothing changed.
pub fn poll(view: &mut BandsView, background: &mut Background, sim: &Simulation, horizon: u32) {
    if view.replications == 0 {
        background.running = None;
        background.done = None;
        view.bands = None;
        view.computing = false;
        return;
    }
    let initial = sim.initial_params();
    let key = Key::of(
        sim,
        &initial,
        horizon.max(sim.day()).max(1),
        view.replications,
    );
    if background.done.as_ref() == Some(&key) {
        view.computing = false;
        return;
    }
    if let Some(r) = &mut background.running {
        if r.key == key {
            match r.batch.try_finish() {
                None => view.computing = true,
                Some(JobEnd::Done(bands, _)) => {
                    view.bands = Some(Arc::new(bands));
                    background.done = background.running.take().map(|r| r.key);
                    view.computing = false;
                }
                Some(JobEnd::Cancelled | JobEnd::Failed(_)) => {
                    // Not retried for the same run (it would fail again):
                    // no bands until something changes.
                    view.bands = None;
                    background.done = background.running.take().map(|r| r.key);
                    view.computing = false;
                }
            }
            return;
        }
        // Stale: dropping it cancels it.
        background.running = None;
    }
    // Stale bands stay visible until fresh ones arrive, unless the world
    // changed (its metric columns would not match).
    if background.done.as_ref().is_some_and(|d| d.kind != key.kind) {
        view.bands = None;
        background.done = None;
    }
    let (kind, seed, days, replications) = (key.kind, key.seed, key.days, key.replications);
    let changes = key.schedule.clone();
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get().saturating_sub(1))
        .max(1);
    let spawned = Job::spawn("ixsim-bands", replications as usize, move |_, cancel| {
        let design = runner::Schedule {
            kind,
            initial: &initial,
            changes: &changes,
            seed,
        };
        runner::replicate_schedule(&design, days, replications, threads, Some(cancel))
            .map(|runs| Bands::new(&runs))
    });
    match spawned {
        Ok(batch) => {
            background.running = Some(Running { key, batch });
            view.computing = true;
        }
        Err(_) => view.computing = false,
    }
}
