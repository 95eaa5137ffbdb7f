//! Look and feel: light and dark visuals, the presentation setting, and the
//! colours that identify each measure layer everywhere in the app.
//!
//! Owns every colour decision, so the dashboard, monitors, flow diagram and
//! story panel agree on what "model" or "organization" looks like.

use eframe::egui::{self, Color32, CornerRadius, FontId, Stroke, TextStyle, Theme};
use serde::{Deserialize, Serialize};

use crate::sim::Layer;

/// Light or dark.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ThemeChoice {
    /// Dark background: easy on the eyes at a desk.
    #[default]
    Dark,
    /// Light background: best on most projectors.
    Light,
}

impl ThemeChoice {
    /// Name for menus.
    pub fn label(self) -> &'static str {
        match self {
            ThemeChoice::Dark => "Dark",
            ThemeChoice::Light => "Light",
        }
    }

    /// True for the dark theme.
    pub fn is_dark(self) -> bool {
        self == ThemeChoice::Dark
    }
}

/// What the look depends on; applied to the context only when it changes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Look {
    /// Light or dark.
    pub theme: ThemeChoice,
    /// Large text and thick lines for a projector.
    pub present: bool,
    /// User zoom (1 = 100 %).
    pub zoom: f32,
}

impl Look {
    /// The zoom factor egui should use: user zoom, enlarged in presentation mode.
    pub fn zoom_factor(&self) -> f32 {
        let z = self.zoom.clamp(ZOOM_MIN, ZOOM_MAX);
        if self.present { z * 1.3 } else { z }
    }
}

/// Width of plotted lines, in points (thicker in presentation mode).
pub fn line_width(present: bool) -> f32 {
    if present { 3.0 } else { 1.8 }
}

/// Smallest user zoom.
pub const ZOOM_MIN: f32 = 0.5;
/// Largest user zoom.
pub const ZOOM_MAX: f32 = 2.5;

/// Installs the bundled fonts with Hack as a fallback for proportional text,
/// so arrows and geometric symbols (▶ ● ↺ →) draw on every machine.
/// Takes effect from the next frame.
pub fn install_fonts(ctx: &egui::Context) {
    let mut fonts = egui::FontDefinitions::default();
    if let Some(family) = fonts.families.get_mut(&egui::FontFamily::Proportional)
        && !family.iter().any(|f| f == "Hack")
    {
        let at = family
            .iter()
            .position(|f| f == "Ubuntu-Light")
            .map_or(0, |i| i + 1);
        family.insert(at, "Hack".to_string());
    }
    ctx.set_fonts(fonts);
}

/// Applies visuals, text sizes and zoom to the context.
pub fn apply(ctx: &egui::Context, look: Look) {
    let dark = look.theme.is_dark();
    ctx.set_theme(if dark { Theme::Dark } else { Theme::Light });
    let mut visuals = if dark {
        egui::Visuals::dark()
    } else {
        egui::Visuals::light()
    };
    let accent = accent(dark);
    visuals.selection.bg_fill = accent.gamma_multiply(if dark { 0.55 } else { 0.35 });
    visuals.selection.stroke = Stroke::new(1.0, if dark { Color32::WHITE } else { ink(false) });
    visuals.hyperlink_color = accent;
    visuals.panel_fill = panel_bg(dark);
    visuals.window_fill = card_bg(dark);
    visuals.extreme_bg_color = if dark {
        Color32::from_rgb(16, 19, 26)
    } else {
        Color32::from_rgb(255, 255, 255)
    };
    visuals.faint_bg_color = if dark {
        Color32::from_rgb(36, 41, 52)
    } else {
        Color32::from_rgb(240, 242, 246)
    };
    visuals.window_corner_radius = CornerRadius::same(10);
    visuals.menu_corner_radius = CornerRadius::same(8);
    for w in [
        &mut visuals.widgets.inactive,
        &mut visuals.widgets.hovered,
        &mut visuals.widgets.active,
        &mut visuals.widgets.open,
        &mut visuals.widgets.noninteractive,
    ] {
        w.corner_radius = CornerRadius::same(6);
    }
    if !dark {
        visuals.widgets.inactive.weak_bg_fill = Color32::from_rgb(228, 232, 239);
        visuals.widgets.inactive.bg_fill = Color32::from_rgb(214, 219, 228);
    } else {
        visuals.widgets.inactive.weak_bg_fill = Color32::from_rgb(48, 54, 66);
        visuals.widgets.inactive.bg_fill = Color32::from_rgb(62, 69, 84);
    }
    visuals.slider_trailing_fill = true;
    ctx.set_visuals_of(if dark { Theme::Dark } else { Theme::Light }, visuals);

    let sizes: [(TextStyle, f32); 5] = [
        (TextStyle::Small, 11.0),
        (TextStyle::Body, 13.5),
        (TextStyle::Button, 13.5),
        (TextStyle::Monospace, 13.0),
        (TextStyle::Heading, 19.0),
    ];
    ctx.all_styles_mut(|style| {
        for (text_style, size) in &sizes {
            let family = match text_style {
                TextStyle::Monospace => egui::FontFamily::Monospace,
                _ => egui::FontFamily::Proportional,
            };
            style
                .text_styles
                .insert(text_style.clone(), FontId::new(*size, family));
        }
        style.spacing.item_spacing = egui::vec2(8.0, 6.0);
        style.spacing.button_padding = egui::vec2(8.0, 4.0);
        style.spacing.interact_size.y = 22.0;
        style.spacing.slider_width = 200.0;
        style.spacing.combo_width = 160.0;
    });
    ctx.set_zoom_factor(look.zoom_factor());
}

/// The colour that identifies a measure layer.
pub fn layer_color(layer: Layer, dark: bool) -> Color32 {
    let palette = okabe_ito(dark);
    match layer {
        Layer::Model => palette[0],
        Layer::User => palette[2],
        Layer::Leading => palette[3],
        Layer::Organization => palette[4],
        Layer::Flow => {
            if dark {
                Color32::from_rgb(160, 170, 185)
            } else {
                Color32::from_rgb(90, 100, 115)
            }
        }
    }
}

/// The Okabe–Ito colour-blind-safe palette in the order series take it:
/// blue, vermillion, bluish green, orange, reddish purple, then yellow
/// (dark theme) or near-black (light theme), then sky blue or grey. Each
/// colour is shaded for contrast with its theme's background.
fn okabe_ito(dark: bool) -> [Color32; 7] {
    if dark {
        [
            Color32::from_rgb(86, 160, 235),
            Color32::from_rgb(230, 100, 40),
            Color32::from_rgb(30, 185, 140),
            Color32::from_rgb(240, 180, 0),
            Color32::from_rgb(215, 140, 185),
            Color32::from_rgb(240, 228, 66),
            Color32::from_rgb(190, 195, 205),
        ]
    } else {
        [
            Color32::from_rgb(0, 114, 178),
            Color32::from_rgb(190, 70, 0),
            Color32::from_rgb(0, 160, 100),
            Color32::from_rgb(230, 159, 0),
            Color32::from_rgb(180, 85, 145),
            Color32::from_rgb(50, 50, 50),
            Color32::from_rgb(86, 180, 233),
        ]
    }
}

/// Colours for the series of one plot: the layer's own colour first, then
/// the rest of the Okabe–Ito palette in its order.
pub fn series_color(layer: Layer, index: usize, dark: bool) -> Color32 {
    let palette = okabe_ito(dark);
    let own = layer_color(layer, dark);
    if index == 0 {
        return own;
    }
    let rest: Vec<Color32> = palette.into_iter().filter(|&c| c != own).collect();
    rest[(index - 1) % rest.len()]
}

/// The dash pattern of a plot's `index`-th series, the second cue beside
/// its colour: solid, dashed, dotted, in turn. `None` is solid; else the
/// (dash, gap) lengths in points, a dot being a dash of length one.
pub fn series_dash(index: usize) -> Option<(f32, f32)> {
    match index % 3 {
        0 => None,
        1 => Some((10.0, 5.0)),
        _ => Some((1.0, 5.0)),
    }
}

/// The colour of population group A (0) or B (1).
pub fn group_color(group: u8, dark: bool) -> Color32 {
    match (group, dark) {
        (0, true) => Color32::from_rgb(94, 211, 243),
        (0, false) => Color32::from_rgb(8, 120, 170),
        (_, true) => Color32::from_rgb(251, 146, 60),
        (_, false) => Color32::from_rgb(205, 85, 10),
    }
}

/// Accent colour for primary actions.
pub fn accent(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(96, 165, 250)
    } else {
        Color32::from_rgb(29, 95, 200)
    }
}

/// Colour of "good" outcomes: Okabe–Ito's bluish green, told from
/// [`bad`] by colour-blind viewers too.
pub fn good(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(40, 200, 150)
    } else {
        Color32::from_rgb(0, 140, 100)
    }
}

/// Colour of "bad" outcomes: Okabe–Ito's vermillion.
pub fn bad(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(245, 120, 60)
    } else {
        Color32::from_rgb(200, 80, 0)
    }
}

/// Colour of "costly but not harmful" outcomes (needless actions, lost time).
pub fn warn(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(251, 191, 36)
    } else {
        Color32::from_rgb(190, 120, 0)
    }
}

/// Neutral grey for things that did not happen or were not shown.
pub fn neutral(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(100, 110, 125)
    } else {
        Color32::from_rgb(170, 178, 190)
    }
}

/// Main text colour.
pub fn ink(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(230, 234, 240)
    } else {
        Color32::from_rgb(24, 28, 36)
    }
}

/// Secondary text colour.
pub fn muted(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(150, 160, 175)
    } else {
        Color32::from_rgb(92, 100, 115)
    }
}

/// Background of side panels.
pub fn panel_bg(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(26, 30, 38)
    } else {
        Color32::from_rgb(246, 247, 250)
    }
}

/// Background of the central area.
pub fn central_bg(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(20, 23, 30)
    } else {
        Color32::from_rgb(236, 239, 244)
    }
}

/// Background of cards (plots, monitors, story sections).
pub fn card_bg(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(32, 37, 47)
    } else {
        Color32::from_rgb(255, 255, 255)
    }
}

/// Border of cards.
pub fn card_stroke(dark: bool) -> Stroke {
    Stroke::new(
        1.0,
        if dark {
            Color32::from_rgb(48, 55, 68)
        } else {
            Color32::from_rgb(218, 223, 232)
        },
    )
}

/// A card frame: rounded, bordered, padded.
pub fn card(dark: bool) -> egui::Frame {
    egui::Frame::new()
        .fill(card_bg(dark))
        .stroke(card_stroke(dark))
        .corner_radius(CornerRadius::same(8))
        .inner_margin(egui::Margin::symmetric(10, 6))
}

/// A small coloured heading with the layer's colour bar beside it.
pub fn layer_heading(ui: &mut egui::Ui, layer: Layer, text: &str, dark: bool) -> egui::Response {
    ui.horizontal(|ui| {
        let (rect, _) = ui.allocate_exact_size(egui::vec2(4.0, 16.0), egui::Sense::hover());
        ui.painter()
            .rect_filled(rect, CornerRadius::same(2), layer_color(layer, dark));
        ui.label(egui::RichText::new(text).strong().color(ink(dark)))
    })
    .inner
}

/// A drawn icon for buttons (the bundled fonts lack media symbols).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Icon {
    /// A right-pointing triangle.
    Play,
    /// Two bars.
    Pause,
    /// A triangle and a bar.
    Step,
}

/// A button with a drawn icon before its text. The accessible name is the text.
pub fn icon_button(
    ui: &mut egui::Ui,
    icon: Icon,
    text: &str,
    fill: Option<Color32>,
    enabled: bool,
) -> egui::Response {
    let id = egui::IdSalt::new(("ixsim-icon", text));
    let size = ui.text_style_height(&TextStyle::Button);
    ui.add_enabled_ui(enabled, |ui| {
        let mut button = egui::Button::new((
            egui::Atom::custom(id, egui::vec2(size * 0.8, size)),
            egui::RichText::new(text).strong(),
        ));
        if let Some(f) = fill {
            button = button.fill(f);
        }
        let r = button.atom_ui(ui);
        if let Some(rect) = r.rect(id) {
            let color = ui.style().interact(&r.response).fg_stroke.color;
            paint_icon(ui.painter(), rect, icon, color);
        }
        r.response
    })
    .inner
}

fn paint_icon(painter: &egui::Painter, rect: egui::Rect, icon: Icon, color: Color32) {
    let c = rect.center();
    let h = rect.height() * 0.36;
    let triangle = |left: f32, width: f32| {
        vec![
            egui::pos2(left, c.y - h),
            egui::pos2(left + width, c.y),
            egui::pos2(left, c.y + h),
        ]
    };
    match icon {
        Icon::Play => {
            painter.add(egui::Shape::convex_polygon(
                triangle(c.x - h * 0.7, h * 1.6),
                color,
                Stroke::NONE,
            ));
        }
        Icon::Pause => {
            for dx in [-h * 0.55, h * 0.55] {
                painter.rect_filled(
                    egui::Rect::from_center_size(
                        egui::pos2(c.x + dx, c.y),
                        egui::vec2(h * 0.5, h * 2.0),
                    ),
                    1.0,
                    color,
                );
            }
        }
        Icon::Step => {
            painter.add(egui::Shape::convex_polygon(
                triangle(c.x - h * 0.9, h * 1.3),
                color,
                Stroke::NONE,
            ));
            painter.rect_filled(
                egui::Rect::from_center_size(
                    egui::pos2(c.x + h * 0.65, c.y),
                    egui::vec2(h * 0.38, h * 2.0),
                ),
                0.5,
                color,
            );
        }
    }
}

/// A colour ramp for values in `[0, 1]`: low = warm, high = cool.
pub fn ramp(t: f32, dark: bool) -> Color32 {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let stops: [[f32; 3]; 5] = if dark {
        [
            [214.0, 60.0, 70.0],
            [236.0, 140.0, 70.0],
            [226.0, 210.0, 120.0],
            [90.0, 190.0, 170.0],
            [70.0, 130.0, 235.0],
        ]
    } else {
        [
            [200.0, 40.0, 50.0],
            [235.0, 130.0, 50.0],
            [230.0, 205.0, 90.0],
            [40.0, 160.0, 140.0],
            [30.0, 90.0, 200.0],
        ]
    };
    let x = t * (stops.len() - 1) as f32;
    let i = (x.floor() as usize).min(stops.len() - 2);
    let f = x - i as f32;
    let c = |k: usize| stops[i][k] + (stops[i + 1][k] - stops[i][k]) * f;
    Color32::from_rgb(c(0) as u8, c(1) as u8, c(2) as u8)
}

/// The chosen one among many (the loaded design on a sweep line, the
/// selected heatmap cell): amber, visible on light, dark and on every ramp.
pub const HIGHLIGHT: Color32 = Color32::from_rgb(255, 185, 0);

// ---- the world views' colours, readable on light and dark backgrounds

/// Hidden truth (true rates, latent satisfaction).
pub fn truth(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(110, 200, 120)
    } else {
        Color32::from_rgb(30, 140, 60)
    }
}

/// The model's estimate.
pub fn estimate(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(120, 170, 255)
    } else {
        Color32::from_rgb(40, 90, 200)
    }
}

/// What the organization does or observes (patrols, engagement).
pub fn action(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(255, 165, 70)
    } else {
        Color32::from_rgb(215, 110, 0)
    }
}

/// Group 1 in the lending world.
pub fn group_1(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(190, 140, 255)
    } else {
        Color32::from_rgb(120, 60, 190)
    }
}

/// Group 2 in the lending world.
pub fn group_2(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(90, 210, 210)
    } else {
        Color32::from_rgb(0, 130, 140)
    }
}

/// The start of the run, drawn behind the present.
pub fn start(dark: bool) -> Color32 {
    if dark {
        Color32::from_gray(130)
    } else {
        Color32::from_gray(160)
    }
}

/// Too much (over-policed, below the churn line).
pub fn over(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(235, 80, 80)
    } else {
        Color32::from_rgb(200, 30, 30)
    }
}

/// Too little (under-policed).
pub fn under(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(80, 140, 235)
    } else {
        Color32::from_rgb(30, 90, 200)
    }
}

/// A tile with nothing to report.
pub fn tile(dark: bool) -> Color32 {
    if dark {
        Color32::from_gray(70)
    } else {
        Color32::from_gray(225)
    }
}

/// Mixes `a` toward `b` by `t` in [0, 1].
pub fn mix(a: Color32, b: Color32, t: f32) -> Color32 {
    let t = t.clamp(0.0, 1.0);
    let ch = |x: u8, y: u8| (f32::from(x) + (f32::from(y) - f32::from(x)) * t).round() as u8;
    Color32::from_rgb(ch(a.r(), b.r()), ch(a.g(), b.g()), ch(a.b(), b.b()))
}

/// Black or white, whichever reads better on `fill`.
pub fn text_on(fill: Color32) -> Color32 {
    let l = 0.299 * f32::from(fill.r()) + 0.587 * f32::from(fill.g()) + 0.114 * f32::from(fill.b());
    if l > 150.0 {
        Color32::from_gray(20)
    } else {
        Color32::from_gray(245)
    }
}

/// Colours of a sign-agreement map: both positive, only the first, only
/// the second, neither.
pub const SIGN_COLORS: [Color32; 4] = [
    Color32::from_rgb(44, 123, 182),
    Color32::from_rgb(253, 174, 97),
    Color32::from_rgb(215, 48, 39),
    Color32::from_rgb(190, 190, 190),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// Distance between two colours in RGB.
    fn distance(a: Color32, b: Color32) -> f32 {
        let d = |x: u8, y: u8| f32::from(x) - f32::from(y);
        (d(a.r(), b.r()).powi(2) + d(a.g(), b.g()).powi(2) + d(a.b(), b.b()).powi(2)).sqrt()
    }

    /// WCAG relative luminance.
    fn luminance(c: Color32) -> f32 {
        let lin = |v: u8| {
            let v = f32::from(v) / 255.0;
            if v <= 0.04045 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(c.r()) + 0.7152 * lin(c.g()) + 0.0722 * lin(c.b())
    }

    fn contrast(a: Color32, b: Color32) -> f32 {
        let (x, y) = (luminance(a), luminance(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    #[test]
    fn a_plots_series_are_distinct_pairs_and_readable_in_both_themes() {
        for dark in [true, false] {
            for layer in Layer::MEASURES {
                let colours: Vec<Color32> = (0..5).map(|k| series_color(layer, k, dark)).collect();
                for (i, a) in colours.iter().enumerate() {
                    assert!(
                        contrast(*a, card_bg(dark)) >= 2.0,
                        "{layer:?} series {i} ({a:?}) too faint, dark={dark}"
                    );
                    for (j, b) in colours.iter().enumerate().skip(i + 1) {
                        assert!(
                            distance(*a, *b) >= 90.0,
                            "{layer:?} series {i} and {j} look alike, dark={dark}"
                        );
                    }
                }
            }
            assert!(distance(good(dark), bad(dark)) >= 90.0);
        }
        // Neighbouring series differ in dash pattern as well as colour.
        for k in 0..6 {
            assert_ne!(series_dash(k), series_dash(k + 1));
        }
    }
}
