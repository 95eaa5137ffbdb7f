//! Mutation testing in process: every shipped scenario file, broken in the
//! ways a hurried editor or a damaged disk breaks files (byte flips,
//! truncations, repeated and lost lines, wrong types, huge, NaN and
//! infinite numbers, deep nesting, invalid UTF-8, escapes), tens of
//! thousands of times with a fixed seed. Every mutant must be refused with
//! a line and column, or accepted; no panic; a sample of the accepted ones
//! runs 30 days without a NaN. `fuzz/` holds the open-ended campaign.

use ixsim::scenario::Scenario;
use ixsim::sim::Simulation;

use crate::support::SplitMix as Rng;

/// Mutants per `cargo test` run.
const MUTANTS: usize = 20_000;
/// Accepted mutants run for 30 days.
const RUN_SAMPLE: usize = 24;

/// The shipped scenario files, as bytes.
pub fn shipped() -> Vec<(String, Vec<u8>)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("scenarios/ exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).expect("readable file"))
        })
        .collect();
    files.sort();
    files
}

/// Byte ranges of every number in `text` (digits with signs, dots, exponents).
fn numbers(text: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < text.len() {
        if text[i].is_ascii_digit() && (i == 0 || !text[i - 1].is_ascii_alphanumeric()) {
            let start = if i > 0 && text[i - 1] == b'-' {
                i - 1
            } else {
                i
            };
            let mut end = i;
            while end < text.len() && matches!(text[end], b'0'..=b'9' | b'.' | b'e' | b'E' | b'_') {
                end += 1;
            }
            out.push((start, end));
            i = end;
        } else {
            i += 1;
        }
    }
    out
}

/// Byte ranges of every double-quoted string, quotes included.
fn strings(text: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < text.len() {
        if text[i] == b'"' {
            let mut end = i + 1;
            while end < text.len() && text[end] != b'"' {
                end += if text[end] == b'\\' { 2 } else { 1 };
            }
            let end = (end + 1).min(text.len());
            out.push((i, end));
            i = end;
        } else {
            i += 1;
        }
    }
    out
}

fn replace(text: &[u8], (from, to): (usize, usize), with: &[u8]) -> Vec<u8> {
    [&text[..from], with, &text[to..]].concat()
}

fn line_ranges(text: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, b) in text.iter().enumerate() {
        if *b == b'\n' {
            out.push((start, i + 1));
            start = i + 1;
        }
    }
    if start < text.len() {
        out.push((start, text.len()));
    }
    out
}

/// One mutant of `text`.
fn mutate(text: &[u8], rng: &mut Rng) -> Vec<u8> {
    const NUMBERS: &[&str] = &[
        "NaN",
        "inf",
        "-inf",
        "1e308",
        "-1e308",
        "1e400",
        "-1",
        "0",
        "4294967296",
        "18446744073709551616",
        "0.5",
        "99999999999999999999999",
        "1_000",
        "0x10",
        "true",
        "\"7\"",
        "[]",
        "()",
    ];
    const STRINGS: &[&str] = &[
        "0",
        "1.5",
        "true",
        "\"\"",
        "\"\\u{0}\"",
        "\"\\u{21}\"",
        "\"\\n\"",
        "[\"a\"]",
        "{}",
        "\"é—\\\"\"",
        "\"\\x41\"",
        "\"\\q\"",
        "\"unterminated",
    ];
    const NOISE: &[&str] = &[
        "(", ")", "[", "]", "{", "}", ",", ":", "\"", "//", "/*", "\\", "r#\"", "#", "\u{feff}",
        "\u{0}",
    ];
    let lines = line_ranges(text);
    match rng.below(11) {
        // A byte flipped to any value (invalid UTF-8 among them).
        0 => {
            let mut t = text.to_vec();
            let i = rng.below(t.len());
            t[i] = rng.next() as u8;
            t
        }
        // Cut short.
        1 => text[..rng.below(text.len())].to_vec(),
        // A line repeated.
        2 => {
            let l = *rng.pick(&lines);
            replace(text, (l.1, l.1), &text[l.0..l.1])
        }
        // A line lost.
        3 => replace(text, *rng.pick(&lines), b""),
        // A number turned huge, NaN, infinite, negative or into another type.
        4 => match numbers(text).as_slice() {
            [] => text.to_vec(),
            nums => replace(text, *rng.pick(nums), rng.pick(NUMBERS).as_bytes()),
        },
        // A string turned into another type or given escapes.
        5 => match strings(text).as_slice() {
            [] => text.to_vec(),
            strs => replace(text, *rng.pick(strs), rng.pick(STRINGS).as_bytes()),
        },
        // A character of a string written as an escape.
        6 => match strings(text).as_slice() {
            [] => text.to_vec(),
            strs => {
                let (from, to) = *rng.pick(strs);
                let inner = &text[from + 1..to.saturating_sub(1).max(from + 1)];
                match inner.iter().position(u8::is_ascii_alphabetic) {
                    Some(p) => {
                        let at = from + 1 + p;
                        let escape = format!("\\u{{{:x}}}", text[at]);
                        replace(text, (at, at + 1), escape.as_bytes())
                    }
                    None => text.to_vec(),
                }
            }
        },
        // A value buried under deep nesting.
        7 => match numbers(text).as_slice() {
            [] => text.to_vec(),
            nums => {
                let depth = [10, 200, 5_000][rng.below(3)];
                let (from, to) = *rng.pick(nums);
                let open = "[".repeat(depth);
                let close = "]".repeat(depth);
                let value = String::from_utf8_lossy(&text[from..to]).into_owned();
                replace(text, (from, to), format!("{open}{value}{close}").as_bytes())
            }
        },
        // Stray punctuation.
        8 => {
            let i = rng.below(text.len() + 1);
            replace(text, (i, i), rng.pick(NOISE).as_bytes())
        }
        // Two lines swapped.
        9 => {
            let a = *rng.pick(&lines);
            let b = *rng.pick(&lines);
            let (a, b) = if a.0 <= b.0 { (a, b) } else { (b, a) };
            if a == b {
                text.to_vec()
            } else {
                [
                    &text[..a.0],
                    &text[b.0..b.1],
                    &text[a.1..b.0],
                    &text[a.0..a.1],
                    &text[b.1..],
                ]
                .concat()
            }
        }
        // Several of the above at once.
        _ => {
            let mut t = text.to_vec();
            for _ in 0..2 + rng.below(3) {
                t = mutate(&t, rng);
                if t.is_empty() {
                    break;
                }
            }
            t
        }
    }
}

#[test]
fn mutated_scenarios_are_refused_with_a_position_or_run_clean() {
    let files = shipped();
    assert!(files.len() >= 13, "{} files", files.len());
    let mut rng = Rng(0x1553_2026);
    let mut accepted = Vec::new();
    let mut refused = 0;
    let mut without_position = Vec::new();
    for n in 0..MUTANTS {
        let (name, text) = &files[n % files.len()];
        let mutant = mutate(text, &mut rng);
        let outcome = std::panic::catch_unwind(|| Scenario::parse_bytes(&mutant, name))
            .unwrap_or_else(|_| {
                panic!(
                    "mutant {n} of {name} panicked:\n{}",
                    String::from_utf8_lossy(&mutant)
                )
            });
        match outcome {
            Ok(s) => {
                if accepted.len() < RUN_SAMPLE && rng.below(4) == 0 {
                    accepted.push(s);
                }
            }
            Err(e) => {
                refused += 1;
                if (e.line == 0 || e.column == 0) && without_position.len() < 10 {
                    without_position.push(format!("mutant {n} of {name}: {e}"));
                }
            }
        }
    }
    assert!(
        without_position.is_empty(),
        "refusals without a line and column:\n{}",
        without_position.join("\n")
    );
    assert!(refused > MUTANTS / 2, "{refused} of {MUTANTS} refused");
    assert!(
        accepted.len() >= RUN_SAMPLE / 2,
        "{} accepted",
        accepted.len()
    );
    for s in accepted {
        let mut params = s.params.clone();
        if let Ok(i) = params.index_of("world.users") {
            let users = params.values()[i].min(300.0);
            params
                .set_index(i, users)
                .expect("fewer users are in range");
        }
        let mut sim = Simulation::new(s.world, params, s.seed);
        sim.run(30);
        let h = sim.history();
        for day in 1..=h.days() {
            assert!(
                h.row(day).iter().all(|v| !v.is_nan()),
                "{}: NaN on day {day}",
                s.id
            );
        }
    }
}
