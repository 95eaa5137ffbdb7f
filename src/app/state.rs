//! The app's state: everything the views read ([`State`]) and the value
//! types it is made of (tabs, speed, preferences, the dashboard's plots, the
//! lesson's progress, notices, frame timing). Views get `&State` and never
//! change it; commands do, once per frame.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::{bands, files, gallery};
use crate::scenario::Scenario;
use crate::sim::{Layer, Simulation, WorldKind};
use crate::ui::theme::ThemeChoice;

/// A view in the centre of the window.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Tab {
    /// Four stacked plots, one per measure layer.
    Dashboard,
    /// The error-to-outcome chain, drawn.
    Flow,
    /// The population at a glance.
    People,
    /// A world-specific view for the feedback-loop worlds.
    World,
    /// Two designs side by side on the same seed.
    Compare,
    /// A grid of designs over one or two parameters.
    Sweep,
    /// A randomized A/B experiment inside one user world, beside the truth.
    Experiment,
}

impl Tab {
    /// Name on the tab.
    pub fn label(self) -> &'static str {
        match self {
            Tab::Dashboard => "Dashboard",
            Tab::Flow => "Flow",
            Tab::People => "People",
            Tab::World => "World",
            Tab::Compare => "Compare",
            Tab::Sweep => "Sweep",
            Tab::Experiment => "Experiment",
        }
    }

    /// Id used by `--tab`.
    pub fn id(self) -> &'static str {
        match self {
            Tab::Dashboard => "dashboard",
            Tab::Flow => "flow",
            Tab::People => "people",
            Tab::World => "world",
            Tab::Compare => "compare",
            Tab::Sweep => "sweep",
            Tab::Experiment => "experiment",
        }
    }

    /// Parses a `--tab` id.
    pub fn from_id(id: &str) -> Option<Tab> {
        [
            Tab::Dashboard,
            Tab::Flow,
            Tab::People,
            Tab::World,
            Tab::Compare,
            Tab::Sweep,
            Tab::Experiment,
        ]
        .into_iter()
        .find(|t| t.id() == id.trim().to_ascii_lowercase())
    }

    /// The tabs a world offers, in order (keys 1, 2, 3 pick them).
    pub fn for_world(kind: WorldKind) -> &'static [Tab] {
        match kind {
            WorldKind::Users => &[
                Tab::Dashboard,
                Tab::Flow,
                Tab::People,
                Tab::Compare,
                Tab::Sweep,
                Tab::Experiment,
            ],
            WorldKind::Policing | WorldKind::Lending | WorldKind::Recommender => {
                &[Tab::Dashboard, Tab::World, Tab::Compare, Tab::Sweep]
            }
        }
    }

    /// This tab if the world offers it, else the nearest equivalent.
    pub fn fit(self, kind: WorldKind) -> Tab {
        let tabs = Tab::for_world(kind);
        if tabs.contains(&self) {
            self
        } else if matches!(self, Tab::Flow | Tab::People) && tabs.contains(&Tab::World) {
            Tab::World
        } else if self == Tab::World && tabs.contains(&Tab::People) {
            Tab::People
        } else {
            Tab::Dashboard
        }
    }
}

/// How fast the simulation runs while playing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Speed {
    /// This many simulated days per second of wall time.
    PerSecond(u32),
    /// As many days as fit in the frame budget.
    Max,
}

impl Speed {
    /// The choices offered in the speed menu.
    pub const ALL: [Speed; 7] = [
        Speed::PerSecond(1),
        Speed::PerSecond(3),
        Speed::PerSecond(10),
        Speed::PerSecond(30),
        Speed::PerSecond(100),
        Speed::PerSecond(365),
        Speed::Max,
    ];

    /// Name in the speed menu.
    pub fn label(self) -> String {
        match self {
            Speed::PerSecond(1) => "1 day/s".to_string(),
            Speed::PerSecond(n) => format!("{n} days/s"),
            Speed::Max => "As fast as possible".to_string(),
        }
    }
}

/// Where the open scenario came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// Built into the binary (the library).
    Embedded,
    /// Read from a file on disk.
    File(PathBuf),
}

/// Preferences that survive a restart.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Prefs {
    /// Light or dark.
    pub theme: ThemeChoice,
    /// User zoom, 1 = 100 %.
    pub zoom: f32,
    /// Large text and thick lines for a projector.
    pub present: bool,
    /// Design panel (left) visible.
    pub show_design: bool,
    /// Story panel (right) visible.
    pub show_story: bool,
    /// Key-number strip visible.
    pub show_monitors: bool,
    /// Frame-time read-out visible.
    pub show_frame_time: bool,
}

impl Default for Prefs {
    fn default() -> Self {
        Self {
            theme: ThemeChoice::Dark,
            zoom: 1.0,
            present: false,
            show_design: true,
            show_story: true,
            show_monitors: true,
            show_frame_time: false,
        }
    }
}

/// A side panel or strip that can be shown or hidden.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PanelId {
    /// The design panel.
    Design,
    /// The story panel.
    Story,
    /// The key numbers.
    Monitors,
    /// The frame-time read-out.
    FrameTime,
}

/// How a dashboard plot lays out its series: every axis is in one unit and
/// numbered, whichever is chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Scale {
    /// One panel per unit: series in the same unit share its axis.
    Auto,
    /// As `Auto` (kept so remembered settings still read).
    Shared,
    /// One panel per series, each with its own axis (shapes, not sizes).
    Each,
}

/// What one dashboard plot shows.
#[derive(Clone, Debug, PartialEq)]
pub struct PlotSeries {
    /// The layer it belongs to.
    pub layer: Layer,
    /// Metric indices plotted, in legend order.
    pub metrics: Vec<usize>,
    /// Scaling.
    pub scale: Scale,
    /// Trailing mean over this many days (1 = raw daily values).
    pub smooth: usize,
}

/// Which counts the flow diagram shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlowSpan {
    /// The last simulated day.
    Today,
    /// Every day so far, summed.
    Cumulative,
}

/// The quantity that colours the people grid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PeopleColour {
    /// Trust in the system's interventions (compliance), 0..1.
    Trust,
    /// Reliance on the system's silence, 0..1.
    Reliance,
    /// Alert fatigue.
    Fatigue,
    /// Sentiment, −1..1.
    Sentiment,
}

impl PeopleColour {
    /// Name in the selector.
    pub fn label(self) -> &'static str {
        match self {
            PeopleColour::Trust => "Trust",
            PeopleColour::Reliance => "Reliance",
            PeopleColour::Fatigue => "Fatigue",
            PeopleColour::Sentiment => "Sentiment",
        }
    }

    /// The user-world measure whose mean this quantity is (resolved when
    /// the crate builds); its unit decides how values print.
    pub fn metric(self) -> usize {
        use crate::sim::registry::metric_index;
        use crate::sim::users::METRICS;
        const TRUST: usize = metric_index(METRICS, "user.trust");
        const RELIANCE: usize = metric_index(METRICS, "user.reliance");
        const FATIGUE: usize = metric_index(METRICS, "user.fatigue");
        const SENTIMENT: usize = metric_index(METRICS, "leading.sentiment");
        match self {
            PeopleColour::Trust => TRUST,
            PeopleColour::Reliance => RELIANCE,
            PeopleColour::Fatigue => FATIGUE,
            PeopleColour::Sentiment => SENTIMENT,
        }
    }

    /// A person's or a group's value of this quantity, in its unit.
    pub fn text(self, v: f32) -> String {
        crate::format::value(f64::from(v), crate::sim::users::METRICS[self.metric()].unit)
    }
}

/// A modal overlay.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Overlay {
    /// Keyboard shortcuts.
    Help,
    /// About ixsim.
    About,
    /// A typed path, for when no native file dialog is available.
    PathPrompt(files::Purpose),
    /// The scenario gallery.
    Gallery,
}

/// Severity of a [`Notice`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeKind {
    /// Something failed; the app kept its state.
    Error,
    /// Something worked (a file was saved).
    Info,
}

/// A message shown in a banner until dismissed.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    /// Error or information.
    pub kind: NoticeKind,
    /// The text, as people should read it.
    pub text: String,
}

/// The state of a guided lesson (a scenario's `steps`).
#[derive(Clone, Debug, Default)]
pub struct Lesson {
    /// Index of the next step to apply.
    pub next: usize,
    /// The run as it was before each applied step, for "back to step N".
    pub checkpoints: Vec<Checkpoint>,
    /// A step whose days are still running.
    pub running: Option<usize>,
    /// The before/after of the last finished step.
    pub reveal: Option<Reveal>,
}

/// The run before a step was applied.
#[derive(Clone, Debug)]
pub struct Checkpoint {
    /// The simulation at that moment.
    pub sim: Simulation,
    /// The run length then.
    pub horizon: u32,
    /// The revealed metrics' values then (7-day means; `None` before day 1).
    pub before: Vec<Option<f64>>,
}

/// The before/after of a step's `reveal` metrics.
#[derive(Clone, Debug, PartialEq)]
pub struct Reveal {
    /// The step.
    pub step: usize,
    /// (metric index, before, after), all 7-day means.
    pub rows: Vec<(usize, Option<f64>, Option<f64>)>,
    /// The same measures like with like: two fresh runs from day 0.
    pub fresh: Fresh,
    /// An experiment step's findings, one line per stopping rule (empty
    /// for a step that ran the lesson's days).
    pub findings: Vec<String>,
}

/// A step measured like with like: two runs from day 0, as long as the
/// lesson has run, with the settings as they stood before the step and with
/// the step's changes added (see [`crate::scenario::lesson::fresh_starts`]).
/// They take the state the lesson carried over (trust lost, users gone) out
/// of the comparison. Computed in the background once the step has run.
#[derive(Clone, Debug, PartialEq)]
pub enum Fresh {
    /// Not computed: the step changes no parameter.
    NotNeeded,
    /// The two runs are under way.
    Computing,
    /// (without the step, with it) for each of the reveal's rows, means
    /// over the same last days as the reveal; `days` is each run's length.
    Ready {
        /// Length of each fresh run.
        days: u32,
        /// One pair per reveal row.
        pairs: Vec<(Option<f64>, Option<f64>)>,
    },
    /// The runs could not be made.
    Failed(String),
}

/// Frame timing, for the read-out and the measurement log.
#[derive(Clone, Debug, Default)]
pub struct FrameStats {
    /// Recent wall intervals between frames, in ms (newest last).
    pub intervals: std::collections::VecDeque<f32>,
    /// Recent time spent inside [`App::ui`], in ms.
    pub work: std::collections::VecDeque<f32>,
    /// Time spent stepping the simulation in the last frame, in ms.
    pub sim_ms: f32,
    /// Days stepped in the last frame.
    pub days_last_frame: u32,
    /// Frames counted for the log.
    pub frames: u64,
    /// Sum of intervals, ms.
    pub interval_sum: f64,
    /// Largest interval, ms.
    pub interval_max: f32,
    /// Sum of work, ms.
    pub work_sum: f64,
    /// Largest work, ms.
    pub work_max: f32,
    /// Frames whose work was counted.
    pub work_frames: u64,
    /// Frames that stepped the simulation.
    pub sim_frames: u64,
    /// Sum of stepping time over those frames, ms.
    pub sim_sum: f64,
    /// Largest stepping time in one frame, ms.
    pub sim_max: f32,
    /// Days stepped in all.
    pub days_stepped: u64,
}

impl FrameStats {
    const KEEP: usize = 120;

    pub(super) fn record(&mut self, interval_ms: Option<f32>, work_ms: f32) {
        if let Some(i) = interval_ms {
            push_capped(&mut self.intervals, i, Self::KEEP);
            self.interval_sum += f64::from(i);
            self.interval_max = self.interval_max.max(i);
            self.frames += 1;
        }
        push_capped(&mut self.work, work_ms, Self::KEEP);
        self.work_sum += f64::from(work_ms);
        self.work_max = self.work_max.max(work_ms);
        self.work_frames += 1;
    }

    /// Mean of the recent frame intervals, ms.
    pub fn recent_interval(&self) -> f32 {
        mean(&self.intervals)
    }

    /// Mean of the recent work times, ms.
    pub fn recent_work(&self) -> f32 {
        mean(&self.work)
    }

    pub(super) fn record_sim(&mut self, ms: f32, days: u32) {
        self.sim_ms = ms;
        self.days_last_frame = days;
        if days > 0 {
            self.sim_frames += 1;
            self.sim_sum += f64::from(ms);
            self.sim_max = self.sim_max.max(ms);
            self.days_stepped += u64::from(days);
        }
    }

    /// A one-line summary of every frame measured.
    pub fn summary(&self) -> String {
        let n = self.frames.max(1) as f64;
        format!(
            "frames {}  interval mean {:.2} ms max {:.2} ms  app work (ui+sim) mean {:.2} ms max {:.2} ms  sim stepping mean {:.2} ms max {:.2} ms over {} frames, {:.2} days/frame",
            self.frames,
            self.interval_sum / n,
            self.interval_max,
            self.work_sum / self.work_frames.max(1) as f64,
            self.work_max,
            self.sim_sum / self.sim_frames.max(1) as f64,
            self.sim_max,
            self.sim_frames,
            self.days_stepped as f64 / self.sim_frames.max(1) as f64
        )
    }
}

fn push_capped(q: &mut std::collections::VecDeque<f32>, v: f32, cap: usize) {
    if q.len() == cap {
        q.pop_front();
    }
    q.push_back(v);
}

fn mean(q: &std::collections::VecDeque<f32>) -> f32 {
    if q.is_empty() {
        0.0
    } else {
        q.iter().sum::<f32>() / q.len() as f32
    }
}

/// Everything the views read. Views get `&State` and never change it:
/// they push [`Command`]s instead.
#[derive(Clone, Debug)]
pub struct State {
    /// The embedded scenarios, for the picker.
    pub library: Vec<Scenario>,
    /// The open scenario (its values are what "reset" returns to).
    pub scenario: Scenario,
    /// Where it came from.
    pub source: Source,
    /// The running simulation.
    pub sim: Simulation,
    /// Playing or paused.
    pub playing: bool,
    /// Days per second.
    pub speed: Speed,
    /// The run length: playing pauses here.
    pub horizon: u32,
    /// The tab shown.
    pub tab: Tab,
    /// Preferences.
    pub prefs: Prefs,
    /// The dashboard's four plots.
    pub plots: Vec<PlotSeries>,
    /// Show every parameter, not only the lesson's.
    pub show_all_params: bool,
    /// Metrics hidden from the plots (legend chips toggle them).
    pub hidden: Vec<usize>,
    /// The dashboard shows what the organization sees: hidden measures left
    /// out or replaced by its estimate, objectives as published reports
    /// (see [`crate::sim::observe`]).
    pub org_view: bool,
    /// The day the world view shows (`None` follows the run).
    pub scrub_day: Option<u32>,
    /// What colours the people grid.
    pub people_colour: PeopleColour,
    /// Today or cumulative in the flow view.
    pub flow_span: FlowSpan,
    /// Guided-lesson progress.
    pub lesson: Lesson,
    /// A banner message.
    pub notice: Option<Notice>,
    /// An open overlay.
    pub overlay: Option<Overlay>,
    /// Frame timing.
    pub stats: FrameStats,
    /// The window is fullscreen.
    pub fullscreen: bool,
    /// Files are being dragged over the window.
    pub drop_hover: bool,
    /// Replication bands around the dashboard's series.
    pub bands: bands::BandsView,
    /// The gallery's tag filter (`None` = all).
    pub gallery_tag: Option<String>,
    /// The gallery's previews, once computed.
    pub gallery_previews: Option<std::sync::Arc<Vec<gallery::Preview>>>,
    /// Changes made to other built-in scenarios, by id, restored when the
    /// person opens them again.
    pub memory: std::collections::BTreeMap<String, super::persist::Changes>,
}

impl State {
    /// The current value of parameter `index`.
    pub fn param(&self, index: usize) -> f64 {
        self.sim.params().values()[index]
    }

    /// The scenario's value of parameter `index` (what reset returns to).
    pub fn scenario_param(&self, index: usize) -> f64 {
        self.scenario.params.values()[index]
    }

    /// True when the lesson locks parameter `index`.
    pub fn is_locked(&self, index: usize) -> bool {
        self.scenario.locked.contains(&index)
    }

    /// Mean of a metric over the last `days` days (`None` before day 1).
    pub fn recent_mean(&self, metric: usize, days: usize) -> Option<f64> {
        self.sim.history().recent_mean(metric, days)
    }

    /// The last recorded value of a metric.
    pub fn last(&self, metric: usize) -> Option<f64> {
        self.sim
            .history()
            .last()
            .and_then(|r| r.get(metric).copied())
    }

    /// A step is running, or the run is otherwise driven to a target day.
    pub fn step_running(&self) -> bool {
        self.lesson.running.is_some()
    }
}
