//! Lending to two groups, and the delayed impact of the lending policy on the
//! groups' credit.
//!
//! This module owns the lending world. Each group's population is a
//! distribution over [`CLUSTERS`] credit-score clusters; each cluster has a
//! probability of repaying a loan ([`REPAY_PROB`]). Every day applicants
//! arrive; a lender's policy decides, from an applicant's group and cluster,
//! whether to lend. A repaid loan moves a small amount of the group's mass
//! (one person) one cluster up; a default moves it one cluster down. So the
//! policy that decides today's loans also decides tomorrow's population:
//! that is Liu et al.'s *delayed impact*.
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
pub use params::{HEADLINES, KEY_MEASURES, METRICS, PARAMS, Policy};
use params::{PROFIT_DAY_MAX, PROFIT_TOTAL_MAX};

use crate::sim::registry::ParamValues;
use crate::sim::rng::{Stream, stream, uniform};
use crate::sim::{Event, ratio, unit};

/// Number of credit-score clusters.
pub const CLUSTERS: usize = 7;

/// Probability of repaying a loan in each cluster, lowest cluster first.
///
/// From ml-fairness-gym (`DELAYED_IMPACT_SUCCESS_PROBS`); non-decreasing.
pub const REPAY_PROB: [f64; CLUSTERS] = [0.1, 0.2, 0.45, 0.6, 0.65, 0.7, 0.7];

/// Group 1's starting share of people in each cluster.
///
/// From ml-fairness-gym (`DELAYED_IMPACT_CLUSTER_PROBS[0]`); their group 2 is
/// this distribution one cluster lower (see `world.group_gap_clusters`).
pub const GROUP_1_START: [f64; CLUSTERS] = [0.0, 0.1, 0.1, 0.2, 0.3, 0.3, 0.0];

/// Largest number of applicants a day.
pub const MAX_APPLICANTS: usize = 1000;

#[derive(Clone, Debug, PartialEq)]
struct Config {
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
        REPAY_PROB[c] * self.gain - (1.0 - REPAY_PROB[c]) * self.loss
    }

    fn shares(&self) -> [f64; 2] {
        [self.group_share_1, 1.0 - self.group_share_1]
    }
}

/// Group 1's start moved down by `gap` clusters, the overflow piled at the bottom.
fn shifted_start(gap: usize) -> [f64; CLUSTERS] {
    let mut d = [0.0; CLUSTERS];
    for (c, &mass) in GROUP_1_START.iter().enumerate() {
        d[c.saturating_sub(gap)] += mass;
    }
    d
}

/// Mean repayment probability of a distribution over the clusters (0 for
/// an empty one).
pub fn mean_repay(d: &[f64; CLUSTERS]) -> f64 {
    let total: f64 = d.iter().sum();
    if total <= 0.0 {
        return 0.0;
    }
    d.iter().zip(REPAY_PROB).map(|(m, p)| m * p).sum::<f64>() / total
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
fn level_weight(level: Level, d: &[f64; CLUSTERS], c: usize) -> f64 {
    match level {
        Level::TruePositiveRate => d[c] * REPAY_PROB[c],
        Level::ApprovalRate => d[c],
    }
}

/// Lends from the most creditworthy cluster down until `level` of the
/// group's weight is reached; the boundary cluster is lent to in part.
/// Empty clusters above the boundary are lent to, below it not.
fn fill_to_level(level: Level, d: &[f64; CLUSTERS], target: f64, accept: &mut [f64; CLUSTERS]) {
    const EPS: f64 = 1e-12;
    let total: f64 = (0..CLUSTERS).map(|c| level_weight(level, d, c)).sum();
    let mut remaining = target.clamp(0.0, 1.0) * total;
    for c in (0..CLUSTERS).rev() {
        let w = level_weight(level, d, c);
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
    dist: [[f64; CLUSTERS]; 2],
    start: [[f64; CLUSTERS]; 2],
    /// Probability of approval per group and cluster, for the current day.
    accept: [[f64; CLUSTERS]; 2],
    cumulative_profit: f64,
    loans_total: [f64; 2],
    defaults_total: [f64; 2],
}

impl LendingWorld {
    /// A world at day 0 with the starting credit distributions.
    pub fn new(params: &ParamValues, seed: u64) -> Self {
        let cfg = Config::read(params);
        let start = [GROUP_1_START, shifted_start(cfg.gap_clusters)];
        let mut w = Self {
            seed,
            cfg,
            dist: start,
            start,
            accept: [[0.0; CLUSTERS]; 2],
            cumulative_profit: 0.0,
            loans_total: [0.0; 2],
            defaults_total: [0.0; 2],
        };
        w.decide_policy();
        w
    }

    /// Applies new parameter values from the next step (the starting
    /// distributions are only read when a run starts).
    pub fn configure(&mut self, params: &ParamValues) {
        self.cfg = Config::read(params);
        self.decide_policy();
    }

    /// Sets `accept` for the current distributions.
    fn decide_policy(&mut self) {
        let cfg = &self.cfg;
        let mut policy = [[0.0; CLUSTERS]; 2];
        match cfg.policy {
            Policy::MaxUtility => {
                for row in &mut policy {
                    for (c, a) in row.iter_mut().enumerate() {
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
            for c in 0..CLUSTERS {
                self.accept[g][c] = f * policy[g][c] + (1.0 - f) * officer[g][c];
            }
        }
    }

    fn threshold_rule(&self) -> [[f64; CLUSTERS]; 2] {
        let mut a = [[0.0; CLUSTERS]; 2];
        for row in &mut a {
            for (c, x) in row.iter_mut().enumerate() {
                *x = if REPAY_PROB[c] >= self.cfg.threshold {
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
    fn best_common_level(&self, level: Level) -> [[f64; CLUSTERS]; 2] {
        let mut candidates = [0.0; 2 * CLUSTERS + 2];
        let mut n = 0;
        candidates[n] = 0.0;
        n += 1;
        candidates[n] = 1.0;
        n += 1;
        for d in &self.dist {
            let total: f64 = (0..CLUSTERS).map(|c| level_weight(level, d, c)).sum();
            if total <= 0.0 {
                continue;
            }
            let mut acc = 0.0;
            for c in (0..CLUSTERS).rev() {
                acc += level_weight(level, d, c);
                candidates[n] = (acc / total).clamp(0.0, 1.0);
                n += 1;
            }
        }
        let candidates = &mut candidates[..n];
        candidates.sort_unstable_by(f64::total_cmp);
        let shares = self.cfg.shares();
        let mut best = [[0.0; CLUSTERS]; 2];
        let mut best_profit = f64::NEG_INFINITY;
        let mut table = [[0.0; CLUSTERS]; 2];
        for &t in candidates.iter() {
            let mut profit = 0.0;
            for ((d, row), share) in self.dist.iter().zip(&mut table).zip(shares) {
                fill_to_level(level, d, t, row);
                for (c, (mass, accept)) in d.iter().zip(row.iter()).enumerate() {
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
        let (mut repayers, mut approved_repayers, mut approved, mut total) = (0.0, 0.0, 0.0, 0.0);
        for c in 0..CLUSTERS {
            repayers += d[c] * REPAY_PROB[c];
            approved_repayers += d[c] * REPAY_PROB[c] * self.accept[g][c];
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
        for a in 0..n {
            let mut rng = stream(self.seed, Stream::Loop, u64::from(day), a as u64);
            let g = usize::from(uniform(&mut rng) >= self.cfg.group_share_1);
            let d = &self.dist[g];
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
            let repays = uniform(&mut rng) < REPAY_PROB[c];
            if !approve {
                continue;
            }
            loans += 1;
            self.loans_total[g] += 1.0;
            let to = if repays {
                repaid += 1;
                profit += self.cfg.gain;
                (c + 1).min(CLUSTERS - 1)
            } else {
                defaulted += 1;
                profit -= self.cfg.loss;
                self.defaults_total[g] += 1.0;
                c.saturating_sub(1)
            };
            let moved = self.cfg.cluster_shift.min(self.dist[g][c]);
            self.dist[g][c] -= moved;
            self.dist[g][to] += moved;
        }
        self.cumulative_profit += profit;

        let p1 = mean_repay(&self.dist[0]);
        let p2 = mean_repay(&self.dist[1]);
        debug_assert_eq!(out.len(), m::COUNT);
        out[m::TPR_1] = unit(tpr1);
        out[m::TPR_2] = unit(tpr2);
        out[m::TPR_GAP] = unit((tpr1 - tpr2).abs());
        out[m::PRECISION] = unit(precision);
        out[m::REPAY_PROB_1] = unit(p1);
        out[m::REPAY_PROB_2] = unit(p2);
        out[m::REPAY_PROB_GAP] = (p1 - p2).clamp(-1.0, 1.0);
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

    /// Probability of repaying in each cluster, lowest first.
    pub fn repay_probs(&self) -> &'static [f64; CLUSTERS] {
        &REPAY_PROB
    }

    /// Current share of group `group`'s people (0 or 1) in each cluster.
    pub fn cluster_distribution(&self, group: usize) -> &[f64; CLUSTERS] {
        &self.dist[group.min(1)]
    }

    /// Group `group`'s distribution at the start of the run.
    pub fn start_distribution(&self, group: usize) -> &[f64; CLUSTERS] {
        &self.start[group.min(1)]
    }

    /// Probability of approval per cluster for group `group` under the
    /// latest day's policy (model and officers combined).
    pub fn approval_probabilities(&self, group: usize) -> &[f64; CLUSTERS] {
        &self.accept[group.min(1)]
    }

    /// Group `group`'s current mean repayment probability.
    pub fn mean_repay_prob(&self, group: usize) -> f64 {
        mean_repay(&self.dist[group.min(1)])
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
