//! The statistics the lab computes from runs.
//!
//! Owns how one run is reduced to one number ([`Statistic`]), the default
//! plotted measures of a layer, paired 95% intervals and percentiles. Which
//! measures head the difference table and which direction of each is better
//! come from the registry ([`WorldKind::headlines`], `MetricSpec::better`);
//! numbers are written by [`crate::format`].

use crate::sim::{Better, History, Layer, WorldKind};
use crate::sweep::SweepRow;

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
        own.retain(|&i| metrics[i].unit.same_axis(metrics[first].unit));
        own.truncate(2);
    }
    if !own.is_empty() {
        return own;
    }
    let heads = kind.headlines();
    let in_layer = |m: &&usize| metrics[**m].layer == layer;
    heads
        .iter()
        .filter(in_layer)
        .find(|&&m| metrics[m].better != Better::Neither)
        .or_else(|| heads.iter().find(in_layer))
        .map(|&m| vec![m])
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
    }
}
