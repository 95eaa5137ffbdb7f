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

use super::choice::choice;
use super::registry::{
    Better, Group, Layer, MetricSpec, Noun, ParamKind, ParamSpec, ParamValues, Per, Unit,
    metric_index,
};
use super::rng::{Stream, stream, uniform};
use super::{Event, ratio, unit};

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

choice! {
    /// The lender's rule (`policy.kind`).
    pub enum Policy default MaxUtility {
        /// Lend wherever expected profit is positive.
        MaxUtility = "max_utility",
        /// Most profitable with equal true-positive rates.
        EqualOpportunity = "equal_opportunity",
        /// Most profitable with equal approval rates.
        DemographicParity = "demographic_parity",
        /// Lend at or above a fixed repayment probability.
        FixedThreshold = "fixed_threshold",
    }
}

/// Every parameter of the lending world.
pub const PARAMS: &[ParamSpec] = &[
    ParamSpec {
        id: "world.applicants_per_day",
        label: "Applicants per day",
        unit: Unit::Count(Noun::Applicants, Per::Day),
        kind: ParamKind::Int,
        min: 0.0,
        max: MAX_APPLICANTS as f64,
        default: 10.0,
        group: Group::World,
        doc: "Loan applications decided each day. Each applicant belongs to a group, has a \
              credit cluster drawn from the group's current distribution, and would repay \
              with the cluster's probability.",
        source: "Judgment call: ml-fairness-gym decides one applicant per step over 10,000 \
                 steps; 10 a day covers that in 1,000 days.",
    },
    ParamSpec {
        id: "world.group_share_1",
        label: "Share of applicants from group 1",
        unit: Unit::Share,
        kind: ParamKind::Real,
        min: 0.0,
        max: 1.0,
        default: 0.5,
        group: Group::World,
        doc: "Chance that an applicant belongs to group 1; the others belong to group 2.",
        source: "ml-fairness-gym lending experiments: group_0_prob = 0.5.",
    },
    ParamSpec {
        id: "world.group_gap_clusters",
        label: "Group 2 starts lower by",
        unit: Unit::Count(Noun::Clusters, Per::Total),
        kind: ParamKind::Int,
        min: 0.0,
        max: (CLUSTERS - 1) as f64,
        default: 1.0,
        group: Group::World,
        doc: "Group 2's starting distribution is group 1's moved down by this many clusters \
              (mass that would fall off the bottom piles up in the lowest cluster). Read at \
              the start of a run only.",
        source: "ml-fairness-gym DELAYED_IMPACT_CLUSTER_PROBS: group 2 is group 1 one \
                 cluster lower.",
    },
    ParamSpec {
        id: "world.cluster_shift",
        label: "Mass moved per loan outcome",
        unit: Unit::Share,
        kind: ParamKind::Real,
        min: 0.0,
        max: 0.1,
        default: 0.01,
        group: Group::World,
        doc: "Share of a group's population that moves one cluster up after a repaid loan \
              (down after a default): one person in a group of 1/shift people. 0 turns the \
              delayed impact off.",
        source: "ml-fairness-gym DelayedImpactParams: cluster_shift_increment = 0.01.",
    },
    ParamSpec {
        id: "value.interest_per_loan",
        label: "Gain per repaid loan",
        unit: Unit::LoanAmounts(Per::Total),
        kind: ParamKind::Real,
        min: 0.0,
        max: 10.0,
        default: 1.0,
        group: Group::ValueCost,
        doc: "Lender's gain from a repaid loan, in units of the loan amount. With gain g \
              and loss l, lending pays in expectation where p > l / (g + l).",
        source: "ml-fairness-gym lending experiments: interest_rate = 1.0, loan amount 1.",
    },
    ParamSpec {
        id: "value.loss_per_default",
        label: "Loss per default",
        unit: Unit::LoanAmounts(Per::Total),
        kind: ParamKind::Real,
        min: 0.0,
        max: 10.0,
        default: 1.0,
        group: Group::ValueCost,
        doc: "Lender's loss when a loan is not repaid, in units of the loan amount.",
        source: "ml-fairness-gym: a default costs the loan amount (1).",
    },
    ParamSpec {
        id: "policy.kind",
        label: "Lending policy",
        doc: "max_utility: lend wherever expected profit is positive. equal_opportunity: \
              most profitable policy with the same share of would-be repayers approved in \
              both groups. demographic_parity: most profitable policy with the same \
              approval rate in both groups. fixed_threshold: lend when the repayment \
              probability is at least the threshold.",
        source: "Liu et al. 2018 (MaxUtil, EqOpt, DemParity); ml-fairness-gym threshold \
                 policies.",
        ..ParamSpec::choice::<Policy>(Group::Policy)
    },
    ParamSpec {
        id: "policy.threshold",
        label: "Fixed threshold",
        unit: Unit::RepaymentProbability,
        kind: ParamKind::Real,
        min: 0.0,
        max: 1.0,
        default: 0.5,
        group: Group::Policy,
        doc: "Repayment probability at or above which the fixed_threshold policy lends, \
              and which loan officers use for the applications the model does not decide.",
        source: "Judgment call: the break-even probability at the default gain and loss.",
    },
    ParamSpec {
        id: "experience.forcefulness",
        label: "Forcefulness",
        unit: Unit::Share,
        kind: ParamKind::Real,
        min: 0.0,
        max: 1.0,
        default: 1.0,
        group: Group::Experience,
        doc: "Share of applications decided automatically by the policy; the others are \
              decided by loan officers applying the fixed threshold.",
        source: "Judgment call (the course's forcefulness factor applied to loan decisions).",
    },
];

mod m {
    use super::super::registry::metric_index;

    pub const TPR_1: usize = metric_index(super::METRICS, "model.tpr_1");
    pub const TPR_2: usize = metric_index(super::METRICS, "model.tpr_2");
    pub const TPR_GAP: usize = metric_index(super::METRICS, "model.tpr_gap");
    pub const PRECISION: usize = metric_index(super::METRICS, "model.precision");
    pub const REPAY_PROB_1: usize = metric_index(super::METRICS, "user.repay_prob_1");
    pub const REPAY_PROB_2: usize = metric_index(super::METRICS, "user.repay_prob_2");
    pub const REPAY_PROB_GAP: usize = metric_index(super::METRICS, "user.repay_prob_gap");
    pub const APPROVAL_1: usize = metric_index(super::METRICS, "user.approval_rate_1");
    pub const APPROVAL_2: usize = metric_index(super::METRICS, "user.approval_rate_2");
    pub const LOANS: usize = metric_index(super::METRICS, "leading.loans");
    pub const APPROVAL_RATE: usize = metric_index(super::METRICS, "leading.approval_rate");
    pub const REPAID_SHARE: usize = metric_index(super::METRICS, "leading.repaid_share");
    pub const PROFIT: usize = metric_index(super::METRICS, "org.profit");
    pub const CUMULATIVE_PROFIT: usize = metric_index(super::METRICS, "org.cumulative_profit");
    pub const APPROVAL_GAP: usize = metric_index(super::METRICS, "org.approval_gap");
    pub const APPLICANTS: usize = metric_index(super::METRICS, "flow.applicants");
    pub const REPAID: usize = metric_index(super::METRICS, "flow.loans_repaid");
    pub const DEFAULTED: usize = metric_index(super::METRICS, "flow.loans_defaulted");
    pub const COUNT: usize = super::METRICS.len();
}

const PROFIT_DAY_MAX: f64 = 1e5;
const PROFIT_TOTAL_MAX: f64 = 1e12;

/// Every per-day measure of the lending world.
pub const METRICS: &[MetricSpec] = &[
    MetricSpec {
        id: "model.tpr_1",
        label: "True positive rate, group 1",
        unit: Unit::Share,
        layer: Layer::Model,
        better: Better::Up,
        observable: false,
        min: 0.0,
        max: 1.0,
        doc: "Share of group 1's would-be repayers the day's policy approves (expected, \
              from the group's distribution at the start of the day).",
    },
    MetricSpec {
        id: "model.tpr_2",
        label: "True positive rate, group 2",
        unit: Unit::Share,
        layer: Layer::Model,
        better: Better::Up,
        observable: false,
        min: 0.0,
        max: 1.0,
        doc: "Share of group 2's would-be repayers the day's policy approves (expected).",
    },
    MetricSpec {
        id: "model.tpr_gap",
        label: "True positive rate gap",
        unit: Unit::Share,
        layer: Layer::Model,
        better: Better::Down,
        observable: false,
        min: 0.0,
        max: 1.0,
        doc: "|TPR of group 1 − TPR of group 2|: 0 under equal opportunity.",
    },
    MetricSpec {
        id: "model.precision",
        label: "Precision",
        unit: Unit::Share,
        layer: Layer::Model,
        better: Better::Up,
        observable: true,
        min: 0.0,
        max: 1.0,
        doc: "Expected share of approved loans that are repaid, both groups together \
              (0 when nothing is approved).",
    },
    MetricSpec {
        id: "user.repay_prob_1",
        label: "Mean repayment probability, group 1",
        unit: Unit::Share,
        layer: Layer::User,
        better: Better::Up,
        observable: false,
        min: 0.0,
        max: 1.0,
        doc: "Group 1's mean probability of repaying, over its cluster distribution at the \
              end of the day: its average credit score.",
    },
    MetricSpec {
        id: "user.repay_prob_2",
        label: "Mean repayment probability, group 2",
        unit: Unit::Share,
        layer: Layer::User,
        better: Better::Up,
        observable: false,
        min: 0.0,
        max: 1.0,
        doc: "Group 2's mean probability of repaying at the end of the day.",
    },
    MetricSpec {
        id: "user.repay_prob_gap",
        label: "Credit gap (group 1 − group 2)",
        unit: Unit::Share,
        layer: Layer::User,
        better: Better::Neither,
        observable: false,
        min: -1.0,
        max: 1.0,
        doc: "Group 1's mean repayment probability minus group 2's.",
    },
    MetricSpec {
        id: "user.approval_rate_1",
        label: "Approval rate, group 1",
        unit: Unit::Share,
        layer: Layer::User,
        better: Better::Neither,
        observable: true,
        min: 0.0,
        max: 1.0,
        doc: "Expected share of group 1's applicants who get a loan under the day's policy.",
    },
    MetricSpec {
        id: "user.approval_rate_2",
        label: "Approval rate, group 2",
        unit: Unit::Share,
        layer: Layer::User,
        better: Better::Neither,
        observable: true,
        min: 0.0,
        max: 1.0,
        doc: "Expected share of group 2's applicants who get a loan under the day's policy.",
    },
    MetricSpec {
        id: "leading.loans",
        label: "Loans made",
        unit: Unit::Count(Noun::Loans, Per::Day),
        layer: Layer::Leading,
        better: Better::Up,
        observable: true,
        min: 0.0,
        max: MAX_APPLICANTS as f64,
        doc: "Loans approved today.",
    },
    MetricSpec {
        id: "leading.approval_rate",
        label: "Approval rate",
        unit: Unit::Share,
        layer: Layer::Leading,
        better: Better::Neither,
        observable: true,
        min: 0.0,
        max: 1.0,
        doc: "Loans over applicants today (0 without applicants).",
    },
    MetricSpec {
        id: "leading.repaid_share",
        label: "Repaid share",
        unit: Unit::Share,
        layer: Layer::Leading,
        better: Better::Up,
        observable: true,
        min: 0.0,
        max: 1.0,
        doc: "Share of today's loans that were repaid (0 without loans).",
    },
    MetricSpec {
        id: "org.profit",
        label: "Profit",
        unit: Unit::LoanAmounts(Per::Day),
        layer: Layer::Organization,
        better: Better::Up,
        observable: true,
        min: -PROFIT_DAY_MAX,
        max: PROFIT_DAY_MAX,
        doc: "Gains from repaid loans minus losses from defaults, today.",
    },
    MetricSpec {
        id: "org.cumulative_profit",
        label: "Cumulative profit",
        unit: Unit::LoanAmounts(Per::Total),
        layer: Layer::Organization,
        better: Better::Up,
        observable: true,
        min: -PROFIT_TOTAL_MAX,
        max: PROFIT_TOTAL_MAX,
        doc: "Profit since day 1.",
    },
    MetricSpec {
        id: "org.approval_gap",
        label: "Approval rate gap",
        unit: Unit::Share,
        layer: Layer::Organization,
        better: Better::Down,
        observable: true,
        min: 0.0,
        max: 1.0,
        doc: "|approval rate of group 1 − approval rate of group 2| (expected): 0 under \
              demographic parity.",
    },
    MetricSpec {
        id: "flow.applicants",
        label: "Applicants",
        unit: Unit::Count(Noun::Applicants, Per::Day),
        layer: Layer::Flow,
        better: Better::Neither,
        observable: true,
        min: 0.0,
        max: MAX_APPLICANTS as f64,
        doc: "Applications decided today.",
    },
    MetricSpec {
        id: "flow.loans_repaid",
        label: "Loans repaid",
        unit: Unit::Count(Noun::Loans, Per::Day),
        layer: Layer::Flow,
        better: Better::Up,
        observable: true,
        min: 0.0,
        max: MAX_APPLICANTS as f64,
        doc: "Loans made today that were repaid (each moved a person up a cluster).",
    },
    MetricSpec {
        id: "flow.loans_defaulted",
        label: "Loans defaulted",
        unit: Unit::Count(Noun::Loans, Per::Day),
        layer: Layer::Flow,
        better: Better::Down,
        observable: true,
        min: 0.0,
        max: MAX_APPLICANTS as f64,
        doc: "Loans made today that were not repaid (each moved a person down a cluster).",
    },
];

/// The measures that head the Compare table's difference table, in layer
/// order (columns of [`METRICS`], checked when the crate builds).
pub const HEADLINES: &[usize] = &[
    metric_index(METRICS, "model.precision"),
    metric_index(METRICS, "model.tpr_gap"),
    metric_index(METRICS, "user.repay_prob_1"),
    metric_index(METRICS, "user.repay_prob_2"),
    metric_index(METRICS, "user.repay_prob_gap"),
    metric_index(METRICS, "leading.loans"),
    metric_index(METRICS, "leading.approval_rate"),
    metric_index(METRICS, "leading.repaid_share"),
    metric_index(METRICS, "org.profit"),
    metric_index(METRICS, "org.cumulative_profit"),
    metric_index(METRICS, "org.approval_gap"),
];

/// The key measures shown as cards above the tabs, one or more per layer.
pub const KEY_MEASURES: &[usize] = &[
    metric_index(METRICS, "model.tpr_gap"),
    metric_index(METRICS, "user.repay_prob_gap"),
    metric_index(METRICS, "leading.loans"),
    metric_index(METRICS, "org.cumulative_profit"),
];

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
mod tests {
    use super::*;
    use crate::sim::registry::check_table;
    use crate::sim::testkit;

    fn params(sets: &[(&str, f64)]) -> ParamValues {
        testkit::params(PARAMS, sets)
    }

    /// Runs a world and returns every row.
    fn rows(p: &ParamValues, seed: u64, days: u32) -> Vec<Vec<f64>> {
        let mut w = LendingWorld::new(p, seed);
        testkit::rows(METRICS.len(), days, |d, row, ev| w.step(d, row, ev))
    }

    #[test]
    fn table_is_consistent() {
        check_table(PARAMS, METRICS).unwrap();
        assert_eq!(METRICS.len(), m::COUNT);
        assert_eq!(METRICS[m::REPAY_PROB_2].id, "user.repay_prob_2");
        assert_eq!(METRICS[m::CUMULATIVE_PROFIT].id, "org.cumulative_profit");
        assert_eq!(METRICS[m::DEFAULTED].id, "flow.loans_defaulted");
        for layer in [
            Layer::Model,
            Layer::User,
            Layer::Leading,
            Layer::Organization,
        ] {
            assert!(METRICS.iter().any(|s| s.layer == layer));
        }
        assert!(REPAY_PROB.windows(2).all(|w| w[0] <= w[1]));
        assert!((GROUP_1_START.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        // ml-fairness-gym's group 2 is group 1 one cluster lower.
        assert_eq!(shifted_start(1), [0.1, 0.1, 0.2, 0.3, 0.3, 0.0, 0.0]);
    }

    /// The starting means match ml-fairness-gym's table: 0.59 and 0.495.
    /// Max-utility lending then lowers both groups' mean repayment
    /// probability: over 20 replications of 1,000 days (10,000 applicants,
    /// as in ml-fairness-gym's experiment), every replication ends lower than
    /// it started in both groups, and the average drop is at least 0.03.
    #[test]
    fn max_utility_lowers_both_groups() {
        let p = params(&[]);
        let w = LendingWorld::new(&p, 0);
        assert!((w.mean_repay_prob(0) - 0.59).abs() < 1e-12);
        assert!((w.mean_repay_prob(1) - 0.495).abs() < 1e-12);
        // Lends exactly where p > 0.5.
        assert_eq!(
            w.approval_probabilities(0),
            &[0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0]
        );
        let (mut drop1, mut drop2) = (0.0, 0.0);
        for r in 0..20 {
            let rows = rows(&p, 100 + r, 1000);
            let last = rows.last().unwrap();
            let (d1, d2) = (0.59 - last[m::REPAY_PROB_1], 0.495 - last[m::REPAY_PROB_2]);
            assert!(d1 > 0.0 && d2 > 0.0, "replication {r}: drops {d1}, {d2}");
            drop1 += d1 / 20.0;
            drop2 += d2 / 20.0;
        }
        assert!(drop1 > 0.03 && drop2 > 0.03, "mean drops {drop1}, {drop2}");
    }

    /// Equal opportunity equalizes the true positive rates (gap below 1e-9
    /// every day) where max utility leaves a gap above 0.1 on day 1
    /// (0.89 vs 0.76); it approves more of group 2 on day 1 (0.75 vs 0.6),
    /// and after 1,000 days group 2's mean repayment probability is lower
    /// under equal opportunity by more than 0.01 on average over 10
    /// replications (observed: about 0.06).
    #[test]
    fn equal_opportunity_differs_from_max_utility() {
        let mu = params(&[]);
        let eo = params(&[("policy.kind", 1.0)]);
        let mut diff = 0.0;
        for r in 0..10 {
            let a = rows(&mu, 7 + r, 1000);
            let b = rows(&eo, 7 + r, 1000);
            assert!(a[0][m::TPR_GAP] > 0.1, "{}", a[0][m::TPR_GAP]);
            for row in &b {
                assert!(row[m::TPR_GAP] < 1e-9, "{}", row[m::TPR_GAP]);
            }
            assert!(b[0][m::APPROVAL_2] > a[0][m::APPROVAL_2]);
            diff += (a[999][m::REPAY_PROB_2] - b[999][m::REPAY_PROB_2]) / 10.0;
        }
        assert!(diff > 0.01, "mean difference {diff}");
    }

    /// Demographic parity equalizes the expected approval rates.
    #[test]
    fn demographic_parity_equalizes_approval() {
        let p = params(&[("policy.kind", 2.0)]);
        for row in rows(&p, 3, 300) {
            assert!(row[m::APPROVAL_GAP] < 1e-9, "{}", row[m::APPROVAL_GAP]);
        }
    }

    /// With no mass moved per loan the distributions never change.
    #[test]
    fn no_shift_no_impact() {
        let p = params(&[("world.cluster_shift", 0.0)]);
        let rows = rows(&p, 1, 200);
        assert!((rows[199][m::REPAY_PROB_1] - 0.59).abs() < 1e-12);
        assert!((rows[199][m::REPAY_PROB_2] - 0.495).abs() < 1e-12);
    }

    /// One applicant a day and a lender who lends to everyone: each day
    /// exactly 0.01 of one group's mass moves one cluster up after a
    /// repayment or one cluster down after a default (nothing moves when the
    /// borrower is already in the top or bottom cluster), and each group's
    /// mass stays 1. Checked for 300 days, with both kinds of move seen.
    #[test]
    fn repayment_lifts_and_default_drops_one_cluster() {
        let p = params(&[
            ("world.applicants_per_day", 1.0),
            ("policy.kind", 3.0),
            ("policy.threshold", 0.0),
        ]);
        let mut w = LendingWorld::new(&p, 12);
        let mut row = vec![0.0; METRICS.len()];
        let (mut ups, mut downs) = (0, 0);
        for day in 1..=300 {
            let before = w.dist;
            w.step(day, &mut row, &mut Vec::new());
            assert_eq!(row[m::LOANS], 1.0);
            let repaid = row[m::REPAID] == 1.0;
            let mut changed = Vec::new();
            for (g, (now, then)) in w.dist.iter().zip(&before).enumerate() {
                assert!((now.iter().sum::<f64>() - 1.0).abs() < 1e-9);
                for (c, (x, y)) in now.iter().zip(then).enumerate() {
                    if (x - y).abs() > 1e-12 {
                        changed.push((g, c, x - y));
                    }
                }
            }
            match changed.as_slice() {
                [] => {}
                [(g1, c1, d1), (g2, c2, d2)] => {
                    assert_eq!(g1, g2);
                    assert!((d1.abs() - 0.01).abs() < 1e-9 && (d1 + d2).abs() < 1e-12);
                    let (from, to) = if *d1 < 0.0 { (c1, c2) } else { (c2, c1) };
                    if repaid {
                        assert_eq!(*to, from + 1, "day {day}");
                        ups += 1;
                    } else {
                        assert_eq!(*to + 1, *from, "day {day}");
                        downs += 1;
                    }
                }
                other => panic!("day {day}: unexpected change {other:?}"),
            }
        }
        assert!(ups > 100 && downs > 50, "{ups} up, {downs} down");
    }

    #[test]
    fn deterministic_per_seed() {
        let p = params(&[("policy.kind", 1.0)]);
        assert_eq!(rows(&p, 5, 200), rows(&p, 5, 200));
        assert_ne!(rows(&p, 5, 200), rows(&p, 6, 200));
    }

    fn check_row(row: &[f64], what: &str) {
        testkit::check_row(METRICS, row, what);
    }

    /// Every metric stays finite and in range: 400 days for each policy, and
    /// 20 days with each parameter at its minimum and its maximum.
    #[test]
    fn metrics_in_range() {
        for kind in 0..4 {
            let p = params(&[("policy.kind", f64::from(kind))]);
            for (d, row) in rows(&p, 2, 400).iter().enumerate() {
                check_row(row, &format!("policy {kind}, day {}", d + 1));
            }
        }
        for spec in PARAMS {
            for value in [spec.min, spec.max] {
                for kind in 0..4 {
                    let p = params(&[(spec.id, value), ("policy.kind", f64::from(kind))]);
                    for row in rows(&p, 4, 20) {
                        check_row(&row, &format!("{} = {value}, policy {kind}", spec.id));
                    }
                }
            }
        }
    }
}
