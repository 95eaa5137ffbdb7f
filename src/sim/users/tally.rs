//! The user world's daily tallies: what the user-day loop counts and sums
//! ([`Tally`], per group [`SituationCounts`]), the confusion tables derived
//! from them at the end of the day ([`DayTables`]), the per-group counts the
//! fairness gaps are measured over ([`GroupCounts`]), and the day's row of
//! measures written from all of these.

use super::config::Config;
use super::measures as m;
use super::{METRICS, UsersWorld};
use crate::sim::ratio;
use crate::sim::stats::auc_from_dprime;

/// One group's situations in one day, counted by the user-day loop; the
/// confusion tables of [`Tally`] are derived from them at the end of the day.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct SituationCounts {
    pub(super) situations: u64,
    pub(super) positives: u64,
    pub(super) abstained: u64,
    /// Abstentions that were random hold-outs (exploration).
    pub(super) held_out: u64,
    /// Positives the model decided on (did not abstain).
    pub(super) positives_decided: u64,
    /// Situations the model decided on and flagged.
    pub(super) predicted: u64,
    /// Positives the model decided on and flagged.
    pub(super) true_positives: u64,
    /// Situations where the user (or system) acted.
    pub(super) acted: u64,
    pub(super) acted_positives: u64,
    /// Situations where the user alone would have acted (the counterfactual).
    pub(super) own_acted: u64,
    pub(super) own_acted_positives: u64,
}

/// Everything counted in one day.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Tally {
    /// Per group: what the situations were and how they ended (see
    /// [`DayTables::of`] for the tables derived from them).
    pub(super) counts: [SituationCounts; 2],
    pub(super) surfaced: u64,
    pub(super) capped: u64,
    pub(super) noticed: u64,
    pub(super) followed: u64,
    pub(super) ignored: u64,
    pub(super) overridden: u64,
    pub(super) reported: u64,
    /// Reports of misses the system stayed silent about.
    pub(super) miss_reports: u64,
    /// Positives the model did not flag that users would catch alone, and
    /// of those, the ones they caught while the system ran.
    pub(super) unflagged_own_caught: u64,
    pub(super) unflagged_caught: u64,
    pub(super) value: f64,
    pub(super) harm: f64,
    pub(super) minutes: f64,
    pub(super) cf_value: f64,
    pub(super) cf_harm: f64,
    pub(super) incidents: u64,
    pub(super) cf_incidents: u64,
    pub(super) system_acts: u64,
    pub(super) system_false_acts: u64,
    pub(super) reviews: u64,
    pub(super) noticed_followed: u64,
    /// Surfaced predictions telemetry flagged (reported or overridden), once each.
    pub(super) flagged: u64,
    /// Surfaced predictions that were wrong.
    pub(super) surfaced_wrong: u64,
    pub(super) trust_sum: f64,
    pub(super) reliance_sum: f64,
    /// Staying users who have switched the feature off.
    pub(super) switched_off: u64,
    pub(super) fatigue_sum: f64,
    pub(super) sentiment_sum: f64,
    pub(super) positive_sentiment_sum: f64,
    pub(super) departures: u64,
    pub(super) users_at_start: u64,
}

impl SituationCounts {
    /// Adds `o`'s counts (every field, by an exhaustive destructuring).
    fn add(&mut self, o: &Self) {
        let Self {
            situations,
            positives,
            abstained,
            held_out,
            positives_decided,
            predicted,
            true_positives,
            acted,
            acted_positives,
            own_acted,
            own_acted_positives,
        } = *o;
        self.situations += situations;
        self.positives += positives;
        self.abstained += abstained;
        self.held_out += held_out;
        self.positives_decided += positives_decided;
        self.predicted += predicted;
        self.true_positives += true_positives;
        self.acted += acted;
        self.acted_positives += acted_positives;
        self.own_acted += own_acted;
        self.own_acted_positives += own_acted_positives;
    }
}

impl Tally {
    /// Adds `o`'s counts and sums: the tally of two sets of users (an
    /// experiment's arms) from theirs. Every field, by an exhaustive
    /// destructuring, so a new field does not build until it is added here.
    pub(super) fn add(&mut self, o: &Self) {
        let Self {
            counts,
            surfaced,
            capped,
            noticed,
            followed,
            ignored,
            overridden,
            reported,
            miss_reports,
            unflagged_own_caught,
            unflagged_caught,
            value,
            harm,
            minutes,
            cf_value,
            cf_harm,
            incidents,
            cf_incidents,
            system_acts,
            system_false_acts,
            reviews,
            noticed_followed,
            flagged,
            surfaced_wrong,
            trust_sum,
            reliance_sum,
            switched_off,
            fatigue_sum,
            sentiment_sum,
            positive_sentiment_sum,
            departures,
            users_at_start,
        } = *o;
        for (c, oc) in self.counts.iter_mut().zip(&counts) {
            c.add(oc);
        }
        self.surfaced += surfaced;
        self.capped += capped;
        self.noticed += noticed;
        self.followed += followed;
        self.ignored += ignored;
        self.overridden += overridden;
        self.reported += reported;
        self.miss_reports += miss_reports;
        self.unflagged_own_caught += unflagged_own_caught;
        self.unflagged_caught += unflagged_caught;
        self.reliance_sum += reliance_sum;
        self.switched_off += switched_off;
        self.value += value;
        self.harm += harm;
        self.minutes += minutes;
        self.cf_value += cf_value;
        self.cf_harm += cf_harm;
        self.incidents += incidents;
        self.cf_incidents += cf_incidents;
        self.system_acts += system_acts;
        self.system_false_acts += system_false_acts;
        self.reviews += reviews;
        self.noticed_followed += noticed_followed;
        self.flagged += flagged;
        self.surfaced_wrong += surfaced_wrong;
        self.trust_sum += trust_sum;
        self.fatigue_sum += fatigue_sum;
        self.sentiment_sum += sentiment_sum;
        self.positive_sentiment_sum += positive_sentiment_sum;
        self.departures += departures;
        self.users_at_start += users_at_start;
    }
}

/// A day's confusion tables, derived from the per-group counts.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct DayTables {
    pub(super) situations: u64,
    pub(super) positives: u64,
    pub(super) abstained: u64,
    /// Random hold-outs (exploration), which become unbiased labels.
    pub(super) held_out: u64,
    pub(super) pred: [[u64; 2]; 2],             // [truth][predicted]
    pub(super) pred_by_group: [[u64; 2]; 2],    // [group][wrong?]
    pub(super) decided: [[u64; 2]; 2],          // [truth][acted]
    pub(super) cf_decided: [[u64; 2]; 2],       // [truth][acted]
    pub(super) decided_by_group: [[u64; 2]; 2], // [group][wrong?]
}

impl DayTables {
    pub(super) fn of(counts: &[SituationCounts; 2]) -> Self {
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

/// Per-group [right, wrong] counts of the model's predictions and of decisions.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct GroupCounts {
    pub(super) model: [[u64; 2]; 2],
    pub(super) decisions: [[u64; 2]; 2],
}

impl UsersWorld {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn write_measures(
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
        let (billed_acts, billed_false_acts) = if cfg.bill_all_actions {
            (
                tables.decided[0][1] + tables.decided[1][1],
                tables.decided[0][1],
            )
        } else {
            (t.system_acts, t.system_false_acts)
        };
        let revenue = cfg.revenue_per_user_day * t.users_at_start as f64
            + cfg.revenue_per_action * billed_acts as f64;
        let running = if cfg.enabled { cfg.cost_per_day } else { 0.0 };
        let cost = running
            + cfg.org_cost_per_false_action * billed_false_acts as f64
            + cfg.cost_per_incident * t.incidents as f64
            + cfg.cost_per_report * (t.reported + t.miss_reports) as f64
            + cfg.review.map_or(0.0, |r| r.cost) * t.reviews as f64
            + cfg.harm_cap.map_or(0.0, |c| c.cost_per_user_day) * t.users_at_start as f64;
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
            (m::USER_RELIANCE, ratio(t.reliance_sum, staying)),
            (
                m::USER_OWN_CHECKS_SKIPPED,
                if t.unflagged_own_caught == 0 {
                    0.0
                } else {
                    1.0 - t.unflagged_caught as f64 / t.unflagged_own_caught as f64
                },
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
            (
                m::LEADING_SWITCHED_OFF,
                ratio(t.switched_off as f64, staying),
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
            (m::ORG_MISS_REPORTS, t.miss_reports as f64),
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
