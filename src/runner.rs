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
/// Most replications the app's bands (and `ixsim --bands`) replay a run on:
/// they are recomputed whenever the design changes, so they stay small.
pub const MAX_BAND_REPLICATIONS: u32 = 50;
/// Most worker threads a batch may ask for (0 asks for one per core).
pub const MAX_THREADS: u16 = 256;
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
    sim.into_history()
}

/// Runs `jobs` independent closures on `threads` threads (0 = all cores, at
/// most [`MAX_THREADS`]),
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
        .num_threads(threads.min(usize::from(MAX_THREADS)))
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

/// A design as it was run: world, starting parameters, the changes made
/// (first day affected, id, value) and the seed.
#[derive(Clone, Copy, Debug)]
pub struct Schedule<'a> {
    /// The world.
    pub kind: WorldKind,
    /// Parameters on day 1.
    pub initial: &'a ParamValues,
    /// Changes during the run.
    pub changes: &'a [(u32, &'static str, f64)],
    /// The run's own seed.
    pub seed: u64,
}

/// Replications of a design as it was run: its starting parameters and the
/// changes made during it, on `replications` other seeds (replications
/// 1..=R of its seed; replication 0 is the run itself).
pub fn replicate_schedule(
    design: &Schedule<'_>,
    days: u32,
    replications: u32,
    threads: usize,
    cancel: Option<&AtomicBool>,
) -> Result<Vec<History>, BatchError> {
    parallel_map(replications as usize, threads, None, cancel, |r| {
        let seed = rng::replication_seed(design.seed, r as u64 + 1);
        Simulation::replay(design.kind, design.initial, design.changes, seed, days).into_history()
    })
}

/// Per-day percentile bands of every metric over replications.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Bands {
    columns: usize,
    /// Row-major: day × metric × (10th percentile, median, 90th percentile).
    data: Vec<[f64; 3]>,
}

impl Bands {
    /// Bands over `runs` (days beyond the shortest run are left out).
    pub fn new(runs: &[History]) -> Self {
        let Some(first) = runs.first() else {
            return Self::default();
        };
        let columns = first.columns();
        let days = runs.iter().map(History::days).min().unwrap_or(0);
        let mut data = Vec::with_capacity(days * columns);
        let mut values = Vec::with_capacity(runs.len());
        for day in 1..=days {
            for m in 0..columns {
                values.clear();
                values.extend(runs.iter().map(|h| h.row(day)[m]));
                values.sort_by(f64::total_cmp);
                data.push([
                    quantile(&values, 0.1),
                    quantile(&values, 0.5),
                    quantile(&values, 0.9),
                ]);
            }
        }
        Self { columns, data }
    }

    /// Number of days covered.
    pub fn days(&self) -> usize {
        self.data.len().checked_div(self.columns).unwrap_or(0)
    }

    /// (10th percentile, median, 90th percentile) of `metric` on `day` (1-based).
    pub fn at(&self, day: usize, metric: usize) -> [f64; 3] {
        self.data[(day - 1) * self.columns + metric]
    }
}

/// Linear-interpolated quantile of sorted values.
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    match sorted.len() {
        0 => 0.0,
        1 => sorted[0],
        n => {
            let pos = q.clamp(0.0, 1.0) * (n - 1) as f64;
            let lo = pos.floor() as usize;
            let hi = (lo + 1).min(n - 1);
            sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_replayed_run_matches_the_run_on_its_own_seed() {
        let kind = WorldKind::Users;
        let mut p = kind.defaults();
        p.set("world.users", 300.0).unwrap();
        let mut sim = Simulation::new(kind, p.clone(), 9);
        sim.run(5);
        sim.set_param("experience.forcefulness", 1.0).unwrap();
        sim.run(3);
        sim.set_param("model.threshold", 0.5).unwrap();
        sim.run(4);
        assert_eq!(sim.initial_params(), p);
        let again = Simulation::replay(kind, &p, &sim.schedule(), 9, 12);
        assert_eq!(again.history(), sim.history());
        assert_eq!(again.params(), sim.params());
        let schedule = sim.schedule();
        let design = Schedule {
            kind,
            initial: &p,
            changes: &schedule,
            seed: 9,
        };
        let others = replicate_schedule(&design, 12, 3, 2, None).unwrap();
        assert_eq!(others.len(), 3);
        assert!(others.iter().all(|h| h.days() == 12 && h != sim.history()));
    }

    #[test]
    fn quantiles_interpolate() {
        let v = [0.0, 10.0, 20.0, 30.0, 40.0];
        assert_eq!(quantile(&v, 0.5), 20.0);
        assert_eq!(quantile(&v, 0.1), 4.0);
        assert_eq!(quantile(&v, 0.9), 36.0);
        assert_eq!(quantile(&[7.0], 0.9), 7.0);
    }

    #[test]
    fn bands_bracket_the_replications() {
        let kind = WorldKind::Users;
        let mut p = kind.defaults();
        p.set("world.users", 300.0).unwrap();
        let runs = replicate(kind, &p, 10, 5, 9, 2).unwrap();
        let bands = Bands::new(&runs);
        assert_eq!(bands.days(), 10);
        let m = kind
            .metrics()
            .iter()
            .position(|m| m.id == "user.harm_per_user")
            .unwrap();
        for day in 1..=10 {
            let [lo, mid, hi] = bands.at(day, m);
            assert!(lo <= mid && mid <= hi);
            let below = runs.iter().filter(|h| h.row(day)[m] < lo).count();
            assert!(
                below <= 1,
                "at most 10% of 9 runs fall below the 10th percentile"
            );
        }
        assert!((1..=10).any(|d| bands.at(d, m)[0] < bands.at(d, m)[2]));
    }
}
