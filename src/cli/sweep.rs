//! `ixsim sweep`: a grid of designs, headless.

use clap::Args;

use std::io::{IsTerminal as _, Write as _};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::{CliError, apply_sets, check_size, check_work, resolve_scenario, write_output};
use crate::job::Progress;
use crate::runner;
use crate::sweep::{Axis, SweepSpec, sweep_csv};

/// Options of `ixsim sweep`.
#[derive(Debug, Args)]
pub struct SweepArgs {
    /// Scenario id or .ron file.
    pub scenario: String,
    /// A swept parameter: id=start:end:points (ends included) or id=v1,v2,…; once or twice. Without it, the axes the scenario's `sweep` block names.
    #[arg(long = "param", value_name = "ID=START:END:POINTS")]
    pub params: Vec<String>,
    /// Replications per grid point.
    #[arg(long, default_value_t = 1)]
    pub replications: u32,
    /// Days per run (default: the scenario's).
    #[arg(long)]
    pub days: Option<u32>,
    /// Seed (default: the scenario's); every grid point uses the same seeds.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Worker threads (0 = one per core, at most 256). The output does not depend on it.
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u16).range(0..=i64::from(runner::MAX_THREADS)))]
    pub threads: u16,
    /// Override a parameter that is not swept: --set id=value.
    #[arg(long = "set", value_name = "ID=VALUE")]
    pub sets: Vec<String>,
    /// Write the CSV here (atomically) instead of to standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<std::path::PathBuf>,
    /// Run even when the work estimate is above the limit (2e11 user-situations).
    #[arg(long)]
    pub allow_large: bool,
    /// Print the runs done and the time left on standard error.
    #[arg(long)]
    pub progress: bool,
}

pub(super) fn sweep(args: SweepArgs) -> Result<(), CliError> {
    let mut s = resolve_scenario(&args.scenario)?;
    apply_sets(&mut s, &args.sets)?;
    let days = args.days.unwrap_or(s.days);
    check_size(days, args.replications)?;
    let axes = if args.params.is_empty() {
        let plan = s
            .sweep
            .as_ref()
            .ok_or_else(|| CliError::NoSweep(s.id.clone()))?;
        plan.axes
            .iter()
            .map(|a| Axis::of_plan(a, &s.params).map_err(CliError::Grid))
            .collect::<Result<Vec<_>, _>>()?
    } else {
        args.params
            .iter()
            .map(|p| Axis::parse(p, &s.params).map_err(CliError::Axis))
            .collect::<Result<Vec<_>, _>>()?
    };
    let spec = SweepSpec {
        kind: s.world,
        base: s.params.clone(),
        axes,
        days,
        seed: args.seed.unwrap_or(s.seed),
        replications: args.replications,
    };
    spec.check().map_err(CliError::Grid)?;
    check_work(spec.work_estimate(), args.threads, args.allow_large)?;
    let threads = usize::from(args.threads);
    let rows = if args.progress {
        let done = AtomicUsize::new(0);
        let finished = AtomicBool::new(false);
        std::thread::scope(|scope| {
            scope.spawn(|| report_progress(&done, spec.jobs(), &finished));
            let rows = spec.run(threads, Some(&done), Some(crate::io::stop_flag()));
            finished.store(true, Ordering::Relaxed);
            rows
        })?
    } else {
        spec.run(threads, None, Some(crate::io::stop_flag()))?
    };
    write_output(args.out.as_deref(), &sweep_csv(&spec, &rows))
}

/// Prints "12 / 40 runs, about 8 s left" on standard error until
/// `finished`: rewritten in place once a second on a terminal, a new line
/// every ten seconds otherwise (a log).
fn report_progress(done: &AtomicUsize, total: usize, finished: &AtomicBool) {
    let start = Instant::now();
    let mut stderr = std::io::stderr();
    let terminal = stderr.is_terminal();
    let every = Duration::from_secs(if terminal { 1 } else { 10 });
    let mut next = Duration::ZERO;
    while !finished.load(Ordering::Relaxed) {
        let elapsed = start.elapsed();
        if elapsed >= next {
            next = elapsed + every;
            let n = done.load(Ordering::Relaxed).min(total);
            let remaining = (n > 0).then(|| elapsed.mul_f64((total - n) as f64 / n as f64));
            let line = Progress {
                done: n,
                total,
                elapsed,
                remaining,
                cancelling: false,
            }
            .describe();
            let _ = if terminal {
                write!(stderr, "\r{line}\x1b[K")
            } else {
                writeln!(stderr, "{line}")
            };
        }
        // Short naps, so the end of the sweep is not held up.
        std::thread::sleep(Duration::from_millis(50));
    }
    let n = done.load(Ordering::Relaxed).min(total);
    let line = format!(
        "{n} / {total} runs in {}",
        crate::format::duration(start.elapsed().as_secs_f64())
    );
    let _ = if terminal {
        writeln!(stderr, "\r{line}\x1b[K")
    } else {
        writeln!(stderr, "{line}")
    };
}
