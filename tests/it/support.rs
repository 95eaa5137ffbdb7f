//! Helpers shared by the integration tests.

use ixsim::scenario::{Scenario, library};
use ixsim::sim::{History, ParamValues};
use std::time::{Duration, Instant};

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

/// Calls `poll` until it returns true. For work that ends on another thread
/// (bands, previews, sweeps): how long it takes is not the test's concern,
/// only that it ends, so the bound is generous (two minutes) and a slow
/// machine does not fail the test.
pub fn poll_until(what: &str, mut poll: impl FnMut() -> bool) {
    let start = Instant::now();
    while !poll() {
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "{what} never ended"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}
