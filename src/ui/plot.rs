//! Plot helpers shared by every view: decimation (a series with more days
//! than the plot has pixel columns is reduced to each column's min and max,
//! so ten years of daily data draw as fast as a month), round grid marks and
//! tick labels, the trailing mean, and the id that links time axes.

use eframe::egui;

use super::theme;

/// The id that links the x axes and cursors of every time plot.
pub fn link_group() -> egui::Id {
    egui::Id::unique("ixsim-time-axis")
}

/// Reduces `ys` (day 1 first) to at most about two points per pixel column
/// of the visible range `view` (in days), keeping each column's minimum and
/// maximum in time order. Days outside the view are reduced more coarsely
/// (their extremes are kept, so automatic bounds still see them).
pub fn decimate(ys: &[f64], view: (f64, f64), columns: usize) -> Vec<[f64; 2]> {
    decimate_by(ys.len(), |i| (i + 1) as f64, |i| ys[i], view, columns)
}

/// [`decimate`] for points that carry their own days, in day order (a
/// series with days left out, such as a ratio undefined on some days).
pub fn decimate_points(points: &[[f64; 2]], view: (f64, f64), columns: usize) -> Vec<[f64; 2]> {
    decimate_by(
        points.len(),
        |i| points[i][0],
        |i| points[i][1],
        view,
        columns,
    )
}

/// Decimation of `n` points whose day and value are `x(i)` and `y(i)`.
fn decimate_by(
    n: usize,
    x: impl Fn(usize) -> f64,
    y: impl Fn(usize) -> f64,
    view: (f64, f64),
    columns: usize,
) -> Vec<[f64; 2]> {
    let columns = columns.max(16);
    let point = |i: usize| [x(i), y(i)];
    if n <= 2 * columns {
        return (0..n).map(point).collect();
    }
    let (mut lo, mut hi) = view;
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo {
        lo = x(0);
        hi = x(n - 1);
    }
    let visible = (hi - lo).max(1.0);
    let fine = (visible / columns as f64).max(1.0);
    let coarse = (n as f64 / columns as f64).max(fine);
    let margin = visible * 0.05 + fine;
    let mut out = Vec::with_capacity(4 * columns + 16);
    let mut i = 0;
    while i < n {
        let day = x(i);
        let inside = day + coarse >= lo - margin && day <= hi + margin;
        let width = if inside { fine } else { coarse }.round().max(1.0) as usize;
        let end = (i + width).min(n);
        if end - i <= 2 {
            out.extend((i..end).map(point));
        } else {
            let (mut min_i, mut max_i) = (i, i);
            for j in i..end {
                let v = y(j);
                if v < y(min_i) || y(min_i).is_nan() {
                    min_i = j;
                }
                if v > y(max_i) || y(max_i).is_nan() {
                    max_i = j;
                }
            }
            let (a, b) = if min_i <= max_i {
                (min_i, max_i)
            } else {
                (max_i, min_i)
            };
            out.push(point(a));
            if b != a {
                out.push(point(b));
            }
        }
        i = end;
    }
    out
}

/// Grid marks at 1-2-5 steps, labelled ones at least 30 points apart (two
/// to six per axis), so short plots still carry readable numbers: egui_plot
/// fades y labels closer than 30 points, so a step rounded down to the
/// nearest nice value could leave a plot with no visible numbers.
pub fn nice_spacer(input: egui_plot::GridInput) -> Vec<egui_plot::GridMark> {
    let (lo, hi) = input.bounds;
    let span = hi - lo;
    if !(span.is_finite() && span > 0.0) {
        return Vec::new();
    }
    // `base_step_size` is the value of egui_plot's minimum grid spacing (8 pt).
    let points = if input.base_step_size > 0.0 {
        span / input.base_step_size * 8.0
    } else {
        160.0
    };
    // The smallest nice step worth at least 30 points.
    let raw = span / (points / 30.0).clamp(2.0, 6.0);
    let mag = 10f64.powf(raw.log10().floor());
    let norm = raw / mag;
    let step = mag
        * [1.0, 2.0, 5.0]
            .into_iter()
            .find(|&nice| norm <= nice * (1.0 + 1e-9))
            .unwrap_or(10.0);
    let minor = step / 5.0;
    let first = (lo / minor).ceil() as i64;
    let last = (hi / minor).floor() as i64;
    if last - first > 400 {
        return Vec::new();
    }
    (first..=last)
        .map(|k| {
            let value = k as f64 * minor;
            let major = k.rem_euclid(5) == 0;
            egui_plot::GridMark {
                value,
                step_size: if major { step } else { minor },
            }
        })
        .collect()
}

/// Formats a tick with as many decimals as its step needs.
pub fn fmt_tick(value: f64, step: f64) -> String {
    if value.abs() >= 1e4 {
        return theme::fmt_number(value);
    }
    let decimals = if step > 0.0 && step.is_finite() {
        (-step.log10().floor()).max(0.0) as usize
    } else {
        0
    };
    let v = if value.abs() < step * 1e-6 {
        0.0
    } else {
        value
    };
    format!("{v:.decimals$}")
}

/// The trailing mean of `ys` over `days` days (fewer at the start).
pub fn rolling_mean(ys: &[f64], days: usize) -> Vec<f64> {
    if days <= 1 {
        return ys.to_vec();
    }
    let mut out = Vec::with_capacity(ys.len());
    let mut sum = 0.0;
    for (i, y) in ys.iter().enumerate() {
        sum += y;
        if i >= days {
            sum -= ys[i - days];
        }
        out.push(sum / (i + 1).min(days) as f64);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_series_are_kept_whole() {
        let ys: Vec<f64> = (0..100).map(f64::from).collect();
        assert_eq!(decimate(&ys, (1.0, 100.0), 400).len(), 100);
    }

    #[test]
    fn long_series_keep_extremes_within_budget() {
        let mut ys: Vec<f64> = (0..36_500).map(|i| (f64::from(i) * 0.01).sin()).collect();
        ys[12_345] = 50.0;
        ys[20_000] = -50.0;
        let pts = decimate(&ys, (1.0, 36_500.0), 800);
        assert!(pts.len() <= 4 * 800 + 16, "{} points", pts.len());
        assert!(pts.iter().any(|p| p[1] == 50.0));
        assert!(pts.iter().any(|p| p[1] == -50.0));
        assert!(pts.windows(2).all(|w| w[0][0] < w[1][0]), "time order kept");
    }

    #[test]
    fn zoomed_view_is_detailed_inside_and_coarse_outside() {
        let ys: Vec<f64> = (0..36_500).map(f64::from).collect();
        let pts = decimate(&ys, (1000.0, 1400.0), 800);
        let inside = pts
            .iter()
            .filter(|p| p[0] >= 1000.0 && p[0] <= 1400.0)
            .count();
        assert!(inside >= 390, "{inside} points inside the view");
        assert!(pts.len() < 3000, "{} points in all", pts.len());
    }

    #[test]
    fn rolling_mean_is_trailing() {
        assert_eq!(
            rolling_mean(&[2.0, 4.0, 6.0, 8.0], 2),
            vec![2.0, 3.0, 5.0, 7.0]
        );
        assert_eq!(rolling_mean(&[1.0, 5.0], 1), vec![1.0, 5.0]);
    }

    #[test]
    fn ticks_are_round_and_readable() {
        // The labelled marks of an axis from 0 to `top`, `points` high.
        let majors = |top: f64, points: f64| -> Vec<f64> {
            let marks = nice_spacer(egui_plot::GridInput {
                bounds: (0.0, top),
                base_step_size: top / points * 8.0,
            });
            let step = marks.iter().map(|m| m.step_size).fold(0.0, f64::max);
            marks
                .iter()
                .filter(|m| m.step_size == step)
                .map(|m| (m.value * 1e6).round() / 1e6)
                .collect()
        };
        assert_eq!(majors(0.7, 130.0), vec![0.0, 0.2, 0.4, 0.6]);
        // A share plot 110 points high: 0.2 steps would be 22 points apart
        // (too close for egui_plot to show them); halves are not.
        assert_eq!(majors(1.0, 110.0), vec![0.0, 0.5, 1.0]);
        assert_eq!(fmt_tick(0.4, 0.2), "0.4");
        assert_eq!(fmt_tick(200.0, 50.0), "200");
        assert_eq!(fmt_tick(0.0, 50.0), "0");
    }
}
