//! `ixsim sweep`: a grid of designs, headless.

use clap::Args;

use super::{CliError, apply_sets, check_size, resolve_scenario, write_output};
use crate::runner;
use crate::sweep::{Axis, SweepSpec, sweep_csv};

/// Options of `ixsim sweep`.
#[derive(Debug, Args)]
pub struct SweepArgs {
    /// Scenario id or .ron file.
    pub scenario: String,
    /// A swept parameter: id=start:end:points (ends included) or id=v1,v2,…; once or twice.
    #[arg(long = "param", value_name = "ID=START:END:POINTS", required = true)]
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
}

pub(super) fn sweep(args: SweepArgs) -> Result<(), CliError> {
    let mut s = resolve_scenario(&args.scenario)?;
    apply_sets(&mut s, &args.sets)?;
    let days = args.days.unwrap_or(s.days);
    check_size(days, args.replications)?;
    let axes = args
        .params
        .iter()
        .map(|p| Axis::parse(p, &s.params).map_err(CliError::Axis))
        .collect::<Result<Vec<_>, _>>()?;
    let spec = SweepSpec {
        kind: s.world,
        base: s.params.clone(),
        axes,
        days,
        seed: args.seed.unwrap_or(s.seed),
        replications: args.replications,
    };
    spec.check().map_err(CliError::Grid)?;
    let rows = spec.run(usize::from(args.threads), None, None)?;
    write_output(args.out.as_deref(), &sweep_csv(&spec, &rows))
}
