//! Reality checks: a scenario's headline figures at its defaults, each
//! beside the range field data give and the source of that range.
//!
//! A scenario file declares its figures in a `reality` block; this module
//! holds their validated form, computes each from a run's measures (a mean,
//! a day's value, a ratio of totals, a rate per user per year), with its own
//! parameter changes where a figure is about the ordinary product without
//! the system, and writes them as "In this run: … — field data: …" for
//! `ixsim check`, the Story panel and the reality-check test. A figure that
//! is deliberately exaggerated for class says so and by how much.

use std::fmt::Write as _;

use crate::format;
use crate::sim::{History, ParamValues, Per, Simulation, Unit, WorldKind};

/// How a figure is read off a run's daily measures (metric columns of the
/// scenario's world; days 1-based).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Measure {
    /// The mean of a measure over every day of the run.
    Mean(usize),
    /// A measure's value on one day.
    Day(usize, u32),
    /// A measure's value on the last day.
    Final(usize),
    /// The total of one measure over the run divided by the total of another
    /// (false warnings over warnings).
    Ratio(usize, usize),
    /// One minus the total of one measure over the run divided by the total
    /// of another (warnings noticed but not heeded: the click-through rate).
    ShareNot(usize, usize),
    /// A daily total summed over the run, divided by the sum of the daily
    /// user counts (user-days), times 365: a rate per user per year.
    PerUserYear(usize, usize),
    /// A daily total summed over the run, divided by the mean daily user
    /// count: a rate per user over the whole run (returns per filer in one
    /// filing season).
    PerUserRun(usize, usize),
    /// A measure's value on the last day divided by its value on day 1 (the
    /// share of users still active after the run).
    Kept(usize),
}

impl Measure {
    /// The figure's value in a run's history (NaN where a ratio divides by 0).
    pub fn read(self, h: &History) -> f64 {
        let days = h.days();
        if days == 0 {
            return f64::NAN;
        }
        let total = |m: usize| h.column(m).sum::<f64>();
        let at = |m: usize, day: usize| h.row(day.clamp(1, days))[m];
        match self {
            Measure::Mean(m) => total(m) / days as f64,
            Measure::Day(m, d) => at(m, d as usize),
            Measure::Final(m) => at(m, days),
            Measure::Ratio(a, b) => total(a) / total(b),
            Measure::ShareNot(a, b) => 1.0 - total(a) / total(b),
            Measure::PerUserYear(a, users) => total(a) / total(users) * 365.0,
            Measure::PerUserRun(a, users) => total(a) / total(users) * days as f64,
            Measure::Kept(m) => at(m, days) / at(m, 1),
        }
    }

    /// The last day the measure reads (a run must be at least this long).
    pub fn last_day(self) -> u32 {
        match self {
            Measure::Day(_, d) => d,
            Measure::Mean(_)
            | Measure::Final(_)
            | Measure::Ratio(..)
            | Measure::ShareNot(..)
            | Measure::PerUserYear(..)
            | Measure::PerUserRun(..)
            | Measure::Kept(_) => 1,
        }
    }
}

/// How a figure's value and range are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shown {
    /// A share, as a percentage.
    Percent,
    /// Dollars.
    Dollars,
    /// A plain number.
    Number,
}

impl Shown {
    fn unit(self) -> Unit {
        match self {
            Shown::Percent => Unit::Share,
            Shown::Dollars => Unit::Money(Per::Total),
            Shown::Number => Unit::Number,
        }
    }

    /// A value written for people.
    pub fn write(self, v: f64) -> String {
        if !v.is_finite() {
            return "—".into();
        }
        format::value(v, self.unit())
    }
}

/// One headline figure with its plausible range.
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    /// What it is, in words ("phishing pages met per user per year").
    pub what: String,
    /// How it is read off the run.
    pub measure: Measure,
    /// Parameter changes for this figure's run (index in the table, value):
    /// empty for the scenario as it stands; `experience.enabled = false` for
    /// the ordinary product without the system.
    pub set: Vec<(usize, f64)>,
    /// The range field data give, as (low, high).
    pub range: (f64, f64),
    /// How many times the scenario deliberately exaggerates the field
    /// figure for class (1 = not scaled); the run is checked against the
    /// range times this.
    pub scale: f64,
    /// How the figure is written.
    pub shown: Shown,
    /// Where the range comes from (or why it is a judgment).
    pub source: String,
}

impl Figure {
    /// The range this scenario's run should fall in: the field range, times
    /// the scale when the case is exaggerated for class.
    pub fn expected(&self) -> (f64, f64) {
        (self.range.0 * self.scale, self.range.1 * self.scale)
    }

    /// True when `value` lies in [`Self::expected`].
    pub fn holds(&self, value: f64) -> bool {
        let (lo, hi) = self.expected();
        value >= lo && value <= hi
    }

    /// True when the figure is about a run with changed parameters.
    pub fn is_counterfactual(&self) -> bool {
        !self.set.is_empty()
    }

    /// "field data: 1–12 (source)", with the scaled range when exaggerated.
    pub fn field_text(&self) -> String {
        let (lo, hi) = self.range;
        let mut out = format!(
            "field data: {}–{} ({})",
            self.shown.write(lo),
            self.shown.write(hi),
            self.source
        );
        if self.scale != 1.0 {
            let (slo, shi) = self.expected();
            let _ = write!(
                out,
                "; scaled for class: {}×, so {}–{} here",
                format::real(self.scale),
                self.shown.write(slo),
                self.shown.write(shi)
            );
        }
        out
    }

    /// "In this run: 4.2 phishing pages met per user per year — field data: …".
    pub fn line(&self, value: f64) -> String {
        let mark = if self.holds(value) {
            ""
        } else {
            " [outside the range]"
        };
        format!(
            "In this run: {} {}{mark} — {}",
            self.shown.write(value),
            self.what,
            self.field_text()
        )
    }
}

/// The figures of one scenario, in the file's order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Reality {
    /// The figures.
    pub figures: Vec<Figure>,
}

impl Reality {
    /// True when the scenario declares no figure.
    pub fn is_empty(&self) -> bool {
        self.figures.is_empty()
    }

    /// Every figure's value for a run of `days` days of `world` with
    /// `params` and `seed`: one simulation per distinct set of changes.
    pub fn compute(
        &self,
        world: WorldKind,
        params: &ParamValues,
        days: u32,
        seed: u64,
    ) -> Vec<f64> {
        let mut runs: Vec<(&[(usize, f64)], History)> = Vec::new();
        self.figures
            .iter()
            .map(|f| {
                let i = match runs.iter().position(|(set, _)| *set == f.set.as_slice()) {
                    Some(i) => i,
                    None => {
                        let mut p = params.clone();
                        for &(i, v) in &f.set {
                            // Checked against the table when the file was parsed.
                            let _ = p.set_index(i, v);
                        }
                        let mut sim = Simulation::new(world, p, seed);
                        sim.run(days.max(f.measure.last_day()));
                        runs.push((&f.set, sim.into_history()));
                        runs.len() - 1
                    }
                };
                f.measure.read(&runs[i].1)
            })
            .collect()
    }

    /// Every figure that needs no extra run, read off `history` (the
    /// Story panel's live run); `None` for a counterfactual figure or a day
    /// not reached yet.
    pub fn read_live(&self, history: &History) -> Vec<Option<f64>> {
        self.figures
            .iter()
            .map(|f| {
                let reached = history.days() as u32 >= f.measure.last_day() && history.days() > 0;
                (!f.is_counterfactual() && reached).then(|| f.measure.read(history))
            })
            .collect()
    }

    /// The lines `ixsim check` prints, one per figure.
    pub fn report(&self, values: &[f64]) -> String {
        let mut out = String::new();
        for (f, v) in self.figures.iter().zip(values) {
            let _ = writeln!(out, "  {}", f.line(*v));
        }
        out
    }
}
