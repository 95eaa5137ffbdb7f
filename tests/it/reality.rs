//! Reality checks: every scenario's headline figures, declared in its file
//! with the range field data give, fall in that range at the scenario's
//! defaults on several seeds (populations reduced to keep the suite quick;
//! every figure is a rate or share, so its size does not depend on the
//! population).

use ixsim::scenario::library;
use ixsim::sim::WorldKind;

/// Seeds every figure is checked on.
const SEEDS: [u64; 3] = [1, 2, 3];

#[test]
fn every_headline_figure_falls_in_its_field_range() {
    let mut failures = Vec::new();
    for s in library::all().unwrap() {
        if s.reality.is_empty() {
            continue;
        }
        let mut params = s.params.clone();
        if s.world == WorldKind::Users && params.get("world.users") > 3000.0 {
            params.set("world.users", 3000.0).unwrap();
        }
        for seed in SEEDS {
            let values = s.reality.compute(s.world, &params, s.days, seed);
            for (f, v) in s.reality.figures.iter().zip(values) {
                if !f.holds(v) {
                    failures.push(format!("{} (seed {seed}): {}", s.id, f.line(v)));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_scenario_declares_its_headline_figures() {
    let missing: Vec<String> = library::all()
        .unwrap()
        .into_iter()
        .filter(|s| s.reality.is_empty())
        .map(|s| s.id)
        .collect();
    assert!(missing.is_empty(), "no reality block: {missing:?}");
}

#[test]
fn figures_survive_a_save_and_reload() {
    for s in library::all().unwrap() {
        let again = ixsim::scenario::Scenario::parse(&s.to_ron(), "saved.ron")
            .unwrap_or_else(|e| panic!("{}: {e}", s.id));
        assert_eq!(again.reality, s.reality, "{}", s.id);
    }
}
