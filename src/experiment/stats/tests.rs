//! Checks of the experiment statistics against closed forms and, for the
//! stopping rules, against simulated A/A and A/B experiments on normal data.

use super::*;
use crate::sim::rng::{SimRng, normal};
use rand::SeedableRng;

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * (1.0 + b.abs())
}

#[test]
fn ln_gamma_matches_factorials_and_half_integers() {
    assert!(close(ln_gamma(5.0), 24f64.ln(), 1e-13));
    assert!(close(ln_gamma(11.0), 3_628_800f64.ln(), 1e-13));
    assert!(close(
        ln_gamma(0.5),
        std::f64::consts::PI.sqrt().ln(),
        1e-13
    ));
    // Γ(0.25) from the reflection branch: Γ(1/4) = 3.625609908221908…
    assert!(close(ln_gamma(0.25), 3.625_609_908_221_908f64.ln(), 1e-12));
}

#[test]
fn incomplete_beta_matches_closed_forms() {
    for x in [0.01, 0.2, 0.5, 0.77, 0.99] {
        assert!(close(regularized_beta(x, 1.0, 1.0), x, 1e-12));
        // I_x(a, 1) = x^a.
        assert!(close(regularized_beta(x, 3.5, 1.0), x.powf(3.5), 1e-12));
    }
    for a in [0.5, 2.0, 40.0, 900.0] {
        assert!(close(regularized_beta(0.5, a, a), 0.5, 1e-10), "a = {a}");
    }
}

#[test]
fn t_tails_match_the_one_and_two_degree_closed_forms() {
    for t in [0.1, 1.0, 2.5, 12.7] {
        // ν = 1 is Cauchy: P(|T| > t) = 1 − (2/π) atan t.
        let cauchy = 1.0 - 2.0 / std::f64::consts::PI * f64::atan(t);
        assert!(close(t_two_sided_p(t, 1.0), cauchy, 1e-11), "t = {t}");
        // ν = 2: P(|T| > t) = 1 − t / √(2 + t²).
        let two = 1.0 - t / (2.0 + t * t).sqrt();
        assert!(close(t_two_sided_p(t, 2.0), two, 1e-11), "t = {t}");
    }
    assert_eq!(t_two_sided_p(0.0, 7.0), 1.0);
    // Very many degrees of freedom: the normal's 1.96.
    assert!(close(t_two_sided_p(1.959_964, 1e9), 0.05, 1e-6));
    assert!(close(t_two_sided_p(1.959_964, 1e6), 0.05, 1e-4));
}

#[test]
fn t_quantiles_invert_the_closed_forms() {
    // ν = 1: q(p) = tan(π (p − ½)).
    let q = t_quantile(0.975, 1.0);
    assert!(close(q, (std::f64::consts::PI * 0.475).tan(), 1e-9), "{q}");
    // ν = 2: q(p) = s √(2 / (1 − s²)) with s = 2p − 1.
    for p in [0.6_f64, 0.9, 0.975, 0.995] {
        let s = 2.0 * p - 1.0;
        let want = s * (2.0 / (1.0 - s * s)).sqrt();
        assert!(close(t_quantile(p, 2.0), want, 1e-9), "p = {p}");
        assert!(close(t_quantile(1.0 - p, 2.0), -want, 1e-9), "p = {p}");
    }
    assert!(close(t_quantile(0.975, f64::INFINITY), 1.959_964, 1e-6));
}

#[test]
fn moments_merge_like_one_sample() {
    let xs = [1.0, 2.0, 3.0, 4.0, 10.0, -3.5, 0.25];
    let whole = Moments::of(xs);
    let parts = Moments::of(xs[..3].iter().copied()).merged(&Moments::of(xs[3..].iter().copied()));
    assert_eq!(whole.n(), parts.n());
    assert!(close(whole.mean(), parts.mean(), 1e-14));
    assert!(close(whole.variance(), parts.variance(), 1e-14));
    // By hand: mean 16.75 / 7, squared deviations summed.
    let mean = xs.iter().sum::<f64>() / 7.0;
    let ss: f64 = xs.iter().map(|x| (x - mean) * (x - mean)).sum();
    assert!(close(whole.variance(), ss / 6.0, 1e-14));
    assert_eq!(Moments::of([2.0]).variance(), 0.0);
}

#[test]
fn welch_matches_a_hand_computation() {
    let a = Moments::of([1.0, 2.0, 3.0, 4.0]);
    let b = Moments::of([2.0, 4.0, 6.0, 8.0, 10.0]);
    let e = welch(&a, &b, 0.95).expect("two units in each arm");
    // Variances 5/3 and 10; variances of the means 5/12 and 2.
    let (va, vb): (f64, f64) = (5.0 / 12.0, 2.0);
    let dof = (va + vb) * (va + vb) / (va * va / 3.0 + vb * vb / 4.0);
    assert!(close(e.difference, 3.5, 1e-14));
    assert!(close(e.std_error, (va + vb).sqrt(), 1e-14));
    assert!(close(e.dof, dof, 1e-12));
    let half = t_quantile(0.975, dof) * (va + vb).sqrt();
    assert!(close(e.interval.0, 3.5 - half, 1e-12));
    // The p-value and the interval agree: p < 0.05 exactly when 0 is outside.
    assert_eq!(e.p_value < 0.05, e.excludes_zero());
    assert!(e.p_value > 0.05 && e.p_value < 0.1, "p = {}", e.p_value);
    assert!(welch(&Moments::of([1.0]), &b, 0.95).is_none());
}

#[test]
fn constant_arms_give_an_exact_difference() {
    let a = Moments::of([1.0; 5]);
    let b = Moments::of([1.5; 5]);
    let e = welch(&a, &b, 0.95).expect("enough units");
    assert_eq!(e.interval, (0.5, 0.5));
    assert_eq!(e.p_value, 0.0);
    let same = welch(&a, &a, 0.95).expect("enough units");
    assert_eq!(same.p_value, 1.0);
}

#[test]
fn a_ratio_over_constant_denominators_is_a_difference_of_means() {
    let xa = [3.0, 1.0, 4.0, 1.0, 5.0, 9.0];
    let xb = [2.0, 6.0, 5.0, 3.0, 5.0];
    let mut a = PairMoments::default();
    let mut b = PairMoments::default();
    for x in xa {
        a.push(x, 1.0);
    }
    for x in xb {
        b.push(x, 1.0);
    }
    let r = delta_ratio(&a, &b, 0.95).expect("denominators are not zero");
    let w = welch(&Moments::of(xa), &Moments::of(xb), 0.95).expect("enough units");
    assert!(close(r.difference, w.difference, 1e-13));
    assert!(close(r.std_error, w.std_error, 1e-13));
    assert!(r.dof.is_infinite());
    // Doubling every denominator halves the ratio and its standard error.
    let mut b2 = PairMoments::default();
    for x in xb {
        b2.push(x, 2.0);
    }
    assert!(close(
        b2.ratio().expect("non-zero"),
        b.ratio().expect("non-zero") / 2.0,
        1e-14
    ));
    assert!(close(
        b2.ratio_variance().expect("enough units"),
        b.ratio_variance().expect("enough units") / 4.0,
        1e-12
    ));
}

#[test]
fn sample_size_matches_the_textbook_figure() {
    let plan = Plan {
        min_detectable_effect: 0.1,
        std_dev: 1.0,
        share_b: 0.5,
        alpha: 0.05,
        power: 0.8,
    };
    // (1.959964 + 0.841621)² · 4 / 0.01 = 3139.6 → 3140 units in all.
    assert_eq!(plan.units_needed(), Some(3140));
    assert!(close(plan.power_at(3140), 0.8, 2e-3));
    assert!(plan.power_at(1000) < 0.4);
    // An unequal split needs more units for the same power.
    let uneven = Plan {
        share_b: 0.2,
        ..plan
    };
    assert!(uneven.units_needed().expect("valid plan") > 4000);
    let none = Plan {
        min_detectable_effect: 0.0,
        ..plan
    };
    assert_eq!(none.units_needed(), None);
}

/// Rates at which three stopping rules declare a difference over `runs`
/// simulated experiments of `days` looks, each day adding `per_day` units
/// per arm of N(0, 1) values in A and N(`effect`, 1) in B.
fn rule_rates(effect: f64, runs: u64, days: u32, per_day: u32) -> [f64; 3] {
    let mut hits = [0u32; 3];
    for run in 0..runs {
        let mut rng = SimRng::seed_from_u64(0x5EED_0000 + run);
        let (mut a, mut b) = (Moments::default(), Moments::default());
        let mut msprt = Msprt::new(0.1);
        let mut rules = [
            Stopper::new(StopRule::Peeking, 0.05),
            Stopper::new(StopRule::FixedHorizon { day: days }, 0.05),
            Stopper::new(StopRule::Sequential, 0.05),
        ];
        for day in 1..=days {
            for _ in 0..per_day {
                a.push(normal(&mut rng));
                b.push(effect + normal(&mut rng));
            }
            let e = welch(&a, &b, 0.95).expect("enough units");
            let p = msprt.look(&e);
            for r in &mut rules {
                r.look(day, &e, p);
            }
        }
        for (hit, r) in hits.iter_mut().zip(&rules) {
            *hit += u32::from(r.decision().is_some_and(|d| d.significant));
        }
    }
    hits.map(|h| f64::from(h) / runs as f64)
}

#[test]
fn peeking_inflates_false_positives_and_the_sequential_test_does_not() {
    // 2,000 A/A experiments of 30 daily looks: the binomial standard error of
    // a 5 % rate is 0.49 points, so [3 %, 7 %] is a ±4 SE band.
    let [peeking, fixed, sequential] = rule_rates(0.0, 2_000, 30, 40);
    assert!((0.03..=0.07).contains(&fixed), "fixed horizon {fixed}");
    // Thirty looks at α = 5 % find a difference in about a quarter of A/A tests.
    assert!(peeking > 0.15, "peeking {peeking}");
    assert!(sequential <= 0.06, "sequential {sequential}");
}

#[test]
fn the_planned_sample_has_its_planned_power() {
    // The plan above: 3,140 units detect 0.1 σ four times in five.
    // 1,000 runs of 1 look each with 1,570 units per arm: SE of 80 % is 1.3 points.
    let [_, fixed, _] = rule_rates(0.1, 1_000, 1, 1_570);
    assert!((0.75..=0.85).contains(&fixed), "power {fixed}");
}
