//! The lab: comparing two designs and sweeping the design space.
//!
//! Self-contained views the app hosts as tabs:
//!
//! - [`CompareView`] runs design A and design B of one scenario side by side
//!   on the same seed. Randomness in the core is keyed by (user, day), so the
//!   two runs meet the same people and situations (common random numbers) and
//!   every difference comes from the design. Replications in the background
//!   put 95% intervals on the differences.
//! - [`SweepView`] runs a grid of designs over one or two parameters on all
//!   cores in the background and shows a measure as a line with a band, or as
//!   a heatmap, optionally next to a second measure or as a map of where their
//!   signs disagree. Clicking a point asks the host to load that design.
//!
//! Both views follow the same frame cycle: *advance* (poll background work,
//! step simulations within a time budget), *draw* from `&self` (returning
//! commands), *apply* the commands. Their `ui` methods do all three. What the
//! host must act on comes back as [`LabEvent`]s: a design to load, or a file
//! to save (the host picks the path and calls the view's `export`).
//!
//! - [`ExperimentView`] runs a randomized A/B experiment inside one user
//!   world as a team would (split traffic, observable metric, a stopping
//!   rule) and shows the truth beside it.
//!
//! Submodules: `measures` (headline measures, statistics), `controls`
//! (controls generated from the registry), `heatmap` (colour scale, painted
//! heatmap, PNG), `compare`, `sweep_view` and `experiment_view` (the three views). Batches run
//! in the background through [`crate::job`].

mod compare;
mod controls;
mod experiment_view;
mod heatmap;
mod measures;
mod sweep_view;

use std::fmt;
use std::path::{Path, PathBuf};

use crate::sim::ParamValues;

pub use crate::job::Progress;
pub use compare::{CompareCommand, CompareView, Design, PairedDiff, ReplicationResults};
pub use experiment_view::{
    ExperimentCommand, ExperimentResult, ExperimentView, RULE_LABELS, TRUTH_DAYS, decision_metrics,
};
pub use heatmap::{CellStats, ColorScale, GridValues, heatmap_image};
pub use measures::{Interval, Statistic};
pub use sweep_view::{
    AxisSetup, JobState, PairView, SweepCommand, SweepEstimate, SweepResult, SweepSetup, SweepView,
};

/// Something the host must act on after a lab view was drawn.
#[derive(Clone, Debug, PartialEq)]
pub enum LabEvent {
    /// Load this design into the main simulation (a clicked sweet spot, or
    /// "use B as the main design").
    LoadDesign(ParamValues),
    /// The person asked to save a file: the host picks a path (a dialog) and
    /// calls the view's `export(what, path, overwrite)`.
    SaveRequest(Export),
}

/// The files the lab can write.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Export {
    /// Both compare runs as CSV, the columns of `ixsim run`: replication 1 is
    /// design A, replication 2 is design B.
    CompareCsv,
    /// Design B as a scenario file (RON) that `Scenario::parse` loads back.
    CompareScenario,
    /// Sweep results as CSV, the columns of `ixsim sweep`.
    SweepCsv,
    /// The first measure's heatmap as a PNG picture.
    HeatmapPng,
}

impl Export {
    /// A file name to offer in the save dialog.
    pub fn suggested_file_name(self) -> &'static str {
        match self {
            Export::CompareCsv => "compare-a-b.csv",
            Export::CompareScenario => "design-b.ron",
            Export::SweepCsv => "sweep.csv",
            Export::HeatmapPng => "heatmap.png",
        }
    }

    /// The file extension, without the dot (for dialog filters).
    pub fn extension(self) -> &'static str {
        match self {
            Export::CompareCsv | Export::SweepCsv => "csv",
            Export::CompareScenario => "ron",
            Export::HeatmapPng => "png",
        }
    }

    /// What the file holds, for buttons and dialog titles.
    pub fn label(self) -> &'static str {
        match self {
            Export::CompareCsv => "Save A and B runs as CSV",
            Export::CompareScenario => "Save design B as a scenario",
            Export::SweepCsv => "Save sweep as CSV",
            Export::HeatmapPng => "Save heatmap as PNG",
        }
    }
}

/// Why the lab refused a design, a sweep setup or a start. The Display
/// text is what the views show.
#[derive(Debug, thiserror::Error)]
pub enum LabError {
    /// A design of another world than the view's.
    #[error("{which} is not one of the {world} world")]
    OtherWorld {
        /// "a design" or "this design", as the sentence needs.
        which: &'static str,
        /// The view's world id.
        world: &'static str,
    },
    /// A sweep axis names no parameter of the world.
    #[error("no parameter number {0}")]
    NoParam(usize),
    /// A sweep axis has more points than the panel allows.
    #[error("{label}: {points} points; expected 1 to {max}", max = sweep_view::MAX_AXIS_POINTS)]
    TooManyPoints {
        /// The parameter's label.
        label: &'static str,
        /// The points asked for.
        points: usize,
    },
    /// A sweep needs one or two axes.
    #[error("choose one or two parameters to sweep")]
    AxisCount,
    /// Replications out of range.
    #[error("{0} replications: expected 1 to {max}", max = crate::runner::MAX_REPLICATIONS)]
    Replications(u32),
    /// Days out of range.
    #[error("{0} days: expected 1 to {max}", max = crate::sim::MAX_DAYS)]
    Days(u32),
    /// The grid itself was refused.
    #[error(transparent)]
    Sweep(#[from] crate::sweep::SweepError),
    /// One sweep at a time.
    #[error("a sweep is already running")]
    AlreadyRunning,
    /// The simulations a sweep runs at once would not fit in memory.
    #[error(
        "this sweep needs about {} of memory ({concurrent} simulations at once of about {} each), but about {} is available: sweep fewer users or run on fewer threads",
        crate::format::bytes(.estimate.total_bytes()),
        crate::format::bytes(.estimate.per_simulation_bytes),
        crate::format::bytes(*.available_bytes as f64),
        concurrent = .estimate.concurrent,
    )]
    Memory {
        /// What the sweep would take.
        estimate: crate::runner::MemoryEstimate,
        /// What the machine has free, in bytes.
        available_bytes: u64,
    },
    /// The batch was refused for another reason.
    #[error(transparent)]
    Batch(crate::runner::BatchError),
    /// The background batch could not start.
    #[error(transparent)]
    Spawn(#[from] crate::job::SpawnError),
}

/// A memory refusal in the app's words (the batch's own names command-line
/// flags); anything else as the batch says it.
impl From<crate::runner::BatchError> for LabError {
    fn from(e: crate::runner::BatchError) -> Self {
        match e {
            crate::runner::BatchError::Memory {
                estimate,
                available_bytes,
            } => LabError::Memory {
                estimate,
                available_bytes,
            },
            other => LabError::Batch(other),
        }
    }
}

/// Why an export did not happen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExportError {
    /// The file exists and `overwrite` was false: ask the person, then call
    /// again with `overwrite = true`.
    Exists(PathBuf),
    /// There is nothing to write yet (no run, no sweep results...).
    NothingToExport(String),
    /// Writing failed; the message says why. No partial file is left behind.
    Write {
        /// The target.
        path: PathBuf,
        /// The cause, in words.
        message: String,
    },
}

impl fmt::Display for ExportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExportError::Exists(path) => write!(
                f,
                "{} already exists; confirm to overwrite it",
                path.display()
            ),
            ExportError::NothingToExport(what) => write!(f, "nothing to save: {what}"),
            ExportError::Write { path, message } => {
                write!(f, "could not write {}: {message}", path.display())
            }
        }
    }
}

impl std::error::Error for ExportError {}

/// Writes `bytes` to `path` atomically, refusing to replace an existing file
/// unless `overwrite` is true.
pub fn write_file(path: &Path, bytes: &[u8], overwrite: bool) -> Result<(), ExportError> {
    write_file_with(path, overwrite, |w| w.write_all(bytes))
}

/// [`write_file`], streaming the contents from `write`.
pub fn write_file_with(
    path: &Path,
    overwrite: bool,
    write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> Result<(), ExportError> {
    if !overwrite && path.exists() {
        return Err(ExportError::Exists(path.to_path_buf()));
    }
    crate::io::atomic_write_with(path, write).map_err(|e| ExportError::Write {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}
