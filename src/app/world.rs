//! The world tab: views for the feedback-loop worlds (policing, lending,
//! recommender).
//!
//! Each of these worlds has its own picture in [`crate::worldview`]
//! (districts and patrols, credit-score clusters, engagement against
//! satisfaction), shown with a scrub bar over the run's days.
//! [`super::Tab::for_world`] decides which tabs a world offers: only worlds
//! with a picture get this one.

use eframe::egui;

use super::{Command, State};

/// The world tab: the world's own picture ([`crate::worldview`]).
pub fn ui(ui: &mut egui::Ui, s: &State, out: &mut Vec<Command>) {
    let mut day = s.scrub_day;
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| crate::worldview::world_ui(ui, &s.sim, &mut day));
    if day != s.scrub_day {
        out.push(Command::SetScrubDay(day));
    }
}
