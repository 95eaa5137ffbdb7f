//! The design panel: one control per parameter, generated from the registry.
//!
//! Booleans become checkboxes, choices combo boxes, numbers sliders over the
//! spec's range (logarithmic when the range spans several decades). Every
//! control carries its unit, a tooltip with the parameter's doc and source,
//! and a button back to the scenario's value. A lesson may list the controls
//! it is about (shown first, the rest behind "show all parameters") and lock
//! some. A slider sends its value when released, so a drag mid-run leaves one
//! marker on the plots, not dozens.

use eframe::egui::{self, RichText};

use super::{Command, State, theme};
use crate::sim::{Group, ParamKind, ParamSpec};

/// The design panel.
pub fn ui(ui: &mut egui::Ui, s: &State, out: &mut Vec<Command>) {
    let dark = s.prefs.theme.is_dark();
    let specs = s.sim.params().specs();
    ui.horizontal(|ui| {
        ui.heading("Design");
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            let any_changed =
                (0..specs.len()).any(|i| s.param(i) != s.scenario_param(i) && !s.is_locked(i));
            if ui
                .add_enabled(any_changed, egui::Button::new("Reset all"))
                .on_hover_text(
                    "Set every parameter back to the scenario's value (from the next day).",
                )
                .clicked()
            {
                out.push(Command::ResetAllParams);
            }
        });
    });
    ui.label(
        RichText::new(
            "Changes take effect from the next day and are marked on the plots. Hover a control for what it means.",
        )
        .small()
        .color(theme::muted(dark)),
    );
    ui.add_space(4.0);
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            let lesson = &s.scenario.controls;
            if !lesson.is_empty() {
                section_title(ui, "This lesson's controls", dark);
                for &index in lesson {
                    if index < specs.len() {
                        control(ui, s, index, out);
                    }
                }
                ui.add_space(6.0);
                let mut all = s.show_all_params;
                if ui
                    .checkbox(&mut all, "Show all parameters")
                    .on_hover_text(
                        "Every parameter of the world, grouped. The lesson's own are above.",
                    )
                    .changed()
                {
                    out.push(Command::SetShowAllParams(all));
                }
                if !s.show_all_params {
                    return;
                }
                ui.add_space(4.0);
            }
            for group in Group::ALL {
                let indices: Vec<usize> = specs
                    .iter()
                    .enumerate()
                    .filter(|(i, p)| p.group == group && !lesson.contains(i))
                    .map(|(i, _)| i)
                    .collect();
                if indices.is_empty() {
                    continue;
                }
                let changed = indices
                    .iter()
                    .filter(|&&i| s.param(i) != s.scenario_param(i))
                    .count();
                let title = if changed > 0 {
                    format!("{}  ·  {changed} changed", group.label())
                } else {
                    group.label().to_string()
                };
                egui::CollapsingHeader::new(RichText::new(title).strong())
                    .id_salt(("ixsim-group", group.label()))
                    .default_open(
                        lesson.is_empty() && matches!(group, Group::Experience | Group::Model),
                    )
                    .show(ui, |ui| {
                        for index in indices {
                            control(ui, s, index, out);
                        }
                    });
            }
        });
}

fn section_title(ui: &mut egui::Ui, text: &str, dark: bool) {
    ui.label(
        RichText::new(text.to_uppercase())
            .small()
            .strong()
            .color(theme::muted(dark)),
    );
    ui.add_space(2.0);
}

/// The tooltip of a parameter: doc, source, range, scenario value.
fn tooltip(spec: &ParamSpec, scenario_value: f64) -> String {
    let unit = if spec.unit.symbol().is_empty() {
        String::new()
    } else {
        format!(" {}", spec.unit)
    };
    format!(
        "{}\n\nSource: {}\n\nRange: {}{unit}   ·   scenario value: {}{unit}\nid: {}",
        spec.doc,
        spec.source,
        spec.range_text(),
        spec.format(scenario_value),
        spec.id
    )
}

/// One parameter's control.
fn control(ui: &mut egui::Ui, s: &State, index: usize, out: &mut Vec<Command>) {
    let dark = s.prefs.theme.is_dark();
    let spec = &s.sim.params().specs()[index];
    let value = s.param(index);
    let original = s.scenario_param(index);
    let locked = s.is_locked(index);
    let changed = value != original;
    // The case's own name for the parameter, if the scenario gives one.
    let own = s.scenario.label(index);
    let mut tip = tooltip(spec, original);
    if own != spec.label {
        tip = format!("{own} — in this case.\nParameter: {}\n\n{tip}", spec.label);
    }
    if locked {
        tip = format!("Locked by this lesson.\n\n{tip}");
    }
    ui.push_id(spec.id, |ui| {
        ui.add_enabled_ui(!locked, |ui| {
            let name = if locked {
                format!("{own} (locked)")
            } else {
                own.to_string()
            };
            let mut text = RichText::new(name);
            if changed {
                text = text.color(theme::accent(dark)).strong();
            }
            match spec.kind {
                ParamKind::Bool => {
                    ui.horizontal(|ui| {
                        let mut on = value != 0.0;
                        let r = ui
                            .checkbox(&mut on, text)
                            .on_hover_text(tip.as_str())
                            .on_disabled_hover_text(tip.as_str());
                        if r.changed() {
                            out.push(Command::SetParam {
                                index,
                                value: f64::from(u8::from(on)),
                            });
                        }
                        reset_button(ui, spec, index, changed, original, out);
                    });
                }
                ParamKind::Choice(options) => {
                    let label = ui
                        .horizontal(|ui| {
                            let l = ui
                                .label(text)
                                .on_hover_text(tip.as_str())
                                .on_disabled_hover_text(tip.as_str());
                            reset_button(ui, spec, index, changed, original, out);
                            l
                        })
                        .inner;
                    let current = options.get(value as usize).copied().unwrap_or("?");
                    let combo = egui::ComboBox::from_id_salt(("ixsim-choice", spec.id))
                        .selected_text(current)
                        .width(ui.available_width() - 8.0)
                        .show_ui(ui, |ui| {
                            for (i, option) in options.iter().enumerate() {
                                if ui.selectable_label(i == value as usize, *option).clicked()
                                    && i != value as usize
                                {
                                    out.push(Command::SetParam {
                                        index,
                                        value: i as f64,
                                    });
                                }
                            }
                        });
                    combo
                        .response
                        .labelled_by(label.id)
                        .on_hover_text(tip.as_str())
                        .on_disabled_hover_text(tip.as_str());
                }
                ParamKind::Real | ParamKind::Int => {
                    let label = ui
                        .horizontal(|ui| {
                            let l = ui
                                .add(egui::Label::new(text).truncate())
                                .on_hover_text(tip.as_str())
                                .on_disabled_hover_text(tip.as_str());
                            reset_button(ui, spec, index, changed, original, out);
                            l
                        })
                        .inner;
                    slider(ui, spec, index, value, label.id, &tip, out);
                }
            }
        });
    });
    ui.add_space(4.0);
}

fn reset_button(
    ui: &mut egui::Ui,
    spec: &ParamSpec,
    index: usize,
    changed: bool,
    original: f64,
    out: &mut Vec<Command>,
) {
    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
        if changed
            && ui
                .small_button("↺")
                .on_hover_text(format!(
                    "Back to the scenario's value: {}",
                    spec.format(original)
                ))
                .clicked()
        {
            out.push(Command::ResetParam(index));
        }
    });
}

/// Whether a slider over this range should be logarithmic, and its smallest
/// positive value when the range starts at zero.
pub fn log_scale(spec: &ParamSpec) -> Option<f64> {
    if spec.min < 0.0 || spec.max <= 0.0 {
        return None;
    }
    if spec.min > 0.0 {
        return (spec.max / spec.min >= 1000.0).then_some(spec.min);
    }
    let wide = spec.max >= 1000.0 || (spec.default > 0.0 && spec.max / spec.default >= 100.0);
    if !wide {
        return None;
    }
    let guess = if spec.default > 0.0 {
        (spec.default / 100.0).min(spec.max * 1e-4)
    } else {
        spec.max * 1e-6
    };
    // A power of ten, so the slider's left end reads as a round number.
    let nice = 10f64.powf(guess.log10().floor());
    Some(if matches!(spec.kind, ParamKind::Int) {
        nice.max(1.0)
    } else {
        nice
    })
}

fn slider(
    ui: &mut egui::Ui,
    spec: &ParamSpec,
    index: usize,
    value: f64,
    label: egui::Id,
    tip: &str,
    out: &mut Vec<Command>,
) {
    let temp = ui.scope_id().with("drag");
    let mut v: f64 = ui.data(|d| d.get_temp(temp)).unwrap_or(value);
    // The unit follows the number; the slider takes the rest of the row.
    // Money reads "$40" and "$0.5/min"; other units follow the number.
    let (prefix, unit) = match spec.unit.symbol().strip_prefix('$') {
        Some(rest) => ("$", rest.to_string()),
        None if spec.unit.symbol().is_empty() => ("", String::new()),
        None => ("", format!(" {}", spec.unit)),
    };
    let font = egui::TextStyle::Button.resolve(ui.style());
    let widest = [
        spec.format(spec.max),
        spec.format(value),
        "0.000".to_string(),
    ]
    .into_iter()
    .map(|t| {
        ui.painter()
            .layout_no_wrap(
                format!("{prefix}{t}{unit}"),
                font.clone(),
                egui::Color32::WHITE,
            )
            .size()
            .x
    })
    .fold(0.0f32, f32::max);
    let value_w = widest + 2.0 * ui.spacing().button_padding.x + ui.spacing().item_spacing.x + 4.0;
    ui.spacing_mut().slider_width = (ui.available_width() - value_w).max(80.0);
    let mut slider = egui::Slider::new(&mut v, spec.min..=spec.max)
        .clamping(egui::SliderClamping::Always)
        .update_while_editing(false)
        .prefix(prefix)
        .suffix(unit);
    if matches!(spec.kind, ParamKind::Int) {
        slider = slider.integer();
    }
    if let Some(smallest) = log_scale(spec) {
        slider = slider.logarithmic(true).smallest_positive(smallest);
    }
    let r = ui
        .add(slider)
        .labelled_by(label)
        .on_hover_text(tip)
        .on_disabled_hover_text(tip);
    if r.dragged() {
        ui.data_mut(|d| d.insert_temp(temp, v));
    } else {
        ui.data_mut(|d| d.remove::<f64>(temp));
        let v = if matches!(spec.kind, ParamKind::Int) {
            v.round()
        } else {
            v
        };
        if v != value && (r.changed() || r.drag_stopped()) {
            out.push(Command::SetParam { index, value: v });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::WorldKind;

    fn spec(id: &str) -> &'static ParamSpec {
        WorldKind::Users
            .params()
            .iter()
            .find(|p| p.id == id)
            .expect("parameter exists")
    }

    #[test]
    fn wide_ranges_get_log_sliders() {
        assert!(log_scale(spec("world.users")).is_some());
        assert!(log_scale(spec("model.labels_to_halve_gap")).is_some());
        assert!(log_scale(spec("value.missed_harm")).is_some());
        assert_eq!(log_scale(spec("experience.forcefulness")), None);
        assert_eq!(log_scale(spec("model.threshold")), None);
    }
}
