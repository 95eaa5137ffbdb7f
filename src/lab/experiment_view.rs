//! The Experiment view: a randomized A/B experiment inside one user world,
//! as a team runs it, next to the truth it never sees.
//!
//! Owns the experiment's setup (design B, split share, days, decision
//! metric, minimum detectable effect), the background job that runs it
//! ([`crate::experiment::run::ExperimentSpec::run`], then
//! [`Truth::compute`] over a year), and the result. Draws from `&self` and
//! returns [`ExperimentCommand`]s that [`ExperimentView::apply`] applies,
//! like the other lab views. Only observable per-user measures are offered
//! as the decision metric: the team sees its telemetry, not the hidden
//! measures.

use eframe::egui::{self, RichText};
use egui_plot::{HLine, Line, LineStyle, MarkerShape, Plot, PlotPoints, Points, Polygon};

use super::LabError;
use super::controls::{design_controls, metric_name};
use crate::experiment::run::{
    self as run, ALPHA, ExperimentError, ExperimentRun, ExperimentSpec, Truth,
};
use crate::format;
use crate::job::{Job, JobEnd};
use crate::runner::BatchError;
use crate::scenario::Scenario;
use crate::sim::users::{METRICS, experiment_metrics};
use crate::sim::{MAX_DAYS, ParamValues, Per, Unit, WorldKind};
use crate::ui::theme;

/// Days of the oracle runs beside the experiment: a year, the horizon the
/// product is judged on.
pub const TRUTH_DAYS: u32 = crate::experiment::run::TRUTH_DAYS;
/// A/A reruns the view offers by default: enough to tell 5 % from 15 %
/// (a binomial standard error of 1.5 points at 5 %).
pub const DEFAULT_AA_SEEDS: u32 = 200;
/// Most A/A reruns the view offers.
pub const MAX_AA_SEEDS: u32 = crate::scenario::MAX_STEP_AA_SEEDS;
/// Longest experiment the view offers, in days.
pub const MAX_EXPERIMENT_DAYS: u32 = crate::experiment::run::MAX_VIEW_DAYS;
/// Names of the stopping rules in the legend and the verdict lines, in
/// [`run::RULES`] order.
pub const RULE_LABELS: [&str; 3] = [
    "Peeking (stop at first p < 0.05)",
    "Fixed horizon (look on the last day)",
    "Sequential (always-valid mSPRT)",
];
const RULE_SHAPES: [MarkerShape; 3] = [
    MarkerShape::Circle,
    MarkerShape::Square,
    MarkerShape::Diamond,
];

/// What the person asked of the Experiment view.
#[derive(Clone, Debug, PartialEq)]
pub enum ExperimentCommand {
    /// Set parameter `index` of design B.
    SetParam {
        /// Index in the world's parameter table.
        index: usize,
        /// The new value.
        value: f64,
    },
    /// Share of users in B, 0–1.
    SetShare(f64),
    /// Days the experiment may run.
    SetDays(u32),
    /// The decision metric (index in the user world's metrics).
    SetMetric(usize),
    /// Minimum detectable effect relative to A's mean.
    SetMde(f64),
    /// Run the experiment with the current setup.
    Run,
    /// Number of A/A reruns.
    SetAaSeeds(u32),
    /// Rerun design A against itself on many seeds (an A/A check).
    RunAa,
    /// Stop the running experiment.
    Cancel,
}

/// Finished A/A reruns: design A against itself on many seeds.
#[derive(Clone, Debug, PartialEq)]
pub struct AaResult {
    /// Each rule's share of reruns with a "significant" difference, in
    /// [`run::RULES`] order.
    pub rates: [f64; 3],
    /// Reruns.
    pub seeds: u32,
    /// Days of each.
    pub days: u32,
    /// The decision metric.
    pub metric: usize,
}

/// What a background job of the view delivers.
#[derive(Debug)]
enum Outcome {
    Ab(Box<ExperimentResult>),
    Aa(AaResult),
}

/// A finished experiment and its truth.
#[derive(Clone, Debug)]
pub struct ExperimentResult {
    /// The setup it ran with.
    pub spec: ExperimentSpec,
    /// The experiment, day by day.
    pub run: ExperimentRun,
    /// Both designs alone over [`TRUTH_DAYS`].
    pub truth: Truth,
}

impl ExperimentResult {
    /// One verdict line per stopping rule, in [`run::RULES`] order: what the
    /// rule decided and what that does over the truth's horizon.
    pub fn verdict_lines(&self) -> [String; 3] {
        run::verdict_lines(&self.run, &self.truth)
    }
}

/// The Experiment tab's state.
pub struct ExperimentView {
    scenario: Scenario,
    a: ParamValues,
    b: ParamValues,
    share_b: f64,
    days: u32,
    metric: usize,
    mde_relative: f64,
    aa_seeds: u32,
    job: Option<Job<Result<Outcome, ExperimentError>>>,
    result: Option<ExperimentResult>,
    aa: Option<AaResult>,
    /// What the last job started was: A/A reruns (true) or an A/B test.
    last_was_aa: bool,
    message: Option<(String, bool)>,
}

impl std::fmt::Debug for ExperimentView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExperimentView")
            .field("days", &self.days)
            .field("running", &self.job.is_some())
            .finish_non_exhaustive()
    }
}

/// The observable per-user measures an experiment can decide on.
pub fn decision_metrics() -> Vec<usize> {
    experiment_metrics()
        .filter_map(|id| METRICS.iter().position(|m| m.id == id))
        .filter(|&i| METRICS[i].observable)
        .collect()
}

impl ExperimentView {
    /// A view on `scenario` comparing its design `a` (control) with `b`
    /// (treatment): half the users in B, 14 days, engagement, a 5 % MDE.
    pub fn new(scenario: Scenario, a: ParamValues, b: ParamValues) -> Result<Self, LabError> {
        if scenario.world != WorldKind::Users || !WorldKind::Users.owns(&a) {
            return Err(LabError::OtherWorld {
                which: "this design",
                world: scenario.world.id(),
            });
        }
        let b = if WorldKind::Users.owns(&b) {
            b
        } else {
            a.clone()
        };
        let metrics = decision_metrics();
        let metric = metrics
            .iter()
            .copied()
            .find(|&i| METRICS[i].id == "leading.engagement")
            .or(metrics.first().copied())
            .unwrap_or(0);
        Ok(Self {
            scenario,
            a,
            b,
            share_b: 0.5,
            days: 14,
            metric,
            mde_relative: crate::scenario::lesson::LESSON_MDE_RELATIVE,
            aa_seeds: DEFAULT_AA_SEEDS,
            job: None,
            result: None,
            aa: None,
            last_was_aa: false,
            message: None,
        })
    }

    /// Sets the whole setup from `spec` (a lesson step's experiment) and
    /// starts it: A/A reruns on `aa_seeds` seeds when that is above 0 (B is
    /// then A), else the A/B test and its truth. Earlier results are
    /// dropped, so [`Self::findings`] reports this run only.
    pub fn preset(&mut self, spec: ExperimentSpec, aa_seeds: u32) {
        self.job = None;
        self.result = None;
        self.aa = None;
        self.b = if aa_seeds > 0 {
            spec.params_a.clone()
        } else {
            spec.params_b
        };
        self.a = spec.params_a;
        self.share_b = spec.share_b;
        self.days = spec.days.clamp(1, MAX_EXPERIMENT_DAYS);
        self.metric = spec.metric;
        self.mde_relative = spec.mde_relative;
        if aa_seeds > 0 {
            self.aa_seeds = aa_seeds.min(MAX_AA_SEEDS);
            self.apply(ExperimentCommand::RunAa);
        } else {
            self.apply(ExperimentCommand::Run);
        }
    }

    /// What the last job found, one line per stopping rule (see
    /// [`crate::scenario::lesson::Finding::lines`]); `None` while it runs,
    /// or when it was stopped or failed.
    pub fn findings(&self) -> Option<Vec<String>> {
        if self.job.is_some() {
            return None;
        }
        if self.last_was_aa {
            self.aa
                .as_ref()
                .map(|a| run::aa_lines(a.rates, a.seeds, a.days).to_vec())
        } else {
            self.result.as_ref().map(|r| r.verdict_lines().to_vec())
        }
    }

    /// The last finished A/A reruns.
    pub fn aa_result(&self) -> Option<&AaResult> {
        self.aa.as_ref()
    }

    /// Design B.
    pub fn design_b(&self) -> &ParamValues {
        &self.b
    }

    /// The last finished experiment.
    pub fn result(&self) -> Option<&ExperimentResult> {
        self.result.as_ref()
    }

    /// An experiment is running in the background.
    pub fn is_running(&self) -> bool {
        self.job.is_some()
    }

    /// The setup as a spec.
    pub fn spec(&self) -> ExperimentSpec {
        ExperimentSpec {
            params_a: self.a.clone(),
            params_b: self.b.clone(),
            share_b: self.share_b,
            metric: self.metric,
            days: self.days,
            seed: self.scenario.seed,
            mde_relative: self.mde_relative,
        }
    }

    /// Starts the experiment and its truth in the background (a running one
    /// is dropped).
    pub fn start(&mut self) -> Result<(), LabError> {
        let spec = self.spec();
        self.last_was_aa = false;
        let job = Job::spawn("ixsim-experiment", 2, move |done, cancel| {
            let stopped = || cancel.load(std::sync::atomic::Ordering::Relaxed);
            let run = match spec.run_until(stopped) {
                Ok(run) => run,
                Err(ExperimentError::Stopped) => return Err(BatchError::Cancelled),
                Err(e) => return Ok(Err(e)),
            };
            done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            if cancel.load(std::sync::atomic::Ordering::Relaxed) {
                return Err(BatchError::Cancelled);
            }
            let truth = Truth::compute(&spec.params_a, &spec.params_b, TRUTH_DAYS, spec.seed);
            done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            Ok(Ok(Outcome::Ab(Box::new(ExperimentResult {
                spec,
                run,
                truth,
            }))))
        })?;
        self.job = Some(job);
        self.message = None;
        Ok(())
    }

    /// Starts A/A reruns of design A against itself in the background, on
    /// every core (the rates do not depend on how many).
    pub fn start_aa(&mut self) -> Result<(), LabError> {
        let spec = self.spec();
        let seeds = self.aa_seeds.clamp(1, MAX_AA_SEEDS);
        let threads = std::thread::available_parallelism().map_or(1, usize::from);
        self.last_was_aa = true;
        let job = Job::spawn("ixsim-aa", seeds as usize, move |done, cancel| {
            let stopped = || cancel.load(std::sync::atomic::Ordering::Relaxed);
            let rerun_done = || {
                done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            };
            match run::aa_rates_until(&spec, seeds, threads, stopped, rerun_done) {
                Ok(rates) => Ok(Ok(Outcome::Aa(AaResult {
                    rates,
                    seeds,
                    days: spec.days,
                    metric: spec.metric,
                }))),
                Err(ExperimentError::Stopped) => Err(BatchError::Cancelled),
                Err(e) => Ok(Err(e)),
            }
        })?;
        self.job = Some(job);
        self.message = None;
        Ok(())
    }

    /// Collects a finished background run; never blocks.
    pub fn poll(&mut self) {
        let Some(job) = &mut self.job else { return };
        let Some(end) = job.try_finish() else { return };
        self.job = None;
        match end {
            JobEnd::Done(Ok(Outcome::Ab(result)), _) => self.result = Some(*result),
            JobEnd::Done(Ok(Outcome::Aa(aa)), _) => self.aa = Some(aa),
            JobEnd::Done(Err(e), _) => self.message = Some((e.to_string(), true)),
            JobEnd::Cancelled => self.message = Some(("stopped".into(), false)),
            JobEnd::Failed(e) => self.message = Some((e, true)),
        }
    }

    /// Applies a command.
    pub fn apply(&mut self, command: ExperimentCommand) {
        match command {
            ExperimentCommand::SetParam { index, value } => {
                if let Err(e) = self.b.set_index(index, value) {
                    self.message = Some((e.to_string(), true));
                }
            }
            ExperimentCommand::SetShare(x) => self.share_b = x.clamp(0.05, 0.95),
            ExperimentCommand::SetDays(d) => {
                self.days = d.clamp(1, MAX_EXPERIMENT_DAYS.min(MAX_DAYS));
            }
            ExperimentCommand::SetMetric(m) => {
                if decision_metrics().contains(&m) {
                    self.metric = m;
                }
            }
            ExperimentCommand::SetMde(x) => self.mde_relative = x.clamp(0.005, 1.0),
            ExperimentCommand::SetAaSeeds(n) => self.aa_seeds = n.clamp(1, MAX_AA_SEEDS),
            ExperimentCommand::Run => {
                if let Err(e) = self.start() {
                    self.message = Some((e.to_string(), true));
                }
            }
            ExperimentCommand::RunAa => {
                if let Err(e) = self.start_aa() {
                    self.message = Some((e.to_string(), true));
                }
            }
            ExperimentCommand::Cancel => {
                if let Some(job) = &self.job {
                    job.cancel();
                }
            }
        }
    }

    /// Draws the view; returns what the person asked for.
    pub fn show(&self, ui: &mut egui::Ui) -> Vec<ExperimentCommand> {
        let mut out = Vec::new();
        self.show_setup(ui, &mut out);
        ui.add_space(4.0);
        if let Some((text, is_error)) = &self.message {
            let color = if *is_error {
                theme::bad(ui.visuals().dark_mode)
            } else {
                ui.visuals().weak_text_color()
            };
            ui.label(RichText::new(text).color(color));
        }
        if let Some(aa) = &self.aa {
            show_aa(ui, aa);
        }
        match &self.result {
            Some(r) => show_result(ui, r),
            None if self.job.is_none() => {
                ui.label("Press Run experiment to split the users and watch the test day by day.");
            }
            None if self.last_was_aa => {
                ui.label(format!(
                    "Running {} A/A tests of {} days…",
                    self.aa_seeds, self.days
                ));
            }
            None => {
                ui.label(format!(
                    "Running the {}-day experiment, then the truth: each design alone for {TRUTH_DAYS} days…",
                    self.days
                ));
            }
        }
        out
    }

    fn show_setup(&self, ui: &mut egui::Ui, out: &mut Vec<ExperimentCommand>) {
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("Decision metric");
            let selected = METRICS.get(self.metric).map_or("—".into(), metric_name);
            egui::ComboBox::from_id_salt("exp-metric")
                .selected_text(selected)
                .width(190.0)
                .show_ui(ui, |ui| {
                    for i in decision_metrics() {
                        if ui
                            .selectable_label(i == self.metric, metric_name(&METRICS[i]))
                            .on_hover_text(METRICS[i].doc)
                            .clicked()
                            && i != self.metric
                        {
                            out.push(ExperimentCommand::SetMetric(i));
                        }
                    }
                })
                .response
                .labelled_by(label.id);
            let mut share = self.share_b * 100.0;
            let label = ui.label("In B (%)");
            if ui
                .add(egui::DragValue::new(&mut share).range(5.0..=95.0).speed(1.0))
                .labelled_by(label.id)
                .changed()
            {
                out.push(ExperimentCommand::SetShare(share / 100.0));
            }
            let mut days = self.days;
            let label = ui.label("Days");
            if ui
                .add(egui::DragValue::new(&mut days).range(1..=MAX_EXPERIMENT_DAYS))
                .labelled_by(label.id)
                .changed()
            {
                out.push(ExperimentCommand::SetDays(days));
            }
            let mut mde = self.mde_relative * 100.0;
            let label = ui.label("MDE (% of A)");
            if ui
                .add(egui::DragValue::new(&mut mde).range(0.5..=100.0).speed(0.5))
                .labelled_by(label.id)
                .on_hover_text("The smallest effect worth finding, relative to A's mean: it sets the sample size the plan needs (80 % power, α = 0.05) and the sequential test's spread.")
                .changed()
            {
                out.push(ExperimentCommand::SetMde(mde / 100.0));
            }
            match &self.job {
                Some(job) => {
                    ui.add(
                        egui::ProgressBar::new(job.progress().fraction())
                            .desired_width(90.0)
                            .text("running…"),
                    );
                    if ui.button("Stop").clicked() {
                        out.push(ExperimentCommand::Cancel);
                    }
                }
                None => {
                    if ui.button("Run experiment").clicked() {
                        out.push(ExperimentCommand::Run);
                    }
                    let mut seeds = self.aa_seeds;
                    if ui
                        .add(egui::DragValue::new(&mut seeds).range(1..=MAX_AA_SEEDS).suffix(" seeds"))
                        .on_hover_text("How many A/A tests to run.")
                        .changed()
                    {
                        out.push(ExperimentCommand::SetAaSeeds(seeds));
                    }
                    if ui
                        .button("Run A/A check")
                        .on_hover_text("Test design A against itself on many seeds with the same metric, days and split: how often does each stopping rule find a \"significant\" difference where there is none?")
                        .clicked()
                    {
                        out.push(ExperimentCommand::RunAa);
                    }
                }
            }
        });
        let specs = self.b.specs();
        let changed = (0..specs.len())
            .filter(|&i| self.b.values()[i] != self.a.values()[i])
            .count();
        egui::CollapsingHeader::new(format!(
            "Design B: what the treatment changes ({changed} changed from A)"
        ))
        .id_salt("exp-design-b")
        .default_open(false)
        .show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("exp-design-b-scroll")
                .max_height(220.0)
                .show(ui, |ui| {
                    for (index, value) in design_controls(
                        ui,
                        "exp-b",
                        &self.b,
                        &self.scenario.controls,
                        &self.scenario.locked,
                    ) {
                        out.push(ExperimentCommand::SetParam { index, value });
                    }
                });
        });
    }
}

/// The A/A check's rates, one line per rule, with a bar against the
/// nominal level.
fn show_aa(ui: &mut egui::Ui, aa: &AaResult) {
    let dark = ui.visuals().dark_mode;
    let name = METRICS.get(aa.metric).map_or("—".into(), metric_name);
    ui.label(
        RichText::new(format!(
            "A/A check: design A against itself, {} tests of {} days on {name}",
            aa.seeds, aa.days
        ))
        .strong(),
    );
    let colors = [theme::bad(dark), theme::good(dark), theme::warn(dark)];
    for (k, line) in run::aa_lines(aa.rates, aa.seeds, aa.days)
        .iter()
        .enumerate()
    {
        ui.horizontal_wrapped(|ui| {
            marker(ui, RULE_SHAPES[k], colors[k]);
            let text = RichText::new(line).small();
            // Above the nominal level by more than two standard errors: fooled.
            let se = (ALPHA * (1.0 - ALPHA) / f64::from(aa.seeds.max(1))).sqrt();
            ui.label(if aa.rates[k] > ALPHA + 2.0 * se {
                text.color(theme::bad(dark))
            } else {
                text
            });
        });
    }
    ui.add_space(6.0);
}

fn show_result(ui: &mut egui::Ui, r: &ExperimentResult) {
    let dark = ui.visuals().dark_mode;
    let spec = &METRICS[r.spec.metric];
    let unit = spec.unit;
    let last = r.run.looks.last();
    let needed = last.and_then(|l| l.units_needed);
    let users = last.map_or(0, |l| l.units[0] + l.units[1]);
    ui.label(
        RichText::new(format!(
            "{}: {} users in the test{}.",
            spec.label,
            format::count(users as f64),
            needed.map_or(String::new(), |n| format!(
                ", the plan needs {} users for a {} effect at 80 % power",
                format::count(n as f64),
                format::percent(r.spec.mde_relative)
            )),
        ))
        .small(),
    );
    let line_color = theme::accent(dark);
    let band_color = theme::mix(line_color, theme::central_bg(dark), 0.55);
    let marker_colors = [theme::bad(dark), theme::good(dark), theme::warn(dark)];
    legend(ui, line_color, band_color, &marker_colors).on_hover_text(format!(
        "Markers: the day each rule stopped (filled: it found a difference at α = {ALPHA}; hollow: it looked and found none). A rule with no marker ran all {} days and found none.",
        r.spec.days
    ));
    // Room below the plot for the truth and three verdict lines.
    let height = (ui.available_height() - 110.0).clamp(200.0, 300.0);
    let y_label = if unit.symbol().is_empty() {
        "B − A".to_string()
    } else {
        format!("B − A ({unit})")
    };
    Plot::new("lab-experiment-plot")
        .height(height)
        .y_axis_min_width(44.0)
        .x_axis_label("day")
        .y_axis_label(y_label)
        .include_x(0.0)
        .include_x(f64::from(r.spec.days) + 0.5)
        .include_y(0.0)
        .show(ui, |plot| {
            let looks: Vec<_> = r
                .run
                .looks
                .iter()
                .filter_map(|l| l.estimate.map(|e| (f64::from(l.day), e)))
                .collect();
            if looks.is_empty() {
                return;
            }
            let mut band: Vec<[f64; 2]> = looks.iter().map(|(d, e)| [*d, e.interval.1]).collect();
            band.extend(looks.iter().rev().map(|(d, e)| [*d, e.interval.0]));
            plot.polygon(
                Polygon::new("95 % interval", PlotPoints::new(band))
                    .fill_color(band_color)
                    .stroke(egui::Stroke::NONE),
            );
            plot.hline(
                HLine::new("no difference", 0.0)
                    .color(ui_weak(dark))
                    .style(LineStyle::dashed_loose()),
            );
            plot.line(
                Line::new(
                    "estimate B − A",
                    PlotPoints::new(looks.iter().map(|(d, e)| [*d, e.difference]).collect()),
                )
                .color(line_color)
                .width(2.0),
            );
            for (k, decision) in r.run.decisions.iter().enumerate() {
                let Some(d) = decision else { continue };
                plot.points(
                    Points::new(RULE_LABELS[k], vec![[f64::from(d.day), d.difference]])
                        .shape(RULE_SHAPES[k])
                        .radius(6.0 - k as f32)
                        .filled(d.significant)
                        .color(marker_colors[k]),
                );
            }
        });
    let t = &r.truth;
    ui.label(
        RichText::new(format!(
            "Truth (each design alone for {} days, same seed): net value per user A {}, B {}; active users A {}, B {}.",
            t.horizon_days,
            format::value(t.net_value_per_user[0], Unit::Money(Per::Total)),
            format::value(t.net_value_per_user[1], Unit::Money(Per::Total)),
            format::count(t.active_users[0]),
            format::count(t.active_users[1]),
        ))
        .small(),
    );
    for (k, line) in r.verdict_lines().iter().enumerate() {
        ui.horizontal_wrapped(|ui| {
            marker(ui, RULE_SHAPES[k], marker_colors[k]);
            ui.label(RichText::new(line).small());
        });
    }
}

/// The plot's legend as a row above it, so it never covers the estimate.
fn legend(
    ui: &mut egui::Ui,
    line: egui::Color32,
    band: egui::Color32,
    markers: &[egui::Color32; 3],
) -> egui::Response {
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = 4.0;
        let (rect, _) = ui.allocate_exact_size(egui::vec2(18.0, 12.0), egui::Sense::hover());
        ui.painter().rect_filled(rect, 0.0, band);
        ui.painter().hline(
            rect.x_range(),
            rect.center().y,
            egui::Stroke::new(2.0, line),
        );
        ui.label(RichText::new("estimate B − A, 95 % interval").small());
        ui.add_space(8.0);
        for k in 0..3 {
            marker(ui, RULE_SHAPES[k], markers[k]);
            ui.label(RichText::new(RULE_LABELS[k]).small());
            ui.add_space(8.0);
        }
    })
    .response
}

/// A rule's marker, painted.
fn marker(ui: &mut egui::Ui, shape: MarkerShape, color: egui::Color32) {
    let (rect, _) = ui.allocate_exact_size(egui::vec2(12.0, 12.0), egui::Sense::hover());
    let c = rect.center();
    let p = ui.painter();
    match shape {
        MarkerShape::Square => {
            p.rect_filled(
                egui::Rect::from_center_size(c, egui::vec2(9.0, 9.0)),
                0.0,
                color,
            );
        }
        MarkerShape::Diamond => {
            p.add(egui::Shape::convex_polygon(
                vec![
                    c + egui::vec2(0.0, -5.5),
                    c + egui::vec2(5.5, 0.0),
                    c + egui::vec2(0.0, 5.5),
                    c + egui::vec2(-5.5, 0.0),
                ],
                color,
                egui::Stroke::NONE,
            ));
        }
        _ => {
            p.circle_filled(c, 5.0, color);
        }
    }
}

fn ui_weak(dark: bool) -> egui::Color32 {
    if dark {
        egui::Color32::from_gray(150)
    } else {
        egui::Color32::from_gray(110)
    }
}
