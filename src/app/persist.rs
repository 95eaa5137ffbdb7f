//! What the app remembers between sessions: the scenario, the parameters
//! changed from it, the look, the panels and the tab; and, per built-in
//! scenario, the changes made to it before switching to another
//! ([`Changes`]), so switching back (in this session or the next) keeps them;
//! and Compare's design B.
//!
//! Stored by eframe's persistence as one small serde struct under [`KEY`].
//! Restoring is forgiving: remembered settings that cannot be read (a
//! damaged file, a version of the app that wrote something else) leave the
//! app on its defaults with a notice ([`recall`]); a scenario file that is
//! gone or half-written is reported and the current scenario kept; a
//! parameter that is gone or out of range is skipped. Never fatal.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::{App, Notice, NoticeKind, Prefs, Source, Speed, State, Tab};
use crate::scenario::{Scenario, library};
use crate::sim::{ParamValues, RawValue, Simulation};

/// The storage key.
pub const KEY: &str = "ixsim-app";

/// The remembered settings.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Saved {
    /// Id of the embedded scenario last open (when not from a file).
    pub scenario: Option<String>,
    /// Path of the scenario file last open.
    pub file: Option<PathBuf>,
    /// Parameters changed from the scenario: id → value as written.
    pub params: BTreeMap<String, String>,
    /// The seed, if changed from the scenario's.
    pub seed: Option<u64>,
    /// Look and panels.
    pub prefs: Prefs,
    /// Tab shown.
    pub tab: Option<Tab>,
    /// Speed.
    pub speed: Option<Speed>,
    /// Other built-in scenarios' changes, by scenario id.
    pub memory: BTreeMap<String, Changes>,
    /// Compare's design B, as parameters changed from the open scenario
    /// (`None` when Compare was not used).
    pub design_b: Option<BTreeMap<String, String>>,
}

/// The parameters of `now` that differ from `then`: id → value as written.
pub fn changed(now: &ParamValues, then: &ParamValues) -> BTreeMap<String, String> {
    (0..now.specs().len())
        .filter(|&i| !now.same_at(then, i))
        .map(|i| (now.specs()[i].id.to_string(), now.text_at(i)))
        .collect()
}

/// `base` with the `changes` applied; a parameter renamed or narrowed since
/// is skipped.
fn with_changes(base: &ParamValues, changes: &BTreeMap<String, String>) -> ParamValues {
    let mut params = base.clone();
    for (id, value) in changes {
        let _ = params.set_raw(id, &RawValue::Text(value.clone()));
    }
    params
}

/// The settings a person changed in one scenario: parameters and seed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Changes {
    /// Parameters changed from the scenario: id → value as written.
    pub params: BTreeMap<String, String>,
    /// The seed, if changed from the scenario's.
    pub seed: Option<u64>,
}

impl Changes {
    /// The changes of the run in `s` from its scenario.
    pub fn of(s: &State) -> Self {
        Self {
            params: changed(s.sim.params(), &s.scenario.params),
            seed: (s.sim.seed() != s.scenario.seed).then_some(s.sim.seed()),
        }
    }

    /// Whether nothing was changed.
    pub fn is_empty(&self) -> bool {
        self.params.is_empty() && self.seed.is_none()
    }

    /// A run of `scenario` at day 0 with these changes; a parameter
    /// renamed or narrowed since is skipped.
    pub fn run(&self, scenario: &Scenario) -> Simulation {
        Simulation::new(
            scenario.world,
            with_changes(&scenario.params, &self.params),
            self.seed.unwrap_or(scenario.seed),
        )
    }
}

impl Saved {
    /// Captures what to remember from the state.
    pub fn from_state(s: &State) -> Self {
        let changes = Changes::of(s);
        let (scenario, file) = match &s.source {
            Source::Embedded => (Some(s.scenario.id.clone()), None),
            Source::File(p) => (None, Some(p.clone())),
        };
        Self {
            scenario,
            file,
            params: changes.params,
            seed: changes.seed,
            prefs: s.prefs.clone(),
            tab: Some(s.tab),
            speed: Some(s.speed),
            memory: s.memory.clone(),
            design_b: None,
        }
    }
}

/// The remembered settings in `storage`: none if nothing was remembered;
/// a notice instead of the settings if they cannot be read.
pub fn recall(storage: &dyn eframe::Storage) -> (Option<Saved>, Option<Notice>) {
    match storage.get_string(KEY) {
        None => (None, None),
        Some(text) => match read(&text) {
            Ok(saved) => (Some(saved), None),
            Err(notice) => (None, Some(notice)),
        },
    }
}

/// Parses remembered settings, or the notice that says they were dropped.
pub fn read(text: &str) -> Result<Saved, Notice> {
    ron::from_str(text).map_err(|e| Notice {
        kind: NoticeKind::Error,
        text: format!(
            "The remembered settings could not be read ({e}); the app starts on its defaults."
        ),
    })
}

/// Restores `saved` into `app`: look first, then the scenario and its
/// changed parameters (applied before day 1, so they leave no markers).
/// A remembered scenario file that can no longer be read leaves the
/// current scenario open, with a notice.
pub fn restore(app: &mut App, saved: &Saved) {
    app.state.prefs = saved.prefs.clone();
    if let Some(speed) = saved.speed {
        app.state.speed = speed;
    }
    let mut notice = None;
    let loaded = if let Some(path) = &saved.file {
        match super::files::read_scenario(path) {
            Ok(s) => Some((s, Source::File(path.clone()))),
            Err(e) => {
                notice = Some(Notice {
                    kind: NoticeKind::Error,
                    text: format!(
                        "The scenario last open could not be read again ({e}); {} is open instead.",
                        app.state.scenario.title
                    ),
                });
                None
            }
        }
    } else if let Some(id) = &saved.scenario {
        library::get(id)
            .and_then(Result::ok)
            .map(|s| (s, Source::Embedded))
    } else {
        None
    };
    app.state.memory = saved.memory.clone();
    if let Some((scenario, source)) = loaded {
        let changes = Changes {
            params: saved.params.clone(),
            seed: saved.seed,
        };
        let tab = saved.tab.unwrap_or(Tab::Dashboard);
        let world = scenario.world;
        let sim = changes.run(&scenario);
        app.open(scenario, source, sim);
        if let Some(b) = &saved.design_b {
            let b = with_changes(&app.state.scenario.params, b);
            app.lab.start_b_with(b);
        }
        app.state.tab = tab.fit(world);
    } else if let Some(tab) = saved.tab {
        app.state.tab = tab.fit(app.state.sim.kind());
    }
    if notice.is_some() {
        app.state.notice = notice;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::{Command, FileCommand, ParamCommand, ThemeChoice, ViewCommand};

    /// The index of the forcefulness parameter, which these tests change.
    fn forcefulness(app: &App) -> usize {
        app.state()
            .sim
            .params()
            .index_of("experience.forcefulness")
            .expect("forcefulness exists")
    }

    /// Storage holding one text, as eframe's file would.
    struct Remembered(Option<String>);

    impl eframe::Storage for Remembered {
        fn get_string(&self, key: &str) -> Option<String> {
            (key == KEY).then(|| self.0.clone()).flatten()
        }
        fn set_string(&mut self, _key: &str, value: String) {
            self.0 = Some(value);
        }
        fn remove_string(&mut self, _key: &str) {
            self.0 = None;
        }
        fn flush(&mut self) {}
    }

    #[test]
    fn damaged_or_foreign_settings_give_defaults_and_a_notice() {
        assert_eq!(recall(&Remembered(None)), (None, None));
        let fine = ron::to_string(&Saved::default()).expect("serializes");
        assert_eq!(recall(&Remembered(Some(fine))).0, Some(Saved::default()));
        for text in [
            "(scenario: Some(\"phishing-warn", // cut short
            "\u{0}\u{1}garbage",               // damaged
            "(tab: 42, params: [1, 2])",       // written by another version
            "(prefs: (theme: Purple))",        // an option this version lacks
        ] {
            let (saved, notice) = recall(&Remembered(Some(text.to_string())));
            assert_eq!(saved, None, "{text}");
            let notice = notice.expect("a notice");
            assert_eq!(notice.kind, NoticeKind::Error);
            assert!(notice.text.contains("defaults"), "{}", notice.text);
        }
        // An older version's settings, without the fields since added, load.
        let old = "(scenario: Some(\"fall-detection\"), params: {})";
        assert_eq!(
            recall(&Remembered(Some(old.to_string())))
                .0
                .and_then(|s| s.scenario),
            Some("fall-detection".to_string())
        );
    }

    #[test]
    fn a_scenario_file_gone_or_half_written_keeps_the_app_running() {
        let dir = std::env::temp_dir().join(format!("ixsim-persist-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let app = App::with_default_scenario().expect("default scenario");
        let whole = app.state().scenario.to_ron();
        let half = dir.join("half.ron");
        std::fs::write(&half, &whole[..whole.len() / 2]).expect("writes");
        for path in [half.clone(), dir.join("removed.ron")] {
            let mut app = App::with_default_scenario().expect("default scenario");
            let before = app.state().scenario.id.clone();
            app.restore(&Saved {
                file: Some(path.clone()),
                tab: Some(Tab::People),
                ..Saved::default()
            });
            assert_eq!(app.state().scenario.id, before, "{}", path.display());
            let notice = app.state().notice.clone().expect("a notice");
            assert_eq!(notice.kind, NoticeKind::Error);
            assert!(notice.text.contains("could not be read"), "{}", notice.text);
            assert_eq!(app.state().tab, Tab::People);
        }
        std::fs::remove_dir_all(&dir).expect("cleans up");
    }

    #[test]
    fn switching_scenario_and_back_keeps_the_changes_also_after_a_restart() {
        let mut app = App::with_default_scenario().expect("default scenario");
        let first = app.state().scenario.id.clone();
        let other = app
            .state()
            .library
            .iter()
            .find(|sc| sc.id != first && sc.world == app.state().scenario.world)
            .map(|sc| sc.id.clone())
            .expect("a second scenario of the same world");
        let index = forcefulness(&app);
        app.apply_now(Command::Params(ParamCommand::Set { index, value: 0.95 }));
        app.apply_now(Command::Files(FileCommand::LoadScenario(other.clone())));
        assert_eq!(app.state().scenario.id, other);
        let theirs = app.state().scenario_param(index);
        assert_eq!(
            app.state().param(index),
            theirs,
            "the other starts as written"
        );
        app.apply_now(Command::Files(FileCommand::LoadScenario(first.clone())));
        assert_eq!(app.state().param(index), 0.95, "the change is back");
        assert_eq!(app.state().sim.day(), 0);
        // Switch away again and restart: the memory comes back too.
        app.apply_now(Command::Files(FileCommand::LoadScenario(other)));
        let text = ron::to_string(&app.saved()).expect("serializes");
        let mut fresh = App::with_default_scenario().expect("default scenario");
        fresh.restore(&ron::from_str(&text).expect("parses"));
        fresh.apply_now(Command::Files(FileCommand::LoadScenario(first)));
        assert_eq!(fresh.state().param(index), 0.95);
    }

    #[test]
    fn design_b_comes_back_after_a_restart() {
        let mut app = App::with_default_scenario().expect("default scenario");
        let id = "experience.forcefulness";
        let index = app
            .state()
            .sim
            .params()
            .index_of(id)
            .expect("forcefulness exists");
        let mut b = app.state().sim.params().clone();
        b.set(id, 0.15).expect("in range");
        app.lab.start_b_with(b.clone());
        let text = ron::to_string(&app.saved()).expect("serializes");
        let mut fresh = App::with_default_scenario().expect("default scenario");
        fresh.restore(&ron::from_str(&text).expect("parses"));
        assert_eq!(fresh.lab.design_b(), Some(&b));
        // The Compare view starts with it.
        fresh.apply_now(Command::View(ViewCommand::SetTab(Tab::Compare)));
        let state = fresh.state.clone();
        fresh.lab.advance(&state, &eframe::egui::Context::default());
        assert_eq!(fresh.lab.design_b().map(|p| p.values()[index]), Some(0.15));
        // Opening another scenario starts B over.
        let other = fresh
            .state()
            .library
            .iter()
            .find(|sc| sc.id != fresh.state().scenario.id)
            .map(|sc| sc.id.clone())
            .expect("another scenario");
        fresh.apply_now(Command::Files(FileCommand::LoadScenario(other)));
        assert_eq!(fresh.lab.design_b(), None);
    }

    #[test]
    fn round_trip_keeps_changes() {
        let mut app = App::with_default_scenario().expect("default scenario");
        let index = forcefulness(&app);
        app.apply_now(Command::Params(ParamCommand::Set { index, value: 0.95 }));
        app.apply_now(Command::View(ViewCommand::SetTheme(ThemeChoice::Light)));
        app.apply_now(Command::View(ViewCommand::SetTab(Tab::People)));
        let saved = app.saved();
        let text = ron::to_string(&saved).expect("serializes");
        let back: Saved = ron::from_str(&text).expect("parses");
        assert_eq!(back, saved);

        let mut fresh = App::with_default_scenario().expect("default scenario");
        fresh.restore(&back);
        assert_eq!(fresh.state().param(index), 0.95);
        assert_eq!(fresh.state().prefs.theme, ThemeChoice::Light);
        assert_eq!(fresh.state().tab, Tab::People);
        assert_eq!(fresh.state().sim.day(), 0);
        assert!(fresh.state().sim.events().is_empty());
    }
}
