//! The strip of key numbers above the tabs, always in view: one card per
//! key measure with its current value, the change over the last 30 days and
//! a sparkline of the last 90.
//!
//! For the user world: its key measures from the registry (error rate, mean
//! trust, active users, value added and profit to date). For other worlds:
//! one measure per layer, the scenario's first plotted one where it names
//! one, else the world's key measure of that layer. Numbers are written by
//! [`crate::format`] from each measure's unit.
//!
//! In the organization's view a hidden key measure gives way to its
//! estimate (true error rate → observed error rate) or reads "hidden", and
//! an objective shows its latest published report, as the dashboard's plots
//! do.

use eframe::egui::{self, Color32, RichText, Stroke};

use super::{Command, State, theme};
use crate::format;
use crate::sim::registry::metric_index;
use crate::sim::{Layer, MetricSpec, WorldKind, observe, users};

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

/// In the organization's view, an objective as the organization has it:
/// each day the latest published report (NaN before the first). `None`
/// outside that view and for other measures.
fn reports(s: &State, m: usize) -> Option<Vec<f64>> {
    let spec = s.sim.kind().metrics().get(m)?;
    if !s.org_view || spec.layer != Layer::Organization {
        return None;
    }
    super::plot::org_series(s, m).map(|(_, values)| values)
}

/// The measure a key card shows for key `m`: in the organization's view a
/// hidden measure gives way to its estimate where there is one.
fn shown_key(s: &State, m: usize) -> usize {
    let metrics = s.sim.kind().metrics();
    if s.org_view && !metrics[m].observable {
        observe::estimate_of(metrics, m).unwrap_or(m)
    } else {
        m
    }
}

fn value(s: &State, m: usize, how: Summary) -> Option<f64> {
    if let Some(seen) = reports(s, m) {
        return seen.last().copied().filter(|v| v.is_finite());
    }
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
    if let Some(seen) = reports(s, m) {
        return Some(seen[end - 1]).filter(|v| v.is_finite());
    }
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
    let keys: Vec<(usize, Summary)> = key_metrics(s.sim.kind(), &s.scenario.plots)
        .into_iter()
        .map(|(m, how)| (shown_key(s, m), how))
        .collect();
    if keys.is_empty() {
        return;
    }
    let metrics = s.sim.kind().metrics();
    let gap = 8.0;
    let avail = ui.available_width();
    let per_row = cards_per_row(avail, gap, keys.len());
    let width = (avail - gap * (per_row as f32 - 1.0)) / per_row as f32;
    // The big number shrinks with the card so "$13,811" fits a narrow one.
    let number_size = (width / 5.0).clamp(15.0, if s.prefs.present { 26.0 } else { 21.0 });
    for row in keys.chunks(per_row) {
        let unit_below = units_below(ui, s, row, width - 22.0, number_size);
        ui.horizontal(|ui| {
            ui.spacing_mut().item_spacing.x = gap;
            for &(m, how) in row {
                let spec = &metrics[m];
                theme::card(dark).show(ui, |ui| {
                    ui.set_width(width - 22.0);
                    card(ui, s, spec, m, how, number_size, unit_below);
                });
            }
        });
    }
}

/// Narrowest key card, in points.
const CARD_MIN_WIDTH: f32 = 96.0;

/// Cards per row: all of them in one row when each gets
/// [`CARD_MIN_WIDTH`], else rows of equal count (five cards make rows of
/// three and two, never four and a lone fifth).
pub fn cards_per_row(avail: f32, gap: f32, cards: usize) -> usize {
    let fit = (((avail + gap) / (CARD_MIN_WIDTH + gap)).floor() as usize).max(1);
    if cards == 0 || fit >= cards {
        return cards.max(1);
    }
    let rows = cards.div_ceil(fit);
    cards.div_ceil(rows)
}

/// Room between a card's number and its unit, in points.
const UNIT_GAP: f32 = 4.0;

/// A card's number and the unit written after it ("—" before any day).
fn number_and_unit(s: &State, spec: &MetricSpec, m: usize, how: Summary) -> (String, String) {
    value(s, m, how).map_or_else(
        || ("—".to_string(), String::new()),
        |v| match how {
            Summary::Week => format::mean_parts(v, spec.unit),
            Summary::Last => format::parts(v, spec.unit),
        },
    )
}

/// Whether some card of `row` cannot write its unit beside its number
/// within `inner_width` points: then the row writes every unit under the
/// number instead of cutting one short.
fn units_below(
    ui: &egui::Ui,
    s: &State,
    row: &[(usize, Summary)],
    inner_width: f32,
    number_size: f32,
) -> bool {
    let metrics = s.sim.kind().metrics();
    let small = egui::TextStyle::Small.resolve(ui.style());
    let big = egui::FontId::proportional(number_size);
    row.iter().any(|&(m, how)| {
        let (number, unit) = number_and_unit(s, &metrics[m], m, how);
        let width = |text: String, font: &egui::FontId| {
            ui.fonts_mut(|f| {
                f.layout_no_wrap(text, font.clone(), Color32::WHITE)
                    .size()
                    .x
            })
        };
        !unit.is_empty() && width(number, &big) + UNIT_GAP + width(unit, &small) > inner_width
    })
}

fn card(
    ui: &mut egui::Ui,
    s: &State,
    spec: &MetricSpec,
    m: usize,
    how: Summary,
    number_size: f32,
    unit_below: bool,
) {
    let dark = s.prefs.theme.is_dark();
    let color = theme::layer_color(spec.layer, dark);
    let now = value(s, m, how);
    let reported = reports(s, m).is_some();
    let how_text = match how {
        _ if reported => "latest report",
        Summary::Week => "7-day mean",
        Summary::Last => "latest day",
    };
    let r = ui
        .vertical(|ui| {
            // The title takes up to two lines, and every card keeps room
            // for two so a row's numbers line up.
            let font = egui::TextStyle::Small.resolve(ui.style());
            let two_lines = 2.0 * ui.fonts_mut(|f| f.row_height(&font));
            ui.horizontal_top(|ui| {
                ui.set_min_height(two_lines);
                let (rect, _) = ui.allocate_exact_size(egui::vec2(8.0, 8.0), egui::Sense::hover());
                ui.painter()
                    .circle_filled(rect.center() + egui::vec2(0.0, 2.0), 4.0, color);
                // "· 7-day mean" only where it fits beside the whole label
                // in two lines; the hover text always says it.
                let title = |text: String| {
                    let mut job =
                        egui::text::LayoutJob::simple(text, font.clone(), theme::muted(dark), 0.0);
                    job.wrap.max_width = ui.available_width();
                    job
                };
                let mut job = if reported || how == Summary::Week {
                    title(format!("{} · {how_text}", spec.label))
                } else {
                    title(spec.label.to_string())
                };
                if ui.fonts_mut(|f| f.layout_job(job.clone())).rows.len() > 2 {
                    job = title(spec.label.to_string());
                }
                job.wrap.max_rows = 2;
                job.wrap.overflow_character = Some('…');
                ui.add(egui::Label::new(job).wrap());
            });
            // In the organization's view a hidden measure shows no number.
            let hidden = s.org_view && !spec.observable;
            let (number, unit) = if hidden {
                ("hidden".to_string(), String::new())
            } else {
                number_and_unit(s, spec, m, how)
            };
            // The number never wraps: a long one ("$362,099") gets a smaller
            // size so it fits the card on one line.
            let wide = ui.fonts_mut(|f| {
                f.layout_no_wrap(
                    number.clone(),
                    egui::FontId::proportional(number_size),
                    theme::ink(dark),
                )
                .size()
                .x
            });
            let room = ui.available_width() - 4.0;
            let size = if wide > room && wide > 0.0 {
                (number_size * room / wide).max(10.0)
            } else {
                number_size
            };
            let number = RichText::new(number)
                .size(size)
                .strong()
                .color(theme::ink(dark));
            let unit_text = RichText::new(unit.as_str())
                .small()
                .color(theme::muted(dark));
            if unit_below {
                // Every card of the row keeps the unit's line, so the
                // numbers and the changes below them line up.
                ui.label(number);
                if unit.is_empty() {
                    let font = egui::TextStyle::Small.resolve(ui.style());
                    let line = ui.fonts_mut(|f| f.row_height(&font));
                    ui.allocate_space(egui::vec2(0.0, line));
                } else {
                    ui.label(unit_text);
                }
            } else {
                ui.horizontal(|ui| {
                    ui.spacing_mut().item_spacing.x = UNIT_GAP;
                    ui.label(number);
                    ui.label(unit_text);
                });
            }
            ui.horizontal(|ui| {
                if hidden {
                    ui.add(
                        egui::Label::new(
                            RichText::new("not logged")
                                .small()
                                .color(theme::muted(dark)),
                        )
                        .truncate(),
                    )
                    .on_hover_text("The organization's logs cannot compute this measure.");
                    return;
                }
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
    r.on_hover_text(format!("{} ({how_text})\n\n{}", spec.label, spec.doc));
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
    let ys: Vec<f64> = match reports(s, m) {
        Some(seen) => seen[from - 1..]
            .iter()
            .copied()
            .filter(|v| v.is_finite())
            .collect(),
        None => (from..=n).map(|d| h.row(d)[m]).collect(),
    };
    if ys.len() < 2 {
        return;
    }
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
