//! The command line: headless commands generated from the registry.
//!
//! `ixsim` alone opens the app; `list`, `describe`, `check`, `run` and `sweep`
//! work without a display. Input errors exit with 2, other failures with 1,
//! and no command leaves a partial output file.

mod lesson;
mod sweep;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::runner::{self, MAX_REPLICATIONS, MAX_ROWS};
use crate::scenario::{Scenario, library};
use crate::sim::{Layer, MAX_DAYS, registry};

pub use sweep::SweepArgs;

/// ixsim — see how a model's errors become outcomes for people and organizations.
#[derive(Debug, Parser)]
#[command(name = "ixsim", version, about, long_about = None)]
#[command(after_help = "Run without a command to open the desktop app.")]
pub struct Cli {
    /// What to do; without a command the app opens.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Scenario the app opens: an id from `ixsim list` or a .ron file.
    #[arg(long, value_name = "ID|FILE")]
    pub scenario: Option<String>,
    /// Open the app, run --days days, save a picture of the window and exit.
    #[arg(long, value_name = "FILE.png")]
    pub screenshot: Option<PathBuf>,
    /// Days to run before the screenshot.
    #[arg(long, value_name = "N")]
    pub days: Option<u32>,
    /// Tab shown in the app: dashboard, flow, people, world, compare or sweep.
    #[arg(long, value_name = "NAME")]
    pub tab: Option<String>,
    /// Open in presentation mode (large text, thick lines).
    #[arg(long)]
    pub present: bool,
    /// Shade 10–90 % bands over N replications of the run (at most 50).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(0..=i64::from(crate::app::bands::MAX_REPLICATIONS)))]
    pub bands: Option<u32>,
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
    /// Validate scenario files.
    Check {
        /// Files to check.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Run a scenario and write its daily measures as CSV.
    Run(RunArgs),
    /// Run a grid of designs and write final and mean measures as CSV.
    Sweep(SweepArgs),
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
}

/// A failure, with the exit code it maps to.
#[derive(Debug)]
pub enum CliError {
    /// Bad input: exit code 2.
    Input(String),
    /// Anything else: exit code 1.
    Failure(String),
}

impl CliError {
    /// Prints the message and returns the exit code.
    pub fn report(&self) -> ExitCode {
        match self {
            CliError::Input(m) => {
                eprintln!("error: {m}");
                ExitCode::from(2)
            }
            CliError::Failure(m) => {
                eprintln!("error: {m}");
                ExitCode::from(1)
            }
        }
    }
}

/// Loads a scenario by embedded id or file path.
pub fn resolve_scenario(name: &str) -> Result<Scenario, CliError> {
    if let Some(parsed) = library::get(name) {
        return parsed.map_err(|e| CliError::Failure(e.to_string()));
    }
    let path = Path::new(name);
    if path.exists() || name.ends_with(".ron") {
        return load_file(path);
    }
    Err(CliError::Input(format!(
        "no scenario \"{name}\": expected one of {} or a .ron file",
        library::ids().collect::<Vec<_>>().join(", ")
    )))
}

/// Reads and parses a scenario file.
fn load_file(path: &Path) -> Result<Scenario, CliError> {
    Scenario::load(path).map_err(|e| CliError::Input(e.to_string()))
}

/// Runs a headless command.
pub fn execute(command: Command) -> Result<(), CliError> {
    match command {
        Command::List => {
            let mut out = String::new();
            for s in library::all().map_err(|e| CliError::Failure(e.to_string()))? {
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
        Command::Lesson {
            scenario,
            seed,
            sets,
        } => {
            let mut s = resolve_scenario(&scenario)?;
            apply_sets(&mut s, &sets)?;
            if s.steps.is_empty() {
                return Err(CliError::Input(format!("{} has no guided steps", s.id)));
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
        match load_file(f) {
            Ok(s) => {
                let _ = writeln!(
                    out,
                    "{}: OK ({}, {} world)",
                    f.display(),
                    s.id,
                    s.world.id()
                );
            }
            Err(CliError::Input(m) | CliError::Failure(m)) => failures.push(m),
        }
    }
    write_output(None, out.as_bytes())?;
    if failures.is_empty() {
        Ok(())
    } else {
        Err(CliError::Input(failures.join("\nerror: ")))
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
    let _ = writeln!(out, "PARAMETERS (set with --set id=value)");
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
            let v = s.params.values()[i];
            let unit = if p.unit.symbol().is_empty() {
                String::new()
            } else {
                format!(" {}", p.unit)
            };
            let _ = writeln!(
                out,
                "  {:<34} = {:<10} default {:<10} range {}{}",
                p.id,
                p.format(v),
                p.format(p.default),
                p.range_text(),
                unit
            );
            if let Some(own) = s.labels.get(&i) {
                let _ = writeln!(out, "      in this case: {own}");
            }
            let _ = writeln!(out, "      {}", p.doc);
            let _ = writeln!(out, "      source: {}", p.source);
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
        s.params
            .set_text(a)
            .map_err(|e| CliError::Input(format!("--set {a}: {e}")))?;
    }
    Ok(())
}

/// Checks a run's size against the documented bounds.
pub fn check_size(days: u32, replications: u32) -> Result<(), CliError> {
    if days == 0 || days > MAX_DAYS {
        return Err(CliError::Input(format!(
            "--days {days}: expected 1 to {MAX_DAYS}"
        )));
    }
    if replications == 0 || replications > MAX_REPLICATIONS {
        return Err(CliError::Input(format!(
            "--replications {replications}: expected 1 to {MAX_REPLICATIONS}"
        )));
    }
    if u64::from(days) * u64::from(replications) > MAX_ROWS {
        return Err(CliError::Input(format!(
            "{replications} replications × {days} days is more than {MAX_ROWS} rows; run fewer"
        )));
    }
    Ok(())
}

fn run(args: RunArgs) -> Result<(), CliError> {
    let mut s = resolve_scenario(&args.scenario)?;
    apply_sets(&mut s, &args.sets)?;
    let days = args.days.unwrap_or(s.days);
    check_size(days, args.replications)?;
    let seed = args.seed.unwrap_or(s.seed);
    let runs = runner::replicate(
        s.world,
        &s.params,
        days,
        seed,
        args.replications,
        usize::from(args.threads),
    )
    .map_err(|e| CliError::Failure(e.to_string()))?;
    // Streamed: a million rows need not be held twice (runs and text).
    write_output_with(args.out.as_deref(), |w| {
        crate::export::write_runs_csv(w, s.world.metrics(), &runs)
    })
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
        Some(path) => crate::io::atomic_write_with(path, write)
            .map_err(|e| CliError::Failure(format!("{}: cannot write: {e}", path.display()))),
        None => {
            use std::io::Write as _;
            let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
            match write(&mut stdout).and_then(|()| stdout.flush()) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(CliError::Failure(
                    format!("cannot write to standard output: {e}"),
                )),
                _ => Ok(()),
            }
        }
    }
}
