//! Lending to two groups, and the delayed impact of the lending policy on the
//! groups' credit.
//!
//! This module owns the lending world. Each group's population is a
//! distribution over credit-score clusters; each cluster has a probability
//! of repaying a loan. Every day applicants arrive; a lender's policy
//! decides, from an applicant's group and cluster, whether to lend. A repaid
//! loan moves a small amount of the group's mass (one person) some clusters
//! up; a default moves it some clusters down. So the policy that decides
//! today's loans also decides tomorrow's population: that is Liu et al.'s
//! *delayed impact*.
//!
//! # Two cluster tables (`world.clusters`)
//! - `gym`: ml-fairness-gym's seven clusters ([`REPAY_PROB`],
//!   [`GROUP_1_START`]), one cluster up on repayment and one down on
//!   default. The clusters are unevenly spaced in repayment probability, so
//!   a step down from 0.6 costs more than a step up gains.
//! - `score_bands`: Liu et al.'s setting, a credit score from 300 to 850 in
//!   23 bands of 25 points ([`BAND_SCORE`]), a repayment probability rising
//!   with the score in an S-shape ([`BAND_REPAY_PROB`]) and a score change
//!   written in bands (`world.repay_step_clusters`,
//!   `world.default_step_clusters`; Liu et al. use +75 and −150 points, so 3
//!   and 6). A loan then raises the borrower's expected score exactly where
//!   `p·up − (1 − p)·down > 0`, and the lender's break-even probability
//!   `loss / (gain + loss)` decides whether its loans sit above that line
//!   (improvement), on it (stagnation) or below it (active harm).
//!
//! # Policies
//! - `max_utility`: lend wherever the expected profit is positive,
//!   `p·interest − (1 − p)·loss > 0`, the same threshold for both groups.
//! - `equal_opportunity`: the most profitable policy whose true positive rate
//!   (share of would-be repayers who get a loan) is equal in both groups.
//! - `demographic_parity`: the most profitable policy with equal approval
//!   rates in both groups.
//! - `fixed_threshold`: lend when `p ≥ threshold`.
//!
//! The constrained policies lend to clusters from the most to the least
//! creditworthy, filling each group up to a common level (true positive rate
//! or approval rate) and randomizing at the boundary cluster. Profit as a
//! function of the level is concave in each group (each extra unit of
//! level comes from a less creditworthy cluster), so the best common level
//! is one of the groups' breakpoints; all of them are tried each day.
//! The lender knows every cluster's repayment probability (ml-fairness-gym's
//! oracle agent): the harm shown is the policy's, not an estimation error's.
//!
//! # What the world shows
//! With ml-fairness-gym's defaults (their `DelayedImpactEnv`: the cluster
//! table below, group 2 one cluster below group 1, interest equal to the loan
//! amount, 0.01 of a group's mass moved per loan), the max-utility lender
//! lends only where `p > 0.5`. A default from the lowest lendable cluster
//! (p = 0.6) drops a person to p = 0.45 where no more loans come to lift
//! them, so mass leaks out of the lendable clusters and *both* groups' mean
//! repayment probability falls over time. Equal opportunity lends deeper
//! into group 2 (down to clusters where repayment is a coin flip or worse),
//! and with these defaults lowers group 2's mean further than max utility
//! does (over 1,000 days about −0.12 against −0.06): a fairness constraint
//! applied to a one-step decision can cause the delayed harm Liu et al.
//! warn about.
//!
//! Sources: L. Liu, S. Dean, E. Rolf, M. Simchowitz, M. Hardt, *Delayed Impact
//! of Fair Machine Learning*, ICML 2018; A. D'Amour et al., *Fairness is Not
//! Static* (FAT* 2020) and google/ml-fairness-gym's lending environment
//! (`environments/lending.py`, `lending_params.py`, `experiments/lending.py`).

mod measures;
mod params;

use measures as m;
pub use params::{Clusters, HEADLINES, KEY_MEASURES, METRICS, PARAMS, Policy};
use params::{PROFIT_DAY_MAX, PROFIT_TOTAL_MAX};

use crate::sim::registry::ParamValues;
use crate::sim::rng::{Stream, stream, uniform};
use crate::sim::{Event, ratio, unit};

/// Number of ml-fairness-gym's credit-score clusters (`world.clusters = gym`).
pub const CLUSTERS: usize = 7;

/// Probability of repaying a loan in each of ml-fairness-gym's clusters,
/// lowest cluster first.
///
/// From ml-fairness-gym (`DELAYED_IMPACT_SUCCESS_PROBS`); non-decreasing.
pub const REPAY_PROB: [f64; CLUSTERS] = [0.1, 0.2, 0.45, 0.6, 0.65, 0.7, 0.7];

/// Group 1's starting share of people in each of ml-fairness-gym's clusters.
///
/// From ml-fairness-gym (`DELAYED_IMPACT_CLUSTER_PROBS[0]`); their group 2 is
/// this distribution one cluster lower (see `world.group_gap_clusters`).
pub const GROUP_1_START: [f64; CLUSTERS] = [0.0, 0.1, 0.1, 0.2, 0.3, 0.3, 0.0];

/// Number of score bands (`world.clusters = score_bands`), and the most
/// clusters any table has.
pub const BANDS: usize = 23;

/// Lowest score of each band, in credit-score points: 300 to 850 in steps
/// of 25 (the FICO range Liu et al. plot).
pub const BAND_SCORE: [f64; BANDS] = [
    300.0, 325.0, 350.0, 375.0, 400.0, 425.0, 450.0, 475.0, 500.0, 525.0, 550.0, 575.0, 600.0,
    625.0, 650.0, 675.0, 700.0, 725.0, 750.0, 775.0, 800.0, 825.0, 850.0,
];

/// Width of a score band, in credit-score points.
pub const BAND_POINTS: f64 = 25.0;

/// Probability of repaying in each score band: the logistic curve
/// `1 / (1 + exp(−(score − 600) / 40))` rounded to three decimals, the
/// S-shape of the repayment-by-score curves Liu et al. draw from FICO data
/// (the curve's midpoint and slope are this model's choice).
pub const BAND_REPAY_PROB: [f64; BANDS] = [
    0.001, 0.001, 0.002, 0.004, 0.007, 0.012, 0.023, 0.042, 0.076, 0.133, 0.223, 0.349, 0.5, 0.651,
    0.777, 0.867, 0.924, 0.958, 0.977, 0.988, 0.993, 0.996, 0.998,
];

/// Group 1's starting share of people in each score band: a normal curve
/// around 700 points with a spread of 80, cut at 300 and 850 and rounded to
/// three decimals (group 2 is the same curve `world.group_gap_clusters`
/// bands lower).
pub const BAND_GROUP_1_START: [f64; BANDS] = [
    0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.001, 0.002, 0.006, 0.012, 0.022, 0.038, 0.058, 0.082, 0.105,
    0.121, 0.127, 0.121, 0.105, 0.082, 0.058, 0.038, 0.022,
];

/// One cluster table: repayment probability and group 1's start per
/// cluster, lowest first.
#[derive(Debug, PartialEq)]
struct Table {
    repay: &'static [f64],
    start_1: &'static [f64],
}

impl Table {
    fn of(kind: Clusters) -> &'static Table {
        const GYM: Table = Table {
            repay: &REPAY_PROB,
            start_1: &GROUP_1_START,
        };
        const SCORE_BANDS: Table = Table {
            repay: &BAND_REPAY_PROB,
            start_1: &BAND_GROUP_1_START,
        };
        match kind {
            Clusters::Gym => &GYM,
            Clusters::ScoreBands => &SCORE_BANDS,
        }
    }

    fn len(&self) -> usize {
        self.repay.len()
    }
}

/// Largest number of applicants a day.
pub const MAX_APPLICANTS: usize = 1000;

#[derive(Clone, Debug, PartialEq)]
struct Config {
    table: &'static Table,
    up: usize,
    down: usize,
    applicants: usize,
    group_share_1: f64,
    gap_clusters: usize,
    cluster_shift: f64,
    gain: f64,
    loss: f64,
    policy: Policy,
    threshold: f64,
    forcefulness: f64,
}

impl Config {
    fn read(p: &ParamValues) -> Self {
        Self {
            table: Table::of(p.choice("world.clusters")),
            up: p.get("world.repay_step_clusters") as usize,
            down: p.get("world.default_step_clusters") as usize,
            applicants: p.get("world.applicants_per_day") as usize,
            group_share_1: p.get("world.group_share_1"),
            gap_clusters: p.get("world.group_gap_clusters") as usize,
            cluster_shift: p.get("world.cluster_shift"),
            gain: p.get("value.interest_per_loan"),
            loss: p.get("value.loss_per_default"),
            policy: p.choice("policy.kind"),
            threshold: p.get("policy.threshold"),
            forcefulness: p.get("experience.forcefulness"),
        }
    }

    /// Expected profit of one loan to cluster `c`.
    fn margin(&self, c: usize) -> f64 {
        let p = self.table.repay[c];
        p * self.gain - (1.0 - p) * self.loss
    }

    fn n(&self) -> usize {
        self.table.len()
    }

    fn shares(&self) -> [f64; 2] {
        [self.group_share_1, 1.0 - self.group_share_1]
    }
}

/// A distribution over at most [`BANDS`] clusters (the table's first ones used).
type Dist = [f64; BANDS];

/// `start` moved down by `gap` clusters, the overflow piled at the bottom.
fn shifted(start: &[f64], gap: usize) -> Dist {
    let mut d = [0.0; BANDS];
    for (c, &mass) in start.iter().enumerate() {
        d[c.saturating_sub(gap)] += mass;
    }
    d
}

/// Mean repayment probability of a distribution over clusters whose
/// repayment probabilities are `repay` (0 for an empty one).
pub fn mean_repay(d: &[f64], repay: &[f64]) -> f64 {
    let total: f64 = d.iter().sum();
    if total <= 0.0 {
        return 0.0;
    }
    d.iter().zip(repay).map(|(m, p)| m * p).sum::<f64>() / total
}

/// What a constrained policy equalizes across groups.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Level {
    /// Share of would-be repayers approved.
    TruePositiveRate,
    /// Share of applicants approved.
    ApprovalRate,
}

/// The per-cluster weight a level counts: repayer mass or all mass.
fn level_weight(level: Level, d: &[f64], repay: &[f64], c: usize) -> f64 {
    match level {
        Level::TruePositiveRate => d[c] * repay[c],
        Level::ApprovalRate => d[c],
    }
}

/// Lends from the most creditworthy cluster down until `level` of the
/// group's weight is reached; the boundary cluster is lent to in part.
/// Empty clusters above the boundary are lent to, below it not.
fn fill_to_level(level: Level, d: &[f64], repay: &[f64], target: f64, accept: &mut [f64]) {
    const EPS: f64 = 1e-12;
    let n = repay.len();
    let total: f64 = (0..n).map(|c| level_weight(level, d, repay, c)).sum();
    let mut remaining = target.clamp(0.0, 1.0) * total;
    for c in (0..n).rev() {
        let w = level_weight(level, d, repay, c);
        if w <= 0.0 {
            accept[c] = if remaining > EPS { 1.0 } else { 0.0 };
        } else if remaining >= w - EPS {
            accept[c] = 1.0;
            remaining = (remaining - w).max(0.0);
        } else {
            let part = remaining / w;
            // Rounding residue is not a decision: snap it to none or all.
            accept[c] = if part < EPS {
                0.0
            } else if part > 1.0 - EPS {
                1.0
            } else {
                part
            };
            remaining = 0.0;
        }
    }
}

/// The lending world: two groups' credit distributions and the lender.
#[derive(Clone, Debug)]
pub struct LendingWorld {
    seed: u64,
    cfg: Config,
    /// The cluster table read when the run started (a step cannot change it).
    table: &'static Table,
    /// Per group, the share of people in each cluster (boxed with the
    /// start, so the world stays about as large as the other worlds).
    dist: Box<[Dist; 2]>,
    start: Box<[Dist; 2]>,
    /// Probability of approval per group and cluster, for the current day.
    accept: [Dist; 2],
    cumulative_profit: f64,
    loans_total: [f64; 2],
    defaults_total: [f64; 2],
}

impl LendingWorld {
    /// A world at day 0 with the starting credit distributions.
    pub fn new(params: &ParamValues, seed: u64) -> Self {
        let cfg = Config::read(params);
        let table = cfg.table;
        let start = [
            shifted(table.start_1, 0),
            shifted(table.start_1, cfg.gap_clusters),
        ];
        let mut w = Self {
            seed,
            cfg,
            table,
            dist: Box::new(start),
            start: Box::new(start),
            accept: [[0.0; BANDS]; 2],
            cumulative_profit: 0.0,
            loans_total: [0.0; 2],
            defaults_total: [0.0; 2],
        };
        w.decide_policy();
        w
    }

    /// Applies new parameter values from the next step (the cluster table
    /// and the starting distributions are only read when a run starts).
    pub fn configure(&mut self, params: &ParamValues) {
        self.cfg = Config::read(params);
        self.cfg.table = self.table;
        self.decide_policy();
    }

    /// Sets `accept` for the current distributions.
    fn decide_policy(&mut self) {
        let cfg = &self.cfg;
        let n = cfg.n();
        let mut policy = [[0.0; BANDS]; 2];
        match cfg.policy {
            Policy::MaxUtility => {
                for row in &mut policy {
                    for (c, a) in row[..n].iter_mut().enumerate() {
                        *a = if cfg.margin(c) > 0.0 { 1.0 } else { 0.0 };
                    }
                }
            }
            Policy::FixedThreshold => policy = self.threshold_rule(),
            Policy::EqualOpportunity => policy = self.best_common_level(Level::TruePositiveRate),
            Policy::DemographicParity => policy = self.best_common_level(Level::ApprovalRate),
        }
        let officer = self.threshold_rule();
        let f = cfg.forcefulness;
        for g in 0..2 {
            for c in 0..n {
                self.accept[g][c] = f * policy[g][c] + (1.0 - f) * officer[g][c];
            }
        }
    }

    fn threshold_rule(&self) -> [Dist; 2] {
        let repay = self.cfg.table.repay;
        let mut a = [[0.0; BANDS]; 2];
        for row in &mut a {
            for (c, x) in row[..repay.len()].iter_mut().enumerate() {
                *x = if repay[c] >= self.cfg.threshold {
                    1.0
                } else {
                    0.0
                };
            }
        }
        a
    }

    /// The most profitable acceptance table with the same `level` in both
    /// groups, trying every breakpoint of either group (and 0 and 1).
    fn best_common_level(&self, level: Level) -> [Dist; 2] {
        let repay = self.cfg.table.repay;
        let clusters = repay.len();
        let mut candidates = [0.0; 2 * BANDS + 2];
        let mut n = 0;
        candidates[n] = 0.0;
        n += 1;
        candidates[n] = 1.0;
        n += 1;
        for d in self.dist.iter() {
            let total: f64 = (0..clusters)
                .map(|c| level_weight(level, d, repay, c))
                .sum();
            if total <= 0.0 {
                continue;
            }
            let mut acc = 0.0;
            for c in (0..clusters).rev() {
                acc += level_weight(level, d, repay, c);
                candidates[n] = (acc / total).clamp(0.0, 1.0);
                n += 1;
            }
        }
        let candidates = &mut candidates[..n];
        candidates.sort_unstable_by(f64::total_cmp);
        let shares = self.cfg.shares();
        let mut best = [[0.0; BANDS]; 2];
        let mut best_profit = f64::NEG_INFINITY;
        let mut table = [[0.0; BANDS]; 2];
        for &t in candidates.iter() {
            let mut profit = 0.0;
            for ((d, row), share) in self.dist.iter().zip(&mut table).zip(shares) {
                fill_to_level(level, &d[..clusters], repay, t, &mut row[..clusters]);
                for (c, (mass, accept)) in d[..clusters].iter().zip(row.iter()).enumerate() {
                    profit += share * mass * accept * self.cfg.margin(c);
                }
            }
            if profit > best_profit + 1e-15 {
                best_profit = profit;
                best = table;
            }
        }
        best
    }

    /// Expected (TPR, approval rate, approved repayer mass, approved mass)
    /// of group `g` under the current table.
    fn expected(&self, g: usize) -> (f64, f64, f64, f64) {
        let d = &self.dist[g];
        let repay = self.table.repay;
        let (mut repayers, mut approved_repayers, mut approved, mut total) = (0.0, 0.0, 0.0, 0.0);
        for c in 0..repay.len() {
            repayers += d[c] * repay[c];
            approved_repayers += d[c] * repay[c] * self.accept[g][c];
            approved += d[c] * self.accept[g][c];
            total += d[c];
        }
        (
            ratio(approved_repayers, repayers),
            ratio(approved, total),
            approved_repayers,
            approved,
        )
    }

    /// Advances one day (1-based) and writes one value per metric into `out`.
    pub fn step(&mut self, day: u32, out: &mut [f64], _events: &mut Vec<Event>) {
        self.decide_policy();
        let (tpr1, rate1, ar1, a1) = self.expected(0);
        let (tpr2, rate2, ar2, a2) = self.expected(1);
        let shares = self.cfg.shares();
        let precision = ratio(
            shares[0] * ar1 + shares[1] * ar2,
            shares[0] * a1 + shares[1] * a2,
        );

        let (mut loans, mut repaid, mut defaulted) = (0u32, 0u32, 0u32);
        let mut profit = 0.0;
        let n = self.cfg.applicants;
        let repay = self.table.repay;
        let top = repay.len() - 1;
        for a in 0..n {
            let mut rng = stream(self.seed, Stream::Loop, u64::from(day), a as u64);
            let g = usize::from(uniform(&mut rng) >= self.cfg.group_share_1);
            let d = &self.dist[g][..=top];
            let total: f64 = d.iter().sum();
            let u = uniform(&mut rng) * total;
            let mut acc = 0.0;
            let mut cluster = None;
            let mut last_positive = 0;
            for (c, &mass) in d.iter().enumerate() {
                if mass > 0.0 {
                    last_positive = c;
                    acc += mass;
                    if u < acc {
                        cluster = Some(c);
                        break;
                    }
                }
            }
            let c = cluster.unwrap_or(last_positive);
            let approve = uniform(&mut rng) < self.accept[g][c];
            let repays = uniform(&mut rng) < repay[c];
            if !approve {
                continue;
            }
            loans += 1;
            self.loans_total[g] += 1.0;
            let to = if repays {
                repaid += 1;
                profit += self.cfg.gain;
                (c + self.cfg.up).min(top)
            } else {
                defaulted += 1;
                profit -= self.cfg.loss;
                self.defaults_total[g] += 1.0;
                c.saturating_sub(self.cfg.down)
            };
            let moved = self.cfg.cluster_shift.min(self.dist[g][c]);
            self.dist[g][c] -= moved;
            self.dist[g][to] += moved;
        }
        self.cumulative_profit += profit;

        let p1 = self.mean_repay_prob(0);
        let p2 = self.mean_repay_prob(1);
        debug_assert_eq!(out.len(), m::COUNT);
        out[m::TPR_1] = unit(tpr1);
        out[m::TPR_2] = unit(tpr2);
        out[m::TPR_GAP] = unit((tpr1 - tpr2).abs());
        out[m::PRECISION] = unit(precision);
        out[m::REPAY_PROB_1] = unit(p1);
        out[m::REPAY_PROB_2] = unit(p2);
        out[m::REPAY_PROB_GAP] = (p1 - p2).clamp(-1.0, 1.0);
        out[m::SCORE_1] = self.mean_score(0);
        out[m::SCORE_2] = self.mean_score(1);
        out[m::APPROVAL_1] = unit(rate1);
        out[m::APPROVAL_2] = unit(rate2);
        out[m::LOANS] = f64::from(loans);
        out[m::APPROVAL_RATE] = unit(ratio(f64::from(loans), n as f64));
        out[m::REPAID_SHARE] = unit(ratio(f64::from(repaid), f64::from(loans)));
        out[m::PROFIT] = profit.clamp(-PROFIT_DAY_MAX, PROFIT_DAY_MAX);
        out[m::CUMULATIVE_PROFIT] = self
            .cumulative_profit
            .clamp(-PROFIT_TOTAL_MAX, PROFIT_TOTAL_MAX);
        out[m::APPROVAL_GAP] = unit((rate1 - rate2).abs());
        out[m::APPLICANTS] = n as f64;
        out[m::REPAID] = f64::from(repaid);
        out[m::DEFAULTED] = f64::from(defaulted);
    }

    /// Probability of repaying in each cluster of the run's table, lowest
    /// first.
    pub fn repay_probs(&self) -> &'static [f64] {
        self.table.repay
    }

    /// Lowest credit score of each cluster, in points, when the run uses
    /// score bands (`None` for ml-fairness-gym's clusters, which have no
    /// score).
    pub fn cluster_scores(&self) -> Option<&'static [f64]> {
        (self.table.len() == BANDS).then_some(&BAND_SCORE[..])
    }

    /// Current share of group `group`'s people (0 or 1) in each cluster.
    pub fn cluster_distribution(&self, group: usize) -> &[f64] {
        &self.dist[group.min(1)][..self.table.len()]
    }

    /// Group `group`'s distribution at the start of the run.
    pub fn start_distribution(&self, group: usize) -> &[f64] {
        &self.start[group.min(1)][..self.table.len()]
    }

    /// Probability of approval per cluster for group `group` under the
    /// latest day's policy (model and officers combined).
    pub fn approval_probabilities(&self, group: usize) -> &[f64] {
        &self.accept[group.min(1)][..self.table.len()]
    }

    /// Group `group`'s current mean repayment probability.
    pub fn mean_repay_prob(&self, group: usize) -> f64 {
        mean_repay(self.cluster_distribution(group), self.table.repay)
    }

    /// Group `group`'s current mean credit score: in points with score
    /// bands (each band at its lowest score), the cluster number (1 to 7)
    /// with ml-fairness-gym's clusters (0 for an empty group).
    pub fn mean_score(&self, group: usize) -> f64 {
        let d = self.cluster_distribution(group);
        let total: f64 = d.iter().sum();
        if total <= 0.0 {
            return 0.0;
        }
        let score = |c: usize| match self.cluster_scores() {
            Some(s) => s[c],
            None => (c + 1) as f64,
        };
        d.iter().enumerate().map(|(c, m)| m * score(c)).sum::<f64>() / total
    }

    /// Group `group`'s mean repayment probability at the start of the run.
    pub fn start_mean_repay_prob(&self, group: usize) -> f64 {
        mean_repay(self.start_distribution(group), self.table.repay)
    }

    /// Loans made to group `group` since day 1.
    pub fn loans_total(&self, group: usize) -> f64 {
        self.loans_total[group.min(1)]
    }

    /// Defaults in group `group` since day 1.
    pub fn defaults_total(&self, group: usize) -> f64 {
        self.defaults_total[group.min(1)]
    }

    /// Lender's profit since day 1, in loan amounts.
    pub fn cumulative_profit(&self) -> f64 {
        self.cumulative_profit
    }
}

#[cfg(test)]
mod tests;
