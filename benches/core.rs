//! Core throughput: user-days per second of the user world, single thread,
//! next to a hand-written struct-of-arrays loop of a simpler model as the
//! yardstick. Run with `cargo bench --bench core`.
//!
//! Also: a sweep of the size class, scaled down (see `sweep_*`).

use divan::counter::ItemsCount;
use ixsim::scenario::library;
use ixsim::sim::{Simulation, WorldKind, rng};

mod common;

fn main() {
    divan::main();
}

/// One million users (1,000 when run as a test, see `common::size`).
static USERS: std::sync::LazyLock<usize> =
    std::sync::LazyLock::new(|| common::size(1_000_000, 1_000));
const DAYS: u32 = 3;

/// The phishing-warnings scenario (prompt mode) with a million users.
fn phishing(users: usize) -> Simulation {
    let s = library::get("phishing-warnings").unwrap().unwrap();
    let mut p = s.params.clone();
    p.set("world.users", users as f64).unwrap();
    Simulation::new(WorldKind::Users, p, 1)
}

/// One million users, three days, prompt mode, 8 situations per user-day.
#[divan::bench(sample_count = 5)]
fn users_world_prompt_1m(bencher: divan::Bencher) {
    bencher
        .counter(ItemsCount::new(*USERS * DAYS as usize))
        .with_inputs(|| phishing(*USERS))
        .bench_local_values(|mut sim| {
            sim.run(DAYS);
            sim
        });
}

/// The same at 2 situations per user-day (the world's default usage).
#[divan::bench(sample_count = 5)]
fn users_world_prompt_1m_light(bencher: divan::Bencher) {
    bencher
        .counter(ItemsCount::new(*USERS * DAYS as usize))
        .with_inputs(|| {
            let s = library::get("phishing-warnings").unwrap().unwrap();
            let mut p = s.params.clone();
            p.set("world.users", *USERS as f64).unwrap();
            p.set("world.situations_per_day", 2.0).unwrap();
            Simulation::new(WorldKind::Users, p, 1)
        })
        .bench_local_values(|mut sim| {
            sim.run(DAYS);
            sim
        });
}

/// Yardstick: a hand-written struct-of-arrays loop of a simpler model
/// (Poisson situations, truth, binormal score, prompt with trust-based
/// compliance, trust update) drawn from sequential PCG streams keyed by
/// user and day, with the same 8 situations per user-day.
#[divan::bench(sample_count = 5)]
fn yardstick_soa_loop_1m(bencher: divan::Bencher) {
    struct Soa {
        trust: Vec<f32>,
        fatigue: Vec<f32>,
    }
    bencher
        .counter(ItemsCount::new(*USERS * DAYS as usize))
        .with_inputs(|| Soa {
            trust: vec![0.7; *USERS],
            fatigue: vec![0.0; *USERS],
        })
        .bench_local_values(|mut soa| {
            let mean = 8.0_f64;
            let e = (-mean).exp();
            let mut harm = 0.0;
            for day in 1..=u64::from(DAYS) {
                for i in 0..*USERS {
                    let mut w = rng::stream(1, rng::Stream::Situations, i as u64, day);
                    let mut p = rng::stream(1, rng::Stream::People, i as u64, day);
                    let n = rng::poisson_small(&mut w, mean, e);
                    let mut trust = f64::from(soa.trust[i]);
                    let mut fatigue = f64::from(soa.fatigue[i]);
                    for _ in 0..n {
                        let truth = rng::uniform(&mut w) < 0.01;
                        let score = rng::normal(&mut w) + if truth { 2.5 } else { 0.0 };
                        let (u_follow, u_vis) = rng::uniform_pair(&mut p);
                        if score > 1.3 {
                            let follow = f64::from(u_follow) < trust * (-0.357 * fatigue).exp();
                            fatigue += 1.0;
                            if truth && !follow {
                                harm += 40.0;
                            }
                            if f64::from(u_vis) < 0.3 {
                                if truth {
                                    trust += 0.05 * (1.0 - trust);
                                } else {
                                    trust -= 0.15 * trust;
                                }
                            }
                        }
                    }
                    soa.trust[i] = trust as f32;
                    soa.fatigue[i] = (fatigue * 0.5) as f32;
                }
            }
            divan::black_box(harm);
            soa
        });
}

/// A small sweep: 4 × 4 points × 2 replications, 10k users, 60 days, on all cores.
#[divan::bench(sample_count = 2)]
fn sweep_4x4x2_10k_users_60_days(bencher: divan::Bencher) {
    use ixsim::sweep::{Axis, SweepSpec};
    let s = library::get("phishing-warnings").unwrap().unwrap();
    let mut base = s.params.clone();
    let users = common::size(10_000, 200);
    base.set("world.users", users as f64).unwrap();
    let spec = SweepSpec {
        kind: WorldKind::Users,
        axes: vec![
            Axis::parse("model.threshold=0:2:4", &base).unwrap(),
            Axis::parse("experience.forcefulness=0:1:4", &base).unwrap(),
        ],
        base,
        days: common::size(60, 5),
        seed: 1,
        replications: 2,
    };
    bencher
        .counter(ItemsCount::new(spec.jobs() * users * spec.days as usize))
        .bench(|| spec.run(0, None, None).unwrap());
}
