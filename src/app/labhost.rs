//! Hosting the lab's Compare, Sweep and Experiment views as tabs.
//!
//! The views ([`crate::lab::CompareView`], [`crate::lab::SweepView`],
//! [`crate::lab::ExperimentView`]) keep
//! their own runs and background jobs, so the app owns them outside
//! [`super::State`] and creates each the first time its tab is shown,
//! starting from the current design. They follow the app's frame cycle:
//! [`Lab::advance`] before drawing, [`Lab::compare_ui`] / [`Lab::sweep_ui`]
//! draw from `&self` and push [`LabCommand`]s, and the app's dispatcher hands
//! those to [`Lab::apply`]. What a view asks of the host ([`LabEvent`])
//! becomes a [`Command`]: load a design into the main run, or save a file
//! (the app picks the path with its file dialog).

use std::time::Duration;

use eframe::egui;

use super::{Command, FileCommand, LabCommand, RunCommand, State, Tab};
use crate::lab::{CompareView, Design, ExperimentView, Export, ExportError, LabEvent, SweepView};
use crate::sim::ParamValues;
use crate::ui::playback::STEP_BUDGET;

/// The lab views, created on first use.
#[derive(Default)]
pub struct Lab {
    compare: Option<CompareView>,
    sweep: Option<SweepView>,
    experiment: Option<ExperimentView>,
    /// Design B the Compare view starts with when it is created
    /// (remembered from the last session); else B starts as the current design.
    pending_b: Option<ParamValues>,
}

impl std::fmt::Debug for Lab {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lab")
            .field("compare", &self.compare.is_some())
            .field("sweep", &self.sweep.is_some())
            .field("experiment", &self.experiment.is_some())
            .field("pending_b", &self.pending_b.is_some())
            .finish()
    }
}

impl Lab {
    /// Forgets both views (a new scenario was opened).
    pub fn clear(&mut self) {
        *self = Self::default();
    }

    /// Design B: the Compare view's, or the one it will start with.
    pub fn design_b(&self) -> Option<&ParamValues> {
        self.compare
            .as_ref()
            .map(|v| v.params(Design::B))
            .or(self.pending_b.as_ref())
    }

    /// Starts the Compare view, when it is next created, with `b` as design B.
    pub fn start_b_with(&mut self, b: ParamValues) {
        self.pending_b = Some(b);
    }

    /// Sets the Experiment view up for a lesson step's experiment and starts
    /// it (creating the view if its tab was never shown). `aa_seeds` above 0
    /// runs A/A reruns instead of the A/B test.
    pub fn start_lesson_experiment(
        &mut self,
        scenario: &crate::scenario::Scenario,
        spec: crate::experiment::run::ExperimentSpec,
        aa_seeds: u32,
    ) -> Result<(), crate::lab::LabError> {
        let view = match self.experiment.take() {
            Some(v) => v,
            None => ExperimentView::new(
                scenario.clone(),
                spec.params_a.clone(),
                spec.params_b.clone(),
            )?,
        };
        let view = self.experiment.insert(view);
        view.preset(spec, aa_seeds);
        Ok(())
    }

    /// The frame's *advance* step for the tab on show: creates its view the
    /// first time (from the current design), polls its background batch and
    /// steps the compare runs within the per-frame budget. Asks for another
    /// frame while work is under way.
    pub fn advance(&mut self, s: &State, ctx: &egui::Context) {
        match s.tab.fit(s.sim.kind()) {
            Tab::Compare => {
                let pending_b = &mut self.pending_b;
                let view = self.compare.get_or_insert_with(|| {
                    let current = s.sim.params().clone();
                    let b = pending_b.take().unwrap_or_else(|| current.clone());
                    CompareView::with_designs(s.scenario.clone(), current.clone(), b)
                        .or_else(|_| {
                            CompareView::with_designs(s.scenario.clone(), current.clone(), current)
                        })
                        .unwrap_or_else(|_| CompareView::new(s.scenario.clone()))
                });
                view.advance_within(STEP_BUDGET);
                if view.is_busy() {
                    ctx.request_repaint();
                }
            }
            Tab::Sweep => {
                let view = self.sweep.get_or_insert_with(|| {
                    let mut v = SweepView::new(&s.scenario);
                    // The current design is the base; a design of another world is refused.
                    let _ = v.set_base(s.sim.params().clone());
                    v
                });
                view.poll();
                if view.is_running() {
                    ctx.request_repaint_after(Duration::from_millis(100));
                }
            }
            Tab::Experiment => {
                if self.experiment.is_none() {
                    let current = s.sim.params().clone();
                    let b = self.design_b().cloned().unwrap_or_else(|| current.clone());
                    if let Ok(mut v) = ExperimentView::new(s.scenario.clone(), current, b) {
                        // Start at once, like Compare: the tab shows a result, not a form.
                        v.apply(crate::lab::ExperimentCommand::Run);
                        self.experiment = Some(v);
                    }
                }
                if let Some(view) = &mut self.experiment {
                    view.poll();
                    if view.is_running() {
                        ctx.request_repaint_after(Duration::from_millis(100));
                    }
                }
            }
            Tab::Dashboard | Tab::Flow | Tab::People | Tab::World => {}
        }
        // An experiment a lesson step started finishes on any tab.
        if let Some(view) = &mut self.experiment
            && view.is_running()
        {
            view.poll();
            ctx.request_repaint_after(Duration::from_millis(100));
        }
    }

    /// Whether the view on show is still working (Compare playing toward its
    /// run length or replicating, a sweep running): screenshots wait for it.
    pub fn is_busy(&self, tab: Tab) -> bool {
        match tab {
            Tab::Compare => self.compare.as_ref().is_some_and(CompareView::is_busy),
            Tab::Sweep => self.sweep.as_ref().is_some_and(SweepView::is_running),
            Tab::Experiment => self
                .experiment
                .as_ref()
                .is_some_and(ExperimentView::is_running),
            Tab::Dashboard | Tab::Flow | Tab::People | Tab::World => false,
        }
    }

    /// Draws the Compare tab from `&self`, pushing what the person asked for.
    /// Shows nothing until [`Lab::advance`] created the view.
    pub fn compare_ui(&self, ui: &mut egui::Ui, out: &mut Vec<Command>) {
        if let Some(view) = &self.compare {
            out.extend(
                view.show(ui)
                    .into_iter()
                    .map(|c| Command::Lab(LabCommand::Compare(c))),
            );
        }
    }

    /// Draws the Sweep tab from `&self`, pushing what the person asked for.
    /// Shows nothing until [`Lab::advance`] created the view.
    pub fn sweep_ui(&self, ui: &mut egui::Ui, out: &mut Vec<Command>) {
        if let Some(view) = &self.sweep {
            out.extend(
                view.show(ui)
                    .into_iter()
                    .map(|c| Command::Lab(LabCommand::Sweep(c))),
            );
        }
    }

    /// Draws the Experiment tab from `&self`, pushing what the person asked
    /// for. Shows nothing until [`Lab::advance`] created the view.
    pub fn experiment_ui(&self, ui: &mut egui::Ui, out: &mut Vec<Command>) {
        if let Some(view) = &self.experiment {
            out.extend(
                view.show(ui)
                    .into_iter()
                    .map(|c| Command::Lab(LabCommand::Experiment(c))),
            );
        }
    }

    /// The Experiment view, once its tab was shown.
    pub fn experiment(&self) -> Option<&ExperimentView> {
        self.experiment.as_ref()
    }

    /// Applies a lab command to its view; what the app must do in turn (load a
    /// design, pick a path), if anything. A command for a view that was closed
    /// in the meantime does nothing.
    pub fn apply(&mut self, command: LabCommand) -> Option<Command> {
        let event = match command {
            LabCommand::Compare(c) => self.compare.as_mut()?.apply(c),
            LabCommand::Sweep(c) => self.sweep.as_mut()?.apply(c),
            LabCommand::Experiment(c) => {
                self.experiment.as_mut()?.apply(c);
                None
            }
        };
        event.map(self::command)
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
