//! The user world's validated, typed parameters: [`Config`] read once from
//! the parameter values whenever they change (with the review guardrail's
//! [`Review`]), and the interaction modes' salience and intrusiveness.

use super::{ActionsBilled, CapKeeps, Mode, ModelSpec, Surface};
use crate::sim::ParamValues;
use crate::sim::rng;
use crate::sim::stats::{binormal_from_rates, dprime_from_auc};

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

/// Validated, typed parameters, read once per change.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Config {
    pub(super) users: u32,
    pub(super) situations: rng::PoissonTable,
    /// The mean number of situations per user-day.
    pub(super) situations_mean: f64,
    pub(super) share_b: f64,
    pub(super) base_rate: [f64; 2],
    pub(super) base_rate_drift_per_day: f64,
    pub(super) shift_day: u32,
    pub(super) shift_quality_loss: f64,
    // model
    pub(super) dprime_deployed: [f64; 2],
    pub(super) threshold: f64,
    pub(super) abstain_band: f64,
    pub(super) drift_per_day: f64,
    pub(super) retrain_every_days: u32,
    pub(super) dprime_ceiling: [f64; 2],
    pub(super) labels_to_halve_gap: f64,
    pub(super) biased_label_weight: f64,
    pub(super) explore_share: f64,
    // experience
    pub(super) enabled: bool,
    pub(super) mode: Mode,
    pub(super) forcefulness: f64,
    /// The mode's intrusiveness at this forcefulness (its salience is in
    /// `cuts`).
    pub(super) intrusiveness: f64,
    pub(super) max_per_day: u32,
    pub(super) cap_keeps: CapKeeps,
    pub(super) surface_all: bool,
    pub(super) attention_minutes: f64,
    pub(super) undo: bool,
    pub(super) correction_minutes: f64,
    pub(super) report_button: bool,
    /// Share of the user's own catches of positives kept while the system runs.
    pub(super) own_check_kept: f64,
    // value and cost
    pub(super) value_correct_action: f64,
    pub(super) false_action_cost: f64,
    pub(super) missed_harm: f64,
    pub(super) value_per_minute: f64,
    pub(super) revenue_per_user_day: f64,
    pub(super) revenue_per_action: f64,
    /// Every action is billed, not only those the system drove.
    pub(super) bill_all_actions: bool,
    pub(super) org_cost_per_false_action: f64,
    pub(super) cost_per_incident: f64,
    pub(super) incident_harm: f64,
    pub(super) cost_per_report: f64,
    pub(super) cost_per_day: f64,
    // people
    pub(super) trust_initial: f64,
    pub(super) trust_gain: f64,
    pub(super) trust_loss: f64,
    pub(super) fatigue_sensitivity: f64,
    pub(super) fatigue_recovery: f64,
    pub(super) push: f64,
    pub(super) own_tpr: f64,
    pub(super) own_fpr: f64,
    pub(super) verify_skill: f64,
    pub(super) complacency: f64,
    pub(super) reliance_initial: f64,
    pub(super) reliance_gain_per_day: f64,
    pub(super) agreement_weight: f64,
    pub(super) disuse_per_annoyance: f64,
    pub(super) return_per_day: f64,
    pub(super) silent_miss_blame: f64,
    pub(super) skill_spread: f64,
    /// Integer cuts of the people draws' probabilities (see [`PeopleCuts`]).
    pub(super) cuts: PeopleCuts,
    pub(super) baseline_value: f64,
    /// 1 / the sentiment scale (a multiply in the per-user loop).
    pub(super) per_sentiment_scale: f64,
    pub(super) sentiment_rate: f64,
    pub(super) churn_per_day: f64,
    pub(super) signups_per_day: f64,
    pub(super) word_of_mouth: f64,
    // guardrails
    pub(super) harm_cap: Option<HarmCap>,
    pub(super) review: Option<Review>,
    pub(super) shutdown: Option<(u64, u32)>,
    // telemetry
    /// Days before a gathered label can be trained on.
    pub(super) label_delay_days: u32,
}

/// The harm cap guardrail: a mechanism outside the model (a fuse).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct HarmCap {
    /// Largest harm of one miss when the mechanism works.
    pub(super) cap: f64,
    /// Probability that it works when a miss would exceed the cap.
    pub(super) reliability: f64,
    /// Its cost per active user per day.
    pub(super) cost_per_user_day: f64,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Review {
    /// Uniform level above which a situation's Exp(1) stake exceeds the review stake.
    pub(super) stake_level: f64,
    pub(super) accuracy: f64,
    pub(super) cost: f64,
    pub(super) minutes: f64,
}

impl Config {
    pub(super) fn from_params(p: &ParamValues) -> Self {
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
            situations_mean: p.get("world.situations_per_day"),
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
            intrusiveness: mode.intrusiveness(forcefulness),
            max_per_day: p.get("experience.max_per_day") as u32,
            cap_keeps: p.choice("experience.cap_keeps"),
            surface_all: match p.choice("experience.surface") {
                Surface::Positives => false,
                Surface::All => true,
            },
            attention_minutes: p.get("experience.attention_minutes"),
            undo: p.flag("experience.undo"),
            correction_minutes: p.get("experience.correction_minutes"),
            report_button: p.flag("experience.report_button"),
            own_check_kept: p.get("experience.own_check_kept"),
            value_correct_action: p.get("value.correct_action"),
            false_action_cost: p.get("value.false_action_cost"),
            missed_harm: p.get("value.missed_harm"),
            value_per_minute: p.get("value.minute"),
            revenue_per_user_day: p.get("org.revenue_per_user_day"),
            revenue_per_action: p.get("org.revenue_per_action"),
            bill_all_actions: match p.choice("org.actions_billed") {
                ActionsBilled::SystemDriven => false,
                ActionsBilled::All => true,
            },
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
            reliance_initial: p.get("people.reliance_initial"),
            reliance_gain_per_day: p.get("people.reliance_gain_per_day"),
            agreement_weight: p.get("people.agreement_weight"),
            disuse_per_annoyance: p.get("people.disuse_per_annoyance"),
            return_per_day: p.get("people.return_per_day"),
            silent_miss_blame: p.get("people.silent_miss_blame"),
            skill_spread: p.get("people.skill_spread"),
            cuts: PeopleCuts {
                salience: rng::unit_cut32(mode.salience(forcefulness)),
                verify: rng::unit_cut32(p.get("people.verify_skill")),
                outcome_visibility: rng::unit_cut32(p.get("people.outcome_visibility")),
                report: rng::unit_cut32(p.get("people.report_probability")),
                miss_report: rng::unit_cut32(p.get("people.miss_report_probability")),
            },
            baseline_value: p.get("people.baseline_value"),
            per_sentiment_scale: 1.0 / p.get("people.sentiment_scale"),
            sentiment_rate: 1.0 / p.get("people.sentiment_memory_days"),
            churn_per_day: p.get("people.churn_per_day"),
            signups_per_day: p.get("people.signups_per_day"),
            word_of_mouth: p.get("people.word_of_mouth"),
            harm_cap: p.flag("guardrail.harm_cap_on").then(|| HarmCap {
                cap: p.get("guardrail.harm_cap"),
                reliability: p.get("guardrail.harm_cap_reliability"),
                cost_per_user_day: p.get("guardrail.harm_cap_cost"),
            }),
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
            label_delay_days: p.get("telemetry.label_delay_days") as u32,
        }
    }

    /// Most people the population may hold (bounds memory).
    pub(super) fn population_cap(&self) -> usize {
        (self.users as usize * 4).max(10_000)
    }

    pub(super) fn same_model(&self, other: &Config) -> bool {
        self.dprime_deployed == other.dprime_deployed
    }
}

/// The people draws' fixed probabilities as integer cuts on 32-bit halves
/// ([`rng::unit_cut32`]): `u < p` exactly when `bits < cut`, without the
/// conversion to a float.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct PeopleCuts {
    /// Noticing an intervention (the mode's salience).
    pub(super) salience: u64,
    /// Seeing that an output is wrong (`people.verify_skill`).
    pub(super) verify: u64,
    /// Seeing an outcome.
    pub(super) outcome_visibility: u64,
    /// Reporting a wrong intervention seen.
    pub(super) report: u64,
    /// Reporting a miss seen.
    pub(super) miss_report: u64,
}
