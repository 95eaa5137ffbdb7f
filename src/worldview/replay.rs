//! Rebuilding a run's world as it was on a past day, for the time scrub.
//!
//! The core keeps only one row of measures per day, not the world's full
//! state (every district, every cluster, every user). A run is a pure
//! function of its world kind, starting parameters, seed and the parameter
//! changes made during it (see [`crate::sim`]), so a past state can be
//! recomputed: undo the recorded
//! [`ParamChanged`](crate::sim::EventKind::ParamChanged) events to find the
//! starting parameters, then rerun with the same changes on the same days.
//! The rebuilt run's measures are compared with the host's history on the
//! day shown; if they differ (the host changed something the events do not
//! record) the rebuild is refused rather than shown wrong.
//!
//! The work is spread over frames (a time budget per frame) and a few
//! checkpoints are kept so scrubbing backwards does not start from day 0.

use std::time::{Duration, Instant};

use crate::sim::{AnyWorld, ParamValues, Simulation, WorldKind};

/// Largest number of checkpoints kept (each is a clone of a run).
const MAX_CHECKPOINTS: usize = 12;

/// What identifies a run's trajectory: if any part differs, the cache is
/// stale.
#[derive(Clone, Debug, PartialEq)]
struct Key {
    kind: WorldKind,
    seed: u64,
    start: Vec<f64>,
    /// (first day affected, parameter id, new value), in the order made.
    changes: Vec<(u32, &'static str, f64)>,
}

impl Key {
    /// The key of `sim`'s run and its starting parameters.
    fn of(sim: &Simulation) -> (Key, ParamValues) {
        let start = sim.initial_params();
        let key = Key {
            kind: sim.kind(),
            seed: sim.seed(),
            start: start.values().to_vec(),
            changes: sim.schedule(),
        };
        (key, start)
    }
}

/// The state of a rebuild, as the view needs it.
pub enum Rebuilt<'a> {
    /// The world at the requested day.
    Ready(&'a AnyWorld),
    /// Still computing; `done` of `total` days so far.
    Working {
        /// Days simulated so far.
        done: u32,
        /// Days needed.
        total: u32,
    },
    /// The run cannot be rebuilt (its history does not match a rerun).
    Unavailable,
}

/// Replays kept between frames (stored in egui's temporary memory).
#[derive(Clone, Default)]
pub struct ReplayCache {
    key: Option<Key>,
    start: Option<ParamValues>,
    cursor: Option<Simulation>,
    checkpoints: Vec<Simulation>,
    /// The day whose rebuild failed the check, if any.
    failed_at: Option<u32>,
}

impl ReplayCache {
    /// Advances the rebuild of `sim`'s world toward day `day` for at most
    /// `budget` of wall time and reports where it stands.
    pub fn reach(&mut self, sim: &Simulation, day: u32, budget: Duration) -> Rebuilt<'_> {
        let day = day.min(sim.day());
        let (key, start) = Key::of(sim);
        if self.key.as_ref() != Some(&key) {
            *self = ReplayCache {
                key: Some(key),
                start: Some(start),
                ..ReplayCache::default()
            };
        }
        if self.failed_at == Some(day) {
            return Rebuilt::Unavailable;
        }
        let needs_restart = self.cursor.as_ref().is_none_or(|c| c.day() > day);
        if needs_restart {
            let from_checkpoint = self
                .checkpoints
                .iter()
                .filter(|c| c.day() <= day)
                .max_by_key(|c| c.day())
                .cloned();
            self.cursor = match from_checkpoint {
                Some(c) => Some(c),
                None => {
                    let Some(start) = self.start.clone() else {
                        return Rebuilt::Unavailable;
                    };
                    Some(Simulation::new(sim.kind(), start, sim.seed()))
                }
            };
        }
        let stride = (sim.day() / MAX_CHECKPOINTS as u32).max(16);
        let began = Instant::now();
        let changes: &[(u32, &str, f64)] = self.key.as_ref().map_or(&[], |k| &k.changes);
        let Some(cursor) = self.cursor.as_mut() else {
            return Rebuilt::Unavailable;
        };
        while cursor.day() < day {
            let next = cursor.day() + 1;
            for &(_, id, to) in changes.iter().filter(|(d, _, _)| *d == next) {
                if cursor.set_param(id, to).is_err() {
                    self.failed_at = Some(day);
                    return Rebuilt::Unavailable;
                }
            }
            cursor.step();
            if cursor.day().is_multiple_of(stride)
                && !self.checkpoints.iter().any(|c| c.day() == cursor.day())
            {
                self.checkpoints.push(cursor.clone());
                self.checkpoints.sort_by_key(Simulation::day);
                if self.checkpoints.len() > MAX_CHECKPOINTS {
                    // Thin out evenly: keep every other checkpoint.
                    let mut keep = false;
                    self.checkpoints.retain(|_| {
                        keep = !keep;
                        keep
                    });
                }
            }
            if began.elapsed() > budget && cursor.day() < day {
                return Rebuilt::Working {
                    done: cursor.day(),
                    total: day,
                };
            }
        }
        if day > 0 {
            let ours = cursor.history().row(day as usize);
            let theirs = sim.history().row(day as usize);
            if ours != theirs {
                self.failed_at = Some(day);
                return Rebuilt::Unavailable;
            }
        }
        match self.cursor.as_ref() {
            Some(c) => Rebuilt::Ready(c.world()),
            None => Rebuilt::Unavailable,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policing(days: u32) -> Simulation {
        let mut sim = Simulation::new(WorldKind::Policing, WorldKind::Policing.defaults(), 5);
        sim.set_param("world.districts", 3.0).unwrap();
        sim.run(days);
        sim
    }

    fn shares(world: &AnyWorld) -> Vec<f64> {
        match world {
            AnyWorld::Policing(w) => w.estimated_shares().to_vec(),
            _ => panic!("not a policing world"),
        }
    }

    /// A run with changes on days 1, 41 and 71, rebuilt at days 0, 40, 55
    /// and 90, backwards and forwards: each rebuild's measures match the
    /// host's history, and the rebuild at the last day equals the live world.
    #[test]
    fn rebuilds_past_days_with_mid_run_changes() {
        let mut sim = policing(40);
        sim.set_param("policy.correction", 1.0).unwrap();
        sim.run(30);
        sim.set_param("experience.forcefulness", 0.3).unwrap();
        sim.set_param("world.districts", 5.0).unwrap();
        sim.run(20);
        let mut cache = ReplayCache::default();
        let long = Duration::from_secs(60);
        for day in [90, 40, 55, 0, 90, 71, 70] {
            let rebuilt = match cache.reach(&sim, day, long) {
                Rebuilt::Ready(w) => shares(w),
                Rebuilt::Working { .. } => panic!("day {day}: budget exceeded"),
                Rebuilt::Unavailable => panic!("day {day}: unavailable"),
            };
            // Three districts from day 1 (set before the first step), five
            // from day 71; day 0 is the defaults' two.
            let k = match day {
                0 => 2,
                1..=70 => 3,
                _ => 5,
            };
            assert_eq!(rebuilt.len(), k, "day {day}");
            if day > 0 {
                let h = cache.cursor.as_ref().unwrap().history();
                assert_eq!(h.row(day as usize), sim.history().row(day as usize));
            }
            if day == 90 {
                assert_eq!(rebuilt, shares(sim.world()));
            }
        }
        assert!(!cache.checkpoints.is_empty());
        assert!(cache.checkpoints.len() <= MAX_CHECKPOINTS);
    }

    /// A zero budget still makes progress, one day per call at least.
    #[test]
    fn zero_budget_progresses() {
        let sim = policing(30);
        let mut cache = ReplayCache::default();
        let mut calls = 0;
        loop {
            calls += 1;
            match cache.reach(&sim, 30, Duration::ZERO) {
                Rebuilt::Ready(_) => break,
                Rebuilt::Working { done, total } => assert!(done < total && total == 30),
                Rebuilt::Unavailable => panic!("unavailable"),
            }
            assert!(calls <= 31, "no progress");
        }
    }

    /// A host whose history does not come from its recorded parameters (a
    /// different seed here stands in for an unrecorded change) is refused.
    #[test]
    fn refuses_a_history_it_cannot_reproduce() {
        let sim = policing(20);
        let mut other = Simulation::new(WorldKind::Policing, WorldKind::Policing.defaults(), 6);
        other.set_param("world.districts", 3.0).unwrap();
        other.run(20);
        let mut cache = ReplayCache::default();
        assert!(matches!(
            cache.reach(&sim, 20, Duration::from_secs(60)),
            Rebuilt::Ready(_)
        ));
        // Same key shape, different history: swap the cache's cursor in.
        let mut cache2 = ReplayCache::default();
        let _ = cache2.reach(&other, 20, Duration::from_secs(60));
        cache2.key = cache.key.clone();
        cache2.start = cache.start.clone();
        assert!(matches!(
            cache2.reach(&sim, 20, Duration::from_secs(60)),
            Rebuilt::Unavailable
        ));
    }
}
