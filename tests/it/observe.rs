//! What the organization can see of a world shift: the phishing model
//! silently loses most of its quality on day 120 (recall collapses), and the
//! question a class asks is whether the organization's own monitoring
//! would have caught it, and when.

use crate::support::{load, metric, with};
use ixsim::sim::Simulation;
use ixsim::sim::observe::{self, Direction, Monitor};

/// Days run, and the shift's day.
const DAYS: u32 = 240;
const SHIFT_DAY: u32 = 120;

/// Observed on seeds 1–3: recall falls from about 0.5 to about 0.02, the
/// observed error rate's 14-day mean peaks at 0.15 before the shift and
/// averages 0.23 after it, the support queue hardly moves. So, on seeds
/// 1–5: a monitor on the observed error rate (above 0.2, 14-day mean)
/// never fires before the shift and fires within 30 days after it; the
/// support-load alarm phishing ships with stays quiet throughout; and the
/// recall the organization cannot see has collapsed below a tenth of its
/// level.
#[test]
fn a_monitor_on_observed_error_catches_the_shift_the_support_alarm_misses() {
    let s = load("phishing-warnings");
    let metrics = s.world.metrics();
    let watch = Monitor::new(
        metrics,
        "model.observed_error_rate",
        0.2,
        Direction::Above,
        14,
    )
    .unwrap();
    assert!(!metrics[metric(&s, "model.recall")].observable);
    for seed in 1..=5 {
        let p = with(&s, &["world.shift_day=120", "world.shift_quality_loss=0.6"]);
        let mut sim = Simulation::new(s.world, p, seed);
        sim.run(DAYS);
        let h = sim.history();
        let fired = observe::alarm_days(h, &watch);
        let first = fired.first().copied();
        assert!(
            first.is_some_and(|d| d > SHIFT_DAY && d <= SHIFT_DAY + 30),
            "seed {seed}: observed-error alarm on days {fired:?}"
        );
        for m in &s.observe.monitors {
            assert!(
                observe::alarm_days(h, m).is_empty(),
                "seed {seed}: {} fired",
                m.describe(metrics)
            );
        }
        let recall = metric(&s, "model.recall");
        let mean = |from: usize, to: usize| {
            (from..=to).map(|d| h.row(d)[recall]).sum::<f64>() / (to - from + 1) as f64
        };
        let (before, after) = (mean(90, 119), mean(211, 240));
        assert!(
            after < 0.1 * before,
            "seed {seed}: recall {before:.3} -> {after:.3}"
        );
    }
}
