//! One single-threaded run of the user world (or of the yardstick loop), for
//! instruction counts under callgrind:
//! `valgrind --tool=callgrind target/release/examples/kernel SCENARIO USERS DAYS [SITUATIONS]`
//! where SCENARIO is a library id, `yardstick` (benches/yardstick.ron) or
//! `by-hand` (the yardstick's hand-written loop on that model). Prints the
//! run's time, set-up excluded.

#[allow(dead_code)]
#[path = "../benches/common/yardstick.rs"]
mod yardstick;

use ixsim::scenario::library;
use ixsim::sim::{Simulation, WorldKind};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let id = args.first().map_or("phishing-warnings", String::as_str);
    let users: f64 = args.get(1).map_or(20_000.0, |a| a.parse().unwrap());
    let days: u32 = args.get(2).map_or(20, |a| a.parse().unwrap());
    let mut p = match id {
        "yardstick" | "by-hand" => yardstick::scenario().params,
        _ => library::get(id).unwrap().unwrap().params,
    };
    p.set("world.users", users).unwrap();
    if let Some(s) = args.get(3) {
        p.set("world.situations_per_day", s.parse().unwrap())
            .unwrap();
    }
    if id == "by-hand" {
        let mut y = yardstick::Yardstick::new(yardstick::Model::from_params(&p).unwrap(), 2);
        let start = std::time::Instant::now();
        y.run(days);
        let secs = start.elapsed().as_secs_f64();
        println!("{} active, {secs:.4} s", y.active());
    } else {
        let mut sim = Simulation::new(WorldKind::Users, p, 1);
        let start = std::time::Instant::now();
        sim.run(days);
        let secs = start.elapsed().as_secs_f64();
        println!("{} days, {secs:.4} s", sim.history().days());
    }
}
