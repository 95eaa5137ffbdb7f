//! Columns of the user world's day row, by metric id: generated from
//! [`METRICS`] at compile time, so a misspelt id is a build error.

use super::METRICS;
use crate::sim::registry::metric_index;

pub(super) const MODEL_ACCURACY: usize = metric_index(METRICS, "model.accuracy");
pub(super) const MODEL_PRECISION: usize = metric_index(METRICS, "model.precision");
pub(super) const MODEL_RECALL: usize = metric_index(METRICS, "model.recall");
pub(super) const MODEL_FPR: usize = metric_index(METRICS, "model.fpr");
pub(super) const MODEL_FNR: usize = metric_index(METRICS, "model.fnr");
pub(super) const MODEL_ERROR_RATE: usize = metric_index(METRICS, "model.error_rate");
pub(super) const MODEL_OBSERVED_ERROR_RATE: usize =
    metric_index(METRICS, "model.observed_error_rate");
pub(super) const MODEL_ERROR_RATE_SURFACED: usize =
    metric_index(METRICS, "model.error_rate_surfaced");
pub(super) const MODEL_AUC_A: usize = metric_index(METRICS, "model.auc_a");
pub(super) const MODEL_AUC_B: usize = metric_index(METRICS, "model.auc_b");
pub(super) const MODEL_ABSTAIN_RATE: usize = metric_index(METRICS, "model.abstain_rate");
pub(super) const MODEL_LABELS_TOTAL: usize = metric_index(METRICS, "model.labels_total");
pub(super) const USER_VALUE_PER_USER: usize = metric_index(METRICS, "user.value_per_user");
pub(super) const USER_HARM_PER_USER: usize = metric_index(METRICS, "user.harm_per_user");
pub(super) const USER_MINUTES_LOST_PER_USER: usize =
    metric_index(METRICS, "user.minutes_lost_per_user");
pub(super) const USER_NET_VALUE_PER_USER: usize = metric_index(METRICS, "user.net_value_per_user");
pub(super) const USER_NET_VALUE_WITHOUT_PER_USER: usize =
    metric_index(METRICS, "user.net_value_without_per_user");
pub(super) const USER_VALUE_ADDED_PER_USER: usize =
    metric_index(METRICS, "user.value_added_per_user");
pub(super) const USER_DECISION_ACCURACY: usize = metric_index(METRICS, "user.decision_accuracy");
pub(super) const USER_DECISION_ACCURACY_A: usize =
    metric_index(METRICS, "user.decision_accuracy_a");
pub(super) const USER_DECISION_ACCURACY_B: usize =
    metric_index(METRICS, "user.decision_accuracy_b");
pub(super) const USER_ACTION_RATE_A: usize = metric_index(METRICS, "user.action_rate_a");
pub(super) const USER_ACTION_RATE_B: usize = metric_index(METRICS, "user.action_rate_b");
pub(super) const USER_DECISION_ACCURACY_WITHOUT: usize =
    metric_index(METRICS, "user.decision_accuracy_without");
pub(super) const USER_TRUST: usize = metric_index(METRICS, "user.trust");
pub(super) const USER_FATIGUE: usize = metric_index(METRICS, "user.fatigue");
pub(super) const USER_COMPLIANCE: usize = metric_index(METRICS, "user.compliance");
pub(super) const LEADING_ACTIVE_USERS: usize = metric_index(METRICS, "leading.active_users");
pub(super) const LEADING_ENGAGEMENT: usize = metric_index(METRICS, "leading.engagement");
pub(super) const LEADING_SENTIMENT: usize = metric_index(METRICS, "leading.sentiment");
pub(super) const LEADING_RETENTION: usize = metric_index(METRICS, "leading.retention");
pub(super) const LEADING_SIGNUPS: usize = metric_index(METRICS, "leading.signups");
pub(super) const LEADING_DEPARTURES: usize = metric_index(METRICS, "leading.departures");
pub(super) const LEADING_INTERVENTIONS_PER_USER: usize =
    metric_index(METRICS, "leading.interventions_per_user");
pub(super) const ORG_REVENUE: usize = metric_index(METRICS, "org.revenue");
pub(super) const ORG_COST: usize = metric_index(METRICS, "org.cost");
pub(super) const ORG_PROFIT: usize = metric_index(METRICS, "org.profit");
pub(super) const ORG_PROFIT_CUMULATIVE: usize = metric_index(METRICS, "org.profit_cumulative");
pub(super) const ORG_INCIDENTS: usize = metric_index(METRICS, "org.incidents");
pub(super) const ORG_INCIDENTS_WITHOUT: usize = metric_index(METRICS, "org.incidents_without");
pub(super) const ORG_REPORTS: usize = metric_index(METRICS, "org.reports");
pub(super) const ORG_REVIEWS: usize = metric_index(METRICS, "org.reviews");
pub(super) const ORG_FAIRNESS_GAP: usize = metric_index(METRICS, "org.fairness_gap");
pub(super) const ORG_DECISION_GAP: usize = metric_index(METRICS, "org.decision_gap");
pub(super) const ORG_SYSTEM_ON: usize = metric_index(METRICS, "org.system_on");
pub(super) const FLOW_SITUATIONS: usize = metric_index(METRICS, "flow.situations");
pub(super) const FLOW_POSITIVES: usize = metric_index(METRICS, "flow.positives");
pub(super) const FLOW_TP: usize = metric_index(METRICS, "flow.tp");
pub(super) const FLOW_FP: usize = metric_index(METRICS, "flow.fp");
pub(super) const FLOW_FN: usize = metric_index(METRICS, "flow.fn");
pub(super) const FLOW_TN: usize = metric_index(METRICS, "flow.tn");
pub(super) const FLOW_ABSTAINED: usize = metric_index(METRICS, "flow.abstained");
pub(super) const FLOW_SURFACED: usize = metric_index(METRICS, "flow.surfaced");
pub(super) const FLOW_CAPPED: usize = metric_index(METRICS, "flow.capped");
pub(super) const FLOW_NOTICED: usize = metric_index(METRICS, "flow.noticed");
pub(super) const FLOW_FOLLOWED: usize = metric_index(METRICS, "flow.followed");
pub(super) const FLOW_IGNORED: usize = metric_index(METRICS, "flow.ignored");
pub(super) const FLOW_OVERRIDDEN: usize = metric_index(METRICS, "flow.overridden");
pub(super) const FLOW_REPORTED: usize = metric_index(METRICS, "flow.reported");
pub(super) const FLOW_ACT_RIGHT: usize = metric_index(METRICS, "flow.act_right");
pub(super) const FLOW_ACT_WRONG: usize = metric_index(METRICS, "flow.act_wrong");
pub(super) const FLOW_MISS: usize = metric_index(METRICS, "flow.miss");
pub(super) const FLOW_REST_RIGHT: usize = metric_index(METRICS, "flow.rest_right");
pub(super) const FLOW_CF_ACT_RIGHT: usize = metric_index(METRICS, "flow.cf_act_right");
pub(super) const FLOW_CF_ACT_WRONG: usize = metric_index(METRICS, "flow.cf_act_wrong");
pub(super) const FLOW_CF_MISS: usize = metric_index(METRICS, "flow.cf_miss");
pub(super) const FLOW_CF_REST_RIGHT: usize = metric_index(METRICS, "flow.cf_rest_right");
pub(super) const FLOW_VALUE: usize = metric_index(METRICS, "flow.value");
pub(super) const FLOW_HARM: usize = metric_index(METRICS, "flow.harm");
pub(super) const FLOW_MINUTES: usize = metric_index(METRICS, "flow.minutes");
pub(super) const FLOW_TIME_COST: usize = metric_index(METRICS, "flow.time_cost");
pub(super) const FLOW_CF_VALUE: usize = metric_index(METRICS, "flow.cf_value");
pub(super) const FLOW_CF_HARM: usize = metric_index(METRICS, "flow.cf_harm");
pub(super) const USER_RELIANCE: usize = metric_index(METRICS, "user.reliance");
pub(super) const USER_OWN_CHECKS_SKIPPED: usize = metric_index(METRICS, "user.own_checks_skipped");
pub(super) const LEADING_SWITCHED_OFF: usize = metric_index(METRICS, "leading.switched_off");
pub(super) const ORG_MISS_REPORTS: usize = metric_index(METRICS, "org.miss_reports");
