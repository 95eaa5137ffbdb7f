//! The lab: A/B comparison on common random numbers, sweeps (coverage,
//! determinism across thread counts, cancel), the views driven through
//! their widgets with egui_kittest, and exports that load back.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Duration;

use eframe::egui;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use ixsim::lab::{
    AxisSetup, CompareCommand, CompareView, Design, Export, ExportError, JobState, LabEvent,
    PairView, Statistic, SweepCommand, SweepSetup, SweepView,
};
use ixsim::scenario::{Scenario, library};
use ixsim::sim::{Layer, ParamValues, WorldKind};

use crate::support;

/// The phishing scenario, shrunk so tests stay quick.
fn small(users: f64, days: u32) -> Scenario {
    let mut s = library::get("phishing-warnings").unwrap().unwrap();
    s.params.set("world.users", users).unwrap();
    s.days = days;
    s
}

fn with(params: &ParamValues, sets: &[(&str, f64)]) -> ParamValues {
    let mut p = params.clone();
    for (id, v) in sets {
        p.set(id, *v).unwrap();
    }
    p
}

/// A fresh empty directory for files a test writes.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ixsim-lab-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Columns of metrics that differ between A and B after the whole run.
fn differing(view: &CompareView) -> Vec<&'static str> {
    let metrics = view.kind().metrics();
    let (a, b) = (
        view.simulation(Design::A).history(),
        view.simulation(Design::B).history(),
    );
    assert_eq!(a.days(), b.days());
    (0..metrics.len())
        .filter(|&m| a.column(m).zip(b.column(m)).any(|(x, y)| x != y))
        .map(|m| metrics[m].id)
        .collect()
}

#[test]
fn identical_designs_give_identical_runs() {
    let mut view = CompareView::new(small(300.0, 40));
    view.step(40);
    assert_eq!(view.day(), 40);
    assert_eq!(
        view.simulation(Design::A).history(),
        view.simulation(Design::B).history()
    );
    assert!(differing(&view).is_empty());
}

#[test]
fn changes_that_cannot_matter_change_nothing_users_see() {
    let s = small(400.0, 40);
    let no_button = with(&s.params, &[("experience.report_button", 0.0)]);
    let cases = [
        (
            no_button.clone(),
            with(&no_button, &[("org.cost_per_report", 75.0)]),
        ),
        (
            s.params.clone(),
            with(&s.params, &[("guardrail.review_cost", 900.0)]),
        ),
    ];
    for (a, b) in cases {
        assert_ne!(a.values(), b.values());
        let mut view = CompareView::with_designs(s.clone(), a, b).unwrap();
        view.step(40);
        let diff = differing(&view);
        let metrics = view.kind().metrics();
        let user_side: Vec<_> = diff
            .iter()
            .filter(|id| {
                metrics
                    .iter()
                    .any(|m| m.id == **id && m.layer != Layer::Organization)
            })
            .collect();
        assert!(
            user_side.is_empty(),
            "user-side metrics differ: {user_side:?}"
        );
        // No report and no review happens, so the organization sees no change either.
        assert!(diff.is_empty(), "{diff:?}");
    }
}

#[test]
fn a_change_that_matters_shows_as_a_difference() {
    let mut view = CompareView::new(small(400.0, 40));
    let index = view
        .params(Design::B)
        .index_of("experience.forcefulness")
        .unwrap();
    view.apply(CompareCommand::SetParam {
        design: Design::B,
        index,
        value: 0.05,
    });
    assert_eq!(view.params(Design::B).get("experience.forcefulness"), 0.05);
    assert_eq!(view.params(Design::A).get("experience.forcefulness"), 0.7);
    view.step(40);
    let diff = differing(&view);
    for id in [
        "user.compliance",
        "user.value_added_per_user",
        "flow.followed",
    ] {
        assert!(diff.contains(&id), "{id} should differ: {diff:?}");
    }
    let m = view
        .simulation(Design::A)
        .metric_index("user.value_added_per_user")
        .unwrap();
    let a = view.value(Design::A, m, Statistic::RunMean);
    let b = view.value(Design::B, m, Statistic::RunMean);
    assert!(a.is_finite() && b.is_finite() && a != b, "{a} vs {b}");
    // Model-side measures do not depend on what people do with predictions
    // on the first day.
    let acc = view
        .simulation(Design::A)
        .metric_index("model.accuracy")
        .unwrap();
    let first = |d| view.simulation(d).history().row(1)[acc];
    assert_eq!(first(Design::A), first(Design::B));
}

/// Polls a compare view's replications until they end.
fn wait_replications(view: &mut CompareView) -> JobState {
    support::poll_until("replications", || {
        view.advance_within(Duration::ZERO);
        !matches!(view.replication_state(), JobState::Running(_))
    });
    view.replication_state()
}

#[test]
fn paired_replications_give_intervals_on_differences() {
    let mut view = CompareView::new(small(200.0, 20));
    view.apply(CompareCommand::SetPlaying(false));
    view.apply(CompareCommand::SetReplications(4));
    view.apply(CompareCommand::RunReplications);
    assert_eq!(wait_replications(&mut view), JobState::Done);
    let m = view
        .simulation(Design::A)
        .metric_index("user.value_added_per_user")
        .unwrap();
    let r = view.replication_results().unwrap();
    assert_eq!((r.replications, r.days), (4, 20));
    // Same design, same seeds: every paired difference is exactly zero.
    let same = r.diff(m, Statistic::RunMean).unwrap();
    assert_eq!(
        (same.diff.mean, same.diff.lo, same.diff.hi),
        (0.0, 0.0, 0.0)
    );
    assert_eq!(same.diff.n, 4);
    assert!(
        !r.is_clear(m, Statistic::RunMean),
        "a zero difference is never coloured as a win or a loss"
    );

    let index = view.params(Design::B).index_of("model.threshold").unwrap();
    view.apply(CompareCommand::SetParam {
        design: Design::B,
        index,
        value: -1.0,
    });
    assert!(
        view.replication_results().is_none(),
        "stale results dropped"
    );
    view.apply(CompareCommand::RunReplications);
    assert_eq!(wait_replications(&mut view), JobState::Done);
    let r = view.replication_results().unwrap();
    for stat in Statistic::ALL {
        let d = r.diff(m, stat).unwrap();
        assert!(d.diff.lo <= d.diff.mean && d.diff.mean <= d.diff.hi);
        assert!(d.diff.lo < d.diff.hi, "{d:?}");
        assert!((d.b - d.a - d.diff.mean).abs() < 1e-9 * d.a.abs().max(1.0));
        assert_eq!(r.is_clear(m, stat), d.diff.lo > 0.0 || d.diff.hi < 0.0);
    }
    // Swapping A and B flips the signs of the differences.
    let before = *r.diff(m, Statistic::RunMean).unwrap();
    view.apply(CompareCommand::Swap);
    let after = *view
        .replication_results()
        .unwrap()
        .diff(m, Statistic::RunMean)
        .unwrap();
    assert_eq!(after.diff.mean, -before.diff.mean);
    assert_eq!((after.a, after.b), (before.b, before.a));
}

/// A small two-parameter sweep of the phishing scenario.
fn small_sweep(users: f64, days: u32, n1: usize, n2: usize, reps: u32) -> SweepView {
    let s = small(users, days);
    let mut view = SweepView::new(&s);
    let specs = s.params.specs();
    let p = |id: &str| s.params.index_of(id).unwrap();
    let mut setup = SweepSetup::default_for(WorldKind::Users, days, 7);
    setup.axes = vec![
        AxisSetup::range(p("model.auc"), 0.6, 0.98, n1),
        AxisSetup::range(p("experience.forcefulness"), 0.0, 1.0, n2),
    ];
    assert_eq!(specs[setup.axes[0].param].id, "model.auc");
    setup.replications = reps;
    view.set_setup(setup);
    view
}

/// Polls a sweep view until its run ends.
fn wait_sweep(view: &mut SweepView) -> JobState {
    support::poll_until("the sweep", || {
        view.poll();
        !matches!(view.state(), JobState::Running(_))
    });
    view.state()
}

#[test]
fn sweep_runs_every_point_and_replication_once() {
    let mut view = small_sweep(150.0, 12, 3, 4, 2);
    view.start().unwrap();
    assert_eq!(wait_sweep(&mut view), JobState::Done);
    let r = view.result().unwrap();
    assert_eq!(r.rows.len(), 3 * 4 * 2);
    let seen: BTreeSet<(usize, u32)> = r.rows.iter().map(|x| (x.point, x.replication)).collect();
    assert_eq!(seen.len(), r.rows.len(), "no (point, replication) twice");
    for point in 0..12 {
        for rep in 0..2 {
            assert!(seen.contains(&(point, rep)));
        }
    }
    for row in &r.rows {
        let (params, at) = r.spec.params_at(row.point);
        assert_eq!(row.at, at);
        assert_eq!(params.get("model.auc"), at[0]);
    }
    // Point 5 is the second AUC (0.79) with the second forcefulness (1/3).
    let design = view.design_at(5).unwrap();
    assert!((design.get("model.auc") - 0.79).abs() < 1e-12);
    assert!((design.get("experience.forcefulness") - 1.0 / 3.0).abs() < 1e-12);
    let event = view.apply(SweepCommand::LoadPoint(5));
    assert_eq!(loaded(event.as_slice()), vec![design.values().to_vec()]);
    assert_eq!(view.loaded_point(), Some(5));
    assert_eq!(view.apply(SweepCommand::LoadPoint(99)), None);
}

#[test]
fn sweep_is_identical_on_one_and_two_threads() {
    let run = |threads| {
        let mut view = small_sweep(150.0, 15, 3, 3, 2);
        view.set_threads(threads);
        view.start().unwrap();
        assert_eq!(wait_sweep(&mut view), JobState::Done);
        view.result().unwrap().rows.clone()
    };
    let one = run(1);
    let two = run(2);
    assert_eq!(one, two);
    // ...and different points really differ (the test can fail).
    assert_ne!(one[0].mean, one[one.len() - 1].mean);
}

#[test]
fn cancel_keeps_the_previous_result_and_allows_another_run() {
    let mut view = small_sweep(100.0, 10, 2, 2, 1);
    view.start().unwrap();
    assert_eq!(wait_sweep(&mut view), JobState::Done);
    let before = view.result().unwrap().rows.clone();

    // A much bigger sweep, cancelled at once.
    let mut big = view.setup().clone();
    big.axes[0].points = 20;
    big.axes[1].points = 20;
    big.replications = 10;
    big.days = 365;
    view.set_setup(big);
    view.start().unwrap();
    assert!(view.is_running());
    assert!(view.start().is_err(), "one sweep at a time");
    view.apply(SweepCommand::Cancel);
    assert_eq!(wait_sweep(&mut view), JobState::Cancelled);
    assert_eq!(
        view.result().unwrap().rows,
        before,
        "no half-applied result"
    );

    let mut again = view.setup().clone();
    again.axes[0].points = 2;
    again.axes[1].points = 3;
    again.replications = 1;
    again.days = 10;
    view.set_setup(again);
    view.start().unwrap();
    assert_eq!(wait_sweep(&mut view), JobState::Done);
    assert_eq!(view.result().unwrap().rows.len(), 6);
}

#[test]
fn bad_setups_are_refused_with_a_reason() {
    let mut view = small_sweep(100.0, 10, 2, 2, 1);
    let mut s = view.setup().clone();
    s.axes[1] = s.axes[0].clone();
    view.set_setup(s);
    assert!(view.start().unwrap_err().to_string().contains("different"));
    let mut s = view.setup().clone();
    s.axes.truncate(1);
    s.axes[0].points = 0;
    view.set_setup(s);
    assert!(view.start().unwrap_err().to_string().contains("points"));
    let mut s = view.setup().clone();
    s.axes[0] = AxisSetup::range(s.axes[0].param, 0.1, 0.9, 3);
    view.set_setup(s);
    assert!(
        view.start()
            .unwrap_err()
            .to_string()
            .contains("out of range")
    );
    assert_eq!(view.state(), JobState::Idle);
    // Choice axes sweep their chosen options.
    let mode = view.base().index_of("experience.mode").unwrap();
    let mut s = view.setup().clone();
    s.axes = vec![AxisSetup::for_param(view.base().specs(), mode)];
    s.axes[0].options = vec![2.0, 0.0];
    let spec = s.to_spec(WorldKind::Users, view.base()).unwrap();
    assert_eq!(spec.axes[0].values, vec![0.0, 2.0]);
}

// ---- the views through their widgets

struct Host<V> {
    view: V,
    events: Vec<LabEvent>,
}

fn compare_harness(view: CompareView) -> Harness<'static, Host<CompareView>> {
    Harness::builder()
        .with_size([1400.0, 1000.0])
        .build_ui_state(
            |ui, host: &mut Host<CompareView>| {
                let events = host.view.ui(ui);
                host.events.extend(events);
            },
            Host {
                view,
                events: Vec::new(),
            },
        )
}

fn sweep_harness(view: SweepView) -> Harness<'static, Host<SweepView>> {
    Harness::builder()
        .with_size([1400.0, 1000.0])
        .build_ui_state(
            |ui, host: &mut Host<SweepView>| {
                let events = host.view.ui(ui);
                host.events.extend(events);
            },
            Host {
                view,
                events: Vec::new(),
            },
        )
}

/// Steps frames until `done` holds.
fn step_until<V>(harness: &mut Harness<'_, Host<V>>, done: impl Fn(&V) -> bool) {
    support::poll_until("the view's work", || {
        done(&harness.state().view) || {
            harness.step();
            false
        }
    });
    harness.run_ok();
}

#[test]
fn copy_and_swap_buttons_work() {
    let s = small(200.0, 15);
    let a = s.params.clone();
    let b = with(
        &a,
        &[("experience.forcefulness", 0.2), ("model.threshold", 2.0)],
    );
    let view = CompareView::with_designs(s, a.clone(), b.clone()).unwrap();
    let mut harness = compare_harness(view);
    step_until(&mut harness, |v| v.day() == 15);
    assert!(
        harness
            .query_by_label_contains("B differs from A")
            .is_some()
    );

    harness.get_by_label("Swap A and B").click();
    harness.run_ok();
    assert_eq!(harness.state().view.params(Design::A).values(), b.values());
    assert_eq!(harness.state().view.params(Design::B).values(), a.values());

    harness.get_by_label("Copy A to B").click();
    harness.run_ok();
    let view = &harness.state().view;
    assert_eq!(view.params(Design::A).values(), b.values());
    assert_eq!(view.params(Design::B).values(), b.values());
    assert_eq!(
        view.simulation(Design::A).history(),
        view.simulation(Design::B).history()
    );
    assert!(
        harness
            .query_by_label_contains("Same as A: change a control")
            .is_some()
    );
}

#[test]
fn editing_a_b_control_changes_b_only() {
    let s = small(200.0, 10);
    let a = s.params.clone();
    let mut harness = compare_harness(CompareView::new(s));
    step_until(&mut harness, |v| v.day() == 10);
    harness
        .get_by_role_and_label(Role::Slider, "Forcefulness")
        .set_value_accesskit(0.25);
    harness.run_ok();
    let view = &harness.state().view;
    assert_eq!(view.params(Design::B).get("experience.forcefulness"), 0.25);
    assert_eq!(view.params(Design::A).values(), a.values());
    assert_eq!(view.differences().len(), 1);

    // A choice control: the mode combo box lists the registry's options.
    harness.get_by_label("Mode").click();
    harness.run_ok();
    harness.get_by_label("automate").click();
    harness.run_ok();
    let view = &harness.state().view;
    assert_eq!(view.params(Design::B).get("experience.mode"), 0.0);
    assert_eq!(view.params(Design::A).get("experience.mode"), 1.0);
    assert_eq!(
        harness
            .query_all_by_role_and_label(Role::Slider, "Forcefulness")
            .count(),
        1,
        "A's controls stay hidden until asked for"
    );
}

#[test]
fn use_b_and_save_buttons_emit_events() {
    let mut harness = compare_harness(CompareView::new(small(100.0, 5)));
    step_until(&mut harness, |v| v.day() == 5);
    harness.get_by_label("Use B as main design").click();
    harness
        .get_by_label(Export::CompareScenario.label())
        .click();
    harness.run_ok();
    let b = harness.state().view.params(Design::B).values().to_vec();
    let events = &harness.state().events;
    assert_eq!(loaded(events), vec![b]);
    assert_eq!(
        events.last(),
        Some(&LabEvent::SaveRequest(Export::CompareScenario))
    );
    assert_eq!(events.len(), 2);
}

/// The designs in the `LoadDesign` events, as plain values (`ParamValues`
/// equality also compares table addresses).
fn loaded(events: &[LabEvent]) -> Vec<Vec<f64>> {
    events
        .iter()
        .filter_map(|e| match e {
            LabEvent::LoadDesign(p) => Some(p.values().to_vec()),
            LabEvent::SaveRequest(_) => None,
        })
        .collect()
}

#[test]
fn a_sweep_started_from_the_ui_yields_results_and_a_click_loads_a_design() {
    let mut view = small_sweep(120.0, 10, 3, 3, 2);
    let mut setup = view.setup().clone();
    setup.view = PairView::SideBySide;
    view.set_setup(setup);
    let mut harness = sweep_harness(view);
    harness.run_ok();
    assert!(harness.state().view.result().is_none());
    harness.get_by_label("Run sweep").click();
    harness.step();
    step_until(&mut harness, |v| v.state() == JobState::Done);
    assert_eq!(harness.state().view.result().unwrap().rows.len(), 18);

    // The centre of the first heatmap is grid point 4 of the 3 × 3 grid.
    harness
        .get_by_label("Heatmap of Value added by the system ($/user/day)")
        .click();
    harness.run_ok();
    let expected = harness.state().view.design_at(4).unwrap();
    assert_eq!(
        loaded(&harness.state().events),
        vec![expected.values().to_vec()]
    );

    // The signs view draws one map with a legend.
    let mut setup = harness.state().view.setup().clone();
    setup.view = PairView::Signs;
    harness.state_mut().view.set_setup(setup);
    harness.run_ok();
    harness.get_by_role_and_label(
        Role::Canvas,
        "Signs of Value added by the system and Profit",
    );
    assert!(
        harness
            .query_by_label_contains("Value added by the system > 0 but Profit ≤ 0")
            .is_some()
    );
}

#[test]
fn cancel_from_the_ui_stops_the_sweep() {
    let mut view = small_sweep(2000.0, 365, 20, 20, 10);
    view.set_threads(1);
    let mut harness = sweep_harness(view);
    harness.run_ok();
    harness.get_by_label("Run sweep").click();
    harness.step();
    harness.step();
    assert!(harness.state().view.is_running());
    harness.get_by_label("Cancel").click();
    step_until(&mut harness, |v| !v.is_running());
    assert_eq!(harness.state().view.state(), JobState::Cancelled);
    assert!(harness.state().view.result().is_none());
    assert!(
        harness.query_by_label("Run sweep").is_some(),
        "can run again"
    );
}

// ---- exports

#[test]
fn compare_exports_load_back() {
    let dir = scratch("compare");
    let s = small(150.0, 12);
    let b = with(
        &s.params,
        &[("experience.mode", 0.0), ("people.trust_initial", 0.35)],
    );
    let mut view = CompareView::with_designs(s.clone(), s.params.clone(), b.clone()).unwrap();
    let csv_path = dir.join("runs.csv");
    assert!(matches!(
        view.export_csv(&csv_path, false),
        Err(ExportError::NothingToExport(_))
    ));
    view.step(12);
    view.export(Export::CompareCsv, &csv_path, false).unwrap();

    let mut reader = csv::Reader::from_path(&csv_path).unwrap();
    let header = reader.headers().unwrap().clone();
    let metrics = WorldKind::Users.metrics();
    assert_eq!(header.len(), 2 + metrics.len());
    assert_eq!((&header[0], &header[1]), ("replication", "day"));
    assert_eq!(&header[2], metrics[0].id);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 24);
    let last_b = &rows[23];
    assert_eq!((&last_b[0], &last_b[1]), ("2", "12"));
    let hb = view.simulation(Design::B).history();
    for (m, v) in hb.row(12).iter().enumerate() {
        assert_eq!(
            last_b[2 + m].parse::<f64>().unwrap(),
            *v,
            "{}",
            metrics[m].id
        );
    }

    // The name the app offers: the scenario's id, then the file's name.
    let ron_path =
        dir.join(ixsim::app::files::Purpose::Lab(Export::CompareScenario).default_name(&s));
    view.export(Export::CompareScenario, &ron_path, false)
        .unwrap();
    let text = std::fs::read_to_string(&ron_path).unwrap();
    let loaded = Scenario::parse(&text, "design-b.ron").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(loaded.params.values(), b.values());
    assert_eq!(loaded.id, "phishing-warnings-b");
    assert_eq!((loaded.days, loaded.seed), (12, s.seed));

    // Nothing is overwritten without asking.
    let err = view.export_scenario(&ron_path, false).unwrap_err();
    assert_eq!(err, ExportError::Exists(ron_path.clone()));
    assert!(err.to_string().contains("already exists"));
    view.apply(CompareCommand::CopyAToB);
    view.export_scenario(&ron_path, true).unwrap();
    let again = Scenario::parse(&std::fs::read_to_string(&ron_path).unwrap(), "b").unwrap();
    assert_eq!(again.params.values(), s.params.values());

    // A failed write says where and why, and leaves nothing behind.
    let missing = dir.join("no-such-dir").join("runs.csv");
    match view.export_csv(&missing, false) {
        Err(ExportError::Write { path, message }) => {
            assert_eq!(path, missing);
            assert!(!message.is_empty());
        }
        other => panic!("expected a write error, got {other:?}"),
    }
    assert!(matches!(
        view.export(Export::SweepCsv, &dir.join("x.csv"), false),
        Err(ExportError::NothingToExport(_))
    ));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn sweep_exports_load_back() {
    let dir = scratch("sweep");
    let mut view = small_sweep(100.0, 8, 2, 3, 2);
    assert!(matches!(
        view.export_csv(&dir.join("s.csv"), false),
        Err(ExportError::NothingToExport(_))
    ));
    view.start().unwrap();
    assert_eq!(wait_sweep(&mut view), JobState::Done);

    let csv_path = dir.join("s.csv");
    view.export(Export::SweepCsv, &csv_path, false).unwrap();
    let mut reader = csv::Reader::from_path(&csv_path).unwrap();
    let header = reader.headers().unwrap().clone();
    assert_eq!(&header[2], "model.auc");
    assert_eq!(&header[3], "experience.forcefulness");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 12);
    let r = view.result().unwrap();
    let m = WorldKind::Users
        .metrics()
        .iter()
        .position(|m| m.id == "user.value_added_per_user")
        .unwrap();
    let col = header
        .iter()
        .position(|h| h == "user.value_added_per_user.mean")
        .unwrap();
    for (rec, row) in rows.iter().zip(&r.rows) {
        assert_eq!(rec[col].parse::<f64>().unwrap(), row.mean[m]);
    }
    assert!(matches!(
        view.export_csv(&csv_path, false),
        Err(ExportError::Exists(_))
    ));

    let png_path = dir.join("h.png");
    view.export(Export::HeatmapPng, &png_path, false).unwrap();
    let img = image::open(&png_path).unwrap().to_rgb8();
    let grid = view.grid(view.setup().measure).unwrap();
    assert_eq!((grid.rows, grid.cols), (2, 3));
    let scale = ixsim::lab::ColorScale::fit(grid.means());
    // Bottom-left pixel is point 0, top-right point 5, in the scale's colours.
    let cell = img.width() / 3;
    assert_eq!(
        img.get_pixel(0, 2 * cell - 1).0,
        scale.rgb(grid.cells[0].mean)
    );
    assert_eq!(
        img.get_pixel(img.width() - 1, 0).0,
        scale.rgb(grid.cells[5].mean)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn every_scenario_opens_in_both_views() {
    for s in library::all().unwrap() {
        let mut s = s;
        if s.world == WorldKind::Users {
            s.params.set("world.users", 100.0).unwrap();
        }
        s.days = 3;
        let mut compare = compare_harness(CompareView::new(s.clone()));
        step_until(&mut compare, |v| v.day() == 3);
        let heads = s.world.headlines();
        assert!(!heads.is_empty(), "{}: no headline measures", s.id);
        let view = &compare.state().view;
        for &m in heads {
            let a = view.value(Design::A, m, Statistic::FinalDay);
            assert_eq!(a, view.value(Design::B, m, Statistic::FinalDay));
        }
        let sweep = SweepView::new(&s);
        let spec = sweep.setup().to_spec(s.world, sweep.base());
        assert!(spec.is_ok(), "{}: {:?}", s.id, spec.err());
        let mut harness = sweep_harness(sweep);
        harness.run_ok();
        assert!(harness.query_by_label("Run sweep").is_some(), "{}", s.id);
    }
}

#[test]
fn a_narrow_compare_view_shows_one_section_at_a_time() {
    let mut harness = Harness::builder().with_size([900.0, 800.0]).build_ui_state(
        |ui, host: &mut Host<CompareView>| {
            let events = host.view.ui(ui);
            host.events.extend(events);
        },
        Host {
            view: CompareView::new(small(100.0, 5)),
            events: Vec::new(),
        },
    );
    step_until(&mut harness, |v| v.day() == 5);
    assert!(harness.query_by_label("Run 10 replications").is_some());
    assert!(harness.query_all_by_label("Series…").next().is_none());
    harness.get_by_label("Plots").click();
    harness.run_ok();
    assert_eq!(
        harness.query_all_by_label("Series…").count(),
        4,
        "one per layer"
    );
    assert!(harness.query_by_label("Run 10 replications").is_none());
}
