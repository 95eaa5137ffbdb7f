//! `ixsim lesson`: a scenario's guided steps replayed headless
//! ([`crate::scenario::lesson::replay`]) and printed for people: each
//! revealed measure by its label, its values written by [`crate::format`]
//! in the measure's unit, as the app shows them, each beside fresh runs of
//! equal length without and with the step's changes
//! ([`crate::scenario::lesson::fresh_starts`]). A step with an experiment
//! runs it on the design as the lesson left it and prints each stopping
//! rule's decision beside the truth
//! ([`crate::scenario::lesson::run_experiment`]).

use crate::format;
use crate::scenario::Scenario;
use crate::scenario::lesson::{design_before, fresh_starts, replay, run_experiment};
use crate::sim::ParamValues;

/// The replay as text.
pub fn report(scenario: &Scenario, params: &ParamValues, seed: u64) -> String {
    use std::fmt::Write as _;
    let metrics = scenario.world.metrics();
    let mut out = format!("{} — {} (seed {seed})\n", scenario.id, scenario.title);
    let fresh = fresh_starts(scenario, params, seed);
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
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
        if let Some(exp) = &step.experiment {
            let now = design_before(scenario, params, n);
            let what = if exp.aa_seeds > 0 {
                format!("A/A check, {} tests", exp.aa_seeds)
            } else {
                "A/B test".to_string()
            };
            let _ = writeln!(
                out,
                "  {what} on {}, {} % of users in B",
                metrics[exp.metric].label,
                (exp.split * 100.0).round()
            );
            match run_experiment(exp, step.days, &now, seed, threads) {
                Ok(finding) => {
                    for line in finding.lines() {
                        let _ = writeln!(out, "  {line}");
                    }
                }
                Err(e) => {
                    let _ = writeln!(out, "  the experiment could not run: {e}");
                }
            }
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
