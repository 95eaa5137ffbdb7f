//! Randomized experiments as an organization runs them: units split at
//! random between two designs, compared only on what the organization can
//! measure, and stopped by a rule the team chose. [`stats`] holds the
//! statistics (intervals, sample sizes, stopping rules), [`run`] the
//! experiment run day by day in a user world, A/A reruns and the truth.

pub mod run;
pub mod stats;
