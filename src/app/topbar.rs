//! The top of the window: the menu bar (File, View, Help), the run toolbar
//! (scenario picker, play/pause, step, reset, speed, day counter, seed) and
//! the tab bar above the centre views.

use eframe::egui::{self, RichText};

use super::{
    Command, FileCommand, Overlay, PanelId, RunCommand, Source, Speed, State, Tab, ThemeChoice,
    ViewCommand, files::Purpose, theme,
};

/// File, View and Help menus.
pub fn menu_bar(ui: &mut egui::Ui, s: &State, out: &mut Vec<Command>) {
    let dark = s.prefs.theme.is_dark();
    egui::MenuBar::new().ui(ui, |ui| {
        ui.label(
            RichText::new("ixsim")
                .strong()
                .color(theme::accent(dark))
                .size(15.0),
        );
        ui.add_space(6.0);
        ui.menu_button("File", |ui| {
            if ui.button("Open scenario…").clicked() {
                out.push(Command::Files(FileCommand::OpenDialog));
            }
            if ui.button("Open scenario from a path…").clicked() {
                out.push(Command::View(ViewCommand::SetOverlay(Some(
                    Overlay::PathPrompt(Purpose::Open),
                ))));
            }
            ui.separator();
            if ui
                .button("Save settings as scenario…")
                .on_hover_text(
                    "Writes the scenario with the current parameter values as a .ron file.",
                )
                .clicked()
            {
                out.push(Command::Files(FileCommand::SaveDialog));
            }
            let has_days = s.sim.day() > 0;
            if ui
                .add_enabled(has_days, egui::Button::new("Export run as CSV…"))
                .on_disabled_hover_text("Run at least one day first.")
                .on_hover_text(
                    "One row per day, one column per measure (the same CSV as `ixsim run`).",
                )
                .clicked()
            {
                out.push(Command::Files(FileCommand::ExportDialog));
            }
            ui.separator();
            if ui.button("Quit").clicked() {
                out.push(Command::View(ViewCommand::Quit));
            }
        });
        ui.menu_button("View", |ui| {
            ui.label(RichText::new("Theme").small().color(theme::muted(dark)));
            for t in [ThemeChoice::Light, ThemeChoice::Dark] {
                if ui.radio(s.prefs.theme == t, t.label()).clicked() {
                    out.push(Command::View(ViewCommand::SetTheme(t)));
                }
            }
            let mut present = s.prefs.present;
            if ui
                .checkbox(&mut present, "Presentation mode (P)")
                .on_hover_text("Large text and thick lines, readable on a projector.")
                .changed()
            {
                out.push(Command::View(ViewCommand::SetPresent(present)));
            }
            ui.separator();
            ui.label(
                RichText::new(format!(
                    "Zoom {}",
                    crate::format::percent_whole(f64::from(s.prefs.zoom))
                ))
                .small()
                .color(theme::muted(dark)),
            );
            ui.horizontal(|ui| {
                if ui.button("Zoom in").clicked() {
                    out.push(Command::View(ViewCommand::Zoom(1.1)));
                }
                if ui.button("Zoom out").clicked() {
                    out.push(Command::View(ViewCommand::Zoom(1.0 / 1.1)));
                }
                if ui.button("100 %").clicked() {
                    out.push(Command::View(ViewCommand::ZoomReset));
                }
            });
            ui.separator();
            ui.label(RichText::new("Panels").small().color(theme::muted(dark)));
            for (panel, label, on) in [
                (PanelId::Design, "Design panel", s.prefs.show_design),
                (PanelId::Story, "Story panel", s.prefs.show_story),
                (PanelId::Monitors, "Key numbers", s.prefs.show_monitors),
                (PanelId::FrameTime, "Frame time", s.prefs.show_frame_time),
            ] {
                let mut v = on;
                if ui.checkbox(&mut v, label).changed() {
                    out.push(Command::View(ViewCommand::SetPanel(panel, v)));
                }
            }
            ui.separator();
            if ui.button("Default plot series").clicked() {
                out.push(Command::View(ViewCommand::DefaultSeries));
            }
        });
        ui.menu_button("Help", |ui| {
            if ui.button("Keyboard shortcuts (?)").clicked() {
                out.push(Command::View(ViewCommand::SetOverlay(Some(Overlay::Help))));
            }
            if ui.button("About ixsim").clicked() {
                out.push(Command::View(ViewCommand::SetOverlay(Some(Overlay::About))));
            }
        });
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            let where_from = match &s.source {
                Source::Embedded => "built-in scenario".to_string(),
                Source::File(p) => p.display().to_string(),
            };
            ui.label(
                RichText::new(format!("{} world · {where_from}", s.sim.kind().id()))
                    .small()
                    .color(theme::muted(dark)),
            );
        });
    });
}

/// Scenario picker and run controls, on one row when the window is wide
/// enough for it and on two otherwise (presentation zoom on a projector),
/// rather than cutting off the controls at the right.
pub fn toolbar(ui: &mut egui::Ui, s: &State, out: &mut Vec<Command>) {
    // The one-row width measured when it was last drawn on one row.
    let id = egui::Id::unique("ixsim-toolbar-one-row-width");
    let needed: Option<f32> = ui.ctx().data(|d| d.get_temp(id));
    let row = |ui: &mut egui::Ui, draw: &mut dyn FnMut(&mut egui::Ui)| {
        ui.horizontal(|ui| {
            ui.spacing_mut().item_spacing.x = 8.0;
            draw(ui);
        })
        .response
        .rect
        .width()
    };
    if needed.is_none_or(|w| w <= ui.available_width()) {
        let width = row(ui, &mut |ui| {
            run_controls(ui, s, out);
            ui.separator();
            view_controls(ui, s, out);
        });
        ui.ctx().data_mut(|d| d.insert_temp(id, width));
    } else {
        row(ui, &mut |ui| run_controls(ui, s, out));
        row(ui, &mut |ui| view_controls(ui, s, out));
    }
}

/// Gallery, scenario picker, play, step, reset, rerun.
fn run_controls(ui: &mut egui::Ui, s: &State, out: &mut Vec<Command>) {
    let dark = s.prefs.theme.is_dark();
    if ui
        .button("Gallery")
        .on_hover_text("Every case in the library, with tags and a preview")
        .clicked()
    {
        out.push(Command::View(ViewCommand::SetOverlay(Some(
            Overlay::Gallery,
        ))));
    }
    ui.horizontal(|ui| {
        let label = ui.label(RichText::new("Scenario").color(theme::muted(dark)));
        let title = match &s.source {
            Source::Embedded => s.scenario.title.clone(),
            Source::File(_) => format!("{} (file)", s.scenario.title),
        };
        let combo = egui::ComboBox::from_id_salt("ixsim-scenario")
            .selected_text(RichText::new(title).strong())
            .width(250.0)
            .show_ui(ui, |ui| {
                ui.set_min_width(300.0);
                for sc in &s.library {
                    let selected = s.source == Source::Embedded && sc.id == s.scenario.id;
                    if ui
                        .selectable_label(selected, sc.title.as_str())
                        .on_hover_text(sc.summary.as_str())
                        .clicked()
                        && !selected
                    {
                        out.push(Command::Files(FileCommand::LoadScenario(sc.id.clone())));
                    }
                }
                ui.separator();
                if ui.button("Open a scenario file…").clicked() {
                    out.push(Command::Files(FileCommand::OpenDialog));
                }
            });
        combo
            .response
            .labelled_by(label.id)
            .on_hover_text(format!("{}\n\n{}", s.scenario.title, s.scenario.summary));
    });

    ui.separator();
    let playing = s.playing;
    let (icon, play_text, fill) = if playing {
        (
            theme::Icon::Pause,
            "Pause",
            theme::warn(dark).gamma_multiply(0.35),
        )
    } else {
        (
            theme::Icon::Play,
            "Play",
            theme::accent(dark).gamma_multiply(0.45),
        )
    };
    if theme::icon_button(ui, icon, play_text, Some(fill), true)
        .on_hover_text("Play or pause (Space)")
        .clicked()
    {
        out.push(Command::Run(RunCommand::TogglePlay));
    }
    if theme::icon_button(ui, theme::Icon::Step, "Step", None, !s.step_running())
        .on_hover_text("Simulate one day (→)")
        .clicked()
    {
        out.push(Command::Run(RunCommand::Step));
    }
    if ui
        .button("↺ Reset")
        .on_hover_text("Back to day 0 with the scenario's values and seed (R)")
        .clicked()
    {
        out.push(Command::Run(RunCommand::Reset));
    }
    if ui
        .button("↻ Rerun")
        .on_hover_text("Back to day 0 keeping the current design: compare with the last run")
        .clicked()
    {
        out.push(Command::Run(RunCommand::Restart));
    }
}

/// Speed, day, seed and bands.
fn view_controls(ui: &mut egui::Ui, s: &State, out: &mut Vec<Command>) {
    let dark = s.prefs.theme.is_dark();
    ui.horizontal(|ui| {
        let speed_label = ui.label(RichText::new("Speed").color(theme::muted(dark)));
        let speed = egui::ComboBox::from_id_salt("ixsim-speed")
            .selected_text(s.speed.label())
            .width(150.0)
            .show_ui(ui, |ui| {
                for sp in Speed::ALL {
                    if ui.selectable_label(s.speed == sp, sp.label()).clicked() {
                        out.push(Command::Run(RunCommand::SetSpeed(sp)));
                    }
                }
            });
        speed.response.labelled_by(speed_label.id);
    });

    ui.separator();
    ui.horizontal(|ui| {
        let day = s.sim.day();
        ui.label(
            RichText::new(format!("day {day} / {}", s.horizon))
                .monospace()
                .strong()
                .size(15.0)
                .color(theme::ink(dark)),
        )
        .on_hover_text("Days simulated / run length. Playing pauses at the run length; press Play again to continue.");
        let fraction = if s.horizon > 0 {
            (day as f32 / s.horizon as f32).min(1.0)
        } else {
            0.0
        };
        ui.add(
            egui::ProgressBar::new(fraction)
                .desired_width(110.0)
                .desired_height(8.0)
                .fill(theme::accent(dark)),
        );
    });

    ui.separator();
    ui.horizontal(|ui| {
        let seed_label = ui.label(RichText::new("Seed").color(theme::muted(dark)));
        let mut seed = s.sim.seed();
        let r = ui
            .add(egui::DragValue::new(&mut seed).speed(1.0))
            .labelled_by(seed_label.id)
            .on_hover_text("The random seed. Changing it starts over at day 0 with the same design: a different draw of the same world.");
        if r.changed() && seed != s.sim.seed() {
            out.push(Command::Run(RunCommand::SetSeed(seed)));
        }
    });

    ui.separator();
    ui.horizontal(|ui| {
        let bands_label = ui.label(RichText::new("Bands").color(theme::muted(dark)));
        let name = |n: u32| {
            if n == 0 {
                "off".to_string()
            } else {
                format!("{n} runs")
            }
        };
        egui::ComboBox::from_id_salt("ixsim-bands")
            .selected_text(name(s.bands.replications))
            .width(72.0)
            .show_ui(ui, |ui| {
                for n in super::bands::CHOICES {
                    if ui
                        .selectable_label(s.bands.replications == n, name(n))
                        .clicked()
                        && n != s.bands.replications
                    {
                        out.push(Command::Run(RunCommand::SetBands(n)));
                    }
                }
            })
            .response
            .labelled_by(bands_label.id)
            .on_hover_text("Replay this run — its design and every change you made — on other seeds and shade the 10–90 % range of each series, with the median dashed. Computed in the background.");
        // The spinner's slot is kept while idle, so the width stays put.
        let size = ui.spacing().interact_size.y;
        if s.bands.computing {
            ui.add(egui::Spinner::new().size(size));
        } else {
            ui.add_space(size);
        }
    });
}

/// The tabs above the centre view.
pub fn tab_bar(ui: &mut egui::Ui, s: &State, out: &mut Vec<Command>) {
    let dark = s.prefs.theme.is_dark();
    let current = s.tab.fit(s.sim.kind());
    let tabs = Tab::for_world(s.sim.kind());
    // 96 points a tab, less when the centre is narrower than the row.
    let gap = ui.spacing().item_spacing.x;
    let count = tabs.len().max(1) as f32;
    // The visible width: inside the centre's sideways scroll area the
    // available width can be last frame's content width.
    let visible = ui
        .available_width()
        .min(ui.clip_rect().right() - ui.cursor().left());
    let tab_width = ((visible - gap * (count - 1.0)) / count).clamp(48.0, 96.0);
    ui.horizontal(|ui| {
        for (n, tab) in tabs.iter().enumerate() {
            let selected = *tab == current;
            // Smaller text where the tabs get narrower than 96 points, so the
            // longest label still fits its button.
            let text = RichText::new(tab.label())
                .size(if tab_width >= 96.0 {
                    15.0
                } else {
                    // "Experiment" in bold is about 5.2 points per point of size, plus the button's padding.
                    ((tab_width - 18.0) / 5.4).clamp(9.0, 15.0)
                })
                .strong();
            let text = if selected {
                text.color(theme::ink(dark))
            } else {
                text.color(theme::muted(dark))
            };
            let r = ui
                .add(egui::Button::selectable(selected, text).min_size(egui::vec2(tab_width, 28.0)))
                .on_hover_text(format!("Key {}", n + 1));
            if selected {
                let rect = r.rect;
                ui.painter().line_segment(
                    [
                        egui::pos2(rect.left() + 6.0, rect.bottom() + 1.0),
                        egui::pos2(rect.right() - 6.0, rect.bottom() + 1.0),
                    ],
                    egui::Stroke::new(2.5, theme::accent(dark)),
                );
            }
            if r.clicked() && !selected {
                out.push(Command::View(ViewCommand::SetTab(*tab)));
            }
        }
    });
}
