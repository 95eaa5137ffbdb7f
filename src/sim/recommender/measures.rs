//! Columns of the recommender world's day row, by metric id: generated from
//! [`METRICS`] at compile time, so a misspelt id is a build error.

use super::METRICS;
use crate::sim::registry::metric_index;

pub(super) const CLICKBAIT_SHARE: usize = metric_index(METRICS, "model.clickbait_share");
pub(super) const PREDICTED_PER_ITEM: usize =
    metric_index(METRICS, "model.predicted_engagement_per_item");
pub(super) const OBSERVED_PER_ITEM: usize =
    metric_index(METRICS, "model.observed_engagement_per_item");
pub(super) const LOG_PER_ITEM: usize = metric_index(METRICS, "model.log_engagement_per_item");
pub(super) const SATISFACTION: usize = metric_index(METRICS, "user.satisfaction");
pub(super) const NET_EXPOSURE: usize = metric_index(METRICS, "user.net_exposure");
pub(super) const DISSATISFIED_SHARE: usize = metric_index(METRICS, "user.dissatisfied_share");
pub(super) const ENGAGEMENT_PER_USER: usize = metric_index(METRICS, "leading.engagement_per_user");
pub(super) const ENGAGEMENT_TOTAL: usize = metric_index(METRICS, "leading.engagement_total");
pub(super) const ACTIVE_USERS: usize = metric_index(METRICS, "leading.active_users");
pub(super) const RETENTION: usize = metric_index(METRICS, "org.retention");
pub(super) const REVENUE: usize = metric_index(METRICS, "org.revenue");
pub(super) const CUMULATIVE_REVENUE: usize = metric_index(METRICS, "org.cumulative_revenue");
pub(super) const ITEMS: usize = metric_index(METRICS, "flow.items_consumed");
pub(super) const DEPARTURES: usize = metric_index(METRICS, "flow.departures");
pub(super) const ARRIVALS: usize = metric_index(METRICS, "flow.arrivals");
pub(super) const COUNT: usize = METRICS.len();
