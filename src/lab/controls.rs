//! Controls generated from the registry: a parameter's control by its kind,
//! a design's controls grouped by [`Group`], and choosers for parameters and
//! metrics.
//!
//! Owns no state: every function draws from a value and returns what the
//! person changed, so views can draw from `&self` and apply changes after.

use eframe::egui;

use crate::app::controls::log_scale;
use crate::sim::{Group, Layer, MetricSpec, ParamKind, ParamSpec, ParamValues, WorldKind};

/// Hover text for a parameter: what it does, its range and its source.
fn param_tip(spec: &ParamSpec) -> String {
    format!(
        "{}\n\n`{}`: {}\nSource: {}",
        spec.doc,
        spec.id,
        spec.range_text(),
        spec.source
    )
}

/// One parameter's control: checkbox (Bool), combo box (Choice) or slider
/// with the declared range (Real, Int). Returns the new value if changed.
pub(crate) fn param_control(
    ui: &mut egui::Ui,
    salt: impl egui::AsIdSalt,
    spec: &ParamSpec,
    value: f64,
    enabled: bool,
) -> Option<f64> {
    let mut out = None;
    ui.add_enabled_ui(enabled, |ui| match spec.kind {
        ParamKind::Bool => {
            let mut on = value != 0.0;
            if ui
                .checkbox(&mut on, spec.label)
                .on_hover_text(param_tip(spec))
                .changed()
            {
                out = Some(if on { 1.0 } else { 0.0 });
            }
        }
        ParamKind::Choice(options) => {
            let current = value as usize;
            egui::ComboBox::new((salt, spec.id), spec.label)
                .selected_text(spec.format(value))
                .show_ui(ui, |ui| {
                    for (i, option) in options.iter().enumerate() {
                        if ui.selectable_label(i == current, *option).clicked() && i != current {
                            out = Some(i as f64);
                        }
                    }
                })
                .response
                .on_hover_text(param_tip(spec));
        }
        ParamKind::Real | ParamKind::Int => {
            let mut v = value;
            let mut slider = egui::Slider::new(&mut v, spec.min..=spec.max).text(spec.label);
            // Logarithmic where the app's panel is, so the two agree.
            if let Some(smallest) = log_scale(spec) {
                slider = slider.logarithmic(true).smallest_positive(smallest);
            }
            if matches!(spec.kind, ParamKind::Int) {
                slider = slider.integer();
            }
            if !spec.unit.symbol().is_empty() {
                slider = slider.suffix(format!(" {}", spec.unit));
            }
            let changed = ui.add(slider).on_hover_text(param_tip(spec)).changed();
            if changed && v != value {
                let v = if matches!(spec.kind, ParamKind::Int) {
                    v.round()
                } else {
                    v
                };
                out = spec.check(v.clamp(spec.min, spec.max)).ok();
            }
        }
    });
    out
}

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
    enabled: bool,
) -> Vec<(usize, f64)> {
    let specs = values.specs();
    let mut changes = Vec::new();
    let mut row = |ui: &mut egui::Ui, i: usize| {
        let on = enabled && !locked.contains(&i);
        if let Some(v) = param_control(ui, (salt, i), &specs[i], values.values()[i], on) {
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
                    .filter(|(_, s)| s.group == group)
                    .peekable();
                if members.peek().is_none() {
                    continue;
                }
                ui.label(egui::RichText::new(group.label()).weak().small());
                for (i, s) in members {
                    if ui
                        .selectable_label(i == selected, s.label)
                        .on_hover_text(param_tip(s))
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
