//! Every file in `scenarios/` is a test case: it loads, runs a year, stays
//! finite and within each metric's declared range, conserves its population,
//! and is deterministic whatever the thread count.

use std::path::PathBuf;

use ixsim::runner;
use ixsim::scenario::{Scenario, library};
use ixsim::sim::{Simulation, WorldKind};

fn scenario_files() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .collect();
    files.sort();
    assert!(files.len() >= 3, "scenarios/ should hold the library");
    files
}

/// Loads a file, shrinking very large populations so the suite stays quick.
fn load(path: &PathBuf) -> Scenario {
    let text = std::fs::read_to_string(path).unwrap();
    let mut s =
        Scenario::parse(&text, &path.display().to_string()).unwrap_or_else(|e| panic!("{e}"));
    if s.world == WorldKind::Users && s.params.get("world.users") > 3000.0 {
        s.params.set("world.users", 3000.0).unwrap();
    }
    s
}

#[test]
fn every_file_is_embedded_under_its_id() {
    let files = scenario_files();
    let embedded: Vec<&str> = library::ids().collect();
    assert_eq!(files.len(), embedded.len());
    for f in &files {
        let s = load(f);
        let stem = f.file_stem().unwrap().to_str().unwrap();
        assert_eq!(s.id, stem, "file name and id must agree");
        assert!(embedded.contains(&stem), "{stem} is not embedded");
    }
    assert_eq!(embedded[0], library::DEFAULT_ID);
    assert!(library::all().is_ok());
}

#[test]
fn every_scenario_runs_a_year_within_declared_ranges() {
    for f in scenario_files() {
        let s = load(&f);
        let mut sim = Simulation::new(s.world, s.params.clone(), s.seed);
        sim.run(365);
        let h = sim.history();
        assert_eq!(h.days(), 365);
        for day in 1..=h.days() {
            for (m, v) in s.world.metrics().iter().zip(h.row(day)) {
                assert!(v.is_finite(), "{}: {} is {v} on day {day}", s.id, m.id);
                assert!(
                    (m.min..=m.max).contains(v),
                    "{}: {} = {v} on day {day} is outside [{}, {}]",
                    s.id,
                    m.id,
                    m.min,
                    m.max
                );
            }
        }
        for layer in ixsim::sim::Layer::MEASURES {
            assert!(
                s.world.metrics().iter().any(|m| m.layer == layer),
                "{} reports no {layer:?} measure",
                s.id
            );
        }
        if s.world == WorldKind::Users {
            let col = |id: &str| sim.metric_index(id).unwrap();
            let (active, signups, departures) = (
                col("leading.active_users"),
                col("leading.signups"),
                col("leading.departures"),
            );
            let mut before = s.params.get("world.users");
            for day in 1..=h.days() {
                let row = h.row(day);
                assert_eq!(
                    row[active] - before,
                    row[signups] - row[departures],
                    "{}: arrivals − departures ≠ change in active users on day {day}",
                    s.id
                );
                before = row[active];
            }
        }
    }
}

#[test]
fn every_scenario_is_deterministic_whatever_the_thread_count() {
    for f in scenario_files() {
        let s = load(&f);
        let one = runner::replicate(s.world, &s.params, 60, s.seed, 3, 1).unwrap();
        let two = runner::replicate(s.world, &s.params, 60, s.seed, 3, 2).unwrap();
        assert_eq!(one, two, "{}", s.id);
        assert_ne!(one[0], one[1], "{}: replications must differ", s.id);
        let again = runner::replicate(s.world, &s.params, 60, s.seed, 1, 1).unwrap();
        assert_eq!(again[0], one[0], "{}", s.id);
    }
}

#[test]
fn every_guided_step_applies_valid_changes() {
    for f in scenario_files() {
        let s = load(&f);
        let mut sim = Simulation::new(s.world, s.params.clone(), s.seed);
        for (n, step) in s.steps.iter().enumerate() {
            for (i, v) in &step.set {
                let id = s.params.specs()[*i].id;
                sim.set_param(id, *v)
                    .unwrap_or_else(|e| panic!("{} step {}: {e}", s.id, n + 1));
                assert_eq!(sim.params().get(id), *v);
            }
            sim.run(step.days.min(30));
        }
    }
}

#[test]
fn describe_marks_every_parameter_sourced_or_assumption() {
    for kind in WorldKind::ALL {
        for p in kind.params() {
            assert!(
                !p.source.text().trim().is_empty(),
                "{}: {} has no provenance text",
                kind.id(),
                p.id
            );
        }
    }
    for s in library::all().unwrap() {
        let text = ixsim::cli::describe(&s);
        for p in s.params.specs() {
            let at = text
                .find(&format!("  {} ", p.id))
                .unwrap_or_else(|| panic!("{}: describe omits {}", s.id, p.id));
            // The parameter's own lines: its heading and the indented ones below.
            let block: Vec<&str> = text[at..]
                .lines()
                .enumerate()
                .take_while(|(n, l)| *n == 0 || l.starts_with("      "))
                .map(|(_, l)| l)
                .collect();
            let block = block.join("\n");
            assert!(
                block.contains(&format!("\n      {}: ", p.source.kind())),
                "{}: {} is not marked {} in\n{block}",
                s.id,
                p.id,
                p.source.kind()
            );
        }
    }
}

#[test]
fn the_flagged_judgment_calls_are_assumptions() {
    // Their cited sources measured something else: Ancker et al. 2017 a
    // drop per reminder within one encounter, Dietvorst et al. 2015
    // algorithm aversion, not the size of trust updates.
    let specs = WorldKind::Users.params();
    for id in [
        "people.fatigue_sensitivity",
        "people.trust_loss",
        "people.trust_gain",
        "experience.forcefulness",
    ] {
        let p = specs.iter().find(|p| p.id == id).unwrap();
        assert!(p.source.is_assumption(), "{id} should be an assumption");
    }
}

#[test]
fn an_auc_above_its_ceiling_is_refused_naming_both() {
    let text = std::fs::read_to_string(scenario_files()[0].clone()).unwrap();
    let s = Scenario::parse(&text, "x.ron").unwrap();
    let mut p = s.params.clone();
    p.set("model.spec", 0.0).unwrap();
    p.set("model.auc_ceiling", 0.9).unwrap();
    p.set("model.auc", 0.93).unwrap();
    let e = WorldKind::Users.check_limits(&p).unwrap_err().to_string();
    assert!(
        e.contains("model.auc") && e.contains("model.auc_ceiling"),
        "{e}"
    );
    p.set("model.auc", 0.9).unwrap();
    assert!(WorldKind::Users.check_limits(&p).is_ok());
    let bad = text.replacen(
        "params: {",
        "params: {\n        \"model.auc_ceiling\": 0.6,",
        1,
    );
    let e = Scenario::parse(&bad, "x.ron").unwrap_err();
    assert!(e.message.contains("model.auc_ceiling"), "{e}");
}
