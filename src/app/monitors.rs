//! The strip of key numbers above the tabs, always in view: one card per
//! key measure with its current value, the change over the last 30 days and
//! a sparkline of the last 90.
//!
//! For the user world: its key measures from the registry (error rate, mean
//! trust, active users, value added and profit to date). For other worlds:
//! one measure per layer, the scenario's first plotted one where it names
//! one, else the world's key measure of that layer. Numbers are written by
//! [`crate::format`] from each measure's unit.

use eframe::egui::{self, RichText, Stroke};

use super::{Command, State, theme};
use crate::format;
use crate::sim::registry::metric_index;
use crate::sim::{Layer, MetricSpec, WorldKind, users};

/// How a card summarises its metric.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Summary {
    /// Mean of the last 7 days (noisy daily rates).
    Week,
    /// The last day's value (stocks and running totals).
    Last,
}

/// User-world key measures that are stocks or running totals, summarised
/// by their last value (ids resolved when the crate builds).
const USER_STOCKS: [usize; 3] = [
    metric_index(users::METRICS, "user.trust"),
    metric_index(users::METRICS, "leading.active_users"),
    metric_index(users::METRICS, "org.profit_cumulative"),
];

/// The key measures of the current world: (metric index, summary). The user
/// world shows its [`WorldKind::key_measures`]; other worlds, per layer, the
/// scenario's first plotted measure of that layer, else the world's key
/// measure of that layer, else the layer's first measure.
pub fn key_metrics(kind: WorldKind, plots: &[usize]) -> Vec<(usize, Summary)> {
    let metrics = kind.metrics();
    let keys = kind.key_measures();
    if kind == WorldKind::Users {
        return keys
            .iter()
            .map(|&m| {
                let how = if USER_STOCKS.contains(&m) {
                    Summary::Last
                } else {
                    Summary::Week
                };
                (m, how)
            })
            .collect();
    }
    let in_layer = |m: &usize, layer: Layer| metrics.get(*m).is_some_and(|x| x.layer == layer);
    Layer::MEASURES
        .iter()
        .filter_map(|&layer| {
            plots
                .iter()
                .copied()
                .find(|m| in_layer(m, layer))
                .or_else(|| keys.iter().copied().find(|m| in_layer(m, layer)))
                .or_else(|| metrics.iter().position(|m| m.layer == layer))
        })
        .map(|m| (m, Summary::Week))
        .collect()
}

fn value(s: &State, m: usize, how: Summary) -> Option<f64> {
    match how {
        Summary::Week => s.recent_mean(m, 7),
        Summary::Last => s.last(m),
    }
}

/// The value 30 days before the latest, summarised the same way.
fn earlier(s: &State, m: usize, how: Summary) -> Option<f64> {
    let h = s.sim.history();
    let n = h.days();
    if n <= 30 {
        return None;
    }
    let end = n - 30;
    match how {
        Summary::Last => Some(h.row(end)[m]),
        Summary::Week => {
            let from = end.saturating_sub(6).max(1);
            let sum: f64 = (from..=end).map(|d| h.row(d)[m]).sum();
            Some(sum / (end - from + 1) as f64)
        }
    }
}

/// The strip.
pub fn ui(ui: &mut egui::Ui, s: &State, _out: &mut [Command]) {
    let dark = s.prefs.theme.is_dark();
    let keys = key_metrics(s.sim.kind(), &s.scenario.plots);
    if keys.is_empty() {
        return;
    }
    let metrics = s.sim.kind().metrics();
    let gap = 8.0;
    let min_w = 124.0;
    let avail = ui.available_width();
    // As many cards per row as fit, rows as needed.
    let per_row = (((avail + gap) / (min_w + gap)).floor() as usize).clamp(1, keys.len());
    let width = (avail - gap * (per_row as f32 - 1.0)) / per_row as f32;
    for row in keys.chunks(per_row) {
        ui.horizontal(|ui| {
            ui.spacing_mut().item_spacing.x = gap;
            for &(m, how) in row {
                let spec = &metrics[m];
                theme::card(dark).show(ui, |ui| {
                    ui.set_width(width - 22.0);
                    card(ui, s, spec, m, how);
                });
            }
        });
    }
}

fn card(ui: &mut egui::Ui, s: &State, spec: &MetricSpec, m: usize, how: Summary) {
    let dark = s.prefs.theme.is_dark();
    let color = theme::layer_color(spec.layer, dark);
    let now = value(s, m, how);
    let title = match how {
        Summary::Week => format!("{} · 7-day mean", spec.label),
        Summary::Last => spec.label.to_string(),
    };
    let r = ui
        .vertical(|ui| {
            ui.horizontal(|ui| {
                let (rect, _) = ui.allocate_exact_size(egui::vec2(8.0, 8.0), egui::Sense::hover());
                ui.painter().circle_filled(rect.center(), 4.0, color);
                ui.add(
                    egui::Label::new(RichText::new(title).small().color(theme::muted(dark)))
                        .truncate(),
                );
            });
            ui.horizontal(|ui| {
                ui.spacing_mut().item_spacing.x = 4.0;
                let (number, unit) = now.map_or_else(
                    || ("—".to_string(), String::new()),
                    |v| match how {
                        Summary::Week => format::mean_parts(v, spec.unit),
                        Summary::Last => format::parts(v, spec.unit),
                    },
                );
                ui.label(
                    RichText::new(number)
                        .size(if s.prefs.present { 26.0 } else { 21.0 })
                        .strong()
                        .color(theme::ink(dark)),
                );
                if !unit.is_empty() {
                    ui.add(
                        egui::Label::new(RichText::new(unit).small().color(theme::muted(dark)))
                            .truncate(),
                    );
                }
            });
            ui.horizontal(|ui| {
                let delta = match (now, earlier(s, m, how)) {
                    (Some(now), Some(before)) => {
                        let diff = now - before;
                        let arrow = if diff > 0.0 {
                            "▲"
                        } else if diff < 0.0 {
                            "▼"
                        } else {
                            "="
                        };
                        if spec.unit.is_share() {
                            format!("{arrow} {}", format::points(diff.abs()))
                        } else {
                            let change = match how {
                                Summary::Week => format::mean_amount(diff.abs(), spec.unit),
                                Summary::Last => format::amount(diff.abs(), spec.unit),
                            };
                            format!("{arrow} {change}")
                        }
                    }
                    _ => "30-day change —".to_string(),
                };
                ui.label(RichText::new(delta).small().color(theme::muted(dark)))
                    .on_hover_text("Change over the last 30 days");
                sparkline(ui, s, m, color);
            });
        })
        .response;
    r.on_hover_text(format!("{}\n\n{}", spec.label, spec.doc));
}

fn sparkline(ui: &mut egui::Ui, s: &State, m: usize, color: egui::Color32) {
    let h = s.sim.history();
    let n = h.days();
    let width = ui.available_width();
    if n < 2 || width < 30.0 {
        return;
    }
    let (rect, _) = ui.allocate_exact_size(egui::vec2(width, 18.0), egui::Sense::hover());
    let from = n.saturating_sub(90) + 1;
    let ys: Vec<f64> = (from..=n).map(|d| h.row(d)[m]).collect();
    let lo = ys.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = ys.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let span = if hi > lo { hi - lo } else { 1.0 };
    let count = ys.len().max(2) - 1;
    let points: Vec<egui::Pos2> = ys
        .iter()
        .enumerate()
        .map(|(i, y)| {
            let x = rect.left() + rect.width() * i as f32 / count as f32;
            let t = if hi > lo {
                ((y - lo) / span) as f32
            } else {
                0.5
            };
            egui::pos2(x, rect.bottom() - 2.0 - t * (rect.height() - 4.0))
        })
        .collect();
    ui.painter()
        .add(egui::Shape::line(points, Stroke::new(1.5, color)));
}
