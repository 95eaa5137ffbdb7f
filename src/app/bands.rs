//! Replication bands: the spread of the current run's design over other seeds.
//!
//! Owns the background job that replays the run — its starting parameters and
//! every change made during it — on `R` other seeds up to the run's horizon,
//! and the 10th–90th percentile bands and median computed from them. The job
//! runs on its own thread and never blocks a frame; whenever the design, its
//! schedule of changes, the seed or the horizon changes, the stale job is
//! cancelled and a new one starts.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};

use crate::runner::{self, Bands};
use crate::sim::{ParamValues, Simulation, WorldKind};

/// Choices offered for the number of replications (0 = bands off).
pub const CHOICES: [u32; 4] = [0, 10, 20, 50];
/// The most replications bands may use.
pub const MAX_REPLICATIONS: u32 = CHOICES[CHOICES.len() - 1];

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
    rx: Receiver<Option<Bands>>,
    cancel: Arc<AtomicBool>,
}

/// The background machinery (not part of the views' state).
#[derive(Default)]
pub struct Job {
    done: Option<Key>,
    running: Option<Running>,
}

impl Drop for Job {
    fn drop(&mut self) {
        if let Some(r) = &self.running {
            r.cancel.store(true, Ordering::Relaxed);
        }
    }
}

/// Starts, collects or cancels the job so `view` matches `sim`. Called once
/// per frame; cheap when nothing changed.
pub fn poll(view: &mut BandsView, job: &mut Job, sim: &Simulation, horizon: u32) {
    if view.replications == 0 {
        if let Some(r) = job.running.take() {
            r.cancel.store(true, Ordering::Relaxed);
        }
        job.done = None;
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
    if job.done.as_ref() == Some(&key) {
        view.computing = false;
        return;
    }
    if let Some(r) = &job.running {
        if r.key != key {
            r.cancel.store(true, Ordering::Relaxed);
            job.running = None;
        } else {
            match r.rx.try_recv() {
                Ok(Some(bands)) => {
                    view.bands = Some(Arc::new(bands));
                    job.done = Some(key);
                    job.running = None;
                    view.computing = false;
                }
                Ok(None) | Err(TryRecvError::Disconnected) => {
                    job.running = None;
                    view.computing = false;
                }
                Err(TryRecvError::Empty) => view.computing = true,
            }
            return;
        }
    }
    // Stale bands stay visible until fresh ones arrive, unless the world
    // changed (its metric columns would not match).
    if job.done.as_ref().is_some_and(|d| d.kind != key.kind) {
        view.bands = None;
        job.done = None;
    }
    view.computing = true;
    let cancel = Arc::new(AtomicBool::new(false));
    let (tx, rx) = channel();
    let (kind, seed, days, replications) = (key.kind, key.seed, key.days, key.replications);
    let changes = key.schedule.clone();
    let stop = Arc::clone(&cancel);
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get().saturating_sub(1))
        .max(1);
    let spawned = std::thread::Builder::new()
        .name("ixsim-bands".into())
        .spawn(move || {
            let design = runner::Schedule {
                kind,
                initial: &initial,
                changes: &changes,
                seed,
            };
            let result =
                runner::replicate_schedule(&design, days, replications, threads, Some(&stop))
                    .ok()
                    .map(|runs| Bands::new(&runs));
            let _ = tx.send(result);
        });
    match spawned {
        Ok(_) => job.running = Some(Running { key, rx, cancel }),
        Err(_) => view.computing = false,
    }
}
