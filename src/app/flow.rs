//! The flow tab: the chain from errors to outcomes, drawn.
//!
//! Three pictures, all with sizes proportional to counts, for the last day
//! or the whole run:
//! 1. **The model** — situations split by truth, then by the model's verdict
//!    (true/false positives and negatives, abstentions): a Sankey diagram.
//! 2. **The experience and the people** — what the design surfaced, what the
//!    cap held back, what people noticed, followed, overrode or ignored.
//! 3. **Outcomes** — for situations that needed action and those that did
//!    not, what happened with the system and what the same people would have
//!    done alone (the counterfactual), plus value, harm and time.
//!
//! Reads the `flow.*` measures of the user world; every band is a count the
//! simulation recorded, never an estimate.

use eframe::egui::{self, Color32, FontId, Rect, RichText, Stroke, Vec2};

use super::{Command, FlowSpan, State, ViewCommand, theme};
use crate::format;
use crate::sim::registry::metric_index;
use crate::sim::users::{self, Mode};
use crate::sim::{Per, Unit, WorldKind};

/// The money tables' unit: dollars in total.
const DOLLARS: Unit = Unit::Money(Per::Total);

/// The counts behind the diagram.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Counts {
    /// Situations met.
    pub situations: f64,
    /// Of which truly needed action.
    pub positives: f64,
    /// Model verdicts.
    pub tp: f64,
    /// False positives.
    pub fp: f64,
    /// False negatives.
    pub fn_: f64,
    /// True negatives.
    pub tn: f64,
    /// Abstentions.
    pub abstained: f64,
    /// Shown to people.
    pub surfaced: f64,
    /// Held back by the per-day cap.
    pub capped: f64,
    /// Noticed.
    pub noticed: f64,
    /// Followed (or automated).
    pub followed: f64,
    /// Ignored.
    pub ignored: f64,
    /// Overridden or undone.
    pub overridden: f64,
    /// Reported as wrong.
    pub reported: f64,
    /// With the system: acted rightly.
    pub act_right: f64,
    /// Acted needlessly.
    pub act_wrong: f64,
    /// Missed.
    pub miss: f64,
    /// Rightly left alone.
    pub rest_right: f64,
    /// Alone: acted rightly.
    pub cf_act_right: f64,
    /// Alone: acted needlessly.
    pub cf_act_wrong: f64,
    /// Alone: missed.
    pub cf_miss: f64,
    /// Alone: rightly left alone.
    pub cf_rest_right: f64,
    /// Value gained, $.
    pub value: f64,
    /// Harm suffered, $.
    pub harm: f64,
    /// Minutes lost.
    pub minutes: f64,
    /// Minutes lost, valued at each day's value of a minute, $.
    pub time_cost: f64,
    /// Alone: value, $.
    pub cf_value: f64,
    /// Alone: harm, $.
    pub cf_harm: f64,
}

/// The user world's flow columns, in the order of [`Counts`]' fields,
/// resolved at compile time.
const IDS: [usize; 28] = [
    metric_index(users::METRICS, "flow.situations"),
    metric_index(users::METRICS, "flow.positives"),
    metric_index(users::METRICS, "flow.tp"),
    metric_index(users::METRICS, "flow.fp"),
    metric_index(users::METRICS, "flow.fn"),
    metric_index(users::METRICS, "flow.tn"),
    metric_index(users::METRICS, "flow.abstained"),
    metric_index(users::METRICS, "flow.surfaced"),
    metric_index(users::METRICS, "flow.capped"),
    metric_index(users::METRICS, "flow.noticed"),
    metric_index(users::METRICS, "flow.followed"),
    metric_index(users::METRICS, "flow.ignored"),
    metric_index(users::METRICS, "flow.overridden"),
    metric_index(users::METRICS, "flow.reported"),
    metric_index(users::METRICS, "flow.act_right"),
    metric_index(users::METRICS, "flow.act_wrong"),
    metric_index(users::METRICS, "flow.miss"),
    metric_index(users::METRICS, "flow.rest_right"),
    metric_index(users::METRICS, "flow.cf_act_right"),
    metric_index(users::METRICS, "flow.cf_act_wrong"),
    metric_index(users::METRICS, "flow.cf_miss"),
    metric_index(users::METRICS, "flow.cf_rest_right"),
    metric_index(users::METRICS, "flow.value"),
    metric_index(users::METRICS, "flow.harm"),
    metric_index(users::METRICS, "flow.minutes"),
    metric_index(users::METRICS, "flow.cf_value"),
    metric_index(users::METRICS, "flow.cf_harm"),
    metric_index(users::METRICS, "flow.time_cost"),
];

/// The counts of the last day or of the whole run; `None` if the world has
/// no flow measures or nothing has run yet.
pub fn counts(s: &State, span: FlowSpan) -> Option<Counts> {
    let h = s.sim.history();
    if h.days() == 0 {
        return None;
    }
    if s.sim.kind() != WorldKind::Users {
        return None;
    }
    let mut v = [0.0; IDS.len()];
    for (k, &m) in IDS.iter().enumerate() {
        v[k] = span_value(h, m, span);
    }
    Some(Counts {
        situations: v[0],
        positives: v[1],
        tp: v[2],
        fp: v[3],
        fn_: v[4],
        tn: v[5],
        abstained: v[6],
        surfaced: v[7],
        capped: v[8],
        noticed: v[9],
        followed: v[10],
        ignored: v[11],
        overridden: v[12],
        reported: v[13],
        act_right: v[14],
        act_wrong: v[15],
        miss: v[16],
        rest_right: v[17],
        cf_act_right: v[18],
        cf_act_wrong: v[19],
        cf_miss: v[20],
        cf_rest_right: v[21],
        value: v[22],
        harm: v[23],
        minutes: v[24],
        cf_value: v[25],
        cf_harm: v[26],
        time_cost: v[27],
    })
}

/// Measure `m` over `span`: the last day's value, or the sum of every day.
fn span_value(h: &crate::sim::History, m: usize, span: FlowSpan) -> f64 {
    match span {
        FlowSpan::Today => h.row(h.days())[m],
        FlowSpan::Cumulative => h.column(m).sum(),
    }
}

/// A box in a Sankey diagram.
#[derive(Clone, Debug)]
pub struct Node {
    /// Column, left to right.
    pub col: usize,
    /// Count.
    pub value: f64,
    /// Fill.
    pub color: Color32,
    /// Short name.
    pub label: String,
    /// Hover text.
    pub detail: String,
}

/// A band between two boxes.
#[derive(Clone, Copy, Debug)]
pub struct Link {
    /// Source node index.
    pub from: usize,
    /// Target node index.
    pub to: usize,
    /// Count.
    pub value: f64,
}

/// Where each node lands: heights proportional to counts (one scale for
/// every column), every non-empty node at least `min_h` tall, `gap` between
/// nodes, and, where small nodes crowd together, extra room so the centres
/// of neighbouring nodes are at least `pitch` apart: each node's label (one
/// `pitch` tall) then sits at its own bar.
pub fn layout(
    rect: Rect,
    nodes: &[Node],
    box_w: f32,
    gap: f32,
    min_h: f32,
    pitch: f32,
) -> Vec<Rect> {
    let cols = nodes.iter().map(|n| n.col).max().map_or(1, |c| c + 1);
    let mut total = 0.0f64;
    let mut max_nodes = 1usize;
    for c in 0..cols {
        let in_col: Vec<&Node> = nodes.iter().filter(|n| n.col == c).collect();
        total = total.max(in_col.iter().map(|n| n.value.max(0.0)).sum());
        max_nodes = max_nodes.max(in_col.len());
    }
    let base =
        (rect.height() - gap * (max_nodes as f32 - 1.0) - min_h * max_nodes as f32).max(10.0);
    let height = |k: f64, n: &Node| {
        if n.value > 0.0 {
            (n.value * k) as f32 + min_h
        } else {
            0.0
        }
    };
    // Room between consecutive non-empty nodes of a column: the gap, or
    // more to keep their centres `pitch` apart.
    let spacing =
        |k: f64, a: &Node, b: &Node| (pitch - (height(k, a) + height(k, b)) / 2.0).max(gap);
    let extra = |k: f64| {
        (0..cols)
            .map(|c| {
                let shown: Vec<&Node> = nodes
                    .iter()
                    .filter(|n| n.col == c && n.value > 0.0)
                    .collect();
                shown
                    .windows(2)
                    .map(|w| spacing(k, w[0], w[1]) - gap)
                    .sum::<f32>()
            })
            .fold(0.0f32, f32::max)
    };
    let scale = |usable: f32| {
        if total > 0.0 {
            f64::from(usable) / total
        } else {
            0.0
        }
    };
    // The extra room comes out of the bars' scale; a few rounds settle it
    // (smaller bars need a little more room).
    let mut k = scale(base);
    for _ in 0..4 {
        k = scale((base - extra(k)).max(10.0));
    }
    let step = if cols > 1 {
        (rect.width() - box_w) / (cols as f32 - 1.0)
    } else {
        0.0
    };
    let mut y = vec![rect.top(); cols];
    let mut previous: Vec<Option<&Node>> = vec![None; cols];
    nodes
        .iter()
        .map(|n| {
            let h = height(k, n);
            if h > 0.0
                && let Some(p) = previous[n.col]
            {
                y[n.col] += spacing(k, p, n);
            }
            let x = rect.left() + step * n.col as f32;
            let r = Rect::from_min_size(egui::pos2(x, y[n.col]), egui::vec2(box_w, h));
            if h > 0.0 {
                y[n.col] += h;
                previous[n.col] = Some(n);
            }
            r
        })
        .collect()
}

/// One end of a band: its x and its top and bottom.
#[derive(Clone, Copy)]
struct End {
    x: f32,
    top: f32,
    bottom: f32,
    color: Color32,
}

/// Draws a band from one end to the other as a smooth ribbon.
fn band(painter: &egui::Painter, a: End, b: End) {
    const STEPS: usize = 24;
    let mut mesh = egui::Mesh::default();
    for i in 0..=STEPS {
        let t = i as f32 / STEPS as f32;
        let s = t * t * (3.0 - 2.0 * t);
        let x = a.x + (b.x - a.x) * t;
        let top = a.top + (b.top - a.top) * s;
        let bottom = a.bottom + (b.bottom - a.bottom) * s;
        let color = lerp_color(a.color, b.color, t);
        mesh.colored_vertex(egui::pos2(x, top), color);
        mesh.colored_vertex(egui::pos2(x, bottom), color);
        if i > 0 {
            let base = (2 * i - 2) as u32;
            mesh.add_triangle(base, base + 1, base + 2);
            mesh.add_triangle(base + 1, base + 3, base + 2);
        }
    }
    painter.add(egui::Shape::mesh(mesh));
}

fn lerp_color(a: Color32, b: Color32, t: f32) -> Color32 {
    let l = |x: u8, y: u8| (f32::from(x) + (f32::from(y) - f32::from(x)) * t) as u8;
    Color32::from_rgba_unmultiplied(
        l(a.r(), b.r()),
        l(a.g(), b.g()),
        l(a.b(), b.b()),
        l(a.a(), b.a()),
    )
}

/// Draws a Sankey diagram into `rect`; returns the hover text of the node
/// under the pointer, if any.
pub fn sankey(
    ui: &egui::Ui,
    rect: Rect,
    nodes: &[Node],
    links: &[Link],
    total: f64,
    font: f32,
    dark: bool,
) -> Option<String> {
    let painter = ui.painter_at(rect.expand(4.0));
    let box_w = 12.0;
    let label_w = 150.0f32.min(rect.width() * 0.3);
    let area = Rect::from_min_max(rect.min, egui::pos2(rect.right() - label_w, rect.bottom()));
    let line = font * 2.35;
    let rects = layout(area, nodes, box_w, 6.0, 2.0, line);
    // Bands: stacked within each node, outgoing and incoming in link order.
    let mut out_off = vec![0.0f32; nodes.len()];
    let mut in_off = vec![0.0f32; nodes.len()];
    for l in links {
        if l.value <= 0.0 || l.from >= nodes.len() || l.to >= nodes.len() {
            continue;
        }
        let (fr, tr) = (rects[l.from], rects[l.to]);
        let from_h = band_height(l.value, nodes[l.from].value, fr.height());
        let to_h = band_height(l.value, nodes[l.to].value, tr.height());
        let a0 = fr.top() + out_off[l.from];
        let a1 = tr.top() + in_off[l.to];
        out_off[l.from] += from_h;
        in_off[l.to] += to_h;
        let alpha = if dark { 0.30 } else { 0.38 };
        band(
            &painter,
            End {
                x: fr.right(),
                top: a0,
                bottom: a0 + from_h,
                color: nodes[l.from].color.gamma_multiply(alpha),
            },
            End {
                x: tr.left(),
                top: a1,
                bottom: a1 + to_h,
                color: nodes[l.to].color.gamma_multiply(alpha),
            },
        );
    }
    // Boxes.
    for (n, r) in nodes.iter().zip(&rects) {
        if r.height() > 0.0 {
            painter.rect_filled(*r, 2.0, n.color);
        }
    }
    // Labels, pushed apart so they never overlap.
    let font_id = FontId::proportional(font);
    let cols = nodes.iter().map(|n| n.col).max().map_or(0, |c| c + 1);
    let bg = theme::card_bg(dark).gamma_multiply(0.85);
    let mut hovered = None;
    let pointer = ui.ctx().pointer_hover_pos();
    for c in 0..cols {
        let mut items: Vec<(usize, f32)> = nodes
            .iter()
            .enumerate()
            .filter(|(i, n)| n.col == c && rects[*i].height() > 0.0)
            .map(|(i, _)| (i, rects[i].center().y))
            .collect();
        items.sort_by(|a, b| a.1.total_cmp(&b.1));
        let mut last = rect.top();
        for (i, y) in &mut items {
            let top = (*y - line / 2.0).max(last);
            *y = top + line / 2.0;
            last = top + line;
            let _ = i;
        }
        // Keep the column inside the rect: shift up if it overflows.
        if let Some(&(_, y_last)) = items.last() {
            let room = items
                .first()
                .map_or(0.0, |(_, y)| y - line / 2.0 - rect.top());
            let overflow = (y_last + line / 2.0 - rect.bottom()).min(room);
            if overflow > 0.0 {
                for (_, y) in &mut items {
                    *y -= overflow;
                }
            }
        }
        for (i, y) in items {
            let n = &nodes[i];
            let r = rects[i];
            let x = r.right() + 6.0;
            let share = if total > 0.0 { n.value / total } else { 0.0 };
            let text = format!(
                "{}\n{} · {}",
                n.label,
                format::count(n.value),
                format::percent(share)
            );
            let galley = painter.layout_no_wrap(text, font_id.clone(), theme::ink(dark));
            let pos = egui::pos2(x, y - galley.size().y / 2.0);
            let text_rect = Rect::from_min_size(pos, galley.size()).expand2(Vec2::new(4.0, 1.0));
            if (y - r.center().y).abs() > 2.0 {
                painter.line_segment(
                    [egui::pos2(r.right(), r.center().y), egui::pos2(x - 2.0, y)],
                    Stroke::new(1.0, n.color),
                );
            }
            painter.rect_filled(text_rect, 4.0, bg);
            painter.galley(pos, galley, theme::ink(dark));
            if let Some(p) = pointer
                && (r.expand(3.0).contains(p) || text_rect.contains(p))
            {
                hovered = Some(format!(
                    "{}: {}\n{}",
                    n.label,
                    format::count(n.value),
                    n.detail
                ));
            }
        }
    }
    hovered
}

fn band_height(value: f64, node_value: f64, node_h: f32) -> f32 {
    if node_value > 0.0 {
        (value / node_value) as f32 * node_h
    } else {
        0.0
    }
}

/// The flow tab.
pub fn ui(ui: &mut egui::Ui, s: &State, out: &mut Vec<Command>) {
    let dark = s.prefs.theme.is_dark();
    let day = s.sim.day();
    // The span buttons follow the heading, on its line when they fit.
    ui.horizontal_wrapped(|ui| {
        ui.label(
            RichText::new("From the model's errors to what happened")
                .size(16.0)
                .strong()
                .color(theme::ink(dark)),
        );
        ui.add_space(12.0);
        let whole = if day > 0 {
            format!("Whole run (days 1–{day})")
        } else {
            "Whole run".to_string()
        };
        if ui
            .selectable_label(s.flow_span == FlowSpan::Cumulative, whole)
            .clicked()
        {
            out.push(Command::View(ViewCommand::SetFlowSpan(
                FlowSpan::Cumulative,
            )));
        }
        if ui
            .selectable_label(s.flow_span == FlowSpan::Today, format!("Day {day}"))
            .clicked()
        {
            out.push(Command::View(ViewCommand::SetFlowSpan(FlowSpan::Today)));
        }
        ui.add_space(12.0);
        let mut on = s.org_view;
        if ui
            .checkbox(&mut on, "What the organization sees")
            .on_hover_text(
                "Show which of these counts the organization's logs hold, beside the \
                 hidden truth it never sees.",
            )
            .changed()
        {
            out.push(Command::View(ViewCommand::SetOrgView(on)));
        }
    });
    let Some(c) = counts(s, s.flow_span) else {
        ui.add_space(40.0);
        ui.vertical_centered(|ui| {
            let text = if s.sim.kind() != WorldKind::Users {
                "This world does not record the flow of situations."
            } else {
                "Run at least one day (→ or Space) to see where every situation went."
            };
            ui.label(RichText::new(text).size(16.0).color(theme::muted(dark)));
        });
        return;
    };
    if s.org_view {
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| org_table(ui, s));
        return;
    }
    let font = if s.prefs.present { 14.0 } else { 12.0 };
    let tip = egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| diagrams(ui, s, &c, font))
        .inner;
    if let Some(text) = tip {
        egui::Tooltip::always_open(
            ui.ctx().clone(),
            ui.layer_id(),
            egui::Id::unique("ixsim-flow-tip"),
            egui::PopupAnchor::Pointer,
        )
        .gap(14.0)
        .show(|ui| {
            ui.label(text);
        });
    }
}

/// The three pictures; returns the hover text of the box under the pointer.
fn diagrams(ui: &mut egui::Ui, s: &State, c: &Counts, font: f32) -> Option<String> {
    let dark = s.prefs.theme.is_dark();
    let c = *c;
    let avail = ui.available_rect_before_wrap();
    let outcome_h = font * 27.0;
    let top_h = (avail.height() - outcome_h).max(240.0);
    // Side by side when there is room, stacked when the window is narrow.
    let narrow = avail.width() < 760.0;
    let (half, top_h) = if narrow {
        (avail.width(), (font * 26.0).max(280.0))
    } else {
        ((avail.width() - 10.0) / 2.0, top_h)
    };
    let layout = if narrow {
        egui::Layout::top_down(egui::Align::Min)
    } else {
        egui::Layout::left_to_right(egui::Align::Min)
    };
    let mut tip = None;
    ui.with_layout(layout, |ui| {
        ui.spacing_mut().item_spacing = egui::vec2(10.0, 8.0);
        theme::card(dark).show(ui, |ui| {
            ui.set_width(half - 22.0);
            ui.set_height(top_h - 18.0);
            ui.vertical(|ui| {
                section_title(ui, "1 · The model", "Every situation, by truth, then by the model's verdict.", dark);
                let rect = ui.available_rect_before_wrap().shrink2(Vec2::new(2.0, 4.0));
                ui.allocate_rect(rect, egui::Sense::hover());
                tip = tip.take().or(model_sankey(ui, rect, &c, font, dark));
            });
        });
        theme::card(dark).show(ui, |ui| {
            ui.set_width(half - 22.0);
            ui.set_height(top_h - 18.0);
            ui.vertical(|ui| {
                section_title(
                    ui,
                    "2 · The experience and the people",
                    "Predictions the design would surface, and what people did with them.",
                    dark,
                );
                if c.surfaced + c.capped > 0.0 {
                    let rect = ui.available_rect_before_wrap().shrink2(Vec2::new(2.0, 4.0));
                    ui.allocate_rect(rect, egui::Sense::hover());
                    tip = tip.take().or(people_sankey(ui, rect, &c, s, font, dark));
                } else {
                    ui.add_space(30.0);
                    ui.label(
                        RichText::new("The system surfaced nothing in this span (it may be switched off, or a guardrail shut it down).")
                            .color(theme::muted(dark)),
                    );
                }
            });
        });
    });
    ui.add_space(8.0);
    theme::card(dark).show(ui, |ui| {
        ui.set_width(ui.available_width());
        section_title(
            ui,
            "3 · Outcomes, with the system and without it",
            "The same people and situations, deciding alone, are the counterfactual.",
            dark,
        );
        outcomes(ui, &c, font, dark);
    });
    tip
}

/// The flow as the organization sees it: every flow count of the span,
/// the logged ones with their values and the hidden ones marked hidden, with
/// the truth beside them for the class.
fn org_table(ui: &mut egui::Ui, s: &State) {
    let dark = s.prefs.theme.is_dark();
    let h = s.sim.history();
    let metrics = s.sim.kind().metrics();
    let value = |m: usize| span_value(h, m, s.flow_span);
    theme::card(dark).show(ui, |ui| {
        ui.set_width(ui.available_width());
        section_title(
            ui,
            "What the organization's logs hold of this flow",
            "It counts what it showed and what people did with it; whether a prediction was right, and what it did to people, stay hidden unless someone reports it.",
            dark,
        );
        egui::Grid::new("ixsim-flow-org")
            .num_columns(3)
            .striped(true)
            .spacing([24.0, 4.0])
            .show(ui, |ui| {
                for head in ["Count", "In the logs", "The hidden truth"] {
                    ui.label(RichText::new(head).small().strong().color(theme::muted(dark)));
                }
                ui.end_row();
                for &m in IDS.iter() {
                    let spec = &metrics[m];
                    let v = format::amount(value(m), spec.unit);
                    ui.label(RichText::new(spec.label).color(theme::ink(dark)))
                        .on_hover_text(spec.doc);
                    if spec.observable {
                        ui.label(RichText::new(&v).strong().color(theme::ink(dark)));
                        ui.label("");
                    } else {
                        ui.label(RichText::new("hidden").italics().color(theme::muted(dark)));
                        ui.label(RichText::new(&v).color(theme::muted(dark)));
                    }
                    ui.end_row();
                }
            });
    });
}

fn section_title(ui: &mut egui::Ui, title: &str, sub: &str, dark: bool) {
    ui.label(RichText::new(title).strong().color(theme::ink(dark)));
    ui.label(RichText::new(sub).small().color(theme::muted(dark)));
    ui.add_space(4.0);
}

fn model_sankey(
    ui: &mut egui::Ui,
    rect: Rect,
    c: &Counts,
    font: f32,
    dark: bool,
) -> Option<String> {
    let abst_pos = (c.positives - c.tp - c.fn_).clamp(0.0, c.abstained);
    let abst_neg = (c.abstained - abst_pos).max(0.0);
    let negatives = (c.situations - c.positives).max(0.0);
    let danger = theme::bad(dark);
    let calm = theme::layer_color(crate::sim::Layer::Model, dark);
    let nodes = vec![
        Node {
            col: 0,
            value: c.situations,
            color: theme::neutral(dark),
            label: "Situations".into(),
            detail: "Every time the model could act.".into(),
        },
        Node {
            col: 1,
            value: c.positives,
            color: danger,
            label: "Needed action".into(),
            detail: "The hidden truth was positive (phishing, a fall, a risky return…).".into(),
        },
        Node {
            col: 1,
            value: negatives,
            color: calm,
            label: "Needed none".into(),
            detail: "The hidden truth was negative.".into(),
        },
        Node {
            col: 2,
            value: c.tp,
            color: theme::good(dark),
            label: "Flagged rightly (TP)".into(),
            detail: "True positives: the model caught it.".into(),
        },
        Node {
            col: 2,
            value: c.fn_,
            color: danger,
            label: "Missed (FN)".into(),
            detail: "False negatives: the model stayed silent when it mattered.".into(),
        },
        Node {
            col: 2,
            value: abst_pos,
            color: theme::neutral(dark),
            label: "Abstained".into(),
            detail: "Too close to call (or held out at random): no prediction used.".into(),
        },
        Node {
            col: 2,
            value: abst_neg,
            color: theme::neutral(dark),
            label: "Abstained ".into(),
            detail: "Too close to call (or held out at random): no prediction used.".into(),
        },
        Node {
            col: 2,
            value: c.fp,
            color: theme::warn(dark),
            label: "False alarm (FP)".into(),
            detail: "False positives: flagged, but nothing was wrong.".into(),
        },
        Node {
            col: 2,
            value: c.tn,
            color: calm.gamma_multiply(0.7),
            label: "Cleared rightly (TN)".into(),
            detail: "True negatives.".into(),
        },
    ];
    let links = [
        Link {
            from: 0,
            to: 1,
            value: c.positives,
        },
        Link {
            from: 0,
            to: 2,
            value: negatives,
        },
        Link {
            from: 1,
            to: 3,
            value: c.tp,
        },
        Link {
            from: 1,
            to: 4,
            value: c.fn_,
        },
        Link {
            from: 1,
            to: 5,
            value: abst_pos,
        },
        Link {
            from: 2,
            to: 6,
            value: abst_neg,
        },
        Link {
            from: 2,
            to: 7,
            value: c.fp,
        },
        Link {
            from: 2,
            to: 8,
            value: c.tn,
        },
    ];
    sankey(ui, rect, &nodes, &links, c.situations, font, dark)
}

fn people_sankey(
    ui: &mut egui::Ui,
    rect: Rect,
    c: &Counts,
    s: &State,
    font: f32,
    dark: bool,
) -> Option<String> {
    let eligible = c.surfaced + c.capped;
    let unnoticed = (c.surfaced - c.noticed).max(0.0);
    let followed_noticed = (c.noticed - c.overridden - c.ignored).max(0.0);
    let automate = s.sim.kind() == WorldKind::Users
        && s.sim.params().choice::<Mode>("experience.mode") == Mode::Automate;
    let accent = theme::layer_color(crate::sim::Layer::User, dark);
    let nodes = vec![
        Node {
            col: 0,
            value: eligible,
            color: theme::neutral(dark),
            label: "To surface".into(),
            detail: "Predictions the design would put in front of people.".into(),
        },
        Node {
            col: 1,
            value: c.surfaced,
            color: accent,
            label: "Shown".into(),
            detail: "Surfaced to a user.".into(),
        },
        Node {
            col: 1,
            value: c.capped,
            color: theme::neutral(dark).gamma_multiply(0.7),
            label: "Held back by the cap".into(),
            detail: "Over the per-user daily limit: not shown.".into(),
        },
        Node {
            col: 2,
            value: c.noticed,
            color: accent,
            label: "Noticed".into(),
            detail: "The user saw it; salience grows with forcefulness.".into(),
        },
        Node {
            col: 2,
            value: unnoticed,
            color: theme::neutral(dark),
            label: "Not noticed".into(),
            detail: if automate {
                "Automated: the system acted without the user noticing.".into()
            } else {
                "Shown but not seen: no effect on the decision.".into()
            },
        },
        Node {
            col: 3,
            value: followed_noticed,
            color: theme::good(dark),
            label: if automate {
                "Accepted".into()
            } else {
                "Followed".into()
            },
            detail: "The user went with the system.".into(),
        },
        Node {
            col: 3,
            value: c.overridden,
            color: theme::warn(dark),
            label: if automate {
                "Undone".into()
            } else {
                "Overridden".into()
            },
            detail: "The user decided against the system.".into(),
        },
        Node {
            col: 3,
            value: c.ignored,
            color: theme::neutral(dark),
            label: "Ignored".into(),
            detail: "Seen, not acted on; the user's own call happened to agree.".into(),
        },
    ];
    let links = [
        Link {
            from: 0,
            to: 1,
            value: c.surfaced,
        },
        Link {
            from: 0,
            to: 2,
            value: c.capped,
        },
        Link {
            from: 1,
            to: 3,
            value: c.noticed,
        },
        Link {
            from: 1,
            to: 4,
            value: unnoticed,
        },
        Link {
            from: 3,
            to: 5,
            value: followed_noticed,
        },
        Link {
            from: 3,
            to: 6,
            value: c.overridden,
        },
        Link {
            from: 3,
            to: 7,
            value: c.ignored,
        },
    ];
    let body = Rect::from_min_max(
        rect.min,
        egui::pos2(rect.right(), rect.bottom() - font * 1.8),
    );
    let tip = sankey(ui, body, &nodes, &links, eligible, font, dark);
    ui.painter().text(
        egui::pos2(rect.left(), rect.bottom()),
        egui::Align2::LEFT_BOTTOM,
        format!(
            "Reported as wrong: {} (these become labels and support load)",
            format::count(c.reported)
        ),
        FontId::proportional(font),
        theme::muted(dark),
    );
    tip
}

/// One row of the outcome comparison: its label, then the split of the same
/// situations with the system and alone.
fn outcome_row(
    ui: &mut egui::Ui,
    label: String,
    hover: &str,
    with: [(f64, Color32, &str); 2],
    alone: [(f64, Color32, &str); 2],
    (width, height, dark): (f32, f32, bool),
) {
    ui.label(RichText::new(label).color(theme::ink(dark)))
        .on_hover_text(hover);
    split_bar(ui, &with, width, height, dark);
    split_bar(ui, &alone, width, height, dark);
    ui.end_row();
}

/// A 100 % bar split into parts.
fn split_bar(
    ui: &mut egui::Ui,
    parts: &[(f64, Color32, &str)],
    width: f32,
    height: f32,
    dark: bool,
) {
    let (rect, resp) = ui.allocate_exact_size(egui::vec2(width, height), egui::Sense::hover());
    let total: f64 = parts.iter().map(|p| p.0.max(0.0)).sum();
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 4.0, theme::neutral(dark).gamma_multiply(0.25));
    if total <= 0.0 {
        return;
    }
    let mut x = rect.left();
    let mut hover = String::new();
    for (value, color, label) in parts {
        let w = (*value / total) as f32 * rect.width();
        if w <= 0.0 {
            continue;
        }
        let r = Rect::from_min_size(egui::pos2(x, rect.top()), egui::vec2(w, rect.height()));
        painter.rect_filled(r, 0.0, *color);
        let text = format!("{label} {}", format::percent(value / total));
        let galley =
            painter.layout_no_wrap(text.clone(), FontId::proportional(11.5), Color32::WHITE);
        if galley.size().x + 8.0 < w {
            painter.galley(
                egui::pos2(r.left() + 5.0, r.center().y - galley.size().y / 2.0),
                galley,
                Color32::WHITE,
            );
        }
        hover.push_str(&format!(
            "{label}: {} ({})\n",
            format::count(*value),
            format::percent(value / total)
        ));
        x += w;
    }
    resp.on_hover_text(hover.trim_end());
}

fn outcomes(ui: &mut egui::Ui, c: &Counts, font: f32, dark: bool) {
    let good = theme::good(dark).gamma_multiply(0.9);
    let bad = theme::bad(dark).gamma_multiply(0.9);
    let warn = theme::warn(dark).gamma_multiply(0.9);
    let calm = theme::layer_color(crate::sim::Layer::Model, dark).gamma_multiply(0.6);
    let label_w = 200.0;
    let bar_h = font * 1.9;
    let bar_w = ((ui.available_width() - label_w - 2.0 * 14.0 - 12.0) / 2.0).max(120.0);
    egui::Grid::new("ixsim-outcomes")
        .num_columns(3)
        .spacing([14.0, 8.0])
        .show(ui, |ui| {
            ui.label("");
            ui.label(
                RichText::new("With the system")
                    .strong()
                    .color(theme::ink(dark)),
            );
            ui.label(
                RichText::new("Alone (no system)")
                    .strong()
                    .color(theme::ink(dark)),
            );
            ui.end_row();

            outcome_row(
                ui,
                format!("Needed action · {}", format::count(c.act_right + c.miss)),
                "Situations whose hidden truth called for action.",
                [
                    (c.act_right, good, "acted rightly"),
                    (c.miss, bad, "missed"),
                ],
                [
                    (c.cf_act_right, good, "acted rightly"),
                    (c.cf_miss, bad, "missed"),
                ],
                (bar_w, bar_h, dark),
            );
            outcome_row(
                ui,
                format!(
                    "Needed none · {}",
                    format::count(c.act_wrong + c.rest_right)
                ),
                "Situations where doing nothing was right.",
                [
                    (c.act_wrong, warn, "acted needlessly"),
                    (c.rest_right, calm, "left alone"),
                ],
                [
                    (c.cf_act_wrong, warn, "acted needlessly"),
                    (c.cf_rest_right, calm, "left alone"),
                ],
                (bar_w, bar_h, dark),
            );
        });
    ui.add_space(6.0);
    let money = Money::of(c);
    egui::Grid::new("ixsim-outcome-money")
        .num_columns(4)
        .striped(true)
        .spacing([28.0, 4.0])
        .show(ui, |ui| {
            for h in ["", "With the system", "Alone", "Difference for users"] {
                ui.label(RichText::new(h).small().strong().color(theme::muted(dark)));
            }
            ui.end_row();
            let effect = |ui: &mut egui::Ui, d: f64, text: String, strong: bool| {
                let color = if d > 0.0 {
                    theme::good(dark)
                } else if d < 0.0 {
                    theme::bad(dark)
                } else {
                    theme::muted(dark)
                };
                let mut t = RichText::new(text).color(color);
                if strong {
                    t = t.strong();
                }
                ui.label(t);
            };
            for (label, with, alone, d) in [
                ("Value gained", c.value, c.cf_value, money.value),
                ("Harm suffered", c.harm, c.cf_harm, money.harm),
            ] {
                ui.label(label);
                ui.label(format::value(with, DOLLARS));
                ui.label(format::value(alone, DOLLARS));
                effect(ui, d, format::difference(d, DOLLARS), false);
                ui.end_row();
            }
            ui.label("Time lost");
            ui.label(format!(
                "{} min  (≈ {})",
                format::count(c.minutes),
                format::value(c.time_cost, DOLLARS)
            ));
            ui.label("0 min");
            effect(
                ui,
                money.time,
                format::difference(money.time, DOLLARS),
                false,
            );
            ui.end_row();
            ui.label(RichText::new("Net for users").strong());
            ui.label(RichText::new(format::value(money.net_with, DOLLARS)).strong());
            ui.label(RichText::new(format::value(money.net_alone, DOLLARS)).strong());
            let d = money.net();
            effect(
                ui,
                d,
                format!("{}  value added", format::difference(d, DOLLARS)),
                true,
            );
            ui.end_row();
        });
}

/// The money table's Difference column, one rule for every row: what the
/// system changed in users' net, in dollars (with the system minus alone,
/// positive = better for users), so the rows add up to the net.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Money {
    /// More value gained.
    value: f64,
    /// Less harm suffered (harm alone minus harm with the system).
    harm: f64,
    /// Time lost to the system, valued (never positive: alone costs none).
    time: f64,
    /// Users' net with the system: value − harm − time.
    net_with: f64,
    /// Users' net alone: value − harm.
    net_alone: f64,
}

impl Money {
    fn of(c: &Counts) -> Self {
        Self {
            value: c.value - c.cf_value,
            harm: c.cf_harm - c.harm,
            time: -c.time_cost,
            net_with: c.value - c.harm - c.time_cost,
            net_alone: c.cf_value - c.cf_harm,
        }
    }

    /// The net's difference: the sum of the rows.
    fn net(&self) -> f64 {
        self.value + self.harm + self.time
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A plain node of column `col` and size `value`.
    fn node(col: usize, value: f64) -> Node {
        Node {
            col,
            value,
            color: Color32::WHITE,
            label: String::new(),
            detail: String::new(),
        }
    }

    #[test]
    fn the_difference_rows_add_up_to_the_net_with_one_sign_rule() {
        let c = Counts {
            value: 1_000.0,
            harm: 200.0,
            time_cost: 150.0,
            cf_value: 700.0,
            cf_harm: 983_199.0,
            ..Counts::default()
        };
        let m = Money::of(&c);
        // Less harm with the system is a gain for users, time lost a loss.
        assert!(m.harm > 0.0 && m.time < 0.0 && m.value > 0.0);
        let net_difference = m.net_with - m.net_alone;
        assert!((m.net() - net_difference).abs() < 1e-9);
        assert!((m.value + m.harm + m.time - net_difference).abs() < 1e-9);
        // A system that adds harm shows it as a loss.
        let worse = Money::of(&Counts {
            harm: 500.0,
            cf_harm: 100.0,
            ..Counts::default()
        });
        assert!(worse.harm < 0.0 && worse.net() < 0.0);
    }

    #[test]
    fn small_nodes_get_room_for_their_labels_and_keep_their_proportions() {
        // Like the model's verdicts: three tiny outcomes above a huge one.
        let nodes = [
            node(0, 10_000.0),
            node(1, 40.0),
            node(1, 41.0),
            node(1, 5.0),
            node(1, 9_914.0),
        ];
        let rect = Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(300.0, 330.0));
        let pitch = 35.0;
        let r = layout(rect, &nodes, 10.0, 6.0, 2.0, pitch);
        for w in r[1..].windows(2) {
            assert!(
                w[1].center().y - w[0].center().y >= pitch - 0.01,
                "{:?} and {:?} closer than a label",
                w[0],
                w[1]
            );
            assert!(w[1].top() >= w[0].bottom() + 6.0 - 0.01);
        }
        assert!(
            r.iter().all(|x| rect.expand(0.01).contains_rect(*x)),
            "{r:?}"
        );
        // One scale for every bar (less the minimum height).
        let k0 = (r[0].height() - 2.0) / 10_000.0;
        let k4 = (r[4].height() - 2.0) / 9_914.0;
        assert!((k0 - k4).abs() < 1e-6, "{k0} vs {k4}");
    }

    #[test]
    fn layout_is_proportional_and_stacked() {
        let nodes = [node(0, 100.0), node(1, 75.0), node(1, 25.0)];
        let rect = Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(300.0, 216.0));
        let r = layout(rect, &nodes, 10.0, 6.0, 0.0, 0.0);
        assert!((r[1].height() / r[2].height() - 3.0).abs() < 0.01);
        assert!((r[1].height() + r[2].height() - r[0].height()).abs() < 0.01);
        assert!(r[2].top() >= r[1].bottom());
        assert!(r[0].left() < r[1].left());
    }
}
