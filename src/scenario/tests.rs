//! Round trips and error positions of the scenario format.

use super::*;

const MINIMAL: &str = r#"(
    format: 1,
    id: "tiny",
    title: "Tiny",
    summary: "A small scenario.",
    story: (shows: "s", watch: "w", try: ["t"], predict: "p"),
    world: "users",
    run: (days: 10, seed: 1),
    params: {
        "world.users": 100,
        "experience.mode": "automate",
        "guardrail.review_on": true,
    },
    labels: { "world.base_rate_a": "Share of hard questions" },
)"#;

#[test]
fn minimal_file_parses_with_defaults_elsewhere() {
    let s = Scenario::parse(MINIMAL, "tiny.ron").unwrap();
    assert_eq!(s.params.get("world.users"), 100.0);
    assert_eq!(s.params.get("experience.mode"), 0.0);
    assert!(s.params.flag("guardrail.review_on"));
    let base_rate = s.params.index_of("world.base_rate_a").unwrap();
    assert_eq!(s.label(base_rate), "Share of hard questions");
    let users = s.params.index_of("world.users").unwrap();
    assert_eq!(s.label(users), "Users at start");
    let forcefulness = s.params.spec("experience.forcefulness").unwrap().default;
    assert_eq!(s.params.get("experience.forcefulness"), forcefulness);
}

#[test]
fn written_scenario_reads_back_identically() {
    for s in library::all().unwrap() {
        let mut changed = s.params.clone();
        changed.set("experience.forcefulness", 0.123).unwrap();
        let text = s.to_ron_with(&changed);
        let back = Scenario::parse(&text, "back.ron").unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(back.params, changed, "{}", s.id);
        assert_eq!(back.story, s.story);
        assert_eq!(back.steps, s.steps);
        assert_eq!(back.plots, s.plots);
        assert_eq!(back.labels, s.labels);
    }
}

#[test]
fn value_errors_point_at_the_key() {
    let text = MINIMAL.replace("\"world.users\": 100", "\"world.users\": -5");
    let e = Scenario::parse(&text, "tiny.ron").unwrap_err();
    assert_eq!((e.line, e.column), (10, 9), "{e}");
    assert_eq!(e.field.as_deref(), Some("params.world.users"));
    assert!(e.to_string().contains("from 0 to 2000000 users"), "{e}");
}

#[test]
fn step_errors_name_the_step_and_point_into_it() {
    let text = MINIMAL.replace(
        "    labels:",
        r#"    steps: [
        (title: "One", text: "t", set: {"model.auc": 0.8}, days: 5, reveal: ["org.profit"]),
        (title: "Two", text: "t", set: {"model.auk": 0.8}, days: 5, reveal: ["org.profit"]),
        (title: "Three", text: "t", days: 5, reveal: ["org.proft"]),
    ],
    labels:"#,
    );
    let e = Scenario::parse(&text, "steps.ron").unwrap_err();
    assert_eq!(e.field.as_deref(), Some("steps[1].set.model.auk"), "{e}");
    assert_eq!((e.line, e.column), (16, 41), "{e}");
    assert!(e.message.contains("did you mean `model.auc`"), "{e}");

    let fixed = text.replace("model.auk", "model.auc");
    let e = Scenario::parse(&fixed, "steps.ron").unwrap_err();
    assert_eq!(e.field.as_deref(), Some("steps[2].reveal.org.proft"), "{e}");
    assert_eq!(e.line, 17, "{e}");

    let ok = fixed.replace("org.proft", "org.profit");
    assert_eq!(Scenario::parse(&ok, "steps.ron").unwrap().steps.len(), 3);
}

#[test]
fn columns_count_characters_not_bytes() {
    let text = MINIMAL.replace(
        "\"world.users\": 100,",
        "\"model.auc\": 0.8, /* é—é */ \"world.users\": -1,",
    );
    let e = Scenario::parse(&text, "c.ron").unwrap_err();
    let line = text.lines().nth(e.line - 1).unwrap();
    let col = line
        .find("\"world.users\"")
        .map(|b| line[..b].chars().count() + 1);
    assert_eq!(Some(e.column), col, "{e}");
}

#[test]
fn load_refuses_special_files_and_places_invalid_utf8() {
    #[cfg(unix)]
    {
        let e = Scenario::load(std::path::Path::new("/dev/zero")).unwrap_err();
        assert!(e.message.contains("not a regular file"), "{e}");
    }
    let dir = std::env::temp_dir().join(format!("ixsim-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.ron");
    std::fs::write(&bad, b"(\n  format: 1,\n  id: \"a\xffb\",\n)").unwrap();
    let e = Scenario::load(&bad).unwrap_err();
    assert_eq!((e.line, e.column), (3, 9), "{e}");
    let big = dir.join("big.ron");
    std::fs::write(&big, vec![b' '; MAX_FILE_BYTES as usize + 1]).unwrap();
    assert!(
        Scenario::load(&big)
            .unwrap_err()
            .message
            .contains("at most")
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
