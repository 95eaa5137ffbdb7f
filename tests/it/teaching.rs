//! Teaching points as tests: every users-world scenario's lesson, stated as
//! a claim (the test's name), checked under the scenario's own defaults on
//! three seeds, plus the before/after reveals of key guided steps.
//!
//! Designs are compared on the same seeds (common random numbers), so the
//! differences are paired. Populations are reduced where a claim does not
//! need the full size; every tolerance is stated next to its assertion.
//! If a claim fails, fix the scenario, not the tolerance.

use crate::support::{load, mean_over as window, metric, with};
use ixsim::runner;
use ixsim::scenario::Scenario;
use ixsim::scenario::lesson::{self, Reveal};
use ixsim::sim::History;

/// The users-world scenarios whose lessons this file checks.
const MINE: [&str; 9] = [
    "phishing-warnings",
    "audit-risk-meter",
    "fall-detection",
    "smart-toaster",
    "legal-chatbot",
    "transcription",
    "admissions",
    "app-suggestions",
    "image-captions",
];

/// Seeds every claim is checked on.
const SEEDS: u32 = 3;
const SEED: u64 = 20_240_917;

/// One design run for `days` on each of the [`SEEDS`] seeds.
struct Design {
    s: Scenario,
    runs: Vec<History>,
}

impl Design {
    fn run(s: &Scenario, sets: &[&str], days: u32) -> Self {
        let p = with(s, sets);
        let runs = runner::replicate(s.world, &p, days, SEED, SEEDS, 1).expect("runs");
        Design { s: s.clone(), runs }
    }

    /// Per-seed mean of a metric over days `from..=to`.
    fn mean(&self, id: &str, from: usize, to: usize) -> Vec<f64> {
        let m = metric(&self.s, id);
        self.runs.iter().map(|h| window(h, m, from, to)).collect()
    }

    /// Per-seed sum of a metric over days `from..=to`.
    fn sum(&self, id: &str, from: usize, to: usize) -> Vec<f64> {
        let n = (to + 1 - from) as f64;
        self.mean(id, from, to).into_iter().map(|v| v * n).collect()
    }
}

/// Asserts `pred(a, b)` seed by seed, naming the claim and the numbers.
fn each(what: &str, a: &[f64], b: &[f64], pred: impl Fn(f64, f64) -> bool) {
    for (i, (&x, &y)) in a.iter().zip(b).enumerate() {
        assert!(
            pred(x, y),
            "{what} (seed {i}): {x:.5} vs {y:.5}; all: {a:.5?} vs {b:.5?}"
        );
    }
}

/// Asserts `pred(a)` seed by seed.
fn all(what: &str, a: &[f64], pred: impl Fn(f64) -> bool) {
    for (i, &x) in a.iter().enumerate() {
        assert!(pred(x), "{what} (seed {i}): {x:.5}; all: {a:.5?}");
    }
}

// ---------------------------------------------------------------- lessons

/// Replays a scenario's guided steps as the app does (see
/// `ixsim::scenario::lesson`), with some parameters overridden first.
fn replay(s: &Scenario, sets: &[&str], seed: u64) -> Vec<Reveal> {
    lesson::replay(s, &with(s, sets), seed)
}

/// What a step's explain text claims about one revealed metric.
#[derive(Clone, Copy, Debug)]
enum Claim {
    /// After ≥ before × (1 + margin).
    Up(f64),
    /// After ≤ before × (1 − margin).
    Down(f64),
    /// |after / before − 1| ≤ tolerance.
    Flat(f64),
    /// lo ≤ after / before ≤ hi.
    Ratio(f64, f64),
    /// After above a level.
    Above(f64),
    /// After below a level.
    Below(f64),
    /// After exactly zero.
    Zero,
}

/// Seeds every lesson's claims are checked on.
const LESSON_SEEDS: u64 = 5;

/// Checks the claims about steps' reveals on seeds 1..=5 (the app's way).
fn lesson(id: &str, sets: &[&str], claims: &[(usize, &str, Claim)]) {
    let s = load(id);
    for seed in 1..=LESSON_SEEDS {
        let seen = replay(&s, sets, seed);
        for &(step, metric_id, claim) in claims {
            let st = &s.steps[step];
            let k = st
                .reveal
                .iter()
                .position(|&m| s.world.metrics()[m].id == metric_id)
                .unwrap_or_else(|| panic!("{id} step {step} does not reveal {metric_id}"));
            let after = seen[step].after[k];
            let before = seen[step].before[k].unwrap_or(f64::NAN);
            let ok = match claim {
                Claim::Up(m) => after >= before * (1.0 + m) && after > before,
                Claim::Down(m) => after <= before * (1.0 - m) && after < before,
                Claim::Flat(t) => (after / before - 1.0).abs() <= t,
                Claim::Ratio(lo, hi) => (lo..=hi).contains(&(after / before)),
                Claim::Above(x) => after > x,
                Claim::Below(x) => after < x,
                Claim::Zero => after == 0.0,
            };
            assert!(
                ok,
                "{id}, step {step} \"{}\", seed {seed}: {metric_id} {before:.4} -> {after:.4} does not show {claim:?}",
                st.title
            );
        }
    }
}

// ------------------------------------------------------- phishing warnings

#[test]
fn phishing_warning_on_anything_suspicious_costs_trust_and_does_not_cut_harm() {
    let s = load("phishing-warnings");
    let small = "world.users=3000";
    let shipped = Design::run(&s, &[small], 120);
    let noisy = Design::run(&s, &[small, "model.threshold=1.3"], 120);
    let (from, to) = (31, 120);
    // About 25 times the warnings (observed 0.0041 -> 0.104 a day): at least 15x.
    each(
        "warnings multiply",
        &noisy.mean("leading.interventions_per_user", from, to),
        &shipped.mean("leading.interventions_per_user", from, to),
        |n, b| n > 15.0 * b,
    );
    // Trust falls (observed 0.70 -> about 0.5 by day 120): by at least a fifth.
    each(
        "trust falls",
        &noisy.mean("user.trust", from, to),
        &shipped.mean("user.trust", from, to),
        |n, b| n < 0.8 * b,
    );
    // Compliance falls (observed about 0.80 -> 0.66): by at least a tenth.
    each(
        "compliance falls",
        &noisy.mean("user.compliance", from, to),
        &shipped.mean("user.compliance", from, to),
        |n, b| n < 0.9 * b,
    );
    // Recall rises from about 0.5 to 0.98, yet harm per user does not fall
    // (observed +10 to +30%): at most 5% lower.
    each(
        "harm per user does not fall",
        &noisy.mean("user.harm_per_user", from, to),
        &shipped.mean("user.harm_per_user", from, to),
        |n, b| n > 0.95 * b,
    );
}

#[test]
fn phishing_report_button_is_telemetry_not_model_quality() {
    let s = load("phishing-warnings");
    // The noisy threshold of the lesson's steps 2-3, where false warnings abound.
    let noisy = ["world.users=3000", "model.threshold=1.3"];
    let on = Design::run(&s, &noisy, 90);
    let off = Design::run(
        &s,
        &[noisy[0], noisy[1], "experience.report_button=false"],
        90,
    );
    all(
        "no reports without the button",
        &off.sum("org.reports", 1, 90),
        |r| r == 0.0,
    );
    all(
        "reports with the button",
        &on.sum("org.reports", 1, 90),
        |r| r > 100.0,
    );
    // Click-throughs already flag what users reject: without reports the
    // observed error rate moves by less than a tenth...
    each(
        "observed error rate barely moves",
        &off.mean("model.observed_error_rate", 31, 90),
        &on.mean("model.observed_error_rate", 31, 90),
        |o, n| (o / n - 1.0).abs() < 0.1,
    );
    // ...and either way telemetry understates the error among warnings
    // (observed about 0.3 against 0.92): by at least 0.4.
    for d in [&on, &off] {
        each(
            "telemetry understates the error among warnings",
            &d.mean("model.observed_error_rate", 31, 90),
            &d.mean("model.error_rate_surfaced", 31, 90),
            |o, t| o < t - 0.4,
        );
    }
    each(
        "true error rate unchanged",
        &off.mean("model.error_rate", 31, 90),
        &on.mean("model.error_rate", 31, 90),
        |o, n| (o / n - 1.0).abs() < 0.01,
    );
}

#[test]
fn phishing_lesson_reveals_what_it_explains() {
    use Claim::*;
    lesson(
        "phishing-warnings",
        &[],
        &[
            // Shipped: about 0.004 warnings a day, nearly nine in ten true,
            // four in five heeded, trust near 0.7.
            (0, "leading.interventions_per_user", Below(0.006)),
            (0, "model.error_rate_surfaced", Below(0.2)),
            (0, "user.compliance", Above(0.72)),
            (0, "user.trust", Above(0.65)),
            // Anything suspicious: about 25x the warnings, more than nine in ten
            // false, trust 0.7 -> about 0.56, compliance down about a seventh,
            // harm level or up by up to a third.
            (1, "leading.interventions_per_user", Ratio(20.0, 30.0)),
            (1, "model.error_rate_surfaced", Above(0.9)),
            (1, "user.trust", Ratio(0.75, 0.85)),
            (1, "user.compliance", Ratio(0.8, 0.92)),
            (1, "user.harm_per_user", Ratio(0.95, 1.4)),
            // No report button: no reports; the observed error rate changes by
            // less than a tenth and stays about three in ten against nine in ten.
            (2, "org.reports", Zero),
            (2, "model.observed_error_rate", Ratio(0.9, 1.12)),
            (2, "model.observed_error_rate", Below(0.4)),
            (2, "model.error_rate_surfaced", Flat(0.02)),
            // Back to the shipped threshold: rare warnings, less harm, trust stays
            // near 0.5, about two in three heeded.
            (3, "leading.interventions_per_user", Below(0.006)),
            (3, "user.harm_per_user", Down(0.05)),
            (3, "user.trust", Flat(0.03)),
            (3, "user.trust", Below(0.56)),
            (3, "user.compliance", Below(0.72)),
        ],
    );
}

// ---------------------------------------------------------- fall detection

#[test]
fn fall_detection_automate_beats_prompt_on_missed_falls_but_costs_responders() {
    let s = load("fall-detection");
    let days = 365;
    let cancel = Design::run(&s, &[], days);
    let at_once = Design::run(&s, &["experience.undo=false"], days);
    let ask = Design::run(&s, &["experience.mode=prompt"], days);
    for (name, auto) in [
        ("call unless cancelled", &cancel),
        ("call at once", &at_once),
    ] {
        // Missed falls: at least 20% fewer than asking first (observed 30-45%).
        each(
            &format!("{name}: fewer missed falls than asking first"),
            &auto.sum("flow.miss", 1, days as usize),
            &ask.sum("flow.miss", 1, days as usize),
            |a, p| a < 0.8 * p,
        );
        // Long lies (incidents): fewer too (at least 15%).
        each(
            &format!("{name}: fewer long lies than asking first"),
            &auto.sum("org.incidents", 1, days as usize),
            &ask.sum("org.incidents", 1, days as usize),
            |a, p| a < 0.85 * p,
        );
        // Needless calls, the responders' load: at least 30% more (observed 55-90%).
        each(
            &format!("{name}: more needless calls than asking first"),
            &auto.sum("flow.act_wrong", 1, days as usize),
            &ask.sum("flow.act_wrong", 1, days as usize),
            |a, p| a > 1.3 * p,
        );
    }
}

#[test]
fn fall_detection_catching_more_falls_breeds_false_calls_and_cancellations() {
    let s = load("fall-detection");
    let (from, to) = (61, 180);
    let cut = |after: &Design, before: &Design, id: &str| -> Vec<f64> {
        after
            .mean(id, from, to)
            .iter()
            .zip(before.mean(id, from, to))
            .map(|(a, b)| 1.0 - a / b)
            .collect()
    };
    let shipped = Design::run(&s, &[], 180);
    let eager = Design::run(&s, &["model.threshold=1.5"], 180);
    // The model misses about two thirds fewer falls (at least 55% fewer)...
    let fnr_cut = cut(&eager, &shipped, "model.fnr");
    all("the model's misses fall", &fnr_cut, |c| c > 0.55);
    // ...but falls left without a call drop by less than 60% of that
    // (observed about 30% against 65%)...
    let miss_cut = cut(&eager, &shipped, "flow.miss");
    each(
        "missed falls drop far less than the model's misses",
        &miss_cut,
        &fnr_cut,
        |m, f| m > 0.0 && m < 0.6 * f,
    );
    // ...because false calls erode trust and wearers cancel real calls too:
    // with trust that never erodes, the same change cuts missed falls at
    // least 1.25 times as much (observed about 1.5 times).
    let steady = ["people.trust_loss=0"];
    let steady_cut = cut(
        &Design::run(&s, &["people.trust_loss=0", "model.threshold=1.5"], 180),
        &Design::run(&s, &steady, 180),
        "flow.miss",
    );
    each(
        "eroding trust eats part of the gain",
        &steady_cut,
        &miss_cut,
        |s, m| s > 1.25 * m,
    );
    each(
        "needless calls at least triple",
        &eager.sum("flow.act_wrong", from, to),
        &shipped.sum("flow.act_wrong", from, to),
        |e, b| e > 3.0 * b,
    );
    each(
        "trust falls by at least a third",
        &eager.mean("user.trust", from, to),
        &shipped.mean("user.trust", from, to),
        |e, b| e < 0.67 * b,
    );
}

#[test]
fn fall_detection_lesson_reveals_what_it_explains() {
    use Claim::*;
    lesson(
        "fall-detection",
        &[],
        &[
            // Shipped: 8 to 11 falls a day end with no call, about 35 needless
            // calls, trust about 0.53.
            (0, "flow.miss", Above(7.0)),
            (0, "flow.miss", Below(12.0)),
            (0, "flow.act_wrong", Above(28.0)),
            (0, "flow.act_wrong", Below(45.0)),
            (0, "user.trust", Above(0.5)),
            (0, "user.trust", Below(0.56)),
            // Threshold 1.5: recall up about 40%, needless calls about sixfold,
            // trust halves, missed falls down a quarter at most.
            (1, "model.recall", Ratio(1.2, 1.5)),
            (1, "flow.act_wrong", Ratio(5.0, 7.0)),
            (1, "user.trust", Ratio(0.45, 0.55)),
            (1, "flow.miss", Ratio(0.7, 1.0)),
            // Back to 2.3: needless calls down about four fifths, trust flat,
            // missed falls up by about half.
            (2, "flow.act_wrong", Ratio(0.15, 0.25)),
            (2, "user.trust", Flat(0.03)),
            (2, "flow.miss", Ratio(1.3, 2.0)),
            // Ask first: needless calls down about three quarters, missed falls
            // up by half or more, harm up a quarter to three quarters.
            (3, "flow.act_wrong", Ratio(0.15, 0.4)),
            (3, "flow.miss", Ratio(1.4, 1.9)),
            (3, "user.harm_per_user", Ratio(1.15, 1.85)),
            // The centre's choice: false calls down a sixth to a third, profit
            // up a little, missed falls up about a fifth.
            (4, "flow.act_wrong", Ratio(0.55, 0.9)),
            (4, "org.profit", Ratio(1.0, 1.25)),
            (4, "flow.miss", Ratio(1.08, 1.4)),
        ],
    );
}

/// Step 3's last claim, like with like: at the shipped threshold, wearers
/// who never lived through step 2 trust the device far more at the end of
/// the nine months than the lesson's wearers (observed about 0.45 against
/// 0.27): at least 0.1 higher and at least 1.3 times, on every seed.
#[test]
fn fall_detection_lost_trust_is_memory_not_the_device() {
    let s = load("fall-detection");
    for seed in 1..=LESSON_SEEDS {
        let lived = &replay(&s, &[], seed)[2];
        let fresh = &lesson::fresh_starts(&s, &s.params, seed)[2];
        let k = s.steps[2]
            .reveal
            .iter()
            .position(|&m| s.world.metrics()[m].id == "user.trust")
            .unwrap();
        let (lesson_trust, fresh_trust) = (lived.after[k], fresh.after[k]);
        assert!(
            fresh_trust > lesson_trust + 0.1 && fresh_trust > 1.3 * lesson_trust,
            "seed {seed}: fresh {fresh_trust:.3}, lesson {lesson_trust:.3}"
        );
    }
}

// ------------------------------------------------------------ smart toaster

#[test]
fn toaster_fuse_stops_fires_whatever_the_model_while_a_better_model_does_not() {
    let s = load("smart-toaster");
    let small = "world.users=20000";
    let days = 120;
    let d = days as usize;
    let shipped = Design::run(&s, &[small], days);
    let better = Design::run(&s, &[small, "model.auc=0.99"], days);
    // The timer toaster the camera replaced (the same kitchens without it).
    let timer = shipped.sum("org.incidents_without", 1, d);
    // The camera without a timer: several times the timer toaster's fires
    // (observed about ten times).
    each(
        "the shipped camera toaster burns more than the timer toaster",
        &shipped.sum("org.incidents", 1, d),
        &timer,
        |c, t| c > 5.0 * t,
    );
    // The fuse (99 % reliable): fires fall by nine tenths or more, below the
    // timer toaster's, with a poor, the shipped and a great model.
    for auc in ["0.8", "0.9", "0.99"] {
        let unfused = Design::run(&s, &[small, &format!("model.auc={auc}")], days);
        let fused = Design::run(
            &s,
            &[
                small,
                &format!("model.auc={auc}"),
                "guardrail.harm_cap_on=true",
            ],
            days,
        );
        let fires = fused.sum("org.incidents", 1, d);
        each(
            &format!("the fuse cuts fires by nine tenths at AUC {auc}"),
            &fires,
            &unfused.sum("org.incidents", 1, d),
            |f, u| f <= 0.1 * u,
        );
        each(
            &format!("fused fires stay below the timer toaster's at AUC {auc}"),
            &fires,
            &timer,
            |f, t| f < t,
        );
        if auc == "0.8" {
            // ...although a poor model behind the fuse misses far more than
            // the great model without it: the fuse does not work through the model.
            each(
                "a fused poor model misses more than an unfused great one",
                &fused.sum("flow.miss", 1, d),
                &better.sum("flow.miss", 1, d),
                |f, b| f > 3.0 * b,
            );
        }
    }
    // A much better model alone: fires fall by about two thirds (between a
    // half and four fifths), and stay above the timer toaster's.
    let fires = better.sum("org.incidents", 1, d);
    each(
        "a better model cuts fires by about two thirds",
        &fires,
        &shipped.sum("org.incidents", 1, d),
        |b, s| b < 0.5 * s && b > 0.2 * s,
    );
    each(
        "fires with a much better model stay above the timer toaster's",
        &fires,
        &timer,
        |b, t| b > 1.5 * t,
    );
}

#[test]
fn toaster_shutdown_rule_falls_back_to_the_timer() {
    let s = load("smart-toaster");
    let small = "world.users=50000";
    let days = 120;
    let d = days as usize;
    let shipped = Design::run(&s, &[small], days);
    let rule = Design::run(&s, &[small, "guardrail.shutdown_on=true"], days);
    // While the camera is off the toaster runs on its timer: days off have
    // the timer toaster's fires, so the rule cuts fires (observed by about
    // 40 %), but far less than the fuse's nine tenths, and the camera is
    // off on a fifth of days or more.
    each(
        "the shutdown rule cuts fires, though far less than the fuse",
        &rule.sum("org.incidents", 1, d),
        &shipped.sum("org.incidents", 1, d),
        |r, s| r < 0.9 * s && r > 0.3 * s,
    );
    all(
        "the camera is off on many days",
        &rule.mean("org.system_on", 1, d),
        |on| on < 0.8,
    );
}

#[test]
fn toaster_lesson_reveals_what_it_explains() {
    use Claim::*;
    // At full size: fires are rare events, and a week's mean of them needs
    // 50,000 kitchens to be read (the timer toaster's is under 1 a day on
    // average, up to 2 in a week's mean).
    lesson(
        "smart-toaster",
        &[],
        &[
            (0, "org.incidents", Above(5.0)),
            (0, "org.incidents_without", Below(2.5)),
            (0, "user.value_added_per_user", Below(0.0)),
            (1, "model.fnr", Down(0.5)),
            (1, "flow.miss", Down(0.5)),
            (1, "org.incidents", Ratio(0.1, 0.5)),
            (1, "org.incidents", Above(0.8)),
            (1, "org.profit", Above(0.0)),
            (2, "flow.miss", Up(1.5)),
            (2, "org.incidents", Down(0.8)),
            (2, "user.harm_per_user", Ratio(0.6, 0.9)),
            (2, "org.profit", Up(0.33)),
            (3, "model.fnr", Up(0.7)),
            (3, "flow.miss", Ratio(1.6, 2.5)),
            (3, "org.incidents", Below(0.7)),
            (4, "flow.miss", Down(0.95)),
            (4, "org.incidents", Below(0.1)),
            (4, "user.value_added_per_user", Below(0.0)),
        ],
    );
}

// --------------------------------------------------------- audit risk meter

#[test]
fn audit_meter_revenue_barely_moves_with_accuracy() {
    let s = load("audit-risk-meter");
    let small = "world.users=100000";
    let d = s.days as usize;
    let poor = Design::run(&s, &[small, "model.auc=0.6"], s.days);
    let great = Design::run(&s, &[small, "model.auc=0.95"], s.days);
    // Recall more than triples (0.16 -> 0.63)...
    each(
        "recall triples",
        &great.mean("model.recall", 1, d),
        &poor.mean("model.recall", 1, d),
        |g, p| g > 3.0 * p,
    );
    // ...revenue moves by less than 1%...
    each(
        "revenue barely moves",
        &great.mean("org.revenue", 1, d),
        &poor.mean("org.revenue", 1, d),
        |g, p| (g / p - 1.0).abs() < 0.01,
    );
    // ...while filers' harm falls by at least 8% (observed about 15%).
    each(
        "filers' harm falls",
        &great.mean("user.harm_per_user", 1, d),
        &poor.mean("user.harm_per_user", 1, d),
        |g, p| g < 0.92 * p,
    );
}

#[test]
fn audit_meter_false_reassurance_is_the_cost_to_filers() {
    let s = load("audit-risk-meter");
    let small = "world.users=100000";
    let d = s.days as usize;
    let low_too = Design::run(&s, &[small], s.days);
    let high_only = Design::run(&s, &[small, "experience.surface=positives"], s.days);
    // Showing LOW leaves at least 8% more risky returns unchecked (observed ~14%).
    each(
        "LOW readings leave more risky returns unchecked",
        &low_too.sum("flow.miss", 1, d),
        &high_only.sum("flow.miss", 1, d),
        |l, h| l > 1.08 * h,
    );
    // With LOW shown, no fewer misses than without any meter (within 3%)...
    each(
        "the shipped meter is no better than none at catching risky returns",
        &low_too.sum("flow.miss", 1, d),
        &low_too.sum("flow.cf_miss", 1, d),
        |w, alone| w > 0.97 * alone,
    );
    // ...without LOW, clearly fewer (at least 5%).
    each(
        "a HIGH-only meter catches more than no meter",
        &high_only.sum("flow.miss", 1, d),
        &high_only.sum("flow.cf_miss", 1, d),
        |w, alone| w < 0.95 * alone,
    );
    each(
        "filers are harmed more when LOW is shown",
        &low_too.mean("user.harm_per_user", 1, d),
        &high_only.mean("user.harm_per_user", 1, d),
        |l, h| l > h,
    );
    // Revenue does not notice (within 0.5%).
    each(
        "revenue does not notice",
        &low_too.mean("org.revenue", 1, d),
        &high_only.mean("org.revenue", 1, d),
        |l, h| (l / h - 1.0).abs() < 0.005,
    );
}

#[test]
fn audit_lesson_reveals_what_it_explains() {
    use Claim::*;
    lesson(
        "audit-risk-meter",
        &["world.users=150000"],
        &[
            // About as many unchecked as alone is shown in the claim test above;
            // here: a recall of about a third.
            (0, "model.recall", Below(0.5)),
            (2, "model.recall", Up(0.5)),
            (2, "flow.miss", Ratio(0.8, 1.1)),
            (2, "org.revenue", Flat(0.015)),
            (3, "org.revenue", Ratio(1.03, 1.08)),
            (3, "flow.act_wrong", Up(1.0)),
            (3, "user.harm_per_user", Up(0.1)),
            (3, "user.value_added_per_user", Below(0.0)),
        ],
    );
}

// ------------------------------------------------------------ legal chatbot

#[test]
fn legal_chatbot_a_mediocre_model_already_delivers_and_a_useless_one_loses() {
    let s = load("legal-chatbot");
    let small = "world.users=10000";
    let goal = 12_000.0 / 2.0; // $12,000 a day at 20,000 visitors; half as many here.
    let (from, to) = (31, 365);
    let hotline = Design::run(&s, &[small, "experience.enabled=false"], 365);
    let deployed = Design::run(&s, &[small], 365);
    let great = Design::run(&s, &[small, "model.fpr=0.1", "model.fnr=0.05"], 365);
    let useless = Design::run(&s, &[small, "model.fpr=0.99"], 365);
    all(
        "the deployed bot meets the profit goal",
        &deployed.mean("org.profit", from, to),
        |p| p > goal,
    );
    // The hotline alone earns too (every referral taken is a lead); the
    // deployed bot keeps a little more (observed about 6 %).
    each(
        "the deployed bot keeps more than the hotline alone",
        &deployed.mean("org.profit", from, to),
        &hotline.mean("org.profit", from, to),
        |d, h| d > h && h > 0.0,
    );
    // A far better model earns more, but the mediocre one already keeps
    // more than half of it over a year (observed about two thirds).
    each(
        "a mediocre bot keeps most of a great one's profit",
        &deployed.mean("org.profit", from, to),
        &great.mean("org.profit", from, to),
        |d, g| d < g && d > 0.5 * g,
    );
    // A useless bot sells the most leads but keeps the least: less than the
    // deployed one (observed about a fifth less) and less than no bot at all.
    each(
        "a useless bot sells more leads",
        &useless.mean("org.revenue", from, to),
        &deployed.mean("org.revenue", from, to),
        |u, d| u > d,
    );
    each(
        "a useless bot keeps less",
        &useless.mean("org.profit", from, to),
        &deployed.mean("org.profit", from, to),
        |u, d| u < 0.9 * d,
    );
    each(
        "a useless bot keeps less than the hotline alone",
        &useless.mean("org.profit", from, to),
        &hotline.mean("org.profit", from, to),
        |u, h| u < h,
    );
    // Visitors gain at least five times as much from the great bot (observed
    // about ten times) and lose from the useless one.
    each(
        "a great model serves visitors far better",
        &great.mean("user.value_added_per_user", from, to),
        &deployed.mean("user.value_added_per_user", from, to),
        |g, d| d > 0.0 && g > 5.0 * d,
    );
    all(
        "visitors lose with a useless bot",
        &useless.mean("user.value_added_per_user", from, to),
        |v| v < 0.0,
    );
}

#[test]
fn legal_chatbot_lesson_reveals_what_it_explains() {
    use Claim::*;
    lesson(
        "legal-chatbot",
        &[],
        &[
            // Deployed: nearly half routed wrongly; about $55,000 a day of leads,
            // about $17,000 kept; visitors gain under a dollar a day.
            (0, "model.error_rate", Above(0.4)),
            (0, "org.revenue", Above(48_000.0)),
            (0, "org.profit", Above(14_500.0)),
            (0, "org.profit", Below(20_000.0)),
            (0, "user.value_added_per_user", Below(1.0)),
            // Edge cases solved: error down four fifths, gross revenue down about
            // a third, profit up about two fifths, visitors about ten times better off.
            (1, "model.error_rate", Down(0.8)),
            (1, "org.revenue", Ratio(0.55, 0.75)),
            (1, "org.profit", Ratio(1.25, 1.6)),
            (1, "user.value_added_per_user", Up(3.0)),
            // Useless: error past 70%, gross revenue nearly doubles, profit
            // down about two fifths, visitors worse off than alone.
            (2, "model.error_rate", Above(0.7)),
            (2, "org.revenue", Ratio(1.6, 2.3)),
            (2, "org.profit", Ratio(0.5, 0.7)),
            (2, "user.value_added_per_user", Below(0.0)),
        ],
    );
}

// ------------------------------------------------------------ transcription

#[test]
fn transcription_value_added_rises_with_accuracy() {
    let s = load("transcription");
    let small = "world.users=1000";
    let mut last: Option<Vec<f64>> = None;
    for acc in ["0.5", "0.65", "0.8", "0.95"] {
        let d = Design::run(
            &s,
            &[
                small,
                &format!("world.base_rate_a={acc}"),
                &format!("world.base_rate_b={acc}"),
            ],
            30,
        );
        let v = d.mean("user.value_added_per_user", 1, 30);
        if let Some(prev) = &last {
            // Each 15 points of accuracy add at least $5 a user a day
            // (expected $15 × (2 + 1.5) × 0.15 ≈ $15.75).
            each(
                &format!("value added rises up to accuracy {acc}"),
                &v,
                prev,
                |v, p| v > p + 5.0,
            );
        }
        last = Some(v);
    }
}

#[test]
fn transcription_goes_negative_when_correcting_costs_more_than_typing() {
    let s = load("transcription");
    let small = "world.users=1000";
    let half = ["world.base_rate_a=0.5", "world.base_rate_b=0.5"];
    let cheap = Design::run(
        &s,
        &[small, half[0], half[1], "value.false_action_cost=1.5"],
        90,
    );
    let dear = Design::run(
        &s,
        &[small, half[0], half[1], "value.false_action_cost=2.5"],
        90,
    );
    // Typing a minute saves $2. At half the minutes right, the sign of the
    // value added is the sign of (typing − correcting): ±$7.5 a day expected.
    all(
        "cheap corrections: still worth it",
        &cheap.mean("user.value_added_per_user", 1, 90),
        |v| v > 5.0,
    );
    all(
        "dear corrections: worse than typing",
        &dear.mean("user.value_added_per_user", 1, 90),
        |v| v < -5.0,
    );
    // And users leave: a fifth fewer by day 90, against growth with cheap corrections.
    each(
        "users leave when the service costs them time",
        &dear.mean("leading.active_users", 90, 90),
        &cheap.mean("leading.active_users", 90, 90),
        |d, c| d < 0.8 * c,
    );
}

#[test]
fn transcription_revenue_rises_and_falls_with_the_model() {
    // Contrast with the audit meter: here the ML is the product.
    let s = load("transcription");
    let small = "world.users=1000";
    let good = Design::run(&s, &[small], 120);
    let poor = Design::run(
        &s,
        &[
            small,
            "world.base_rate_a=0.5",
            "world.base_rate_b=0.5",
            "value.false_action_cost=2.5",
        ],
        120,
    );
    each(
        "a poor recogniser loses at least 40% of revenue by the fourth month",
        &poor.mean("org.revenue", 91, 120),
        &good.mean("org.revenue", 91, 120),
        |p, g| p < 0.6 * g,
    );
}

#[test]
fn transcription_pasting_only_confident_minutes_rescues_a_poor_recogniser() {
    let s = load("transcription");
    let poor = [
        "world.users=1000",
        "world.base_rate_a=0.5",
        "world.base_rate_b=0.5",
        "value.false_action_cost=2.5",
    ];
    let all_pasted = Design::run(&s, &poor, 30);
    let mut sets = poor.to_vec();
    sets.push("model.threshold=0.5");
    let confident = Design::run(&s, &sets, 30);
    all(
        "pasting everything loses",
        &all_pasted.mean("user.value_added_per_user", 1, 30),
        |v| v < 0.0,
    );
    // Expected about $13 a day (AUC 0.85 confidence); tolerance: above $8.
    all(
        "pasting confident minutes gains",
        &confident.mean("user.value_added_per_user", 1, 30),
        |v| v > 8.0,
    );
}

#[test]
fn transcription_lesson_reveals_what_it_explains() {
    use Claim::*;
    lesson(
        "transcription",
        &["world.users=1000"],
        &[
            (0, "user.value_added_per_user", Above(40.0)),
            (1, "user.value_added_per_user", Down(0.8)),
            (1, "leading.sentiment", Down(0.3)),
            (2, "user.value_added_per_user", Below(0.0)),
            (2, "leading.sentiment", Below(0.0)),
            // Users leave (observed 10-20% in the step's last week).
            (2, "leading.active_users", Down(0.05)),
            (2, "org.revenue", Down(0.05)),
            (3, "model.precision", Up(0.3)),
            (3, "user.value_added_per_user", Above(8.0)),
            (3, "leading.sentiment", Above(0.0)),
        ],
    );
}

// --------------------------------------------------------------- admissions

#[test]
fn admissions_fairness_gap_grows_with_the_auc_gap_between_groups() {
    let s = load("admissions");
    let small = "world.users=50000";
    let d = s.days as usize;
    let mut last: Option<Vec<f64>> = None;
    for auc_b in ["0.8", "0.74", "0.68", "0.6"] {
        let gap = Design::run(&s, &[small, &format!("model.auc_b={auc_b}")], s.days).mean(
            "org.fairness_gap",
            1,
            d,
        );
        if let Some(prev) = &last {
            // Each step down in group B's AUC widens the gap by at least 1.5 points.
            each(
                &format!("gap widens at AUC B {auc_b}"),
                &gap,
                prev,
                |g, p| g > p + 0.015,
            );
        } else {
            // Equal AUCs: only sampling noise (daily |difference| of two error rates).
            all("no real gap at equal AUCs", &gap, |g| g < 0.04);
        }
        last = Some(gap);
    }
}

#[test]
fn admissions_each_layer_prefers_a_different_threshold() {
    let s = load("admissions");
    let small = "world.users=50000";
    let d = s.days as usize;
    let thresholds = ["-0.5", "0", "0.25", "0.5", "0.75"];
    let designs: Vec<Design> = thresholds
        .iter()
        .map(|t| Design::run(&s, &[small, &format!("model.threshold={t}")], s.days))
        .collect();
    let best = |id: &str, seed: usize, higher: bool| {
        let vals: Vec<f64> = designs.iter().map(|x| x.mean(id, 1, d)[seed]).collect();
        let mut i = 0;
        for (j, v) in vals.iter().enumerate() {
            if (higher && *v > vals[i]) || (!higher && *v < vals[i]) {
                i = j;
            }
        }
        (i, vals)
    };
    for seed in 0..SEEDS as usize {
        let (org, v_org) = best("org.profit", seed, true);
        let (users, v_users) = best("user.value_added_per_user", seed, true);
        let (model, v_model) = best("model.accuracy", seed, true);
        let (fair, v_fair) = best("org.fairness_gap", seed, false);
        let msg = format!(
            "seed {seed}: profit {v_org:.0?}, applicants {v_users:.4?}, accuracy {v_model:.4?}, gap {v_fair:.4?} over thresholds {thresholds:?}"
        );
        // The organization wants to admit most, applicants a middle threshold,
        // the model's accuracy a higher one; fairness (narrowest gap) the lowest.
        assert!(
            org < users && users < model,
            "layers should disagree: {msg}"
        );
        assert_eq!(fair, 0, "fairness should prefer admitting most: {msg}");
    }
}

#[test]
fn admissions_lesson_reveals_what_it_explains() {
    use Claim::*;
    // A school 25 times the program's size: the texts' rates without the
    // noise of a week of 2,000 applications a cycle.
    lesson(
        "admissions",
        &["world.users=50000"],
        &[
            (0, "org.fairness_gap", Above(0.05)),
            (0, "user.decision_accuracy", Above(0.66)),
            (0, "user.decision_accuracy_without", Below(0.665)),
            (1, "org.revenue", Ratio(1.15, 1.6)),
            (1, "org.profit", Ratio(1.05, 1.4)),
            (1, "org.decision_gap", Ratio(0.3, 0.85)),
            (1, "user.decision_accuracy", Flat(0.04)),
            (2, "org.revenue", Up(0.05)),
            (2, "org.fairness_gap", Down(0.05)),
            (2, "model.accuracy", Ratio(0.9, 0.995)),
            (2, "user.decision_accuracy", Ratio(0.9, 0.995)),
            (3, "org.fairness_gap", Down(0.5)),
            (3, "org.fairness_gap", Below(0.03)),
            (3, "model.accuracy", Up(0.015)),
        ],
    );
}

#[test]
fn admissions_earn_tuition_without_the_model() {
    let s = load("admissions");
    let d = s.days as usize;
    let committee = Design::run(&s, &["experience.enabled=false"], s.days);
    let shipped = Design::run(&s, &[], s.days);
    // The committee alone admits about half of the applicants, and every
    // admit pays tuition: revenue and profit are well above zero.
    all(
        "the committee alone earns tuition",
        &committee.mean("org.revenue", 1, d),
        |r| r > 100_000.0,
    );
    all(
        "the committee alone makes a profit",
        &committee.mean("org.profit", 1, d),
        |p| p > 0.0,
    );
    // The recommendation adds a little: profit with it is within a few
    // percent either way of the committee's alone (observed about +6 %).
    each(
        "the model's advice changes profit by little",
        &shipped.mean("org.profit", 1, d),
        &committee.mean("org.profit", 1, d),
        |w, c| (w / c - 1.0).abs() < 0.15,
    );
}

// ---------------------------------------------------------- app suggestions

#[test]
fn app_suggestions_the_quiet_design_matters_more_than_model_quality() {
    let s = load("app-suggestions");
    let small = "world.users=3000";
    let (from, to) = (11, 40);
    let value = |sets: &[&str]| {
        let mut v = vec![small];
        v.extend_from_slice(sets);
        Design::run(&s, &v, 40)
    };
    let shipped = value(&[]);
    let mediocre = value(&["model.auc=0.7"]);
    let great = value(&["model.auc=0.95"]);
    let popup = value(&["experience.mode=prompt"]);
    let va = |d: &Design| d.mean("user.value_added_per_user", from, to);
    all("a mediocre model still adds value", &va(&mediocre), |v| {
        v > 0.0
    });
    all("pop-ups lose value", &va(&popup), |v| v < 0.0);
    // The mode moves value more than going from AUC 0.7 to 0.95.
    let model_effect: Vec<f64> = va(&great)
        .iter()
        .zip(va(&mediocre))
        .map(|(g, m)| g - m)
        .collect();
    let design_effect: Vec<f64> = va(&shipped)
        .iter()
        .zip(va(&popup))
        .map(|(o, p)| o - p)
        .collect();
    each(
        "design matters more than the model",
        &design_effect,
        &model_effect,
        |d, m| d > 2.0 * m,
    );
    // The leading indicator points the wrong way (at least +40% engagement).
    each(
        "pop-ups raise engagement",
        &popup.mean("leading.engagement", from, to),
        &shipped.mean("leading.engagement", from, to),
        |p, o| p > 1.4 * o,
    );
}

#[test]
fn app_suggestions_lesson_reveals_what_it_explains() {
    use Claim::*;
    lesson(
        "app-suggestions",
        &["world.users=5000"],
        &[
            (0, "user.value_added_per_user", Above(0.0)),
            (1, "model.precision", Down(0.02)),
            // Value added falls by about a fifth and stays positive.
            (1, "user.value_added_per_user", Ratio(0.7, 0.9)),
            (1, "user.value_added_per_user", Above(0.0)),
            // Engagement almost doubles, fatigue triples, compliance about halves.
            (2, "leading.engagement", Ratio(1.5, 2.2)),
            (2, "user.fatigue", Ratio(2.5, 4.0)),
            (2, "user.compliance", Ratio(0.4, 0.6)),
            (2, "user.value_added_per_user", Below(0.0)),
        ],
    );
}

// ----------------------------------------------------------- image captions

#[test]
fn image_captions_fewer_surer_captions_serve_users_better() {
    let s = load("image-captions");
    let small = "world.users=2000";
    let (from, to) = (11, 60);
    let every = Design::run(&s, &[small], 60);
    let sure = Design::run(&s, &[small, "model.threshold=0.5"], 60);
    each(
        "at least a quarter fewer captions",
        &sure.mean("leading.interventions_per_user", from, to),
        &every.mean("leading.interventions_per_user", from, to),
        |s, e| s < 0.75 * e,
    );
    all(
        "captioning nearly everything harms",
        &every.mean("user.value_added_per_user", from, to),
        |v| v < 0.0,
    );
    all(
        "confident captions help",
        &sure.mean("user.value_added_per_user", from, to),
        |v| v > 0.1,
    );
}

/// The story's trust claim: with captions on nearly every photo, more than
/// a quarter of them wrong, trust stays high: about 80 % after a month
/// (between 75 % and 83 %) and above 70 % after six.
#[test]
fn image_captions_trust_stays_high_as_shipped() {
    let s = load("image-captions");
    let shipped = Design::run(&s, &["world.users=2000"], 180);
    all(
        "over a quarter of captions wrong",
        &shipped.mean("model.error_rate_surfaced", 1, 180),
        |e| e > 0.25,
    );
    all(
        "trust about 80 % after a month",
        &shipped.mean("user.trust", 24, 30),
        |t| (0.75..0.83).contains(&t),
    );
    all(
        "trust above 70 % after six months",
        &shipped.mean("user.trust", 174, 180),
        |t| t > 0.7,
    );
}

#[test]
fn image_captions_lesson_reveals_what_it_explains() {
    use Claim::*;
    lesson(
        "image-captions",
        &["world.users=3000"],
        &[
            // Nearly every photo: over a quarter wrong, trust 0.85 -> about 0.8,
            // value added negative.
            (0, "model.precision", Below(0.75)),
            (0, "user.trust", Above(0.75)),
            (0, "user.trust", Below(0.83)),
            (0, "user.value_added_per_user", Below(0.0)),
            // Confident only: a third fewer captions, wrong share about halves.
            (1, "model.precision", Up(0.1)),
            (1, "leading.interventions_per_user", Ratio(0.55, 0.75)),
            (1, "user.value_added_per_user", Above(0.1)),
            // Users who can check: reports about tenfold, trust up about a
            // twentieth, value added within 5%.
            (2, "org.reports", Ratio(7.0, 13.0)),
            (2, "user.trust", Ratio(1.02, 1.1)),
            (2, "user.value_added_per_user", Flat(0.05)),
        ],
    );
}

// ------------------------------------------------------------ the library

#[test]
fn every_lesson_here_has_three_to_five_steps_with_questions_and_explanations() {
    for id in MINE {
        let s = load(id);
        // Steps that run the lesson (an experiment step runs in its tab).
        let running = s.steps.iter().filter(|st| st.experiment.is_none()).count();
        assert!((3..=5).contains(&running), "{}: {running} steps", s.id);
        assert!(s.story.try_these.len() >= 3, "{}: try items", s.id);
        for (i, st) in s.steps.iter().enumerate() {
            assert!(!st.question.is_empty(), "{} step {i}: no question", s.id);
            assert!(!st.explain.is_empty(), "{} step {i}: no explain", s.id);
            assert!(
                !st.reveal.is_empty() || st.experiment.is_some(),
                "{} step {i}: nothing revealed",
                s.id
            );
            assert!(st.days > 0, "{} step {i}: no days", s.id);
        }
        for layer in ixsim::sim::Layer::MEASURES {
            assert!(
                s.goals.contains_key(&layer),
                "{}: no goals for {layer:?}",
                s.id
            );
        }
    }
}
