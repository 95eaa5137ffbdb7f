//! The policing world's view: where incidents happen, where the model thinks
//! they happen, and where the patrols go.
//!
//! Owns the district picture: one tile per district coloured by how far its
//! patrol share is from its true share of incidents; bars of true share,
//! the model's estimate and patrol share per district; incidents that
//! happened (hidden) next to incidents on record (what the department and
//! its model see); and the allocation gap over the run.

use eframe::egui::{self, Color32, CornerRadius, RichText};
use egui_plot::{Bar, BarChart, Corner, Legend, Plot};

use super::{
    Series, Shown, TimePlot, View, caption, choice_text, halves, heading, note, settings_text,
    solid, time_plot,
};
use crate::format;
use crate::sim::AnyWorld;
use crate::sim::policing::PolicingWorld;
use crate::ui::theme;

/// Heading of the main picture (tests look for it).
pub const HEADING: &str = "True share vs patrol share";

/// The metrics and parameters this view reads, resolved at compile time
/// (a misspelt id is a build error).
mod ids {
    use crate::sim::policing::{METRICS, PARAMS};
    use crate::sim::registry::{metric_index, param_index};

    pub(super) const MODEL_EST_SHARE_1: usize = metric_index(METRICS, "model.est_share_1");
    pub(super) const MODEL_ESTIMATE_ERROR: usize = metric_index(METRICS, "model.estimate_error");
    pub(super) const MODEL_PATROL_SHARE_1: usize = metric_index(METRICS, "model.patrol_share_1");
    pub(super) const MODEL_TRUE_SHARE_1: usize = metric_index(METRICS, "model.true_share_1");
    pub(super) const ORG_FAIRNESS_GAP: usize = metric_index(METRICS, "org.fairness_gap");
    pub(super) const EXPERIENCE_FORCEFULNESS: usize =
        param_index(PARAMS, "experience.forcefulness");
    pub(super) const POLICY_CORRECTION: usize = param_index(PARAMS, "policy.correction");
    pub(super) const POLICY_KIND: usize = param_index(PARAMS, "policy.kind");
    pub(super) const POLICY_PATROLS_PER_DAY: usize = param_index(PARAMS, "policy.patrols_per_day");
}

/// Draws the policing view.
pub(super) fn ui(ui: &mut egui::Ui, view: &View<'_>) {
    heading(ui, HEADING);
    ui.label(RichText::new(settings_line(view)).size(15.0));
    match view.world {
        Shown::Ready(AnyWorld::Policing(w)) => {
            tiles(ui, w);
            ui.add_space(6.0);
            share_bars(ui, w);
            super::truth_vs_observed(
                ui,
                |ui, width| {
                    caption(ui, "Incidents that happened (hidden)");
                    note(ui, "Since day 1, per district: the truth no one records.");
                    let occurred = w.occurred_total();
                    let top = max_total(w);
                    count_bars(
                        ui,
                        "ixsim-wv-pol-occurred",
                        width,
                        top,
                        vec![(
                            "Incidents",
                            theme::truth(ui.visuals().dark_mode),
                            occurred.to_vec(),
                        )],
                    );
                },
                |ui, width| {
                    caption(ui, "Incidents on record (observed)");
                    note(
                        ui,
                        "Found by patrols or reported by residents: all the model learns from.",
                    );
                    let top = max_total(w);
                    count_bars(
                        ui,
                        "ixsim-wv-pol-recorded",
                        width,
                        top,
                        vec![
                            (
                                "Found by patrols",
                                theme::action(ui.visuals().dark_mode),
                                w.discovered_total().to_vec(),
                            ),
                            (
                                "Reported by residents",
                                theme::estimate(ui.visuals().dark_mode),
                                w.reported_total().to_vec(),
                            ),
                        ],
                    );
                },
            );
        }
        _ => view.missing(ui),
    }
    heading(ui, "Over the run");
    halves(
        ui,
        |ui, width| {
            caption(ui, "How far patrols and the model are from the truth");
            note(
                ui,
                "Allocation gap: the largest |patrol share − true share| over districts.",
            );
            time_plot(
                ui,
                TimePlot::new("ixsim-wv-pol-gap", width, Some((0.0, 1.0))),
                view.day,
                vec![
                    Series {
                        name: "Allocation gap",
                        color: theme::over(ui.visuals().dark_mode),
                        points: view.series(ids::ORG_FAIRNESS_GAP),
                    },
                    Series {
                        name: "Model's estimate error",
                        color: theme::estimate(ui.visuals().dark_mode),
                        points: view.series(ids::MODEL_ESTIMATE_ERROR),
                    },
                ],
            );
        },
        |ui, width| {
            caption(ui, "District 1: true share, estimate, patrols");
            time_plot(
                ui,
                TimePlot::new("ixsim-wv-pol-d1", width, Some((0.0, 1.0))).legend(Corner::RightTop),
                view.day,
                vec![
                    Series {
                        name: "True share (hidden)",
                        color: theme::truth(ui.visuals().dark_mode),
                        points: view.series(ids::MODEL_TRUE_SHARE_1),
                    },
                    Series {
                        name: "Model's estimate",
                        color: theme::estimate(ui.visuals().dark_mode),
                        points: view.series(ids::MODEL_EST_SHARE_1),
                    },
                    Series {
                        name: "Patrol share",
                        color: theme::action(ui.visuals().dark_mode),
                        points: view.series(ids::MODEL_PATROL_SHARE_1),
                    },
                ],
            );
        },
    );
}

/// "Day 120 · proportional policy · 1 patrol a day · Ensign's correction
/// off · forcefulness 70%".
fn settings_line(view: &View<'_>) -> String {
    let patrols = view.param(ids::POLICY_PATROLS_PER_DAY);
    let correction = if view.param(ids::POLICY_CORRECTION) != 0.0 {
        "on"
    } else {
        "off"
    };
    settings_text(
        view,
        ids::EXPERIENCE_FORCEFULNESS,
        &format!(
            "{} policy · {patrols} patrol{} a day · Ensign's correction {correction}",
            choice_text(view, ids::POLICY_KIND),
            if patrols == 1.0 { "" } else { "s" },
        ),
    )
}

/// One tile per district, coloured by patrol share minus true share.
fn tiles(ui: &mut egui::Ui, w: &PolicingWorld) {
    let k = w.districts();
    let (truth, est, patrol) = (w.true_shares(), w.estimated_shares(), w.patrol_shares());
    let neutral = theme::tile(ui.visuals().dark_mode);
    let (over, under) = (
        theme::over(ui.visuals().dark_mode),
        theme::under(ui.visuals().dark_mode),
    );
    let spacing = ui.spacing().item_spacing.x;
    let per_row = k.clamp(1, 8);
    let width = ((ui.available_width() - spacing * per_row as f32) / per_row as f32).max(90.0);
    ui.horizontal_wrapped(|ui| {
        for i in 0..k {
            let gap = patrol[i] - truth[i];
            // Full colour at a gap of 0.3 (patrols at 30 points above or
            // below the district's share of incidents).
            let strength = (gap.abs() / 0.3).min(1.0) as f32;
            let fill = theme::mix(neutral, if gap > 0.0 { over } else { under }, strength);
            let ink = theme::text_on(fill);
            egui::Frame::new()
                .fill(fill)
                .corner_radius(CornerRadius::same(6))
                .inner_margin(egui::Margin::same(8))
                .show(ui, |ui| {
                    ui.set_width(width - 16.0);
                    ui.vertical(|ui| {
                        ui.label(
                            RichText::new(format!("District {}", i + 1))
                                .size(17.0)
                                .strong()
                                .color(ink),
                        );
                        for (what, x) in [
                            ("incidents", truth[i]),
                            ("patrols", patrol[i]),
                            ("model", est[i]),
                        ] {
                            ui.label(
                                RichText::new(format!("{what} {}", format::percent_whole(x)))
                                    .size(15.0)
                                    .color(ink),
                            );
                        }
                    });
                });
        }
    });
    note(
        ui,
        "Tile colour: red = more patrols than the district's share of incidents, \
         blue = fewer, grey = in proportion.",
    );
}

/// Bars per district: true share, the model's estimate, patrol share.
fn share_bars(ui: &mut egui::Ui, w: &PolicingWorld) {
    let k = w.districts();
    let groups: [(&str, Color32, &[f64], f64); 3] = [
        (
            "True share of incidents (hidden)",
            theme::truth(ui.visuals().dark_mode),
            w.true_shares(),
            -0.27,
        ),
        (
            "Model's estimated share",
            theme::estimate(ui.visuals().dark_mode),
            w.estimated_shares(),
            0.0,
        ),
        (
            "Patrol share",
            theme::action(ui.visuals().dark_mode),
            w.patrol_shares(),
            0.27,
        ),
    ];
    Plot::new("ixsim-wv-pol-shares")
        .height(230.0)
        .legend(Legend::default())
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .include_y(0.0)
        .include_y(1.0)
        .include_x(0.4)
        .include_x(k as f64 + 0.6)
        .y_axis_label("share")
        .x_axis_formatter(district_label)
        .show(ui, |p| {
            for (name, color, values, offset) in groups {
                let bars = values
                    .iter()
                    .enumerate()
                    .map(|(i, &v)| {
                        let bar = Bar::new((i + 1) as f64 + offset, v)
                            .width(0.25)
                            .name(format!("District {}", i + 1));
                        solid(bar, color)
                    })
                    .collect();
                p.bar_chart(BarChart::new(name, bars).color(color));
            }
        });
}

/// "District i" at whole numbers, nothing elsewhere.
fn district_label(mark: egui_plot::GridMark, _range: &std::ops::RangeInclusive<f64>) -> String {
    let v = mark.value;
    if v >= 1.0 && (v - v.round()).abs() < 1e-9 {
        format!("District {}", v.round() as usize)
    } else {
        String::new()
    }
}

/// The largest per-district total of incidents, happened or recorded.
fn max_total(w: &PolicingWorld) -> f64 {
    let recorded = w
        .discovered_total()
        .iter()
        .zip(w.reported_total())
        .map(|(d, r)| d + r);
    w.occurred_total()
        .iter()
        .copied()
        .chain(recorded)
        .fold(1.0, f64::max)
}

/// Stacked count bars per district, on a shared scale up to `top`.
fn count_bars(
    ui: &mut egui::Ui,
    id: &str,
    width: f32,
    top: f64,
    stacks: Vec<(&str, Color32, Vec<f64>)>,
) {
    let k = stacks.first().map_or(0, |s| s.2.len());
    Plot::new(id)
        .height(190.0)
        .width(width)
        .legend(Legend::default())
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .include_y(0.0)
        .include_y(top * 1.08)
        .include_x(0.4)
        .include_x(k as f64 + 0.6)
        .y_axis_label("incidents")
        .x_axis_formatter(district_label)
        .show(ui, |p| {
            let mut below: Vec<BarChart> = Vec::new();
            for (name, color, values) in stacks {
                let bars = values
                    .iter()
                    .enumerate()
                    .map(|(i, &v)| {
                        let bar = Bar::new((i + 1) as f64, v)
                            .width(0.6)
                            .name(format!("District {}", i + 1));
                        solid(bar, color)
                    })
                    .collect();
                let refs: Vec<&BarChart> = below.iter().collect();
                let chart = BarChart::new(name, bars).color(color).stack_on(&refs);
                below.push(chart);
            }
            for chart in below {
                p.bar_chart(chart);
            }
        });
}
