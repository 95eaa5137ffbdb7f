//! The user world's population: one struct of arrays, dense (departed users
//! are removed by swapping in the last), about 26 bytes per user; new users
//! draw their group and skill from their own keyed stream.

use super::config::Config;
use crate::sim::rng::{self, Stream};

/// The population, as a struct of arrays (dense: departed users are removed).
#[derive(Clone, Debug, Default)]
pub struct Population {
    /// Stable identity, keys each user's random streams.
    pub id: Vec<u32>,
    /// 0 = group A, 1 = group B.
    pub group: Vec<u8>,
    /// Multiplier of the user's own detection rate (skill).
    pub skill: Vec<f32>,
    /// Trust in the system's interventions (compliance: acting when it
    /// speaks), 0..1.
    pub trust: Vec<f32>,
    /// Reliance on the system's silence (not checking when it says
    /// nothing), 0..1.
    pub reliance: Vec<f32>,
    /// 1 when the user has switched the feature off (disuse), else 0.
    pub switched_off: Vec<u8>,
    /// Alert fatigue, in recent interruptions.
    pub fatigue: Vec<f32>,
    /// Sentiment, −1..1.
    pub sentiment: Vec<f32>,
}

impl Population {
    /// Number of active users.
    pub fn len(&self) -> usize {
        self.id.len()
    }

    /// True when nobody is left.
    pub fn is_empty(&self) -> bool {
        self.id.is_empty()
    }

    pub(super) fn push(&mut self, id: u32, seed: u64, cfg: &Config) {
        let mut r = rng::stream(seed, Stream::Population, u64::from(id), 0);
        let group = u8::from(rng::uniform(&mut r) < cfg.share_b);
        let skill = 1.0 + cfg.skill_spread * (2.0 * rng::uniform(&mut r) - 1.0);
        self.id.push(id);
        self.group.push(group);
        self.skill.push(skill as f32);
        self.trust.push(cfg.trust_initial as f32);
        self.reliance.push(cfg.reliance_initial as f32);
        self.switched_off.push(0);
        self.fatigue.push(0.0);
        self.sentiment.push(0.0);
    }

    /// Every array cut to the population's length, for the kernel: indexes
    /// below [`PopSlices::len`] need no bounds check in any of them.
    #[inline(always)]
    pub(super) fn slices(&mut self) -> PopSlices<'_> {
        let n = self.id.len();
        PopSlices {
            id: &self.id[..n],
            group: &self.group[..n],
            skill: &self.skill[..n],
            trust: &mut self.trust[..n],
            reliance: &mut self.reliance[..n],
            switched_off: &mut self.switched_off[..n],
            fatigue: &mut self.fatigue[..n],
            sentiment: &mut self.sentiment[..n],
        }
    }

    pub(super) fn swap_remove(&mut self, i: usize) {
        self.id.swap_remove(i);
        self.group.swap_remove(i);
        self.skill.swap_remove(i);
        self.trust.swap_remove(i);
        self.reliance.swap_remove(i);
        self.switched_off.swap_remove(i);
        self.fatigue.swap_remove(i);
        self.sentiment.swap_remove(i);
    }

    /// Bytes of state per user: one element of each array.
    pub const BYTES_PER_USER: usize = size_of::<u32>() // id
        + 2 * size_of::<u8>() // group, switched off
        + 5 * size_of::<f32>(); // skill, trust, reliance, fatigue, sentiment
}

/// The population's arrays as slices of one length (see [`Population::slices`]).
pub(super) struct PopSlices<'a> {
    pub(super) id: &'a [u32],
    pub(super) group: &'a [u8],
    pub(super) skill: &'a [f32],
    pub(super) trust: &'a mut [f32],
    pub(super) reliance: &'a mut [f32],
    pub(super) switched_off: &'a mut [u8],
    pub(super) fatigue: &'a mut [f32],
    pub(super) sentiment: &'a mut [f32],
}

impl PopSlices<'_> {
    /// Number of users (the length of every slice).
    #[inline(always)]
    pub(super) fn len(&self) -> usize {
        self.id.len()
    }
}
