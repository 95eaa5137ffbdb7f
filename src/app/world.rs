//! The world tab: views for the feedback-loop worlds (policing, lending,
//! recommender).
//!
//! A world with its own picture in [`crate::worldview`] (districts and
//! patrols, credit-score clusters, engagement against satisfaction) shows
//! it, with a scrub bar over the run's days; any other world gets the
//! generic view: each measure layer plotted in full, with the linked axes,
//! event markers and hover read-outs of the dashboard.
//! [`super::Tab::for_world`] decides which tabs a world offers.

use eframe::egui::{self, RichText};

use super::plot::{self, TimePlot};
use super::{Command, Scale, State, theme};
use crate::sim::Layer;

/// The world tab: the world's own picture ([`crate::worldview`]) where it
/// has one, the generic plots otherwise.
pub fn ui(ui: &mut egui::Ui, s: &State, out: &mut Vec<Command>) {
    if crate::worldview::has_view(s.sim.kind()) {
        let mut day = s.scrub_day;
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| crate::worldview::world_ui(ui, &s.sim, &mut day));
        if day != s.scrub_day {
            out.push(Command::SetScrubDay(day));
        }
    } else {
        generic(ui, s, out);
    }
}

/// Every metric of the world, one plot per layer that has any.
pub fn generic(ui: &mut egui::Ui, s: &State, out: &mut Vec<Command>) {
    let dark = s.prefs.theme.is_dark();
    let metrics = s.sim.kind().metrics();
    let layers: Vec<(Layer, Vec<usize>)> = Layer::ALL
        .iter()
        .map(|&layer| {
            let ms: Vec<usize> = (0..metrics.len())
                .filter(|&m| metrics[m].layer == layer)
                .collect();
            (layer, ms)
        })
        .filter(|(_, ms)| !ms.is_empty())
        .collect();
    if layers.is_empty() {
        ui.add_space(30.0);
        ui.label(
            RichText::new(format!(
                "The {} world reports no measures.",
                s.sim.kind().id()
            ))
            .size(16.0)
            .color(theme::muted(dark)),
        );
        return;
    }
    ui.label(
        RichText::new(format!(
            "Every measure of the {} world, by layer. Hover a line for its value; click a legend entry to hide it.",
            s.sim.kind().id()
        ))
        .color(theme::muted(dark)),
    );
    ui.add_space(4.0);
    let n = layers.len() as f32;
    let height = ((ui.available_height() - 84.0 * n) / n).max(140.0);
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for (layer, ms) in &layers {
                theme::card(dark).show(ui, |ui| {
                    ui.set_width(ui.available_width());
                    theme::layer_heading(ui, *layer, layer.label(), dark);
                    let id = format!("ixsim-world-{}", layer.label());
                    let tp = TimePlot {
                        id: &id,
                        layer: *layer,
                        metrics: ms,
                        scale: Scale::Auto,
                        height,
                        hidden: &s.hidden,
                        smooth: 1,
                    };
                    plot::legend_row(ui, s, &tp, out);
                    plot::time_plot(ui, s, &tp);
                });
                ui.add_space(8.0);
            }
        });
}
