//! The design panel: one control per parameter ([`crate::ui::params`]),
//! each with a button back to the scenario's value. A lesson may list the
//! controls it is about (shown first, the rest behind "show all
//! parameters") and lock some. A slider sends its value when released, so a
//! drag mid-run leaves one marker on the plots, not dozens.

use eframe::egui::{self, RichText};

use super::{Command, ParamCommand, State, ViewCommand, theme};
use crate::sim::{Group, ParamKind};
use crate::ui::params::{ListItems, ParamControl, ParamEdit};

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
                out.push(Command::Params(ParamCommand::ResetAll));
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
                    out.push(Command::View(ViewCommand::SetShowAllParams(all)));
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

/// One parameter's control: the shared widget, named as the scenario names
/// it, with a reset to the scenario's value.
fn control(ui: &mut egui::Ui, s: &State, index: usize, out: &mut Vec<Command>) {
    let params = s.sim.params();
    let spec = &params.specs()[index];
    let items = params.items_at(index);
    let mut control = ParamControl::new(spec, s.param(index), s.prefs.theme.is_dark())
        .label(s.scenario.label(index))
        .reference(s.scenario_param(index))
        .locked(s.is_locked(index));
    if matches!(spec.kind, ParamKind::List(_)) {
        control = control.items(ListItems {
            items: &items,
            given: !params.list_at(index).is_empty(),
            editable: s.sim.day() == 0 && !s.sim.day_in_progress(),
        });
    }
    match control.show(ui) {
        Some(ParamEdit::Set(value)) => {
            out.push(Command::Params(ParamCommand::Set { index, value }))
        }
        Some(ParamEdit::SetList(items)) => {
            out.push(Command::Params(ParamCommand::SetList { index, items }))
        }
        Some(ParamEdit::Reset) => out.push(Command::Params(ParamCommand::Reset(index))),
        None => {}
    }
}
