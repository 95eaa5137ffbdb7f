//! Time plots of the dashboard.
//!
//! Owns the event markers (a vertical line on every day a parameter changed,
//! the model was retrained or the world shifted, with the event's
//! description on hover), the scenario's monitors' alarms, the hover
//! read-out (the exact value of the hovered series on the hovered day), the
//! legend chips, and the organization's view of the series (hidden measures
//! left out or replaced by their estimate, objectives as published reports;
//! see [`observe`]). Decimation and ticks come from [`crate::ui::plot`].

use std::collections::HashSet;

use eframe::egui::{self, Color32};
use egui_plot::{HoverPosition, Line, LineStyle, Plot, PlotPoints, VLine};

use super::{Scale, State, theme};
use crate::format;
use crate::sim::{Event, EventKind, Layer, MetricSpec, ParamSpec, Unit, observe};
use crate::ui::plot::{decimate, decimate_points, link_group, nice_spacer, rolling_mean};

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
    /// The bottom panel draws the day axis (a plot above another whose
    /// day axis it shares may leave it out to save room).
    pub day_axis: bool,
}

/// The panels a time plot draws, each with one y axis in one unit and
/// numbers on it: one panel per unit among the shown series, in order of
/// first appearance (`Scale::Auto` and `Scale::Shared`), or one panel per
/// series (`Scale::Each`). Entries are indices into `columns`.
pub fn panels(scale: Scale, metrics: &[MetricSpec], columns: &[Column]) -> Vec<Panel> {
    let mut out: Vec<Panel> = Vec::new();
    for (k, (m, _)) in columns.iter().enumerate() {
        let Some(spec) = metrics.get(*m) else {
            continue;
        };
        let unit = spec.unit;
        match out
            .iter_mut()
            .find(|p| scale != Scale::Each && p.unit == unit)
        {
            Some(p) => p.members.push(k),
            None => out.push(Panel {
                unit,
                members: vec![k],
            }),
        }
    }
    out
}

/// One panel of a time plot: its unit and its series.
#[derive(Clone, Debug, PartialEq)]
pub struct Panel {
    /// The unit of every series on its y axis.
    pub unit: Unit,
    /// Indices into the plot's columns.
    pub members: Vec<usize>,
}

/// The label of a y axis in `unit`: its symbol, "%" for shares, "number"
/// for pure numbers; never empty.
pub fn axis_label(unit: Unit) -> String {
    if unit.is_share() {
        "%".to_string()
    } else {
        let symbol = unit.symbol();
        if symbol.is_empty() {
            "number".to_string()
        } else {
            symbol.into_owned()
        }
    }
}

/// `label` as it fits along a y axis of a panel `height` points tall (less
/// the day axis under the `bottom` panel): whole when it fits, else broken
/// before its "/" parts onto two lines ("interactions" over "/user/day"),
/// so a long unit never runs into the next panel's label.
fn fitted_axis_label(ui: &egui::Ui, label: String, height: f32, bottom: bool) -> String {
    let room = height - if bottom { 44.0 } else { 8.0 };
    if text_width(ui, &label) <= room {
        return label;
    }
    match label.find('/') {
        Some(cut) if cut > 0 => format!("{}\n{}", &label[..cut], &label[cut..]),
        _ => label,
    }
}

/// A y-axis tick in `unit`: percentages for shares, plain numbers else.
pub fn axis_tick(unit: Unit, value: f64, step: f64) -> String {
    if unit.is_share() {
        format::tick_percent(value, step)
    } else {
        format::tick(value, step)
    }
}

/// A shown series: its metric and its values as drawn (smoothed).
pub type Column = (usize, Vec<f64>);

/// The plot's shown series as (metric, values smoothed as drawn); hidden
/// series are left out (they keep their colour slot through `p.metrics`).
/// Built once per frame and given to both [`legend_row`] and [`time_plot`].
///
/// In the organization's view ([`State::org_view`]) a hidden measure is
/// replaced by its estimate or left out, and an objective is its latest
/// published report (NaN before the first; reports are not smoothed).
pub fn shown_columns(s: &State, p: &TimePlot<'_>) -> Vec<Column> {
    let metrics = s.sim.kind().metrics();
    let history = s.sim.history();
    p.metrics
        .iter()
        .filter(|&&m| m < metrics.len() && !p.hidden.contains(&m))
        .filter_map(|&m| {
            if s.org_view {
                let (shown, values) = org_series(s, m)?;
                if metrics[shown].layer == Layer::Organization {
                    return Some((shown, values));
                }
                return Some((shown, rolling_mean(&values, p.smooth)));
            }
            let raw: Vec<f64> = history.column(m).collect();
            Some((m, rolling_mean(&raw, p.smooth)))
        })
        .collect()
}

/// What the organization has of measure `m`: `None` when it is hidden and
/// the organization has no estimate of it; else the measure it reads (`m`
/// or its estimate) and the values as it has them each day (see
/// [`observe::seen`]).
pub fn org_series(s: &State, m: usize) -> Option<(usize, Vec<f64>)> {
    let metrics = s.sim.kind().metrics();
    let shown = if metrics.get(m)?.observable {
        m
    } else {
        observe::estimate_of(metrics, m)?
    };
    let values = observe::seen(
        s.sim.history(),
        metrics,
        shown,
        s.scenario.observe.reporting,
    )?;
    Some((shown, values))
}

/// The colour slot of drawn measure `m` in plot `p`: its own place, or the
/// place of the hidden measure it estimates.
fn slot_of(p: &TimePlot<'_>, metrics: &[MetricSpec], m: usize) -> usize {
    p.metrics
        .iter()
        .position(|&x| x == m)
        .or_else(|| {
            p.metrics
                .iter()
                .position(|&x| observe::estimate_of(metrics, x) == Some(m))
        })
        .unwrap_or(0)
}

/// The days the scenario's monitors fire in this run, each with its
/// monitor's description, in day order.
pub fn alarms(s: &State) -> Vec<(u32, String)> {
    let metrics = s.sim.kind().metrics();
    let mut out: Vec<(u32, String)> = s
        .scenario
        .observe
        .monitors
        .iter()
        .flat_map(|mon| {
            let what = mon.describe(metrics);
            observe::alarm_days(s.sim.history(), mon)
                .into_iter()
                .map(move |day| (day, what.clone()))
        })
        .collect();
    out.sort_by_key(|(day, _)| *day);
    out
}

/// Draws a time plot of `p.metrics` and the run's events: one panel per
/// unit (see [`panels`]), stacked, x axes linked, each y axis labelled with
/// its unit and numbered; the day axis is labelled on the bottom panel.
pub fn time_plot(ui: &mut egui::Ui, s: &State, p: &TimePlot<'_>, columns: &[Column]) {
    let metrics: &'static [MetricSpec] = s.sim.kind().metrics();
    let groups = panels(p.scale, metrics, columns);
    if groups.is_empty() {
        let empty = Panel {
            unit: Unit::Number,
            members: Vec::new(),
        };
        panel_plot(
            ui,
            s,
            p,
            columns,
            &empty,
            p.id.to_string(),
            p.height,
            p.day_axis,
        );
        return;
    }
    let gap = ui.spacing().item_spacing.y;
    let n = groups.len() as f32;
    let each = ((p.height - gap * (n - 1.0)) / n).max(panel_min_height(s.prefs.present));
    let last = groups.len() - 1;
    for (g, group) in groups.iter().enumerate() {
        let id = if g == 0 {
            p.id.to_string()
        } else {
            format!("{}-{g}", p.id)
        };
        let height = if g == last && g > 0 && p.day_axis {
            each + DAY_AXIS_HEIGHT
        } else {
            each
        };
        panel_plot(
            ui,
            s,
            p,
            columns,
            group,
            id,
            height,
            g == last && p.day_axis,
        );
    }
}

/// Shortest panel of a time plot, in points.
const PANEL_MIN_HEIGHT: f32 = 90.0;

/// The shortest panel: lower in presentation mode, where the dashboard
/// shows only the lesson's two plots and they must fit a projector's
/// screen without a scroll (three numbered ticks still fit).
pub fn panel_min_height(present: bool) -> f32 {
    if present { 64.0 } else { PANEL_MIN_HEIGHT }
}

/// What the bottom panel adds for the day axis, in points.
const DAY_AXIS_HEIGHT: f32 = 24.0;

/// One panel: the series of `group`, on an axis in its unit.
#[allow(clippy::too_many_arguments)]
fn panel_plot(
    ui: &mut egui::Ui,
    s: &State,
    p: &TimePlot<'_>,
    columns: &[Column],
    group: &Panel,
    id: String,
    height: f32,
    bottom: bool,
) {
    let dark = s.prefs.theme.is_dark();
    let look_width = theme::line_width(s.prefs.present);
    let metrics: &'static [MetricSpec] = s.sim.kind().metrics();
    let history = s.sim.history();
    let unit = group.unit;
    let nonneg = group
        .members
        .iter()
        .all(|&k| metrics[columns[k].0].min >= 0.0);
    let horizon = f64::from(s.horizon.max(1));
    let smooth = p.smooth;
    let drawn: Vec<usize> = group.members.iter().map(|&k| columns[k].0).collect();
    // Objectives in the organization's view: the hover reads the report.
    let reported: Vec<(usize, Vec<f64>)> = if s.org_view {
        group
            .members
            .iter()
            .map(|&k| &columns[k])
            .filter(|(m, _)| metrics[*m].layer == Layer::Organization)
            .cloned()
            .collect()
    } else {
        Vec::new()
    };

    let mut plot = Plot::new(id.as_str())
        .height(height)
        .link_axis(link_group(), [true, false])
        .link_cursor(link_group(), [true, false])
        .allow_scroll(false)
        .allow_zoom([true, false])
        .allow_drag([true, false])
        .allow_boxed_zoom(false)
        .include_x(0.0)
        .include_x(horizon)
        .show_background(false)
        .y_axis_min_width(64.0)
        .y_axis_label(fitted_axis_label(ui, axis_label(unit), height, bottom))
        .y_grid_spacer(nice_spacer)
        .y_axis_formatter(move |mark, _| axis_tick(unit, mark.value, mark.step_size))
        .x_grid_spacer(nice_spacer)
        .x_axis_formatter(|mark, _| {
            // Days are whole: no labels between them.
            if (mark.value - mark.value.round()).abs() < 1e-6 {
                format!("{}", mark.value.round() as i64)
            } else {
                String::new()
            }
        })
        .label_formatter(move |pos| hover_text(pos, metrics, history, smooth, &drawn, &reported));
    if bottom {
        plot = plot.x_axis_label("day");
    } else {
        // Panels above share the bottom one's day axis.
        plot = plot.show_axes([false, true]);
    }
    if history.days() == 0 {
        // Nothing yet: a calm empty frame rather than a range around zero.
        plot = plot.include_y(0.0).include_y(1.0);
    }
    if nonneg {
        plot = plot.include_y(0.0);
    }
    let events = marker_days(s);
    let alarm_days = alarms(s);
    let response = plot.show(ui, |plot_ui| {
        let bounds = plot_ui.plot_bounds();
        let view = (bounds.min()[0], bounds.max()[0]);
        let width = plot_ui.transform().frame().width().max(16.0) as usize;
        for &k in &group.members {
            let (m, ys) = &columns[k];
            let slot = slot_of(p, metrics, *m);
            let color = theme::series_color(p.layer, slot, dark);
            if let Some(bands) = &s.bands.bands
                && !s.org_view
            {
                draw_band(plot_ui, bands, *m, color, view, width);
            }
            let spec = &metrics[*m];
            let points = if ys.iter().all(|v| v.is_finite()) {
                decimate(ys, view, width)
            } else {
                // Days without a value (no report published yet) are left out.
                let known: Vec<[f64; 2]> = ys
                    .iter()
                    .enumerate()
                    .filter(|(_, v)| v.is_finite())
                    .map(|(i, &v)| [(i + 1) as f64, v])
                    .collect();
                decimate_points(&known, view, width)
            };
            plot_ui.line(
                Line::new(spec.label, PlotPoints::new(points))
                    .color(color)
                    .style(series_style(slot))
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
        for (day, _) in &alarm_days {
            plot_ui.vline(
                VLine::new("", *day as f64 - 0.5)
                    .color(theme::warn(dark))
                    .width(2.0)
                    .style(ALARM_STYLE)
                    .allow_hover(false),
            );
        }
    });
    // Event descriptions when the pointer is on a marker.
    if let Some(pointer) = response.response.hover_pos() {
        let specs = s.sim.params().specs();
        let near_day = |day: u32| {
            let x = response
                .transform
                .position_from_point_x(f64::from(day) - 0.5);
            (x - pointer.x).abs() <= 4.0
        };
        let near: Vec<String> = s
            .sim
            .events()
            .iter()
            .filter(|e| near_day(e.day))
            .map(|e| describe_event(e, specs))
            .chain(
                alarm_days
                    .iter()
                    .filter(|(day, _)| near_day(*day))
                    .map(|(day, what)| format!("day {day}: alarm, {what}")),
            )
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

/// The line style of a plot's `slot`-th series (see [`theme::series_dash`]).
fn series_style(slot: usize) -> LineStyle {
    match theme::series_dash(slot) {
        None => LineStyle::Solid,
        Some((dash, gap)) if dash <= 1.0 => LineStyle::Dotted { spacing: gap },
        Some((dash, _)) => LineStyle::Dashed { length: dash },
    }
}

/// An event as a marker's hover text says it: a changed parameter by its
/// label, with values in its own format.
pub fn describe_event(e: &Event, specs: &[ParamSpec]) -> String {
    match &e.kind {
        EventKind::ParamChanged { id, from, to } => match specs.iter().find(|p| p.id == *id) {
            Some(spec) => format!(
                "day {}: {} {} → {}",
                e.day,
                spec.label,
                format::param(spec, *from),
                format::param(spec, *to)
            ),
            None => e.describe(),
        },
        _ => e.describe(),
    }
}

/// What each kind of marker means, for the legend: (kind, name).
const MARKERS: [(EventKind, &str); 5] = [
    (
        EventKind::ParamChanged {
            id: "",
            from: 0.0,
            to: 0.0,
        },
        "setting changed",
    ),
    (EventKind::Retrained { auc: 0.0 }, "model retrained"),
    (EventKind::WorldShift, "world shifted"),
    (EventKind::Shutdown, "system switched off"),
    (EventKind::Restored, "system back on"),
];

/// A legend of the event markers this run has drawn (nothing when it has
/// none): each kind's line as the plots draw it, and its name, laid out in
/// the caller's (wrapping) row.
pub fn marker_legend(ui: &mut egui::Ui, s: &State) {
    let dark = s.prefs.theme.is_dark();
    let events = marker_days(s);
    let kinds: Vec<&(EventKind, &str)> = MARKERS
        .iter()
        .filter(|(kind, _)| {
            events
                .iter()
                .any(|(_, k)| std::mem::discriminant(k) == std::mem::discriminant(kind))
        })
        .collect();
    let alarmed = !alarms(s).is_empty();
    if kinds.is_empty() && !alarmed {
        return;
    }
    // Inline: in the caller's row (the dashboard's row of switches).
    {
        ui.label(
            egui::RichText::new("Markers:")
                .small()
                .color(theme::muted(dark)),
        );
        for (kind, name) in kinds {
            let (color, style) = marker_style(kind, dark);
            let (rect, _) = ui.allocate_exact_size(egui::vec2(6.0, 14.0), egui::Sense::hover());
            let (top, bottom) = (rect.center_top(), rect.center_bottom());
            let stroke = egui::Stroke::new(1.5, color);
            if style == LineStyle::Solid {
                ui.painter().line_segment([top, bottom], stroke);
            } else {
                ui.painter()
                    .extend(egui::Shape::dashed_line(&[top, bottom], stroke, 3.0, 2.0));
            }
            ui.label(egui::RichText::new(*name).small().color(theme::ink(dark)));
            ui.add_space(6.0);
        }
        if alarmed {
            let (rect, _) = ui.allocate_exact_size(egui::vec2(6.0, 14.0), egui::Sense::hover());
            let stroke = egui::Stroke::new(2.0, theme::warn(dark));
            ui.painter().extend(egui::Shape::dotted_line(
                &[rect.center_top(), rect.center_bottom()],
                stroke.color,
                3.0,
                1.0,
            ));
            let what: Vec<String> = s
                .scenario
                .observe
                .monitors
                .iter()
                .map(|m| m.describe(s.sim.kind().metrics()))
                .collect();
            ui.label(egui::RichText::new("alarm").small().color(theme::ink(dark)))
                .on_hover_text(format!("A monitor fired: {}", what.join("; ")));
        }
    }
}

/// How an alarm's marker is drawn.
const ALARM_STYLE: LineStyle = LineStyle::Dotted { spacing: 4.0 };

/// A 10–90 % band and a dashed median for one metric, thinned to about
/// one point per pixel column of the visible range.
fn draw_band(
    plot_ui: &mut egui_plot::PlotUi<'_>,
    bands: &crate::runner::Bands,
    metric: usize,
    color: egui::Color32,
    view: (f64, f64),
    width: usize,
) {
    let at = |d: usize| bands.at(d, metric);
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

/// Each legend entry of `p`: (series position, metric, the metric shown
/// (its estimate in the organization's view), its text "label  value").
fn legend_entries<'m>(
    s: &State,
    p: &TimePlot<'_>,
    metrics: &'m [MetricSpec],
) -> Vec<(usize, usize, &'m MetricSpec, String)> {
    p.metrics
        .iter()
        .enumerate()
        .filter_map(|(k, &m)| {
            let spec = metrics.get(m)?;
            let (spec, value) = if s.org_view {
                match org_series(s, m) {
                    None => (spec, "hidden from the organization".to_string()),
                    Some((shown, values)) => {
                        let spec = &metrics[shown];
                        let value = if spec.layer == Layer::Organization {
                            values.iter().rev().find(|v| v.is_finite()).map_or_else(
                                || "no report yet".to_string(),
                                |&v| format!("{} (report)", format::mean_value(v, spec.unit)),
                            )
                        } else {
                            s.recent_mean(shown, 7).map_or_else(
                                || "—".to_string(),
                                |v| format::mean_value(v, spec.unit),
                            )
                        };
                        (spec, value)
                    }
                }
            } else {
                let value = s
                    .recent_mean(m, 7)
                    .map_or_else(|| "—".to_string(), |v| format::mean_value(v, spec.unit));
                (spec, value)
            };
            Some((k, m, spec, format!("{}  {value}", spec.label)))
        })
        .collect()
}

/// Width the legend of `p` needs on one line, in points.
pub fn legend_width(ui: &egui::Ui, s: &State, p: &TimePlot<'_>) -> f32 {
    let metrics = s.sim.kind().metrics();
    // Swatch, the gap after it and after the entry, as `legend_row` lays out.
    let pad = 16.0 + ui.spacing().icon_spacing + 4.0 + 8.0;
    // Measured with a wide sample value too, so the legend keeps its place
    // when a run starts and "—" becomes a number.
    legend_entries(s, p, metrics)
        .into_iter()
        .map(|(_, _, spec, text)| text_width(ui, &text).max(sample_width(ui, spec)) + pad)
        .sum()
}

/// Width of a legend entry's text with a wide value in its unit.
fn sample_width(ui: &egui::Ui, spec: &MetricSpec) -> f32 {
    let sample = format!(
        "{}  {}",
        spec.label,
        format::mean_value(-888.888, spec.unit)
    );
    text_width(ui, &sample)
}

/// Width of `text` on one line in the body font, in points.
fn text_width(ui: &egui::Ui, text: &str) -> f32 {
    let font = egui::TextStyle::Body.resolve(ui.style());
    ui.fonts_mut(|f| f.layout_no_wrap(text.to_string(), font, egui::Color32::WHITE))
        .size()
        .x
}

/// The legend above a time plot: one chip per series with its latest value
/// (7-day mean); clicking a chip hides or shows the series.
pub fn legend_row(ui: &mut egui::Ui, s: &State, p: &TimePlot<'_>, out: &mut Vec<super::Command>) {
    let dark = s.prefs.theme.is_dark();
    let metrics = s.sim.kind().metrics();
    let entries = legend_entries(s, p, metrics);
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = 4.0;
        for (k, m, spec, text) in entries {
            let off = p.hidden.contains(&m);
            let color = theme::series_color(p.layer, k, dark);
            let id = egui::IdSalt::new(("ixsim-swatch", p.id, m));
            let text_color = if off {
                theme::muted(dark)
            } else {
                theme::ink(dark)
            };
            let text = egui::RichText::new(text).color(text_color);
            // At least as wide as a wide value would make it, so the row
            // does not rewrap when a run starts and "—" becomes a number.
            let min_width = sample_width(ui, spec) + 16.0 + ui.spacing().icon_spacing;
            let r = egui::Button::new((egui::Atom::custom(id, egui::vec2(16.0, 10.0)), text))
                .frame(false)
                .min_size(egui::vec2(min_width, 0.0))
                .atom_ui(ui);
            if let Some(rect) = r.rect(id) {
                let c = if off {
                    color.gamma_multiply(0.3)
                } else {
                    color
                };
                let ends = [rect.left_center(), rect.right_center()];
                let stroke = egui::Stroke::new(3.0, c);
                // The swatch shows the line's dash pattern as well as its colour.
                match theme::series_dash(k) {
                    None => {
                        ui.painter().line_segment(ends, stroke);
                    }
                    Some((dash, gap)) => {
                        let dash = if dash <= 1.0 { 3.0 } else { 6.0 };
                        let gap = gap.min(3.0);
                        ui.painter()
                            .extend(egui::Shape::dashed_line(&ends, stroke, dash, gap));
                    }
                }
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
    });
}

fn hover_text(
    pos: &HoverPosition<'_>,
    metrics: &[MetricSpec],
    history: &crate::sim::History,
    smooth: usize,
    drawn: &[usize],
    reported: &[(usize, Vec<f64>)],
) -> Option<String> {
    match pos {
        HoverPosition::NearDataPoint {
            plot_name,
            position,
            ..
        } => {
            let day = position.x.round().max(1.0) as usize;
            let m = drawn
                .iter()
                .copied()
                .find(|&m| m < metrics.len() && metrics[m].label == *plot_name)?;
            if let Some((_, values)) = reported.iter().find(|(x, _)| *x == m) {
                let v = values.get(day.checked_sub(1)?).copied()?;
                let read = if v.is_finite() {
                    format!("latest report {}", format::mean_value(v, metrics[m].unit))
                } else {
                    "no report published yet".to_string()
                };
                return Some(format!("{plot_name}\nday {day}: {read}"));
            }
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
    fn every_dashboard_axis_carries_one_unit_with_numbers() {
        for id in crate::scenario::library::ids() {
            let scenario = crate::scenario::library::get(id)
                .expect("listed")
                .expect("parses");
            let metrics = scenario.world.metrics();
            // Every measure of the world on one plot, as a person could
            // choose from the Series menu.
            let columns: Vec<Column> = (0..metrics.len())
                .map(|m| (m, vec![metrics[m].min.max(0.0), 1.0]))
                .collect();
            for scale in [Scale::Auto, Scale::Shared, Scale::Each] {
                let groups = panels(scale, metrics, &columns);
                let drawn: usize = groups.iter().map(|g| g.members.len()).sum();
                assert_eq!(drawn, columns.len(), "{id}: every series drawn once");
                for g in &groups {
                    for &k in &g.members {
                        assert_eq!(metrics[columns[k].0].unit, g.unit, "{id}: one unit an axis");
                    }
                    assert!(
                        !axis_label(g.unit).is_empty(),
                        "{id}: {:?} unlabelled",
                        g.unit
                    );
                    for (v, step) in [(0.0, 0.1), (0.5, 0.1), (20.0, 5.0), (1500.0, 500.0)] {
                        let tick = axis_tick(g.unit, v, step);
                        assert!(
                            tick.chars().any(|c| c.is_ascii_digit()),
                            "{id}: tick {tick:?} for {:?} has no number",
                            g.unit
                        );
                    }
                }
                if scale == Scale::Each {
                    assert!(groups.iter().all(|g| g.members.len() == 1));
                }
            }
        }
    }

    #[test]
    fn a_change_marker_names_the_parameter_by_its_label() {
        let specs = crate::sim::WorldKind::Users.params();
        let spec = &specs[0];
        let e = Event {
            day: 12,
            kind: EventKind::ParamChanged {
                id: spec.id,
                from: spec.default,
                to: spec.default,
            },
        };
        let text = describe_event(&e, specs);
        assert!(text.contains(spec.label), "{text}");
        assert!(text.starts_with("day 12: "), "{text}");
    }
}
