//! Any bytes as a scenario file: refused with a line and column, or
//! accepted; never a panic, a hang or a crash.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = ixsim::scenario::Scenario::parse_bytes(data, "fuzz.ron") {
        assert!(e.line > 0 && e.column > 0, "refused without a position: {e}");
    }
});
