//! The desktop app, driven through its widgets with egui_kittest.
//!
//! Widgets are found by AccessKit role and label, as a screen reader would
//! find them; every assertion checks what the app did (the day, the
//! parameters, the scenario, the text on screen), not pixels. Populations
//! are shrunk so the tests stay fast.

use eframe::egui::{self, accesskit::Role};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use ixsim::app::state::Fresh;
use ixsim::app::{
    App, Command, FileCommand, Options, ParamCommand, RunCommand, Source, Tab, ViewCommand,
};
use ixsim::scenario::{Scenario, library};

use crate::support;

/// A library scenario with a small population.
fn small(id: &str, users: f64) -> Scenario {
    let mut s = library::get(id)
        .expect("scenario exists")
        .expect("scenario parses");
    s.params
        .set("world.users", users)
        .expect("world.users is a parameter");
    s
}

fn harness(scenario: Scenario) -> Harness<'static, App> {
    harness_with(scenario, [1500.0, 950.0], Options::default())
}

/// An app on `scenario` with `options`, in a window of `size` points.
fn harness_with(scenario: Scenario, size: [f32; 2], options: Options) -> Harness<'static, App> {
    Harness::builder().with_size(size).build_ui_state(
        |ui, app: &mut App| app.ui(ui),
        App::new(scenario, Source::Embedded, options),
    )
}

fn day(h: &Harness<'_, App>) -> u32 {
    h.state().state().sim.day()
}

fn index(h: &Harness<'_, App>, id: &str) -> usize {
    h.state()
        .state()
        .sim
        .params()
        .index_of(id)
        .expect("parameter exists")
}

fn metric(h: &Harness<'_, App>, id: &str) -> usize {
    h.state()
        .state()
        .sim
        .metric_index(id)
        .expect("metric exists")
}

/// Mean of a metric over every recorded day.
fn mean(h: &Harness<'_, App>, id: &str) -> f64 {
    let m = metric(h, id);
    let history = h.state().state().sim.history();
    history.column(m).sum::<f64>() / history.days().max(1) as f64
}

#[test]
fn play_advances_the_day_counter() {
    let mut h = harness(small("phishing-warnings", 300.0));
    h.run();
    assert!(h.query_by_label("day 0 / 365").is_some());
    h.get_by_label("Play").click();
    h.run_steps(6);
    let d = day(&h);
    assert!(d > 0, "playing advanced the simulation (day {d})");
    assert!(h.state().state().playing);
    // The counter on screen follows the simulation.
    let shown = format!("day {d} / 365");
    assert!(
        h.query_by_label(&shown).is_some(),
        "the day counter shows {shown}"
    );
    h.get_by_label("Pause").click();
    h.run_steps(2);
    let paused_at = day(&h);
    h.run_steps(4);
    assert_eq!(day(&h), paused_at, "pause stops the clock");
}

#[test]
fn changing_forcefulness_changes_a_measure() {
    let baseline = {
        let mut h = harness(small("phishing-warnings", 400.0));
        for _ in 0..20 {
            h.state_mut().apply_now(Command::Run(RunCommand::Step));
        }
        mean(&h, "leading.engagement")
    };
    let mut h = harness(small("phishing-warnings", 400.0));
    h.run();
    let force = index(&h, "experience.forcefulness");
    assert!(h.state().state().param(force) < 1.0);
    h.get_by_role_and_label(Role::Slider, "Forcefulness")
        .set_value_accesskit(1.0);
    h.run();
    assert_eq!(
        h.state().state().param(force),
        1.0,
        "the slider set the parameter"
    );
    let marker = &h.state().state().sim.events()[0];
    assert!(
        marker.describe().contains("experience.forcefulness"),
        "the change is recorded for the time axis: {}",
        marker.describe()
    );
    for _ in 0..20 {
        h.state_mut().apply_now(Command::Run(RunCommand::Step));
    }
    let forceful = mean(&h, "leading.engagement");
    assert!(
        forceful > baseline * 1.05,
        "more forceful warnings are noticed more: {forceful} vs {baseline}"
    );
}

#[test]
fn reset_returns_to_day_zero_and_the_scenarios_values() {
    let scenario = small("phishing-warnings", 300.0);
    let mut h = harness(scenario.clone());
    h.run();
    h.get_by_role_and_label(Role::Slider, "Forcefulness")
        .set_value_accesskit(0.1);
    h.run();
    h.key_press(egui::Key::ArrowRight);
    h.key_press(egui::Key::ArrowRight);
    h.run();
    let force = index(&h, "experience.forcefulness");
    assert_eq!(day(&h), 2);
    assert_eq!(h.state().state().param(force), 0.1);

    h.get_by_label("↺ Reset").click();
    h.run();
    let s = h.state().state();
    assert_eq!(s.sim.day(), 0);
    assert_eq!(
        s.sim.params(),
        &scenario.params,
        "every value is the scenario's"
    );
    assert!(
        s.sim.events().is_empty(),
        "no markers left from the old run"
    );
    assert!(h.query_by_label("day 0 / 365").is_some());
}

#[test]
fn switching_scenarios_from_the_picker() {
    let mut h = harness(small("phishing-warnings", 300.0));
    h.run();
    let target = h
        .state()
        .state()
        .library
        .iter()
        .find(|s| s.id == "fall-detection")
        .expect("fall detection is in the library")
        .title
        .clone();
    h.state_mut().apply_now(Command::Run(RunCommand::Step));
    h.get_by_role_and_label(Role::ComboBox, "Scenario").click();
    h.run();
    h.get_by_label(&target).click();
    h.run();
    let s = h.state().state();
    assert_eq!(s.scenario.id, "fall-detection");
    assert_eq!(s.sim.day(), 0, "a new scenario starts at day 0");
    assert_eq!(s.sim.params(), &s.scenario.params);
    assert_eq!(s.horizon, s.scenario.days);
    assert!(
        h.query_all_by_label(&target).count() >= 1,
        "the new title is on screen"
    );
}

#[test]
fn a_bad_file_shows_the_error_and_keeps_the_state() {
    let dir = std::env::temp_dir().join(format!("ixsim-app-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let bad = dir.join("broken.ron");
    let good = library::EMBEDDED
        .iter()
        .find(|(name, _)| *name == "smart-toaster.ron")
        .expect("toaster is embedded")
        .1;
    // A valid file but for one out-of-range value.
    assert!(good.contains("params: {"), "the toaster sets parameters");
    let text = good.replacen(
        "params: {",
        "params: {\n        \"model.explore_share\": 7,",
        1,
    );
    std::fs::write(&bad, text).expect("write temp file");

    let mut h = harness(small("phishing-warnings", 300.0));
    h.run();
    for _ in 0..3 {
        h.state_mut().apply_now(Command::Run(RunCommand::Step));
    }
    let before = h.state().state().sim.params().clone();

    // The menu's path: File → Open scenario from a path… → type → Open.
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Open scenario from a path…").click();
    h.run();
    h.get_by_role(Role::TextInput).focus();
    h.run();
    h.get_by_role(Role::TextInput)
        .type_text(&bad.display().to_string());
    h.run();
    h.get_by_label("Open").click();
    h.run();

    let s = h.state().state();
    assert_eq!(
        s.scenario.id, "phishing-warnings",
        "the open scenario stays"
    );
    assert_eq!(s.sim.day(), 3, "the run is untouched");
    assert_eq!(s.sim.params(), &before);
    let notice = s.notice.as_ref().expect("an error is shown");
    assert!(notice.text.contains("broken.ron:"), "{}", notice.text);
    assert!(
        notice.text.contains("model.explore_share"),
        "{}",
        notice.text
    );
    assert!(
        h.query_by_label_contains("was not opened").is_some(),
        "the message is on screen"
    );

    // A file that is not even RON: same path, a line and column in the message.
    std::fs::write(&bad, "(format: 1, id: \"x\",\n  title: ").expect("write temp file");
    h.state_mut()
        .command(Command::Files(FileCommand::Open(bad.clone())));
    h.run();
    let s = h.state().state();
    assert_eq!(s.scenario.id, "phishing-warnings");
    let text = &s.notice.as_ref().expect("an error is shown").text;
    assert!(text.contains("broken.ron:2:"), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn keyboard_steps_and_plays() {
    let mut h = harness(small("smart-toaster", 200.0));
    h.run();
    h.key_press(egui::Key::ArrowRight);
    h.run();
    assert_eq!(day(&h), 1, "→ steps one day");
    h.key_press(egui::Key::Space);
    h.run_steps(4);
    assert!(h.state().state().playing, "Space plays");
    assert!(day(&h) > 1);
    h.key_press(egui::Key::Space);
    h.run_steps(1);
    assert!(!h.state().state().playing, "Space pauses");
    // After clicking Play with the pointer, Space still toggles exactly once.
    h.get_by_label("Play").click();
    h.run_steps(2);
    assert!(h.state().state().playing, "the button plays");
    h.key_press(egui::Key::Space);
    h.run_steps(1);
    assert!(
        !h.state().state().playing,
        "Space after a click pauses, once"
    );
    h.key_press(egui::Key::Num3);
    h.run();
    assert_eq!(h.state().state().tab, Tab::People, "3 shows the third tab");
}

#[test]
fn a_lesson_step_runs_reveals_and_goes_back() {
    let scenario = small("phishing-warnings", 300.0);
    assert!(!scenario.steps.is_empty(), "the scenario has a lesson");
    let days = scenario.steps[0].days;
    let mut h = harness(scenario);
    h.run();
    h.state_mut()
        .apply_now(Command::Run(RunCommand::SetSpeed(ixsim::app::Speed::Max)));
    let label = format!("Apply step 1 and run {days} days");
    h.get_by_label(&label).click();
    for _ in 0..400 {
        h.step();
        if !h.state().state().step_running() {
            break;
        }
    }
    h.run();
    let s = h.state().state();
    assert_eq!(s.sim.day(), days, "the step ran its days");
    assert_eq!(s.lesson.next, 1);
    assert!(s.lesson.reveal.is_some());
    assert!(h.query_by_label("Before → after (7-day means)").is_some());
    h.get_by_label("↩ Back to step 1").click();
    h.run();
    let s = h.state().state();
    assert_eq!(s.sim.day(), 0, "back to the run before step 1");
    assert_eq!(s.lesson.next, 0);
}

/// A lesson step with an experiment runs it in the Experiment tab on the
/// design as the lesson left it, leaves the lesson's run as it is, and shows
/// each stopping rule's decision in the Story panel: the same lines as the
/// headless lesson.
#[test]
fn a_lesson_experiment_step_runs_in_its_tab_and_reveals_the_rules_decisions() {
    let scenario = small("app-suggestions", 500.0);
    let k = scenario
        .steps
        .iter()
        .position(|st| st.experiment.is_some())
        .expect("the lesson has an experiment step");
    let mut h = harness(scenario.clone());
    h.run();
    h.state_mut()
        .apply_now(Command::Run(RunCommand::SetSpeed(ixsim::app::Speed::Max)));
    for step in 0..k {
        h.state_mut()
            .apply_now(Command::Run(RunCommand::ApplyStep(step)));
        for _ in 0..2000 {
            h.step();
            if !h.state().state().step_running() {
                break;
            }
        }
    }
    let day_before = day(&h);
    let now = h.state().state().sim.params().clone();
    h.state_mut()
        .apply_now(Command::Run(RunCommand::ApplyStep(k)));
    assert_eq!(
        h.state().state().tab,
        Tab::Experiment,
        "the step opens its tab"
    );
    let started = std::time::Instant::now();
    while h.state().state().step_running() {
        assert!(started.elapsed().as_secs() < 120, "the experiment finished");
        std::thread::sleep(std::time::Duration::from_millis(20));
        h.step();
    }
    h.run();
    let s = h.state().state();
    assert_eq!(s.lesson.next, k + 1, "the step is done");
    assert_eq!(s.sim.day(), day_before, "the lesson's run did not move");
    let findings = &s.lesson.reveal.as_ref().expect("a reveal").findings;
    let st = &scenario.steps[k];
    let exp = st.experiment.as_ref().expect("an experiment");
    let headless = ixsim::scenario::lesson::run_experiment(exp, st.days, &now, scenario.seed, 1)
        .expect("runs")
        .lines();
    assert_eq!(
        findings, &headless,
        "the app shows what the headless lesson finds"
    );
    assert!(findings[0].starts_with("Peeking: "), "{findings:?}");
    assert!(
        h.query_by_label("What each stopping rule decided")
            .is_some()
    );
    assert_eq!(
        h.query_all_by_label(&findings[1]).count(),
        2,
        "the lines are on screen, in the Story panel and in the Experiment tab"
    );
}

/// After a step that changes a setting, the Story panel also shows the step
/// like with like: fresh runs from day 0 without and with it, computed in
/// the background, equal to the headless lesson's fresh starts.
#[test]
fn a_lesson_step_shows_fresh_starts_like_with_like() {
    let scenario = small("fall-detection", 400.0);
    let step = &scenario.steps[1];
    assert!(!step.set.is_empty(), "step 2 changes a setting");
    let expected =
        ixsim::scenario::lesson::fresh_starts(&scenario, &scenario.params, scenario.seed);
    let mut h = harness(scenario.clone());
    h.run();
    h.state_mut()
        .apply_now(Command::Run(RunCommand::SetSpeed(ixsim::app::Speed::Max)));
    for k in 0..2 {
        h.state_mut()
            .apply_now(Command::Run(RunCommand::ApplyStep(k)));
        for _ in 0..2000 {
            h.step();
            if !h.state().state().step_running() {
                break;
            }
        }
    }
    let fresh = (0..3000).find_map(|_| {
        h.step();
        match &h.state().state().lesson.reveal.as_ref()?.fresh {
            Fresh::Ready { days, pairs } => Some((*days, pairs.clone())),
            Fresh::Computing => {
                std::thread::sleep(std::time::Duration::from_millis(5));
                None
            }
            other => panic!("fresh starts did not run: {other:?}"),
        }
    });
    let (days, pairs) = fresh.expect("the fresh starts finish");
    assert_eq!(days, scenario.steps[0].days + step.days);
    assert_eq!(pairs.len(), step.reveal.len());
    for (k, &(without, with)) in pairs.iter().enumerate() {
        assert_eq!(without, expected[1].before[k], "row {k} without the step");
        assert_eq!(with, Some(expected[1].after[k]), "row {k} with the step");
    }
    h.run();
    let title = format!("Fresh starts, {days} days from day 0: without → with this step");
    assert!(h.query_by_label(&title).is_some(), "the panel shows them");
}

/// The dashboard's switch to what the organization sees: the true error
/// rate gives way to the error rate the organization observes, harm (which
/// its logs cannot compute) disappears, and profit shows only published
/// monthly reports; the support-queue alarm phishing ships with stays quiet
/// as shipped and fires when the warning turns noisy.
#[test]
fn the_organization_sees_its_telemetry_and_its_alarms() {
    use ixsim::app::plot::{self, TimePlot};
    let noisy = |threshold: Option<f64>| {
        let mut sc = small("phishing-warnings", 10_000.0);
        if let Some(t) = threshold {
            sc.params.set("model.threshold", t).unwrap();
        }
        let mut h = harness(sc);
        h.run();
        for _ in 0..45 {
            h.state_mut().apply_now(Command::Run(RunCommand::Step));
        }
        h.run();
        h
    };
    let mut h = noisy(None);
    assert!(
        plot::alarms(h.state().state()).is_empty(),
        "the alarm stays quiet as shipped"
    );
    h.get_by_label("What the organization sees").click();
    h.run();
    let s = h.state().state();
    assert!(s.org_view, "the switch turns the organization's view on");
    let ids = ["model.error_rate", "user.harm_per_user", "org.profit"];
    let metrics: Vec<usize> = ids.iter().map(|id| metric(&h, id)).collect();
    let tp = TimePlot {
        id: "test",
        layer: ixsim::sim::Layer::Model,
        metrics: &metrics,
        scale: ixsim::app::Scale::Auto,
        height: 100.0,
        hidden: &[],
        smooth: 1,
        day_axis: true,
    };
    let columns = plot::shown_columns(s, &tp);
    let drawn: Vec<usize> = columns.iter().map(|(m, _)| *m).collect();
    let observed = metric(&h, "model.observed_error_rate");
    assert_eq!(drawn, vec![observed, metrics[2]], "estimate in, harm out");
    let profit = &columns[1].1;
    assert!(
        profit[..36].iter().all(|v| v.is_nan()),
        "no report before day 37"
    );
    assert!(
        profit[36..].iter().all(|v| v.is_finite()),
        "the first report from day 37"
    );
    let first_month: f64 = s.sim.history().column(metrics[2]).take(30).sum::<f64>() / 30.0;
    assert!(
        (profit[40] - first_month).abs() < 1e-9,
        "the report is the month's mean"
    );

    // The key cards agree with the plots: the estimate for the true error
    // rate, the latest report for profit to date.
    assert!(
        h.query_by_label_contains("Observed error rate · 7-day mean")
            .is_some()
    );
    assert!(h.query_by_label_contains("· latest report").is_some());

    // The Flow tab then lists what the logs hold and what stays hidden.
    h.state_mut()
        .apply_now(Command::View(ViewCommand::SetTab(Tab::Flow)));
    h.run();
    assert!(
        h.query_by_label("What the organization's logs hold of this flow")
            .is_some()
    );
    assert!(
        h.query_all_by_label("hidden").count() >= 10,
        "truth columns are hidden"
    );

    let h = noisy(Some(1.3));
    let alarms = plot::alarms(h.state().state());
    assert!(
        !alarms.is_empty(),
        "a noisy warning floods the support queue"
    );
    assert!(
        alarms[0].0 >= 7,
        "the alarm needs a full week: day {}",
        alarms[0].0
    );
    assert!(
        h.query_by_label("alarm").is_some(),
        "the marker legend names it"
    );

    // A monitor added in the dashboard fires; removing it leaves none.
    let mut h = noisy(None);
    h.get_by_label("What the organization sees").click();
    h.run();
    h.get_by_label("Monitors (1)").click();
    h.run();
    h.get_by_label("Remove").click();
    h.run();
    assert!(h.state().state().scenario.observe.monitors.is_empty());
    assert!(plot::alarms(h.state().state()).is_empty());
    h.get_by_label("Add monitor").click();
    h.run();
    let s = h.state().state();
    assert_eq!(s.scenario.observe.monitors.len(), 1, "the form adds one");
    assert!(
        !plot::alarms(s).is_empty(),
        "the default draft (first observable measure above 0 over 7 days) fires"
    );
    // "Save settings as scenario…" writes the monitors; the file reads back.
    let text = s.scenario.to_ron_with(s.sim.params());
    let back = ixsim::scenario::Scenario::parse(&text, "saved.ron").expect("parses");
    assert_eq!(back.observe.monitors, s.scenario.observe.monitors);
}

/// Presentation mode keeps the two plots that hold the lesson step's
/// measures, so they are tall enough for the back row; normal mode keeps
/// all four. Phishing's first step reveals interventions (leading),
/// surfaced error (model), compliance and trust (user outcomes): user
/// outcomes and model properties are shown, the organization's plot is not.
#[test]
fn presentation_shows_the_lesson_steps_plots() {
    use ixsim::app::dashboard::shown_plots;
    use ixsim::sim::Layer;
    let build = |present: bool| {
        harness_with(
            small("phishing-warnings", 300.0),
            [1440.0, 900.0],
            Options {
                present,
                ..Options::default()
            },
        )
    };
    let mut h = build(true);
    h.run();
    let s = h.state().state();
    let layers: Vec<Layer> = shown_plots(s).iter().map(|&k| s.plots[k].layer).collect();
    assert_eq!(layers, vec![Layer::Model, Layer::User]);
    assert!(
        h.query_by_label_contains("Presentation: 2 of 4 plots")
            .is_some()
    );
    let mut h = build(false);
    h.run();
    assert_eq!(shown_plots(h.state().state()).len(), 4);
}

#[test]
fn every_tab_draws_for_every_scenario() {
    let scenarios = library::all().expect("the library parses");
    for sc in scenarios {
        let mut sc = sc;
        if sc.params.index_of("world.users").is_ok() {
            sc.params.set("world.users", 200.0).expect("users");
        }
        let id = sc.id.clone();
        let mut h = harness(sc);
        for _ in 0..5 {
            h.state_mut().apply_now(Command::Run(RunCommand::Step));
        }
        let tabs = Tab::for_world(h.state().state().sim.kind());
        for tab in tabs {
            h.state_mut()
                .apply_now(Command::View(ViewCommand::SetTab(*tab)));
            if matches!(tab, Tab::Compare | Tab::Sweep | Tab::Experiment) {
                // The lab views keep running on their own: draw a few frames.
                h.run_steps(3);
            } else {
                // `run` also checks that every input widget has an accessible name.
                h.run();
            }
            assert_eq!(h.state().state().tab, *tab, "{id}");
        }
        // The organization's view works in every world: every tab draws, and
        // no dashboard plot shows a measure the organization cannot see.
        h.state_mut()
            .apply_now(Command::View(ViewCommand::SetOrgView(true)));
        for tab in tabs {
            h.state_mut()
                .apply_now(Command::View(ViewCommand::SetTab(*tab)));
            if matches!(tab, Tab::Compare | Tab::Sweep) {
                h.run_steps(3);
            } else {
                // A few frames for the new layout to settle, then the checks.
                h.run_steps(4);
                h.run();
            }
        }
        let s = h.state().state();
        let metrics = s.sim.kind().metrics();
        for p in &s.plots {
            let tp = ixsim::app::plot::TimePlot {
                id: "test",
                layer: p.layer,
                metrics: &p.metrics,
                scale: p.scale,
                height: 100.0,
                hidden: &[],
                smooth: p.smooth,
                day_axis: true,
            };
            for (m, _) in ixsim::app::plot::shown_columns(s, &tp) {
                assert!(metrics[m].observable, "{id}: {} is hidden", metrics[m].id);
            }
        }
    }
}

#[test]
fn saving_settings_and_exporting_the_run_write_files() {
    let dir = std::env::temp_dir().join(format!("ixsim-app-save-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut h = harness(small("phishing-warnings", 300.0));
    h.run();
    h.get_by_role_and_label(Role::Slider, "Forcefulness")
        .set_value_accesskit(0.25);
    h.run();
    for _ in 0..4 {
        h.state_mut().apply_now(Command::Run(RunCommand::Step));
    }
    let ron = dir.join("mine.ron");
    let csv = dir.join("run.csv");
    h.state_mut()
        .command(Command::Files(FileCommand::SaveScenario(ron.clone())));
    h.run();
    h.state_mut()
        .command(Command::Files(FileCommand::ExportCsv(csv.clone())));
    h.run();

    let text = std::fs::read_to_string(&ron).expect("the scenario was written");
    let back = Scenario::parse(&text, "mine.ron").expect("it parses back");
    assert_eq!(
        &back.params,
        h.state().state().sim.params(),
        "with the current values"
    );
    let table = std::fs::read_to_string(&csv).expect("the CSV was written");
    assert_eq!(table.lines().count(), 1 + 4, "a header and one row per day");
    assert!(table.starts_with("replication,day,"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn replication_bands_come_from_the_background_and_follow_changes() {
    let mut s = small("smart-toaster", 300.0);
    s.days = 40;
    let mut h = harness(s);
    h.run();
    // Choose "10 runs" in the Bands box.
    h.get_by_role_and_label(Role::ComboBox, "Bands").click();
    h.run();
    h.get_by_label("10 runs").click();
    h.run_steps(2);
    assert_eq!(h.state().state().bands.replications, 10);
    // Bands arrive from the background while frames go on.
    let wait = |h: &mut Harness<'_, App>| {
        support::poll_until("the bands", || {
            h.run_steps(1);
            let b = &h.state().state().bands;
            !b.computing && b.bands.is_some()
        });
    };
    wait(&mut h);
    let bands = h.state().state().bands.bands.clone().expect("bands");
    assert_eq!(bands.days(), 40, "bands cover the run's horizon");
    let m = metric(&h, "user.harm_per_user");
    assert!((1..=40).all(|d| {
        let [lo, mid, hi] = bands.at(d, m);
        lo <= mid && mid <= hi
    }));
    assert!((1..=40).any(|d| bands.at(d, m)[0] < bands.at(d, m)[2]));

    // A change in the design recomputes them.
    let i = index(&h, "model.auc");
    h.state_mut().apply_now(Command::Params(ParamCommand::Set {
        index: i,
        value: 0.99,
    }));
    h.run_steps(1);
    assert!(h.state().state().bands.computing);
    wait(&mut h);
    let after = h.state().state().bands.bands.clone().expect("bands");
    assert_ne!(after.at(20, m), bands.at(20, m));

    // Off removes them.
    h.state_mut()
        .apply_now(Command::Run(RunCommand::SetBands(0)));
    h.run_steps(1);
    assert!(h.state().state().bands.bands.is_none());
}

#[test]
fn the_gallery_filters_by_tag_and_opens_a_case() {
    let mut h = harness(small("phishing-warnings", 300.0));
    h.run();
    h.get_by_label("Gallery").click();
    // Let the modal settle its layout before clicking inside it.
    h.run_steps(10);
    let cards = |h: &Harness<'_, App>| {
        library::all()
            .expect("library parses")
            .iter()
            .filter(|sc| h.query_by_label(&format!("Open {}", sc.title)).is_some())
            .count()
    };
    assert_eq!(cards(&h), library::all().expect("library").len() - 1);
    assert!(
        h.query_by_label("Open Phishing warnings (open now)")
            .is_some()
    );
    // Filter by a tag only the guardrail cases carry.
    h.get_by_role_and_label(Role::Button, "guardrails")
        .click_accesskit();
    h.run_steps(10);
    assert_eq!(h.state().state().gallery_tag.as_deref(), Some("guardrails"));
    assert!(h.query_by_label("Open Smart toaster").is_some());
    assert!(
        h.query_by_label("Open Phishing warnings (open now)")
            .is_none()
    );
    // Previews arrive from the background.
    support::poll_until("the previews", || {
        h.run_steps(1);
        h.state().state().gallery_previews.is_some()
    });
    let previews = h
        .state()
        .state()
        .gallery_previews
        .clone()
        .expect("previews");
    assert_eq!(previews.len(), library::all().expect("library").len());
    assert!(previews.iter().all(|p| !p.values.is_empty()));
    h.get_by_label("Open Smart toaster").click();
    h.run_steps(3);
    assert_eq!(h.state().state().scenario.id, "smart-toaster");
    assert!(h.state().state().overlay.is_none());
}

#[test]
fn the_typed_path_prompt_asks_before_replacing_a_file() {
    let dir = std::env::temp_dir().join(format!("ixsim-app-replace-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let existing = dir.join("taken.ron");
    std::fs::write(&existing, "keep me").expect("write");
    let mut h = harness(small("phishing-warnings", 300.0));
    h.run();
    h.state_mut()
        .apply_now(Command::View(ViewCommand::SetOverlay(Some(
            ixsim::app::Overlay::PathPrompt(ixsim::app::files::Purpose::Save),
        ))));
    h.run_steps(3);
    let fresh = dir.join("fresh.ron");
    h.get_by_role(Role::TextInput)
        .set_text_value_accesskit(fresh.to_str().expect("utf-8 path"));
    h.run_steps(3);
    assert!(h.query_by_label("Save").is_some());
    assert!(h.query_by_label("Replace").is_none());
    h.get_by_role(Role::TextInput)
        .set_text_value_accesskit(existing.to_str().expect("utf-8 path"));
    h.run_steps(3);
    assert!(
        h.query_by_label("Replace").is_some(),
        "an existing file is named"
    );
    assert!(
        h.query_by_label("A file with this name exists: saving replaces it.")
            .is_some()
    );
    assert_eq!(std::fs::read_to_string(&existing).expect("read"), "keep me");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The day the Compare view shows ("Day N of").
fn compare_day(h: &Harness<'_, App>) -> u32 {
    use egui_kittest::kittest::NodeT as _;
    let label = h
        .query_all_by_label_contains("Day ")
        .filter_map(|n| n.accesskit_node().label())
        .find(|l| l.starts_with("Day ") && l.ends_with(" of"))
        .expect("the Compare view shows its day");
    label["Day ".len()..label.len() - " of".len()]
        .parse()
        .expect("a day number")
}

#[test]
fn the_experiment_tab_runs_a_test_and_states_its_verdict_beside_the_truth() {
    use egui_kittest::kittest::{NodeT as _, by};
    let mut h = harness(small("phishing-warnings", 300.0));
    h.state_mut()
        .apply_now(Command::View(ViewCommand::SetTab(Tab::Experiment)));
    // Labels carry their text as the node's value.
    let text = |h: &Harness<'_, App>, start: &str| {
        h.query_all(by())
            .filter_map(|n| n.accesskit_node().value())
            .find(|v| v.starts_with(start))
    };
    let wait = |h: &mut Harness<'_, App>| {
        let started = std::time::Instant::now();
        while h.query_by_label("Run experiment").is_none() || text(h, "Peeking: ").is_none() {
            assert!(
                started.elapsed() < std::time::Duration::from_secs(60),
                "the experiment finished within a minute"
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
            h.run_steps(1);
        }
    };
    // The tab starts an experiment at once, in the background.
    h.run_steps(2);
    wait(&mut h);
    // B = A here (no design B was chosen): every line compares with the truth.
    for rule in ["Peeking: ", "Fixed horizon: ", "Sequential: "] {
        let line = text(&h, rule).expect("a verdict line per rule");
        assert!(
            line.contains("The experiment") && line.contains("over a year B gains $0.00 per user"),
            "{line}"
        );
    }
    assert!(
        text(&h, "Truth (each design alone for 365 days").is_some(),
        "the truth is shown beside the experiment"
    );
    assert!(h.query_by_label_contains("ran all 14 days").is_some());
    // A shorter test, run again through the button and the background job.
    h.get_by_label("Days").set_value_accesskit(7.0);
    h.run_steps(1);
    h.get_by_label("Run experiment").click();
    h.run_steps(2);
    wait(&mut h);
    assert!(
        h.query_by_label_contains("ran all 7 days").is_some(),
        "the new result shows the new length"
    );
}

#[test]
fn reset_keeps_the_compare_view() {
    // Enough people that a year of A and B cannot finish in three frames
    // of the view's time budget, however fast the machine.
    let mut h = harness(small("phishing-warnings", 20_000.0));
    h.state_mut()
        .apply_now(Command::View(ViewCommand::SetTab(Tab::Compare)));
    h.run_steps(3);
    // The comparison starts running on its own: stop it where it is.
    h.get_by_label("Pause").click();
    h.run_steps(2);
    let paused = compare_day(&h);
    assert!(paused > 0, "the comparison ran (day {paused})");
    assert!(
        h.query_by_label("Run").is_some(),
        "the comparison is paused"
    );

    h.state_mut().apply_now(Command::Run(RunCommand::Reset));
    h.run_steps(3);
    assert_eq!(day(&h), 0);
    // A new comparison would be running again from day 0.
    assert_eq!(compare_day(&h), paused, "reset keeps the comparison");
    assert!(h.query_by_label("Run").is_some(), "and leaves it paused");
}

#[test]
fn using_design_b_from_compare_restarts_the_main_run_with_it() {
    let mut h = harness(small("phishing-warnings", 500.0));
    for _ in 0..3 {
        h.state_mut().apply_now(Command::Run(RunCommand::Step));
    }
    assert_eq!(day(&h), 3);
    h.state_mut()
        .apply_now(Command::View(ViewCommand::SetTab(Tab::Compare)));
    h.run_steps(2);
    // The view's button becomes a lab command, applied after drawing; the
    // design it hands back is loaded by the same dispatcher.
    h.get_by_label("Use B as main design").click();
    h.run_steps(2);
    let s = h.state().state();
    assert_eq!(s.sim.day(), 0, "the main run starts over");
    assert_eq!(s.tab, Tab::Dashboard);
    let notice = s
        .notice
        .as_ref()
        .map(|n| n.text.clone())
        .unwrap_or_default();
    assert!(notice.starts_with("Loaded the chosen design"), "{notice}");
}

#[test]
fn command_line_options_apply_on_top_of_restored_settings() {
    let mut app = App::new(
        small("phishing-warnings", 300.0),
        Source::Embedded,
        Options::default(),
    );
    app.apply_now(Command::View(ViewCommand::SetTab(Tab::People)));
    app.apply_now(Command::View(ViewCommand::SetTheme(
        ixsim::app::ThemeChoice::Light,
    )));
    let mut saved = app.saved();
    // Keep the restored population small.
    saved
        .params
        .insert("world.users".to_string(), "300".to_string());

    let mut fresh = App::new(
        small("phishing-warnings", 300.0),
        Source::Embedded,
        Options::default(),
    );
    fresh.restore(&saved);
    fresh.apply_options(Options {
        days: Some(5),
        tab: Some(Tab::Flow),
        present: true,
        ..Options::default()
    });
    let s = fresh.state();
    assert_eq!(s.sim.day(), 5, "--days runs the restored scenario");
    assert_eq!(s.sim.params().get("world.users"), 300.0);
    assert_eq!(s.tab, Tab::Flow, "--tab wins over the remembered tab");
    assert!(s.prefs.present, "--present wins over the remembered look");
    assert_eq!(
        s.prefs.theme,
        ixsim::app::ThemeChoice::Light,
        "the rest of the look is restored"
    );
}

#[test]
fn play_resumes_a_paused_lesson_step() {
    let scenario = small("phishing-warnings", 300.0);
    assert!(!scenario.steps.is_empty(), "the scenario has a lesson");
    let days = scenario.steps[0].days;
    assert!(days > 1, "the first step runs for days");
    let mut h = harness(scenario);
    h.run();
    h.state_mut()
        .apply_now(Command::Run(RunCommand::ApplyStep(0)));
    h.state_mut()
        .apply_now(Command::Run(RunCommand::TogglePlay));
    h.run();
    let s = h.state().state();
    assert!(s.step_running() && !s.playing, "the step is paused");
    let paused_at = s.sim.day();
    assert!(paused_at < days);

    h.get_by_label("Play").click();
    h.run_steps(4);
    let s = h.state().state();
    assert!(
        s.sim.day() > paused_at,
        "Play resumed the step (day {})",
        s.sim.day()
    );
    assert!(s.sim.day() <= days, "the step stops at its own length");
}

#[test]
fn a_narrow_window_keeps_every_toolbar_control_in_view() {
    // 1100 points: a 1440-pixel projector image at presentation zoom.
    let mut h = Harness::builder()
        .with_size([1100.0, 800.0])
        .build_ui_state(
            |ui, app: &mut App| app.ui(ui),
            App::new(
                small("phishing-warnings", 200.0),
                Source::Embedded,
                Options::default(),
            ),
        );
    h.run_steps(4);
    let bands = h.get_by_role_and_label(Role::ComboBox, "Bands").rect();
    let gallery = h.get_by_label("Gallery").rect();
    assert!(bands.right() <= 1100.0, "Bands cut off at {bands:?}");
    assert!(
        bands.top() > gallery.bottom(),
        "the toolbar wraps onto a second row ({bands:?} vs {gallery:?})"
    );
    // A wide window keeps one row.
    let mut wide = harness(small("phishing-warnings", 200.0));
    wide.run_steps(4);
    let bands = wide.get_by_role_and_label(Role::ComboBox, "Bands").rect();
    let gallery = wide.get_by_label("Gallery").rect();
    assert!(bands.top() < gallery.bottom(), "{bands:?} vs {gallery:?}");
}

#[test]
fn a_world_tab_is_offered_exactly_where_there_is_a_world_view() {
    for kind in ixsim::sim::WorldKind::ALL {
        assert_eq!(
            Tab::for_world(kind).contains(&Tab::World),
            ixsim::worldview::has_view(kind),
            "{kind:?}"
        );
    }
}

/// The panel (AccessKit pane) a node is drawn in.
fn pane_of<'t>(
    n: &egui_kittest::kittest::AccessKitNode<'t>,
) -> Option<egui_kittest::kittest::AccessKitNode<'t>> {
    let mut p = n.parent();
    while let Some(q) = p {
        if q.role() == Role::Pane {
            return Some(q);
        }
        p = q.parent();
    }
    None
}

/// Layout faults after a few frames at `size` (window pixels), each with the
/// panel it concerns: a panel that is empty, overlaps another or leaves the
/// window, and nodes whose rectangle leaves the panel they are drawn in.
fn layout_faults(
    scenario: &str,
    tab: Tab,
    size: [f32; 2],
    present: bool,
) -> Vec<(&'static str, String)> {
    use egui_kittest::kittest::{NodeT as _, Queryable as _};
    let mut sc = library::get(scenario)
        .expect("scenario exists")
        .expect("scenario parses");
    if tab == Tab::Experiment {
        // The experiment must finish: a small population keeps it quick.
        sc.params.set("world.users", 1000.0).expect("a users world");
    }
    let mut h = Harness::builder().with_size(size).build_ui_state(
        |ui, app: &mut App| app.ui(ui),
        App::new(
            sc,
            Source::Embedded,
            Options {
                present,
                days: Some(30),
                ..Options::default()
            },
        ),
    );
    h.state_mut()
        .apply_now(Command::View(ViewCommand::SetTab(tab)));
    h.run_steps(6);
    if tab == Tab::Experiment {
        // Laid out finished: the A/B test with its plot, truth and verdicts,
        // then an A/A check beside it.
        use ixsim::app::LabCommand;
        use ixsim::lab::ExperimentCommand;
        let finish = |h: &mut Harness<'_, App>| {
            let started = std::time::Instant::now();
            while h.state().lab().experiment().is_none_or(|v| v.is_running()) {
                assert!(started.elapsed().as_secs() < 120, "the experiment finished");
                std::thread::sleep(std::time::Duration::from_millis(20));
                h.run_steps(1);
            }
        };
        finish(&mut h);
        for c in [ExperimentCommand::SetAaSeeds(8), ExperimentCommand::RunAa] {
            h.state_mut()
                .apply_now(Command::Lab(LabCommand::Experiment(c)));
        }
        finish(&mut h);
        assert!(
            h.state()
                .lab()
                .experiment()
                .is_some_and(|v| v.result().is_some() && v.aa_result().is_some()),
            "both results are on show"
        );
        h.run_steps(4);
    }
    // AccessKit bounds are in pixels; panels are in points.
    let ppp = f64::from(h.ctx.pixels_per_point());
    let rect = |n: &egui_kittest::kittest::AccessKitNode<'_>| {
        n.bounding_box().map(|r| {
            egui::Rect::from_min_max(
                egui::pos2((r.x0 / ppp) as f32, (r.y0 / ppp) as f32),
                egui::pos2((r.x1 / ppp) as f32, (r.y1 / ppp) as f32),
            )
        })
    };
    let panels = h.state().panel_rects().to_vec();
    let window = h.ctx.content_rect();
    let mut faults = Vec::new();
    for (i, &(na, ra)) in panels.iter().enumerate() {
        if ra.width() < 1.0 || ra.height() < 1.0 {
            faults.push((na, format!("panel {na} is empty: {ra:?}")));
        }
        if !window.expand(1.0).contains_rect(ra) {
            faults.push((
                na,
                format!("panel {na} {ra:?} leaves the window {window:?}"),
            ));
        }
        for (nb, rb) in &panels[i + 1..] {
            let overlap = ra.intersect(*rb);
            if overlap.width() > 1.0 && overlap.height() > 1.0 {
                faults.push((
                    na,
                    format!("panels {na} and {nb} overlap: {ra:?} and {rb:?}"),
                ));
            }
        }
    }
    // Nodes grouped by the pane (panel) they are drawn in; a group belongs
    // to the panel that holds its first widget's centre.
    let nodes: Vec<_> = h
        .query_all(egui_kittest::kittest::By::new().predicate(|_| true))
        .map(|n| n.accesskit_node())
        .collect();
    let mut groups: Vec<(Option<egui_kittest::kittest::AccessKitNode<'_>>, Vec<_>)> = Vec::new();
    for n in &nodes {
        let Some(r) = rect(n) else { continue };
        // A panel's resize handle straddles its edge on purpose.
        if matches!(n.role(), Role::Pane | Role::Splitter) || r.width() <= 0.0 {
            continue;
        }
        let pane = pane_of(n);
        let key = pane.as_ref().map(|p| p.id());
        match groups
            .iter_mut()
            .find(|(p, _)| p.as_ref().map(|p| p.id()) == key)
        {
            Some((_, members)) => members.push((n, r)),
            None => groups.push((pane, vec![(n, r)])),
        }
    }
    for (_, members) in &groups {
        let Some(&(_, first)) = members.first() else {
            continue;
        };
        let Some(&(name, pr)) = panels.iter().find(|(_, pr)| pr.contains(first.center())) else {
            continue;
        };
        for (n, r) in members {
            // Content may scroll vertically inside its panel; across, it must fit.
            if r.left() < pr.left() - 1.0 || r.right() > pr.right() + 1.0 {
                faults.push((
                    name,
                    format!(
                        "{:?} {:?} at {r:?} leaves panel {name} {pr:?}",
                        n.role(),
                        n.label().unwrap_or_default()
                    ),
                ));
            }
        }
    }
    faults
}

/// The cases every layout test draws: each tab, a world view.
const LAYOUT_CASES: [(&str, Tab); 8] = [
    ("phishing-warnings", Tab::Dashboard),
    ("phishing-warnings", Tab::Flow),
    ("phishing-warnings", Tab::People),
    ("phishing-warnings", Tab::Compare),
    ("phishing-warnings", Tab::Sweep),
    ("app-suggestions", Tab::Experiment),
    ("predictive-policing", Tab::World),
    ("predictive-policing", Tab::Dashboard),
];

/// Runs every case at every size and mode; the faults `keep` selects.
fn layout_check(sizes: &[[f32; 2]], modes: &[bool], keep: impl Fn(&str) -> bool) -> Vec<String> {
    let mut all = Vec::new();
    for &size in sizes {
        for &present in modes {
            for (scenario, tab) in LAYOUT_CASES {
                for (panel, f) in layout_faults(scenario, tab, size, present) {
                    if keep(panel) {
                        all.push(format!(
                            "{size:?} present={present} {scenario} {tab:?}: {f}"
                        ));
                    }
                }
            }
        }
    }
    all
}

#[test]
fn panels_tile_the_window_and_every_widget_stays_in_its_panel_at_common_sizes() {
    // From a small laptop to full HD, normal and presentation mode: the
    // panels tile the window, and every widget of the menu, toolbar,
    // design, story, centre and status lies across inside its panel (what
    // is taller scrolls down).
    let sizes = [
        [1024.0, 640.0],
        [1280.0, 720.0],
        [1440.0, 900.0],
        [1920.0, 1080.0],
    ];
    let faults = layout_check(&sizes, &[false, true], |_| true);
    let shown: Vec<_> = faults.iter().take(400).collect();
    assert!(
        faults.is_empty(),
        "{} layout faults:\n{shown:#?}",
        faults.len()
    );
}

#[test]
fn every_file_action_ends_in_a_written_file_named_on_screen() {
    let dir = std::env::temp_dir().join(format!("ixsim-app-files-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut h = harness_with(
        small("phishing-warnings", 300.0),
        [1500.0, 950.0],
        Options {
            days: Some(5),
            in_app_files: true,
            ..Options::default()
        },
    );
    h.run_steps(2);
    // One after another in one app: no action wedges the next.
    let actions = [
        (FileCommand::SaveDialog, "design.ron", "Save"),
        (FileCommand::ExportDialog, "run.csv", "Export"),
        (
            FileCommand::LabSaveDialog(ixsim::lab::Export::CompareCsv),
            "ab.csv",
            "Save",
        ),
        (FileCommand::OpenDialog, "design.ron", "Open"),
    ];
    for (command, name, button) in actions {
        if matches!(command, FileCommand::LabSaveDialog(_)) {
            h.state_mut()
                .apply_now(Command::View(ViewCommand::SetTab(Tab::Compare)));
            h.run_steps(3);
        }
        h.state_mut().apply_now(Command::Files(command.clone()));
        h.run_steps(3);
        let path = dir.join(name);
        h.get_by_role(Role::TextInput)
            .set_text_value_accesskit(path.to_str().expect("utf-8 path"));
        h.run_steps(2);
        h.get_by_label(button).click();
        h.run_steps(3);
        assert!(path.is_file(), "{command:?}: {} written", path.display());
        let notice = h
            .state()
            .state()
            .notice
            .as_ref()
            .map(|n| n.text.clone())
            .unwrap_or_default();
        assert!(
            notice.contains(&path.display().to_string()),
            "{command:?}: the banner names the file: {notice}"
        );
        assert!(
            h.state().state().overlay.is_none(),
            "{command:?}: chooser closed"
        );
    }
    // A save that cannot happen says why, on screen.
    h.state_mut()
        .apply_now(Command::Files(FileCommand::SaveDialog));
    h.run_steps(3);
    let bad = dir.join("no-such-folder").join("x.ron");
    h.get_by_role(Role::TextInput)
        .set_text_value_accesskit(bad.to_str().expect("utf-8 path"));
    h.run_steps(2);
    h.get_by_label("Save").click();
    h.run_steps(3);
    let notice = h.state().state().notice.clone().expect("a banner");
    assert_eq!(
        notice.kind,
        ixsim::app::NoticeKind::Error,
        "{}",
        notice.text
    );
    assert!(notice.text.contains("x.ron"), "{}", notice.text);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_tab_the_world_lacks_is_refused_before_any_window_opens() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ixsim"))
        .args(["--scenario", "phishing-warnings", "--tab", "world"])
        .output()
        .expect("ixsim runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--tab world: the users world has no such tab; it has dashboard"),
        "{err}"
    );
}
