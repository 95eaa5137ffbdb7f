//! `ixsim experiment`: a randomized A/B experiment in one user world,
//! headless: the per-day CSV of estimates and decisions, then a summary
//! (each stopping rule's decision, the truth beside it, A/A false-positive
//! rates).

use std::fmt::Write as _;
use std::path::PathBuf;

use clap::Args;

use super::{CliError, apply_sets, check_work, resolve_scenario, write_output};
use crate::experiment::run::{self, ExperimentRun, ExperimentSpec, RULES, Truth, Verdict};
use crate::runner;
use crate::sim::{MAX_DAYS, WorldKind};

/// Options of `ixsim experiment`.
#[derive(Debug, Args)]
pub struct ExperimentArgs {
    /// Scenario id or .ron file (a user-world scenario).
    pub scenario: String,
    /// Override a parameter of both designs (and the world): --set id=value.
    #[arg(long = "set", value_name = "ID=VALUE")]
    pub sets: Vec<String>,
    /// Set a parameter of design B only (repeatable): --set-b id=value.
    #[arg(long = "set-b", value_name = "ID=VALUE")]
    pub sets_b: Vec<String>,
    /// Days the experiment may run; the fixed-horizon test looks on the last.
    #[arg(long, default_value_t = 14)]
    pub days: u32,
    /// Share of users in B (design B), 0 to 1.
    #[arg(long, default_value_t = 0.5)]
    pub split: f64,
    /// The decision metric (a per-user measure; an observable one is what a team has).
    #[arg(long, default_value = "leading.engagement")]
    pub metric: String,
    /// The smallest effect worth finding, relative to A's mean (sample size; mSPRT spread).
    #[arg(long, default_value_t = 0.05)]
    pub mde: f64,
    /// Seed (default: the scenario's).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Days of the oracle runs beside the experiment (0: no truth).
    #[arg(long, default_value_t = 365)]
    pub truth_days: u32,
    /// Also rerun an A/A experiment (B = A) on N seeds and print each rule's false-positive rate.
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u32).range(0..=10_000))]
    pub aa_seeds: u32,
    /// Worker threads for --aa-seeds (0 = one per core). The output does not depend on it.
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u16).range(0..=i64::from(runner::MAX_THREADS)))]
    pub threads: u16,
    /// Write the CSV here (atomically) instead of to standard output; the summary then goes to standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Run even when the work estimate is above the limit (2e11 user-situations).
    #[arg(long)]
    pub allow_large: bool,
}

/// The CSV header of `ixsim experiment`.
pub const HEADER: &str = "day,users_a,users_b,mean_a,mean_b,difference,ci_low,ci_high,p_value,always_valid_p,units_needed,peeking,fixed,sequential";

pub(super) fn experiment(args: ExperimentArgs) -> Result<(), CliError> {
    let mut s = resolve_scenario(&args.scenario)?;
    if s.world != WorldKind::Users {
        return Err(CliError::Experiment(run::ExperimentError::World(
            s.world.id(),
        )));
    }
    apply_sets(&mut s, &args.sets)?;
    let params_a = s.params.clone();
    apply_sets(&mut s, &args.sets_b)?;
    let params_b = s.params.clone();
    if args.days == 0 || args.days > MAX_DAYS {
        return Err(CliError::Days(args.days));
    }
    if args.truth_days > MAX_DAYS {
        return Err(CliError::Days(args.truth_days));
    }
    let spec = ExperimentSpec {
        params_a,
        params_b,
        share_b: args.split,
        metric: run::metric_column(&args.metric).map_err(CliError::Experiment)?,
        days: args.days,
        seed: args.seed.unwrap_or(s.seed),
        mde_relative: args.mde,
    };
    spec.check().map_err(CliError::Experiment)?;
    let days =
        u64::from(args.days) * (1 + u64::from(args.aa_seeds)) + 2 * u64::from(args.truth_days);
    check_work(
        runner::work_estimate(s.world, &spec.params_a, 1, days),
        args.threads,
        args.allow_large,
    )?;
    let result = spec.run().map_err(CliError::Experiment)?;
    let mut summary = summary(&spec, &result);
    if args.truth_days > 0 {
        let truth = Truth::compute(&spec.params_a, &spec.params_b, args.truth_days, spec.seed);
        summary.push_str(&truth_lines(&truth, &result));
    }
    if args.aa_seeds > 0 {
        let threads = runner::effective_threads(usize::from(args.threads));
        let rates = run::aa_rates(&spec, args.aa_seeds, threads).map_err(CliError::Experiment)?;
        let _ = writeln!(
            summary,
            "A/A on {} seeds ({} days, α = {}): false-positive rate {}",
            args.aa_seeds,
            args.days,
            run::ALPHA,
            RULES
                .iter()
                .zip(rates)
                .map(|(r, x)| format!("{r} {:.1} %", 100.0 * x))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let csv = csv(&result);
    if args.out.is_some() {
        write_output(args.out.as_deref(), csv.as_bytes())?;
        write_output(None, summary.as_bytes())
    } else {
        write_output(None, csv.as_bytes())?;
        eprint!("{summary}");
        Ok(())
    }
}

/// The per-day CSV: one row per day of the experiment.
pub fn csv(run: &ExperimentRun) -> String {
    let mut out = String::with_capacity(128 * (run.looks.len() + 1));
    out.push_str(HEADER);
    out.push('\n');
    let num = |x: f64| format!("{x}");
    for (look, verdicts) in run.looks.iter().zip(&run.verdicts) {
        let (d, lo, hi, p) = look.estimate.map_or(
            (String::new(), String::new(), String::new(), String::new()),
            |e| {
                (
                    num(e.difference),
                    num(e.interval.0),
                    num(e.interval.1),
                    num(e.p_value),
                )
            },
        );
        let _ = writeln!(
            out,
            "{},{},{},{},{},{d},{lo},{hi},{p},{},{},{},{},{}",
            look.day,
            look.units[0],
            look.units[1],
            num(look.means[0]),
            num(look.means[1]),
            num(look.always_valid_p),
            look.units_needed.map_or(String::new(), |n| n.to_string()),
            verdicts[0].id(),
            verdicts[1].id(),
            verdicts[2].id(),
        );
    }
    out
}

/// Each rule's decision, one line each.
fn summary(spec: &ExperimentSpec, run: &ExperimentRun) -> String {
    let mut out = String::new();
    let metric = crate::sim::users::METRICS[spec.metric].id;
    let _ = writeln!(
        out,
        "experiment on {metric}: {} days, {:.0} % of users in B, α = {}",
        spec.days,
        100.0 * spec.share_b,
        run::ALPHA
    );
    for ((rule, decision), verdict) in RULES.iter().zip(run.decisions).zip(run.final_verdicts()) {
        let when = decision.map_or(format!("ran all {} days", spec.days), |d| {
            format!("stopped on day {} at B − A = {}", d.day, d.difference)
        });
        let _ = writeln!(out, "  {rule:<10} {:<13} ({when})", verdict.id());
    }
    out
}

/// The truth and each rule's verdict line.
fn truth_lines(truth: &Truth, run: &ExperimentRun) -> String {
    let mut out = format!(
        "truth ({} days each design alone, same seed): net value per user A {:.2}, B {:.2}; active users A {:.0}, B {:.0}\n",
        truth.horizon_days,
        truth.net_value_per_user[0],
        truth.net_value_per_user[1],
        truth.active_users[0],
        truth.active_users[1]
    );
    for (rule, verdict) in RULES.iter().zip(run.final_verdicts()) {
        let _ = writeln!(
            out,
            "  {rule:<10} {}",
            truth.verdict(verdict == Verdict::ShipB)
        );
    }
    out
}
