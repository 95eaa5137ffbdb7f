//! Controls generated from the registry: a design's controls grouped by
//! [`Group`] (each the shared [`ParamControl`]), and choosers for parameters
//! and metrics.
//!
//! Owns no state: every function draws from a value and returns what the
//! person changed, so views can draw from `&self` and apply changes after.

use eframe::egui;

use crate::sim::{Group, Layer, MetricSpec, ParamKind, ParamSpec, ParamValues, WorldKind};
use crate::ui::params::{ParamControl, ParamEdit, tooltip};

/// A design's controls: the featured parameters first (a scenario's
/// lesson controls), then every other parameter in collapsible groups.
/// Locked parameters are shown but disabled. Returns (index, new value) of
/// each change.
pub(crate) fn design_controls(
    ui: &mut egui::Ui,
    salt: &str,
    values: &ParamValues,
    featured: &[usize],
    locked: &[usize],
) -> Vec<(usize, f64)> {
    let specs = values.specs();
    let dark = ui.visuals().dark_mode;
    let mut changes = Vec::new();
    let mut row = |ui: &mut egui::Ui, i: usize| {
        let control = ui.push_id(salt, |ui| {
            ParamControl::new(&specs[i], values.values()[i], dark)
                .locked(locked.contains(&i))
                .show(ui)
        });
        if let Some(ParamEdit::Set(v)) = control.inner {
            changes.push((i, v));
        }
    };
    let featured: Vec<usize> = featured
        .iter()
        .copied()
        .filter(|&i| i < specs.len())
        .collect();
    if !featured.is_empty() {
        for &i in &featured {
            row(ui, i);
        }
        ui.add_space(4.0);
    }
    for group in Group::ALL {
        let members: Vec<usize> = (0..specs.len())
            .filter(|&i| specs[i].group == group && !featured.contains(&i))
            .collect();
        if members.is_empty() {
            continue;
        }
        let changed_here = members
            .iter()
            .filter(|&&i| values.values()[i] != specs[i].default)
            .count();
        let title = if changed_here > 0 {
            format!("{} ({changed_here} changed)", group.label())
        } else {
            group.label().to_string()
        };
        egui::CollapsingHeader::new(title)
            .id_salt((salt, group.label()))
            .default_open(featured.is_empty() && group == Group::Experience)
            .show(ui, |ui| {
                for i in members {
                    row(ui, i);
                }
            });
    }
    changes
}

/// Text of a metric in choosers: "Label (unit)".
pub(crate) fn metric_name(m: &MetricSpec) -> String {
    if m.unit.symbol().is_empty() {
        m.label.to_string()
    } else {
        format!("{} ({})", m.label, m.unit)
    }
}

/// A combo box over a world's metrics (the four layers, then flow counts),
/// under the label `label`. Returns the newly chosen index.
pub(crate) fn metric_combo(
    ui: &mut egui::Ui,
    salt: impl egui::AsIdSalt,
    label: &str,
    kind: WorldKind,
    selected: usize,
) -> Option<usize> {
    let metrics = kind.metrics();
    let mut out = None;
    let text = metrics
        .get(selected)
        .map_or_else(|| "—".into(), metric_name);
    let label = ui.label(label);
    egui::ComboBox::from_id_salt(salt)
        .selected_text(text)
        .width((ui.available_width() - 8.0).clamp(120.0, 300.0))
        .show_ui(ui, |ui| {
            let layers = Layer::MEASURES
                .iter()
                .chain(std::iter::once(&crate::sim::Layer::Flow));
            for layer in layers {
                ui.label(egui::RichText::new(layer.label()).weak().small());
                for (i, m) in metrics
                    .iter()
                    .enumerate()
                    .filter(|(_, m)| m.layer == *layer)
                {
                    if ui
                        .selectable_label(i == selected, metric_name(m))
                        .on_hover_text(m.doc)
                        .clicked()
                        && i != selected
                    {
                        out = Some(i);
                    }
                }
            }
        })
        .response
        .labelled_by(label.id);
    out
}

/// A combo box over a parameter table, grouped. Returns the newly chosen index.
pub(crate) fn param_combo(
    ui: &mut egui::Ui,
    salt: impl egui::AsIdSalt,
    label: &str,
    specs: &'static [ParamSpec],
    selected: usize,
) -> Option<usize> {
    let mut out = None;
    let text = specs.get(selected).map_or("—", |s| s.label);
    egui::ComboBox::new(salt, label)
        .selected_text(text)
        .width(170.0)
        .show_ui(ui, |ui| {
            for group in Group::ALL {
                let mut members = specs
                    .iter()
                    .enumerate()
                    // A per-district list is no axis: its shorthand's
                    // parameters are.
                    .filter(|(_, s)| s.group == group && !matches!(s.kind, ParamKind::List(_)))
                    .peekable();
                if members.peek().is_none() {
                    continue;
                }
                ui.label(egui::RichText::new(group.label()).weak().small());
                for (i, s) in members {
                    if ui
                        .selectable_label(i == selected, s.label)
                        .on_hover_text(tooltip(s, None))
                        .clicked()
                        && i != selected
                    {
                        out = Some(i);
                    }
                }
            }
        });
    out
}
