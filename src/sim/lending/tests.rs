//! Tests of the lending world.

use super::*;
use crate::sim::registry::Layer;
use crate::sim::registry::check_table;
use crate::sim::testkit;

fn params(sets: &[(&str, f64)]) -> ParamValues {
    testkit::params(PARAMS, sets)
}

/// Runs a world and returns every row.
fn rows(p: &ParamValues, seed: u64, days: u32) -> Vec<Vec<f64>> {
    let mut w = LendingWorld::new(p, seed);
    testkit::rows(METRICS.len(), days, |d, row, ev| w.step(d, row, ev))
}

#[test]
fn table_is_consistent() {
    check_table(PARAMS, METRICS).unwrap();
    assert_eq!(METRICS.len(), m::COUNT);
    assert_eq!(METRICS[m::REPAY_PROB_2].id, "user.repay_prob_2");
    assert_eq!(METRICS[m::CUMULATIVE_PROFIT].id, "org.cumulative_profit");
    assert_eq!(METRICS[m::DEFAULTED].id, "flow.loans_defaulted");
    for layer in [
        Layer::Model,
        Layer::User,
        Layer::Leading,
        Layer::Organization,
    ] {
        assert!(METRICS.iter().any(|s| s.layer == layer));
    }
    for (repay, start) in [
        (&REPAY_PROB[..], &GROUP_1_START[..]),
        (&BAND_REPAY_PROB[..], &BAND_GROUP_1_START[..]),
    ] {
        assert!(repay.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(repay.len(), start.len());
        assert!((start.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    }
    assert!(BAND_SCORE.windows(2).all(|w| w[1] - w[0] == BAND_POINTS));
    // ml-fairness-gym's group 2 is group 1 one cluster lower.
    assert_eq!(
        shifted(&GROUP_1_START, 1)[..CLUSTERS],
        [0.1, 0.1, 0.2, 0.3, 0.3, 0.0, 0.0]
    );
}

/// The starting means match ml-fairness-gym's table: 0.59 and 0.495.
/// Max-utility lending then lowers both groups' mean repayment
/// probability: over 20 replications of 1,000 days (10,000 applicants,
/// as in ml-fairness-gym's experiment), every replication ends lower than
/// it started in both groups, and the average drop is at least 0.03.
#[test]
fn max_utility_lowers_both_groups() {
    let p = params(&[]);
    let w = LendingWorld::new(&p, 0);
    assert!((w.mean_repay_prob(0) - 0.59).abs() < 1e-12);
    assert!((w.mean_repay_prob(1) - 0.495).abs() < 1e-12);
    // Lends exactly where p > 0.5.
    assert_eq!(
        w.approval_probabilities(0),
        &[0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0]
    );
    let (mut drop1, mut drop2) = (0.0, 0.0);
    for r in 0..20 {
        let rows = rows(&p, 100 + r, 1000);
        let last = rows.last().unwrap();
        let (d1, d2) = (0.59 - last[m::REPAY_PROB_1], 0.495 - last[m::REPAY_PROB_2]);
        assert!(d1 > 0.0 && d2 > 0.0, "replication {r}: drops {d1}, {d2}");
        drop1 += d1 / 20.0;
        drop2 += d2 / 20.0;
    }
    assert!(drop1 > 0.03 && drop2 > 0.03, "mean drops {drop1}, {drop2}");
}

/// Equal opportunity equalizes the true positive rates (gap below 1e-9
/// every day) where max utility leaves a gap above 0.1 on day 1
/// (0.89 vs 0.76); it approves more of group 2 on day 1 (0.75 vs 0.6),
/// and after 1,000 days group 2's mean repayment probability is lower
/// under equal opportunity by more than 0.01 on average over 10
/// replications (observed: about 0.06).
#[test]
fn equal_opportunity_differs_from_max_utility() {
    let mu = params(&[]);
    let eo = params(&[("policy.kind", 1.0)]);
    let mut diff = 0.0;
    for r in 0..10 {
        let a = rows(&mu, 7 + r, 1000);
        let b = rows(&eo, 7 + r, 1000);
        assert!(a[0][m::TPR_GAP] > 0.1, "{}", a[0][m::TPR_GAP]);
        for row in &b {
            assert!(row[m::TPR_GAP] < 1e-9, "{}", row[m::TPR_GAP]);
        }
        assert!(b[0][m::APPROVAL_2] > a[0][m::APPROVAL_2]);
        diff += (a[999][m::REPAY_PROB_2] - b[999][m::REPAY_PROB_2]) / 10.0;
    }
    assert!(diff > 0.01, "mean difference {diff}");
}

/// Demographic parity equalizes the expected approval rates.
#[test]
fn demographic_parity_equalizes_approval() {
    let p = params(&[("policy.kind", 2.0)]);
    for row in rows(&p, 3, 300) {
        assert!(row[m::APPROVAL_GAP] < 1e-9, "{}", row[m::APPROVAL_GAP]);
    }
}

/// With no mass moved per loan the distributions never change.
#[test]
fn no_shift_no_impact() {
    let p = params(&[("world.cluster_shift", 0.0)]);
    let rows = rows(&p, 1, 200);
    assert!((rows[199][m::REPAY_PROB_1] - 0.59).abs() < 1e-12);
    assert!((rows[199][m::REPAY_PROB_2] - 0.495).abs() < 1e-12);
}

/// One applicant a day and a lender who lends to everyone: each day
/// exactly 0.01 of one group's mass moves one cluster up after a
/// repayment or one cluster down after a default (nothing moves when the
/// borrower is already in the top or bottom cluster), and each group's
/// mass stays 1. Checked for 300 days, with both kinds of move seen.
#[test]
fn repayment_lifts_and_default_drops_one_cluster() {
    let p = params(&[
        ("world.applicants_per_day", 1.0),
        ("policy.kind", 3.0),
        ("policy.threshold", 0.0),
    ]);
    let mut w = LendingWorld::new(&p, 12);
    let mut row = vec![0.0; METRICS.len()];
    let (mut ups, mut downs) = (0, 0);
    for day in 1..=300 {
        let before = w.dist.clone();
        w.step(day, &mut row, &mut Vec::new());
        assert_eq!(row[m::LOANS], 1.0);
        let repaid = row[m::REPAID] == 1.0;
        let mut changed = Vec::new();
        for (g, (now, then)) in w.dist.iter().zip(before.iter()).enumerate() {
            assert!((now.iter().sum::<f64>() - 1.0).abs() < 1e-9);
            for (c, (x, y)) in now.iter().zip(then).enumerate() {
                if (x - y).abs() > 1e-12 {
                    changed.push((g, c, x - y));
                }
            }
        }
        match changed.as_slice() {
            [] => {}
            [(g1, c1, d1), (g2, c2, d2)] => {
                assert_eq!(g1, g2);
                assert!((d1.abs() - 0.01).abs() < 1e-9 && (d1 + d2).abs() < 1e-12);
                let (from, to) = if *d1 < 0.0 { (c1, c2) } else { (c2, c1) };
                if repaid {
                    assert_eq!(*to, from + 1, "day {day}");
                    ups += 1;
                } else {
                    assert_eq!(*to + 1, *from, "day {day}");
                    downs += 1;
                }
            }
            other => panic!("day {day}: unexpected change {other:?}"),
        }
    }
    assert!(ups > 100 && downs > 50, "{ups} up, {downs} down");
}

#[test]
fn deterministic_per_seed() {
    let p = params(&[("policy.kind", 1.0)]);
    assert_eq!(rows(&p, 5, 200), rows(&p, 5, 200));
    assert_ne!(rows(&p, 5, 200), rows(&p, 6, 200));
}

fn check_row(row: &[f64], what: &str) {
    testkit::check_row(METRICS, row, what);
}

/// Every metric stays finite and in range: 400 days for each policy, and
/// 20 days with each parameter at its minimum and its maximum.
#[test]
fn metrics_in_range() {
    for kind in 0..4 {
        let p = params(&[("policy.kind", f64::from(kind))]);
        for (d, row) in rows(&p, 2, 400).iter().enumerate() {
            check_row(row, &format!("policy {kind}, day {}", d + 1));
        }
    }
    for spec in PARAMS {
        for value in [spec.min, spec.max] {
            for kind in 0..4 {
                let p = params(&[(spec.id, value), ("policy.kind", f64::from(kind))]);
                for row in rows(&p, 4, 20) {
                    check_row(&row, &format!("{} = {value}, policy {kind}", spec.id));
                }
            }
        }
    }
}

/// The score bands' repayment curve is the logistic curve its doc states
/// (rounded to three decimals), and a step cannot swap the table of a
/// running world.
#[test]
fn score_bands_follow_their_curve_and_stay_for_the_run() {
    for (s, p) in BAND_SCORE.iter().zip(BAND_REPAY_PROB) {
        let curve = 1.0 / (1.0 + (-(s - 600.0) / 40.0).exp());
        assert!(
            (curve - p).abs() <= 0.0005 + 1e-12,
            "score {s}: {p} vs {curve}"
        );
    }
    let bands = params(&[("world.clusters", 1.0)]);
    let mut w = LendingWorld::new(&bands, 3);
    assert_eq!(w.repay_probs().len(), BANDS);
    assert_eq!(w.cluster_scores().map(<[f64]>::len), Some(BANDS));
    w.configure(&params(&[]));
    assert_eq!(w.cluster_distribution(1).len(), BANDS);
    let mut row = vec![0.0; METRICS.len()];
    w.step(1, &mut row, &mut Vec::new());
    assert!(row.iter().all(|v| v.is_finite()));
    assert!(
        LendingWorld::new(&params(&[]), 3)
            .cluster_scores()
            .is_none()
    );
}
