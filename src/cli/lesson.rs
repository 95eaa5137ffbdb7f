//! `ixsim lesson`: a scenario's guided steps replayed headless
//! ([`crate::scenario::lesson::replay`]) and printed for people.

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
        // (`x == 0.0` holds for −0 too, which prints as plain 0.)
        return if x == 0.0 { "0".into() } else { format!("{x}") };
    }
    let decimals = (3 - x.abs().log10().floor() as i32).clamp(0, 6) as usize;
    format!("{x:.decimals$}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_print_with_four_significant_digits() {
        assert_eq!(significant(0.112_44), "0.1124");
        assert_eq!(significant(6.571_43), "6.571");
        assert_eq!(significant(222.0), "222.0");
        assert_eq!(significant(-1689.8), "-1690");
        assert_eq!(significant(0.0), "0");
        assert_eq!(significant(-0.0), "0");
    }
}
