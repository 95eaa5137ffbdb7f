//! A finished lesson step measured like with like, in the background: two
//! fresh runs from day 0, without and with the step's changes (see
//! [`lesson::fresh_pair`]), so the Story panel can show the step's effect
//! apart from what the lesson carried over from earlier steps.
//!
//! Owns the worker job; the result lands in the step's [`Reveal`]. Nothing
//! here blocks the UI thread: [`poll`] only looks whether the job is done.

use std::sync::atomic::Ordering;

use super::state::{Fresh, Reveal};
use crate::job::{Job, JobEnd};
use crate::runner::BatchError;
use crate::scenario::Step;
use crate::scenario::lesson;
use crate::sim::{ParamValues, Simulation};

/// The runs under way, for the step they measure.
#[derive(Default)]
pub struct Background {
    /// (step, days of each run, the job).
    running: Option<(usize, u32, Job<lesson::Reveal>)>,
}

/// Starts the two runs for `step` (index `k`), which has just finished in
/// `sim`; `before` is the run as it was just before the step was applied.
/// Returns what the reveal shows meanwhile.
pub fn start(
    bg: &mut Background,
    k: usize,
    step: &Step,
    before: &Simulation,
    sim: &Simulation,
) -> Fresh {
    // A new step replaces the old runs (dropping a job cancels it).
    bg.running = None;
    if step.set.is_empty() || sim.day() == 0 {
        return Fresh::NotNeeded;
    }
    let world = sim.kind();
    let initial = sim.initial_params();
    let changes = changes_from(&initial, before.params());
    let (step, seed, days) = (step.clone(), sim.seed(), sim.day());
    let job = Job::spawn("lesson-fresh-starts", 1, move |done, cancel| {
        if cancel.load(Ordering::Relaxed) {
            return Err(BatchError::Cancelled);
        }
        let reveal = lesson::fresh_pair(world, &initial, &changes, &step, seed, days);
        done.fetch_add(1, Ordering::Relaxed);
        Ok(reveal)
    });
    match job {
        Ok(job) => {
            bg.running = Some((k, days, job));
            Fresh::Computing
        }
        Err(e) => Fresh::Failed(e.to_string()),
    }
}

/// The parameter changes that turn `initial` into `now` (scalars; lists are
/// fixed before a run starts).
fn changes_from(initial: &ParamValues, now: &ParamValues) -> Vec<(usize, f64)> {
    initial
        .values()
        .iter()
        .zip(now.values())
        .enumerate()
        .filter(|(_, (a, b))| a != b)
        .map(|(i, (_, &b))| (i, b))
        .collect()
}

/// Collects finished runs into `reveal`; true while runs are under way.
pub fn poll(bg: &mut Background, reveal: Option<&mut Reveal>) -> bool {
    let Some((k, days, job)) = &mut bg.running else {
        return false;
    };
    let Some(end) = job.try_finish() else {
        return true;
    };
    let (k, days) = (*k, *days);
    bg.running = None;
    let Some(reveal) = reveal.filter(|r| r.step == k && r.fresh == Fresh::Computing) else {
        return false;
    };
    reveal.fresh = match end {
        JobEnd::Done(r, _) => Fresh::Ready {
            days,
            pairs: r
                .before
                .iter()
                .zip(&r.after)
                .map(|(&b, &a)| (b, Some(a)))
                .collect(),
        },
        JobEnd::Cancelled => Fresh::NotNeeded,
        JobEnd::Failed(e) => Fresh::Failed(e),
    };
    false
}

/// Stops any runs under way (the reveal they were for is gone).
pub fn cancel(bg: &mut Background) {
    bg.running = None;
}
