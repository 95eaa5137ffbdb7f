//! Heatmaps of sweep results: the colour scale, the grid of per-point
//! statistics, a painted interactive heatmap with its legend, and the same
//! picture as a PNG.
//!
//! Owns: the mapping from values to colours, used identically on screen and
//! in exported pictures. Values spanning zero get a diverging scale centred
//! on zero (red below, blue above), so the sign of a measure — does the
//! system add value? — reads at a glance; others get a sequential scale.

use eframe::egui;
use egui::{Color32, Pos2, Rect, Sense, Stroke, Vec2};

use crate::sweep::{SweepRow, SweepSpec};

use super::measures::Statistic;
use crate::format;
use crate::runner::quantile;
use crate::sim::Unit;
use crate::ui::theme;

/// Maps values to colours.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ColorScale {
    /// Value at the low end.
    pub lo: f64,
    /// Value at the high end.
    pub hi: f64,
    /// Diverging around zero (then `lo = −hi`) rather than sequential.
    pub diverging: bool,
}

/// A red-white-blue ramp (after ColorBrewer's RdBu).
const DIVERGING: [[u8; 3]; 5] = [
    [178, 24, 43],
    [239, 138, 98],
    [247, 247, 247],
    [103, 169, 207],
    [33, 102, 172],
];

/// A dark-blue-to-yellow ramp (after matplotlib's viridis).
const SEQUENTIAL: [[u8; 3]; 5] = [
    [68, 1, 84],
    [59, 82, 139],
    [33, 145, 140],
    [94, 201, 98],
    [253, 231, 37],
];

/// Colour of cells without a value.
const MISSING: [u8; 3] = [128, 128, 128];

impl ColorScale {
    /// The scale that fits these values: diverging and symmetric when they
    /// span zero, sequential from their minimum to maximum otherwise.
    /// Non-finite values are ignored.
    pub fn fit(values: impl IntoIterator<Item = f64>) -> Self {
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        for v in values.into_iter().filter(|v| v.is_finite()) {
            lo = lo.min(v);
            hi = hi.max(v);
        }
        if lo > hi {
            return Self {
                lo: 0.0,
                hi: 1.0,
                diverging: false,
            };
        }
        if lo < 0.0 && hi > 0.0 {
            let m = lo.abs().max(hi);
            return Self {
                lo: -m,
                hi: m,
                diverging: true,
            };
        }
        if lo == hi {
            let pad = if lo == 0.0 { 1.0 } else { lo.abs() * 0.01 };
            return Self {
                lo: lo - pad,
                hi: hi + pad,
                diverging: false,
            };
        }
        Self {
            lo,
            hi,
            diverging: false,
        }
    }

    /// Position of a value on the scale, 0–1 (NaN for a missing value).
    pub fn position(&self, v: f64) -> f64 {
        if !v.is_finite() {
            return f64::NAN;
        }
        ((v - self.lo) / (self.hi - self.lo)).clamp(0.0, 1.0)
    }

    /// The colour of a value as RGB bytes.
    pub fn rgb(&self, v: f64) -> [u8; 3] {
        let t = self.position(v);
        if t.is_nan() {
            return MISSING;
        }
        let ramp = if self.diverging {
            &DIVERGING
        } else {
            &SEQUENTIAL
        };
        let x = t * (ramp.len() - 1) as f64;
        let i = (x.floor() as usize).min(ramp.len() - 2);
        let f = x - i as f64;
        let mix = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * f).round() as u8;
        let (a, b) = (ramp[i], ramp[i + 1]);
        [mix(a[0], b[0]), mix(a[1], b[1]), mix(a[2], b[2])]
    }

    /// The colour of a value for painting.
    pub fn color(&self, v: f64) -> Color32 {
        let [r, g, b] = self.rgb(v);
        Color32::from_rgb(r, g, b)
    }
}

/// Statistics of one grid point over its replications.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CellStats {
    /// Mean over replications.
    pub mean: f64,
    /// 10th percentile over replications.
    pub p10: f64,
    /// 90th percentile over replications.
    pub p90: f64,
    /// Replications seen.
    pub n: usize,
}

/// One measure over a sweep's grid: `rows` values of the first axis by
/// `cols` values of the second (one row for a one-parameter sweep). Cell
/// `(row, col)` is grid point `row * cols + col`.
#[derive(Clone, Debug, PartialEq)]
pub struct GridValues {
    /// Values of the first axis (one row for a single axis).
    pub rows: usize,
    /// Values of the last axis.
    pub cols: usize,
    /// One entry per grid point.
    pub cells: Vec<CellStats>,
}

impl GridValues {
    /// Reduces sweep rows to per-point statistics of one metric.
    pub fn from_rows(spec: &SweepSpec, rows: &[SweepRow], metric: usize, stat: Statistic) -> Self {
        let (nrows, ncols) = match spec.axes.as_slice() {
            [a] => (1, a.values.len()),
            [a, b] => (a.values.len(), b.values.len()),
            _ => (1, spec.points()),
        };
        let points = nrows * ncols;
        let mut values: Vec<Vec<f64>> = vec![Vec::new(); points];
        for r in rows {
            if let Some(v) = values.get_mut(r.point) {
                v.push(stat.of_row(r, metric));
            }
        }
        let cells = values
            .into_iter()
            .map(|mut v| {
                let n = v.len();
                v.retain(|x| x.is_finite());
                if v.is_empty() {
                    let nan = f64::NAN;
                    return CellStats {
                        mean: nan,
                        p10: nan,
                        p90: nan,
                        n,
                    };
                }
                // Mean in run order, then the percentiles of the sorted values.
                let mean = v.iter().sum::<f64>() / v.len() as f64;
                v.sort_by(f64::total_cmp);
                let (p10, p90) = (quantile(&v, 0.1), quantile(&v, 0.9));
                CellStats { mean, p10, p90, n }
            })
            .collect();
        Self {
            rows: nrows,
            cols: ncols,
            cells,
        }
    }

    /// Means of every cell, grid-point order.
    pub fn means(&self) -> impl Iterator<Item = f64> + '_ {
        self.cells.iter().map(|c| c.mean)
    }
}

/// Renders a grid as a picture: `cell_px` square cells (first axis upward,
/// last axis to the right), and below them a strip with the colour scale
/// from its low end (left) to its high end (right), with a black tick at
/// zero on a diverging scale.
pub fn heatmap_image(grid: &GridValues, scale: &ColorScale, cell_px: u32) -> image::RgbImage {
    let cell = cell_px.max(1);
    let width = (grid.cols as u32 * cell).max(64);
    let map_height = grid.rows as u32 * cell;
    let gap = 6;
    let strip = 14;
    let height = map_height + gap + strip;
    let mut img = image::RgbImage::from_pixel(width, height, image::Rgb([255, 255, 255]));
    let cell_w = width as f64 / grid.cols.max(1) as f64;
    for y in 0..map_height {
        let row = grid.rows - 1 - (y / cell) as usize;
        for x in 0..width {
            let col = ((f64::from(x) / cell_w) as usize).min(grid.cols.saturating_sub(1));
            let v = grid
                .cells
                .get(row * grid.cols + col)
                .map_or(f64::NAN, |c| c.mean);
            img.put_pixel(x, y, image::Rgb(scale.rgb(v)));
        }
    }
    for x in 0..width {
        let t = (f64::from(x) + 0.5) / f64::from(width);
        let v = scale.lo + (scale.hi - scale.lo) * t;
        for y in map_height + gap..height {
            img.put_pixel(x, y, image::Rgb(scale.rgb(v)));
        }
    }
    if scale.diverging {
        let x0 = ((f64::from(width) * scale.position(0.0)) as u32).min(width - 1);
        for y in map_height + gap - 3..height {
            img.put_pixel(x0, y, image::Rgb([0, 0, 0]));
        }
    }
    img
}

/// What to draw in a painted heatmap.
pub(crate) struct HeatmapPaint<'a> {
    /// Values and statistics.
    pub grid: &'a GridValues,
    /// Cell colours, grid-point order.
    pub colors: &'a [Color32],
    /// Label of each column (last axis value).
    pub col_labels: Vec<String>,
    /// Label of each row (first axis value); empty for one axis.
    pub row_labels: Vec<String>,
    /// Title under the columns.
    pub col_title: String,
    /// Title of the rows.
    pub row_title: String,
    /// Sign boundaries to draw: for each, which cells are positive (None
    /// where the value is missing) and the line's colour. A line runs
    /// between neighbouring cells of opposite sign: the measure's zero
    /// contour.
    pub contours: &'a [(Vec<Option<bool>>, Color32)],
    /// The cell to outline (the design last loaded).
    pub selected: Option<usize>,
    /// Name for assistive technology.
    pub name: String,
}

/// What happened to a painted heatmap.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct HeatmapResponse {
    /// The grid point clicked this frame.
    pub clicked: Option<usize>,
}

/// Paints a heatmap with axis labels into the available width; `tooltip`
/// fills the hover text of a grid point.
pub(crate) fn paint_heatmap(
    ui: &mut egui::Ui,
    input: &HeatmapPaint<'_>,
    max_height: f32,
    tooltip: impl FnOnce(&mut egui::Ui, usize),
) -> HeatmapResponse {
    let grid = input.grid;
    if grid.cells.is_empty() || grid.rows * grid.cols != grid.cells.len() {
        ui.label("No values to show.");
        return HeatmapResponse::default();
    }
    let font = egui::TextStyle::Small.resolve(ui.style());
    let text_color = ui.visuals().text_color();
    let left = if input.row_labels.is_empty() {
        8.0
    } else {
        64.0
    };
    let bottom = 34.0;
    let top = if input.row_title.is_empty() {
        4.0
    } else {
        18.0
    };
    let width = ui.available_width().max(120.0);
    let cells_w = (width - left - 8.0).max(40.0);
    let cell_h = (cells_w / grid.cols.max(1) as f32).clamp(10.0, 48.0);
    let cells_h = (cell_h * grid.rows as f32)
        .min(max_height - bottom - top)
        .max(12.0);
    let (rect, response) =
        ui.allocate_exact_size(Vec2::new(width, top + cells_h + bottom), Sense::click());
    let name = input.name.clone();
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Canvas, true, &name));
    let area = Rect::from_min_size(
        Pos2::new(rect.left() + left, rect.top() + top),
        Vec2::new(cells_w, cells_h),
    );
    let cw = area.width() / grid.cols.max(1) as f32;
    let ch = area.height() / grid.rows.max(1) as f32;
    let cell_rect = |p: usize| {
        let (row, col) = (p / grid.cols.max(1), p % grid.cols.max(1));
        let y = area.bottom() - (row + 1) as f32 * ch;
        Rect::from_min_size(
            Pos2::new(area.left() + col as f32 * cw, y),
            Vec2::new(cw, ch),
        )
    };
    let painter = ui.painter_at(rect);
    for (p, color) in input.colors.iter().enumerate().take(grid.cells.len()) {
        // Overlap neighbours by half a pixel so no seam shows between cells.
        painter.rect_filled(cell_rect(p).expand(0.5).intersect(area), 0.0, *color);
    }
    for (positive, color) in input.contours {
        let stroke = Stroke::new(2.5, *color);
        let at = |p: usize| positive.get(p).copied().flatten();
        for p in 0..grid.cells.len() {
            let (row, col) = (p / grid.cols, p % grid.cols);
            let r = cell_rect(p);
            // Right and upper neighbours.
            if col + 1 < grid.cols
                && let (Some(a), Some(b)) = (at(p), at(p + 1))
                && a != b
            {
                painter.line_segment([r.right_top(), r.right_bottom()], stroke);
            }
            if row + 1 < grid.rows
                && let (Some(a), Some(b)) = (at(p), at(p + grid.cols))
                && a != b
            {
                painter.line_segment([r.left_top(), r.right_top()], stroke);
            }
        }
    }
    if let Some(p) = input.selected.filter(|p| *p < grid.cells.len()) {
        painter.rect_stroke(
            cell_rect(p).shrink(1.0),
            0.0,
            Stroke::new(2.5, theme::HIGHLIGHT),
            egui::StrokeKind::Inside,
        );
    }
    // Axis labels, thinned so they do not overlap.
    let every =
        |n: usize, size: f32, min: f32| ((min / size.max(1.0)).ceil() as usize).clamp(1, n.max(1));
    let step = every(grid.cols, cw, 56.0);
    for (c, label) in input.col_labels.iter().enumerate().step_by(step) {
        painter.text(
            Pos2::new(area.left() + (c as f32 + 0.5) * cw, area.bottom() + 2.0),
            egui::Align2::CENTER_TOP,
            label,
            font.clone(),
            text_color,
        );
    }
    painter.text(
        Pos2::new(area.center().x, rect.bottom() - 2.0),
        egui::Align2::CENTER_BOTTOM,
        &input.col_title,
        font.clone(),
        text_color,
    );
    if !input.row_labels.is_empty() {
        let step = every(grid.rows, ch, 16.0);
        for (r, label) in input.row_labels.iter().enumerate().step_by(step) {
            painter.text(
                Pos2::new(area.left() - 4.0, area.bottom() - (r as f32 + 0.5) * ch),
                egui::Align2::RIGHT_CENTER,
                label,
                font.clone(),
                text_color,
            );
        }
        painter.text(
            Pos2::new(rect.left(), rect.top()),
            egui::Align2::LEFT_TOP,
            input.row_title.clone(),
            font,
            text_color,
        );
    }
    let at = |pos: Pos2| {
        area.contains(pos).then(|| {
            let col = (((pos.x - area.left()) / cw) as usize).min(grid.cols - 1);
            let row = (((area.bottom() - pos.y) / ch) as usize).min(grid.rows - 1);
            row * grid.cols + col
        })
    };
    let hovered = response.hover_pos().and_then(at);
    let clicked = if response.clicked() {
        response.interact_pointer_pos().and_then(at)
    } else {
        None
    };
    if let Some(p) = hovered {
        painter.rect_stroke(
            cell_rect(p),
            0.0,
            Stroke::new(1.5, text_color),
            egui::StrokeKind::Inside,
        );
        response.on_hover_ui_at_pointer(|ui| tooltip(ui, p));
    }
    HeatmapResponse { clicked }
}

/// Paints a colour scale legend: a gradient bar with its ends (and zero on a
/// diverging scale) labelled.
pub(crate) fn paint_legend(ui: &mut egui::Ui, scale: &ColorScale, title: &str, unit: Unit) {
    // Wrapped and no wider than the column, so two legends side by side in
    // a narrow window do not run into each other.
    ui.horizontal_wrapped(|ui| {
        ui.label(egui::RichText::new(title).small());
        let width = (ui.available_width() - 8.0).clamp(60.0, 180.0);
        let (rect, _) = ui.allocate_exact_size(Vec2::new(width, 12.0), Sense::hover());
        let painter = ui.painter_at(rect.expand(1.0));
        let n = 48;
        for i in 0..n {
            let t0 = i as f32 / n as f32;
            let v = scale.lo + (scale.hi - scale.lo) * (f64::from(t0) + 0.5 / f64::from(n));
            let r = Rect::from_min_max(
                Pos2::new(rect.left() + t0 * rect.width(), rect.top()),
                Pos2::new(
                    rect.left() + (i + 1) as f32 / n as f32 * rect.width(),
                    rect.bottom(),
                ),
            );
            painter.rect_filled(r, 0.0, scale.color(v));
        }
        if scale.diverging {
            let x = rect.left() + scale.position(0.0) as f32 * rect.width();
            painter.line_segment(
                [
                    Pos2::new(x, rect.top() - 1.0),
                    Pos2::new(x, rect.bottom() + 1.0),
                ],
                Stroke::new(1.0, ui.visuals().text_color()),
            );
        }
        let ends = if scale.diverging {
            format!(
                "{} … 0 … {}",
                format::mean_amount(scale.lo, unit),
                format::mean_amount(scale.hi, unit)
            )
        } else {
            format!(
                "{} … {}",
                format::mean_amount(scale.lo, unit),
                format::mean_amount(scale.hi, unit)
            )
        };
        ui.label(egui::RichText::new(ends).small());
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_kinds_and_ends() {
        let s = ColorScale::fit([-1.0, 3.0, f64::NAN]);
        assert!(s.diverging);
        assert_eq!((s.lo, s.hi), (-3.0, 3.0));
        assert_eq!(s.rgb(0.0), [247, 247, 247]);
        assert_eq!(s.rgb(-3.0), DIVERGING[0]);
        assert_eq!(s.rgb(99.0), DIVERGING[4]);
        assert_eq!(s.rgb(f64::NAN), MISSING);
        let s = ColorScale::fit([2.0, 4.0]);
        assert!(!s.diverging);
        assert_eq!(s.rgb(2.0), SEQUENTIAL[0]);
        assert_eq!(s.rgb(4.0), SEQUENTIAL[4]);
        let flat = ColorScale::fit([5.0, 5.0]);
        assert!(flat.lo < 5.0 && flat.hi > 5.0);
    }

    #[test]
    fn image_has_cells_and_legend() {
        let grid = GridValues {
            rows: 2,
            cols: 3,
            cells: (0..6)
                .map(|i| CellStats {
                    mean: f64::from(i) - 2.5,
                    p10: 0.0,
                    p90: 0.0,
                    n: 1,
                })
                .collect(),
        };
        let scale = ColorScale::fit(grid.means());
        let img = heatmap_image(&grid, &scale, 30);
        assert_eq!(img.width(), 90);
        assert_eq!(img.height(), 60 + 6 + 14);
        // Point 0 (row 0, col 0) is bottom left; point 5 top right.
        assert_eq!(img.get_pixel(0, 59).0, scale.rgb(-2.5));
        assert_eq!(img.get_pixel(89, 0).0, scale.rgb(2.5));
    }
}
