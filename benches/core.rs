//! Core throughput: user-days per second of the user world on one thread,
//! as a ratio to a yardstick measured in the same run, and a sweep's time on
//! all cores beside the yardstick's speed. Run with `cargo bench --bench core`.
//!
//! The yardstick (`common/yardstick.rs`) is a hand-written struct-of-arrays
//! loop of exactly the model of `benches/yardstick.ron`. First the benchmark
//! prints a table: for 100 k and 1 M users at 3 and 8 situations per user-day,
//! ixsim's and the yardstick's speed on that scenario, measured in rounds
//! that alternate the two (so a machine shared with other work slows both
//! alike), their ratio, and whether the two agree on the model's
//! statistics within Monte-Carlo tolerance. Then divan times the phishing
//! scenario itself and a small sweep.
//!
//! Run as a test (`cargo test --all-targets`), every size is small and each
//! measurement runs once (see `common::size`).

use std::time::{Duration, Instant};

use divan::counter::ItemsCount;
use ixsim::scenario::library;
use ixsim::sim::{Simulation, WorldKind};

mod common;

use common::size;
use common::yardstick::{self, Model, Statistics, Yardstick};

fn main() {
    side_by_side();
    divan::main();
}

/// One size of the side-by-side table.
struct Case {
    users: usize,
    days: u32,
    situations: f64,
}

/// One timed run: its time and the user-days it simulated.
struct Timed {
    time: Duration,
    user_days: f64,
}

impl Timed {
    fn per_second(&self) -> f64 {
        self.user_days / self.time.as_secs_f64()
    }
}

/// ixsim on the yardstick scenario: the run's time (population set up
/// before the clock starts) and its statistics.
fn time_ixsim(case: &Case, seed: u64) -> (Timed, Statistics) {
    let mut p = yardstick::scenario().params;
    p.set("world.users", case.users as f64).unwrap();
    p.set("world.situations_per_day", case.situations).unwrap();
    let mut sim = Simulation::new(WorldKind::Users, p, seed);
    let start = Instant::now();
    sim.run(case.days);
    let time = start.elapsed();
    let h = sim.into_history();
    let stats = Statistics::of_history(&h, case.users);
    let active = WorldKind::Users
        .metrics()
        .iter()
        .position(|m| m.id == "leading.active_users")
        .unwrap();
    // Users at the start of each day: day 1's, then each day's active users.
    let served: f64 = h.column(active).take(h.days().saturating_sub(1)).sum();
    let user_days = case.users as f64 + served;
    (Timed { time, user_days }, stats)
}

/// The yardstick on the same model and size.
fn time_yardstick(case: &Case, seed: u64) -> (Timed, Statistics) {
    let mut p = yardstick::scenario().params;
    p.set("world.users", case.users as f64).unwrap();
    p.set("world.situations_per_day", case.situations).unwrap();
    let mut y = Yardstick::new(Model::from_params(&p).unwrap(), seed);
    let start = Instant::now();
    y.run(case.days);
    let time = start.elapsed();
    let timed = Timed {
        time,
        user_days: y.user_days() as f64,
    };
    (timed, y.statistics())
}

/// Prints ixsim's speed beside the yardstick's for every case, then the
/// sweep's time beside the yardstick's speed; panics if the two programs
/// disagree on the model's statistics (the ratio would mean nothing).
fn side_by_side() {
    let rounds = size(3, 1);
    let cases = [
        (100_000, 100, 3.0),
        (100_000, 100, 8.0),
        (1_000_000, 10, 3.0),
        (1_000_000, 10, 8.0),
    ]
    .map(|(users, days, situations)| Case {
        users: size(users, 2_000),
        days: size(days, 3),
        situations,
    });
    println!(
        "ixsim / yardstick, one thread, {rounds} alternating rounds each, best round of each \
         (M user-days/s):"
    );
    println!(
        "{:>9} {:>5} {:>10} {:>8} {:>10} {:>6} {:>13}  statistics",
        "users", "days", "situations", "ixsim", "yardstick", "ratio", "round ratios"
    );
    let mut disagreements = Vec::new();
    let mut yardstick_speed = 0.0;
    for case in &cases {
        let mut ours: Vec<Timed> = Vec::new();
        let mut theirs: Vec<Timed> = Vec::new();
        let mut stats = None;
        for _ in 0..rounds {
            let (a, ixsim) = time_ixsim(case, 1);
            let (b, by_hand) = time_yardstick(case, 2);
            ours.push(a);
            theirs.push(b);
            stats = Some((ixsim, by_hand));
        }
        let best = |v: &[Timed]| v.iter().map(Timed::per_second).fold(0.0, f64::max);
        let (ixsim_speed, their_speed) = (best(&ours), best(&theirs));
        yardstick_speed = their_speed;
        let ratios: Vec<f64> = ours
            .iter()
            .zip(&theirs)
            .map(|(a, b)| a.per_second() / b.per_second())
            .collect();
        let (lo, hi) = ratios
            .iter()
            .fold((f64::MAX, 0.0_f64), |(lo, hi), r| (lo.min(*r), hi.max(*r)));
        let (ixsim, by_hand) = stats.expect("at least one round");
        let verdict = match ixsim.agree(&by_hand) {
            Ok(()) => "agree".to_string(),
            Err(e) => {
                disagreements.push(format!(
                    "{} users, {} situations: {e}",
                    case.users, case.situations
                ));
                format!("DIFFER: {e}")
            }
        };
        println!(
            "{:>9} {:>5} {:>10} {:>8.2} {:>10.2} {:>6.2} {:>6.2}–{:<6.2}  {verdict}",
            case.users,
            case.days,
            case.situations,
            ixsim_speed / 1e6,
            their_speed / 1e6,
            ixsim_speed / their_speed,
            lo,
            hi,
        );
        for ((name, a, tol), (_, b, _)) in ixsim.rows().into_iter().zip(by_hand.rows()) {
            println!("    {name:<22} ixsim {a:>8.4}  yardstick {b:>8.4}  (±{tol:.4})");
        }
    }
    let (time, user_days, threads) = sweep_once();
    println!(
        "sweep 4 × 4 × 2, {} users, {} days, phishing-warnings, {threads} threads: {:.2} s, \
         {:.2} M user-days/s ({:.2} × the yardstick's one-thread speed in this run, {:.2} M/s)",
        sweep_users(),
        sweep_days(),
        time.as_secs_f64(),
        user_days / time.as_secs_f64() / 1e6,
        user_days / time.as_secs_f64() / yardstick_speed,
        yardstick_speed / 1e6,
    );
    println!();
    assert!(
        disagreements.is_empty(),
        "ixsim and the yardstick disagree on the model:\n{}",
        disagreements.join("\n")
    );
}

/// The phishing-warnings scenario (prompt mode, 8 situations per user-day,
/// a daily cap keeping the most confident) with `users` users.
fn phishing(users: usize, situations: f64) -> Simulation {
    let s = library::get("phishing-warnings").unwrap().unwrap();
    let mut p = s.params.clone();
    p.set("world.users", users as f64).unwrap();
    p.set("world.situations_per_day", situations).unwrap();
    Simulation::new(WorldKind::Users, p, 1)
}

/// Users of the phishing benches (1,000 as a test).
fn phishing_users() -> usize {
    size(1_000_000, 1_000)
}

const PHISHING_DAYS: u32 = 3;

/// Phishing warnings, one million users, three days, 8 situations per user-day.
#[divan::bench(sample_count = 5)]
fn phishing_1m_users(bencher: divan::Bencher) {
    let users = phishing_users();
    bencher
        .counter(ItemsCount::new(users * PHISHING_DAYS as usize))
        .with_inputs(|| phishing(users, 8.0))
        .bench_local_values(|mut sim| {
            sim.run(PHISHING_DAYS);
            sim
        });
}

/// The same at 2 situations per user-day (the world's default usage).
#[divan::bench(sample_count = 5)]
fn phishing_1m_users_2_situations(bencher: divan::Bencher) {
    let users = phishing_users();
    bencher
        .counter(ItemsCount::new(users * PHISHING_DAYS as usize))
        .with_inputs(|| phishing(users, 2.0))
        .bench_local_values(|mut sim| {
            sim.run(PHISHING_DAYS);
            sim
        });
}

fn sweep_users() -> usize {
    size(10_000, 200)
}

fn sweep_days() -> u32 {
    size(60, 5)
}

/// A small sweep of phishing warnings: 4 × 4 points (threshold ×
/// forcefulness) × 2 replications on all cores.
fn sweep_spec() -> ixsim::sweep::SweepSpec {
    use ixsim::sweep::{Axis, SweepSpec};
    let s = library::get("phishing-warnings").unwrap().unwrap();
    let mut base = s.params.clone();
    base.set("world.users", sweep_users() as f64).unwrap();
    SweepSpec {
        kind: WorldKind::Users,
        axes: vec![
            Axis::parse("model.threshold=0:2:4", &base).unwrap(),
            Axis::parse("experience.forcefulness=0:1:4", &base).unwrap(),
        ],
        base,
        days: sweep_days(),
        seed: 1,
        replications: 2,
    }
}

/// The small sweep, timed once: (time, nominal user-days, threads).
fn sweep_once() -> (Duration, f64, usize) {
    let spec = sweep_spec();
    let user_days = (spec.jobs() * sweep_users() * spec.days as usize) as f64;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let start = Instant::now();
    spec.run(0, None, None).unwrap();
    (start.elapsed(), user_days, threads)
}

/// The small sweep under divan.
#[divan::bench(sample_count = 2)]
fn sweep_4x4x2_10k_users_60_days(bencher: divan::Bencher) {
    let spec = sweep_spec();
    bencher
        .counter(ItemsCount::new(
            spec.jobs() * sweep_users() * spec.days as usize,
        ))
        .bench(|| spec.run(0, None, None).unwrap());
}
