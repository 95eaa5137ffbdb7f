//! What the views ask of the app: [`Command`]s, pushed while drawing and
//! applied once per frame, after drawing, by `App::apply`.

use std::path::PathBuf;

use super::{FlowSpan, Overlay, PanelId, PeopleColour, Scale, Speed, Tab, files};
use crate::ui::theme::ThemeChoice;

/// What the views ask for, grouped by concern. Applied once per frame,
/// after drawing, by a dispatcher that hands each group to its own applier.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// The run.
    Run(RunCommand),
    /// The design's parameters.
    Params(ParamCommand),
    /// Scenarios and files.
    Files(FileCommand),
    /// What is shown.
    View(ViewCommand),
    /// The Compare and Sweep views.
    Lab(LabCommand),
}

/// What the person asked of the Compare, Sweep or Experiment view, applied to that view
/// by the dispatcher (which then acts on the [`crate::lab::LabEvent`] it
/// may hand back).
#[derive(Clone, Debug, PartialEq)]
pub enum LabCommand {
    /// For the Compare view.
    Compare(crate::lab::CompareCommand),
    /// For the Sweep view.
    Sweep(crate::lab::SweepCommand),
    /// For the Experiment view.
    Experiment(crate::lab::ExperimentCommand),
}

/// What changes the run: playing, stepping, restarting, the seed, bands,
/// lesson steps, a design loaded from the lab.
#[derive(Clone, Debug, PartialEq)]
pub enum RunCommand {
    /// Play if paused, pause if playing.
    TogglePlay,
    /// Simulate one day.
    Step,
    /// Back to day 0 with the scenario's values and seed.
    Reset,
    /// Back to day 0 keeping the current design and seed.
    Restart,
    /// Change the speed.
    SetSpeed(Speed),
    /// Start over at day 0 with another seed (keeping the design).
    SetSeed(u64),
    /// Show 10–90 % bands and medians over this many replications (0 = off).
    SetBands(u32),
    /// Apply a lesson step: set its parameters and run its days.
    ApplyStep(usize),
    /// Return to the run as it was before step `n` was applied.
    BackToStep(usize),
    /// Start the main run over with this design (from Compare or Sweep).
    LoadDesign(crate::sim::ParamValues),
}

/// What changes the design's parameters (from the next day).
#[derive(Clone, Debug, PartialEq)]
pub enum ParamCommand {
    /// Change a parameter (by index in the world's table) from the next day.
    Set {
        /// Index in the parameter table.
        index: usize,
        /// New value, in storage form.
        value: f64,
    },
    /// Give a list parameter (by index) these items, empty for none; lists
    /// are set before the run starts.
    SetList {
        /// Index in the parameter table.
        index: usize,
        /// The items.
        items: Vec<f64>,
    },
    /// Set one parameter back to the scenario's value.
    Reset(usize),
    /// Set every parameter back to the scenario's values (from the next day).
    ResetAll,
}

/// What opens, saves or exports a file, and the dialogs that pick one.
#[derive(Clone, Debug, PartialEq)]
pub enum FileCommand {
    /// Open an embedded scenario by id.
    LoadScenario(String),
    /// Open a scenario file.
    Open(PathBuf),
    /// Ask for a scenario file to open.
    OpenDialog,
    /// Ask where to save the current settings as a scenario.
    SaveDialog,
    /// Ask where to export the run as CSV.
    ExportDialog,
    /// Save the current settings as a scenario file.
    SaveScenario(PathBuf),
    /// Export the run's daily measures as CSV.
    ExportCsv(PathBuf),
    /// A file dialog finished without a file.
    DialogClosed {
        /// What the dialog was for.
        purpose: files::Purpose,
        /// It came back so fast that no dialog can have been shown.
        failed: bool,
    },
    /// Ask where to save a file of the Compare or Sweep view.
    LabSaveDialog(crate::lab::Export),
    /// Save a file of the Compare or Sweep view.
    LabExport(crate::lab::Export, PathBuf),
}

/// What changes only what is shown and how: tabs, theme, zoom, panels,
/// plots, overlays, the window.
#[derive(Clone, Debug, PartialEq)]
pub enum ViewCommand {
    /// Filter the gallery by a tag (`None` = all).
    SetGalleryTag(Option<String>),
    /// Show a tab.
    SetTab(Tab),
    /// Choose light or dark.
    SetTheme(ThemeChoice),
    /// Multiply the zoom by this factor (1 leaves it as it is).
    Zoom(f32),
    /// Reset the zoom to 100 %.
    ZoomReset,
    /// Presentation mode on or off.
    SetPresent(bool),
    /// Show or hide a panel.
    SetPanel(PanelId, bool),
    /// Show every parameter, or only the lesson's.
    SetShowAllParams(bool),
    /// Add or remove a series on a dashboard plot.
    SetSeries {
        /// Plot index (0..4).
        plot: usize,
        /// Metric index.
        metric: usize,
        /// Shown or not.
        on: bool,
    },
    /// Change a dashboard plot's scaling.
    SetScale {
        /// Plot index.
        plot: usize,
        /// Scaling.
        scale: Scale,
    },
    /// Smooth a dashboard plot's lines with a trailing mean.
    SetSmooth {
        /// Plot index.
        plot: usize,
        /// Days in the mean (1 = raw).
        days: usize,
    },
    /// Back to the scenario's default series.
    DefaultSeries,
    /// Hide a metric's line, or show it again.
    ToggleSeries(usize),
    /// Show the dashboard as the organization sees it (true) or the whole
    /// truth (false).
    SetOrgView(bool),
    /// Set another alarm on an observable measure (kept with the scenario,
    /// so "Save settings as scenario…" writes it).
    AddMonitor(crate::sim::observe::Monitor),
    /// Remove the scenario's `n`-th monitor.
    RemoveMonitor(usize),
    /// Colour the people grid by another quantity.
    SetPeopleColour(PeopleColour),
    /// Today or cumulative in the flow view.
    SetFlowSpan(FlowSpan),
    /// Open an overlay, or close it with `None`.
    SetOverlay(Option<Overlay>),
    /// Show another day in the world view (`None` follows the run).
    SetScrubDay(Option<u32>),
    /// Close the banner.
    DismissNotice,
    /// Toggle fullscreen.
    ToggleFullscreen,
    /// Close the window.
    Quit,
}

impl From<RunCommand> for Command {
    fn from(c: RunCommand) -> Self {
        Command::Run(c)
    }
}

impl From<ParamCommand> for Command {
    fn from(c: ParamCommand) -> Self {
        Command::Params(c)
    }
}

impl From<FileCommand> for Command {
    fn from(c: FileCommand) -> Self {
        Command::Files(c)
    }
}

impl From<ViewCommand> for Command {
    fn from(c: ViewCommand) -> Self {
        Command::View(c)
    }
}

impl From<LabCommand> for Command {
    fn from(c: LabCommand) -> Self {
        Command::Lab(c)
    }
}
