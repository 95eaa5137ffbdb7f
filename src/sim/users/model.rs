//! The model's lifecycle in production: its separation d′ per group as
//! deployed, as last trained and as drifted since, the labels telemetry and
//! the random holdout have gathered, and retraining on them along a
//! learning curve towards a ceiling. Labels reach the training data only
//! `telemetry.label_delay_days` after they are gathered.

use std::collections::VecDeque;

use super::config::Config;

/// The model's life in production.
#[derive(Clone, Debug)]
pub(super) struct ModelState {
    /// Separation right after the last deployment or shift, per group.
    pub(super) dprime_base: [f64; 2],
    /// Separation after the last training, per group.
    pub(super) dprime_trained: [f64; 2],
    pub(super) days_since_training: u32,
    /// Labels since the last shift: from telemetry, and from the random holdout.
    pub(super) labels_biased: f64,
    pub(super) labels_random: f64,
    pub(super) labels_total: f64,
    /// `labels_total` at the last training.
    pub(super) labels_at_training: f64,
    /// Labels gathered but not yet in the training data, oldest first:
    /// (day gathered, from telemetry, from the holdout).
    pending: VecDeque<(u32, f64, f64)>,
}

impl ModelState {
    pub(super) fn new(cfg: &Config) -> Self {
        Self {
            dprime_base: cfg.dprime_deployed,
            dprime_trained: cfg.dprime_deployed,
            days_since_training: 0,
            labels_biased: 0.0,
            labels_random: 0.0,
            labels_total: 0.0,
            labels_at_training: 0.0,
            pending: VecDeque::new(),
        }
    }

    /// Records the labels gathered on `day` and moves into the training
    /// data every label at least the label delay old (today's own labels
    /// too when there is no delay).
    pub(super) fn gather_labels(&mut self, day: u32, biased: f64, random: f64, cfg: &Config) {
        if biased > 0.0 || random > 0.0 {
            self.pending.push_back((day, biased, random));
        }
        while let Some(&(gathered, biased, random)) = self.pending.front() {
            if gathered.saturating_add(cfg.label_delay_days) > day {
                break;
            }
            self.pending.pop_front();
            self.labels_biased += biased;
            self.labels_random += random;
            self.labels_total += biased + random;
        }
    }

    /// A world shift: the labels gathered so far, in the training data or
    /// on their way, describe the old world and no longer count.
    pub(super) fn forget_old_world(&mut self) {
        self.labels_biased = 0.0;
        self.labels_random = 0.0;
        self.pending.clear();
    }

    pub(super) fn dprime_today(&self, cfg: &Config) -> [f64; 2] {
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
    pub(super) fn retrain(&mut self, cfg: &Config) -> bool {
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
