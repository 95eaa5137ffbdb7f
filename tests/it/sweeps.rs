//! Sweeps a scenario names for its lesson (the `sweep` block: parsed,
//! placed errors, kept on save, run by `ixsim sweep` without `--param`),
//! and sweeps that fill cell by cell: the first replication of every cell
//! first, partial rows the Sweep tab draws while the run goes on, and the
//! same final rows as one simulation per (point, replication) run alone.

use std::collections::BTreeSet;
use std::process::Command;
use std::sync::atomic::AtomicUsize;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use ixsim::lab::{JobState, SweepSetup, SweepView};
use ixsim::runner;
use ixsim::scenario::{PlanValues, Scenario, library};
use ixsim::sim::{ParamKind, Simulation, rng};
use ixsim::sweep::{SweepRow, SweepSink, SweepSpec};

use crate::support;

/// Work one grid pass (one replication of every cell) may take, in
/// seconds on two threads at [`runner::WORK_PER_CORE_SECOND`]: a class
/// sees the whole heatmap within this (assumption: about as long as a
/// teacher can talk over a loading screen).
const FIRST_PASS_SECONDS: f64 = 20.0;

#[test]
fn every_scenario_sweeps_its_lessons_levers_and_reads_its_measures() {
    for s in library::all().unwrap() {
        let plan = s
            .sweep
            .as_ref()
            .unwrap_or_else(|| panic!("{} names no sweep", s.id));
        let specs = s.params.specs();
        let metrics = s.world.metrics();
        assert!((1..=2).contains(&plan.axes.len()), "{}", s.id);
        assert!((1..=2).contains(&plan.measures.len()), "{}", s.id);
        // A lever is a control of the lesson or a parameter a step sets.
        let levers: BTreeSet<usize> = s
            .controls
            .iter()
            .copied()
            .chain(s.steps.iter().flat_map(|st| st.set.iter().map(|(i, _)| *i)))
            .collect();
        for a in &plan.axes {
            assert!(
                levers.contains(&a.param),
                "{}: `{}` is not one of the lesson's levers",
                s.id,
                specs[a.param].id
            );
            if let PlanValues::Range { .. } = a.values {
                assert!(matches!(
                    specs[a.param].kind,
                    ParamKind::Real | ParamKind::Int
                ));
            }
        }
        // A measure the lesson plots or a step reveals.
        let shown: BTreeSet<usize> = s
            .plots
            .iter()
            .copied()
            .chain(s.steps.iter().flat_map(|st| st.reveal.iter().copied()))
            .collect();
        for m in &plan.measures {
            assert!(
                shown.contains(m),
                "{}: `{}` is neither plotted nor revealed",
                s.id,
                metrics[*m].id
            );
        }
        // The Sweep tab starts from it, and its grid runs.
        let setup = SweepSetup::for_scenario(&s);
        assert_eq!(setup.measure, plan.measures[0], "{}", s.id);
        assert_eq!(setup.second, plan.measures.get(1).copied(), "{}", s.id);
        let spec = setup
            .to_spec(s.world, &s.params)
            .unwrap_or_else(|e| panic!("{}: {e}", s.id));
        let axes: Vec<usize> = spec.axes.iter().map(|a| a.param).collect();
        let planned: Vec<usize> = plan.axes.iter().map(|a| a.param).collect();
        assert_eq!(axes, planned, "{}", s.id);
        let first_pass =
            runner::work_seconds(spec.work_estimate(), 2) / f64::from(spec.replications);
        assert!(
            first_pass <= FIRST_PASS_SECONDS,
            "{}: the first pass takes about {first_pass:.0} s",
            s.id
        );
    }
}

/// A small scenario with a sweep block; `block` replaces it.
fn with_block(block: &str) -> String {
    format!(
        r#"(
    format: 1,
    id: "tiny",
    title: "Tiny",
    summary: "A small scenario.",
    story: (shows: "s", watch: "w", try: ["t"], predict: "p"),
    world: "users",
    run: (days: 10, seed: 1),
    params: {{ "world.users": 100 }},
    sweep: (
{block}
    ),
)"#
    )
}

const GOOD: &str = r#"        axes: [
            (param: "experience.mode", values: ["automate", "prompt"]),
            (param: "model.threshold", from: 0, to: 2, points: 5),
        ],
        measures: ["user.harm_per_user", "org.profit"],"#;

#[test]
fn a_sweep_block_reads_and_is_kept_when_saved() {
    let s = Scenario::parse(&with_block(GOOD), "tiny.ron").unwrap();
    let plan = s.sweep.clone().unwrap();
    let p = |id: &str| s.params.index_of(id).unwrap();
    assert_eq!(plan.axes[0].param, p("experience.mode"));
    assert_eq!(plan.axes[0].values, PlanValues::List(vec![0.0, 1.0]));
    assert_eq!(
        plan.axes[1].values,
        PlanValues::Range {
            from: 0.0,
            to: 2.0,
            points: 5
        }
    );
    // Saving settings as a scenario writes the block back.
    for s in library::all().unwrap().into_iter().chain([s]) {
        let mut changed = s.params.clone();
        changed.set("experience.forcefulness", 0.25).unwrap();
        let text = s.to_ron_with(&changed);
        let back = Scenario::parse(&text, "back.ron").unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert!(back.sweep.is_some(), "{}", s.id);
        assert_eq!(back.sweep, s.sweep, "{}", s.id);
    }
}

/// A change to [`GOOD`] (from, to), the field the error names, its line
/// and column, and words of its message.
type BadBlock = (
    &'static str,
    &'static str,
    &'static str,
    (usize, usize),
    &'static str,
);

#[test]
fn a_bad_sweep_block_is_refused_at_its_line_and_column() {
    let cases: [BadBlock; 6] = [
        (
            "\"model.threshold\", from",
            "\"model.thresold\", from",
            "sweep.axes[1].param.model.thresold",
            (13, 21),
            "model.threshold",
        ),
        (
            "values: [\"automate\", \"prompt\"]",
            "from: 0, to: 1, points: 2",
            "sweep.axes[0].from",
            (12, 40),
            "named values",
        ),
        (
            "points: 5",
            "points: 500",
            "sweep.axes[1].points",
            (13, 56),
            "1 to 100",
        ),
        ("to: 2,", "to: 9,", "sweep.axes[1].to", (13, 49), "-4"),
        (
            "\"org.profit\"",
            "\"org.proft\"",
            "sweep.measures.org.proft",
            (15, 42),
            "org.profit",
        ),
        (
            "\"model.threshold\", from",
            "\"experience.mode\", from",
            "sweep.axes[1].param.experience.mode",
            (13, 21),
            "twice",
        ),
    ];
    for (from, to, field, (line, column), words) in cases {
        assert!(GOOD.contains(from), "{from}");
        let text = with_block(&GOOD.replace(from, to));
        let e = Scenario::parse(&text, "tiny.ron").unwrap_err();
        assert_eq!(e.field.as_deref(), Some(field), "{e}");
        assert_eq!((e.line, e.column), (line, column), "{e}");
        assert!(e.to_string().contains(words), "{e}");
        assert!(
            e.to_string()
                .starts_with(&format!("tiny.ron:{line}:{column}:")),
            "{e}"
        );
    }
    // A field no sweep block has is refused with its place too.
    let text = with_block(&GOOD.replace("measures:", "measure:"));
    let e = Scenario::parse(&text, "tiny.ron").unwrap_err();
    assert!(e.line >= 11 && e.to_string().contains("measure"), "{e}");
}

fn ixsim(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_ixsim"))
        .args(args)
        .output()
        .expect("the binary runs")
}

#[test]
fn sweep_without_param_runs_the_scenarios_own_axes() {
    let common = ["--days", "15", "--replications", "2", "--seed", "3"];
    let own = ixsim(&[&["sweep", "predictive-policing"], &common[..]].concat());
    assert!(
        own.status.success(),
        "{}",
        String::from_utf8_lossy(&own.stderr)
    );
    let given = ixsim(
        &[
            &[
                "sweep",
                "predictive-policing",
                "--param",
                "policy.correction=false,true",
                "--param",
                "model.decay=0:0.05:6",
            ],
            &common[..],
        ]
        .concat(),
    );
    assert!(given.status.success());
    assert_eq!(own.stdout, given.stdout, "the same grid, byte for byte");
    let text = String::from_utf8_lossy(&own.stdout);
    assert!(
        text.starts_with("point,replication,policy.correction,model.decay,"),
        "{}",
        &text[..80.min(text.len())]
    );
    assert_eq!(text.lines().count(), 1 + 2 * 6 * 2);
}

/// The rows as one simulation per (point, replication), run one after the
/// other: what a sweep must give whatever its order and threads.
fn one_by_one(spec: &SweepSpec) -> Vec<SweepRow> {
    let mut rows = Vec::new();
    for point in 0..spec.points() {
        for replication in 0..spec.replications {
            let (params, at) = spec.params_at(point);
            let seed = rng::replication_seed(spec.seed, u64::from(replication));
            let mut sim = Simulation::new(spec.kind, params, seed);
            sim.run(spec.days);
            let h = sim.history();
            let mut mean = vec![0.0; h.columns()];
            for d in 1..=h.days() {
                for (m, v) in mean.iter_mut().zip(h.row(d)) {
                    *m += v;
                }
            }
            mean.iter_mut().for_each(|m| *m /= h.days().max(1) as f64);
            rows.push(SweepRow {
                point,
                replication,
                at,
                last: h.last().unwrap().to_vec(),
                mean,
            });
        }
    }
    rows
}

fn policing_spec(days: u32, replications: u32) -> SweepSpec {
    let s = library::get("predictive-policing").unwrap().unwrap();
    let mut setup = SweepSetup::for_scenario(&s);
    setup.days = days;
    setup.replications = replications;
    setup.to_spec(s.world, &s.params).unwrap()
}

#[test]
fn pass_order_and_a_sink_leave_the_rows_unchanged() {
    let spec = policing_spec(40, 3);
    let reference = one_by_one(&spec);
    for threads in [1, 2] {
        let sink = SweepSink::new(&spec);
        let done = AtomicUsize::new(0);
        let rows = spec
            .run_into(threads, Some(&done), None, Some(&sink))
            .unwrap();
        assert_eq!(rows, reference, "{threads} threads");
        assert_eq!(spec.run(threads, None, None).unwrap(), reference);
        let (seen, cells) = sink.snapshot();
        assert_eq!(seen, reference);
        assert_eq!(cells, spec.points());
        assert_eq!(sink.rows_done(), spec.jobs());
    }
    // Different cells really differ (the comparison can fail).
    assert_ne!(reference[0].mean, reference[reference.len() - 1].mean);
    // Jobs are taken pass by pass: every cell's first replication first.
    let firsts: Vec<(usize, u32)> = (0..spec.points()).map(|j| spec.job_at(j)).collect();
    assert!(firsts.iter().all(|&(_, r)| r == 0));
    assert_eq!(spec.job_at(spec.points()), (0, 1));
}

#[test]
fn the_sweep_tab_fills_cells_before_the_run_ends() {
    let mut s = library::get("phishing-warnings").unwrap().unwrap();
    s.params.set("world.users", 500.0).unwrap();
    s.days = 60;
    let mut view = SweepView::new(&s);
    let mut setup = view.setup().clone();
    setup.replications = 4;
    setup.axes.truncate(2);
    setup.axes[0].points = 3;
    setup.axes[1].points = 3;
    view.set_setup(setup);
    view.set_threads(1);
    let points = 9;
    let jobs = points * 4;
    view.start().unwrap();
    let mut harness = Harness::builder()
        .with_size([1400.0, 1000.0])
        .build_ui_state(|ui, view: &mut SweepView| drop(view.ui(ui)), view);
    // Step frames until some cells show while the run still goes on.
    support::poll_until("provisional cells", || {
        harness.step();
        let v = harness.state();
        v.provisional().is_some_and(|p| !p.rows.is_empty())
    });
    harness.step();
    assert!(
        harness.query_by_label_contains("First pass").is_some(),
        "the status line says how far the cells are"
    );
    // ...and until the first pass is done, still before the end.
    support::poll_until("the first pass", || {
        harness.step();
        let v = harness.state();
        v.provisional().is_some_and(|p| p.rows.len() > points) || !v.is_running()
    });
    {
        let v = harness.state();
        let p = v.provisional().expect("the run outlasts its first pass");
        assert!(p.rows.len() < jobs, "the run is not over");
        assert!(matches!(v.state(), JobState::Running(_)));
        // One thread takes jobs in pass order: every cell's first
        // replication before any second one.
        assert_eq!(
            p.rows.iter().filter(|r| r.replication == 0).count(),
            points,
            "{:?}",
            p.rows
                .iter()
                .map(|r| (r.point, r.replication))
                .collect::<Vec<_>>()
        );
    }
    // The end: the complete result replaces the provisional one, and is
    // what the sweep gives without anyone watching.
    support::poll_until("the sweep", || {
        harness.step();
        !harness.state().is_running()
    });
    let v = harness.state();
    assert_eq!(v.state(), JobState::Done);
    assert!(v.provisional().is_none());
    let r = v.result().unwrap();
    assert_eq!(r.rows.len(), jobs);
    assert_eq!(r.rows, r.spec.run(2, None, None).unwrap());
}
