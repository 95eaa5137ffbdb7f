//! Playback inside a frame: the per-frame time budget and the one loop that
//! steps simulations within it.
//!
//! Days are simulated in slices of people, so one large day cannot blow the
//! budget: a day may finish over several frames. The main run (one
//! simulation) and Compare (two, kept level) step through the same loop.

use std::time::{Duration, Instant};

use crate::sim::Simulation;

/// People simulated between two checks of the frame budget.
pub const STEP_SLICE_USERS: usize = 10_000;

/// Most wall time spent stepping simulations in one frame.
pub const STEP_BUDGET: Duration = Duration::from_millis(8);

/// What one call of [`step_within`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stepped {
    /// Days finished (over all the runs).
    pub days: u32,
    /// Wall time spent.
    pub elapsed: Duration,
}

/// Steps `runs` toward day `target_day` until `max_days` days finished or
/// `budget` is spent. The run furthest behind goes first (the first of
/// equals), so runs stepped together stay level.
pub fn step_within(
    runs: &mut [&mut Simulation],
    target_day: u32,
    max_days: u32,
    budget: Duration,
) -> Stepped {
    let started = Instant::now();
    let mut days = 0;
    while days < max_days {
        let behind = runs
            .iter_mut()
            .filter(|sim| sim.day() < target_day)
            .min_by_key(|sim| sim.day());
        let Some(sim) = behind else {
            break;
        };
        if sim.step_part(STEP_SLICE_USERS) {
            days += 1;
        }
        if started.elapsed() >= budget {
            break;
        }
    }
    Stepped {
        days,
        elapsed: started.elapsed(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::WorldKind;

    fn run() -> Simulation {
        let kind = WorldKind::Policing;
        Simulation::new(kind, kind.defaults(), 7)
    }

    #[test]
    fn runs_stepped_together_stay_level_and_stop_at_the_target() {
        let (mut a, mut b) = (run(), run());
        let done = step_within(&mut [&mut a, &mut b], 5, u32::MAX, Duration::from_secs(60));
        assert_eq!((a.day(), b.day()), (5, 5));
        assert_eq!(done.days, 10);
    }

    #[test]
    fn stops_after_the_days_wanted() {
        let mut a = run();
        let done = step_within(&mut [&mut a], 100, 3, Duration::from_secs(60));
        assert_eq!((a.day(), done.days), (3, 3));
    }
}
