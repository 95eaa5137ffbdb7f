//! The core benchmark's yardstick (a hand-written loop of the model of
//! `benches/yardstick.ron`) and ixsim give the same statistics within
//! Monte-Carlo tolerance, so the speed ratio the benchmark prints compares
//! two programs of one model.

#[path = "../../benches/common/yardstick.rs"]
#[allow(dead_code)] // the benchmark reads more of it than the test does
mod loop_by_hand;

use ixsim::sim::{Simulation, WorldKind};
use loop_by_hand::{Model, Statistics, Yardstick};

const USERS: f64 = 40_000.0;
const DAYS: u32 = 20;

/// ixsim's and the yardstick's statistics of the yardstick scenario with
/// `sets` applied, each on its own seed.
fn both(sets: &[(&str, f64)]) -> (Statistics, Statistics) {
    let s = loop_by_hand::scenario();
    let mut p = s.params.clone();
    p.set("world.users", USERS).unwrap();
    for (id, v) in sets {
        p.set(id, *v).unwrap();
    }
    let mut sim = Simulation::new(WorldKind::Users, p.clone(), 3);
    sim.run(DAYS);
    let ixsim = Statistics::of_history(sim.history(), USERS as usize);
    let mut by_hand = Yardstick::new(Model::from_params(&p).unwrap(), 4);
    by_hand.run(DAYS);
    (ixsim, by_hand.statistics())
}

#[test]
fn yardstick_and_ixsim_agree_on_the_model_statistics() {
    let (ixsim, by_hand) = both(&[]);
    // The run shows what it is meant to: prompts followed and ignored,
    // trust falling, users leaving.
    assert!(ixsim.active_share < 0.97, "{ixsim:?}");
    assert!(
        ixsim.compliance > 0.2 && ixsim.compliance < 0.9,
        "{ixsim:?}"
    );
    assert!(ixsim.trust < 0.65, "{ixsim:?}");
    ixsim
        .agree(&by_hand)
        .unwrap_or_else(|e| panic!("{e}\nixsim {ixsim:?}\nby hand {by_hand:?}"));
}

#[test]
fn yardstick_and_ixsim_agree_at_three_situations_and_without_fatigue() {
    let (ixsim, by_hand) = both(&[
        ("world.situations_per_day", 3.0),
        ("people.fatigue_sensitivity", 0.0),
    ]);
    ixsim
        .agree(&by_hand)
        .unwrap_or_else(|e| panic!("{e}\nixsim {ixsim:?}\nby hand {by_hand:?}"));
}

#[test]
fn the_comparison_tells_a_changed_model_apart() {
    // Without fatigue, prompts are followed more: a yardstick that left
    // fatigue out would fail the comparison.
    let (with_fatigue, _) = both(&[]);
    let (_, without) = both(&[("people.fatigue_sensitivity", 0.0)]);
    assert!(with_fatigue.agree(&without).is_err());
}

#[test]
fn the_yardstick_refuses_what_it_leaves_out() {
    let s = loop_by_hand::scenario();
    for (id, v) in [
        ("experience.mode", 0.0),
        ("model.abstain_band", 0.5),
        ("people.signups_per_day", 5.0),
        ("experience.cap_keeps", 0.0),
    ] {
        let mut p = s.params.clone();
        p.set(id, v).unwrap();
        let e = Model::from_params(&p).unwrap_err();
        assert!(e.contains(id), "{e}");
    }
}
