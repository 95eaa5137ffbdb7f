//! The scenario gallery: every case in the library as a card — title,
//! summary, tags and a small preview of its headline measure — filtered by
//! tag, so an instructor finds the right case in seconds.
//!
//! Owns the preview job: each scenario runs once, small (at most
//! [`PREVIEW_USERS`] users for [`PREVIEW_DAYS`] days), on a background thread
//! the first time the gallery opens; cards show a placeholder until then.

use std::sync::Arc;

use eframe::egui::{self, RichText};

use super::{Command, FileCommand, State, ViewCommand, theme};
use crate::job::{Job, JobEnd};
use crate::scenario::Scenario;
use crate::sim::{Layer, Simulation};

/// Population of a preview run.
pub const PREVIEW_USERS: f64 = 500.0;
/// Length of a preview run.
pub const PREVIEW_DAYS: u32 = 120;

/// One card's preview: the headline metric's label and its daily values.
#[derive(Clone, Debug, PartialEq)]
pub struct Preview {
    /// Scenario id.
    pub id: String,
    /// What the line shows.
    pub label: &'static str,
    /// Daily values.
    pub values: Vec<f64>,
}

/// The metric a card previews: the scenario's first user-outcome plot, else
/// its first plot, else the world's first metric.
pub fn headline(s: &Scenario) -> usize {
    let metrics = s.world.metrics();
    s.plots
        .iter()
        .copied()
        .find(|&m| metrics[m].layer == Layer::User)
        .or_else(|| s.plots.first().copied())
        .unwrap_or(0)
}

/// Runs every preview (what the background job does).
pub fn previews(library: &[Scenario]) -> Vec<Preview> {
    library
        .iter()
        .map(|s| {
            let mut p = s.params.clone();
            if let Some(i) = crate::ui::params::population_param(s.world)
                && p.values().get(i).is_some_and(|&v| v > PREVIEW_USERS)
            {
                let _ = p.set_index(i, PREVIEW_USERS);
            }
            let mut sim = Simulation::new(s.world, p, s.seed);
            sim.run(PREVIEW_DAYS.min(s.days));
            let m = headline(s);
            Preview {
                id: s.id.clone(),
                label: s.world.metrics()[m].label,
                values: sim.history().column(m).collect(),
            }
        })
        .collect()
}

/// The background machinery (not part of the views' state).
#[derive(Default)]
pub struct Background {
    job: Option<Job<Vec<Preview>>>,
    started: bool,
}

/// Starts the previews when the gallery first opens; collects them when done.
pub fn poll(
    previews_out: &mut Option<Arc<Vec<Preview>>>,
    background: &mut Background,
    s_open: bool,
    library: &[Scenario],
) {
    if previews_out.is_some() {
        return;
    }
    if !background.started && s_open {
        background.started = true;
        let library = library.to_vec();
        background.job = Job::spawn("ixsim-gallery", library.len(), move |_, _| {
            Ok(previews(&library))
        })
        .ok();
    }
    if let Some(job) = &mut background.job
        && let Some(end) = job.try_finish()
    {
        if let JobEnd::Done(p, _) = end {
            *previews_out = Some(Arc::new(p));
        }
        background.job = None;
    }
}

/// Every tag in the library, sorted.
pub fn tags(library: &[Scenario]) -> Vec<String> {
    let mut tags: Vec<String> = library.iter().flat_map(|s| s.tags.clone()).collect();
    tags.sort();
    tags.dedup();
    tags
}

/// The gallery's facets, each with the tags that name one of its values:
/// how the system acts (mode), whether its outputs feed back into its data
/// (loop), which layer of measures the case is about (layer). Every other
/// tag is a theme.
const FACETS: [(&str, &[&str]); 3] = [
    ("Mode", &["automate", "prompt", "organize", "annotate"]),
    ("Loop", &["feedback loop", "no loop"]),
    (
        "Layer",
        &[
            "model properties",
            "user outcomes",
            "leading indicators",
            "organization",
            "organizational objectives",
        ],
    ),
];

/// The library's tags grouped by facet (mode, loop, layer, then theme for
/// the rest), each group in its facet's order or sorted; empty facets left out.
pub fn faceted_tags(library: &[Scenario]) -> Vec<(&'static str, Vec<String>)> {
    let all = tags(library);
    let mut groups: Vec<(&'static str, Vec<String>)> = FACETS
        .iter()
        .map(|(name, values)| {
            let present = values
                .iter()
                .filter(|v| all.iter().any(|t| t == *v))
                .map(|v| (*v).to_string())
                .collect();
            (*name, present)
        })
        .collect();
    let themes = all
        .iter()
        .filter(|t| {
            !FACETS
                .iter()
                .any(|(_, values)| values.contains(&t.as_str()))
        })
        .cloned()
        .collect();
    groups.push(("Theme", themes));
    groups.retain(|(_, tags)| !tags.is_empty());
    groups
}

/// Draws the gallery overlay.
pub fn ui(ctx: &egui::Context, s: &State, out: &mut Vec<Command>) {
    let dark = s.prefs.theme.is_dark();
    let width = (ctx.content_rect().width() - 80.0).clamp(480.0, 1180.0);
    let r = egui::Modal::new(egui::Id::unique("ixsim-gallery")).show(ctx, |ui| {
        ui.set_width(width);
        ui.horizontal(|ui| {
            ui.heading("Scenario gallery");
            ui.label(
                RichText::new(format!("{} cases from the course", s.library.len()))
                    .color(theme::muted(dark)),
            );
        });
        ui.add_space(4.0);
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new("Filter").color(theme::muted(dark)));
            if ui
                .selectable_label(s.gallery_tag.is_none(), "all")
                .clicked()
            {
                out.push(Command::View(ViewCommand::SetGalleryTag(None)));
            }
        });
        // One row per facet, its name in a fixed-width column. (Rows, not a
        // grid: a grid sizes a row from the last frame, and a row of tags
        // that wrapped once kept its second line's height.)
        for (facet, tags) in faceted_tags(&s.library) {
            ui.horizontal_top(|ui| {
                ui.allocate_ui_with_layout(
                    egui::vec2(50.0, 22.0),
                    egui::Layout::left_to_right(egui::Align::Center),
                    |ui| {
                        ui.set_min_size(egui::vec2(50.0, 22.0));
                        ui.label(RichText::new(facet).small().color(theme::muted(dark)));
                    },
                );
                ui.horizontal_wrapped(|ui| {
                    ui.set_max_width(width - 70.0);
                    for tag in tags {
                        let on = s.gallery_tag.as_deref() == Some(tag.as_str());
                        if ui.selectable_label(on, tag.as_str()).clicked() {
                            out.push(Command::View(ViewCommand::SetGalleryTag(
                                (!on).then_some(tag),
                            )));
                        }
                    }
                });
            });
        }
        ui.add_space(6.0);
        let columns = ((width / 300.0).floor() as usize).max(1);
        let shown: Vec<&Scenario> = s
            .library
            .iter()
            .filter(|sc| {
                s.gallery_tag
                    .as_ref()
                    .is_none_or(|t| sc.tags.iter().any(|x| x == t))
            })
            .collect();
        // The cards scroll in what the window leaves below the filters (the
        // modal's margins and the Close row take about 90 points), so the
        // heading and filters stay on screen in a small window.
        let above = ui.min_rect().height();
        let cards_height = (ctx.content_rect().height() - above - 90.0).max(120.0);
        egui::ScrollArea::vertical()
            .max_height(cards_height)
            .show(ui, |ui| {
                egui::Grid::new("ixsim-gallery-grid")
                    .num_columns(columns)
                    .spacing([10.0, 10.0])
                    .show(ui, |ui| {
                        for (n, sc) in shown.iter().enumerate() {
                            card(ui, s, sc, width / columns as f32 - 14.0, out);
                            if (n + 1) % columns == 0 {
                                ui.end_row();
                            }
                        }
                    });
            });
        ui.add_space(6.0);
        if ui.button("Close").clicked() {
            out.push(Command::View(ViewCommand::SetOverlay(None)));
        }
    });
    if r.should_close() {
        out.push(Command::View(ViewCommand::SetOverlay(None)));
    }
}

fn card(ui: &mut egui::Ui, s: &State, sc: &Scenario, width: f32, out: &mut Vec<Command>) {
    let dark = s.prefs.theme.is_dark();
    let current = sc.id == s.scenario.id;
    theme::card(dark).show(ui, |ui| {
        ui.set_width(width);
        ui.set_min_height(190.0);
        ui.vertical(|ui| {
            ui.label(RichText::new(sc.title.as_str()).strong().size(16.0));
            ui.label(
                RichText::new(sc.summary.as_str())
                    .small()
                    .color(theme::muted(dark)),
            );
            ui.horizontal_wrapped(|ui| {
                for tag in &sc.tags {
                    ui.label(
                        RichText::new(tag.as_str())
                            .small()
                            .color(theme::accent(dark)),
                    );
                }
            });
            let preview = s
                .gallery_previews
                .as_ref()
                .and_then(|p| p.iter().find(|p| p.id == sc.id));
            sparkline(ui, preview, width, dark);
            let text = if current {
                format!("Open {} (open now)", sc.title)
            } else {
                format!("Open {}", sc.title)
            };
            if ui.button(text).clicked() {
                if !current {
                    out.push(Command::Files(FileCommand::LoadScenario(sc.id.clone())));
                }
                out.push(Command::View(ViewCommand::SetOverlay(None)));
            }
        });
    });
}

fn sparkline(ui: &mut egui::Ui, preview: Option<&Preview>, width: f32, dark: bool) {
    let (rect, _) = ui.allocate_exact_size(egui::vec2(width - 8.0, 42.0), egui::Sense::hover());
    let painter = ui.painter_at(rect);
    let muted = theme::muted(dark);
    let Some(p) = preview.filter(|p| p.values.len() > 1) else {
        painter.text(
            rect.center(),
            egui::Align2::CENTER_CENTER,
            "preview…",
            egui::FontId::proportional(11.0),
            muted,
        );
        return;
    };
    let lo = p.values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = p.values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let span = if hi > lo { hi - lo } else { 1.0 };
    let n = (p.values.len() - 1) as f32;
    let plot = egui::Rect::from_min_max(rect.min + egui::vec2(0.0, 12.0), rect.max);
    let points: Vec<egui::Pos2> = p
        .values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let x = plot.left() + plot.width() * i as f32 / n;
            let y = plot.bottom() - plot.height() * ((v - lo) / span) as f32;
            egui::pos2(x, y)
        })
        .collect();
    painter.text(
        rect.left_top(),
        egui::Align2::LEFT_TOP,
        format!("{} · first {} days", p.label, p.values.len()),
        egui::FontId::proportional(10.5),
        muted,
    );
    painter.add(egui::Shape::line(
        points,
        egui::Stroke::new(1.6, theme::layer_color(Layer::User, dark)),
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_tag_sits_in_exactly_one_facet_and_the_facets_come_first() {
        let library = crate::scenario::library::all().expect("the library parses");
        let groups = faceted_tags(&library);
        let names: Vec<&str> = groups.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, ["Mode", "Loop", "Layer", "Theme"]);
        let mut placed: Vec<String> = groups.iter().flat_map(|(_, t)| t.clone()).collect();
        placed.sort();
        assert_eq!(placed, tags(&library), "each tag once");
        let of = |name: &str| {
            groups
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, t)| t.clone())
        };
        assert!(of("Loop").is_some_and(|t| t.contains(&"feedback loop".to_string())));
        assert!(of("Mode").is_some_and(|t| t.contains(&"automate".to_string())));
        assert!(of("Theme").is_some_and(|t| !t.contains(&"no loop".to_string())));
    }
}
