//! The dashboard tab: four stacked time plots, one per measure layer (model ·
//! user outcomes · leading indicators · organization), x axes and cursors
//! linked, each with the scenario's goals for that layer and a menu to add
//! or remove series from the metric registry; a switch shows them as the
//! organization sees them.

use eframe::egui::{self, RichText};

use super::plot::{self, TimePlot};
use super::{Command, PlotSeries, Scale, State, ViewCommand, theme};
use crate::scenario::Scenario;
use crate::sim::choice::Choice as _;
use crate::sim::{Layer, observe};

/// The default series of each plot: the scenario's `plots` that belong to
/// the layer, or else the layer's first three metrics.
pub fn default_plots(scenario: &Scenario) -> Vec<PlotSeries> {
    let metrics = scenario.world.metrics();
    Layer::MEASURES
        .iter()
        .map(|&layer| {
            let mut chosen: Vec<usize> = scenario
                .plots
                .iter()
                .copied()
                .filter(|&m| m < metrics.len() && metrics[m].layer == layer)
                .collect();
            if chosen.is_empty() {
                chosen = metrics
                    .iter()
                    .enumerate()
                    .filter(|(_, m)| m.layer == layer)
                    .take(3)
                    .map(|(i, _)| i)
                    .collect();
            }
            PlotSeries {
                layer,
                metrics: chosen,
                scale: Scale::Auto,
                smooth: 1,
            }
        })
        .collect()
}

/// What a dashboard card shows under its header.
enum Body {
    /// The world has no measure in this layer.
    NoLayer,
    /// The person removed every series.
    NoSeries,
    /// The organization sees none of the series.
    NothingSeen,
    /// A plot of these columns.
    Plot(Vec<plot::Column>),
}

/// The dashboard.
pub fn ui(ui: &mut egui::Ui, s: &State, out: &mut Vec<Command>) {
    let dark = s.prefs.theme.is_dark();
    let metrics = s.sim.kind().metrics();
    let shown = shown_plots(s);
    let bodies: Vec<Body> = shown
        .iter()
        .map(|&k| {
            let p = &s.plots[k];
            let tp = time_plot_of(s, p, "", 0.0);
            let columns = plot::shown_columns(s, &tp);
            if metrics.iter().all(|m| m.layer != p.layer) {
                Body::NoLayer
            } else if p.metrics.is_empty() {
                Body::NoSeries
            } else if columns.is_empty() && s.org_view {
                Body::NothingSeen
            } else {
                Body::Plot(columns)
            }
        })
        .collect();
    // What the cards add around their plots, in all, measured on the last
    // frame; the plots share what is left.
    let chrome_id = egui::Id::unique("ixsim-dashboard-chrome");
    // The plots share the height by their panels (one per unit), so a plot
    // of two units is not squeezed to half the height of a plot of one.
    let panels_of = |k: usize, body: &Body| match body {
        Body::Plot(columns) => plot::panels(s.plots[k].scale, metrics, columns)
            .len()
            .max(1),
        _ => 0,
    };
    let panel_counts: Vec<usize> = shown
        .iter()
        .zip(&bodies)
        .map(|(&k, b)| panels_of(k, b))
        .collect();
    let n = panel_counts.iter().sum::<usize>().max(1) as f32;
    let chrome: f32 = ui
        .data(|d| d.get_temp(chrome_id))
        .unwrap_or(100.0 * shown.len().max(1) as f32);
    org_view_switch(ui, s, shown.len(), out);
    // (Less a margin for the scroll area's own spacing.)
    let per_panel =
        ((ui.available_height() - chrome - 24.0) / n).max(plot::panel_min_height(s.prefs.present));
    let mut measured = 0.0f32;
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for ((&k, body), &panels) in shown.iter().zip(&bodies).zip(&panel_counts) {
                let p = &s.plots[k];
                let height = per_panel * panels.max(1) as f32;
                let id = format!("ixsim-dashboard-{k}");
                let mut tp = time_plot_of(s, p, &id, height);
                // In presentation mode only the last plot draws the day
                // axis the plots share (their day axes are linked): the
                // room goes to the plots.
                tp.day_axis = !s.prefs.present || Some(&k) == shown.last();
                let card = theme::card(dark).show(ui, |ui| {
                    ui.set_width(ui.available_width());
                    let has_plot = !p.metrics.is_empty();
                    plot_header(ui, s, k, p, has_plot.then_some(&tp), out);
                    let note = |ui: &mut egui::Ui, text: &str| {
                        ui.label(RichText::new(text).color(theme::muted(dark)));
                    };
                    match body {
                        Body::NoLayer => note(ui, "This world reports no measures in this layer."),
                        Body::NoSeries => note(ui, "No series: add some from the Series menu."),
                        Body::NothingSeen => {
                            note(ui, "The organization's logs measure none of these series.");
                        }
                        Body::Plot(columns) => plot::time_plot(ui, s, &tp, columns),
                    }
                });
                ui.add_space(4.0);
                let plotted = if matches!(body, Body::Plot(_)) {
                    height
                } else {
                    0.0
                };
                measured +=
                    card.response.rect.height() + 4.0 + ui.spacing().item_spacing.y - plotted;
            }
        });
    // Grow at once, shrink only by a clear step: a legend that rewraps
    // when a scroll bar comes and goes must not make the layout oscillate.
    if measured > 0.0 && (measured > chrome + 0.5 || measured < chrome - SHRINK_STEP) {
        ui.data_mut(|d| d.insert_temp(chrome_id, measured));
        ui.ctx().request_repaint();
    }
}

/// Plots shown in presentation mode, so the back row can read them.
const PRESENT_PLOTS: usize = 2;

/// The dashboard plots drawn, by index: all of them; in presentation mode
/// the [`PRESENT_PLOTS`] that show most of the current lesson step's
/// measures (the step running, revealed or next), then the first ones, in
/// the dashboard's order.
pub fn shown_plots(s: &State) -> Vec<usize> {
    let all: Vec<usize> = (0..s.plots.len()).collect();
    if !s.prefs.present || s.plots.len() <= PRESENT_PLOTS {
        return all;
    }
    let step = s
        .lesson
        .running
        .or(s.lesson.reveal.as_ref().map(|r| r.step))
        .unwrap_or(s.lesson.next);
    let reveal: &[usize] = s.scenario.steps.get(step).map_or(&[], |st| &st.reveal);
    let metrics = s.sim.kind().metrics();
    let score = |k: usize| {
        let p = &s.plots[k];
        reveal
            .iter()
            .filter(|&&m| {
                p.metrics.contains(&m) || metrics.get(m).is_some_and(|x| x.layer == p.layer)
            })
            .count()
    };
    let mut ranked: Vec<usize> = all.clone();
    // Most of the step's measures first; ties keep the dashboard's order.
    ranked.sort_by_key(|&k| std::cmp::Reverse(score(k)));
    let mut picked: Vec<usize> = ranked
        .into_iter()
        .filter(|&k| !s.plots[k].metrics.is_empty())
        .take(PRESENT_PLOTS)
        .collect();
    picked.sort_unstable();
    if picked.is_empty() {
        return all;
    }
    picked
}

/// How much the measured chrome must fall before the plots grow back, in
/// points.
const SHRINK_STEP: f32 = 24.0;

/// The time plot of dashboard series `p`.
fn time_plot_of<'a>(s: &'a State, p: &'a PlotSeries, id: &'a str, height: f32) -> TimePlot<'a> {
    TimePlot {
        id,
        layer: p.layer,
        metrics: &p.metrics,
        scale: p.scale,
        height,
        hidden: &s.hidden,
        smooth: p.smooth,
        day_axis: true,
    }
}

fn plot_header(
    ui: &mut egui::Ui,
    s: &State,
    k: usize,
    p: &PlotSeries,
    legend: Option<&TimePlot<'_>>,
    out: &mut Vec<Command>,
) {
    let dark = s.prefs.theme.is_dark();
    let legend_width = legend.map_or(0.0, |tp| plot::legend_width(ui, s, tp));
    let inline = ui.horizontal(|ui| {
        let heading = theme::layer_heading(ui, p.layer, p.layer.label(), dark);
        if let Some(goals) = s.scenario.goals.get(&p.layer) {
            heading.on_hover_text(format!(
                "This scenario's {}, in its own words:\n• {}",
                p.layer.label().to_lowercase(),
                goals.join("\n• ")
            ));
        }
        ui.add_space(8.0);
        // The legend sits beside the title when it fits on that line;
        // otherwise it takes the whole width of the next (fewer rows).
        let inline = legend_width <= ui.available_width() - SERIES_BUTTON_WIDTH;
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            ui.menu_button("Series ▾", |ui| series_menu(ui, s, k, p, out))
                .response
                .on_hover_text("Add or remove series, or change how they are scaled.");
            if let Some(tp) = legend.filter(|_| inline) {
                ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                    plot::legend_row(ui, s, tp, out);
                });
            }
        });
        inline
    });
    if let Some(tp) = legend.filter(|_| !inline.inner) {
        plot::legend_row(ui, s, tp, out);
    }
}

/// Room the Series button and its margin take in a plot's title row.
const SERIES_BUTTON_WIDTH: f32 = 76.0;

fn series_menu(ui: &mut egui::Ui, s: &State, k: usize, p: &PlotSeries, out: &mut Vec<Command>) {
    let dark = s.prefs.theme.is_dark();
    let metrics = s.sim.kind().metrics();
    let mut item = |ui: &mut egui::Ui, m: usize| {
        let spec = &metrics[m];
        let mut on = p.metrics.contains(&m);
        let text = if spec.unit.symbol().is_empty() {
            spec.label.to_string()
        } else {
            format!("{}  ({})", spec.label, spec.unit)
        };
        if ui.checkbox(&mut on, text).on_hover_text(spec.doc).changed() {
            out.push(Command::View(ViewCommand::SetSeries {
                plot: k,
                metric: m,
                on,
            }));
        }
    };
    ui.label(
        RichText::new(p.layer.label())
            .small()
            .strong()
            .color(theme::layer_color(p.layer, dark)),
    );
    for m in (0..metrics.len()).filter(|&m| metrics[m].layer == p.layer) {
        item(ui, m);
    }
    ui.separator();
    ui.menu_button("From other layers", |ui| {
        for layer in [
            Layer::Model,
            Layer::User,
            Layer::Leading,
            Layer::Organization,
            Layer::Flow,
        ] {
            if layer == p.layer {
                continue;
            }
            let ms: Vec<usize> = (0..metrics.len())
                .filter(|&m| metrics[m].layer == layer)
                .collect();
            if ms.is_empty() {
                continue;
            }
            ui.menu_button(layer.label(), |ui| {
                egui::ScrollArea::vertical()
                    .max_height(420.0)
                    .show(ui, |ui| {
                        for m in ms {
                            item(ui, m);
                        }
                    });
            });
        }
    });
    ui.separator();
    ui.label(RichText::new("Smoothing").small().color(theme::muted(dark)));
    for (days, label) in [(1, "Daily values"), (7, "7-day mean"), (30, "30-day mean")] {
        if ui
            .radio(p.smooth == days, label)
            .on_hover_text("Noisy daily measures read better as a trailing mean; hover shows both.")
            .clicked()
        {
            out.push(Command::View(ViewCommand::SetSmooth { plot: k, days }));
        }
    }
    ui.separator();
    ui.label(RichText::new("Scale").small().color(theme::muted(dark)));
    for (scale, label, tip) in [
        (
            Scale::Auto,
            "One axis per unit",
            "Series in the same unit share an axis; each other unit gets its own panel below.",
        ),
        (
            Scale::Each,
            "One panel per series",
            "Compare shapes: every series on its own panel, each with its own numbered axis.",
        ),
    ] {
        let chosen = match p.scale {
            Scale::Each => Scale::Each,
            Scale::Auto | Scale::Shared => Scale::Auto,
        };
        if ui
            .radio(chosen == scale, label)
            .on_hover_text(tip)
            .clicked()
        {
            out.push(Command::View(ViewCommand::SetScale { plot: k, scale }));
        }
    }
}

/// The switch between the whole truth and what the organization sees, and
/// in the organization's view a line saying what that means here.
/// `shown` plots of the dashboard's are drawn (fewer in presentation mode,
/// which says so on the same line).
fn org_view_switch(ui: &mut egui::Ui, s: &State, shown: usize, out: &mut Vec<Command>) {
    let dark = s.prefs.theme.is_dark();
    ui.horizontal_wrapped(|ui| {
        if shown < s.plots.len() {
            ui.label(
                RichText::new(format!("Presentation: {shown} of {} plots", s.plots.len()))
                    .small()
                    .color(theme::muted(dark)),
            )
            .on_hover_text(
                "The plots that hold this lesson step's measures; all of them \
                 outside presentation mode.",
            );
            ui.add_space(8.0);
        }
        let mut on = s.org_view;
        if ui
            .checkbox(&mut on, "What the organization sees")
            .on_hover_text(
                "Show only what the organization's own logs can tell it: measures it \
                 cannot compute (true error rate, harm, trust…) are left out or replaced \
                 by its estimate, and its objectives (revenue, profit, incidents…) appear \
                 only as each period's report, published after a lag.",
            )
            .changed()
        {
            out.push(Command::View(ViewCommand::SetOrgView(on)));
        }
        if s.org_view {
            let r = s.scenario.observe.reporting;
            ui.add(egui::Label::new(
                RichText::new(format!(
                    "Hidden measures left out or estimated; objectives as {} reports, read {} days after each {} ends.",
                    match r.period {
                        observe::Period::Week => "weekly",
                        observe::Period::Month => "monthly",
                        observe::Period::Quarter => "quarterly",
                    },
                    r.lag_days,
                    r.period.name(),
                ))
                .small()
                .color(theme::muted(dark)),
            ).wrap());
        }
        // The event markers' legend on the same row: one row less above
        // the plots.
        ui.add_space(12.0);
        plot::marker_legend(ui, s);
    });
    if s.org_view {
        monitors_ui(ui, s, out);
    }
}

/// A monitor being written in the dashboard (kept in egui's memory between
/// frames; the run's state holds only monitors that were added).
#[derive(Clone, Debug)]
struct Draft {
    metric: usize,
    above: bool,
    threshold: f64,
    window_days: u32,
    error: Option<String>,
}

/// The scenario's monitors, each with a remove button, and a form to add
/// one on any measure the organization can see.
fn monitors_ui(ui: &mut egui::Ui, s: &State, out: &mut Vec<Command>) {
    let dark = s.prefs.theme.is_dark();
    let metrics = s.sim.kind().metrics();
    let monitors = &s.scenario.observe.monitors;
    egui::CollapsingHeader::new(format!("Monitors ({})", monitors.len()))
        .id_salt("ixsim-monitors")
        .show(ui, |ui| {
            for (n, m) in monitors.iter().enumerate() {
                ui.horizontal_wrapped(|ui| {
                    let fired = observe::alarm_days(s.sim.history(), m);
                    let when = match fired.first() {
                        Some(d) => format!(" · first fired on day {d}"),
                        None => " · quiet so far".to_string(),
                    };
                    ui.label(
                        RichText::new(format!("{}{when}", m.describe(metrics)))
                            .small()
                            .color(theme::ink(dark)),
                    );
                    if ui
                        .small_button("Remove")
                        .on_hover_text("Remove this monitor")
                        .clicked()
                    {
                        out.push(Command::View(ViewCommand::RemoveMonitor(n)));
                    }
                });
            }
            let observable: Vec<usize> = (0..metrics.len())
                .filter(|&m| metrics[m].observable)
                .collect();
            let Some(&first) = observable.first() else {
                return;
            };
            let id = egui::Id::unique("ixsim-monitor-draft");
            let mut d: Draft = ui.data(|data| data.get_temp(id)).unwrap_or(Draft {
                metric: first,
                above: true,
                threshold: 0.0,
                window_days: 7,
                error: None,
            });
            if !observable.contains(&d.metric) {
                d.metric = first;
            }
            ui.horizontal_wrapped(|ui| {
                let label = ui.label(RichText::new("Alarm when").small());
                egui::ComboBox::from_id_salt("ixsim-monitor-metric")
                    .width(170.0)
                    .selected_text(metrics[d.metric].label)
                    .show_ui(ui, |ui| {
                        for &m in &observable {
                            ui.selectable_value(&mut d.metric, m, metrics[m].label);
                        }
                    })
                    .response
                    .labelled_by(label.id);
                let label = ui.label(RichText::new("is").small());
                egui::ComboBox::from_id_salt("ixsim-monitor-direction")
                    .width(70.0)
                    .selected_text(if d.above { "above" } else { "below" })
                    .show_ui(ui, |ui| {
                        ui.selectable_value(&mut d.above, true, "above");
                        ui.selectable_value(&mut d.above, false, "below");
                    })
                    .response
                    .labelled_by(label.id);
                ui.add(egui::DragValue::new(&mut d.threshold).speed(0.01))
                    .on_hover_text("Threshold, in the measure's own unit");
                ui.label(RichText::new("over").small());
                ui.add(
                    egui::DragValue::new(&mut d.window_days)
                        .range(1..=observe::Monitor::MAX_WINDOW_DAYS)
                        .suffix(" days"),
                )
                .on_hover_text("The trailing mean the monitor compares");
                if ui.button("Add monitor").clicked() {
                    let direction = if d.above {
                        observe::Direction::Above
                    } else {
                        observe::Direction::Below
                    };
                    match observe::Monitor::new(
                        metrics,
                        metrics[d.metric].id,
                        d.threshold,
                        direction,
                        i64::from(d.window_days),
                    ) {
                        Ok(m) => {
                            d.error = None;
                            out.push(Command::View(ViewCommand::AddMonitor(m)));
                        }
                        Err(e) => d.error = Some(e.to_string()),
                    }
                }
            });
            if let Some(e) = &d.error {
                ui.label(RichText::new(e).small().color(theme::warn(dark)));
            }
            ui.data_mut(|data| data.insert_temp(id, d));
        });
}
