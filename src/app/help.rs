//! Keyboard shortcuts, the help and about overlays, the message banner and
//! the frame-time read-out.
//!
//! Owns the one table of shortcuts ([`SHORTCUTS`]): the key handling and the
//! help overlay both read it, so the help never drifts from the keys.

use eframe::egui::{self, Key, Modifiers, RichText};

use super::{
    Command, Notice, NoticeKind, Overlay, RunCommand, State, Tab, ViewCommand, files, theme,
};

/// What each shortcut does, as shown in the help overlay.
pub const SHORTCUTS: &[(&str, &str)] = &[
    ("Space", "Play / pause"),
    ("→", "Step one day"),
    ("R", "Reset to the scenario (day 0)"),
    ("1 … 6", "Switch tab"),
    ("Ctrl +  /  Ctrl −", "Zoom in / out"),
    ("Ctrl 0", "Zoom 100 %"),
    ("P", "Presentation mode on / off"),
    ("F  or  F11", "Fullscreen"),
    ("?", "This help"),
    ("Esc", "Close an overlay"),
];

/// Turns key presses into commands (unless a text field has the keyboard).
pub fn shortcuts(ctx: &egui::Context, s: &State, out: &mut Vec<Command>) {
    if matches!(s.overlay, Some(Overlay::PathPrompt(_))) {
        return;
    }
    if ctx.input(|i| i.key_pressed(Key::Escape)) && s.overlay.is_some() {
        out.push(Command::View(ViewCommand::SetOverlay(None)));
    }
    if ctx.egui_wants_keyboard_input() {
        return;
    }
    let tabs = Tab::for_world(s.sim.kind());
    ctx.input_mut(|i| {
        if i.consume_key(Modifiers::COMMAND, Key::Plus)
            || i.consume_key(Modifiers::COMMAND, Key::Equals)
        {
            out.push(Command::View(ViewCommand::Zoom(1.1)));
        }
        if i.consume_key(Modifiers::COMMAND, Key::Minus) {
            out.push(Command::View(ViewCommand::Zoom(1.0 / 1.1)));
        }
        if i.consume_key(Modifiers::COMMAND, Key::Num0) {
            out.push(Command::View(ViewCommand::ZoomReset));
        }
        if i.modifiers.command || i.modifiers.alt {
            return;
        }
        if i.consume_key(Modifiers::NONE, Key::Space) {
            out.push(Command::Run(RunCommand::TogglePlay));
        }
        if i.consume_key(Modifiers::NONE, Key::ArrowRight) {
            out.push(Command::Run(RunCommand::Step));
        }
        if i.consume_key(Modifiers::NONE, Key::R) {
            out.push(Command::Run(RunCommand::Reset));
        }
        if i.consume_key(Modifiers::NONE, Key::P) {
            out.push(Command::View(ViewCommand::SetPresent(!s.prefs.present)));
        }
        for (n, key) in [
            Key::Num1,
            Key::Num2,
            Key::Num3,
            Key::Num4,
            Key::Num5,
            Key::Num6,
        ]
        .into_iter()
        .enumerate()
        {
            if i.consume_key(Modifiers::NONE, key)
                && let Some(tab) = tabs.get(n)
            {
                out.push(Command::View(ViewCommand::SetTab(*tab)));
            }
        }
        if i.consume_key(Modifiers::NONE, Key::F) || i.consume_key(Modifiers::NONE, Key::F11) {
            out.push(Command::View(ViewCommand::ToggleFullscreen));
        }
        let question = i.consume_key(Modifiers::NONE, Key::Questionmark)
            || i.consume_key(Modifiers::SHIFT, Key::Slash)
            || i.events
                .iter()
                .any(|e| matches!(e, egui::Event::Text(t) if t == "?"));
        if question {
            out.push(Command::View(ViewCommand::SetOverlay(
                if s.overlay == Some(Overlay::Help) {
                    None
                } else {
                    Some(Overlay::Help)
                },
            )));
        }
    });
}

/// Draws the open overlay and the drag-and-drop hint.
pub fn overlays(ctx: &egui::Context, s: &State, out: &mut Vec<Command>) {
    let dark = s.prefs.theme.is_dark();
    match s.overlay {
        Some(Overlay::Help) => {
            let r = egui::Modal::new(egui::Id::unique("ixsim-help")).show(ctx, |ui| {
                ui.set_width(440.0);
                ui.heading("Keyboard shortcuts");
                ui.add_space(6.0);
                egui::Grid::new("ixsim-help-grid")
                    .num_columns(2)
                    .spacing([24.0, 8.0])
                    .striped(true)
                    .show(ui, |ui| {
                        for (key, what) in SHORTCUTS {
                            ui.label(RichText::new(*key).monospace().strong());
                            ui.label(*what);
                            ui.end_row();
                        }
                    });
                ui.add_space(8.0);
                ui.label(
                    RichText::new(
                        "Hover any control for what it means and where its default comes from. \
                         Drag a scenario file (.ron) onto the window to open it.",
                    )
                    .color(theme::muted(dark)),
                );
                ui.add_space(6.0);
                if ui.button("Close").clicked() {
                    out.push(Command::View(ViewCommand::SetOverlay(None)));
                }
            });
            if r.should_close() {
                out.push(Command::View(ViewCommand::SetOverlay(None)));
            }
        }
        Some(Overlay::About) => {
            let r = egui::Modal::new(egui::Id::unique("ixsim-about")).show(ctx, |ui| {
                ui.set_width(460.0);
                ui.heading(format!("ixsim {}", env!("CARGO_PKG_VERSION")));
                ui.add_space(4.0);
                ui.label(
                    "A simulator for teaching machine learning in production. A model is a \
                     component inside a system: its errors pass through an interaction design \
                     and through people who trust, tire, override and leave, before they reach \
                     user outcomes, leading indicators and the organization's goals.",
                );
                ui.add_space(4.0);
                ui.label(
                    RichText::new(
                        "Every run is deterministic: the same scenario, design and seed give the \
                         same days. The headless command line (ixsim --help) runs and sweeps the \
                         same scenarios.",
                    )
                    .color(theme::muted(dark)),
                );
                ui.add_space(6.0);
                ui.label(RichText::new("License: MIT OR Apache-2.0").small());
                ui.add_space(6.0);
                if ui.button("Close").clicked() {
                    out.push(Command::View(ViewCommand::SetOverlay(None)));
                }
            });
            if r.should_close() {
                out.push(Command::View(ViewCommand::SetOverlay(None)));
            }
        }
        Some(Overlay::PathPrompt(purpose)) => files::path_prompt(ctx, s, purpose, out),
        Some(Overlay::Gallery) => super::gallery::ui(ctx, s, out),
        None => {}
    }
    if s.drop_hover {
        let screen = ctx.content_rect();
        let painter = ctx.layer_painter(egui::LayerId::new(
            egui::Order::Foreground,
            egui::Id::unique("ixsim-drop"),
        ));
        painter.rect_filled(screen, 0.0, egui::Color32::from_black_alpha(170));
        painter.text(
            screen.center(),
            egui::Align2::CENTER_CENTER,
            "Drop a scenario file (.ron) to open it",
            egui::FontId::proportional(26.0),
            egui::Color32::WHITE,
        );
    }
}

/// The message banner above the tabs.
pub fn notice_banner(ui: &mut egui::Ui, notice: &Notice, dark: bool, out: &mut Vec<Command>) {
    let (fill, stroke, title) = match notice.kind {
        NoticeKind::Error => (
            theme::bad(dark).gamma_multiply(0.18),
            theme::bad(dark),
            "Problem",
        ),
        NoticeKind::Info => (
            theme::accent(dark).gamma_multiply(0.15),
            theme::accent(dark),
            "Done",
        ),
    };
    egui::Frame::new()
        .fill(fill)
        .stroke(egui::Stroke::new(1.0, stroke))
        .corner_radius(egui::CornerRadius::same(8))
        .inner_margin(egui::Margin::symmetric(12, 8))
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.label(RichText::new(title).strong().color(stroke));
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if ui
                        .button("×")
                        .on_hover_text("Dismiss this message")
                        .clicked()
                    {
                        out.push(Command::View(ViewCommand::DismissNotice));
                    }
                    ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                        ui.add(egui::Label::new(notice.text.as_str()).wrap());
                    });
                });
            });
        });
    ui.add_space(6.0);
}

/// The frame-time read-out (View → Frame time).
pub fn frame_readout(ui: &mut egui::Ui, s: &State) {
    let st = &s.stats;
    let interval = st.recent_interval();
    let fps = if interval > 0.0 {
        1000.0 / interval
    } else {
        0.0
    };
    ui.horizontal(|ui| {
        ui.label(
            RichText::new(format!(
                "frame {interval:.1} ms ({fps:.0} fps) · ui+sim {:.1} ms · sim {:.1} ms for {} day{} · {} users",
                st.recent_work(),
                st.sim_ms,
                st.days_last_frame,
                if st.days_last_frame == 1 { "" } else { "s" },
                crate::format::count(super::people::active_users(s) as f64),
            ))
            .monospace()
            .small()
            .color(theme::muted(s.prefs.theme.is_dark())),
        );
    });
}
