//! Time plots of the dashboard.
//!
//! Owns the event markers (a vertical line on every day a parameter changed,
//! the model was retrained or the world shifted, with the event's
//! description on hover), the hover read-out (the exact value of the hovered
//! series on the hovered day) and the legend chips. Decimation and ticks
//! come from [`crate::ui::plot`].

use std::collections::HashSet;

use eframe::egui::{self, Color32};
use egui_plot::{HoverPosition, Line, LineStyle, Plot, PlotPoints, VLine};

use super::{Scale, State, theme};
use crate::format;
use crate::sim::{EventKind, Layer, MetricSpec};
use crate::ui::plot::{decimate, link_group, nice_spacer, rolling_mean};

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
    let all_shares = columns.iter().all(|(m, _)| metrics[*m].unit.is_share());
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
                plot = plot
                    .y_axis_formatter(|mark, _| format::tick_percent(mark.value, mark.step_size));
            } else {
                plot = plot.y_axis_formatter(|mark, _| format::tick(mark.value, mark.step_size));
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
                .map_or_else(|| "—".to_string(), |v| format::mean_value(v, spec.unit));
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
                out.push(super::Command::View(super::ViewCommand::ToggleSeries(m)));
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
                format::value(value, metrics[m].unit)
            );
            if smooth > 1 {
                let from = day.saturating_sub(smooth - 1).max(1);
                let mean =
                    (from..=day).map(|d| history.row(d)[m]).sum::<f64>() / (day - from + 1) as f64;
                text.push_str(&format!(
                    "\n{smooth}-day mean: {}",
                    format::mean_value(mean, metrics[m].unit)
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
