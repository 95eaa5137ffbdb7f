//! Columns of the lending world's day row, by metric id: generated from
//! [`METRICS`] at compile time, so a misspelt id is a build error.

use super::METRICS;
use crate::sim::registry::metric_index;

pub(super) const TPR_1: usize = metric_index(METRICS, "model.tpr_1");
pub(super) const TPR_2: usize = metric_index(METRICS, "model.tpr_2");
pub(super) const TPR_GAP: usize = metric_index(METRICS, "model.tpr_gap");
pub(super) const PRECISION: usize = metric_index(METRICS, "model.precision");
pub(super) const REPAY_PROB_1: usize = metric_index(METRICS, "user.repay_prob_1");
pub(super) const REPAY_PROB_2: usize = metric_index(METRICS, "user.repay_prob_2");
pub(super) const REPAY_PROB_GAP: usize = metric_index(METRICS, "user.repay_prob_gap");
pub(super) const SCORE_1: usize = metric_index(METRICS, "user.mean_score_1");
pub(super) const SCORE_2: usize = metric_index(METRICS, "user.mean_score_2");
pub(super) const APPROVAL_1: usize = metric_index(METRICS, "user.approval_rate_1");
pub(super) const APPROVAL_2: usize = metric_index(METRICS, "user.approval_rate_2");
pub(super) const LOANS: usize = metric_index(METRICS, "leading.loans");
pub(super) const APPROVAL_RATE: usize = metric_index(METRICS, "leading.approval_rate");
pub(super) const REPAID_SHARE: usize = metric_index(METRICS, "leading.repaid_share");
pub(super) const PROFIT: usize = metric_index(METRICS, "org.profit");
pub(super) const CUMULATIVE_PROFIT: usize = metric_index(METRICS, "org.cumulative_profit");
pub(super) const APPROVAL_GAP: usize = metric_index(METRICS, "org.approval_gap");
pub(super) const APPLICANTS: usize = metric_index(METRICS, "flow.applicants");
pub(super) const REPAID: usize = metric_index(METRICS, "flow.loans_repaid");
pub(super) const DEFAULTED: usize = metric_index(METRICS, "flow.loans_defaulted");
pub(super) const COUNT: usize = METRICS.len();
