//! Hosting the lab's Compare and Sweep views as tabs.
//!
//! The views ([`crate::lab::CompareView`], [`crate::lab::SweepView`]) keep
//! their own runs and background jobs, so the app owns them outside
//! [`super::State`] and creates each the first time its tab is shown,
//! starting from the current design. What they ask of the host
//! ([`LabEvent`]) becomes a [`Command`]: load a design into the main run,
//! or save a file (the app picks the path with its file dialog).

use eframe::egui;

use super::{Command, FileCommand, RunCommand, State};
use crate::lab::{CompareView, Export, ExportError, LabEvent, SweepView};

/// The lab views, created on first use.
#[derive(Default)]
pub struct Lab {
    compare: Option<CompareView>,
    sweep: Option<SweepView>,
}

impl std::fmt::Debug for Lab {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lab")
            .field("compare", &self.compare.is_some())
            .field("sweep", &self.sweep.is_some())
            .finish()
    }
}

impl Lab {
    /// Forgets both views (a new scenario was opened).
    pub fn clear(&mut self) {
        *self = Self::default();
    }

    /// The Compare tab.
    pub fn compare_ui(&mut self, ui: &mut egui::Ui, s: &State, out: &mut Vec<Command>) {
        let view = self.compare.get_or_insert_with(|| {
            let current = s.sim.params().clone();
            CompareView::with_designs(s.scenario.clone(), current.clone(), current)
                .unwrap_or_else(|_| CompareView::new(s.scenario.clone()))
        });
        for event in view.ui(ui) {
            out.push(command(event));
        }
    }

    /// The Sweep tab.
    pub fn sweep_ui(&mut self, ui: &mut egui::Ui, s: &State, out: &mut Vec<Command>) {
        let view = self.sweep.get_or_insert_with(|| {
            let mut v = SweepView::new(&s.scenario);
            // The current design is the base; a design of another world is refused.
            let _ = v.set_base(s.sim.params().clone());
            v
        });
        for event in view.ui(ui) {
            out.push(command(event));
        }
    }

    /// Writes a lab file; the message to show.
    pub fn export(&mut self, what: Export, path: &std::path::Path) -> Result<String, LabSaveError> {
        let result = match what {
            Export::CompareCsv | Export::CompareScenario => {
                self.compare.as_ref().map(|v| v.export(what, path, true))
            }
            Export::SweepCsv | Export::HeatmapPng => {
                self.sweep.as_ref().map(|v| v.export(what, path, true))
            }
        };
        let outcome = match result {
            None => Err(LabSaveError::NotOpen),
            Some(Ok(())) => Ok(format!("{}: saved {}", what.label(), path.display())),
            Some(Err(e)) => Err(LabSaveError::Export(e)),
        };
        match (&outcome, what) {
            (Ok(m), Export::CompareCsv | Export::CompareScenario) => {
                if let Some(v) = &mut self.compare {
                    v.set_message(m.clone(), false);
                }
            }
            (Ok(m), _) => {
                if let Some(v) = &mut self.sweep {
                    v.set_message(m.clone(), false);
                }
            }
            _ => {}
        }
        outcome
    }
}

/// Why a lab file was not saved.
#[derive(Debug, thiserror::Error)]
pub enum LabSaveError {
    /// The view that offered the file was closed (a new scenario opened).
    #[error("that view is not open any more")]
    NotOpen,
    /// The view could not write it.
    #[error(transparent)]
    Export(#[from] ExportError),
}

fn command(event: LabEvent) -> Command {
    match event {
        LabEvent::LoadDesign(params) => Command::Run(RunCommand::LoadDesign(params)),
        LabEvent::SaveRequest(what) => Command::Files(FileCommand::LabSaveDialog(what)),
    }
}
