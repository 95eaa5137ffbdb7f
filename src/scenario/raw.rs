//! The scenario file as written: serde structs that mirror the RON exactly.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::reality::{Measure, Shown};
use super::{Scenario, ScenarioError, raw_value_of};
use crate::sim::observe::{self, Reporting, Setup};
use crate::sim::{Choice, Layer, ParamValues, RawValue};

/// A map whose keys must each appear once: a repeated id is an error at the
/// repeat, not a silent "last one wins".
fn unique_keys<'de, D, V>(d: D) -> Result<BTreeMap<String, V>, D::Error>
where
    D: serde::Deserializer<'de>,
    V: Deserialize<'de>,
{
    struct Unique<V>(std::marker::PhantomData<V>);
    impl<'de, V: Deserialize<'de>> serde::de::Visitor<'de> for Unique<V> {
        type Value = BTreeMap<String, V>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a map from ids to values")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut map: A,
        ) -> Result<Self::Value, A::Error> {
            let mut out = BTreeMap::new();
            while let Some(key) = map.next_key::<String>()? {
                if out.contains_key(&key) {
                    return Err(serde::de::Error::custom(format!(
                        "`{}` is given twice: each id may appear once",
                        super::unknown::shorten(&key)
                    )));
                }
                let value = map.next_value()?;
                out.insert(key, value);
            }
            Ok(out)
        }
    }
    d.deserialize_map(Unique(std::marker::PhantomData))
}

/// A field that is optional only so that its absence can be reported
/// with a position: written as a plain value, not `Some(…)`.
fn present<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(d).map(Some)
}

/// Writes what [`present`] reads: the value itself.
fn plain<S: serde::Serializer>(v: &Option<u32>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u32(v.unwrap_or(0))
}

/// Writes an optional field that [`present`] reads: the value itself
/// (a field that is `None` is skipped, never written).
fn plain_some<S: serde::Serializer, T: Serialize>(v: &Option<T>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) => v.serialize(s),
        None => s.serialize_unit(),
    }
}

/// Byte offset of 1-based `line` and character `column` in `text`.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    text[start.min(text.len())..]
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(text.len(), |(o, _)| start + o)
}

/// The scenario format this build reads and writes.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawScenario {
    pub format: u32,
    pub id: String,
    pub title: String,
    pub summary: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    pub story: RawStory,
    #[serde(default)]
    pub goals: RawGoals,
    pub world: String,
    pub run: RawRun,
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "unique_keys"
    )]
    pub params: BTreeMap<String, RawParam>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub controls: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub locked: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub plots: Vec<String>,
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "unique_keys"
    )]
    pub labels: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<RawStep>,
    #[serde(default, skip_serializing_if = "RawReality::is_empty")]
    pub reality: RawReality,
    #[serde(default, skip_serializing_if = "RawObserve::is_empty")]
    pub observe: RawObserve,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present",
        serialize_with = "plain_some"
    )]
    pub sweep: Option<RawSweep>,
}

/// The lesson's sweep as written (see `sweep_plan.rs`).
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSweep {
    pub axes: Vec<RawAxis>,
    pub measures: Vec<String>,
}

/// One axis as written: `(param: "model.threshold", from: 1, to: 4,
/// points: 7)` or `(param: "policy.correction", values: [false, true])`.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAxis {
    pub param: String,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present",
        serialize_with = "plain_some"
    )]
    pub from: Option<f64>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present",
        serialize_with = "plain_some"
    )]
    pub to: Option<f64>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present",
        serialize_with = "plain_some"
    )]
    pub points: Option<usize>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<RawParam>,
}

/// What the organization sees: its reporting and its monitors (see
/// `crate::sim::observe`). Every field may be left out.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawObserve {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<RawParam>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lag_days: Option<RawParam>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub monitors: Vec<RawMonitor>,
}

impl RawObserve {
    fn is_empty(&self) -> bool {
        self.period.is_none() && self.lag_days.is_none() && self.monitors.is_empty()
    }
}

/// One monitor as written: `(metric: "org.incidents", direction: "above",
/// threshold: 40, window_days: 7)`.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMonitor {
    pub metric: String,
    pub direction: String,
    pub threshold: f64,
    pub window_days: i64,
}

/// The headline figures with their field ranges (see `reality.rs`).
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawReality {
    #[serde(default)]
    pub figures: Vec<RawFigure>,
}

impl RawReality {
    fn is_empty(&self) -> bool {
        self.figures.is_empty()
    }
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFigure {
    pub what: String,
    pub value: RawMeasure,
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "unique_keys"
    )]
    pub set: BTreeMap<String, RawParam>,
    pub range: (f64, f64),
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub scale: f64,
    pub shown_as: RawShown,
    pub source: String,
}

fn one() -> f64 {
    1.0
}

fn is_one(v: &f64) -> bool {
    *v == 1.0
}

/// How a figure is read off the run, metric ids as written.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub(super) enum RawMeasure {
    Mean(String),
    Day(String, u32),
    Final(String),
    Ratio(String, String),
    ShareNot(String, String),
    PerUserYear(String, String),
    PerUserRun(String, String),
    Kept(String),
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize)]
pub(super) enum RawShown {
    Percent,
    Dollars,
    Number,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawStory {
    pub shows: String,
    pub watch: String,
    #[serde(rename = "try", default)]
    pub try_these: Vec<String>,
    pub predict: String,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawGoals {
    #[serde(default)]
    pub organization: Vec<String>,
    #[serde(default)]
    pub leading: Vec<String>,
    #[serde(default)]
    pub user: Vec<String>,
    #[serde(default)]
    pub model: Vec<String>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRun {
    pub days: u32,
    pub seed: u64,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawStep {
    pub title: String,
    pub text: String,
    #[serde(default)]
    pub question: String,
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "unique_keys"
    )]
    pub set: BTreeMap<String, RawParam>,
    /// Missing is an error with the step's position (not serde's, which
    /// has none for a missing field).
    #[serde(default, deserialize_with = "present", serialize_with = "plain")]
    pub days: Option<u32>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reveal: Vec<String>,
    #[serde(default)]
    pub explain: String,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "plain_some"
    )]
    pub experiment: Option<RawStepExperiment>,
}

/// A step that runs an A/B experiment (or A/A reruns) in the Experiment
/// tab instead of advancing the run.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawStepExperiment {
    /// Changes to both designs and the world for the experiment only (a
    /// larger population, say); the lesson's run is not changed.
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "unique_keys"
    )]
    pub both: BTreeMap<String, RawParam>,
    /// Design B: changes to the design as the lesson left it.
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "unique_keys"
    )]
    pub b: BTreeMap<String, RawParam>,
    /// The decision metric's id.
    pub metric: String,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "plain_some"
    )]
    pub split: Option<f64>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "plain_some"
    )]
    pub aa_seeds: Option<u32>,
}

/// A parameter value as written: a number, a boolean, a word or a list of
/// numbers.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(untagged)]
pub(super) enum RawParam {
    Bool(bool),
    Number(f64),
    Text(String),
    List(Vec<f64>),
}

impl RawParam {
    pub fn to_raw(&self) -> RawValue {
        match self {
            RawParam::Bool(b) => RawValue::Bool(*b),
            RawParam::Number(n) => RawValue::Number(*n),
            RawParam::Text(t) => RawValue::Text(t.clone()),
            RawParam::List(items) => RawValue::List(items.clone()),
        }
    }

    pub(super) fn from_raw(v: RawValue) -> Self {
        match v {
            RawValue::Bool(b) => RawParam::Bool(b),
            RawValue::Number(n) => RawParam::Number(n),
            RawValue::Text(t) => RawParam::Text(t),
            RawValue::List(items) => RawParam::List(items),
        }
    }
}

impl RawScenario {
    pub fn from_ron(text: &str, file: &str) -> Result<Self, ScenarioError> {
        // Optional blocks and values are written bare (`split: 0.5`, not
        // `split: Some(0.5)`); `Some(…)` is read too.
        ron::Options::default()
            .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
            .from_str::<RawScenario>(text)
            .map_err(|e| {
                let (line, column) = (e.span.start.line, e.span.start.col);
                let message = e.code.to_string();
                let mut field = None;
                let message = if message.contains("untagged enum RawParam") {
                    // The key written before the value names the field.
                    field = super::locate::key_before(text, offset_of(text, line, column));
                    "expected a number, true or false, a word in quotes, or a list of numbers in brackets".to_string()
                } else if message.contains("recursion limit") {
                    "nested too deeply: expected at most a few levels of brackets".to_string()
                } else {
                    message
                        .replace("`RawScenario`", "the scenario")
                        .replace("`RawStory`", "`story`")
                        .replace("`RawGoals`", "`goals`")
                        .replace("`RawRun`", "`run`")
                        .replace("`RawStep`", "a step")
                        .replace("`RawObserve`", "`observe`")
                        .replace("`RawMonitor`", "a monitor")
                        .replace("`RawSweep`", "`sweep`")
                        .replace("`RawAxis`", "a sweep axis")
                };
                ScenarioError {
                    file: file.to_string(),
                    line,
                    column,
                    field: field.map(|k| super::shorten(&k)),
                    message,
                }
            })
    }

    pub fn from_scenario(s: &Scenario, params: &ParamValues) -> Self {
        let specs = params.specs();
        let ids = |v: &[usize]| v.iter().map(|i| specs[*i].id.to_string()).collect();
        let metrics = s.world.metrics();
        let metric_ids = |v: &[usize]| v.iter().map(|i| metrics[*i].id.to_string()).collect();
        let goal = |layer| s.goals.get(&layer).cloned().unwrap_or_default();
        // A list of (parameter index, value) as the file writes it.
        let raw_set = |set: &[(usize, f64)]| -> BTreeMap<String, RawParam> {
            set.iter()
                .map(|&(i, v)| {
                    let spec = &specs[i];
                    (
                        spec.id.to_string(),
                        RawParam::from_raw(raw_value_of(spec, v)),
                    )
                })
                .collect()
        };
        RawScenario {
            format: FORMAT_VERSION,
            id: s.id.clone(),
            title: s.title.clone(),
            summary: s.summary.clone(),
            tags: s.tags.clone(),
            story: RawStory {
                shows: s.story.shows.clone(),
                watch: s.story.watch.clone(),
                try_these: s.story.try_these.clone(),
                predict: s.story.predict.clone(),
            },
            goals: RawGoals {
                organization: goal(Layer::Organization),
                leading: goal(Layer::Leading),
                user: goal(Layer::User),
                model: goal(Layer::Model),
            },
            world: s.world.id().to_string(),
            run: RawRun {
                days: s.days,
                seed: s.seed,
            },
            params: (0..specs.len())
                .filter(|&i| params.values()[i] != specs[i].default)
                .map(|i| {
                    (
                        specs[i].id.to_string(),
                        RawParam::from_raw(params.raw_at(i)),
                    )
                })
                .collect(),
            controls: ids(&s.controls),
            locked: ids(&s.locked),
            plots: metric_ids(&s.plots),
            labels: s
                .labels
                .iter()
                .map(|(i, l)| (specs[*i].id.to_string(), l.clone()))
                .collect(),
            steps: s
                .steps
                .iter()
                .map(|st| RawStep {
                    title: st.title.clone(),
                    text: st.text.clone(),
                    question: st.question.clone(),
                    set: raw_set(&st.set),
                    days: Some(st.days),
                    reveal: metric_ids(&st.reveal),
                    explain: st.explain.clone(),
                    experiment: st.experiment.as_ref().map(|e| RawStepExperiment {
                        both: raw_set(&e.both),
                        b: raw_set(&e.b),
                        metric: metrics[e.metric].id.to_string(),
                        split: Some(e.split),
                        aa_seeds: (e.aa_seeds > 0).then_some(e.aa_seeds),
                    }),
                })
                .collect(),
            reality: RawReality {
                figures: s
                    .reality
                    .figures
                    .iter()
                    .map(|f| {
                        let id = |m: usize| metrics[m].id.to_string();
                        RawFigure {
                            what: f.what.clone(),
                            value: match f.measure {
                                Measure::Mean(m) => RawMeasure::Mean(id(m)),
                                Measure::Day(m, d) => RawMeasure::Day(id(m), d),
                                Measure::Final(m) => RawMeasure::Final(id(m)),
                                Measure::Ratio(a, b) => RawMeasure::Ratio(id(a), id(b)),
                                Measure::ShareNot(a, b) => RawMeasure::ShareNot(id(a), id(b)),
                                Measure::PerUserYear(a, u) => RawMeasure::PerUserYear(id(a), id(u)),
                                Measure::PerUserRun(a, u) => RawMeasure::PerUserRun(id(a), id(u)),
                                Measure::Kept(m) => RawMeasure::Kept(id(m)),
                            },
                            set: raw_set(&f.set),
                            range: f.range,
                            scale: f.scale,
                            shown_as: match f.shown {
                                Shown::Percent => RawShown::Percent,
                                Shown::Dollars => RawShown::Dollars,
                                Shown::Number => RawShown::Number,
                            },
                            source: f.source.clone(),
                        }
                    })
                    .collect(),
            },
            observe: RawObserve::of(&s.observe, metrics),
            sweep: s
                .sweep
                .as_ref()
                .map(|plan| super::sweep_plan::to_raw(plan, params, metrics)),
        }
    }

    pub fn to_ron(&self) -> String {
        let pretty = ron::ser::PrettyConfig::new()
            .struct_names(false)
            .separate_tuple_members(false);
        ron::Options::default()
            .to_string_pretty(self, pretty)
            .unwrap_or_else(|e| format!("// could not write scenario: {e}\n"))
    }
}

impl RawObserve {
    /// The file's form of `o`: only what differs from the defaults.
    fn of(o: &Setup, metrics: &[crate::sim::MetricSpec]) -> Self {
        let defaults = Reporting::default();
        let spec = |id: &str| observe::SETTINGS.iter().find(|p| p.id == id);
        let written = |id: &str, v: f64| spec(id).map(|p| RawParam::from_raw(raw_value_of(p, v)));
        RawObserve {
            period: (o.reporting.period != defaults.period)
                .then(|| written("observe.period", o.reporting.period.index() as f64))
                .flatten(),
            lag_days: (o.reporting.lag_days != defaults.lag_days)
                .then(|| written("observe.lag_days", f64::from(o.reporting.lag_days)))
                .flatten(),
            monitors: o
                .monitors
                .iter()
                .map(|m| RawMonitor {
                    metric: metrics.get(m.metric).map_or("", |s| s.id).to_string(),
                    direction: m.direction.name().to_string(),
                    threshold: m.threshold,
                    window_days: i64::from(m.window_days),
                })
                .collect(),
        }
    }
}
