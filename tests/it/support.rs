//! Helpers shared by the scenario-lesson tests.

use ixsim::scenario::{Scenario, library};
use ixsim::sim::{History, ParamValues};

/// A scenario from the embedded library.
pub fn load(id: &str) -> Scenario {
    library::get(id)
        .unwrap_or_else(|| panic!("no scenario `{id}`"))
        .unwrap_or_else(|e| panic!("scenario `{id}` does not load: {e}"))
}

/// The scenario's parameters with `id=value` overrides.
pub fn with(s: &Scenario, sets: &[&str]) -> ParamValues {
    let mut p = s.params.clone();
    for a in sets {
        p.set_text(a).unwrap_or_else(|e| panic!("{a}: {e}"));
    }
    p
}

/// Column of a metric id in the scenario's world.
pub fn metric(s: &Scenario, id: &str) -> usize {
    s.world
        .metrics()
        .iter()
        .position(|m| m.id == id)
        .unwrap_or_else(|| panic!("unknown metric {id}"))
}

/// Mean of a metric over days `from..=to` (1-based; `to` clipped to the run).
pub fn mean_over(h: &History, m: usize, from: usize, to: usize) -> f64 {
    let to = to.min(h.days());
    let n = to + 1 - from;
    h.column(m).skip(from - 1).take(n).sum::<f64>() / n as f64
}
