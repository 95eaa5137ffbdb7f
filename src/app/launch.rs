//! Starting the window, and screenshot mode.
//!
//! [`run`] resolves the command line's `--scenario`, `--tab`, `--present`,
//! `--days` and `--screenshot`, restores remembered settings (never in
//! screenshot mode, so pictures are reproducible; only the look when
//! `--scenario` is given), applies the command line on top of them, and opens
//! the window.
//! The environment variable `IXSIM_THEME` (`light` or `dark`) picks the theme,
//! and `IXSIM_FRAME_LOG` prints frame-time statistics to stderr every two
//! seconds; `IXSIM_WINDOW=WxH` sizes a screenshot's window and
//! `IXSIM_FILE_DIALOG=in-app` skips the desktop's file dialog. In screenshot
//! mode the app plays `--days` days as fast as it can, waits for a Compare or
//! Sweep view on show to finish its run, lets the plots settle for a few frames, asks the renderer for the frame
//! (`ViewportCommand::Screenshot`), writes it as PNG and closes; frame-time
//! statistics of the run are printed to stderr.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use eframe::egui;

use super::{App, Options, Source, State, Tab, persist};
use crate::scenario::library::{self, LookupError, Origin};
use crate::ui::screenshot::{Capture, ScreenshotError};

/// What the command line asks of the app.
#[derive(Clone, Debug, Default)]
pub struct Launch {
    /// `--scenario`: an embedded id or a .ron file.
    pub scenario: Option<String>,
    /// `--screenshot FILE.png`.
    pub screenshot: Option<PathBuf>,
    /// `--days N`.
    pub days: Option<u32>,
    /// `--tab NAME`.
    pub tab: Option<String>,
    /// `--present`.
    pub present: bool,
    /// `--bands N` (0 = off).
    pub bands: u32,
    /// `--set-b ID=VALUE`, repeatable: design B of the Compare and
    /// Experiment tabs starts as the scenario's design with these changes.
    pub sets_b: Vec<String>,
}

/// Why the app did not start, or screenshot mode failed.
#[derive(Debug, thiserror::Error)]
pub enum LaunchError {
    /// `--tab` names no tab.
    #[error(
        "--tab {0}: expected one of dashboard, flow, people, world, compare, sweep, experiment, gallery"
    )]
    Tab(String),
    /// `--tab story`: the Story panel is not a tab.
    #[error(
        "--tab story: the Story panel shows beside every tab (a window narrower than about 1,100 points folds it to a strip: widen the window, or leave out --present)"
    )]
    StoryIsNoTab,
    /// `--tab` names a tab the scenario's world does not have.
    #[error("--tab {tab}: the {world} world has no such tab; it has {offered}")]
    TabNotInWorld {
        /// The tab asked for.
        tab: &'static str,
        /// The scenario's world id.
        world: &'static str,
        /// The tabs it has, comma-separated.
        offered: String,
    },
    /// `--scenario` names no scenario, or its file was refused.
    #[error(transparent)]
    Scenario(#[from] LookupError),
    /// A `--set-b` was refused.
    #[error("--set-b {arg}: {source}")]
    SetB {
        /// The argument as given.
        arg: String,
        /// Why the parameter refused it.
        #[source]
        source: crate::sim::ParamError,
    },
    /// The window could not be opened.
    #[error("could not open the window: {0}")]
    Window(#[source] eframe::Error),
    /// Screenshot mode took no picture.
    #[error(transparent)]
    Screenshot(#[from] ShotError),
}

impl LaunchError {
    /// Whether what the user gave (a tab, a scenario) is at fault.
    pub fn is_input(&self) -> bool {
        match self {
            LaunchError::Tab(_)
            | LaunchError::StoryIsNoTab
            | LaunchError::TabNotInWorld { .. }
            | LaunchError::SetB { .. } => true,
            LaunchError::Scenario(e) => e.is_input(),
            LaunchError::Window(_) | LaunchError::Screenshot(_) => false,
        }
    }
}

/// Why screenshot mode saved no picture.
#[derive(Debug, thiserror::Error)]
pub enum ShotError {
    /// The picture could not be taken or saved.
    #[error(transparent)]
    Capture(#[from] ScreenshotError),
    /// The window closed first.
    #[error("the window closed before the screenshot was taken")]
    Closed,
}

/// The outcome of screenshot mode, shared with [`run`].
type ShotResult = Arc<Mutex<Option<Result<PathBuf, ScreenshotError>>>>;

/// Screenshot mode's progress.
pub struct Shot {
    capture: Capture,
    days: u32,
    started: Instant,
    done: bool,
    result: ShotResult,
}

impl Shot {
    /// Screenshot mode: run `days`, then save the window to `path`.
    pub fn new(path: PathBuf, days: u32) -> Self {
        Self {
            // Let plots fit their bounds to the final data before the picture.
            capture: Capture::new(path, 8),
            days,
            started: Instant::now(),
            done: false,
            result: Arc::new(Mutex::new(None)),
        }
    }

    /// Called at the end of every frame; `lab_busy`: the Compare or Sweep
    /// view on show is still running (the picture waits for it).
    pub fn frame(&mut self, ctx: &egui::Context, s: &State, lab_busy: bool) {
        if self.done {
            return;
        }
        ctx.request_repaint();
        if (s.sim.day() < self.days && s.playing) || s.bands.computing || lab_busy {
            return;
        }
        if let Some(outcome) = self.capture.poll(ctx) {
            eprintln!(
                "ixsim screenshot: {} days, {} users, {:.1} s; {}",
                s.sim.day(),
                super::people::active_users(s),
                self.started.elapsed().as_secs_f32(),
                s.stats.summary()
            );
            if let Ok(mut slot) = self.result.lock() {
                *slot = Some(outcome);
            }
            self.done = true;
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }
}

/// Opens the app window and returns when it closes.
pub fn run(args: Launch) -> Result<(), LaunchError> {
    // `--tab gallery` opens the gallery over the dashboard.
    let gallery = args
        .tab
        .as_deref()
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("gallery"));
    let tab = match args.tab.as_deref() {
        None => None,
        Some(_) if gallery => None,
        Some(name) if name.trim().eq_ignore_ascii_case("story") => {
            return Err(LaunchError::StoryIsNoTab);
        }
        Some(name) => Some(Tab::from_id(name).ok_or_else(|| LaunchError::Tab(name.into()))?),
    };
    let explicit = args.scenario.is_some();
    let (scenario, source) = match &args.scenario {
        Some(name) => match library::find(name)? {
            (s, Origin::Embedded) => (s, Source::Embedded),
            (s, Origin::File(path)) => (s, Source::File(path)),
        },
        None => (library::embedded(library::DEFAULT_ID)?, Source::Embedded),
    };
    if let Some(t) = tab
        && !Tab::for_world(scenario.world).contains(&t)
    {
        return Err(LaunchError::TabNotInWorld {
            tab: t.id(),
            world: scenario.world.id(),
            offered: Tab::for_world(scenario.world)
                .iter()
                .map(|t| t.id())
                .collect::<Vec<_>>()
                .join(", "),
        });
    }
    let design_b = if args.sets_b.is_empty() {
        None
    } else {
        let mut b = scenario.params.clone();
        for arg in &args.sets_b {
            b.set_text(arg).map_err(|source| LaunchError::SetB {
                arg: arg.clone(),
                source,
            })?;
        }
        Some(b)
    };
    let screenshot = args.screenshot.clone();
    let shooting = screenshot.is_some();
    let options = Options {
        tab,
        gallery,
        present: args.present,
        screenshot,
        days: args.days,
        bands: args.bands,
        // `IXSIM_FILE_DIALOG=in-app` skips the desktop's file dialog.
        in_app_files: std::env::var("IXSIM_FILE_DIALOG").is_ok_and(|v| v == "in-app"),
    };
    // `IXSIM_THEME=light|dark` picks the theme (handy for screenshots).
    let env_theme = match std::env::var("IXSIM_THEME").as_deref() {
        Ok("light") => Some(super::ThemeChoice::Light),
        Ok("dark") => Some(super::ThemeChoice::Dark),
        _ => None,
    };
    let mut app = App::new(scenario, source, Options::default());
    if let Some(b) = design_b {
        app.lab.start_b_with(b);
    }
    // Screenshots never restore remembered settings, so their options apply
    // now; otherwise they apply once the settings are restored, below.
    let mut options = Some(options);
    let result = if shooting {
        app.apply_options(options.take().unwrap_or_default());
        app.rt.shot.as_ref().map(|s| Arc::clone(&s.result))
    } else {
        None
    };

    // `IXSIM_WINDOW=WxH` sets a screenshot's window size (default 1600x900).
    let shot_size = std::env::var("IXSIM_WINDOW")
        .ok()
        .and_then(|v| {
            let (w, h) = v.split_once('x')?;
            Some([w.trim().parse().ok()?, h.trim().parse().ok()?])
        })
        .unwrap_or([1600.0, 900.0]);
    let size = if shooting { shot_size } else { [1440.0, 900.0] };
    let native = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("ixsim — ML in production, as a system")
            .with_app_id("ixsim")
            .with_inner_size(size)
            .with_min_inner_size([900.0, 560.0])
            .with_drag_and_drop(true),
        persist_window: !shooting,
        // Screenshots neither read nor write the person's remembered layout.
        persistence_path: shooting.then(|| {
            std::env::temp_dir().join(format!("ixsim-screenshot-{}.ron", std::process::id()))
        }),
        ..Default::default()
    };
    let started = eframe::run_native(
        "ixsim",
        native,
        Box::new(move |cc| {
            let mut app = app;
            if !shooting && let Some(storage) = cc.storage {
                // Settings that cannot be read leave the defaults and a notice.
                let (saved, notice) = persist::recall(storage);
                if let Some(saved) = saved {
                    if explicit {
                        // The command line chose the scenario: keep only the look.
                        app.state.prefs = saved.prefs.clone();
                    } else {
                        app.restore(&saved);
                    }
                }
                if notice.is_some() {
                    app.state.notice = notice;
                }
            }
            // The command line goes on top of whatever was restored.
            if let Some(options) = options {
                app.apply_options(options);
            }
            if let Some(theme) = env_theme {
                app.state.prefs.theme = theme;
            }
            Ok(Box::new(app))
        }),
    );
    started.map_err(LaunchError::Window)?;
    match result.and_then(|r| r.lock().ok().and_then(|mut slot| slot.take())) {
        None if shooting => Err(ShotError::Closed.into()),
        Some(Err(e)) => Err(ShotError::from(e).into()),
        Some(Ok(path)) => {
            eprintln!("saved {}", path.display());
            Ok(())
        }
        None => Ok(()),
    }
}
