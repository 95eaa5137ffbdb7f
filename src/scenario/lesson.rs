//! Guided lessons replayed headless: what each step's reveal shows.
//!
//! The `ixsim lesson` command and the teaching tests use this replay, and
//! the app its rules ([`apply_set`], [`after_days`], and means by
//! [`History::recent_mean`](crate::sim::History::recent_mean)), so a step's
//! explanation is checked against exactly what a class sees: the step's
//! changes are applied on top of the previous steps, the run goes on for the
//! step's days, and each revealed measure is compared as the mean of the
//! [`REVEAL_WINDOW_DAYS`] days before the step with the mean of its last days
//! (at most [`REVEAL_WINDOW_DAYS`]).

use super::{Scenario, Step};
use crate::sim::{ParamError, ParamValues, Simulation};

/// Days averaged on each side of a step's reveal.
pub const REVEAL_WINDOW_DAYS: usize = 7;

/// What one step revealed, aligned with the step's `reveal` list.
#[derive(Clone, Debug, PartialEq)]
pub struct Reveal {
    /// Means before the step (`None` when the step starts on day 0).
    pub before: Vec<Option<f64>>,
    /// Means over the step's last days.
    pub after: Vec<f64>,
}

/// Applies a step's changes to `sim`, all of them; returns the first one
/// refused (a parsed scenario's values are valid, so normally none).
pub fn apply_set(sim: &mut Simulation, step: &Step) -> Result<(), ParamError> {
    let mut first_error = None;
    for &(index, value) in &step.set {
        let id = sim.params().specs()[index].id;
        if let Err(e) = sim.set_param(id, value) {
            first_error.get_or_insert(e);
        }
    }
    first_error.map_or(Ok(()), Err)
}

/// Days the "after" side of a reveal averages once a step has run
/// `days_run` days: its last days, at most [`REVEAL_WINDOW_DAYS`].
pub fn after_days(days_run: usize) -> usize {
    days_run.min(REVEAL_WINDOW_DAYS)
}

/// Replays every step of `scenario` from day 0 with `params` and `seed`.
///
/// A step whose change is refused (it cannot be, for a parsed scenario)
/// simply runs without it.
pub fn replay(scenario: &Scenario, params: &ParamValues, seed: u64) -> Vec<Reveal> {
    let mut sim = Simulation::new(scenario.world, params.clone(), seed);
    scenario
        .steps
        .iter()
        .map(|step| {
            let before = step
                .reveal
                .iter()
                .map(|&m| sim.history().recent_mean(m, REVEAL_WINDOW_DAYS))
                .collect();
            let _ = apply_set(&mut sim, step);
            sim.run(step.days);
            let days = after_days(step.days as usize);
            let after = step
                .reveal
                .iter()
                .map(|&m| sim.history().recent_mean(m, days).unwrap_or(0.0))
                .collect();
            Reveal { before, after }
        })
        .collect()
}

/// The replay as text, for `ixsim lesson`.
pub fn report(scenario: &Scenario, params: &ParamValues, seed: u64) -> String {
    use std::fmt::Write as _;
    let metrics = scenario.world.metrics();
    let mut out = format!("{} — {} (seed {seed})\n", scenario.id, scenario.title);
    for (n, (step, seen)) in scenario
        .steps
        .iter()
        .zip(replay(scenario, params, seed))
        .enumerate()
    {
        let _ = writeln!(
            out,
            "\nStep {} · {} ({} days)",
            n + 1,
            step.title,
            step.days
        );
        if !step.question.is_empty() {
            let _ = writeln!(out, "  predict: {}", step.question);
        }
        for ((&m, before), after) in step.reveal.iter().zip(&seen.before).zip(&seen.after) {
            let before = before.map_or_else(|| "—".to_string(), significant);
            let _ = writeln!(
                out,
                "  {:<36} {:>12} → {:<12} {}",
                metrics[m].id,
                before,
                significant(*after),
                metrics[m].unit
            );
        }
        if !step.explain.is_empty() {
            let _ = writeln!(out, "  expected: {}", step.explain);
        }
    }
    out
}

/// A measure to four significant digits (0.1124 · 6.571 · 222.0 · −1690),
/// so small shares and large money amounts read alike.
fn significant(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    let decimals = (3 - x.abs().log10().floor() as i32).clamp(0, 6) as usize;
    format!("{x:.decimals$}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::library;

    #[test]
    fn measures_print_with_four_significant_digits() {
        assert_eq!(significant(0.112_44), "0.1124");
        assert_eq!(significant(6.571_43), "6.571");
        assert_eq!(significant(222.0), "222.0");
        assert_eq!(significant(-1689.8), "-1690");
        assert_eq!(significant(0.0), "0");
    }

    #[test]
    fn replay_reveals_every_step_of_every_lesson() {
        for s in library::all().unwrap() {
            let mut p = s.params.clone();
            if p.index_of("world.users").is_ok() && p.get("world.users") > 1000.0 {
                p.set("world.users", 1000.0).unwrap();
            }
            let seen = replay(&s, &p, s.seed);
            assert_eq!(seen.len(), s.steps.len(), "{}", s.id);
            for (step, r) in s.steps.iter().zip(&seen) {
                assert_eq!(r.before.len(), step.reveal.len());
                assert!(r.after.iter().all(|v| v.is_finite()), "{}", s.id);
            }
            if let Some(first) = seen.first() {
                assert!(first.before.iter().all(Option::is_none), "{}", s.id);
            }
        }
    }
}
