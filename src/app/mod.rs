//! The desktop app: one window where a class watches a design play out.
//!
//! Owns the app's [`State`] (in [`state`]: the scenario, its running
//! [`Simulation`], preferences and view settings), the [`Command`]s the
//! views issue, and the frame loop. Every frame does three things in order:
//!
//! 1. **advance** the simulation inside a time budget (measured here, never
//!    in `sim`), so the window stays responsive at any speed;
//! 2. **draw**: every `*_ui` function reads `&State` and pushes [`Command`]s;
//! 3. **apply** the commands, once, after drawing.
//!
//! The whole UI is [`App::ui`], shared by the real window ([`run`]) and the
//! UI tests, and [`App::new`] needs no window.
//!
//! Views live in submodules: [`topbar`] (menus and run controls),
//! [`controls`] (the design panel), [`monitors`] (key numbers), the tabs
//! [`dashboard`], [`flow`], [`people`] and [`world`], the lesson panel
//! [`story`], and the shared [`plot`] helpers. [`files`] opens and saves,
//! [`persist`] remembers settings, [`theme`] owns the look, [`help`] the
//! shortcuts, and [`launch`] starts the window and takes screenshots.

pub mod bands;
pub mod command;
pub mod controls;
pub mod dashboard;
pub mod files;
pub mod flow;
pub mod fresh;
pub mod gallery;
pub mod help;
pub mod labhost;
pub mod launch;
pub mod monitors;
pub mod people;
pub mod persist;
pub mod plot;
pub mod state;
pub mod story;
pub mod topbar;
pub mod world;

use crate::scenario::lesson::{self, REVEAL_WINDOW_DAYS};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use eframe::egui;

use crate::scenario::{Scenario, library};
use crate::sim::{Layer, MAX_DAYS, Simulation};

pub use crate::ui::theme::ThemeChoice;
pub use command::{Command, FileCommand, LabCommand, ParamCommand, RunCommand, ViewCommand};
pub use launch::run;
pub use state::{
    Checkpoint, FlowSpan, FrameStats, Lesson, Notice, NoticeKind, Overlay, PanelId, PeopleColour,
    PlotSeries, Prefs, Reveal, Scale, Source, Speed, State, Tab,
};

use crate::ui::playback::{self, STEP_BUDGET};
use crate::ui::theme;

/// How the app starts: from the command line, or from a test.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Tab to show first.
    pub tab: Option<Tab>,
    /// Open the scenario gallery over it.
    pub gallery: bool,
    /// Start in presentation mode.
    pub present: bool,
    /// Screenshot mode: run `days`, save a PNG here, close.
    pub screenshot: Option<PathBuf>,
    /// Days to run at start (screenshot mode) or to pre-run.
    pub days: Option<u32>,
    /// Replications for bands (0 = off).
    pub bands: u32,
    /// Never ask the desktop for a file dialog: file actions use the app's
    /// own chooser (env `IXSIM_FILE_DIALOG=in-app`; tests).
    pub in_app_files: bool,
}

/// Per-frame machinery that views never read.
#[derive(Default)]
struct Runtime {
    /// Fractional days owed at a fixed speed.
    due: f64,
    /// When the last frame began.
    last_frame: Option<Instant>,
    /// The look last applied to the context.
    applied_look: Option<theme::Look>,
    /// Fonts installed (they take effect one frame later).
    fonts_installed: bool,
    /// File dialogs in flight.
    files: files::Dialogs,
    /// Screenshot mode.
    shot: Option<launch::Shot>,
    /// Print frame statistics to stderr (env `IXSIM_FRAME_LOG`).
    log_frames: bool,
    /// When frame statistics were last printed.
    last_log: Option<Instant>,
    /// The replication-bands job.
    bands: bands::Background,
    /// The gallery's preview job.
    gallery: gallery::Background,
    /// Fresh runs measuring the last lesson step like with like.
    fresh: fresh::Background,
    /// The panels drawn in the last frame and their rectangles.
    panels: Vec<(&'static str, egui::Rect)>,
}

/// Why the app could not start on its default scenario.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The default scenario is not embedded.
    #[error("no embedded scenario {0}")]
    Missing(&'static str),
    /// The embedded file does not parse.
    #[error(transparent)]
    Scenario(#[from] crate::scenario::ScenarioError),
}

/// The app: its [`State`], the commands queued for this frame, and runtime bits.
pub struct App {
    state: State,
    queue: Vec<Command>,
    rt: Runtime,
    lab: labhost::Lab,
}

impl App {
    /// An app showing `scenario`, without a window, with `options` applied
    /// (see [`App::apply_options`]).
    pub fn new(scenario: Scenario, source: Source, options: Options) -> Self {
        let mut app = Self::at_day_zero(scenario, source);
        app.apply_options(options);
        app
    }

    /// An app showing `scenario` at day 0 on the dashboard.
    fn at_day_zero(scenario: Scenario, source: Source) -> Self {
        let library = library::all().unwrap_or_default();
        let sim = fresh_run(&scenario);
        let tab = Tab::Dashboard.fit(scenario.world);
        let state = State {
            library,
            horizon: scenario.days,
            plots: dashboard::default_plots(&scenario),
            scenario,
            source,
            sim,
            playing: false,
            speed: Speed::PerSecond(30),
            tab,
            prefs: Prefs::default(),
            show_all_params: false,
            hidden: Vec::new(),
            org_view: false,
            scrub_day: None,
            people_colour: PeopleColour::Trust,
            flow_span: FlowSpan::Cumulative,
            lesson: Lesson::default(),
            notice: None,
            overlay: None,
            stats: FrameStats::default(),
            fullscreen: false,
            drop_hover: false,
            bands: bands::BandsView::default(),
            gallery_tag: None,
            gallery_previews: None,
            memory: std::collections::BTreeMap::new(),
        };
        let rt = Runtime {
            log_frames: std::env::var_os("IXSIM_FRAME_LOG").is_some(),
            ..Runtime::default()
        };
        Self {
            state,
            queue: Vec::new(),
            rt,
            lab: labhost::Lab::default(),
        }
    }

    /// Applies start-up options on top of the current state: called after
    /// remembered settings are restored, so the command line wins. `days`
    /// runs the simulation to that day.
    pub fn apply_options(&mut self, options: Options) {
        let s = &mut self.state;
        if let Some(tab) = options.tab {
            s.tab = tab.fit(s.sim.kind());
        }
        if options.gallery {
            s.overlay = Some(Overlay::Gallery);
        }
        if options.present {
            s.prefs.present = true;
        }
        s.bands.replications = options.bands;
        if options.in_app_files {
            self.rt.files = files::Dialogs::in_app_only();
        }
        if let Some(path) = options.screenshot {
            let days = options.days.unwrap_or(s.scenario.days).min(MAX_DAYS);
            s.horizon = days;
            s.playing = days > 0;
            s.speed = Speed::Max;
            self.rt.shot = Some(launch::Shot::new(path, days));
        } else if let Some(days) = options.days {
            let days = days.min(MAX_DAYS);
            s.horizon = s.horizon.max(days);
            s.sim.run(days.saturating_sub(s.sim.day()));
        }
    }

    /// The embedded default scenario, at day 0 (for tests and first start).
    pub fn with_default_scenario() -> Result<Self, StartError> {
        let scenario =
            library::get(library::DEFAULT_ID).ok_or(StartError::Missing(library::DEFAULT_ID))??;
        Ok(Self::new(scenario, Source::Embedded, Options::default()))
    }

    /// Read-only access to the state.
    pub fn state(&self) -> &State {
        &self.state
    }

    /// The lab's views (Compare, Sweep, Experiment), for tests.
    pub fn lab(&self) -> &labhost::Lab {
        &self.lab
    }

    /// The panels of the last frame (menu, toolbar, design, story, status,
    /// centre) and their rectangles, in points: what layout tests check
    /// widgets against.
    pub fn panel_rects(&self) -> &[(&'static str, egui::Rect)] {
        &self.rt.panels
    }

    /// Queues a command; it is applied at the end of the next frame, as if a
    /// view had issued it.
    pub fn command(&mut self, command: Command) {
        self.queue.push(command);
    }

    /// Applies a command now (outside a frame; used by start-up code and tests).
    pub fn apply_now(&mut self, command: Command) {
        self.apply(command, None);
    }

    /// The whole UI, one frame: advance, draw, apply.
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        let started = Instant::now();
        let ctx = ui.ctx().clone();
        let interval = self
            .rt
            .last_frame
            .map(|t| started.duration_since(t).as_secs_f32() * 1000.0);
        self.rt.last_frame = Some(started);
        if !self.rt.fonts_installed {
            // Fonts apply from the next frame: draw nothing until then.
            theme::install_fonts(&ctx);
            self.rt.fonts_installed = true;
            ctx.request_repaint();
            return;
        }
        self.ensure_look(&ctx);

        // 1. advance
        let dt = ui.input(|i| i.stable_dt).clamp(0.0, 0.25);
        self.advance(f64::from(dt));
        bands::poll(
            &mut self.state.bands,
            &mut self.rt.bands,
            &self.state.sim,
            self.state.horizon,
        );
        if self.state.bands.computing {
            ctx.request_repaint_after(Duration::from_millis(100));
        }
        let gallery_open = self.state.overlay == Some(Overlay::Gallery);
        gallery::poll(
            &mut self.state.gallery_previews,
            &mut self.rt.gallery,
            gallery_open,
            &self.state.library,
        );
        if fresh::poll(&mut self.rt.fresh, self.state.lesson.reveal.as_mut()) {
            ctx.request_repaint_after(Duration::from_millis(100));
        }
        if gallery_open && self.state.gallery_previews.is_none() {
            ctx.request_repaint_after(Duration::from_millis(100));
        }
        self.lab.advance(&self.state, &ctx);
        self.poll_lesson_experiment();

        // 2. draw
        let mut commands = std::mem::take(&mut self.queue);
        self.rt.files.poll(&mut commands);
        files::dropped_files(&ctx, &mut commands);
        self.state.drop_hover = ctx.input(|i| !i.raw.hovered_files.is_empty());
        help::shortcuts(&ctx, &self.state, &mut commands);
        self.rt.panels = draw(ui, &self.state, &self.lab, &mut commands);

        // 3. apply
        for command in commands {
            self.apply(command, Some(&ctx));
        }

        if self.state.playing || self.rt.files.is_open() {
            ctx.request_repaint();
        } else if self.state.prefs.show_frame_time {
            ctx.request_repaint_after(Duration::from_millis(250));
        }
        if let Some(shot) = &mut self.rt.shot {
            // A picture waits for the lab's work on show, and for the
            // gallery's previews when it is open.
            let lab_busy = self.lab.is_busy(self.state.tab.fit(self.state.sim.kind()))
                || (gallery_open && self.state.gallery_previews.is_none());
            shot.frame(&ctx, &self.state, lab_busy);
        }
        let work = started.elapsed().as_secs_f32() * 1000.0;
        self.state.stats.record(interval, work);
        if self.rt.log_frames {
            let due = self
                .rt
                .last_log
                .is_none_or(|t| t.elapsed() >= Duration::from_secs(2));
            if due {
                self.rt.last_log = Some(Instant::now());
                eprintln!(
                    "ixsim frames: day {} users {}  {}",
                    self.state.sim.day(),
                    people::active_users(&self.state),
                    self.state.stats.summary()
                );
            }
        }
    }

    fn ensure_look(&mut self, ctx: &egui::Context) {
        let look = theme::Look {
            theme: self.state.prefs.theme,
            present: self.state.prefs.present,
            zoom: self.state.prefs.zoom,
        };
        if self.rt.applied_look != Some(look) {
            theme::apply(ctx, look);
            ctx.options_mut(|o| o.zoom_with_keyboard = false);
            self.rt.applied_look = Some(look);
        }
    }

    /// Steps the simulation for at most [`STEP_BUDGET`] of wall time.
    fn advance(&mut self, dt: f64) {
        let s = &mut self.state;
        s.stats.sim_ms = 0.0;
        s.stats.days_last_frame = 0;
        if !s.playing {
            self.rt.due = 0.0;
            return;
        }
        let target = s.horizon.min(MAX_DAYS);
        if s.sim.day() >= target {
            s.playing = false;
            self.finish_target();
            return;
        }
        let wanted = match s.speed {
            Speed::Max => u32::MAX,
            Speed::PerSecond(n) => {
                self.rt.due += dt * f64::from(n);
                let whole = self.rt.due.floor();
                self.rt.due -= whole;
                whole as u32
            }
        };
        let stepped = playback::step_within(&mut [&mut s.sim], target, wanted, STEP_BUDGET);
        if stepped.days < wanted {
            // Could not keep up: drop the backlog rather than stutter later.
            self.rt.due = self.rt.due.min(1.0);
        }
        s.stats
            .record_sim(stepped.elapsed.as_secs_f32() * 1000.0, stepped.days);
        if s.sim.day() >= target {
            s.playing = false;
            self.finish_target();
        }
    }

    /// The run reached its target day: finish a running lesson step.
    fn finish_target(&mut self) {
        let s = &mut self.state;
        // An experiment step ends when its experiment does
        // (`poll_lesson_experiment`), not with the run.
        let experiment_step = s
            .lesson
            .running
            .and_then(|k| s.scenario.steps.get(k))
            .is_some_and(|st| st.experiment.is_some());
        if experiment_step {
            return;
        }
        let Some(step) = s.lesson.running.take() else {
            return;
        };
        let Some(checkpoint) = s.lesson.checkpoints.get(step) else {
            return;
        };
        let Some(st) = s.scenario.steps.get(step) else {
            return;
        };
        let days_run = s.sim.day().saturating_sub(checkpoint.sim.day()) as usize;
        let rows = st
            .reveal
            .iter()
            .zip(&checkpoint.before)
            .map(|(&m, &before)| {
                let after = if days_run == 0 {
                    None
                } else {
                    s.recent_mean(m, lesson::after_days(days_run))
                };
                (m, before, after)
            })
            .collect();
        let fresh = fresh::start(&mut self.rt.fresh, step, st, &checkpoint.sim, &s.sim);
        s.lesson.reveal = Some(Reveal {
            step,
            rows,
            fresh,
            findings: Vec::new(),
        });
        s.lesson.next = step + 1;
        s.horizon = s.horizon.max(s.sim.day());
    }

    /// Applies one command (the dispatcher). `ctx` is `None` outside a frame.
    fn apply(&mut self, command: Command, ctx: Option<&egui::Context>) {
        match command {
            Command::Run(c) => self.apply_run(c),
            Command::Params(c) => self.apply_params(c),
            Command::Files(c) => self.apply_files(c),
            Command::View(c) => self.apply_view(c, ctx),
            Command::Lab(c) => {
                if let Some(then) = self.lab.apply(c) {
                    self.apply(then, ctx);
                }
            }
        }
    }

    /// Applies a command to the run: play, step, restart, seed, bands, lesson steps.
    fn apply_run(&mut self, command: RunCommand) {
        let s = &mut self.state;
        match command {
            RunCommand::TogglePlay => {
                if s.playing {
                    s.playing = false;
                } else {
                    self.play();
                }
            }
            RunCommand::Step => {
                if s.sim.day() < MAX_DAYS && !s.step_running() {
                    s.playing = false;
                    s.sim.step();
                    s.horizon = s.horizon.max(s.sim.day());
                }
            }
            RunCommand::Reset => {
                let scenario = s.scenario.clone();
                let source = s.source.clone();
                let sim = fresh_run(&scenario);
                self.load(scenario, source, sim, false);
            }
            RunCommand::Restart => {
                s.sim.restart();
                self.restarted();
            }
            RunCommand::SetSpeed(speed) => s.speed = speed,
            RunCommand::SetBands(n) => s.bands.replications = n,
            RunCommand::SetSeed(seed) => {
                s.sim = Simulation::new(s.sim.kind(), s.sim.params().clone(), seed);
                self.restarted();
            }
            RunCommand::ApplyStep(step) => self.apply_step(step),
            RunCommand::BackToStep(step) => {
                if let Some(cp) = s.lesson.checkpoints.get(step).cloned() {
                    s.sim = cp.sim;
                    s.horizon = cp.horizon;
                    s.lesson.checkpoints.truncate(step);
                    s.lesson.next = step;
                    s.lesson.running = None;
                    s.lesson.reveal = None;
                    s.playing = false;
                    fresh::cancel(&mut self.rt.fresh);
                }
            }
            RunCommand::LoadDesign(params) => {
                if s.sim.kind().owns(&params) {
                    s.sim = Simulation::new(s.sim.kind(), params, s.sim.seed());
                    self.restarted();
                    self.state.tab = Tab::Dashboard;
                    self.state.notice = Some(Notice {
                        kind: NoticeKind::Info,
                        text: "Loaded the chosen design into the main run at day 0: press Play."
                            .to_string(),
                    });
                }
            }
        }
    }

    /// Applies a change to the design's parameters.
    fn apply_params(&mut self, command: ParamCommand) {
        let s = &mut self.state;
        match command {
            ParamCommand::Set { index, value } => self.set_param(index, value),
            ParamCommand::SetList { index, items } => self.set_list(index, items),
            ParamCommand::Reset(index) => {
                if index < s.scenario.params.values().len() {
                    self.reset_param(index);
                }
            }
            ParamCommand::ResetAll => {
                let n = s.scenario.params.values().len();
                for index in 0..n {
                    let s = &self.state;
                    if !s.sim.params().same_at(&s.scenario.params, index) && !s.is_locked(index) {
                        self.reset_param(index);
                    }
                }
            }
        }
    }

    /// Applies a command about scenarios and files: open, save, export, dialogs.
    fn apply_files(&mut self, command: FileCommand) {
        let s = &mut self.state;
        match command {
            FileCommand::LoadScenario(id) => match s.library.iter().find(|sc| sc.id == id).cloned()
            {
                Some(scenario) => {
                    // The changes made here wait for the person's return;
                    // the scenario opened gets back any made to it before.
                    if s.source == Source::Embedded {
                        let changes = persist::Changes::of(s);
                        if changes.is_empty() {
                            s.memory.remove(&s.scenario.id);
                        } else {
                            s.memory.insert(s.scenario.id.clone(), changes);
                        }
                    }
                    let kept = s.memory.get(&scenario.id).cloned();
                    let sim = kept
                        .as_ref()
                        .map_or_else(|| fresh_run(&scenario), |c| c.run(&scenario));
                    let title = scenario.title.clone();
                    self.open(scenario, Source::Embedded, sim);
                    if let Some(c) = kept {
                        let n = c.params.len() + usize::from(c.seed.is_some());
                        self.state.notice = Some(Notice {
                            kind: NoticeKind::Info,
                            text: format!(
                                "Your {n} changed setting{} in {title} are back; \
                                 \"Reset all\" returns to the scenario's own.",
                                if n == 1 { "" } else { "s" }
                            ),
                        });
                    }
                }
                None => {
                    s.notice = Some(Notice {
                        kind: NoticeKind::Error,
                        text: format!("There is no built-in scenario \"{id}\"."),
                    })
                }
            },
            FileCommand::Open(path) => match files::read_scenario(&path) {
                Ok(scenario) => {
                    let title = scenario.title.clone();
                    let sim = fresh_run(&scenario);
                    self.open(scenario, Source::File(path.clone()), sim);
                    self.state.notice = Some(Notice {
                        kind: NoticeKind::Info,
                        text: format!("Opened \"{title}\" from {}", path.display()),
                    });
                }
                Err(e) => {
                    s.notice = Some(Notice {
                        kind: NoticeKind::Error,
                        text: e.to_string(),
                    })
                }
            },
            FileCommand::OpenDialog => self.file_dialog(files::Purpose::Open),
            FileCommand::SaveDialog => self.file_dialog(files::Purpose::Save),
            FileCommand::ExportDialog => self.file_dialog(files::Purpose::Export),
            FileCommand::DialogClosed { purpose, failed } => {
                if failed {
                    let slow = self.rt.files.is_open();
                    s.notice = Some(Notice {
                        kind: NoticeKind::Error,
                        text: if slow {
                            files::SLOW_DIALOG
                        } else {
                            files::NO_DIALOG
                        }
                        .to_string(),
                    });
                    s.overlay = Some(Overlay::PathPrompt(purpose));
                }
            }
            FileCommand::SaveScenario(path) => {
                s.overlay = None;
                s.notice = Some(files::save_scenario(s, &path));
            }
            FileCommand::ExportCsv(path) => {
                s.overlay = None;
                s.notice = Some(files::export_csv(s, &path));
            }
            FileCommand::LabSaveDialog(what) => self.file_dialog(files::Purpose::Lab(what)),
            FileCommand::LabExport(what, path) => {
                s.overlay = None;
                s.notice = Some(match self.lab.export(what, &path) {
                    Ok(text) => Notice {
                        kind: NoticeKind::Info,
                        text,
                    },
                    Err(e) => Notice {
                        kind: NoticeKind::Error,
                        text: e.to_string(),
                    },
                });
            }
        }
    }

    /// Applies a command about what is shown and how: tabs, theme, zoom, panels, plots, overlays, the window.
    fn apply_view(&mut self, command: ViewCommand, ctx: Option<&egui::Context>) {
        let s = &mut self.state;
        match command {
            ViewCommand::SetGalleryTag(tag) => s.gallery_tag = tag,
            ViewCommand::SetTab(tab) => s.tab = tab.fit(s.sim.kind()),
            ViewCommand::SetTheme(t) => s.prefs.theme = t,
            ViewCommand::Zoom(factor) => {
                s.prefs.zoom = (s.prefs.zoom * factor).clamp(theme::ZOOM_MIN, theme::ZOOM_MAX);
            }
            ViewCommand::ZoomReset => s.prefs.zoom = 1.0,
            ViewCommand::SetPresent(on) => s.prefs.present = on,
            ViewCommand::SetPanel(panel, on) => match panel {
                PanelId::Design => s.prefs.show_design = on,
                PanelId::Story => s.prefs.show_story = on,
                PanelId::Monitors => s.prefs.show_monitors = on,
                PanelId::FrameTime => s.prefs.show_frame_time = on,
            },
            ViewCommand::SetShowAllParams(on) => s.show_all_params = on,
            ViewCommand::SetSeries { plot, metric, on } => {
                if let Some(p) = s.plots.get_mut(plot) {
                    let present = p.metrics.contains(&metric);
                    if on && !present && metric < s.sim.kind().metrics().len() {
                        p.metrics.push(metric);
                    } else if !on {
                        p.metrics.retain(|m| *m != metric);
                    }
                }
            }
            ViewCommand::SetScale { plot, scale } => {
                if let Some(p) = s.plots.get_mut(plot) {
                    p.scale = scale;
                }
            }
            ViewCommand::SetSmooth { plot, days } => {
                if let Some(p) = s.plots.get_mut(plot) {
                    p.smooth = days.clamp(1, 365);
                }
            }
            ViewCommand::DefaultSeries => {
                s.plots = dashboard::default_plots(&s.scenario);
                s.hidden.clear();
            }
            ViewCommand::ToggleSeries(m) => {
                if let Some(at) = s.hidden.iter().position(|x| *x == m) {
                    s.hidden.remove(at);
                } else {
                    s.hidden.push(m);
                }
            }
            ViewCommand::SetOrgView(on) => s.org_view = on,
            ViewCommand::AddMonitor(m) => s.scenario.observe.monitors.push(m),
            ViewCommand::RemoveMonitor(n) => {
                if n < s.scenario.observe.monitors.len() {
                    s.scenario.observe.monitors.remove(n);
                }
            }
            ViewCommand::SetPeopleColour(c) => s.people_colour = c,
            ViewCommand::SetFlowSpan(span) => s.flow_span = span,
            ViewCommand::SetOverlay(o) => s.overlay = o,
            ViewCommand::SetScrubDay(d) => s.scrub_day = d,
            ViewCommand::DismissNotice => s.notice = None,
            ViewCommand::ToggleFullscreen => {
                s.fullscreen = !s.fullscreen;
                if let Some(ctx) = ctx {
                    ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(s.fullscreen));
                }
            }
            ViewCommand::Quit => {
                if let Some(ctx) = ctx {
                    ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                }
            }
        }
    }

    /// Asks for a file: the desktop's dialog, or the app's own chooser when
    /// there is none to ask.
    fn file_dialog(&mut self, purpose: files::Purpose) {
        let opened = self.rt.files.open(purpose, &self.state.scenario);
        if opened == files::Opened::InApp {
            self.state.overlay = Some(Overlay::PathPrompt(purpose));
        }
    }

    fn play(&mut self) {
        let s = &mut self.state;
        if s.sim.day() >= MAX_DAYS {
            return;
        }
        if s.sim.day() >= s.horizon {
            // Past the run length: extend it by another run.
            s.horizon = (s.horizon + s.scenario.days.max(1)).min(MAX_DAYS);
        }
        s.playing = true;
        self.rt.due = 0.0;
    }

    fn restarted(&mut self) {
        let s = &mut self.state;
        s.playing = false;
        s.scrub_day = None;
        s.horizon = s.scenario.days;
        s.lesson = Lesson::default();
        self.rt.due = 0.0;
    }

    /// Sets parameter `index` back to the scenario's value (a list to the
    /// scenario's items).
    fn reset_param(&mut self, index: usize) {
        let scenario = &self.state.scenario.params;
        if matches!(scenario.specs()[index].kind, crate::sim::ParamKind::List(_)) {
            let items = scenario.list_at(index).to_vec();
            self.set_list(index, items);
        } else {
            let value = self.state.scenario_param(index);
            self.set_param(index, value);
        }
    }

    /// Gives list parameter `index` its items, before the run starts.
    fn set_list(&mut self, index: usize, items: Vec<f64>) {
        self.change_param(index, |sim, id| sim.set_list(id, items));
    }

    fn set_param(&mut self, index: usize, value: f64) {
        self.change_param(index, |sim, id| sim.set_param(id, value).map(|_| ()));
    }

    /// Applies `change` to parameter `index` unless a lesson locks it; a
    /// refused change becomes the notice, and the run keeps its value.
    fn change_param<E: std::fmt::Display>(
        &mut self,
        index: usize,
        change: impl FnOnce(&mut Simulation, &'static str) -> Result<(), E>,
    ) {
        let s = &mut self.state;
        let Some(spec) = s.sim.params().specs().get(index) else {
            return;
        };
        let (id, label) = (spec.id, spec.label);
        if s.is_locked(index) {
            s.notice = Some(Notice {
                kind: NoticeKind::Info,
                text: format!("\"{label}\" is locked by this lesson."),
            });
            return;
        }
        if let Err(e) = change(&mut s.sim, id) {
            s.notice = Some(Notice {
                kind: NoticeKind::Error,
                text: e.to_string(),
            });
        }
    }

    /// Opens another scenario with `sim`, a run of it at day 0: the plots
    /// start from the scenario's defaults and the Compare and Sweep views
    /// start over.
    fn open(&mut self, scenario: Scenario, source: Source, sim: Simulation) {
        self.lab.clear();
        self.load(scenario, source, sim, true);
    }

    /// Replaces the scenario and starts `sim`, a run of it at day 0. The
    /// Compare and Sweep views stay (reset keeps them).
    fn load(&mut self, scenario: Scenario, source: Source, sim: Simulation, reset_view: bool) {
        let s = &mut self.state;
        s.sim = sim;
        s.horizon = scenario.days;
        if reset_view || s.plots.len() != Layer::MEASURES.len() {
            s.plots = dashboard::default_plots(&scenario);
            s.hidden.clear();
        }
        s.tab = s.tab.fit(scenario.world);
        s.scenario = scenario;
        s.source = source;
        s.show_all_params = false;
        s.notice = None;
        self.restarted();
    }

    fn apply_step(&mut self, step: usize) {
        let s = &mut self.state;
        if s.step_running() || step != s.lesson.next {
            return;
        }
        let Some(st) = s.scenario.steps.get(step).cloned() else {
            return;
        };
        let before = st
            .reveal
            .iter()
            .map(|&m| s.recent_mean(m, REVEAL_WINDOW_DAYS))
            .collect();
        s.lesson.checkpoints.truncate(step);
        s.lesson.checkpoints.push(Checkpoint {
            sim: s.sim.clone(),
            horizon: s.horizon,
            before,
        });
        s.lesson.reveal = None;
        if let Some(exp) = &st.experiment {
            // The run stays as it is; the experiment runs in its tab on the
            // design as the lesson left it.
            let spec = lesson::experiment_spec(exp, st.days, s.sim.params(), s.sim.seed());
            match self
                .lab
                .start_lesson_experiment(&s.scenario, spec, exp.aa_seeds)
            {
                Ok(()) => {
                    s.lesson.running = Some(step);
                    s.playing = false;
                    s.tab = Tab::Experiment.fit(s.sim.kind());
                }
                Err(e) => {
                    s.notice = Some(Notice {
                        kind: NoticeKind::Error,
                        text: e.to_string(),
                    });
                }
            }
            return;
        }
        // Steps may change locked parameters: the lesson itself locks them.
        if let Err(e) = lesson::apply_set(&mut s.sim, &st) {
            s.notice = Some(Notice {
                kind: NoticeKind::Error,
                text: e.to_string(),
            });
        }
        s.lesson.running = Some(step);
        s.horizon = (s.sim.day() + st.days).min(MAX_DAYS);
        if st.days == 0 {
            self.finish_target();
        } else {
            self.play();
        }
    }

    /// Ends a running experiment step once its experiment has finished:
    /// its findings become the step's reveal. A stopped or failed
    /// experiment leaves the step to be applied again.
    fn poll_lesson_experiment(&mut self) {
        let s = &mut self.state;
        let Some(k) = s.lesson.running else { return };
        if s.scenario
            .steps
            .get(k)
            .is_none_or(|st| st.experiment.is_none())
        {
            return;
        }
        let Some(view) = self.lab.experiment() else {
            s.lesson.running = None;
            return;
        };
        if view.is_running() {
            return;
        }
        s.lesson.running = None;
        if let Some(findings) = view.findings() {
            s.lesson.reveal = Some(Reveal {
                step: k,
                rows: Vec::new(),
                fresh: state::Fresh::NotNeeded,
                findings,
            });
            s.lesson.next = k + 1;
        }
    }

    /// The settings to remember.
    pub fn saved(&self) -> persist::Saved {
        let mut saved = persist::Saved::from_state(&self.state);
        saved.design_b = self
            .lab
            .design_b()
            .map(|b| persist::changed(b, &self.state.scenario.params));
        saved
    }

    /// Restores remembered settings (scenario, changed parameters, look, tab).
    pub fn restore(&mut self, saved: &persist::Saved) {
        persist::restore(self, saved);
    }

    fn in_screenshot_mode(&self) -> bool {
        self.rt.shot.is_some()
    }
}

/// A new run of `scenario` at day 0, with its values and seed.
fn fresh_run(scenario: &Scenario) -> Simulation {
    Simulation::new(scenario.world, scenario.params.clone(), scenario.seed)
}

/// Narrowest side panel, in points.
const SIDE_MIN_WIDTH: f32 = 200.0;

/// Narrowest centre the side panels leave, in points.
const CENTRE_MIN_WIDTH: f32 = 560.0;

/// Width of the story panel folded to a strip, in points.
const STORY_FOLDED_WIDTH: f32 = 64.0;

/// Draws the window from `&State` and the lab views, pushing commands;
/// returns the panels drawn and their rectangles.
fn draw(
    ui: &mut egui::Ui,
    s: &State,
    lab: &labhost::Lab,
    out: &mut Vec<Command>,
) -> Vec<(&'static str, egui::Rect)> {
    let mut panels = Vec::new();
    let dark = s.prefs.theme.is_dark();
    // The lab tabs have their own controls and measures: give them the room.
    let lab_tab = matches!(
        s.tab.fit(s.sim.kind()),
        Tab::Compare | Tab::Sweep | Tab::Experiment
    );
    // Side panels never squeeze the centre below CENTRE_MIN_WIDTH: their
    // widest size shrinks with the window, and when two cannot fit beside
    // the centre only the design panel is shown (the story returns when the
    // window grows, or when the design panel is hidden).
    let width = ui.available_width();
    let show_design = s.prefs.show_design && !lab_tab;
    let show_story =
        s.prefs.show_story && (!show_design || width >= 2.0 * SIDE_MIN_WIDTH + CENTRE_MIN_WIDTH);
    let folded = if s.prefs.show_story && !show_story {
        STORY_FOLDED_WIDTH
    } else {
        0.0
    };
    let sides = f32::from(u8::from(show_design) + u8::from(show_story)).max(1.0);
    let panel_cap =
        ((width - folded - CENTRE_MIN_WIDTH - 2.0 * 12.0) / sides).clamp(SIDE_MIN_WIDTH, 560.0);
    let menu = egui::Panel::top("ixsim-menu")
        .frame(
            egui::Frame::new()
                .fill(theme::panel_bg(dark))
                .inner_margin(egui::Margin::symmetric(8, 2)),
        )
        .show(ui, |ui| topbar::menu_bar(ui, s, out));
    panels.push(("menu", menu.response.rect));
    let toolbar = egui::Panel::top("ixsim-toolbar")
        .frame(
            egui::Frame::new()
                .fill(theme::panel_bg(dark))
                .inner_margin(egui::Margin::symmetric(10, 6)),
        )
        .show(ui, |ui| topbar::toolbar(ui, s, out));
    panels.push(("toolbar", toolbar.response.rect));
    if s.prefs.show_frame_time {
        let status = egui::Panel::bottom("ixsim-status")
            .frame(
                egui::Frame::new()
                    .fill(theme::panel_bg(dark))
                    .inner_margin(egui::Margin::symmetric(10, 3)),
            )
            .show(ui, |ui| help::frame_readout(ui, s));
        panels.push(("status", status.response.rect));
    }
    if show_design {
        let design = egui::Panel::left("ixsim-design")
            .resizable(true)
            .default_size(330.0)
            .size_range(SIDE_MIN_WIDTH..=panel_cap)
            .frame(
                egui::Frame::new()
                    .fill(theme::panel_bg(dark))
                    .inner_margin(egui::Margin::symmetric(10, 8)),
            )
            .show(ui, |ui| controls::ui(ui, s, out));
        panels.push(("design", design.response.rect));
    }
    if show_story {
        let story = egui::Panel::right("ixsim-story")
            .resizable(true)
            .default_size(320.0)
            .size_range(SIDE_MIN_WIDTH..=panel_cap)
            .frame(
                egui::Frame::new()
                    .fill(theme::panel_bg(dark))
                    .inner_margin(egui::Margin::symmetric(12, 8)),
            )
            .show(ui, |ui| story::ui(ui, s, out));
        panels.push(("story", story.response.rect));
    } else if s.prefs.show_story {
        // No room beside the design panel: the story folds to a strip that
        // says so and opens it in the design panel's place.
        let folded = egui::Panel::right("ixsim-story-folded")
            .resizable(false)
            .exact_size(STORY_FOLDED_WIDTH)
            .frame(
                egui::Frame::new()
                    .fill(theme::panel_bg(dark))
                    .inner_margin(egui::Margin::symmetric(6, 8)),
            )
            .show(ui, |ui| story::folded(ui, s, out));
        panels.push(("story", folded.response.rect));
    }
    let centre = egui::CentralPanel::default()
        .frame(
            egui::Frame::new()
                .fill(theme::central_bg(dark))
                .inner_margin(egui::Margin::symmetric(12, 8)),
        )
        .show(ui, |ui| {
            // Content larger than the centre scrolls inside it rather than
            // pushing the side panels or the window's edge away.
            egui::ScrollArea::both()
                .id_salt("ixsim-centre-across")
                .show(ui, |ui| centre(ui, s, lab, lab_tab, out));
        });
    panels.push(("centre", centre.response.rect));
    help::overlays(ui.ctx(), s, out);
    panels
}

/// The centre: notice, key numbers, tab row and the tab on show.
fn centre(ui: &mut egui::Ui, s: &State, lab: &labhost::Lab, lab_tab: bool, out: &mut Vec<Command>) {
    let dark = s.prefs.theme.is_dark();
    {
        {
            if let Some(notice) = &s.notice {
                help::notice_banner(ui, notice, dark, out);
            }
            if s.prefs.show_monitors && !lab_tab {
                monitors::ui(ui, s, out);
                ui.add_space(6.0);
            }
            topbar::tab_bar(ui, s, out);
            ui.add_space(4.0);
            match s.tab.fit(s.sim.kind()) {
                Tab::Dashboard => dashboard::ui(ui, s, out),
                Tab::Flow => flow::ui(ui, s, out),
                Tab::People => people::ui(ui, s, out),
                Tab::World => world::ui(ui, s, out),
                Tab::Compare => lab.compare_ui(ui, out),
                Tab::Sweep => lab.sweep_ui(ui, out),
                Tab::Experiment => lab.experiment_ui(ui, out),
            }
        }
    }
}

impl eframe::App for App {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        App::ui(self, ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        if !self.in_screenshot_mode() {
            eframe::set_value(storage, persist::KEY, &self.saved());
        }
    }

    fn persist_egui_memory(&self) -> bool {
        !self.in_screenshot_mode()
    }

    fn raw_input_hook(&mut self, _ctx: &egui::Context, raw_input: &mut egui::RawInput) {
        // Screenshots show the app, not wherever the pointer happens to rest.
        if self.in_screenshot_mode() {
            raw_input.events.retain(|e| {
                !matches!(
                    e,
                    egui::Event::PointerMoved(_)
                        | egui::Event::PointerButton { .. }
                        | egui::Event::MouseMoved(_)
                        | egui::Event::MouseWheel { .. }
                )
            });
        }
    }

    fn clear_color(&self, _visuals: &egui::Visuals) -> [f32; 4] {
        theme::central_bg(self.state.prefs.theme.is_dark()).to_normalized_gamma_f32()
    }
}
