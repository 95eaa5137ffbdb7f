//! The lending world's tables: its choices, parameters and measures, and the
//! measures heading its views.

use super::{BANDS, MAX_APPLICANTS};
use crate::sim::choice::choice;
use crate::sim::registry::{
    Better, Group, Layer, MetricSpec, Noun, ParamKind, ParamSpec, Per, Provenance, Unit,
    metric_index,
};

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

choice! {
    /// The credit clusters and their repayment probabilities (`world.clusters`).
    pub enum Clusters default Gym {
        /// ml-fairness-gym's seven clusters.
        Gym = "gym",
        /// Liu et al.'s credit scores, 300 to 850 in bands of 25 points.
        ScoreBands = "score_bands",
    }
}

/// Every parameter of the lending world.
pub const PARAMS: &[ParamSpec] = &[
    ParamSpec {
        id: "world.clusters",
        label: "Credit clusters",
        doc: "gym: ml-fairness-gym's seven clusters, repayment chances 10% to 70%, unevenly \
              spaced. score_bands: credit scores from 300 to 850 in 23 bands of 25 points, \
              the repayment chance rising with the score in an S-curve (50% at 600, 78% at \
              650, 92% at 700), group 1 spread around 700. Read at the start of a run only.",
        source: Provenance::Sourced(
            "ml-fairness-gym lending_params (gym); Liu et al. 2018 FICO experiments, scores 300-850 with S-shaped repayment-by-score curves (score_bands: the curve's midpoint and slope and group 1's spread are this model's choice).",
        ),
        ..ParamSpec::choice::<Clusters>(Group::World)
    },
    ParamSpec {
        id: "world.repay_step_clusters",
        label: "Clusters up after repaying",
        unit: Unit::Count(Noun::Clusters, Per::Total),
        kind: ParamKind::Int,
        min: 0.0,
        max: 6.0,
        default: 1.0,
        group: Group::World,
        doc: "How many clusters a repaid loan lifts the borrower (never above the top one). \
              In score bands of 25 points, 3 is Liu et al.'s +75.",
        source: Provenance::Sourced(
            "ml-fairness-gym: one cluster up; Liu et al. 2018 FICO experiments: +75 points on repayment.",
        ),
    },
    ParamSpec {
        id: "world.default_step_clusters",
        label: "Clusters down after a default",
        unit: Unit::Count(Noun::Clusters, Per::Total),
        kind: ParamKind::Int,
        min: 0.0,
        max: 12.0,
        default: 1.0,
        group: Group::World,
        doc: "How many clusters a default drops the borrower (never below the lowest one). \
              In score bands of 25 points, 6 is Liu et al.'s −150.",
        source: Provenance::Sourced(
            "ml-fairness-gym: one cluster down; Liu et al. 2018 FICO experiments: −150 points on default.",
        ),
    },
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
        source: Provenance::Assumption(
            "ml-fairness-gym decides one applicant per step over 10,000 steps; 10 a day covers that in 1,000 days.",
        ),
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
        source: Provenance::Sourced("ml-fairness-gym lending experiments: group_0_prob = 0.5."),
    },
    ParamSpec {
        id: "world.group_gap_clusters",
        label: "Group 2 starts lower by",
        unit: Unit::Count(Noun::Clusters, Per::Total),
        kind: ParamKind::Int,
        min: 0.0,
        max: (BANDS - 1) as f64,
        default: 1.0,
        group: Group::World,
        doc: "Group 2's starting distribution is group 1's moved down by this many clusters \
              (mass that would fall off the bottom piles up in the lowest cluster). Read at \
              the start of a run only.",
        source: Provenance::Sourced(
            "ml-fairness-gym DELAYED_IMPACT_CLUSTER_PROBS: group 2 is group 1 one cluster lower.",
        ),
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
        source: Provenance::Sourced(
            "ml-fairness-gym DelayedImpactParams: cluster_shift_increment = 0.01.",
        ),
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
        source: Provenance::Sourced(
            "ml-fairness-gym lending experiments: interest_rate = 1.0, loan amount 1.",
        ),
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
        source: Provenance::Sourced("ml-fairness-gym: a default costs the loan amount (1)."),
    },
    ParamSpec {
        id: "policy.kind",
        label: "Lending policy",
        doc: "max_utility: lend wherever expected profit is positive. equal_opportunity: \
              most profitable policy with the same share of would-be repayers approved in \
              both groups. demographic_parity: most profitable policy with the same \
              approval rate in both groups. fixed_threshold: lend when the repayment \
              probability is at least the threshold.",
        source: Provenance::Sourced(
            "Liu et al. 2018 (MaxUtil, EqOpt, DemParity); ml-fairness-gym threshold policies.",
        ),
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
        source: Provenance::Assumption("The break-even probability at the default gain and loss."),
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
        source: Provenance::Assumption(
            "Every decision automated: the setting of Liu et al. 2018. Forcefulness is the course's design factor applied to loan decisions; no study measures a share.",
        ),
    },
];

pub(super) const PROFIT_DAY_MAX: f64 = 1e5;
pub(super) const PROFIT_TOTAL_MAX: f64 = 1e12;

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
        id: "user.mean_score_1",
        label: "Mean credit score, group 1",
        unit: Unit::Number,
        layer: Layer::User,
        better: Better::Up,
        observable: false,
        min: 0.0,
        max: 1000.0,
        doc: "Group 1's mean credit score at the end of the day, in points, the measure \
              Liu et al. judge a policy by: with score bands, each band counted at its \
              lowest score (300 to 850); with ml-fairness-gym's clusters, which have no \
              score, the cluster's number (1 to 7).",
    },
    MetricSpec {
        id: "user.mean_score_2",
        label: "Mean credit score, group 2",
        unit: Unit::Number,
        layer: Layer::User,
        better: Better::Up,
        observable: false,
        min: 0.0,
        max: 1000.0,
        doc: "Group 2's mean credit score at the end of the day (see the group 1 measure).",
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
