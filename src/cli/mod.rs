//! The command line: headless commands generated from the registry.
//!
//! `ixsim` alone opens the app; `list`, `describe`, `check`, `run`, `sweep`,
//! `experiment` and `lesson` work without a display. Nothing here knows the GUI: the app's options are
//! parsed into [`AppArgs`] and handed to the app by `main`. Every failure is
//! a [`CliError`]; `main` turns it into the exit code (2 when
//! [`CliError::is_input`], 1 otherwise), and no command leaves a partial
//! output file.

mod detail;
mod experiment;
mod lesson;
mod sweep;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand};

use crate::runner::{self, BatchError, MAX_BAND_REPLICATIONS, MAX_REPLICATIONS, MAX_ROWS};
use crate::scenario::library::{self, LookupError};
use crate::scenario::{Scenario, ScenarioError};
use crate::sim::registry::list_text;
use crate::sim::{Layer, MAX_DAYS, ParamError, ParamKind, ParamValues, registry};
use crate::sweep::SweepError;

pub use experiment::ExperimentArgs;
pub use sweep::SweepArgs;

/// ixsim — see how a model's errors become outcomes for people and organizations.
#[derive(Debug, Parser)]
#[command(name = "ixsim", version, about, long_about = None)]
#[command(after_help = "Run without a command to open the desktop app.")]
pub struct Cli {
    /// What to do; without a command the app opens.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// How to open the app (without a command).
    #[command(flatten)]
    pub app: AppArgs,
}

/// The options of the desktop app, as parsed; `main` hands them to the app.
#[derive(Debug, Args)]
pub struct AppArgs {
    /// Scenario the app opens: an id from `ixsim list` or a .ron file.
    #[arg(long, value_name = "ID|FILE")]
    pub scenario: Option<String>,
    /// Open the app, run --days days, save a picture of the window and exit.
    #[arg(long, value_name = "FILE.png")]
    pub screenshot: Option<PathBuf>,
    /// Days to run before the screenshot.
    #[arg(long, value_name = "N")]
    pub days: Option<u32>,
    /// Tab shown in the app: dashboard, flow, people, world, compare, sweep or experiment;
    /// gallery opens the scenario gallery over the dashboard.
    #[arg(long, value_name = "NAME")]
    pub tab: Option<String>,
    /// Open in presentation mode (large text, thick lines).
    #[arg(long)]
    pub present: bool,
    /// Shade 10–90 % bands over N replications of the run (at most 50).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(0..=i64::from(MAX_BAND_REPLICATIONS)))]
    pub bands: Option<u32>,
    /// Design B of the Compare and Experiment tabs: the scenario's design with this change (repeatable).
    #[arg(long = "set-b", value_name = "ID=VALUE")]
    pub sets_b: Vec<String>,
}

/// Headless commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the embedded scenarios.
    List,
    /// Show a scenario's parameters and measures.
    Describe {
        /// Scenario id or .ron file.
        scenario: String,
    },
    /// Validate scenario files and print their headline figures beside field data.
    Check {
        /// Files to check, or ids of built-in scenarios (`ixsim list`).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Run a scenario and write its daily measures as CSV.
    Run(RunArgs),
    /// Run a grid of designs and write final and mean measures as CSV.
    Sweep(SweepArgs),
    /// Run an A/B experiment in one world and write per-day estimates and decisions as CSV.
    Experiment(ExperimentArgs),
    /// Replay a scenario's guided steps and print what each step reveals.
    Lesson {
        /// Scenario id or .ron file.
        scenario: String,
        /// Seed (default: the scenario's).
        #[arg(long)]
        seed: Option<u64>,
        /// Override a parameter before the first step: --set id=value.
        #[arg(long = "set", value_name = "ID=VALUE")]
        sets: Vec<String>,
    },
}

/// Options of `ixsim run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Scenario id or .ron file.
    pub scenario: String,
    /// Days to simulate (default: the scenario's).
    #[arg(long)]
    pub days: Option<u32>,
    /// Seed (default: the scenario's).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Independent replications, each with its own seed derived from --seed.
    #[arg(long, default_value_t = 1)]
    pub replications: u32,
    /// Worker threads (0 = one per core, at most 256). The output does not depend on it.
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u16).range(0..=i64::from(runner::MAX_THREADS)))]
    pub threads: u16,
    /// Override a parameter: --set id=value (repeatable; see `ixsim describe`).
    #[arg(long = "set", value_name = "ID=VALUE")]
    pub sets: Vec<String>,
    /// Write the CSV here (atomically) instead of to standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Also write every district's measures, one row per replication, day
    /// and district, to this CSV file (policing world only).
    #[arg(long, value_name = "FILE")]
    pub detail_out: Option<PathBuf>,
    /// Run even when the work estimate is above the limit (2e11 user-situations).
    #[arg(long)]
    pub allow_large: bool,
}

/// Why a headless command failed.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// No such scenario, or its file was refused.
    #[error(transparent)]
    Lookup(#[from] LookupError),
    /// An embedded scenario does not parse (`ixsim list`).
    #[error("embedded scenario: {0}")]
    Library(ScenarioError),
    /// Files refused by `ixsim check`, one error each.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\nerror: "))]
    Check(Vec<ScenarioError>),
    /// A `--set id=value` that the parameter table refuses.
    #[error(
        "--set {}: {}",
        crate::scenario::shorten(arg),
        crate::scenario::param_message(source)
    )]
    Set {
        /// The argument as given.
        arg: String,
        /// Why it was refused.
        source: ParamError,
    },
    /// Parameters that contradict each other once every `--set` is applied.
    #[error("--set: {0}")]
    Limits(ParamError),
    /// A `--param` axis or a grid that `ixsim sweep` refuses.
    #[error("--param {0}")]
    Axis(SweepError),
    /// A grid too large, or two axes on one parameter.
    #[error("{0}")]
    Grid(SweepError),
    /// `--days` out of range.
    #[error("--days {0}: expected 1 to {MAX_DAYS}")]
    Days(u32),
    /// `--replications` out of range.
    #[error("--replications {0}: expected 1 to {MAX_REPLICATIONS}")]
    Replications(u32),
    /// More rows than one run may write.
    #[error("{replications} replications × {days} days is more than {MAX_ROWS} rows; run fewer")]
    Rows {
        /// Replications asked for.
        replications: u32,
        /// Days asked for.
        days: u32,
    },
    /// More work than [`runner::MAX_WORK`] without `--allow-large`.
    #[error(
        "about {work:.1e} user-situations (users × situations per day × days × runs), roughly {} on {threads} threads: more than {max:.0e}; lower --days, --replications, the grid or world.users, or pass --allow-large",
        crate::format::duration(runner::work_seconds(*.work, *.threads)),
        max = runner::MAX_WORK
    )]
    Work {
        /// The estimate, in user-situations.
        work: f64,
        /// Threads the batch would run on.
        threads: usize,
    },
    /// `ixsim sweep` without `--param` on a scenario whose file names no
    /// `sweep` block.
    #[error(
        "{0} names no sweep of its own: give one or two --param axes (id=start:end:points or id=v1,v2,...)"
    )]
    NoSweep(String),
    /// `ixsim lesson` on a scenario without guided steps.
    #[error("{0} has no guided steps")]
    NoSteps(String),
    /// `--detail-out` for a world without districts.
    #[error("--detail-out: the {0} world has no per-district measures (only policing has)")]
    NoDetail(&'static str),
    /// An experiment that cannot run (world, metric, split).
    #[error(transparent)]
    Experiment(crate::experiment::run::ExperimentError),
    /// The batch could not run.
    #[error(transparent)]
    Batch(#[from] BatchError),
    /// The output file could not be written.
    #[error("{}: cannot write: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// Standard output could not be written.
    #[error("cannot write to standard output: {0}")]
    Stdout(std::io::Error),
}

impl CliError {
    /// Whether what the user gave (a file, an id, a parameter, a value, a
    /// size) is at fault, rather than the machine or the program.
    pub fn is_input(&self) -> bool {
        match self {
            CliError::Lookup(e) => e.is_input(),
            CliError::Check(_)
            | CliError::Set { .. }
            | CliError::Limits(_)
            | CliError::Axis(_)
            | CliError::Grid(_)
            | CliError::Days(_)
            | CliError::Replications(_)
            | CliError::Rows { .. }
            | CliError::Work { .. }
            | CliError::NoSteps(_)
            | CliError::NoSweep(_)
            | CliError::NoDetail(_)
            | CliError::Experiment(_) => true,
            CliError::Library(_)
            | CliError::Batch(_)
            | CliError::Write { .. }
            | CliError::Stdout(_) => false,
        }
    }
}

/// Loads a scenario by embedded id or file path.
pub fn resolve_scenario(name: &str) -> Result<Scenario, CliError> {
    Ok(library::find(name)?.0)
}

/// Makes SIGINT and SIGTERM (and Ctrl-C) stop a command cleanly: the first
/// sets the stop flag ([`crate::io::stop`]), which batches check between
/// days and output files between writes, so the command ends with
/// "cancelled" (exit 1) and leaves no temporary file; a second one exits
/// with 130 at once.
fn stop_on_signals() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // Without a handler a signal ends the process as before.
        let _ = ctrlc::set_handler(|| {
            if crate::io::stop_flag().swap(true, std::sync::atomic::Ordering::SeqCst) {
                std::process::exit(130);
            }
        });
    });
}

/// Runs a headless command.
pub fn execute(command: Command) -> Result<(), CliError> {
    // Only the long commands check the stop flag; the others end at once on
    // a signal, as any program does.
    if matches!(command, Command::Run(_) | Command::Sweep(_)) {
        stop_on_signals();
    }
    match command {
        Command::List => {
            let mut out = String::new();
            for s in library::all().map_err(CliError::Library)? {
                let _ = writeln!(out, "{:<24} {}", s.id, s.title);
            }
            write_output(None, out.as_bytes())
        }
        Command::Describe { scenario } => {
            write_output(None, describe(&resolve_scenario(&scenario)?).as_bytes())
        }
        Command::Check { files } => check(&files),
        Command::Run(args) => run(args),
        Command::Sweep(args) => sweep::sweep(args),
        Command::Experiment(args) => experiment::experiment(args),
        Command::Lesson {
            scenario,
            seed,
            sets,
        } => {
            let mut s = resolve_scenario(&scenario)?;
            apply_sets(&mut s, &sets)?;
            if s.steps.is_empty() {
                return Err(CliError::NoSteps(s.id));
            }
            let seed = seed.unwrap_or(s.seed);
            write_output(None, lesson::report(&s, &s.params, seed).as_bytes())
        }
    }
}

fn check(files: &[PathBuf]) -> Result<(), CliError> {
    let mut failures = Vec::new();
    let mut out = String::new();
    for f in files {
        // A name that is no file but a built-in scenario's id checks that one.
        let embedded = (!f.exists())
            .then(|| f.to_str().and_then(library::get))
            .flatten();
        match embedded.unwrap_or_else(|| Scenario::load(f)) {
            Ok(s) => {
                let _ = writeln!(
                    out,
                    "{}: OK ({}, {} world)",
                    f.display(),
                    s.id,
                    s.world.id()
                );
                // The headline figures at the scenario's defaults, beside
                // what field data say.
                if !s.reality.is_empty() {
                    let values = s.reality.compute(s.world, &s.params, s.days, s.seed);
                    out.push_str(&s.reality.report(&values));
                }
            }
            Err(e) => failures.push(e),
        }
    }
    write_output(None, out.as_bytes())?;
    if failures.is_empty() {
        Ok(())
    } else {
        Err(CliError::Check(failures))
    }
}

/// Parameter `i`'s value for `describe`: a list's items in brackets
/// ("[4, 3]"), or, when no list is given, the items its shorthand makes.
fn described_value(params: &ParamValues, i: usize) -> String {
    let spec = &params.specs()[i];
    match spec.kind {
        ParamKind::List(_) if params.list_at(i).is_empty() => {
            format!(
                "{} = [{}]",
                spec.format(0.0),
                list_text(&params.items_at(i))
            )
        }
        ParamKind::List(_) => format!("[{}]", params.text_at(i)),
        _ => spec.format(params.values()[i]),
    }
}

/// The text of `ixsim describe`.
pub fn describe(s: &Scenario) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} — {}\n{}\n", s.id, s.title, s.summary);
    let _ = writeln!(
        out,
        "world: {}   days: {}   seed: {}\n",
        s.world.id(),
        s.days,
        s.seed
    );
    let _ = writeln!(
        out,
        "PARAMETERS (set with --set id=value; each default is \"sourced\" or an \"assumption\")"
    );
    for group in registry::Group::ALL {
        let specs: Vec<_> = s
            .params
            .specs()
            .iter()
            .enumerate()
            .filter(|(_, p)| p.group == group)
            .collect();
        if specs.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n  [{}]", group.label());
        for (i, p) in specs {
            let unit = if p.unit.symbol().is_empty() {
                String::new()
            } else {
                format!(" {}", p.unit)
            };
            let _ = writeln!(
                out,
                "  {:<34} = {:<10} default {:<10} range {}{}",
                p.id,
                described_value(&s.params, i),
                p.format(p.default),
                p.range_text(),
                unit
            );
            if let Some(own) = s.labels.get(&i) {
                let _ = writeln!(out, "      in this case: {own}");
            }
            let _ = writeln!(out, "      {}", p.doc);
            let _ = writeln!(out, "      {}", p.source);
        }
    }
    let _ = writeln!(out, "\nMEASURES (CSV columns after replication,day)");
    for layer in Layer::ALL {
        let metrics: Vec<_> = s
            .world
            .metrics()
            .iter()
            .filter(|m| m.layer == layer)
            .collect();
        if metrics.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n  [{}]", layer.label());
        for m in metrics {
            let _ = writeln!(out, "  {:<34} {:<22} {}", m.id, m.unit, m.doc);
        }
    }
    out
}

/// Applies `--set id=value` overrides, validated like the file.
pub fn apply_sets(s: &mut Scenario, sets: &[String]) -> Result<(), CliError> {
    for a in sets {
        s.params.set_text(a).map_err(|source| CliError::Set {
            arg: a.clone(),
            source,
        })?;
    }
    s.world.check_limits(&s.params).map_err(CliError::Limits)
}

/// Refuses `work` user-situations above [`runner::MAX_WORK`] unless `allow`.
pub fn check_work(work: f64, threads: u16, allow: bool) -> Result<(), CliError> {
    if work > runner::MAX_WORK && !allow {
        return Err(CliError::Work {
            work,
            threads: runner::effective_threads(usize::from(threads)),
        });
    }
    Ok(())
}

/// Checks a run's size against the documented bounds.
pub fn check_size(days: u32, replications: u32) -> Result<(), CliError> {
    if days == 0 || days > MAX_DAYS {
        return Err(CliError::Days(days));
    }
    if replications == 0 || replications > MAX_REPLICATIONS {
        return Err(CliError::Replications(replications));
    }
    if u64::from(days) * u64::from(replications) > MAX_ROWS {
        return Err(CliError::Rows { replications, days });
    }
    Ok(())
}

fn run(args: RunArgs) -> Result<(), CliError> {
    let mut s = resolve_scenario(&args.scenario)?;
    apply_sets(&mut s, &args.sets)?;
    let days = args.days.unwrap_or(s.days);
    check_size(days, args.replications)?;
    let seed = args.seed.unwrap_or(s.seed);
    if args.detail_out.is_some() && !detail::has_detail(s.world) {
        return Err(CliError::NoDetail(s.world.id()));
    }
    check_work(
        runner::work_estimate(s.world, &s.params, days, u64::from(args.replications)),
        args.threads,
        args.allow_large,
    )?;
    let runs = runner::replicate_until(
        s.world,
        &s.params,
        days,
        seed,
        args.replications,
        usize::from(args.threads),
        Some(crate::io::stop_flag()),
    )?;
    // Streamed: a million rows need not be held twice (runs and text).
    write_output_with(args.out.as_deref(), |w| {
        crate::export::write_runs_csv(w, s.world.metrics(), &runs)
    })?;
    if let Some(path) = args.detail_out.as_deref() {
        write_output_with(Some(path), |w| {
            detail::write_detail_csv(
                w,
                s.world,
                &s.params,
                days,
                seed,
                args.replications,
                crate::io::stop_flag(),
            )
        })?;
    }
    Ok(())
}

/// Writes to a file atomically, or to standard output.
pub fn write_output(out: Option<&Path>, bytes: &[u8]) -> Result<(), CliError> {
    write_output_with(out, |w| w.write_all(bytes))
}

/// Streams `write` into a file atomically, or to standard output. A reader
/// that stops early (`ixsim run … | head`) is not an error.
pub fn write_output_with(
    out: Option<&Path>,
    write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> Result<(), CliError> {
    match out {
        Some(path) => crate::io::atomic_write_with(path, write).map_err(|source| {
            if crate::io::stop_flag().load(std::sync::atomic::Ordering::SeqCst) {
                CliError::Batch(BatchError::Cancelled)
            } else {
                CliError::Write {
                    path: path.to_path_buf(),
                    source,
                }
            }
        }),
        None => {
            use std::io::Write as _;
            // A closed standard output swallows every write: say so.
            if !crate::io::stdout_is_open() {
                return Err(CliError::Stdout(std::io::Error::new(
                    std::io::ErrorKind::NotConnected,
                    "it is closed",
                )));
            }
            let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
            match write(&mut stdout).and_then(|()| stdout.flush()) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(CliError::Stdout(e)),
                _ if crate::io::stop_flag().load(std::sync::atomic::Ordering::SeqCst) => {
                    Err(CliError::Batch(BatchError::Cancelled))
                }
                _ => Ok(()),
            }
        }
    }
}
