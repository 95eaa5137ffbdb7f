//! What the benchmarks share: whether they run as tests, and sizes that
//! follow from it.
//!
//! `cargo test --all-targets` (and `cargo bench -- --test`) runs every
//! benchmark once in a debug build, to check that it still works; divan
//! calls that its test mode. A benchmark of a million users, or of the
//! lab's full sweep, would take many minutes there, so each one picks a
//! small size in test mode through [`size`].

#![allow(dead_code)] // each bench uses its own part of this module

use std::sync::OnceLock;

pub mod yardstick;

/// True when divan runs the benchmarks as tests: `--test` is given, or
/// `--bench` is not (cargo passes `--bench` only under `cargo bench`).
/// Divan decides its mode from the same two flags.
pub fn test_mode() -> bool {
    static TEST: OnceLock<bool> = OnceLock::new();
    *TEST.get_or_init(|| {
        let args: Vec<String> = std::env::args().collect();
        args.iter().any(|a| a == "--test") || !args.iter().any(|a| a == "--bench")
    })
}

/// `full` when benchmarking, `small` when running as a test.
pub fn size<T>(full: T, small: T) -> T {
    if test_mode() { small } else { full }
}
