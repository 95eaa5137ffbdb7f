//! Time plots of the dashboard.
//!
//! Owns three things: decimation, shared with the lab and the world views (a
//! series with more days than the plot has pixel columns is reduced to each
//! column's min and max, so ten years of daily data draw as fast as a month), the event markers (a vertical line
//! on every day a parameter changed, the model was retrained or the world
//! shifted, with the event's description on hover), and the hover read-out
//! (the exact value of the hovered series on the hovered day).

use std::collections::HashSet;

use eframe::egui::{self, Color32};
use egui_plot::{HoverPosition, Line, LineStyle, Plot, PlotPoints, VLine};

use super::{Scale, State, theme};
use crate::sim::{EventKind, Layer, MetricSpec};

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

/// What a time plot shows.
pub struct TimePlot<'a> {
    /// Unique id of the plot.
    pub id: &'a str,
    /// Layer (for colours).
    pub layer: Layer,
    /// Metric indices.
    pub metrics: &'a [usize],
    /// Scaling.
    pub scale: Scale,
    /// Height in points.
    pub height: f32,
    /// Metrics the user hid (by clicking their legend chip).
    pub hidden: &'a [usize],
    /// Trailing mean over this many days (1 = raw).
    pub smooth: usize,
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

/// The scaling actually used: `Auto` becomes `Each` when the series' sizes
/// differ more than twenty-fold.
pub fn effective_scale(scale: Scale, columns: &[Column]) -> Scale {
    match scale {
        Scale::Auto => {
            let sizes: Vec<f64> = columns
                .iter()
                .map(|(_, ys)| ys.iter().fold(0.0f64, |m, y| m.max(y.abs())))
                .filter(|m| *m > 0.0)
                .collect();
            let max = sizes.iter().copied().fold(0.0f64, f64::max);
            let min = sizes.iter().copied().fold(f64::INFINITY, f64::min);
            if sizes.len() > 1 && max / min > 20.0 {
                Scale::Each
            } else {
                Scale::Shared
            }
        }
        other => other,
    }
}

/// A shown series: its metric and its values as drawn (smoothed).
pub type Column = (usize, Vec<f64>);

/// The plot's shown series as (metric, values smoothed as drawn); hidden
/// series are left out (they keep their colour slot through `p.metrics`).
/// Built once per frame and given to both [`legend_row`] and [`time_plot`].
pub fn shown_columns(s: &State, p: &TimePlot<'_>) -> Vec<Column> {
    let metrics = s.sim.kind().metrics();
    let history = s.sim.history();
    p.metrics
        .iter()
        .filter(|&&m| m < metrics.len() && !p.hidden.contains(&m))
        .map(|&m| {
            let raw: Vec<f64> = history.column(m).collect();
            (m, rolling_mean(&raw, p.smooth))
        })
        .collect()
}

/// Draws a time plot of `p.metrics` and the run's events.
pub fn time_plot(ui: &mut egui::Ui, s: &State, p: &TimePlot<'_>, columns: &[Column]) {
    let dark = s.prefs.theme.is_dark();
    let look_width = theme::line_width(s.prefs.present);
    let metrics: &'static [MetricSpec] = s.sim.kind().metrics();
    let history = s.sim.history();
    let slots: Vec<usize> = columns
        .iter()
        .map(|(m, _)| p.metrics.iter().position(|x| x == m).unwrap_or(0))
        .collect();
    let scale = effective_scale(p.scale, columns);
    let ranges: Vec<(f64, f64)> = columns
        .iter()
        .map(|(_, ys)| {
            let lo = ys.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = ys.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            (lo, hi)
        })
        .collect();
    let all_shares = columns.iter().all(|(m, _)| theme::is_share(&metrics[*m]));
    let nonneg = columns.iter().all(|(m, _)| metrics[*m].min >= 0.0);
    let horizon = f64::from(s.horizon.max(1));
    let smooth = p.smooth;

    let mut plot = Plot::new(p.id)
        .height(p.height)
        .link_axis(link_group(), [true, false])
        .link_cursor(link_group(), [true, false])
        .allow_scroll(false)
        .allow_zoom([true, false])
        .allow_drag([true, false])
        .allow_boxed_zoom(false)
        .include_x(0.0)
        .include_x(horizon)
        .show_background(false)
        .y_axis_min_width(52.0)
        .x_axis_formatter(|mark, _| {
            // Days are whole: no labels between them.
            if (mark.value - mark.value.round()).abs() < 1e-6 {
                format!("{}", mark.value.round() as i64)
            } else {
                String::new()
            }
        })
        .label_formatter(move |pos| hover_text(pos, metrics, history, smooth, p.metrics));
    if history.days() == 0 {
        // Nothing yet: a calm empty frame rather than a range around zero.
        plot = plot.include_y(0.0).include_y(1.0);
    }
    match scale {
        Scale::Each => {
            plot = plot
                .include_y(0.0)
                .include_y(1.0)
                .y_axis_formatter(|_, _| String::new());
        }
        _ => {
            if nonneg {
                plot = plot.include_y(0.0);
            }
            plot = plot.y_grid_spacer(nice_spacer);
            if all_shares {
                plot = plot.y_axis_formatter(|mark, _| {
                    format!("{}%", fmt_tick(mark.value * 100.0, mark.step_size * 100.0))
                });
            } else {
                plot = plot.y_axis_formatter(|mark, _| fmt_tick(mark.value, mark.step_size));
            }
        }
    }
    let events = marker_days(s);
    let response = plot.show(ui, |plot_ui| {
        let bounds = plot_ui.plot_bounds();
        let view = (bounds.min()[0], bounds.max()[0]);
        let width = plot_ui.transform().frame().width().max(16.0) as usize;
        if let Some(bands) = &s.bands.bands {
            for (k, (m, _)) in columns.iter().enumerate() {
                let color = theme::series_color(p.layer, slots[k], dark);
                // Bands follow their line's scale: raw, or its own 0–1 range.
                let to_plot = match scale {
                    Scale::Each => {
                        let (lo, hi) = ranges[k];
                        let span = hi - lo;
                        if span > 0.0 && span.is_finite() {
                            (lo, span)
                        } else {
                            continue;
                        }
                    }
                    _ => (0.0, 1.0),
                };
                draw_band(plot_ui, bands, *m, color, view, width, to_plot);
            }
        }
        for (k, (m, ys)) in columns.iter().enumerate() {
            let spec = &metrics[*m];
            let pts = match scale {
                Scale::Each => {
                    let (lo, hi) = ranges[k];
                    let span = hi - lo;
                    let scaled: Vec<f64> = ys
                        .iter()
                        .map(|y| {
                            if span > 0.0 && span.is_finite() {
                                (y - lo) / span
                            } else {
                                0.5
                            }
                        })
                        .collect();
                    decimate(&scaled, view, width)
                }
                _ => decimate(ys, view, width),
            };
            plot_ui.line(
                Line::new(spec.label, PlotPoints::new(pts))
                    .color(theme::series_color(p.layer, slots[k], dark))
                    .width(look_width)
                    .id(egui::Id::unique(("series", spec.id))),
            );
        }
        for (day, kind) in &events {
            let (color, style) = marker_style(kind, dark);
            plot_ui.vline(
                VLine::new("", *day as f64 - 0.5)
                    .color(color)
                    .width(1.2)
                    .style(style)
                    .allow_hover(false),
            );
        }
    });
    // Event descriptions when the pointer is on a marker.
    if let Some(pointer) = response.response.hover_pos() {
        let near: Vec<String> = s
            .sim
            .events()
            .iter()
            .filter(|e| {
                let x = response
                    .transform
                    .position_from_point_x(f64::from(e.day) - 0.5);
                (x - pointer.x).abs() <= 4.0
            })
            .map(crate::sim::Event::describe)
            .collect();
        if !near.is_empty() {
            let text = near.join("\n");
            egui::Tooltip::always_open(
                ui.ctx().clone(),
                ui.layer_id(),
                egui::Id::unique(("ixsim-event-tip", p.id)),
                egui::PopupAnchor::Pointer,
            )
            .gap(16.0)
            .show(|ui| {
                ui.label(text);
            });
        }
    }
}

/// A 10–90 % band and a dashed median for one metric, thinned to about
/// one point per pixel column of the visible range.
fn draw_band(
    plot_ui: &mut egui_plot::PlotUi<'_>,
    bands: &crate::runner::Bands,
    metric: usize,
    color: egui::Color32,
    view: (f64, f64),
    width: usize,
    (offset, span): (f64, f64),
) {
    let at = |d: usize| bands.at(d, metric).map(|v| (v - offset) / span);
    let days = bands.days();
    if days == 0 {
        return;
    }
    let first = (view.0.floor().max(1.0) as usize).min(days);
    let last = (view.1.ceil().max(1.0) as usize).clamp(first, days);
    let stride = ((last - first + 1) / width.max(1)).max(1);
    let picked: Vec<usize> = (first..=last)
        .step_by(stride)
        .chain(std::iter::once(last))
        .collect();
    let fill = egui::Color32::from_rgba_unmultiplied(color.r(), color.g(), color.b(), 40);
    // egui_plot fills convex shapes only: one trapezoid per segment.
    for pair in picked.windows(2) {
        let (d0, d1) = (pair[0], pair[1]);
        if d0 == d1 {
            continue;
        }
        let [lo0, _, hi0] = at(d0);
        let [lo1, _, hi1] = at(d1);
        let quad = vec![
            [d0 as f64, lo0],
            [d1 as f64, lo1],
            [d1 as f64, hi1],
            [d0 as f64, hi0],
        ];
        plot_ui.polygon(
            egui_plot::Polygon::new("", PlotPoints::new(quad))
                .fill_color(fill)
                .stroke(egui::Stroke::NONE)
                .allow_hover(false),
        );
    }
    let median: Vec<[f64; 2]> = picked.iter().map(|&d| [d as f64, at(d)[1]]).collect();
    plot_ui.line(
        Line::new("", PlotPoints::new(median))
            .color(color.gamma_multiply(0.7))
            .width(1.0)
            .style(egui_plot::LineStyle::dashed_loose())
            .allow_hover(false),
    );
}

/// The legend above a time plot: one chip per series with its latest value
/// (7-day mean); clicking a chip hides or shows the series.
/// `columns` are the plot's [`shown_columns`], so the scale note matches it.
pub fn legend_row(
    ui: &mut egui::Ui,
    s: &State,
    p: &TimePlot<'_>,
    columns: &[Column],
    out: &mut Vec<super::Command>,
) {
    let dark = s.prefs.theme.is_dark();
    let metrics = s.sim.kind().metrics();
    let each = effective_scale(p.scale, columns) == Scale::Each && columns.len() > 1;
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = 4.0;
        for (k, &m) in p.metrics.iter().enumerate() {
            let Some(spec) = metrics.get(m) else { continue };
            let off = p.hidden.contains(&m);
            let color = theme::series_color(p.layer, k, dark);
            let value = s
                .recent_mean(m, 7)
                .map_or_else(|| "—".to_string(), |v| theme::fmt_metric(spec, v));
            let id = egui::IdSalt::new(("ixsim-swatch", p.id, m));
            let text_color = if off {
                theme::muted(dark)
            } else {
                theme::ink(dark)
            };
            let text = egui::RichText::new(format!("{}  {value}", spec.label)).color(text_color);
            let r = egui::Button::new((egui::Atom::custom(id, egui::vec2(16.0, 10.0)), text))
                .frame(false)
                .atom_ui(ui);
            if let Some(rect) = r.rect(id) {
                let c = if off {
                    color.gamma_multiply(0.3)
                } else {
                    color
                };
                ui.painter().line_segment(
                    [rect.left_center(), rect.right_center()],
                    egui::Stroke::new(3.0, c),
                );
            }
            let hint = if off {
                "Click to show"
            } else {
                "Click to hide"
            };
            if r.response
                .on_hover_text(format!(
                    "{}\n\n{}\n\nValue: 7-day mean. {hint}.",
                    spec.label, spec.doc
                ))
                .clicked()
            {
                out.push(super::Command::ToggleSeries(m));
            }
            ui.add_space(8.0);
        }
        if each {
            ui.label(
                egui::RichText::new("· each line scaled to its own range")
                    .small()
                    .color(theme::muted(dark)),
            );
        }
    });
}

fn hover_text(
    pos: &HoverPosition<'_>,
    metrics: &[MetricSpec],
    history: &crate::sim::History,
    smooth: usize,
    shown: &[usize],
) -> Option<String> {
    match pos {
        HoverPosition::NearDataPoint {
            plot_name,
            position,
            ..
        } => {
            let day = position.x.round().max(1.0) as usize;
            let m = shown
                .iter()
                .copied()
                .find(|&m| m < metrics.len() && metrics[m].label == *plot_name)?;
            let value = (day <= history.days()).then(|| history.row(day)[m])?;
            let mut text = format!(
                "{}\nday {day}: {}",
                plot_name,
                theme::fmt_metric(&metrics[m], value)
            );
            if smooth > 1 {
                let from = day.saturating_sub(smooth - 1).max(1);
                let mean =
                    (from..=day).map(|d| history.row(d)[m]).sum::<f64>() / (day - from + 1) as f64;
                text.push_str(&format!(
                    "\n{smooth}-day mean: {}",
                    theme::fmt_metric(&metrics[m], mean)
                ));
            }
            Some(text)
        }
        HoverPosition::Elsewhere { position } => {
            let day = position.x.round();
            (day >= 1.0).then(|| format!("day {day}"))
        }
    }
}

/// One marker per (day, kind of event), so repeated changes on one day draw once.
fn marker_days(s: &State) -> Vec<(u32, EventKind)> {
    let mut seen = HashSet::new();
    s.sim
        .events()
        .iter()
        .filter(|e| seen.insert((e.day, std::mem::discriminant(&e.kind))))
        .map(|e| (e.day, e.kind.clone()))
        .collect()
}

fn marker_style(kind: &EventKind, dark: bool) -> (Color32, LineStyle) {
    match kind {
        EventKind::ParamChanged { .. } => (theme::accent(dark), LineStyle::Solid),
        EventKind::Retrained { .. } => (
            theme::good(dark).gamma_multiply(0.7),
            LineStyle::dashed_dense(),
        ),
        EventKind::WorldShift => (theme::bad(dark), LineStyle::dashed_dense()),
        EventKind::Shutdown => (theme::bad(dark), LineStyle::Solid),
        EventKind::Restored => (theme::good(dark), LineStyle::Solid),
    }
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

    #[test]
    fn auto_scale_separates_different_sizes() {
        let a = (0, vec![0.1, 0.2]);
        let b = (1, vec![10_000.0, 9_000.0]);
        assert_eq!(effective_scale(Scale::Auto, &[a.clone(), b]), Scale::Each);
        assert_eq!(
            effective_scale(Scale::Auto, &[a.clone(), (2, vec![0.5])]),
            Scale::Shared
        );
        assert_eq!(effective_scale(Scale::Shared, &[a]), Scale::Shared);
    }
}
