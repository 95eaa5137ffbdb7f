//! The yardstick: the model of `benches/yardstick.ron` written out by hand
//! as one struct-of-arrays loop, the way a careful researcher would write it
//! for speed, and the statistics by which it and ixsim are compared.
//!
//! Same model, other random numbers: the loop draws from one sequential PCG
//! stream per day, user after user, where ixsim keys every draw by (user,
//! day, number) so that two designs meet the same world whatever the thread
//! count. The two therefore agree in distribution, not draw for draw, and
//! [`Statistics::agree`] compares them within Monte-Carlo tolerance.
//!
//! What the loop keeps and leaves out is listed in `benches/yardstick.ron`;
//! [`Model::from_params`] refuses parameters that switch on anything it
//! leaves out. It computes no counterfactual (the same people deciding
//! alone) and none of the organization's or the model's measures, all of
//! which ixsim computes every day.

use ixsim::scenario::Scenario;
use ixsim::sim::rng::{self, PoissonTable, SimRng, Stream};
use ixsim::sim::stats::{dprime_from_auc, phi};
use ixsim::sim::{History, ParamValues, WorldKind};
use rand::Rng as _;

/// The scenario file the yardstick writes out (shipped in `benches/`).
pub const SCENARIO_RON: &str = include_str!("../yardstick.ron");

/// The yardstick's scenario, parsed like any scenario file.
pub fn scenario() -> Scenario {
    Scenario::parse(SCENARIO_RON, "benches/yardstick.ron")
        .unwrap_or_else(|e| panic!("benches/yardstick.ron: {e}"))
}

/// The model's constants, read once from the parameters.
#[derive(Clone, Debug)]
pub struct Model {
    users: usize,
    situations: PoissonTable,
    base_rate: f64,
    /// Probability that the model flags a situation, by truth (FPR, TPR).
    flag: [f64; 2],
    /// Probability that the user acts alone, by truth (own FPR, own TPR).
    own: [f64; 2],
    max_per_day: u32,
    salience: f64,
    intrusiveness: f64,
    /// push × forcefulness: how far a prompt moves compliance toward certainty.
    push: f64,
    attention_minutes: f64,
    value_correct_action: f64,
    false_action_cost: f64,
    missed_harm: f64,
    value_per_minute: f64,
    trust_initial: f64,
    trust_gain: f64,
    trust_loss: f64,
    silent_miss_blame: f64,
    outcome_visibility: f64,
    fatigue_sensitivity: f64,
    fatigue_recovery: f64,
    baseline_value: f64,
    sentiment_scale: f64,
    sentiment_rate: f64,
    churn_per_day: f64,
}

impl Model {
    /// The model of these user-world parameters, or what they switch on
    /// that the yardstick leaves out.
    pub fn from_params(p: &ParamValues) -> Result<Self, String> {
        let off = [
            "world.share_b",
            "world.base_rate_drift_per_year",
            "world.shift_day",
            "model.spec",
            "model.abstain_band",
            "model.drift_per_year",
            "model.retrain_every_days",
            "model.explore_share",
            "experience.surface",
            "people.verify_skill",
            "people.complacency",
            "people.skill_spread",
            "people.signups_per_day",
            "people.word_of_mouth",
            "guardrail.harm_cap_on",
            "guardrail.review_on",
            "guardrail.shutdown_on",
        ];
        if let Some(id) = off.iter().find(|id| p.get(id) != 0.0) {
            return Err(format!("{id} = {}: the yardstick leaves it out", p.get(id)));
        }
        let need = [
            ("experience.enabled", 1.0, "on"),
            ("experience.mode", 1.0, "prompt"),
            ("experience.cap_keeps", 1.0, "first"),
        ];
        if let Some((id, _, what)) = need.iter().find(|(id, v, _)| p.get(id) != *v) {
            return Err(format!("{id}: the yardstick needs {what}"));
        }
        let forcefulness = p.get("experience.forcefulness");
        let threshold = p.get("model.threshold");
        let dprime = dprime_from_auc(p.get("model.auc"));
        Ok(Self {
            users: p.get("world.users") as usize,
            situations: PoissonTable::new(p.get("world.situations_per_day")),
            base_rate: p.get("world.base_rate_a"),
            flag: [1.0 - phi(threshold), 1.0 - phi(threshold - dprime)],
            own: [p.get("people.own_fpr"), p.get("people.own_tpr")],
            max_per_day: p.get("experience.max_per_day") as u32,
            // The prompt mode's salience and intrusiveness.
            salience: 0.7 + 0.3 * forcefulness,
            intrusiveness: 0.5 + 0.5 * forcefulness,
            push: p.get("people.push") * forcefulness,
            attention_minutes: p.get("experience.attention_minutes"),
            value_correct_action: p.get("value.correct_action"),
            false_action_cost: p.get("value.false_action_cost"),
            missed_harm: p.get("value.missed_harm"),
            value_per_minute: p.get("value.minute"),
            trust_initial: p.get("people.trust_initial"),
            trust_gain: p.get("people.trust_gain"),
            trust_loss: p.get("people.trust_loss"),
            silent_miss_blame: p.get("people.silent_miss_blame"),
            outcome_visibility: p.get("people.outcome_visibility"),
            fatigue_sensitivity: p.get("people.fatigue_sensitivity"),
            fatigue_recovery: p.get("people.fatigue_recovery"),
            baseline_value: p.get("people.baseline_value"),
            sentiment_scale: p.get("people.sentiment_scale"),
            sentiment_rate: 1.0 / p.get("people.sentiment_memory_days"),
            churn_per_day: p.get("people.churn_per_day"),
        })
    }
}

/// The population, one array per attribute (departed users are removed).
#[derive(Clone, Debug, Default)]
pub struct Population {
    pub trust: Vec<f32>,
    pub fatigue: Vec<f32>,
    pub sentiment: Vec<f32>,
}

/// One day's measures, defined as ixsim defines its columns of the same
/// name (see [`Statistics::of_history`]).
#[derive(Clone, Copy, Debug, Default)]
struct DayTally {
    surfaced: u64,
    noticed: u64,
    followed: u64,
    harm: f64,
    trust_sum: f64,
    sentiment_sum: f64,
    stayed: u64,
}

/// A run of the yardstick: the model, its population and the statistics so far.
#[derive(Clone, Debug)]
pub struct Yardstick {
    model: Model,
    seed: u64,
    day: u32,
    pop: Population,
    sums: Sums,
    /// User-days simulated so far (users at the start of each day, summed).
    user_days: u64,
}

/// Per-day measures summed over the days run.
#[derive(Clone, Copy, Debug, Default)]
struct Sums {
    trust: f64,
    compliance: f64,
    prompts_per_user: f64,
    harm_per_user: f64,
    sentiment: f64,
}

impl Yardstick {
    /// Day 0 of the model, seeded.
    pub fn new(model: Model, seed: u64) -> Self {
        let n = model.users;
        let pop = Population {
            trust: vec![model.trust_initial as f32; n],
            fatigue: vec![0.0; n],
            sentiment: vec![0.0; n],
        };
        Self {
            model,
            seed,
            day: 0,
            pop,
            sums: Sums::default(),
            user_days: 0,
        }
    }

    /// Runs `days` more days.
    pub fn run(&mut self, days: u32) {
        for _ in 0..days {
            self.step();
        }
    }

    /// User-days simulated so far.
    pub fn user_days(&self) -> u64 {
        self.user_days
    }

    /// Active users.
    pub fn active(&self) -> usize {
        self.pop.trust.len()
    }

    /// One day: every active user's situations in order, then the night.
    pub fn step(&mut self) {
        self.day += 1;
        let m = &self.model;
        let pop = &mut self.pop;
        let mut r: SimRng = rng::stream(self.seed, Stream::Loop, 0, u64::from(self.day));
        let served = pop.trust.len();
        self.user_days += served as u64;
        let mut t = DayTally::default();
        let mut i = 0;
        while i < pop.trust.len() {
            let mut trust = f64::from(pop.trust[i]);
            let mut fatigue = f64::from(pop.fatigue[i]);
            let (mut value, mut harm, mut minutes) = (0.0, 0.0, 0.0);
            let mut shown = 0u32;
            let n = m.situations.sample(r.next_u64());
            for _ in 0..n {
                let (u_truth, u_own) = rng::unit_pair(r.next_u64());
                let (u_flag, u_stake) = rng::unit_pair(r.next_u64());
                let truth = u_truth < m.base_rate;
                let flagged = u_flag < m.flag[usize::from(truth)];
                let mut act = u_own < m.own[usize::from(truth)];
                let mut involved = false;
                if flagged && shown < m.max_per_day {
                    shown += 1;
                    t.surfaced += 1;
                    let compliance =
                        (trust + m.push * (1.0 - trust)) * (-m.fatigue_sensitivity * fatigue).exp();
                    minutes += m.attention_minutes * m.intrusiveness;
                    fatigue += m.intrusiveness;
                    let (u_notice, u_follow) = rng::unit_pair(r.next_u64());
                    involved = u_notice < m.salience;
                    let follows = involved && u_follow < compliance;
                    act |= follows;
                    t.noticed += u64::from(involved);
                    t.followed += u64::from(follows);
                }
                // Trust moves on a visible outcome of a prompt the user saw,
                // and on a visible miss the system was silent about.
                let silent_miss = truth && !flagged && !act;
                if (involved || silent_miss) && rng::uniform(&mut r) < m.outcome_visibility {
                    trust -= if !involved {
                        m.silent_miss_blame * m.trust_loss * trust
                    } else if truth {
                        -m.trust_gain * (1.0 - trust)
                    } else {
                        m.trust_loss * trust
                    };
                }
                if act {
                    if truth {
                        value += m.value_correct_action;
                    } else {
                        harm += m.false_action_cost;
                    }
                } else if truth {
                    // The stake of a miss is exponential around the mean harm.
                    harm += m.missed_harm * -(1.0 - u_stake).ln();
                }
            }
            let net = value - harm - minutes * m.value_per_minute;
            let x = (m.baseline_value + net) / m.sentiment_scale;
            let mut sentiment = f64::from(pop.sentiment[i]);
            sentiment += m.sentiment_rate * (x / (1.0 + x.abs()) - sentiment);
            let trust = trust.clamp(0.0, 1.0);
            let fatigue = fatigue * (1.0 - m.fatigue_recovery);
            t.harm += harm;
            if rng::uniform(&mut r) < m.churn_per_day * -sentiment {
                pop.trust.swap_remove(i);
                pop.fatigue.swap_remove(i);
                pop.sentiment.swap_remove(i);
            } else {
                pop.trust[i] = trust as f32;
                pop.fatigue[i] = fatigue as f32;
                pop.sentiment[i] = sentiment as f32;
                t.trust_sum += trust;
                t.sentiment_sum += sentiment;
                t.stayed += 1;
                i += 1;
            }
        }
        let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { 0.0 };
        let served = served.max(1) as f64;
        let stayed = t.stayed as f64;
        self.sums.trust += ratio(t.trust_sum, stayed);
        self.sums.compliance += ratio(t.followed as f64, t.noticed as f64);
        self.sums.prompts_per_user += t.surfaced as f64 / served;
        self.sums.harm_per_user += t.harm / served;
        self.sums.sentiment += ratio(t.sentiment_sum, stayed);
    }

    /// The statistics of the days run so far.
    pub fn statistics(&self) -> Statistics {
        let days = f64::from(self.day.max(1));
        let s = self.sums;
        Statistics {
            users: self.model.users,
            days: self.day,
            active_share: self.active() as f64 / self.model.users.max(1) as f64,
            trust: s.trust / days,
            compliance: s.compliance / days,
            prompts_per_user: s.prompts_per_user / days,
            harm_per_user: s.harm_per_user / days,
            sentiment: s.sentiment / days,
        }
    }
}

/// What a run of the model shows, for comparing the yardstick with ixsim:
/// the share of users still active at the end, and the means over the days
/// of ixsim's daily measures of the same name.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Statistics {
    /// Users on day 1.
    pub users: usize,
    /// Days run.
    pub days: u32,
    /// Active users after the last day, as a share of those on day 1.
    pub active_share: f64,
    /// Mean trust of the users who stayed (`user.trust`).
    pub trust: f64,
    /// Share of noticed prompts followed (`user.compliance`).
    pub compliance: f64,
    /// Prompts per user and day (`leading.interventions_per_user`).
    pub prompts_per_user: f64,
    /// Harm per user and day, $ (`user.harm_per_user`).
    pub harm_per_user: f64,
    /// Mean sentiment of the users who stayed (`leading.sentiment`).
    pub sentiment: f64,
}

impl Statistics {
    /// The same statistics of an ixsim run of `users` users.
    pub fn of_history(h: &History, users: usize) -> Self {
        let metrics = WorldKind::Users.metrics();
        let column = |id: &str| {
            let c = metrics
                .iter()
                .position(|m| m.id == id)
                .unwrap_or_else(|| panic!("no metric {id}"));
            h.column(c)
        };
        let days = h.days().max(1) as f64;
        let mean = |id: &str| column(id).sum::<f64>() / days;
        Self {
            users,
            days: h.days() as u32,
            active_share: column("leading.active_users").last().unwrap_or(0.0)
                / users.max(1) as f64,
            trust: mean("user.trust"),
            compliance: mean("user.compliance"),
            prompts_per_user: mean("leading.interventions_per_user"),
            harm_per_user: mean("user.harm_per_user"),
            sentiment: mean("leading.sentiment"),
        }
    }

    /// Names, values and Monte-Carlo tolerances of the statistics.
    ///
    /// A tolerance is five standard errors of the difference of two
    /// independent runs of `users` users over `days` days. The standard
    /// errors scale as 1/√users (1/√user-days for the per-user-day means of
    /// prompts and harm, nearly independent from day to day) from spreads
    /// measured on this model over six seeds of both programs at 40,000
    /// users and 20 days, rounded up by a third or more: per user, 0.3 for
    /// the active share, 0.1 for trust, 0.03 for sentiment, 0.25 per
    /// noticed prompt (half the users notice one a day) for compliance; per
    /// user-day, 1.5 prompts and 15 $ of harm.
    pub fn rows(&self) -> [(&'static str, f64, f64); 6] {
        let n = self.users.max(1) as f64;
        let nd = n * f64::from(self.days.max(1));
        let tol = |sd: f64, count: f64| 5.0 * std::f64::consts::SQRT_2 * sd / count.sqrt();
        [
            ("active share", self.active_share, tol(0.3, n)),
            ("mean trust", self.trust, tol(0.1, n)),
            ("compliance", self.compliance, tol(0.25, 0.5 * n)),
            ("prompts per user-day", self.prompts_per_user, tol(1.5, nd)),
            ("harm per user-day", self.harm_per_user, tol(15.0, nd)),
            ("sentiment", self.sentiment, tol(0.03, n)),
        ]
    }

    /// Whether two runs agree within Monte-Carlo tolerance; the first
    /// statistic that does not, with both values, if any.
    pub fn agree(&self, other: &Statistics) -> Result<(), String> {
        for ((name, a, tol), (_, b, _)) in self.rows().into_iter().zip(other.rows()) {
            if (a - b).abs() > tol {
                return Err(format!("{name}: {a:.4} vs {b:.4} (tolerance ±{tol:.4})"));
            }
        }
        Ok(())
    }
}
