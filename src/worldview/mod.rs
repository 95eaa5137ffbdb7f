//! Pictures of the feedback-loop worlds, for the app's "World" tab.
//!
//! This module owns the world-specific views of the policing, lending and
//! recommender worlds: what each world looks like on a given day, with the
//! hidden truth drawn next to what the organization can observe (the gap the
//! domain guide calls "often the lesson"), and a time scrub that shows any
//! past day of the run. It is read-only: it takes `&Simulation` and never
//! changes it.
//!
//! # How the host calls it
//! ```no_run
//! # fn frame(ui: &mut eframe::egui::Ui, sim: &ixsim::sim::Simulation) {
//! use ixsim::worldview::{WorldEvent, has_view, world_ui};
//! // Host state, one per simulation: `None` follows the latest day.
//! let mut scrub_day: Option<u32> = None;
//! // Once per frame, inside the World tab: draw, then apply what it asks.
//! if has_view(sim.kind()) {
//!     let events = eframe::egui::ScrollArea::vertical()
//!         .show(ui, |ui| world_ui(ui, sim, scrub_day))
//!         .inner;
//!     for event in events {
//!         match event {
//!             WorldEvent::ShowDay(day) => scrub_day = day,
//!         }
//!     }
//! } else {
//!     // The users world has no view here: draw the host's own.
//! }
//! # }
//! ```
//! - The view draws from read-only input and hands changes back as
//!   [`WorldEvent`]s, the way the lab's views return their events: the
//!   host applies them after drawing.
//! - [`world_ui`] draws nothing for worlds without a view here ([`has_view`]
//!   tells in advance); the users world is one.
//! - `scrub_day` is the host's: `None` shows the latest day and follows the
//!   run; `Some(d)` shows day `d` (0 = the start, before the first day)
//!   and stays there while the run goes on. The view asks for a new day
//!   when the slider moves, for `None` with its "Follow the run" button,
//!   and for `None` if `d` is past the run (a restart). Reset it when a new
//!   simulation replaces the old one.
//! - The view is about 1,000 points tall and does not scroll by itself:
//!   put it inside a vertical `egui::ScrollArea`, as the World tab does.
//! - Past days are rebuilt by rerunning the simulation (see [`replay`]):
//!   cheap for these worlds; on a very long or very large run the view says
//!   it is rebuilding and asks for repaints until it is done.
//!
//! Submodules: [`policing`] (districts: true share, patrol share, the
//! model's estimate), [`lending`] (credit-score clusters per group, start
//! vs now), [`recommender`] (engagement vs satisfaction), [`replay`].

pub mod lending;
pub mod policing;
pub mod recommender;
pub mod replay;

use std::time::Duration;

use eframe::egui::{self, Color32, RichText};
use egui_plot::{Corner, HLine, Legend, Line, LineStyle, Plot, PlotPoints, VLine};

use crate::format;
use crate::sim::{AnyWorld, History, Simulation, WorldKind};
use crate::ui::plot::decimate_points;
use replay::{Rebuilt, ReplayCache};

/// Wall time a frame may spend rebuilding a past day.
const REBUILD_BUDGET: Duration = Duration::from_millis(12);

/// True if [`world_ui`] draws something for this kind of world.
pub fn has_view(kind: WorldKind) -> bool {
    !matches!(kind, WorldKind::Users)
}

/// What the world view asks of its host, returned by [`world_ui`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WorldEvent {
    /// Show this day from now on (`None` follows the run).
    ShowDay(Option<u32>),
}

/// Draws the view of `sim`'s world at the day `scrub_day` selects (see the
/// module documentation) and returns what the person asked for. Draws
/// nothing for a world without a view here (the users world).
#[must_use = "the host applies the events after drawing"]
pub fn world_ui(ui: &mut egui::Ui, sim: &Simulation, scrub_day: Option<u32>) -> Vec<WorldEvent> {
    let mut events = Vec::new();
    if !has_view(sim.kind()) {
        return events;
    }
    let id = egui::Id::unique("ixsim-worldview").with(sim.kind().id());
    let mut cache: ReplayCache = ui
        .ctx()
        .data_mut(|d| d.remove_temp::<ReplayCache>(id))
        .unwrap_or_default();
    let day = scrub_bar(ui, sim, scrub_day, &mut events);
    let world = if day == sim.day() {
        Shown::Ready(sim.world())
    } else {
        match cache.reach(sim, day, REBUILD_BUDGET) {
            Rebuilt::Ready(w) => Shown::Ready(w),
            Rebuilt::Working { done, total } => {
                ui.ctx().request_repaint();
                Shown::Rebuilding(done, total)
            }
            Rebuilt::Unavailable => Shown::Unavailable,
        }
    };
    let view = View { sim, day, world };
    match sim.world() {
        AnyWorld::Policing(_) => policing::ui(ui, &view),
        AnyWorld::Lending(_) => lending::ui(ui, &view),
        AnyWorld::Recommender(_) => recommender::ui(ui, &view),
        AnyWorld::Users(_) => {}
    }
    ui.ctx().data_mut(|d| d.insert_temp(id, cache));
    events
}

/// The world state a view draws.
enum Shown<'a> {
    /// The world on the day shown.
    Ready(&'a AnyWorld),
    /// Still rebuilding that day: (days done, days needed).
    Rebuilding(u32, u32),
    /// That day cannot be rebuilt.
    Unavailable,
}

/// Everything a world's view reads.
struct View<'a> {
    sim: &'a Simulation,
    /// The day shown (0 = the start).
    day: u32,
    world: Shown<'a>,
}

impl View<'_> {
    /// A metric's daily values (`metric` indexes the world's metric table,
    /// resolved at compile time by the world's view), or an empty series if
    /// the index is not one of this run's columns.
    fn series(&self, metric: usize) -> Vec<[f64; 2]> {
        series(self.sim.history(), self.column(metric))
    }

    /// A metric's value on the day shown (`None` on day 0 or if unknown).
    fn value(&self, metric: usize) -> Option<f64> {
        let m = self.column(metric)?;
        let h = self.sim.history();
        (self.day >= 1 && (self.day as usize) <= h.days()).then(|| h.row(self.day as usize)[m])
    }

    /// `metric` if it is one of this run's columns.
    fn column(&self, metric: usize) -> Option<usize> {
        (metric < self.sim.kind().metrics().len()).then_some(metric)
    }

    /// A parameter's current value by index in the world's table (0 if the
    /// index is not one of this run's parameters).
    fn param(&self, index: usize) -> f64 {
        self.sim
            .params()
            .values()
            .get(index)
            .copied()
            .unwrap_or_default()
    }

    /// Explains why the day's state is missing, in place of a picture.
    fn missing(&self, ui: &mut egui::Ui) {
        let text = match self.world {
            Shown::Ready(_) => return,
            Shown::Rebuilding(done, total) => {
                format!("Rebuilding day {total} of this run... ({done} of {total} days)")
            }
            Shown::Unavailable => format!(
                "Day {} of this run cannot be rebuilt (its settings were changed in a way \
                 the run did not record). The curves below still show every day.",
                self.day
            ),
        };
        ui.add_space(8.0);
        ui.label(RichText::new(text).italics().size(16.0));
        ui.add_space(8.0);
    }
}

/// A metric's daily values as plot points, day 1 first.
fn series(h: &History, metric: Option<usize>) -> Vec<[f64; 2]> {
    match metric {
        Some(m) => h
            .column(m)
            .enumerate()
            .map(|(i, v)| [(i + 1) as f64, v])
            .collect(),
        None => Vec::new(),
    }
}

/// Ratio of windowed sums of two series (e.g. repaid loans over loans in the
/// last `window` days), `None` where the denominator's window sums to 0.
fn windowed_ratio(num: &[[f64; 2]], den: &[[f64; 2]], window: usize) -> Vec<[f64; 2]> {
    let n = num.len().min(den.len());
    let (mut a, mut b) = (0.0, 0.0);
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        a += num[i][1];
        b += den[i][1];
        if i >= window {
            a -= num[i - window][1];
            b -= den[i - window][1];
        }
        if b > 0.0 {
            out.push([num[i][0], a / b]);
        }
    }
    out
}

/// The day slider and the "follow the run" button; returns the day shown
/// and pushes the day the person chose.
fn scrub_bar(
    ui: &mut egui::Ui,
    sim: &Simulation,
    scrub_day: Option<u32>,
    out: &mut Vec<WorldEvent>,
) -> u32 {
    let last = sim.day();
    let mut shown = scrub_day.filter(|&d| d <= last);
    if shown != scrub_day {
        out.push(WorldEvent::ShowDay(None));
    }
    let mut day = shown.unwrap_or(last);
    // Wraps in a narrow centre rather than widening it.
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("Day shown").size(16.0));
        let slider = egui::Slider::new(&mut day, 0..=last.max(1))
            .clamping(egui::SliderClamping::Always)
            .text(format!("of {last} days"));
        let response = ui.add_enabled(last > 0, slider);
        if response.changed() {
            shown = Some(day.min(last));
            out.push(WorldEvent::ShowDay(shown));
        }
        let following = shown.is_none();
        let button = egui::Button::new("Follow the run").selected(following);
        if ui
            .add(button)
            .on_hover_text("Show the latest day and keep up as the run goes on")
            .clicked()
        {
            shown = None;
            out.push(WorldEvent::ShowDay(None));
        }
        if !following {
            ui.label(RichText::new("(showing a past day)").italics());
        }
    });
    shown.unwrap_or(last).min(last)
}

/// A section heading, large enough for a projector.
fn heading(ui: &mut egui::Ui, text: &str) {
    ui.add_space(6.0);
    ui.label(RichText::new(text).size(22.0).strong());
}

/// A sub-heading over one chart.
fn caption(ui: &mut egui::Ui, text: &str) {
    ui.label(RichText::new(text).size(16.0).strong());
}

/// A muted one-line explanation.
fn note(ui: &mut egui::Ui, text: &str) {
    ui.label(RichText::new(text).color(ui.visuals().weak_text_color()));
}

/// Two halves side by side, each `width` wide: the left is the hidden
/// truth, the right what the organization observes.
fn truth_vs_observed(
    ui: &mut egui::Ui,
    left: impl FnOnce(&mut egui::Ui, f32),
    right: impl FnOnce(&mut egui::Ui, f32),
) {
    heading(ui, "Hidden truth vs what the organization observes");
    halves(ui, left, right);
}

/// Two columns of equal width.
fn halves(
    ui: &mut egui::Ui,
    left: impl FnOnce(&mut egui::Ui, f32),
    right: impl FnOnce(&mut egui::Ui, f32),
) {
    let width = ((ui.available_width() - 16.0) / 2.0).max(160.0);
    ui.horizontal_top(|ui| {
        ui.vertical(|ui| {
            ui.set_width(width);
            left(ui, width);
        });
        ui.add_space(8.0);
        ui.vertical(|ui| {
            ui.set_width(width);
            right(ui, width);
        });
    });
}

/// One line of a time plot.
struct Series<'a> {
    name: &'a str,
    color: Color32,
    points: Vec<[f64; 2]>,
}

/// How a time plot looks: its id, width, the y range it always shows, where
/// its legend sits and an optional labelled reference level.
struct TimePlot<'a> {
    id: &'a str,
    width: f32,
    y_range: Option<(f64, f64)>,
    legend: Corner,
    reference: Option<(&'a str, f64)>,
}

impl<'a> TimePlot<'a> {
    /// A plot `width` wide that always shows `y_range` (if any), with its
    /// legend in the lower right corner.
    fn new(id: &'a str, width: f32, y_range: Option<(f64, f64)>) -> Self {
        Self {
            id,
            width,
            y_range,
            legend: Corner::RightBottom,
            reference: None,
        }
    }

    /// Puts the legend in `corner`.
    fn legend(mut self, corner: Corner) -> Self {
        self.legend = corner;
        self
    }

    /// Draws a dashed horizontal line at `y`, named `name` in the legend.
    fn reference(mut self, name: &'a str, y: f64) -> Self {
        self.reference = Some((name, y));
        self
    }
}

/// A time plot over the whole run with a marker at the day shown. All time
/// plots of the views share their day axis and cursor.
fn time_plot(ui: &mut egui::Ui, spec: TimePlot<'_>, day: u32, lines: Vec<Series<'_>>) {
    let link = egui::Id::unique("ixsim-worldview-days");
    let mut plot = Plot::new(spec.id)
        .height(200.0)
        .width(spec.width)
        .legend(Legend::default().position(spec.legend))
        .x_axis_label("day")
        .link_axis(link, [true, false])
        .link_cursor(link, [true, false])
        .allow_scroll(false)
        .include_x(0.0);
    if let Some((lo, hi)) = spec.y_range {
        plot = plot.include_y(lo).include_y(hi);
    }
    let marker = ui.visuals().strong_text_color().gamma_multiply(0.6);
    let reference_color = ui.visuals().text_color();
    plot.show(ui, |p| {
        let bounds = p.plot_bounds();
        let view = (bounds.min()[0], bounds.max()[0]);
        let width = p.transform().frame().width().max(16.0) as usize;
        for s in lines {
            p.line(
                Line::new(
                    s.name,
                    PlotPoints::new(decimate_points(&s.points, view, width)),
                )
                .color(s.color)
                .width(2.5),
            );
        }
        if let Some((name, y)) = spec.reference {
            p.hline(
                HLine::new(name, y)
                    .color(reference_color)
                    .style(LineStyle::dashed_loose())
                    .width(1.5),
            );
        }
        // Unnamed: the marker needs no legend entry.
        p.vline(VLine::new("", f64::from(day)).color(marker).width(1.5));
    });
}

/// Gives a bar a nearly solid fill in `color` (egui_plot's default fill is
/// faint, which washes out on a projector).
fn solid(bar: egui_plot::Bar, color: Color32) -> egui_plot::Bar {
    bar.fill(color.linear_multiply(0.8))
        .stroke(egui::Stroke::new(1.0, color))
}

/// A choice parameter's current value in words ("risk_based" → "risk based").
fn choice_text(view: &View<'_>, index: usize) -> String {
    view.sim
        .params()
        .specs()
        .get(index)
        .map(|s| s.format(view.param(index)).replace('_', " "))
        .unwrap_or_default()
}

/// The line under each view's heading: "Day 120 · `what` · forcefulness 70%".
/// `forcefulness` is the index of the world's `experience.forcefulness`.
fn settings_text(view: &View<'_>, forcefulness: usize, what: &str) -> String {
    let forcefulness = view.param(forcefulness);
    format!(
        "Day {} · {what} · forcefulness {}",
        view.day,
        format::percent_whole(forcefulness)
    )
}

#[cfg(test)]
mod tests;
