//! A/B comparison: two designs of one scenario run side by side on one seed.
//!
//! Owns: the scenario, designs A and B as two [`Simulation`]s advanced in
//! step, the plotted series, the statistic of the difference table, and a
//! background batch of paired replications that puts 95% intervals on the
//! differences. The core keys randomness by (user, day), so A and B meet the
//! same people and situations (common random numbers): identical designs
//! give identical runs, and a difference is the design's doing.
//!
//! Frame cycle: [`CompareView::advance_within`] (poll the batch, step the
//! runs within a time budget), [`CompareView::show`] (draw from `&self`,
//! return [`CompareCommand`]s), [`CompareView::apply`] (change state, maybe
//! return a [`LabEvent`]). [`CompareView::ui`] does all three.

use std::path::Path;
use std::time::Duration;

use eframe::egui;
use egui::RichText;
use egui_plot::{Legend, Line, LineStyle, Plot, PlotPoints};

use crate::runner::{self, MAX_REPLICATIONS};
use crate::scenario::Scenario;
use crate::sim::{Layer, MAX_DAYS, ParamSpec, ParamValues, Simulation, WorldKind, rng};
use crate::ui::playback::{self, STEP_BUDGET};
use crate::ui::plot::decimate;
use crate::ui::shell;
use crate::ui::theme;

use super::controls::{design_controls, metric_name};
use super::measures::{Interval, Statistic, default_plotted, summarize};
use super::sweep_view::JobState;
use super::{Export, ExportError, LabError, LabEvent, write_file, write_file_with};
use crate::format;
use crate::job::{Job, JobEnd};
use crate::sim::Better;

/// Narrowest room for the measures table's five columns, in points; in
/// less, each replication interval goes under its difference.
const STACKED_TABLE_WIDTH: f32 = 640.0;

/// Widest a column of the stacked table gets, in points (names wrap).
const NARROW_NAME_WIDTH: f32 = 150.0;

/// The user world's confusion-matrix columns (true and false positives,
/// false and true negatives), resolved at compile time.
const CONFUSION: [usize; 4] = {
    use crate::sim::registry::metric_index;
    use crate::sim::users::METRICS;
    [
        metric_index(METRICS, "flow.tp"),
        metric_index(METRICS, "flow.fp"),
        metric_index(METRICS, "flow.fn"),
        metric_index(METRICS, "flow.tn"),
    ]
};

/// One of the two designs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Design {
    /// The reference design (drawn solid).
    A,
    /// The alternative (drawn dashed).
    B,
}

/// A change the person asked for while the compare view was drawn.
#[derive(Clone, Debug, PartialEq)]
pub enum CompareCommand {
    /// Set one parameter of a design; that design's run starts over.
    SetParam {
        /// Which design.
        design: Design,
        /// Index in the parameter table.
        index: usize,
        /// New value in storage form.
        value: f64,
    },
    /// Make B a copy of A (its run included).
    CopyAToB,
    /// Exchange A and B (their runs included).
    Swap,
    /// Let the person edit A's parameters too.
    SetEditA(bool),
    /// Run or pause the live runs.
    SetPlaying(bool),
    /// Start both runs over from day 0.
    Restart,
    /// Change the run length; shorter than the current day starts over.
    SetDays(u32),
    /// Change the seed of both runs (they start over).
    SetSeed(u64),
    /// Choose the statistic of the difference table.
    SetStatistic(Statistic),
    /// Show or hide a metric in a layer's plot.
    TogglePlotted {
        /// The layer's position in [`Layer::MEASURES`].
        layer: usize,
        /// The metric.
        metric: usize,
    },
    /// Choose the number of replications.
    SetReplications(u32),
    /// Start the background replications.
    RunReplications,
    /// Stop the background replications.
    CancelReplications,
    /// Ask the host to load design B as the main design.
    UseB,
    /// Ask the host for a path to save a file.
    Save(Export),
}

/// Replication means of A and B and the paired difference B − A.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PairedDiff {
    /// Mean of A over replications.
    pub a: f64,
    /// Mean of B over replications.
    pub b: f64,
    /// Mean of B − A with its 95% interval (paired by replication seed).
    pub diff: Interval,
}

/// Results of a batch of paired replications.
#[derive(Clone, Debug, PartialEq)]
pub struct ReplicationResults {
    /// Replications per design.
    pub replications: u32,
    /// Days per run.
    pub days: u32,
    /// Wall time the batch took.
    pub elapsed: Duration,
    /// Per statistic (run mean, final day), per metric.
    per_stat: [Vec<PairedDiff>; 2],
}

impl ReplicationResults {
    /// The paired difference of one metric under one statistic.
    pub fn diff(&self, metric: usize, stat: Statistic) -> Option<&PairedDiff> {
        self.per_stat[stat.index()].get(metric)
    }

    /// Whether the difference of `metric` is clear of noise: its 95%
    /// interval is finite and excludes zero. Only such differences are
    /// coloured as better or worse.
    pub fn is_clear(&self, metric: usize, stat: Statistic) -> bool {
        self.diff(metric, stat)
            .is_some_and(|p| p.diff.lo.is_finite() && p.diff.excludes_zero())
    }

    /// Pairs replication summaries (A, B alternating) into differences.
    fn from_summaries(
        summaries: &[[Vec<f64>; 2]],
        replications: u32,
        days: u32,
        elapsed: Duration,
    ) -> Self {
        let columns = summaries.first().map_or(0, |s| s[0].len());
        let per_stat = [0, 1].map(|s| {
            (0..columns)
                .map(|m| {
                    let pairs: Vec<(f64, f64)> = summaries
                        .chunks_exact(2)
                        .map(|ab| (ab[0][s][m], ab[1][s][m]))
                        .collect();
                    let n = pairs.len().max(1) as f64;
                    let diffs: Vec<f64> = pairs.iter().map(|(a, b)| b - a).collect();
                    PairedDiff {
                        a: pairs.iter().map(|p| p.0).sum::<f64>() / n,
                        b: pairs.iter().map(|p| p.1).sum::<f64>() / n,
                        diff: Interval::of(&diffs),
                    }
                })
                .collect()
        });
        Self {
            replications,
            days,
            elapsed,
            per_stat,
        }
    }
}

/// Where the background replications are.
#[derive(Debug)]
enum Replications {
    Idle,
    Running(Job<Vec<[Vec<f64>; 2]>>, u32, u32),
    Done(ReplicationResults),
    Cancelled,
    Failed(String),
}

/// The A/B comparison view. See the module docs.
#[derive(Debug)]
pub struct CompareView {
    scenario: Scenario,
    seed: u64,
    days: u32,
    a: Simulation,
    b: Simulation,
    playing: bool,
    edit_a: bool,
    statistic: Statistic,
    plotted: [Vec<usize>; 4],
    replications: u32,
    reps: Replications,
    threads: usize,
    message: Option<(String, bool)>,
}

impl CompareView {
    /// A comparison of the scenario's design with itself (edit B to differ),
    /// on the scenario's seed and run length, running.
    pub fn new(scenario: Scenario) -> Self {
        let params = scenario.params.clone();
        Self::build(scenario, params.clone(), params)
    }

    /// A comparison of two designs of the scenario's world.
    pub fn with_designs(
        scenario: Scenario,
        a: ParamValues,
        b: ParamValues,
    ) -> Result<Self, LabError> {
        let kind = scenario.world;
        for p in [&a, &b] {
            if !kind.owns(p) {
                return Err(LabError::OtherWorld {
                    which: "a design",
                    world: kind.id(),
                });
            }
        }
        Ok(Self::build(scenario, a, b))
    }

    fn build(scenario: Scenario, a: ParamValues, b: ParamValues) -> Self {
        let kind = scenario.world;
        Self {
            seed: scenario.seed,
            days: scenario.days,
            a: Simulation::new(kind, a, scenario.seed),
            b: Simulation::new(kind, b, scenario.seed),
            plotted: Layer::MEASURES.map(|layer| default_plotted(kind, &scenario.plots, layer)),
            scenario,
            playing: true,
            edit_a: false,
            statistic: Statistic::RunMean,
            replications: 10,
            reps: Replications::Idle,
            threads: 0,
            message: None,
        }
    }

    /// Puts a design (say, the main app's current one) in A or B; its run
    /// starts over. Refuses a design of another world.
    pub fn set_design(&mut self, which: Design, params: ParamValues) -> Result<(), LabError> {
        if !self.kind().owns(&params) {
            return Err(LabError::OtherWorld {
                which: "this design",
                world: self.kind().id(),
            });
        }
        self.invalidate_replications();
        let sim = Simulation::new(self.kind(), params, self.seed);
        match which {
            Design::A => self.a = sim,
            Design::B => self.b = sim,
        }
        Ok(())
    }

    /// Worker threads for replications (0 = one per core, the default).
    pub fn set_threads(&mut self, threads: usize) {
        self.threads = threads;
    }

    /// Shows a line of status text (say, the outcome of a save).
    pub fn set_message(&mut self, text: impl Into<String>, is_error: bool) {
        self.message = Some((text.into(), is_error));
    }

    /// The world.
    pub fn kind(&self) -> WorldKind {
        self.scenario.world
    }

    /// A design's parameters.
    pub fn params(&self, which: Design) -> &ParamValues {
        self.simulation(which).params()
    }

    /// A design's live run.
    pub fn simulation(&self, which: Design) -> &Simulation {
        match which {
            Design::A => &self.a,
            Design::B => &self.b,
        }
    }

    /// Days both runs have completed.
    pub fn day(&self) -> u32 {
        self.a.day().min(self.b.day())
    }

    /// Run length in days.
    pub fn days(&self) -> u32 {
        self.days
    }

    /// The seed of both live runs (replication 1 of the batch).
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Results of the last finished batch for the current designs.
    pub fn replication_results(&self) -> Option<&ReplicationResults> {
        match &self.reps {
            Replications::Done(r) => Some(r),
            _ => None,
        }
    }

    /// Where the background replications are.
    pub fn replication_state(&self) -> JobState {
        match &self.reps {
            Replications::Idle => JobState::Idle,
            Replications::Running(job, _, _) => JobState::Running(job.progress()),
            Replications::Done(_) => JobState::Done,
            Replications::Cancelled => JobState::Cancelled,
            Replications::Failed(e) => JobState::Failed(e.clone()),
        }
    }

    /// True while runs advance or replications compute: the host should keep
    /// repainting ([`Self::ui`] asks for repaints itself).
    pub fn is_busy(&self) -> bool {
        (self.playing && self.day() < self.days) || matches!(self.reps, Replications::Running(..))
    }

    /// A metric's statistic for a design over the days both runs completed.
    pub fn value(&self, which: Design, metric: usize, stat: Statistic) -> f64 {
        stat.of_history(
            self.simulation(which).history(),
            metric,
            self.day() as usize,
        )
    }

    /// Parameters whose values differ between A and B: (spec, A, B).
    pub fn differences(&self) -> Vec<(&'static ParamSpec, f64, f64)> {
        let pa = self.a.params();
        let pb = self.b.params();
        pa.specs()
            .iter()
            .zip(pa.values().iter().zip(pb.values()))
            .filter(|(_, (x, y))| x != y)
            .map(|(s, (x, y))| (s, *x, *y))
            .collect()
    }

    /// Advances both runs together by `days` days (not past the run length).
    pub fn step(&mut self, days: u32) {
        let target = self.day().saturating_add(days).min(self.days);
        while self.a.day() < target {
            self.a.step();
        }
        while self.b.day() < target {
            self.b.step();
        }
    }

    /// Polls the replications and, while playing, steps the runs (the one
    /// behind first, a slice of people at a time) until `budget` has passed
    /// or both reach the run length. Returns true if a day was completed.
    pub fn advance_within(&mut self, budget: Duration) -> bool {
        self.poll_replications();
        if !self.playing {
            return false;
        }
        let (a, b) = (&mut self.a, &mut self.b);
        playback::step_within(&mut [a, b], self.days, u32::MAX, budget).days > 0
    }

    /// Takes the outcome of a finished batch, if any.
    fn poll_replications(&mut self) {
        let Replications::Running(job, reps, days) = &mut self.reps else {
            return;
        };
        let (reps, days) = (*reps, *days);
        match job.try_finish() {
            None => {}
            Some(JobEnd::Done(summaries, elapsed)) => {
                self.message = Some((
                    format!(
                        "{reps} replications of {days} days finished in {}",
                        crate::format::duration(elapsed.as_secs_f64())
                    ),
                    false,
                ));
                self.reps = Replications::Done(ReplicationResults::from_summaries(
                    &summaries, reps, days, elapsed,
                ));
            }
            Some(JobEnd::Cancelled) => {
                self.message = Some(("Replications cancelled.".into(), false));
                self.reps = Replications::Cancelled;
            }
            Some(JobEnd::Failed(e)) => {
                self.message = Some((format!("Replications failed: {e}"), true));
                self.reps = Replications::Failed(e);
            }
        }
    }

    /// Results for other designs would mislead: drop them (a running batch
    /// is cancelled, which it notices within one simulation).
    fn invalidate_replications(&mut self) {
        if let Replications::Running(job, _, _) = &self.reps {
            job.cancel();
        }
        self.reps = Replications::Idle;
    }

    /// Starts the paired replications in the background: replication r of A
    /// and of B use the same seed, `replication_seed(seed, r)`.
    pub fn run_replications(&mut self) -> Result<(), LabError> {
        self.invalidate_replications();
        let reps = self.replications.clamp(2, MAX_REPLICATIONS);
        let (kind, days, seed, threads) = (self.kind(), self.days, self.seed, self.threads);
        let (pa, pb) = (self.a.params().clone(), self.b.params().clone());
        let jobs = 2 * reps as usize;
        let job = Job::spawn("ixsim-lab-replications", jobs, move |done, cancel| {
            runner::parallel_map(jobs, threads, Some(done), Some(cancel), |j| {
                let params = if j % 2 == 0 { &pa } else { &pb };
                let r = (j / 2) as u64;
                summarize(&runner::run_one(
                    kind,
                    params,
                    days,
                    rng::replication_seed(seed, r),
                ))
            })
        })?;
        self.reps = Replications::Running(job, reps, days);
        self.message = None;
        Ok(())
    }

    /// Applies a command; returns what the host must do, if anything.
    pub fn apply(&mut self, command: CompareCommand) -> Option<LabEvent> {
        match command {
            CompareCommand::SetParam {
                design,
                index,
                value,
            } => {
                let mut params = self.params(design).clone();
                if index >= params.values().len() {
                    self.message = Some((format!("no parameter number {index}"), true));
                    return None;
                }
                match params.set_index(index, value) {
                    Ok(()) if params.values() != self.params(design).values() => {
                        // Same world: cannot fail.
                        let _ = self.set_design(design, params);
                    }
                    Ok(()) => {}
                    Err(e) => self.message = Some((e.to_string(), true)),
                }
            }
            CompareCommand::CopyAToB => {
                if self.a.params().values() != self.b.params().values() {
                    self.invalidate_replications();
                }
                self.b = self.a.clone();
            }
            CompareCommand::Swap => {
                std::mem::swap(&mut self.a, &mut self.b);
                if let Replications::Done(r) = &mut self.reps {
                    for per in &mut r.per_stat {
                        for d in per {
                            *d = PairedDiff {
                                a: d.b,
                                b: d.a,
                                diff: Interval {
                                    mean: -d.diff.mean,
                                    lo: -d.diff.hi,
                                    hi: -d.diff.lo,
                                    n: d.diff.n,
                                },
                            };
                        }
                    }
                } else {
                    self.invalidate_replications();
                }
            }
            CompareCommand::SetEditA(on) => self.edit_a = on,
            CompareCommand::SetPlaying(on) => self.playing = on,
            CompareCommand::Restart => {
                self.a.restart();
                self.b.restart();
                self.playing = true;
            }
            CompareCommand::SetDays(days) => {
                let days = days.clamp(1, MAX_DAYS);
                if days != self.days {
                    self.invalidate_replications();
                    if days < self.a.day().max(self.b.day()) {
                        self.a.restart();
                        self.b.restart();
                    }
                    self.days = days;
                }
            }
            CompareCommand::SetSeed(seed) => {
                if seed != self.seed {
                    self.invalidate_replications();
                    self.seed = seed;
                    self.a = Simulation::new(self.kind(), self.a.params().clone(), seed);
                    self.b = Simulation::new(self.kind(), self.b.params().clone(), seed);
                }
            }
            CompareCommand::SetStatistic(s) => self.statistic = s,
            CompareCommand::TogglePlotted { layer, metric } => {
                let count = self.kind().metrics().len();
                if let Some(list) = self.plotted.get_mut(layer) {
                    if let Some(pos) = list.iter().position(|&m| m == metric) {
                        list.remove(pos);
                    } else if metric < count {
                        list.push(metric);
                    }
                }
            }
            CompareCommand::SetReplications(n) => self.replications = n.clamp(2, MAX_REPLICATIONS),
            CompareCommand::RunReplications => {
                if let Err(e) = self.run_replications() {
                    self.message = Some((e.to_string(), true));
                }
            }
            CompareCommand::CancelReplications => {
                if let Replications::Running(job, _, _) = &self.reps {
                    job.cancel();
                }
            }
            CompareCommand::UseB => return Some(LabEvent::LoadDesign(self.b.params().clone())),
            CompareCommand::Save(what) => return Some(LabEvent::SaveRequest(what)),
        }
        None
    }

    /// Advances, draws and applies: call once per frame. Returns what the
    /// host must act on.
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Vec<LabEvent> {
        self.advance_within(STEP_BUDGET);
        let commands = self.show(ui);
        let events = commands.into_iter().filter_map(|c| self.apply(c)).collect();
        if self.is_busy() {
            ui.ctx().request_repaint();
        }
        events
    }

    /// Writes a file the compare view offers ([`Export::CompareCsv`] or
    /// [`Export::CompareScenario`]).
    pub fn export(&self, what: Export, path: &Path, overwrite: bool) -> Result<(), ExportError> {
        match what {
            Export::CompareCsv => self.export_csv(path, overwrite),
            Export::CompareScenario => self.export_scenario(path, overwrite),
            other => Err(ExportError::NothingToExport(format!(
                "the compare view does not make a {}",
                other.extension()
            ))),
        }
    }

    /// Both runs as CSV with the columns of `ixsim run`: replication 1 is A,
    /// replication 2 is B, one row per day simulated so far.
    pub fn export_csv(&self, path: &Path, overwrite: bool) -> Result<(), ExportError> {
        if self.a.day() == 0 && self.b.day() == 0 {
            return Err(ExportError::NothingToExport(
                "no day has been simulated yet".into(),
            ));
        }
        let runs = [self.a.history(), self.b.history()];
        write_file_with(path, overwrite, |w| {
            crate::export::write_runs_csv(w, self.kind().metrics(), runs)
        })
    }

    /// Design B as a scenario file: the scenario's story with B's parameters,
    /// this view's run length and seed, id suffixed `-b`.
    pub fn export_scenario(&self, path: &Path, overwrite: bool) -> Result<(), ExportError> {
        write_file(path, self.scenario_b_ron().as_bytes(), overwrite)
    }

    /// The RON text of [`Self::export_scenario`].
    pub fn scenario_b_ron(&self) -> String {
        let mut s = self.scenario.clone();
        s.id = format!("{}-b", s.id);
        s.title = format!("{} (design B)", s.title);
        s.days = self.days;
        s.seed = self.seed;
        s.to_ron_with(self.b.params())
    }

    // ---- drawing

    /// Draws the view from its state; returns the commands the person gave.
    pub fn show(&self, ui: &mut egui::Ui) -> Vec<CompareCommand> {
        let mut out = Vec::new();
        let mut centre = Vec::new();
        shell::two_pane(
            ui,
            "lab-compare-designs",
            |ui| self.show_designs(ui, &mut out),
            |ui| self.show_centre(ui, &mut centre),
        );
        out.append(&mut centre);
        out
    }

    /// The toolbar, then the measures, plots and flow side by side (wide)
    /// or one at a time (narrow).
    fn show_centre(&self, ui: &mut egui::Ui, out: &mut Vec<CompareCommand>) {
        self.show_toolbar(ui, out);
        ui.separator();
        if ui.available_width() >= 1000.0 {
            // Wide: plots on the right, numbers on the left.
            let width = ui.available_width();
            egui::Panel::right("lab-compare-plots")
                .resizable(true)
                .default_size(width * 0.45)
                .show(ui, |ui| {
                    egui::ScrollArea::vertical()
                        .id_salt("lab-compare-plot-scroll")
                        .show(ui, |ui| self.show_plots(ui, out));
                });
            egui::CentralPanel::no_frame().show(ui, |ui| {
                egui::ScrollArea::both()
                    .id_salt("lab-compare-table-scroll")
                    .show(ui, |ui| {
                        self.show_table(ui, out);
                        ui.add_space(6.0);
                        self.show_flow(ui);
                    });
            });
        } else {
            // Narrow: one section at a time (a view-local choice, kept in
            // egui's memory).
            let id = ui.scope_id().with("lab-compare-section");
            let mut section = ui.data(|d| d.get_temp::<u8>(id)).unwrap_or(0);
            ui.horizontal(|ui| {
                for (i, name) in ["Measures", "Plots", "Flow"].into_iter().enumerate() {
                    ui.selectable_value(&mut section, i as u8, name);
                }
            });
            ui.data_mut(|d| d.insert_temp(id, section));
            egui::ScrollArea::vertical()
                .id_salt("lab-compare-main-scroll")
                .show(ui, |ui| match section {
                    1 => self.show_plots(ui, out),
                    2 => self.show_flow(ui),
                    _ => self.show_table(ui, out),
                });
        }
    }

    fn show_designs(&self, ui: &mut egui::Ui, out: &mut Vec<CompareCommand>) {
        ui.heading("Design B");
        let diffs = self.differences();
        if diffs.is_empty() {
            ui.label(
                RichText::new("Same as A: change a control below to compare.")
                    .weak()
                    .italics(),
            );
        } else {
            ui.label(RichText::new("B differs from A in:").strong());
            for (spec, a, b) in &diffs {
                ui.label(format!(
                    "• {}: {} in A, {} in B",
                    spec.label,
                    spec.format(*a),
                    spec.format(*b)
                ))
                .on_hover_text(spec.doc);
            }
        }
        ui.separator();
        let featured = &self.scenario.controls;
        let locked = &self.scenario.locked;
        for (index, value) in design_controls(ui, "lab-b", self.b.params(), featured, locked) {
            out.push(CompareCommand::SetParam {
                design: Design::B,
                index,
                value,
            });
        }
        if self.edit_a {
            ui.separator();
            egui::CollapsingHeader::new(RichText::new("Design A").heading())
                .id_salt("lab-a-controls")
                .default_open(true)
                .show(ui, |ui| {
                    for (index, value) in
                        design_controls(ui, "lab-a", self.a.params(), featured, locked)
                    {
                        out.push(CompareCommand::SetParam {
                            design: Design::A,
                            index,
                            value,
                        });
                    }
                });
        }
    }

    fn show_toolbar(&self, ui: &mut egui::Ui, out: &mut Vec<CompareCommand>) {
        ui.horizontal_wrapped(|ui| {
            ui.heading(format!("A/B: {}", self.scenario.title));
        });
        ui.horizontal_wrapped(|ui| {
            let running = self.playing && self.day() < self.days;
            if running {
                if ui.button("Pause").clicked() {
                    out.push(CompareCommand::SetPlaying(false));
                }
            } else if self.day() < self.days {
                if ui.button("Run").clicked() {
                    out.push(CompareCommand::SetPlaying(true));
                }
            } else {
                ui.add_enabled(false, egui::Button::new("Run"));
            }
            if ui.button("Restart").clicked() {
                out.push(CompareCommand::Restart);
            }
            let day_label = ui.label(format!("Day {} of", self.day()));
            let mut days = self.days;
            if ui
                .add(
                    egui::DragValue::new(&mut days)
                        .range(1..=MAX_DAYS)
                        .suffix(" days"),
                )
                .labelled_by(day_label.id)
                .on_hover_text("Run length of both designs and of each replication.")
                .changed()
            {
                out.push(CompareCommand::SetDays(days));
            }
            let seed_label = ui.label("Seed");
            let mut seed = self.seed;
            if ui
                .add(egui::DragValue::new(&mut seed))
                .labelled_by(seed_label.id)
                .on_hover_text("Both designs run on this seed: same people, same situations.")
                .changed()
            {
                out.push(CompareCommand::SetSeed(seed));
            }
        });
        ui.horizontal_wrapped(|ui| {
            if ui
                .button("Copy A to B")
                .on_hover_text("Make design B the same as A.")
                .clicked()
            {
                out.push(CompareCommand::CopyAToB);
            }
            if ui
                .button("Swap A and B")
                .on_hover_text("Exchange the two designs.")
                .clicked()
            {
                out.push(CompareCommand::Swap);
            }
            let mut edit_a = self.edit_a;
            if ui.checkbox(&mut edit_a, "Edit A too").changed() {
                out.push(CompareCommand::SetEditA(edit_a));
            }
            if ui
                .button("Use B as main design")
                .on_hover_text("Load design B into the main simulation.")
                .clicked()
            {
                out.push(CompareCommand::UseB);
            }
            for what in [Export::CompareCsv, Export::CompareScenario] {
                if ui.button(what.label()).clicked() {
                    out.push(CompareCommand::Save(what));
                }
            }
        });
        if let Some((text, is_error)) = &self.message {
            let color = if *is_error {
                theme::bad(ui.visuals().dark_mode)
            } else {
                ui.visuals().text_color()
            };
            ui.label(RichText::new(text).color(color));
        }
    }

    fn show_replication_controls(&self, ui: &mut egui::Ui, out: &mut Vec<CompareCommand>) {
        ui.horizontal_wrapped(|ui| match &self.reps {
            Replications::Running(job, _, _) => {
                let p = job.progress();
                ui.add(
                    egui::ProgressBar::new(p.fraction())
                        .desired_width(220.0)
                        .text(p.describe()),
                );
                if ui.button("Cancel replications").clicked() {
                    out.push(CompareCommand::CancelReplications);
                }
            }
            _ => {
                let mut r = self.replications;
                let label = ui.label("Replications");
                if ui
                    .add(egui::DragValue::new(&mut r).range(2..=MAX_REPLICATIONS))
                    .labelled_by(label.id)
                    .changed()
                {
                    out.push(CompareCommand::SetReplications(r));
                }
                if ui
                    .button(format!("Run {} replications", self.replications))
                    .on_hover_text(
                        "Runs A and B again on further seeds (the same seeds for both) \
                             in the background, for 95% intervals on B − A.",
                    )
                    .clicked()
                {
                    out.push(CompareCommand::RunReplications);
                }
            }
        });
    }

    fn show_table(&self, ui: &mut egui::Ui, out: &mut Vec<CompareCommand>) {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new("Headline measures").strong());
            for s in Statistic::ALL {
                if ui.radio(self.statistic == s, s.label()).clicked() && self.statistic != s {
                    out.push(CompareCommand::SetStatistic(s));
                }
            }
        });
        self.show_replication_controls(ui, out);
        let reps = self.replication_results();
        let metrics = self.kind().metrics();
        let stat = self.statistic;
        let text = ui.visuals().text_color();
        let dark = ui.visuals().dark_mode;
        let (good, bad) = (theme::good(dark), theme::bad(dark));
        let judged = |v: f64, better: Better| match better.judge(v) {
            1 => good,
            -1 => bad,
            _ => text,
        };
        // Too narrow for five columns (presentation mode, a small
        // window): the interval goes under the difference, in its column.
        let stacked = ui.available_width() < STACKED_TABLE_WIDTH;
        egui::Grid::new("lab-compare-table")
            .striped(true)
            .max_col_width(if stacked {
                NARROW_NAME_WIDTH
            } else {
                f32::INFINITY
            })
            .num_columns(if stacked { 4 } else { 5 })
            .spacing([14.0, 3.0])
            .show(ui, |ui| {
                ui.label(RichText::new("Measure").strong());
                ui.label(RichText::new("A").strong());
                ui.label(RichText::new("B").strong());
                let head = match reps {
                    Some(r) => format!("B − A, {} replications (95% interval)", r.replications),
                    None => "B − A over replications".into(),
                };
                if stacked {
                    let head = match reps {
                        Some(r) => {
                            format!("B − A\n[95% interval, {} replications]", r.replications)
                        }
                        None => "B − A".into(),
                    };
                    ui.label(RichText::new(head).strong());
                } else {
                    ui.label(RichText::new("B − A").strong());
                    ui.label(RichText::new(head).strong());
                }
                ui.end_row();
                let heads = self.kind().headlines();
                for layer in Layer::MEASURES {
                    ui.label(RichText::new(layer.label()).italics().weak());
                    ui.end_row();
                    for &h in heads.iter().filter(|&&h| metrics[h].layer == layer) {
                        let m = &metrics[h];
                        let unit = m.unit;
                        // Run means of whole measures keep their fraction;
                        // final days and intervals are written as such.
                        let show = |v: f64| match stat {
                            Statistic::RunMean => format::mean_amount(v, unit),
                            Statistic::FinalDay => format::amount(v, unit),
                        };
                        let diff = |v: f64| match stat {
                            Statistic::RunMean => format::mean_difference(v, unit),
                            Statistic::FinalDay => format::amount_difference(v, unit),
                        };
                        let mean_diff = |v: f64| format::mean_difference(v, unit);
                        let (a, b) = (
                            self.value(Design::A, h, stat),
                            self.value(Design::B, h, stat),
                        );
                        let d = b - a;
                        let dir = match m.better {
                            Better::Up => "higher is better",
                            Better::Down => "lower is better",
                            Better::Neither => "neither direction is better in itself",
                        };
                        let name = egui::Label::new(metric_name(m));
                        // Narrow: long names wrap rather than push the
                        // numbers out of the view.
                        let name = if stacked { name.wrap() } else { name };
                        ui.add(name).on_hover_text(format!("{}\n({dir})", m.doc));
                        ui.label(show(a));
                        ui.label(show(b));
                        // A difference is coloured only when replications
                        // put it clear of zero; a single run's is plain.
                        let clear = reps.is_some_and(|r| r.is_clear(h, stat));
                        let color = if clear { judged(d, m.better) } else { text };
                        let difference = |ui: &mut egui::Ui| {
                            ui.label(RichText::new(diff(d)).color(color))
                                .on_hover_text(if clear {
                                    "Coloured: the replications' 95% interval excludes 0."
                                } else {
                                    "Not coloured: run replications to see whether this \
                                     difference is more than noise."
                                });
                        };
                        let interval = |ui: &mut egui::Ui| match reps.and_then(|r| r.diff(h, stat))
                        {
                            Some(p) if p.diff.lo.is_finite() => {
                                let i = p.diff;
                                let color = if i.excludes_zero() {
                                    judged(i.mean, m.better)
                                } else {
                                    ui.visuals().weak_text_color()
                                };
                                ui.label(
                                    RichText::new(format!(
                                        "{} [{}, {}]",
                                        mean_diff(i.mean),
                                        mean_diff(i.lo),
                                        mean_diff(i.hi)
                                    ))
                                    .color(color),
                                )
                                .on_hover_text(format!(
                                    "Mean over replications: A {}, B {}. {}",
                                    format::mean_amount(p.a, unit),
                                    format::mean_amount(p.b, unit),
                                    if i.excludes_zero() {
                                        "The interval excludes 0."
                                    } else {
                                        "The interval includes 0: no clear difference."
                                    }
                                ));
                            }
                            _ => {
                                if !stacked {
                                    ui.label(RichText::new("—").weak());
                                }
                            }
                        };
                        if stacked && reps.is_some() {
                            ui.vertical(|ui| {
                                difference(ui);
                                interval(ui);
                            });
                        } else if stacked {
                            // One line: in the row's own layout, so it sits
                            // level with A and B.
                            difference(ui);
                        } else {
                            difference(ui);
                            interval(ui);
                        }
                        ui.end_row();
                    }
                }
            });
        if self.day() < self.days {
            ui.label(
                RichText::new(format!(
                    "A and B so far: {} of {} days.",
                    self.day(),
                    self.days
                ))
                .weak(),
            );
        }
    }

    /// Totals of one metric over the days both runs completed.
    fn total(&self, which: Design, metric: usize) -> f64 {
        self.simulation(which)
            .history()
            .column(metric)
            .take(self.day() as usize)
            .sum()
    }

    fn show_flow(&self, ui: &mut egui::Ui) {
        let metrics = self.kind().metrics();
        let flow: Vec<usize> = (0..metrics.len())
            .filter(|&i| metrics[i].layer == Layer::Flow)
            .collect();
        if flow.is_empty() {
            return;
        }
        egui::CollapsingHeader::new(format!("Flow: totals over {} days", self.day()))
            .id_salt("lab-compare-flow")
            .default_open(true)
            .show(ui, |ui| {
                if self.kind() == WorldKind::Users {
                    let [tp, fp, fn_, tn] = CONFUSION;
                    ui.horizontal(|ui| {
                        for which in [Design::A, Design::B] {
                            ui.vertical(|ui| {
                                ui.label(
                                    RichText::new(format!("Model, design {which:?}")).strong(),
                                );
                                egui::Grid::new(("lab-compare-confusion", which))
                                    .striped(true)
                                    .show(ui, |ui| {
                                        ui.label("");
                                        ui.label("truly positive");
                                        ui.label("truly negative");
                                        ui.end_row();
                                        ui.label("predicted positive");
                                        ui.label(format::count(self.total(which, tp)));
                                        ui.label(format::count(self.total(which, fp)));
                                        ui.end_row();
                                        ui.label("predicted negative");
                                        ui.label(format::count(self.total(which, fn_)));
                                        ui.label(format::count(self.total(which, tn)));
                                        ui.end_row();
                                    });
                            });
                            ui.add_space(16.0);
                        }
                    });
                }
                let rest: Vec<usize> = flow
                    .iter()
                    .copied()
                    .filter(|i| self.kind() != WorldKind::Users || !CONFUSION.contains(i))
                    .collect();
                egui::Grid::new("lab-compare-flow-table")
                    .striped(true)
                    .num_columns(4)
                    .show(ui, |ui| {
                        ui.label(RichText::new("What happened").strong());
                        ui.label(RichText::new("A").strong());
                        ui.label(RichText::new("B").strong());
                        ui.label(RichText::new("B − A").strong());
                        ui.end_row();
                        for i in rest {
                            let (a, b) = (self.total(Design::A, i), self.total(Design::B, i));
                            ui.label(metrics[i].label).on_hover_text(metrics[i].doc);
                            let unit = metrics[i].unit;
                            ui.label(format::amount(a, unit));
                            ui.label(format::amount(b, unit));
                            ui.label(format::amount_difference(b - a, unit));
                            ui.end_row();
                        }
                    });
            });
    }

    fn show_plots(&self, ui: &mut egui::Ui, out: &mut Vec<CompareCommand>) {
        let metrics = self.kind().metrics();
        let link = egui::Id::unique("lab-compare-x");
        let dark = ui.visuals().dark_mode;
        for (li, layer) in Layer::MEASURES.iter().enumerate() {
            ui.horizontal(|ui| {
                ui.label(RichText::new(layer.label()).strong());
                ui.label(
                    RichText::new("A solid, B dashed and lighter")
                        .weak()
                        .small(),
                );
                ui.menu_button("Series…", |ui| {
                    for (i, m) in metrics
                        .iter()
                        .enumerate()
                        .filter(|(_, m)| m.layer == *layer)
                    {
                        let mut on = self.plotted[li].contains(&i);
                        if ui.checkbox(&mut on, metric_name(m)).changed() {
                            out.push(CompareCommand::TogglePlotted {
                                layer: li,
                                metric: i,
                            });
                        }
                    }
                });
            });
            Plot::new(("lab-compare-plot", li))
                .height(170.0)
                .legend(Legend::default().position(egui_plot::Corner::RightBottom))
                .link_axis(link, [true, false])
                .include_x(0.0)
                .include_x(f64::from(self.days))
                .x_axis_label("day")
                .show(ui, |plot| {
                    // Long runs are thinned to the extremes of each pixel column.
                    let bounds = plot.plot_bounds();
                    let view = (bounds.min()[0], bounds.max()[0]);
                    let width = plot.transform().frame().width().max(16.0) as usize;
                    for (k, &m) in self.plotted[li].iter().enumerate() {
                        let Some(spec) = metrics.get(m) else { continue };
                        let color = theme::series_color(*layer, k, dark);
                        // B: the same hue mixed toward the background, dashed.
                        let color_b = theme::mix(color, theme::central_bg(dark), 0.45);
                        for which in [Design::A, Design::B] {
                            let ys: Vec<f64> = self.simulation(which).history().column(m).collect();
                            let points = PlotPoints::new(decimate(&ys, view, width));
                            let name = format!("{} · {which:?}", spec.label);
                            let line = Line::new(name, points)
                                .id((li, m, which))
                                .width(theme::line_width(false));
                            let line = match which {
                                Design::A => line.color(color),
                                Design::B => line
                                    .color(color_b)
                                    .width(theme::line_width(false) + 0.6)
                                    .style(LineStyle::dashed_loose()),
                            };
                            plot.line(line);
                        }
                    }
                });
        }
    }
}
