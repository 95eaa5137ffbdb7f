//! A table of malformed scenario files and the message each must get.
//! Every message names the file, the line and column, and what was expected.

use ixsim::scenario::Scenario;

const GOOD: &str = r#"(
    format: 1,
    id: "good",
    title: "Good",
    summary: "A valid file the cases below break one way each.",
    story: (shows: "s", watch: "w", try: ["t"], predict: "p"),
    world: "users",
    run: (days: 30, seed: 1),
    params: {
        "world.users": 100,
        "experience.mode": "prompt",
        "experience.forcefulness": 0.5,
    },
    plots: ["org.profit"],
)"#;

struct Case {
    name: &'static str,
    from: &'static str,
    to: &'static str,
    /// (line, column) the message must point at.
    at: (usize, usize),
    /// Fragments the message must contain.
    says: &'static [&'static str],
}

const CASES: &[Case] = &[
    Case {
        name: "unclosed file",
        from: "plots: [\"org.profit\"],\n)",
        to: "plots: [\"org.profit\"],\n",
        at: (14, 27),
        says: &["Unexpected end of RON"],
    },
    Case {
        name: "unknown field lists valid ones",
        from: "    summary:",
        to: "    colour: \"red\",\n    summary:",
        at: (5, 5),
        says: &["colour", "in the scenario", "summary", "story"],
    },
    Case {
        name: "wrong type",
        from: "days: 30",
        to: "days: \"thirty\"",
        at: (8, 16),
        says: &["Expected", "integer"],
    },
    Case {
        name: "missing field",
        from: "    world: \"users\",\n",
        to: "",
        says: &["world"],
        at: (14, 1),
    },
    Case {
        name: "parameter out of range",
        from: "\"experience.forcefulness\": 0.5",
        to: "\"experience.forcefulness\": 1.5",
        at: (12, 9),
        says: &[
            "params.experience.forcefulness",
            "1.5 is out of range",
            "from 0 to 1",
        ],
    },
    Case {
        name: "NaN",
        from: "\"experience.forcefulness\": 0.5",
        to: "\"experience.forcefulness\": NaN",
        at: (12, 9),
        says: &["finite number"],
    },
    Case {
        name: "infinity",
        from: "\"world.users\": 100",
        to: "\"world.users\": inf",
        at: (10, 9),
        says: &["finite number"],
    },
    Case {
        name: "absurd population",
        from: "\"world.users\": 100",
        to: "\"world.users\": 1000000000000",
        at: (10, 9),
        says: &["from 0 to 2000000 users"],
    },
    Case {
        name: "fractional count",
        from: "\"world.users\": 100",
        to: "\"world.users\": 100.5",
        at: (10, 9),
        says: &["whole number"],
    },
    Case {
        name: "unknown parameter suggests the closest",
        from: "\"experience.forcefulness\": 0.5",
        to: "\"experience.forcefullness\": 0.5",
        at: (12, 9),
        says: &[
            "unknown parameter `experience.forcefullness`",
            "did you mean `experience.forcefulness`",
            "`ixsim describe <scenario>` lists every parameter",
        ],
    },
    Case {
        name: "unknown option",
        from: "\"experience.mode\": \"prompt\"",
        to: "\"experience.mode\": \"nag\"",
        at: (11, 9),
        says: &[
            "\"automate\", \"prompt\", \"organize\", \"annotate\"",
            "\"nag\"",
        ],
    },
    Case {
        name: "number for a choice",
        from: "\"experience.mode\": \"prompt\"",
        to: "\"experience.mode\": 2",
        at: (11, 9),
        says: &["expected one of"],
    },
    Case {
        name: "unknown world",
        from: "world: \"users\"",
        to: "world: \"mars\"",
        at: (7, 5),
        says: &[
            "unknown world \"mars\"",
            "users, policing, lending, recommender",
        ],
    },
    Case {
        name: "run too long",
        from: "days: 30",
        to: "days: 1000000",
        at: (8, 11),
        says: &["1000000 days", "from 1 to 36500"],
    },
    Case {
        name: "zero days",
        from: "days: 30",
        to: "days: 0",
        at: (8, 11),
        says: &["from 1 to"],
    },
    Case {
        name: "future format",
        from: "format: 1",
        to: "format: 2",
        at: (2, 5),
        says: &["unsupported format version 2"],
    },
    Case {
        name: "bad id",
        from: "id: \"good\"",
        to: "id: \"Good Scenario\"",
        at: (3, 5),
        says: &["lowercase letters, digits and dashes"],
    },
    Case {
        name: "unknown metric in plots",
        from: "plots: [\"org.profit\"]",
        to: "plots: [\"org.proft\"]",
        at: (14, 13),
        says: &["unknown metric `org.proft`", "org.profit"],
    },
    Case {
        name: "parameter given twice",
        from: "\"experience.forcefulness\": 0.5,",
        to: "\"experience.forcefulness\": 0.5,\n        \"world.users\": 200,",
        at: (13, 10),
        says: &["`world.users` is given twice"],
    },
    Case {
        name: "a step that runs no day",
        from: "plots: [\"org.profit\"],",
        to: "plots: [\"org.profit\"],\n    steps: [(title: \"a\", text: \"t\", days: 0, reveal: [\"org.profit\"])],",
        at: (15, 37),
        says: &["steps[0].days", "at least 1 day"],
    },
    Case {
        name: "a lesson longer than a run may be",
        from: "plots: [\"org.profit\"],",
        to: "plots: [\"org.profit\"],\n    steps: [\n        (title: \"a\", text: \"t\", days: 20000, reveal: [\"org.profit\"]),\n        (title: \"b\", text: \"t\", days: 20000, reveal: [\"org.profit\"]),\n    ],",
        at: (17, 33),
        says: &["40000 days by here", "steps[1].days"],
    },
];

#[test]
fn the_good_file_parses() {
    Scenario::parse(GOOD, "good.ron").unwrap();
}

#[test]
fn every_malformed_file_gets_its_message() {
    let mut failures = Vec::new();
    for case in CASES {
        assert!(GOOD.contains(case.from), "{}: bad fixture", case.name);
        let text = GOOD.replacen(case.from, case.to, 1);
        let e = match Scenario::parse(&text, "case.ron") {
            Ok(_) => panic!("{}: accepted", case.name),
            Err(e) => e,
        };
        let message = e.to_string();
        if !message.starts_with(&format!("case.ron:{}:{}: ", case.at.0, case.at.1)) {
            failures.push(format!("{}: wrong position in {message}", case.name));
        }
        for fragment in case.says {
            if !message.contains(fragment) {
                failures.push(format!("{}: {message:?} lacks {fragment:?}", case.name));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `GOOD` with each `(from, to)` replaced once, parsed as bytes.
fn broken(edits: &[(&str, &str)]) -> ixsim::scenario::ScenarioError {
    let mut text = GOOD.to_string();
    for (from, to) in edits {
        assert!(text.contains(from), "bad fixture: {from}");
        text = text.replacen(from, to, 1);
    }
    match Scenario::parse_bytes(text.as_bytes(), "case.ron") {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(e) => e,
    }
}

#[test]
fn escaped_keys_are_placed_where_they_are_written() {
    let e = broken(&[(
        "\"experience.forcefulness\": 0.5",
        "\"model.auc\\u{21}\": 0.5",
    )]);
    assert_eq!((e.line, e.column), (12, 9), "{e}");
    assert_eq!(e.field.as_deref(), Some("params.model.auc!"), "{e}");
    // The same id written plainly later must not draw the position away.
    let e = broken(&[
        (
            "\"experience.forcefulness\": 0.5",
            "\"model.au\\u{63}\": 1.5",
        ),
        (
            "plots: [\"org.profit\"],",
            "plots: [\"org.profit\"],\n    controls: [\"model.auc\"],",
        ),
    ]);
    assert_eq!((e.line, e.column), (12, 9), "{e}");
    assert!(e.message.contains("out of range"), "{e}");
}

#[test]
fn a_step_without_days_and_a_late_run_block_are_placed() {
    let e = broken(&[(
        "plots: [\"org.profit\"],",
        "plots: [\"org.profit\"],\n    steps: [(title: \"a\", text: \"t\", reveal: [\"org.profit\"])],",
    )]);
    assert_eq!((e.line, e.column), (15, 14), "{e}");
    assert_eq!(e.field.as_deref(), Some("steps[0].days"), "{e}");
    assert!(e.message.contains("missing"), "{e}");
    // `run` written after a step that has its own `days`.
    let e = broken(&[
        ("    run: (days: 30, seed: 1),\n", ""),
        (
            "plots: [\"org.profit\"],",
            "plots: [\"org.profit\"],\n    steps: [(title: \"a\", text: \"days: 3\", days: 5, reveal: [\"org.profit\"])],\n    run: (days: 0, seed: 1),",
        ),
    ]);
    assert_eq!((e.line, e.column), (15, 11), "{e}");
    assert_eq!(e.field.as_deref(), Some("run.days"), "{e}");
}

#[test]
fn wrong_types_deep_nesting_and_bad_bytes_are_told_in_the_users_words() {
    let e = broken(&[(
        "\"experience.forcefulness\": 0.5",
        "\"experience.forcefulness\": [0.5]",
    )]);
    assert_eq!(e.line, 12, "{e}");
    assert_eq!(
        e.field.as_deref(),
        Some("params.experience.forcefulness"),
        "{e}"
    );
    assert!(e.message.contains("expected a number"), "{e}");
    assert!(!e.to_string().contains("RawParam"), "{e}");

    let deep = format!(
        "\"experience.forcefulness\": {}0.5{}",
        "[".repeat(300),
        "]".repeat(300)
    );
    let e = broken(&[("\"experience.forcefulness\": 0.5", deep.as_str())]);
    assert_eq!(e.line, 12, "{e}");
    assert!(e.message.contains("nested too deeply"), "{e}");
    assert!(!e.to_string().contains("ron::"), "{e}");

    let mut bytes = GOOD.as_bytes().to_vec();
    let at = GOOD.find("Good\"").unwrap();
    bytes[at] = 0xff;
    let e = Scenario::parse_bytes(&bytes, "case.ron").unwrap_err();
    assert_eq!((e.line, e.column), (4, 13), "{e}");
    assert!(e.message.contains("UTF-8"), "{e}");
    let bom = [b"\xef\xbb\xbf".as_slice(), GOOD.as_bytes()].concat();
    Scenario::parse_bytes(&bom, "bom.ron").unwrap();
}

#[test]
fn experiment_steps_are_checked_and_point_into_their_block() {
    // (the step's experiment block, the field at fault, what the message says)
    let cases: [(&str, &str, &[&str]); 6] = [
        (
            r#"experiment: (b: {"experience.forcefulness": 1}, metric: "user.compliance")"#,
            "steps[0].experiment.metric",
            &["hidden from the organization", "leading.engagement"],
        ),
        (
            r#"experiment: (metric: "leading.engagement")"#,
            "steps[0].experiment.b",
            &["design B", "aa_seeds"],
        ),
        (
            r#"experiment: (b: {"experience.forcefulness": 1}, metric: "leading.engagement", split: 1.5)"#,
            "steps[0].experiment.split",
            &["between 0 and 1"],
        ),
        (
            r#"experiment: (b: {"experience.forcefulness": 1}, metric: "leading.engagement", aa_seeds: 10)"#,
            "steps[0].experiment.b",
            &["A/A"],
        ),
        (
            r#"experiment: (b: {"experience.forcefulness": 7}, metric: "leading.engagement")"#,
            "steps[0].experiment.b.experience.forcefulness",
            &["out of range"],
        ),
        (
            r#"reveal: ["org.profit"], experiment: (b: {"experience.forcefulness": 1}, metric: "leading.engagement")"#,
            "steps[0].reveal",
            &["expected no `reveal`"],
        ),
    ];
    for (block, field, says) in cases {
        let step = format!(
            "plots: [\"org.profit\"],\n    steps: [\n        (title: \"a\", text: \"t\", days: 14,\n            {block}),\n    ],"
        );
        let e = broken(&[("plots: [\"org.profit\"],", &step)]);
        assert_eq!(e.field.as_deref(), Some(field), "{e}");
        // The position lies inside the step (lines 16–17 of the file).
        assert!((16..=17).contains(&e.line), "{e}");
        let message = e.to_string();
        for fragment in says {
            assert!(message.contains(fragment), "{message:?} lacks {fragment:?}");
        }
    }
    // The good block parses; the lesson's run does not count its days.
    let step = "plots: [\"org.profit\"],\n    steps: [\n        (title: \"a\", text: \"t\", days: 90,\n            experiment: (b: {\"experience.forcefulness\": 1}, metric: \"leading.engagement\", split: 0.3)),\n    ],";
    let text = GOOD.replacen("plots: [\"org.profit\"],", step, 1);
    let s = Scenario::parse(&text, "case.ron").expect("a valid experiment step");
    let exp = s.steps[0].experiment.as_ref().expect("an experiment");
    assert_eq!((exp.split, exp.aa_seeds, exp.b.len()), (0.3, 0, 1));
}
