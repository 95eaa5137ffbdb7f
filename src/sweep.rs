//! Sweeps: a grid of designs over one or two parameters, with replications.
//!
//! Every grid point uses the same replication seeds, so differences between
//! points come from the design alone (common random numbers). Jobs run on a
//! thread pool, taken in pass order: the first replication of every point,
//! then the second of every point, and so on, so a reader of a
//! [`SweepSink`] sees every cell early and then sees it refined. Results
//! come back in (point, replication) order whatever the thread count or the
//! order the jobs finished in, so they do not depend on either.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use crate::runner::{self, BatchError};
use crate::sim::{
    ParamError, ParamKind, ParamSpec, ParamValues, RawValue, Simulation, WorldKind, rng,
};

/// Most grid points in one sweep.
pub const MAX_POINTS: usize = 10_000;
/// Most simulations (points × replications) in one sweep.
pub const MAX_JOBS: usize = 200_000;

/// Why a sweep axis or grid was refused.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum SweepError {
    /// Not `id=…`.
    #[error("\"{0}\": expected id=start:end:points or id=v1,v2,...")]
    Syntax(String),
    /// `id=` followed by something other than three `:`-separated parts.
    #[error("\"{text}\": expected id=start:end:points (for example {id}=0:1:11)")]
    Range {
        /// The whole argument.
        text: String,
        /// The parameter id written.
        id: String,
    },
    /// A range end that is not a number.
    #[error("\"{value}\" in \"{text}\" is not a number")]
    NotANumber {
        /// The part that is not a number.
        value: String,
        /// The whole argument.
        text: String,
    },
    /// A number of points that is not a whole number.
    #[error("\"{value}\" in \"{text}\": points must be a whole number ≥ 1")]
    Points {
        /// The part given as points.
        value: String,
        /// The whole argument.
        text: String,
    },
    /// An unknown parameter or a value it does not take.
    #[error("{}", crate::scenario::param_message(.0))]
    Param(#[from] ParamError),
    /// A numeric range over a choice or a yes/no parameter, whose values
    /// are named, not numbered.
    #[error(
        "`{id}` takes named values, not a numeric range: list them, for example {id}={example}"
    )]
    NamedValues {
        /// The parameter.
        id: &'static str,
        /// Its values, comma-separated.
        example: String,
    },
    /// A per-district list, which no axis can sweep.
    #[error(
        "`{id}` is a per-district list and cannot be swept: sweep the parameters of its shorthand ({shorthand})"
    )]
    ListAxis {
        /// The parameter.
        id: &'static str,
        /// The parameters its shorthand is written with.
        shorthand: String,
    },
    /// Zero points, or more than [`MAX_POINTS`] on one axis.
    #[error("{label}: {points} points; expected 1 to {MAX_POINTS}")]
    PointCount {
        /// The parameter's label.
        label: &'static str,
        /// Points asked for.
        points: usize,
    },
    /// A list with no value.
    #[error("{0}: choose at least one value")]
    NoValue(&'static str),
    /// No axis, or more than two.
    #[error("a sweep takes one or two --param axes")]
    AxisCount,
    /// Both axes sweep the same parameter.
    #[error("`{0}` is swept twice: the two axes must be different parameters")]
    SweptTwice(&'static str),
    /// More than [`MAX_POINTS`] points or [`MAX_JOBS`] simulations.
    #[error(
        "{points} points × {replications} replications is too large: at most {MAX_POINTS} points and {MAX_JOBS} runs"
    )]
    TooLarge {
        /// Grid points.
        points: usize,
        /// Replications per point.
        replications: u32,
    },
}

/// The message, for views that show errors as text.
impl From<SweepError> for String {
    fn from(e: SweepError) -> Self {
        e.to_string()
    }
}

/// One swept parameter and the values it takes.
#[derive(Clone, Debug, PartialEq)]
pub struct Axis {
    /// Index of the parameter in the table.
    pub param: usize,
    /// Values, in storage form, each checked against the parameter's range.
    pub values: Vec<f64>,
}

/// [`SweepError::ListAxis`] for a list parameter: an axis's values are
/// single numbers.
fn refuse_list(pspec: &ParamSpec) -> Result<(), SweepError> {
    match pspec.kind {
        ParamKind::List(list) => Err(SweepError::ListAxis {
            id: pspec.id,
            shorthand: list.shorthand.ids().join(", "),
        }),
        _ => Ok(()),
    }
}

impl Axis {
    /// The axis a scenario's `sweep` block names (its values were checked
    /// when the scenario was read; they are checked again here).
    pub fn of_plan(
        plan: &crate::scenario::PlanAxis,
        params: &ParamValues,
    ) -> Result<Self, SweepError> {
        let pspec = &params.specs()[plan.param];
        match &plan.values {
            crate::scenario::PlanValues::Range { from, to, points } => {
                Self::range(plan.param, pspec, *from, *to, *points)
            }
            crate::scenario::PlanValues::List(values) => {
                Self::list(plan.param, pspec, values.clone())
            }
        }
    }

    /// Parses `id=start:end:points` (ends included) or `id=v1,v2,…`.
    pub fn parse(text: &str, params: &ParamValues) -> Result<Self, SweepError> {
        let (id, spec) = text
            .split_once('=')
            .ok_or_else(|| SweepError::Syntax(text.to_string()))?;
        let param = params.index_of(id.trim())?;
        let pspec = &params.specs()[param];
        refuse_list(pspec)?;
        if spec.contains(',')
            || matches!(pspec.kind, ParamKind::Choice(_) | ParamKind::Bool) && !spec.contains(':')
        {
            let values = spec
                .split(',')
                .map(|v| pspec.parse(&RawValue::Text(v.trim().to_string())))
                .collect::<Result<Vec<_>, ParamError>>()?;
            Self::list(param, pspec, values)
        } else {
            let parts: Vec<&str> = spec.split(':').collect();
            let [start, end, points] = parts[..] else {
                return Err(SweepError::Range {
                    text: text.to_string(),
                    id: id.to_string(),
                });
            };
            let num = |s: &str| {
                s.trim().parse::<f64>().map_err(|_| SweepError::NotANumber {
                    value: s.to_string(),
                    text: text.to_string(),
                })
            };
            let points: usize = points.trim().parse().map_err(|_| SweepError::Points {
                value: points.to_string(),
                text: text.to_string(),
            })?;
            Self::range(param, pspec, num(start)?, num(end)?, points)
        }
    }

    /// `points` evenly spaced values of parameter `param` from `start` to
    /// `end`, ends included. Whole-number parameters round: 11 points over
    /// 0..3 are the 4 values 0, 1, 2, 3, since every grid point must be a
    /// distinct design. Each value is checked against the parameter's range.
    /// A choice or yes/no parameter is refused: its values are listed by
    /// name (see [`Axis::list`]), as a scenario file writes them.
    pub fn range(
        param: usize,
        pspec: &ParamSpec,
        start: f64,
        end: f64,
        points: usize,
    ) -> Result<Self, SweepError> {
        refuse_list(pspec)?;
        let named = match pspec.kind {
            ParamKind::Choice(options) => Some(options.join(",")),
            ParamKind::Bool => Some("false,true".to_string()),
            ParamKind::Real | ParamKind::Int | ParamKind::List(_) => None,
        };
        if let Some(example) = named {
            return Err(SweepError::NamedValues {
                id: pspec.id,
                example,
            });
        }
        if points == 0 || points > MAX_POINTS {
            return Err(SweepError::PointCount {
                label: pspec.label,
                points,
            });
        }
        let mut values = (0..points)
            .map(|i| {
                let v = if points == 1 {
                    start
                } else {
                    start + (end - start) * i as f64 / (points - 1) as f64
                };
                let v = if matches!(pspec.kind, ParamKind::Real) {
                    v
                } else {
                    v.round()
                };
                pspec.check(v)
            })
            .collect::<Result<Vec<_>, _>>()?;
        values.dedup(); // the values are monotone, so repeats are neighbours
        Ok(Axis { param, values })
    }

    /// The given values of parameter `param`, each checked and each kept once
    /// (in the order first given).
    pub fn list(param: usize, pspec: &ParamSpec, values: Vec<f64>) -> Result<Self, SweepError> {
        refuse_list(pspec)?;
        let mut kept: Vec<f64> = Vec::with_capacity(values.len());
        for v in values {
            let v = pspec.check(v)?;
            if !kept.contains(&v) {
                kept.push(v);
            }
        }
        if kept.is_empty() {
            return Err(SweepError::NoValue(pspec.label));
        }
        Ok(Axis {
            param,
            values: kept,
        })
    }
}

/// A sweep to run.
#[derive(Clone, Debug)]
pub struct SweepSpec {
    /// The world.
    pub kind: WorldKind,
    /// Values of every parameter not swept.
    pub base: ParamValues,
    /// One or two axes.
    pub axes: Vec<Axis>,
    /// Days per run.
    pub days: u32,
    /// Seed of replication 1.
    pub seed: u64,
    /// Replications per grid point.
    pub replications: u32,
}

/// Result of one grid point and replication.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepRow {
    /// Index of the grid point (first axis varies slowest).
    pub point: usize,
    /// Replication, from 0.
    pub replication: u32,
    /// The swept parameters' values at this point.
    pub at: Vec<f64>,
    /// Every metric on the last day.
    pub last: Vec<f64>,
    /// Every metric's mean over the run.
    pub mean: Vec<f64>,
}

impl SweepSpec {
    /// Number of grid points.
    pub fn points(&self) -> usize {
        self.axes.iter().map(|a| a.values.len()).product()
    }

    /// Number of simulations.
    pub fn jobs(&self) -> usize {
        self.points() * self.replications as usize
    }

    /// Parameter values at a grid point.
    pub fn params_at(&self, point: usize) -> (ParamValues, Vec<f64>) {
        let mut p = self.base.clone();
        let mut at = Vec::with_capacity(self.axes.len());
        let mut rest = point;
        // The last axis varies fastest.
        let mut coords = vec![0; self.axes.len()];
        for (k, axis) in self.axes.iter().enumerate().rev() {
            coords[k] = rest % axis.values.len();
            rest /= axis.values.len();
        }
        for (axis, c) in self.axes.iter().zip(coords) {
            let v = axis.values[c];
            // Values were checked when the axis was parsed.
            let _ = p.set_index(axis.param, v);
            at.push(v);
        }
        (p, at)
    }

    /// Checks the grid size.
    pub fn check(&self) -> Result<(), SweepError> {
        if self.axes.is_empty() || self.axes.len() > 2 {
            return Err(SweepError::AxisCount);
        }
        if let [a, b] = &self.axes[..]
            && a.param == b.param
        {
            return Err(SweepError::SweptTwice(self.base.specs()[a.param].id));
        }
        if self.points() > MAX_POINTS || self.jobs() > MAX_JOBS {
            return Err(SweepError::TooLarge {
                points: self.points(),
                replications: self.replications,
            });
        }
        Ok(())
    }

    /// The work of the whole sweep in user-situations: every grid point's
    /// [`runner::work_estimate`] times the replications.
    pub fn work_estimate(&self) -> f64 {
        (0..self.points())
            .map(|point| {
                let (params, _) = self.params_at(point);
                runner::work_estimate(self.kind, &params, self.days, u64::from(self.replications))
            })
            .sum()
    }

    /// The memory of the sweep on `threads` threads (0 = all cores): as
    /// many of its largest simulations as run at once.
    pub fn memory_estimate(&self, threads: usize) -> runner::MemoryEstimate {
        let largest = (0..self.points())
            .map(|point| runner::state_bytes(self.kind, &self.params_at(point).0))
            .fold(0.0, f64::max);
        runner::memory_estimate(self.kind, largest, self.days, self.jobs(), threads, false)
    }

    /// The (point, replication) of the `job`-th job in the order jobs are
    /// taken: pass by pass, the first replication of every point first.
    pub fn job_at(&self, job: usize) -> (usize, u32) {
        let points = self.points().max(1);
        (job % points, (job / points) as u32)
    }

    /// Runs every (point, replication) on `threads` threads (0 = all cores),
    /// after checking that they fit in memory ([`runner::check_memory`]);
    /// `cancel` is checked between days.
    pub fn run(
        &self,
        threads: usize,
        done: Option<&AtomicUsize>,
        cancel: Option<&AtomicBool>,
    ) -> Result<Vec<SweepRow>, BatchError> {
        self.run_into(threads, done, cancel, None)
    }

    /// [`Self::run`], also handing every row to `sink` as it finishes, so
    /// a reader can show the cells before the sweep ends. The rows
    /// returned are the same as without a sink.
    pub fn run_into(
        &self,
        threads: usize,
        done: Option<&AtomicUsize>,
        cancel: Option<&AtomicBool>,
        sink: Option<&SweepSink>,
    ) -> Result<Vec<SweepRow>, BatchError> {
        runner::check_memory(self.memory_estimate(threads))?;
        let reps = self.replications as usize;
        let jobs = self.jobs();
        let stopped = || cancel.is_some_and(|c| c.load(Ordering::Relaxed));
        // Each slot is (point, replication) order; workers take jobs in
        // pass order from one counter, so the first pass is taken first
        // whatever the thread count.
        let slots: Mutex<Vec<Option<SweepRow>>> = Mutex::new(vec![None; jobs]);
        let next = AtomicUsize::new(0);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads.min(usize::from(runner::MAX_THREADS)))
            .build()
            .map_err(|source| BatchError::Threads { threads, source })?;
        pool.broadcast(|_| {
            loop {
                if stopped() {
                    return;
                }
                let job = next.fetch_add(1, Ordering::Relaxed);
                if job >= jobs {
                    return;
                }
                let (point, replication) = self.job_at(job);
                let Some(row) = self.run_one(point, replication, cancel) else {
                    return;
                };
                if let Some(sink) = sink {
                    sink.put(row.clone());
                }
                let slot = point * reps + replication as usize;
                // A poisoned lock means another worker panicked; the panic
                // reaches the caller through the pool.
                if let Ok(mut slots) = slots.lock() {
                    slots[slot] = Some(row);
                }
                if let Some(d) = done {
                    d.fetch_add(1, Ordering::Relaxed);
                }
            }
        });
        if stopped() {
            return Err(BatchError::Cancelled);
        }
        slots
            .into_inner()
            .unwrap_or_default()
            .into_iter()
            .collect::<Option<Vec<_>>>()
            .ok_or(BatchError::Cancelled)
    }

    /// One simulation of the grid: none if cancelled.
    fn run_one(
        &self,
        point: usize,
        replication: u32,
        cancel: Option<&AtomicBool>,
    ) -> Option<SweepRow> {
        {
            let (params, at) = self.params_at(point);
            let seed = rng::replication_seed(self.seed, u64::from(replication));
            let mut sim = Simulation::new(self.kind, params, seed);
            if !runner::run_days(&mut sim, self.days, cancel) {
                return None;
            }
            let h = sim.history();
            let cols = h.columns();
            let days = h.days().max(1) as f64;
            let mut mean = vec![0.0; cols];
            for d in 1..=h.days() {
                for (m, v) in mean.iter_mut().zip(h.row(d)) {
                    *m += v;
                }
            }
            mean.iter_mut().for_each(|m| *m /= days);
            Some(SweepRow {
                point,
                replication,
                at,
                last: h
                    .last()
                    .map(<[f64]>::to_vec)
                    .unwrap_or_else(|| vec![0.0; cols]),
                mean,
            })
        }
    }
}

/// The rows of a running sweep as they finish, for a reader on another
/// thread (the app's Sweep tab reads it each frame).
#[derive(Debug)]
pub struct SweepSink {
    inner: Mutex<SinkRows>,
    rows: AtomicUsize,
}

#[derive(Debug)]
struct SinkRows {
    replications: usize,
    /// (point, replication) order; none until that job finished.
    slots: Vec<Option<SweepRow>>,
    /// Replications finished per point.
    per_point: Vec<usize>,
}

impl SweepSink {
    /// An empty sink for the jobs of `spec`.
    pub fn new(spec: &SweepSpec) -> Self {
        Self {
            inner: Mutex::new(SinkRows {
                replications: spec.replications as usize,
                slots: vec![None; spec.jobs()],
                per_point: vec![0; spec.points()],
            }),
            rows: AtomicUsize::new(0),
        }
    }

    fn put(&self, row: SweepRow) {
        if let Ok(mut s) = self.inner.lock() {
            let slot = row.point * s.replications + row.replication as usize;
            if let Some(n) = s.per_point.get_mut(row.point) {
                *n += 1;
            }
            if let Some(x) = s.slots.get_mut(slot) {
                *x = Some(row);
            }
        }
        self.rows.fetch_add(1, Ordering::Release);
    }

    /// Rows finished so far (cheap: read it each frame to see whether
    /// anything changed).
    pub fn rows_done(&self) -> usize {
        self.rows.load(Ordering::Acquire)
    }

    /// The rows finished so far, in (point, replication) order, and the
    /// number of points with at least one.
    pub fn snapshot(&self) -> (Vec<SweepRow>, usize) {
        match self.inner.lock() {
            Ok(s) => (
                s.slots.iter().flatten().cloned().collect(),
                s.per_point.iter().filter(|&&n| n > 0).count(),
            ),
            Err(_) => (Vec::new(), 0),
        }
    }
}

/// Writes sweep results as CSV: `point,replication,<param ids>`, then
/// `<metric>.final` and `<metric>.mean` for every metric.
pub fn sweep_csv(spec: &SweepSpec, rows: &[SweepRow]) -> Vec<u8> {
    let specs = spec.base.specs();
    let metrics = spec.kind.metrics();
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["point".to_string(), "replication".to_string()];
    header.extend(spec.axes.iter().map(|a| specs[a.param].id.to_string()));
    for m in metrics {
        header.push(format!("{}.final", m.id));
        header.push(format!("{}.mean", m.id));
    }
    let _ = w.write_record(&header);
    for r in rows {
        let mut rec = vec![(r.point + 1).to_string(), (r.replication + 1).to_string()];
        rec.extend(
            spec.axes
                .iter()
                .zip(&r.at)
                .map(|(a, v)| specs[a.param].format(*v)),
        );
        for (l, m) in r.last.iter().zip(&r.mean) {
            rec.push(l.to_string());
            rec.push(m.to_string());
        }
        let _ = w.write_record(&rec);
    }
    w.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::library;

    fn base() -> ParamValues {
        library::get("phishing-warnings").unwrap().unwrap().params
    }

    #[test]
    fn whole_number_axes_hold_each_value_once() {
        let axis = Axis::parse("experience.max_per_day=0:3:11", &base()).unwrap();
        assert_eq!(axis.values, vec![0.0, 1.0, 2.0, 3.0]);
        let axis = Axis::parse("model.threshold=0:1:11", &base()).unwrap();
        assert_eq!(axis.values.len(), 11);
        let axis = Axis::parse("experience.mode=prompt,automate,prompt", &base()).unwrap();
        assert_eq!(axis.values.len(), 2);
    }

    #[test]
    fn choices_are_swept_by_name_in_both_forms() {
        for numeric in ["experience.mode=0:3:4", "experience.mode=0,1"] {
            let err = Axis::parse(numeric, &base()).unwrap_err();
            assert!(
                err.to_string().contains("`experience.mode`"),
                "{numeric}: {err}"
            );
        }
        let err = Axis::parse("guardrail.harm_cap_on=0:1:2", &base()).unwrap_err();
        assert!(matches!(err, SweepError::NamedValues { .. }), "{err}");
        assert!(err.to_string().contains("false,true"), "{err}");
    }

    #[test]
    fn the_same_parameter_cannot_be_swept_twice() {
        let base = base();
        let spec = SweepSpec {
            kind: WorldKind::Users,
            axes: vec![
                Axis::parse("model.auc=0.6:0.9:3", &base).unwrap(),
                Axis::parse("model.auc=0.7:0.8:2", &base).unwrap(),
            ],
            base,
            days: 5,
            seed: 1,
            replications: 1,
        };
        let err = spec.check().unwrap_err();
        assert_eq!(err, SweepError::SweptTwice("model.auc"));
        assert!(err.to_string().contains("twice"), "{err}");
    }
}
