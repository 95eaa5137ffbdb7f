//! What the app remembers between sessions: the scenario, the parameters
//! changed from it, the look, the panels and the tab.
//!
//! Stored by eframe's persistence as one small serde struct under [`KEY`].
//! Restoring is forgiving: a scenario or file that no longer exists, or a
//! parameter that is gone or out of range, is skipped, never fatal.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::{App, Prefs, Source, Speed, State, Tab};
use crate::scenario::library;
use crate::sim::{RawValue, Simulation};

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
}

impl Saved {
    /// Captures what to remember from the state.
    pub fn from_state(s: &State) -> Self {
        let params = s.sim.params();
        let changed = params
            .specs()
            .iter()
            .zip(params.values())
            .zip(s.scenario.params.values())
            .filter(|((_, now), then)| now != then)
            .map(|((spec, now), _)| (spec.id.to_string(), spec.format(*now)))
            .collect();
        let (scenario, file) = match &s.source {
            Source::Embedded => (Some(s.scenario.id.clone()), None),
            Source::File(p) => (None, Some(p.clone())),
        };
        Self {
            scenario,
            file,
            params: changed,
            seed: (s.sim.seed() != s.scenario.seed).then_some(s.sim.seed()),
            prefs: s.prefs.clone(),
            tab: Some(s.tab),
            speed: Some(s.speed),
        }
    }
}

/// Restores `saved` into `app`: look first, then the scenario and its
/// changed parameters (applied before day 1, so they leave no markers).
pub fn restore(app: &mut App, saved: &Saved) {
    app.state.prefs = saved.prefs.clone();
    if let Some(speed) = saved.speed {
        app.state.speed = speed;
    }
    let loaded = if let Some(path) = &saved.file {
        super::files::read_scenario(path)
            .ok()
            .map(|s| (s, Source::File(path.clone())))
    } else if let Some(id) = &saved.scenario {
        library::get(id)
            .and_then(Result::ok)
            .map(|s| (s, Source::Embedded))
    } else {
        None
    };
    if let Some((scenario, source)) = loaded {
        let mut params = scenario.params.clone();
        for (id, value) in &saved.params {
            // A parameter renamed or narrowed since is skipped.
            let _ = params.set_raw(id, &RawValue::Text(value.clone()));
        }
        let seed = saved.seed.unwrap_or(scenario.seed);
        let tab = saved.tab.unwrap_or(Tab::Dashboard);
        let world = scenario.world;
        app.open(scenario, source, Simulation::new(world, params, seed));
        app.state.tab = tab.fit(world);
    } else if let Some(tab) = saved.tab {
        app.state.tab = tab.fit(app.state.sim.kind());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::{Command, ParamCommand, ThemeChoice, ViewCommand};

    #[test]
    fn round_trip_keeps_changes() {
        let mut app = App::with_default_scenario().expect("default scenario");
        let index = app
            .state()
            .sim
            .params()
            .index_of("experience.forcefulness")
            .expect("forcefulness exists");
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
