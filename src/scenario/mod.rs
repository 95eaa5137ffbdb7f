//! Scenario files: RON text → validated [`Scenario`], and back.
//!
//! Parse, don't validate: the private `raw` module mirrors the file with
//! serde; [`Scenario::parse`] turns it into checked parameter values or a
//! [`ScenarioError`] naming the file, line, column and field and what was
//! expected. Parameters are written
//! as a map from registry id to value, so only what differs from the defaults
//! needs to appear, and every id the registry knows is accepted.

pub mod lesson;
pub mod library;
mod locate;
mod raw;
pub mod reality;
pub mod sweep_plan;
mod unknown;

use std::collections::BTreeMap;
use std::fmt;

use crate::sim::{
    Layer, MAX_DAYS, MetricSpec, ParamError, ParamValues, RawValue, WorldKind, observe, registry,
};

pub use raw::FORMAT_VERSION;
pub use sweep_plan::{MAX_AXIS_POINTS, PlanAxis, PlanValues, SweepPlan};
pub use unknown::{MAX_ID_CHARS, MAX_SUGGESTIONS, param_message, shorten, unknown_id};

/// Largest scenario file read (a scenario is a few kilobytes).
pub const MAX_FILE_BYTES: u64 = 1_000_000;

/// Why a scenario was refused.
#[derive(Clone, Debug, PartialEq)]
pub struct ScenarioError {
    /// The file (or `<embedded>/name`).
    pub file: String,
    /// 1-based line, 0 when unknown.
    pub line: usize,
    /// 1-based column, 0 when unknown.
    pub column: usize,
    /// The field concerned, if any.
    pub field: Option<String>,
    /// What is wrong and what was expected.
    pub message: String,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if self.line > 0 {
            write!(f, ":{}:{}", self.line, self.column)?;
        }
        write!(f, ": ")?;
        if let Some(field) = &self.field {
            write!(f, "field `{field}`: ")?;
        }
        write!(f, "{}", self.message)
    }
}

impl std::error::Error for ScenarioError {}

/// The narrative a scenario tells.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Story {
    /// What the scenario shows.
    pub shows: String,
    /// What to watch while it runs.
    pub watch: String,
    /// Things to try.
    pub try_these: Vec<String>,
    /// A question to answer before running.
    pub predict: String,
}

/// One step of a guided lesson.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    /// Short title.
    pub title: String,
    /// What to do and why.
    pub text: String,
    /// A question to predict before running the step.
    pub question: String,
    /// Parameter changes the step applies: (index in the table, value).
    pub set: Vec<(usize, f64)>,
    /// Days to run after applying.
    pub days: u32,
    /// Metric indices whose before/after the step reveals.
    pub reveal: Vec<usize>,
    /// What the reveal should show, in words.
    pub explain: String,
    /// An experiment the step runs in the Experiment tab instead of
    /// advancing the run (`days` is then the experiment's length).
    pub experiment: Option<StepExperiment>,
}

/// A lesson step's experiment: the team's A/B test of design B against the
/// design as the lesson left it, or A/A reruns of that design against itself.
#[derive(Clone, Debug, PartialEq)]
pub struct StepExperiment {
    /// Changes to both designs and the world for the experiment only,
    /// (index in the table, value); the lesson's run keeps its values.
    pub both: Vec<(usize, f64)>,
    /// Design B: changes to the current design, (index in the table, value).
    /// Empty in an A/A step.
    pub b: Vec<(usize, f64)>,
    /// The decision metric: an index in the world's metrics that has a
    /// per-user form.
    pub metric: usize,
    /// Share of users in B, in (0, 1).
    pub split: f64,
    /// A/A reruns on this many seeds (0: an A/B test).
    pub aa_seeds: u32,
}

/// Most A/A reruns a lesson step may ask for.
pub const MAX_STEP_AA_SEEDS: u32 = 1000;

/// Checks a step's experiment: a field (under `experiment.`), the key at
/// fault and what was expected, on error.
fn step_experiment(
    raw: &raw::RawStepExperiment,
    world: WorldKind,
    params: &ParamValues,
    days: u32,
) -> Result<StepExperiment, (&'static str, Option<String>, String)> {
    if world != WorldKind::Users {
        return Err((
            "metric",
            None,
            format!(
                "experiments run in the users world only; this scenario's world is \"{}\"",
                world.id()
            ),
        ));
    }
    if days > crate::experiment::run::MAX_VIEW_DAYS {
        return Err((
            "days",
            None,
            format!(
                "{days} days: expected an experiment of at most {} days",
                crate::experiment::run::MAX_VIEW_DAYS
            ),
        ));
    }
    let metric = crate::experiment::run::metric_column(&raw.metric).map_err(|_| {
        let ids: Vec<&str> = crate::sim::users::experiment_metrics().collect();
        (
            "metric",
            None,
            unknown_id("per-user metric", &raw.metric, &ids),
        )
    })?;
    // The team decides on what its telemetry measures.
    if !crate::sim::users::METRICS[metric].observable {
        let ids: Vec<&str> = crate::sim::users::experiment_metrics()
            .filter(|id| {
                crate::sim::users::METRICS
                    .iter()
                    .any(|m| m.id == *id && m.observable)
            })
            .collect();
        return Err((
            "metric",
            None,
            format!(
                "\"{}\" is hidden from the organization: expected a measure it logs, one of {}",
                raw.metric,
                ids.join(", ")
            ),
        ));
    }
    let split = raw.split.unwrap_or(0.5);
    if !(split > 0.0 && split < 1.0) {
        return Err((
            "split",
            None,
            format!("{split}: expected the share of users in B, between 0 and 1"),
        ));
    }
    let aa_seeds = raw.aa_seeds.unwrap_or(0);
    if aa_seeds > MAX_STEP_AA_SEEDS {
        return Err((
            "aa_seeds",
            None,
            format!("{aa_seeds}: expected at most {MAX_STEP_AA_SEEDS} reruns"),
        ));
    }
    if aa_seeds > 0 && !raw.b.is_empty() {
        return Err((
            "b",
            None,
            "an A/A step compares the design with itself: expected no `b` with `aa_seeds`".into(),
        ));
    }
    if aa_seeds == 0 && raw.b.is_empty() {
        return Err((
            "b",
            None,
            "expected the changes that make design B (or `aa_seeds` for A/A reruns)".into(),
        ));
    }
    let mut scratch = params.clone();
    let mut changes = |field: &'static str, set: &BTreeMap<String, raw::RawParam>| {
        let mut out = Vec::new();
        for (key, value) in set {
            let i = scratch
                .index_of(key)
                .map_err(|e| (field, Some(key.clone()), param_message(&e)))?;
            if is_list(&scratch, i) {
                return Err((field, Some(key.clone()), LIST_IN_SET.into()));
            }
            scratch
                .set_raw(key, &value.to_raw())
                .map_err(|e| (field, Some(key.clone()), param_message(&e)))?;
            out.push((i, scratch.values()[i]));
        }
        Ok(out)
    };
    let both = changes("both", &raw.both)?;
    let b = changes("b", &raw.b)?;
    world
        .check_limits(&scratch)
        .map_err(|e| ("both", None, param_message(&e)))?;
    Ok(StepExperiment {
        both,
        b,
        metric,
        split,
        aa_seeds,
    })
}

/// A validated scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    /// Stable id (public API).
    pub id: String,
    /// Title for people.
    pub title: String,
    /// One line.
    pub summary: String,
    /// Tags for filtering (mode, loop, layer emphasised).
    pub tags: Vec<String>,
    /// The narrative.
    pub story: Story,
    /// Names of the organizational objectives, leading indicators, user
    /// outcomes and model properties in this case's own words, by layer.
    pub goals: BTreeMap<Layer, Vec<String>>,
    /// Which world it runs.
    pub world: WorldKind,
    /// Full, validated parameter values.
    pub params: ParamValues,
    /// Default run length.
    pub days: u32,
    /// Default seed.
    pub seed: u64,
    /// Parameters the lesson shows (indices); empty = all.
    pub controls: Vec<usize>,
    /// Parameters shown but locked (indices).
    pub locked: Vec<usize>,
    /// Default plotted metrics per layer (indices).
    pub plots: Vec<usize>,
    /// The case's own names for parameters (index → label), e.g. "Share of
    /// minutes the recogniser gets right" for a base rate.
    pub labels: BTreeMap<usize, String>,
    /// Guided-lesson steps.
    pub steps: Vec<Step>,
    /// Headline figures with the ranges field data give.
    pub reality: reality::Reality,
    /// What the organization sees: reporting period and lag, monitors.
    pub observe: observe::Setup,
    /// The lesson's levers to sweep and the measures to read over them,
    /// if the file names them (the `sweep` block).
    pub sweep: Option<SweepPlan>,
}

impl Scenario {
    /// Reads and parses a scenario file (the app's File → Open and the
    /// command line's file arguments).
    pub fn load(path: &std::path::Path) -> Result<Self, ScenarioError> {
        let file = path.display().to_string();
        let refused = |message: String| ScenarioError {
            file: file.clone(),
            line: 0,
            column: 0,
            field: None,
            message,
        };
        let bytes =
            crate::io::read_limited(path, MAX_FILE_BYTES).map_err(|e| refused(e.to_string()))?;
        Self::parse_bytes(&bytes, &file)
    }

    /// Parses a file's bytes: UTF-8 (a byte-order mark is allowed), or an
    /// error at the first invalid byte's line and column. `file` names it
    /// in errors.
    pub fn parse_bytes(bytes: &[u8], file: &str) -> Result<Self, ScenarioError> {
        match std::str::from_utf8(bytes) {
            // A UTF-8 byte-order mark is allowed.
            Ok(text) => Self::parse(text.strip_prefix('\u{feff}').unwrap_or(text), file),
            Err(e) => {
                let before = &bytes[..e.valid_up_to()];
                let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
                let line_start = before
                    .iter()
                    .rposition(|&b| b == b'\n')
                    .map_or(0, |p| p + 1);
                let column = String::from_utf8_lossy(&before[line_start..])
                    .chars()
                    .count()
                    + 1;
                Err(ScenarioError {
                    file: file.to_string(),
                    line,
                    column,
                    field: None,
                    message: "invalid UTF-8: expected text".into(),
                })
            }
        }
    }

    /// Parses and validates RON text. `file` names it in errors.
    pub fn parse(text: &str, file: &str) -> Result<Self, ScenarioError> {
        let raw = raw::RawScenario::from_ron(text, file)?;
        // An error at `field` (and `key` in it), searched for within
        // `text[from..to]`; `prefix` names the enclosing step, if any.
        let error_in = |prefix: &str,
                        (from, to): (usize, usize),
                        field: &str,
                        key: Option<&str>,
                        message: String| {
            let (line, column) = locate::locate_in(text, from, to, field, key);
            ScenarioError {
                file: file.to_string(),
                line,
                column,
                field: Some(match key {
                    Some(k) => format!("{prefix}{field}.{k}"),
                    None => format!("{prefix}{field}"),
                }),
                message,
            }
        };
        let at = |field: &str, key: Option<&str>, message: String| {
            error_in("", (0, text.len()), field, key, message)
        };
        if raw.format != FORMAT_VERSION {
            return Err(at(
                "format",
                None,
                format!(
                    "unsupported format version {}: expected {FORMAT_VERSION}",
                    raw.format
                ),
            ));
        }
        if raw.id.is_empty()
            || !raw
                .id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            return Err(at(
                "id",
                None,
                format!(
                    "\"{}\" is not a valid id: expected lowercase letters, digits and dashes",
                    raw.id
                ),
            ));
        }
        let world = WorldKind::from_id(&raw.world).ok_or_else(|| {
            let valid: Vec<_> = WorldKind::ALL.iter().map(|k| k.id()).collect();
            at(
                "world",
                None,
                format!(
                    "unknown world \"{}\": expected one of {}",
                    raw.world,
                    valid.join(", ")
                ),
            )
        })?;
        let mut params = world.defaults();
        for (key, value) in &raw.params {
            params
                .set_raw(key, &value.to_raw())
                .map_err(|e| at("params", Some(key), param_message(&e)))?;
        }
        world.check_limits(&params).map_err(|e| {
            let key = match &e {
                ParamError::AboveLimit { id, .. } | ParamError::ListLength { id, .. } => Some(*id),
                _ => None,
            };
            at("params", key, param_message(&e))
        })?;
        if raw.run.days == 0 || raw.run.days > MAX_DAYS {
            return Err(at(
                "run.days",
                None,
                format!(
                    "{} days: expected a run length from 1 to {MAX_DAYS}",
                    raw.run.days
                ),
            ));
        }
        let param_index = |field: &str, id: &str| {
            params
                .index_of(id)
                .map_err(|e| at(field, Some(id), param_message(&e)))
        };
        let controls = raw
            .controls
            .iter()
            .map(|id| param_index("controls", id))
            .collect::<Result<Vec<_>, _>>()?;
        let locked = raw
            .locked
            .iter()
            .map(|id| param_index("locked", id))
            .collect::<Result<Vec<_>, _>>()?;
        let metrics = world.metrics();
        let metric_of = |id: &str| {
            metrics.iter().position(|m| m.id == id).ok_or_else(|| {
                let ids: Vec<&str> = metrics.iter().map(|m| m.id).collect();
                unknown_id("metric", id, &ids)
            })
        };
        let labels = raw
            .labels
            .iter()
            .map(|(id, label)| {
                let i = param_index("labels", id)?;
                if label.trim().is_empty() {
                    return Err(at("labels", Some(id), "expected a non-empty label".into()));
                }
                Ok((i, label.clone()))
            })
            .collect::<Result<BTreeMap<_, _>, _>>()?;
        let plots = raw
            .plots
            .iter()
            .map(|id| metric_of(id).map_err(|m| at("plots", Some(id), m)))
            .collect::<Result<Vec<_>, _>>()?;
        let mut steps = Vec::with_capacity(raw.steps.len());
        let mut lesson_days = 0u64;
        for (n, step) in raw.steps.iter().enumerate() {
            // Errors inside a step name it and point into it.
            let at_step = |field: &str, key: Option<&str>, message: String| {
                let prefix = format!("steps[{n}].");
                error_in(&prefix, step_bounds(text, n), field, key, message)
            };
            let mut scratch = params.clone();
            let mut set = Vec::new();
            for (key, value) in &step.set {
                let i = scratch
                    .index_of(key)
                    .map_err(|e| at_step("set", Some(key), param_message(&e)))?;
                if is_list(&scratch, i) {
                    return Err(at_step("set", Some(key), LIST_IN_SET.into()));
                }
                scratch
                    .set_raw(key, &value.to_raw())
                    .map_err(|e| at_step("set", Some(key), param_message(&e)))?;
                set.push((i, scratch.values()[i]));
            }
            // A step's reveal compares the days it ran with those before.
            let days = match step.days {
                None => {
                    return Err(at_step(
                        "days",
                        None,
                        "missing: expected the days the step runs (at least 1)".into(),
                    ));
                }
                Some(0) => {
                    return Err(at_step(
                        "days",
                        None,
                        "0 days: expected a step to run at least 1 day".into(),
                    ));
                }
                Some(days) => days,
            };
            let experiment = match &step.experiment {
                None => None,
                Some(e) => {
                    // The step leaves the lesson's run as it is: what it
                    // shows is the experiment's verdicts.
                    if !step.set.is_empty() {
                        return Err(at_step(
                            "set",
                            None,
                            "an experiment step leaves the lesson's run as it is: expected no `set` (use `experiment.both` or `experiment.b`)".into(),
                        ));
                    }
                    if !step.reveal.is_empty() {
                        return Err(at_step(
                            "reveal",
                            None,
                            "an experiment step reveals the experiment's verdicts: expected no `reveal`".into(),
                        ));
                    }
                    Some(
                        step_experiment(e, world, &params, days).map_err(|(field, key, m)| {
                            at_step(&format!("experiment.{field}"), key.as_deref(), m)
                        })?,
                    )
                }
            };
            // The lesson runs its steps one after the other in one run (an
            // experiment step runs in the Experiment tab, not in it).
            if experiment.is_none() {
                lesson_days += u64::from(days);
            }
            if lesson_days > u64::from(MAX_DAYS) {
                return Err(at_step(
                    "days",
                    None,
                    format!(
                        "the steps run {lesson_days} days by here: expected at most {MAX_DAYS} in all"
                    ),
                ));
            }
            let reveal = step
                .reveal
                .iter()
                .map(|id| metric_of(id).map_err(|m| at_step("reveal", Some(id), m)))
                .collect::<Result<Vec<_>, _>>()?;
            steps.push(Step {
                title: step.title.clone(),
                text: step.text.clone(),
                question: step.question.clone(),
                set,
                days,
                reveal,
                explain: step.explain.clone(),
                experiment,
            });
        }
        let reality = parse_reality(&raw.reality, &params, metrics, |field, key, m| {
            error_in(
                "",
                (find_word(text, "reality", 0).unwrap_or(0), text.len()),
                field,
                key,
                m,
            )
        })?;
        let observe = parse_observe(&raw.observe, metrics, |n, field, key, m| {
            let prefix = match n {
                Some(n) => format!("observe.monitors[{n}]."),
                None => "observe.".to_string(),
            };
            error_in(&prefix, observe_bounds(text, n), field, key, m)
        })?;
        let sweep = raw
            .sweep
            .as_ref()
            .map(|block| {
                sweep_plan::parse(block, &params, metrics, |(n, field, key), m| {
                    let prefix = match n {
                        Some(n) => format!("sweep.axes[{n}]."),
                        None => "sweep.".to_string(),
                    };
                    error_in(&prefix, sweep_bounds(text, n), field, key, m)
                })
            })
            .transpose()?;
        let mut goals = BTreeMap::new();
        for (layer, names) in [
            (Layer::Organization, &raw.goals.organization),
            (Layer::Leading, &raw.goals.leading),
            (Layer::User, &raw.goals.user),
            (Layer::Model, &raw.goals.model),
        ] {
            if !names.is_empty() {
                goals.insert(layer, names.clone());
            }
        }
        Ok(Scenario {
            id: raw.id,
            title: raw.title,
            summary: raw.summary,
            tags: raw.tags,
            story: Story {
                shows: raw.story.shows,
                watch: raw.story.watch,
                try_these: raw.story.try_these,
                predict: raw.story.predict,
            },
            goals,
            world,
            params,
            days: raw.run.days,
            seed: raw.run.seed,
            controls,
            locked,
            plots,
            labels,
            steps,
            reality,
            observe,
            sweep,
        })
    }

    /// Writes the scenario as RON text, with `params` in place of its own
    /// values (only those differing from the defaults are written).
    pub fn to_ron_with(&self, params: &ParamValues) -> String {
        raw::RawScenario::from_scenario(self, params).to_ron()
    }

    /// The label of parameter `index` in this case: its own name if it
    /// gives one, the registry's otherwise.
    pub fn label(&self, index: usize) -> &str {
        self.labels
            .get(&index)
            .map_or(self.params.specs()[index].label, String::as_str)
    }

    /// Writes the scenario as RON text.
    pub fn to_ron(&self) -> String {
        self.to_ron_with(&self.params)
    }
}

/// Validates the `reality` block: known metrics, a day within the bounds, a
/// finite range low to high, a positive scale, a source, valid changes.
fn parse_reality(
    raw: &raw::RawReality,
    params: &ParamValues,
    metrics: &[MetricSpec],
    at: impl Fn(&str, Option<&str>, String) -> ScenarioError,
) -> Result<reality::Reality, ScenarioError> {
    use raw::{RawMeasure, RawShown};
    use reality::{Figure, Measure, Shown};
    let metric = |id: &str| {
        metrics.iter().position(|m| m.id == id).ok_or_else(|| {
            let ids: Vec<&str> = metrics.iter().map(|m| m.id).collect();
            at("value", Some(id), unknown_id("metric", id, &ids))
        })
    };
    let mut figures = Vec::with_capacity(raw.figures.len());
    for f in &raw.figures {
        let measure = match &f.value {
            RawMeasure::Mean(m) => Measure::Mean(metric(m)?),
            RawMeasure::Day(m, d) => {
                // A figure may read a day past the run's default length: its
                // run is made long enough (see `Reality::compute`).
                if *d == 0 || *d > MAX_DAYS {
                    return Err(at(
                        "value",
                        Some(m),
                        format!("day {d}: expected a day from 1 to {MAX_DAYS}"),
                    ));
                }
                Measure::Day(metric(m)?, *d)
            }
            RawMeasure::Final(m) => Measure::Final(metric(m)?),
            RawMeasure::Ratio(a, b) => Measure::Ratio(metric(a)?, metric(b)?),
            RawMeasure::ShareNot(a, b) => Measure::ShareNot(metric(a)?, metric(b)?),
            RawMeasure::PerUserYear(a, u) => Measure::PerUserYear(metric(a)?, metric(u)?),
            RawMeasure::PerUserRun(a, u) => Measure::PerUserRun(metric(a)?, metric(u)?),
            RawMeasure::Kept(m) => Measure::Kept(metric(m)?),
        };
        let (lo, hi) = f.range;
        if !(lo.is_finite() && hi.is_finite() && lo <= hi) {
            return Err(at(
                "range",
                None,
                format!("({lo}, {hi}): expected finite numbers, low first"),
            ));
        }
        if !(f.scale.is_finite() && f.scale > 0.0) {
            return Err(at(
                "scale",
                None,
                format!("{}: expected a positive multiple", f.scale),
            ));
        }
        if f.what.trim().is_empty() || f.source.trim().is_empty() {
            return Err(at(
                "source",
                None,
                "expected a figure to say what it is (`what`) and where its range comes from (`source`)".into(),
            ));
        }
        let mut scratch = params.clone();
        let mut set = Vec::new();
        for (key, value) in &f.set {
            let i = scratch
                .index_of(key)
                .map_err(|e| at("set", Some(key), param_message(&e)))?;
            if is_list(&scratch, i) {
                return Err(at("set", Some(key), LIST_IN_SET.into()));
            }
            scratch
                .set_raw(key, &value.to_raw())
                .map_err(|e| at("set", Some(key), param_message(&e)))?;
            set.push((i, scratch.values()[i]));
        }
        figures.push(Figure {
            what: f.what.clone(),
            measure,
            set,
            range: f.range,
            scale: f.scale,
            shown: match f.shown_as {
                RawShown::Percent => Shown::Percent,
                RawShown::Dollars => Shown::Dollars,
                RawShown::Number => Shown::Number,
            },
            source: f.source.clone(),
        });
    }
    Ok(reality::Reality { figures })
}

/// Byte range of the `n`-th guided step (from its `title:` to the next
/// step's), or from `steps:` to the end if it cannot be found.
fn step_bounds(text: &str, n: usize) -> (usize, usize) {
    match find_word(text, "steps", 0) {
        Some(steps) => nth_entry(text, steps, "title", n),
        None => (0, text.len()),
    }
}

/// Where the `observe` block's monitor `n` is written (the whole block
/// when `n` is `None` or cannot be found), as a byte range.
fn observe_bounds(text: &str, n: Option<usize>) -> (usize, usize) {
    match (find_word(text, "observe", 0), n) {
        (Some(start), Some(n)) => nth_entry(text, start, "metric", n),
        (Some(start), None) => (start, text.len()),
        (None, _) => (0, text.len()),
    }
}

/// Where the `sweep` block's axis `n` is written (the whole block when `n`
/// is `None` or cannot be found), as a byte range.
fn sweep_bounds(text: &str, n: Option<usize>) -> (usize, usize) {
    // The last top-level `sweep:` (a story's text is skipped by the scanner).
    match (locate::fields(text, "sweep").last().copied(), n) {
        (Some(start), Some(n)) => nth_entry(text, start, "param", n),
        (Some(start), None) => (start, text.len()),
        (None, _) => (0, text.len()),
    }
}

/// The byte range of the `n`-th entry of a list that starts at `block`,
/// each entry opening with the field `first` (to the next entry's, or the
/// end); the block to the end when there is no such entry.
fn nth_entry(text: &str, block: usize, first: &str, n: usize) -> (usize, usize) {
    let starts: Vec<usize> = locate::fields(text, first)
        .into_iter()
        .filter(|&at| at > block)
        .collect();
    match starts.get(n) {
        Some(&from) => (from, starts.get(n + 1).copied().unwrap_or(text.len())),
        None => (block, text.len()),
    }
}

/// Validates the `observe` block: its settings as [`observe::SETTINGS`]
/// describe them, and each monitor (an observable measure of this world, a
/// direction, a finite threshold, a window of 1–365 days). `at(monitor,
/// field, key, message)` places an error.
fn parse_observe(
    raw: &raw::RawObserve,
    metrics: &[crate::sim::MetricSpec],
    at: impl Fn(Option<usize>, &str, Option<&str>, String) -> ScenarioError,
) -> Result<observe::Setup, ScenarioError> {
    let mut values = ParamValues::defaults(observe::SETTINGS);
    for (field, id, value) in [
        ("period", "observe.period", &raw.period),
        ("lag_days", "observe.lag_days", &raw.lag_days),
    ] {
        if let Some(v) = value {
            values
                .set_raw(id, &v.to_raw())
                .map_err(|e| at(None, field, None, param_message(&e)))?;
        }
    }
    use crate::sim::Choice;
    let mut monitors = Vec::with_capacity(raw.monitors.len());
    for (n, m) in raw.monitors.iter().enumerate() {
        let direction = observe::Direction::from_name(&m.direction).ok_or_else(|| {
            at(
                Some(n),
                "direction",
                None,
                format!(
                    "\"{}\" is not a direction: expected \"above\" or \"below\"",
                    m.direction
                ),
            )
        })?;
        let monitor =
            observe::Monitor::new(metrics, &m.metric, m.threshold, direction, m.window_days)
                .map_err(|e| {
                    let field = match e {
                        observe::MonitorError::Unknown { .. }
                        | observe::MonitorError::Hidden { .. } => "metric",
                        observe::MonitorError::Threshold => "threshold",
                        observe::MonitorError::Window { .. } => "window_days",
                    };
                    at(Some(n), field, None, e.to_string())
                })?;
        monitors.push(monitor);
    }
    Ok(observe::Setup {
        reporting: observe::Reporting::from_values(&values),
        monitors,
    })
}

/// First field named `word` (outside strings and comments) at or after `from`.
fn find_word(text: &str, word: &str, from: usize) -> Option<usize> {
    locate::find_field(text, word, from)
}

/// Why a list cannot be set by a step or a figure.
const LIST_IN_SET: &str = "a per-district list is part of the design a run starts from: set it \
     in `params`, not in a step or a figure";

/// True when parameter `i` is a list (set at day 0 only).
fn is_list(params: &ParamValues, i: usize) -> bool {
    matches!(params.specs()[i].kind, crate::sim::ParamKind::List(_))
}

/// Formats a parameter value for a RON file.
pub(crate) fn raw_value_of(spec: &crate::sim::ParamSpec, value: f64) -> RawValue {
    match spec.kind {
        crate::sim::ParamKind::Bool => RawValue::Bool(value != 0.0),
        crate::sim::ParamKind::Choice(_) => RawValue::Text(spec.format(value)),
        // Steps and figures set no lists (refused when read).
        crate::sim::ParamKind::List(_)
        | crate::sim::ParamKind::Real
        | crate::sim::ParamKind::Int => RawValue::Number(value),
    }
}

/// A parameter or metric table that contradicts itself.
#[derive(Debug, thiserror::Error)]
#[error("{world}: {message}")]
pub struct TableError {
    /// The world whose table it is.
    pub world: &'static str,
    /// What is inconsistent.
    pub message: String,
}

/// Checks that every parameter and metric table is consistent (for tests).
pub fn check_tables() -> Result<(), TableError> {
    for kind in WorldKind::ALL {
        registry::check_table(kind.params(), kind.metrics()).map_err(|e| TableError {
            world: kind.id(),
            message: e.to_string(),
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
