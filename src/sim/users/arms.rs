//! A randomized experiment inside the user world: every user is in control
//! (design A, the world's own parameters) or treatment (design B) by a keyed
//! hash of their stable id, so the split holds over time and sign-ups get an
//! arm too. Both arms live the same days in the same world: one model, fed by
//! the labels of both arms and retrained for both (interference), one word of
//! mouth, one shutdown rule.
//!
//! Owns: the split ([`Arms::in_b`]), each arm's row of measures for the day
//! (the world's row, computed from that arm's users alone), and per user the
//! running sums of the experiment's measure over the experiment's days (a
//! numerator and a denominator per user id, in one vector indexed by id, so
//! the statistics can treat users, the randomized units, as independent).

use super::METRICS;
use super::config::Config;
use super::measures as m;
use super::tally::Tally;
use crate::sim::ParamValues;
use crate::sim::rng::{self, Stream};

/// What one user-day adds to the numerator of a per-user measure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Numerator {
    Noticed,
    Surfaced,
    Reported,
    Incidents,
    Flagged,
    NoticedFollowed,
    Harm,
    NetValue,
    Sentiment,
    Stays,
    Leaves,
}

/// What one user-day adds to the denominator of a per-user measure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Denominator {
    /// One per day the user was active.
    UserDays,
    /// One per day the user stayed.
    Stays,
    /// Predictions the user noticed.
    Noticed,
    /// Predictions surfaced to the user.
    Surfaced,
}

/// The per-user form of a measure of the day row: the row's value is (about)
/// the ratio of its numerator's sum to its denominator's sum over users.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct UnitMeasure(Numerator, Denominator);

impl UnitMeasure {
    /// The per-user form of metric column `metric`, for the measures that
    /// are sums over users (day totals and per-user rates); None for
    /// world-level ones (model quality, profit, active users, gaps).
    fn of(metric: usize) -> Option<Self> {
        use Denominator as D;
        use Numerator as N;
        let (n, d) = match metric {
            m::LEADING_ENGAGEMENT | m::FLOW_NOTICED => (N::Noticed, D::UserDays),
            m::LEADING_INTERVENTIONS_PER_USER | m::FLOW_SURFACED => (N::Surfaced, D::UserDays),
            m::ORG_REPORTS | m::FLOW_REPORTED => (N::Reported, D::UserDays),
            m::ORG_INCIDENTS => (N::Incidents, D::UserDays),
            m::MODEL_OBSERVED_ERROR_RATE => (N::Flagged, D::Surfaced),
            m::USER_COMPLIANCE => (N::NoticedFollowed, D::Noticed),
            m::USER_HARM_PER_USER => (N::Harm, D::UserDays),
            m::USER_NET_VALUE_PER_USER => (N::NetValue, D::UserDays),
            m::LEADING_SENTIMENT => (N::Sentiment, D::Stays),
            m::LEADING_RETENTION => (N::Stays, D::UserDays),
            m::LEADING_DEPARTURES => (N::Leaves, D::UserDays),
            _ => return None,
        };
        Some(Self(n, d))
    }

    /// The tally's running numerator and denominator (the parts counted in
    /// the tally; staying and leaving are added by [`Arms::record`]).
    fn reading(self, t: &Tally, cfg: &Config) -> [f64; 2] {
        let n = match self.0 {
            Numerator::Noticed => t.noticed as f64,
            Numerator::Surfaced => t.surfaced as f64,
            Numerator::Reported => t.reported as f64,
            Numerator::Incidents => t.incidents as f64,
            Numerator::Flagged => t.flagged as f64,
            Numerator::NoticedFollowed => t.noticed_followed as f64,
            Numerator::Harm => t.harm,
            Numerator::NetValue => t.value - t.harm - t.minutes * cfg.value_per_minute,
            Numerator::Sentiment => t.sentiment_sum,
            Numerator::Stays | Numerator::Leaves => 0.0,
        };
        let d = match self.1 {
            Denominator::Noticed => t.noticed as f64,
            Denominator::Surfaced => t.surfaced as f64,
            Denominator::UserDays | Denominator::Stays => 0.0,
        };
        [n, d]
    }
}

/// Metric ids of the user world that have a per-user form an experiment can
/// analyse (see [`super::UsersWorld::start_experiment`]).
pub fn experiment_metrics() -> impl Iterator<Item = &'static str> {
    METRICS
        .iter()
        .enumerate()
        .filter(|(i, _)| UnitMeasure::of(*i).is_some())
        .map(|(_, spec)| spec.id)
}

/// The experiment's state in the world.
#[derive(Clone, Debug)]
pub struct Arms {
    /// Design B's parameters, as typed values.
    pub(super) cfg_b: Config,
    share_b: f64,
    /// Key of the split; a user is in B when their hashed id is below `cut_b`.
    key: u64,
    cut_b: u64,
    metric: usize,
    measure: UnitMeasure,
    /// Per user id: the measure's numerator and denominator summed over the
    /// experiment's days ([0, 0] for ids not yet seen).
    sums: Vec<[f64; 2]>,
    /// Each arm's users at the end of the last day.
    active: [u64; 2],
    /// Each arm's sign-ups of the day being finished.
    pub(super) arrivals: [u64; 2],
    /// Each arm's cumulative profit, as the world's own.
    pub(super) profit_cumulative: [f64; 2],
    /// Each arm's measures of the last day (the world's columns).
    pub(super) rows: [Vec<f64>; 2],
}

impl Arms {
    /// An experiment with `share_b` of users in B (clamped to [0, 1]) on
    /// metric column `metric`; None if the metric has no per-user form.
    pub(super) fn new(
        params_b: &ParamValues,
        share_b: f64,
        metric: usize,
        seed: u64,
    ) -> Option<Self> {
        let measure = UnitMeasure::of(metric)?;
        let share_b = if share_b.is_nan() {
            0.0
        } else {
            share_b.clamp(0.0, 1.0)
        };
        Some(Self {
            cfg_b: Config::from_params(params_b),
            share_b,
            key: rng::key2(seed, Stream::Experiment, 0),
            // unit53 < share ⇔ the draw's top 53 bits < share · 2⁵³.
            cut_b: (share_b * (1u64 << 53) as f64) as u64,
            metric,
            measure,
            sums: Vec::new(),
            active: [0; 2],
            arrivals: [0; 2],
            profit_cumulative: [0.0; 2],
            rows: [vec![0.0; METRICS.len()], vec![0.0; METRICS.len()]],
        })
    }

    /// User `id` is in treatment (design B).
    #[inline]
    pub fn in_b(&self, id: u32) -> bool {
        (rng::sub_key(self.key, u64::from(id)) >> 11) < self.cut_b
    }

    /// Share of users in B.
    pub fn share_b(&self) -> f64 {
        self.share_b
    }

    /// The experiment's metric column.
    pub fn metric(&self) -> usize {
        self.metric
    }

    /// The running numerator and denominator of the measure in `t`, before
    /// a user's day.
    #[inline]
    pub(super) fn reading(&self, t: &Tally, cfg: &Config) -> [f64; 2] {
        self.measure.reading(t, cfg)
    }

    /// Adds user `id`'s day (the tally's change since `before`) to their sums.
    #[inline]
    pub(super) fn record(
        &mut self,
        id: u32,
        before: [f64; 2],
        t: &Tally,
        cfg: &Config,
        leaves: bool,
    ) {
        let after = self.measure.reading(t, cfg);
        let stays = f64::from(u8::from(!leaves));
        let n = match self.measure.0 {
            Numerator::Stays => stays,
            Numerator::Leaves => 1.0 - stays,
            _ => after[0] - before[0],
        };
        let d = match self.measure.1 {
            Denominator::UserDays => 1.0,
            Denominator::Stays => stays,
            _ => after[1] - before[1],
        };
        let i = id as usize;
        if i >= self.sums.len() {
            self.sums.resize(i + 1, [0.0; 2]);
        }
        self.sums[i][0] += n;
        self.sums[i][1] += d;
    }

    /// Sets each arm's users at the end of a day.
    pub(super) fn set_active(&mut self, active: [u64; 2]) {
        self.active = active;
    }

    /// Each arm's users at the end of the last day.
    pub fn active(&self) -> [u64; 2] {
        self.active
    }

    /// Each arm's measures of the last day: the world's columns computed
    /// from that arm's users (world-level columns such as the model's
    /// quality and the fairness gaps are the whole world's).
    pub fn rows(&self) -> [&[f64]; 2] {
        [&self.rows[0], &self.rows[1]]
    }

    /// Every user seen so far with a non-zero denominator: (in B, the
    /// numerator's sum, the denominator's sum) over the experiment's days.
    pub fn units(&self) -> impl Iterator<Item = (bool, f64, f64)> + '_ {
        self.sums
            .iter()
            .enumerate()
            .filter(|(_, s)| s[1] != 0.0)
            .map(|(id, s)| (self.in_b(id as u32), s[0], s[1]))
    }
}
