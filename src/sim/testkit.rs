//! Helpers shared by the worlds' unit tests.

use super::{MetricSpec, ParamSpec, ParamValues};

/// A table's defaults with some values changed (panics on a bad id or value).
pub fn params(table: &'static [ParamSpec], sets: &[(&str, f64)]) -> ParamValues {
    let mut p = ParamValues::defaults(table);
    for (id, v) in sets {
        p.set(id, *v).unwrap_or_else(|e| panic!("{id}: {e}"));
    }
    p
}

/// Steps a world `days` days through `step` and returns every row.
pub fn rows(
    metrics: usize,
    days: u32,
    mut step: impl FnMut(u32, &mut [f64], &mut Vec<super::Event>),
) -> Vec<Vec<f64>> {
    let mut row = vec![0.0; metrics];
    let mut events = Vec::new();
    (1..=days)
        .map(|day| {
            step(day, &mut row, &mut events);
            row.clone()
        })
        .collect()
}

/// Asserts every value of a row is finite and inside its metric's range.
pub fn check_row(metrics: &[MetricSpec], row: &[f64], what: &str) {
    for (v, s) in row.iter().zip(metrics) {
        assert!(
            v.is_finite() && *v >= s.min && *v <= s.max,
            "{what}: {} = {v} outside [{}, {}]",
            s.id,
            s.min,
            s.max
        );
    }
}
