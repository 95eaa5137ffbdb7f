//! `ixsim lesson`: a scenario's guided steps replayed headless
//! ([`crate::scenario::lesson::replay`]) and printed for people: each
//! revealed measure by its label, its values written by [`crate::format`]
//! in the measure's unit, as the app shows them.

use crate::format;
use crate::scenario::Scenario;
use crate::scenario::lesson::replay;
use crate::sim::ParamValues;

/// The replay as text.
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
            // Reveals are 7-day means: written as averages in their unit.
            let unit = metrics[m].unit;
            let before = before.map_or_else(|| "—".to_string(), |b| format::mean_value(b, unit));
            let _ = writeln!(
                out,
                "  {:<34} {:>16} → {}",
                metrics[m].label,
                before,
                format::mean_value(*after, unit)
            );
        }
        if !step.explain.is_empty() {
            let _ = writeln!(out, "  expected: {}", step.explain);
        }
    }
    out
}
