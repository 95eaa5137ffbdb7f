//! Headline measures and the statistics the lab computes from runs.
//!
//! Owns: for every world, which measures head the difference table and
//! whether more of each is better; how one run is reduced to one number
//! ([`Statistic`]); paired 95% intervals and percentiles.

use crate::sim::{History, Layer, WorldKind};
use crate::sweep::SweepRow;

/// Which direction of a measure is good.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Better {
    /// More is better (value, profit, retention...).
    Higher,
    /// Less is better (harm, cost, incidents, error rates...).
    Lower,
    /// Neither direction is good in itself (compliance, a signed gap...).
    Neither,
}

impl Better {
    /// +1 if the change `diff` is good, −1 if bad, 0 if neutral or zero.
    pub fn judge(self, diff: f64) -> i8 {
        if !diff.is_finite() || diff == 0.0 {
            return 0;
        }
        match self {
            Better::Higher => diff.signum() as i8,
            Better::Lower => -(diff.signum() as i8),
            Better::Neither => 0,
        }
    }
}

/// A measure heading the difference table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Headline {
    /// Index of the metric in the world's table.
    pub metric: usize,
    /// Its layer.
    pub layer: Layer,
    /// Which direction is good.
    pub better: Better,
}

use Better::{Higher, Lower, Neither};

/// The user world's headline measures.
const USERS: &[(&str, Better)] = &[
    ("model.accuracy", Higher),
    ("model.error_rate", Lower),
    ("model.fpr", Lower),
    ("model.fnr", Lower),
    ("model.observed_error_rate", Neither),
    ("user.value_added_per_user", Higher),
    ("user.net_value_per_user", Higher),
    ("user.harm_per_user", Lower),
    ("user.minutes_lost_per_user", Lower),
    ("user.decision_accuracy", Higher),
    ("user.trust", Neither),
    ("user.fatigue", Lower),
    ("user.compliance", Neither),
    ("leading.active_users", Higher),
    ("leading.engagement", Higher),
    ("leading.sentiment", Higher),
    ("leading.retention", Higher),
    ("leading.departures", Lower),
    ("org.profit", Higher),
    ("org.revenue", Higher),
    ("org.cost", Lower),
    ("org.incidents", Lower),
    ("org.reports", Lower),
    ("org.fairness_gap", Lower),
];

/// The patrol-allocation world's headline measures.
const POLICING: &[(&str, Better)] = &[
    ("model.estimate_error", Lower),
    ("model.patrol_share_1", Neither),
    ("model.est_share_1", Neither),
    ("user.arrests_gap_per_1k", Lower),
    ("user.catch_prob_gap", Lower),
    ("leading.incidents_recorded", Neither),
    ("leading.discovered_per_patrol", Higher),
    ("org.incidents_missed", Lower),
    ("org.missed_share", Lower),
    ("org.fairness_gap", Lower),
];

/// The lending world's headline measures.
const LENDING: &[(&str, Better)] = &[
    ("model.precision", Higher),
    ("model.tpr_gap", Lower),
    ("user.repay_prob_1", Higher),
    ("user.repay_prob_2", Higher),
    ("user.repay_prob_gap", Neither),
    ("leading.loans", Higher),
    ("leading.approval_rate", Neither),
    ("leading.repaid_share", Higher),
    ("org.profit", Higher),
    ("org.cumulative_profit", Higher),
    ("org.approval_gap", Lower),
];

/// The recommender world's headline measures.
const RECOMMENDER: &[(&str, Better)] = &[
    ("model.clickbait_share", Lower),
    ("model.observed_engagement_per_item", Neither),
    ("user.satisfaction", Higher),
    ("user.dissatisfied_share", Lower),
    ("leading.engagement_per_user", Higher),
    ("leading.active_users", Higher),
    ("org.retention", Higher),
    ("org.revenue", Higher),
    ("org.cumulative_revenue", Higher),
];

fn table(kind: WorldKind) -> &'static [(&'static str, Better)] {
    match kind {
        WorldKind::Users => USERS,
        WorldKind::Policing => POLICING,
        WorldKind::Lending => LENDING,
        WorldKind::Recommender => RECOMMENDER,
    }
}

/// Whether more of a metric is better, as declared for its world
/// ([`Better::Neither`] for measures not declared).
pub fn better(kind: WorldKind, metric_id: &str) -> Better {
    table(kind)
        .iter()
        .find(|(id, _)| *id == metric_id)
        .map_or(Neither, |(_, b)| *b)
}

/// The declared headline measures of a world that exist in its metric table,
/// by layer. A layer with none declared gets its first two metrics, neutral.
pub fn headlines(kind: WorldKind) -> Vec<Headline> {
    let metrics = kind.metrics();
    let mut out = Vec::new();
    for layer in Layer::MEASURES {
        let before = out.len();
        for (id, better) in table(kind) {
            if let Some(metric) = metrics.iter().position(|m| m.id == *id && m.layer == layer) {
                out.push(Headline {
                    metric,
                    layer,
                    better: *better,
                });
            }
        }
        if out.len() == before {
            out.extend(
                metrics
                    .iter()
                    .enumerate()
                    .filter(|(_, m)| m.layer == layer)
                    .take(2)
                    .map(|(metric, _)| Headline {
                        metric,
                        layer,
                        better: Neither,
                    }),
            );
        }
    }
    out
}

/// Default plotted metrics for one layer: the scenario's own plots in that
/// layer (at most two, of one unit), else the first headline measure with a
/// direction.
pub(crate) fn default_plotted(
    kind: WorldKind,
    scenario_plots: &[usize],
    layer: Layer,
) -> Vec<usize> {
    let metrics = kind.metrics();
    let mut own: Vec<usize> = scenario_plots
        .iter()
        .copied()
        .filter(|&i| metrics.get(i).is_some_and(|m| m.layer == layer))
        .collect();
    // Two series share an axis only when they share a unit.
    if let Some(&first) = own.first() {
        own.retain(|&i| metrics[i].unit.symbol() == metrics[first].unit.symbol());
        own.truncate(2);
    }
    if !own.is_empty() {
        return own;
    }
    let heads = headlines(kind);
    heads
        .iter()
        .find(|h| h.layer == layer && h.better != Neither)
        .or_else(|| heads.iter().find(|h| h.layer == layer))
        .map(|h| vec![h.metric])
        .unwrap_or_default()
}

/// How one run is reduced to one number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Statistic {
    /// The mean over every day of the run.
    #[default]
    RunMean,
    /// The value on the last day.
    FinalDay,
}

impl Statistic {
    /// Both, in display order.
    pub const ALL: [Statistic; 2] = [Statistic::RunMean, Statistic::FinalDay];

    /// Label for controls.
    pub fn label(self) -> &'static str {
        match self {
            Statistic::RunMean => "Mean over the run",
            Statistic::FinalDay => "Final day",
        }
    }

    /// Index into pairs stored as `[run mean, final day]`.
    pub(crate) fn index(self) -> usize {
        match self {
            Statistic::RunMean => 0,
            Statistic::FinalDay => 1,
        }
    }

    /// The statistic of `metric` over the first `days` days of a history
    /// (NaN when there are none).
    pub fn of_history(self, history: &History, metric: usize, days: usize) -> f64 {
        let days = days.min(history.days());
        if days == 0 || metric >= history.columns() {
            return f64::NAN;
        }
        match self {
            Statistic::RunMean => history.column(metric).take(days).sum::<f64>() / days as f64,
            Statistic::FinalDay => history.row(days)[metric],
        }
    }

    /// The statistic of `metric` in a sweep row.
    pub fn of_row(self, row: &SweepRow, metric: usize) -> f64 {
        let values = match self {
            Statistic::RunMean => &row.mean,
            Statistic::FinalDay => &row.last,
        };
        values.get(metric).copied().unwrap_or(f64::NAN)
    }
}

/// Run mean and final value of every metric of a whole history.
pub(crate) fn summarize(history: &History) -> [Vec<f64>; 2] {
    let cols = history.columns();
    let days = history.days();
    let mut mean = vec![0.0; cols];
    for d in 1..=days {
        for (m, v) in mean.iter_mut().zip(history.row(d)) {
            *m += v;
        }
    }
    mean.iter_mut().for_each(|m| *m /= days.max(1) as f64);
    let last = history
        .last()
        .map_or_else(|| vec![f64::NAN; cols], <[f64]>::to_vec);
    [mean, last]
}

/// A mean with a two-sided 95% confidence interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Interval {
    /// The sample mean.
    pub mean: f64,
    /// Lower end (NaN with fewer than two values).
    pub lo: f64,
    /// Upper end (NaN with fewer than two values).
    pub hi: f64,
    /// Number of values.
    pub n: usize,
}

impl Interval {
    /// Student-t interval for the mean of `values` (paired differences).
    pub fn of(values: &[f64]) -> Self {
        let n = values.len();
        if n == 0 {
            return Interval {
                mean: f64::NAN,
                lo: f64::NAN,
                hi: f64::NAN,
                n,
            };
        }
        let mean = values.iter().sum::<f64>() / n as f64;
        if n < 2 {
            return Interval {
                mean,
                lo: f64::NAN,
                hi: f64::NAN,
                n,
            };
        }
        let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
        let half = t_975(n - 1) * (var / n as f64).sqrt();
        Interval {
            mean,
            lo: mean - half,
            hi: mean + half,
            n,
        }
    }

    /// True if the interval lies wholly above or below zero.
    pub fn excludes_zero(&self) -> bool {
        (self.lo > 0.0 && self.hi > 0.0) || (self.lo < 0.0 && self.hi < 0.0)
    }
}

/// The 97.5% quantile of Student's t with `df` degrees of freedom.
pub(crate) fn t_975(df: usize) -> f64 {
    const TABLE: [f64; 30] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
        2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
        2.052, 2.048, 2.045, 2.042,
    ];
    match df {
        0 => f64::NAN,
        1..=30 => TABLE[df - 1],
        _ => {
            // Cornish-Fisher expansion around the normal quantile.
            let z: f64 = 1.959_964;
            let n = df as f64;
            z + (z.powi(3) + z) / (4.0 * n)
                + (5.0 * z.powi(5) + 16.0 * z.powi(3) + 3.0 * z) / (96.0 * n * n)
        }
    }
}

/// Formats a measure compactly for tables and tooltips.
pub(crate) fn fmt_value(v: f64) -> String {
    if !v.is_finite() {
        return "—".into();
    }
    let a = v.abs();
    if a == 0.0 {
        "0".into()
    } else if a >= 1e6 {
        format!("{:.3e}", v)
    } else if a >= 1000.0 {
        format!("{v:.0}")
    } else if a >= 10.0 {
        format!("{v:.1}")
    } else if a >= 0.01 {
        format!("{v:.3}")
    } else {
        format!("{v:.2e}")
    }
}

/// Formats a difference with its sign.
pub(crate) fn fmt_diff(v: f64) -> String {
    if v.is_finite() && v > 0.0 {
        format!("+{}", fmt_value(v))
    } else {
        fmt_value(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interval_and_quantiles() {
        let i = Interval::of(&[1.0, 2.0, 3.0]);
        assert_eq!(i.mean, 2.0);
        // sd = 1, se = 1/sqrt(3), t(2) = 4.303
        assert!((i.hi - (2.0 + 4.303 / 3f64.sqrt())).abs() < 1e-9);
        assert!(Interval::of(&[5.0]).lo.is_nan());
        assert!((t_975(200) - 1.972).abs() < 0.001);
        assert_eq!(crate::runner::quantile(&[0.0, 10.0], 0.1), 1.0);
        assert_eq!(crate::runner::quantile(&[3.0], 0.9), 3.0);
        assert_eq!(Better::Lower.judge(-1.0), 1);
        assert_eq!(Better::Higher.judge(-1.0), -1);
        assert_eq!(Better::Neither.judge(2.0), 0);
    }

    #[test]
    fn every_declared_headline_exists() {
        for kind in WorldKind::ALL {
            for (id, _) in table(kind) {
                assert!(
                    kind.metrics().iter().any(|m| m.id == *id),
                    "{}: headline {id} is not a metric",
                    kind.id()
                );
            }
            for layer in Layer::MEASURES {
                assert!(
                    headlines(kind).iter().any(|h| h.layer == layer),
                    "{}: no headline in {layer:?}",
                    kind.id()
                );
            }
        }
    }
}
