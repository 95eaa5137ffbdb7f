//! Renders each world view headless (egui_kittest, no GPU) and checks what
//! a person would read on it.

use eframe::egui::{self, accesskit::Role};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

use super::{WorldEvent, has_view, lending, policing, recommender, world_ui};
use crate::scenario::library;
use crate::sim::{Simulation, WorldKind};

type State = (Simulation, Option<u32>);

fn harness(sim: Simulation, scrub: Option<u32>) -> Harness<'static, State> {
    // Rebuilding a past day takes a few frames of its time budget, more on
    // a busy machine: let the harness run until the view settles.
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 2400.0))
        .with_max_steps(200)
        .build_ui_state(
            |ui, state: &mut State| {
                for event in world_ui(ui, &state.0, state.1) {
                    let WorldEvent::ShowDay(day) = event;
                    state.1 = day;
                }
            },
            (sim, scrub),
        );
    h.run();
    h
}

fn sim(kind: WorldKind, sets: &[(&str, f64)], days: u32) -> Simulation {
    let mut p = kind.defaults();
    for (id, v) in sets {
        p.set(id, *v).unwrap();
    }
    let mut sim = Simulation::new(kind, p, 3);
    sim.run(days);
    sim
}

fn has_label(h: &Harness<'_, State>, text: &str) -> bool {
    h.query_all_by_label(text).next().is_some()
}

fn has_label_containing(h: &Harness<'_, State>, text: &str) -> bool {
    h.query_all_by_label_contains(text).next().is_some()
}

/// Each feedback-loop world draws its heading, the truth-vs-observed
/// section and a day slider; the users world draws nothing.
#[test]
fn each_world_view_draws_its_heading() {
    for (kind, heading, sets) in [
        (WorldKind::Policing, policing::HEADING, vec![]),
        (WorldKind::Lending, lending::HEADING, vec![]),
        (
            WorldKind::Recommender,
            recommender::HEADING,
            vec![("world.users", 100.0)],
        ),
    ] {
        let h = harness(sim(kind, &sets, 40), None);
        assert!(has_label(&h, heading), "{kind:?}: no heading");
        assert!(
            has_label(&h, "Hidden truth vs what the organization observes"),
            "{kind:?}: no truth-vs-observed section"
        );
        assert!(
            h.query_by_role(Role::Slider).is_some(),
            "{kind:?}: no slider"
        );
        assert!(
            has_label_containing(&h, "Day 40 ·"),
            "{kind:?}: not on day 40"
        );
    }
    let users = sim(WorldKind::Users, &[("world.users", 50.0)], 3);
    assert!(!has_view(WorldKind::Users));
    let mut asked = vec![WorldEvent::ShowDay(Some(1))];
    let mut h = Harness::new_ui(|ui| asked = world_ui(ui, &users, Some(2)));
    h.run();
    assert!(
        h.query_all_by_label_contains("Day shown").next().is_none(),
        "the users world has no view here"
    );
    drop(h);
    assert!(asked.is_empty());
}

/// Before the first day every view draws (empty curves, the starting
/// state) without panicking, and the slider is disabled.
#[test]
fn every_view_draws_at_day_zero() {
    for (kind, sets) in [
        (WorldKind::Policing, vec![]),
        (WorldKind::Lending, vec![]),
        (WorldKind::Recommender, vec![("world.users", 50.0)]),
    ] {
        let h = harness(sim(kind, &sets, 0), None);
        assert!(has_label_containing(&h, "Day 0 ·"), "{kind:?}");
        assert!(
            h.get_by_role(Role::Slider).accesskit_node().is_disabled(),
            "{kind:?}"
        );
    }
}

/// Scrubbing back shows the world as it was: with three districts until day
/// 30 and five after, day 20 shows three tiles and the latest day five;
/// the follow button returns to the latest day.
#[test]
fn scrub_shows_past_days_and_follow_returns() {
    let mut s = sim(WorldKind::Policing, &[("world.districts", 3.0)], 30);
    s.set_param("world.districts", 5.0).unwrap();
    s.run(30);
    let mut h = harness(s, Some(20));
    assert!(has_label_containing(&h, "Day 20 ·"));
    assert!(has_label(&h, "District 3"));
    assert!(!has_label(&h, "District 5"), "day 20 had three districts");
    h.get_by_label("Follow the run").click();
    h.run();
    assert_eq!(h.state().1, None);
    assert!(has_label_containing(&h, "Day 60 ·"));
    assert!(has_label(&h, "District 5"));
}

/// A scrub day past the end of the run (after a restart) falls back to
/// following the run.
#[test]
fn stale_scrub_day_is_reset() {
    let h = harness(sim(WorldKind::Lending, &[], 10), Some(500));
    assert_eq!(h.state().1, None);
    assert!(has_label_containing(&h, "Day 10 ·"));
}

/// Day 0 of the lending world is its start: both groups' means unchanged.
/// Later days show a change and the approval tiles.
#[test]
fn lending_day_zero_is_the_start() {
    let h = harness(sim(WorldKind::Lending, &[], 50), Some(0));
    assert!(has_label(
        &h,
        "Mean repayment probability 59.0 % to 59.0 % (0.00 %)"
    ));
    assert!(has_label(
        &h,
        "Mean repayment probability 49.5 % to 49.5 % (0.00 %)"
    ));
    let h = harness(sim(WorldKind::Lending, &[], 50), None);
    assert!(!has_label(
        &h,
        "Mean repayment probability 59.0 % to 59.0 % (0.00 %)"
    ));
    assert!(has_label(&h, "Group 2"));
    assert!(h.query_all_by_label("100 %").count() >= 4, "approval tiles");
}

/// The recommender view shows the satisfaction histogram of the day shown
/// and the phase plot.
#[test]
fn recommender_shows_histogram_of_the_day() {
    let h = harness(
        sim(WorldKind::Recommender, &[("world.users", 100.0)], 30),
        Some(12),
    );
    assert!(has_label(&h, "Satisfaction of active users, day 12"));
    assert!(has_label(&h, "Engagement vs satisfaction, day by day"));
}

/// The three loop scenarios open in their views after 200 days.
#[test]
fn loop_scenarios_render() {
    for (id, heading) in [
        ("predictive-policing", policing::HEADING),
        ("lending", lending::HEADING),
        ("music-recommendation", recommender::HEADING),
    ] {
        let s = library::get(id)
            .unwrap_or_else(|| panic!("no scenario {id}"))
            .unwrap_or_else(|e| panic!("{e}"));
        let mut sim = Simulation::new(s.world, s.params.clone(), s.seed);
        sim.run(200);
        let h = harness(sim, Some(100));
        assert!(has_label(&h, heading), "{id}");
        assert!(has_label_containing(&h, "Day 100 ·"), "{id}");
    }
}

/// Long series are thinned to about two points per pixel column and keep
/// their days, even where a ratio left days out.
#[test]
fn long_series_are_thinned() {
    let whole: Vec<[f64; 2]> = (1..=36_500)
        .map(|d| [f64::from(d), f64::from(d % 7)])
        .collect();
    let thinned = crate::ui::plot::decimate_points(&whole, (1.0, 36_500.0), 400);
    assert!(thinned.len() <= 4 * 400 + 16, "{}", thinned.len());
    assert!(thinned.iter().all(|p| whole.contains(p)));
    assert!(thinned.windows(2).all(|w| w[0][0] < w[1][0]));
    // A series without days 1-10: its own days come back.
    let gapped: Vec<[f64; 2]> = whole[10..].to_vec();
    let thinned = crate::ui::plot::decimate_points(&gapped, (1.0, 36_500.0), 400);
    assert!(thinned[0][0] >= 11.0);
    assert!(thinned.iter().all(|p| gapped.contains(p)));
    // Short series are drawn whole.
    assert_eq!(
        crate::ui::plot::decimate_points(&whole[..100], (1.0, 100.0), 400),
        whole[..100]
    );
}
