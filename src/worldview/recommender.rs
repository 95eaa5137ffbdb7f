//! The recommender world's view: the engagement the team optimizes against
//! the satisfaction users feel, and who is about to leave.
//!
//! Owns the engagement picture: latent satisfaction (hidden) and engagement
//! per active user (observed) side by side over the run; the satisfaction
//! histogram of active users on the day shown, with the line below which
//! users drift away; the day-by-day path of the pair (a phase plot); and
//! retention with the share of dissatisfied users.

use eframe::egui::{self, RichText};
use egui_plot::{
    Bar, BarChart, Corner, Legend, Line, MarkerShape, Plot, PlotPoints, Points, VLine,
};

use super::{
    Series, Shown, TimePlot, View, caption, choice_text, halves, heading, note, pct, settings_text,
    solid, time_plot,
};
use crate::sim::AnyWorld;
use crate::sim::recommender::RecommenderWorld;
use crate::ui::theme::{self, fmt_count, fmt_value};

/// Heading of the main picture (tests look for it).
pub const HEADING: &str = "Satisfaction vs engagement";

/// Bins of the satisfaction histogram.
const BINS: usize = 100;

/// Draws the recommender view.
pub(super) fn ui(ui: &mut egui::Ui, view: &View<'_>) {
    heading(ui, HEADING);
    let p = view.sim.params();
    let policy = choice_text(view, "policy.kind");
    let mut line = settings_text(view, &format!("{policy} recommendations"));
    if let Some(c) = view.value("model.clickbait_share") {
        line.push_str(&format!(" · clickbait share served {}", pct(c)));
    }
    ui.label(RichText::new(line).size(15.0));
    let midpoint = p.get("people.churn_midpoint");
    super::truth_vs_observed(
        ui,
        |ui, width| {
            caption(ui, "What users feel: mean satisfaction (hidden)");
            note(ui, &format!("Below {midpoint} users start to leave."));
            time_plot(
                ui,
                TimePlot::new("ixsim-wv-rec-sat", width, Some((0.0, 1.0)))
                    .reference("Churn line", midpoint),
                view.day,
                vec![Series {
                    name: "Mean satisfaction of active users",
                    color: theme::truth(ui.visuals().dark_mode),
                    points: view.series("user.satisfaction"),
                }],
            );
        },
        |ui, width| {
            caption(ui, "What the team sees: engagement per active user");
            note(ui, "Seconds of listening per active user per day.");
            time_plot(
                ui,
                TimePlot::new("ixsim-wv-rec-eng", width, Some((0.0, 0.0))),
                view.day,
                vec![Series {
                    name: "Engagement per active user (s/day)",
                    color: theme::action(ui.visuals().dark_mode),
                    points: view.series("leading.engagement_per_user"),
                }],
            );
        },
    );
    halves(
        ui,
        |ui, width| match view.world {
            Shown::Ready(AnyWorld::Recommender(w)) => histogram(ui, w, width, view.day, midpoint),
            _ => view.missing(ui),
        },
        |ui, width| phase_plot(ui, view, width),
    );
    if let Shown::Ready(AnyWorld::Recommender(w)) = view.world {
        ui.add_space(4.0);
        ui.label(
            RichText::new(format!(
                "Active users {} of {} who joined ({} retained) · revenue so far {} · \
                 the long-term policy would serve {} clickbait",
                fmt_count(w.active_users() as f64),
                fmt_count(w.ever_joined() as f64),
                pct(if w.ever_joined() > 0 {
                    w.active_users() as f64 / w.ever_joined() as f64
                } else {
                    0.0
                }),
                fmt_value(w.cumulative_revenue(), "$"),
                pct(w.long_term_share()),
            ))
            .size(15.0),
        );
    }
    heading(ui, "Over the run");
    caption(ui, "Users kept and users unhappy");
    let width = ui.available_width();
    time_plot(
        ui,
        TimePlot::new("ixsim-wv-rec-retention", width, Some((0.0, 1.0))).legend(Corner::LeftBottom),
        view.day,
        vec![
            Series {
                name: "Retention (active over all who joined)",
                color: theme::estimate(ui.visuals().dark_mode),
                points: view.series("org.retention"),
            },
            Series {
                name: "Share of active users below the churn line",
                color: theme::over(ui.visuals().dark_mode),
                points: view.series("user.dissatisfied_share"),
            },
        ],
    );
}

/// Satisfaction of active users on the day shown, in [`BINS`] bins over
/// [0, 1], drawn over the range that holds users and the churn line.
fn histogram(ui: &mut egui::Ui, w: &RecommenderWorld, width: f32, day: u32, midpoint: f64) {
    caption(ui, &format!("Satisfaction of active users, day {day}"));
    let mut bins = [0.0; BINS];
    w.satisfaction_histogram(&mut bins);
    let active = w.active_users().max(1) as f64;
    let step = 1.0 / BINS as f64;
    let (over, truth) = (
        theme::over(ui.visuals().dark_mode),
        theme::truth(ui.visuals().dark_mode),
    );
    let ink = ui.visuals().strong_text_color();
    let occupied = |b: &usize| bins[*b] > 0.0;
    let first = (0..BINS)
        .find(occupied)
        .map_or(midpoint, |b| b as f64 * step);
    let last = (0..BINS)
        .rev()
        .find(occupied)
        .map_or(midpoint, |b| (b + 1) as f64 * step);
    let (lo, hi) = (
        (first.min(midpoint) - 0.05).max(0.0),
        (last.max(midpoint) + 0.05).min(1.0),
    );
    let (below, above): (Vec<Bar>, Vec<Bar>) = bins
        .iter()
        .enumerate()
        .filter(|(_, n)| **n > 0.0)
        .map(|(b, &n)| {
            let centre = (b as f64 + 0.5) * step;
            Bar::new(centre, n / active).width(step * 0.9).name(format!(
                "{:.2} to {:.2}",
                b as f64 * step,
                (b + 1) as f64 * step
            ))
        })
        .partition(|bar| bar.argument < midpoint);
    Plot::new("ixsim-wv-rec-hist")
        .height(200.0)
        .width(width)
        .legend(Legend::default())
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .include_x(lo)
        .include_x(hi)
        .include_y(0.0)
        .include_y(0.25)
        .x_axis_label("satisfaction")
        .y_axis_label("share of active users")
        .show(ui, |p| {
            let paint = |bars: Vec<Bar>, color| bars.into_iter().map(|b| solid(b, color)).collect();
            p.bar_chart(BarChart::new("Likely to leave", paint(below, over)).color(over));
            p.bar_chart(BarChart::new("Likely to stay", paint(above, truth)).color(truth));
            p.vline(VLine::new("Churn line", midpoint).color(ink).width(1.5));
        });
}

/// Satisfaction (hidden) against engagement per user (observed), one point
/// per day, with the day shown marked.
fn phase_plot(ui: &mut egui::Ui, view: &View<'_>, width: f32) {
    caption(ui, "Engagement vs satisfaction, day by day");
    let engagement = view.series("leading.engagement_per_user");
    let satisfaction = view.series("user.satisfaction");
    let path: Vec<[f64; 2]> = engagement
        .iter()
        .zip(&satisfaction)
        .map(|(e, s)| [e[1], s[1]])
        .collect();
    let here = view
        .value("leading.engagement_per_user")
        .zip(view.value("user.satisfaction"));
    let (line, marker) = (
        theme::estimate(ui.visuals().dark_mode),
        theme::action(ui.visuals().dark_mode),
    );
    Plot::new("ixsim-wv-rec-phase")
        .height(200.0)
        .width(width)
        .legend(Legend::default())
        .allow_scroll(false)
        .include_y(0.0)
        .include_y(1.0)
        .x_axis_label("engagement per active user (s/day, observed)")
        .y_axis_label("satisfaction (hidden)")
        .show(ui, |p| {
            p.line(
                Line::new("Path of the run", PlotPoints::new(path))
                    .color(line)
                    .width(2.0),
            );
            if let Some((e, s)) = here {
                p.points(
                    Points::new(format!("Day {}", view.day), PlotPoints::new(vec![[e, s]]))
                        .shape(MarkerShape::Circle)
                        .radius(7.0)
                        .color(marker),
                );
            }
        });
}
