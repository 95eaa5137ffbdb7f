//! Placeholder: replaced by the real world.

use super::{Event, MetricSpec, ParamSpec, ParamValues};

/// Parameters.
pub const PARAMS: &[ParamSpec] = &[];
/// Metrics.
pub const METRICS: &[MetricSpec] = &[];

/// The world.
#[derive(Clone, Debug)]
pub struct LendingWorld;

impl LendingWorld {
    /// New world.
    pub fn new(_params: &ParamValues, _seed: u64) -> Self {
        Self
    }
    /// Apply parameters from the next day.
    pub fn configure(&mut self, _params: &ParamValues) {}
    /// One day.
    pub fn step(&mut self, _day: u32, _out: &mut [f64], _events: &mut Vec<Event>) {}
}
