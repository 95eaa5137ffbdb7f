//! The lending world's view: each group's credit scores now against the
//! start, which clusters get loans, and the slow slide the bank does not see.
//!
//! Owns the credit picture: per group, the share of people in each
//! credit-score cluster at the start and on the day shown (bars over the
//! clusters' repayment probabilities), the policy's approval chance per
//! cluster, each group's mean repayment probability; and, side by side, the
//! groups' hidden credit against the repaid share of loans the bank sees.

use eframe::egui::{self, CornerRadius, RichText};
use egui_plot::{Bar, BarChart, Corner, Legend, Plot};

use super::{
    Series, Shown, TimePlot, View, caption, choice_text, halves, heading, note, settings_text,
    solid, time_plot, windowed_ratio,
};
use crate::format;
use crate::sim::lending::LendingWorld;
use crate::sim::{AnyWorld, Unit};
use crate::ui::theme;

/// Heading of the main picture (tests look for it).
pub const HEADING: &str = "Credit scores now vs at the start";

/// The metrics and parameters this view reads, resolved at compile time
/// (a misspelt id is a build error).
mod ids {
    use crate::sim::lending::{METRICS, PARAMS};
    use crate::sim::registry::{metric_index, param_index};

    pub(super) const FLOW_APPLICANTS: usize = metric_index(METRICS, "flow.applicants");
    pub(super) const FLOW_LOANS_REPAID: usize = metric_index(METRICS, "flow.loans_repaid");
    pub(super) const LEADING_LOANS: usize = metric_index(METRICS, "leading.loans");
    pub(super) const USER_REPAY_PROB_1: usize = metric_index(METRICS, "user.repay_prob_1");
    pub(super) const USER_REPAY_PROB_2: usize = metric_index(METRICS, "user.repay_prob_2");
    pub(super) const EXPERIENCE_FORCEFULNESS: usize =
        param_index(PARAMS, "experience.forcefulness");
    pub(super) const POLICY_KIND: usize = param_index(PARAMS, "policy.kind");
}

/// Days in the moving window of the bank's repaid share.
const WINDOW: usize = 30;

/// Draws the lending view.
pub(super) fn ui(ui: &mut egui::Ui, view: &View<'_>) {
    heading(ui, HEADING);
    let policy = choice_text(view, ids::POLICY_KIND);
    ui.label(
        RichText::new(settings_text(
            view,
            ids::EXPERIENCE_FORCEFULNESS,
            &format!("{policy} lending"),
        ))
        .size(15.0),
    );
    match view.world {
        Shown::Ready(AnyWorld::Lending(w)) => {
            halves(
                ui,
                |ui, width| group_panel(ui, w, 0, width, view.day),
                |ui, width| group_panel(ui, w, 1, width, view.day),
            );
        }
        _ => view.missing(ui),
    }
    let repaid = windowed_ratio(
        &view.series(ids::FLOW_LOANS_REPAID),
        &view.series(ids::LEADING_LOANS),
        WINDOW,
    );
    let approval = windowed_ratio(
        &view.series(ids::LEADING_LOANS),
        &view.series(ids::FLOW_APPLICANTS),
        WINDOW,
    );
    super::truth_vs_observed(
        ui,
        |ui, width| {
            caption(ui, "Each group's mean repayment probability (hidden)");
            note(ui, "Everyone in the group, with or without a loan.");
            time_plot(
                ui,
                TimePlot::new("ixsim-wv-lend-credit", width, Some((0.3, 0.7))),
                view.day,
                vec![
                    Series {
                        name: "Group 1",
                        color: theme::group_1(ui.visuals().dark_mode),
                        points: view.series(ids::USER_REPAY_PROB_1),
                    },
                    Series {
                        name: "Group 2",
                        color: theme::group_2(ui.visuals().dark_mode),
                        points: view.series(ids::USER_REPAY_PROB_2),
                    },
                ],
            );
        },
        |ui, width| {
            caption(ui, "What the bank sees: its own loans");
            note(
                ui,
                &format!("Share repaid and share approved, last {WINDOW} days."),
            );
            time_plot(
                ui,
                TimePlot::new("ixsim-wv-lend-bank", width, Some((0.0, 1.0)))
                    .legend(Corner::LeftBottom),
                view.day,
                vec![
                    Series {
                        name: "Loans repaid",
                        color: theme::action(ui.visuals().dark_mode),
                        points: repaid,
                    },
                    Series {
                        name: "Applications approved",
                        color: theme::estimate(ui.visuals().dark_mode),
                        points: approval,
                    },
                ],
            );
        },
    );
}

/// One group: cluster bars (start vs day shown), approval per cluster and
/// the mean repayment probability.
fn group_panel(ui: &mut egui::Ui, w: &LendingWorld, group: usize, width: f32, day: u32) {
    let color = if group == 0 {
        theme::group_1(ui.visuals().dark_mode)
    } else {
        theme::group_2(ui.visuals().dark_mode)
    };
    let start = w.start_distribution(group);
    let now = w.cluster_distribution(group);
    let repay = w.repay_probs();
    let scores = w.cluster_scores();
    let clusters = repay.len();
    let mean_start = w.start_mean_repay_prob(group);
    let mean_now = w.mean_repay_prob(group);
    ui.label(
        RichText::new(format!("Group {}", group + 1))
            .size(18.0)
            .strong()
            .color(color),
    );
    ui.label(
        RichText::new(format!(
            "Mean repayment probability {} to {} ({})",
            format::percent(mean_start),
            format::percent(mean_now),
            format::difference(mean_now - mean_start, Unit::Share)
        ))
        .size(15.0),
    );
    if let Some(scores) = scores {
        let start_score: f64 = start.iter().zip(scores).map(|(m, s)| m * s).sum();
        let now_score = w.mean_score(group);
        ui.label(
            RichText::new(format!(
                "Mean credit score {} to {} ({})",
                format::value(start_score, Unit::Number),
                format::value(now_score, Unit::Number),
                format::difference(now_score - start_score, Unit::Number)
            ))
            .size(15.0),
        );
    }
    // A mark per cluster; per fourth score band, where the labels are.
    let step = if scores.is_some() { 4.0 } else { 1.0 };
    let bars = |values: &[f64], offset: f64, name: &str, fill| -> Vec<Bar> {
        values
            .iter()
            .enumerate()
            .map(|(c, &v)| {
                let bar = Bar::new(c as f64 + offset, v)
                    .width(0.38)
                    .name(format!("{name}, p = {}", format::percent_whole(repay[c])));
                solid(bar, fill)
            })
            .collect()
    };
    let start_color = theme::start(ui.visuals().dark_mode);
    Plot::new(("ixsim-wv-lend-clusters", group))
        .height(200.0)
        .width(width)
        .legend(Legend::default())
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .include_y(0.0)
        .include_y(0.5)
        .include_x(-0.5)
        .include_x(clusters as f64 - 0.5)
        .custom_x_axes(vec![
            egui_plot::AxisHints::new_x()
                .label(if scores.is_some() {
                    "credit score"
                } else {
                    "credit cluster (chance of repaying)"
                })
                .formatter(move |mark, _| cluster_label(mark.value, repay, scores))
                // One label per cluster: at the default spacing (60 points)
                // only the first one showed at the usual width.
                .label_spacing(24.0..=32.0),
        ])
        .x_grid_spacer(egui_plot::uniform_grid_spacer(move |_| [step, step, step]))
        .y_axis_label("share of group")
        .show(ui, |p| {
            p.bar_chart(
                BarChart::new("At the start", bars(start, -0.2, "start", start_color))
                    .color(start_color),
            );
            p.bar_chart(
                BarChart::new(format!("Day {day}"), bars(now, 0.2, "now", color)).color(color),
            );
        });
    approval_row(ui, w.approval_probabilities(group), repay, width);
}

/// A row of small tiles: the chance that an applicant in each cluster gets
/// a loan under the latest policy.
fn approval_row(ui: &mut egui::Ui, approve: &[f64], repay: &[f64], width: f32) {
    note(ui, "Chance of a loan, per cluster:");
    let neutral = theme::tile(ui.visuals().dark_mode);
    let yes = theme::truth(ui.visuals().dark_mode);
    let spacing = ui.spacing().item_spacing.x;
    let n = approve.len().max(1) as f32;
    // Many narrow bands: colour only, the numbers on hover.
    let numbers = approve.len() <= 12;
    let tile = ((width - spacing * n) / n).max(if numbers { 30.0 } else { 8.0 });
    ui.horizontal(|ui| {
        for (c, &a) in approve.iter().enumerate() {
            let fill = theme::mix(neutral, yes, a as f32);
            egui::Frame::new()
                .fill(fill)
                .corner_radius(CornerRadius::same(4))
                .inner_margin(egui::Margin::same(3))
                .show(ui, |ui| {
                    ui.set_width(tile - 6.0);
                    ui.vertical_centered(|ui| {
                        let text = if numbers {
                            format::percent_whole(a)
                        } else {
                            " ".to_owned()
                        };
                        ui.label(
                            RichText::new(text)
                                .size(14.0)
                                .strong()
                                .color(theme::text_on(fill)),
                        )
                        .on_hover_text(format!(
                            "Cluster with repayment probability {}: {} of applicants get a loan",
                            format::percent_whole(repay[c]),
                            format::percent_whole(a)
                        ));
                    });
                });
        }
    });
}

/// The label under a cluster's bar: its repayment probability, or for
/// score bands its score at every fourth band.
fn cluster_label(v: f64, repay: &[f64], scores: Option<&[f64]>) -> String {
    let c = v.round();
    if (v - c).abs() > 1e-9 || c < 0.0 || c as usize >= repay.len() {
        return String::new();
    }
    let c = c as usize;
    match scores {
        Some(scores) if c.is_multiple_of(4) => format!("{:.0}", scores[c]),
        Some(_) => String::new(),
        None => {
            let p = format::percent_whole(repay[c]);
            // The top two clusters share a probability: name the top one.
            if c == repay.len() - 1 {
                format!("{p}\ntop")
            } else {
                p
            }
        }
    }
}
