//! Columns of the policing world's day row, by metric id: generated from
//! [`METRICS`] at compile time, so a misspelt id is a build error.

use super::METRICS;
use crate::sim::registry::metric_index;

pub(super) const EST_SHARE_1: usize = metric_index(METRICS, "model.est_share_1");
pub(super) const TRUE_SHARE_1: usize = metric_index(METRICS, "model.true_share_1");
pub(super) const PATROL_SHARE_1: usize = metric_index(METRICS, "model.patrol_share_1");
pub(super) const ESTIMATE_ERROR: usize = metric_index(METRICS, "model.estimate_error");
pub(super) const ARRESTS_PER_1K_1: usize = metric_index(METRICS, "user.arrests_per_1k_1");
pub(super) const ARRESTS_GAP_PER_1K: usize = metric_index(METRICS, "user.arrests_gap_per_1k");
pub(super) const CATCH_PROB_GAP: usize = metric_index(METRICS, "user.catch_prob_gap");
pub(super) const RECORDED: usize = metric_index(METRICS, "leading.incidents_recorded");
pub(super) const DISCOVERED_PER_PATROL: usize =
    metric_index(METRICS, "leading.discovered_per_patrol");
pub(super) const MISSED: usize = metric_index(METRICS, "org.incidents_missed");
pub(super) const MISSED_SHARE: usize = metric_index(METRICS, "org.missed_share");
pub(super) const FAIRNESS_GAP: usize = metric_index(METRICS, "org.fairness_gap");
pub(super) const OCCURRED: usize = metric_index(METRICS, "flow.incidents_occurred");
pub(super) const DISCOVERED: usize = metric_index(METRICS, "flow.incidents_discovered");
pub(super) const REPORTED: usize = metric_index(METRICS, "flow.incidents_reported");
pub(super) const PATROLS: usize = metric_index(METRICS, "flow.patrols");
pub(super) const COUNT: usize = METRICS.len();
