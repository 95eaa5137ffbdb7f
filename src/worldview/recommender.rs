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
    Series, Shown, TimePlot, View, caption, choice_text, halves, heading, note, settings_text,
    solid, time_plot,
};
use crate::format;
use crate::sim::AnyWorld;
use crate::sim::recommender::RecommenderWorld;
use crate::sim::{Per, Unit};
use crate::ui::theme;

/// Heading of the main picture (tests look for it).
pub const HEADING: &str = "Satisfaction vs engagement";

/// The metrics and parameters this view reads, resolved at compile time
/// (a misspelt id is a build error).
mod ids {
    use crate::sim::recommender::{METRICS, PARAMS};
    use crate::sim::registry::{metric_index, param_index};

    pub(super) const LEADING_ENGAGEMENT_PER_USER: usize =
        metric_index(METRICS, "leading.engagement_per_user");
    pub(super) const MODEL_CLICKBAIT_SHARE: usize = metric_index(METRICS, "model.clickbait_share");
    pub(super) const ORG_RETENTION: usize = metric_index(METRICS, "org.retention");
    pub(super) const USER_DISSATISFIED_SHARE: usize =
        metric_index(METRICS, "user.dissatisfied_share");
    pub(super) const USER_SATISFACTION: usize = metric_index(METRICS, "user.satisfaction");
    pub(super) const EXPERIENCE_FORCEFULNESS: usize =
        param_index(PARAMS, "experience.forcefulness");
    pub(super) const PEOPLE_CHURN_MIDPOINT: usize = param_index(PARAMS, "people.churn_midpoint");
    pub(super) const POLICY_KIND: usize = param_index(PARAMS, "policy.kind");
}

/// Bins of the satisfaction histogram.
const BINS: usize = 100;

/// Draws the recommender view.
pub(super) fn ui(ui: &mut egui::Ui, view: &View<'_>) {
    heading(ui, HEADING);
    let policy = choice_text(view, ids::POLICY_KIND);
    let mut line = settings_text(
        view,
        ids::EXPERIENCE_FORCEFULNESS,
        &format!("{policy} recommendations"),
    );
    if let Some(c) = view.value(ids::MODEL_CLICKBAIT_SHARE) {
        line.push_str(&format!(
            " · clickbait share served {}",
            format::percent_whole(c)
        ));
    }
    ui.label(RichText::new(line).size(15.0));
    let midpoint = view.param(ids::PEOPLE_CHURN_MIDPOINT);
    super::truth_vs_observed(
        ui,
        |ui, width| {
            caption(ui, "What users feel: mean satisfaction (hidden)");
            note(
                ui,
                &format!("Below {} users start to leave.", format::number(midpoint)),
            );
            time_plot(
                ui,
                TimePlot::new("ixsim-wv-rec-sat", width, Some((0.0, 1.0)))
                    .reference("Churn line", midpoint),
                view.day,
                vec![Series {
                    name: "Mean satisfaction of active users",
                    color: theme::truth(ui.visuals().dark_mode),
                    points: view.series(ids::USER_SATISFACTION),
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
                    points: view.series(ids::LEADING_ENGAGEMENT_PER_USER),
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
                format::count(w.active_users() as f64),
                format::count(w.ever_joined() as f64),
                format::percent_whole(if w.ever_joined() > 0 {
                    w.active_users() as f64 / w.ever_joined() as f64
                } else {
                    0.0
                }),
                format::value(w.cumulative_revenue(), Unit::Money(Per::Total)),
                format::percent_whole(w.long_term_share()),
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
                points: view.series(ids::ORG_RETENTION),
            },
            Series {
                name: "Share of active users below the churn line",
                color: theme::over(ui.visuals().dark_mode),
                points: view.series(ids::USER_DISSATISFIED_SHARE),
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
                "{} to {}",
                format::number(b as f64 * step),
                format::number((b + 1) as f64 * step)
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
    let engagement = view.series(ids::LEADING_ENGAGEMENT_PER_USER);
    let satisfaction = view.series(ids::USER_SATISFACTION);
    let path: Vec<[f64; 2]> = engagement
        .iter()
        .zip(&satisfaction)
        .map(|(e, s)| [e[1], s[1]])
        .collect();
    let here = view
        .value(ids::LEADING_ENGAGEMENT_PER_USER)
        .zip(view.value(ids::USER_SATISFACTION));
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
