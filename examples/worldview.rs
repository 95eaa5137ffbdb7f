//! A picture of a feedback-loop world's view: opens a window with
//! [`ixsim::worldview::world_ui`] for a scenario after some days, saves a
//! PNG of it and closes.
//!
//! ```text
//! cargo run --release --example worldview -- [SCENARIO] [DAYS] [OUT.png] [SCRUB_DAY]
//! ```
//! Defaults: `predictive-policing`, 200 days, `worldview.png`, the latest
//! day. Needs a display (use Xvfb on a headless machine; see HEADLESS.md).

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use eframe::egui;
use ixsim::scenario::library;
use ixsim::sim::Simulation;
use ixsim::ui::screenshot::{Capture, ScreenshotError};

struct Shot {
    sim: Simulation,
    scrub: Option<u32>,
    capture: Capture,
    result: Arc<Mutex<Option<Result<PathBuf, ScreenshotError>>>>,
}

impl eframe::App for Shot {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        egui::CentralPanel::default().show(ui, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| {
                for event in ixsim::worldview::world_ui(ui, &self.sim, self.scrub) {
                    let ixsim::worldview::WorldEvent::ShowDay(day) = event;
                    self.scrub = day;
                }
            });
        });
        let ctx = ui.ctx().clone();
        ctx.request_repaint();
        if let Some(outcome) = self.capture.poll(&ctx) {
            if let Ok(mut slot) = self.result.lock() {
                *slot = Some(outcome);
            }
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let id = args.first().map_or("predictive-policing", String::as_str);
    let days: u32 = args.get(1).and_then(|d| d.parse().ok()).unwrap_or(200);
    let path = PathBuf::from(args.get(2).map_or("worldview.png", String::as_str));
    let scrub: Option<u32> = args.get(3).and_then(|d| d.parse().ok());
    let scenario = match library::get(id) {
        Some(Ok(s)) => s,
        Some(Err(e)) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
        None => {
            eprintln!("error: no scenario {id}");
            return ExitCode::from(2);
        }
    };
    let mut sim = Simulation::new(scenario.world, scenario.params.clone(), scenario.seed);
    sim.run(days);
    let result = Arc::new(Mutex::new(None));
    let app = Shot {
        sim,
        scrub,
        // Let the plots settle on their bounds before the picture.
        capture: Capture::new(path, 9),
        result: Arc::clone(&result),
    };
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("ixsim world view")
            .with_inner_size([1400.0, 1000.0]),
        ..Default::default()
    };
    if let Err(e) = eframe::run_native("ixsim-worldview", options, Box::new(|_| Ok(Box::new(app))))
    {
        eprintln!("error: {e}");
        return ExitCode::from(1);
    }
    let outcome = result.lock().ok().and_then(|mut r| r.take());
    match outcome {
        Some(Ok(path)) => {
            println!("{}", path.display());
            ExitCode::SUCCESS
        }
        Some(Err(e)) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
        None => {
            eprintln!("error: the window closed before the screenshot");
            ExitCode::from(1)
        }
    }
}
