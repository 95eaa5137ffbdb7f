//! Feedback-loop lessons as tests: the predictive-policing, lending,
//! music-recommendation and selection-bias scenarios' teaching points,
//! stated as claims over several seeds with the tolerance written next to
//! each, plus the guided steps' reveals and the command line.
//!
//! Runs in a few seconds in a debug build: the policing and lending worlds
//! are cheap, the recommender runs use the scenario's 1,000 listeners and
//! the selection-bias runs its 2,000 buyers.

use crate::support::{load, mean_over as mean, metric, with};
use ixsim::runner;
use ixsim::scenario::{Scenario, lesson};
use ixsim::sim::{AnyWorld, History, ParamValues, Simulation};

fn run(s: &Scenario, p: &ParamValues, days: u32, seed: u64) -> Simulation {
    let mut sim = Simulation::new(s.world, p.clone(), seed);
    sim.run(days);
    sim
}

/// Sum of a metric over days `1..=to`.
fn total(h: &History, m: usize, to: usize) -> f64 {
    h.column(m).take(to).sum()
}

/// Seeds every multi-seed claim below uses.
const SEEDS: [u64; 8] = [1, 2, 3, 4, 5, 6, 7, 8];

/// Means over days 61–365 (after the first two months) of `metric` in the
/// policing scenario with `sets`, one value per seed.
fn policing_means(sets: &[&str], id: &str) -> Vec<f64> {
    let s = load("predictive-policing");
    let p = with(&s, sets);
    let m = metric(&s, id);
    SEEDS
        .iter()
        .map(|&seed| mean(run(&s, &p, 365, seed).history(), m, 61, 365))
        .collect()
}

/// Mean allocation gap over days 61–365, one value per seed.
fn policing_gaps(sets: &[&str]) -> Vec<f64> {
    policing_means(sets, "org.fairness_gap")
}

/// Policing defaults: the true shares are 27%, 26%, 24% and 23%, yet the
/// patrols concentrate. Claims over 8 seeds: the allocation gap averaged
/// over days 61–365 exceeds 0.2 in at least 7 (observed: all 8), and after a
/// year one district gets more than half of the patrols in at least 6.
#[test]
fn policing_patrols_concentrate_at_near_equal_rates() {
    let s = load("predictive-policing");
    let gaps = policing_gaps(&[]);
    let large = gaps.iter().filter(|&&g| g > 0.2).count();
    assert!(large >= 7, "gaps {gaps:?}");
    let mut concentrated = 0;
    for &seed in &SEEDS {
        let sim = run(&s, &s.params, 365, seed);
        let AnyWorld::Policing(w) = sim.world() else {
            panic!("not the policing world")
        };
        let truth = w.true_shares();
        assert!(truth.iter().all(|&t| (0.2..0.3).contains(&t)), "{truth:?}");
        if w.patrol_shares().iter().any(|&x| x > 0.5) {
            concentrated += 1;
        }
    }
    assert!(concentrated >= 6, "{concentrated} of 8 concentrated");
}

/// With Ensign's correction the patrols track the true shares. Over 8
/// seeds, averaged over days 181–365: the allocation gap is below 0.25 in
/// every seed (observed 0.04 to 0.2) and below a third of the uncorrected
/// gap on average (observed about 0.09 against 0.47); the model's estimate
/// error (half the summed distance between estimated and true shares) is
/// below 0.3 in every seed and below 0.15 on average (observed about 0.1,
/// against about 0.5 without the correction).
#[test]
fn policing_correction_tracks_true_share() {
    let s = load("predictive-policing");
    let p = with(&s, &["policy.correction=true"]);
    let (gap, err) = (
        metric(&s, "org.fairness_gap"),
        metric(&s, "model.estimate_error"),
    );
    let (mut gaps, mut errors) = (Vec::new(), Vec::new());
    for &seed in &SEEDS {
        let sim = run(&s, &p, 365, seed);
        let (g, e) = (
            mean(sim.history(), gap, 181, 365),
            mean(sim.history(), err, 181, 365),
        );
        assert!(g < 0.25, "seed {seed}: gap {g}");
        assert!(e < 0.3, "seed {seed}: estimate error {e}");
        gaps.push(g);
        errors.push(e);
    }
    let avg = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    assert!(avg(&errors) < 0.15, "{errors:?}");
    let uncorrected = policing_gaps(&[]);
    assert!(
        avg(&gaps) < avg(&uncorrected) / 3.0,
        "{gaps:?} vs {uncorrected:?}"
    );
}

/// Forcefulness sets the loop's strength: over forcefulness 1.0, 0.5 and 0.0
/// the gap (mean over days 61–365) falls in every seed, and at 0.5 it is
/// less than half of the gap at 1.0. At 0.0 the patrols are spread evenly,
/// so the gap is exactly the even spread's distance from the true shares
/// (0.27 − 0.25 ≈ 0.023). Meanwhile the number of incidents recorded, what
/// the department reports, barely differs.
#[test]
fn policing_lower_forcefulness_smaller_gap() {
    let full = policing_gaps(&[]);
    let half = policing_gaps(&["experience.forcefulness=0.5"]);
    let none = policing_gaps(&["experience.forcefulness=0"]);
    for i in 0..SEEDS.len() {
        assert!(
            full[i] > half[i] && half[i] > none[i],
            "seed {}: {} {} {}",
            SEEDS[i],
            full[i],
            half[i],
            none[i]
        );
        assert!(half[i] < 0.5 * full[i], "seed {}", SEEDS[i]);
        assert!((none[i] - (3.6 / 13.2 - 0.25)).abs() < 1e-9, "{}", none[i]);
    }
    // The department's dashboard cannot tell: incidents recorded a day,
    // averaged over seeds, differ by less than 10% between the full loop and
    // evenly spread patrols (observed about 2.6 against 2.65).
    let avg = |v: Vec<f64>| v.iter().sum::<f64>() / v.len() as f64;
    let looped = avg(policing_means(&[], "leading.incidents_recorded"));
    let even = avg(policing_means(
        &["experience.forcefulness=0"],
        "leading.incidents_recorded",
    ));
    assert!((looped - even).abs() < 0.1 * even, "{looped} vs {even}");
}

/// Lending under max utility lowers both groups' credit: over 1,000 days
/// (the scenario's length) and 5 seeds, each group's mean repayment
/// probability ends at least 0.04 below its start (0.59 and 0.495; observed
/// drops about 0.09 and 0.06) in every seed, and loans per day in the last
/// month are below 70% of the first month's. Equal opportunity closes the
/// true positive rate gap but leaves group 2 lower still: on average over
/// the seeds by more than 0.03 (observed about 0.06).
#[test]
fn lending_max_utility_lowers_both_groups() {
    let s = load("lending");
    let (p1, p2) = (
        metric(&s, "user.repay_prob_1"),
        metric(&s, "user.repay_prob_2"),
    );
    let loans = metric(&s, "leading.loans");
    let tpr_gap = metric(&s, "model.tpr_gap");
    let eo = with(&s, &["policy.kind=equal_opportunity"]);
    let mut extra_drop = 0.0;
    for seed in 1..=5 {
        let h = runner::run_one(s.world, &s.params, 1000, seed);
        let last = h.row(1000);
        assert!(
            last[p1] < 0.59 - 0.04,
            "seed {seed}: group 1 at {}",
            last[p1]
        );
        assert!(
            last[p2] < 0.495 - 0.04,
            "seed {seed}: group 2 at {}",
            last[p2]
        );
        let (early, late) = (mean(&h, loans, 1, 30), mean(&h, loans, 971, 1000));
        assert!(late < 0.7 * early, "seed {seed}: loans {early} → {late}");
        let e = runner::run_one(s.world, &eo, 1000, seed);
        assert!(e.column(tpr_gap).all(|g| g < 1e-9));
        extra_drop += (last[p2] - e.row(1000)[p2]) / 5.0;
    }
    assert!(
        extra_drop > 0.03,
        "equal opportunity's extra drop {extra_drop}"
    );
}

/// Music: clickbait-heavy policies beat the long-term policy on the leading
/// indicator and lose on everything that lasts. Over 3 seeds, against the
/// long-term policy: the myopic default (all clickbait) and a fixed 90% mix
/// each earn more total listening over the first 30 days (by more than 3%;
/// observed about 8%) and more listening per active user every month of the
/// year, yet after the scenario's 365 days they have lower mean
/// satisfaction (below the churn line of 0.5, the long-term policy above
/// it), less than half the retention and less than 80% of the revenue.
#[test]
fn music_clickbait_wins_the_month_loses_the_year() {
    let s = load("music-recommendation");
    let m = |id| metric(&s, id);
    let (total_eng, per_user) = (
        m("leading.engagement_total"),
        m("leading.engagement_per_user"),
    );
    let (sat, retention, revenue) = (
        m("user.satisfaction"),
        m("org.retention"),
        m("org.cumulative_revenue"),
    );
    let long = with(&s, &["policy.kind=long_term"]);
    let heavy = [
        ("myopic", s.params.clone()),
        (
            "90% clickbait",
            with(&s, &["policy.kind=fixed_mix", "policy.clickbait_share=0.9"]),
        ),
    ];
    for seed in 1..=3 {
        let l = runner::run_one(s.world, &long, 365, seed);
        for (name, p) in &heavy {
            let c = runner::run_one(s.world, p, 365, seed);
            let what = format!("{name}, seed {seed}");
            let (c30, l30) = (total(&c, total_eng, 30), total(&l, total_eng, 30));
            assert!(c30 > 1.03 * l30, "{what}: 30-day listening {c30} vs {l30}");
            for month in 0..12 {
                let (from, to) = (month * 30 + 1, month * 30 + 30);
                assert!(
                    mean(&c, per_user, from, to) > mean(&l, per_user, from, to),
                    "{what}: month {}",
                    month + 1
                );
            }
            let (cl, ll) = (c.row(365), l.row(365));
            assert!(cl[sat] < 0.5 && ll[sat] > 0.5, "{what}: satisfaction");
            assert!(cl[retention] < 0.5 * ll[retention], "{what}: retention");
            assert!(cl[revenue] < 0.8 * ll[revenue], "{what}: revenue");
        }
    }
}

/// Which way a revealed metric should move in a guided step.
#[derive(Clone, Copy, Debug)]
enum Dir {
    /// Rises by more than the tolerance.
    Up(f64),
    /// Falls by more than the tolerance.
    Down(f64),
    /// Moves by less than the tolerance either way.
    Flat(f64),
    /// Ends below this fraction of where it started.
    Factor(f64),
    /// Ends below this level.
    Below(f64),
    /// Ends above this level.
    Above(f64),
}

/// Checks that each (step, metric, direction) claim holds for the
/// scenario's own seed and every seed in `seeds`, and that each claimed
/// metric is one the step reveals.
fn check_steps(id: &str, seeds: &[u64], claims: &[(usize, &str, Dir)]) {
    let s = load(id);
    let seeds: Vec<u64> = std::iter::once(s.seed)
        .chain(seeds.iter().copied())
        .collect();
    for &(step, m, _) in claims {
        let mi = metric(&s, m);
        assert!(
            s.steps[step].reveal.contains(&mi),
            "{id}: step {} does not reveal {m}",
            step + 1
        );
    }
    for &seed in &seeds {
        // The lesson's own replay; a first step is measured against day 1.
        let seen = lesson::replay(&s, &s.params, seed);
        let start = runner::run_one(s.world, &s.params, 1, seed);
        for &(step, m, dir) in claims {
            let mi = metric(&s, m);
            let k = s.steps[step].reveal.iter().position(|&r| r == mi).unwrap();
            let b = seen[step].before[k].unwrap_or_else(|| mean(&start, mi, 1, 1));
            let a = seen[step].after[k];
            let ok = match dir {
                Dir::Up(t) => a > b + t,
                Dir::Down(t) => a < b - t,
                Dir::Flat(t) => (a - b).abs() < t,
                Dir::Factor(f) => a < f * b,
                Dir::Below(level) => a < level,
                Dir::Above(level) => a > level,
            };
            assert!(
                ok,
                "{id}, seed {seed}, step {} ({}): {m} {b} → {a}, expected {dir:?}",
                step + 1,
                s.steps[step].title
            );
        }
    }
}

/// Each policing step's reveal moves as its explanation says, on the
/// scenario's seed and 4 more.
#[test]
fn policing_steps_move_as_explained() {
    check_steps(
        "predictive-policing",
        &[1, 2, 3, 4],
        &[
            (0, "org.fairness_gap", Dir::Up(0.15)),
            (0, "model.estimate_error", Dir::Above(0.25)),
            (1, "org.fairness_gap", Dir::Factor(0.5)),
            (1, "org.fairness_gap", Dir::Below(0.3)),
            (1, "model.estimate_error", Dir::Down(0.05)),
            (2, "org.fairness_gap", Dir::Up(0.01)),
            (3, "org.fairness_gap", Dir::Down(0.05)),
            (3, "org.fairness_gap", Dir::Below(0.2)),
            (3, "model.estimate_error", Dir::Down(0.05)),
        ],
    );
}

/// Each lending step's reveal moves as its explanation says, on the
/// scenario's seed and 4 more.
#[test]
fn lending_steps_move_as_explained() {
    check_steps(
        "lending",
        &[1, 2, 3, 4],
        &[
            (0, "user.repay_prob_1", Dir::Down(0.02)),
            (0, "user.repay_prob_2", Dir::Down(0.01)),
            (0, "leading.loans", Dir::Factor(0.8)),
            (0, "org.profit", Dir::Down(1.0)),
            (1, "model.tpr_gap", Dir::Down(0.05)),
            (1, "user.repay_prob_2", Dir::Down(0.03)),
            (1, "user.repay_prob_gap", Dir::Up(0.01)),
            (2, "leading.loans", Dir::Factor(0.8)),
            (2, "org.profit", Dir::Down(0.5)),
            (2, "user.approval_rate_2", Dir::Below(0.25)),
        ],
    );
}

/// Each music step's reveal moves as its explanation says, on the
/// scenario's seed and 3 more.
#[test]
fn music_steps_move_as_explained() {
    check_steps(
        "music-recommendation",
        &[1, 2, 3],
        &[
            (0, "org.retention", Dir::Below(0.9)),
            (0, "user.satisfaction", Dir::Below(0.5)),
            (0, "leading.engagement_per_user", Dir::Above(3100.0)),
            (0, "leading.engagement_per_user", Dir::Down(400.0)),
            (1, "leading.engagement_per_user", Dir::Flat(160.0)),
            (1, "leading.engagement_total", Dir::Factor(0.45)),
            (1, "org.revenue", Dir::Factor(0.45)),
            (1, "org.retention", Dir::Below(1.0 / 3.0)),
            (2, "leading.engagement_per_user", Dir::Factor(0.92)),
            (2, "user.satisfaction", Dir::Above(0.5)),
            (2, "user.dissatisfied_share", Dir::Down(0.9)),
            (3, "model.clickbait_share", Dir::Up(0.5)),
            (3, "leading.engagement_per_user", Dir::Up(400.0)),
        ],
    );
}

/// Selection bias: over 3 seeds and 360 days, a 5% random holdout gives a
/// higher true AUC at the end than learning from telemetry alone (by more
/// than 0.04; observed 0.93 against 0.85) and more value added per buyer
/// over days 181–360 (by more than 30%; observed about 0.69 against 0.39),
/// while a 50% holdout, with a model as good, adds less value than 5%.
/// Telemetry overstates the error rate: overrides and reports per warning
/// are more than three times the true error rate in every run.
#[test]
fn selection_bias_small_holdout_pays() {
    let s = load("selection-bias");
    let (auc, added) = (
        metric(&s, "model.auc_a"),
        metric(&s, "user.value_added_per_user"),
    );
    let (err, seen) = (
        metric(&s, "model.error_rate"),
        metric(&s, "model.observed_error_rate"),
    );
    let five = with(&s, &["model.explore_share=0.05"]);
    let half = with(&s, &["model.explore_share=0.5"]);
    for seed in 1..=3 {
        let none = runner::run_one(s.world, &s.params, 360, seed);
        let small = runner::run_one(s.world, &five, 360, seed);
        let large = runner::run_one(s.world, &half, 360, seed);
        let what = format!("seed {seed}");
        assert!(
            small.row(360)[auc] > none.row(360)[auc] + 0.04,
            "{what}: AUC {} vs {}",
            small.row(360)[auc],
            none.row(360)[auc]
        );
        let (v0, v5, v50) = (
            mean(&none, added, 181, 360),
            mean(&small, added, 181, 360),
            mean(&large, added, 181, 360),
        );
        assert!(v5 > 1.3 * v0, "{what}: value added {v5} vs {v0}");
        assert!(v50 < v5, "{what}: half held out {v50} vs 5% {v5}");
        for h in [&none, &small, &large] {
            let (e, o) = (mean(h, err, 181, 360), mean(h, seen, 181, 360));
            assert!(o > 3.0 * e, "{what}: observed {o} vs true {e}");
        }
    }
}

/// Each selection-bias step's reveal moves as its explanation says, on the
/// scenario's seed and 4 more.
#[test]
fn selection_bias_steps_move_as_explained() {
    check_steps(
        "selection-bias",
        &[1, 2, 4, 5],
        &[
            (0, "model.auc_a", Dir::Up(0.04)),
            // About 73 in 100 warnings wrong, about 44 flagged by telemetry:
            // telemetry understates the warnings' error.
            (0, "model.error_rate_surfaced", Dir::Above(0.65)),
            (0, "model.observed_error_rate", Dir::Above(0.38)),
            (0, "model.observed_error_rate", Dir::Below(0.5)),
            (0, "model.error_rate", Dir::Below(0.09)),
            (1, "model.auc_a", Dir::Up(0.08)),
            (1, "user.value_added_per_user", Dir::Up(0.2)),
            (1, "user.harm_per_user", Dir::Down(0.1)),
            (2, "model.auc_a", Dir::Flat(0.04)),
            (2, "user.value_added_per_user", Dir::Factor(0.8)),
            // The explanation claims a rise, not its size: 0.04 to 0.17 $/day
            // on these seeds.
            (2, "user.harm_per_user", Dir::Up(0.02)),
        ],
    );
}
