//! The two-pane shell of the lab views: a resizable, scrolling panel of
//! settings on the left and the view's content in the centre.

use eframe::egui;

/// Width the left pane starts at, in points.
pub const LEFT_DEFAULT_WIDTH: f32 = 330.0;

/// Narrowest the left pane gets, in points.
const LEFT_MIN_WIDTH: f32 = 180.0;

/// Draws `left` in a resizable, scrolling side panel named `id` and
/// `centre` in the rest. Ids of the panel and its scroll area derive from
/// `id`, so each view keeps its own pane width and scroll position.
pub fn two_pane(
    ui: &mut egui::Ui,
    id: &str,
    left: impl FnOnce(&mut egui::Ui),
    centre: impl FnOnce(&mut egui::Ui),
) {
    // The settings never take more than two fifths of a narrow view.
    let cap = (ui.available_width() * 0.4).max(LEFT_MIN_WIDTH);
    egui::Panel::left(id)
        .resizable(true)
        .default_size(LEFT_DEFAULT_WIDTH)
        .size_range(LEFT_MIN_WIDTH..=cap)
        .show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt(format!("{id}-scroll"))
                .show(ui, left);
        });
    egui::CentralPanel::default().show(ui, centre);
}
