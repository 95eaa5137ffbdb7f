//! The lab's two views in a window of their own, for looking at them while
//! they are built: `cargo run --release --example lab -- [--tab compare|sweep]
//! [--scenario ID] [--screenshot FILE.png] [--signs] [--one-parameter]`.
//!
//! With `--screenshot`, the compare runs finish (or a small sweep runs and
//! its result is shown), the window is saved as PNG and the example exits.
//! Events the views emit are printed to stderr.

use std::path::PathBuf;

use eframe::egui;
use ixsim::lab::{CompareView, JobState, PairView, SweepView};
use ixsim::scenario::library;
use ixsim::ui::screenshot::Capture;

#[derive(PartialEq)]
enum Tab {
    Compare,
    Sweep,
}

struct LabApp {
    tab: Tab,
    compare: CompareView,
    sweep: SweepView,
    shot: Option<Capture>,
}

impl LabApp {
    fn ready(&self) -> bool {
        match self.tab {
            Tab::Compare => !self.compare.is_busy(),
            Tab::Sweep => self.sweep.state() == JobState::Done,
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui) {
        egui::Panel::top("lab-example-tabs").show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.selectable_value(&mut self.tab, Tab::Compare, "Compare");
                ui.selectable_value(&mut self.tab, Tab::Sweep, "Sweep");
            });
        });
        let events = match self.tab {
            Tab::Compare => self.compare.ui(ui),
            Tab::Sweep => self.sweep.ui(ui),
        };
        for e in events {
            eprintln!("lab event: {e:?}");
        }
        let ready = self.ready();
        let ctx = ui.ctx().clone();
        if let Some(shot) = &mut self.shot {
            ctx.request_repaint();
            if self.tab == Tab::Sweep {
                match self.sweep.state() {
                    JobState::Failed(e) => {
                        eprintln!("the sweep failed: {e}");
                        std::process::exit(1);
                    }
                    JobState::Cancelled => {
                        eprintln!("the sweep was cancelled");
                        std::process::exit(1);
                    }
                    _ => {}
                }
            }
            if !ready {
                return;
            }
            if let Some(outcome) = shot.poll(&ctx) {
                match outcome {
                    Ok(path) => eprintln!("saved {}", path.display()),
                    Err(e) => eprintln!("could not save {}: {e}", shot.path().display()),
                }
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
        }
    }
}

fn main() -> eframe::Result {
    let mut args = std::env::args().skip(1);
    let (mut tab, mut scenario, mut shot) = (Tab::Compare, library::DEFAULT_ID.to_string(), None);
    let (mut signs, mut one) = (false, false);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--tab" => {
                if args.next().as_deref() == Some("sweep") {
                    tab = Tab::Sweep;
                }
            }
            "--scenario" => scenario = args.next().unwrap_or(scenario),
            "--screenshot" => shot = args.next().map(PathBuf::from),
            "--signs" => signs = true,
            "--one-parameter" => one = true,
            other => eprintln!("ignoring {other}"),
        }
    }
    let Some(Ok(mut s)) = library::get(&scenario) else {
        eprintln!("no scenario {scenario}");
        std::process::exit(2);
    };
    let mut compare = CompareView::new(s.clone());
    // Something to compare: B is more forceful and warns more.
    let mut b = s.params.clone();
    for (id, v) in [("experience.forcefulness", 1.0), ("model.threshold", 0.8)] {
        if b.set(id, v).is_err() {
            eprintln!("{id} is not a parameter of {scenario}");
        }
    }
    if let Err(e) = compare.set_design(ixsim::lab::Design::B, b) {
        eprintln!("design B: {e}");
    }
    if shot.is_some() {
        // Keep the picture quick: fewer users, a lighter sweep.
        let _ = s.params.set("world.users", 2000.0);
    }
    let mut sweep = SweepView::new(&s);
    let mut setup = sweep.setup().clone();
    for axis in &mut setup.axes {
        axis.points = 12;
    }
    setup.replications = 2;
    setup.view = if signs {
        PairView::Signs
    } else {
        PairView::SideBySide
    };
    if one {
        setup.axes.truncate(1);
        setup.replications = 8;
    }
    sweep.set_setup(setup);
    if shot.is_some()
        && tab == Tab::Sweep
        && let Err(e) = sweep.start()
    {
        // The screenshot waits for the sweep to finish: it never would.
        eprintln!("could not start the sweep: {e}");
        std::process::exit(1);
    }
    let app = LabApp {
        tab,
        compare,
        sweep,
        // Let the plots settle on their bounds before the picture.
        shot: shot.map(|path| Capture::new(path, 9)),
    };
    eframe::run_native(
        "ixsim lab",
        eframe::NativeOptions {
            viewport: egui::ViewportBuilder::default().with_inner_size([1500.0, 950.0]),
            ..Default::default()
        },
        Box::new(|_cc| Ok(Box::new(app))),
    )
}

impl eframe::App for LabApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        LabApp::ui(self, ui);
    }
}
