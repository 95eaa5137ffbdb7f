//! The lab's sweep as the app runs it: `SweepView::start` on a worker thread
//! over all cores, polled until done. Run with `cargo bench --bench lab`;
//! `cargo bench --bench lab -- full` runs only the full size.
//!
//! - `full_20x20x10_10k_users_365_days`: the size — a 20 × 20 grid
//!   (model AUC × forcefulness) with 10 replications of the 10,000-user
//!   phishing-warnings scenario over 365 days: 4,000 runs, 14.6 G user-days
//!   (8 situations per user-day). One sample. On the 2-core development
//!   machine one replication of this grid (1.46 G user-days) takes 69 s
//!   (21 M user-days/s, both cores busy), so this takes about 11 minutes.
//! - `one_replication_20x20x1_10k_users_365_days`: that grid with one
//!   replication, 1.46 G user-days.
//! - `scaled_20x20x1_1k_users_365_days`: the same grid with one replication
//!   and 1,000 users (1/100 of the work), for quick comparisons.
//!
//! Run as tests (`cargo test --all-targets`), each runs once on a 2 × 2 grid
//! of 200 users over 5 days (see `common::size`).

use std::time::Duration;

use divan::counter::ItemsCount;
use ixsim::lab::{AxisSetup, JobState, SweepSetup, SweepView};
use ixsim::scenario::library;

mod common;

fn main() {
    divan::main();
}

/// Times the app's sweep of the phishing scenario with `users` users over
/// a `points` × `points` grid of model AUC × forcefulness: the view is
/// started on a worker pool and polled like the UI does, until it is done.
fn bench(bencher: divan::Bencher, users: usize, points: usize, replications: u32, days: u32) {
    let (users, points, replications, days) =
        common::size((users, points, replications, days), (200, 2, 1, 5));
    let view = || {
        let mut s = library::get("phishing-warnings").unwrap().unwrap();
        s.params.set("world.users", users as f64).unwrap();
        let mut v = SweepView::new(&s);
        let idx = |id: &str| s.params.index_of(id).unwrap();
        let mut setup = SweepSetup::default_for(s.world, days, s.seed);
        setup.axes = vec![
            AxisSetup::range(idx("model.auc"), 0.6, 0.99, points),
            AxisSetup::range(idx("experience.forcefulness"), 0.0, 1.0, points),
        ];
        setup.replications = replications;
        v.set_setup(setup);
        v
    };
    let run = |mut v: SweepView| {
        v.start().unwrap();
        while v.is_running() {
            std::thread::sleep(Duration::from_millis(5));
            v.poll();
        }
        assert_eq!(v.state(), JobState::Done);
        v
    };
    let user_days = users * points * points * replications as usize * days as usize;
    bencher
        .counter(ItemsCount::new(user_days))
        .with_inputs(view)
        .bench_local_values(run);
}

/// The size: 20 × 20 points × 10 replications, 10k users, 365 days.
#[divan::bench(sample_count = 1, sample_size = 1)]
fn full_20x20x10_10k_users_365_days(bencher: divan::Bencher) {
    bench(bencher, 10_000, 20, 10, 365);
}

/// One replication of it: 1.46 G user-days, the "≈ 1.5 G".
#[divan::bench(sample_count = 1, sample_size = 1)]
fn one_replication_20x20x1_10k_users_365_days(bencher: divan::Bencher) {
    bench(bencher, 10_000, 20, 1, 365);
}

/// 1/100 of the full size: one replication, 1,000 users.
#[divan::bench(sample_count = 3, sample_size = 1)]
fn scaled_20x20x1_1k_users_365_days(bencher: divan::Bencher) {
    bench(bencher, 1_000, 20, 1, 365);
}
