//! The story panel (right): what the scenario shows, the question to predict
//! before running, what to watch, the reality check (this run's headline
//! figures beside field data), things to try, the goals by layer, and the
//! guided lesson when the scenario has steps ("apply step", a before/after
//! reveal of the step's measures, the same measures from fresh starts
//! without and with the step, and "back to step N").

use eframe::egui::{self, RichText};

use super::state::{Fresh, Reveal};
use super::{Command, PanelId, RunCommand, State, ViewCommand, theme};
use crate::scenario::lesson::REVEAL_WINDOW_DAYS;
use crate::sim::{Layer, MetricSpec};

/// The story panel.
pub fn ui(ui: &mut egui::Ui, s: &State, out: &mut Vec<Command>) {
    let dark = s.prefs.theme.is_dark();
    let sc = &s.scenario;
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.add_space(2.0);
            ui.label(
                RichText::new(&sc.title)
                    .heading()
                    .strong()
                    .color(theme::ink(dark)),
            );
            ui.label(RichText::new(&sc.summary).color(theme::muted(dark)));
            if !sc.tags.is_empty() {
                ui.add_space(2.0);
                ui.horizontal_wrapped(|ui| {
                    ui.spacing_mut().item_spacing = egui::vec2(4.0, 4.0);
                    for t in &sc.tags {
                        // A widget (not a frame) so the row wraps between tags.
                        ui.add(
                            egui::Button::new(RichText::new(t).small().color(theme::accent(dark)))
                                .fill(theme::accent(dark).gamma_multiply(0.15))
                                .stroke(egui::Stroke::NONE)
                                .corner_radius(9)
                                .sense(egui::Sense::hover()),
                        );
                    }
                });
            }
            ui.add_space(8.0);
            if !sc.story.predict.is_empty() {
                egui::Frame::new()
                    .fill(theme::accent(dark).gamma_multiply(0.12))
                    .stroke(egui::Stroke::new(1.0, theme::accent(dark)))
                    .corner_radius(egui::CornerRadius::same(8))
                    .inner_margin(egui::Margin::same(10))
                    .show(ui, |ui| {
                        ui.set_width(ui.available_width());
                        ui.label(
                            RichText::new("PREDICT FIRST")
                                .small()
                                .strong()
                                .color(theme::accent(dark)),
                        );
                        ui.label(RichText::new(&sc.story.predict).color(theme::ink(dark)));
                    });
                ui.add_space(8.0);
            }
            if !sc.steps.is_empty() {
                lesson(ui, s, out);
                ui.add_space(8.0);
            }
            section(ui, "What it shows", dark);
            ui.label(&sc.story.shows);
            ui.add_space(6.0);
            section(ui, "What to watch", dark);
            ui.label(&sc.story.watch);
            if !sc.reality.is_empty() {
                ui.add_space(6.0);
                reality(ui, s, dark);
            }
            if !sc.story.try_these.is_empty() {
                ui.add_space(6.0);
                section(ui, "Things to try", dark);
                for t in &sc.story.try_these {
                    ui.horizontal_top(|ui| {
                        ui.label(RichText::new("→").color(theme::accent(dark)));
                        ui.add(egui::Label::new(t.as_str()).wrap());
                    });
                }
            }
            if !sc.goals.is_empty() {
                ui.add_space(8.0);
                section(ui, "Goals, by layer", dark);
                for layer in [
                    Layer::Organization,
                    Layer::Leading,
                    Layer::User,
                    Layer::Model,
                ] {
                    if let Some(goals) = sc.goals.get(&layer) {
                        theme::layer_heading(ui, layer, layer.label(), dark);
                        for g in goals {
                            ui.horizontal_top(|ui| {
                                ui.add_space(12.0);
                                ui.label(RichText::new("•").color(theme::layer_color(layer, dark)));
                                ui.add(egui::Label::new(g.as_str()).wrap());
                            });
                        }
                        ui.add_space(2.0);
                    }
                }
            }
        });
}

/// The story folded to a strip when the window has no room for it beside
/// the design panel: a button that says so and shows the story in the
/// design panel's place (the View menu brings the design panel back).
pub fn folded(ui: &mut egui::Ui, s: &State, out: &mut Vec<Command>) {
    let dark = s.prefs.theme.is_dark();
    ui.vertical_centered(|ui| {
        let open = ui
            .add(
                egui::Button::new(
                    RichText::new("Story\n◂")
                        .strong()
                        .color(theme::accent(dark)),
                )
                .wrap(),
            )
            .on_hover_text(
                "The story is folded: the window is too narrow for it beside the \
                 design panel. Click to show the story in the design panel's place.",
            );
        ui.label(
            RichText::new("folded: narrow window")
                .small()
                .color(theme::muted(dark)),
        );
        if open.clicked() {
            out.push(Command::View(ViewCommand::SetPanel(PanelId::Design, false)));
        }
    });
}

/// The headline figures of this run beside field data: a figure about
/// another run (the system off) or a day not reached yet names only its
/// range, and `ixsim check` computes it.
fn reality(ui: &mut egui::Ui, s: &State, dark: bool) {
    section(ui, "Reality check", dark);
    let figures = &s.scenario.reality;
    for (f, v) in figures
        .figures
        .iter()
        .zip(figures.read_live(s.sim.history()))
    {
        let (text, color) = match v {
            Some(v) if f.holds(v) => (f.line(v), theme::ink(dark)),
            Some(v) => (f.line(v), theme::accent(dark)),
            None if f.is_counterfactual() => (
                format!(
                    "{} (another run; ixsim check computes it) — {}",
                    f.what,
                    f.field_text()
                ),
                theme::muted(dark),
            ),
            None => (
                format!(
                    "{} (day {} not reached yet) — {}",
                    f.what,
                    f.measure.last_day(),
                    f.field_text()
                ),
                theme::muted(dark),
            ),
        };
        ui.horizontal_top(|ui| {
            ui.label(RichText::new("•").color(theme::muted(dark)));
            ui.add(egui::Label::new(RichText::new(text).color(color)).wrap());
        });
    }
}

fn section(ui: &mut egui::Ui, title: &str, dark: bool) {
    ui.label(
        RichText::new(title.to_uppercase())
            .small()
            .strong()
            .color(theme::muted(dark)),
    );
}

fn lesson(ui: &mut egui::Ui, s: &State, out: &mut Vec<Command>) {
    let dark = s.prefs.theme.is_dark();
    let sc = &s.scenario;
    let specs = s.sim.params().specs();
    let metrics = s.sim.kind().metrics();
    section(
        ui,
        &format!(
            "Guided lesson · {} step{}",
            sc.steps.len(),
            if sc.steps.len() == 1 { "" } else { "s" }
        ),
        dark,
    );
    for (k, st) in sc.steps.iter().enumerate() {
        let done = k < s.lesson.next;
        let current = k == s.lesson.next;
        let running = s.lesson.running == Some(k);
        let mark = if running {
            "▶"
        } else if done {
            "●"
        } else if current {
            "◉"
        } else {
            "○"
        };
        let color = if done || current {
            theme::ink(dark)
        } else {
            theme::muted(dark)
        };
        let frame = if current || running {
            theme::card(dark).stroke(egui::Stroke::new(1.0, theme::accent(dark)))
        } else {
            egui::Frame::new().inner_margin(egui::Margin::symmetric(10, 4))
        };
        frame.show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal_top(|ui| {
                ui.label(RichText::new(mark).color(theme::accent(dark)));
                ui.add(
                    egui::Label::new(
                        RichText::new(format!("Step {} · {}", k + 1, st.title))
                            .strong()
                            .color(color),
                    )
                    .wrap(),
                );
            });
            if current || running {
                ui.label(&st.text);
                if !st.question.is_empty() {
                    ui.label(
                        RichText::new(format!("Predict: {}", st.question))
                            .italics()
                            .color(theme::accent(dark)),
                    );
                }
                if !st.set.is_empty() {
                    ui.label(
                        RichText::new(format!("Sets {}", changes_text(specs, &st.set)))
                            .small()
                            .color(theme::muted(dark)),
                    );
                }
                if let Some(exp) = &st.experiment {
                    let metric = metrics.get(exp.metric).map_or("—", |m| m.label);
                    let changes = |set: &[(usize, f64)]| changes_text(specs, set);
                    let mut design = Vec::new();
                    if !exp.both.is_empty() {
                        design.push(format!("Both arms: {}.", changes(&exp.both)));
                    }
                    if !exp.b.is_empty() {
                        design.push(format!("B: {}.", changes(&exp.b)));
                    }
                    let what = if exp.aa_seeds > 0 {
                        format!(
                            "A/A check: the design against itself in {} tests of {} days, decided on {metric}.",
                            exp.aa_seeds, st.days
                        )
                    } else {
                        format!(
                            "A/B test for {} days, {} % of users in B, decided on {metric}. {}",
                            st.days,
                            (exp.split * 100.0).round(),
                            design.join(" ")
                        )
                    };
                    ui.label(RichText::new(what).small().color(theme::muted(dark)));
                }
                if running && st.experiment.is_some() {
                    ui.label(
                        RichText::new("Running in the Experiment tab…").color(theme::accent(dark)),
                    );
                } else if running {
                    let target = s.horizon;
                    ui.label(
                        RichText::new(format!("Running… day {} of {target}", s.sim.day()))
                            .color(theme::accent(dark)),
                    );
                } else {
                    let text = if let Some(exp) = &st.experiment {
                        if exp.aa_seeds > 0 {
                            format!("Run step {}: {} A/A tests", k + 1, exp.aa_seeds)
                        } else {
                            format!("Run step {}: the {}-day A/B test", k + 1, st.days)
                        }
                    } else if st.days > 0 {
                        format!("Apply step {} and run {} days", k + 1, st.days)
                    } else {
                        format!("Apply step {}", k + 1)
                    };
                    if ui
                        .add(
                            egui::Button::new(RichText::new(text).strong())
                                .wrap()
                                .fill(theme::accent(dark).gamma_multiply(0.4)),
                        )
                        .clicked()
                    {
                        out.push(Command::Run(RunCommand::ApplyStep(k)));
                    }
                }
            }
            if done
                && !s.step_running()
                && ui
                    .small_button(format!("↩ Back to step {}", k + 1))
                    .on_hover_text("Return to the run as it was just before this step was applied.")
                    .clicked()
            {
                out.push(Command::Run(RunCommand::BackToStep(k)));
            }
            if let Some(rev) = &s.lesson.reveal
                && rev.step == k
            {
                ui.add_space(4.0);
                if !rev.rows.is_empty() {
                    ui.label(
                        RichText::new(format!("Before → after ({REVEAL_WINDOW_DAYS}-day means)"))
                            .small()
                            .strong()
                            .color(theme::muted(dark)),
                    );
                }
                // One measure a line, its label first: the line wraps
                // (a grid's columns would not) so it fits the panel.
                for &(m, before, after) in &rev.rows {
                    let Some(spec) = metrics.get(m) else { continue };
                    let show = |v: Option<f64>| {
                        v.map_or_else(
                            || "—".to_string(),
                            |v| crate::format::mean_value(v, spec.unit),
                        )
                    };
                    let mut line = egui::text::LayoutJob::default();
                    let ink = theme::ink(dark);
                    let font = egui::TextStyle::Body.resolve(ui.style());
                    let plain = egui::TextFormat::simple(font.clone(), theme::muted(dark));
                    line.append(&format!("{}: ", spec.label), 0.0, plain.clone());
                    line.append(
                        &show(before),
                        0.0,
                        egui::TextFormat::simple(font.clone(), ink),
                    );
                    line.append(" → ", 0.0, plain);
                    line.append(
                        &show(after),
                        0.0,
                        egui::TextFormat::simple(font.clone(), theme::accent(dark)),
                    );
                    ui.add(egui::Label::new(line).wrap());
                }
                if !rev.findings.is_empty() {
                    ui.label(
                        RichText::new("What each stopping rule decided")
                            .small()
                            .strong()
                            .color(theme::muted(dark)),
                    );
                    for line in &rev.findings {
                        ui.add(egui::Label::new(RichText::new(line).color(theme::ink(dark))).wrap());
                    }
                }
                fresh_rows(ui, rev, metrics, dark);
                if !st.explain.is_empty() {
                    ui.label(RichText::new(&st.explain).color(theme::ink(dark)));
                }
            }
        });
    }
}

/// A step's parameter changes for people: "Decision threshold → 1.30 σ, …".
fn changes_text(specs: &[crate::sim::ParamSpec], set: &[(usize, f64)]) -> String {
    set.iter()
        .filter_map(|&(i, v)| {
            specs
                .get(i)
                .map(|p| format!("{} → {}", p.label, crate::format::param(p, v)))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The step like with like: two fresh runs from day 0 without and with the
/// step's changes, so what the lesson carried over (trust lost, users gone)
/// is out of the comparison.
fn fresh_rows(ui: &mut egui::Ui, rev: &Reveal, metrics: &[MetricSpec], dark: bool) {
    let title = |ui: &mut egui::Ui, text: String| {
        ui.add(
            egui::Label::new(
                RichText::new(text)
                    .small()
                    .strong()
                    .color(theme::muted(dark)),
            )
            .wrap(),
        )
    };
    match &rev.fresh {
        Fresh::NotNeeded => {}
        Fresh::Computing => {
            ui.horizontal_wrapped(|ui| {
                ui.spinner();
                ui.label(
                    RichText::new("Fresh starts without and with this step: running…")
                        .small()
                        .color(theme::muted(dark)),
                );
            });
        }
        Fresh::Failed(e) => {
            ui.label(
                RichText::new(format!("Fresh starts could not run: {e}"))
                    .small()
                    .color(theme::warn(dark)),
            );
        }
        Fresh::Ready { days, pairs } => {
            ui.add_space(2.0);
            title(
                ui,
                format!("Fresh starts, {days} days from day 0: without → with this step"),
            )
            .on_hover_text(
                "Two new runs with the same seed, one with the settings as they stood \
                 before this step and one with the step's changes as well. The difference \
                 is the step's own effect, without the trust, users or evidence the lesson \
                 carried over from earlier steps.",
            );
            for (&(m, _, _), &(without, with)) in rev.rows.iter().zip(pairs) {
                let Some(spec) = metrics.get(m) else { continue };
                let show = |v: Option<f64>| {
                    v.map_or_else(
                        || "—".to_string(),
                        |v| crate::format::mean_value(v, spec.unit),
                    )
                };
                ui.add(
                    egui::Label::new(
                        RichText::new(format!(
                            "{}: {} → {}",
                            spec.label,
                            show(without),
                            show(with)
                        ))
                        .small()
                        .color(theme::muted(dark)),
                    )
                    .wrap(),
                );
            }
        }
    }
}
