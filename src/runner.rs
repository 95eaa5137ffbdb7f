//! Batch runs: replications of one design on a pool of threads, and the
//! bounds a batch is checked against before it starts.
//!
//! Replication `r` uses seed `rng::replication_seed(seed, r)`, and results are
//! collected in replication order, so the output is the same whatever the
//! number of threads.
//!
//! Two estimates guard a batch: [`work_estimate`] (user-situations, the
//! unit of the simulation's cost) against [`MAX_WORK`], which the command
//! line refuses above unless asked (`--allow-large`) and the app asks about;
//! and [`memory_estimate`] (every simulation running at once, plus the
//! results kept) against the memory the machine has
//! ([`available_memory_bytes`]), which every batch refuses above with
//! [`BatchError::Memory`] rather than abort when an allocation fails.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::sim::{History, ParamValues, Simulation, WorldKind, rng};

/// Most work (user-situations, see [`work_estimate`]) a batch may ask for
/// without `--allow-large`: about half an hour on the 2-core development
/// machine.
pub const MAX_WORK: f64 = 2e11;
/// User-situations one core simulates per second, roughly (the user world
/// runs 46–118 M a second on the development machine, depending on the
/// situations per user-day): the basis of [`work_seconds`].
pub const WORK_PER_CORE_SECOND: f64 = 5e7;
/// Bytes of state per user of the user world, with room for the vectors'
/// growth (26 bytes of arrays).
pub const USER_BYTES: f64 = 27.0;
/// Memory assumed available where the system does not say (not Linux).
pub const ASSUMED_MEMORY_BYTES: u64 = 4 << 30;
/// Environment variable that sets the memory a batch may use, in bytes, in
/// place of what the system reports.
pub const MEMORY_VAR: &str = "IXSIM_MEMORY_BYTES";

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
    /// Someone pressed Cancel, or the process was asked to stop.
    #[error("cancelled")]
    Cancelled,
    /// The simulations running at once would not fit in memory.
    #[error(
        "this batch needs about {} of memory ({concurrent} simulations at once of about {} each{}), but about {} is available: lower --threads{}",
        megabytes(.estimate.total_bytes()),
        megabytes(.estimate.per_simulation_bytes),
        if .estimate.kept_bytes > 0.0 { format!(", plus {} of results", megabytes(.estimate.kept_bytes)) } else { String::new() },
        megabytes(*.available_bytes as f64),
        if .estimate.per_simulation_bytes > 1e8 { " or world.users" } else { "" },
        concurrent = .estimate.concurrent,
    )]
    Memory {
        /// What the batch would take.
        estimate: MemoryEstimate,
        /// What the machine has free.
        available_bytes: u64,
    },
}

/// "41 MB", "1.7 GB".
fn megabytes(bytes: f64) -> String {
    if bytes >= 1e9 {
        format!("{:.1} GB", bytes / 1e9)
    } else {
        format!("{:.0} MB", (bytes / 1e6).max(1.0))
    }
}

/// A parameter's value, 0 if the world has no such parameter.
fn value(params: &ParamValues, id: &str) -> f64 {
    params.index_of(id).map_or(0.0, |i| params.values()[i])
}

/// What one simulated day costs in a world: situations met (user world),
/// items shown (recommender), applications (lending), patrols and
/// districts (policing). At least 1.
pub fn situations_per_day(kind: WorldKind, params: &ParamValues) -> f64 {
    let n = match kind {
        WorldKind::Users => {
            value(params, "world.users") * value(params, "world.situations_per_day").max(1.0)
        }
        WorldKind::Recommender => {
            value(params, "world.users") * value(params, "world.items_per_day").max(1.0)
        }
        WorldKind::Lending => value(params, "world.applicants_per_day"),
        WorldKind::Policing => {
            value(params, "policy.patrols_per_day") + value(params, "world.districts")
        }
    };
    n.max(1.0)
}

/// The work of `runs` simulations of one design over `days` days, in
/// user-situations: users × situations per user-day (at least 1) × days ×
/// runs, at the starting population (sign-ups may add up to three times
/// that). A sweep adds up its grid points ([`crate::sweep::SweepSpec::work_estimate`]).
pub fn work_estimate(kind: WorldKind, params: &ParamValues, days: u32, runs: u64) -> f64 {
    situations_per_day(kind, params) * f64::from(days) * runs as f64
}

/// Rough wall time of `work` user-situations on `threads` threads (0 = one
/// per core), at [`WORK_PER_CORE_SECOND`].
pub fn work_seconds(work: f64, threads: usize) -> f64 {
    work / (WORK_PER_CORE_SECOND * effective_threads(threads) as f64)
}

/// The threads a batch asking for `threads` gets (0 = one per core).
pub fn effective_threads(threads: usize) -> usize {
    match threads {
        0 => std::thread::available_parallelism().map_or(1, usize::from),
        n => n.min(usize::from(MAX_THREADS)),
    }
}

/// Bytes one simulation of a world holds while it runs, besides its
/// history: the user world keeps [`USER_BYTES`] per user up to its
/// population cap (four times the starting users, at least 10,000), the
/// recommender a slot per user up to its own cap; the other worlds hold a
/// few districts or clusters.
pub fn state_bytes(kind: WorldKind, params: &ParamValues) -> f64 {
    match kind {
        WorldKind::Users => USER_BYTES * (4.0 * value(params, "world.users")).max(10_000.0),
        WorldKind::Recommender => {
            (std::mem::size_of::<crate::sim::recommender::UserState>()
                * crate::sim::recommender::MAX_USER_SLOTS) as f64
        }
        WorldKind::Lending | WorldKind::Policing => 0.0,
    }
}

/// The memory a batch takes at its peak.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MemoryEstimate {
    /// Simulations running at once (threads, or fewer jobs).
    pub concurrent: usize,
    /// Bytes of one running simulation: its state and its history.
    pub per_simulation_bytes: f64,
    /// Bytes of results kept until the end (the histories of a run).
    pub kept_bytes: f64,
}

impl MemoryEstimate {
    /// Everything at once.
    pub fn total_bytes(&self) -> f64 {
        self.concurrent as f64 * self.per_simulation_bytes + self.kept_bytes
    }
}

/// The memory of `jobs` simulations of `days` days on `threads` threads
/// (0 = one per core), the largest taking `state_bytes` of state; with
/// `keep_histories` every history is held until the batch ends.
pub fn memory_estimate(
    kind: WorldKind,
    state_bytes: f64,
    days: u32,
    jobs: usize,
    threads: usize,
    keep_histories: bool,
) -> MemoryEstimate {
    let history_bytes = f64::from(days) * kind.metrics().len() as f64 * 8.0;
    MemoryEstimate {
        concurrent: effective_threads(threads).min(jobs.max(1)),
        per_simulation_bytes: state_bytes + history_bytes,
        kept_bytes: if keep_histories {
            history_bytes * jobs as f64
        } else {
            0.0
        },
    }
}

/// Memory the machine can give, in bytes: [`MEMORY_VAR`] if set, else
/// `MemAvailable` from `/proc/meminfo`, lowered to what is left under a
/// cgroup memory limit; [`ASSUMED_MEMORY_BYTES`] where neither can be read.
pub fn available_memory_bytes() -> u64 {
    if let Some(bytes) = std::env::var(MEMORY_VAR)
        .ok()
        .and_then(|v| v.trim().parse().ok())
    {
        return bytes;
    }
    let meminfo = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|t| meminfo_available(&t));
    let cgroup = cgroup_left(
        std::fs::read_to_string("/sys/fs/cgroup/memory.max").ok(),
        std::fs::read_to_string("/sys/fs/cgroup/memory.current").ok(),
    );
    match (meminfo, cgroup) {
        (Some(m), Some(c)) => m.min(c),
        (Some(m), None) => m,
        (None, Some(c)) => c,
        (None, None) => ASSUMED_MEMORY_BYTES,
    }
}

/// `MemAvailable` in bytes from the text of `/proc/meminfo`.
fn meminfo_available(text: &str) -> Option<u64> {
    let kb = text
        .lines()
        .find_map(|l| l.strip_prefix("MemAvailable:"))?
        .trim()
        .strip_suffix("kB")?
        .trim()
        .parse::<u64>()
        .ok()?;
    kb.checked_mul(1024)
}

/// Bytes left under a cgroup v2 limit (`memory.max`, `memory.current`);
/// none when unlimited or unknown.
fn cgroup_left(max: Option<String>, current: Option<String>) -> Option<u64> {
    let max: u64 = max?.trim().parse().ok()?;
    let current: u64 = current?.trim().parse().ok()?;
    Some(max.saturating_sub(current))
}

/// Refuses a batch whose estimate exceeds the memory available.
pub fn check_memory(estimate: MemoryEstimate) -> Result<(), BatchError> {
    let available_bytes = available_memory_bytes();
    if estimate.total_bytes() > available_bytes as f64 {
        return Err(BatchError::Memory {
            estimate,
            available_bytes,
        });
    }
    Ok(())
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

/// Runs `replications` replications of one design, after checking that
/// they fit in memory ([`check_memory`]).
pub fn replicate(
    kind: WorldKind,
    params: &ParamValues,
    days: u32,
    seed: u64,
    replications: u32,
    threads: usize,
) -> Result<Vec<History>, BatchError> {
    replicate_until(kind, params, days, seed, replications, threads, None)
}

/// [`replicate`], stopped by `cancel` (checked between days).
pub fn replicate_until(
    kind: WorldKind,
    params: &ParamValues,
    days: u32,
    seed: u64,
    replications: u32,
    threads: usize,
    cancel: Option<&AtomicBool>,
) -> Result<Vec<History>, BatchError> {
    let jobs = replications as usize;
    check_memory(memory_estimate(
        kind,
        state_bytes(kind, params),
        days,
        jobs,
        threads,
        true,
    ))?;
    let runs = parallel_map(jobs, threads, None, cancel, |r| {
        let mut sim = Simulation::new(kind, params.clone(), rng::replication_seed(seed, r as u64));
        run_days(&mut sim, days, cancel).then(|| sim.into_history())
    })?;
    runs.into_iter()
        .collect::<Option<Vec<_>>>()
        .ok_or(BatchError::Cancelled)
}

/// Runs `sim` for `days` days, checking `cancel` between days; false if it
/// was cancelled before the end.
pub fn run_days(sim: &mut Simulation, days: u32, cancel: Option<&AtomicBool>) -> bool {
    let Some(cancel) = cancel else {
        sim.run(days);
        return true;
    };
    for _ in 0..days {
        if cancel.load(Ordering::Relaxed) {
            return false;
        }
        sim.run(1);
    }
    true
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
    fn memory_is_read_from_meminfo_and_a_cgroup_limit() {
        let text = "MemTotal:       32000000 kB\nMemAvailable:   22944928 kB\nSwapTotal: 0 kB\n";
        assert_eq!(meminfo_available(text), Some(22_944_928 * 1024));
        assert_eq!(meminfo_available("MemTotal: 1 kB\n"), None);
        assert_eq!(
            cgroup_left(Some("1000\n".into()), Some("400\n".into())),
            Some(600)
        );
        assert_eq!(cgroup_left(Some("max\n".into()), Some("400".into())), None);
        assert_eq!(cgroup_left(None, None), None);
    }

    #[test]
    fn a_two_million_user_simulation_is_estimated_as_measured() {
        let kind = WorldKind::Users;
        let mut p = kind.defaults();
        p.set("world.users", 2_000_000.0).unwrap();
        // 26 bytes of arrays per user: about 52 MB at 2 M users, 208 MB once
        // sign-ups reach the cap of 8 M; the estimate takes the cap, with
        // room for the vectors' growth.
        let per = state_bytes(kind, &p);
        assert!((208e6..=225e6).contains(&per), "{per}");
        let m = memory_estimate(kind, per, 10, 1000, 256, false);
        assert_eq!(m.concurrent, 256);
        assert!(m.total_bytes() > 40e9, "{m:?}");
        let kept = memory_estimate(kind, per, 36_500, 27, 1, true);
        assert_eq!(kept.concurrent, 1);
        assert!(kept.kept_bytes > 27.0 * 36_500.0 * 8.0 * 50.0, "{kept:?}");
        let e = BatchError::Memory {
            estimate: m,
            available_bytes: 1 << 30,
        };
        let text = e.to_string();
        assert!(text.contains("256 simulations at once"), "{text}");
        assert!(text.contains("--threads or world.users"), "{text}");
    }

    #[test]
    fn work_counts_user_situations_in_every_world() {
        let mut p = WorldKind::Users.defaults();
        p.set("world.users", 2_000_000.0).unwrap();
        p.set("world.situations_per_day", 50.0).unwrap();
        // 2 M users × 50 situations × 36,500 days × 27 replications: days of CPU.
        let work = work_estimate(WorldKind::Users, &p, 36_500, 27);
        assert_eq!(work, 2e6 * 50.0 * 36_500.0 * 27.0);
        assert!(work > MAX_WORK);
        assert!(work_seconds(work, 2) > 86_400.0 * 7.0);
        for kind in WorldKind::ALL {
            let p = kind.defaults();
            assert!(situations_per_day(kind, &p) >= 1.0, "{}", kind.id());
            assert!(work_estimate(kind, &p, 365, 1) < MAX_WORK, "{}", kind.id());
        }
        p.set("world.situations_per_day", 0.0).unwrap();
        assert_eq!(work_estimate(WorldKind::Users, &p, 1, 1), 2e6);
    }

    #[test]
    fn a_cancelled_batch_stops_between_days() {
        let kind = WorldKind::Users;
        let mut p = kind.defaults();
        p.set("world.users", 300.0).unwrap();
        let stop = AtomicBool::new(true);
        let e = replicate_until(kind, &p, 100, 1, 3, 1, Some(&stop)).unwrap_err();
        assert!(matches!(e, BatchError::Cancelled), "{e}");
        let go = AtomicBool::new(false);
        let runs = replicate_until(kind, &p, 7, 1, 2, 1, Some(&go)).unwrap();
        assert_eq!(runs, replicate(kind, &p, 7, 1, 2, 1).unwrap());
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
