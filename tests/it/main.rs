//! The one integration-test binary: data-driven checks over `scenarios/`,
//! the command line, bad input, determinism, and the app.

mod app;
mod bad_input;
mod cli;
mod experiment;
mod lab;
mod lending_sources;
mod loops;
mod music_memory;
mod mutants;
mod observe;
mod policing_sources;
mod reality;
mod scenarios;
mod support;
mod sweeps;
mod teaching;
mod yardstick;
