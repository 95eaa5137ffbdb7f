//! The people tab: the user population at a glance.
//!
//! A grid of users (an even sample of up to [`SAMPLE`] people), one square
//! each, coloured by trust (compliance), reliance, fatigue or sentiment and
//! split by group, users who switched the feature off drawn hollow, next to
//! histograms of the four over the whole population. Hover a square for
//! that person's state.

use eframe::egui::{self, FontId, Rect, RichText, Stroke};

use super::{Command, PeopleColour, State, ViewCommand, theme};
use crate::sim::AnyWorld;
use crate::sim::users::Population;

/// Most users drawn in the grid.
pub const SAMPLE: usize = 2500;

/// Fatigue at which the colour scale saturates (recent interruptions).
const FATIGUE_FULL: f32 = 5.0;

/// Number of users alive in the world (0 for worlds without people).
pub fn active_users(s: &State) -> usize {
    match s.sim.world() {
        AnyWorld::Users(w) => w.population().len(),
        _ => 0,
    }
}

/// The value that colours a user, mapped to `[0, 1]` (1 = good).
fn shade(p: &Population, i: usize, by: PeopleColour) -> f32 {
    match by {
        PeopleColour::Trust => p.trust[i],
        PeopleColour::Reliance => p.reliance[i],
        PeopleColour::Fatigue => 1.0 - (p.fatigue[i] / FATIGUE_FULL).clamp(0.0, 1.0),
        PeopleColour::Sentiment => (p.sentiment[i] + 1.0) / 2.0,
    }
}

/// An even sample of user indices, split by group, each in id order.
pub fn sample(p: &Population, max: usize) -> [Vec<usize>; 2] {
    let n = p.len();
    let take = n.min(max);
    let mut groups: [Vec<usize>; 2] = [Vec::new(), Vec::new()];
    for k in 0..take {
        let i = k * n / take;
        groups[usize::from(p.group[i].min(1))].push(i);
    }
    for g in &mut groups {
        g.sort_by_key(|&i| p.id[i]);
    }
    groups
}

/// Counts and sums over the whole population, gathered in one pass.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Stats {
    /// Users per group.
    pub count: [usize; 2],
    /// Sums of trust, fatigue, sentiment and reliance per group.
    pub sum: [[f32; 4]; 2],
    /// Users per group who switched the feature off.
    pub switched_off: [usize; 2],
    /// Highest fatigue.
    pub max_fatigue: f32,
}

impl Stats {
    /// One pass over the population.
    pub fn of(p: &Population) -> Self {
        let mut st = Stats::default();
        for i in 0..p.len() {
            let g = usize::from(p.group[i].min(1));
            st.count[g] += 1;
            st.sum[g][0] += p.trust[i];
            st.sum[g][1] += p.fatigue[i];
            st.sum[g][2] += p.sentiment[i];
            st.sum[g][3] += p.reliance[i];
            st.switched_off[g] += usize::from(p.switched_off[i] != 0);
            st.max_fatigue = st.max_fatigue.max(p.fatigue[i]);
        }
        st
    }

    /// Mean of a quantity in a group (`None` = everyone).
    pub fn mean(&self, by: PeopleColour, group: Option<usize>) -> f32 {
        let k = match by {
            PeopleColour::Trust => 0,
            PeopleColour::Fatigue => 1,
            PeopleColour::Sentiment => 2,
            PeopleColour::Reliance => 3,
        };
        let (sum, n) = match group {
            Some(g) => (self.sum[g][k], self.count[g]),
            None => (
                self.sum[0][k] + self.sum[1][k],
                self.count[0] + self.count[1],
            ),
        };
        if n > 0 { sum / n as f32 } else { 0.0 }
    }
}

/// The people tab.
pub fn ui(ui: &mut egui::Ui, s: &State, out: &mut Vec<Command>) {
    let dark = s.prefs.theme.is_dark();
    let AnyWorld::Users(world) = s.sim.world() else {
        ui.label("This world has no individual users to show.");
        return;
    };
    let p = world.population();
    // The colour buttons follow the heading, on its line when they fit.
    ui.horizontal_wrapped(|ui| {
        ui.label(
            RichText::new(format!(
                "{} active users",
                crate::format::count(p.len() as f64)
            ))
            .size(16.0)
            .strong()
            .color(theme::ink(dark)),
        );
        if p.len() > SAMPLE {
            ui.label(
                RichText::new(format!("(grid shows an even sample of {SAMPLE})"))
                    .small()
                    .color(theme::muted(dark)),
            );
        }
        ui.add_space(12.0);
        ui.label(RichText::new("Colour by").color(theme::muted(dark)));
        for by in [
            PeopleColour::Trust,
            PeopleColour::Reliance,
            PeopleColour::Fatigue,
            PeopleColour::Sentiment,
        ] {
            if ui
                .selectable_label(s.people_colour == by, by.label())
                .on_hover_text(format!("Colour the grid by {}", by.label().to_lowercase()))
                .clicked()
            {
                out.push(Command::View(ViewCommand::SetPeopleColour(by)));
            }
        }
    });
    ui.add_space(4.0);
    if p.is_empty() {
        ui.add_space(30.0);
        ui.label(
            RichText::new("Everyone has left.")
                .size(16.0)
                .color(theme::muted(dark)),
        );
        return;
    }
    let stats = Stats::of(p);
    let avail = ui.available_rect_before_wrap();
    let grid_w = (avail.width() * 0.58).max(240.0);
    ui.horizontal_top(|ui| {
        theme::card(dark).show(ui, |ui| {
            ui.set_width(grid_w - 22.0);
            ui.set_height(avail.height() - 18.0);
            ui.vertical(|ui| grid(ui, s, p, &stats, dark));
        });
        theme::card(dark).show(ui, |ui| {
            ui.set_width(ui.available_width() - 22.0);
            ui.set_height(avail.height() - 18.0);
            ui.vertical(|ui| histograms(ui, s, p, &stats, dark));
        });
    });
}

fn grid(ui: &mut egui::Ui, s: &State, p: &Population, stats: &Stats, dark: bool) {
    let groups = sample(p, SAMPLE);
    let rect = ui.available_rect_before_wrap();
    let legend_h = 34.0;
    let head_h = 22.0;
    let shown: Vec<usize> = (0..2).filter(|&g| !groups[g].is_empty()).collect();
    let body_h = rect.height() - legend_h - head_h * shown.len() as f32 - 8.0;
    let total: usize = groups.iter().map(Vec::len).sum();
    // Cell size so every sampled user fits.
    let mut cell = ((rect.width() * body_h.max(40.0)) / total.max(1) as f32)
        .sqrt()
        .floor();
    loop {
        let cols = (rect.width() / cell).floor().max(1.0) as usize;
        let rows: usize = shown.iter().map(|&g| groups[g].len().div_ceil(cols)).sum();
        if rows as f32 * cell <= body_h || cell <= 3.0 {
            break;
        }
        cell -= 1.0;
    }
    let cell = cell.clamp(3.0, 28.0);
    let cols = (rect.width() / cell).floor().max(1.0) as usize;
    let painter = ui.painter_at(rect);
    let pointer = ui.ctx().pointer_hover_pos().filter(|q| rect.contains(*q));
    let mut hovered: Option<usize> = None;
    let mut y = rect.top();
    for &g in &shown {
        let members = &groups[g];
        let n_total = stats.count[g];
        let mean = stats.mean(s.people_colour, Some(g));
        painter.rect_filled(
            Rect::from_min_size(egui::pos2(rect.left(), y + 5.0), egui::vec2(10.0, 10.0)),
            2.0,
            theme::group_color(g as u8, dark),
        );
        painter.text(
            egui::pos2(rect.left() + 16.0, y + 10.0),
            egui::Align2::LEFT_CENTER,
            format!(
                "Group {} · {} users · mean {} {}{}",
                if g == 0 { "A" } else { "B" },
                crate::format::count(n_total as f64),
                s.people_colour.label().to_lowercase(),
                s.people_colour.text(mean),
                match stats.switched_off[g] {
                    0 => String::new(),
                    off => format!(" · {} switched off", crate::format::count(off as f64)),
                }
            ),
            FontId::proportional(12.5),
            theme::ink(dark),
        );
        y += head_h;
        let gap = if cell >= 6.0 { 1.0 } else { 0.0 };
        for (k, &i) in members.iter().enumerate() {
            let (r, c) = (k / cols, k % cols);
            let cell_rect = Rect::from_min_size(
                egui::pos2(rect.left() + c as f32 * cell, y + r as f32 * cell),
                egui::vec2(cell - gap, cell - gap),
            );
            let colour = theme::ramp(shade(p, i, s.people_colour), dark);
            let rounding = if cell >= 8.0 { 2.0 } else { 0.0 };
            if p.switched_off[i] != 0 {
                // Switched the feature off: hollow.
                painter.rect_stroke(
                    cell_rect.shrink(0.5),
                    rounding,
                    Stroke::new((cell / 5.0).clamp(1.0, 2.0), colour),
                    egui::StrokeKind::Inside,
                );
            } else {
                painter.rect_filled(cell_rect, rounding, colour);
            }
            if pointer.is_some_and(|q| cell_rect.contains(q)) {
                hovered = Some(i);
                painter.rect_stroke(
                    cell_rect.expand(1.0),
                    2.0,
                    Stroke::new(1.5, theme::ink(dark)),
                    egui::StrokeKind::Outside,
                );
            }
        }
        y += members.len().div_ceil(cols) as f32 * cell + 8.0;
    }
    // Colour legend.
    let legend = Rect::from_min_size(
        egui::pos2(rect.left(), rect.bottom() - legend_h + 6.0),
        egui::vec2(rect.width().min(320.0), 10.0),
    );
    let steps = 48;
    for k in 0..steps {
        let t = k as f32 / (steps - 1) as f32;
        let w = legend.width() / steps as f32;
        painter.rect_filled(
            Rect::from_min_size(
                egui::pos2(legend.left() + k as f32 * w, legend.top()),
                egui::vec2(w + 0.5, legend.height()),
            ),
            0.0,
            theme::ramp(t, dark),
        );
    }
    let (lo, hi) = match s.people_colour {
        PeopleColour::Trust => ("no trust", "full trust"),
        PeopleColour::Reliance => ("checks for themselves", "relies on silence"),
        PeopleColour::Fatigue => ("fatigued (5+ recent interruptions)", "rested"),
        PeopleColour::Sentiment => ("unhappy", "happy"),
    };
    let font = FontId::proportional(11.0);
    if stats.switched_off.iter().sum::<usize>() > 0 {
        let at = egui::pos2(legend.right() + 14.0, legend.top());
        painter.rect_stroke(
            Rect::from_min_size(at, egui::vec2(10.0, 10.0)),
            2.0,
            Stroke::new(1.5, theme::muted(dark)),
            egui::StrokeKind::Inside,
        );
        painter.text(
            egui::pos2(at.x + 14.0, at.y + 5.0),
            egui::Align2::LEFT_CENTER,
            "switched the feature off",
            font.clone(),
            theme::muted(dark),
        );
    }
    painter.text(
        egui::pos2(legend.left(), legend.bottom() + 3.0),
        egui::Align2::LEFT_TOP,
        lo,
        font.clone(),
        theme::muted(dark),
    );
    painter.text(
        egui::pos2(legend.right(), legend.bottom() + 3.0),
        egui::Align2::RIGHT_TOP,
        hi,
        font,
        theme::muted(dark),
    );
    ui.allocate_rect(rect, egui::Sense::hover());
    if let Some(i) = hovered {
        egui::Tooltip::always_open(
            ui.ctx().clone(),
            ui.layer_id(),
            egui::Id::unique("ixsim-person"),
            egui::PopupAnchor::Pointer,
        )
        .gap(14.0)
        .show(|ui| {
            ui.label(RichText::new(format!("User #{}", p.id[i])).strong());
            ui.label(format!("Group {}", if p.group[i] == 0 { "A" } else { "B" }));
            ui.label(format!("Trust {}", PeopleColour::Trust.text(p.trust[i])));
            ui.label(format!(
                "Reliance {}",
                PeopleColour::Reliance.text(p.reliance[i])
            ));
            if p.switched_off[i] != 0 {
                ui.label("Has switched the feature off");
            }
            ui.label(format!(
                "Fatigue {} (recent)",
                PeopleColour::Fatigue.text(p.fatigue[i])
            ));
            ui.label(format!(
                "Sentiment {}",
                PeopleColour::Sentiment.text(p.sentiment[i])
            ));
            ui.label(format!(
                "Own skill ×{}",
                crate::format::number(f64::from(p.skill[i]))
            ));
        });
    }
}

/// Counts of a quantity in `bins` equal bins over `[lo, hi]`, per group.
pub fn histogram(p: &Population, by: PeopleColour, lo: f32, hi: f32, bins: usize) -> Vec<[u32; 2]> {
    let mut counts = vec![[0u32; 2]; bins.max(1)];
    let span = (hi - lo).max(1e-6);
    let last = (counts.len() - 1) as f32;
    let scale = counts.len() as f32 / span;
    let values = match by {
        PeopleColour::Trust => &p.trust,
        PeopleColour::Reliance => &p.reliance,
        PeopleColour::Fatigue => &p.fatigue,
        PeopleColour::Sentiment => &p.sentiment,
    };
    for (v, g) in values.iter().zip(&p.group) {
        if v.is_finite() {
            let b = ((v - lo) * scale).floor().clamp(0.0, last) as usize;
            counts[b][usize::from((*g).min(1))] += 1;
        }
    }
    counts
}

fn histograms(ui: &mut egui::Ui, s: &State, p: &Population, stats: &Stats, dark: bool) {
    let max_fatigue = stats.max_fatigue.max(FATIGUE_FULL);
    let specs = [
        (PeopleColour::Trust, 0.0, 1.0, "0", "1"),
        (PeopleColour::Reliance, 0.0, 1.0, "0", "1"),
        (PeopleColour::Fatigue, 0.0, max_fatigue, "0", ""),
        (PeopleColour::Sentiment, -1.0, 1.0, "−1", "+1"),
    ];
    let avail = ui.available_height();
    let each = ((avail - 84.0) / specs.len() as f32).max(40.0);
    for (by, lo, hi, lo_text, hi_text) in specs {
        let mean = stats.mean(by, None);
        ui.horizontal(|ui| {
            ui.label(RichText::new(by.label()).strong().color(theme::ink(dark)));
            ui.label(
                RichText::new(format!("mean {}", by.text(mean)))
                    .small()
                    .color(theme::muted(dark)),
            );
            if by == s.people_colour {
                ui.label(
                    RichText::new("● colours the grid")
                        .small()
                        .color(theme::accent(dark)),
                );
            }
        });
        let (rect, resp) = ui.allocate_exact_size(
            egui::vec2(ui.available_width(), each - 24.0),
            egui::Sense::hover(),
        );
        let painter = ui.painter_at(rect.expand(2.0));
        let bins = histogram(p, by, lo, hi, 24);
        let top = bins.iter().map(|b| b[0] + b[1]).max().unwrap_or(1).max(1) as f32;
        let plot = Rect::from_min_max(rect.min, egui::pos2(rect.right(), rect.bottom() - 14.0));
        let w = plot.width() / bins.len() as f32;
        painter.line_segment(
            [plot.left_bottom(), plot.right_bottom()],
            Stroke::new(1.0, theme::card_stroke(dark).color),
        );
        for (k, b) in bins.iter().enumerate() {
            let x = plot.left() + k as f32 * w;
            let mut y = plot.bottom();
            for (g, count) in b.iter().enumerate() {
                let h = *count as f32 / top * plot.height();
                if h > 0.0 {
                    painter.rect_filled(
                        Rect::from_min_max(egui::pos2(x + 1.0, y - h), egui::pos2(x + w - 1.0, y)),
                        0.0,
                        theme::group_color(g as u8, dark).gamma_multiply(0.85),
                    );
                    y -= h;
                }
            }
        }
        let mean_x = plot.left() + (mean - lo) / (hi - lo).max(1e-6) * plot.width();
        painter.line_segment(
            [
                egui::pos2(mean_x, plot.top()),
                egui::pos2(mean_x, plot.bottom()),
            ],
            Stroke::new(1.5, theme::ink(dark)),
        );
        let font = FontId::proportional(11.0);
        painter.text(
            egui::pos2(plot.left(), plot.bottom() + 2.0),
            egui::Align2::LEFT_TOP,
            lo_text,
            font.clone(),
            theme::muted(dark),
        );
        let hi_label = if hi_text.is_empty() {
            crate::format::short(f64::from(hi))
        } else {
            hi_text.to_string()
        };
        painter.text(
            egui::pos2(plot.right(), plot.bottom() + 2.0),
            egui::Align2::RIGHT_TOP,
            hi_label,
            font,
            theme::muted(dark),
        );
        if let Some(q) = resp.hover_pos() {
            let k = (((q.x - plot.left()) / w).floor().max(0.0) as usize).min(bins.len() - 1);
            let b0 = lo + (hi - lo) * k as f32 / bins.len() as f32;
            let b1 = lo + (hi - lo) * (k + 1) as f32 / bins.len() as f32;
            resp.on_hover_text(format!(
                "{} {} to {}\ngroup A: {}\ngroup B: {}",
                by.label(),
                by.text(b0),
                by.text(b1),
                crate::format::count(f64::from(bins[k][0])),
                crate::format::count(f64::from(bins[k][1]))
            ));
        }
        ui.add_space(6.0);
    }
    ui.horizontal(|ui| {
        for g in 0..2u8 {
            let (r, _) = ui.allocate_exact_size(egui::vec2(10.0, 10.0), egui::Sense::hover());
            ui.painter()
                .rect_filled(r, 2.0, theme::group_color(g, dark));
            ui.label(
                RichText::new(if g == 0 { "group A" } else { "group B" })
                    .small()
                    .color(theme::muted(dark)),
            );
        }
        ui.label(
            RichText::new("│ line = mean")
                .small()
                .color(theme::muted(dark)),
        );
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn population() -> Population {
        Population {
            id: vec![0, 1, 2, 3],
            group: vec![0, 0, 1, 1],
            skill: vec![1.0; 4],
            trust: vec![0.0, 0.5, 1.0, 0.95],
            reliance: vec![0.2, 0.4, 0.6, 0.8],
            switched_off: vec![0, 1, 0, 0],
            fatigue: vec![0.0, 1.0, 2.0, 9.0],
            sentiment: vec![-1.0, 0.0, 0.5, 1.0],
        }
    }

    #[test]
    fn stats_and_histograms_count_every_user_once() {
        let p = population();
        let st = Stats::of(&p);
        assert_eq!(st.count, [2, 2]);
        assert_eq!(st.max_fatigue, 9.0);
        assert!((st.mean(PeopleColour::Trust, Some(1)) - 0.975).abs() < 1e-6);
        assert!((st.mean(PeopleColour::Reliance, None) - 0.5).abs() < 1e-6);
        assert_eq!(st.switched_off, [1, 0]);
        assert!((st.mean(PeopleColour::Sentiment, None) - 0.125).abs() < 1e-6);
        let h = histogram(&p, PeopleColour::Trust, 0.0, 1.0, 4);
        assert_eq!(h, vec![[1, 0], [0, 0], [1, 0], [0, 2]]);
        let total: u32 = histogram(&p, PeopleColour::Fatigue, 0.0, 5.0, 5)
            .iter()
            .map(|b| b[0] + b[1])
            .sum();
        assert_eq!(total, 4, "values past the range land in the last bin");
    }

    #[test]
    fn the_sample_is_even_and_split_by_group() {
        let p = population();
        let [a, b] = sample(&p, 2);
        assert_eq!(a.len() + b.len(), 2);
        let [a, b] = sample(&p, 10);
        assert_eq!((a, b), (vec![0, 1], vec![2, 3]));
    }
}
