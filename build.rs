//! Embeds every file in `scenarios/` into the binary, in name order, with the
//! ones named in `scenarios/ORDER` first.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let dir = Path::new("scenarios");
    println!("cargo:rerun-if-changed=scenarios");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".ron"))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let order: Vec<String> = std::fs::read_to_string(dir.join("ORDER"))
        .unwrap_or_default()
        .lines()
        .map(|l| format!("{}.ron", l.trim()))
        .filter(|n| names.contains(n))
        .collect();
    names.retain(|n| !order.contains(n));
    let all = order.into_iter().chain(names);
    let root = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    let mut out = String::from("&[\n");
    for n in all {
        println!("cargo:rerun-if-changed=scenarios/{n}");
        let _ = writeln!(
            out,
            "    ({n:?}, include_str!({:?})),",
            format!("{root}/scenarios/{n}")
        );
    }
    out.push(']');
    let target = Path::new(&std::env::var("OUT_DIR").unwrap_or_default()).join("scenarios.rs");
    if let Err(e) = std::fs::write(&target, out) {
        panic!("cannot write {}: {e}", target.display());
    }
}
