//! Recommendations that trade today's engagement against long-term
//! satisfaction: RecSim's "chocolate versus kale" world, with churn.
//!
//! This module owns the recommender world: a population of users, each with
//! a hidden satisfaction state, and a recommender that chooses, item by item,
//! between *chocolate* (clickbait: engaging now, corrosive later) and *kale*
//! (less engaging, builds satisfaction).
//!
//! # Dynamics (per consumed item, as in RecSim's long-term-satisfaction user)
//! - An item has a clickbait score `c` in [0, 1] (chocolate's and kale's are
//!   parameters, 1 and 0 by default).
//! - Engagement (seconds watched) is log-normal:
//!   `ln e ~ N((c·μ_choc + (1 − c)·μ_kale)·SAT, c·σ_choc + (1 − c)·σ_kale)`.
//!
//! # Two scales of engagement
//! RecSim draws and reports engagement on the log scale: its chocolate's 5
//! and kale's 4 are means of `ln e`. The seconds measures here
//! (`model.observed_engagement_per_item`, `leading.engagement_*`, revenue)
//! are sums of `e` itself, whose mean is `e^(μ + σ²/2)`: at full
//! satisfaction and σ = 1 that is about 245 s for chocolate (median e⁵ ≈
//! 148 s) and 90 s for kale (median 55 s). `model.log_engagement_per_item` is
//! the mean of `ln e` over the day's items, to compare with RecSim's
//! published figures directly: it equals the day's mean of
//! `(c·μ_choc + (1 − c)·μ_kale)·SAT` up to sampling noise.
//! `people.engagement_scale` multiplies every item's seconds (and so the
//! seconds measures and revenue, not the log measure; the figures above are
//! at its RecSim value of 1): RecSim sets relative sizes, not a service's
//! listening time, and the scale changes no choice, satisfaction or churn,
//! only the size of the seconds.
//!
//! # Dynamics, continued
//! - The net positive exposure moves with a memory discount γ:
//!   `NPE ← γ·NPE − 2(c − ½) + N(0, σ_innov)`, and satisfaction is
//!   `SAT = 1 / (1 + e^(−sensitivity·NPE))`.
//!
//! So chocolate raises today's engagement (its mean is higher) and lowers
//! satisfaction, which scales every later item's engagement. With a low
//! sensitivity (RecSim's default 0.01) satisfaction barely moves and
//! clickbait wins; with a higher one it costs engagement and users.
//!
//! # Additions to RecSim
//! - **Days and churn.** Each active user consumes `world.items_per_day`
//!   items a day, then leaves for good with probability
//!   `churn_max / (1 + e^((SAT − churn_midpoint) / churn_spread))`: unhappy
//!   users leave, happy ones mostly stay. New users may arrive (Poisson).
//! - **Forcefulness.** Each item comes from the recommender with probability
//!   `f`; otherwise the user picks it, choosing chocolate with their own
//!   share.
//! - **Policies.** `myopic` serves whichever kind has the higher expected
//!   engagement for this user right now (it reads their satisfaction; with
//!   the defaults it always serves chocolate). `fixed_mix` serves chocolate
//!   with a set probability. `long_term` serves the mix that maximizes the
//!   engagement a user gives over the planning horizon once their
//!   satisfaction has settled (steady state of the mean dynamics, counting
//!   the churn that satisfaction implies); see [`SteadyState`].
//!
//! # The lesson
//! At the default sensitivity (0.05) a clickbait-heavy mix wins engagement
//! per active user and total engagement over the first month, yet loses more
//! than a third of total engagement and revenue over two years and keeps far
//! fewer users: the leading indicator points the wrong way. The tests pin
//! these numbers.
//!
//! Source: E. Ie et al., *RecSim: A Configurable Simulation Platform for
//! Recommender Systems* (2019), google-research/recsim
//! `environments/long_term_satisfaction.py` (defaults: memory discount 0.7,
//! sensitivity 0.01, innovation sd 0.05, chocolate N(5, 1), kale N(4, 1)).

mod measures;
mod params;

use measures as m;
use params::{BIG, MAX_LOG_SECONDS, REVENUE_TOTAL_MAX};
pub use params::{HEADLINES, KEY_MEASURES, METRICS, PARAMS, Policy};

use crate::sim::registry::ParamValues;
use crate::sim::rng::{SimRng, Stream, normal, poisson, stream, uniform};
use crate::sim::{Event, ratio};

/// Largest starting population.
pub const MAX_USERS: usize = 100_000;
/// Largest number of user records (starting users plus arrivals at once).
pub const MAX_USER_SLOTS: usize = 200_000;
/// Largest number of items per user and day.
pub const MAX_ITEMS_PER_DAY: usize = 50;
/// Cap on one item's engagement: no item holds attention for more than a day.
pub const MAX_ITEM_SECONDS: f64 = 86_400.0;
/// Bound on the net positive exposure (only reachable with extreme settings).
pub(super) const MAX_NPE: f64 = 1e4;

/// Random-stream key (second part) of the day's arrivals; users use their index.
const KEY_ARRIVALS: u64 = 1 << 40;
/// Random-stream key base of arriving users' starting state.
const KEY_NEW_USER: u64 = 2 << 40;

#[derive(Clone, Debug, PartialEq)]
struct Config {
    users: usize,
    items: usize,
    choc_c: f64,
    kale_c: f64,
    memory: f64,
    sensitivity: f64,
    innovation: f64,
    choc_mean: f64,
    choc_sd: f64,
    kale_mean: f64,
    kale_sd: f64,
    churn_max: f64,
    churn_mid: f64,
    churn_spread: f64,
    arrivals: f64,
    own_share: f64,
    engagement_scale: f64,
    policy: Policy,
    fixed_share: f64,
    horizon: f64,
    forcefulness: f64,
    revenue_per_hour: f64,
}

impl Config {
    fn read(p: &ParamValues) -> Self {
        Self {
            users: p.get("world.users") as usize,
            items: p.get("world.items_per_day") as usize,
            choc_c: p.get("world.choc_clickbait"),
            kale_c: p.get("world.kale_clickbait"),
            memory: p.get("people.memory_discount"),
            sensitivity: p.get("people.sensitivity"),
            innovation: p.get("people.innovation_sd"),
            choc_mean: p.get("people.choc_engagement_mean"),
            choc_sd: p.get("people.choc_engagement_sd"),
            kale_mean: p.get("people.kale_engagement_mean"),
            kale_sd: p.get("people.kale_engagement_sd"),
            churn_max: p.get("people.churn_max"),
            churn_mid: p.get("people.churn_midpoint"),
            churn_spread: p.get("people.churn_spread"),
            arrivals: p.get("people.arrivals_per_day"),
            own_share: p.get("people.own_clickbait_share"),
            engagement_scale: p.get("people.engagement_scale"),
            policy: p.choice("policy.kind"),
            fixed_share: p.get("policy.clickbait_share"),
            horizon: p.get("policy.planning_horizon_days"),
            forcefulness: p.get("experience.forcefulness"),
            revenue_per_hour: p.get("value.revenue_per_hour"),
        }
    }

    /// (log mean, log sd) of engagement with an item of clickbait `c` at
    /// satisfaction `sat`.
    fn engagement_params(&self, c: f64, sat: f64) -> (f64, f64) {
        let loc = (c * self.choc_mean + (1.0 - c) * self.kale_mean) * sat;
        let scale = c * self.choc_sd + (1.0 - c) * self.kale_sd;
        (loc, scale)
    }

    /// Logarithm of the expected engagement in seconds of an item of
    /// clickbait `c` at satisfaction `sat` (log-normal mean times the
    /// engagement scale, capped like an item).
    fn log_expected_engagement(&self, c: f64, sat: f64) -> f64 {
        let (loc, scale) = self.engagement_params(c, sat);
        (loc + 0.5 * scale * scale + self.engagement_scale.ln()).min(MAX_ITEM_SECONDS.ln())
    }

    /// Expected engagement of an item of clickbait `c` at satisfaction `sat`.
    fn expected_engagement(&self, c: f64, sat: f64) -> f64 {
        self.log_expected_engagement(c, sat).exp()
    }

    fn satisfaction(&self, npe: f64) -> f64 {
        1.0 / (1.0 + (-self.sensitivity * npe).exp())
    }

    fn churn(&self, sat: f64) -> f64 {
        self.churn_max / (1.0 + ((sat - self.churn_mid) / self.churn_spread).exp())
    }

    /// Chance that an item is chocolate when the recommender would serve
    /// chocolate with probability `recommended`.
    fn effective_share(&self, recommended: f64) -> f64 {
        self.forcefulness * recommended + (1.0 - self.forcefulness) * self.own_share
    }

    /// Steady state of the mean dynamics when the recommender serves
    /// chocolate with probability `share`.
    fn steady_state(&self, share: f64) -> SteadyState {
        let s = self.effective_share(share.clamp(0.0, 1.0));
        let c_mean = s * self.choc_c + (1.0 - s) * self.kale_c;
        let npe = (-2.0 * (c_mean - 0.5) / (1.0 - self.memory)).clamp(-MAX_NPE, MAX_NPE);
        let sat = self.satisfaction(npe);
        let per_item = s * self.expected_engagement(self.choc_c, sat)
            + (1.0 - s) * self.expected_engagement(self.kale_c, sat);
        let churn = self.churn(sat);
        let h = self.horizon;
        let days = if churn > 0.0 {
            (1.0 - (1.0 - churn).powf(h)) / churn
        } else {
            h
        };
        SteadyState {
            satisfaction: sat,
            engagement_per_item: per_item,
            churn_per_day: churn,
            engagement_over_horizon: per_item * self.items as f64 * days,
        }
    }

    /// The share the long-term policy serves: best of 0, 0.01, ..., 1.
    fn long_term_share(&self) -> f64 {
        let mut best = (0.0, f64::NEG_INFINITY);
        for i in 0..=100 {
            let s = f64::from(i) / 100.0;
            let v = self.steady_state(s).engagement_over_horizon;
            if v > best.1 {
                best = (s, v);
            }
        }
        best.0
    }
}

/// Where a user settles under a constant chocolate share, from the mean
/// dynamics (noise ignored): `NPE* = −2(c̄ − ½)/(1 − γ)` for the mean clickbait
/// score `c̄` of consumed items.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SteadyState {
    /// Satisfaction at the steady state (0–1).
    pub satisfaction: f64,
    /// Expected engagement per item, seconds.
    pub engagement_per_item: f64,
    /// Daily chance of leaving at that satisfaction.
    pub churn_per_day: f64,
    /// Expected seconds of engagement over the planning horizon, counting the
    /// days a user is expected to stay.
    pub engagement_over_horizon: f64,
}

/// One user's hidden state.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct UserState {
    /// Net positive exposure (RecSim's NPE).
    pub net_exposure: f64,
    /// Satisfaction, 1/(1 + e^(−sensitivity·NPE)).
    pub satisfaction: f64,
    /// Still using the service.
    pub active: bool,
}

/// The recommender world: users, their satisfaction, and the recommender.
#[derive(Clone, Debug)]
pub struct RecommenderWorld {
    seed: u64,
    cfg: Config,
    users: Vec<UserState>,
    free_slots: Vec<u32>,
    active: usize,
    ever_joined: usize,
    /// Users still to bring in (a mid-run rise of `world.users`).
    pending: usize,
    long_term_share: f64,
    cumulative_revenue: f64,
    arrival_serial: u64,
    clickbait_share_today: f64,
}

impl RecommenderWorld {
    /// A world at day 0 with the starting users, whose exposure starts
    /// uniform in ±½/(1 − γ) as in RecSim.
    pub fn new(params: &ParamValues, seed: u64) -> Self {
        let cfg = Config::read(params);
        let n = cfg.users;
        let mut w = Self {
            seed,
            long_term_share: cfg.long_term_share(),
            users: Vec::with_capacity(n),
            free_slots: Vec::with_capacity(n),
            active: 0,
            ever_joined: 0,
            pending: 0,
            cumulative_revenue: 0.0,
            arrival_serial: 0,
            clickbait_share_today: 0.0,
            cfg,
        };
        for i in 0..n {
            let mut rng = stream(seed, Stream::Loop, 0, i as u64);
            w.join(&mut rng);
        }
        w
    }

    /// Applies new parameter values from the next step.
    pub fn configure(&mut self, params: &ParamValues) {
        let new = Config::read(params);
        if new.users > self.cfg.users {
            self.pending += new.users - self.cfg.users;
        }
        self.cfg = new;
        self.long_term_share = self.cfg.long_term_share();
    }

    /// Adds a user in a free slot (or a new one, up to the slot limit).
    fn join(&mut self, rng: &mut SimRng) -> bool {
        let npe = (uniform(rng) - 0.5) / (1.0 - self.cfg.memory);
        let user = UserState {
            net_exposure: npe,
            satisfaction: self.cfg.satisfaction(npe),
            active: true,
        };
        if let Some(i) = self.free_slots.pop() {
            self.users[i as usize] = user;
        } else if self.users.len() < MAX_USER_SLOTS {
            self.users.push(user);
        } else {
            return false;
        }
        self.active += 1;
        self.ever_joined += 1;
        true
    }

    /// Chance that the recommender serves chocolate to a user at `sat`.
    fn recommended_share(&self, sat: f64) -> f64 {
        match self.cfg.policy {
            Policy::Myopic => {
                let choc = self.cfg.log_expected_engagement(self.cfg.choc_c, sat);
                let kale = self.cfg.log_expected_engagement(self.cfg.kale_c, sat);
                if choc > kale { 1.0 } else { 0.0 }
            }
            Policy::FixedMix => self.cfg.fixed_share,
            Policy::LongTerm => self.long_term_share,
        }
    }

    /// Advances one day (1-based) and writes one value per metric into `out`.
    pub fn step(&mut self, day: u32, out: &mut [f64], _events: &mut Vec<Event>) {
        let day_key = u64::from(day);
        // Arrivals first: they use the service on the day they join.
        let mut arrivals = 0u64;
        let mut rng = stream(self.seed, Stream::Loop, day_key, KEY_ARRIVALS);
        let newcomers = poisson(&mut rng, self.cfg.arrivals) + self.pending as u64;
        self.pending = 0;
        for _ in 0..newcomers.min(MAX_USER_SLOTS as u64) {
            let key = KEY_NEW_USER + self.arrival_serial;
            self.arrival_serial += 1;
            let mut rng = stream(self.seed, Stream::Loop, day_key, key);
            if self.join(&mut rng) {
                arrivals += 1;
            }
        }

        let cfg = &self.cfg;
        let items = cfg.items;
        let (mut engagement, mut predicted, mut choc_items, mut served) = (0.0, 0.0, 0u64, 0u64);
        let mut log_engagement = 0.0;
        let mut departures = 0u64;
        let mut engaged_users = 0usize;
        for i in 0..self.users.len() {
            if !self.users[i].active {
                continue;
            }
            engaged_users += 1;
            let mut rng = stream(self.seed, Stream::Loop, day_key, i as u64);
            let mut user = self.users[i];
            for _ in 0..items {
                let share = cfg.effective_share(self.recommended_share(user.satisfaction));
                let choc = uniform(&mut rng) < share;
                let c = if choc { cfg.choc_c } else { cfg.kale_c };
                let (loc, scale) = cfg.engagement_params(c, user.satisfaction);
                let log_e = loc + scale * normal(&mut rng);
                let e = (log_e.exp() * cfg.engagement_scale).min(MAX_ITEM_SECONDS);
                engagement += e;
                log_engagement += log_e.min(MAX_ITEM_SECONDS.ln());
                predicted += ((loc + 0.5 * scale * scale).exp() * cfg.engagement_scale)
                    .min(MAX_ITEM_SECONDS);
                choc_items += u64::from(choc);
                served += 1;
                let npe = cfg.memory * user.net_exposure - 2.0 * (c - 0.5)
                    + cfg.innovation * normal(&mut rng);
                user.net_exposure = npe.clamp(-MAX_NPE, MAX_NPE);
                user.satisfaction = cfg.satisfaction(user.net_exposure);
            }
            if uniform(&mut rng) < cfg.churn(user.satisfaction) {
                user.active = false;
                departures += 1;
                self.free_slots.push(i as u32);
            }
            self.users[i] = user;
        }
        self.active -= departures as usize;

        let (mut sat_sum, mut npe_sum, mut unhappy) = (0.0, 0.0, 0usize);
        for u in self.users.iter().filter(|u| u.active) {
            sat_sum += u.satisfaction;
            npe_sum += u.net_exposure;
            if u.satisfaction < self.cfg.churn_mid {
                unhappy += 1;
            }
        }
        let active = self.active as f64;
        let revenue = engagement / 3600.0 * self.cfg.revenue_per_hour;
        self.cumulative_revenue += revenue;
        self.clickbait_share_today = ratio(choc_items as f64, served as f64);

        debug_assert_eq!(out.len(), m::COUNT);
        out[m::CLICKBAIT_SHARE] = self.clickbait_share_today.clamp(0.0, 1.0);
        out[m::PREDICTED_PER_ITEM] = ratio(predicted, served as f64).min(BIG);
        out[m::OBSERVED_PER_ITEM] = ratio(engagement, served as f64).min(MAX_ITEM_SECONDS);
        out[m::LOG_PER_ITEM] =
            ratio(log_engagement, served as f64).clamp(-MAX_LOG_SECONDS, MAX_LOG_SECONDS);
        out[m::SATISFACTION] = ratio(sat_sum, active).clamp(0.0, 1.0);
        out[m::NET_EXPOSURE] = ratio(npe_sum, active).clamp(-MAX_NPE, MAX_NPE);
        out[m::DISSATISFIED_SHARE] = ratio(unhappy as f64, active).clamp(0.0, 1.0);
        out[m::ENGAGEMENT_PER_USER] = ratio(engagement, engaged_users as f64)
            .min(MAX_ITEM_SECONDS * MAX_ITEMS_PER_DAY as f64);
        out[m::ENGAGEMENT_TOTAL] = engagement.min(BIG);
        out[m::ACTIVE_USERS] = active;
        out[m::RETENTION] = ratio(active, self.ever_joined as f64).clamp(0.0, 1.0);
        out[m::REVENUE] = revenue.min(BIG);
        out[m::CUMULATIVE_REVENUE] = self.cumulative_revenue.min(REVENUE_TOTAL_MAX);
        out[m::ITEMS] = (served as f64).min(BIG);
        out[m::DEPARTURES] = departures as f64;
        out[m::ARRIVALS] = arrivals as f64;
    }

    /// Every user record (departed users stay, inactive, until their slot is
    /// reused by a newcomer).
    pub fn users(&self) -> &[UserState] {
        &self.users
    }

    /// Users currently active.
    pub fn active_users(&self) -> usize {
        self.active
    }

    /// Everyone who ever joined, starting users included.
    pub fn ever_joined(&self) -> usize {
        self.ever_joined
    }

    /// Mean satisfaction of active users (0 when nobody is left).
    pub fn mean_satisfaction(&self) -> f64 {
        let sum: f64 = self
            .users
            .iter()
            .filter(|u| u.active)
            .map(|u| u.satisfaction)
            .sum();
        ratio(sum, self.active as f64)
    }

    /// Counts active users by satisfaction into `bins` equal-width bins over
    /// [0, 1] (no allocation; `bins` is zeroed first).
    pub fn satisfaction_histogram(&self, bins: &mut [f64]) {
        bins.fill(0.0);
        let n = bins.len();
        if n == 0 {
            return;
        }
        for u in self.users.iter().filter(|u| u.active) {
            let b = ((u.satisfaction * n as f64) as usize).min(n - 1);
            bins[b] += 1.0;
        }
    }

    /// Share of the last day's items that were chocolate.
    pub fn clickbait_share_today(&self) -> f64 {
        self.clickbait_share_today
    }

    /// The chocolate share the long-term policy serves under the current
    /// parameters.
    pub fn long_term_share(&self) -> f64 {
        self.long_term_share
    }

    /// Where users settle if the recommender serves chocolate with
    /// probability `share` (for drawing the trade-off curve).
    pub fn steady_state(&self, share: f64) -> SteadyState {
        self.cfg.steady_state(share)
    }

    /// Revenue since day 1, in dollars.
    pub fn cumulative_revenue(&self) -> f64 {
        self.cumulative_revenue
    }
}

#[cfg(test)]
mod tests;
