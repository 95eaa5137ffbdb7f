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

/// SplitMix64: the tests' own fixed, dependency-free sequence, independent of
/// the simulator's streams.
pub struct SplitMix(pub u64);

impl SplitMix {
    /// The next 64 bits.
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform on [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform on 0..n (0 when n is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// One of `items`, uniformly.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}
