//! Patrol allocation with discovered incidents: the runaway feedback loop of
//! predictive policing.
//!
//! This module owns the policing world: districts with hidden true incident
//! rates, a model that counts the incidents the police *record*, a policy that
//! turns those counts into patrols, and the loop that closes when patrols
//! decide which incidents get recorded next.
//!
//! # One simulated day
//! 1. **Plan.** The model's estimate for each district is its evidence count
//!    (prior pseudo-count plus the decayed sum of recorded incidents) divided
//!    by the total. The policy turns estimates into a probability distribution
//!    for each patrol: `proportional` (each patrol drawn in proportion to the
//!    counts: the urn of Ensign et al.), `greedy` (patrols assigned one by one
//!    where the next one is expected to discover the most), `uniform`, or
//!    `epsilon_greedy` (each greedy patrol goes to a uniformly chosen district
//!    with probability ε). With forcefulness `f` a patrol follows the model
//!    with probability `f`, otherwise the officers' own judgment (uniform, or
//!    in proportion to the true rates).
//! 2. **Patrol.** Each patrol is drawn independently from its distribution.
//! 3. **Incidents.** District `i` has `N ~ Poisson(λ_i)` incidents. Each is
//!    reported by residents with probability ρ whatever the patrols do; an
//!    unreported incident is discovered with probability `1 − m^n` when `n`
//!    patrols are there (each patrol misses it with probability `m`, as with
//!    ml-fairness-gym's attention with replacement). The rest are missed.
//! 4. **Learn.** The model adds `w_d·D_i + w_r·R_i` to district `i`
//!    (`update_rule = incident_counts`), or one unit for each kind seen at
//!    least once (`one_per_find`: the coin-flip urn of Ensign et al., a
//!    slowed-down Pólya urn). With **Ensign's correction** the discovered part
//!    is kept only with probability `π_min / π_i`, where `π_i` is the chance,
//!    under today's plan, that an incident in district `i` is discovered
//!    (for one patrol and no misses, the chance the patrol was sent there) and
//!    `π_min` the smallest positive one. Discovered evidence then grows in
//!    proportion to the true rates, whatever the allocation. Districts the
//!    plan never visits have `π = 0`: no correction can learn about them.
//! 5. **Respond** (optional, ml-fairness-gym's dynamic rate): a district's
//!    rate falls by `δ` per patrol present and rises by `δ` on a day without
//!    patrols, within `[0, 100]` incidents per day.
//!
//! # What the loop does (and what the tests rerun)
//! - Equal rates, one patrol, one ball each, `one_per_find`: a Pólya urn, so
//!   the share of district 1 converges to a random limit, uniform on [0, 1]
//!   (Beta(a, b) for prior counts a and b).
//! - Unequal rates, discovered incidents only: the patrols run away to one
//!   district (Ensign et al., Theorem on diagonal urns: the limit share is 0
//!   or 1, never the true share).
//! - With the correction: the estimated share converges to the true share.
//! - Mixed discovered and reported incidents (two districts, one patrol,
//!   proportional): writing `d_i` for the expected daily discovered update
//!   of district `i` when it is patrolled and `r_i` for the expected daily
//!   reported update, the share `x` of district 1 settles where its expected
//!   update share equals `x`:
//!   `x = (x·d_1 + r_1) / (x·d_1 + (1 − x)·d_2 + r_1 + r_2)`, that is the root
//!   in [0, 1] of `(d_1 − d_2)x² + (d_2 − d_1 + r_1 + r_2)x − r_1 = 0`
//!   (Ensign et al.'s generalized urn with update matrix
//!   `[[d_1 + r_1, r_2], [r_1, d_2 + r_2]]`). See [`mixed_urn_fixed_point`].
//!
//! Sources: D. Ensign, S. Friedler, S. Neville, C. Scheidegger,
//! S. Venkatasubramanian, *Runaway Feedback Loops in Predictive Policing*,
//! FAT* 2018 (and their code, algofairness/runaway-feedback-loops-src);
//! K. Lum and W. Isaac, *To predict and serve?*, Significance 2016;
//! the attention-allocation environment of google/ml-fairness-gym.

use super::choice::choice;
use super::registry::{
    Better, Group, Layer, MetricSpec, Noun, ParamKind, ParamSpec, ParamValues, Per, Unit,
    metric_index,
};
use super::rng::{SimRng, Stream, poisson, stream, uniform};
use super::{Event, unit};

/// Largest number of districts.
pub const MAX_DISTRICTS: usize = 16;
/// Largest number of patrols a day.
pub const MAX_PATROLS: usize = 1000;
/// Largest true incident rate of a district, in incidents per day.
pub const MAX_RATE_PER_DAY: f64 = 100.0;

/// Random-stream key (second part) of the day's patrol draws; district
/// incident streams use the district index, which stays below it.
const KEY_PATROLS: u64 = 1 << 32;
/// Random-stream key base of the correction's keep-or-drop draws.
const KEY_CORRECTION: u64 = 2 << 32;

choice! {
    /// How patrols are planned from the model's counts (`policy.kind`).
    pub enum Policy default Proportional {
        /// Each patrol drawn in proportion to the counts (the urn).
        Proportional = "proportional",
        /// Patrols assigned one by one where the next finds most.
        Greedy = "greedy",
        /// Each patrol to a uniformly drawn district.
        Uniform = "uniform",
        /// Greedy, each patrol exploring with probability ε.
        EpsilonGreedy = "epsilon_greedy",
    }
}

choice! {
    /// What one day's finds add to the model (`model.update_rule`).
    pub enum UpdateRule default IncidentCounts {
        /// Every recorded incident.
        IncidentCounts = "incident_counts",
        /// One unit per district, kind and day with a find.
        OnePerFind = "one_per_find",
    }
}

choice! {
    /// Where patrols go when they do not follow the model
    /// (`experience.officer_judgment`).
    pub enum Officer default Uniform {
        /// Spread evenly.
        Uniform = "uniform",
        /// In proportion to the true incident rates.
        TrueRates = "true_rates",
    }
}

/// Every parameter of the policing world.
pub const PARAMS: &[ParamSpec] = &[
    ParamSpec {
        id: "world.districts",
        label: "Districts",
        unit: Unit::Number,
        kind: ParamKind::Int,
        min: 1.0,
        max: MAX_DISTRICTS as f64,
        default: 2.0,
        group: Group::World,
        doc: "Number of districts. Their true incident rates run in a straight line from the \
              first district's rate to the last one's. A change mid-run adds districts (with \
              only the prior as evidence) or removes the last ones.",
        source: "Ensign et al. 2018 analyse two districts (one urn with two colours); \
                 ml-fairness-gym's attention allocation defaults to 2 locations.",
    },
    ParamSpec {
        id: "world.rate_first",
        label: "Incident rate, district 1",
        unit: Unit::Count(Noun::Incidents, Per::Day),
        kind: ParamKind::Real,
        min: 0.0,
        max: MAX_RATE_PER_DAY,
        default: 4.0,
        group: Group::World,
        doc: "True mean number of incidents a day in district 1 (Poisson). Hidden from the \
              model, which only sees recorded incidents. Changing it resets every district's \
              current rate to the straight line between the first and last rates.",
        source: "ml-fairness-gym attention allocation: incident_rates = [4, 3].",
    },
    ParamSpec {
        id: "world.rate_last",
        label: "Incident rate, last district",
        unit: Unit::Count(Noun::Incidents, Per::Day),
        kind: ParamKind::Real,
        min: 0.0,
        max: MAX_RATE_PER_DAY,
        default: 3.0,
        group: Group::World,
        doc: "True mean number of incidents a day in the last district; districts in between \
              are interpolated linearly. Set it equal to the first rate for equal districts.",
        source: "ml-fairness-gym attention allocation: incident_rates = [4, 3].",
    },
    ParamSpec {
        id: "world.miss_prob",
        label: "Miss probability per patrol",
        unit: Unit::Share,
        kind: ParamKind::Real,
        min: 0.0,
        max: 1.0,
        default: 0.2,
        group: Group::World,
        doc: "Chance that one patrol present in a district fails to discover a given \
              unreported incident there; with n patrols an incident is discovered with \
              probability 1 − miss^n. 0 gives Ensign et al.'s urn, where a visit sees every \
              incident.",
        source: "ml-fairness-gym attention allocation: miss_incident_prob = 0.2 per location.",
    },
    ParamSpec {
        id: "world.report_share",
        label: "Share of incidents reported by residents",
        unit: Unit::Share,
        kind: ParamKind::Real,
        min: 0.0,
        max: 1.0,
        default: 0.0,
        group: Group::World,
        doc: "Chance that an incident is reported by residents (a call), which the police \
              record whether or not a patrol is there. 0 = discovered incidents only, the \
              runaway case; reports pull the loop toward a fixed point between the true \
              share and total runaway.",
        source: "Ensign et al. 2018, section on reported and discovered incidents; \
                 ml-fairness-gym reported_incident_weight = 0.",
    },
    ParamSpec {
        id: "world.dynamic_rate",
        label: "Rate response to patrols",
        unit: Unit::Count(Noun::Incidents, Per::DayPerPatrolDay),
        kind: ParamKind::Real,
        min: 0.0,
        max: 1.0,
        default: 0.0,
        group: Group::World,
        doc: "If positive, incidents respond to attention: each day a district's rate falls \
              by this much per patrol present, and rises by this much if no patrol came \
              (kept within 0 to 100 incidents/day).",
        source: "ml-fairness-gym attention allocation: dynamic_rate = 0.",
    },
    ParamSpec {
        id: "world.residents_per_district",
        label: "Residents per district",
        unit: Unit::Count(Noun::People, Per::Total),
        kind: ParamKind::Int,
        min: 100.0,
        max: 10_000_000.0,
        default: 50_000.0,
        group: Group::World,
        doc: "Residents of each district (all equal), used only to express recorded \
              incidents as arrests per 1,000 residents.",
        source: "Judgment call: the order of size of a city district.",
    },
    ParamSpec {
        id: "model.prior_count",
        label: "Prior count per district",
        unit: Unit::Count(Noun::Incidents, Per::Total),
        kind: ParamKind::Real,
        min: 0.0,
        max: 10_000.0,
        default: 1.0,
        group: Group::Model,
        doc: "Pseudo-count of incidents each district starts with (the balls in the urn \
              before the first draw). It never decays. Small priors let the first few days \
              decide the loop; large ones make the model slow to move.",
        source: "Ensign et al. 2018: urns start with one ball of each colour.",
    },
    ParamSpec {
        id: "model.prior_bonus_first",
        label: "Extra prior for district 1",
        unit: Unit::Count(Noun::Incidents, Per::Total),
        kind: ParamKind::Real,
        min: 0.0,
        max: 10_000.0,
        default: 0.0,
        group: Group::Model,
        doc: "Extra pseudo-count for district 1: historical data that puts it ahead at the \
              start. With equal true rates the urn stays ahead where it started (the Pólya \
              limit is Beta(prior + bonus, prior)).",
        source: "Judgment call; ml-fairness-gym uses unequal historical priors (650, 250).",
    },
    ParamSpec {
        id: "model.update_rule",
        label: "What the model counts",
        doc: "incident_counts: add every recorded incident (Poisson additions). \
              one_per_find: add one unit per district and day in which at least one \
              incident of a kind was recorded, so the model learns the chance of at least \
              one incident, 1 − e^(−rate); with one patrol and no misses this is exactly \
              Ensign et al.'s coin-flip urn (a slowed-down Pólya urn).",
        source: "Ensign et al. 2018, the basic urn and its Poisson variant.",
        ..ParamSpec::choice::<UpdateRule>(Group::Model)
    },
    ParamSpec {
        id: "model.weight_discovered",
        label: "Weight of discovered incidents",
        unit: Unit::Number,
        kind: ParamKind::Real,
        min: 0.0,
        max: 10.0,
        default: 1.0,
        group: Group::Model,
        doc: "How much one incident discovered by a patrol adds to the model's count.",
        source: "Ensign et al. 2018, weighted discovered/reported urn; ml-fairness-gym \
                 discovered_incident_weight = 1.",
    },
    ParamSpec {
        id: "model.weight_reported",
        label: "Weight of reported incidents",
        unit: Unit::Number,
        kind: ParamKind::Real,
        min: 0.0,
        max: 10.0,
        default: 1.0,
        group: Group::Model,
        doc: "How much one incident reported by residents adds to the model's count. \
              Reports do not depend on where patrols went, so their weight damps the loop.",
        source: "Ensign et al. 2018, weighted discovered/reported urn.",
    },
    ParamSpec {
        id: "model.decay",
        label: "Forgetting per day",
        unit: Unit::RateOne(Per::Day),
        kind: ParamKind::Real,
        min: 0.0,
        max: 1.0,
        default: 0.0,
        group: Group::Model,
        doc: "Share of the learned counts forgotten each day (exponential decay of old \
              incidents; the prior is not forgotten). Limited memory makes the model track \
              recent data and keeps the urn from freezing.",
        source: "Ensign et al. 2018 discuss PredPol's limited memory; their code's \
                 exponential decay option. Default 0 = the plain urn.",
    },
    ParamSpec {
        id: "policy.kind",
        label: "Patrol policy",
        doc: "proportional: each patrol goes to a district drawn in proportion to the \
              model's counts (the urn). greedy: patrols assigned one at a time to the \
              district where the next patrol is expected to discover most (top-k by count \
              when no incident is missed). uniform: each patrol to a uniformly drawn \
              district. epsilon_greedy: each greedy patrol goes to a uniformly drawn \
              district instead with probability ε.",
        source: "Ensign et al. 2018 (proportional urn); ml-fairness-gym agents (uniform \
                 random, proportional, epsilon-greedy).",
        ..ParamSpec::choice::<Policy>(Group::Policy)
    },
    ParamSpec {
        id: "policy.patrols_per_day",
        label: "Patrols per day",
        unit: Unit::Count(Noun::Patrols, Per::Day),
        kind: ParamKind::Int,
        min: 0.0,
        max: MAX_PATROLS as f64,
        default: 1.0,
        group: Group::Policy,
        doc: "Number of patrols sent out each day. One patrol is the urn of Ensign et al.; \
              with more, each is drawn independently from the policy's distribution.",
        source: "Ensign et al. 2018 (one officer a day); ml-fairness-gym n_attention_units = 1.",
    },
    ParamSpec {
        id: "policy.epsilon",
        label: "Exploration share ε",
        unit: Unit::Share,
        kind: ParamKind::Real,
        min: 0.0,
        max: 1.0,
        default: 0.1,
        group: Group::Policy,
        doc: "For epsilon_greedy: chance that a patrol explores a uniformly drawn district \
              instead of following the greedy plan.",
        source: "ml-fairness-gym allocation agents (epsilon = 0.1).",
    },
    ParamSpec {
        id: "policy.correction",
        label: "Ensign's correction",
        unit: Unit::Number,
        kind: ParamKind::Bool,
        min: 0.0,
        max: 1.0,
        default: 0.0,
        group: Group::Policy,
        doc: "Keep the discovered part of a district's daily update only with probability \
              π_min / π_i, where π_i is the chance under today's plan that an incident in \
              district i is discovered (for one patrol and no misses, the chance of sending \
              the patrol there). Discovered evidence then accrues in proportion to the true \
              rates. It cannot help a district the plan never visits (π = 0).",
        source: "Ensign et al. 2018, section 'Fixing the feedback loop' (their code's \
                 linear-surprise urn).",
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
        doc: "Share of patrols that follow the model's plan; the others follow the \
              officers' own judgment. 1 = the model decides everything (the full loop), \
              0 = the model is ignored and learns only from where officers chose to go.",
        source: "Judgment call (the course's forcefulness factor applied to patrols).",
    },
    ParamSpec {
        id: "experience.officer_judgment",
        label: "Officers' own judgment",
        doc: "Where patrols go when they do not follow the model: uniform (spread evenly) \
              or true_rates (in proportion to the true incident rates: officers with good \
              local knowledge).",
        source: "Judgment call.",
        ..ParamSpec::choice::<Officer>(Group::Experience)
    },
];

/// Indices into [`METRICS`] (the order of a day's row).
mod m {
    use super::super::registry::metric_index;

    pub const EST_SHARE_1: usize = metric_index(super::METRICS, "model.est_share_1");
    pub const TRUE_SHARE_1: usize = metric_index(super::METRICS, "model.true_share_1");
    pub const PATROL_SHARE_1: usize = metric_index(super::METRICS, "model.patrol_share_1");
    pub const ESTIMATE_ERROR: usize = metric_index(super::METRICS, "model.estimate_error");
    pub const ARRESTS_PER_1K_1: usize = metric_index(super::METRICS, "user.arrests_per_1k_1");
    pub const ARRESTS_GAP_PER_1K: usize = metric_index(super::METRICS, "user.arrests_gap_per_1k");
    pub const CATCH_PROB_GAP: usize = metric_index(super::METRICS, "user.catch_prob_gap");
    pub const RECORDED: usize = metric_index(super::METRICS, "leading.incidents_recorded");
    pub const DISCOVERED_PER_PATROL: usize =
        metric_index(super::METRICS, "leading.discovered_per_patrol");
    pub const MISSED: usize = metric_index(super::METRICS, "org.incidents_missed");
    pub const MISSED_SHARE: usize = metric_index(super::METRICS, "org.missed_share");
    pub const FAIRNESS_GAP: usize = metric_index(super::METRICS, "org.fairness_gap");
    pub const OCCURRED: usize = metric_index(super::METRICS, "flow.incidents_occurred");
    pub const DISCOVERED: usize = metric_index(super::METRICS, "flow.incidents_discovered");
    pub const REPORTED: usize = metric_index(super::METRICS, "flow.incidents_reported");
    pub const PATROLS: usize = metric_index(super::METRICS, "flow.patrols");
    pub const COUNT: usize = super::METRICS.len();
}

/// Bound for raw counts (finite, far above anything a run can reach).
const COUNT_MAX: f64 = 1e12;

/// Every per-day measure of the policing world.
pub const METRICS: &[MetricSpec] = &[
    MetricSpec {
        id: "model.est_share_1",
        label: "Estimated share, district 1",
        unit: Unit::Share,
        layer: Layer::Model,
        better: Better::Neither,
        observable: true,
        min: 0.0,
        max: 1.0,
        doc: "The model's estimate of district 1's share of all incidents (its count over \
              the total count), at the end of the day.",
    },
    MetricSpec {
        id: "model.true_share_1",
        label: "True share, district 1",
        unit: Unit::Share,
        layer: Layer::Model,
        better: Better::Neither,
        observable: false,
        min: 0.0,
        max: 1.0,
        doc: "District 1's true share of incidents (its rate over the sum of rates): the \
              hidden truth the estimate should match.",
    },
    MetricSpec {
        id: "model.patrol_share_1",
        label: "Patrol share, district 1",
        unit: Unit::Share,
        layer: Layer::Model,
        better: Better::Neither,
        observable: true,
        min: 0.0,
        max: 1.0,
        doc: "Expected share of today's patrols sent to district 1 under the plan (model \
              and officers combined); 0 when no patrol goes out.",
    },
    MetricSpec {
        id: "model.estimate_error",
        label: "Estimate error",
        unit: Unit::Share,
        layer: Layer::Model,
        better: Better::Down,
        observable: false,
        min: 0.0,
        max: 1.0,
        doc: "Total variation distance between estimated and true shares: half the sum \
              over districts of |estimated − true| (0 = perfect, 1 = disjoint).",
    },
    MetricSpec {
        id: "user.arrests_per_1k_1",
        label: "Arrests per 1,000 residents, district 1",
        unit: Unit::Count(Noun::Arrests, Per::ThousandResidentsDay),
        layer: Layer::User,
        better: Better::Neither,
        observable: true,
        min: 0.0,
        max: COUNT_MAX,
        doc: "Incidents recorded in district 1 today (each one an arrest or stop) per \
              1,000 residents: how much policing residents of district 1 experience.",
    },
    MetricSpec {
        id: "user.arrests_gap_per_1k",
        label: "Arrest gap between districts",
        unit: Unit::Count(Noun::Arrests, Per::ThousandResidentsDay),
        layer: Layer::User,
        better: Better::Down,
        observable: true,
        min: 0.0,
        max: COUNT_MAX,
        doc: "Highest minus lowest arrests per 1,000 residents across districts today.",
    },
    MetricSpec {
        id: "user.catch_prob_gap",
        label: "Gap in chance of being caught",
        unit: Unit::Share,
        layer: Layer::User,
        better: Better::Down,
        observable: false,
        min: 0.0,
        max: 1.0,
        doc: "Across districts that have had incidents, highest minus lowest share of \
              their incidents so far that were recorded: the same act carries different \
              odds of arrest depending on where it happens.",
    },
    MetricSpec {
        id: "leading.incidents_recorded",
        label: "Incidents recorded",
        unit: Unit::Count(Noun::Incidents, Per::Day),
        layer: Layer::Leading,
        better: Better::Neither,
        observable: true,
        min: 0.0,
        max: COUNT_MAX,
        doc: "Incidents discovered by patrols plus those reported by residents today: \
              what the department reports, and what the model learns from.",
    },
    MetricSpec {
        id: "leading.discovered_per_patrol",
        label: "Discoveries per patrol",
        unit: Unit::Count(Noun::Incidents, Per::Patrol),
        layer: Layer::Leading,
        better: Better::Up,
        observable: true,
        min: 0.0,
        max: COUNT_MAX,
        doc: "Incidents discovered today per patrol sent (0 with no patrols): the \
              'efficiency' a department watches.",
    },
    MetricSpec {
        id: "org.incidents_missed",
        label: "Incidents missed",
        unit: Unit::Count(Noun::Incidents, Per::Day),
        layer: Layer::Organization,
        better: Better::Down,
        observable: false,
        min: 0.0,
        max: COUNT_MAX,
        doc: "Incidents that occurred today and were neither discovered nor reported.",
    },
    MetricSpec {
        id: "org.missed_share",
        label: "Share of incidents missed",
        unit: Unit::Share,
        layer: Layer::Organization,
        better: Better::Down,
        observable: false,
        min: 0.0,
        max: 1.0,
        doc: "Missed incidents over all incidents that occurred today (0 on a day \
              without incidents).",
    },
    MetricSpec {
        id: "org.fairness_gap",
        label: "Allocation fairness gap",
        unit: Unit::Share,
        layer: Layer::Organization,
        better: Better::Down,
        observable: false,
        min: 0.0,
        max: 1.0,
        doc: "Largest |patrol share − true incident share| over districts: how far the \
              allocation is from one proportional to where incidents actually happen.",
    },
    MetricSpec {
        id: "flow.incidents_occurred",
        label: "Incidents occurred",
        unit: Unit::Count(Noun::Incidents, Per::Day),
        layer: Layer::Flow,
        better: Better::Neither,
        observable: false,
        min: 0.0,
        max: COUNT_MAX,
        doc: "Incidents that happened today in all districts (hidden truth).",
    },
    MetricSpec {
        id: "flow.incidents_discovered",
        label: "Incidents discovered",
        unit: Unit::Count(Noun::Incidents, Per::Day),
        layer: Layer::Flow,
        better: Better::Neither,
        observable: true,
        min: 0.0,
        max: COUNT_MAX,
        doc: "Unreported incidents found by patrols today.",
    },
    MetricSpec {
        id: "flow.incidents_reported",
        label: "Incidents reported",
        unit: Unit::Count(Noun::Incidents, Per::Day),
        layer: Layer::Flow,
        better: Better::Neither,
        observable: true,
        min: 0.0,
        max: COUNT_MAX,
        doc: "Incidents reported by residents today.",
    },
    MetricSpec {
        id: "flow.patrols",
        label: "Patrols",
        unit: Unit::Count(Noun::Patrols, Per::Day),
        layer: Layer::Flow,
        better: Better::Neither,
        observable: true,
        min: 0.0,
        max: MAX_PATROLS as f64,
        doc: "Patrols sent out today.",
    },
];

/// The measures that head the Compare table's difference table, in layer
/// order (columns of [`METRICS`], checked when the crate builds).
pub const HEADLINES: &[usize] = &[
    metric_index(METRICS, "model.estimate_error"),
    metric_index(METRICS, "model.patrol_share_1"),
    metric_index(METRICS, "model.est_share_1"),
    metric_index(METRICS, "user.arrests_gap_per_1k"),
    metric_index(METRICS, "user.catch_prob_gap"),
    metric_index(METRICS, "leading.incidents_recorded"),
    metric_index(METRICS, "leading.discovered_per_patrol"),
    metric_index(METRICS, "org.incidents_missed"),
    metric_index(METRICS, "org.missed_share"),
    metric_index(METRICS, "org.fairness_gap"),
];

/// The key measures shown as cards above the tabs, one or more per layer.
pub const KEY_MEASURES: &[usize] = &[
    metric_index(METRICS, "model.estimate_error"),
    metric_index(METRICS, "user.arrests_gap_per_1k"),
    metric_index(METRICS, "leading.incidents_recorded"),
    metric_index(METRICS, "org.fairness_gap"),
];

/// Parameters read once from the table.
#[derive(Clone, Debug, PartialEq)]
struct Config {
    districts: usize,
    rate_first: f64,
    rate_last: f64,
    miss_prob: f64,
    report_share: f64,
    dynamic_rate: f64,
    residents: f64,
    prior_count: f64,
    prior_bonus_first: f64,
    update_rule: UpdateRule,
    weight_discovered: f64,
    weight_reported: f64,
    decay: f64,
    policy: Policy,
    patrols: usize,
    epsilon: f64,
    correction: bool,
    forcefulness: f64,
    officer: Officer,
}

impl Config {
    fn read(p: &ParamValues) -> Self {
        Self {
            districts: p.get("world.districts") as usize,
            rate_first: p.get("world.rate_first"),
            rate_last: p.get("world.rate_last"),
            miss_prob: p.get("world.miss_prob"),
            report_share: p.get("world.report_share"),
            dynamic_rate: p.get("world.dynamic_rate"),
            residents: p.get("world.residents_per_district"),
            prior_count: p.get("model.prior_count"),
            prior_bonus_first: p.get("model.prior_bonus_first"),
            update_rule: p.choice("model.update_rule"),
            weight_discovered: p.get("model.weight_discovered"),
            weight_reported: p.get("model.weight_reported"),
            decay: p.get("model.decay"),
            policy: p.choice("policy.kind"),
            patrols: p.get("policy.patrols_per_day") as usize,
            epsilon: p.get("policy.epsilon"),
            correction: p.flag("policy.correction"),
            forcefulness: p.get("experience.forcefulness"),
            officer: p.choice("experience.officer_judgment"),
        }
    }

    /// The base rate of district `i` (linear from first to last).
    fn base_rate(&self, i: usize) -> f64 {
        if self.districts <= 1 {
            self.rate_first
        } else {
            let t = i as f64 / (self.districts - 1) as f64;
            self.rate_first + t * (self.rate_last - self.rate_first)
        }
    }

    /// Prior pseudo-count of district `i`.
    fn prior(&self, i: usize) -> f64 {
        self.prior_count + if i == 0 { self.prior_bonus_first } else { 0.0 }
    }
}

/// The root in [0, 1] of Ensign et al.'s mixed urn for two districts.
///
/// `d` are the expected daily *discovered* updates of each district on a day
/// it is patrolled, `r` the expected daily *reported* updates (which arrive
/// whether or not it is patrolled). With one patrol sent to district 1 with
/// probability `x` (its share of the counts), the expected update share of
/// district 1 is `(x·d₁ + r₁) / (x·d₁ + (1 − x)·d₂ + r₁ + r₂)`; setting it equal
/// to `x` gives `(d₁ − d₂)x² + (d₂ − d₁ + r₁ + r₂)x − r₁ = 0`. The polynomial is
/// `−r₁ ≤ 0` at 0 and `r₂ ≥ 0` at 1, so a root lies in [0, 1]; it is the stable
/// point of the urn. Returns `None` when there are no reports (`r₁ = r₂ = 0`):
/// then the urn has no interior attractor (a Pólya urn or a runaway).
pub fn mixed_urn_fixed_point(d: [f64; 2], r: [f64; 2]) -> Option<f64> {
    if r[0] + r[1] <= 0.0 {
        return None;
    }
    let a = d[0] - d[1];
    let b = d[1] - d[0] + r[0] + r[1];
    let c = -r[0];
    let g = |x: f64| (a * x + b) * x + c;
    let (mut lo, mut hi) = (0.0_f64, 1.0_f64);
    if g(lo) >= 0.0 {
        return Some(0.0);
    }
    for _ in 0..100 {
        let mid = 0.5 * (lo + hi);
        if g(mid) < 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Some(0.5 * (lo + hi))
}

/// The policing world: districts, the model's counts, today's plan and totals.
#[derive(Clone, Debug)]
pub struct PolicingWorld {
    seed: u64,
    cfg: Config,
    /// Current true rates, incidents/day (move only with the dynamic rate).
    rates: Vec<f64>,
    true_share: Vec<f64>,
    /// Decayed sum of the model's updates (without the prior).
    learned: Vec<f64>,
    /// Prior plus learned: the model's evidence.
    counts: Vec<f64>,
    est_share: Vec<f64>,
    /// Patrol groups: `group_count[g]` patrols, each drawn from row `g` of
    /// `group_dist` (a `MAX_DISTRICTS`-wide matrix).
    group_count: Vec<usize>,
    group_dist: Vec<f64>,
    greedy_gain: Vec<f64>,
    greedy_alloc: Vec<usize>,
    /// Expected share of today's patrols per district.
    patrol_share: Vec<f64>,
    /// Chance under today's plan that an incident is discovered (π).
    discovery_prob: Vec<f64>,
    patrols_today: Vec<u32>,
    occurred_today: Vec<u64>,
    discovered_today: Vec<u64>,
    reported_today: Vec<u64>,
    occurred_total: Vec<f64>,
    discovered_total: Vec<f64>,
    reported_total: Vec<f64>,
    patrol_days_total: Vec<f64>,
    /// Discovered updates kept and offered (for the correction's view).
    updates_kept: f64,
    updates_offered: f64,
}

impl PolicingWorld {
    /// A world at day 0: base rates, prior counts, and the plan for day 1.
    pub fn new(params: &ParamValues, seed: u64) -> Self {
        let cfg = Config::read(params);
        let v = || Vec::with_capacity(MAX_DISTRICTS);
        let mut w = Self {
            seed,
            cfg,
            rates: v(),
            true_share: v(),
            learned: v(),
            counts: v(),
            est_share: v(),
            group_count: Vec::with_capacity(MAX_DISTRICTS),
            group_dist: vec![0.0; MAX_DISTRICTS * MAX_DISTRICTS],
            greedy_gain: v(),
            greedy_alloc: Vec::with_capacity(MAX_DISTRICTS),
            patrol_share: v(),
            discovery_prob: v(),
            patrols_today: Vec::with_capacity(MAX_DISTRICTS),
            occurred_today: Vec::with_capacity(MAX_DISTRICTS),
            discovered_today: Vec::with_capacity(MAX_DISTRICTS),
            reported_today: Vec::with_capacity(MAX_DISTRICTS),
            occurred_total: v(),
            discovered_total: v(),
            reported_total: v(),
            patrol_days_total: v(),
            updates_kept: 0.0,
            updates_offered: 0.0,
        };
        w.resize(w.cfg.districts);
        w.reset_rates();
        w.refresh_shares();
        w.plan();
        w
    }

    /// Applies new parameter values; they act from the next step.
    pub fn configure(&mut self, params: &ParamValues) {
        let new = Config::read(params);
        let rates_changed = new.rate_first != self.cfg.rate_first
            || new.rate_last != self.cfg.rate_last
            || new.districts != self.cfg.districts;
        self.cfg = new;
        self.resize(self.cfg.districts);
        if rates_changed {
            self.reset_rates();
        }
        self.refresh_shares();
        self.plan();
    }

    fn resize(&mut self, k: usize) {
        self.rates.resize(k, 0.0);
        self.true_share.resize(k, 0.0);
        self.learned.resize(k, 0.0);
        self.counts.resize(k, 0.0);
        self.est_share.resize(k, 0.0);
        self.greedy_gain.resize(k, 0.0);
        self.greedy_alloc.resize(k, 0);
        self.group_count.resize(k, 0);
        self.patrol_share.resize(k, 0.0);
        self.discovery_prob.resize(k, 0.0);
        self.patrols_today.resize(k, 0);
        self.occurred_today.resize(k, 0);
        self.discovered_today.resize(k, 0);
        self.reported_today.resize(k, 0);
        self.occurred_total.resize(k, 0.0);
        self.discovered_total.resize(k, 0.0);
        self.reported_total.resize(k, 0.0);
        self.patrol_days_total.resize(k, 0.0);
    }

    fn reset_rates(&mut self) {
        for i in 0..self.cfg.districts {
            self.rates[i] = self.cfg.base_rate(i);
        }
    }

    /// Recomputes counts, estimated shares and true shares from the state.
    fn refresh_shares(&mut self) {
        let k = self.cfg.districts;
        let mut total = 0.0;
        for i in 0..k {
            self.counts[i] = self.cfg.prior(i) + self.learned[i];
            total += self.counts[i];
        }
        for i in 0..k {
            self.est_share[i] = if total > 0.0 {
                self.counts[i] / total
            } else {
                1.0 / k as f64
            };
        }
        let rate_sum: f64 = self.rates.iter().sum();
        for i in 0..k {
            self.true_share[i] = share(self.rates[i], rate_sum);
        }
    }

    /// Builds today's patrol groups, expected patrol shares and discovery
    /// chances from the current estimates (no randomness).
    fn plan(&mut self) {
        let k = self.cfg.districts;
        let kf = k as f64;
        let p = self.cfg.patrols;
        let f = self.cfg.forcefulness;
        let rate_sum: f64 = self.rates.iter().sum();
        let mut officer = [0.0; MAX_DISTRICTS];
        for (i, o) in officer.iter_mut().take(k).enumerate() {
            *o = match self.cfg.officer {
                Officer::TrueRates if rate_sum > 0.0 => self.rates[i] / rate_sum,
                _ => 1.0 / kf,
            };
        }
        self.group_count.fill(0);
        match self.cfg.policy {
            Policy::Proportional | Policy::Uniform => {
                self.group_count[0] = p;
                let proportional = self.cfg.policy == Policy::Proportional;
                for (i, cell) in self.group_dist[..k].iter_mut().enumerate() {
                    let model = if proportional {
                        self.est_share[i]
                    } else {
                        1.0 / kf
                    };
                    *cell = f * model + (1.0 - f) * officer[i];
                }
            }
            Policy::Greedy | Policy::EpsilonGreedy => {
                self.greedy_allocation();
                let eps = if self.cfg.policy == Policy::EpsilonGreedy {
                    self.cfg.epsilon
                } else {
                    0.0
                };
                for g in 0..k {
                    self.group_count[g] = self.greedy_alloc[g];
                    let row = &mut self.group_dist[g * MAX_DISTRICTS..g * MAX_DISTRICTS + k];
                    for (i, cell) in row.iter_mut().enumerate() {
                        let target = if i == g { 1.0 - eps } else { 0.0 };
                        let model = target + eps / kf;
                        *cell = f * model + (1.0 - f) * officer[i];
                    }
                }
            }
        }
        let detect = 1.0 - self.cfg.miss_prob;
        for i in 0..k {
            let mut expected = 0.0;
            let mut none = 1.0;
            for g in 0..k {
                let n = self.group_count[g];
                if n == 0 {
                    continue;
                }
                let s = self.group_dist[g * MAX_DISTRICTS + i];
                expected += n as f64 * s;
                none *= (1.0 - s * detect).clamp(0.0, 1.0).powi(n as i32);
            }
            self.patrol_share[i] = if p > 0 { expected / p as f64 } else { 0.0 };
            self.discovery_prob[i] = (1.0 - none).clamp(0.0, 1.0);
        }
    }

    /// Greedy plan: each patrol to the district where it adds the most
    /// expected discoveries, `share · (1 − miss) · miss^(patrols already there)`;
    /// ties go to the larger estimated share, then the lower index.
    fn greedy_allocation(&mut self) {
        let k = self.cfg.districts;
        let miss = self.cfg.miss_prob;
        self.greedy_alloc.fill(0);
        for i in 0..k {
            self.greedy_gain[i] = self.est_share[i] * (1.0 - miss);
        }
        for _ in 0..self.cfg.patrols {
            let mut best = 0;
            for i in 1..k {
                let (gi, gb) = (self.greedy_gain[i], self.greedy_gain[best]);
                if gi > gb || (gi == gb && self.est_share[i] > self.est_share[best]) {
                    best = i;
                }
            }
            self.greedy_alloc[best] += 1;
            self.greedy_gain[best] *= miss;
        }
    }

    /// Draws today's patrols from the plan.
    fn send_patrols(&mut self, rng: &mut SimRng) {
        let k = self.cfg.districts;
        self.patrols_today.fill(0);
        for g in 0..k {
            let row = &self.group_dist[g * MAX_DISTRICTS..g * MAX_DISTRICTS + k];
            for _ in 0..self.group_count[g] {
                let u = uniform(rng);
                let mut acc = 0.0;
                let mut chosen = None;
                let mut last_positive = 0;
                for (i, &s) in row.iter().enumerate() {
                    if s > 0.0 {
                        last_positive = i;
                        acc += s;
                        if u < acc {
                            chosen = Some(i);
                            break;
                        }
                    }
                }
                self.patrols_today[chosen.unwrap_or(last_positive)] += 1;
            }
        }
    }

    /// Advances one day (1-based) and writes one value per metric into `out`.
    pub fn step(&mut self, day: u32, out: &mut [f64], _events: &mut Vec<Event>) {
        let k = self.cfg.districts;
        let seed = self.seed;
        let day_key = u64::from(day);
        self.refresh_shares();
        self.plan();
        let mut rng = stream(seed, Stream::Loop, day_key, KEY_PATROLS);
        self.send_patrols(&mut rng);

        // Incidents, reports and discoveries.
        let rho = self.cfg.report_share;
        let miss = self.cfg.miss_prob;
        for i in 0..k {
            let mut rng = stream(seed, Stream::Loop, day_key, i as u64);
            let n = poisson(&mut rng, self.rates[i]);
            let patrols = self.patrols_today[i];
            let found = if patrols == 0 {
                0.0
            } else {
                1.0 - miss.powi(patrols.min(i32::MAX as u32) as i32)
            };
            let discover_below = rho + (1.0 - rho) * found;
            let (mut reported, mut discovered) = (0u64, 0u64);
            for _ in 0..n {
                let u = uniform(&mut rng);
                if u < rho {
                    reported += 1;
                } else if u < discover_below {
                    discovered += 1;
                }
            }
            self.occurred_today[i] = n;
            self.reported_today[i] = reported;
            self.discovered_today[i] = discovered;
        }

        // What the model learns.
        let pi_min = self
            .discovery_prob
            .iter()
            .copied()
            .filter(|&p| p > 0.0)
            .fold(f64::INFINITY, f64::min);
        for i in 0..k {
            let (d, r) = (self.discovered_today[i], self.reported_today[i]);
            let (mut add_d, add_r) = match self.cfg.update_rule {
                UpdateRule::IncidentCounts => (d as f64, r as f64),
                UpdateRule::OnePerFind => {
                    (if d > 0 { 1.0 } else { 0.0 }, if r > 0 { 1.0 } else { 0.0 })
                }
            };
            if add_d > 0.0 {
                self.updates_offered += 1.0;
                if self.cfg.correction {
                    let pi = self.discovery_prob[i];
                    let keep = if pi > 0.0 && pi_min.is_finite() {
                        (pi_min / pi).min(1.0)
                    } else {
                        1.0
                    };
                    let mut c = stream(seed, Stream::Loop, day_key, KEY_CORRECTION + i as u64);
                    if uniform(&mut c) >= keep {
                        add_d = 0.0;
                    }
                }
                if add_d > 0.0 {
                    self.updates_kept += 1.0;
                }
            }
            let update = self.cfg.weight_discovered * add_d + self.cfg.weight_reported * add_r;
            self.learned[i] = (1.0 - self.cfg.decay) * self.learned[i] + update;
        }

        // Totals, and the world's response to attention.
        for i in 0..k {
            self.occurred_total[i] += self.occurred_today[i] as f64;
            self.discovered_total[i] += self.discovered_today[i] as f64;
            self.reported_total[i] += self.reported_today[i] as f64;
            self.patrol_days_total[i] += f64::from(self.patrols_today[i]);
        }
        let dynamic = self.cfg.dynamic_rate;
        if dynamic > 0.0 {
            for i in 0..k {
                let n = f64::from(self.patrols_today[i]);
                let next = if n == 0.0 {
                    self.rates[i] + dynamic
                } else {
                    self.rates[i] - dynamic * n
                };
                self.rates[i] = next.clamp(0.0, MAX_RATE_PER_DAY);
            }
        }
        // Plan-time shares for today's metrics; estimates after learning.
        let patrol_share_1 = self.patrol_share[0];
        let mut fairness_gap = 0.0_f64;
        for i in 0..k {
            fairness_gap = fairness_gap.max((self.patrol_share[i] - self.true_share[i]).abs());
        }
        let true_share_1 = self.true_share[0];
        let true_share_today: [f64; MAX_DISTRICTS] = {
            let mut t = [0.0; MAX_DISTRICTS];
            t[..k].copy_from_slice(&self.true_share);
            t
        };
        self.refresh_shares();
        let tv: f64 = self
            .est_share
            .iter()
            .zip(&true_share_today)
            .map(|(e, t)| (e - t).abs())
            .sum();

        let per_1k = 1000.0 / self.cfg.residents;
        let (mut arrests_hi, mut arrests_lo) = (f64::NEG_INFINITY, f64::INFINITY);
        let (mut catch_hi, mut catch_lo) = (f64::NEG_INFINITY, f64::INFINITY);
        let (mut occurred, mut discovered, mut reported) = (0u64, 0u64, 0u64);
        for i in 0..k {
            let recorded = (self.discovered_today[i] + self.reported_today[i]) as f64;
            let a = recorded * per_1k;
            arrests_hi = arrests_hi.max(a);
            arrests_lo = arrests_lo.min(a);
            if self.occurred_total[i] > 0.0 {
                let c =
                    (self.discovered_total[i] + self.reported_total[i]) / self.occurred_total[i];
                catch_hi = catch_hi.max(c);
                catch_lo = catch_lo.min(c);
            }
            occurred += self.occurred_today[i];
            discovered += self.discovered_today[i];
            reported += self.reported_today[i];
        }
        let missed = occurred - discovered - reported;
        let patrols = self.cfg.patrols as f64;

        debug_assert_eq!(out.len(), m::COUNT);
        out[m::EST_SHARE_1] = unit(self.est_share[0]);
        out[m::TRUE_SHARE_1] = unit(true_share_1);
        out[m::PATROL_SHARE_1] = unit(patrol_share_1);
        out[m::ESTIMATE_ERROR] = unit(0.5 * tv);
        out[m::ARRESTS_PER_1K_1] =
            ((self.discovered_today[0] + self.reported_today[0]) as f64 * per_1k).min(COUNT_MAX);
        out[m::ARRESTS_GAP_PER_1K] = (arrests_hi - arrests_lo).clamp(0.0, COUNT_MAX);
        out[m::CATCH_PROB_GAP] = if catch_hi.is_finite() {
            unit(catch_hi - catch_lo)
        } else {
            0.0
        };
        out[m::RECORDED] = ((discovered + reported) as f64).min(COUNT_MAX);
        out[m::DISCOVERED_PER_PATROL] = share(discovered as f64, patrols).min(COUNT_MAX);
        out[m::MISSED] = (missed as f64).min(COUNT_MAX);
        out[m::MISSED_SHARE] = unit(share(missed as f64, occurred as f64));
        out[m::FAIRNESS_GAP] = unit(fairness_gap);
        out[m::OCCURRED] = (occurred as f64).min(COUNT_MAX);
        out[m::DISCOVERED] = (discovered as f64).min(COUNT_MAX);
        out[m::REPORTED] = (reported as f64).min(COUNT_MAX);
        out[m::PATROLS] = patrols;
    }

    /// Number of districts.
    pub fn districts(&self) -> usize {
        self.cfg.districts
    }

    /// Current true incident rates per district, in incidents/day (hidden truth).
    pub fn true_rates(&self) -> &[f64] {
        &self.rates
    }

    /// True share of incidents per district (rate over the sum of rates).
    pub fn true_shares(&self) -> &[f64] {
        &self.true_share
    }

    /// The model's evidence per district: prior plus decayed recorded incidents.
    pub fn evidence_counts(&self) -> &[f64] {
        &self.counts
    }

    /// The model's estimated share of incidents per district.
    pub fn estimated_shares(&self) -> &[f64] {
        &self.est_share
    }

    /// Expected share of the latest plan's patrols per district.
    pub fn patrol_shares(&self) -> &[f64] {
        &self.patrol_share
    }

    /// Chance, under the latest plan, that an unreported incident in each
    /// district is discovered (the propensity the correction divides by).
    pub fn discovery_probabilities(&self) -> &[f64] {
        &self.discovery_prob
    }

    /// Patrols sent to each district on the last simulated day.
    pub fn patrols_today(&self) -> &[u32] {
        &self.patrols_today
    }

    /// Incidents that occurred in each district on the last simulated day.
    pub fn occurred_today(&self) -> &[u64] {
        &self.occurred_today
    }

    /// Incidents discovered by patrols in each district on the last day.
    pub fn discovered_today(&self) -> &[u64] {
        &self.discovered_today
    }

    /// Incidents reported by residents in each district on the last day.
    pub fn reported_today(&self) -> &[u64] {
        &self.reported_today
    }

    /// Incidents that occurred per district since day 1.
    pub fn occurred_total(&self) -> &[f64] {
        &self.occurred_total
    }

    /// Incidents discovered by patrols per district since day 1.
    pub fn discovered_total(&self) -> &[f64] {
        &self.discovered_total
    }

    /// Incidents reported by residents per district since day 1.
    pub fn reported_total(&self) -> &[f64] {
        &self.reported_total
    }

    /// Patrol-days spent in each district since day 1.
    pub fn patrol_days_total(&self) -> &[f64] {
        &self.patrol_days_total
    }

    /// Share of district-days with a discovered update that the model kept
    /// (1 without the correction; below 1 when the correction drops updates).
    pub fn kept_update_share(&self) -> f64 {
        if self.updates_offered > 0.0 {
            self.updates_kept / self.updates_offered
        } else {
            1.0
        }
    }

    /// The share of district 1 the mixed urn settles at, for two districts,
    /// one patrol, the proportional policy, full forcefulness, no decay and
    /// no correction; `None` outside that case or without reports.
    /// See [`mixed_urn_fixed_point`].
    pub fn mixed_fixed_point_share_1(&self) -> Option<f64> {
        let c = &self.cfg;
        if c.districts != 2
            || c.patrols != 1
            || c.policy != Policy::Proportional
            || c.forcefulness < 1.0
            || c.decay > 0.0
            || c.correction
            || c.dynamic_rate > 0.0
        {
            return None;
        }
        let detect = 1.0 - c.miss_prob;
        let rho = c.report_share;
        let mut d = [0.0; 2];
        let mut r = [0.0; 2];
        for i in 0..2 {
            let lam = c.base_rate(i);
            let (dm, rm) = match c.update_rule {
                UpdateRule::IncidentCounts => ((1.0 - rho) * detect * lam, rho * lam),
                UpdateRule::OnePerFind => (
                    1.0 - (-(1.0 - rho) * detect * lam).exp(),
                    1.0 - (-rho * lam).exp(),
                ),
            };
            d[i] = c.weight_discovered * dm;
            r[i] = c.weight_reported * rm;
        }
        mixed_urn_fixed_point(d, r)
    }
}

/// `num / den`, or 0 when `den` is not positive.
fn share(num: f64, den: f64) -> f64 {
    if den > 0.0 { num / den } else { 0.0 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::registry::check_table;
    use crate::sim::testkit;

    fn params(sets: &[(&str, f64)]) -> ParamValues {
        testkit::params(PARAMS, sets)
    }

    /// Runs `days` days and returns the last row.
    fn run(p: &ParamValues, seed: u64, days: u32) -> (PolicingWorld, Vec<f64>) {
        let mut w = PolicingWorld::new(p, seed);
        let mut row = vec![0.0; METRICS.len()];
        let mut events = Vec::new();
        for day in 1..=days {
            w.step(day, &mut row, &mut events);
        }
        (w, row)
    }

    /// The classic urn: two districts, one patrol, every visit sees all
    /// incidents, discovered incidents only, no forgetting.
    const URN: &[(&str, f64)] = &[
        ("world.districts", 2.0),
        ("world.miss_prob", 0.0),
        ("world.report_share", 0.0),
        ("policy.patrols_per_day", 1.0),
        ("policy.kind", 0.0),
        ("model.prior_count", 1.0),
    ];

    fn urn_with(extra: &[(&str, f64)]) -> ParamValues {
        let mut all: Vec<(&str, f64)> = URN.to_vec();
        all.extend_from_slice(extra);
        params(&all)
    }

    fn mean_var(xs: &[f64]) -> (f64, f64) {
        let n = xs.len() as f64;
        let mean = xs.iter().sum::<f64>() / n;
        let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1.0);
        (mean, var)
    }

    #[test]
    fn table_is_consistent_and_indices_match() {
        check_table(PARAMS, METRICS).unwrap();
        assert_eq!(METRICS.len(), m::COUNT);
        assert_eq!(METRICS[m::EST_SHARE_1].id, "model.est_share_1");
        assert_eq!(METRICS[m::ARRESTS_PER_1K_1].id, "user.arrests_per_1k_1");
        assert_eq!(METRICS[m::RECORDED].id, "leading.incidents_recorded");
        assert_eq!(METRICS[m::FAIRNESS_GAP].id, "org.fairness_gap");
        assert_eq!(METRICS[m::PATROLS].id, "flow.patrols");
        for layer in [
            Layer::Model,
            Layer::User,
            Layer::Leading,
            Layer::Organization,
        ] {
            assert!(
                METRICS.iter().any(|s| s.layer == layer),
                "{layer:?} missing"
            );
        }
        for s in METRICS {
            let prefix = match s.layer {
                Layer::Model => "model.",
                Layer::User => "user.",
                Layer::Leading => "leading.",
                Layer::Organization => "org.",
                Layer::Flow => "flow.",
            };
            assert!(s.id.starts_with(prefix), "{} in {:?}", s.id, s.layer);
        }
    }

    /// Equal rates, one ball each, one patrol, coin-flip updates: a Pólya urn
    /// whose limit share is Uniform(0, 1) (mean 1/2, variance 1/12). Over 400
    /// replications of 1,500 days: the mean within 0.06 of 1/2 (4 standard
    /// errors), the sample variance within 0.015 of 1/12 (its standard error
    /// is about 0.0037), the Kolmogorov–Smirnov distance to the uniform below
    /// 0.0975 (the 0.1% critical value for n = 400), and both tails (below
    /// 0.05, above 0.95) reached. With a head start of 9 extra balls the limit
    /// is Beta(10, 1): mean 10/11 within 0.02 (standard error 0.0042),
    /// variance 10/1452 ≈ 0.0069 within 0.003.
    #[test]
    fn polya_urn_limit_is_uniform_at_equal_rates() {
        let p = urn_with(&[
            ("world.rate_first", 1.0),
            ("world.rate_last", 1.0),
            ("model.update_rule", 1.0),
        ]);
        let mut shares: Vec<f64> = (0..400)
            .map(|r| run(&p, 1000 + r, 1500).1[m::EST_SHARE_1])
            .collect();
        let (mean, var) = mean_var(&shares);
        assert!((mean - 0.5).abs() < 0.06, "mean {mean}");
        assert!((var - 1.0 / 12.0).abs() < 0.015, "variance {var}");
        shares.sort_by(f64::total_cmp);
        let n = shares.len() as f64;
        let ks = shares
            .iter()
            .enumerate()
            .map(|(i, &x)| (x - i as f64 / n).abs().max(((i + 1) as f64 / n - x).abs()))
            .fold(0.0, f64::max);
        assert!(ks < 0.0975, "KS distance {ks}");
        assert!(shares[0] < 0.05 && shares[shares.len() - 1] > 0.95);

        let ahead = urn_with(&[
            ("world.rate_first", 1.0),
            ("world.rate_last", 1.0),
            ("model.update_rule", 1.0),
            ("model.prior_bonus_first", 9.0),
        ]);
        let shares: Vec<f64> = (0..400)
            .map(|r| run(&ahead, 6000 + r, 1500).1[m::EST_SHARE_1])
            .collect();
        let (mean, var) = mean_var(&shares);
        assert!((mean - 10.0 / 11.0).abs() < 0.02, "mean {mean}");
        assert!(
            (var - 10.0 / (121.0 * 12.0)).abs() < 0.003,
            "variance {var}"
        );
    }

    /// Unequal rates (2 vs 1, true share 2/3), discovered incidents only: the
    /// urn runs away, slowly (the losing district's count grows only like
    /// the square root of time). After 5,000 days, of 100 replications at
    /// least 75 give one district more than 90% of the patrols (84 to 91
    /// over six seed sets tried), at least 70 of them district 1, and the
    /// mean share of district 1 is above 0.88 (0.92 to 0.96), far from the
    /// true 2/3. Equal Poisson rates instead stay spread (variance above
    /// 0.04; a uniform limit would give 0.083).
    #[test]
    fn unequal_rates_run_away() {
        let p = urn_with(&[("world.rate_first", 2.0), ("world.rate_last", 1.0)]);
        let shares: Vec<f64> = (0..100)
            .map(|r| run(&p, 77 + r, 5000).1[m::PATROL_SHARE_1])
            .collect();
        let extreme = shares
            .iter()
            .filter(|&&s| !(0.1..=0.9).contains(&s))
            .count();
        let to_first = shares.iter().filter(|&&s| s > 0.9).count();
        let (mean, _) = mean_var(&shares);
        assert!(extreme >= 75, "{extreme} of 100 ran away");
        assert!(to_first >= 70, "{to_first} of 100 ran away to district 1");
        assert!(mean > 0.88, "mean share {mean}");

        let equal = urn_with(&[("world.rate_first", 2.0), ("world.rate_last", 2.0)]);
        let shares: Vec<f64> = (0..100)
            .map(|r| run(&equal, 300 + r, 1000).1[m::EST_SHARE_1])
            .collect();
        let (_, var) = mean_var(&shares);
        assert!(var > 0.04, "variance {var}");
    }

    /// With Ensign's correction the same unequal urn learns the true share:
    /// the mean over 40 replications of the share after 3,000 days is within
    /// 0.015 of 2/3 (observed spread of one replication: sd ≈ 0.012), and
    /// every replication within 0.08 of it.
    #[test]
    fn correction_recovers_true_share() {
        let p = urn_with(&[
            ("world.rate_first", 2.0),
            ("world.rate_last", 1.0),
            ("policy.correction", 1.0),
        ]);
        let shares: Vec<f64> = (0..40)
            .map(|r| run(&p, 900 + r, 3000).1[m::EST_SHARE_1])
            .collect();
        let (mean, _) = mean_var(&shares);
        assert!((mean - 2.0 / 3.0).abs() < 0.015, "mean {mean}");
        for s in &shares {
            assert!((s - 2.0 / 3.0).abs() < 0.08, "share {s}");
        }
        // The correction also works with several patrols and misses
        // (propensities 1 − E[miss^n]), here for four districts with rates
        // 4, 3, 2, 1: every estimated share within 0.05 of the truth (without
        // the correction the smallest district ends below 0.06).
        let p = params(&[
            ("world.districts", 4.0),
            ("world.rate_first", 4.0),
            ("world.rate_last", 1.0),
            ("policy.patrols_per_day", 2.0),
            ("policy.correction", 1.0),
        ]);
        let (w, _) = run(&p, 3, 4000);
        let truth = [0.4, 0.3, 0.2, 0.1];
        for (e, t) in w.estimated_shares().iter().zip(truth) {
            assert!((e - t).abs() < 0.05, "{:?}", w.estimated_shares());
        }
    }

    /// Reports mixed in: rates 2 and 1, half of the incidents reported, both
    /// weights 1, no misses. Then d = (1, 0.5), r = (1, 0.5) and the fixed
    /// point is the root of 0.5x² + x − 1 = 0, x = √3 − 1 ≈ 0.732, between the
    /// true share 2/3 and runaway. The mean over 40 replications of the share
    /// averaged over days 1,001–3,000 must be within 0.01 of it (standard
    /// error about 0.002; the true share is 0.065 away).
    #[test]
    fn mixed_reports_converge_to_fixed_point() {
        let p = urn_with(&[
            ("world.rate_first", 2.0),
            ("world.rate_last", 1.0),
            ("world.report_share", 0.5),
        ]);
        let x = PolicingWorld::new(&p, 0)
            .mixed_fixed_point_share_1()
            .unwrap();
        assert!((x - (3.0_f64.sqrt() - 1.0)).abs() < 1e-9, "{x}");
        assert!((mixed_urn_fixed_point([1.0, 1.0], [1.0, 3.0]).unwrap() - 0.25).abs() < 1e-12);
        assert_eq!(mixed_urn_fixed_point([2.0, 1.0], [0.0, 0.0]), None);
        let means: Vec<f64> = (0..40)
            .map(|r| {
                let mut w = PolicingWorld::new(&p, 4000 + r);
                let mut row = vec![0.0; METRICS.len()];
                let mut sum = 0.0;
                for day in 1..=3000 {
                    w.step(day, &mut row, &mut Vec::new());
                    if day > 1000 {
                        sum += row[m::EST_SHARE_1];
                    }
                }
                sum / 2000.0
            })
            .collect();
        let (mean, _) = mean_var(&means);
        assert!((mean - x).abs() < 0.01, "mean {mean} vs fixed point {x}");
    }

    /// The uniform policy: each of P patrols lands in one of K districts at
    /// random, so an incident in district i is discovered with probability
    /// 1 − (1 − (1 − m)/K)^P and the expected discoveries a day are
    /// Σλ_i · (1 − (1 − (1 − m)/K)^P). For K = 4, rates 1..4, P = 3, m = 0.2
    /// that is 10 · (1 − 0.8³) = 4.88 (the linear guess P/K·Σλ·(1 − m) would
    /// be 6). The mean over 20,000 days must be within 0.1 (≈ 5 standard
    /// errors) of it, and the expected patrol share exactly 1/K.
    #[test]
    fn uniform_policy_matches_closed_form() {
        let p = params(&[
            ("world.districts", 4.0),
            ("world.rate_first", 1.0),
            ("world.rate_last", 4.0),
            ("world.miss_prob", 0.2),
            ("policy.kind", 2.0),
            ("policy.patrols_per_day", 3.0),
        ]);
        let mut w = PolicingWorld::new(&p, 11);
        let mut row = vec![0.0; METRICS.len()];
        let mut sum = 0.0;
        let days = 20_000;
        for day in 1..=days {
            w.step(day, &mut row, &mut Vec::new());
            sum += row[m::DISCOVERED];
            assert!((row[m::PATROL_SHARE_1] - 0.25).abs() < 1e-12);
        }
        let expected = 10.0 * (1.0 - 0.8_f64.powi(3));
        let mean = sum / f64::from(days);
        assert!((mean - expected).abs() < 0.1, "mean {mean} vs {expected}");
        for &pi in w.discovery_probabilities() {
            assert!((pi - (1.0 - 0.8_f64.powi(3))).abs() < 1e-12);
        }
    }

    /// Forcefulness 0 with officers who know the true rates: the patrol
    /// share is the true share, whatever the model says; the greedy policy
    /// at forcefulness 1 and one patrol sends it to the top district only.
    #[test]
    fn forcefulness_blends_model_and_officers() {
        let p = params(&[
            ("experience.forcefulness", 0.0),
            ("experience.officer_judgment", 1.0),
            ("model.prior_bonus_first", 50.0),
        ]);
        let (w, row) = run(&p, 5, 50);
        assert!((row[m::PATROL_SHARE_1] - 4.0 / 7.0).abs() < 1e-12);
        assert!(row[m::FAIRNESS_GAP] < 1e-12);
        assert!(w.estimated_shares()[0] > 0.5);
        let p = params(&[("policy.kind", 1.0), ("model.prior_bonus_first", 5.0)]);
        let (w, row) = run(&p, 5, 50);
        assert_eq!(row[m::PATROL_SHARE_1], 1.0);
        assert_eq!(w.patrol_days_total()[1], 0.0);
        let p = params(&[
            ("policy.kind", 1.0),
            ("model.prior_bonus_first", 5.0),
            ("experience.forcefulness", 0.5),
        ]);
        let (_, row) = run(&p, 5, 50);
        assert!((row[m::PATROL_SHARE_1] - 0.75).abs() < 1e-12);
    }

    #[test]
    fn deterministic_per_seed() {
        let p = params(&[("world.report_share", 0.2), ("policy.patrols_per_day", 3.0)]);
        let rows = |seed| {
            let mut w = PolicingWorld::new(&p, seed);
            let mut all = Vec::new();
            let mut row = vec![0.0; METRICS.len()];
            for day in 1..=200 {
                w.step(day, &mut row, &mut Vec::new());
                all.extend_from_slice(&row);
            }
            all
        };
        assert_eq!(rows(42), rows(42));
        assert_ne!(rows(42), rows(43));
    }

    fn assert_in_range(row: &[f64], day: u32, what: &str) {
        for (value, spec) in row.iter().zip(METRICS) {
            assert!(
                value.is_finite() && *value >= spec.min && *value <= spec.max,
                "{what}, day {day}: {} = {value} outside [{}, {}]",
                spec.id,
                spec.min,
                spec.max
            );
        }
    }

    /// Every metric, every day, stays finite and within its declared range:
    /// 400 days at the defaults and in several variants, and 20 days with
    /// each parameter at its minimum and at its maximum.
    #[test]
    fn metrics_in_range() {
        let variants: &[&[(&str, f64)]] = &[
            &[],
            &[("policy.patrols_per_day", 0.0)],
            &[("world.districts", 1.0), ("policy.correction", 1.0)],
            &[("world.rate_first", 0.0), ("world.rate_last", 0.0)],
            &[
                ("world.districts", 16.0),
                ("policy.kind", 3.0),
                ("policy.patrols_per_day", 40.0),
                ("policy.correction", 1.0),
                ("world.dynamic_rate", 0.3),
                ("model.decay", 0.05),
            ],
            &[
                ("policy.kind", 1.0),
                ("policy.correction", 1.0),
                ("model.prior_count", 0.0),
                ("world.report_share", 0.3),
            ],
        ];
        for (v, sets) in variants.iter().enumerate() {
            let p = params(sets);
            let mut w = PolicingWorld::new(&p, v as u64);
            let mut row = vec![0.0; METRICS.len()];
            for day in 1..=400 {
                w.step(day, &mut row, &mut Vec::new());
                assert_in_range(&row, day, &format!("variant {v}"));
            }
        }
        for spec in PARAMS {
            for value in [spec.min, spec.max] {
                let p = params(&[(spec.id, value)]);
                let mut w = PolicingWorld::new(&p, 9);
                let mut row = vec![0.0; METRICS.len()];
                for day in 1..=20 {
                    w.step(day, &mut row, &mut Vec::new());
                    assert_in_range(&row, day, &format!("{} = {value}", spec.id));
                }
            }
        }
    }

    /// A mid-run change takes effect from the next day: more districts and
    /// patrols appear in the next row, the learned counts survive.
    #[test]
    fn configure_applies_from_next_day() {
        let p = params(&[]);
        let mut w = PolicingWorld::new(&p, 1);
        let mut row = vec![0.0; METRICS.len()];
        for day in 1..=30 {
            w.step(day, &mut row, &mut Vec::new());
        }
        let before = w.evidence_counts()[0];
        let q = params(&[("world.districts", 5.0), ("policy.patrols_per_day", 7.0)]);
        w.configure(&q);
        assert_eq!(w.districts(), 5);
        assert_eq!(w.evidence_counts()[0], before);
        w.step(31, &mut row, &mut Vec::new());
        assert_eq!(row[m::PATROLS], 7.0);
        assert_eq!(w.patrols_today().iter().sum::<u32>(), 7);
    }
}
