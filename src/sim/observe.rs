//! What the organization can see of a run, computed from a [`History`]'s
//! rows: pure functions, no state, no IO.
//!
//! The simulation knows every measure every day; the organization knows
//! only the measures its own logs can compute ([`MetricSpec::observable`]),
//! and knows them at different times:
//! - **leading indicators** (and the other observable measures outside the
//!   organizational layer) are read from the logs the day they happen;
//! - **organizational objectives** are reported per period ([`Period`]),
//!   each period's report published `lag_days` after the period ends, as a
//!   finance team closes its books ([`Reporting`], described by
//!   [`SETTINGS`]);
//! - **hidden measures** are absent; where the organization has an estimate
//!   of one (the error rate surfaced by reports and overrides for the true
//!   error rate) [`estimate_of`] names it.
//!
//! **Monitors** ([`Monitor`]) are the alarms an organization can set on an
//! observable measure: a threshold, a direction and a trailing window; an
//! alarm fires on the first day the window's mean crosses the threshold
//! ([`alarm_days`]).

use super::History;
use super::choice::{Choice, choice};
use super::registry::{
    Group, Layer, MetricSpec, ParamKind, ParamSpec, ParamValues, Per, Provenance, Unit,
};

choice! {
    /// How often organizational objectives are reported.
    pub enum Period default Month {
        /// Every 7 days.
        Week = "week",
        /// Every 30 days.
        Month = "month",
        /// Every 91 days.
        Quarter = "quarter",
    }
}

impl Period {
    /// The period's length in days (a simulated year has no calendar:
    /// months are 30 days, quarters 91).
    pub fn days(self) -> u32 {
        match self {
            Period::Week => 7,
            Period::Month => 30,
            Period::Quarter => 91,
        }
    }
}

choice! {
    /// Which side of its threshold a monitor alarms on.
    pub enum Direction default Above {
        /// The window's mean rises above the threshold.
        Above = "above",
        /// The window's mean falls below the threshold.
        Below = "below",
    }
}

/// How the organization's objectives reach it: per period, after a lag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reporting {
    /// The reporting period.
    pub period: Period,
    /// Days from the end of a period to the day its report is read.
    pub lag_days: u32,
}

impl Default for Reporting {
    fn default() -> Self {
        Self::from_values(&ParamValues::defaults(SETTINGS))
    }
}

impl Reporting {
    /// The settings as [`SETTINGS`] values hold them.
    pub fn from_values(v: &ParamValues) -> Self {
        Self {
            period: v.choice("observe.period"),
            lag_days: v.get("observe.lag_days") as u32,
        }
    }
}

/// The reporting settings a scenario may give in its `observe` block:
/// described like parameters (range, unit, default and its provenance), so
/// they are validated and documented as parameters are.
pub const SETTINGS: &[ParamSpec] = &[
    ParamSpec {
        id: "observe.period",
        label: "Reporting period",
        doc: "How often the organization's objectives (revenue, cost, profit, incidents…) are reported: every week (7 days), month (30 days) or quarter (91 days). Each report gives the period's mean per day (the last value for totals).",
        source: Provenance::Assumption(
            "A monthly management report is the common rhythm inside a company; public companies also report quarterly. No single source fixes it.",
        ),
        ..ParamSpec::choice::<Period>(Group::ValueCost)
    },
    ParamSpec {
        id: "observe.lag_days",
        label: "Reporting lag",
        unit: Unit::Days,
        kind: ParamKind::Int,
        min: 0.0,
        max: 365.0,
        default: 7.0,
        group: Group::ValueCost,
        doc: "Days from the end of a reporting period until its report is read: the time to close the books.",
        source: Provenance::Assumption(
            "About a week to close a month's books; closes take from days to weeks, and a quarterly filing may take 40–45 days (the SEC's 10-Q deadlines).",
        ),
    },
];

/// What a scenario says about the organization's view: how its objectives
/// are reported and the monitors it has set.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Setup {
    /// Reporting period and lag of organizational objectives.
    pub reporting: Reporting,
    /// Alarms on observable measures.
    pub monitors: Vec<Monitor>,
}

/// One period's report of one measure.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Report {
    /// First day of the period (1-based).
    pub first_day: u32,
    /// Last day of the period.
    pub last_day: u32,
    /// The first day the report is read: `last_day + lag_days`.
    pub published_day: u32,
    /// Sum of the daily values over the period.
    pub sum: f64,
    /// What the report says: the mean per day, or the last day's value for
    /// a total ([`is_total`]).
    pub value: f64,
}

/// True for a measure that is a stock or running total (users, cumulative
/// profit): a period reports its last value, not its mean.
pub fn is_total(unit: Unit) -> bool {
    matches!(
        unit,
        Unit::Money(Per::Total)
            | Unit::LoanAmounts(Per::Total)
            | Unit::Minutes(Per::Total)
            | Unit::Seconds(Per::Total)
            | Unit::Count(_, Per::Total)
            | Unit::Day
    )
}

/// The reports of `metric` over the complete periods of `history`, oldest
/// first (a period still running has no report).
pub fn reports(history: &History, spec: &MetricSpec, metric: usize, r: Reporting) -> Vec<Report> {
    if metric >= history.columns() {
        return Vec::new();
    }
    let len = r.period.days() as usize;
    let total = is_total(spec.unit);
    let values: Vec<f64> = history.column(metric).collect();
    values
        .chunks_exact(len)
        .enumerate()
        .map(|(k, chunk)| {
            let first_day = (k * len + 1) as u32;
            let last_day = first_day + len as u32 - 1;
            let sum: f64 = chunk.iter().sum();
            let value = if total {
                chunk[len - 1]
            } else {
                sum / len as f64
            };
            Report {
                first_day,
                last_day,
                published_day: last_day.saturating_add(r.lag_days),
                sum,
                value,
            }
        })
        .collect()
}

/// How the organization sees `metric` on each day of `history` (day 1
/// first): `None` for a hidden measure; for an observable one, the daily
/// value, or, for an organizational objective, the latest report read by
/// that day (NaN before the first one).
pub fn seen(
    history: &History,
    metrics: &[MetricSpec],
    metric: usize,
    r: Reporting,
) -> Option<Vec<f64>> {
    let spec = metrics.get(metric)?;
    if !spec.observable || metric >= history.columns() {
        return None;
    }
    if spec.layer != Layer::Organization {
        return Some(history.column(metric).collect());
    }
    let mut out = vec![f64::NAN; history.days()];
    for rep in reports(history, spec, metric, r) {
        let from = rep.published_day as usize;
        for v in out.iter_mut().skip(from.saturating_sub(1)) {
            *v = rep.value;
        }
    }
    Some(out)
}

/// Hidden measures and the observable measures that estimate them, by id.
const ESTIMATES: &[(&str, &str)] = &[
    ("model.error_rate", "model.observed_error_rate"),
    ("model.true_share_1", "model.est_share_1"),
];

/// The observable measure that estimates hidden measure `metric`, if the
/// world has one.
pub fn estimate_of(metrics: &[MetricSpec], metric: usize) -> Option<usize> {
    let id = metrics.get(metric)?.id;
    let (_, estimate) = ESTIMATES.iter().find(|(hidden, _)| *hidden == id)?;
    metrics
        .iter()
        .position(|m| m.id == *estimate && m.observable)
}

/// An alarm the organization sets on an observable measure.
#[derive(Clone, Debug, PartialEq)]
pub struct Monitor {
    /// The measure's column.
    pub metric: usize,
    /// The level it alarms at.
    pub threshold: f64,
    /// Which side of the threshold alarms.
    pub direction: Direction,
    /// Days in the trailing mean it compares (at least 1).
    pub window_days: u32,
}

/// Why a monitor cannot be set.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum MonitorError {
    /// No measure of the world has this id.
    #[error("no measure `{id}` in this world")]
    Unknown {
        /// The id given.
        id: String,
    },
    /// The measure is hidden: the organization's logs cannot compute it.
    #[error(
        "`{id}` is hidden from the organization: a monitor can watch only an observable measure"
    )]
    Hidden {
        /// The id given.
        id: String,
    },
    /// The threshold is not a finite number.
    #[error("the threshold must be a finite number")]
    Threshold,
    /// The window is outside 1–365 days.
    #[error("the window must be 1 to 365 days, not {days}")]
    Window {
        /// The window given.
        days: i64,
    },
}

impl Monitor {
    /// Longest window, in days.
    pub const MAX_WINDOW_DAYS: u32 = 365;

    /// A monitor on measure `id` of `metrics`, checked: the measure is
    /// observable, the threshold finite, the window 1–365 days.
    pub fn new(
        metrics: &[MetricSpec],
        id: &str,
        threshold: f64,
        direction: Direction,
        window_days: i64,
    ) -> Result<Self, MonitorError> {
        let metric = metrics
            .iter()
            .position(|m| m.id == id)
            .ok_or_else(|| MonitorError::Unknown { id: id.to_string() })?;
        if !metrics[metric].observable {
            return Err(MonitorError::Hidden { id: id.to_string() });
        }
        if !threshold.is_finite() {
            return Err(MonitorError::Threshold);
        }
        if !(1..=i64::from(Self::MAX_WINDOW_DAYS)).contains(&window_days) {
            return Err(MonitorError::Window { days: window_days });
        }
        Ok(Self {
            metric,
            threshold,
            direction,
            window_days: window_days as u32,
        })
    }

    /// A short description: "Observed error rate above 0.7 (7-day mean)".
    pub fn describe(&self, metrics: &[MetricSpec]) -> String {
        let label = metrics.get(self.metric).map_or("?", |m| m.label);
        format!(
            "{label} {} {} ({}-day mean)",
            self.direction.name(),
            crate::format::real(self.threshold),
            self.window_days
        )
    }
}

/// The days (1-based) on which `monitor` fires: each day the trailing mean
/// over its window (once the window is full) is past the threshold while
/// the day before it was not.
pub fn alarm_days(history: &History, monitor: &Monitor) -> Vec<u32> {
    if monitor.metric >= history.columns() {
        return Vec::new();
    }
    let w = monitor.window_days.max(1) as usize;
    let values: Vec<f64> = history.column(monitor.metric).collect();
    let mut out = Vec::new();
    let mut sum = 0.0;
    let mut was = false;
    for (i, &v) in values.iter().enumerate() {
        sum += v;
        if i >= w {
            sum -= values[i - w];
        }
        if i + 1 < w {
            continue;
        }
        let mean = sum / w as f64;
        let past = match monitor.direction {
            Direction::Above => mean > monitor.threshold,
            Direction::Below => mean < monitor.threshold,
        };
        if past && !was {
            out.push(i as u32 + 1);
        }
        was = past;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::registry::check_table;

    #[test]
    fn settings_are_a_valid_table_and_default_to_a_month_and_a_week() {
        assert_eq!(check_table(SETTINGS, &[]), Ok(()));
        let r = Reporting::default();
        assert_eq!(r.period, Period::Month);
        assert_eq!(r.lag_days, 7);
    }

    #[test]
    fn totals_report_their_last_value_and_flows_their_mean() {
        assert!(is_total(Unit::Money(Per::Total)));
        assert!(!is_total(Unit::Money(Per::Day)));
        assert!(!is_total(Unit::Share));
    }

    fn small_run(sets: &[&str], days: u32) -> crate::sim::Simulation {
        let mut p = crate::sim::WorldKind::Users.defaults();
        p.set_text("world.users=300").unwrap();
        for a in sets {
            p.set_text(a).unwrap();
        }
        let mut sim = crate::sim::Simulation::new(crate::sim::WorldKind::Users, p, 3);
        sim.run(days);
        sim
    }

    #[test]
    fn reports_are_the_periods_sums_read_after_the_lag() {
        let sim = small_run(&[], 100);
        let h = sim.history();
        let metrics = crate::sim::WorldKind::Users.metrics();
        let m = metrics.iter().position(|s| s.id == "org.revenue").unwrap();
        let r = Reporting {
            period: Period::Month,
            lag_days: 7,
        };
        let reps = reports(h, &metrics[m], m, r);
        assert_eq!(reps.len(), 3, "days 1-90 are three whole months");
        let daily: Vec<f64> = h.column(m).collect();
        for rep in &reps {
            let truth: f64 = daily[rep.first_day as usize - 1..rep.last_day as usize]
                .iter()
                .sum();
            assert!((rep.sum - truth).abs() < 1e-9 * truth.abs().max(1.0));
            assert_eq!(rep.published_day, rep.last_day + 7);
        }
        let seen = seen(h, metrics, m, r).unwrap();
        assert!(
            seen[..36].iter().all(|v| v.is_nan()),
            "nothing before day 37"
        );
        assert_eq!(seen[36], reps[0].value);
        assert_eq!(seen[66], reps[1].value);
        assert_eq!(seen[99], reps[2].value);
        let hidden = metrics
            .iter()
            .position(|s| s.id == "model.error_rate")
            .unwrap();
        assert_eq!(seen_none(h, metrics, hidden), None);
        assert_eq!(
            estimate_of(metrics, hidden).map(|e| metrics[e].id),
            Some("model.observed_error_rate")
        );
    }

    fn seen_none(h: &History, metrics: &[MetricSpec], m: usize) -> Option<Vec<f64>> {
        seen(h, metrics, m, Reporting::default())
    }

    #[test]
    fn monitors_watch_only_observable_measures_and_fire_when_the_window_crosses() {
        let metrics = crate::sim::WorldKind::Users.metrics();
        assert!(matches!(
            Monitor::new(metrics, "model.error_rate", 0.1, Direction::Above, 7),
            Err(MonitorError::Hidden { .. })
        ));
        assert!(Monitor::new(metrics, "org.revenue", 1.0, Direction::Above, 0).is_err());
        let sim = small_run(&[], 30);
        let m = Monitor::new(metrics, "leading.active_users", 0.0, Direction::Above, 7).unwrap();
        assert_eq!(
            alarm_days(sim.history(), &m),
            vec![7],
            "fires once the window is full"
        );
        let never = Monitor {
            direction: Direction::Below,
            ..m
        };
        assert!(alarm_days(sim.history(), &never).is_empty());
    }

    #[test]
    fn delayed_labels_reach_the_training_data_late() {
        let labels = |delay: &str| {
            let sim = small_run(&["model.explore_share=0.1", delay], 60);
            let m = crate::sim::WorldKind::Users
                .metrics()
                .iter()
                .position(|s| s.id == "model.labels_total")
                .unwrap();
            sim.history().column(m).collect::<Vec<f64>>()
        };
        let now = labels("telemetry.label_delay_days=0");
        let late = labels("telemetry.label_delay_days=30");
        assert!(now[10] > 0.0);
        assert!(late[..29].iter().all(|&v| v == 0.0), "{late:?}");
        assert!(late[59] > 0.0 && late[59] < now[59]);
    }
}
