//! The recommender world's tables: its choices, parameters and measures, and the
//! measures heading its views.

use super::{MAX_ITEM_SECONDS, MAX_ITEMS_PER_DAY, MAX_NPE, MAX_USER_SLOTS, MAX_USERS};
use crate::sim::choice::choice;
use crate::sim::registry::{
    Better, Group, Layer, MetricSpec, Noun, ParamKind, ParamSpec, Per, Provenance, Unit,
    metric_index,
};

choice! {
    /// How the recommender picks items (`policy.kind`).
    pub enum Policy default Myopic {
        /// The most engaging item today.
        Myopic = "myopic",
        /// A fixed share of clickbait.
        FixedMix = "fixed_mix",
        /// The share that maximizes engagement over a planning horizon.
        LongTerm = "long_term",
    }
}

/// Every parameter of the recommender world.
pub const PARAMS: &[ParamSpec] = &[
    ParamSpec {
        id: "world.users",
        label: "Users at start",
        unit: Unit::Count(Noun::Users, Per::Total),
        kind: ParamKind::Int,
        min: 1.0,
        max: MAX_USERS as f64,
        default: 1000.0,
        group: Group::World,
        doc: "Users active on day 1. Raising it mid-run brings the difference in as new \
              users the next day; lowering it has no effect (people do not vanish).",
        source: Provenance::Assumption(
            "Enough users for smooth daily averages; not a property of a real service.",
        ),
    },
    ParamSpec {
        id: "world.items_per_day",
        label: "Items per user per day",
        unit: Unit::Count(Noun::Items, Per::Day),
        kind: ParamKind::Int,
        min: 1.0,
        max: MAX_ITEMS_PER_DAY as f64,
        default: 10.0,
        group: Group::World,
        doc: "Items each active user consumes a day; satisfaction updates after each one.",
        source: Provenance::Assumption(
            "Ten items a day per user; RecSim's session budget is 60 items, which measures no real listener.",
        ),
    },
    ParamSpec {
        id: "world.choc_clickbait",
        label: "Chocolate clickbait score",
        unit: Unit::Number,
        kind: ParamKind::Real,
        min: 0.0,
        max: 1.0,
        default: 1.0,
        group: Group::World,
        doc: "Clickbait score of the engaging, low-quality kind of item.",
        source: Provenance::Sourced(
            "RecSim long-term satisfaction: clickbait scores lie in [0, 1]; 1 is the extreme chocolate.",
        ),
    },
    ParamSpec {
        id: "world.kale_clickbait",
        label: "Kale clickbait score",
        unit: Unit::Number,
        kind: ParamKind::Real,
        min: 0.0,
        max: 1.0,
        default: 0.0,
        group: Group::World,
        doc: "Clickbait score of the less engaging, high-quality kind of item.",
        source: Provenance::Sourced("RecSim long-term satisfaction: 0 is the extreme kale."),
    },
    ParamSpec {
        id: "people.memory_discount",
        label: "Memory discount",
        unit: Unit::Rate(Per::Item),
        kind: ParamKind::Real,
        min: 0.0,
        max: 0.99,
        default: 0.7,
        group: Group::People,
        doc: "Share of the net positive exposure kept from one item to the next; the \
              rest is forgotten. Closer to 1 = longer memory and larger swings.",
        source: Provenance::Sourced("RecSim LTSStaticUserSampler: memory_discount = 0.7."),
    },
    ParamSpec {
        id: "people.sensitivity",
        label: "Satisfaction sensitivity",
        unit: Unit::Number,
        kind: ParamKind::Real,
        min: 0.0,
        max: 2.0,
        default: 0.05,
        group: Group::People,
        doc: "How strongly satisfaction follows the net positive exposure, \
              SAT = 1/(1 + e^(−sensitivity·NPE)). Near 0 clickbait has no lasting cost; \
              at 0.05 it wins each day's engagement but loses users; above about 0.07 it \
              loses engagement too.",
        source: Provenance::Assumption(
            "RecSim's default is 0.01 (clickbait then always wins); 0.05 is chosen so clickbait wins each day's engagement but loses users, the world where the leading indicator misleads.",
        ),
    },
    ParamSpec {
        id: "people.innovation_sd",
        label: "Satisfaction noise",
        unit: Unit::Number,
        kind: ParamKind::Real,
        min: 0.0,
        max: 1.0,
        default: 0.05,
        group: Group::People,
        doc: "Standard deviation of the random change in net positive exposure per item.",
        source: Provenance::Sourced("RecSim LTSStaticUserSampler: innovation_stddev = 0.05."),
    },
    ParamSpec {
        id: "people.choc_engagement_mean",
        label: "Chocolate engagement (log mean)",
        unit: Unit::LogSeconds,
        kind: ParamKind::Real,
        min: 0.0,
        max: 8.0,
        default: 5.0,
        group: Group::People,
        doc: "Mean of log engagement with a pure-clickbait item at full satisfaction.",
        source: Provenance::Sourced("RecSim LTSStaticUserSampler: choc_mean = 5."),
    },
    ParamSpec {
        id: "people.choc_engagement_sd",
        label: "Chocolate engagement (log sd)",
        unit: Unit::LogSeconds,
        kind: ParamKind::Real,
        min: 0.0,
        max: 2.0,
        default: 1.0,
        group: Group::People,
        doc: "Standard deviation of log engagement with a pure-clickbait item.",
        source: Provenance::Sourced("RecSim LTSStaticUserSampler: choc_stddev = 1."),
    },
    ParamSpec {
        id: "people.kale_engagement_mean",
        label: "Kale engagement (log mean)",
        unit: Unit::LogSeconds,
        kind: ParamKind::Real,
        min: 0.0,
        max: 8.0,
        default: 4.0,
        group: Group::People,
        doc: "Mean of log engagement with a pure-kale item at full satisfaction.",
        source: Provenance::Sourced("RecSim LTSStaticUserSampler: kale_mean = 4."),
    },
    ParamSpec {
        id: "people.kale_engagement_sd",
        label: "Kale engagement (log sd)",
        unit: Unit::LogSeconds,
        kind: ParamKind::Real,
        min: 0.0,
        max: 2.0,
        default: 1.0,
        group: Group::People,
        doc: "Standard deviation of log engagement with a pure-kale item.",
        source: Provenance::Sourced("RecSim LTSStaticUserSampler: kale_stddev = 1."),
    },
    ParamSpec {
        id: "people.engagement_scale",
        label: "Seconds per unit of engagement",
        unit: Unit::Number,
        kind: ParamKind::Real,
        min: 0.01,
        max: 1000.0,
        default: 1.0,
        group: Group::People,
        doc: "Seconds of engagement per unit of RecSim's engagement: every item's seconds, \
              the seconds measures and revenue are RecSim's log-normal draw times this. It \
              changes no choice and no satisfaction (both policies and churn compare or \
              ignore engagement alike), only the size a listener or viewer would recognise. \
              1 = RecSim's numbers read as seconds.",
        source: Provenance::Assumption(
            "1 keeps RecSim's numbers, which set relative sizes (catchy against wholesome, full against low satisfaction) but were not fitted to any service's watch or listening time; a scenario sets it from the field data it cites.",
        ),
    },
    ParamSpec {
        id: "people.churn_max",
        label: "Churn of the most unhappy",
        unit: Unit::RateOne(Per::Day),
        kind: ParamKind::Real,
        min: 0.0,
        max: 1.0,
        default: 0.01,
        group: Group::People,
        doc: "Daily chance of leaving for a user with very low satisfaction; at the \
              midpoint it is half this, well above the midpoint close to 0.",
        source: Provenance::Assumption(
            "About 1% a day at worst (a third of unhappy users gone in a month). RecSim has no churn.",
        ),
    },
    ParamSpec {
        id: "people.churn_midpoint",
        label: "Churn midpoint satisfaction",
        unit: Unit::Share,
        kind: ParamKind::Real,
        min: 0.0,
        max: 1.0,
        default: 0.5,
        group: Group::People,
        doc: "Satisfaction at which the daily chance of leaving is half its maximum.",
        source: Provenance::Assumption("RecSim's neutral satisfaction (NPE = 0) is 0.5."),
    },
    ParamSpec {
        id: "people.churn_spread",
        label: "Churn spread",
        unit: Unit::Number,
        kind: ParamKind::Real,
        min: 0.001,
        max: 1.0,
        default: 0.05,
        group: Group::People,
        doc: "How sharply churn changes around the midpoint (logistic scale): smaller = \
              a sharper line between staying and leaving.",
        source: Provenance::Assumption(
            "A judgment: a fairly sharp line between staying and leaving around the midpoint. RecSim has no churn.",
        ),
    },
    ParamSpec {
        id: "people.arrivals_per_day",
        label: "New users per day",
        unit: Unit::Count(Noun::Users, Per::Day),
        kind: ParamKind::Real,
        min: 0.0,
        max: 1000.0,
        default: 0.0,
        group: Group::People,
        doc: "Mean number of new users a day (Poisson), who start with a neutral-ish \
              satisfaction like the first users. 0 = a closed cohort, so retention is the \
              share of the starting users still active.",
        source: Provenance::Assumption(
            "A closed cohort, so retention reads as the share of the first users still active; no arrivals are measured.",
        ),
    },
    ParamSpec {
        id: "people.own_clickbait_share",
        label: "Users' own clickbait share",
        unit: Unit::Share,
        kind: ParamKind::Real,
        min: 0.0,
        max: 1.0,
        default: 0.5,
        group: Group::People,
        doc: "When users pick items themselves (forcefulness below 1), the chance they \
              pick chocolate.",
        source: Provenance::Assumption(
            "Users picking for themselves have no preference either way.",
        ),
    },
    ParamSpec {
        id: "policy.kind",
        label: "Recommendation policy",
        doc: "myopic: serve whichever kind has the higher expected engagement right now. \
              fixed_mix: serve chocolate with the set share. long_term: serve the fixed \
              share that maximizes a user's engagement over the planning horizon once \
              satisfaction has settled, counting churn.",
        source: Provenance::Sourced(
            "RecSim's myopic and long-horizon agents (Ie et al., RecSim, 2019); which one is the default is a choice of the lesson.",
        ),
        ..ParamSpec::choice::<Policy>(Group::Policy)
    },
    ParamSpec {
        id: "policy.clickbait_share",
        label: "Clickbait share (fixed mix)",
        unit: Unit::Share,
        kind: ParamKind::Real,
        min: 0.0,
        max: 1.0,
        default: 0.5,
        group: Group::Policy,
        doc: "For fixed_mix: the chance that a recommended item is chocolate.",
        source: Provenance::Assumption("An even mix for the fixed policy; a judgment."),
    },
    ParamSpec {
        id: "policy.planning_horizon_days",
        label: "Planning horizon",
        unit: Unit::Days,
        kind: ParamKind::Int,
        min: 1.0,
        max: 3650.0,
        default: 365.0,
        group: Group::Policy,
        doc: "For long_term: the number of days of a user's engagement the policy values. \
              A short horizon makes it act like the myopic policy.",
        source: Provenance::Assumption("One year: long enough to see satisfaction's slow cost."),
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
        doc: "Share of items that come from the recommender (autoplay, the feed); the rest \
              the users pick themselves.",
        source: Provenance::Assumption(
            "Every item from the recommender (autoplay): RecSim's setting. Forcefulness is the course's design factor applied to a feed.",
        ),
    },
    ParamSpec {
        id: "value.revenue_per_hour",
        label: "Revenue per hour of engagement",
        unit: Unit::Money(Per::Hour),
        kind: ParamKind::Real,
        min: 0.0,
        max: 100.0,
        default: 0.5,
        group: Group::ValueCost,
        doc: "What an hour of engagement earns the organization (advertising).",
        source: Provenance::Assumption(
            "The order of ad revenue per viewing hour; not taken from a filing.",
        ),
    },
];

pub(super) const BIG: f64 = 1e12;
/// Bound on the log engagement measure: ln of a day in seconds (an item's
/// cap) is about 11.4.
pub(super) const MAX_LOG_SECONDS: f64 = 12.0;
pub(super) const REVENUE_TOTAL_MAX: f64 = 1e16;

/// Every per-day measure of the recommender world.
pub const METRICS: &[MetricSpec] = &[
    MetricSpec {
        id: "model.clickbait_share",
        label: "Clickbait share served",
        unit: Unit::Share,
        layer: Layer::Model,
        better: Better::Down,
        observable: true,
        min: 0.0,
        max: 1.0,
        doc: "Share of today's consumed items that were chocolate (recommended or picked).",
    },
    MetricSpec {
        id: "model.predicted_engagement_per_item",
        label: "Predicted engagement per item",
        unit: Unit::Seconds(Per::Item),
        layer: Layer::Model,
        better: Better::Neither,
        observable: true,
        min: 0.0,
        max: BIG,
        doc: "Mean over today's items of the expected engagement given the user's current \
              satisfaction, e^(μ + σ²/2): what a perfect one-step model predicts.",
    },
    MetricSpec {
        id: "model.observed_engagement_per_item",
        label: "Observed engagement per item",
        unit: Unit::Seconds(Per::Item),
        layer: Layer::Model,
        better: Better::Neither,
        observable: true,
        min: 0.0,
        max: MAX_ITEM_SECONDS,
        doc: "Mean engagement actually observed per item today.",
    },
    MetricSpec {
        id: "model.log_engagement_per_item",
        label: "Log engagement per item (RecSim's scale)",
        unit: Unit::LogSeconds,
        layer: Layer::Model,
        better: Better::Neither,
        observable: true,
        min: -MAX_LOG_SECONDS,
        max: MAX_LOG_SECONDS,
        doc: "Mean over today's items of ln(seconds of engagement): the scale RecSim draws \
              engagement on and reports it in. An item's log engagement is normal with mean \
              (c·μ_choc + (1 − c)·μ_kale)·SAT and sd c·σ_choc + (1 − c)·σ_kale, so a \
              satisfied listener's catchy hit averages 5 here (e⁵ ≈ 148 s is its median); \
              the seconds measures report the log-normal's mean, e^(μ + σ²/2), which is \
              e^(σ²/2) ≈ 1.65 times the median at σ = 1, times the engagement scale.",
    },
    MetricSpec {
        id: "user.satisfaction",
        label: "Mean satisfaction",
        unit: Unit::Share,
        layer: Layer::User,
        better: Better::Up,
        observable: false,
        min: 0.0,
        max: 1.0,
        doc: "Mean satisfaction (0–1) of active users at the end of the day (hidden from \
              the organization).",
    },
    MetricSpec {
        id: "user.net_exposure",
        label: "Mean net positive exposure",
        unit: Unit::Number,
        layer: Layer::User,
        better: Better::Up,
        observable: false,
        min: -MAX_NPE,
        max: MAX_NPE,
        doc: "Mean net positive exposure of active users: above 0 after more kale, below \
              after more chocolate.",
    },
    MetricSpec {
        id: "user.dissatisfied_share",
        label: "Share dissatisfied",
        unit: Unit::Share,
        layer: Layer::User,
        better: Better::Down,
        observable: false,
        min: 0.0,
        max: 1.0,
        doc: "Share of active users whose satisfaction is below the churn midpoint.",
    },
    MetricSpec {
        id: "leading.engagement_per_user",
        label: "Engagement per active user",
        unit: Unit::Seconds(Per::UserDay),
        layer: Layer::Leading,
        better: Better::Up,
        observable: true,
        min: 0.0,
        max: MAX_ITEM_SECONDS * MAX_ITEMS_PER_DAY as f64,
        doc: "Seconds of engagement per active user today: the proxy a team optimizes.",
    },
    MetricSpec {
        id: "leading.engagement_total",
        label: "Total engagement",
        unit: Unit::Seconds(Per::Day),
        layer: Layer::Leading,
        better: Better::Up,
        observable: true,
        min: 0.0,
        max: BIG,
        doc: "Seconds of engagement of all users today.",
    },
    MetricSpec {
        id: "leading.active_users",
        label: "Active users",
        unit: Unit::Count(Noun::Users, Per::Total),
        layer: Layer::Leading,
        better: Better::Up,
        observable: true,
        min: 0.0,
        max: MAX_USER_SLOTS as f64,
        doc: "Users still active at the end of the day.",
    },
    MetricSpec {
        id: "org.retention",
        label: "Retention",
        unit: Unit::Share,
        layer: Layer::Organization,
        better: Better::Up,
        observable: true,
        min: 0.0,
        max: 1.0,
        doc: "Active users over everyone who ever joined.",
    },
    MetricSpec {
        id: "org.revenue",
        label: "Revenue",
        unit: Unit::Money(Per::Day),
        layer: Layer::Organization,
        better: Better::Up,
        observable: true,
        min: 0.0,
        max: BIG,
        doc: "Today's engagement in hours times the revenue per hour.",
    },
    MetricSpec {
        id: "org.cumulative_revenue",
        label: "Cumulative revenue",
        unit: Unit::Money(Per::Total),
        layer: Layer::Organization,
        better: Better::Up,
        observable: true,
        min: 0.0,
        max: REVENUE_TOTAL_MAX,
        doc: "Revenue since day 1: the lagging measure the organization actually wants.",
    },
    MetricSpec {
        id: "flow.items_consumed",
        label: "Items consumed",
        unit: Unit::Count(Noun::Items, Per::Day),
        layer: Layer::Flow,
        better: Better::Neither,
        observable: true,
        min: 0.0,
        max: BIG,
        doc: "Items consumed by all active users today.",
    },
    MetricSpec {
        id: "flow.departures",
        label: "Departures",
        unit: Unit::Count(Noun::Users, Per::Day),
        layer: Layer::Flow,
        better: Better::Down,
        observable: true,
        min: 0.0,
        max: MAX_USER_SLOTS as f64,
        doc: "Users who left today.",
    },
    MetricSpec {
        id: "flow.arrivals",
        label: "Arrivals",
        unit: Unit::Count(Noun::Users, Per::Day),
        layer: Layer::Flow,
        better: Better::Up,
        observable: true,
        min: 0.0,
        max: MAX_USER_SLOTS as f64,
        doc: "New users who joined today.",
    },
];

/// The measures that head the Compare table's difference table, in layer
/// order (columns of [`METRICS`], checked when the crate builds).
pub const HEADLINES: &[usize] = &[
    metric_index(METRICS, "model.clickbait_share"),
    metric_index(METRICS, "model.observed_engagement_per_item"),
    metric_index(METRICS, "user.satisfaction"),
    metric_index(METRICS, "user.dissatisfied_share"),
    metric_index(METRICS, "leading.engagement_per_user"),
    metric_index(METRICS, "leading.active_users"),
    metric_index(METRICS, "org.retention"),
    metric_index(METRICS, "org.revenue"),
    metric_index(METRICS, "org.cumulative_revenue"),
];

/// The key measures shown as cards above the tabs, one or more per layer.
pub const KEY_MEASURES: &[usize] = &[
    metric_index(METRICS, "model.clickbait_share"),
    metric_index(METRICS, "user.satisfaction"),
    metric_index(METRICS, "leading.engagement_per_user"),
    metric_index(METRICS, "org.cumulative_revenue"),
];
