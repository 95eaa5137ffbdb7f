//! The simulation core: worlds, their parameters and measures, one day at a time.
//!
//! Sans-IO, sans-GUI, sans-clock: this module knows nothing of files, egui,
//! threads or wall time. Input is a validated [`ParamValues`] plus a seed;
//! output is the world's state and one row of measures per simulated day,
//! kept in a [`History`]. A run is a pure function of (world, parameters,
//! seed, parameter changes and the days they were made on).
//!
//! Worlds:
//! - [`users`]: a population of people meeting a model through an interaction
//!   design (the chain of the domain guide);
//! - [`policing`], [`lending`], [`recommender`]: feedback-loop worlds.

pub mod choice;
pub mod lending;
pub mod observe;
pub mod policing;
pub mod recommender;
pub mod registry;
pub mod rng;
pub mod stats;
#[cfg(test)]
mod testkit;
pub mod users;

pub use registry::{
    Better, Choice, Group, Layer, ListSpec, MetricSpec, Noun, ParamError, ParamKind, ParamSpec,
    ParamValues, Per, Provenance, RawValue, Shorthand, TableError, Unit,
};

/// Largest run length, in days (memory of the history stays bounded).
pub const MAX_DAYS: u32 = 36_500;

/// The kinds of world ixsim simulates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum WorldKind {
    /// People using a product with an ML component.
    Users,
    /// Patrol allocation with discovered incidents (predictive policing).
    Policing,
    /// Lending to two groups with delayed impact on credit scores.
    Lending,
    /// Recommendations trading engagement against long-term satisfaction.
    Recommender,
}

impl WorldKind {
    /// Every world kind.
    pub const ALL: [WorldKind; 4] = [
        WorldKind::Users,
        WorldKind::Policing,
        WorldKind::Lending,
        WorldKind::Recommender,
    ];

    /// Position in [`Self::ALL`]. Exhaustive, so adding a world stops the
    /// build here, next to [`Self::ALL`]; a test checks that every kind in
    /// [`Self::ALL`] sits at its position.
    pub const fn position(self) -> usize {
        match self {
            WorldKind::Users => 0,
            WorldKind::Policing => 1,
            WorldKind::Lending => 2,
            WorldKind::Recommender => 3,
        }
    }

    /// Stable id, as written in scenario files.
    pub fn id(self) -> &'static str {
        match self {
            WorldKind::Users => "users",
            WorldKind::Policing => "policing",
            WorldKind::Lending => "lending",
            WorldKind::Recommender => "recommender",
        }
    }

    /// Parses an id.
    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.id() == id)
    }

    /// The world's parameter table.
    pub fn params(self) -> &'static [ParamSpec] {
        match self {
            WorldKind::Users => users::PARAMS,
            WorldKind::Policing => policing::PARAMS,
            WorldKind::Lending => lending::PARAMS,
            WorldKind::Recommender => recommender::PARAMS,
        }
    }

    /// The world's measure table (the CSV columns after `replication,day`).
    pub fn metrics(self) -> &'static [MetricSpec] {
        match self {
            WorldKind::Users => users::METRICS,
            WorldKind::Policing => policing::METRICS,
            WorldKind::Lending => lending::METRICS,
            WorldKind::Recommender => recommender::METRICS,
        }
    }

    /// The measures heading the Compare table (columns of [`Self::metrics`]).
    pub fn headlines(self) -> &'static [usize] {
        match self {
            WorldKind::Users => users::HEADLINES,
            WorldKind::Policing => policing::HEADLINES,
            WorldKind::Lending => lending::HEADLINES,
            WorldKind::Recommender => recommender::HEADLINES,
        }
    }

    /// The key measures shown as cards (columns of [`Self::metrics`]).
    pub fn key_measures(self) -> &'static [usize] {
        match self {
            WorldKind::Users => users::KEY_MEASURES,
            WorldKind::Policing => policing::KEY_MEASURES,
            WorldKind::Lending => lending::KEY_MEASURES,
            WorldKind::Recommender => recommender::KEY_MEASURES,
        }
    }

    /// Every parameter at its default.
    pub fn defaults(self) -> ParamValues {
        ParamValues::defaults(self.params())
    }

    /// Checks rules that tie parameters together (each value alone was
    /// checked when it was set): in the user world a binormal model's
    /// deployed AUC may not exceed the ceiling that retraining approaches,
    /// or retraining would only ever make the model worse.
    pub fn check_limits(self, params: &ParamValues) -> Result<(), ParamError> {
        params.check_lists()?;
        match self {
            WorldKind::Users => match params.choice::<users::ModelSpec>("model.spec") {
                users::ModelSpec::Binormal => {
                    params.check_at_most("model.auc", "model.auc_ceiling")
                }
                // Given as error rates, the model's AUC is not `model.auc`.
                users::ModelSpec::Rates => Ok(()),
            },
            WorldKind::Policing | WorldKind::Lending | WorldKind::Recommender => Ok(()),
        }
    }

    /// True when `params` are values of this world's parameter table.
    pub fn owns(self, params: &ParamValues) -> bool {
        registry::same_table(params.specs(), self.params())
    }
}

/// Something that happened during a run, shown as a marker on time axes.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    /// The first day the event affects (1-based).
    pub day: u32,
    /// What happened.
    pub kind: EventKind,
}

/// The kinds of [`Event`].
#[derive(Clone, Debug, PartialEq)]
pub enum EventKind {
    /// A person changed a parameter mid-run.
    ParamChanged {
        /// The parameter.
        id: &'static str,
        /// Value before.
        from: f64,
        /// Value after.
        to: f64,
    },
    /// The model was retrained; its new AUC (first group).
    Retrained {
        /// AUC after retraining.
        auc: f64,
    },
    /// The world changed under the model (concept drift event).
    WorldShift,
    /// A guardrail switched the system off.
    Shutdown,
    /// The system came back after a shutdown.
    Restored,
}

impl Event {
    /// A short description for tooltips and logs.
    pub fn describe(&self) -> String {
        match &self.kind {
            EventKind::ParamChanged { id, from, to } => format!(
                "day {}: {id} {} → {}",
                self.day,
                crate::format::real(*from),
                crate::format::real(*to)
            ),
            EventKind::Retrained { auc } => {
                format!("day {}: model retrained (AUC {auc:.3})", self.day)
            }
            EventKind::WorldShift => format!("day {}: the world changed", self.day),
            EventKind::Shutdown => format!("day {}: guardrail switched the system off", self.day),
            EventKind::Restored => format!("day {}: system back on", self.day),
        }
    }
}

/// Per-day measures of a run: one row per day, one column per metric.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct History {
    columns: usize,
    data: Vec<f64>,
}

impl History {
    /// An empty history with this many metrics per day.
    pub fn new(columns: usize) -> Self {
        Self {
            columns,
            data: Vec::new(),
        }
    }

    /// Number of days recorded.
    pub fn days(&self) -> usize {
        self.data.len().checked_div(self.columns).unwrap_or(0)
    }

    /// Number of metrics per day.
    pub fn columns(&self) -> usize {
        self.columns
    }

    /// Measures of day `day` (1-based).
    pub fn row(&self, day: usize) -> &[f64] {
        let start = (day - 1) * self.columns;
        &self.data[start..start + self.columns]
    }

    /// All values of one metric, day 1 first.
    pub fn column(&self, metric: usize) -> impl ExactSizeIterator<Item = f64> + '_ {
        self.data
            .iter()
            .skip(metric)
            .step_by(self.columns.max(1))
            .copied()
    }

    /// Mean of a metric over the last `days` recorded days (at least one);
    /// `None` before day 1 or for a column the history does not have.
    pub fn recent_mean(&self, metric: usize, days: usize) -> Option<f64> {
        let n = self.days();
        if n == 0 || metric >= self.columns {
            return None;
        }
        let take = days.clamp(1, n);
        let sum: f64 = self.column(metric).skip(n - take).sum();
        Some(sum / take as f64)
    }

    /// The last recorded row, if any.
    pub fn last(&self) -> Option<&[f64]> {
        (self.days() > 0).then(|| self.row(self.days()))
    }

    /// Reserves room for `days` more rows.
    pub fn reserve(&mut self, days: usize) {
        self.data.reserve(days * self.columns);
    }

    fn push_row(&mut self) -> &mut [f64] {
        let start = self.data.len();
        self.data.resize(start + self.columns, 0.0);
        &mut self.data[start..]
    }
}

/// A world of any kind.
#[derive(Clone, Debug)]
pub enum AnyWorld {
    /// See [`users::UsersWorld`].
    Users(Box<users::UsersWorld>),
    /// See [`policing::PolicingWorld`].
    Policing(policing::PolicingWorld),
    /// See [`lending::LendingWorld`].
    Lending(lending::LendingWorld),
    /// See [`recommender::RecommenderWorld`].
    Recommender(recommender::RecommenderWorld),
}

impl AnyWorld {
    fn new(kind: WorldKind, params: &ParamValues, seed: u64) -> Self {
        match kind {
            WorldKind::Users => AnyWorld::Users(Box::new(users::UsersWorld::new(params, seed))),
            WorldKind::Policing => AnyWorld::Policing(policing::PolicingWorld::new(params, seed)),
            WorldKind::Lending => AnyWorld::Lending(lending::LendingWorld::new(params, seed)),
            WorldKind::Recommender => {
                AnyWorld::Recommender(recommender::RecommenderWorld::new(params, seed))
            }
        }
    }

    fn configure(&mut self, params: &ParamValues) {
        match self {
            AnyWorld::Users(w) => w.configure(params),
            AnyWorld::Policing(w) => w.configure(params),
            AnyWorld::Lending(w) => w.configure(params),
            AnyWorld::Recommender(w) => w.configure(params),
        }
    }

    /// Simulates part of day `day` (at most `max_users` people of the user
    /// world; the other worlds are small and do a whole day). Returns true
    /// when the day is complete and its measures are in `out`.
    fn step_part(
        &mut self,
        day: u32,
        max_users: usize,
        out: &mut [f64],
        events: &mut Vec<Event>,
    ) -> bool {
        match self {
            AnyWorld::Users(w) => return w.step_part(day, max_users, out, events),
            AnyWorld::Policing(w) => w.step(day, out, events),
            AnyWorld::Lending(w) => w.step(day, out, events),
            AnyWorld::Recommender(w) => w.step(day, out, events),
        }
        true
    }

    fn day_in_progress(&self) -> bool {
        matches!(self, AnyWorld::Users(w) if w.day_in_progress())
    }
}

/// One run of one world: parameters, seed, state and its history.
#[derive(Clone, Debug)]
pub struct Simulation {
    kind: WorldKind,
    params: ParamValues,
    seed: u64,
    day: u32,
    world: AnyWorld,
    history: History,
    events: Vec<Event>,
    dirty: bool,
    /// Scratch row the world writes a day's measures into.
    row: Vec<f64>,
}

impl Simulation {
    /// A new run at day 0.
    ///
    /// `params` must belong to `kind` (it is built from `kind.defaults()`).
    pub fn new(kind: WorldKind, params: ParamValues, seed: u64) -> Self {
        debug_assert!(kind.owns(&params));
        let world = AnyWorld::new(kind, &params, seed);
        Self {
            kind,
            history: History::new(kind.metrics().len()),
            params,
            seed,
            day: 0,
            world,
            events: Vec::new(),
            dirty: false,
            row: vec![0.0; kind.metrics().len()],
        }
    }

    /// Advances one day (finishing a partly simulated one) and records its measures.
    pub fn step(&mut self) {
        while self.day < MAX_DAYS && !self.step_part(usize::MAX) {}
    }

    /// Advances part of a day: at most `max_users` people of the user world
    /// (the other worlds are small and do a whole day). Returns true when a
    /// day was completed and recorded. Results do not depend on how days are
    /// split, so a front end can keep each slice within its frame budget.
    pub fn step_part(&mut self, max_users: usize) -> bool {
        if self.day >= MAX_DAYS {
            return false;
        }
        if !self.day_in_progress() {
            // A column a world forgot to write reads 0, not yesterday's value.
            self.row.fill(0.0);
            if self.dirty {
                self.world.configure(&self.params);
                self.dirty = false;
            }
        }
        let day = self.day + 1;
        let done = self
            .world
            .step_part(day, max_users, &mut self.row, &mut self.events);
        if done {
            self.day = day;
            self.history.push_row().copy_from_slice(&self.row);
        }
        done
    }

    /// True while a day is partly simulated (see [`Self::step_part`]).
    pub fn day_in_progress(&self) -> bool {
        self.world.day_in_progress()
    }

    /// Advances `days` days.
    pub fn run(&mut self, days: u32) {
        self.history.reserve(days as usize);
        for _ in 0..days {
            self.step();
        }
    }

    /// Changes a parameter; it takes effect from the next day, and the change
    /// is recorded as an event. Returns the checked value.
    pub fn set_param(&mut self, id: &str, value: f64) -> Result<f64, ParamError> {
        let index = self.params.index_of(id)?;
        let from = self.params.values()[index];
        self.params.set_index(index, value)?;
        if from != value {
            self.dirty = true;
            // A day in progress keeps its parameters; the change starts the next.
            let first = self.day + if self.day_in_progress() { 2 } else { 1 };
            self.events.push(Event {
                day: first,
                kind: EventKind::ParamChanged {
                    id: self.params.specs()[index].id,
                    from,
                    to: value,
                },
            });
        }
        Ok(value)
    }

    /// Gives list parameter `id` its `items` (empty: none, the shorthand
    /// applies). Lists are part of the design a run starts from, so they are
    /// set at day 0 only; the length must match its parameter.
    ///
    /// # Errors
    /// [`ParamError::ListMidRun`] once a day has been simulated; a bad item,
    /// a wrong length, or an id that is not a list.
    pub fn set_list(&mut self, id: &str, items: Vec<f64>) -> Result<(), ParamError> {
        let index = self.params.index_of(id)?;
        let spec = &self.params.specs()[index];
        if !matches!(spec.kind, ParamKind::List(_)) {
            return Err(ParamError::WrongType {
                id: spec.id,
                expected: spec.range_text(),
                found: "a list".into(),
            });
        }
        if self.day > 0 || self.day_in_progress() {
            return Err(ParamError::ListMidRun { id: spec.id });
        }
        let mut next = self.params.clone();
        next.set_list_index(index, items)?;
        next.check_lists()?;
        *self = Self::new(self.kind, next, self.seed);
        Ok(())
    }

    /// Starts over at day 0 with the same seed and the current parameters.
    pub fn restart(&mut self) {
        *self = Self::new(self.kind, self.params.clone(), self.seed);
    }

    /// The world kind.
    pub fn kind(&self) -> WorldKind {
        self.kind
    }

    /// Current parameter values.
    pub fn params(&self) -> &ParamValues {
        &self.params
    }

    /// The seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Days simulated so far.
    pub fn day(&self) -> u32 {
        self.day
    }

    /// The world's state, for views.
    pub fn world(&self) -> &AnyWorld {
        &self.world
    }

    /// Measures of every day so far.
    pub fn history(&self) -> &History {
        &self.history
    }

    /// The recorded measures, keeping them when the run itself is done with.
    pub fn into_history(self) -> History {
        self.history
    }

    /// Parameter changes, retrainings and other events so far.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// The parameters the run started with (every recorded change undone).
    pub fn initial_params(&self) -> ParamValues {
        let mut p = self.params.clone();
        for e in self.events.iter().rev() {
            if let EventKind::ParamChanged { id, from, .. } = e.kind {
                // The recorded value was valid when it was set.
                let _ = p.set(id, from);
            }
        }
        p
    }

    /// The parameter changes made during the run: (first day affected, id, value).
    pub fn schedule(&self) -> Vec<(u32, &'static str, f64)> {
        self.events
            .iter()
            .filter_map(|e| match e.kind {
                EventKind::ParamChanged { id, to, .. } => Some((e.day, id, to)),
                _ => None,
            })
            .collect()
    }

    /// A fresh run of the same design on another seed: `initial` parameters,
    /// with `schedule`'s changes applied on their days, for `days` days.
    pub fn replay(
        kind: WorldKind,
        initial: &ParamValues,
        schedule: &[(u32, &'static str, f64)],
        seed: u64,
        days: u32,
    ) -> Self {
        let mut sim = Simulation::new(kind, initial.clone(), seed);
        sim.history.reserve(days as usize);
        let mut next = 0;
        while sim.day < days.min(MAX_DAYS) {
            while let Some(&(day, id, v)) = schedule.get(next) {
                if day > sim.day + 1 {
                    break;
                }
                let _ = sim.set_param(id, v);
                next += 1;
            }
            sim.step();
        }
        sim
    }

    /// Index of a metric id in this world's table.
    pub fn metric_index(&self, id: &str) -> Option<usize> {
        self.kind.metrics().iter().position(|m| m.id == id)
    }
}

/// `num / den`, or 0 when `den` is not positive.
#[inline]
pub(crate) fn ratio(num: f64, den: f64) -> f64 {
    if den > 0.0 { num / den } else { 0.0 }
}

/// Clamps into [0, 1].
#[inline]
pub(crate) fn unit(x: f64) -> f64 {
    x.clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::{History, Layer, WorldKind, registry};

    #[test]
    fn headlines_and_key_measures_cover_every_measure_layer() {
        for kind in WorldKind::ALL {
            let metrics = kind.metrics();
            registry::check_table(kind.params(), metrics).unwrap();
            for list in [kind.headlines(), kind.key_measures()] {
                for layer in Layer::MEASURES {
                    assert!(
                        list.iter().any(|&m| metrics[m].layer == layer),
                        "{}: nothing from {layer:?}",
                        kind.id()
                    );
                }
                assert!(
                    list.iter().all(|&m| metrics[m].layer != Layer::Flow),
                    "{}: a flow count heads a list",
                    kind.id()
                );
            }
        }
    }

    #[test]
    fn every_world_shows_the_organization_something_and_hides_something() {
        for kind in WorldKind::ALL {
            let metrics = kind.metrics();
            for layer in Layer::MEASURES {
                let of_layer = || metrics.iter().filter(|m| m.layer == layer);
                assert!(of_layer().count() > 0, "{}: {layer:?} empty", kind.id());
            }
            assert!(metrics.iter().any(|m| m.observable), "{}", kind.id());
            assert!(metrics.iter().any(|m| !m.observable), "{}", kind.id());
        }
    }

    #[test]
    fn every_world_kind_is_listed_once_in_its_place() {
        for (i, kind) in WorldKind::ALL.into_iter().enumerate() {
            assert_eq!(kind.position(), i, "{kind:?}");
            assert_eq!(WorldKind::from_id(kind.id()), Some(kind));
        }
    }

    #[test]
    fn recent_mean_averages_the_tail() {
        let mut h = History::new(2);
        assert_eq!(h.recent_mean(0, 7), None, "nothing recorded yet");
        for day in 1..=10 {
            let row = h.push_row();
            row[0] = f64::from(day);
            row[1] = 1.0;
        }
        assert_eq!(h.recent_mean(0, 7), Some(7.0), "days 4 to 10");
        assert_eq!(h.recent_mean(0, 100), Some(5.5), "clipped to the run");
        assert_eq!(h.recent_mean(0, 0), Some(10.0), "at least one day");
        assert_eq!(h.recent_mean(1, 3), Some(1.0));
        assert_eq!(h.recent_mean(2, 3), None, "no such column");
    }
}
