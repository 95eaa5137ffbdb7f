//! The user world's per-user kernel: one user's day in two passes over bit
//! masks. The first draws every situation (counter-based draws keyed by
//! user and day) and classifies it into 64-bit words against the day's
//! integer cut points ([`DayCuts`], per user [`SkillCuts`]) without
//! branches; the second settles, in order, only the situations that can
//! change the user (what is surfaced, noticed, followed, learned). Counts
//! come from the masks by popcount into the day's [`Tally`].
//!
//! The kernel is compiled once for each kind of day ([`Shared`]: what all
//! of a day's users have in common) so that it skips reading per user what
//! does not vary, and a short day is classified as a fixed number of
//! situations ([`classify_head`]) so that few branches depend on a user's
//! random draws. Every version gives the same results.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use super::config::Config;
use super::population::{PopSlices, Population};
use super::tally::Tally;
use super::{CapKeeps, DesignDay, Mode};
use crate::sim::rng;
use crate::sim::stats::phi_inv_fast;

/// x / (1 + |x|): squashes a day's experience into (−1, 1), like tanh but
/// without a transcendental function in the per-user loop.
#[inline]
fn softsign(x: f64) -> f64 {
    x / (1.0 + x.abs())
}

/// A user's own-judgment rates and cuts for one skill, kept from user to
/// user: users of one skill (everyone, without a skill spread) share them,
/// which spares a division and three conversions per user-day.
#[derive(Clone, Copy, Debug)]
pub(super) struct SkillCuts {
    /// The bits of the skill these are for (none before the first user).
    skill_bits: Option<u32>,
    /// The own true-positive rate, min(1, own TPR × skill).
    tpr: f64,
    /// Cuts of [own FPR / skill, own TPR × skill], each at most 1.
    cuts: [u64; 2],
    /// Cut of the own TPR kept while the system runs (`own_check_kept`).
    kept: u64,
}

impl SkillCuts {
    pub(super) const NONE: Self = Self {
        skill_bits: None,
        tpr: 0.0,
        cuts: [0; 2],
        kept: 0,
    };

    /// The rates and cuts of `skill`.
    fn new(cfg: &Config, skill: f32) -> Self {
        let skill_f64 = f64::from(skill);
        let tpr = (cfg.own_tpr * skill_f64).min(1.0);
        let fpr = (cfg.own_fpr / skill_f64).min(1.0);
        Self {
            skill_bits: Some(skill.to_bits()),
            tpr,
            cuts: [rng::unit_cut32(fpr), rng::unit_cut32(tpr)],
            kept: rng::unit_cut32(tpr * cfg.own_check_kept),
        }
    }

    /// The rates and cuts of `skill`, computed when it differs from the
    /// last user's (compared by bits: the same bits, the same results).
    #[inline(always)]
    fn of(&mut self, cfg: &Config, skill: f32) -> Self {
        if self.skill_bits != Some(skill.to_bits()) {
            *self = Self::new(cfg, skill);
        }
        *self
    }
}

/// What all of a day's users share, found at the start of the day (see
/// [`Shared::of`]). The kernel is compiled for each case and skips reading
/// per user what does not vary, with the same results.
#[derive(Clone, Copy, Debug)]
pub(super) struct Shared {
    /// Nobody has switched the feature off and nobody can (no disuse): the
    /// kernel neither reads nor draws a switch.
    pub(super) steady: bool,
    /// Steady, and every user is in group A with one skill: their
    /// own-judgment cuts and agreement weight, the same for all.
    pub(super) alike: Option<Alike>,
}

/// What every user of an alike day has (see [`Shared::alike`]).
#[derive(Clone, Copy, Debug)]
pub(super) struct Alike {
    /// Every user's own-judgment rates and cuts.
    own: SkillCuts,
    /// Every user's weight of agreement (see [`UserDay`]).
    agreement_weight: f64,
    /// Every user's cut points, when they do not depend on the user's
    /// reliance (no complacency).
    word_cuts: Option<WordCuts>,
}

impl Shared {
    /// Nothing assumed: the kernel reads everything per user.
    pub(super) const NOTHING: Self = Self {
        steady: false,
        alike: None,
    };

    /// What `pop`'s users share under `cfg` for a whole day: no user joins
    /// or changes group or skill before the day ends, and without disuse
    /// none switches the feature off.
    pub(super) fn of(cfg: &Config, pop: &Population, cuts: &DayCuts, system_on: bool) -> Self {
        // (Folds without an early exit, which compile to vector code: these
        // scans run every day over every user.)
        let none_set = |bytes: &[u8]| bytes.iter().fold(0, |any, &b| any | b) == 0;
        let steady = cfg.disuse_per_annoyance == 0.0 && none_set(&pop.switched_off);
        let alike = match pop.skill.first() {
            Some(&skill)
                if steady
                    && none_set(&pop.group)
                    && pop
                        .skill
                        .iter()
                        .fold(0, |differ, s| differ | (s.to_bits() ^ skill.to_bits()))
                        == 0 =>
            {
                let own = SkillCuts::new(cfg, skill);
                Some(Alike {
                    own,
                    agreement_weight: agreement_weight(cfg, skill),
                    word_cuts: (cfg.complacency == 0.0).then(|| WordCuts {
                        truth: cuts.truth[0],
                        score: cuts.score[0],
                        own: own.cuts,
                        // (The reliance is not read without complacency.)
                        alone_positive: alone_positive(cfg, own, system_on, 0.0),
                    }),
                })
            }
            _ => None,
        };
        Self { steady, alike }
    }
}

impl Alike {
    /// A placeholder for days whose users are not alike (never read).
    pub(super) const UNSET: Self = Self {
        own: SkillCuts::NONE,
        agreement_weight: 0.0,
        word_cuts: None,
    };
}

/// The cut under which a user acting alone catches a positive, given their
/// own-judgment cuts `own` and the `reliance` they bring into the day.
/// Complacency: reliance on a running system dulls the user's own
/// watchfulness. A design that replaces part of the ordinary product's own
/// check keeps only `own_check_kept` of it while the system runs.
#[inline(always)]
fn alone_positive(cfg: &Config, own: SkillCuts, feature_on: bool, reliance: f64) -> u64 {
    if !feature_on {
        own.cuts[1]
    } else if cfg.complacency > 0.0 {
        rng::unit_cut32(own.tpr * cfg.own_check_kept * (1.0 - cfg.complacency * reliance))
    } else {
        own.kept
    }
}

/// The weight of agreement with a user's own judgment in a trust step: the
/// parameter times the user's skill, at most 1.
#[inline(always)]
fn agreement_weight(cfg: &Config, skill: f32) -> f64 {
    cfg.agreement_weight * f64::from(skill).min(1.0)
}

/// One word (up to 64 situations) of a user-day, classified: bit j is
/// situation 64c + j.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct DayMasks {
    valid: u64,
    truth: u64,
    predicted: u64,
    abstain: u64,
    held_out: u64,
    /// The user alone would act (the counterfactual).
    own: u64,
    /// The user would act on their own judgment while the system runs.
    alone: u64,
    /// Candidates the system may surface.
    eligible: u64,
}

/// The cut points one user-day classifies its situations with.
#[derive(Clone, Copy, Debug)]
struct WordCuts {
    truth: u64,
    score: [(u64, u64); 2],
    own: [u64; 2],
    /// A positive is caught by the user acting alone below this (lower than
    /// `own[1]` under complacency; negatives are the same either way).
    alone_positive: u64,
}

/// The three world draws of a situation (see `user_day` for the numbering).
#[derive(Clone, Copy)]
enum Draw {
    /// Top 32 bits: the truth; low 32 bits: the user's own judgment.
    TruthSelf = 0,
    /// The model's score noise (53 bits).
    Noise = 1,
    /// Top 32 bits: the stake of a miss; low 32 bits: exploration.
    StakeExplore = 2,
}

/// World draw `which` of situation `k`: number 3k + which.
#[inline(always)]
fn world_draw(world: u64, k: u64, which: Draw) -> u64 {
    rng::keyed_u64(world, 3 * k + which as u64)
}

/// The positions of a mask's set bits, lowest first.
#[inline(always)]
fn ones(mut mask: u64) -> impl Iterator<Item = u32> {
    std::iter::from_fn(move || {
        (mask != 0).then(|| {
            let j = mask.trailing_zeros();
            mask &= mask - 1;
            j
        })
    })
}

/// One situation's model and own-judgment bits, given the cuts for its truth:
/// (predicted, in the abstain band, the user would act).
#[inline(always)]
fn judge(noise: u64, u_self: u64, (below, above): (u64, u64), own: u64) -> (bool, bool, bool) {
    let predicted = noise >= above;
    (predicted, (noise >= below) & !predicted, u_self < own)
}

/// Classifies situations `base .. base + len` of one user-day (world draws
/// keyed by `world`) into `m`'s truth, predicted, own and alone masks, and
/// returns the abstain-band mask. `BAND`: the day's abstain band is not
/// empty (without it the loop keeps fewer values live). `HEAD`: the day's
/// head (see [`classify_head`]). Bits are shifted in from the top situation
/// down, so situation base + j ends at bit j.
#[inline(always)]
fn classify<const BAND: bool, const HEAD: u64>(
    world: u64,
    (base, len): (u64, u64),
    cuts: WordCuts,
    m: &mut DayMasks,
) -> u64 {
    let draws = |k: u64| {
        let a = world_draw(world, k, Draw::TruthSelf);
        let noise = world_draw(world, k, Draw::Noise) >> 11;
        (a, noise, a & 0xFFFF_FFFF)
    };
    // Every situation is classified as if negative (positives are rare), with
    // the negative cuts held in registers; positives are fixed up after.
    let (mut truth_bits, mut predicted_bits, mut band, mut own_bits) = (0u64, 0u64, 0u64, 0u64);
    let mut shift_in = |j: u64| {
        let (a, noise, u_self) = draws(base + j);
        let (predicted, in_band, own) = judge(noise, u_self, cuts.score[0], cuts.own[0]);
        truth_bits = truth_bits << 1 | u64::from((a >> 32) < cuts.truth);
        predicted_bits = predicted_bits << 1 | u64::from(predicted);
        own_bits = own_bits << 1 | u64::from(own);
        if BAND {
            band = band << 1 | u64::from(in_band);
        }
    };
    // A short day is classified as `HEAD` situations, a day up to twice as
    // long as twice that many (the same for all of the day's users), the
    // ones past its end masked off: loops whose exits do not depend on the
    // user's random count and so predict well. (The extra draws change
    // nothing: they are keyed.)
    let fixed = if len <= HEAD {
        for j in (0..HEAD).rev() {
            shift_in(j);
        }
        true
    } else if HEAD > 0 && len <= 2 * HEAD {
        for j in (0..2 * HEAD).rev() {
            shift_in(j);
        }
        true
    } else {
        for j in (0..len).rev() {
            shift_in(j);
        }
        false
    };
    if fixed {
        // (The same as `m.valid`, recomputed: reading it from `m` here costs
        // 10–25 instructions per user-day in spills, measured.)
        let valid = (1u64 << len) - 1;
        truth_bits &= valid;
        predicted_bits &= valid;
        own_bits &= valid;
        band &= valid;
    }
    let mut alone_bits = own_bits;
    for j in ones(truth_bits) {
        let (_, noise, u_self) = draws(base + u64::from(j));
        let (predicted, in_band, own) = judge(noise, u_self, cuts.score[1], cuts.own[1]);
        let bit = 1u64 << j;
        let set = |mask: &mut u64, on: bool| *mask = (*mask & !bit) | (u64::from(on) << j);
        set(&mut predicted_bits, predicted);
        set(&mut own_bits, own);
        set(&mut alone_bits, u_self < cuts.alone_positive);
        if BAND {
            set(&mut band, in_band);
        }
    }
    m.truth = truth_bits;
    m.predicted = predicted_bits;
    m.own = own_bits;
    m.alone = alone_bits;
    band
}

/// How many situations a day with Poisson(`mean`) situations per user
/// classifies when it has at most that many (and twice that when it has up
/// to twice that many; see `classify`): the count that minimizes the
/// expected cost of the draws made past a day's end (one unit each) and of
/// mispredicted branches (the head-or-not branch when it goes the less
/// common way, and the exit of the loop over a longer day's situations,
/// whose length varies from user to user), among the heads the kernel is
/// compiled for: 0 (a plain loop), 2, 3 and 4. Four at a mean of 3, two at
/// 1, none at 8 or 0.01. A mispredicted branch is taken to cost three draws
/// (a draw is about 25 instructions; a misprediction typically costs 15–20
/// cycles on current x86 cores), and the twice-head block is left out of
/// the reckoning: an approximation, which only chooses among fast versions.
pub(super) fn classify_head(mean: f64) -> u64 {
    const MISPREDICT_PER_DRAW: f64 = 3.0;
    let p = |k: u64| {
        let mut pk = (-mean).exp();
        for i in 1..=k {
            pk *= mean / i as f64;
        }
        pk
    };
    let cost = |h: u64| {
        let wasted: f64 = (0..=h).map(|k| (h - k) as f64 * p(k)).sum();
        let short: f64 = (0..=h).map(p).sum();
        let mispredicted = short.min(1.0 - short) + (1.0 - short);
        wasted + MISPREDICT_PER_DRAW * mispredicted
    };
    [0, 2, 3, 4]
        .into_iter()
        .min_by(|&a, &b| cost(a).total_cmp(&cost(b)))
        .unwrap_or(0)
}

/// One user's day: the keys of its draws and its constants, read by both
/// passes.
struct UserDay<'a> {
    /// The key of the user's world draws today.
    world: u64,
    /// The key of the user's people draws today.
    people: u64,
    situations: u32,
    group: usize,
    /// The feature runs for this user today (the system runs and the user
    /// has not switched it off).
    system_on: bool,
    /// The system runs today (guardrails outside the model act even for a
    /// user who switched the feature off).
    system_running: bool,
    /// The model's separation for the user's group.
    dprime: f64,
    /// The weight of agreement with the user's own judgment in a trust
    /// step (the parameter times the user's skill, at most 1).
    agreement_weight: f64,
    /// A binding cap that keeps the most confident candidates: the
    /// confidence a kept candidate must reach (−∞ without one).
    cutoff: f64,
    /// The real-time cap's bars for the user's group, if it runs.
    online: Option<&'a OnlineBar>,
}

impl UserDay<'_> {
    /// Classifies the word of situations from `base` (a multiple of 64).
    #[inline(always)]
    fn classify_word(&self, base: u64, cuts: &DayCuts, word_cuts: WordCuts) -> DayMasks {
        let len = (u64::from(self.situations) - base).min(64);
        let mut m = DayMasks {
            // (Through u128: a word may hold 64 situations, or none.)
            valid: ((1u128 << len) - 1) as u64,
            ..DayMasks::default()
        };
        // (Each head a version of its own, its loop unrolled.)
        let (world, at) = (self.world, (base, len));
        let band = match (cuts.no_band[self.group], cuts.head) {
            (true, 2) => classify::<false, 2>(world, at, word_cuts, &mut m),
            (true, 3) => classify::<false, 3>(world, at, word_cuts, &mut m),
            (true, 4) => classify::<false, 4>(world, at, word_cuts, &mut m),
            (true, _) => classify::<false, 0>(world, at, word_cuts, &mut m),
            (false, _) => classify::<true, 0>(world, at, word_cuts, &mut m),
        };
        if cuts.explore > 0 {
            for j in 0..len {
                let e = world_draw(self.world, base + j, Draw::StakeExplore) & 0xFFFF_FFFF;
                m.held_out |= u64::from(e < cuts.explore) << j;
            }
        }
        m.abstain = m.held_out | band;
        if self.system_on {
            let shown = if cuts.surface_unpredicted {
                m.valid
            } else {
                m.predicted
            };
            m.eligible = shown & !m.abstain & m.valid;
        }
        m
    }

    /// The stake draw of situation `k`, uniform.
    #[inline]
    fn stake_u(&self, k: u64) -> f64 {
        rng::unit_pair(world_draw(self.world, k, Draw::StakeExplore)).0
    }

    /// The real-time cap: whether candidate `k`, met with `surfaced`
    /// interventions already shown today, clears the bar set by the budget
    /// left and the candidates still expected (known from the time of day,
    /// which situation `k` of the day's n stands for).
    #[inline(always)]
    fn clears_online_bar(&self, cfg: &Config, k: u64, truth: bool, surfaced: u32) -> bool {
        match self.online {
            None => true,
            // (The day's values are passed, not `self`: a reference to it
            // in code not inlined would keep the whole day in memory.)
            Some(bar) => bar.clears(
                cfg,
                (self.world, self.dprime, self.situations),
                (k, truth, surfaced),
            ),
        }
    }

    /// How far situation `k`'s score lies from the threshold.
    #[inline]
    fn confidence(&self, cfg: &Config, k: u64, truth: bool) -> f64 {
        confidence(self.world, self.dprime, cfg, k, truth)
    }

    /// Pass two over one word of a user-day: walks, in order, the situations in
    /// `todo` (candidates the system may surface and misses it stayed silent
    /// about), deciding what is surfaced and what the user does and learns.
    /// `acted` holds the word's actions so far (the user's own judgment); the
    /// word's actions are returned.
    #[allow(clippy::too_many_arguments)]
    #[inline(always)]
    fn settle_word(
        &self,
        cfg: &Config,
        m: &DayMasks,
        base: u64,
        todo: u64,
        mut acted: u64,
        user: &mut UserToday,
        t: &mut Tally,
    ) -> u64 {
        let intrusiveness = cfg.intrusiveness;
        for j in ones(todo) {
            let k = base + u64::from(j);
            let bit = 1u64 << j;
            let people = |field: u64| rng::keyed_pair(self.people, 4 * k + field);
            // The same draws as 64 bits, for comparisons with a day's
            // integer cuts (exactly the float comparisons, see
            // `rng::unit_cut32`): top half, then the low half as a uniform.
            let people_bits = |field: u64| rng::keyed_u64(self.people, 4 * k + field);
            let low_unit = |x: u64| rng::unit_pair(x).1;
            let truth = m.truth & bit != 0;
            let predicted = m.predicted & bit != 0;
            let alone_act = m.alone & bit != 0;
            // What the user would judge alone, fully watchful.
            let own_judgment = m.own & bit != 0;
            let wrong = predicted != truth;
            let trust = user.trust;

            let surfaced = m.eligible & bit != 0
                && user.surfaced < cfg.max_per_day
                && (self.cutoff == f64::NEG_INFINITY
                    || self.confidence(cfg, k, truth) >= self.cutoff)
                && self.clears_online_bar(cfg, k, truth, user.surfaced);
            t.capped += u64::from((m.eligible & bit != 0) & !surfaced);
            let mut act = alone_act;
            let mut system_decided = false;
            let mut noticed = false;
            let mut overridden = false;
            if surfaced {
                user.surfaced += 1;
                t.surfaced += 1;
                let compliance_base = trust + cfg.push * cfg.forcefulness * (1.0 - trust);
                user.minutes += cfg.attention_minutes * intrusiveness;
                let fatigue_before = user.fatigue;
                user.fatigue += intrusiveness;
                let notice_follow = people_bits(0);
                let u_follow = low_unit(notice_follow);
                noticed = notice_follow >> 32 < cfg.cuts.salience;
                // A user who can check the output may see that it is wrong.
                // (Never without the skill: the draw is then not made.)
                // (The skill is tested first: a branch on it predicts well,
                // one on noticing a wrong output would not.)
                let spots_error = cfg.verify_skill > 0.0
                    && noticed & wrong
                    && people_bits(3) >> 32 < cfg.cuts.verify;
                if cfg.mode == Mode::Automate {
                    // The system acts; a user who notices and disagrees may undo.
                    act = true;
                    system_decided = true;
                    if let Some(review) = cfg.review
                        && self.stake_u(k) >= review.stake_level
                    {
                        t.reviews += 1;
                        user.minutes += review.minutes;
                        act = if people(2).0 < review.accuracy {
                            truth
                        } else {
                            !truth
                        };
                    }
                    if noticed {
                        t.noticed += 1;
                        let p_undo = (1.0 - compliance_base) * (1.0 - 0.5 * cfg.forcefulness);
                        let disagrees =
                            (!alone_act && u_follow < p_undo) || (!truth && spots_error);
                        if act && cfg.undo && disagrees {
                            act = false;
                            system_decided = false;
                            overridden = true;
                            user.minutes += cfg.correction_minutes;
                        } else {
                            t.followed += 1;
                            t.noticed_followed += 1;
                        }
                    } else {
                        t.followed += 1;
                    }
                } else {
                    // Prompt, organize, annotate: the user decides. Written
                    // without branches (these coin flips defeat prediction).
                    // (Compliance matters only to a user who noticed: the
                    // exponential is skipped for the others.)
                    let follows = noticed
                        && !spots_error
                        && u_follow
                            < compliance_base * (-cfg.fatigue_sensitivity * fatigue_before).exp();
                    let differs = alone_act != predicted;
                    act = (spots_error & truth)
                        | (!spots_error & follows & predicted)
                        | (!spots_error & !follows & alone_act);
                    system_decided = follows;
                    overridden = spots_error | (noticed & !follows & differs);
                    t.noticed += u64::from(noticed);
                    t.followed += u64::from(follows);
                    t.noticed_followed += u64::from(follows);
                    t.ignored += u64::from(noticed & !spots_error & !follows & !differs);
                }
            }
            acted = (acted & !bit) | (u64::from(act) << j);
            t.overridden += u64::from(overridden);
            let system_acts = system_decided & act;
            t.system_acts += u64::from(system_acts);
            t.system_false_acts += u64::from(system_acts & !truth);

            // What the user learns, and telemetry.
            let involved = surfaced & (noticed | (cfg.mode == Mode::Automate));
            let silent_miss = truth & !predicted & !act;
            let visible_report = people_bits(1);
            let u_report = visible_report & 0xFFFF_FFFF;
            let visible = visible_report >> 32 < cfg.cuts.outcome_visibility;
            let learns_wrong = visible & involved & wrong;
            let learns_right = visible & involved & !wrong;
            // A visible miss the system stayed silent about.
            let blames = visible & !involved & silent_miss;
            // `x` when `b`, else 0 (x is finite and ≥ 0), as a multiply: a
            // select is compiled to branches, which these coin flips defeat.
            let weight = |b: bool, x: f64| x * f64::from(u8::from(b));
            // Trust in interventions (compliance) moves on their visible
            // outcomes and, a smaller step times the user's skill, on whether
            // they agree with the user's own judgment; reliance on silence
            // moves on the misses it let through (Meyer 2004: false alarms
            // erode compliance, misses reliance).
            let agrees = noticed & (own_judgment == predicted);
            let disagrees = noticed & (own_judgment != predicted);
            let gain = cfg.trust_gain * (1.0 - trust);
            let loss = cfg.trust_loss * trust;
            let w = self.agreement_weight;
            user.trust = trust - weight(learns_wrong, loss) + weight(learns_right, gain)
                - weight(disagrees, w * loss)
                + weight(agrees, w * gain);
            user.reliance -= weight(
                blames,
                cfg.silent_miss_blame * cfg.trust_loss * user.reliance,
            );
            // An intervention the user judges unwanted (they disagree, or
            // see it was wrong) annoys by the mode's intrusiveness.
            user.annoyance += weight(disagrees | learns_wrong, intrusiveness);
            let reported = learns_wrong & cfg.report_button & (u_report < cfg.cuts.report);
            t.reported += u64::from(reported);
            // "This should have been flagged": reports of misses, rarer.
            let miss_reported = blames & (u_report < cfg.cuts.miss_report);
            t.miss_reports += u64::from(miss_reported);
            // Telemetry sees a surfaced prediction at most once: reported
            // or overridden (an implicit "wrong"), whether or not it was;
            // a reported miss is a label too.
            t.flagged += u64::from(reported | overridden | miss_reported);
            t.surfaced_wrong += u64::from(surfaced && wrong);
        }
        acted
    }
}

/// What a user carries from situation to situation through a day.
struct UserToday {
    trust: f64,
    reliance: f64,
    fatigue: f64,
    /// Unwanted interventions today, weighted by intrusiveness.
    annoyance: f64,
    minutes: f64,
    /// Predictions surfaced to the user so far today.
    surfaced: u32,
}

/// A day's cut points on the integer draws (see [`rng::unit_cut32`] and
/// [`rng::unit_cut53`]).
#[derive(Clone, Debug)]
pub(super) struct DayCuts {
    /// Per group: a draw's top 32 bits below this make the situation positive.
    pub(super) truth: [u64; 2],
    /// Per group and truth: (below, above) on the score noise's 53 bits:
    /// below `below` the model says no, at or above `above` it says yes,
    /// between them it abstains.
    pub(super) score: [[(u64, u64); 2]; 2],
    /// Per group: whether the abstain band is empty (the common case).
    pub(super) no_band: [bool; 2],
    /// Exploration: a draw's low 32 bits below this hold the situation out.
    pub(super) explore: u64,
    /// Candidates include situations the model did not flag.
    pub(super) surface_unpredicted: bool,
    /// The real-time cap's bars per group, when it runs.
    pub(super) online: Option<[Arc<OnlineBar>; 2]>,
    /// Situations a short day is classified as (see [`classify_head`]).
    pub(super) head: u64,
}

/// The real-time cap's bars for one group and day: the confidence a
/// candidate must reach for a given share of candidates to be kept.
///
/// Each bar takes a bisection of a hundred-odd normal tails, and most days
/// need none of them (the budget left is ample), so each is computed when
/// first asked for and kept. The slots are atomic so that worlds cloned
/// from one another (running on other threads) may share them: every
/// thread computes a slot to the same bits.
#[derive(Debug)]
pub(super) struct OnlineBar {
    /// Candidates expected per user-day in the group.
    pub(super) expected_per_user_day: f64,
    inputs: OnlineInputs,
    /// The candidates' share of situations, P(confidence ≥ 0).
    all: f64,
    /// `bars[i]`: the bits of the confidence the top i/64 of candidates
    /// reach, or [`OnlineBar::UNSET`] until asked for.
    bars: [AtomicU64; OnlineBar::LEVELS + 1],
}

/// What one group's real-time cap bars are computed from.
#[derive(Clone, Copy, Debug)]
pub(super) struct OnlineInputs {
    /// Situations expected per user-day.
    pub(super) situations_per_user_day: f64,
    /// Share of positives.
    pub(super) positive: f64,
    /// The model's separation.
    pub(super) dprime: f64,
    /// The decision threshold.
    pub(super) threshold: f64,
    /// Half-width of the abstain band.
    pub(super) band: f64,
    /// Candidates on both sides of the threshold (all situations surfaced).
    pub(super) both_sides: bool,
    /// Share of situations not held out for exploration.
    pub(super) kept_share: f64,
}

impl OnlineInputs {
    /// P(|score − threshold| ≥ y, on the candidate side(s)).
    fn tail(&self, y: f64) -> f64 {
        use crate::sim::stats::phi;
        let Self {
            positive,
            dprime,
            threshold,
            band,
            both_sides,
            ..
        } = *self;
        let y = y.max(band);
        let above = positive * phi(dprime - threshold - y) + (1.0 - positive) * phi(-threshold - y);
        let below = if both_sides {
            positive * phi(threshold - y - dprime) + (1.0 - positive) * phi(threshold - y)
        } else {
            0.0
        };
        above + below
    }

    /// The inputs bit for bit: equal keys, equal bars.
    fn key(&self) -> [u64; 7] {
        [
            self.situations_per_user_day.to_bits(),
            self.positive.to_bits(),
            self.dprime.to_bits(),
            self.threshold.to_bits(),
            self.band.to_bits(),
            u64::from(self.both_sides),
            self.kept_share.to_bits(),
        ]
    }
}

/// Recently made real-time cap bars by their inputs: groups alike, and days
/// whose model and base rate did not move, share one set, and so the bars
/// its days computed. A cache: the bars are the same either way.
#[derive(Clone, Debug, Default)]
pub(super) struct BarCache {
    /// The last few bars computed, newest last.
    recent: Vec<([u64; 7], Arc<OnlineBar>)>,
}

impl BarCache {
    /// Entries kept: both groups of both arms of an experiment.
    const ENTRIES: usize = 4;

    /// The bars of `inputs`, computed unless recently computed.
    pub(super) fn get(&mut self, inputs: OnlineInputs) -> Arc<OnlineBar> {
        let key = inputs.key();
        if let Some((_, bars)) = self.recent.iter().find(|(k, _)| *k == key) {
            return Arc::clone(bars);
        }
        let bars = Arc::new(OnlineBar::new(inputs));
        if self.recent.len() == Self::ENTRIES {
            self.recent.remove(0);
        }
        self.recent.push((key, Arc::clone(&bars)));
        bars
    }
}

impl OnlineBar {
    /// Steps of the share kept.
    pub(super) const LEVELS: usize = 64;
    /// A slot not computed yet (a NaN no bar is).
    const UNSET: u64 = u64::MAX;

    /// Whether candidate `k` (with its `truth`) of a user-day keyed by
    /// `world`, in a group the model separates by `dprime`, of `situations`
    /// situations, met with `surfaced` interventions already shown today,
    /// clears the bar (see [`UserDay::clears_online_bar`]).
    #[inline]
    fn clears(
        &self,
        cfg: &Config,
        (world, dprime, situations): (u64, f64, u32),
        (k, truth, surfaced): (u64, bool, u32),
    ) -> bool {
        let budget_left = f64::from(cfg.max_per_day.saturating_sub(surfaced));
        let time_of_day = (k as f64 + 1.0) / (f64::from(situations) + 1.0);
        let expected_left = 1.0 + self.expected_per_user_day * (1.0 - time_of_day);
        let share = budget_left / expected_left;
        share >= 1.0 || confidence(world, dprime, cfg, k, truth) >= self.at(share)
    }

    /// The bar that keeps at least `share` (in (0, 1)) of candidates.
    #[inline]
    fn at(&self, share: f64) -> f64 {
        let i = ((share * Self::LEVELS as f64).ceil() as usize).min(Self::LEVELS);
        match self.bars[i].load(Ordering::Relaxed) {
            Self::UNSET => {
                let bar = self.level(i);
                self.bars[i].store(bar.to_bits(), Ordering::Relaxed);
                bar
            }
            bits => f64::from_bits(bits),
        }
    }

    /// The bars for candidates whose scores are a mixture of negatives
    /// N(0, 1) and a share `positive` of positives N(d′, 1): those at or
    /// above `threshold + band`, and below `threshold − band` too when
    /// `both_sides`; a candidate's confidence is |score − threshold|.
    pub(super) fn new(inputs: OnlineInputs) -> Self {
        let all = inputs.tail(inputs.band);
        let bars = std::array::from_fn(|i| match i {
            0 => AtomicU64::new(f64::INFINITY.to_bits()),
            Self::LEVELS => AtomicU64::new(0.0_f64.to_bits()),
            _ => AtomicU64::new(Self::UNSET),
        });
        Self {
            expected_per_user_day: inputs.situations_per_user_day * inputs.kept_share * all,
            inputs,
            all,
            bars,
        }
    }

    /// Bar `i` (0 < i < LEVELS): the largest confidence y whose tail keeps
    /// at least i/64 of candidates, by bisection.
    fn level(&self, i: usize) -> f64 {
        let share = i as f64 / Self::LEVELS as f64;
        let (mut lo, mut hi) = (0.0, 40.0);
        for _ in 0..60 {
            let mid = 0.5 * (lo + hi);
            if self.inputs.tail(mid) >= share * self.all {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        lo
    }
}

/// Buffers one user-day may need, reused from user to user.
#[derive(Clone, Debug, Default)]
pub(super) struct Buffers {
    /// Confidences of a day's candidate interventions (a binding cap that
    /// keeps the most confident).
    scratch: Vec<f64>,
    /// Classified situations of a day of more than 64.
    masks: Vec<DayMasks>,
}

/// What a user-day's situations are worth, with the system and alone.
#[derive(Clone, Copy, Default)]
struct Outcomes {
    value: f64,
    harm: f64,
    cf_value: f64,
    cf_harm: f64,
}

/// How far situation `k`'s score lies from the threshold, for a user-day
/// whose world draws are keyed by `world` and whose group's model
/// separates by `dprime`.
#[inline]
fn confidence(world: u64, dprime: f64, cfg: &Config, k: u64, truth: bool) -> f64 {
    let noise_u = rng::unit53(world_draw(world, k, Draw::Noise));
    let shift = if truth { dprime } else { 0.0 };
    (phi_inv_fast(noise_u) + shift - cfg.threshold).abs()
}

/// The confidence a candidate must reach under a binding cap that keeps the
/// `max_per_day` most confident of the day's candidates in `masks`.
#[cold]
#[inline(never)]
fn cap_cutoff(
    scratch: &mut Vec<f64>,
    (world, dprime): (u64, f64),
    cfg: &Config,
    masks: &[DayMasks],
) -> f64 {
    scratch.clear();
    for (c, m) in masks.iter().enumerate() {
        for j in ones(m.eligible) {
            let truth = m.truth >> j & 1 == 1;
            let k = 64 * c as u64 + u64::from(j);
            scratch.push(confidence(world, dprime, cfg, k, truth));
        }
    }
    let cap = cfg.max_per_day as usize;
    let (_, kth, _) = scratch.select_nth_unstable_by(cap - 1, |a, b| b.total_cmp(a));
    *kth
}

impl UserDay<'_> {
    /// Settles and counts one word of the day (situations from `base`):
    /// pass two over its situations, then its counts and outcomes, with the
    /// system and alone (the counterfactual), from its masks.
    #[allow(clippy::too_many_arguments)]
    #[inline(always)]
    fn word(
        &self,
        cfg: &Config,
        m: &DayMasks,
        base: u64,
        user: &mut UserToday,
        out: &mut Outcomes,
        t: &mut Tally,
    ) {
        let mut acted = m.alone;
        // Misses the system was silent about (a positive it decided
        // against that the user would not catch alone).
        let silent_candidates = if self.system_on {
            m.truth & !m.predicted & !m.abstain & !m.alone
        } else {
            0
        };
        let todo = m.eligible | silent_candidates;
        if todo != 0 {
            acted = self.settle_word(cfg, m, base, todo, acted, user, t);
        }

        // (Counts are u32 until they are summed: u32 converts to f64 in
        // one instruction, u64 in many.)
        let pc = |x: u64| x.count_ones();
        let valid = m.valid;
        let act = acted & valid;
        let counts = &mut t.counts[self.group];
        counts.situations += u64::from(pc(valid));
        // A word without positives, predictions, abstentions or actions
        // (most of them) adds nothing more: every other count and sum below
        // is of one of these masks.
        if (m.truth | m.predicted | m.abstain | act | m.own) == 0 {
            return;
        }
        let pos = m.truth;
        let decided = valid & !m.abstain;
        let pred = m.predicted;
        let own = m.own;
        let (acted_pos, acted_all) = (pc(pos & act), pc(act));
        let (own_pos, own_all) = (pc(pos & own), pc(own));
        let add = |count: &mut u64, x: u32| *count += u64::from(x);
        add(&mut counts.positives, pc(pos));
        add(&mut counts.abstained, pc(m.abstain));
        add(&mut counts.held_out, pc(m.held_out));
        add(&mut counts.positives_decided, pc(decided & pos));
        add(&mut counts.predicted, pc(decided & pred));
        add(&mut counts.true_positives, pc(decided & pos & pred));
        add(&mut counts.acted, acted_all);
        add(&mut counts.acted_positives, acted_pos);
        add(&mut counts.own_acted, own_all);
        add(&mut counts.own_acted_positives, own_pos);
        // Positives the model left unflagged that the user would catch
        // alone, and of those the ones caught while the system ran.
        let unflagged_own = pos & !pred & own;
        t.unflagged_own_caught += u64::from(pc(unflagged_own));
        t.unflagged_caught += u64::from(pc(unflagged_own & act));
        out.value += cfg.value_correct_action * f64::from(acted_pos);
        out.harm += cfg.false_action_cost * f64::from(acted_all - acted_pos);
        out.cf_value += cfg.value_correct_action * f64::from(own_pos);
        out.cf_harm += cfg.false_action_cost * f64::from(own_all - own_pos);
        // Misses: the stake is exponential around the mean harm.
        for j in ones(pos & !(act & own)) {
            let bit = 1u64 << j;
            let k = base + u64::from(j);
            let h = cfg.missed_harm * -(1.0 - self.stake_u(k)).ln();
            let is_incident = |h: f64| h >= cfg.incident_harm && h > 0.0;
            if act & bit == 0 {
                // The cap works with its reliability (people draw 4k + 3's
                // second half, unused elsewhere), asked only when it matters.
                let h = match cfg.harm_cap {
                    Some(cap)
                        if self.system_running
                            && h > cap.cap
                            && rng::keyed_pair(self.people, 4 * k + 3).1 < cap.reliability =>
                    {
                        cap.cap
                    }
                    _ => h,
                };
                out.harm += h;
                t.incidents += u64::from(is_incident(h));
            }
            if own & bit == 0 {
                out.cf_harm += h;
                t.cf_incidents += u64::from(is_incident(h));
            }
        }
    }
}

/// One user's day (user `i` of `pop`). Returns true if the user leaves at
/// its end.
///
/// Two passes. The first draws every situation of the day and classifies
/// it into bit masks (truth, prediction, abstention, the user's own
/// judgment) without branches. The second walks, in order, only the
/// situations that can change the user: candidates the system may surface
/// and misses it stayed silent about. Each word's counts then come from its
/// masks by popcount. Same draws, same order of state changes as a plain
/// loop. Days of up to 64 situations (nearly all) keep their one word in
/// registers; longer days go through `bufs`.
///
/// `STEADY` and `ALIKE` say what the day's users share (see [`Shared`]):
/// with `STEADY` the kernel neither reads nor writes a user's switch; with
/// `ALIKE` (which implies `STEADY`) it reads no group or skill but takes
/// `alike`'s, which it does not read otherwise.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
pub(super) fn user_day<const STEADY: bool, const ALIKE: bool>(
    pop: &mut PopSlices,
    i: usize,
    bufs: &mut Buffers,
    (world_key, people_key): (u64, u64),
    dprime: [f64; 2],
    design: &mut DesignDay,
    alike: Alike,
) -> bool {
    let DesignDay {
        cfg,
        system_on,
        cuts,
        skill_cuts,
        tally: t,
        ..
    } = design;
    let (cfg, system_on, cuts): (&Config, bool, &DayCuts) = (cfg, *system_on, cuts);
    let id = u64::from(pop.id[i]);
    let (g, own, agreement_weight) = if ALIKE {
        (0, alike.own, alike.agreement_weight)
    } else {
        let skill = pop.skill[i];
        let own = skill_cuts.of(cfg, skill);
        (
            usize::from(pop.group[i] != 0),
            own,
            agreement_weight(cfg, skill),
        )
    };
    // A user who switched the feature off decides alone (disuse); the
    // organization's guardrails outside the model still run.
    let switched_off = !STEADY && pop.switched_off[i] != 0;
    let feature_on = system_on && !switched_off;
    let reliance = f64::from(pop.reliance[i]);
    // (Alike users without complacency share the day's cuts.)
    let word_cuts = match alike.word_cuts {
        Some(fixed) if ALIKE => fixed,
        _ => WordCuts {
            truth: cuts.truth[g],
            score: cuts.score[g],
            own: own.cuts,
            alone_positive: alone_positive(cfg, own, feature_on, reliance),
        },
    };

    // Every draw is counter-based, keyed by (day, user) and the draw's
    // number: situation k uses world draws 3k (truth, own judgment),
    // 3k + 1 (score noise), 3k + 2 (stake, exploration; see `Draw`) and
    // people draws 4k … 4k + 3; world draw u64::MAX is the day's number
    // of situations and people draw u64::MAX whether the user leaves. So
    // each has its value whatever else a design draws.
    let world = rng::sub_key(world_key, id);
    let mut day = UserDay {
        world,
        people: 0,
        situations: cfg.situations.sample(rng::keyed_u64(world, u64::MAX)),
        group: g,
        system_on: feature_on,
        system_running: system_on,
        dprime: dprime[g],
        cutoff: f64::NEG_INFINITY,
        online: cuts.online.as_ref().map(|bars| &*bars[g]),
        agreement_weight,
    };
    let n = day.situations;
    let mut user = UserToday {
        trust: f64::from(pop.trust[i]),
        reliance,
        fatigue: f64::from(pop.fatigue[i]),
        annoyance: 0.0,
        minutes: 0.0,
        surfaced: 0,
    };
    let mut out = Outcomes::default();

    // A binding cap that keeps the most confident candidates sets the
    // day's cutoff (a cap of 0 surfaces nothing whatever the cutoff).
    // (The kind of cap is tested first: the same for every user, it
    // predicts well, and the count is not needed without it.)
    let binds = |c: u32| {
        cfg.cap_keeps == CapKeeps::MostConfident && c > cfg.max_per_day && cfg.max_per_day > 0
    };
    if n <= 64 {
        // Pass one, then two, on the day's one word.
        let m = day.classify_word(0, cuts, word_cuts);
        // (Keyed after pass one, which does not need it.)
        day.people = rng::sub_key(people_key, id);
        if binds(m.eligible.count_ones()) {
            day.cutoff = cap_cutoff(&mut bufs.scratch, (day.world, day.dprime), cfg, &[m]);
        }
        day.word(cfg, &m, 0, &mut user, &mut out, t);
    } else {
        // (A loop, not `extend` with a closure: a reference to `day` in
        // code not inlined would keep the whole day in memory.)
        bufs.masks.clear();
        for base in (0..u64::from(n)).step_by(64) {
            let m = day.classify_word(base, cuts, word_cuts);
            bufs.masks.push(m);
        }
        day.people = rng::sub_key(people_key, id);
        let candidates: u32 = bufs.masks.iter().map(|m| m.eligible.count_ones()).sum();
        if binds(candidates) {
            day.cutoff = cap_cutoff(&mut bufs.scratch, (day.world, day.dprime), cfg, &bufs.masks);
        }
        for (c, m) in bufs.masks.iter().enumerate() {
            day.word(cfg, m, 64 * c as u64, &mut user, &mut out, t);
        }
    }

    // End of the day: experience becomes sentiment; fatigue fades.
    let UserToday {
        trust,
        reliance,
        fatigue,
        annoyance,
        minutes,
        ..
    } = user;
    let Outcomes {
        value,
        harm,
        cf_value,
        cf_harm,
    } = out;
    let net = value - harm - minutes * cfg.value_per_minute;
    let experienced = cfg.baseline_value + net;
    let mut sentiment = f64::from(pop.sentiment[i]);
    sentiment += cfg.sentiment_rate * (softsign(experienced * cfg.per_sentiment_scale) - sentiment);
    let fatigue = fatigue * (1.0 - cfg.fatigue_recovery);
    let trust = trust.clamp(0.0, 1.0);
    // A day the feature ran for the user builds reliance on its silence.
    let reliance = if feature_on {
        reliance + cfg.reliance_gain_per_day * (1.0 - reliance)
    } else {
        reliance
    }
    .clamp(0.0, 1.0);
    pop.trust[i] = trust as f32;
    pop.reliance[i] = reliance as f32;
    pop.fatigue[i] = fatigue as f32;
    pop.sentiment[i] = sentiment as f32;
    t.value += value;
    t.harm += harm;
    t.minutes += minutes;
    t.cf_value += cf_value;
    t.cf_harm += cf_harm;

    // Only unhappy users may leave. The draw is made for everyone (it is
    // keyed, so drawing it changes nothing) to spare a branch on the sign
    // of sentiment, which varies unpredictably from user to user.
    let (u_leave, u_switch) = rng::keyed_pair(day.people, u64::MAX);
    let leaves = u_leave < cfg.churn_per_day * -sentiment;
    // Disuse: unwanted interruptions, more so from a distrusted system,
    // may get the feature switched off; a user who switched it off may
    // turn it back on. (Decided only while the system runs: a shutdown
    // is not the user's doing.)
    // (On a steady day nobody is switched off, and nobody switches.)
    let mut switched_off = switched_off;
    if system_on && !STEADY {
        let switch = if switched_off {
            u_switch < cfg.return_per_day
        } else {
            u_switch < cfg.disuse_per_annoyance * annoyance * (1.0 - trust)
        };
        switched_off ^= switch;
        pop.switched_off[i] = u8::from(switched_off);
    }
    // Those who stay are counted (leaving is rare: this predicts well).
    if !leaves {
        t.switched_off += u64::from(switched_off);
        t.trust_sum += trust;
        t.reliance_sum += reliance;
        t.fatigue_sum += fatigue;
        t.sentiment_sum += sentiment;
        t.positive_sentiment_sum += sentiment.max(0.0);
    }
    leaves
}
