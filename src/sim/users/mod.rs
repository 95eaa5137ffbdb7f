//! The user world: a population meeting a model through an interaction design.
//!
//! One step is one day. For every active user: situations arrive (Poisson),
//! each with a hidden truth; the binormal model scores it; the design decides
//! whether the prediction is surfaced, how forcefully, and how often; the
//! user notices, follows, ignores, overrides or reports it according to trust,
//! fatigue and their own judgment; outcomes are booked for the user and the
//! organization, and the same situation is decided by the user alone as the
//! counterfactual. At the end of the day trust, fatigue and sentiment move,
//! some users leave, others arrive, and the model may be retrained on the
//! labels telemetry gathered.
//!
//! Owns: the world's state and the order of a day: [`UsersWorld`], the day
//! split into parts ([`UsersWorld::step_part`]), and the start and end of a
//! day (lifecycle events, the day's cut points, arrivals, labels and
//! retraining). Randomness is keyed by (user id, day) so two designs on one
//! seed meet the same world. The rest lives beside it, by concern:
//!
//! - `config`: the validated parameters, read once per change;
//! - `population`: the users, a struct of arrays (about 26 bytes per user);
//! - `model`: the model's lifecycle (d′ as deployed, trained and drifted; labels);
//! - `kernel`: one user's day, classified into bit masks and settled;
//! - `tally`: the day's counts and sums, and the row of measures from them;
//! - `arms`: a randomized experiment's two designs in this one world;
//! - `params`, `measures`: the parameter and metric tables, the row's columns.

mod arms;
mod config;
mod kernel;
mod measures;
mod model;
mod params;
mod population;
mod tally;

pub use arms::{Arms, experiment_metrics};
pub use params::{
    ActionsBilled, CapKeeps, HEADLINES, KEY_MEASURES, METRICS, Mode, ModelSpec, PARAMS, Surface,
};
pub use population::Population;

use super::rng::{self, Stream};
use super::stats::{auc_from_dprime, phi};
use super::{Event, EventKind, ParamValues};
use config::Config;
use kernel::{Alike, BarCache, DayCuts, OnlineInputs, Shared, SkillCuts};
use model::ModelState;
use tally::{DayTables, GroupCounts, Tally};

/// The user world.
#[derive(Clone, Debug)]
pub struct UsersWorld {
    cfg: Config,
    seed: u64,
    pop: Population,
    next_id: u32,
    model: ModelState,
    profit_cumulative: f64,
    system_off_until: u32,
    incidents_yesterday: u64,
    /// Buffers of the kernel, reused from user to user.
    bufs: kernel::Buffers,
    /// The real-time cap's bars of recent days, by their inputs.
    bars: BarCache,
    /// Per-group model and decision counts of the last [`GAP_WINDOW_DAYS`] days.
    window: [GroupCounts; GAP_WINDOW_DAYS],
    /// The day being simulated in parts, if any.
    partial: Option<DayInProgress>,
    /// A randomized experiment running in this world, if any.
    arms: Option<Box<arms::Arms>>,
}

/// Days over which fairness gaps are measured (a single day is too noisy).
pub const GAP_WINDOW_DAYS: usize = 30;

/// A day partly simulated: its constants, tallies so far and the next user.
#[derive(Clone, Debug)]
struct DayInProgress {
    day: u32,
    dprime: [f64; 2],
    keys: (u64, u64),
    cursor: usize,
    /// The world's design today (arm A's while an experiment runs).
    a: DesignDay,
    /// Arm B's day while an experiment runs.
    b: Option<Box<DesignDay>>,
}

/// One design's day: its constants, what the kernel keeps from user to
/// user, and its tally so far.
#[derive(Clone, Debug)]
struct DesignDay {
    cfg: Config,
    /// The system runs today (not shut down, not disabled).
    system_on: bool,
    cuts: DayCuts,
    skill_cuts: SkillCuts,
    /// What the day's users share: the world's design runs the kernel made
    /// for it. (Nothing for arm B: an experiment's users take the general
    /// kernel.)
    shared: Shared,
    tally: Tally,
}

impl UsersWorld {
    /// A world at day 0.
    pub fn new(params: &ParamValues, seed: u64) -> Self {
        let cfg = Config::from_params(params);
        let mut pop = Population::default();
        let n = cfg.users;
        let cap = cfg.population_cap();
        for v in [
            &mut pop.skill,
            &mut pop.trust,
            &mut pop.reliance,
            &mut pop.fatigue,
            &mut pop.sentiment,
        ] {
            v.reserve(n as usize);
        }
        pop.id.reserve(n as usize);
        pop.group.reserve(n as usize);
        pop.switched_off.reserve(n as usize);
        for id in 0..n {
            pop.push(id, seed, &cfg);
        }
        debug_assert!(pop.len() <= cap);
        Self {
            model: ModelState::new(&cfg),
            cfg,
            seed,
            pop,
            next_id: n,
            profit_cumulative: 0.0,
            system_off_until: 0,
            incidents_yesterday: 0,
            bufs: kernel::Buffers::default(),
            bars: BarCache::default(),
            window: [GroupCounts::default(); GAP_WINDOW_DAYS],
            partial: None,
            arms: None,
        }
    }

    /// Starts a randomized experiment from the next day: a share `share_b`
    /// of users (by a keyed hash of their id, so each keeps their arm and
    /// sign-ups get one) live under `params_b`'s design, the others under the
    /// world's own; both share the model, its retraining, word of mouth and
    /// the shutdown rule. Per user it sums the per-user form of metric
    /// column `metric`. False (and nothing changes) if that metric has no
    /// per-user form (see [`experiment_metrics`]) or a day is in progress.
    /// With `share_b` 0 the world runs exactly as without an experiment.
    pub fn start_experiment(
        &mut self,
        params_b: &ParamValues,
        share_b: f64,
        metric: usize,
    ) -> bool {
        if self.partial.is_some() {
            return false;
        }
        match arms::Arms::new(params_b, share_b, metric, self.seed) {
            Some(a) => {
                self.arms = Some(Box::new(a));
                true
            }
            None => false,
        }
    }

    /// The experiment running in this world, if any.
    pub fn experiment(&self) -> Option<&arms::Arms> {
        self.arms.as_deref()
    }

    /// Applies new parameter values from the next day on. A change in the
    /// model's quality redeploys the model at that quality.
    pub fn configure(&mut self, params: &ParamValues) {
        let cfg = Config::from_params(params);
        if !cfg.same_model(&self.cfg) {
            self.model.dprime_base = cfg.dprime_deployed;
            self.model.dprime_trained = cfg.dprime_deployed;
            self.model.days_since_training = 0;
        }
        self.cfg = cfg;
    }

    /// The population, for views.
    pub fn population(&self) -> &Population {
        &self.pop
    }

    /// The model's current separation d′ per group.
    pub fn dprime(&self) -> [f64; 2] {
        self.model.dprime_today(&self.cfg)
    }

    /// The decision threshold, in σ of the negatives.
    pub fn threshold(&self) -> f64 {
        self.cfg.threshold
    }

    /// Simulates part of day `day`: at most `max_users` more users. Returns
    /// true when the day is complete and its measures are in `out`. The
    /// result is the same however the day is split.
    pub fn step_part(
        &mut self,
        day: u32,
        max_users: usize,
        out: &mut [f64],
        events: &mut Vec<Event>,
    ) -> bool {
        // A day once begun is finished before another starts: part of the
        // population has already lived it.
        let mut d = match self.partial.take() {
            Some(d) => {
                debug_assert_eq!(d.day, day, "day {} is still in progress", d.day);
                d
            }
            None => self.begin_day(day, events),
        };
        let mut done = 0;
        if let (Some(arms), Some(b)) = (self.arms.take(), d.b.take()) {
            let (arms, b) = self.experiment_part(&mut d, arms, b, max_users);
            self.arms = Some(arms);
            d.b = Some(b);
            done = max_users;
        }
        let rest = max_users - done;
        let (cursor, keys, dprime, a) = (d.cursor, d.keys, d.dprime, &mut d.a);
        d.cursor = match a.shared {
            Shared {
                alike: Some(alike), ..
            } => self.users_part::<true, true>(cursor, rest, keys, dprime, a, alike),
            Shared { steady: true, .. } => {
                self.users_part::<true, false>(cursor, rest, keys, dprime, a, Alike::UNSET)
            }
            _ => self.users_part::<false, false>(cursor, rest, keys, dprime, a, Alike::UNSET),
        };
        if d.cursor < self.pop.len() {
            self.partial = Some(d);
            return false;
        }
        self.finish_day(d, out, events);
        true
    }

    /// [`Self::step_part`]'s loop: users from `cursor` on, at most
    /// `max_users` of them; returns the next user's index. The kernel is
    /// inlined here, so the day's constants are read once per part rather
    /// than once per user, and it indexes the population's arrays cut to
    /// one length, without bounds checks; a user who leaves ends that view,
    /// is removed (the last user takes their place) and a new one begins.
    /// `STEADY`, `ALIKE`: the kernel for what the day's users share (see
    /// [`Shared`]); `alike` is read only with `ALIKE`. (Not inlined into
    /// `step_part`: each version keeps its own frame and registers rather
    /// than sharing one function's spills with the others.)
    #[inline(never)]
    fn users_part<const STEADY: bool, const ALIKE: bool>(
        &mut self,
        mut cursor: usize,
        max_users: usize,
        keys: (u64, u64),
        dprime: [f64; 2],
        design: &mut DesignDay,
        alike: Alike,
    ) -> usize {
        debug_assert!(!STEADY || design.shared.steady);
        debug_assert!(!ALIKE || design.shared.alike.is_some());
        let mut left = max_users;
        loop {
            let mut pop = self.pop.slices();
            // The view ends at the part's last user or the next departure.
            let (start, end) = (cursor, pop.len().min(cursor.saturating_add(left)));
            let mut leaving = false;
            while cursor < end {
                leaving = kernel::user_day::<STEADY, ALIKE>(
                    &mut pop,
                    cursor,
                    &mut self.bufs,
                    keys,
                    dprime,
                    design,
                    alike,
                );
                if leaving {
                    break;
                }
                cursor += 1;
            }
            left -= cursor - start + usize::from(leaving);
            if !leaving {
                return cursor;
            }
            self.pop.swap_remove(cursor);
            design.tally.departures += 1;
        }
    }

    /// [`Self::step_part`]'s loop while an experiment runs: each user lives
    /// the day under their arm's design and into their arm's tally, and
    /// their part of the experiment's measure is added to their sums.
    fn experiment_part(
        &mut self,
        d: &mut DayInProgress,
        mut arms: Box<arms::Arms>,
        mut b: Box<DesignDay>,
        max_users: usize,
    ) -> (Box<arms::Arms>, Box<DesignDay>) {
        let mut done = 0;
        while d.cursor < self.pop.len() && done < max_users {
            let id = self.pop.id[d.cursor];
            let in_b = arms.in_b(id);
            let design = if in_b { &mut *b } else { &mut d.a };
            let before = arms.reading(&design.tally, &design.cfg);
            let leaves = kernel::user_day::<false, false>(
                &mut self.pop.slices(),
                d.cursor,
                &mut self.bufs,
                d.keys,
                d.dprime,
                design,
                Alike::UNSET,
            );
            design.tally.users_at_start += 1;
            arms.record(id, before, &design.tally, &design.cfg, leaves);
            if leaves {
                self.pop.swap_remove(d.cursor);
                design.tally.departures += 1;
            } else {
                d.cursor += 1;
            }
            done += 1;
        }
        (arms, b)
    }
}

impl UsersWorld {
    /// True while a day is partly simulated.
    pub fn day_in_progress(&self) -> bool {
        self.partial.is_some()
    }

    /// Start-of-day work: lifecycle events and the day's derived constants.
    fn begin_day(&mut self, day: u32, events: &mut Vec<Event>) -> DayInProgress {
        let cfg = self.cfg.clone();
        // Lifecycle events that happen at the start of the day.
        if cfg.shift_day != 0 && day == cfg.shift_day {
            for g in 0..2 {
                self.model.dprime_base[g] *= 1.0 - cfg.shift_quality_loss;
                self.model.dprime_trained[g] *= 1.0 - cfg.shift_quality_loss;
            }
            self.model.forget_old_world();
            events.push(Event {
                day,
                kind: EventKind::WorldShift,
            });
        }
        if let Some((limit, days)) = cfg.shutdown
            && self.incidents_yesterday >= limit
            && day >= self.system_off_until
        {
            self.system_off_until = day + days;
            events.push(Event {
                day,
                kind: EventKind::Shutdown,
            });
        }
        if self.system_off_until != 0 && day == self.system_off_until {
            events.push(Event {
                day,
                kind: EventKind::Restored,
            });
        }
        let system_on = cfg.enabled && day >= self.system_off_until;
        let dprime = self.model.dprime_today(&cfg);
        let cuts = day_cuts(&cfg, dprime, day, system_on, &mut self.bars);

        // While an experiment runs each arm counts its own users.
        let tally = Tally {
            users_at_start: if self.arms.is_some() {
                0
            } else {
                self.pop.len() as u64
            },
            ..Tally::default()
        };
        let b = self.arms.as_ref().map(|a| {
            let cfg = a.cfg_b.clone();
            let system_on = cfg.enabled && day >= self.system_off_until;
            Box::new(DesignDay {
                system_on,
                cuts: day_cuts(&cfg, dprime, day, system_on, &mut self.bars),
                cfg,
                skill_cuts: SkillCuts::NONE,
                shared: Shared::NOTHING,
                tally: Tally::default(),
            })
        });
        let keys = (
            rng::key2(self.seed, Stream::Situations, u64::from(day)),
            rng::key2(self.seed, Stream::People, u64::from(day)),
        );
        DayInProgress {
            day,
            dprime,
            keys,
            cursor: 0,
            a: DesignDay {
                shared: if self.arms.is_none() {
                    Shared::of(&cfg, &self.pop, &cuts, system_on)
                } else {
                    Shared::NOTHING
                },
                cfg,
                system_on,
                cuts,
                skill_cuts: SkillCuts::NONE,
                tally,
            },
            b,
        }
    }

    /// End-of-day work: arrivals, telemetry, retraining, measures.
    fn finish_day(&mut self, d: DayInProgress, out: &mut [f64], events: &mut Vec<Event>) {
        let DayInProgress {
            day,
            dprime,
            a:
                DesignDay {
                    cfg,
                    system_on,
                    tally: t,
                    ..
                },
            b,
            ..
        } = d;
        // While an experiment runs, `t` is arm A's: the world's is both arms'.
        let mut arms = self.arms.take();
        let arm_days = b.map(|b| (t, b));
        let t = match &arm_days {
            Some((a, b)) => {
                let mut all = *a;
                all.add(&b.tally);
                all
            }
            None => t,
        };
        let tables = DayTables::of(&t.counts);

        // Arrivals.
        let mut arrivals = 0u64;
        {
            let mut r = rng::stream(self.seed, Stream::Arrivals, u64::from(day), 0);
            let mean = cfg.signups_per_day + cfg.word_of_mouth * t.positive_sentiment_sum;
            let wanted = rng::poisson(&mut r, mean);
            let room = cfg.population_cap().saturating_sub(self.pop.len()) as u64;
            for _ in 0..wanted.min(room) {
                let id = self.next_id;
                self.next_id = self.next_id.wrapping_add(1);
                self.pop.push(id, self.seed, &cfg);
                arrivals += 1;
                if let Some(a) = arms.as_deref_mut() {
                    a.arrivals[usize::from(a.in_b(id))] += 1;
                }
            }
        }

        // Telemetry becomes labels; retraining on a cadence.
        let telemetry_labels = t.flagged as f64;
        // Hold-outs teach the model only while it runs.
        let random_labels = if system_on {
            tables.held_out as f64
        } else {
            0.0
        };
        self.model
            .gather_labels(day, telemetry_labels, random_labels, &cfg);
        self.model.days_since_training += 1;
        if cfg.retrain_every_days > 0
            && day.is_multiple_of(cfg.retrain_every_days)
            && self.model.retrain(&cfg)
        {
            events.push(Event {
                day: day + 1,
                kind: EventKind::Retrained {
                    auc: auc_from_dprime(self.model.dprime_trained[0]),
                },
            });
        }
        // The shutdown rule watches the system: incidents of days it was off
        // (people deciding alone) do not re-trigger it.
        self.incidents_yesterday = if system_on { t.incidents } else { 0 };

        self.window[day as usize % GAP_WINDOW_DAYS] = GroupCounts {
            model: tables.pred_by_group,
            decisions: tables.decided_by_group,
        };
        self.write_measures(&t, &tables, &cfg, system_on, dprime, arrivals, out);
        if let (Some(mut a), Some((ta, b))) = (arms, arm_days) {
            self.write_arm_measures(
                &mut a,
                [(&ta, &cfg, system_on), (&b.tally, &b.cfg, b.system_on)],
                dprime,
            );
            self.arms = Some(a);
        }
    }

    /// Each arm's row of the day, written as the world's own from the arm's
    /// tally (each arm keeps its own cumulative profit); active users are
    /// the arm's.
    fn write_arm_measures(
        &mut self,
        a: &mut arms::Arms,
        arm_days: [(&Tally, &Config, bool); 2],
        dprime: [f64; 2],
    ) {
        let world_profit = self.profit_cumulative;
        let mut active = [0; 2];
        for (k, (t, cfg, system_on)) in arm_days.into_iter().enumerate() {
            let tables = DayTables::of(&t.counts);
            self.profit_cumulative = a.profit_cumulative[k];
            let mut row = std::mem::take(&mut a.rows[k]);
            self.write_measures(t, &tables, cfg, system_on, dprime, a.arrivals[k], &mut row);
            active[k] = t.users_at_start - t.departures + a.arrivals[k];
            row[measures::LEADING_ACTIVE_USERS] = active[k] as f64;
            a.rows[k] = row;
            a.profit_cumulative[k] = self.profit_cumulative;
        }
        self.profit_cumulative = world_profit;
        a.arrivals = [0; 2];
        a.set_active(active);
    }
}

/// The day's cut points of design `cfg` with the model at `dprime`.
fn day_cuts(
    cfg: &Config,
    dprime: [f64; 2],
    day: u32,
    system_on: bool,
    bars: &mut BarCache,
) -> DayCuts {
    // Score = noise + d′·truth with noise ~ N(0, 1). Drawing the noise as
    // Φ⁻¹(u) makes "score below threshold − band" the event u < Φ(t − band
    // − d′·truth), and "above threshold + band" u ≥ Φ(t + band − d′·truth):
    // the binormal model exactly, with one uniform per situation.
    // The comparisons are made on the draws' integer bits (exactly the
    // same events, see `rng::unit_cut`).
    let cut = |g: usize, truth: bool| {
        let shift = cfg.threshold - if truth { dprime[g] } else { 0.0 };
        (
            rng::unit_cut53(phi(shift - cfg.abstain_band)),
            rng::unit_cut53(phi(shift + cfg.abstain_band)),
        )
    };
    let score = |g: usize| [cut(g, false), cut(g, true)];
    let drift = (1.0 + cfg.base_rate_drift_per_day * f64::from(day - 1)).max(0.0);
    let base_rate = |g: usize| rng::unit_cut32((cfg.base_rate[g] * drift).min(1.0));
    let score = [score(0), score(1)];
    let surface_unpredicted = cfg.surface_all && cfg.mode != Mode::Automate;
    // The real-time cap needs, per group, the candidates expected per
    // user-day and the confidence bars by share kept (computed as asked
    // for, and shared while their inputs stay the same).
    let online =
        (system_on && cfg.cap_keeps == CapKeeps::Online && cfg.max_per_day > 0).then(|| {
            [0, 1].map(|g| {
                bars.get(OnlineInputs {
                    situations_per_user_day: cfg.situations_mean,
                    positive: (cfg.base_rate[g] * drift).min(1.0),
                    dprime: dprime[g],
                    threshold: cfg.threshold,
                    band: cfg.abstain_band,
                    both_sides: surface_unpredicted,
                    kept_share: 1.0 - cfg.explore_share,
                })
            })
        });
    DayCuts {
        truth: [base_rate(0), base_rate(1)],
        score,
        no_band: score.map(|s| s.iter().all(|(below, above)| below == above)),
        explore: rng::unit_cut32(cfg.explore_share),
        surface_unpredicted,
        online,
        head: kernel::classify_head(cfg.situations_mean),
    }
}

#[cfg(test)]
mod tests;
