//! The `ixsim` binary: headless commands, or the desktop app; and the one
//! place where an outcome becomes an exit code.

use std::fmt::Display;
use std::process::ExitCode;

use clap::Parser as _;
use ixsim::app::{self, launch::Launch};
use ixsim::cli::{self, AppArgs, Cli, CliError};

fn main() -> ExitCode {
    let Cli { command, app } = Cli::parse();
    match command {
        Some(command) => exit(cli::execute(command), CliError::is_input),
        None => exit(app::run(launch(app)), app::launch::LaunchError::is_input),
    }
}

/// The app's options from the command line.
fn launch(a: AppArgs) -> Launch {
    Launch {
        scenario: a.scenario,
        screenshot: a.screenshot,
        days: a.days,
        tab: a.tab,
        present: a.present,
        bands: a.bands.unwrap_or(0),
        sets_b: a.sets_b,
    }
}

/// Outcome → exit code: 0 done; 2 the input was wrong (a file, id,
/// parameter, value or size the user gave; clap's usage errors exit with 2
/// too); 1 any other failure. The message goes to standard error.
fn exit<E: Display>(outcome: Result<(), E>, is_input: fn(&E) -> bool) -> ExitCode {
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(if is_input(&e) { 2 } else { 1 })
        }
    }
}
