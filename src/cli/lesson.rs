//! `ixsim lesson`: a scenario's guided steps replayed headless
//! ([`crate::scenario::lesson::replay`]) and printed for people: each
//! revealed measure by its label, its values written by [`crate::format`]
//! in the measure's unit, as the app shows them, each beside fresh runs of
//! equal length without and with the step's changes
//! ([`crate::scenario::lesson::fresh_starts`]).

use crate::format;
use crate::scenario::Scenario;
use crate::scenario::lesson::{fresh_starts, replay};
use crate::sim::ParamValues;

/// The replay as text.
pub fn report(scenario: &Scenario, params: &ParamValues, seed: u64) -> String {
    use std::fmt::Write as _;
    let metrics = scenario.world.metrics();
    let mut out = format!("{} — {} (seed {seed})\n", scenario.id, scenario.title);
    let fresh = fresh_starts(scenario, params, seed);
    for (n, ((step, seen), fresh)) in scenario
        .steps
        .iter()
        .zip(replay(scenario, params, seed))
        .zip(&fresh)
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
        for (k, &m) in step.reveal.iter().enumerate() {
            // Reveals are 7-day means: written as averages in their unit.
            let unit = metrics[m].unit;
            let write =
                |v: Option<f64>| v.map_or_else(|| "—".to_string(), |v| format::mean_value(v, unit));
            let _ = writeln!(
                out,
                "  {:<34} {:>16} → {:<16}  fresh starts: {} → {}",
                metrics[m].label,
                write(seen.before[k]),
                write(Some(seen.after[k])),
                write(fresh.before[k]),
                write(Some(fresh.after[k]))
            );
        }
        if !step.explain.is_empty() {
            let _ = writeln!(out, "  expected: {}", step.explain);
        }
    }
    out
}
