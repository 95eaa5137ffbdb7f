//! Tests of the recommender world.

use super::*;
use crate::sim::registry::Layer;
use crate::sim::registry::check_table;
use crate::sim::testkit;

fn params(sets: &[(&str, f64)]) -> ParamValues {
    testkit::params(PARAMS, sets)
}

/// Runs `days` days; returns every row.
fn rows(p: &ParamValues, seed: u64, days: u32) -> Vec<Vec<f64>> {
    let mut w = RecommenderWorld::new(p, seed);
    testkit::rows(METRICS.len(), days, |d, row, ev| w.step(d, row, ev))
}

fn total(rows: &[Vec<f64>], metric: usize, days: usize) -> f64 {
    rows[..days].iter().map(|r| r[metric]).sum()
}

#[test]
fn table_is_consistent() {
    check_table(PARAMS, METRICS).unwrap();
    assert_eq!(METRICS.len(), m::COUNT);
    assert_eq!(METRICS[m::SATISFACTION].id, "user.satisfaction");
    assert_eq!(METRICS[m::ENGAGEMENT_TOTAL].id, "leading.engagement_total");
    assert_eq!(METRICS[m::CUMULATIVE_REVENUE].id, "org.cumulative_revenue");
    assert_eq!(METRICS[m::ARRIVALS].id, "flow.arrivals");
    for layer in [
        Layer::Model,
        Layer::User,
        Layer::Leading,
        Layer::Organization,
    ] {
        assert!(METRICS.iter().any(|s| s.layer == layer));
    }
}

/// Clickbait-heavy (90% chocolate) against kale-heavy (10%), 1,000 users,
/// 10 items a day, same seed.
///
/// At RecSim's sensitivity 0.01, clickbait wins total engagement over the
/// first 30 days by more than 20% (expected from the steady state: about
/// 45%).
///
/// At 0.05 the leading indicator misleads: clickbait still wins total
/// engagement over the first 30 days (by more than 2%; expected about 5%)
/// and engagement per active user averaged over the two years (by more
/// than 5%; expected 16.4 vs 14.9 s per item, about 10%), but over 730
/// days it loses total engagement and revenue by more than 25% (expected
/// about 38%), and its retention on day 730 is less than half.
#[test]
fn clickbait_wins_short_loses_long_at_high_sensitivity() {
    let choc = |sens: f64| {
        params(&[
            ("policy.kind", 1.0),
            ("policy.clickbait_share", 0.9),
            ("people.sensitivity", sens),
        ])
    };
    let kale = |sens: f64| {
        params(&[
            ("policy.kind", 1.0),
            ("policy.clickbait_share", 0.1),
            ("people.sensitivity", sens),
        ])
    };
    let a = rows(&choc(0.01), 1, 30);
    let b = rows(&kale(0.01), 1, 30);
    let (ea, eb) = (
        total(&a, m::ENGAGEMENT_TOTAL, 30),
        total(&b, m::ENGAGEMENT_TOTAL, 30),
    );
    assert!(ea > 1.2 * eb, "low sensitivity, 30 days: {ea} vs {eb}");

    let a = rows(&choc(0.05), 2, 730);
    let b = rows(&kale(0.05), 2, 730);
    let (ea30, eb30) = (
        total(&a, m::ENGAGEMENT_TOTAL, 30),
        total(&b, m::ENGAGEMENT_TOTAL, 30),
    );
    assert!(
        ea30 > 1.02 * eb30,
        "high sensitivity, 30 days: {ea30} vs {eb30}"
    );
    let (pa, pb) = (
        total(&a, m::ENGAGEMENT_PER_USER, 730) / 730.0,
        total(&b, m::ENGAGEMENT_PER_USER, 730) / 730.0,
    );
    assert!(pa > 1.05 * pb, "mean per active user: {pa} vs {pb}");
    let (ea, eb) = (
        total(&a, m::ENGAGEMENT_TOTAL, 730),
        total(&b, m::ENGAGEMENT_TOTAL, 730),
    );
    assert!(ea < 0.75 * eb, "high sensitivity, 730 days: {ea} vs {eb}");
    let (ra, rb) = (a[729][m::CUMULATIVE_REVENUE], b[729][m::CUMULATIVE_REVENUE]);
    assert!(ra < 0.75 * rb, "revenue: {ra} vs {rb}");
    let (ta, tb) = (a[729][m::RETENTION], b[729][m::RETENTION]);
    assert!(ta < 0.5 * tb, "retention: {ta} vs {tb}");
    assert!(a[729][m::SATISFACTION] < 0.5 && b[729][m::SATISFACTION] > 0.5);
}

/// The myopic policy serves only chocolate at the defaults; the long-term
/// policy serves little, and earns more revenue over two years (by more
/// than 25%). At sensitivity 0.01 the long-term policy serves chocolate
/// too (share above 0.9): it is not prejudiced against clickbait.
#[test]
fn long_term_beats_myopic_when_satisfaction_matters() {
    let myopic = rows(&params(&[]), 3, 730);
    assert_eq!(myopic[0][m::CLICKBAIT_SHARE], 1.0);
    let lt = params(&[("policy.kind", 2.0)]);
    let w = RecommenderWorld::new(&lt, 3);
    assert!(w.long_term_share() < 0.2, "{}", w.long_term_share());
    let long = rows(&lt, 3, 730);
    let (rm, rl) = (
        myopic[729][m::CUMULATIVE_REVENUE],
        long[729][m::CUMULATIVE_REVENUE],
    );
    assert!(rl > 1.25 * rm, "revenue: long-term {rl} vs myopic {rm}");
    let low = RecommenderWorld::new(
        &params(&[("policy.kind", 2.0), ("people.sensitivity", 0.01)]),
        3,
    );
    assert!(low.long_term_share() > 0.9, "{}", low.long_term_share());
}

/// Forcefulness 0: users pick for themselves (half chocolate), whatever
/// the policy.
#[test]
fn forcefulness_zero_leaves_choice_to_users() {
    let r = rows(&params(&[("experience.forcefulness", 0.0)]), 4, 20);
    for row in &r {
        assert!(
            (row[m::CLICKBAIT_SHARE] - 0.5).abs() < 0.03,
            "{}",
            row[m::CLICKBAIT_SHARE]
        );
    }
}

#[test]
fn deterministic_per_seed() {
    let p = params(&[("people.arrivals_per_day", 3.0), ("world.users", 200.0)]);
    assert_eq!(rows(&p, 8, 200), rows(&p, 8, 200));
    assert_ne!(rows(&p, 8, 200), rows(&p, 9, 200));
}

fn check_row(row: &[f64], what: &str) {
    testkit::check_row(METRICS, row, what);
}

/// Every metric stays finite and in range: 400 days for each policy, with
/// arrivals, and a few days with each parameter at its minimum and
/// maximum (a small population so the extremes stay quick).
#[test]
fn metrics_in_range() {
    for kind in 0..3 {
        let p = params(&[
            ("policy.kind", f64::from(kind)),
            ("world.users", 200.0),
            ("people.arrivals_per_day", 1.0),
        ]);
        for (d, row) in rows(&p, 5, 400).iter().enumerate() {
            check_row(row, &format!("policy {kind}, day {}", d + 1));
        }
    }
    for spec in PARAMS {
        for value in [spec.min, spec.max] {
            let mut sets = vec![("world.users", 50.0), (spec.id, value)];
            if spec.id == "world.users" {
                sets.push(("world.items_per_day", 1.0));
            }
            let p = params(&sets);
            for (d, row) in rows(&p, 6, 5).iter().enumerate() {
                check_row(row, &format!("{} = {value}, day {}", spec.id, d + 1));
            }
        }
    }
    // Everyone leaves: per-user measures fall back to 0, not NaN.
    let p = params(&[("people.churn_max", 1.0), ("people.churn_midpoint", 1.0)]);
    let r = rows(&p, 7, 30);
    assert_eq!(r[29][m::ACTIVE_USERS], 0.0);
    check_row(&r[29], "all gone");
}

/// A mid-run rise of the user count brings new users the next day.
#[test]
fn raising_users_mid_run_adds_arrivals() {
    let p = params(&[("world.users", 100.0)]);
    let mut w = RecommenderWorld::new(&p, 1);
    let mut row = vec![0.0; METRICS.len()];
    w.step(1, &mut row, &mut Vec::new());
    w.configure(&params(&[("world.users", 150.0)]));
    w.step(2, &mut row, &mut Vec::new());
    assert_eq!(row[m::ARRIVALS], 50.0);
    assert_eq!(w.ever_joined(), 150);
}

/// The log-scale measure is RecSim's: with satisfaction pinned at ½
/// (sensitivity 0) and every item chocolate, ln(seconds) has mean
/// 5 · ½ = 2.5 and sd 1, so the mean over 30 days of 10,000 items a day is
/// within 0.05 of 2.5 (about 25 standard errors), while the seconds
/// measure is the log-normal's mean e^(2.5 + ½) ≈ 20.1 s, within 3% (its
/// standard error is about 0.2%).
#[test]
fn log_engagement_is_recsims_scale() {
    let p = params(&[
        ("people.sensitivity", 0.0),
        ("world.users", 1000.0),
        ("world.items_per_day", 10.0),
    ]);
    let rows = rows(&p, 9, 30);
    let log = total(&rows, m::LOG_PER_ITEM, 30) / 30.0;
    let seconds = total(&rows, m::OBSERVED_PER_ITEM, 30) / 30.0;
    assert!(rows.iter().all(|r| r[m::CLICKBAIT_SHARE] == 1.0));
    assert!((log - 2.5).abs() < 0.05, "log engagement {log}");
    let mean = 3.0f64.exp();
    assert!(
        (seconds / mean - 1.0).abs() < 0.03,
        "seconds {seconds} vs {mean}"
    );
}
