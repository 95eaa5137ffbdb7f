//! Files: opening scenarios (dialog, drag and drop, typed path), saving the
//! current settings as a scenario, and exporting the run as CSV.
//!
//! Native dialogs (`rfd`) run off the UI thread where the platform allows it,
//! so the window keeps drawing while one is open. A dialog can fail outright
//! (no desktop portal on a bare Linux session) or never answer (a portal
//! that hangs): after [`NATIVE_TIMEOUT`] without an answer, or at once when
//! it failed, the app opens its own chooser (a path field over a listing of
//! the folder) and says why. A native answer that comes later still counts,
//! and a new file action never waits for an old dialog. Every save ends in
//! a banner naming the file written, or the error. Nothing here panics and a
//! bad file never replaces the open scenario.

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

/// How long a native dialog may stay silent before the app's own chooser
/// opens beside it.
pub const NATIVE_TIMEOUT: Duration = Duration::from_secs(6);

/// Shown when a native dialog did not answer in time.
pub const SLOW_DIALOG: &str = "The desktop's file dialog did not answer: choose the file here instead. (If the desktop's dialog appears after all, either one will do.)";

/// A dialog in flight.
struct Pending {
    purpose: Purpose,
    started: Instant,
    rx: mpsc::Receiver<Option<PathBuf>>,
    /// The app's own chooser was opened because this one was silent.
    fallback: bool,
}

/// What [`Dialogs::open`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Opened {
    /// A native dialog is on its way; its answer comes through `poll`.
    Native,
    /// No native dialog: show the app's own chooser now.
    InApp,
}

/// File dialogs in flight (at most one native dialog).
pub struct Dialogs {
    pending: Option<Pending>,
    /// Whether to try the desktop's dialog at all.
    native: bool,
    /// How long a silent native dialog is waited for.
    timeout: Duration,
}

impl Default for Dialogs {
    fn default() -> Self {
        Self {
            pending: None,
            native: true,
            timeout: NATIVE_TIMEOUT,
        }
    }
}

impl Dialogs {
    /// Dialogs that never try the desktop's dialog: every file action opens
    /// the app's own chooser (tests, desktops without a dialog service).
    pub fn in_app_only() -> Self {
        Self {
            native: false,
            ..Self::default()
        }
    }

    /// Opens a native dialog for `purpose`; or, when native dialogs are off
    /// or one is already open (a person who starts another file action is
    /// not in that dialog any more), tells the caller to show the app's own
    /// chooser. An older dialog's answer is then ignored.
    pub fn open(&mut self, purpose: Purpose, scenario: &Scenario) -> Opened {
        let name = purpose.default_name(scenario);
        self.open_with(purpose, move || native_dialog(purpose, &name))
    }

    /// [`Dialogs::open`] with the dialog given as a function (tests give one
    /// that hangs or answers).
    pub fn open_with(
        &mut self,
        purpose: Purpose,
        dialog: impl FnOnce() -> Option<PathBuf> + Send + 'static,
    ) -> Opened {
        if !self.native || self.pending.take().is_some() {
            return Opened::InApp;
        }
        let (tx, rx) = mpsc::channel();
        let job = move || {
            let chosen =
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(dialog)).unwrap_or(None);
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
            fallback: false,
        });
        Opened::Native
    }

    /// A dialog is open (its answer has not come back yet).
    pub fn is_open(&self) -> bool {
        self.pending.is_some()
    }

    /// Turns a finished dialog into a command; a dialog silent for longer
    /// than the timeout opens the app's chooser once (and is still listened
    /// to).
    pub fn poll(&mut self, out: &mut Vec<Command>) {
        let Some(p) = &mut self.pending else {
            return;
        };
        let result = match p.rx.try_recv() {
            Ok(r) => r,
            Err(mpsc::TryRecvError::Empty) => {
                if !p.fallback && p.started.elapsed() >= self.timeout {
                    p.fallback = true;
                    out.push(Command::Files(FileCommand::DialogClosed {
                        purpose: p.purpose,
                        failed: true,
                    }));
                }
                return;
            }
            Err(mpsc::TryRecvError::Disconnected) => None,
        };
        let purpose = p.purpose;
        let fallback = p.fallback;
        // A dialog a person cancelled was open for a while; one that came
        // back at once never appeared.
        let failed = result.is_none() && p.started.elapsed() < Duration::from_millis(400);
        self.pending = None;
        match result {
            Some(path) => {
                if fallback {
                    // The app's chooser is open beside it: close it.
                    out.push(Command::View(ViewCommand::SetOverlay(None)));
                }
                out.push(purpose.command(path));
            }
            // The person is choosing in the app's chooser already.
            None if fallback => {}
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
        if let Some(picked) = folder_listing(ui, &text, purpose) {
            text = picked;
        }
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

/// Most entries a folder listing shows.
const LISTING_MAX: usize = 300;

/// The folder of the typed path, listed: sub-folders first, then the files
/// this purpose can use. Clicking a folder enters it (keeping the typed file
/// name when saving), clicking a file picks it. Returns the new path text.
fn folder_listing(ui: &mut egui::Ui, text: &str, purpose: Purpose) -> Option<String> {
    let typed = Path::new(text.trim());
    let (folder, name) = if typed.is_dir() {
        (typed.to_path_buf(), String::new())
    } else {
        let folder = typed
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(
                || std::env::current_dir().unwrap_or_default(),
                Path::to_path_buf,
            );
        let name = typed
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        (folder, name)
    };
    let extension = match purpose {
        Purpose::Open | Purpose::Save => "ron",
        Purpose::Export => "csv",
        Purpose::Lab(what) => what.extension(),
    };
    let mut dirs = Vec::new();
    let mut files = Vec::new();
    if let Ok(entries) = std::fs::read_dir(&folder) {
        for entry in entries.flatten().take(10 * LISTING_MAX) {
            let path = entry.path();
            let label = entry.file_name().to_string_lossy().into_owned();
            if label.starts_with('.') {
                continue;
            }
            if path.is_dir() {
                dirs.push(label);
            } else if path.extension().is_some_and(|e| e == extension) {
                files.push(label);
            }
        }
    }
    dirs.sort();
    files.sort();
    let mut picked = None;
    ui.add_space(4.0);
    ui.label(format!("In {}:", folder.display()));
    egui::ScrollArea::vertical()
        .id_salt("ixsim-path-listing")
        .max_height(220.0)
        .auto_shrink([false, true])
        .show(ui, |ui| {
            if let Some(up) = folder.parent()
                && ui.selectable_label(false, "../  (up a folder)").clicked()
            {
                picked = Some(up.join(&name));
            }
            for d in dirs.iter().take(LISTING_MAX) {
                if ui.selectable_label(false, format!("{d}/")).clicked() {
                    picked = Some(folder.join(d).join(&name));
                }
            }
            for f in files.iter().take(LISTING_MAX) {
                if ui.selectable_label(*f == name, f.as_str()).clicked() {
                    picked = Some(folder.join(f));
                }
            }
            if dirs.is_empty() && files.is_empty() {
                ui.weak(format!("(no folders or .{extension} files here)"));
            }
        });
    picked.map(|p| p.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hanging(
        release: mpsc::Receiver<Option<PathBuf>>,
    ) -> impl FnOnce() -> Option<PathBuf> + Send {
        move || release.recv().ok().flatten()
    }

    fn settle(d: &mut Dialogs, until: impl Fn(&[Command]) -> bool) -> Vec<Command> {
        let started = Instant::now();
        let mut out = Vec::new();
        while started.elapsed() < Duration::from_secs(10) {
            d.poll(&mut out);
            if until(&out) {
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        out
    }

    #[test]
    fn a_silent_dialog_opens_the_app_chooser_once_and_a_late_answer_still_counts() {
        let mut d = Dialogs {
            timeout: Duration::from_millis(30),
            ..Dialogs::default()
        };
        let (answer, release) = mpsc::channel();
        assert_eq!(
            d.open_with(Purpose::Export, hanging(release)),
            Opened::Native
        );
        let out = settle(&mut d, |o| !o.is_empty());
        assert_eq!(
            out,
            vec![Command::Files(FileCommand::DialogClosed {
                purpose: Purpose::Export,
                failed: true,
            })]
        );
        // Still waiting, and the chooser is not opened twice.
        std::thread::sleep(Duration::from_millis(60));
        let mut again = Vec::new();
        d.poll(&mut again);
        assert!(again.is_empty() && d.is_open());
        answer.send(Some(PathBuf::from("late.csv"))).unwrap();
        let out = settle(&mut d, |o| o.len() >= 2);
        assert_eq!(
            out,
            vec![
                Command::View(ViewCommand::SetOverlay(None)),
                Command::Files(FileCommand::ExportCsv(PathBuf::from("late.csv"))),
            ]
        );
        assert!(!d.is_open());
    }

    #[test]
    fn a_new_file_action_never_waits_for_an_old_dialog() {
        let mut d = Dialogs::default();
        let (_answer, release) = mpsc::channel();
        assert_eq!(d.open_with(Purpose::Save, hanging(release)), Opened::Native);
        assert_eq!(
            d.open_with(Purpose::Open, || None),
            Opened::InApp,
            "the second action goes to the app's chooser"
        );
        assert!(!d.is_open(), "the old dialog is no longer waited for");
        let (_answer, release) = mpsc::channel();
        assert_eq!(
            Dialogs::in_app_only().open_with(Purpose::Open, hanging(release)),
            Opened::InApp
        );
    }
}
