//! Files: opening scenarios (dialog, drag and drop, typed path), saving the
//! current settings as a scenario, and exporting the run as CSV.
//!
//! Native dialogs (`rfd`) run off the UI thread where the platform allows it,
//! so the window keeps drawing while one is open. A dialog can fail outright
//! (no desktop portal on a bare Linux session): then the app says so and
//! offers a path prompt instead. Every failure becomes a readable message;
//! nothing here panics and a bad file never replaces the open scenario.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use eframe::egui;

use super::{Command, FileCommand, Notice, NoticeKind, State, ViewCommand, theme};
use crate::scenario::Scenario;

/// Shown when a file dialog could not be opened at all.
pub const NO_DIALOG: &str = "No file dialog could be opened on this desktop (it needs an \
xdg-desktop-portal or zenity). Type a path instead, drag a .ron file onto the window, or start \
ixsim with --scenario FILE.";

/// What a dialog is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// Open a scenario file.
    Open,
    /// Save the current settings as a scenario.
    Save,
    /// Export the run as CSV.
    Export,
    /// Save a file of the Compare or Sweep view.
    Lab(crate::lab::Export),
}

impl Purpose {
    /// Title of the dialog or prompt.
    pub fn title(self) -> &'static str {
        match self {
            Purpose::Open => "Open scenario",
            Purpose::Save => "Save settings as scenario",
            Purpose::Export => "Export run as CSV",
            Purpose::Lab(what) => what.label(),
        }
    }

    /// The command that acts on a chosen path.
    pub fn command(self, path: PathBuf) -> Command {
        match self {
            Purpose::Open => Command::Files(FileCommand::Open(path)),
            Purpose::Save => Command::Files(FileCommand::SaveScenario(path)),
            Purpose::Export => Command::Files(FileCommand::ExportCsv(path)),
            Purpose::Lab(what) => Command::Files(FileCommand::LabExport(what, path)),
        }
    }

    /// A sensible file name to start from.
    pub fn default_name(self, scenario: &Scenario) -> String {
        match self {
            Purpose::Open => String::new(),
            Purpose::Save => format!("{}-custom.ron", scenario.id),
            Purpose::Export => format!("{}-run.csv", scenario.id),
            Purpose::Lab(what) => format!("{}-{}", scenario.id, what.suggested_file_name()),
        }
    }
}

/// A dialog in flight.
struct Pending {
    purpose: Purpose,
    started: Instant,
    rx: mpsc::Receiver<Option<PathBuf>>,
}

/// File dialogs in flight (at most one).
#[derive(Default)]
pub struct Dialogs {
    pending: Option<Pending>,
}

impl Dialogs {
    /// Opens a native dialog for `purpose` unless one is already open.
    pub fn open(&mut self, purpose: Purpose, scenario: &Scenario) {
        if self.pending.is_some() {
            return;
        }
        let (tx, rx) = mpsc::channel();
        let name = purpose.default_name(scenario);
        let job = move || {
            let chosen = std::panic::catch_unwind(|| native_dialog(purpose, &name)).unwrap_or(None);
            let _ = tx.send(chosen);
        };
        // macOS wants dialogs on the main thread; elsewhere keep the UI drawing.
        if cfg!(target_os = "macos") {
            job();
        } else if std::thread::Builder::new()
            .name("ixsim-file-dialog".into())
            .spawn(job)
            .is_err()
        {
            // Could not start a thread: report as a failed dialog below.
        }
        self.pending = Some(Pending {
            purpose,
            started: Instant::now(),
            rx,
        });
    }

    /// A dialog is open (its answer has not come back yet).
    pub fn is_open(&self) -> bool {
        self.pending.is_some()
    }

    /// Turns a finished dialog into a command.
    pub fn poll(&mut self, out: &mut Vec<Command>) {
        let Some(p) = &self.pending else {
            return;
        };
        let result = match p.rx.try_recv() {
            Ok(r) => r,
            Err(mpsc::TryRecvError::Empty) => return,
            Err(mpsc::TryRecvError::Disconnected) => None,
        };
        let purpose = p.purpose;
        // A dialog a person cancelled was open for a while; one that came
        // back at once never appeared.
        let failed = result.is_none() && p.started.elapsed() < Duration::from_millis(400);
        self.pending = None;
        match result {
            Some(path) => out.push(purpose.command(path)),
            None => out.push(Command::Files(FileCommand::DialogClosed {
                purpose,
                failed,
            })),
        }
    }
}

fn native_dialog(purpose: Purpose, name: &str) -> Option<PathBuf> {
    let (kind, extension) = match purpose {
        Purpose::Open | Purpose::Save => ("ixsim scenario", "ron"),
        Purpose::Export => ("CSV", "csv"),
        Purpose::Lab(what) => (what.extension(), what.extension()),
    };
    let dialog = rfd::FileDialog::new()
        .set_title(purpose.title())
        .add_filter(kind, &[extension])
        .set_directory(std::env::current_dir().unwrap_or_default());
    match purpose {
        Purpose::Open => dialog.pick_file(),
        Purpose::Save | Purpose::Export | Purpose::Lab(_) => dialog.set_file_name(name).save_file(),
    }
}

/// Why a scenario file was not opened. The Display text is the banner the
/// app shows.
#[derive(Debug, thiserror::Error)]
#[error("This scenario file was not opened:\n{0}\nThe current scenario stays open.")]
pub struct OpenError(#[from] pub crate::scenario::ScenarioError);

/// Reads and validates a scenario file.
pub fn read_scenario(path: &Path) -> Result<Scenario, OpenError> {
    Ok(Scenario::load(path)?)
}

/// Saves the current parameters as a scenario file (atomically).
pub fn save_scenario(s: &State, path: &Path) -> Notice {
    let path = with_extension(path, "ron");
    let text = s.scenario.to_ron_with(s.sim.params());
    match crate::io::atomic_write(&path, text.as_bytes()) {
        Ok(()) => Notice {
            kind: NoticeKind::Info,
            text: format!(
                "Saved the current settings as a scenario: {}",
                path.display()
            ),
        },
        Err(e) => Notice {
            kind: NoticeKind::Error,
            text: format!("Could not save {}: {e}", path.display()),
        },
    }
}

/// Writes the run's daily measures as CSV (atomically).
pub fn export_csv(s: &State, path: &Path) -> Notice {
    let path = with_extension(path, "csv");
    let written = crate::io::atomic_write_with(&path, |w| {
        crate::export::write_runs_csv(w, s.sim.kind().metrics(), [s.sim.history()])
    });
    match written {
        Ok(()) => Notice {
            kind: NoticeKind::Info,
            text: format!(
                "Exported {} days of measures to {}",
                s.sim.history().days(),
                path.display()
            ),
        },
        Err(e) => Notice {
            kind: NoticeKind::Error,
            text: format!("Could not export to {}: {e}", path.display()),
        },
    }
}

fn with_extension(path: &Path, ext: &str) -> PathBuf {
    if path.extension().is_some() {
        path.to_path_buf()
    } else {
        path.with_extension(ext)
    }
}

/// Files dropped on the window become "open" commands.
pub fn dropped_files(ctx: &egui::Context, out: &mut Vec<Command>) {
    let dropped = ctx.input(|i| i.raw.dropped_files.clone());
    for file in dropped {
        let path = file.path();
        if !path.as_os_str().is_empty() {
            out.push(Command::Files(FileCommand::Open(path.to_path_buf())));
        }
    }
}

fn dir_hint(purpose: Purpose) -> String {
    let dir = std::env::current_dir().unwrap_or_default();
    match purpose {
        Purpose::Open => dir.join("my-scenario.ron").display().to_string(),
        Purpose::Save => dir.join("my-design.ron").display().to_string(),
        Purpose::Export => dir.join("run.csv").display().to_string(),
        Purpose::Lab(what) => dir.join(what.suggested_file_name()).display().to_string(),
    }
}

/// The prompt shown when no native dialog is available: a path field.
pub fn path_prompt(ctx: &egui::Context, s: &State, purpose: Purpose, out: &mut Vec<Command>) {
    let id = egui::Id::unique("ixsim-path-prompt").with(purpose.title());
    let mut text: String = ctx.data(|d| d.get_temp(id)).unwrap_or_else(|| {
        let dir = std::env::current_dir().unwrap_or_default();
        match purpose {
            Purpose::Open => match &s.source {
                super::Source::File(p) => p.display().to_string(),
                super::Source::Embedded => String::new(),
            },
            _ => dir
                .join(purpose.default_name(&s.scenario))
                .display()
                .to_string(),
        }
    });
    let mut close = false;
    egui::Modal::new(egui::Id::unique("ixsim-path-modal")).show(ctx, |ui| {
        ui.set_width(520.0);
        ui.heading(purpose.title());
        ui.add_space(4.0);
        ui.label("Path of the file:");
        let edit = ui.add(
            egui::TextEdit::singleline(&mut text)
                .desired_width(f32::INFINITY)
                .hint_text(dir_hint(purpose)),
        );
        let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        // Native save dialogs ask before replacing a file; so does this one.
        let replaces = purpose != Purpose::Open && Path::new(text.trim()).is_file();
        if replaces {
            ui.colored_label(
                theme::warn(s.prefs.theme.is_dark()),
                "A file with this name exists: saving replaces it.",
            );
        }
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            let go = ui.button(match purpose {
                Purpose::Open => "Open",
                _ if replaces => "Replace",
                Purpose::Save | Purpose::Lab(_) => "Save",
                Purpose::Export => "Export",
            });
            if (go.clicked() || enter) && !text.trim().is_empty() {
                out.push(purpose.command(PathBuf::from(text.trim())));
                close = true;
            }
            if ui.button("Cancel").clicked() {
                close = true;
            }
        });
    });
    if close || ctx.input(|i| i.key_pressed(egui::Key::Escape)) {
        out.push(Command::View(ViewCommand::SetOverlay(None)));
        ctx.data_mut(|d| d.remove::<String>(id));
    } else {
        ctx.data_mut(|d| d.insert_temp(id, text));
    }
}
