//! An experiment run day by day in one user world: the split, each day's
//! estimate of B − A on the team's metric from per-user sums (delta method:
//! every per-user measure here is a ratio of a user's sums, e.g. warnings
//! noticed per day active), the always-valid p-value, the sample size the
//! plan needs, and what each stopping rule decided. Beside it the truth the
//! team never sees: the same two designs run separately on the same seed
//! (common random numbers) over the full horizon, on hidden measures.
//!
//! Deterministic: a pure function of the spec (no clock, no threads inside
//! one run; [`aa_rates`] spreads seeds over threads and gathers them in order).

use super::stats::{Decision, Estimate, Msprt, PairMoments, Plan, StopRule, Stopper, delta_ratio};
use crate::sim::registry::Better;
use crate::sim::users::{METRICS, UsersWorld};
use crate::sim::{ParamValues, Simulation, WorldKind, rng};

/// Significance level of every rule (two-sided).
pub const ALPHA: f64 = 0.05;
/// Power the sample-size plan asks for.
pub const POWER: f64 = 0.8;
/// Days of the truth's oracle runs beside an experiment in the app and in
/// lessons: a year, the horizon the product is judged on.
pub const TRUTH_DAYS: u32 = 365;
/// The stopping rules' names in sentences, in [`RULES`] order.
pub const RULE_NAMES: [&str; 3] = ["Peeking", "Fixed horizon", "Sequential"];
/// Longest experiment the app offers and a lesson step may run, in days (a
/// quarter; longer tests are rare in practice and the CLI allows them).
pub const MAX_VIEW_DAYS: u32 = 90;

/// What to run.
#[derive(Clone, Debug)]
pub struct ExperimentSpec {
    /// Control's parameters (the world's own: population, model, design A).
    pub params_a: ParamValues,
    /// Treatment's parameters (only the design parts apply to B's users).
    pub params_b: ParamValues,
    /// Share of users in B, in [0, 1].
    pub share_b: f64,
    /// The decision metric, a column of the user world's row.
    pub metric: usize,
    /// Days the experiment may last; the fixed-horizon test looks on the last.
    pub days: u32,
    /// The seed of the world.
    pub seed: u64,
    /// The smallest effect worth finding, relative to control's mean (0.05 =
    /// 5 %): the sample-size plan's MDE and the mSPRT's mixing spread.
    pub mde_relative: f64,
}

/// One day's look.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Look {
    /// Day of the experiment, from 1.
    pub day: u32,
    /// Units (users) in A and B so far.
    pub units: [u64; 2],
    /// Each arm's measure so far (ratio of its users' sums).
    pub means: [f64; 2],
    /// B − A with its 95 % interval and p-value (None below two units an arm).
    pub estimate: Option<Estimate>,
    /// The always-valid (mSPRT) p-value so far.
    pub always_valid_p: f64,
    /// Units both arms together need for the plan (MDE, α, power) at the
    /// spread seen so far.
    pub units_needed: Option<u64>,
}

/// The stopping rules every experiment is judged by, in output order.
pub const RULES: [&str; 3] = ["peeking", "fixed", "sequential"];

/// What a rule's decision means for the product.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Still running (no decision yet).
    Running,
    /// B is significantly better on the metric: ship B.
    ShipB,
    /// B is significantly worse: keep A.
    BWorse,
    /// No significant difference: keep A.
    NoDifference,
}

impl Verdict {
    /// The CSV word.
    pub fn id(self) -> &'static str {
        match self {
            Verdict::Running => "running",
            Verdict::ShipB => "ship_b",
            Verdict::BWorse => "b_worse",
            Verdict::NoDifference => "no_difference",
        }
    }

    fn of(decision: Option<Decision>, better: Better) -> Self {
        match decision {
            None => Verdict::Running,
            Some(d) if !d.significant => Verdict::NoDifference,
            Some(d) => {
                let b_better = match better {
                    Better::Up | Better::Neither => d.difference > 0.0,
                    Better::Down => d.difference < 0.0,
                };
                if b_better {
                    Verdict::ShipB
                } else {
                    Verdict::BWorse
                }
            }
        }
    }
}

/// A finished experiment.
#[derive(Clone, Debug)]
pub struct ExperimentRun {
    /// One look per day.
    pub looks: Vec<Look>,
    /// Per day, each rule's verdict as of that day (in [`RULES`] order).
    pub verdicts: Vec<[Verdict; 3]>,
    /// Each rule's decision, if it stopped (a rule still running at the end
    /// found no difference).
    pub decisions: [Option<Decision>; 3],
    /// Each arm's day rows (the world's columns from that arm's users).
    pub arm_rows: [Vec<Vec<f64>>; 2],
}

impl ExperimentRun {
    /// Each rule's final verdict (a rule still running at the end: no difference).
    pub fn final_verdicts(&self) -> [Verdict; 3] {
        self.verdicts
            .last()
            .map_or([Verdict::NoDifference; 3], |v| {
                v.map(|x| {
                    if x == Verdict::Running {
                        Verdict::NoDifference
                    } else {
                        x
                    }
                })
            })
    }
}

/// Why an experiment cannot run.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ExperimentError {
    /// The scenario is not of the user world.
    #[error("experiments run in the user world only (this scenario is of the {0} world)")]
    World(&'static str),
    /// The metric has no per-user form.
    #[error("--metric {0}: not a per-user measure; expected one of {list}", list = crate::sim::users::experiment_metrics().collect::<Vec<_>>().join(", "))]
    Metric(String),
    /// A share outside [0, 1].
    #[error("--split {0}: expected a share from 0 to 1")]
    Split(f64),
    /// No days.
    #[error("--days 0: an experiment needs at least one day")]
    Days,
    /// Stopped before its last day (see [`ExperimentSpec::run_until`]).
    #[error("the experiment was stopped before its last day")]
    Stopped,
}

/// The decision metric's column by id, if it has a per-user form.
pub fn metric_column(id: &str) -> Result<usize, ExperimentError> {
    crate::sim::users::experiment_metrics()
        .any(|m| m == id)
        .then(|| METRICS.iter().position(|m| m.id == id))
        .flatten()
        .ok_or_else(|| ExperimentError::Metric(id.to_string()))
}

impl ExperimentSpec {
    /// Checks the spec's values.
    pub fn check(&self) -> Result<(), ExperimentError> {
        if !(0.0..=1.0).contains(&self.share_b) {
            return Err(ExperimentError::Split(self.share_b));
        }
        if self.days == 0 {
            return Err(ExperimentError::Days);
        }
        let id = METRICS.get(self.metric).map_or("", |m| m.id);
        if !crate::sim::users::experiment_metrics().any(|m| m == id) {
            return Err(ExperimentError::Metric(id.to_string()));
        }
        Ok(())
    }

    /// Runs the experiment.
    pub fn run(&self) -> Result<ExperimentRun, ExperimentError> {
        self.run_until(|| false)
    }

    /// Runs the experiment, asking `stopped` before each day; once it says
    /// yes the run ends with [`ExperimentError::Stopped`].
    pub fn run_until(&self, stopped: impl Fn() -> bool) -> Result<ExperimentRun, ExperimentError> {
        self.check()?;
        let mut world = UsersWorld::new(&self.params_a, self.seed);
        if !world.start_experiment(&self.params_b, self.share_b, self.metric) {
            return Err(ExperimentError::Metric(METRICS[self.metric].id.to_string()));
        }
        let better = METRICS[self.metric].better;
        let mut row = vec![0.0; METRICS.len()];
        let mut events = Vec::new();
        let mut stoppers = [
            Stopper::new(StopRule::Peeking, ALPHA),
            Stopper::new(StopRule::FixedHorizon { day: self.days }, ALPHA),
            Stopper::new(StopRule::Sequential, ALPHA),
        ];
        let mut msprt: Option<Msprt> = None;
        let mut run = ExperimentRun {
            looks: Vec::with_capacity(self.days as usize),
            verdicts: Vec::with_capacity(self.days as usize),
            decisions: [None; 3],
            arm_rows: [Vec::new(), Vec::new()],
        };
        for day in 1..=self.days {
            if stopped() {
                return Err(ExperimentError::Stopped);
            }
            while !world.step_part(day, usize::MAX, &mut row, &mut events) {}
            events.clear();
            let Some(arms) = world.experiment() else {
                break;
            };
            let mut moments = [PairMoments::default(); 2];
            for (in_b, num, den) in arms.units() {
                moments[usize::from(in_b)].push(num, den);
            }
            for (k, r) in arms.rows().iter().enumerate() {
                run.arm_rows[k].push(r.to_vec());
            }
            let means = moments.map(|m| m.ratio().unwrap_or(0.0));
            let estimate = delta_ratio(&moments[0], &moments[1], 1.0 - ALPHA);
            let mde = self.mde_relative * means[0].abs();
            let mut units_needed = None;
            let mut always_valid_p = msprt.map_or(1.0, |m| m.p_value());
            if let Some(e) = &estimate {
                if mde > 0.0 && e.std_error > 0.0 {
                    let test = msprt.get_or_insert_with(|| Msprt::new(mde));
                    always_valid_p = test.look(e);
                }
                let (na, nb) = (moments[0].n() as f64, moments[1].n() as f64);
                let std_dev = e.std_error / (1.0 / na + 1.0 / nb).sqrt();
                units_needed = Plan {
                    min_detectable_effect: mde,
                    std_dev,
                    share_b: self.share_b,
                    alpha: ALPHA,
                    power: POWER,
                }
                .units_needed();
                for s in &mut stoppers {
                    s.look(day, e, always_valid_p);
                }
            }
            run.looks.push(Look {
                day,
                units: moments.map(|m| m.n()),
                means,
                estimate,
                always_valid_p,
                units_needed,
            });
            run.verdicts
                .push(stoppers.map(|s| Verdict::of(s.decision(), better)));
        }
        run.decisions = stoppers.map(|s| s.decision());
        Ok(run)
    }
}

/// Seed of A/A replication `i` derived from `seed`.
pub fn aa_seed(seed: u64, i: u32) -> u64 {
    rng::mix64(seed ^ rng::mix64(0xA1A1 ^ u64::from(i)))
}

/// False-positive rates of the three rules (in [`RULES`] order) over
/// `seeds` A/A experiments (B = A): the share of experiments in which each
/// rule declared a difference. Runs on up to `threads` threads; the result
/// does not depend on how many.
pub fn aa_rates(
    spec: &ExperimentSpec,
    seeds: u32,
    threads: usize,
) -> Result<[f64; 3], ExperimentError> {
    aa_rates_until(spec, seeds, threads, || false, || {})
}

/// [`aa_rates`] that asks `stopped` before each rerun (and ends with
/// [`ExperimentError::Stopped`] once it says so) and calls `rerun_done`
/// after each, for a progress bar.
pub fn aa_rates_until(
    spec: &ExperimentSpec,
    seeds: u32,
    threads: usize,
    stopped: impl Fn() -> bool + Sync,
    rerun_done: impl Fn() + Sync,
) -> Result<[f64; 3], ExperimentError> {
    spec.check()?;
    let aa = ExperimentSpec {
        params_b: spec.params_a.clone(),
        ..spec.clone()
    };
    let threads = threads.clamp(1, seeds.max(1) as usize);
    let results: Vec<Result<[bool; 3], ExperimentError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let (aa, stopped, rerun_done) = (&aa, &stopped, &rerun_done);
                scope.spawn(move || {
                    (0..seeds)
                        .filter(|i| *i as usize % threads == t)
                        .map(|i| {
                            if stopped() {
                                return Err(ExperimentError::Stopped);
                            }
                            let run = ExperimentSpec {
                                seed: aa_seed(aa.seed, i),
                                ..aa.clone()
                            }
                            .run_until(stopped)?;
                            rerun_done();
                            Ok(run.decisions.map(|d| d.is_some_and(|d| d.significant)))
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    let mut counts = [0u32; 3];
    for r in results {
        for (c, hit) in counts.iter_mut().zip(r?) {
            *c += u32::from(hit);
        }
    }
    Ok(counts.map(|c| f64::from(c) / f64::from(seeds.max(1))))
}

/// The truth beside an experiment: both designs run separately on the same
/// seed (common random numbers) over `horizon_days`, on hidden measures.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Truth {
    /// Days of the oracle runs.
    pub horizon_days: u32,
    /// Net value per user summed over the horizon ($), A and B.
    pub net_value_per_user: [f64; 2],
    /// Active users at the end of the horizon, A and B.
    pub active_users: [f64; 2],
}

impl Truth {
    /// Runs both designs alone for `horizon_days` on `seed`.
    pub fn compute(
        params_a: &ParamValues,
        params_b: &ParamValues,
        horizon_days: u32,
        seed: u64,
    ) -> Self {
        let net = crate::sim::users::METRICS
            .iter()
            .position(|m| m.id == "user.net_value_per_user")
            .unwrap_or(0);
        let active = METRICS
            .iter()
            .position(|m| m.id == "leading.active_users")
            .unwrap_or(0);
        let one = |p: &ParamValues| {
            let mut sim = Simulation::new(WorldKind::Users, p.clone(), seed);
            sim.run(horizon_days);
            let h = sim.history();
            let value: f64 = h.column(net).sum();
            let users = h.last().map_or(0.0, |r| r[active]);
            (value, users)
        };
        let (va, ua) = one(params_a);
        let (vb, ub) = one(params_b);
        Self {
            horizon_days,
            net_value_per_user: [va, vb],
            active_users: [ua, ub],
        }
    }

    /// B's net value per user minus A's, over the horizon ($).
    pub fn value_difference(&self) -> f64 {
        self.net_value_per_user[1] - self.net_value_per_user[0]
    }

    /// B's active users relative to A's at the end, minus 1 (−0.03: B ends
    /// with 3 % fewer users).
    pub fn users_difference(&self) -> f64 {
        if self.active_users[0] > 0.0 {
            self.active_users[1] / self.active_users[0] - 1.0
        } else {
            0.0
        }
    }

    /// B is better in truth: more net value per user, and no more than 1 %
    /// fewer users (an assumption: a loss of users the team would not trade
    /// for value).
    pub fn b_better(&self) -> bool {
        self.value_difference() > 0.0 && self.users_difference() > -0.01
    }

    /// The verdict line on what `shipped` (the team's decision) did.
    pub fn verdict(&self, ships_b: bool) -> String {
        let years = f64::from(self.horizon_days) / 365.0;
        let span = if (years - 1.0).abs() < 1e-9 {
            "over a year".to_string()
        } else {
            format!("over {} days", self.horizon_days)
        };
        let value = self.value_difference();
        let users = self.users_difference() * 100.0;
        let kept = if users.abs() < 0.05 {
            "keeps as many users".to_string()
        } else {
            format!(
                "{} {:.1} % of users",
                if users >= 0.0 { "gains" } else { "loses" },
                users.abs()
            )
        };
        let consequence = format!(
            "{span} B {} ${:.2} per user and {kept}",
            if value >= 0.0 { "gains" } else { "loses" },
            value.abs(),
        );
        match (ships_b, self.b_better()) {
            (true, true) | (false, false) => format!(
                "The experiment agreed with the truth: it {} B; {consequence}.",
                if ships_b { "shipped" } else { "did not ship" }
            ),
            (true, false) => format!("The experiment would have shipped B; {consequence}."),
            (false, true) => format!("The experiment would have kept A; {consequence}."),
        }
    }
}

/// One line per stopping rule, in [`RULES`] order: what the rule decided
/// and what that decision does over the truth's horizon.
pub fn verdict_lines(run: &ExperimentRun, truth: &Truth) -> [String; 3] {
    let finals = run.final_verdicts();
    std::array::from_fn(|k| {
        let decided = match (run.decisions[k], finals[k]) {
            (Some(d), Verdict::ShipB) => format!("ships B on day {}", d.day),
            (Some(d), Verdict::BWorse) => format!("finds B worse on day {}", d.day),
            _ => "finds no difference".to_string(),
        };
        format!(
            "{}: {decided}. {}",
            RULE_NAMES[k],
            truth.verdict(finals[k] == Verdict::ShipB)
        )
    })
}

/// One line per stopping rule, in [`RULES`] order, for A/A reruns: how
/// often it declared a difference between identical designs.
pub fn aa_lines(rates: [f64; 3], seeds: u32, days: u32) -> [String; 3] {
    std::array::from_fn(|k| {
        format!(
            "{}: a \"significant\" difference in {:.1} % of {seeds} identical {days}-day tests (nominal {:.0} %).",
            RULE_NAMES[k],
            rates[k] * 100.0,
            ALPHA * 100.0
        )
    })
}
