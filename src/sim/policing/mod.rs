//! Patrol allocation with discovered incidents: the runaway feedback loop of
//! predictive policing.
//!
//! This module owns the policing world: districts with hidden true incident
//! rates, a model that counts the incidents the police *record*, a policy that
//! turns those counts into patrols, and the loop that closes when patrols
//! decide which incidents get recorded next.
//!
//! # One simulated day
//! 1. **Plan.** The model's estimate for each district is its evidence count
//!    (the prior pseudo-count and the recorded incidents, forgotten as in step
//!    4) divided by the total. The policy turns estimates into a probability distribution
//!    for each patrol: `proportional` (each patrol drawn in proportion to the
//!    counts: the urn of Ensign et al.), `greedy` (patrols assigned one by one
//!    where the next one is expected to discover the most; under
//!    `one_per_patrol` ml-fairness-gym's rule, where the `k`-th patrol adds
//!    `P(N ≥ k)` for the district's estimated incidents `N`), `uniform`, or
//!    `epsilon_greedy` (each greedy patrol goes to a uniformly chosen district
//!    with probability ε). With forcefulness `f` a patrol follows the model
//!    with probability `f`, otherwise the officers' own judgment (uniform, or
//!    in proportion to the true rates).
//! 2. **Patrol.** Each patrol is drawn independently from its distribution.
//! 3. **Incidents.** District `i` has `N ~ Poisson(λ_i)` incidents. Each is
//!    reported by residents with probability ρ whatever the patrols do; an
//!    unreported incident is discovered with probability `1 − m^n` when `n`
//!    patrols are there (each patrol misses it with probability `m`, as with
//!    ml-fairness-gym's attention with replacement: `world.capture =
//!    any_number`). With `one_per_patrol` (the gym's default) a patrol that
//!    has found an incident is busy for the day: the incidents meet the
//!    `f` patrols still free, each found with probability `1 − m^f`. The
//!    rest are missed.
//!
//!    Reports and discoveries split one stream of incidents, so a reported
//!    incident is never also discovered: with one patrol, no misses and
//!    `incident_counts`, district `i` expects `(1 − ρ)λ_i` discovered updates
//!    when patrolled and `ρλ_i` reported ones every day. That is Ensign et
//!    al.'s mixed urn with `d_i = (1 − ρ)λ_i` and `r_i = ρλ_i` (see below).
//!    Their code, and ml-fairness-gym's reported incidents, draw the two as
//!    separate Poisson streams with means `r_i` and `d_i`; splitting one
//!    Poisson stream at random gives two independent Poisson counts with
//!    exactly those means, so the source's form is this world with rate
//!    `d_i + r_i` and report share `r_i / (d_i + r_i)`, identical in
//!    distribution (tests/sources/policing-ensign-mixed.ron replays it).
//! 4. **Learn.** The model adds `w_d·D_i + w_r·R_i` to district `i`
//!    (`update_rule = incident_counts`), or one unit for each kind seen at
//!    least once (`one_per_find`: the coin-flip urn of Ensign et al., a
//!    slowed-down Pólya urn). Then the counts are **forgotten**: with
//!    `model.forgetting = whole_count` (the default, Ensign et al.'s code)
//!    each district's whole count, prior included, is multiplied by
//!    `1 − decay` after the day's update, but never taken below
//!    `model.count_floor`; with `learned_only` only the learned part decays
//!    and the prior stays for ever. With **Ensign's correction** the discovered part
//!    is kept only with probability `π_min / π_i`, where `π_i` is the chance,
//!    under today's plan, that an incident in district `i` is discovered
//!    (for one patrol and no misses, the chance the patrol was sent there) and
//!    `π_min` the smallest positive one. Discovered evidence then grows in
//!    proportion to the true rates, whatever the allocation. Districts the
//!    plan never visits have `π = 0`: no correction can learn about them.
//!    π is computed as under `any_number` capture. Under `one_per_patrol`
//!    no propensity can make the correction exact, because a patrol's finds
//!    saturate: a visited district yields at most one find per patrol, so
//!    the corrected estimate learns how often a district has something to
//!    find (`1 − e^−λ` for one patrol), not how much. For rates 3 and 1 it
//!    settles at 0.60 instead of 0.75 (test
//!    `correction_under_one_per_patrol_learns_busy_days_not_rates`); the
//!    bias vanishes when incidents per patrol are few.
//! 5. **Respond** (optional, ml-fairness-gym's dynamic rate): a district's
//!    rate falls by `δ` per patrol present and rises by `δ` on a day without
//!    patrols, within `[0, 100]` incidents per day.
//!
//! # What the loop does (and what the tests rerun)
//! - Equal rates, one patrol, one ball each, `one_per_find`: a Pólya urn, so
//!   the share of district 1 converges to a random limit, uniform on [0, 1]
//!   (Beta(a, b) for prior counts a and b).
//! - Unequal rates, discovered incidents only: the patrols run away to one
//!   district (Ensign et al., Theorem on diagonal urns: the limit share is 0
//!   or 1, never the true share).
//! - With the correction: the estimated share converges to the true share.
//! - Whole-count forgetting with a floor: a large historical prior is
//!   forgotten at the decay rate, so after a few hundred days the estimate
//!   is decided by the loop, not by the starting history (Ensign et al.'s
//!   Oakland examples start from 609 and 379 recorded incidents).
//! - Mixed discovered and reported incidents (two districts, one patrol,
//!   proportional): writing `d_i` for the expected daily discovered update
//!   of district `i` when it is patrolled and `r_i` for the expected daily
//!   reported update, the share `x` of district 1 settles where its expected
//!   update share equals `x`:
//!   `x = (x·d_1 + r_1) / (x·d_1 + (1 − x)·d_2 + r_1 + r_2)`, that is the root
//!   in [0, 1] of `(d_1 − d_2)x² + (d_2 − d_1 + r_1 + r_2)x − r_1 = 0`
//!   (Ensign et al.'s generalized urn with update matrix
//!   `[[d_1 + r_1, r_2], [r_1, d_2 + r_2]]`). See [`mixed_urn_fixed_point`].
//!
//! Sources: D. Ensign, S. Friedler, S. Neville, C. Scheidegger,
//! S. Venkatasubramanian, *Runaway Feedback Loops in Predictive Policing*,
//! FAT* 2018 (and their code, algofairness/runaway-feedback-loops-src);
//! K. Lum and W. Isaac, *To predict and serve?*, Significance 2016;
//! the attention-allocation environment of google/ml-fairness-gym.

mod measures;
mod params;

use measures as m;
use params::COUNT_MAX;
pub use params::{
    Capture, Forgetting, HEADLINES, KEY_MEASURES, METRICS, Officer, PARAMS, Policy, UpdateRule,
};

use crate::sim::registry::ParamValues;
use crate::sim::rng::{SimRng, Stream, poisson, stream, uniform};
use crate::sim::{Event, unit};

/// Largest number of districts.
pub const MAX_DISTRICTS: usize = 16;
/// Largest number of patrols a day.
pub const MAX_PATROLS: usize = 1000;
/// Largest true incident rate of a district, in incidents per day.
pub const MAX_RATE_PER_DAY: f64 = 100.0;

/// Random-stream key (second part) of the day's patrol draws; district
/// incident streams use the district index, which stays below it.
const KEY_PATROLS: u64 = 1 << 32;
/// Random-stream key base of the correction's keep-or-drop draws.
const KEY_CORRECTION: u64 = 2 << 32;

/// Parameters read once from the table.
#[derive(Clone, Debug, PartialEq)]
struct Config {
    districts: usize,
    /// Each district's base rate: `world.rates`, or its line.
    base_rates: Vec<f64>,
    miss_prob: f64,
    report_share: f64,
    dynamic_rate: f64,
    residents: f64,
    capture: Capture,
    /// Each district's prior: `model.prior_counts`, or its shorthand.
    priors: Vec<f64>,
    update_rule: UpdateRule,
    forgetting: Forgetting,
    count_floor: f64,
    weight_discovered: f64,
    weight_reported: f64,
    decay: f64,
    policy: Policy,
    patrols: usize,
    epsilon: f64,
    correction: bool,
    forcefulness: f64,
    officer: Officer,
}

impl Config {
    fn read(p: &ParamValues) -> Self {
        Self {
            districts: p.get("world.districts") as usize,
            base_rates: p.items("world.rates"),
            miss_prob: p.get("world.miss_prob"),
            report_share: p.get("world.report_share"),
            dynamic_rate: p.get("world.dynamic_rate"),
            residents: p.get("world.residents_per_district"),
            capture: p.choice("world.capture"),
            priors: p.items("model.prior_counts"),
            update_rule: p.choice("model.update_rule"),
            weight_discovered: p.get("model.weight_discovered"),
            weight_reported: p.get("model.weight_reported"),
            decay: p.get("model.decay"),
            forgetting: p.choice("model.forgetting"),
            count_floor: p.get("model.count_floor"),
            policy: p.choice("policy.kind"),
            patrols: p.get("policy.patrols_per_day") as usize,
            epsilon: p.get("policy.epsilon"),
            correction: p.flag("policy.correction"),
            forcefulness: p.get("experience.forcefulness"),
            officer: p.choice("experience.officer_judgment"),
        }
    }

    /// The base rate of district `i` (the list, or the line from first to
    /// last).
    fn base_rate(&self, i: usize) -> f64 {
        self.base_rates.get(i).copied().unwrap_or(0.0)
    }

    /// Prior pseudo-count of district `i`.
    fn prior(&self, i: usize) -> f64 {
        self.priors.get(i).copied().unwrap_or(0.0)
    }
}

/// The root in [0, 1] of Ensign et al.'s mixed urn for two districts.
///
/// `d` are the expected daily *discovered* updates of each district on a day
/// it is patrolled, `r` the expected daily *reported* updates (which arrive
/// whether or not it is patrolled). With one patrol sent to district 1 with
/// probability `x` (its share of the counts), the expected update share of
/// district 1 is `(x·d₁ + r₁) / (x·d₁ + (1 − x)·d₂ + r₁ + r₂)`; setting it equal
/// to `x` gives `(d₁ − d₂)x² + (d₂ − d₁ + r₁ + r₂)x − r₁ = 0`. The polynomial is
/// `−r₁ ≤ 0` at 0 and `r₂ ≥ 0` at 1, so a root lies in [0, 1]; it is the stable
/// point of the urn. Returns `None` when there are no reports (`r₁ = r₂ = 0`):
/// then the urn has no interior attractor (a Pólya urn or a runaway).
pub fn mixed_urn_fixed_point(d: [f64; 2], r: [f64; 2]) -> Option<f64> {
    if r[0] + r[1] <= 0.0 {
        return None;
    }
    let a = d[0] - d[1];
    let b = d[1] - d[0] + r[0] + r[1];
    let c = -r[0];
    let g = |x: f64| (a * x + b) * x + c;
    let (mut lo, mut hi) = (0.0_f64, 1.0_f64);
    if g(lo) >= 0.0 {
        return Some(0.0);
    }
    for _ in 0..100 {
        let mid = 0.5 * (lo + hi);
        if g(mid) < 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Some(0.5 * (lo + hi))
}

/// The policing world: districts, the model's counts, today's plan and totals.
#[derive(Clone, Debug)]
pub struct PolicingWorld {
    seed: u64,
    cfg: Config,
    /// Current true rates, incidents/day (move only with the dynamic rate).
    rates: Vec<f64>,
    true_share: Vec<f64>,
    /// The model's stored evidence per district: the whole count (prior
    /// included) under `whole_count` forgetting, the decayed sum of the
    /// updates without the prior under `learned_only`.
    stored: Vec<f64>,
    /// Prior plus learned: the model's evidence.
    counts: Vec<f64>,
    est_share: Vec<f64>,
    /// Patrol groups: `group_count[g]` patrols, each drawn from row `g` of
    /// `group_dist` (a `MAX_DISTRICTS`-wide matrix).
    group_count: Vec<usize>,
    group_dist: Vec<f64>,
    /// Expected discoveries the next patrol would add, per district.
    greedy_gain: Vec<f64>,
    /// Under `one_per_patrol`: `P(N = a + 1)` for the `a` patrols placed.
    greedy_next_pmf: Vec<f64>,
    greedy_alloc: Vec<usize>,
    /// Expected share of today's patrols per district.
    patrol_share: Vec<f64>,
    /// Chance under today's plan that an incident is discovered (π).
    discovery_prob: Vec<f64>,
    patrols_today: Vec<u32>,
    occurred_today: Vec<u64>,
    discovered_today: Vec<u64>,
    reported_today: Vec<u64>,
    occurred_total: Vec<f64>,
    discovered_total: Vec<f64>,
    reported_total: Vec<f64>,
    patrol_days_total: Vec<f64>,
    /// Discovered updates kept and offered (for the correction's view).
    updates_kept: f64,
    updates_offered: f64,
}

impl PolicingWorld {
    /// A world at day 0: base rates, prior counts, and the plan for day 1.
    pub fn new(params: &ParamValues, seed: u64) -> Self {
        let cfg = Config::read(params);
        let v = || Vec::with_capacity(MAX_DISTRICTS);
        let mut w = Self {
            seed,
            cfg,
            rates: v(),
            true_share: v(),
            stored: v(),
            counts: v(),
            est_share: v(),
            group_count: Vec::with_capacity(MAX_DISTRICTS),
            group_dist: vec![0.0; MAX_DISTRICTS * MAX_DISTRICTS],
            greedy_gain: v(),
            greedy_next_pmf: v(),
            greedy_alloc: Vec::with_capacity(MAX_DISTRICTS),
            patrol_share: v(),
            discovery_prob: v(),
            patrols_today: Vec::with_capacity(MAX_DISTRICTS),
            occurred_today: Vec::with_capacity(MAX_DISTRICTS),
            discovered_today: Vec::with_capacity(MAX_DISTRICTS),
            reported_today: Vec::with_capacity(MAX_DISTRICTS),
            occurred_total: v(),
            discovered_total: v(),
            reported_total: v(),
            patrol_days_total: v(),
            updates_kept: 0.0,
            updates_offered: 0.0,
        };
        w.resize(w.cfg.districts);
        if w.cfg.forgetting == Forgetting::WholeCount {
            for i in 0..w.cfg.districts {
                w.stored[i] = w.cfg.prior(i);
            }
        }
        w.reset_rates();
        w.refresh_shares();
        w.plan();
        w
    }

    /// Applies new parameter values; they act from the next step.
    pub fn configure(&mut self, params: &ParamValues) {
        let new = Config::read(params);
        let rates_changed =
            new.base_rates != self.cfg.base_rates || new.districts != self.cfg.districts;
        let old = std::mem::replace(&mut self.cfg, new);
        let kept = old.districts.min(self.cfg.districts);
        self.resize(self.cfg.districts);
        // Carry the evidence over to the new rule and prior: a changed prior
        // shifts every whole count by the difference, and districts added
        // mid-run start from their prior alone.
        for i in 0..self.cfg.districts {
            let (was, now) = (old.prior(i), self.cfg.prior(i));
            let total = if i < kept {
                match old.forgetting {
                    Forgetting::WholeCount => self.stored[i],
                    Forgetting::LearnedOnly => was + self.stored[i],
                }
            } else {
                was
            };
            let total = (total + now - was).max(0.0);
            self.stored[i] = match self.cfg.forgetting {
                Forgetting::WholeCount => total,
                Forgetting::LearnedOnly => (total - now).max(0.0),
            };
        }
        if rates_changed {
            self.reset_rates();
        }
        self.refresh_shares();
        self.plan();
    }

    fn resize(&mut self, k: usize) {
        self.rates.resize(k, 0.0);
        self.true_share.resize(k, 0.0);
        self.stored.resize(k, 0.0);
        self.counts.resize(k, 0.0);
        self.est_share.resize(k, 0.0);
        self.greedy_gain.resize(k, 0.0);
        self.greedy_next_pmf.resize(k, 0.0);
        self.greedy_alloc.resize(k, 0);
        self.group_count.resize(k, 0);
        self.patrol_share.resize(k, 0.0);
        self.discovery_prob.resize(k, 0.0);
        self.patrols_today.resize(k, 0);
        self.occurred_today.resize(k, 0);
        self.discovered_today.resize(k, 0);
        self.reported_today.resize(k, 0);
        self.occurred_total.resize(k, 0.0);
        self.discovered_total.resize(k, 0.0);
        self.reported_total.resize(k, 0.0);
        self.patrol_days_total.resize(k, 0.0);
    }

    fn reset_rates(&mut self) {
        for i in 0..self.cfg.districts {
            self.rates[i] = self.cfg.base_rate(i);
        }
    }

    /// Recomputes counts, estimated shares and true shares from the state.
    fn refresh_shares(&mut self) {
        let k = self.cfg.districts;
        let mut total = 0.0;
        for i in 0..k {
            self.counts[i] = match self.cfg.forgetting {
                Forgetting::WholeCount => self.stored[i],
                Forgetting::LearnedOnly => self.cfg.prior(i) + self.stored[i],
            };
            total += self.counts[i];
        }
        for i in 0..k {
            self.est_share[i] = if total > 0.0 {
                self.counts[i] / total
            } else {
                1.0 / k as f64
            };
        }
        let rate_sum: f64 = self.rates.iter().sum();
        for i in 0..k {
            self.true_share[i] = share(self.rates[i], rate_sum);
        }
    }

    /// Builds today's patrol groups, expected patrol shares and discovery
    /// chances from the current estimates (no randomness).
    fn plan(&mut self) {
        let k = self.cfg.districts;
        let kf = k as f64;
        let p = self.cfg.patrols;
        let f = self.cfg.forcefulness;
        let rate_sum: f64 = self.rates.iter().sum();
        let mut officer = [0.0; MAX_DISTRICTS];
        for (i, o) in officer.iter_mut().take(k).enumerate() {
            *o = match self.cfg.officer {
                Officer::TrueRates if rate_sum > 0.0 => self.rates[i] / rate_sum,
                _ => 1.0 / kf,
            };
        }
        self.group_count.fill(0);
        match self.cfg.policy {
            Policy::Proportional | Policy::Uniform => {
                self.group_count[0] = p;
                let proportional = self.cfg.policy == Policy::Proportional;
                for (i, cell) in self.group_dist[..k].iter_mut().enumerate() {
                    let model = if proportional {
                        self.est_share[i]
                    } else {
                        1.0 / kf
                    };
                    *cell = f * model + (1.0 - f) * officer[i];
                }
            }
            Policy::Greedy | Policy::EpsilonGreedy => {
                self.greedy_allocation();
                let eps = if self.cfg.policy == Policy::EpsilonGreedy {
                    self.cfg.epsilon
                } else {
                    0.0
                };
                for g in 0..k {
                    self.group_count[g] = self.greedy_alloc[g];
                    let row = &mut self.group_dist[g * MAX_DISTRICTS..g * MAX_DISTRICTS + k];
                    for (i, cell) in row.iter_mut().enumerate() {
                        let target = if i == g { 1.0 - eps } else { 0.0 };
                        let model = target + eps / kf;
                        *cell = f * model + (1.0 - f) * officer[i];
                    }
                }
            }
        }
        let detect = 1.0 - self.cfg.miss_prob;
        for i in 0..k {
            let mut expected = 0.0;
            let mut none = 1.0;
            for g in 0..k {
                let n = self.group_count[g];
                if n == 0 {
                    continue;
                }
                let s = self.group_dist[g * MAX_DISTRICTS + i];
                expected += n as f64 * s;
                none *= (1.0 - s * detect).clamp(0.0, 1.0).powi(n as i32);
            }
            self.patrol_share[i] = if p > 0 { expected / p as f64 } else { 0.0 };
            self.discovery_prob[i] = (1.0 - none).clamp(0.0, 1.0);
        }
    }

    /// Greedy plan: each patrol goes to the district where it adds the most
    /// expected discoveries given the patrols already there; ties go to the
    /// larger estimated share, then the lower index.
    ///
    /// With `any_number` capture the next patrol in a district adds
    /// `share · (1 − miss) · miss^(patrols already there)`. With
    /// `one_per_patrol` (ml-fairness-gym's greedy rule) each patrol finds at
    /// most one incident, so the `k`-th patrol adds `P(N ≥ k)` for the
    /// district's findable incidents `N ~ Poisson(μ)`, where
    /// `μ = (1 − report_share) · (1 − miss) · λ̂` and the model's estimated
    /// rate `λ̂` is its estimated share times the city's total incident rate
    /// (the planner knows how much crime there is, not where). Exact without
    /// misses; with misses a patrol's later finds are slightly more likely
    /// than this thinned Poisson says.
    fn greedy_allocation(&mut self) {
        let k = self.cfg.districts;
        let miss = self.cfg.miss_prob;
        self.greedy_alloc.fill(0);
        let one_per_patrol = self.cfg.capture == Capture::OnePerPatrol;
        let total_rate_per_day: f64 = self.rates.iter().sum();
        let findable = (1.0 - self.cfg.report_share) * (1.0 - miss);
        for i in 0..k {
            if one_per_patrol {
                let mean = findable * self.est_share[i] * total_rate_per_day;
                let none = (-mean).exp();
                self.greedy_gain[i] = 1.0 - none;
                // P(N = 1): subtracted when the first patrol is placed.
                self.greedy_next_pmf[i] = mean * none;
            } else {
                self.greedy_gain[i] = self.est_share[i] * (1.0 - miss);
            }
        }
        for _ in 0..self.cfg.patrols {
            let mut best = 0;
            for i in 1..k {
                let (gi, gb) = (self.greedy_gain[i], self.greedy_gain[best]);
                if gi > gb || (gi == gb && self.est_share[i] > self.est_share[best]) {
                    best = i;
                }
            }
            self.greedy_alloc[best] += 1;
            if one_per_patrol {
                // P(N ≥ a + 1) = P(N ≥ a) − P(N = a) for `a` patrols placed.
                let placed = self.greedy_alloc[best] as f64;
                let gain = self.greedy_gain[best] - self.greedy_next_pmf[best];
                self.greedy_gain[best] = gain.max(0.0);
                let mean = findable * self.est_share[best] * total_rate_per_day;
                self.greedy_next_pmf[best] *= mean / (placed + 1.0);
            } else {
                self.greedy_gain[best] *= miss;
            }
        }
    }

    /// Draws today's patrols from the plan.
    fn send_patrols(&mut self, rng: &mut SimRng) {
        let k = self.cfg.districts;
        self.patrols_today.fill(0);
        for g in 0..k {
            let row = &self.group_dist[g * MAX_DISTRICTS..g * MAX_DISTRICTS + k];
            for _ in 0..self.group_count[g] {
                let u = uniform(rng);
                let mut acc = 0.0;
                let mut chosen = None;
                let mut last_positive = 0;
                for (i, &s) in row.iter().enumerate() {
                    if s > 0.0 {
                        last_positive = i;
                        acc += s;
                        if u < acc {
                            chosen = Some(i);
                            break;
                        }
                    }
                }
                self.patrols_today[chosen.unwrap_or(last_positive)] += 1;
            }
        }
    }

    /// Advances one day (1-based) and writes one value per metric into `out`.
    pub fn step(&mut self, day: u32, out: &mut [f64], _events: &mut Vec<Event>) {
        let k = self.cfg.districts;
        let seed = self.seed;
        let day_key = u64::from(day);
        self.refresh_shares();
        self.plan();
        let mut rng = stream(seed, Stream::Loop, day_key, KEY_PATROLS);
        self.send_patrols(&mut rng);

        // Incidents, reports and discoveries.
        let rho = self.cfg.report_share;
        let miss = self.cfg.miss_prob;
        for i in 0..k {
            let mut rng = stream(seed, Stream::Loop, day_key, i as u64);
            let n = poisson(&mut rng, self.rates[i]);
            let patrols = self.patrols_today[i];
            let (mut reported, mut discovered) = (0u64, 0u64);
            match self.cfg.capture {
                Capture::AnyNumber => {
                    let discover_below = rho + (1.0 - rho) * found_prob(miss, patrols);
                    for _ in 0..n {
                        let u = uniform(&mut rng);
                        if u < rho {
                            reported += 1;
                        } else if u < discover_below {
                            discovered += 1;
                        }
                    }
                }
                Capture::OnePerPatrol => {
                    // Each unreported incident meets the patrols not yet busy
                    // with an earlier find (ml-fairness-gym without attention
                    // replacement).
                    let mut free = patrols;
                    for _ in 0..n {
                        let u = uniform(&mut rng);
                        if u < rho {
                            reported += 1;
                        } else if free > 0 && u < rho + (1.0 - rho) * found_prob(miss, free) {
                            discovered += 1;
                            free -= 1;
                        }
                    }
                }
            }
            self.occurred_today[i] = n;
            self.reported_today[i] = reported;
            self.discovered_today[i] = discovered;
        }

        // What the model learns.
        let pi_min = self
            .discovery_prob
            .iter()
            .copied()
            .filter(|&p| p > 0.0)
            .fold(f64::INFINITY, f64::min);
        for i in 0..k {
            let (d, r) = (self.discovered_today[i], self.reported_today[i]);
            let (mut add_d, add_r) = match self.cfg.update_rule {
                UpdateRule::IncidentCounts => (d as f64, r as f64),
                UpdateRule::OnePerFind => {
                    (if d > 0 { 1.0 } else { 0.0 }, if r > 0 { 1.0 } else { 0.0 })
                }
            };
            if add_d > 0.0 {
                self.updates_offered += 1.0;
                if self.cfg.correction {
                    let pi = self.discovery_prob[i];
                    let keep = if pi > 0.0 && pi_min.is_finite() {
                        (pi_min / pi).min(1.0)
                    } else {
                        1.0
                    };
                    let mut c = stream(seed, Stream::Loop, day_key, KEY_CORRECTION + i as u64);
                    if uniform(&mut c) >= keep {
                        add_d = 0.0;
                    }
                }
                if add_d > 0.0 {
                    self.updates_kept += 1.0;
                }
            }
            let update = self.cfg.weight_discovered * add_d + self.cfg.weight_reported * add_r;
            let added = self.stored[i] + update;
            let keep = 1.0 - self.cfg.decay;
            self.stored[i] = match self.cfg.forgetting {
                Forgetting::WholeCount => (keep * added).max(added.min(self.cfg.count_floor)),
                Forgetting::LearnedOnly => keep * self.stored[i] + update,
            };
        }

        // Totals, and the world's response to attention.
        for i in 0..k {
            self.occurred_total[i] += self.occurred_today[i] as f64;
            self.discovered_total[i] += self.discovered_today[i] as f64;
            self.reported_total[i] += self.reported_today[i] as f64;
            self.patrol_days_total[i] += f64::from(self.patrols_today[i]);
        }
        let dynamic = self.cfg.dynamic_rate;
        if dynamic > 0.0 {
            for i in 0..k {
                let n = f64::from(self.patrols_today[i]);
                let next = if n == 0.0 {
                    self.rates[i] + dynamic
                } else {
                    self.rates[i] - dynamic * n
                };
                self.rates[i] = next.clamp(0.0, MAX_RATE_PER_DAY);
            }
        }
        // Plan-time shares for today's metrics; estimates after learning.
        let patrol_share_1 = self.patrol_share[0];
        let mut fairness_gap = 0.0_f64;
        for i in 0..k {
            fairness_gap = fairness_gap.max((self.patrol_share[i] - self.true_share[i]).abs());
        }
        let true_share_1 = self.true_share[0];
        let true_share_today: [f64; MAX_DISTRICTS] = {
            let mut t = [0.0; MAX_DISTRICTS];
            t[..k].copy_from_slice(&self.true_share);
            t
        };
        self.refresh_shares();
        let tv: f64 = self
            .est_share
            .iter()
            .zip(&true_share_today)
            .map(|(e, t)| (e - t).abs())
            .sum();

        let per_1k = 1000.0 / self.cfg.residents;
        let (mut arrests_hi, mut arrests_lo) = (f64::NEG_INFINITY, f64::INFINITY);
        let (mut catch_hi, mut catch_lo) = (f64::NEG_INFINITY, f64::INFINITY);
        let (mut occurred, mut discovered, mut reported) = (0u64, 0u64, 0u64);
        for i in 0..k {
            let recorded = (self.discovered_today[i] + self.reported_today[i]) as f64;
            let a = recorded * per_1k;
            arrests_hi = arrests_hi.max(a);
            arrests_lo = arrests_lo.min(a);
            if self.occurred_total[i] > 0.0 {
                let c =
                    (self.discovered_total[i] + self.reported_total[i]) / self.occurred_total[i];
                catch_hi = catch_hi.max(c);
                catch_lo = catch_lo.min(c);
            }
            occurred += self.occurred_today[i];
            discovered += self.discovered_today[i];
            reported += self.reported_today[i];
        }
        let missed = occurred - discovered - reported;
        let patrols = self.cfg.patrols as f64;

        debug_assert_eq!(out.len(), m::COUNT);
        out[m::EST_SHARE_1] = unit(self.est_share[0]);
        out[m::TRUE_SHARE_1] = unit(true_share_1);
        out[m::PATROL_SHARE_1] = unit(patrol_share_1);
        out[m::ESTIMATE_ERROR] = unit(0.5 * tv);
        out[m::ARRESTS_PER_1K_1] =
            ((self.discovered_today[0] + self.reported_today[0]) as f64 * per_1k).min(COUNT_MAX);
        out[m::ARRESTS_GAP_PER_1K] = (arrests_hi - arrests_lo).clamp(0.0, COUNT_MAX);
        out[m::CATCH_PROB_GAP] = if catch_hi.is_finite() {
            unit(catch_hi - catch_lo)
        } else {
            0.0
        };
        out[m::RECORDED] = ((discovered + reported) as f64).min(COUNT_MAX);
        out[m::DISCOVERED_PER_PATROL] = share(discovered as f64, patrols).min(COUNT_MAX);
        out[m::MISSED] = (missed as f64).min(COUNT_MAX);
        out[m::MISSED_SHARE] = unit(share(missed as f64, occurred as f64));
        out[m::FAIRNESS_GAP] = unit(fairness_gap);
        out[m::OCCURRED] = (occurred as f64).min(COUNT_MAX);
        out[m::DISCOVERED] = (discovered as f64).min(COUNT_MAX);
        out[m::REPORTED] = (reported as f64).min(COUNT_MAX);
        out[m::PATROLS] = patrols;
    }

    /// Number of districts.
    pub fn districts(&self) -> usize {
        self.cfg.districts
    }

    /// Current true incident rates per district, in incidents/day (hidden truth).
    pub fn true_rates(&self) -> &[f64] {
        &self.rates
    }

    /// True share of incidents per district (rate over the sum of rates).
    pub fn true_shares(&self) -> &[f64] {
        &self.true_share
    }

    /// The model's evidence per district: prior plus decayed recorded incidents.
    pub fn evidence_counts(&self) -> &[f64] {
        &self.counts
    }

    /// The model's estimated share of incidents per district.
    pub fn estimated_shares(&self) -> &[f64] {
        &self.est_share
    }

    /// Expected share of the latest plan's patrols per district.
    pub fn patrol_shares(&self) -> &[f64] {
        &self.patrol_share
    }

    /// Chance, under the latest plan, that an unreported incident in each
    /// district is discovered (the propensity the correction divides by).
    pub fn discovery_probabilities(&self) -> &[f64] {
        &self.discovery_prob
    }

    /// Patrols sent to each district on the last simulated day.
    pub fn patrols_today(&self) -> &[u32] {
        &self.patrols_today
    }

    /// Incidents that occurred in each district on the last simulated day.
    pub fn occurred_today(&self) -> &[u64] {
        &self.occurred_today
    }

    /// Incidents discovered by patrols in each district on the last day.
    pub fn discovered_today(&self) -> &[u64] {
        &self.discovered_today
    }

    /// Incidents reported by residents in each district on the last day.
    pub fn reported_today(&self) -> &[u64] {
        &self.reported_today
    }

    /// Incidents that occurred per district since day 1.
    pub fn occurred_total(&self) -> &[f64] {
        &self.occurred_total
    }

    /// Incidents discovered by patrols per district since day 1.
    pub fn discovered_total(&self) -> &[f64] {
        &self.discovered_total
    }

    /// Incidents reported by residents per district since day 1.
    pub fn reported_total(&self) -> &[f64] {
        &self.reported_total
    }

    /// Patrol-days spent in each district since day 1.
    pub fn patrol_days_total(&self) -> &[f64] {
        &self.patrol_days_total
    }

    /// Share of district-days with a discovered update that the model kept
    /// (1 without the correction; below 1 when the correction drops updates).
    pub fn kept_update_share(&self) -> f64 {
        if self.updates_offered > 0.0 {
            self.updates_kept / self.updates_offered
        } else {
            1.0
        }
    }

    /// The share of district 1 the mixed urn settles at, for two districts,
    /// one patrol, the proportional policy, full forcefulness, no decay and
    /// no correction; `None` outside that case or without reports.
    /// See [`mixed_urn_fixed_point`].
    pub fn mixed_fixed_point_share_1(&self) -> Option<f64> {
        let c = &self.cfg;
        if c.districts != 2
            || c.patrols != 1
            || c.policy != Policy::Proportional
            || c.forcefulness < 1.0
            || c.decay > 0.0
            || c.correction
            || c.dynamic_rate > 0.0
        {
            return None;
        }
        let detect = 1.0 - c.miss_prob;
        let rho = c.report_share;
        let mut d = [0.0; 2];
        let mut r = [0.0; 2];
        for i in 0..2 {
            let lam = c.base_rate(i);
            let (dm, rm) = match c.update_rule {
                UpdateRule::IncidentCounts => ((1.0 - rho) * detect * lam, rho * lam),
                UpdateRule::OnePerFind => (
                    1.0 - (-(1.0 - rho) * detect * lam).exp(),
                    1.0 - (-rho * lam).exp(),
                ),
            };
            d[i] = c.weight_discovered * dm;
            r[i] = c.weight_reported * rm;
        }
        mixed_urn_fixed_point(d, r)
    }
}

/// Chance that `patrols` patrols, each missing with probability `miss`,
/// discover one given incident: `1 − miss^patrols`.
fn found_prob(miss: f64, patrols: u32) -> f64 {
    if patrols == 0 {
        0.0
    } else {
        1.0 - miss.powi(patrols.min(i32::MAX as u32) as i32)
    }
}

/// `num / den`, or 0 when `den` is not positive.
fn share(num: f64, den: f64) -> f64 {
    if den > 0.0 { num / den } else { 0.0 }
}

#[cfg(test)]
mod tests;
