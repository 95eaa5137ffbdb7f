//! The user world: a population meeting a model through an interaction design.
//!
//! One step is one day. For every active user: situations arrive (Poisson),
//! each with a hidden truth; the binormal model scores it; the design decides
//! whether the prediction is surfaced, how forcefully, and how often; the
//! user notices, follows, ignores, overrides or reports it according to trust,
//! fatigue and their own judgment; outcomes are booked for the user and the
//! organization, and the same situation is decided by the user alone as the
//! counterfactual. At the end of the day trust, fatigue and sentiment move,
//! some users leave, others arrive, and the model may be retrained on the
//! labels telemetry gathered.
//!
//! Owns: the population (struct of arrays, about 21 bytes per user), the
//! model's lifecycle state, and the daily tallies. Randomness is keyed by
//! (user id, day) so two designs on one seed meet the same world.

mod measures;
mod params;

pub use params::{CapKeeps, HEADLINES, KEY_MEASURES, METRICS, Mode, ModelSpec, PARAMS, Surface};

use super::rng::{self, Stream};
use super::stats::{auc_from_dprime, binormal_from_rates, dprime_from_auc, phi, phi_inv_fast};
use super::{Event, EventKind, ParamValues, ratio};
use measures as m;

impl Mode {
    /// Probability that a surfaced prediction is noticed, by forcefulness.
    fn salience(self, forcefulness: f64) -> f64 {
        match self {
            Mode::Automate => 0.3 + 0.6 * forcefulness,
            Mode::Prompt => 0.7 + 0.3 * forcefulness,
            Mode::Organize => 0.35 + 0.45 * forcefulness,
            Mode::Annotate => 0.15 + 0.45 * forcefulness,
        }
    }

    /// Share of a full interruption a surfaced prediction costs, by forcefulness.
    fn intrusiveness(self, forcefulness: f64) -> f64 {
        match self {
            Mode::Automate => 0.1 + 0.2 * forcefulness,
            Mode::Prompt => 0.5 + 0.5 * forcefulness,
            Mode::Organize => 0.15 + 0.25 * forcefulness,
            Mode::Annotate => 0.05 + 0.15 * forcefulness,
        }
    }
}

/// x / (1 + |x|): squashes a day's experience into (−1, 1), like tanh but
/// without a transcendental function in the per-user loop.
#[inline]
fn softsign(x: f64) -> f64 {
    x / (1.0 + x.abs())
}

/// Validated, typed parameters, read once per change.
#[derive(Clone, Debug, PartialEq)]
struct Config {
    users: u32,
    situations: rng::PoissonTable,
    share_b: f64,
    base_rate: [f64; 2],
    base_rate_drift_per_day: f64,
    shift_day: u32,
    shift_quality_loss: f64,
    // model
    dprime_deployed: [f64; 2],
    threshold: f64,
    abstain_band: f64,
    drift_per_day: f64,
    retrain_every_days: u32,
    dprime_ceiling: [f64; 2],
    labels_to_halve_gap: f64,
    biased_label_weight: f64,
    explore_share: f64,
    // experience
    enabled: bool,
    mode: Mode,
    forcefulness: f64,
    /// The mode's salience and intrusiveness at this forcefulness.
    salience: f64,
    intrusiveness: f64,
    max_per_day: u32,
    cap_keeps_most_confident: bool,
    surface_all: bool,
    attention_minutes: f64,
    undo: bool,
    correction_minutes: f64,
    report_button: bool,
    // value and cost
    value_correct_action: f64,
    false_action_cost: f64,
    missed_harm: f64,
    value_per_minute: f64,
    revenue_per_user_day: f64,
    revenue_per_action: f64,
    org_cost_per_false_action: f64,
    cost_per_incident: f64,
    incident_harm: f64,
    cost_per_report: f64,
    cost_per_day: f64,
    // people
    trust_initial: f64,
    trust_gain: f64,
    trust_loss: f64,
    fatigue_sensitivity: f64,
    fatigue_recovery: f64,
    push: f64,
    own_tpr: f64,
    own_fpr: f64,
    verify_skill: f64,
    complacency: f64,
    silent_miss_blame: f64,
    skill_spread: f64,
    outcome_visibility: f64,
    report_probability: f64,
    baseline_value: f64,
    /// 1 / the sentiment scale (a multiply in the per-user loop).
    per_sentiment_scale: f64,
    sentiment_rate: f64,
    churn_per_day: f64,
    signups_per_day: f64,
    word_of_mouth: f64,
    // guardrails
    harm_cap: Option<f64>,
    review: Option<Review>,
    shutdown: Option<(u64, u32)>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct Review {
    /// Uniform level above which a situation's Exp(1) stake exceeds the review stake.
    stake_level: f64,
    accuracy: f64,
    cost: f64,
    minutes: f64,
}

impl Config {
    fn from_params(p: &ParamValues) -> Self {
        let mode: Mode = p.choice("experience.mode");
        let forcefulness = p.get("experience.forcefulness");
        let (dprime_deployed, threshold) = match p.choice("model.spec") {
            ModelSpec::Rates => {
                let (d, t) = binormal_from_rates(p.get("model.fpr"), p.get("model.fnr"));
                ([d, d], t)
            }
            ModelSpec::Binormal => (
                [
                    dprime_from_auc(p.get("model.auc")),
                    dprime_from_auc(p.get("model.auc_b")),
                ],
                p.get("model.threshold"),
            ),
        };
        let ceiling_a = dprime_from_auc(p.get("model.auc_ceiling")).max(dprime_deployed[0]);
        let ratio_b = if dprime_deployed[0] > 1e-9 {
            dprime_deployed[1] / dprime_deployed[0]
        } else {
            1.0
        };
        let ceiling_b = (ceiling_a * ratio_b).max(dprime_deployed[1]);
        let drift_per_year: f64 = p.get("model.drift_per_year");
        Self {
            users: p.get("world.users") as u32,
            situations: rng::PoissonTable::new(p.get("world.situations_per_day")),
            share_b: p.get("world.share_b"),
            base_rate: [p.get("world.base_rate_a"), p.get("world.base_rate_b")],
            base_rate_drift_per_day: p.get("world.base_rate_drift_per_year") / 365.0,
            shift_day: p.get("world.shift_day") as u32,
            shift_quality_loss: p.get("world.shift_quality_loss"),
            dprime_deployed,
            threshold,
            abstain_band: p.get("model.abstain_band"),
            drift_per_day: -(1.0 - drift_per_year).ln() / 365.0,
            retrain_every_days: p.get("model.retrain_every_days") as u32,
            dprime_ceiling: [ceiling_a, ceiling_b],
            labels_to_halve_gap: p.get("model.labels_to_halve_gap"),
            biased_label_weight: p.get("model.biased_label_weight"),
            explore_share: p.get("model.explore_share"),
            enabled: p.flag("experience.enabled"),
            mode,
            forcefulness,
            salience: mode.salience(forcefulness),
            intrusiveness: mode.intrusiveness(forcefulness),
            max_per_day: p.get("experience.max_per_day") as u32,
            cap_keeps_most_confident: match p.choice("experience.cap_keeps") {
                CapKeeps::MostConfident => true,
                CapKeeps::First => false,
            },
            surface_all: match p.choice("experience.surface") {
                Surface::Positives => false,
                Surface::All => true,
            },
            attention_minutes: p.get("experience.attention_minutes"),
            undo: p.flag("experience.undo"),
            correction_minutes: p.get("experience.correction_minutes"),
            report_button: p.flag("experience.report_button"),
            value_correct_action: p.get("value.correct_action"),
            false_action_cost: p.get("value.false_action_cost"),
            missed_harm: p.get("value.missed_harm"),
            value_per_minute: p.get("value.minute"),
            revenue_per_user_day: p.get("org.revenue_per_user_day"),
            revenue_per_action: p.get("org.revenue_per_action"),
            org_cost_per_false_action: p.get("org.cost_per_false_action"),
            cost_per_incident: p.get("org.cost_per_incident"),
            incident_harm: p.get("org.incident_harm"),
            cost_per_report: p.get("org.cost_per_report"),
            cost_per_day: p.get("org.cost_per_day"),
            trust_initial: p.get("people.trust_initial"),
            trust_gain: p.get("people.trust_gain"),
            trust_loss: p.get("people.trust_loss"),
            fatigue_sensitivity: p.get("people.fatigue_sensitivity"),
            fatigue_recovery: p.get("people.fatigue_recovery"),
            push: p.get("people.push"),
            own_tpr: p.get("people.own_tpr"),
            own_fpr: p.get("people.own_fpr"),
            verify_skill: p.get("people.verify_skill"),
            complacency: p.get("people.complacency"),
            silent_miss_blame: p.get("people.silent_miss_blame"),
            skill_spread: p.get("people.skill_spread"),
            outcome_visibility: p.get("people.outcome_visibility"),
            report_probability: p.get("people.report_probability"),
            baseline_value: p.get("people.baseline_value"),
            per_sentiment_scale: 1.0 / p.get("people.sentiment_scale"),
            sentiment_rate: 1.0 / p.get("people.sentiment_memory_days"),
            churn_per_day: p.get("people.churn_per_day"),
            signups_per_day: p.get("people.signups_per_day"),
            word_of_mouth: p.get("people.word_of_mouth"),
            harm_cap: p
                .flag("guardrail.harm_cap_on")
                .then(|| p.get("guardrail.harm_cap")),
            review: p.flag("guardrail.review_on").then(|| Review {
                stake_level: 1.0 - (-p.get("guardrail.review_stake")).exp(),
                accuracy: p.get("guardrail.review_accuracy"),
                cost: p.get("guardrail.review_cost"),
                minutes: p.get("guardrail.review_minutes"),
            }),
            shutdown: p.flag("guardrail.shutdown_on").then(|| {
                (
                    p.get("guardrail.shutdown_incidents") as u64,
                    p.get("guardrail.shutdown_days") as u32,
                )
            }),
        }
    }

    /// Most people the population may hold (bounds memory).
    fn population_cap(&self) -> usize {
        (self.users as usize * 4).max(10_000)
    }

    fn same_model(&self, other: &Config) -> bool {
        self.dprime_deployed == other.dprime_deployed
    }
}

/// The population, as a struct of arrays (dense: departed users are removed).
#[derive(Clone, Debug, Default)]
pub struct Population {
    /// Stable identity, keys each user's random streams.
    pub id: Vec<u32>,
    /// 0 = group A, 1 = group B.
    pub group: Vec<u8>,
    /// Multiplier of the user's own detection rate (skill).
    pub skill: Vec<f32>,
    /// Trust in the system, 0..1.
    pub trust: Vec<f32>,
    /// Alert fatigue, in recent interruptions.
    pub fatigue: Vec<f32>,
    /// Sentiment, −1..1.
    pub sentiment: Vec<f32>,
}

impl Population {
    /// Number of active users.
    pub fn len(&self) -> usize {
        self.id.len()
    }

    /// True when nobody is left.
    pub fn is_empty(&self) -> bool {
        self.id.is_empty()
    }

    fn push(&mut self, id: u32, seed: u64, cfg: &Config) {
        let mut r = rng::stream(seed, Stream::Population, u64::from(id), 0);
        let group = u8::from(rng::uniform(&mut r) < cfg.share_b);
        let skill = 1.0 + cfg.skill_spread * (2.0 * rng::uniform(&mut r) - 1.0);
        self.id.push(id);
        self.group.push(group);
        self.skill.push(skill as f32);
        self.trust.push(cfg.trust_initial as f32);
        self.fatigue.push(0.0);
        self.sentiment.push(0.0);
    }

    fn swap_remove(&mut self, i: usize) {
        self.id.swap_remove(i);
        self.group.swap_remove(i);
        self.skill.swap_remove(i);
        self.trust.swap_remove(i);
        self.fatigue.swap_remove(i);
        self.sentiment.swap_remove(i);
    }

    /// Bytes of state per user: one element of each array.
    pub const BYTES_PER_USER: usize = size_of::<u32>() // id
        + size_of::<u8>() // group
        + 4 * size_of::<f32>(); // skill, trust, fatigue, sentiment
}

/// The model's life in production.
#[derive(Clone, Debug)]
struct ModelState {
    /// Separation right after the last deployment or shift, per group.
    dprime_base: [f64; 2],
    /// Separation after the last training, per group.
    dprime_trained: [f64; 2],
    days_since_training: u32,
    /// Labels since the last shift: from telemetry, and from the random holdout.
    labels_biased: f64,
    labels_random: f64,
    labels_total: f64,
    /// `labels_total` at the last training.
    labels_at_training: f64,
}

impl ModelState {
    fn new(cfg: &Config) -> Self {
        Self {
            dprime_base: cfg.dprime_deployed,
            dprime_trained: cfg.dprime_deployed,
            days_since_training: 0,
            labels_biased: 0.0,
            labels_random: 0.0,
            labels_total: 0.0,
            labels_at_training: 0.0,
        }
    }

    fn dprime_today(&self, cfg: &Config) -> [f64; 2] {
        let decay = (-cfg.drift_per_day * f64::from(self.days_since_training)).exp();
        [
            self.dprime_trained[0] * decay,
            self.dprime_trained[1] * decay,
        ]
    }

    /// Effective labels for the learning curve.
    fn effective_labels(&self, cfg: &Config) -> f64 {
        self.labels_random + cfg.biased_label_weight * self.labels_biased
    }

    /// Retrains on the labels collected so far, if any arrived since the
    /// last training; returns whether it did (no new data, no new model).
    fn retrain(&mut self, cfg: &Config) -> bool {
        if self.labels_total <= self.labels_at_training {
            return false;
        }
        self.labels_at_training = self.labels_total;
        let n = self.effective_labels(cfg);
        let keep = cfg.labels_to_halve_gap / (cfg.labels_to_halve_gap + n);
        for g in 0..2 {
            let ceiling = cfg.dprime_ceiling[g].max(self.dprime_base[g]);
            self.dprime_trained[g] = ceiling - (ceiling - self.dprime_base[g]) * keep;
        }
        self.days_since_training = 0;
        true
    }
}

/// One group's situations in one day, counted by the user-day loop; the
/// confusion tables of [`Tally`] are derived from them at the end of the day.
#[derive(Clone, Copy, Debug, Default)]
struct SituationCounts {
    situations: u64,
    positives: u64,
    abstained: u64,
    /// Abstentions that were random hold-outs (exploration).
    held_out: u64,
    /// Positives the model decided on (did not abstain).
    positives_decided: u64,
    /// Situations the model decided on and flagged.
    predicted: u64,
    /// Positives the model decided on and flagged.
    true_positives: u64,
    /// Situations where the user (or system) acted.
    acted: u64,
    acted_positives: u64,
    /// Situations where the user alone would have acted (the counterfactual).
    own_acted: u64,
    own_acted_positives: u64,
}

/// Everything counted in one day.
#[derive(Clone, Copy, Debug, Default)]
struct Tally {
    /// Per group: what the situations were and how they ended (see
    /// [`DayTables::of`] for the tables derived from them).
    counts: [SituationCounts; 2],
    surfaced: u64,
    capped: u64,
    noticed: u64,
    followed: u64,
    ignored: u64,
    overridden: u64,
    reported: u64,
    value: f64,
    harm: f64,
    minutes: f64,
    cf_value: f64,
    cf_harm: f64,
    incidents: u64,
    cf_incidents: u64,
    system_acts: u64,
    system_false_acts: u64,
    reviews: u64,
    noticed_followed: u64,
    /// Surfaced predictions telemetry flagged (reported or overridden), once each.
    flagged: u64,
    /// Surfaced predictions that were wrong.
    surfaced_wrong: u64,
    trust_sum: f64,
    fatigue_sum: f64,
    sentiment_sum: f64,
    positive_sentiment_sum: f64,
    departures: u64,
    users_at_start: u64,
}

/// A day's confusion tables, derived from the per-group counts.
#[derive(Clone, Copy, Debug, Default)]
struct DayTables {
    situations: u64,
    positives: u64,
    abstained: u64,
    /// Random hold-outs (exploration), which become unbiased labels.
    held_out: u64,
    pred: [[u64; 2]; 2],             // [truth][predicted]
    pred_by_group: [[u64; 2]; 2],    // [group][wrong?]
    decided: [[u64; 2]; 2],          // [truth][acted]
    cf_decided: [[u64; 2]; 2],       // [truth][acted]
    decided_by_group: [[u64; 2]; 2], // [group][wrong?]
}

impl DayTables {
    fn of(counts: &[SituationCounts; 2]) -> Self {
        let mut d = Self::default();
        for (g, c) in counts.iter().enumerate() {
            let decided = c.situations - c.abstained;
            let (tp, fn_) = (c.true_positives, c.positives_decided - c.true_positives);
            let fp = c.predicted - c.true_positives;
            let tn = decided - c.positives_decided - fp;
            d.situations += c.situations;
            d.positives += c.positives;
            d.abstained += c.abstained;
            d.held_out += c.held_out;
            d.pred[1][1] += tp;
            d.pred[1][0] += fn_;
            d.pred[0][1] += fp;
            d.pred[0][0] += tn;
            d.pred_by_group[g] = [tp + tn, fp + fn_];
            // [truth][acted] from how many acted and how many of them on positives.
            let table = |acted: u64, acted_positives: u64| {
                let negatives = c.situations - c.positives;
                [
                    [
                        negatives - (acted - acted_positives),
                        acted - acted_positives,
                    ],
                    [c.positives - acted_positives, acted_positives],
                ]
            };
            let decided_table = table(c.acted, c.acted_positives);
            let cf_table = table(c.own_acted, c.own_acted_positives);
            for truth in 0..2 {
                for act in 0..2 {
                    d.decided[truth][act] += decided_table[truth][act];
                    d.cf_decided[truth][act] += cf_table[truth][act];
                }
            }
            let right = decided_table[1][1] + decided_table[0][0];
            d.decided_by_group[g] = [right, c.situations - right];
        }
        d
    }
}

/// The user world.
#[derive(Clone, Debug)]
pub struct UsersWorld {
    cfg: Config,
    seed: u64,
    pop: Population,
    next_id: u32,
    model: ModelState,
    profit_cumulative: f64,
    system_off_until: u32,
    incidents_yesterday: u64,
    /// Confidences of one user-day's candidate interventions (reused).
    scratch: Vec<f64>,
    /// Classified situations of one user-day (reused).
    masks: Vec<DayMasks>,
    /// Per-group model and decision counts of the last [`GAP_WINDOW_DAYS`] days.
    window: [GroupCounts; GAP_WINDOW_DAYS],
    /// The day being simulated in parts, if any.
    partial: Option<DayInProgress>,
}

/// Days over which fairness gaps are measured (a single day is too noisy).
pub const GAP_WINDOW_DAYS: usize = 30;

/// Per-group [right, wrong] counts of the model's predictions and of decisions.
#[derive(Clone, Copy, Debug, Default)]
struct GroupCounts {
    model: [[u64; 2]; 2],
    decisions: [[u64; 2]; 2],
}

/// A day partly simulated: its constants, tallies so far and the next user.
#[derive(Clone, Debug)]
struct DayInProgress {
    day: u32,
    cfg: Config,
    system_on: bool,
    dprime: [f64; 2],
    cuts: DayCuts,
    keys: (u64, u64),
    skill_cuts: SkillCuts,
    tally: Tally,
    cursor: usize,
}

/// A user's own-judgment rates and cuts for one skill, kept from user to
/// user: users of one skill (everyone, without a skill spread) share them,
/// which spares a division and three conversions per user-day.
#[derive(Clone, Copy, Debug)]
struct SkillCuts {
    /// The bits of the skill these are for (none before the first user).
    skill_bits: Option<u32>,
    /// The own true-positive rate, min(1, own TPR × skill).
    tpr: f64,
    /// Cuts of [own FPR / skill, own TPR × skill], each at most 1.
    cuts: [u64; 2],
}

impl SkillCuts {
    const NONE: Self = Self {
        skill_bits: None,
        tpr: 0.0,
        cuts: [0; 2],
    };

    /// The rates and cuts of `skill`, computed when it differs from the
    /// last user's (compared by bits: the same bits, the same results).
    #[inline(always)]
    fn of(&mut self, cfg: &Config, skill: f32) -> Self {
        if self.skill_bits != Some(skill.to_bits()) {
            let skill_f64 = f64::from(skill);
            let tpr = (cfg.own_tpr * skill_f64).min(1.0);
            let fpr = (cfg.own_fpr / skill_f64).min(1.0);
            *self = Self {
                skill_bits: Some(skill.to_bits()),
                tpr,
                cuts: [rng::unit_cut32(fpr), rng::unit_cut32(tpr)],
            };
        }
        *self
    }
}

/// One word (up to 64 situations) of a user-day, classified: bit j is
/// situation 64c + j.
#[derive(Clone, Copy, Debug, Default)]
struct DayMasks {
    valid: u64,
    truth: u64,
    predicted: u64,
    abstain: u64,
    held_out: u64,
    /// The user alone would act (the counterfactual).
    own: u64,
    /// The user would act on their own judgment while the system runs.
    alone: u64,
    /// Candidates the system may surface.
    eligible: u64,
}

/// The cut points one user-day classifies its situations with.
struct WordCuts {
    truth: u64,
    score: [(u64, u64); 2],
    own: [u64; 2],
    /// A positive is caught by the user acting alone below this (lower than
    /// `own[1]` under complacency; negatives are the same either way).
    alone_positive: u64,
}

/// The three world draws of a situation (see `user_day` for the numbering).
#[derive(Clone, Copy)]
enum Draw {
    /// Top 32 bits: the truth; low 32 bits: the user's own judgment.
    TruthSelf = 0,
    /// The model's score noise (53 bits).
    Noise = 1,
    /// Top 32 bits: the stake of a miss; low 32 bits: exploration.
    StakeExplore = 2,
}

/// World draw `which` of situation `k`: number 3k + which.
#[inline(always)]
fn world_draw(world: u64, k: u64, which: Draw) -> u64 {
    rng::keyed_u64(world, 3 * k + which as u64)
}

/// The positions of a mask's set bits, lowest first.
#[inline(always)]
fn ones(mut mask: u64) -> impl Iterator<Item = u32> {
    std::iter::from_fn(move || {
        (mask != 0).then(|| {
            let j = mask.trailing_zeros();
            mask &= mask - 1;
            j
        })
    })
}

/// One situation's model and own-judgment bits, given the cuts for its truth:
/// (predicted, in the abstain band, the user would act).
#[inline(always)]
fn judge(noise: u64, u_self: u64, (below, above): (u64, u64), own: u64) -> (bool, bool, bool) {
    let predicted = noise >= above;
    (predicted, (noise >= below) & !predicted, u_self < own)
}

/// Classifies situations `base .. base + len` of one user-day (world draws
/// keyed by `world`) into `m`'s truth, predicted, own and alone masks, and
/// returns the abstain-band mask. `BAND`: the day's abstain band is not
/// empty (without it the loop keeps fewer values live). Bits are shifted in
/// from the top situation down, so situation base + j ends at bit j.
#[inline(always)]
fn classify<const BAND: bool>(
    world: u64,
    base: u64,
    len: u64,
    cuts: &WordCuts,
    m: &mut DayMasks,
) -> u64 {
    let draws = |k: u64| {
        let a = world_draw(world, k, Draw::TruthSelf);
        let noise = world_draw(world, k, Draw::Noise) >> 11;
        (a, noise, a & 0xFFFF_FFFF)
    };
    // Every situation is classified as if negative (positives are rare), with
    // the negative cuts held in registers; positives are fixed up after.
    let (mut truth_bits, mut predicted_bits, mut band, mut own_bits) = (0u64, 0u64, 0u64, 0u64);
    for j in (0..len).rev() {
        let (a, noise, u_self) = draws(base + j);
        let (predicted, in_band, own) = judge(noise, u_self, cuts.score[0], cuts.own[0]);
        truth_bits = truth_bits << 1 | u64::from((a >> 32) < cuts.truth);
        predicted_bits = predicted_bits << 1 | u64::from(predicted);
        own_bits = own_bits << 1 | u64::from(own);
        if BAND {
            band = band << 1 | u64::from(in_band);
        }
    }
    let mut alone_bits = own_bits;
    for j in ones(truth_bits) {
        let (_, noise, u_self) = draws(base + u64::from(j));
        let (predicted, in_band, own) = judge(noise, u_self, cuts.score[1], cuts.own[1]);
        let bit = 1u64 << j;
        let set = |mask: &mut u64, on: bool| *mask = (*mask & !bit) | (u64::from(on) << j);
        set(&mut predicted_bits, predicted);
        set(&mut own_bits, own);
        set(&mut alone_bits, u_self < cuts.alone_positive);
        if BAND {
            set(&mut band, in_band);
        }
    }
    m.truth = truth_bits;
    m.predicted = predicted_bits;
    m.own = own_bits;
    m.alone = alone_bits;
    band
}

/// One user's day: the keys of its draws and its constants, read by both
/// passes.
struct UserDay {
    /// The key of the user's world draws today.
    world: u64,
    /// The key of the user's people draws today.
    people: u64,
    situations: u32,
    group: usize,
    system_on: bool,
    /// The model's separation for the user's group.
    dprime: f64,
    /// A binding cap that keeps the most confident candidates: the
    /// confidence a kept candidate must reach (−∞ without one).
    cutoff: f64,
}

impl UserDay {
    /// Classifies the word of situations from `base` (a multiple of 64).
    #[inline(always)]
    fn classify_word(&self, base: u64, cuts: &DayCuts, word_cuts: &WordCuts) -> DayMasks {
        let len = (u64::from(self.situations) - base).min(64);
        let mut m = DayMasks {
            // (Through u128: a word may hold 64 situations, or none.)
            valid: ((1u128 << len) - 1) as u64,
            ..DayMasks::default()
        };
        let band = if cuts.no_band[self.group] {
            classify::<false>(self.world, base, len, word_cuts, &mut m)
        } else {
            classify::<true>(self.world, base, len, word_cuts, &mut m)
        };
        if cuts.explore > 0 {
            for j in 0..len {
                let e = world_draw(self.world, base + j, Draw::StakeExplore) & 0xFFFF_FFFF;
                m.held_out |= u64::from(e < cuts.explore) << j;
            }
        }
        m.abstain = m.held_out | band;
        if self.system_on {
            let shown = if cuts.surface_unpredicted {
                m.valid
            } else {
                m.predicted
            };
            m.eligible = shown & !m.abstain & m.valid;
        }
        m
    }

    /// The stake draw of situation `k`, uniform.
    #[inline]
    fn stake_u(&self, k: u64) -> f64 {
        rng::unit_pair(world_draw(self.world, k, Draw::StakeExplore)).0
    }

    /// How far situation `k`'s score lies from the threshold.
    #[inline]
    fn confidence(&self, cfg: &Config, k: u64, truth: bool) -> f64 {
        let noise_u = rng::unit53(world_draw(self.world, k, Draw::Noise));
        let shift = if truth { self.dprime } else { 0.0 };
        (phi_inv_fast(noise_u) + shift - cfg.threshold).abs()
    }

    /// Pass two over one word of a user-day: walks, in order, the situations in
    /// `todo` (candidates the system may surface and misses it stayed silent
    /// about), deciding what is surfaced and what the user does and learns.
    /// `acted` holds the word's actions so far (the user's own judgment); the
    /// word's actions are returned.
    #[allow(clippy::too_many_arguments)]
    #[inline(always)]
    fn settle_word(
        &self,
        cfg: &Config,
        m: &DayMasks,
        base: u64,
        todo: u64,
        mut acted: u64,
        user: &mut UserToday,
        t: &mut Tally,
    ) -> u64 {
        let (salience, intrusiveness) = (cfg.salience, cfg.intrusiveness);
        for j in ones(todo) {
            let k = base + u64::from(j);
            let bit = 1u64 << j;
            let people = |field: u64| rng::keyed_pair(self.people, 4 * k + field);
            let truth = m.truth & bit != 0;
            let predicted = m.predicted & bit != 0;
            let alone_act = m.alone & bit != 0;
            let wrong = predicted != truth;
            let trust = user.trust;

            let surfaced = m.eligible & bit != 0
                && user.surfaced < cfg.max_per_day
                && (self.cutoff == f64::NEG_INFINITY
                    || self.confidence(cfg, k, truth) >= self.cutoff);
            if m.eligible & bit != 0 && !surfaced {
                t.capped += 1;
            }
            let mut act = alone_act;
            let mut system_decided = false;
            let mut noticed = false;
            let mut overridden = false;
            if surfaced {
                user.surfaced += 1;
                t.surfaced += 1;
                let compliance_base = trust + cfg.push * cfg.forcefulness * (1.0 - trust);
                user.minutes += cfg.attention_minutes * intrusiveness;
                let fatigue_before = user.fatigue;
                user.fatigue += intrusiveness;
                let (u_notice, u_follow) = people(0);
                noticed = u_notice < salience;
                // A user who can check the output may see that it is wrong.
                let spots_error = noticed & wrong & (people(3).0 < cfg.verify_skill);
                if cfg.mode == Mode::Automate {
                    // The system acts; a user who notices and disagrees may undo.
                    act = true;
                    system_decided = true;
                    if let Some(review) = cfg.review
                        && self.stake_u(k) >= review.stake_level
                    {
                        t.reviews += 1;
                        user.minutes += review.minutes;
                        act = if people(2).0 < review.accuracy {
                            truth
                        } else {
                            !truth
                        };
                    }
                    if noticed {
                        t.noticed += 1;
                        let p_undo = (1.0 - compliance_base) * (1.0 - 0.5 * cfg.forcefulness);
                        let disagrees =
                            (!alone_act && u_follow < p_undo) || (!truth && spots_error);
                        if act && cfg.undo && disagrees {
                            act = false;
                            system_decided = false;
                            overridden = true;
                            user.minutes += cfg.correction_minutes;
                        } else {
                            t.followed += 1;
                            t.noticed_followed += 1;
                        }
                    } else {
                        t.followed += 1;
                    }
                } else {
                    // Prompt, organize, annotate: the user decides. Written
                    // without branches (these coin flips defeat prediction).
                    let fatigue_factor = (-cfg.fatigue_sensitivity * fatigue_before).exp();
                    let compliance = compliance_base * fatigue_factor;
                    let follows = noticed & !spots_error & (u_follow < compliance);
                    let differs = alone_act != predicted;
                    act = (spots_error & truth)
                        | (!spots_error & follows & predicted)
                        | (!spots_error & !follows & alone_act);
                    system_decided = follows;
                    overridden = spots_error | (noticed & !follows & differs);
                    t.noticed += u64::from(noticed);
                    t.followed += u64::from(follows);
                    t.noticed_followed += u64::from(follows);
                    t.ignored += u64::from(noticed & !spots_error & !follows & !differs);
                }
            }
            acted = (acted & !bit) | (u64::from(act) << j);
            t.overridden += u64::from(overridden);
            let system_acts = system_decided & act;
            t.system_acts += u64::from(system_acts);
            t.system_false_acts += u64::from(system_acts & !truth);

            // What the user learns, and telemetry.
            let involved = surfaced & (noticed | (cfg.mode == Mode::Automate));
            let silent_miss = truth & !predicted & !act;
            let (u_visible, u_report) = people(1);
            let visible = u_visible < cfg.outcome_visibility;
            let learns_wrong = visible & involved & wrong;
            let learns_right = visible & involved & !wrong;
            // A visible miss the system stayed silent about.
            let blames = visible & !involved & silent_miss;
            let weight = |b: bool| f64::from(u8::from(b));
            let loss = cfg.trust_loss * trust;
            user.trust = trust - weight(learns_wrong) * loss
                + weight(learns_right) * (cfg.trust_gain * (1.0 - trust))
                - weight(blames) * (cfg.silent_miss_blame * loss);
            let reported = learns_wrong & cfg.report_button & (u_report < cfg.report_probability);
            t.reported += u64::from(reported);
            // Telemetry sees a surfaced prediction at most once: reported
            // or overridden (an implicit "wrong"), whether or not it was.
            t.flagged += u64::from(reported || overridden);
            t.surfaced_wrong += u64::from(surfaced && wrong);
        }
        acted
    }
}

/// What a user carries from situation to situation through a day.
struct UserToday {
    trust: f64,
    fatigue: f64,
    minutes: f64,
    /// Predictions surfaced to the user so far today.
    surfaced: u32,
}

/// A day's cut points on the integer draws (see [`rng::unit_cut32`] and
/// [`rng::unit_cut53`]).
#[derive(Clone, Copy, Debug)]
struct DayCuts {
    /// Per group: a draw's top 32 bits below this make the situation positive.
    truth: [u64; 2],
    /// Per group and truth: (below, above) on the score noise's 53 bits:
    /// below `below` the model says no, at or above `above` it says yes,
    /// between them it abstains.
    score: [[(u64, u64); 2]; 2],
    /// Per group: whether the abstain band is empty (the common case).
    no_band: [bool; 2],
    /// Exploration: a draw's low 32 bits below this hold the situation out.
    explore: u64,
    /// Candidates include situations the model did not flag.
    surface_unpredicted: bool,
}

impl UsersWorld {
    /// A world at day 0.
    pub fn new(params: &ParamValues, seed: u64) -> Self {
        let cfg = Config::from_params(params);
        let mut pop = Population::default();
        let n = cfg.users;
        let cap = cfg.population_cap();
        for v in [
            &mut pop.skill,
            &mut pop.trust,
            &mut pop.fatigue,
            &mut pop.sentiment,
        ] {
            v.reserve(n as usize);
        }
        pop.id.reserve(n as usize);
        pop.group.reserve(n as usize);
        for id in 0..n {
            pop.push(id, seed, &cfg);
        }
        debug_assert!(pop.len() <= cap);
        Self {
            model: ModelState::new(&cfg),
            cfg,
            seed,
            pop,
            next_id: n,
            profit_cumulative: 0.0,
            system_off_until: 0,
            incidents_yesterday: 0,
            scratch: Vec::with_capacity(64),
            masks: Vec::with_capacity(4),
            window: [GroupCounts::default(); GAP_WINDOW_DAYS],
            partial: None,
        }
    }

    /// Applies new parameter values from the next day on. A change in the
    /// model's quality redeploys the model at that quality.
    pub fn configure(&mut self, params: &ParamValues) {
        let cfg = Config::from_params(params);
        if !cfg.same_model(&self.cfg) {
            self.model.dprime_base = cfg.dprime_deployed;
            self.model.dprime_trained = cfg.dprime_deployed;
            self.model.days_since_training = 0;
        }
        self.cfg = cfg;
    }

    /// The population, for views.
    pub fn population(&self) -> &Population {
        &self.pop
    }

    /// The model's current separation d′ per group.
    pub fn dprime(&self) -> [f64; 2] {
        self.model.dprime_today(&self.cfg)
    }

    /// The decision threshold, in σ of the negatives.
    pub fn threshold(&self) -> f64 {
        self.cfg.threshold
    }

    /// Simulates part of day `day`: at most `max_users` more users. Returns
    /// true when the day is complete and its measures are in `out`. The
    /// result is the same however the day is split.
    pub fn step_part(
        &mut self,
        day: u32,
        max_users: usize,
        out: &mut [f64],
        events: &mut Vec<Event>,
    ) -> bool {
        // A day once begun is finished before another starts: part of the
        // population has already lived it.
        let mut d = match self.partial.take() {
            Some(d) => {
                debug_assert_eq!(d.day, day, "day {} is still in progress", d.day);
                d
            }
            None => self.begin_day(day, events),
        };
        let mut done = 0;
        while d.cursor < self.pop.len() && done < max_users {
            let leaves = self.user_day(
                d.cursor,
                d.keys,
                &d.cfg,
                d.system_on,
                &d.cuts,
                d.dprime,
                &mut d.skill_cuts,
                &mut d.tally,
            );
            if leaves {
                self.pop.swap_remove(d.cursor);
                d.tally.departures += 1;
            } else {
                d.cursor += 1;
            }
            done += 1;
        }
        if d.cursor < self.pop.len() {
            self.partial = Some(d);
            return false;
        }
        self.finish_day(d, out, events);
        true
    }

    /// True while a day is partly simulated.
    pub fn day_in_progress(&self) -> bool {
        self.partial.is_some()
    }

    /// Start-of-day work: lifecycle events and the day's derived constants.
    fn begin_day(&mut self, day: u32, events: &mut Vec<Event>) -> DayInProgress {
        let cfg = self.cfg.clone();
        // Lifecycle events that happen at the start of the day.
        if cfg.shift_day != 0 && day == cfg.shift_day {
            for g in 0..2 {
                self.model.dprime_base[g] *= 1.0 - cfg.shift_quality_loss;
                self.model.dprime_trained[g] *= 1.0 - cfg.shift_quality_loss;
            }
            self.model.labels_biased = 0.0;
            self.model.labels_random = 0.0;
            events.push(Event {
                day,
                kind: EventKind::WorldShift,
            });
        }
        if let Some((limit, days)) = cfg.shutdown
            && self.incidents_yesterday >= limit
            && day >= self.system_off_until
        {
            self.system_off_until = day + days;
            events.push(Event {
                day,
                kind: EventKind::Shutdown,
            });
        }
        if self.system_off_until != 0 && day == self.system_off_until {
            events.push(Event {
                day,
                kind: EventKind::Restored,
            });
        }
        let system_on = cfg.enabled && day >= self.system_off_until;
        let dprime = self.model.dprime_today(&cfg);
        // Score = noise + d′·truth with noise ~ N(0, 1). Drawing the noise as
        // Φ⁻¹(u) makes "score below threshold − band" the event u < Φ(t − band
        // − d′·truth), and "above threshold + band" u ≥ Φ(t + band − d′·truth):
        // the binormal model exactly, with one uniform per situation.
        // The comparisons are made on the draws' integer bits (exactly the
        // same events, see `rng::unit_cut`).
        let cut = |g: usize, truth: bool| {
            let shift = cfg.threshold - if truth { dprime[g] } else { 0.0 };
            (
                rng::unit_cut53(phi(shift - cfg.abstain_band)),
                rng::unit_cut53(phi(shift + cfg.abstain_band)),
            )
        };
        let score = |g: usize| [cut(g, false), cut(g, true)];
        let drift = (1.0 + cfg.base_rate_drift_per_day * f64::from(day - 1)).max(0.0);
        let base_rate = |g: usize| rng::unit_cut32((cfg.base_rate[g] * drift).min(1.0));
        let score = [score(0), score(1)];
        let cuts = DayCuts {
            truth: [base_rate(0), base_rate(1)],
            score,
            no_band: score.map(|s| s.iter().all(|(below, above)| below == above)),
            explore: rng::unit_cut32(cfg.explore_share),
            surface_unpredicted: cfg.surface_all && cfg.mode != Mode::Automate,
        };

        let tally = Tally {
            users_at_start: self.pop.len() as u64,
            ..Tally::default()
        };
        let keys = (
            rng::key2(self.seed, Stream::Situations, u64::from(day)),
            rng::key2(self.seed, Stream::People, u64::from(day)),
        );
        DayInProgress {
            day,
            cfg,
            system_on,
            dprime,
            cuts,
            keys,
            skill_cuts: SkillCuts::NONE,
            tally,
            cursor: 0,
        }
    }

    /// End-of-day work: arrivals, telemetry, retraining, measures.
    fn finish_day(&mut self, d: DayInProgress, out: &mut [f64], events: &mut Vec<Event>) {
        let DayInProgress {
            day,
            cfg,
            system_on,
            dprime,
            tally: t,
            ..
        } = d;
        let tables = DayTables::of(&t.counts);

        // Arrivals.
        let mut arrivals = 0u64;
        {
            let mut r = rng::stream(self.seed, Stream::Arrivals, u64::from(day), 0);
            let mean = cfg.signups_per_day + cfg.word_of_mouth * t.positive_sentiment_sum;
            let wanted = rng::poisson(&mut r, mean);
            let room = cfg.population_cap().saturating_sub(self.pop.len()) as u64;
            for _ in 0..wanted.min(room) {
                let id = self.next_id;
                self.next_id = self.next_id.wrapping_add(1);
                self.pop.push(id, self.seed, &cfg);
                arrivals += 1;
            }
        }

        // Telemetry becomes labels; retraining on a cadence.
        let telemetry_labels = t.flagged as f64;
        self.model.labels_biased += telemetry_labels;
        // Hold-outs teach the model only while it runs.
        let random_labels = if system_on {
            tables.held_out as f64
        } else {
            0.0
        };
        self.model.labels_random += random_labels;
        self.model.labels_total += telemetry_labels + random_labels;
        self.model.days_since_training += 1;
        if cfg.retrain_every_days > 0
            && day.is_multiple_of(cfg.retrain_every_days)
            && self.model.retrain(&cfg)
        {
            events.push(Event {
                day: day + 1,
                kind: EventKind::Retrained {
                    auc: auc_from_dprime(self.model.dprime_trained[0]),
                },
            });
        }
        // The shutdown rule watches the system: incidents of days it was off
        // (people deciding alone) do not re-trigger it.
        self.incidents_yesterday = if system_on { t.incidents } else { 0 };

        self.window[day as usize % GAP_WINDOW_DAYS] = GroupCounts {
            model: tables.pred_by_group,
            decisions: tables.decided_by_group,
        };
        self.write_measures(&t, &tables, &cfg, system_on, dprime, arrivals, out);
    }

    /// One user's day. Returns true if the user leaves at its end.
    ///
    /// Two passes. The first draws every situation of the day and classifies
    /// it into bit masks (truth, prediction, abstention, the user's own
    /// judgment) without branches. The second walks, in order, only the
    /// situations that can change the user: candidates the system may
    /// surface and misses it stayed silent about. Each word's counts then
    /// come from its masks by popcount. Same draws, same order of state
    /// changes as a plain loop.
    #[allow(clippy::too_many_arguments)]
    #[inline]
    fn user_day(
        &mut self,
        i: usize,
        (world_key, people_key): (u64, u64),
        cfg: &Config,
        system_on: bool,
        cuts: &DayCuts,
        dprime: [f64; 2],
        skill_cuts: &mut SkillCuts,
        t: &mut Tally,
    ) -> bool {
        let id = u64::from(self.pop.id[i]);
        let g = usize::from(self.pop.group[i]);
        let trust = f64::from(self.pop.trust[i]);
        let fatigue = f64::from(self.pop.fatigue[i]);
        let own = skill_cuts.of(cfg, self.pop.skill[i]);
        // Complacency: trust in a running system dulls the user's own
        // watchfulness, by the trust they bring into the day.
        let alone_positive = if system_on && cfg.complacency > 0.0 {
            rng::unit_cut32(own.tpr * (1.0 - cfg.complacency * trust))
        } else {
            own.cuts[1]
        };
        let word_cuts = WordCuts {
            truth: cuts.truth[g],
            score: cuts.score[g],
            own: own.cuts,
            alone_positive,
        };

        // Every draw is counter-based, keyed by (day, user) and the draw's
        // number: situation k uses world draws 3k (truth, own judgment),
        // 3k + 1 (score noise), 3k + 2 (stake, exploration; see `Draw`) and
        // people draws 4k … 4k + 3; world draw u64::MAX is the day's number
        // of situations and people draw u64::MAX whether the user leaves. So
        // each has its value whatever else a design draws.
        let world = rng::sub_key(world_key, id);
        let mut day = UserDay {
            world,
            people: rng::sub_key(people_key, id),
            situations: cfg.situations.sample(rng::keyed_u64(world, u64::MAX)),
            group: g,
            system_on,
            dprime: dprime[g],
            cutoff: f64::NEG_INFINITY,
        };
        let n = day.situations;

        // Pass one: classify the day's situations, 64 to a word. Days of up
        // to 64 situations (nearly all, and days without any) keep their one
        // word on the stack; longer days use the reusable buffer.
        let single;
        let masks: &[DayMasks] = if n <= 64 {
            single = [day.classify_word(0, cuts, &word_cuts)];
            &single
        } else {
            self.masks.clear();
            self.masks.extend(
                (0..u64::from(n))
                    .step_by(64)
                    .map(|base| day.classify_word(base, cuts, &word_cuts)),
            );
            &self.masks
        };

        // A binding cap that keeps the most confident candidates sets the
        // day's cutoff (a cap of 0 surfaces nothing whatever the cutoff).
        // Tested on the candidates first: rarely true, so it predicts well.
        let candidates: u32 = masks.iter().map(|m| m.eligible.count_ones()).sum();
        if candidates > cfg.max_per_day && cfg.cap_keeps_most_confident && cfg.max_per_day > 0 {
            self.scratch.clear();
            for (c, m) in masks.iter().enumerate() {
                for j in ones(m.eligible) {
                    let truth = m.truth >> j & 1 == 1;
                    self.scratch
                        .push(day.confidence(cfg, 64 * c as u64 + u64::from(j), truth));
                }
            }
            let cap = cfg.max_per_day as usize;
            let (_, kth, _) = self
                .scratch
                .select_nth_unstable_by(cap - 1, |a, b| b.total_cmp(a));
            day.cutoff = *kth;
        }

        // Pass two: the situations that can change the user, in order.
        let mut user = UserToday {
            trust,
            fatigue,
            minutes: 0.0,
            surfaced: 0,
        };
        let mut value = 0.0;
        let mut harm = 0.0;
        let mut cf_value = 0.0;
        let mut cf_harm = 0.0;
        for (c, m) in masks.iter().enumerate() {
            let base = 64 * c as u64;
            let mut acted = m.alone;
            // Misses the system was silent about (a positive it decided
            // against that the user would not catch alone).
            let silent_candidates = if system_on {
                m.truth & !m.predicted & !m.abstain & !m.alone
            } else {
                0
            };
            let todo = m.eligible | silent_candidates;
            if todo != 0 {
                acted = day.settle_word(cfg, m, base, todo, acted, &mut user, t);
            }

            // Counts and outcomes of the word's situations, with the system
            // and alone (the counterfactual), from the masks.
            // (Counts are u32 until they are summed: u32 converts to f64 in
            // one instruction, u64 in many.)
            let pc = |x: u64| x.count_ones();
            let valid = m.valid;
            let pos = m.truth;
            let decided = valid & !m.abstain;
            let pred = m.predicted;
            let act = acted & valid;
            let own = m.own;
            let counts = &mut t.counts[g];
            let (acted_pos, acted_all) = (pc(pos & act), pc(act));
            let (own_pos, own_all) = (pc(pos & own), pc(own));
            let add = |count: &mut u64, x: u32| *count += u64::from(x);
            add(&mut counts.situations, pc(valid));
            add(&mut counts.positives, pc(pos));
            add(&mut counts.abstained, pc(m.abstain));
            add(&mut counts.held_out, pc(m.held_out));
            add(&mut counts.positives_decided, pc(decided & pos));
            add(&mut counts.predicted, pc(decided & pred));
            add(&mut counts.true_positives, pc(decided & pos & pred));
            add(&mut counts.acted, acted_all);
            add(&mut counts.acted_positives, acted_pos);
            add(&mut counts.own_acted, own_all);
            add(&mut counts.own_acted_positives, own_pos);
            value += cfg.value_correct_action * f64::from(acted_pos);
            harm += cfg.false_action_cost * f64::from(acted_all - acted_pos);
            cf_value += cfg.value_correct_action * f64::from(own_pos);
            cf_harm += cfg.false_action_cost * f64::from(own_all - own_pos);
            // Misses: the stake is exponential around the mean harm.
            for j in ones(pos & !(act & own)) {
                let bit = 1u64 << j;
                let h = cfg.missed_harm * -(1.0 - day.stake_u(base + u64::from(j))).ln();
                let is_incident = |h: f64| h >= cfg.incident_harm && h > 0.0;
                if act & bit == 0 {
                    let h = match cfg.harm_cap {
                        Some(cap) if system_on => h.min(cap),
                        _ => h,
                    };
                    harm += h;
                    t.incidents += u64::from(is_incident(h));
                }
                if own & bit == 0 {
                    cf_harm += h;
                    t.cf_incidents += u64::from(is_incident(h));
                }
            }
        }

        // End of the day: experience becomes sentiment; fatigue fades.
        let UserToday {
            trust,
            fatigue,
            minutes,
            ..
        } = user;
        let net = value - harm - minutes * cfg.value_per_minute;
        let experienced = cfg.baseline_value + net;
        let mut sentiment = f64::from(self.pop.sentiment[i]);
        sentiment +=
            cfg.sentiment_rate * (softsign(experienced * cfg.per_sentiment_scale) - sentiment);
        let fatigue = fatigue * (1.0 - cfg.fatigue_recovery);
        let trust = trust.clamp(0.0, 1.0);
        self.pop.trust[i] = trust as f32;
        self.pop.fatigue[i] = fatigue as f32;
        self.pop.sentiment[i] = sentiment as f32;
        t.value += value;
        t.harm += harm;
        t.minutes += minutes;
        t.cf_value += cf_value;
        t.cf_harm += cf_harm;

        // Only unhappy users may leave. The draw is made for everyone (it is
        // keyed, so drawing it changes nothing) to spare a branch on the sign
        // of sentiment, which varies unpredictably from user to user.
        let (u_leave, _) = rng::keyed_pair(day.people, u64::MAX);
        let leaves = u_leave < cfg.churn_per_day * -sentiment;
        let stays = f64::from(u8::from(!leaves));
        t.trust_sum += stays * trust;
        t.fatigue_sum += stays * fatigue;
        t.sentiment_sum += stays * sentiment;
        t.positive_sentiment_sum += stays * sentiment.max(0.0);
        leaves
    }

    #[allow(clippy::too_many_arguments)]
    fn write_measures(
        &mut self,
        t: &Tally,
        tables: &DayTables,
        cfg: &Config,
        system_on: bool,
        dprime: [f64; 2],
        arrivals: u64,
        out: &mut [f64],
    ) {
        let tp = tables.pred[1][1] as f64;
        let fp = tables.pred[0][1] as f64;
        let fn_ = tables.pred[1][0] as f64;
        let tn = tables.pred[0][0] as f64;
        let predictions = tp + fp + fn_ + tn;
        let served = (t.users_at_start as f64).max(1.0);
        let active = self.pop.len() as f64;
        let staying = (t.users_at_start - t.departures) as f64;
        let minutes_value = t.minutes * cfg.value_per_minute;
        let net = t.value - t.harm - minutes_value;
        let cf_net = t.cf_value - t.cf_harm;
        let revenue = cfg.revenue_per_user_day * t.users_at_start as f64
            + cfg.revenue_per_action * t.system_acts as f64;
        let running = if cfg.enabled { cfg.cost_per_day } else { 0.0 };
        let cost = running
            + cfg.org_cost_per_false_action * t.system_false_acts as f64
            + cfg.cost_per_incident * t.incidents as f64
            + cfg.cost_per_report * t.reported as f64
            + cfg.review.map_or(0.0, |r| r.cost) * t.reviews as f64;
        let profit = revenue - cost;
        self.profit_cumulative += profit;
        let mut recent = GroupCounts::default();
        for day in &self.window {
            for g in 0..2 {
                for w in 0..2 {
                    recent.model[g][w] += day.model[g][w];
                    recent.decisions[g][w] += day.decisions[g][w];
                }
            }
        }
        let wrong_share =
            |counts: [u64; 2]| ratio(counts[1] as f64, (counts[0] + counts[1]) as f64);
        // A gap needs both groups: with one group empty it is 0.
        let gap = |counts: [[u64; 2]; 2]| {
            if counts.iter().any(|c| c[0] + c[1] == 0) {
                0.0
            } else {
                (wrong_share(counts[0]) - wrong_share(counts[1])).abs()
            }
        };
        let decision_accuracy = |g: usize| {
            let [right, wrong] = tables.decided_by_group[g];
            ratio(right as f64, (right + wrong) as f64)
        };
        let action_rate = |g: usize| {
            let [right, wrong] = tables.decided_by_group[g];
            ratio(t.counts[g].acted as f64, (right + wrong) as f64)
        };
        let decided_right = (tables.decided[1][1] + tables.decided[0][0]) as f64;
        let cf_right = (tables.cf_decided[1][1] + tables.cf_decided[0][0]) as f64;
        let situations = tables.situations as f64;

        let values: [(usize, f64); METRICS.len()] = [
            (m::MODEL_ACCURACY, ratio(tp + tn, predictions)),
            (m::MODEL_PRECISION, ratio(tp, tp + fp)),
            (m::MODEL_RECALL, ratio(tp, tp + fn_)),
            (m::MODEL_FPR, ratio(fp, fp + tn)),
            (m::MODEL_FNR, ratio(fn_, tp + fn_)),
            (m::MODEL_ERROR_RATE, ratio(fp + fn_, predictions)),
            (
                m::MODEL_OBSERVED_ERROR_RATE,
                ratio(t.flagged as f64, t.surfaced as f64),
            ),
            (
                m::MODEL_ERROR_RATE_SURFACED,
                ratio(t.surfaced_wrong as f64, t.surfaced as f64),
            ),
            (m::MODEL_AUC_A, auc_from_dprime(dprime[0])),
            (m::MODEL_AUC_B, auc_from_dprime(dprime[1])),
            (
                m::MODEL_ABSTAIN_RATE,
                ratio(tables.abstained as f64, situations),
            ),
            (m::MODEL_LABELS_TOTAL, self.model.labels_total),
            (m::USER_VALUE_PER_USER, t.value / served),
            (m::USER_HARM_PER_USER, t.harm / served),
            (m::USER_MINUTES_LOST_PER_USER, t.minutes / served),
            (m::USER_NET_VALUE_PER_USER, net / served),
            (m::USER_NET_VALUE_WITHOUT_PER_USER, cf_net / served),
            (m::USER_VALUE_ADDED_PER_USER, (net - cf_net) / served),
            (m::USER_DECISION_ACCURACY, ratio(decided_right, situations)),
            (m::USER_DECISION_ACCURACY_A, decision_accuracy(0)),
            (m::USER_DECISION_ACCURACY_B, decision_accuracy(1)),
            (m::USER_ACTION_RATE_A, action_rate(0)),
            (m::USER_ACTION_RATE_B, action_rate(1)),
            (
                m::USER_DECISION_ACCURACY_WITHOUT,
                ratio(cf_right, situations),
            ),
            (m::USER_TRUST, ratio(t.trust_sum, staying)),
            (m::USER_FATIGUE, ratio(t.fatigue_sum, staying)),
            (
                m::USER_COMPLIANCE,
                ratio(t.noticed_followed as f64, t.noticed as f64),
            ),
            (m::LEADING_ACTIVE_USERS, active),
            (m::LEADING_ENGAGEMENT, t.noticed as f64 / served),
            (
                m::LEADING_SENTIMENT,
                ratio(t.sentiment_sum, staying).clamp(-1.0, 1.0),
            ),
            (
                m::LEADING_RETENTION,
                if t.users_at_start == 0 {
                    1.0
                } else {
                    staying / t.users_at_start as f64
                },
            ),
            (m::LEADING_SIGNUPS, arrivals as f64),
            (m::LEADING_DEPARTURES, t.departures as f64),
            (
                m::LEADING_INTERVENTIONS_PER_USER,
                t.surfaced as f64 / served,
            ),
            (m::ORG_REVENUE, revenue),
            (m::ORG_COST, cost),
            (m::ORG_PROFIT, profit),
            (m::ORG_PROFIT_CUMULATIVE, self.profit_cumulative),
            (m::ORG_INCIDENTS, t.incidents as f64),
            (m::ORG_INCIDENTS_WITHOUT, t.cf_incidents as f64),
            (m::ORG_REPORTS, t.reported as f64),
            (m::ORG_REVIEWS, t.reviews as f64),
            (m::ORG_FAIRNESS_GAP, gap(recent.model)),
            (m::ORG_DECISION_GAP, gap(recent.decisions)),
            (m::ORG_SYSTEM_ON, f64::from(u8::from(system_on))),
            (m::FLOW_SITUATIONS, situations),
            (m::FLOW_POSITIVES, tables.positives as f64),
            (m::FLOW_TP, tp),
            (m::FLOW_FP, fp),
            (m::FLOW_FN, fn_),
            (m::FLOW_TN, tn),
            (m::FLOW_ABSTAINED, tables.abstained as f64),
            (m::FLOW_SURFACED, t.surfaced as f64),
            (m::FLOW_CAPPED, t.capped as f64),
            (m::FLOW_NOTICED, t.noticed as f64),
            (m::FLOW_FOLLOWED, t.followed as f64),
            (m::FLOW_IGNORED, t.ignored as f64),
            (m::FLOW_OVERRIDDEN, t.overridden as f64),
            (m::FLOW_REPORTED, t.reported as f64),
            (m::FLOW_ACT_RIGHT, tables.decided[1][1] as f64),
            (m::FLOW_ACT_WRONG, tables.decided[0][1] as f64),
            (m::FLOW_MISS, tables.decided[1][0] as f64),
            (m::FLOW_REST_RIGHT, tables.decided[0][0] as f64),
            (m::FLOW_CF_ACT_RIGHT, tables.cf_decided[1][1] as f64),
            (m::FLOW_CF_ACT_WRONG, tables.cf_decided[0][1] as f64),
            (m::FLOW_CF_MISS, tables.cf_decided[1][0] as f64),
            (m::FLOW_CF_REST_RIGHT, tables.cf_decided[0][0] as f64),
            (m::FLOW_VALUE, t.value),
            (m::FLOW_HARM, t.harm),
            (m::FLOW_MINUTES, t.minutes),
            (m::FLOW_TIME_COST, minutes_value),
            (m::FLOW_CF_VALUE, t.cf_value),
            (m::FLOW_CF_HARM, t.cf_harm),
        ];
        for (c, v) in values {
            out[c] = v;
        }
    }
}

#[cfg(test)]
mod tests;
