//! The scenario's own sweep: the lesson's levers as one or two axes and the
//! measures to read over them, as the optional `sweep` block names them.
//!
//! Owns: the validated plan ([`SweepPlan`]) and its checks. The app's
//! Sweep tab starts from it and `ixsim sweep` runs it when no `--param` is
//! given; both turn it into a runnable grid themselves (`crate::sweep`
//! sits above the scenario and checks the grid's size).
//!
//! ```ron
//! sweep: (
//!     axes: [
//!         (param: "experience.forcefulness", from: 0, to: 1, points: 6),
//!         (param: "policy.correction", values: [false, true]),
//!     ],
//!     measures: ["org.fairness_gap", "model.estimate_error"],
//! ),
//! ```

use crate::sim::{MetricSpec, ParamKind, ParamValues};

use super::raw::{RawParam, RawSweep};
use super::{param_message, unknown_id};

/// Most values one axis of a scenario's sweep (and of the app's Sweep tab)
/// may take: 100 × 100 cells is already more than a class waits for.
pub const MAX_AXIS_POINTS: usize = 100;

/// The values one axis takes, as the file writes them.
#[derive(Clone, Debug, PartialEq)]
pub enum PlanValues {
    /// `points` evenly spaced values from `from` to `to`, ends included
    /// (numeric parameters only).
    Range {
        /// First value, checked against the parameter's range.
        from: f64,
        /// Last value, checked against the parameter's range.
        to: f64,
        /// Number of values, 1 to [`MAX_AXIS_POINTS`].
        points: usize,
    },
    /// The values listed, in storage form (an option's index, 0/1 for
    /// yes/no), each checked and each once.
    List(Vec<f64>),
}

/// One lever of the lesson.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanAxis {
    /// Index of the parameter in the world's table.
    pub param: usize,
    /// The values it takes.
    pub values: PlanValues,
}

/// A scenario's sweep: one or two axes and one or two measures (indices in
/// the world's metric table; the first is shown, the second beside it).
#[derive(Clone, Debug, PartialEq)]
pub struct SweepPlan {
    /// One or two axes, over different parameters.
    pub axes: Vec<PlanAxis>,
    /// One or two different measures.
    pub measures: Vec<usize>,
}

/// Where a problem in the block is: `(axis, field, key)`, the axis's index
/// when the problem is inside one.
pub(super) type At<'a> = (Option<usize>, &'a str, Option<&'a str>);

/// Validates the `sweep` block against the world's parameters and metrics;
/// `at(where, message)` places an error.
pub(super) fn parse(
    raw: &RawSweep,
    params: &ParamValues,
    metrics: &[MetricSpec],
    at: impl Fn(At<'_>, String) -> super::ScenarioError,
) -> Result<SweepPlan, super::ScenarioError> {
    if raw.axes.is_empty() || raw.axes.len() > 2 {
        return Err(at(
            (None, "axes", None),
            format!(
                "{} axes: expected one or two (the lesson's levers)",
                raw.axes.len()
            ),
        ));
    }
    let specs = params.specs();
    let mut axes: Vec<PlanAxis> = Vec::with_capacity(raw.axes.len());
    for (n, a) in raw.axes.iter().enumerate() {
        let at_axis = |field: &str, key: Option<&str>, m: String| at((Some(n), field, key), m);
        let param = params
            .index_of(&a.param)
            .map_err(|e| at_axis("param", Some(&a.param), param_message(&e)))?;
        let spec = &specs[param];
        if axes.iter().any(|b| b.param == param) {
            return Err(at_axis(
                "param",
                Some(&a.param),
                format!(
                    "`{}` is swept twice: the two axes must be different parameters",
                    spec.id
                ),
            ));
        }
        let named = match spec.kind {
            ParamKind::List(_) => {
                return Err(at_axis(
                    "param",
                    Some(&a.param),
                    format!(
                        "`{}` is a per-district list and cannot be swept: sweep a single-number parameter",
                        spec.id
                    ),
                ));
            }
            ParamKind::Choice(options) => Some(
                options
                    .iter()
                    .map(|o| format!("\"{o}\""))
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            ParamKind::Bool => Some("false, true".to_string()),
            ParamKind::Real | ParamKind::Int => None,
        };
        let range = (a.from, a.to, a.points);
        let values = match (range, a.values.is_empty()) {
            ((None, None, None), false) => {
                let mut kept: Vec<f64> = Vec::with_capacity(a.values.len());
                for v in &a.values {
                    let v = spec
                        .parse(&v.to_raw())
                        .map_err(|e| at_axis("values", None, param_message(&e)))?;
                    if !kept.contains(&v) {
                        kept.push(v);
                    }
                }
                if kept.len() > MAX_AXIS_POINTS {
                    return Err(at_axis(
                        "values",
                        None,
                        format!("{} values: expected at most {MAX_AXIS_POINTS}", kept.len()),
                    ));
                }
                PlanValues::List(kept)
            }
            ((Some(from), Some(to), Some(points)), true) => {
                if let Some(example) = named {
                    return Err(at_axis(
                        "from",
                        None,
                        format!(
                            "`{}` takes named values, not a range: list them, for example values: [{example}]",
                            spec.id
                        ),
                    ));
                }
                for (field, v) in [("from", from), ("to", to)] {
                    spec.check(v)
                        .map_err(|e| at_axis(field, None, param_message(&e)))?;
                }
                if points == 0 || points > MAX_AXIS_POINTS {
                    return Err(at_axis(
                        "points",
                        None,
                        format!("{points} points: expected 1 to {MAX_AXIS_POINTS}"),
                    ));
                }
                PlanValues::Range { from, to, points }
            }
            _ => {
                return Err(at_axis(
                    "param",
                    Some(&a.param),
                    "expected either `values: [...]` or all of `from`, `to` and `points`".into(),
                ));
            }
        };
        axes.push(PlanAxis { param, values });
    }
    if raw.measures.is_empty() || raw.measures.len() > 2 {
        return Err(at(
            (None, "measures", None),
            format!(
                "{} measures: expected one or two (the second is shown beside the first)",
                raw.measures.len()
            ),
        ));
    }
    let mut measures = Vec::with_capacity(raw.measures.len());
    for id in &raw.measures {
        let m = metrics.iter().position(|m| m.id == id).ok_or_else(|| {
            let ids: Vec<&str> = metrics.iter().map(|m| m.id).collect();
            at((None, "measures", Some(id)), unknown_id("metric", id, &ids))
        })?;
        if measures.contains(&m) {
            return Err(at(
                (None, "measures", Some(id)),
                format!("`{id}` is named twice: expected two different measures"),
            ));
        }
        measures.push(m);
    }
    Ok(SweepPlan { axes, measures })
}

/// The file's form of a plan.
pub(super) fn to_raw(plan: &SweepPlan, params: &ParamValues, metrics: &[MetricSpec]) -> RawSweep {
    let specs = params.specs();
    RawSweep {
        axes: plan
            .axes
            .iter()
            .map(|a| {
                let spec = &specs[a.param];
                let mut raw = super::raw::RawAxis {
                    param: spec.id.to_string(),
                    from: None,
                    to: None,
                    points: None,
                    values: Vec::new(),
                };
                match &a.values {
                    PlanValues::Range { from, to, points } => {
                        raw.from = Some(*from);
                        raw.to = Some(*to);
                        raw.points = Some(*points);
                    }
                    PlanValues::List(values) => {
                        raw.values = values
                            .iter()
                            .map(|v| RawParam::from_raw(super::raw_value_of(spec, *v)))
                            .collect();
                    }
                }
                raw
            })
            .collect(),
        measures: plan
            .measures
            .iter()
            .filter_map(|m| metrics.get(*m).map(|s| s.id.to_string()))
            .collect(),
    }
}
