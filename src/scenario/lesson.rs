//! Guided lessons replayed headless: what each step's reveal shows.
//!
//! The `ixsim lesson` command (`cli::lesson`) and the teaching tests use this
//! replay, and the app its rules ([`apply_set`], [`after_days`], and means by
//! [`History::recent_mean`](crate::sim::History::recent_mean)), so a step's
//! explanation is checked against exactly what a class sees: the step's
//! changes are applied on top of the previous steps, the run goes on for the
//! step's days, and each revealed measure is compared as the mean of the
//! [`REVEAL_WINDOW_DAYS`] days before the step with the mean of its last days
//! (at most [`REVEAL_WINDOW_DAYS`]). [`fresh_starts`] measures each step
//! like with like as well: fresh runs of equal length with and without the
//! step's changes.
//!
//! A step with an experiment leaves the run as it is: it runs the team's
//! A/B test (or A/A reruns) on the design as the lesson left it
//! ([`experiment_spec`], [`run_experiment`]) and shows what each stopping
//! rule decided beside the truth ([`Finding::lines`]).

use super::{Scenario, Step, StepExperiment};
use crate::experiment::run::{
    self as experiment, ExperimentError, ExperimentRun, ExperimentSpec, TRUTH_DAYS, Truth,
};
use crate::sim::{ParamError, ParamValues, Simulation, WorldKind};

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

/// Smallest effect a lesson's experiment plans for, relative to A's mean
/// (the app's default too).
pub const LESSON_MDE_RELATIVE: f64 = 0.05;

/// The experiment a step runs on `now`, the design as the lesson left it:
/// A is `now` with the experiment's `both` changes, B is A with its `b`
/// changes. A refused change is skipped (a parsed scenario's are valid).
pub fn experiment_spec(
    exp: &StepExperiment,
    days: u32,
    now: &ParamValues,
    seed: u64,
) -> ExperimentSpec {
    let mut a = now.clone();
    for &(index, value) in &exp.both {
        let _ = a.set_index(index, value);
    }
    let mut b = a.clone();
    for &(index, value) in &exp.b {
        let _ = b.set_index(index, value);
    }
    ExperimentSpec {
        params_a: a,
        params_b: b,
        share_b: exp.split,
        metric: exp.metric,
        days,
        seed,
        mde_relative: LESSON_MDE_RELATIVE,
    }
}

/// What an experiment step found.
#[derive(Clone, Debug)]
pub enum Finding {
    /// An A/B test day by day, and the truth over [`TRUTH_DAYS`].
    Ab {
        /// The experiment.
        run: ExperimentRun,
        /// Both designs alone, on hidden measures.
        truth: Truth,
    },
    /// A/A reruns: each rule's share of "significant" differences.
    Aa {
        /// False-positive rate per rule, in [`experiment::RULES`] order.
        rates: [f64; 3],
        /// Reruns.
        seeds: u32,
        /// Days of each.
        days: u32,
    },
}

impl Finding {
    /// One line per stopping rule: what it decided and what that does over
    /// a year, or how often it was fooled by identical designs.
    pub fn lines(&self) -> Vec<String> {
        match self {
            Finding::Ab { run, truth } => experiment::verdict_lines(run, truth).to_vec(),
            Finding::Aa { rates, seeds, days } => {
                experiment::aa_lines(*rates, *seeds, *days).to_vec()
            }
        }
    }
}

/// Runs a step's experiment on `now` (the design as the lesson left it):
/// A/A reruns on `threads` threads (the result does not depend on how
/// many), or the A/B test and its truth.
pub fn run_experiment(
    exp: &StepExperiment,
    days: u32,
    now: &ParamValues,
    seed: u64,
    threads: usize,
) -> Result<Finding, ExperimentError> {
    let spec = experiment_spec(exp, days, now, seed);
    if exp.aa_seeds > 0 {
        let rates = experiment::aa_rates(&spec, exp.aa_seeds, threads)?;
        return Ok(Finding::Aa {
            rates,
            seeds: exp.aa_seeds,
            days,
        });
    }
    let run = spec.run()?;
    let truth = Truth::compute(&spec.params_a, &spec.params_b, TRUTH_DAYS, seed);
    Ok(Finding::Ab { run, truth })
}

/// The design as the lesson leaves it just before step `k`: `params` with
/// the changes of steps `0..k` (an experiment step changes nothing). A
/// refused change is skipped (a parsed scenario's are valid).
pub fn design_before(scenario: &Scenario, params: &ParamValues, k: usize) -> ParamValues {
    let mut now = params.clone();
    for step in scenario.steps.iter().take(k) {
        for &(index, value) in &step.set {
            let _ = now.set_index(index, value);
        }
    }
    now
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
            if step.experiment.is_none() {
                sim.run(step.days);
            }
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

/// Each step measured like with like: two fresh runs from day 0, both as
/// long as the lesson has run by the end of the step, one with the settings
/// before the step (`before`) and one with the step's changes added
/// (`after`), each revealed measure averaged over the step's last days as in
/// [`replay`]. The difference is the step's change alone, without the state
/// (trust lost, users gone) the lesson carries over from earlier steps.
/// Costs two runs per step.
pub fn fresh_starts(scenario: &Scenario, params: &ParamValues, seed: u64) -> Vec<Reveal> {
    let mut days = 0;
    let mut changes = Vec::new();
    scenario
        .steps
        .iter()
        .map(|step| {
            if step.experiment.is_none() {
                days += step.days;
            }
            let reveal = fresh_pair(scenario.world, params, &changes, step, seed, days);
            changes.extend_from_slice(&step.set);
            reveal
        })
        .collect()
}

/// One step measured like with like: two runs of `days` days from day 0,
/// both from `initial` with `changes` (parameter index, value) made on day
/// 0, the second with `step`'s changes made too. `before` holds the first
/// run's means of the step's revealed measures and `after` the second's, each
/// over the step's last days as in [`replay`]. A refused change is skipped.
pub fn fresh_pair(
    world: WorldKind,
    initial: &ParamValues,
    changes: &[(usize, f64)],
    step: &Step,
    seed: u64,
    days: u32,
) -> Reveal {
    let run = |with_step: bool| {
        let mut sim = Simulation::new(world, initial.clone(), seed);
        let step_changes = if with_step { &step.set[..] } else { &[] };
        for &(index, value) in changes.iter().chain(step_changes) {
            let id = sim.params().specs()[index].id;
            let _ = sim.set_param(id, value);
        }
        sim.run(days);
        sim
    };
    let window = after_days(step.days as usize);
    let (without, with) = (run(false), run(true));
    let mean = |sim: &Simulation, m: usize| sim.history().recent_mean(m, window);
    Reveal {
        before: step.reveal.iter().map(|&m| mean(&without, m)).collect(),
        after: step
            .reveal
            .iter()
            .map(|&m| mean(&with, m).unwrap_or(0.0))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::library;

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

    /// A step that changes nothing measures the same in both fresh runs; one
    /// that changes something can differ (the music lesson's switch to the
    /// long-term policy stops serving catchy hits).
    #[test]
    fn fresh_starts_compare_the_step_alone() {
        let s = library::all()
            .unwrap()
            .into_iter()
            .find(|s| s.id == "music-recommendation")
            .unwrap();
        let fresh = fresh_starts(&s, &s.params, s.seed);
        assert_eq!(fresh.len(), s.steps.len());
        // Step 1 sets nothing: both runs are the same run.
        assert!(s.steps[0].set.is_empty());
        for (b, a) in fresh[0].before.iter().zip(&fresh[0].after) {
            assert_eq!(*b, Some(*a));
        }
        // Step 3 switches to the long-term policy: catchy hits 100% → 0%.
        let k = s.steps[2]
            .reveal
            .iter()
            .position(|&m| s.world.metrics()[m].id == "model.clickbait_share")
            .unwrap();
        assert!(fresh[2].before[k].unwrap() > 0.99 && fresh[2].after[k] < 0.01);
    }
}
