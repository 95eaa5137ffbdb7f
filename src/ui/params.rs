//! The one parameter widget, generated from a [`ParamSpec`]: booleans
//! become checkboxes, choices combo boxes, numbers sliders over the spec's
//! range (logarithmic when the range spans several decades) showing their
//! unit ("$40", "0.5 /min"). Every control carries a tooltip with the
//! parameter's doc, source and range, and, given a reference value, a
//! highlight and a button back to it when changed.
//!
//! Owns no state: [`ParamControl::show`] draws from a value and returns
//! what the person did, so views draw from `&self` and apply changes after.
//! A slider reports its value when released, so a drag mid-run is one
//! change, not dozens.
//!
//! A list parameter (one value per district) is a collapsible section with
//! one slider per item, showing the items its shorthand makes until a list
//! is given; lists are set before a run starts, so mid-run the section is
//! shown disabled.

use eframe::egui::{self, RichText};

use super::theme;
use crate::sim::registry::param_index;
use crate::sim::{ParamKind, ParamSpec, Provenance, Unit, WorldKind, recommender, users};

/// What the person did with a parameter's control.
#[derive(Clone, Debug, PartialEq)]
pub enum ParamEdit {
    /// Set this value (storage form, within the spec's range).
    Set(f64),
    /// Give a list parameter these items (empty: back to its shorthand).
    SetList(Vec<f64>),
    /// Go back to the reference value.
    Reset,
}

/// The items a list control shows, and whether the run still takes them.
#[derive(Clone, Copy, Debug)]
pub struct ListItems<'a> {
    /// Every item in effect: the list given, or what its shorthand makes.
    pub items: &'a [f64],
    /// True when a list is given (false: the items come from the shorthand).
    pub given: bool,
    /// True before the run starts, when lists can change.
    pub editable: bool,
}

/// One parameter's control, described before it is drawn.
#[derive(Clone, Debug)]
pub struct ParamControl<'a> {
    spec: &'a ParamSpec,
    value: f64,
    label: &'a str,
    reference: Option<f64>,
    locked: bool,
    dark: bool,
    list: Option<ListItems<'a>>,
}

impl<'a> ParamControl<'a> {
    /// The control of `spec` showing `value`, named by the spec's label.
    pub fn new(spec: &'a ParamSpec, value: f64, dark: bool) -> Self {
        Self {
            spec,
            value,
            label: spec.label,
            reference: None,
            locked: false,
            dark,
            list: None,
        }
    }

    /// The items of a list parameter; without them a list's control says
    /// where it is set and offers no sliders.
    pub fn items(mut self, list: ListItems<'a>) -> Self {
        self.list = Some(list);
        self
    }

    /// Names the control `label` (a scenario's own name for the parameter);
    /// the tooltip then gives the parameter's name too.
    pub fn label(mut self, label: &'a str) -> Self {
        self.label = label;
        self
    }

    /// The value a reset returns to: a changed control is highlighted and
    /// offers a reset button.
    pub fn reference(mut self, value: f64) -> Self {
        self.reference = Some(value);
        self
    }

    /// Shown but disabled, marked "(locked)".
    pub fn locked(mut self, locked: bool) -> Self {
        self.locked = locked;
        self
    }

    /// Draws the control; returns what the person did this frame.
    pub fn show(self, ui: &mut egui::Ui) -> Option<ParamEdit> {
        let spec = self.spec;
        let changed = self.reference.is_some_and(|r| r != self.value);
        let mut tip = tooltip(spec, self.reference);
        if self.label != spec.label {
            tip = format!(
                "{} — in this case.\nParameter: {}\n\n{tip}",
                self.label, spec.label
            );
        }
        if self.locked {
            tip = format!("Locked by this lesson.\n\n{tip}");
        }
        let mut out = None;
        ui.push_id(spec.id, |ui| {
            ui.add_enabled_ui(!self.locked, |ui| {
                let name = if self.locked {
                    format!("{} (locked)", self.label)
                } else {
                    self.label.to_string()
                };
                let mut text = RichText::new(name);
                if changed {
                    text = text.color(theme::accent(self.dark)).strong();
                }
                let value = self.value;
                match spec.kind {
                    ParamKind::Bool => {
                        ui.horizontal(|ui| {
                            let mut on = value != 0.0;
                            let r = ui
                                .checkbox(&mut on, text)
                                .on_hover_text(tip.as_str())
                                .on_disabled_hover_text(tip.as_str());
                            if r.changed() {
                                out = Some(ParamEdit::Set(f64::from(u8::from(on))));
                            }
                            reset_button(ui, spec, self.reference, changed, &mut out);
                        });
                    }
                    ParamKind::Choice(options) => {
                        let label = ui
                            .horizontal(|ui| {
                                let l = ui
                                    .label(text)
                                    .on_hover_text(tip.as_str())
                                    .on_disabled_hover_text(tip.as_str());
                                reset_button(ui, spec, self.reference, changed, &mut out);
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
                                        out = Some(ParamEdit::Set(i as f64));
                                    }
                                }
                            });
                        combo
                            .response
                            .labelled_by(label.id)
                            .on_hover_text(tip.as_str())
                            .on_disabled_hover_text(tip.as_str());
                    }
                    ParamKind::List(list) => {
                        let given = self.list.is_some_and(|l| l.given);
                        let title = if given {
                            format!("{} (list)", self.label)
                        } else {
                            format!("{} (from {})", self.label, list.shorthand_text())
                        };
                        let mut header = RichText::new(title);
                        if changed {
                            header = header.color(theme::accent(self.dark)).strong();
                        }
                        let section = egui::CollapsingHeader::new(header)
                            .id_salt(("ixsim-list", spec.id))
                            .show(ui, |ui| list_sliders(ui, spec, self.list, &tip));
                        section.header_response.on_hover_text(tip.as_str());
                        if let Some(edit) = section.body_returned.flatten() {
                            out = Some(edit);
                        }
                    }
                    ParamKind::Real | ParamKind::Int => {
                        let label = ui
                            .horizontal(|ui| {
                                let l = ui
                                    .add(egui::Label::new(text).truncate())
                                    .on_hover_text(tip.as_str())
                                    .on_disabled_hover_text(tip.as_str());
                                reset_button(ui, spec, self.reference, changed, &mut out);
                                l
                            })
                            .inner;
                        if let Some(v) = slider(ui, spec, value, label.id, &tip) {
                            out = Some(ParamEdit::Set(v));
                        }
                    }
                }
            });
        });
        ui.add_space(4.0);
        out
    }
}

/// The sliders of a list's items; returns the whole list when one item is
/// released at a new value, or an empty list for "back to the shorthand".
fn list_sliders(
    ui: &mut egui::Ui,
    spec: &ParamSpec,
    list: Option<ListItems<'_>>,
    tip: &str,
) -> Option<ParamEdit> {
    let Some(list) = list else {
        ui.label(RichText::new("Set in the main controls or the scenario file.").weak());
        return None;
    };
    let mut out = None;
    ui.add_enabled_ui(list.editable, |ui| {
        let tip = if list.editable {
            tip.to_string()
        } else {
            format!("Set before the run starts: restart the run to change it.\n\n{tip}")
        };
        for (k, &value) in list.items.iter().enumerate() {
            ui.push_id(k, |ui| {
                let label = ui.label(format!("District {}", k + 1));
                if let Some(v) = slider(ui, spec, value, label.id, &tip) {
                    let mut items = list.items.to_vec();
                    items[k] = v;
                    out = Some(ParamEdit::SetList(items));
                }
            });
        }
        if list.given
            && ui
                .small_button("Use the shorthand")
                .on_hover_text("Forget the list: the items come from the parameters it overrides.")
                .clicked()
        {
            out = Some(ParamEdit::SetList(Vec::new()));
        }
    });
    if !list.editable {
        ui.label(RichText::new("Set before the run starts.").weak().small());
    }
    out
}

/// A parameter's tooltip: doc, provenance (sourced or an assumption, and
/// why), range, the reference value if any, and its id.
pub fn tooltip(spec: &ParamSpec, reference: Option<f64>) -> String {
    let unit = if spec.unit.symbol().is_empty() {
        String::new()
    } else {
        format!(" {}", spec.unit)
    };
    let reference = reference.map_or_else(String::new, |r| {
        format!("   ·   scenario value: {}{unit}", spec.format(r))
    });
    format!(
        "{}\n\n{}\n\nRange: {}{unit}{reference}\nid: {}",
        spec.doc,
        match spec.source {
            Provenance::Sourced(t) => format!("Sourced: {t}"),
            Provenance::Assumption(t) => format!("Assumption: {t}"),
        },
        spec.range_text(),
        spec.id
    )
}

fn reset_button(
    ui: &mut egui::Ui,
    spec: &ParamSpec,
    reference: Option<f64>,
    changed: bool,
    out: &mut Option<ParamEdit>,
) {
    let Some(reference) = reference else {
        return;
    };
    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
        if changed
            && ui
                .small_button("↺")
                .on_hover_text(format!(
                    "Back to the scenario's value: {}",
                    spec.format(reference)
                ))
                .clicked()
        {
            *out = Some(ParamEdit::Reset);
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

/// A slider over the spec's range taking the rest of the row after its
/// value; returns the new value when released.
/// Narrowest useful slider track, in points.
const MIN_SLIDER_WIDTH: f32 = 80.0;

fn slider(
    ui: &mut egui::Ui,
    spec: &ParamSpec,
    value: f64,
    label: egui::Id,
    tip: &str,
) -> Option<f64> {
    let temp = ui.scope_id().with("drag");
    let mut v: f64 = ui.data(|d| d.get_temp(temp)).unwrap_or(value);
    // The unit follows the number; the slider takes the rest of the row.
    // Money reads "$40" and "$0.5/min"; other units follow the number.
    let (prefix, unit) = match spec.unit {
        Unit::Money(per) => ("$", per.suffix().to_string()),
        other if other.symbol().is_empty() => ("", String::new()),
        other => ("", format!(" {other}")),
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
    let room = ui.available_width();
    // A narrow panel puts the value box under the slider rather than past
    // the panel's edge.
    let beside = room - value_w >= MIN_SLIDER_WIDTH;
    ui.spacing_mut().slider_width = if beside {
        room - value_w
    } else {
        (room - 2.0 * ui.spacing().interact_size.y).max(MIN_SLIDER_WIDTH)
    };
    let mut slider = egui::Slider::new(&mut v, spec.min..=spec.max)
        .clamping(egui::SliderClamping::Always)
        .update_while_editing(false)
        .show_value(beside)
        .prefix(prefix)
        .suffix(unit.clone());
    if matches!(spec.kind, ParamKind::Int) {
        slider = slider.integer();
    }
    if let Some(smallest) = log_scale(spec) {
        slider = slider.logarithmic(true).smallest_positive(smallest);
    }
    let mut r = ui
        .add(slider)
        .labelled_by(label)
        .on_hover_text(tip)
        .on_disabled_hover_text(tip);
    if !beside {
        let mut value_box = egui::DragValue::new(&mut v)
            .range(spec.min..=spec.max)
            .clamp_existing_to_range(true)
            .update_while_editing(false)
            .prefix(prefix)
            .suffix(unit);
        if matches!(spec.kind, ParamKind::Int) {
            value_box = value_box.fixed_decimals(0);
        }
        let b = ui
            .add(value_box)
            .labelled_by(label)
            .on_hover_text(tip)
            .on_disabled_hover_text(tip);
        r = r.union(b);
    }
    if r.dragged() {
        ui.data_mut(|d| d.insert_temp(temp, v));
        None
    } else {
        ui.data_mut(|d| d.remove::<f64>(temp));
        let v = if matches!(spec.kind, ParamKind::Int) {
            v.round()
        } else {
            v
        };
        (v != value && (r.changed() || r.drag_stopped())).then_some(v)
    }
}

/// Index of the world's starting population (`world.users`) in its
/// parameter table, if the world has one; resolved at compile time.
pub const fn population_param(kind: WorldKind) -> Option<usize> {
    match kind {
        WorldKind::Users => Some(param_index(users::PARAMS, "world.users")),
        WorldKind::Recommender => Some(param_index(recommender::PARAMS, "world.users")),
        WorldKind::Policing | WorldKind::Lending => None,
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

    #[test]
    fn tooltips_give_the_reference_only_when_there_is_one() {
        let s = spec("model.threshold");
        assert!(tooltip(s, Some(0.5)).contains("scenario value: 0.5"));
        assert!(!tooltip(s, None).contains("scenario value"));
        assert!(tooltip(s, None).contains("id: model.threshold"));
    }
}
