//! The policing world replays its sources, setting for setting.
//!
//! Each source's own settings are written as a scenario file under
//! `tests/sources/` (Ensign et al.'s Oakland urn with and without their
//! correction, their mixed urn, ml-fairness-gym's attention allocation).
//! The world's runs are compared with values this file derives on its own:
//! closed forms (the mixed urn's fixed point, the uniform agent's expected
//! discoveries under the one-incident-per-unit rule) and a small decaying
//! urn written here from the source's description, run on the same settings
//! with its own random numbers. Every comparison states its Monte-Carlo
//! tolerance.

use ixsim::scenario::Scenario;
use ixsim::sim::{AnyWorld, ParamValues, Simulation};
use std::path::Path;

use crate::support::SplitMix as Mix;
use ixsim::experiment::stats::Moments;

/// A scenario file from `tests/sources/`.
fn source(file: &str) -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/sources")
        .join(file);
    Scenario::load(&path).unwrap_or_else(|e| panic!("{file}: {e}"))
}

fn with(s: &Scenario, sets: &[&str]) -> ParamValues {
    let mut p = s.params.clone();
    for a in sets {
        p.set_text(a).unwrap_or_else(|e| panic!("{a}: {e}"));
    }
    p
}

/// The world's estimated share of district 1 after `days`, and the mean of
/// that share over days `from..=days` (recorded at the end of each day).
fn world_share(s: &Scenario, p: &ParamValues, days: u32, from: u32, seed: u64) -> (f64, f64) {
    let mut sim = Simulation::new(s.world, p.clone(), seed);
    let mut sum = 0.0;
    let mut last = 0.0;
    for day in 1..=days {
        sim.run(1);
        let AnyWorld::Policing(w) = sim.world() else {
            panic!("not the policing world")
        };
        last = w.estimated_shares()[0];
        if day >= from {
            sum += last;
        }
    }
    (last, sum / f64::from(days + 1 - from))
}

/// Mean and sample standard deviation.
fn mean_sd(xs: &[f64]) -> (f64, f64) {
    let m = Moments::of(xs.iter().copied());
    (m.mean(), m.variance().sqrt())
}

/// A Poisson draw by multiplying uniforms (fine for the small rates here).
fn poisson(rng: &mut Mix, mean: f64) -> f64 {
    let limit = (-mean).exp();
    let (mut k, mut p) = (0.0, rng.unit());
    while p > limit {
        k += 1.0;
        p *= rng.unit();
    }
    k
}

/// The decaying urn as Ensign et al.'s code describes it, for two colours:
/// each day one ball is drawn (district 1 with probability `a / (a + b)`),
/// the drawn district gets a Poisson number of discovered balls with mean
/// `discovered`, each district a Poisson number of reported balls with mean
/// `reported`; with `correction` (their linear surprise) the discovered
/// balls are kept with probability (other colour's share) / (largest other
/// colour's share); then every ball decays by `decay`, never below one.
/// The decay here is the expected one, `(1 − decay)·count`; their code draws
/// it binomially, with the same mean. Returns the share of district 1 after
/// `days` and its mean over days `from..=days`.
struct Urn {
    prior: [f64; 2],
    discovered: [f64; 2],
    reported: [f64; 2],
    decay: f64,
    correction: bool,
}

impl Urn {
    fn run(&self, days: u32, from: u32, rng: &mut Mix) -> (f64, f64) {
        let mut c = self.prior;
        let mut sum = 0.0;
        for day in 1..=days {
            let total = c[0] + c[1];
            let pick = usize::from(rng.unit() * total >= c[0]);
            let mut add = [
                poisson(rng, self.reported[0]),
                poisson(rng, self.reported[1]),
            ];
            let mut found = poisson(rng, self.discovered[pick]);
            if self.correction {
                let other = [c[1] / total, c[0] / total];
                let keep = other[pick] / other[0].max(other[1]);
                if rng.unit() >= keep {
                    found = 0.0;
                }
            }
            add[pick] += found;
            for i in 0..2 {
                c[i] = ((c[i] + add[i]) * (1.0 - self.decay)).max(1.0);
            }
            if day >= from {
                sum += c[0] / (c[0] + c[1]);
            }
        }
        (c[0] / (c[0] + c[1]), sum / f64::from(days + 1 - from))
    }
}

/// The Oakland rates of Ensign et al.'s code.
const OAKLAND: [f64; 2] = [3.68511, 2.816466];

/// Runs the world and the reference urn on `runs` seeds each and returns
/// the two (mean, sd) of the final share of district 1.
fn oakland(sets: &[&str], correction: bool, runs: u64) -> ((f64, f64), (f64, f64)) {
    let s = source("policing-ensign-oakland.ron");
    let p = with(&s, sets);
    let days = s.days;
    let world: Vec<f64> = (1..=runs)
        .map(|seed| world_share(&s, &p, days, days, seed).0)
        .collect();
    let urn = Urn {
        prior: [609.0, 379.0],
        discovered: OAKLAND,
        reported: [0.0, 0.0],
        decay: 0.01,
        correction,
    };
    let mut rng = Mix(2018);
    let reference: Vec<f64> = (0..runs).map(|_| urn.run(days, days, &mut rng).0).collect();
    (mean_sd(&world), mean_sd(&reference))
}

/// Two means agree within four standard errors of their difference plus
/// `slack` (the tolerance each test states).
fn agree(a: (f64, f64), b: (f64, f64), n: f64, slack: f64) -> bool {
    let se = ((a.1 * a.1 + b.1 * b.1) / n).sqrt();
    (a.0 - b.0).abs() < 4.0 * se + slack
}

/// Ensign et al.'s Oakland example with every ball decaying: the urn runs
/// away from the true share (0.567) toward district 1. Over 40 runs each,
/// the world's mean final share agrees with the reference urn's within four
/// standard errors plus 0.02 (observed: both about 0.93), and both are above
/// 0.85.
#[test]
fn oakland_urn_runs_away_as_the_reference_urn_does() {
    let (world, reference) = oakland(&[], false, 40);
    assert!(
        agree(world, reference, 40.0, 0.02),
        "world {world:?}, reference {reference:?}"
    );
    assert!(
        world.0 > 0.85 && reference.0 > 0.85,
        "{world:?} {reference:?}"
    );
}

/// With their correction the Oakland urn finds the true share,
/// 3.68511 / (3.68511 + 2.816466) ≈ 0.567: over 40 runs each the world and
/// the reference urn agree within four standard errors plus 0.01, and the
/// world's mean is within 0.03 of the true share (observed about 0.57).
#[test]
fn oakland_correction_finds_the_true_share_as_the_reference_urn_does() {
    let (world, reference) = oakland(&["policy.correction=true"], true, 40);
    let truth = OAKLAND[0] / (OAKLAND[0] + OAKLAND[1]);
    assert!(
        agree(world, reference, 40.0, 0.01),
        "world {world:?}, reference {reference:?}"
    );
    assert!((world.0 - truth).abs() < 0.03, "{world:?} vs {truth}");
}

/// The forgetting rule decides the Oakland result: when only the learned
/// counts decay, the 609 and 379 prior incidents stay for ever and pin the
/// estimate near the prior's share (0.616), far from the runaway the
/// source's rule shows. Over 20 runs: mean final share below 0.75 with
/// `learned_only` (observed about 0.64), above 0.85 with `whole_count`.
#[test]
fn oakland_prior_pins_the_estimate_only_if_it_never_decays() {
    let s = source("policing-ensign-oakland.ron");
    let finals = |sets: &[&str]| -> f64 {
        let p = with(&s, sets);
        let v: Vec<f64> = (1..=20)
            .map(|seed| world_share(&s, &p, s.days, s.days, seed).0)
            .collect();
        mean_sd(&v).0
    };
    let learned_only = finals(&["model.forgetting=learned_only"]);
    let whole = finals(&[]);
    assert!(learned_only < 0.75, "learned_only {learned_only}");
    assert!(whole > 0.85, "whole_count {whole}");
}

/// Ensign et al.'s mixed urn: reported incidents arrive whether or not a
/// patrol is there. With the expected daily updates `d` (discovered, when
/// patrolled) and `r` (reported), the share `x` of district 1 settles where
/// `x = (x·d₁ + r₁) / (x·d₁ + (1 − x)·d₂ + r₁ + r₂)`, the root in [0, 1] of
/// `(d₁ − d₂)x² + (d₂ − d₁ + r₁ + r₂)x − r₁ = 0`, solved here by the quadratic
/// formula. Over 16 runs, the share averaged over days 501–1000 is within
/// 0.015 of the root in the world (observed within 0.005), and the
/// reference urn, which draws reports as a separate stream as the source's
/// code does, agrees with the world within four standard errors plus 0.005.
#[test]
fn mixed_urn_settles_at_its_fixed_point() {
    let s = source("policing-ensign-mixed.ron");
    let (d, r) = (OAKLAND, OAKLAND);
    let a = d[0] - d[1];
    let b = d[1] - d[0] + r[0] + r[1];
    let c = -r[0];
    let root = (-b + (b * b - 4.0 * a * c).sqrt()) / (2.0 * a);
    assert!((0.0..=1.0).contains(&root), "{root}");
    // The fixed point is neither the true share nor total runaway.
    let truth = OAKLAND[0] / (OAKLAND[0] + OAKLAND[1]);
    assert!(root > truth + 0.02 && root < 0.9, "{root} vs {truth}");

    let runs = 16;
    let world: Vec<f64> = (1..=runs)
        .map(|seed| world_share(&s, &s.params, s.days, 501, seed).1)
        .collect();
    let urn = Urn {
        prior: [609.0, 379.0],
        discovered: d,
        reported: r,
        decay: 0.01,
        correction: false,
    };
    let mut rng = Mix(7);
    let reference: Vec<f64> = (0..runs)
        .map(|_| urn.run(s.days, 501, &mut rng).1)
        .collect();
    let (world, reference) = (mean_sd(&world), mean_sd(&reference));
    assert!(
        (world.0 - root).abs() < 0.015,
        "world {world:?}, root {root}"
    );
    assert!(
        agree(world, reference, runs as f64, 0.005),
        "world {world:?}, reference {reference:?}"
    );
}

/// Expected discoveries in one location with `units` units, Poisson(`rate`)
/// incidents and miss probability `miss`, when each unit discovers at most
/// one incident: the incidents meet the free units one after another, each
/// found with probability `1 − miss^free`. Exact up to a Poisson tail below
/// 1e-12.
fn one_per_unit_discoveries(rate: f64, units: usize, miss: f64) -> f64 {
    let mut expected = 0.0;
    let mut pmf = (-rate).exp();
    let mut n = 0usize;
    while n < 60 {
        // Distribution of free units after each of the n incidents.
        let mut free = vec![0.0; units + 1];
        free[units] = 1.0;
        let mut found = 0.0;
        for _ in 0..n {
            let mut next = vec![0.0; units + 1];
            for (f, &p) in free.iter().enumerate() {
                let q = 1.0 - miss.powi(f as i32);
                found += p * q;
                next[f] += p * (1.0 - q);
                if f > 0 {
                    next[f - 1] += p * q;
                }
            }
            free = next;
        }
        expected += pmf * found;
        n += 1;
        pmf *= rate / n as f64;
    }
    expected
}

fn binomial(n: usize, k: usize, p: f64) -> f64 {
    let mut c = 1.0;
    for i in 0..k {
        c = c * (n - i) as f64 / (i + 1) as f64;
    }
    c * p.powi(k as i32) * (1.0 - p).powi((n - k) as i32)
}

/// ml-fairness-gym's attention allocation with the uniform random agent:
/// each of 4 units goes to one of the two locations with probability 1/2,
/// each unit discovers at most one incident (`attention_replacement =
/// false`), miss probability 0.2, rates 4 and 3. The expected discoveries a
/// day are summed over the binomial split of the units. Over 3 seeds of
/// 4000 days the world's daily mean is within 0.05 of it (about four
/// standard errors; observed within 0.02). With units reused (`any_number`)
/// the closed form is `Σ λ·E[1 − 0.2^n]`, and the world matches it likewise.
#[test]
fn gym_uniform_agent_discovers_as_the_closed_form_says() {
    let s = source("policing-gym-attention.ron");
    let (rates, units, miss) = ([4.0, 3.0], 4usize, 0.2);
    let mut one_per_unit = 0.0;
    let mut reused = 0.0;
    for k in 0..=units {
        let w = binomial(units, k, 0.5);
        one_per_unit += w
            * (one_per_unit_discoveries(rates[0], k, miss)
                + one_per_unit_discoveries(rates[1], units - k, miss));
        let seen = |n: usize| {
            if n == 0 {
                0.0
            } else {
                1.0 - miss.powi(n as i32)
            }
        };
        reused += w * (rates[0] * seen(k) + rates[1] * seen(units - k));
    }
    assert!(one_per_unit < reused, "{one_per_unit} vs {reused}");
    let column = s
        .world
        .metrics()
        .iter()
        .position(|m| m.id == "flow.incidents_discovered")
        .unwrap();
    let daily_mean = |p: &ParamValues| -> f64 {
        let mut total = 0.0;
        for seed in 1..=3 {
            let mut sim = Simulation::new(s.world, p.clone(), seed);
            sim.run(s.days);
            total += sim.history().column(column).sum::<f64>();
        }
        total / f64::from(3 * s.days)
    };
    let world = daily_mean(&s.params);
    assert!(
        (world - one_per_unit).abs() < 0.05,
        "{world} vs {one_per_unit}"
    );
    let world_reused = daily_mean(&with(&s, &["world.capture=any_number"]));
    assert!(
        (world_reused - reused).abs() < 0.05,
        "{world_reused} vs {reused}"
    );
}

/// `ixsim run --detail-out` writes every district's measures: one row per
/// replication, day and district, whose district-1 values match the daily
/// CSV's district-1 columns (same runs), whose shares sum to 1 over the
/// districts of a day, and whose incidents add up (occurred = discovered +
/// reported + missed). A world without districts is refused with exit 2.
#[test]
fn detail_out_writes_every_district_of_the_same_runs() {
    let dir = std::env::temp_dir().join(format!("ixsim-detail-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (daily, detail) = (dir.join("daily.csv"), dir.join("detail.csv"));
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_ixsim"))
        .args([
            "run",
            "predictive-policing",
            "--days",
            "30",
            "--replications",
            "2",
        ])
        .args(["--set", "world.report_share=0.3", "--out"])
        .arg(&daily)
        .arg("--detail-out")
        .arg(&detail)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let read = |p: &Path| -> (Vec<String>, Vec<Vec<f64>>) {
        let text = std::fs::read_to_string(p).unwrap();
        let mut lines = text.lines();
        let header = lines.next().unwrap().split(',').map(String::from).collect();
        let rows = lines
            .map(|l| l.split(',').map(|x| x.parse().unwrap()).collect())
            .collect();
        (header, rows)
    };
    let (dh, drows) = read(&daily);
    let (header, rows) = read(&detail);
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(
        header,
        [
            "replication",
            "day",
            "district",
            "est_share",
            "true_share",
            "patrol_share",
            "patrols",
            "occurred",
            "discovered",
            "reported",
            "missed"
        ]
    );
    assert_eq!(rows.len(), 2 * 30 * 4);
    let col = |name: &str| dh.iter().position(|h| h == name).unwrap();
    let (est1, pat1) = (col("model.est_share_1"), col("model.patrol_share_1"));
    for (k, day) in drows.iter().enumerate() {
        let districts = &rows[4 * k..4 * k + 4];
        for (i, d) in districts.iter().enumerate() {
            assert_eq!((d[0], d[1], d[2]), (day[0], day[1], (i + 1) as f64));
            assert_eq!(d[7], d[8] + d[9] + d[10], "{d:?}");
        }
        assert!((districts[0][3] - day[est1]).abs() < 1e-12, "{day:?}");
        assert!((districts[0][5] - day[pat1]).abs() < 1e-12, "{day:?}");
        for c in [3, 4, 5] {
            let sum: f64 = districts.iter().map(|d| d[c]).sum();
            assert!((sum - 1.0).abs() < 1e-9, "column {c}: {sum}");
        }
    }
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_ixsim"))
        .args(["run", "phishing-warnings", "--days", "2", "--detail-out"])
        .arg(std::env::temp_dir().join("ixsim-detail-refused.csv"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--detail-out"));
}

/// D'Amour et al.'s five locations (rates 8, 6, 4, 3, 1.5: no straight
/// line, so only a per-district list states them), six units a day sent
/// uniformly, no misses, one incident per unit. Each location's units are
/// Binomial(6, 1/5), so its expected daily discoveries are
/// `Σ_k Binom(6, k, 1/5)·E[min(N, k)]` with `N ~ Poisson(rate)`. Over 3
/// seeds of 1000 days every location's daily mean is within 0.06 of it
/// (about four standard errors), and the true shares are the list's.
#[test]
fn fat2020_five_locations_replay_per_district_rates() {
    let s = source("policing-gym-fat2020.ron");
    let rates = [8.0, 6.0, 4.0, 3.0, 1.5];
    assert_eq!(s.params.items("world.rates"), rates);
    assert_eq!(s.params.items("model.prior_counts"), [500.0; 5]);
    let expected: Vec<f64> = rates
        .iter()
        .map(|&r| {
            (0..=6)
                .map(|k| binomial(6, k, 0.2) * one_per_unit_discoveries(r, k, 0.0))
                .sum()
        })
        .collect();
    let mut found = [0.0; 5];
    for seed in 1..=3 {
        let mut sim = Simulation::new(s.world, s.params.clone(), seed);
        sim.run(s.days);
        let AnyWorld::Policing(w) = sim.world() else {
            panic!("not the policing world")
        };
        let total: f64 = rates.iter().sum();
        for (i, share) in w.true_shares().iter().enumerate() {
            assert!((share - rates[i] / total).abs() < 1e-12, "{share}");
        }
        for (f, d) in found.iter_mut().zip(w.discovered_total()) {
            *f += d / f64::from(3 * s.days);
        }
    }
    for i in 0..5 {
        assert!(
            (found[i] - expected[i]).abs() < 0.06,
            "location {}: {} vs {}",
            i + 1,
            found[i],
            expected[i]
        );
    }
}

/// Bad per-district lists are refused with the file, line, column and
/// field: a wrong length for the districts, a negative rate, too many items.
#[test]
fn bad_per_district_lists_name_file_line_column_and_field() {
    let good = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sources/policing-gym-fat2020.ron"),
    )
    .unwrap();
    let cases = [
        (
            "[8, 6, 4, 3, 1.5]",
            "[8, 6, 4]",
            "has 3 items but `world.districts` = 5",
        ),
        (
            "[8, 6, 4, 3, 1.5]",
            "[8, -6, 4, 3, 1.5]",
            "item 2 = -6 is out of range",
        ),
        (
            "[8, 6, 4, 3, 1.5]",
            "[1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]",
            "at most 16",
        ),
    ];
    for (from, to, says) in cases {
        let text = good.replace(from, to);
        let e = Scenario::parse(&text, "lists.ron").unwrap_err().to_string();
        assert!(e.contains("lists.ron:24:"), "{e}");
        assert!(e.contains("world.rates") && e.contains(says), "{e}");
    }
    let mut p = source("policing-gym-fat2020.ron").params;
    p.set_text("world.rates=1,2,3,4,5").unwrap();
    assert_eq!(p.items("world.rates"), [1.0, 2.0, 3.0, 4.0, 5.0]);
    p.set_text("world.rates=").unwrap();
    assert_eq!(
        p.items("world.rates")[0],
        4.0,
        "no list: the line from world.rate_first"
    );
}
