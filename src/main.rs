//! The `ixsim` binary: headless commands, or the desktop app.

use std::process::ExitCode;

use clap::Parser as _;
use ixsim::app::launch::Launch;
use ixsim::cli::{Cli, execute};

fn main() -> ExitCode {
    let Cli {
        command,
        scenario,
        screenshot,
        days,
        tab,
        present,
        bands,
    } = Cli::parse();
    match command {
        Some(command) => match execute(command) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => e.report(),
        },
        None => ixsim::app::run(Launch {
            scenario,
            screenshot,
            days,
            tab,
            present,
            bands: bands.unwrap_or(0),
        }),
    }
}
