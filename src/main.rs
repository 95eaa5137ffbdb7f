//! The `ixsim` binary: headless commands, or the desktop app.

use std::process::ExitCode;

use clap::Parser as _;
use ixsim::cli::{Cli, execute};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(command) => match execute(command) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => e.report(),
        },
        None => {
            use clap::CommandFactory as _;
            let _ = Cli::command().print_help();
            ExitCode::SUCCESS
        }
    }
}
