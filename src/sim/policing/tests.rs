//! Tests of the policing world.

use super::*;
use crate::sim::registry::Layer;
use crate::sim::registry::check_table;
use crate::sim::testkit;

fn params(sets: &[(&str, f64)]) -> ParamValues {
    testkit::params(PARAMS, sets)
}

/// Runs `days` days and returns the last row.
fn run(p: &ParamValues, seed: u64, days: u32) -> (PolicingWorld, Vec<f64>) {
    let mut w = PolicingWorld::new(p, seed);
    let mut row = vec![0.0; METRICS.len()];
    let mut events = Vec::new();
    for day in 1..=days {
        w.step(day, &mut row, &mut events);
    }
    (w, row)
}

/// The classic urn: two districts, one patrol, every visit sees all
/// incidents, discovered incidents only, no forgetting.
const URN: &[(&str, f64)] = &[
    ("world.districts", 2.0),
    ("world.miss_prob", 0.0),
    ("world.report_share", 0.0),
    ("policy.patrols_per_day", 1.0),
    ("policy.kind", 0.0),
    ("model.prior_count", 1.0),
];

fn urn_with(extra: &[(&str, f64)]) -> ParamValues {
    let mut all: Vec<(&str, f64)> = URN.to_vec();
    all.extend_from_slice(extra);
    params(&all)
}

fn mean_var(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1.0);
    (mean, var)
}

#[test]
fn table_is_consistent_and_indices_match() {
    check_table(PARAMS, METRICS).unwrap();
    assert_eq!(METRICS.len(), m::COUNT);
    assert_eq!(METRICS[m::EST_SHARE_1].id, "model.est_share_1");
    assert_eq!(METRICS[m::ARRESTS_PER_1K_1].id, "user.arrests_per_1k_1");
    assert_eq!(METRICS[m::RECORDED].id, "leading.incidents_recorded");
    assert_eq!(METRICS[m::FAIRNESS_GAP].id, "org.fairness_gap");
    assert_eq!(METRICS[m::PATROLS].id, "flow.patrols");
    for layer in [
        Layer::Model,
        Layer::User,
        Layer::Leading,
        Layer::Organization,
    ] {
        assert!(
            METRICS.iter().any(|s| s.layer == layer),
            "{layer:?} missing"
        );
    }
    for s in METRICS {
        let prefix = match s.layer {
            Layer::Model => "model.",
            Layer::User => "user.",
            Layer::Leading => "leading.",
            Layer::Organization => "org.",
            Layer::Flow => "flow.",
        };
        assert!(s.id.starts_with(prefix), "{} in {:?}", s.id, s.layer);
    }
}

/// Equal rates, one ball each, one patrol, coin-flip updates: a Pólya urn
/// whose limit share is Uniform(0, 1) (mean 1/2, variance 1/12). Over 400
/// replications of 1,500 days: the mean within 0.06 of 1/2 (4 standard
/// errors), the sample variance within 0.015 of 1/12 (its standard error
/// is about 0.0037), the Kolmogorov–Smirnov distance to the uniform below
/// 0.0975 (the 0.1% critical value for n = 400), and both tails (below
/// 0.05, above 0.95) reached. With a head start of 9 extra balls the limit
/// is Beta(10, 1): mean 10/11 within 0.02 (standard error 0.0042),
/// variance 10/1452 ≈ 0.0069 within 0.003.
#[test]
fn polya_urn_limit_is_uniform_at_equal_rates() {
    let p = urn_with(&[
        ("world.rate_first", 1.0),
        ("world.rate_last", 1.0),
        ("model.update_rule", 1.0),
    ]);
    let mut shares: Vec<f64> = (0..400)
        .map(|r| run(&p, 1000 + r, 1500).1[m::EST_SHARE_1])
        .collect();
    let (mean, var) = mean_var(&shares);
    assert!((mean - 0.5).abs() < 0.06, "mean {mean}");
    assert!((var - 1.0 / 12.0).abs() < 0.015, "variance {var}");
    shares.sort_by(f64::total_cmp);
    let n = shares.len() as f64;
    let ks = shares
        .iter()
        .enumerate()
        .map(|(i, &x)| (x - i as f64 / n).abs().max(((i + 1) as f64 / n - x).abs()))
        .fold(0.0, f64::max);
    assert!(ks < 0.0975, "KS distance {ks}");
    assert!(shares[0] < 0.05 && shares[shares.len() - 1] > 0.95);

    let ahead = urn_with(&[
        ("world.rate_first", 1.0),
        ("world.rate_last", 1.0),
        ("model.update_rule", 1.0),
        ("model.prior_bonus_first", 9.0),
    ]);
    let shares: Vec<f64> = (0..400)
        .map(|r| run(&ahead, 6000 + r, 1500).1[m::EST_SHARE_1])
        .collect();
    let (mean, var) = mean_var(&shares);
    assert!((mean - 10.0 / 11.0).abs() < 0.02, "mean {mean}");
    assert!(
        (var - 10.0 / (121.0 * 12.0)).abs() < 0.003,
        "variance {var}"
    );
}

/// Unequal rates (2 vs 1, true share 2/3), discovered incidents only: the
/// urn runs away, slowly (the losing district's count grows only like
/// the square root of time). After 5,000 days, of 100 replications at
/// least 75 give one district more than 90% of the patrols (84 to 91
/// over six seed sets tried), at least 70 of them district 1, and the
/// mean share of district 1 is above 0.88 (0.92 to 0.96), far from the
/// true 2/3. Equal Poisson rates instead stay spread (variance above
/// 0.04; a uniform limit would give 0.083).
#[test]
fn unequal_rates_run_away() {
    let p = urn_with(&[("world.rate_first", 2.0), ("world.rate_last", 1.0)]);
    let shares: Vec<f64> = (0..100)
        .map(|r| run(&p, 77 + r, 5000).1[m::PATROL_SHARE_1])
        .collect();
    let extreme = shares
        .iter()
        .filter(|&&s| !(0.1..=0.9).contains(&s))
        .count();
    let to_first = shares.iter().filter(|&&s| s > 0.9).count();
    let (mean, _) = mean_var(&shares);
    assert!(extreme >= 75, "{extreme} of 100 ran away");
    assert!(to_first >= 70, "{to_first} of 100 ran away to district 1");
    assert!(mean > 0.88, "mean share {mean}");

    let equal = urn_with(&[("world.rate_first", 2.0), ("world.rate_last", 2.0)]);
    let shares: Vec<f64> = (0..100)
        .map(|r| run(&equal, 300 + r, 1000).1[m::EST_SHARE_1])
        .collect();
    let (_, var) = mean_var(&shares);
    assert!(var > 0.04, "variance {var}");
}

/// With Ensign's correction the same unequal urn learns the true share:
/// the mean over 40 replications of the share after 3,000 days is within
/// 0.015 of 2/3 (observed spread of one replication: sd ≈ 0.012), and
/// every replication within 0.08 of it.
#[test]
fn correction_recovers_true_share() {
    let p = urn_with(&[
        ("world.rate_first", 2.0),
        ("world.rate_last", 1.0),
        ("policy.correction", 1.0),
    ]);
    let shares: Vec<f64> = (0..40)
        .map(|r| run(&p, 900 + r, 3000).1[m::EST_SHARE_1])
        .collect();
    let (mean, _) = mean_var(&shares);
    assert!((mean - 2.0 / 3.0).abs() < 0.015, "mean {mean}");
    for s in &shares {
        assert!((s - 2.0 / 3.0).abs() < 0.08, "share {s}");
    }
    // The correction also works with several patrols and misses
    // (propensities 1 − E[miss^n]), here for four districts with rates
    // 4, 3, 2, 1: every estimated share within 0.05 of the truth (without
    // the correction the smallest district ends below 0.06).
    let p = params(&[
        ("world.districts", 4.0),
        ("world.rate_first", 4.0),
        ("world.rate_last", 1.0),
        ("policy.patrols_per_day", 2.0),
        ("policy.correction", 1.0),
    ]);
    let (w, _) = run(&p, 3, 4000);
    let truth = [0.4, 0.3, 0.2, 0.1];
    for (e, t) in w.estimated_shares().iter().zip(truth) {
        assert!((e - t).abs() < 0.05, "{:?}", w.estimated_shares());
    }
}

/// The correction under one find per patrol learns how often a district has
/// something to find, not how much: with one patrol, no misses and no
/// reports, a visited district discovers `min(N, 1)` incidents, so the kept
/// updates accrue at `π_min · P(N ≥ 1) = π_min · (1 − e^−λ)` a day and the
/// estimated share tends to `(1 − e^−λ₁) / Σ (1 − e^−λⱼ)`. For rates 3 and 1
/// that is 0.600, not the true 0.75; with any-number capture the same urn
/// reaches 0.75. Mean over 20 replications of 3,000 days, within 0.015.
#[test]
fn correction_under_one_per_patrol_learns_busy_days_not_rates() {
    let busy = |rate: f64| 1.0 - (-rate).exp();
    let expected = busy(3.0) / (busy(3.0) + busy(1.0));
    for (capture, target) in [(1.0, expected), (0.0, 0.75)] {
        let p = urn_with(&[
            ("world.rate_first", 3.0),
            ("world.rate_last", 1.0),
            ("world.capture", capture),
            ("policy.correction", 1.0),
        ]);
        let shares: Vec<f64> = (0..20)
            .map(|r| run(&p, 700 + r, 3000).1[m::EST_SHARE_1])
            .collect();
        let (mean, _) = mean_var(&shares);
        assert!(
            (mean - target).abs() < 0.015,
            "capture {capture}: mean {mean}, expected {target}"
        );
    }
}

/// Reports mixed in: rates 2 and 1, half of the incidents reported, both
/// weights 1, no misses. Then d = (1, 0.5), r = (1, 0.5) and the fixed
/// point is the root of 0.5x² + x − 1 = 0, x = √3 − 1 ≈ 0.732, between the
/// true share 2/3 and runaway. The mean over 40 replications of the share
/// averaged over days 1,001–3,000 must be within 0.01 of it (standard
/// error about 0.002; the true share is 0.065 away).
#[test]
fn mixed_reports_converge_to_fixed_point() {
    let p = urn_with(&[
        ("world.rate_first", 2.0),
        ("world.rate_last", 1.0),
        ("world.report_share", 0.5),
    ]);
    let x = PolicingWorld::new(&p, 0)
        .mixed_fixed_point_share_1()
        .unwrap();
    assert!((x - (3.0_f64.sqrt() - 1.0)).abs() < 1e-9, "{x}");
    assert!((mixed_urn_fixed_point([1.0, 1.0], [1.0, 3.0]).unwrap() - 0.25).abs() < 1e-12);
    assert_eq!(mixed_urn_fixed_point([2.0, 1.0], [0.0, 0.0]), None);
    let means: Vec<f64> = (0..40)
        .map(|r| {
            let mut w = PolicingWorld::new(&p, 4000 + r);
            let mut row = vec![0.0; METRICS.len()];
            let mut sum = 0.0;
            for day in 1..=3000 {
                w.step(day, &mut row, &mut Vec::new());
                if day > 1000 {
                    sum += row[m::EST_SHARE_1];
                }
            }
            sum / 2000.0
        })
        .collect();
    let (mean, _) = mean_var(&means);
    assert!((mean - x).abs() < 0.01, "mean {mean} vs fixed point {x}");
}

/// The uniform policy: each of P patrols lands in one of K districts at
/// random, so an incident in district i is discovered with probability
/// 1 − (1 − (1 − m)/K)^P and the expected discoveries a day are
/// Σλ_i · (1 − (1 − (1 − m)/K)^P). For K = 4, rates 1..4, P = 3, m = 0.2
/// that is 10 · (1 − 0.8³) = 4.88 (the linear guess P/K·Σλ·(1 − m) would
/// be 6). The mean over 20,000 days must be within 0.1 (≈ 5 standard
/// errors) of it, and the expected patrol share exactly 1/K.
#[test]
fn uniform_policy_matches_closed_form() {
    let p = params(&[
        ("world.districts", 4.0),
        ("world.rate_first", 1.0),
        ("world.rate_last", 4.0),
        ("world.miss_prob", 0.2),
        ("policy.kind", 2.0),
        ("policy.patrols_per_day", 3.0),
    ]);
    let mut w = PolicingWorld::new(&p, 11);
    let mut row = vec![0.0; METRICS.len()];
    let mut sum = 0.0;
    let days = 20_000;
    for day in 1..=days {
        w.step(day, &mut row, &mut Vec::new());
        sum += row[m::DISCOVERED];
        assert!((row[m::PATROL_SHARE_1] - 0.25).abs() < 1e-12);
    }
    let expected = 10.0 * (1.0 - 0.8_f64.powi(3));
    let mean = sum / f64::from(days);
    assert!((mean - expected).abs() < 0.1, "mean {mean} vs {expected}");
    for &pi in w.discovery_probabilities() {
        assert!((pi - (1.0 - 0.8_f64.powi(3))).abs() < 1e-12);
    }
}

/// Forcefulness 0 with officers who know the true rates: the patrol
/// share is the true share, whatever the model says; the greedy policy
/// at forcefulness 1 and one patrol sends it to the top district only.
#[test]
fn forcefulness_blends_model_and_officers() {
    let p = params(&[
        ("experience.forcefulness", 0.0),
        ("experience.officer_judgment", 1.0),
        ("model.prior_bonus_first", 50.0),
    ]);
    let (w, row) = run(&p, 5, 50);
    assert!((row[m::PATROL_SHARE_1] - 4.0 / 7.0).abs() < 1e-12);
    assert!(row[m::FAIRNESS_GAP] < 1e-12);
    assert!(w.estimated_shares()[0] > 0.5);
    let p = params(&[("policy.kind", 1.0), ("model.prior_bonus_first", 5.0)]);
    let (w, row) = run(&p, 5, 50);
    assert_eq!(row[m::PATROL_SHARE_1], 1.0);
    assert_eq!(w.patrol_days_total()[1], 0.0);
    let p = params(&[
        ("policy.kind", 1.0),
        ("model.prior_bonus_first", 5.0),
        ("experience.forcefulness", 0.5),
    ]);
    let (_, row) = run(&p, 5, 50);
    assert!((row[m::PATROL_SHARE_1] - 0.75).abs() < 1e-12);
}

#[test]
fn deterministic_per_seed() {
    let p = params(&[("world.report_share", 0.2), ("policy.patrols_per_day", 3.0)]);
    let rows = |seed| {
        let mut w = PolicingWorld::new(&p, seed);
        let mut all = Vec::new();
        let mut row = vec![0.0; METRICS.len()];
        for day in 1..=200 {
            w.step(day, &mut row, &mut Vec::new());
            all.extend_from_slice(&row);
        }
        all
    };
    assert_eq!(rows(42), rows(42));
    assert_ne!(rows(42), rows(43));
}

fn assert_in_range(row: &[f64], day: u32, what: &str) {
    for (value, spec) in row.iter().zip(METRICS) {
        assert!(
            value.is_finite() && *value >= spec.min && *value <= spec.max,
            "{what}, day {day}: {} = {value} outside [{}, {}]",
            spec.id,
            spec.min,
            spec.max
        );
    }
}

/// Every metric, every day, stays finite and within its declared range:
/// 400 days at the defaults and in several variants, and 20 days with
/// each parameter at its minimum and at its maximum.
#[test]
fn metrics_in_range() {
    let variants: &[&[(&str, f64)]] = &[
        &[],
        &[("policy.patrols_per_day", 0.0)],
        &[("world.districts", 1.0), ("policy.correction", 1.0)],
        &[("world.rate_first", 0.0), ("world.rate_last", 0.0)],
        &[
            ("world.districts", 16.0),
            ("policy.kind", 3.0),
            ("policy.patrols_per_day", 40.0),
            ("policy.correction", 1.0),
            ("world.dynamic_rate", 0.3),
            ("model.decay", 0.05),
        ],
        &[
            ("policy.kind", 1.0),
            ("policy.correction", 1.0),
            ("model.prior_count", 0.0),
            ("world.report_share", 0.3),
        ],
    ];
    for (v, sets) in variants.iter().enumerate() {
        let p = params(sets);
        let mut w = PolicingWorld::new(&p, v as u64);
        let mut row = vec![0.0; METRICS.len()];
        for day in 1..=400 {
            w.step(day, &mut row, &mut Vec::new());
            assert_in_range(&row, day, &format!("variant {v}"));
        }
    }
    for spec in PARAMS {
        for value in [spec.min, spec.max] {
            let p = if matches!(spec.kind, crate::sim::ParamKind::List(_)) {
                // A list of one item per default district, every item at the end.
                let mut p = params(&[]);
                p.set_text(&format!("{}={value},{value}", spec.id)).unwrap();
                p
            } else {
                params(&[(spec.id, value)])
            };
            let mut w = PolicingWorld::new(&p, 9);
            let mut row = vec![0.0; METRICS.len()];
            for day in 1..=20 {
                w.step(day, &mut row, &mut Vec::new());
                assert_in_range(&row, day, &format!("{} = {value}", spec.id));
            }
        }
    }
}

/// A mid-run change takes effect from the next day: more districts and
/// patrols appear in the next row, the learned counts survive.
#[test]
fn configure_applies_from_next_day() {
    let p = params(&[]);
    let mut w = PolicingWorld::new(&p, 1);
    let mut row = vec![0.0; METRICS.len()];
    for day in 1..=30 {
        w.step(day, &mut row, &mut Vec::new());
    }
    let before = w.evidence_counts()[0];
    let q = params(&[("world.districts", 5.0), ("policy.patrols_per_day", 7.0)]);
    w.configure(&q);
    assert_eq!(w.districts(), 5);
    assert_eq!(w.evidence_counts()[0], before);
    w.step(31, &mut row, &mut Vec::new());
    assert_eq!(row[m::PATROLS], 7.0);
    assert_eq!(w.patrols_today().iter().sum::<u32>(), 7);
}

/// Whole-count forgetting decays the prior too, down to the floor and no
/// further; learned-only forgetting keeps the prior for ever. Rates 0: no
/// incident ever adds to a count, so the counts follow the decay exactly.
#[test]
fn whole_count_forgets_the_prior_down_to_the_floor() {
    let base = [
        ("world.rate_first", 0.0),
        ("world.rate_last", 0.0),
        ("model.prior_count", 100.0),
        ("model.prior_bonus_first", 50.0),
        ("model.decay", 0.1),
        ("model.count_floor", 2.0),
    ];
    let (w, _) = run(&urn_with(&base), 1, 3);
    let c = w.evidence_counts();
    assert!((c[0] - 150.0 * 0.9f64.powi(3)).abs() < 1e-9, "{c:?}");
    assert!((c[1] - 100.0 * 0.9f64.powi(3)).abs() < 1e-9, "{c:?}");
    let (w, _) = run(&urn_with(&base), 1, 200);
    assert_eq!(w.evidence_counts(), &[2.0, 2.0]);
    assert!((w.estimated_shares()[0] - 0.5).abs() < 1e-12);

    let mut old = base.to_vec();
    old.push(("model.forgetting", 1.0));
    let (w, _) = run(&urn_with(&old), 1, 200);
    assert_eq!(w.evidence_counts(), &[150.0, 100.0]);

    // A count already below the floor is left alone.
    let mut low = base.to_vec();
    low[2] = ("model.prior_count", 1.0);
    low[3] = ("model.prior_bonus_first", 0.0);
    let (w, _) = run(&urn_with(&low), 1, 50);
    assert_eq!(w.evidence_counts(), &[1.0, 1.0]);
}

/// Switching the forgetting rule or the prior mid-run keeps the evidence:
/// the whole count is carried over, a changed prior shifts it by the
/// difference.
#[test]
fn configure_carries_the_counts_across_forgetting_rules() {
    let base = [
        ("world.rate_first", 0.0),
        ("world.rate_last", 0.0),
        ("model.prior_count", 10.0),
        ("model.decay", 0.5),
        ("model.count_floor", 0.0),
    ];
    let p = urn_with(&base);
    let (mut w, _) = run(&p, 1, 1);
    assert_eq!(w.evidence_counts(), &[5.0, 5.0]);
    let mut q = p.clone();
    q.set("model.forgetting", 1.0).unwrap();
    w.configure(&q);
    // 5 = prior 10 minus 5 forgotten: learned_only stores −5, clamped at 0,
    // so the count is the prior again.
    assert_eq!(w.evidence_counts(), &[10.0, 10.0]);
    q.set("model.prior_count", 4.0).unwrap();
    w.configure(&q);
    assert_eq!(w.evidence_counts(), &[4.0, 4.0]);
    q.set("model.forgetting", 0.0).unwrap();
    q.set("model.prior_count", 6.0).unwrap();
    w.configure(&q);
    assert_eq!(w.evidence_counts(), &[6.0, 6.0]);
}

/// One find per patrol: with no misses each patrol in a district discovers
/// exactly one incident while unreported incidents remain, so every day a
/// district discovers `min(patrols there, unreported incidents)`; with
/// misses it never discovers more than its patrols. Any-number capture at
/// no misses discovers every unreported incident of a patrolled district.
#[test]
fn one_per_patrol_caps_finds_at_the_patrols() {
    for miss in [0.0, 0.3] {
        let p = params(&[
            ("world.districts", 4.0),
            ("world.rate_first", 6.0),
            ("world.rate_last", 1.0),
            ("world.miss_prob", miss),
            ("world.report_share", 0.2),
            ("world.capture", 1.0),
            ("policy.kind", 2.0),
            ("policy.patrols_per_day", 5.0),
        ]);
        let mut w = PolicingWorld::new(&p, 9);
        let mut row = vec![0.0; METRICS.len()];
        let mut capped = 0;
        for day in 1..=300 {
            w.step(day, &mut row, &mut Vec::new());
            for i in 0..4 {
                let patrols = u64::from(w.patrols_today()[i]);
                let unreported = w.occurred_today()[i] - w.reported_today()[i];
                let found = w.discovered_today()[i];
                if miss == 0.0 {
                    assert_eq!(found, patrols.min(unreported), "day {day}, district {i}");
                } else {
                    assert!(found <= patrols.min(unreported), "day {day}, district {i}");
                }
                if patrols > 0 && unreported > patrols {
                    capped += 1;
                }
            }
        }
        assert!(capped > 50, "the cap was rarely reachable: {capped}");
    }
    let p = params(&[
        ("world.districts", 4.0),
        ("world.rate_first", 6.0),
        ("world.miss_prob", 0.0),
        ("policy.kind", 2.0),
        ("policy.patrols_per_day", 5.0),
    ]);
    let mut w = PolicingWorld::new(&p, 9);
    let mut row = vec![0.0; METRICS.len()];
    for day in 1..=100 {
        w.step(day, &mut row, &mut Vec::new());
        for i in 0..4 {
            let unreported = w.occurred_today()[i] - w.reported_today()[i];
            let expected = if w.patrols_today()[i] > 0 {
                unreported
            } else {
                0
            };
            assert_eq!(w.discovered_today()[i], expected, "day {day}, district {i}");
        }
    }
}

/// Greedy under one find per patrol, worked by hand: estimated shares
/// 0.6, 0.2, 0.1, 0.1 of a city total of 5 incidents a day give estimated
/// rates 3, 1, 0.5, 0.5 (no reports, no misses). The k-th patrol in a
/// district adds `P(N ≥ k)`, which falls with k, so the greedy plan takes
/// the largest marginal gains over all districts: 1 − e⁻³ = 0.950,
/// 1 − 4e⁻³ = 0.801, 1 − e⁻¹ = 0.632, 1 − 8.5e⁻³ = 0.577, then
/// 1 − e^−0.5 = 0.394 twice (lower index first), then 1 − 13e⁻³ = 0.353.
/// Five patrols: [3, 1, 1, 0]; seven: [4, 1, 1, 1]. The any-number greedy
/// on the same counts spreads the patrols instead (one each, then the
/// largest share: [2, 1, 1, 1] for five).
#[test]
fn one_per_patrol_greedy_takes_the_largest_poisson_tails() {
    // Marginal gains P(N ≥ k) by the closed form, k = 1..=8.
    let tails = |mean: f64| -> Vec<f64> {
        let mut below = 0.0;
        let mut term = 1.0;
        (0..8)
            .map(|j| {
                if j > 0 {
                    term *= mean / f64::from(j);
                }
                below += term;
                1.0 - (-mean).exp() * below
            })
            .collect()
    };
    let rates = [3.0, 1.0, 0.5, 0.5];
    let mut gains: Vec<(f64, usize)> = Vec::new();
    for (i, &r) in rates.iter().enumerate() {
        gains.extend(tails(r).into_iter().map(|g| (g, i)));
    }
    gains.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let by_hand = |n: usize| {
        let mut alloc = vec![0usize; 4];
        for &(_, i) in &gains[..n] {
            alloc[i] += 1;
        }
        alloc
    };
    assert_eq!(by_hand(5), [3, 1, 1, 0]);
    assert_eq!(by_hand(7), [4, 1, 1, 1]);
    for (capture, patrols, expected) in [
        (1.0, 5, vec![3, 1, 1, 0]),
        (1.0, 7, vec![4, 1, 1, 1]),
        (0.0, 5, vec![2, 1, 1, 1]),
    ] {
        let p = params(&[
            ("world.districts", 4.0),
            ("world.rate_first", 1.25),
            ("world.rate_last", 1.25),
            ("world.miss_prob", 0.0),
            ("world.report_share", 0.0),
            ("world.capture", capture),
            ("policy.kind", 1.0),
            ("policy.patrols_per_day", f64::from(patrols)),
        ]);
        assert!(p.choice::<Policy>("policy.kind") == Policy::Greedy);
        let mut w = PolicingWorld::new(&p, 1);
        w.stored.copy_from_slice(&[6.0, 2.0, 1.0, 1.0]);
        w.refresh_shares();
        w.plan();
        assert_eq!(
            w.greedy_alloc, expected,
            "capture {capture}, {patrols} patrols"
        );
        if capture == 1.0 {
            assert_eq!(w.greedy_alloc, by_hand(patrols as usize));
        }
    }
}
