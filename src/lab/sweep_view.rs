//! Sweeps of the design space: set up a grid over one or two parameters,
//! run it on all cores in the background, read the answer at a glance, and
//! load the sweet spot.
//!
//! Owns: the base design (every parameter not swept), the setup being edited
//! ([`SweepSetup`]), the background batch (`SweepSpec::run` on a worker
//! thread with progress and cancel) and the last finished result. A
//! cancelled or failed run leaves the previous result untouched: results are
//! replaced only by a complete run.
//!
//! While a sweep runs, the results panel shows what it has finished so far
//! (a [`SweepSink`] read each frame): the sweep takes the first replication
//! of every cell first, so the whole heatmap fills within about
//! 1/replications of the time and then refines; the status line and each
//! cell's hover say how many replications it holds. Cancel drops these
//! provisional cells and shows the previous complete result again.
//!
//! First sweep: the axes and measures the scenario's `sweep` block names
//! ([`SweepSetup::for_scenario`]), else the world's default.
//!
//! Size: the setup's work and rough wall time ([`SweepEstimate`]) are worked
//! out whenever the setup, base design or threads change, and shown beside
//! Run. A sweep above [`runner::MAX_WORK`] does not start on Run: the view
//! asks first and starts only on [`SweepCommand::ConfirmRun`]. A sweep that
//! would not fit in memory ([`runner::check_memory`]) is refused with a
//! message.
//!
//! Results: one parameter gives a line of the replication mean with a
//! 10–90% band; two give a heatmap. A second measure can be shown side by
//! side (each heatmap draws both measures' zero contours) or as a
//! map of sign agreement — "where does the system add value for users, and
//! where does profit part ways with it?". Clicking a point or cell emits
//! [`LabEvent::LoadDesign`].

use std::cell::{Ref, RefCell};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use eframe::egui;
use egui::{Color32, RichText};
use egui_plot::{FilledArea, Legend, Line, MarkerShape, Plot, Points};

use crate::runner::{self, MAX_REPLICATIONS};
use crate::scenario::Scenario;
use crate::sim::{MAX_DAYS, MetricSpec, ParamKind, ParamSpec, ParamValues, WorldKind};
use crate::sweep::{Axis, SweepRow, SweepSink, SweepSpec, sweep_csv};
use crate::ui::{shell, theme};

use super::controls::{metric_combo, metric_name, param_combo};
use super::heatmap::{
    ColorScale, GridValues, HeatmapPaint, heatmap_image, paint_heatmap, paint_legend,
};
use super::measures::Statistic;
use super::{Export, ExportError, LabError, LabEvent, write_file};
use crate::format;
use crate::job::{Job, JobEnd, Progress};

/// Most values one axis may take in the view (the grid's limit is
/// [`crate::sweep::MAX_POINTS`] points in all); the same as a scenario's
/// `sweep` block.
pub const MAX_AXIS_POINTS: usize = crate::scenario::MAX_AXIS_POINTS;

/// The range of one swept parameter, as the person sets it.
#[derive(Clone, Debug, PartialEq)]
pub struct AxisSetup {
    /// Index of the parameter in the table.
    pub param: usize,
    /// First value (Real and Int parameters).
    pub start: f64,
    /// Last value, included (Real and Int parameters).
    pub end: f64,
    /// Number of values from start to end (Real and Int parameters).
    pub points: usize,
    /// The option values taken (Choice and Bool parameters: indices, 0/1).
    /// For Real and Int parameters, values listed by a scenario's `sweep`
    /// block, used in place of the range while not empty.
    pub options: Vec<f64>,
}

impl AxisSetup {
    /// The whole range of a parameter in six steps, or all its options.
    pub fn for_param(specs: &[ParamSpec], param: usize) -> Self {
        let spec = &specs[param];
        let options = match spec.kind {
            ParamKind::Choice(o) => (0..o.len()).map(|i| i as f64).collect(),
            ParamKind::Bool => vec![0.0, 1.0],
            _ => Vec::new(),
        };
        let points = match spec.kind {
            ParamKind::Int => ((spec.max - spec.min) as usize + 1).clamp(1, 6),
            _ => 6,
        };
        Self {
            param,
            start: spec.min,
            end: spec.max,
            points,
            options,
        }
    }

    /// The axis a scenario's `sweep` block names.
    pub fn of_plan(specs: &[ParamSpec], plan: &crate::scenario::PlanAxis) -> Self {
        use crate::scenario::PlanValues;
        match &plan.values {
            PlanValues::Range { from, to, points } => Self::range(plan.param, *from, *to, *points),
            PlanValues::List(values) => {
                let mut axis = Self::for_param(specs, plan.param);
                axis.options = values.clone();
                if matches!(
                    specs.get(plan.param).map(|s| s.kind),
                    Some(ParamKind::Real | ParamKind::Int)
                ) {
                    // The range shown spans the listed values.
                    let (lo, hi) = values
                        .iter()
                        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
                            (lo.min(*v), hi.max(*v))
                        });
                    if lo <= hi {
                        (axis.start, axis.end, axis.points) = (lo, hi, values.len());
                    }
                }
                axis
            }
        }
    }

    /// A range from `start` to `end` in `points` values.
    pub fn range(param: usize, start: f64, end: f64, points: usize) -> Self {
        Self {
            param,
            start,
            end,
            points,
            options: Vec::new(),
        }
    }

    /// The values this axis takes, checked against the parameter. Whole-number
    /// parameters are rounded and repeated values dropped.
    pub fn to_axis(&self, specs: &[ParamSpec]) -> Result<Axis, LabError> {
        let spec = specs.get(self.param).ok_or(LabError::NoParam(self.param))?;
        match spec.kind {
            ParamKind::Choice(_) | ParamKind::Bool => {
                let mut options = self.options.clone();
                options.sort_by(f64::total_cmp);
                Ok(Axis::list(self.param, spec, options)?)
            }
            ParamKind::List(_) => Ok(Axis::list(self.param, spec, Vec::new())?),
            ParamKind::Real | ParamKind::Int if !self.options.is_empty() => {
                Ok(Axis::list(self.param, spec, self.options.clone())?)
            }
            ParamKind::Real | ParamKind::Int => {
                // The panel's own, smaller limit on points per axis.
                if self.points > MAX_AXIS_POINTS {
                    return Err(LabError::TooManyPoints {
                        label: spec.label,
                        points: self.points,
                    });
                }
                Ok(Axis::range(
                    self.param,
                    spec,
                    self.start,
                    self.end,
                    self.points,
                )?)
            }
        }
    }
}

/// How a second measure is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum PairView {
    /// Both measures, each with its own scale, with both measures' zero
    /// contours drawn on each.
    #[default]
    SideBySide,
    /// One map of sign agreement: both positive, only the first, only the
    /// second, neither.
    Signs,
}

/// Everything the person sets before pressing Run, and how results are read.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepSetup {
    /// One or two swept parameters.
    pub axes: Vec<AxisSetup>,
    /// Replications per grid point (same seeds at every point).
    pub replications: u32,
    /// Days per run.
    pub days: u32,
    /// Seed of replication 1.
    pub seed: u64,
    /// The measure shown.
    pub measure: usize,
    /// An optional second measure.
    pub second: Option<usize>,
    /// Final day or run mean.
    pub statistic: Statistic,
    /// How the second measure is shown.
    pub view: PairView,
}

/// A world's first sweep, where it has a better one than its first two real
/// parameters and its headline measures; ids resolved at compile time.
struct FirstSweep {
    /// The two parameters to sweep.
    axes: Option<[usize; 2]>,
    /// A parameter's range other than its full one: (parameter, start, end).
    range: Option<(usize, f64, f64)>,
    /// The measure shown.
    measure: Option<usize>,
    /// The measure shown next to it.
    second: Option<usize>,
}

fn first_sweep(kind: WorldKind) -> FirstSweep {
    use crate::sim::registry::{metric_index, param_index};
    use crate::sim::{lending, users};
    match kind {
        WorldKind::Users => {
            const AUC: usize = param_index(users::PARAMS, "model.auc");
            FirstSweep {
                axes: Some([AUC, param_index(users::PARAMS, "experience.forcefulness")]),
                range: Some((AUC, 0.6, 0.99)),
                measure: Some(metric_index(users::METRICS, "user.value_added_per_user")),
                second: Some(metric_index(users::METRICS, "org.profit")),
            }
        }
        WorldKind::Lending => FirstSweep {
            axes: None,
            range: None,
            measure: None,
            second: Some(metric_index(lending::METRICS, "org.profit")),
        },
        WorldKind::Policing | WorldKind::Recommender => FirstSweep {
            axes: None,
            range: None,
            measure: None,
            second: None,
        },
    }
}

impl SweepSetup {
    /// Sensible first sweep for a world: for the user world, model quality
    /// (AUC) × forcefulness, value added for users next to profit.
    pub fn default_for(kind: WorldKind, days: u32, seed: u64) -> Self {
        let specs = kind.params();
        let first = first_sweep(kind);
        let params: Vec<usize> = match first.axes {
            Some(pair) => pair.to_vec(),
            None => (0..specs.len())
                .filter(|&i| matches!(specs[i].kind, ParamKind::Real))
                .take(2)
                .collect(),
        };
        let mut axes: Vec<AxisSetup> = params
            .iter()
            .map(|&p| AxisSetup::for_param(specs, p))
            .collect();
        if let Some((param, start, end)) = first.range
            && let Some(axis) = axes.iter_mut().find(|a| a.param == param)
        {
            axis.start = start;
            axis.end = end;
        }
        if axes.is_empty() && !specs.is_empty() {
            axes.push(AxisSetup::for_param(specs, 0));
        }
        let metrics = kind.metrics();
        let heads = kind.headlines();
        let first_in = |layer| heads.iter().copied().find(|&m| metrics[m].layer == layer);
        let measure = first
            .measure
            .or_else(|| first_in(crate::sim::Layer::User))
            .unwrap_or(0);
        let second = first
            .second
            .or_else(|| first_in(crate::sim::Layer::Organization));
        Self {
            axes,
            replications: 3,
            days: days.clamp(1, MAX_DAYS),
            seed,
            measure,
            second: second.filter(|&s| s != measure),
            statistic: Statistic::RunMean,
            view: PairView::SideBySide,
        }
    }

    /// The first sweep of a scenario: the axes and measures its `sweep`
    /// block names, else the world's ([`Self::default_for`]).
    pub fn for_scenario(scenario: &Scenario) -> Self {
        let mut setup = Self::default_for(scenario.world, scenario.days, scenario.seed);
        if let Some(plan) = &scenario.sweep {
            let specs = scenario.world.params();
            setup.axes = plan
                .axes
                .iter()
                .map(|a| AxisSetup::of_plan(specs, a))
                .collect();
            if let Some(&m) = plan.measures.first() {
                setup.measure = m;
            }
            setup.second = plan.measures.get(1).copied();
        }
        setup
    }

    /// The runnable sweep over `base`, checked.
    pub fn to_spec(&self, kind: WorldKind, base: &ParamValues) -> Result<SweepSpec, LabError> {
        if self.axes.is_empty() || self.axes.len() > 2 {
            return Err(LabError::AxisCount);
        }
        if self.replications == 0 || self.replications > MAX_REPLICATIONS {
            return Err(LabError::Replications(self.replications));
        }
        if self.days == 0 || self.days > MAX_DAYS {
            return Err(LabError::Days(self.days));
        }
        let axes = self
            .axes
            .iter()
            .map(|a| a.to_axis(base.specs()))
            .collect::<Result<Vec<_>, _>>()?;
        let spec = SweepSpec {
            kind,
            base: base.clone(),
            axes,
            days: self.days,
            seed: self.seed,
            replications: self.replications,
        };
        spec.check()?;
        Ok(spec)
    }
}

/// How big the setup's sweep is, worked out when the setup changes.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepEstimate {
    /// Work in user-situations ([`SweepSpec::work_estimate`]).
    pub work: f64,
    /// Threads it would run on (0 resolved to the cores).
    pub threads: usize,
    /// Rough wall time ([`runner::work_seconds`]), in seconds.
    pub seconds: f64,
}

impl SweepEstimate {
    /// The estimate of `spec` on `threads` threads (0 = one per core).
    pub fn of(spec: &SweepSpec, threads: usize) -> Self {
        let work = spec.work_estimate();
        Self {
            work,
            threads: runner::effective_threads(threads),
            seconds: runner::work_seconds(work, threads),
        }
    }

    /// True above [`runner::MAX_WORK`]: the person is asked before it starts.
    pub fn needs_confirmation(&self) -> bool {
        self.work > runner::MAX_WORK
    }

    /// The label beside Run: "≈ 40 s", "< 1 s".
    pub fn eta_text(&self) -> String {
        if self.seconds < 1.0 {
            "< 1 s".to_string()
        } else {
            format!("≈ {}", format::duration(self.seconds))
        }
    }

    /// "about 240 bn user-situations, roughly 2 h 10 min on 2 threads".
    pub fn describe(&self) -> String {
        format!(
            "about {} user-situations, roughly {} on {} {}",
            format::count(self.work),
            format::duration(self.seconds),
            self.threads,
            if self.threads == 1 {
                "thread"
            } else {
                "threads"
            }
        )
    }
}

/// A finished sweep.
#[derive(Clone, Debug)]
pub struct SweepResult {
    /// What ran.
    pub spec: SweepSpec,
    /// One row per (point, replication), in that order.
    pub rows: Vec<SweepRow>,
    /// Wall time it took.
    pub elapsed: Duration,
}

/// Where the background sweep is, for hosts and tests.
#[derive(Clone, Debug, PartialEq)]
pub enum JobState {
    /// Nothing has run yet.
    Idle,
    /// Running; how far.
    Running(Progress),
    /// The last run finished; its result is shown.
    Done,
    /// The last run was cancelled; the previous result (if any) is kept.
    Cancelled,
    /// The last run could not run; why.
    Failed(String),
}

/// A change the person asked for while the sweep view was drawn.
#[derive(Clone, Debug, PartialEq)]
pub enum SweepCommand {
    /// Replace the setup (edits of any control).
    Setup(SweepSetup),
    /// Start the sweep; one above [`runner::MAX_WORK`] is asked about
    /// first.
    Run,
    /// Start the sweep that was asked about.
    ConfirmRun,
    /// Do not start the sweep that was asked about.
    DeclineRun,
    /// Stop the running sweep.
    Cancel,
    /// Load the design at this grid point of the result.
    LoadPoint(usize),
    /// Ask the host for a path to save a file.
    Save(Export),
}

/// A running sweep: its job, what it runs, and the rows it has finished.
#[derive(Debug)]
struct Running {
    job: Job<Vec<SweepRow>>,
    spec: SweepSpec,
    sink: Arc<SweepSink>,
}

/// What a running sweep has finished so far, drawn in place of the last
/// result until the run ends.
#[derive(Debug)]
struct Provisional {
    result: SweepResult,
    /// Points with at least one replication.
    cells: usize,
    /// Rows of the sink this was built from.
    rows: usize,
}

#[derive(Debug)]
enum Status {
    Idle,
    Running(Box<Running>),
    Done,
    Cancelled,
    Failed(String),
}

/// Sign category of a pair of values (None when either is missing).
fn sign_category(first: f64, second: f64) -> Option<usize> {
    if !first.is_finite() || !second.is_finite() {
        return None;
    }
    Some(match (first > 0.0, second > 0.0) {
        (true, true) => 0,
        (true, false) => 1,
        (false, true) => 2,
        (false, false) => 3,
    })
}

/// One measure of the last result, reduced for drawing.
#[derive(Debug)]
struct Measured {
    grid: GridValues,
    scale: ColorScale,
    /// Cell colours on `scale`, grid-point order.
    colors: Vec<Color32>,
}

impl Measured {
    fn new(grid: GridValues) -> Self {
        let scale = ColorScale::fit(grid.means());
        let colors = grid.means().map(|v| scale.color(v)).collect();
        Self {
            grid,
            scale,
            colors,
        }
    }
}

/// What the results panel draws for one (measure, second measure,
/// statistic): built once per result and choice, not every frame.
#[derive(Debug)]
struct Drawn {
    key: (usize, Option<usize>, Statistic),
    first: Measured,
    second: Option<Measured>,
    /// Zero contours: black for the first measure, white for the second.
    contours: Vec<(Vec<Option<bool>>, Color32)>,
    /// Sign category of each point (with a second measure) and its colour.
    signs: Vec<Option<usize>>,
    sign_colors: Vec<Color32>,
}

impl Drawn {
    fn new(r: &SweepResult, key: (usize, Option<usize>, Statistic)) -> Self {
        let (measure, second, stat) = key;
        let grid = |m| GridValues::from_rows(&r.spec, &r.rows, m, stat);
        let first = Measured::new(grid(measure));
        let second = second.map(|m| Measured::new(grid(m)));
        let sign = |g: &GridValues| -> Vec<Option<bool>> {
            g.means()
                .map(|v| v.is_finite().then_some(v > 0.0))
                .collect()
        };
        let mut contours = vec![(sign(&first.grid), Color32::BLACK)];
        let mut signs = Vec::new();
        if let Some(g2) = second.as_ref().map(|m| &m.grid) {
            contours.push((sign(g2), Color32::WHITE));
            signs = first
                .grid
                .means()
                .zip(g2.means())
                .map(|(a, b)| sign_category(a, b))
                .collect();
        }
        let sign_colors = signs
            .iter()
            .map(|c| c.map_or(Color32::DARK_GRAY, |c| theme::SIGN_COLORS[c]))
            .collect();
        Self {
            key,
            first,
            second,
            contours,
            signs,
            sign_colors,
        }
    }
}

/// The sweep view. See the module docs.
#[derive(Debug)]
pub struct SweepView {
    kind: WorldKind,
    base: ParamValues,
    setup: SweepSetup,
    status: Status,
    result: Option<SweepResult>,
    /// The running sweep's finished rows, shown while it runs.
    provisional: Option<Provisional>,
    threads: usize,
    loaded: Option<usize>,
    message: Option<(String, bool)>,
    /// The setup's size; none when the setup is refused.
    estimate: Option<SweepEstimate>,
    /// A large sweep waiting for the person's yes (the setup's estimate).
    confirm: Option<SweepEstimate>,
    /// Grids, scales and contours of the last result for the measures and
    /// statistic shown; emptied when the result changes.
    drawn: RefCell<Option<Drawn>>,
}

impl SweepView {
    /// A view sweeping around the scenario's design, on its run length and seed.
    pub fn new(scenario: &Scenario) -> Self {
        let mut view = Self {
            kind: scenario.world,
            base: scenario.params.clone(),
            setup: SweepSetup::for_scenario(scenario),
            status: Status::Idle,
            result: None,
            provisional: None,
            threads: 0,
            loaded: None,
            message: None,
            estimate: None,
            confirm: None,
            drawn: RefCell::new(None),
        };
        view.setup_changed();
        view
    }

    /// Works out the estimate again and drops a question about the old setup.
    fn setup_changed(&mut self) {
        self.estimate = self
            .setup
            .to_spec(self.kind, &self.base)
            .ok()
            .map(|spec| SweepEstimate::of(&spec, self.threads));
        self.confirm = None;
    }

    /// Sets the design every unswept parameter takes (say, the main app's
    /// current design). Refuses a design of another world.
    pub fn set_base(&mut self, params: ParamValues) -> Result<(), LabError> {
        if !self.kind.owns(&params) {
            return Err(LabError::OtherWorld {
                which: "this design",
                world: self.kind.id(),
            });
        }
        self.base = params;
        self.setup_changed();
        Ok(())
    }

    /// Worker threads (0 = one per core, the default). Results do not
    /// depend on it.
    pub fn set_threads(&mut self, threads: usize) {
        self.threads = threads;
        self.setup_changed();
    }

    /// Shows a line of status text (say, the outcome of a save).
    pub fn set_message(&mut self, text: impl Into<String>, is_error: bool) {
        self.message = Some((text.into(), is_error));
    }

    /// Replaces the setup (what the controls edit).
    pub fn set_setup(&mut self, setup: SweepSetup) {
        self.setup = setup;
        self.setup_changed();
    }

    /// The world swept.
    pub fn kind(&self) -> WorldKind {
        self.kind
    }

    /// The design every unswept parameter takes.
    pub fn base(&self) -> &ParamValues {
        &self.base
    }

    /// The setup being edited.
    pub fn setup(&self) -> &SweepSetup {
        &self.setup
    }

    /// The size of the setup's sweep; none when the setup is refused.
    pub fn estimate(&self) -> Option<&SweepEstimate> {
        self.estimate.as_ref()
    }

    /// The large sweep waiting for a yes, if Run asked.
    pub fn pending_confirmation(&self) -> Option<&SweepEstimate> {
        self.confirm.as_ref()
    }

    /// The last complete result.
    pub fn result(&self) -> Option<&SweepResult> {
        self.result.as_ref()
    }

    /// What the running sweep has finished so far (rows in (point,
    /// replication) order), once it has finished a run; none when no
    /// sweep runs.
    pub fn provisional(&self) -> Option<&SweepResult> {
        self.provisional.as_ref().map(|p| &p.result)
    }

    /// What the results panel shows: the running sweep's rows so far,
    /// else the last complete result.
    fn shown(&self) -> Option<&SweepResult> {
        self.provisional().or(self.result.as_ref())
    }

    /// "first pass: 120 of 400 cells…" while a sweep runs and has
    /// finished something; none otherwise.
    pub fn progress_line(&self) -> Option<String> {
        let p = self.provisional.as_ref()?;
        let spec = &p.result.spec;
        let points = spec.points();
        Some(if p.cells < points {
            format!(
                "First pass: {} of {} cells, each from one replication so far…",
                p.cells, points
            )
        } else {
            format!(
                "First pass done: {points} of {points} cells; refining with more replications ({} of {} runs)…",
                p.rows,
                spec.jobs()
            )
        })
    }

    /// Where the background sweep is.
    pub fn state(&self) -> JobState {
        match &self.status {
            Status::Idle => JobState::Idle,
            Status::Running(r) => JobState::Running(r.job.progress()),
            Status::Done => JobState::Done,
            Status::Cancelled => JobState::Cancelled,
            Status::Failed(e) => JobState::Failed(e.clone()),
        }
    }

    /// True while a sweep runs.
    pub fn is_running(&self) -> bool {
        matches!(self.status, Status::Running(..))
    }

    /// The grid point whose design was last loaded.
    pub fn loaded_point(&self) -> Option<usize> {
        self.loaded
    }

    /// What Run does: starts the sweep of the current setup, unless it is
    /// above [`runner::MAX_WORK`]; then it asks ([`Self::pending_confirmation`])
    /// and returns false. Refuses a sweep that would not fit in memory.
    pub fn request_run(&mut self) -> Result<bool, LabError> {
        if self.is_running() {
            return Err(LabError::AlreadyRunning);
        }
        let spec = self.setup.to_spec(self.kind, &self.base)?;
        runner::check_memory(spec.memory_estimate(self.threads))?;
        let estimate = SweepEstimate::of(&spec, self.threads);
        if estimate.needs_confirmation() {
            self.confirm = Some(estimate);
            self.message = None;
            return Ok(false);
        }
        self.spawn(spec)?;
        Ok(true)
    }

    /// Starts the sweep of the current setup in the background now, on all
    /// cores, whatever its size (the Run button asks first, see
    /// [`Self::request_run`]). Refuses a sweep that would not fit in memory.
    pub fn start(&mut self) -> Result<(), LabError> {
        if self.is_running() {
            return Err(LabError::AlreadyRunning);
        }
        let spec = self.setup.to_spec(self.kind, &self.base)?;
        runner::check_memory(spec.memory_estimate(self.threads))?;
        self.spawn(spec)
    }

    fn spawn(&mut self, spec: SweepSpec) -> Result<(), LabError> {
        self.confirm = None;
        let total = spec.jobs();
        let threads = self.threads;
        let work = spec.clone();
        let sink = Arc::new(SweepSink::new(&spec));
        let feed = Arc::clone(&sink);
        let job = Job::spawn("ixsim-lab-sweep", total, move |done, cancel| {
            work.run_into(threads, Some(done), Some(cancel), Some(&feed))
        })?;
        self.status = Status::Running(Box::new(Running { job, spec, sink }));
        self.provisional = None;
        self.message = None;
        Ok(())
    }

    /// Asks the running sweep to stop; [`Self::poll`] sees it end.
    pub fn cancel(&mut self) {
        if let Status::Running(r) = &self.status {
            r.job.cancel();
        }
    }

    /// Takes the outcome of a finished sweep, if any; never blocks. Returns
    /// true when the state changed.
    pub fn poll(&mut self) -> bool {
        let Status::Running(running) = &mut self.status else {
            return false;
        };
        let Some(end) = running.job.try_finish() else {
            // Still running: take what it has finished since the last look.
            let rows = running.sink.rows_done();
            if rows == 0 || self.provisional.as_ref().is_some_and(|p| p.rows == rows) {
                return false;
            }
            let (done, cells) = running.sink.snapshot();
            self.provisional = Some(Provisional {
                result: SweepResult {
                    spec: running.spec.clone(),
                    rows: done,
                    elapsed: running.job.progress().elapsed,
                },
                cells,
                rows,
            });
            *self.drawn.get_mut() = None;
            return true;
        };
        let spec = running.spec.clone();
        self.provisional = None;
        *self.drawn.get_mut() = None;
        match end {
            JobEnd::Done(rows, elapsed) => {
                self.message = Some((
                    format!(
                        "{} runs finished in {}.",
                        rows.len(),
                        crate::format::duration(elapsed.as_secs_f64())
                    ),
                    false,
                ));
                self.result = Some(SweepResult {
                    spec,
                    rows,
                    elapsed,
                });
                self.loaded = None;
                self.status = Status::Done;
            }
            JobEnd::Cancelled => {
                self.message = Some((
                    "Sweep cancelled; the previous results, if any, are unchanged.".into(),
                    false,
                ));
                self.status = Status::Cancelled;
            }
            JobEnd::Failed(e) => {
                self.message = Some((format!("The sweep failed: {e}"), true));
                self.status = Status::Failed(e);
            }
        }
        true
    }

    /// The design at a grid point of the last result.
    pub fn design_at(&self, point: usize) -> Option<ParamValues> {
        let r = self.shown()?;
        (point < r.spec.points()).then(|| r.spec.params_at(point).0)
    }

    /// Marks a grid point as loaded and returns the event that loads it.
    pub fn load_point(&mut self, point: usize) -> Option<LabEvent> {
        let design = self.design_at(point)?;
        self.loaded = Some(point);
        self.message = Some((
            format!("Loaded the design at {}.", self.describe_point(point)),
            false,
        ));
        Some(LabEvent::LoadDesign(design))
    }

    /// "AUC = 0.9, Forcefulness = 0.4" for a grid point of the result shown.
    pub fn describe_point(&self, point: usize) -> String {
        let Some(r) = self.shown() else {
            return String::new();
        };
        let specs = r.spec.base.specs();
        let (_, at) = r.spec.params_at(point);
        r.spec
            .axes
            .iter()
            .zip(at)
            .map(|(a, v)| format!("{} = {}", specs[a.param].label, specs[a.param].format(v)))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Per-point statistics of a metric in the last result.
    pub fn grid(&self, metric: usize) -> Option<GridValues> {
        let r = self.result.as_ref()?;
        Some(GridValues::from_rows(
            &r.spec,
            &r.rows,
            metric,
            self.setup.statistic,
        ))
    }

    /// What the results panel draws for the current measures and statistic,
    /// built on first use after the result or that choice changed.
    fn drawn(&self) -> Option<Ref<'_, Drawn>> {
        let r = self.shown()?;
        let key = (self.setup.measure, self.setup.second, self.setup.statistic);
        if self.drawn.borrow().as_ref().is_none_or(|d| d.key != key) {
            *self.drawn.borrow_mut() = Some(Drawn::new(r, key));
        }
        Ref::filter_map(self.drawn.borrow(), Option::as_ref).ok()
    }

    /// Applies a command; returns what the host must do, if anything.
    pub fn apply(&mut self, command: SweepCommand) -> Option<LabEvent> {
        match command {
            SweepCommand::Setup(setup) => self.set_setup(setup),
            SweepCommand::Run => {
                if let Err(e) = self.request_run() {
                    self.message = Some((e.to_string(), true));
                }
            }
            SweepCommand::ConfirmRun => {
                if self.confirm.take().is_some()
                    && let Err(e) = self.start()
                {
                    self.message = Some((e.to_string(), true));
                }
            }
            SweepCommand::DeclineRun => {
                if self.confirm.take().is_some() {
                    self.message = Some(("Sweep not started.".into(), false));
                }
            }
            SweepCommand::Cancel => self.cancel(),
            SweepCommand::LoadPoint(p) => return self.load_point(p),
            SweepCommand::Save(what) => return Some(LabEvent::SaveRequest(what)),
        }
        None
    }

    /// Polls, draws and applies: call once per frame. Returns what the host
    /// must act on.
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Vec<LabEvent> {
        self.poll();
        let commands = self.show(ui);
        let events = commands.into_iter().filter_map(|c| self.apply(c)).collect();
        if self.is_running() {
            ui.ctx().request_repaint_after(Duration::from_millis(100));
        }
        events
    }

    // ---- export

    /// Writes a file the sweep view offers ([`Export::SweepCsv`] or
    /// [`Export::HeatmapPng`]).
    pub fn export(&self, what: Export, path: &Path, overwrite: bool) -> Result<(), ExportError> {
        match what {
            Export::SweepCsv => self.export_csv(path, overwrite),
            Export::HeatmapPng => self.export_png(path, overwrite),
            other => Err(ExportError::NothingToExport(format!(
                "the sweep view does not make a {}",
                other.extension()
            ))),
        }
    }

    fn finished(&self) -> Result<&SweepResult, ExportError> {
        self.result
            .as_ref()
            .ok_or_else(|| ExportError::NothingToExport("no sweep has finished yet".into()))
    }

    /// The last result as CSV, the columns of `ixsim sweep`.
    pub fn export_csv(&self, path: &Path, overwrite: bool) -> Result<(), ExportError> {
        let r = self.finished()?;
        write_file(path, &sweep_csv(&r.spec, &r.rows), overwrite)
    }

    /// The first measure's heatmap (a one-row strip for one parameter) as a
    /// PNG picture, in the colours shown on screen.
    pub fn export_png(&self, path: &Path, overwrite: bool) -> Result<(), ExportError> {
        let bytes = self.heatmap_png()?;
        write_file(path, &bytes, overwrite)
    }

    /// The bytes of [`Self::export_png`].
    pub fn heatmap_png(&self) -> Result<Vec<u8>, ExportError> {
        let r = self.finished()?;
        // The finished result's, even while a new sweep fills the screen.
        let Measured { grid, scale, .. } = &Measured::new(GridValues::from_rows(
            &r.spec,
            &r.rows,
            self.setup.measure,
            self.setup.statistic,
        ));
        let cell = (640 / grid.cols.max(grid.rows).max(1) as u32).clamp(4, 64);
        let img = heatmap_image(grid, scale, cell);
        let mut bytes = Vec::new();
        img.write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .map_err(|e| ExportError::Write {
            path: "heatmap.png".into(),
            message: format!("could not encode the picture: {e}"),
        })?;
        Ok(bytes)
    }

    // ---- drawing

    /// Draws the view from its state; returns the commands the person gave.
    pub fn show(&self, ui: &mut egui::Ui) -> Vec<SweepCommand> {
        let mut out = Vec::new();
        let mut results = Vec::new();
        shell::two_pane(
            ui,
            "lab-sweep-setup",
            |ui| self.show_setup(ui, &mut out),
            |ui| {
                egui::ScrollArea::vertical()
                    .id_salt("lab-sweep-results-scroll")
                    .show(ui, |ui| self.show_results(ui, &mut results));
            },
        );
        out.append(&mut results);
        out
    }

    fn show_setup(&self, ui: &mut egui::Ui, out: &mut Vec<SweepCommand>) {
        let specs = self.kind.params();
        let mut s = self.setup.clone();
        ui.heading("Sweep");
        ui.label(
            RichText::new(
                "Every point of the grid runs on the same seeds, so differences \
                 between points come from the design.",
            )
            .weak(),
        );
        ui.horizontal(|ui| {
            ui.label("Parameters swept:");
            for n in [1, 2] {
                if ui.radio(s.axes.len() == n, n.to_string()).clicked() && s.axes.len() != n {
                    if n == 1 {
                        s.axes.truncate(1);
                    } else if let Some(p) =
                        (0..specs.len()).find(|&p| s.axes.first().is_none_or(|a| a.param != p))
                    {
                        s.axes.push(AxisSetup::for_param(specs, p));
                    }
                }
            }
        });
        for k in 0..s.axes.len() {
            ui.separator();
            let axis = &mut s.axes[k];
            let label = format!("Parameter {}", k + 1);
            if let Some(p) = param_combo(ui, ("lab-sweep-param", k), &label, specs, axis.param) {
                *axis = AxisSetup::for_param(specs, p);
            }
            let Some(spec) = specs.get(axis.param) else {
                continue;
            };
            match spec.kind {
                ParamKind::Choice(options) => {
                    ui.horizontal_wrapped(|ui| {
                        for (i, o) in options.iter().enumerate() {
                            toggle_option(ui, &mut axis.options, i as f64, o);
                        }
                    });
                }
                ParamKind::Bool => {
                    ui.horizontal(|ui| {
                        toggle_option(ui, &mut axis.options, 0.0, "off");
                        toggle_option(ui, &mut axis.options, 1.0, "on");
                    });
                }
                ParamKind::List(_) => {
                    ui.label(RichText::new("A per-district list cannot be swept.").weak());
                }
                ParamKind::Real | ParamKind::Int => {
                    let speed = ((spec.max - spec.min) / 200.0).clamp(1e-4, 1e6);
                    let int = matches!(spec.kind, ParamKind::Int);
                    let before = (axis.start, axis.end, axis.points);
                    if !axis.options.is_empty() {
                        let listed: Vec<String> =
                            axis.options.iter().map(|v| spec.format(*v)).collect();
                        ui.label(
                            RichText::new(format!(
                                "The scenario's values: {}. Changing the range replaces them.",
                                listed.join(", ")
                            ))
                            .weak()
                            .small(),
                        );
                    }
                    ui.horizontal_wrapped(|ui| {
                        let drag = |ui: &mut egui::Ui, v: &mut f64, label: &str| {
                            let label = ui.label(label);
                            let d = egui::DragValue::new(v)
                                .range(spec.min..=spec.max)
                                .speed(if int { 1.0 } else { speed });
                            ui.add(if int { d.fixed_decimals(0) } else { d })
                                .labelled_by(label.id);
                        };
                        drag(ui, &mut axis.start, "from");
                        drag(ui, &mut axis.end, "to");
                        let label = ui.label("points");
                        ui.add(egui::DragValue::new(&mut axis.points).range(1..=MAX_AXIS_POINTS))
                            .labelled_by(label.id);
                    });
                    if (axis.start, axis.end, axis.points) != before {
                        axis.options.clear();
                    }
                    if !spec.unit.symbol().is_empty() {
                        ui.label(RichText::new(format!("in {}", spec.unit)).weak().small());
                    }
                }
            }
        }
        ui.separator();
        egui::Grid::new("lab-sweep-run-grid").num_columns(2).show(ui, |ui| {
            let label = ui.label("Replications");
            ui.add(egui::DragValue::new(&mut s.replications).range(1..=MAX_REPLICATIONS))
                .labelled_by(label.id)
                .on_hover_text("Runs per grid point, each on its own seed (the same seeds at every point).");
            ui.end_row();
            let label = ui.label("Days per run");
            ui.add(egui::DragValue::new(&mut s.days).range(1..=MAX_DAYS))
                .labelled_by(label.id);
            ui.end_row();
            let label = ui.label("Seed");
            ui.add(egui::DragValue::new(&mut s.seed)).labelled_by(label.id);
            ui.end_row();
        });
        match s.to_spec(self.kind, &self.base) {
            Ok(spec) => {
                let users = crate::ui::params::population_param(self.kind)
                    .and_then(|i| self.base.values().get(i).copied());
                let mut text = format!(
                    "{} points × {} replications = {} runs of {} days",
                    spec.points(),
                    spec.replications,
                    spec.jobs(),
                    spec.days
                );
                if let Some(u) = users {
                    text.push_str(&format!(" with {} users", format::count(u)));
                }
                ui.label(RichText::new(text).weak());
            }
            Err(e) => {
                ui.label(RichText::new(e.to_string()).color(theme::bad(ui.visuals().dark_mode)));
            }
        }
        ui.separator();
        if let Some(m) = metric_combo(ui, "lab-sweep-measure", "Measure", self.kind, s.measure) {
            s.measure = m;
        }
        ui.horizontal(|ui| {
            for st in Statistic::ALL {
                if ui.radio(s.statistic == st, st.label()).clicked() {
                    s.statistic = st;
                }
            }
        });
        let mut two = s.second.is_some();
        if ui
            .checkbox(&mut two, "Compare with a second measure")
            .changed()
        {
            s.second = if two {
                Some(SweepSetup::default_for(self.kind, 1, 0).second.unwrap_or(0))
            } else {
                None
            };
        }
        if let Some(second) = s.second {
            if let Some(m) =
                metric_combo(ui, "lab-sweep-second", "Second measure", self.kind, second)
            {
                s.second = Some(m);
            }
            ui.horizontal(|ui| {
                if ui
                    .radio(s.view == PairView::SideBySide, "Side by side")
                    .clicked()
                {
                    s.view = PairView::SideBySide;
                }
                if ui
                    .radio(s.view == PairView::Signs, "Where signs differ")
                    .clicked()
                {
                    s.view = PairView::Signs;
                }
            });
        }
        if s != self.setup {
            out.push(SweepCommand::Setup(s));
        }
        ui.separator();
        match &self.status {
            Status::Running(r) => {
                let p = r.job.progress();
                ui.add(egui::ProgressBar::new(p.fraction()).text(p.describe()));
                if ui.button("Cancel").clicked() {
                    out.push(SweepCommand::Cancel);
                }
            }
            _ => match &self.confirm {
                Some(c) => {
                    egui::Frame::group(ui.style()).show(ui, |ui| {
                        ui.label(
                            RichText::new(format!("This sweep is {}. Start anyway?", c.describe()))
                                .strong(),
                        );
                        ui.label(
                            RichText::new(format!(
                                "Sweeps above {} user-situations are asked about first. \
                                 Fewer points, replications, days or users make it shorter.",
                                format::count(runner::MAX_WORK)
                            ))
                            .weak()
                            .small(),
                        );
                        ui.horizontal(|ui| {
                            if ui.button("Start anyway").clicked() {
                                out.push(SweepCommand::ConfirmRun);
                            }
                            if ui.button("Cancel").clicked() {
                                out.push(SweepCommand::DeclineRun);
                            }
                        });
                    });
                }
                None => {
                    ui.horizontal(|ui| {
                        if ui
                            .add(egui::Button::new("Run sweep"))
                            .on_hover_text("Runs every grid point and replication on all cores.")
                            .clicked()
                        {
                            out.push(SweepCommand::Run);
                        }
                        if let Some(e) = &self.estimate {
                            ui.label(RichText::new(e.eta_text()).weak())
                                .on_hover_text(format!(
                                    "Estimated time: {}. The real time depends on the machine.",
                                    e.describe()
                                ));
                        }
                    });
                }
            },
        }
        if let Some((text, is_error)) = &self.message {
            let color = if *is_error {
                theme::bad(ui.visuals().dark_mode)
            } else {
                ui.visuals().text_color()
            };
            ui.label(RichText::new(text).color(color));
        }
        ui.separator();
        let have = self.result.is_some();
        for what in [Export::SweepCsv, Export::HeatmapPng] {
            if ui
                .add_enabled(have, egui::Button::new(what.label()))
                .clicked()
            {
                out.push(SweepCommand::Save(what));
            }
        }
    }

    fn show_results(&self, ui: &mut egui::Ui, out: &mut Vec<SweepCommand>) {
        let Some(r) = self.shown() else {
            let text = if self.is_running() {
                "Running… each cell appears as its first run finishes."
            } else {
                "Set up a sweep on the left and press Run."
            };
            ui.label(RichText::new(text).weak().italics());
            return;
        };
        let specs = r.spec.base.specs();
        let metrics = self.kind.metrics();
        let names: Vec<String> = r
            .spec
            .axes
            .iter()
            .map(|a| specs[a.param].label.to_string())
            .collect();
        let provisional = self.provisional.is_some();
        if let Some(line) = self.progress_line() {
            ui.label(RichText::new(line).strong());
        }
        ui.label(
            RichText::new(format!(
                "{} over {} ({} points × {} replications, {} days, {}{}).",
                self.setup.statistic.label(),
                names.join(" × "),
                r.spec.points(),
                r.spec.replications,
                r.spec.days,
                crate::format::duration(r.elapsed.as_secs_f64()),
                if provisional { " so far" } else { "" }
            ))
            .weak(),
        );
        if provisional {
            ui.label(
                RichText::new("Provisional: grey cells have no run yet.")
                    .weak()
                    .small(),
            )
            .on_hover_text(concat!(
                "Cells with fewer replications than asked for may still change as the ",
                "rest arrive; a cell's hover says how many it holds."
            ));
        }
        ui.label(
            RichText::new("Click a point to load that design.")
                .weak()
                .small(),
        );
        let (Some(drawn), Some(m1)) = (self.drawn(), metrics.get(self.setup.measure)) else {
            ui.label("This world has no such measure.");
            return;
        };
        let drawn = &*drawn;
        let first = &drawn.first;
        let pair = drawn
            .second
            .as_ref()
            .zip(self.setup.second.and_then(|m| metrics.get(m)));
        let contours = &drawn.contours;
        let tooltip = |ui: &mut egui::Ui, p: usize| {
            ui.label(RichText::new(self.describe_point(p)).strong());
            let mut line = |m: &MetricSpec, g: &GridValues| {
                let asked = r.spec.replications as usize;
                match g.cells.get(p) {
                    Some(c) if c.n == 0 => {
                        ui.label(format!("{}: no replication finished yet", m.label));
                    }
                    Some(c) => {
                        let runs = if c.n < asked {
                            format!("{} of {asked} replications so far", c.n)
                        } else {
                            format!("{} runs", c.n)
                        };
                        ui.label(format!(
                            "{}: {} (10–90%: {} to {}, {runs})",
                            m.label,
                            format::mean_value(c.mean, m.unit),
                            format::mean_value(c.p10, m.unit),
                            format::mean_value(c.p90, m.unit),
                        ));
                    }
                    None => {}
                }
            };
            line(m1, &first.grid);
            if let Some((g2, m2)) = &pair {
                line(m2, &g2.grid);
            }
            ui.label(RichText::new("Click to load this design.").weak().small());
        };
        if r.spec.axes.len() == 1 {
            match &pair {
                Some((g2, m2)) if self.setup.view == PairView::SideBySide => {
                    ui.columns(2, |cols| {
                        self.line_plot(&mut cols[0], r, &first.grid, &metric_name(m1), out, 0);
                        self.line_plot(&mut cols[1], r, &g2.grid, &metric_name(m2), out, 1);
                    });
                }
                Some((_, m2)) => {
                    self.line_plot(ui, r, &first.grid, &metric_name(m1), out, 0);
                    self.signs_map(ui, r, drawn, m1.label, m2.label, &tooltip, out);
                }
                None => self.line_plot(ui, r, &first.grid, &metric_name(m1), out, 0),
            }
            return;
        }
        match &pair {
            Some((g2, m2)) if self.setup.view == PairView::SideBySide => {
                ui.columns(2, |cols| {
                    self.heat(&mut cols[0], r, first, m1, contours, &tooltip, out);
                    self.heat(&mut cols[1], r, g2, m2, contours, &tooltip, out);
                });
                ui.label(
                    RichText::new(format!(
                        "Lines where a measure changes sign: black for {}, white for {}. \
                         Between them the two disagree.",
                        m1.label, m2.label
                    ))
                    .weak()
                    .small(),
                );
            }
            Some((_, m2)) => {
                self.signs_map(ui, r, drawn, m1.label, m2.label, &tooltip, out);
            }
            None => self.heat(ui, r, first, m1, contours, &tooltip, out),
        }
    }

    /// Labels of an axis's values.
    fn axis_labels(r: &SweepResult, axis: usize) -> Vec<String> {
        let specs = r.spec.base.specs();
        let a = &r.spec.axes[axis];
        let spec = &specs[a.param];
        a.values
            .iter()
            .map(|v| match spec.kind {
                ParamKind::Real => format::short(*v),
                _ => spec.format(*v),
            })
            .collect()
    }

    fn paint_input<'a>(
        &self,
        r: &SweepResult,
        grid: &'a GridValues,
        colors: &'a [Color32],
        contours: &'a [(Vec<Option<bool>>, Color32)],
        name: String,
    ) -> HeatmapPaint<'a> {
        let specs = r.spec.base.specs();
        let last = r.spec.axes.len() - 1;
        let (row_labels, row_title) = if r.spec.axes.len() == 2 {
            (
                Self::axis_labels(r, 0),
                specs[r.spec.axes[0].param].label.to_string(),
            )
        } else {
            (Vec::new(), String::new())
        };
        HeatmapPaint {
            grid,
            colors,
            col_labels: Self::axis_labels(r, last),
            row_labels,
            col_title: specs[r.spec.axes[last].param].label.to_string(),
            row_title,
            contours,
            selected: self.loaded,
            name,
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn heat(
        &self,
        ui: &mut egui::Ui,
        r: &SweepResult,
        measured: &Measured,
        metric: &MetricSpec,
        contours: &[(Vec<Option<bool>>, Color32)],
        tooltip: &dyn Fn(&mut egui::Ui, usize),
        out: &mut Vec<SweepCommand>,
    ) {
        let title = metric_name(metric);
        ui.label(RichText::new(&title).strong());
        let input = self.paint_input(
            r,
            &measured.grid,
            &measured.colors,
            contours,
            format!("Heatmap of {title}"),
        );
        let resp = paint_heatmap(ui, &input, 420.0, tooltip);
        if let Some(p) = resp.clicked {
            out.push(SweepCommand::LoadPoint(p));
        }
        paint_legend(ui, &measured.scale, "Scale", metric.unit);
    }

    #[allow(clippy::too_many_arguments)]
    fn signs_map(
        &self,
        ui: &mut egui::Ui,
        r: &SweepResult,
        drawn: &Drawn,
        name1: &str,
        name2: &str,
        tooltip: &dyn Fn(&mut egui::Ui, usize),
        out: &mut Vec<SweepCommand>,
    ) {
        ui.label(RichText::new(format!("Signs of {name1} and {name2}")).strong());
        let input = self.paint_input(
            r,
            &drawn.first.grid,
            &drawn.sign_colors,
            &[],
            format!("Signs of {name1} and {name2}"),
        );
        let resp = paint_heatmap(ui, &input, 420.0, tooltip);
        if let Some(p) = resp.clicked {
            out.push(SweepCommand::LoadPoint(p));
        }
        let labels = [
            format!("{name1} > 0 and {name2} > 0"),
            format!("{name1} > 0 but {name2} ≤ 0"),
            format!("{name1} ≤ 0 but {name2} > 0"),
            "both ≤ 0".to_string(),
        ];
        for (k, label) in labels.iter().enumerate() {
            let count = drawn.signs.iter().filter(|c| **c == Some(k)).count();
            ui.horizontal(|ui| {
                let (rect, _) =
                    ui.allocate_exact_size(egui::vec2(14.0, 14.0), egui::Sense::hover());
                ui.painter().rect_filled(rect, 2.0, theme::SIGN_COLORS[k]);
                ui.label(format!("{label}: {count} points"));
            });
        }
    }
    fn line_plot(
        &self,
        ui: &mut egui::Ui,
        r: &SweepResult,
        grid: &GridValues,
        title: &str,
        out: &mut Vec<SweepCommand>,
        salt: usize,
    ) {
        let specs = r.spec.base.specs();
        let axis = &r.spec.axes[0];
        let spec = &specs[axis.param];
        let xs = &axis.values;
        let mean: Vec<f64> = grid.cells.iter().map(|c| c.mean).collect();
        let lo: Vec<f64> = grid.cells.iter().map(|c| c.p10).collect();
        let hi: Vec<f64> = grid.cells.iter().map(|c| c.p90).collect();
        ui.label(RichText::new(title).strong());
        let choice = matches!(spec.kind, ParamKind::Choice(_) | ParamKind::Bool);
        let color = theme::accent(ui.visuals().dark_mode);
        let loaded = self.loaded;
        let finite = || {
            lo.iter()
                .chain(&hi)
                .chain(&mean)
                .copied()
                .filter(|v| v.is_finite())
        };
        let (ymin, ymax) = (
            finite().fold(f64::INFINITY, f64::min),
            finite().fold(f64::NEG_INFINITY, f64::max),
        );
        let mut plot = Plot::new(("lab-sweep-line", salt))
            .height(300.0)
            .legend(Legend::default().position(egui_plot::Corner::LeftTop));
        if ymin <= ymax {
            let pad = ((ymax - ymin) * 0.08).max(ymax.abs().max(1e-9) * 1e-3);
            plot = plot.include_y(ymin - pad).include_y(ymax + pad);
        }
        let response = plot
            .x_axis_label(spec.label)
            .x_axis_formatter(move |mark, _| {
                if choice {
                    if mark.value.fract() == 0.0 && mark.value >= 0.0 {
                        spec.format(mark.value)
                    } else {
                        String::new()
                    }
                } else {
                    crate::format::real(mark.value)
                }
            })
            .show(ui, |plot| {
                // Points without a finished run yet (a sweep still running)
                // are left out.
                let have: Vec<usize> = (0..xs.len().min(mean.len()))
                    .filter(|&i| mean[i].is_finite())
                    .collect();
                if xs.len() == lo.len() && xs.len() == hi.len() {
                    let pick = |v: &[f64]| have.iter().map(|&i| v[i]).collect::<Vec<_>>();
                    plot.add(
                        FilledArea::new(
                            "10–90% of replications",
                            &pick(xs),
                            &pick(&lo),
                            &pick(&hi),
                        )
                        .fill_color(color.gamma_multiply(0.25)),
                    );
                }
                let pts: Vec<[f64; 2]> = have.iter().map(|&i| [xs[i], mean[i]]).collect();
                plot.line(Line::new("mean", pts.clone()).color(color).width(2.0));
                plot.add(
                    Points::new("mean", pts)
                        .color(color)
                        .radius(3.5)
                        .shape(MarkerShape::Circle),
                );
                if let Some(p) = loaded.filter(|p| *p < xs.len() && mean[*p].is_finite()) {
                    plot.add(
                        Points::new("loaded design", vec![[xs[p], mean[p]]])
                            .color(theme::HIGHLIGHT)
                            .radius(7.0)
                            .shape(MarkerShape::Diamond),
                    );
                }
            });
        let hovered_x = response
            .response
            .hover_pos()
            .map(|pos| response.transform.value_from_position(pos).x);
        let nearest = |x: f64| {
            xs.iter()
                .enumerate()
                .min_by(|a, b| (a.1 - x).abs().total_cmp(&(b.1 - x).abs()))
                .map(|(i, _)| i)
        };
        if response.response.clicked()
            && let Some(p) = hovered_x.and_then(nearest)
        {
            out.push(SweepCommand::LoadPoint(p));
        }
    }
}

/// A checkbox adding or removing one option value of a Choice/Bool axis.
fn toggle_option(ui: &mut egui::Ui, options: &mut Vec<f64>, value: f64, label: &str) {
    let mut on = options.contains(&value);
    if ui.checkbox(&mut on, label).changed() {
        if on {
            options.push(value);
            options.sort_by(f64::total_cmp);
        } else {
            options.retain(|v| *v != value);
        }
    }
}
