//! ixsim: a simulator for teaching machine learning in production.
//!
//! See README.md's Architecture section for the codemap. In short:
//! [`sim`] is the deterministic core (no IO, GUI, threads or clock);
//! [`scenario`] turns RON files into validated parameters; [`runner`] and
//! [`sweep`] run many simulations on threads; [`format`] writes numbers for
//! people, by unit; [`cli`] and [`app`] are the two front ends.

pub mod app;
pub mod cli;
pub mod experiment;
pub mod export;
pub mod format;
pub mod io;
pub mod job;
pub mod lab;
pub mod runner;
pub mod scenario;
pub mod sim;
pub mod sweep;
pub mod ui;
pub mod worldview;
