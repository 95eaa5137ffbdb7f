//! The command line, run as a user would run it.

use std::process::{Command, Output};

fn ixsim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ixsim"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn temp(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("ixsim-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn list_names_every_embedded_scenario() {
    let o = ixsim(&["list"]);
    assert!(o.status.success());
    let text = stdout(&o);
    for id in ixsim::scenario::library::ids() {
        assert!(text.contains(id), "{id} missing from:\n{text}");
    }
    assert!(text.contains("Phishing warnings"));
}

#[test]
fn describe_shows_parameters_and_measures() {
    let o = ixsim(&["describe", "phishing-warnings"]);
    assert!(o.status.success());
    let text = stdout(&o);
    for needle in [
        "experience.forcefulness",
        "range 0..=1",
        "people.fatigue_sensitivity",
        "Ancker",
        "org.profit",
        "[Leading indicators]",
    ] {
        assert!(text.contains(needle), "{needle} missing");
    }
}

#[test]
fn run_writes_one_row_per_replication_and_day() {
    let out = temp("run.csv");
    let o = ixsim(&[
        "run",
        "phishing-warnings",
        "--days",
        "20",
        "--replications",
        "3",
        "--set",
        "world.users=500",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut reader = csv::Reader::from_path(&out).unwrap();
    let header = reader.headers().unwrap().clone();
    assert_eq!(&header[0], "replication");
    assert_eq!(&header[1], "day");
    let metrics = ixsim::sim::WorldKind::Users.metrics();
    assert_eq!(header.len(), 2 + metrics.len());
    assert_eq!(&header[2], metrics[0].id);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 60);
    assert_eq!((&rows[0][0], &rows[0][1]), ("1", "1"));
    assert_eq!((&rows[59][0], &rows[59][1]), ("3", "20"));
    for r in &rows {
        for v in r.iter().skip(2) {
            assert!(v.parse::<f64>().unwrap().is_finite());
        }
    }
}

#[test]
fn output_does_not_depend_on_threads() {
    let args = |threads: &'static str| {
        [
            "run",
            "fall-detection",
            "--days",
            "30",
            "--replications",
            "4",
            "--set",
            "world.users=800",
            "--threads",
            threads,
        ]
    };
    let one = ixsim(&args("1"));
    let two = ixsim(&args("2"));
    assert!(one.status.success() && two.status.success());
    assert_eq!(one.stdout, two.stdout);
    let other_seed = ixsim(&[
        "run",
        "fall-detection",
        "--days",
        "30",
        "--set",
        "world.users=800",
        "--seed",
        "99",
    ]);
    assert_ne!(one.stdout[..2000], other_seed.stdout[..2000]);
}

#[test]
fn sweep_has_every_point_and_replication_once() {
    let out = temp("sweep.csv");
    let o = ixsim(&[
        "sweep",
        "phishing-warnings",
        "--param",
        "model.threshold=0:2:3",
        "--param",
        "experience.mode=automate,prompt",
        "--replications",
        "2",
        "--days",
        "10",
        "--set",
        "world.users=300",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut reader = csv::Reader::from_path(&out).unwrap();
    let header = reader.headers().unwrap().clone();
    assert_eq!(&header[2], "model.threshold");
    assert_eq!(&header[3], "experience.mode");
    assert!(header.iter().any(|h| h == "org.profit.final"));
    assert!(header.iter().any(|h| h == "org.profit.mean"));
    let rows: Vec<_> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 12);
    let mut keys: Vec<(String, String)> = rows
        .iter()
        .map(|r| (r[0].to_string(), r[1].to_string()))
        .collect();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), 12);
    assert_eq!(&rows[0][3], "automate");
    assert_eq!(&rows[2][3], "prompt");
}

#[test]
fn bad_input_exits_with_2_and_writes_nothing() {
    let out = temp("never.csv");
    let _ = std::fs::remove_file(&out);
    for args in [
        vec![
            "run",
            "phishing-warnings",
            "--set",
            "experience.forcefulness=2",
        ],
        vec![
            "run",
            "phishing-warnings",
            "--set",
            "experience.forcefullness=1",
        ],
        vec!["run", "no-such-scenario"],
        vec!["run", "phishing-warnings", "--days", "0"],
        vec!["run", "phishing-warnings", "--replications", "100000"],
        vec!["run", "phishing-warnings", "--frobnicate"],
    ] {
        let mut args = args.clone();
        args.extend(["--out", out.to_str().unwrap()]);
        let o = ixsim(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).is_empty());
        assert!(!out.exists(), "{args:?} left a file");
    }
    let o = ixsim(&[
        "run",
        "phishing-warnings",
        "--set",
        "experience.forcefullness=1",
    ]);
    assert!(stderr(&o).contains("did you mean `experience.forcefulness`"));
}

#[test]
fn unwritable_output_exits_with_1() {
    let o = ixsim(&[
        "run",
        "smart-toaster",
        "--days",
        "2",
        "--set",
        "world.users=100",
        "--out",
        "/nonexistent-dir/x.csv",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("cannot write"));
}

#[test]
fn check_accepts_the_library_and_rejects_a_bad_file() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let good = dir.join("smart-toaster.ron");
    let o = ixsim(&["check", good.to_str().unwrap()]);
    assert!(o.status.success());
    assert!(stdout(&o).contains("OK"));
    // A built-in scenario by id, with its headline figures.
    let o = ixsim(&["check", "phishing-warnings", "--", "no-such-scenario"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("phishing-warnings: OK"),
        "{}",
        stdout(&o)
    );
    assert!(stdout(&o).contains("field data"), "{}", stdout(&o));
    assert!(stderr(&o).contains("no-such-scenario"), "{}", stderr(&o));
    let bad = temp("bad.ron");
    std::fs::write(&bad, "(format: 1, id: \"x\"").unwrap();
    let o = ixsim(&["check", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("bad.ron:1:"), "{}", stderr(&o));
}

#[test]
fn lesson_prints_every_step_with_before_and_after() {
    let o = ixsim(&["lesson", "smart-toaster", "--set", "world.users=2000"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    let s = ixsim::scenario::library::get("smart-toaster")
        .unwrap()
        .unwrap();
    for (n, step) in s.steps.iter().enumerate() {
        assert!(text.contains(&format!("Step {} · {}", n + 1, step.title)));
    }
    // Measures by label, in their unit, as the app writes them.
    assert!(text.contains("Incidents"), "{text}");
    assert!(!text.contains("org.incidents"), "{text}");
    assert!(text.contains(" → "));
    let o = ixsim(&["lesson", "smart-toaster", "--set", "world.users=-1"]);
    assert_eq!(o.status.code(), Some(2));
}

/// The command line runs the policing experiment with the correction on:
/// 3 replications of 300 days to a CSV file whose rows and columns are all
/// there, and whose allocation gap over the last 60 days is small in every
/// replication (below 0.15) where the same run without the correction
/// leaves it larger on average.
#[test]
fn cli_runs_policing_with_correction() {
    let gaps = |sets: &[&str], name: &str| -> Vec<f64> {
        let out = temp(name);
        let mut args = vec![
            "run",
            "predictive-policing",
            "--days",
            "300",
            "--replications",
            "3",
            "--out",
        ];
        let out_s = out.to_str().unwrap().to_string();
        args.push(&out_s);
        for s in sets {
            args.push("--set");
            args.push(s);
        }
        let o = ixsim(&args);
        assert!(o.status.success(), "{}", stderr(&o));
        let text = std::fs::read_to_string(&out).unwrap();
        std::fs::remove_file(&out).ok();
        let mut lines = text.lines();
        let header: Vec<&str> = lines.next().unwrap().split(',').collect();
        assert_eq!(&header[..2], ["replication", "day"]);
        let col = header
            .iter()
            .position(|h| *h == "org.fairness_gap")
            .unwrap();
        let rows: Vec<Vec<f64>> = lines
            .map(|l| l.split(',').map(|x| x.parse().unwrap()).collect())
            .collect();
        assert_eq!(rows.len(), 900);
        (1..=3)
            .map(|r| {
                let g: Vec<f64> = rows
                    .iter()
                    .filter(|row| row[0] == f64::from(r) && row[1] > 240.0)
                    .map(|row| row[col])
                    .collect();
                assert_eq!(g.len(), 60);
                g.iter().sum::<f64>() / 60.0
            })
            .collect()
    };
    let corrected = gaps(&["policy.correction=true"], "corrected.csv");
    let plain = gaps(&[], "plain.csv");
    for g in &corrected {
        assert!(*g < 0.15, "{corrected:?}");
    }
    let avg = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    assert!(avg(&plain) > avg(&corrected), "{plain:?} vs {corrected:?}");
}

#[test]
fn a_reader_that_stops_early_is_not_an_error() {
    use std::io::{BufRead as _, BufReader};
    // Far more CSV than a pipe buffer holds, so the writer meets the
    // closed pipe.
    let mut child = Command::new(env!("CARGO_BIN_EXE_ixsim"))
        .args([
            "run",
            "smart-toaster",
            "--set",
            "world.users=50",
            "--days",
            "2000",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut header = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut header)
        .unwrap();
    assert!(header.starts_with("replication,day,"), "{header}");
    // The reader is dropped here, as `head -1` would exit.
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stderr(&o), "");
}

#[test]
fn help_states_the_limits_the_parser_enforces() {
    // The help texts are fixed strings; the limits are constants.
    let app = stdout(&ixsim(&["--help"]));
    let bands = format!("at most {}", ixsim::runner::MAX_BAND_REPLICATIONS);
    assert!(app.contains(&bands), "{bands} missing from:\n{app}");
    for command in ["run", "sweep"] {
        let help = stdout(&ixsim(&[command, "--help"]));
        let threads = format!("at most {}", ixsim::runner::MAX_THREADS);
        assert!(help.contains(&threads), "{command}: {threads} missing");
    }
}

#[test]
fn a_long_unknown_id_is_refused_at_once_and_echoed_short() {
    // 100 kB: about the most one argument may hold on Linux.
    let id = "x".repeat(100_000);
    let start = std::time::Instant::now();
    let o = ixsim(&[
        "run",
        "phishing-warnings",
        "--days",
        "1",
        "--set",
        &format!("{id}=1"),
    ]);
    assert!(
        start.elapsed().as_secs_f64() < 10.0,
        "{:?}",
        start.elapsed()
    );
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(e.len() < 1_000, "{} bytes of message", e.len());
    assert!(e.contains("ixsim describe"), "{e}");
    let o = ixsim(&[
        "run",
        "phishing-warnings",
        "--days",
        "1",
        "--set",
        "model.au=0.8",
    ]);
    let e = stderr(&o);
    assert!(e.contains("did you mean `model.auc`"), "{e}");
    assert!(
        !e.contains("model.threshold"),
        "the full list is left to describe: {e}"
    );
}

#[test]
fn a_choice_is_swept_by_name_not_by_number() {
    for numeric in ["experience.mode=0:3:4", "experience.mode=0,1"] {
        let o = ixsim(&[
            "sweep",
            "phishing-warnings",
            "--param",
            numeric,
            "--days",
            "2",
        ]);
        assert_eq!(o.status.code(), Some(2), "{numeric}");
        assert!(stderr(&o).contains("experience.mode"), "{}", stderr(&o));
    }
}

#[cfg(unix)]
#[test]
fn run_with_standard_output_closed_fails() {
    let o = Command::new("sh")
        .args([
            "-c",
            "exec \"$0\" run phishing-warnings --days 2 --set world.users=100 >&-",
        ])
        .arg(env!("CARGO_BIN_EXE_ixsim"))
        .output()
        .expect("sh runs");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("standard output"), "{}", stderr(&o));
}

#[test]
fn threads_that_would_not_fit_in_memory_are_refused_before_starting() {
    let o = Command::new(env!("CARGO_BIN_EXE_ixsim"))
        .args([
            "run",
            "phishing-warnings",
            "--days",
            "1",
            "--replications",
            "256",
        ])
        .args(["--threads", "256", "--set", "world.users=2000000"])
        .env(ixsim::runner::MEMORY_VAR, "8000000000")
        .output()
        .expect("the binary runs");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let e = stderr(&o);
    for needle in [
        "55.3 GB",
        "256 simulations at once",
        "216 MB",
        "8.0 GB",
        "--threads",
    ] {
        assert!(e.contains(needle), "{needle} missing from {e}");
    }
}

#[test]
fn work_above_the_limit_needs_allow_large() {
    let o = ixsim(&[
        "run",
        "phishing-warnings",
        "--days",
        "36500",
        "--replications",
        "27",
        "--set",
        "world.users=2000000",
        "--set",
        "world.situations_per_day=50",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(e.contains("9.9e13 user-situations"), "{e}");
    assert!(e.contains("--allow-large"), "{e}");
    let o = ixsim(&[
        "sweep",
        "phishing-warnings",
        "--param",
        "model.auc=0.5:0.99:100",
        "--param",
        "experience.forcefulness=0:1:100",
        "--days",
        "36500",
        "--replications",
        "20",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--allow-large"), "{}", stderr(&o));
}

#[test]
fn sweep_progress_goes_to_standard_error() {
    let o = ixsim(&[
        "sweep",
        "phishing-warnings",
        "--param",
        "model.auc=0.6:0.9:3",
        "--days",
        "5",
        "--set",
        "world.users=200",
        "--progress",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("3 / 3 runs in"), "{}", stderr(&o));
    assert_eq!(stdout(&o).lines().count(), 4);
}

#[cfg(unix)]
#[test]
fn sigterm_cancels_a_run_and_leaves_no_file() {
    let dir = temp("sigterm");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("out.csv");
    // 36,500 days: minutes of work, stopped a second in.
    let child = Command::new(env!("CARGO_BIN_EXE_ixsim"))
        .args([
            "run",
            "phishing-warnings",
            "--days",
            "36500",
            "--replications",
            "2",
        ])
        .args(["--set", "world.users=10", "--out", out.to_str().unwrap()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the binary runs");
    std::thread::sleep(std::time::Duration::from_secs(1));
    let signalled = std::time::Instant::now();
    let kill = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(kill.success());
    let o = child.wait_with_output().unwrap();
    assert!(
        signalled.elapsed().as_secs_f64() < 20.0,
        "stopped after {:?}",
        signalled.elapsed()
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("cancelled"), "{}", stderr(&o));
    let left: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_output_name_of_255_bytes_is_written() {
    let dir = temp("long-name");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for len in [243, 255] {
        let out = dir.join(format!("{}.csv", "n".repeat(len - 4)));
        let o = ixsim(&[
            "run",
            "phishing-warnings",
            "--days",
            "2",
            "--set",
            "world.users=50",
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{len} bytes: {}", stderr(&o));
        assert_eq!(std::fs::read_to_string(&out).unwrap().lines().count(), 3);
    }
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        2,
        "no temporary file left"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn experiment_writes_one_row_per_day_deterministically_and_refuses_other_worlds() {
    let args = [
        "experiment",
        "phishing-warnings",
        "--set-b",
        "experience.forcefulness=1",
        "--days",
        "7",
        "--split",
        "0.5",
        "--metric",
        "leading.engagement",
        "--truth-days",
        "30",
    ];
    let (x, y) = (ixsim(&args), ixsim(&args));
    assert!(x.status.success(), "{}", stderr(&x));
    assert_eq!(x.stdout, y.stdout);
    let csv = stdout(&x);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some(
            "day,users_a,users_b,mean_a,mean_b,difference,ci_low,ci_high,p_value,always_valid_p,units_needed,peeking,fixed,sequential"
        )
    );
    assert_eq!(lines.count(), 7);
    assert!(stderr(&x).contains("truth (30 days"), "{}", stderr(&x));
    let other = ixsim(&["experiment", "predictive-policing"]);
    assert_eq!(other.status.code(), Some(2));
    let bad = ixsim(&["experiment", "phishing-warnings", "--metric", "org.profit"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("not a per-user measure"));
}
