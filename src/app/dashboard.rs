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

/// The dashboard.
pub fn ui(ui: &mut egui::Ui, s: &State, out: &mut Vec<Command>) {
    let dark = s.prefs.theme.is_dark();
    // What the cards add around their plots, in all, measured on the last frame.
    let chrome_id = egui::Id::unique("ixsim-dashboard-chrome");
    let n = s.plots.len().max(1) as f32;
    let chrome: f32 = ui.data(|d| d.get_temp(chrome_id)).unwrap_or(100.0 * n);
    org_view_switch(ui, s, out);
    plot::marker_legend(ui, s);
    let height = ((ui.available_height() - chrome) / n).max(90.0);
    let mut measured = 0.0f32;
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for (k, p) in s.plots.iter().enumerate() {
                let card = theme::card(dark).show(ui, |ui| {
                    ui.set_width(ui.available_width());
                    let id = format!("ixsim-dashboard-{k}");
                    let tp = TimePlot {
                        id: &id,
                        layer: p.layer,
                        metrics: &p.metrics,
                        scale: p.scale,
                        height,
                        hidden: &s.hidden,
                        smooth: p.smooth,
                    };
                    let has_plot = !p.metrics.is_empty();
                    let columns = plot::shown_columns(s, &tp);
                    plot_header(ui, s, k, p, has_plot.then_some(&tp), out);
                    if s.sim.kind().metrics().iter().all(|m| m.layer != p.layer) {
                        ui.label(
                            RichText::new("This world reports no measures in this layer.")
                                .color(theme::muted(dark)),
                        );
                    } else if p.metrics.is_empty() {
                        ui.label(
                            RichText::new("No series: add some from the Series menu.")
                                .color(theme::muted(dark)),
                        );
                    } else if columns.is_empty() && s.org_view {
                        ui.label(
                            RichText::new("The organization's logs measure none of these series.")
                                .color(theme::muted(dark)),
                        );
                    } else {
                        plot::time_plot(ui, s, &tp, &columns);
                    }
                });
                ui.add_space(4.0);
                measured +=
                    card.response.rect.height() + 4.0 + ui.spacing().item_spacing.y - height;
            }
        });
    if measured > 0.0 && (measured - chrome).abs() > 0.5 {
        ui.data_mut(|d| d.insert_temp(chrome_id, measured));
        ui.ctx().request_repaint();
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
    ui.horizontal(|ui| {
        let heading = theme::layer_heading(ui, p.layer, p.layer.label(), dark);
        if let Some(goals) = s.scenario.goals.get(&p.layer) {
            heading.on_hover_text(format!(
                "This scenario's {}, in its own words:\n• {}",
                p.layer.label().to_lowercase(),
                goals.join("\n• ")
            ));
        }
        ui.add_space(8.0);
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            ui.menu_button("Series ▾", |ui| series_menu(ui, s, k, p, out))
                .response
                .on_hover_text("Add or remove series, or change how they are scaled.");
            if let Some(tp) = legend {
                ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                    plot::legend_row(ui, s, tp, out);
                });
            }
        });
    });
}

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
fn org_view_switch(ui: &mut egui::Ui, s: &State, out: &mut Vec<Command>) {
    let dark = s.prefs.theme.is_dark();
    ui.horizontal_wrapped(|ui| {
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
    });
}
