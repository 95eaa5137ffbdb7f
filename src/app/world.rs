//! The world tab: views for the feedback-loop worlds (policing, lending,
//! recommender).
//!
//! Each of these worlds has its own picture in [`crate::worldview`]
//! (districts and patrols, credit-score clusters, engagement against
//! satisfaction), shown with a scrub bar over the run's days.
//! [`super::Tab::for_world`] decides which tabs a world offers: only worlds
//! with a picture get this one.

use eframe::egui;

use super::{Command, State, ViewCommand};
use crate::worldview::{WorldEvent, world_ui};

/// The world tab: the world's own picture ([`crate::worldview`]); what it
/// asks for comes back as commands, like the lab's events.
pub fn ui(ui: &mut egui::Ui, s: &State, out: &mut Vec<Command>) {
    let events = egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| world_ui(ui, &s.sim, s.scrub_day))
        .inner;
    out.extend(events.into_iter().map(|event| match event {
        WorldEvent::ShowDay(day) => Command::View(ViewCommand::SetScrubDay(day)),
    }));
}
