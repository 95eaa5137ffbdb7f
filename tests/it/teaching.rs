//! Teaching points as tests: every users-world scenario's lesson, stated as
//! a claim, checked under the scenario's defaults on several seeds.

use ixsim::scenario::{Scenario, library};
use ixsim::sim::{History, ParamValues, Simulation};

/// A scenario from the embedded library.
fn load(id: &str) -> Scenario {
    library::get(id)
        .unwrap_or_else(|| panic!("no scenario `{id}`"))
        .unwrap_or_else(|e| panic!("scenario `{id}` does not load: {e}"))
}

/// The scenario's parameters with `id=value` overrides.
fn with(s: &Scenario, sets: &[&str]) -> ParamValues {
    let mut p = s.params.clone();
    for a in sets {
        p.set_text(a).unwrap_or_else(|e| panic!("{a}: {e}"));
    }
    p
}

fn metric(s: &Scenario, id: &str) -> usize {
    s.world
        .metrics()
        .iter()
        .position(|m| m.id == id)
        .unwrap_or_else(|| panic!("unknown metric {id}"))
}

/// Mean of a metric over days `from..=to` (1-based) of one run.
fn window(h: &History, m: usize, from: usize, to: usize) -> f64 {
    let to = to.min(h.days());
    let vals: Vec<f64> = h.column(m).skip(from - 1).take(to + 1 - from).collect();
    vals.iter().sum::<f64>() / vals.len() as f64
}

/// One run per seed, each `days` long.
fn runs(s: &Scenario, p: &ParamValues, days: u32, seeds: &[u64]) -> Vec<History> {
    seeds
        .iter()
        .map(|&seed| {
            let mut sim = Simulation::new(s.world, p.clone(), seed);
            sim.run(days);
            sim.history().clone()
        })
        .collect()
}

/// Per-seed mean of each metric over days `from..=to`.
fn means(hs: &[History], s: &Scenario, ids: &[&str], from: usize, to: usize) -> Vec<Vec<f64>> {
    hs.iter()
        .map(|h| ids.iter().map(|id| window(h, metric(s, id), from, to)).collect())
        .collect()
}

/// What a lesson step showed: 7-day means before and after, per revealed metric.
#[derive(Debug, Clone)]
struct StepSeen {
    before: Vec<Option<f64>>,
    after: Vec<f64>,
}

fn recent(h: &History, m: usize, days: usize) -> Option<f64> {
    let n = h.days();
    if n == 0 {
        return None;
    }
    let from = n.saturating_sub(days.max(1)) + 1;
    Some(window(h, m, from, n))
}

/// Replays a scenario's guided steps exactly as the app does: one run, each
/// step's changes applied on top of the previous ones, before = mean of the
/// 7 days before the step, after = mean of the step's last (up to) 7 days.
fn replay(s: &Scenario, overrides: &[&str], seed: u64) -> Vec<StepSeen> {
    let mut sim = Simulation::new(s.world, with(s, overrides), seed);
    let specs = sim.params().specs();
    let mut seen = Vec::new();
    for st in &s.steps {
        let before: Vec<_> = st.reveal.iter().map(|&m| recent(sim.history(), m, 7)).collect();
        for &(i, v) in &st.set {
            sim.set_param(specs[i].id, v).unwrap();
        }
        sim.run(st.days);
        let after = st
            .reveal
            .iter()
            .map(|&m| recent(sim.history(), m, (st.days as usize).clamp(1, 7)).unwrap_or(f64::NAN))
            .collect();
        seen.push(StepSeen { before, after });
    }
    seen
}

/// Exploration aid (not a check): prints a lesson's reveals for a file.
/// `IXSIM_LESSON=scenarios/x.ron IXSIM_SET="world.users=2000" cargo test --test it explore_lesson -- --ignored --nocapture`
#[test]
#[ignore]
fn explore_lesson() {
    let Ok(path) = std::env::var("IXSIM_LESSON") else {
        return;
    };
    let text = std::fs::read_to_string(&path).unwrap();
    let s = Scenario::parse(&text, &path).unwrap();
    let sets = std::env::var("IXSIM_SET").unwrap_or_default();
    let sets: Vec<&str> = sets.split_whitespace().collect();
    let metrics = s.world.metrics();
    for seed in [1u64, 2, 3] {
        println!("--- seed {seed}");
        for (st, seen) in s.steps.iter().zip(replay(&s, &sets, seed)) {
            println!("step: {}", st.title);
            for ((&m, b), a) in st.reveal.iter().zip(&seen.before).zip(&seen.after) {
                println!("   {:34} {:>12.4} -> {:>12.4}", metrics[m].id, b.unwrap_or(f64::NAN), a);
            }
        }
    }
}

#[test]
#[ignore]
fn scratch_toaster() {
    let text = std::fs::read_to_string("scenarios/smart-toaster.ron").unwrap();
    let s = Scenario::parse(&text, "x").unwrap();
    for seed in [1u64, 2, 3] {
        let mut sim = Simulation::new(s.world, s.params.clone(), seed);
        sim.run(90);
        sim.set_param("model.auc", 0.99).unwrap();
        sim.run(90);
        let m = metric(&s, "org.incidents");
        let v: Vec<f64> = sim.history().column(m).collect();
        let a: f64 = v[..90].iter().sum::<f64>() / 90.0;
        let b: f64 = v[90..].iter().sum::<f64>() / 90.0;
        println!("seed {seed}: {a:.3} {b:.3} last7 {:?}", &v[173..]);
        let mut sim = Simulation::new(s.world, with(&s, &["model.auc=0.99"]), seed);
        sim.run(180);
        let v: Vec<f64> = sim.history().column(m).collect();
        println!("   fresh: {:.3} {:.3}", v[..90].iter().sum::<f64>() / 90.0, v[90..].iter().sum::<f64>() / 90.0);
    }
}
