//! The policing world's tables: its choices, parameters and measures, and the
//! measures heading its views.

use super::{MAX_DISTRICTS, MAX_PATROLS, MAX_RATE_PER_DAY};
use crate::sim::choice::choice;
use crate::sim::registry::{
    Better, Group, Layer, ListSpec, MetricSpec, Noun, ParamKind, ParamSpec, Per, Provenance,
    Shorthand, Unit, metric_index,
};

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
    /// What forgetting applies to (`model.forgetting`).
    pub enum Forgetting default WholeCount {
        /// Every count decays, the prior included, down to the floor.
        WholeCount = "whole_count",
        /// Only the learned part decays; the prior stays for ever.
        LearnedOnly = "learned_only",
    }
}

choice! {
    /// How many incidents one patrol can discover (`world.capture`).
    pub enum Capture default AnyNumber {
        /// A patrol sees every incident it does not miss: n patrols discover
        /// each unreported incident with probability 1 − missⁿ.
        AnyNumber = "any_number",
        /// Each patrol discovers at most one incident a day.
        OnePerPatrol = "one_per_patrol",
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
        doc: "Number of districts. Their true incident rates are world.rates, one per \
              district, or when no list is given a straight line from the first district's \
              rate to the last one's. A change mid-run adds districts (with only the prior as \
              evidence) or removes the last ones; lists given for another number of districts \
              are cut, or continued by their shorthand.",
        source: Provenance::Sourced(
            "Ensign et al. 2018 analyse two districts (one urn with two colours); ml-fairness-gym's attention allocation defaults to 2 locations.",
        ),
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
        source: Provenance::Sourced(
            "ml-fairness-gym attention allocation: incident_rates = [4, 3].",
        ),
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
        source: Provenance::Sourced(
            "ml-fairness-gym attention allocation: incident_rates = [4, 3].",
        ),
    },
    ParamSpec {
        id: "world.rates",
        label: "Incident rate per district",
        unit: Unit::Count(Noun::Incidents, Per::Day),
        kind: ParamKind::List(ListSpec {
            max_len: MAX_DISTRICTS,
            length: "world.districts",
            shorthand: Shorthand::Line {
                first: "world.rate_first",
                last: "world.rate_last",
            },
        }),
        min: 0.0,
        max: MAX_RATE_PER_DAY,
        default: 0.0,
        group: Group::World,
        doc: "True mean number of incidents a day in each district (Poisson), one item per \
              district: [4, 3] in a file, 4,3 with --set. When given, world.rate_first and \
              world.rate_last are not used; when not, the rates run in a straight line from \
              the first to the last. Set before the run starts.",
        source: Provenance::Sourced(
            "ml-fairness-gym attention allocation: incident_rates = [4, 3] (the line's two ends by default).",
        ),
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
        source: Provenance::Sourced(
            "ml-fairness-gym attention allocation: miss_incident_prob = 0.2 per location.",
        ),
    },
    ParamSpec {
        id: "world.capture",
        label: "Finds per patrol",
        doc: "any_number: a patrol sees every incident in its district that it does not \
              miss, so n patrols discover each unreported incident with probability \
              1 − miss^n (ml-fairness-gym with attention_replacement = true). \
              one_per_patrol: each patrol can discover at most one incident a day; the \
              incidents meet the patrols not yet busy, each found with probability \
              1 − miss^(free patrols) (the gym's default, attention_replacement = false).",
        source: Provenance::Sourced(
            "ml-fairness-gym attention allocation, attention_replacement (default false: one incident per unit).",
        ),
        ..ParamSpec::choice::<Capture>(Group::World)
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
        source: Provenance::Sourced(
            "Ensign et al. 2018, section on reported and discovered incidents; ml-fairness-gym reported_incident_weight = 0.",
        ),
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
        source: Provenance::Sourced("ml-fairness-gym attention allocation: dynamic_rate = 0."),
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
        source: Provenance::Assumption(
            "The order of size of a city district; it only scales arrests per 1,000 residents.",
        ),
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
              before the first draw): the recorded history the model starts from. With \
              whole_count forgetting it decays like every other count; with learned_only it \
              never decays. Small priors let the first few days decide the loop; large ones \
              make the model slow to move. A change mid-run adds the difference to every \
              district's count.",
        source: Provenance::Sourced("Ensign et al. 2018: urns start with one ball of each colour."),
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
        source: Provenance::Assumption(
            "No head start, so runaway from equal footing is visible; ml-fairness-gym uses unequal historical priors (650, 250).",
        ),
    },
    ParamSpec {
        id: "model.prior_counts",
        label: "Prior count per district (list)",
        unit: Unit::Count(Noun::Incidents, Per::Total),
        kind: ParamKind::List(ListSpec {
            max_len: MAX_DISTRICTS,
            length: "world.districts",
            shorthand: Shorthand::Each {
                each: "model.prior_count",
                extra_first: "model.prior_bonus_first",
            },
        }),
        min: 0.0,
        max: 10_000.0,
        default: 0.0,
        group: Group::Model,
        doc: "The recorded history each district starts with, one item per district: \
              [650, 250] in a file, 650,250 with --set. When given, model.prior_count and \
              model.prior_bonus_first are not used; when not, every district starts from \
              model.prior_count and district 1 from model.prior_bonus_first more. Set before \
              the run starts.",
        source: Provenance::Sourced(
            "Ensign et al. 2018: urns start with one ball of each colour (model.prior_count's default); ml-fairness-gym's historical priors are given per location.",
        ),
    },
    ParamSpec {
        id: "model.update_rule",
        label: "What the model counts",
        doc: "incident_counts: add every recorded incident (Poisson additions). \
              one_per_find: add one unit per district and day in which at least one \
              incident of a kind was recorded, so the model learns the chance of at least \
              one incident, 1 − e^(−rate); with one patrol and no misses this is exactly \
              Ensign et al.'s coin-flip urn (a slowed-down Pólya urn).",
        source: Provenance::Sourced("Ensign et al. 2018, the basic urn and its Poisson variant."),
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
        source: Provenance::Sourced(
            "Ensign et al. 2018, weighted discovered/reported urn; ml-fairness-gym discovered_incident_weight = 1.",
        ),
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
        source: Provenance::Sourced("Ensign et al. 2018, weighted discovered/reported urn."),
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
        doc: "Share of the model's counts forgotten each day, after the day's finds are \
              added (exponential decay of old incidents; what decays is set by the \
              forgetting rule, and no count is forgotten below the floor). Limited memory \
              makes the model track recent data and keeps the urn from freezing.",
        source: Provenance::Sourced(
            "Ensign et al. 2018 discuss PredPol's limited memory; their code's exponential decay option (0.01 in their examples). Default 0 = the plain urn.",
        ),
    },
    ParamSpec {
        id: "model.forgetting",
        label: "What the model forgets",
        doc: "whole_count: forgetting applies to each district's whole count, the prior \
              included, so after a few hundred days the starting history is gone (Ensign et \
              al.'s urn code). learned_only: only the incidents learned since day 1 decay \
              and the prior stays for ever, which pins a model with a large historical \
              prior near its starting shares.",
        source: Provenance::Sourced(
            "Ensign et al. 2018, their code's exponential decay: every ball decays, each colour kept at one ball or more.",
        ),
        ..ParamSpec::choice::<Forgetting>(Group::Model)
    },
    ParamSpec {
        id: "model.count_floor",
        label: "Count floor",
        unit: Unit::Count(Noun::Incidents, Per::Total),
        kind: ParamKind::Real,
        min: 0.0,
        max: 10_000.0,
        default: 1.0,
        group: Group::Model,
        doc: "Forgetting never takes a district's count below this many incidents (a \
              count already below it is left alone), so no district's share reaches 0 and \
              the model can still send a patrol there.",
        source: Provenance::Sourced(
            "Ensign et al. 2018, their code's exponential decay keeps at least one ball of each colour.",
        ),
    },
    ParamSpec {
        id: "policy.kind",
        label: "Patrol policy",
        doc: "proportional: each patrol goes to a district drawn in proportion to the \
              model's counts (the urn). greedy: patrols assigned one at a time to the \
              district where the next patrol is expected to discover most (with \
              any_number capture, top-k by count when no incident is missed; with \
              one_per_patrol capture the k-th patrol in a district adds P(N ≥ k) for \
              its estimated incidents N, the gym's greedy rule). uniform: each patrol \
              to a uniformly drawn district. epsilon_greedy: each greedy patrol goes \
              to a uniformly drawn district instead with probability ε.",
        source: Provenance::Sourced(
            "Ensign et al. 2018 (proportional urn); ml-fairness-gym agents (uniform random, proportional, greedy, epsilon-greedy).",
        ),
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
        source: Provenance::Sourced(
            "Ensign et al. 2018 (one officer a day); ml-fairness-gym n_attention_units = 1.",
        ),
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
        source: Provenance::Sourced("ml-fairness-gym allocation agents (epsilon = 0.1)."),
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
              rates. It cannot help a district the plan never visits (π = 0). \
              Under one find per patrol it is only approximate: finds saturate, so it \
              learns how often a district has an incident, not how many (rates 3 and 1 \
              settle near a 0.60 share instead of 0.75).",
        source: Provenance::Sourced(
            "Ensign et al. 2018, section 'Fixing the feedback loop' (their code's linear-surprise urn).",
        ),
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
        source: Provenance::Assumption(
            "Every patrol follows the model: the setting Ensign et al. 2018 analyse. Forcefulness is the course's design factor applied to patrols; no study measures a share.",
        ),
    },
    ParamSpec {
        id: "experience.officer_judgment",
        label: "Officers' own judgment",
        doc: "Where patrols go when they do not follow the model: uniform (spread evenly) \
              or true_rates (in proportion to the true incident rates: officers with good \
              local knowledge).",
        source: Provenance::Assumption(
            "Officers' own choices are modelled without a measured rule; the default is a judgment of how they allocate when not following the model.",
        ),
        ..ParamSpec::choice::<Officer>(Group::Experience)
    },
];

/// Bound for raw counts (finite, far above anything a run can reach).
pub(super) const COUNT_MAX: f64 = 1e12;

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
