//! Batch runs: replications of one design on a pool of threads.
//!
//! Replication `r` uses seed `rng::replication_seed(seed, r)`, and results are
//! collected in replication order, so the output is the same whatever the
//! number of threads.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::sim::{History, ParamValues, Simulation, WorldKind, rng};

/// Most replications one run may ask for.
pub const MAX_REPLICATIONS: u32 = 1000;
/// Most rows (replications × days) one run may produce: bounds memory to
/// about 0.6 GB of measures in the largest world.
pub const MAX_ROWS: u64 = 1_000_000;

/// Why a batch could not run.
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    /// The thread pool could not be built.
    #[error("could not start {threads} worker threads: {source}")]
    Threads {
        /// Requested threads.
        threads: usize,
        /// The cause.
        source: rayon::ThreadPoolBuildError,
    },
    /// Someone pressed Cancel.
    #[error("cancelled")]
    Cancelled,
}

/// Runs one replication: a fresh simulation for `days` days.
pub fn run_one(kind: WorldKind, params: &ParamValues, days: u32, seed: u64) -> History {
    let mut sim = Simulation::new(kind, params.clone(), seed);
    sim.run(days);
    sim.history().clone()
}

/// Runs `jobs` independent closures on `threads` threads (0 = all cores),
/// returning results in job order. `done` counts finished jobs; `cancel`
/// stops the batch early.
pub fn parallel_map<T, F>(
    jobs: usize,
    threads: usize,
    done: Option<&AtomicUsize>,
    cancel: Option<&AtomicBool>,
    f: F,
) -> Result<Vec<T>, BatchError>
where
    T: Send,
    F: Fn(usize) -> T + Sync + Send,
{
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|source| BatchError::Threads { threads, source })?;
    let results: Vec<Option<T>> = pool.install(|| {
        (0..jobs)
            .into_par_iter()
            .map(|i| {
                if cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
                    return None;
                }
                let out = f(i);
                if let Some(d) = done {
                    d.fetch_add(1, Ordering::Relaxed);
                }
                Some(out)
            })
            .collect()
    });
    results
        .into_iter()
        .collect::<Option<Vec<T>>>()
        .ok_or(BatchError::Cancelled)
}

/// Runs `replications` replications of one design.
pub fn replicate(
    kind: WorldKind,
    params: &ParamValues,
    days: u32,
    seed: u64,
    replications: u32,
    threads: usize,
) -> Result<Vec<History>, BatchError> {
    parallel_map(replications as usize, threads, None, None, |r| {
        run_one(kind, params, days, rng::replication_seed(seed, r as u64))
    })
}
