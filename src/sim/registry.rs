//! Descriptions of parameters and metrics: the one place they are defined.
//!
//! Every world publishes a static table of [`ParamSpec`]s and [`MetricSpec`]s.
//! Validation, the command line's `--set`, scenario files, CSV columns and the
//! app's controls and plots are all generated from these tables, so adding a
//! parameter means adding one entry here and reading it in the world.
//!
//! Values are stored as `f64` in a [`ParamValues`] aligned with the table:
//! booleans are 0/1, choices are the index of the option. That keeps the
//! storage uniform and cheap to copy while the table supplies the meaning.
//! A choice is an enum declared with [`choice!`](super::choice): its table
//! entry comes from [`ParamSpec::choice`] and the worlds read it back with
//! [`ParamValues::choice`], never as a number.
//!
//! A list parameter ([`ParamKind::List`], one value per district) keeps its
//! items beside the table's `f64`s: its `f64` is the list's length (0 when
//! no list is given, and the [`Shorthand`] its [`ListSpec`] names applies).
//! Its spec's `min`, `max` and `unit` describe every item; the list spec
//! gives the longest list and the parameter its length must equal.

use std::borrow::Cow;
use std::fmt;

pub use super::choice::Choice;

/// Which part of the system a parameter belongs to; the app groups controls by it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Group {
    /// The world: population, situations, truth.
    World,
    /// The model: quality, threshold, drift, retraining.
    Model,
    /// The interaction design: mode, forcefulness, frequency, affordances.
    Experience,
    /// What correct and wrong outcomes are worth, to users and the organization.
    ValueCost,
    /// How people respond: trust, fatigue, skill, sentiment, churn.
    People,
    /// Safety mechanisms outside the model.
    Guardrails,
    /// Policies of the feedback-loop worlds (patrols, lending, recommending).
    Policy,
}

impl Group {
    /// All groups, in display order.
    pub const ALL: [Group; 7] = [
        Group::World,
        Group::Model,
        Group::Experience,
        Group::ValueCost,
        Group::People,
        Group::Guardrails,
        Group::Policy,
    ];

    /// Human-readable name.
    pub fn label(self) -> &'static str {
        match self {
            Group::World => "World",
            Group::Model => "Model",
            Group::Experience => "Interaction design",
            Group::ValueCost => "Value & cost",
            Group::People => "People",
            Group::Guardrails => "Guardrails",
            Group::Policy => "Policy",
        }
    }
}

/// What a parameter or measure is counted or measured in.
///
/// The unit decides how a value is written ([`crate::format`]) and which
/// quantities may share a plot axis ([`Unit::same_axis`]); [`Unit::symbol`]
/// is the text `describe`, messages and labels print after a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Unit {
    /// A pure number: an AUC, a weight, a score, a signed index (prints "").
    Number,
    /// A share of a whole or a probability, within `[-1, 1]` (a difference of
    /// shares may be negative); written as a percentage (prints "").
    Share,
    /// A share named in words: the repayment probability a lender requires.
    RepaymentProbability,
    /// Standard deviations of the negatives' scores ("σ").
    Sigma,
    /// A multiple of a mean ("× mean").
    TimesMean,
    /// The natural logarithm of seconds ("ln s").
    LogSeconds,
    /// Dollars ("$", "$/day", "$/user/day", "$/h", "$/min").
    Money(Per),
    /// Money in units of the loan amount ("loan amounts", "loan amounts/day").
    LoanAmounts(Per),
    /// Minutes of people's time ("min", "min/day", "min/user/day").
    Minutes(Per),
    /// Seconds of engagement ("s/item", "s/user/day", "s/day").
    Seconds(Per),
    /// Things counted ("users", "incidents/day", "/day" for situations).
    Count(Noun, Per),
    /// A fraction that acts once per period or event ("/year", "/day",
    /// "/interruption"; "per item").
    Rate(Per),
    /// The same kind of quantity as [`Unit::Rate`], written with a leading
    /// one ("1/day"), as the policing and recommender tables print it.
    RateOne(Per),
    /// A day of the run, by number ("day").
    Day,
    /// A duration in days ("days").
    Days,
}

/// What a [`Unit`] is divided by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Per {
    /// Nothing: a stock or a total.
    Total,
    /// A day ("/day").
    Day,
    /// An active user and a day ("/user/day").
    UserDay,
    /// A year ("/year").
    Year,
    /// An hour ("/h").
    Hour,
    /// A minute ("/min").
    Minute,
    /// An item consumed ("/item").
    Item,
    /// A patrol sent ("/patrol").
    Patrol,
    /// An interruption ("/interruption").
    Interruption,
    /// A thousand residents and a day ("/1,000 residents/day").
    ThousandResidentsDay,
    /// A day and a unit of positive sentiment ("/day per happy user").
    DayPerHappyUser,
    /// A day and a patrol-day of attention ("/day per patrol-day").
    DayPerPatrolDay,
}

impl Per {
    /// The suffix this denominator adds to a unit's text.
    pub fn suffix(self) -> &'static str {
        match self {
            Per::Total => "",
            Per::Day => "/day",
            Per::UserDay => "/user/day",
            Per::Year => "/year",
            Per::Hour => "/h",
            Per::Minute => "/min",
            Per::Item => "/item",
            Per::Patrol => "/patrol",
            Per::Interruption => "/interruption",
            Per::ThousandResidentsDay => "/1,000 residents/day",
            Per::DayPerHappyUser => "/day per happy user",
            Per::DayPerPatrolDay => "/day per patrol-day",
        }
    }
}

/// The things a [`Unit::Count`] counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Noun {
    /// Situations, predictions or decisions, written without a noun ("/day").
    Cases,
    /// People using the product.
    Users,
    /// Residents.
    People,
    /// Surfaced predictions.
    Interventions,
    /// Noticed interventions.
    Interactions,
    /// Interruptions remembered as fatigue.
    Interruptions,
    /// Training labels.
    Labels,
    /// Incidents (serious misses; crimes in the policing world).
    Incidents,
    /// User reports of wrong predictions.
    Reports,
    /// Human reviews.
    Reviews,
    /// Arrests or stops.
    Arrests,
    /// Patrols.
    Patrols,
    /// Score clusters.
    Clusters,
    /// Loans.
    Loans,
    /// Loan applicants.
    Applicants,
    /// Items consumed.
    Items,
}

impl Noun {
    /// The noun as written in a unit.
    pub fn text(self) -> &'static str {
        match self {
            Noun::Cases => "",
            Noun::Users => "users",
            Noun::People => "people",
            Noun::Interventions => "interventions",
            Noun::Interactions => "interactions",
            Noun::Interruptions => "interruptions",
            Noun::Labels => "labels",
            Noun::Incidents => "incidents",
            Noun::Reports => "reports",
            Noun::Reviews => "reviews",
            Noun::Arrests => "arrests",
            Noun::Patrols => "patrols",
            Noun::Clusters => "clusters",
            Noun::Loans => "loans",
            Noun::Applicants => "applicants",
            Noun::Items => "items",
        }
    }
}

impl Unit {
    /// The unit's text ("" for numbers and shares), as `describe` prints it.
    pub fn symbol(self) -> Cow<'static, str> {
        let joined = |head: &'static str, per: Per| -> Cow<'static, str> {
            match per {
                Per::Total => Cow::Borrowed(head),
                _ => Cow::Owned(format!("{head}{}", per.suffix())),
            }
        };
        match self {
            Unit::Number | Unit::Share => Cow::Borrowed(""),
            Unit::RepaymentProbability => Cow::Borrowed("repayment probability"),
            Unit::Sigma => Cow::Borrowed("σ"),
            Unit::TimesMean => Cow::Borrowed("× mean"),
            Unit::LogSeconds => Cow::Borrowed("ln s"),
            Unit::Money(per) => joined("$", per),
            Unit::LoanAmounts(per) => joined("loan amounts", per),
            Unit::Minutes(per) => joined("min", per),
            Unit::Seconds(per) => joined("s", per),
            Unit::Count(noun, per) => joined(noun.text(), per),
            Unit::Rate(Per::Item) => Cow::Borrowed("per item"),
            Unit::Rate(per) => Cow::Borrowed(per.suffix()),
            Unit::RateOne(per) => joined("1", per),
            Unit::Day => Cow::Borrowed("day"),
            Unit::Days => Cow::Borrowed("days"),
        }
    }

    /// True when values of the two units may be drawn against one axis:
    /// the same quantity over the same denominator (counts of different
    /// things per day share one; dollars per day and per user do not).
    pub fn same_axis(self, other: Unit) -> bool {
        self.axis() == other.axis()
    }

    /// The unit with what only names it, not what it measures, removed.
    fn axis(self) -> Unit {
        match self {
            Unit::Count(_, per) => Unit::Count(Noun::Cases, per),
            Unit::RateOne(per) => Unit::Rate(per),
            Unit::RepaymentProbability => Unit::Share,
            other => other,
        }
    }

    /// True for shares: written as percentages.
    pub fn is_share(self) -> bool {
        matches!(self, Unit::Share | Unit::RepaymentProbability)
    }

    /// True for measures that are whole numbers by nature (people, loans,
    /// events in a day, day numbers); averages per user or per patrol are
    /// not, nor is fatigue, a fading count of interruptions. A parameter's
    /// kind, not its unit, says whether it is whole.
    pub fn is_whole(self) -> bool {
        match self {
            Unit::Count(Noun::Interruptions, _) => false,
            Unit::Count(_, per) => matches!(per, Per::Total | Per::Day),
            Unit::Day | Unit::Days => true,
            _ => false,
        }
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.symbol())
    }
}

/// Which direction of a measure is good for the people it concerns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Better {
    /// More is better (value, profit, retention...).
    Up,
    /// Less is better (harm, cost, incidents, error rates...).
    Down,
    /// Neither direction is good in itself (compliance, a share, a signed gap...).
    Neither,
}

impl Better {
    /// +1 if the change `diff` is good, −1 if bad, 0 if neutral or zero.
    pub fn judge(self, diff: f64) -> i8 {
        if !diff.is_finite() || diff == 0.0 {
            return 0;
        }
        match self {
            Better::Up => diff.signum() as i8,
            Better::Down => -(diff.signum() as i8),
            Better::Neither => 0,
        }
    }
}

/// The kind of value a parameter holds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ParamKind {
    /// A real number within `[min, max]`.
    Real,
    /// A whole number within `[min, max]`.
    Int,
    /// On or off; stored as 0 or 1.
    Bool,
    /// One of a fixed list of named options; stored as the option's index.
    Choice(&'static [&'static str]),
    /// A list of real numbers, each within `[min, max]` (one per district);
    /// stored as its length, the items beside.
    List(ListSpec),
}

/// What a list parameter holds besides its items' range and unit.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ListSpec {
    /// The longest list accepted.
    pub max_len: usize,
    /// The whole-number parameter a given list's length must equal.
    pub length: &'static str,
    /// The items when no list is given, from other parameters.
    pub shorthand: Shorthand,
}

/// How other parameters stand for a list's items when no list is given.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Shorthand {
    /// A straight line from `first` (item 1) to `last` (the last item).
    Line {
        /// The parameter giving the first item.
        first: &'static str,
        /// The parameter giving the last item.
        last: &'static str,
    },
    /// `each` for every item, plus `extra_first` on the first.
    Each {
        /// The parameter giving every item.
        each: &'static str,
        /// The parameter added to the first item.
        extra_first: &'static str,
    },
}

impl Shorthand {
    /// The parameters the shorthand is written with.
    pub fn ids(self) -> [&'static str; 2] {
        match self {
            Shorthand::Line { first, last } => [first, last],
            Shorthand::Each { each, extra_first } => [each, extra_first],
        }
    }
}

/// Description of one parameter.
#[derive(Clone, Copy, Debug)]
pub struct ParamSpec {
    /// Dotted, stable identifier (public API: used in files and on the command line).
    pub id: &'static str,
    /// Short label for controls.
    pub label: &'static str,
    /// What it is measured in.
    pub unit: Unit,
    /// What kind of value it holds.
    pub kind: ParamKind,
    /// Smallest allowed value.
    pub min: f64,
    /// Largest allowed value.
    pub max: f64,
    /// Default value.
    pub default: f64,
    /// Group for display.
    pub group: Group,
    /// What it means and how it acts.
    pub doc: &'static str,
    /// Where the default comes from: a source that measured the quantity,
    /// or an assumption and the reasoning behind it.
    pub source: Provenance,
}

/// Where a parameter's default comes from. `ixsim describe` and the app's
/// tooltips print it as "sourced: …" or "assumption: …", so an instructor
/// can tell a measured number from a judgment call at a glance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Provenance {
    /// A publication, dataset or reference implementation that measured or
    /// fixed this quantity; the text names it and says what it measured.
    Sourced(&'static str),
    /// A judgment call; the text gives the reasoning (and any source that
    /// bounds it without measuring it).
    Assumption(&'static str),
}

impl Provenance {
    /// The citation or the reasoning.
    pub fn text(self) -> &'static str {
        match self {
            Provenance::Sourced(t) | Provenance::Assumption(t) => t,
        }
    }

    /// "sourced" or "assumption", as `describe` and tooltips mark it.
    pub fn kind(self) -> &'static str {
        match self {
            Provenance::Sourced(_) => "sourced",
            Provenance::Assumption(_) => "assumption",
        }
    }

    /// True for a judgment call.
    pub fn is_assumption(self) -> bool {
        matches!(self, Provenance::Assumption(_))
    }
}

impl fmt::Display for Provenance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind(), self.text())
    }
}

/// The measure layers of the domain, plus raw counts behind the flow view.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Layer {
    /// Model properties: what data scientists optimize.
    Model,
    /// Outcomes from the users' side.
    User,
    /// Short-term proxies an organization watches.
    Leading,
    /// Lagging organizational objectives: the real goal.
    Organization,
    /// Raw daily counts behind the flow diagram.
    Flow,
}

impl Layer {
    /// The four measure layers, in display order.
    pub const MEASURES: [Layer; 4] = [
        Layer::Model,
        Layer::User,
        Layer::Leading,
        Layer::Organization,
    ];

    /// The four measure layers plus flow counts, in display order.
    pub const ALL: [Layer; 5] = [
        Layer::Model,
        Layer::User,
        Layer::Leading,
        Layer::Organization,
        Layer::Flow,
    ];

    /// Human-readable name.
    pub fn label(self) -> &'static str {
        match self {
            Layer::Model => "Model properties",
            Layer::User => "User outcomes",
            Layer::Leading => "Leading indicators",
            Layer::Organization => "Organizational objectives",
            Layer::Flow => "Flow counts",
        }
    }
}

/// Description of one per-day measure.
#[derive(Clone, Copy, Debug)]
pub struct MetricSpec {
    /// Dotted, stable identifier (public API: a CSV column).
    pub id: &'static str,
    /// Short label for plots.
    pub label: &'static str,
    /// What it is measured in.
    pub unit: Unit,
    /// Which layer it belongs to.
    pub layer: Layer,
    /// Which direction is good.
    pub better: Better,
    /// True when the organization can read it from its own logs (reports,
    /// overrides, active users, engagement, revenue, cost); false for the
    /// hidden truth (true error rates, trust, value against the
    /// counterfactual) that only the simulation knows.
    pub observable: bool,
    /// Smallest value it can take.
    pub min: f64,
    /// Largest value it can take.
    pub max: f64,
    /// What it measures.
    pub doc: &'static str,
}

/// Why a parameter value was refused.
#[derive(Clone, Debug, PartialEq)]
pub enum ParamError {
    /// No parameter has this id.
    Unknown {
        /// The id given.
        id: String,
        /// The ids that exist, for the message.
        valid: Vec<&'static str>,
    },
    /// NaN or infinite.
    NotFinite {
        /// The parameter.
        id: &'static str,
    },
    /// Outside the declared range.
    OutOfRange {
        /// The parameter.
        id: &'static str,
        /// The value given.
        value: f64,
        /// The smallest allowed value.
        min: f64,
        /// The largest allowed value.
        max: f64,
        /// The unit, for the message.
        unit: Unit,
    },
    /// A fractional value for a whole-number parameter.
    NotInteger {
        /// The parameter.
        id: &'static str,
        /// The value given.
        value: f64,
    },
    /// A value of the wrong kind (text for a number, a number for a choice...).
    WrongType {
        /// The parameter.
        id: &'static str,
        /// What was expected, in words.
        expected: String,
        /// What was found, in words.
        found: String,
    },
    /// An item of a list outside the declared range, or not finite.
    BadItem {
        /// The list parameter.
        id: &'static str,
        /// The item's position, from 1.
        position: usize,
        /// The value given.
        value: f64,
        /// The smallest allowed item.
        min: f64,
        /// The largest allowed item.
        max: f64,
        /// The unit, for the message.
        unit: Unit,
    },
    /// A list longer than its spec allows.
    TooLong {
        /// The list parameter.
        id: &'static str,
        /// Items given.
        len: usize,
        /// The most allowed.
        max_len: usize,
    },
    /// A list whose length differs from the parameter that sets it (one
    /// rate per district, and `world.districts` says how many).
    ListLength {
        /// The list parameter.
        id: &'static str,
        /// Items given.
        len: usize,
        /// The parameter the length must equal.
        length_id: &'static str,
        /// Its value.
        expected: usize,
    },
    /// A list changed once the run has begun: lists are set before day 1.
    ListMidRun {
        /// The list parameter.
        id: &'static str,
    },
    /// A value above another parameter that bounds it (a deployed AUC above
    /// the quality retraining can reach).
    AboveLimit {
        /// The parameter.
        id: &'static str,
        /// Its value.
        value: f64,
        /// The parameter that bounds it.
        limit_id: &'static str,
        /// The bound's value.
        limit: f64,
    },
}

impl fmt::Display for ParamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParamError::Unknown { id, valid } => {
                write!(f, "unknown parameter `{id}`")?;
                let close = closest(id, valid);
                if let Some(c) = close {
                    write!(f, " (did you mean `{c}`?)")?;
                }
                write!(f, "; valid parameters: {}", valid.join(", "))
            }
            ParamError::NotFinite { id } => {
                write!(f, "`{id}` must be a finite number, not NaN or infinity")
            }
            ParamError::OutOfRange {
                id,
                value,
                min,
                max,
                unit,
            } => {
                let unit = unit_suffix(*unit);
                write!(
                    f,
                    "`{id}` = {value} is out of range: expected a value from {min} to {max}{unit}"
                )
            }
            ParamError::NotInteger { id, value } => {
                write!(f, "`{id}` = {value}: expected a whole number")
            }
            ParamError::WrongType {
                id,
                expected,
                found,
            } => write!(f, "`{id}`: expected {expected}, found {found}"),
            ParamError::BadItem {
                id,
                position,
                value,
                min,
                max,
                unit,
            } => {
                let unit = unit_suffix(*unit);
                write!(
                    f,
                    "`{id}` item {position} = {value} is out of range: expected every item from {min} to {max}{unit}"
                )
            }
            ParamError::TooLong { id, len, max_len } => {
                write!(f, "`{id}` has {len} items: expected at most {max_len}")
            }
            ParamError::ListLength {
                id,
                len,
                length_id,
                expected,
            } => write!(
                f,
                "`{id}` has {len} items but `{length_id}` = {expected}: expected one item each, or change `{length_id}`"
            ),
            ParamError::ListMidRun { id } => write!(
                f,
                "`{id}` is set before the run starts: restart the run to change it"
            ),
            ParamError::AboveLimit {
                id,
                value,
                limit_id,
                limit,
            } => write!(
                f,
                "`{id}` = {value} is above `{limit_id}` = {limit}: expected at most `{limit_id}`, or raise it"
            ),
        }
    }
}

/// A unit's symbol after a number (" %", " /day"), or nothing.
fn unit_suffix(unit: Unit) -> String {
    let symbol = unit.symbol();
    if symbol.is_empty() {
        String::new()
    } else {
        format!(" {symbol}")
    }
}

impl std::error::Error for ParamError {}

/// The id in `valid` closest to `id` by edit distance, if reasonably close.
fn closest(id: &str, valid: &[&'static str]) -> Option<&'static str> {
    let (best, dist) = valid
        .iter()
        .map(|v| (*v, edit_distance(id, v)))
        .min_by_key(|(_, d)| *d)?;
    (dist <= id.len().max(4) / 3).then_some(best)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// A value as written by a person, before it is checked against a spec.
#[derive(Clone, Debug, PartialEq)]
pub enum RawValue {
    /// A number.
    Number(f64),
    /// true / false.
    Bool(bool),
    /// A word (an option name, or a number or boolean spelled as text; a
    /// list as numbers between commas).
    Text(String),
    /// A list of numbers.
    List(Vec<f64>),
}

impl RawValue {
    fn describe(&self) -> String {
        match self {
            RawValue::Number(n) => format!("the number {n}"),
            RawValue::Bool(b) => format!("the boolean {b}"),
            RawValue::Text(t) => format!("the text \"{t}\""),
            RawValue::List(items) => format!("a list of {} numbers", items.len()),
        }
    }
}

impl ParamSpec {
    /// Checks `value` (already in storage form) against the spec.
    pub fn check(&self, value: f64) -> Result<f64, ParamError> {
        if !value.is_finite() {
            return Err(ParamError::NotFinite { id: self.id });
        }
        if !matches!(self.kind, ParamKind::Real) && value.fract() != 0.0 {
            return Err(ParamError::NotInteger { id: self.id, value });
        }
        if let ParamKind::List(list) = self.kind {
            // A list's stored value is its length; only 0 (no list) may be
            // set as a number.
            if value != 0.0 {
                return Err(ParamError::WrongType {
                    id: self.id,
                    expected: "a list of numbers".into(),
                    found: format!("the number {value}"),
                });
            }
            debug_assert!(list.max_len > 0);
            return Ok(value);
        }
        if value < self.min || value > self.max {
            return Err(ParamError::OutOfRange {
                id: self.id,
                value,
                min: self.min,
                max: self.max,
                unit: self.unit,
            });
        }
        Ok(value)
    }

    /// Converts a written value into storage form and checks it.
    pub fn parse(&self, raw: &RawValue) -> Result<f64, ParamError> {
        let wrong = |expected: String| ParamError::WrongType {
            id: self.id,
            expected,
            found: raw.describe(),
        };
        match (self.kind, raw) {
            (ParamKind::Bool, RawValue::Bool(b)) => Ok(f64::from(u8::from(*b))),
            (ParamKind::Bool, RawValue::Text(t)) => match t.trim() {
                "true" | "on" | "yes" | "1" => Ok(1.0),
                "false" | "off" | "no" | "0" => Ok(0.0),
                _ => Err(wrong("true or false".into())),
            },
            (ParamKind::Bool, RawValue::Number(_)) => Err(wrong("true or false".into())),
            (ParamKind::Choice(options), RawValue::Text(t)) => options
                .iter()
                .position(|o| *o == t.trim())
                .map(|i| i as f64)
                .ok_or_else(|| wrong(format!("one of {}", quoted_list(options)))),
            (ParamKind::Choice(options), _) => {
                Err(wrong(format!("one of {}", quoted_list(options))))
            }
            (ParamKind::Real | ParamKind::Int, RawValue::Number(n)) => self.check(*n),
            (ParamKind::Real | ParamKind::Int, RawValue::Text(t)) => {
                let expected = if matches!(self.kind, ParamKind::Int) {
                    "a whole number"
                } else {
                    "a number"
                };
                let n: f64 = t.trim().parse().map_err(|_| wrong(expected.into()))?;
                self.check(n)
            }
            (ParamKind::Real | ParamKind::Int, RawValue::Bool(_) | RawValue::List(_)) => {
                Err(wrong("a number".into()))
            }
            (ParamKind::Bool, RawValue::List(_)) => Err(wrong("true or false".into())),
            (ParamKind::List(_), RawValue::List(_) | RawValue::Text(_)) => {
                self.parse_items(raw).map(|items| items.len() as f64)
            }
            (ParamKind::List(_), _) => Err(wrong(LIST_EXPECTED.into())),
        }
    }

    /// The items of a written list, each checked: `[4, 3]` in a file,
    /// `4,3` (or `[4,3]`) as text; an empty list means "no list".
    ///
    /// # Errors
    /// A value of another kind, an item that is not a finite number within
    /// the range, or more items than the spec allows.
    pub fn parse_items(&self, raw: &RawValue) -> Result<Vec<f64>, ParamError> {
        let ParamKind::List(list) = self.kind else {
            return Err(ParamError::WrongType {
                id: self.id,
                expected: self.range_text(),
                found: raw.describe(),
            });
        };
        let wrong = || ParamError::WrongType {
            id: self.id,
            expected: LIST_EXPECTED.into(),
            found: raw.describe(),
        };
        let items: Vec<f64> = match raw {
            RawValue::List(items) => items.clone(),
            RawValue::Text(t) => {
                let t = t.trim();
                let t = t
                    .strip_prefix('[')
                    .and_then(|t| t.strip_suffix(']'))
                    .unwrap_or(t)
                    .trim();
                if t.is_empty() {
                    Vec::new()
                } else {
                    t.split(',')
                        .map(|x| x.trim().parse::<f64>().map_err(|_| wrong()))
                        .collect::<Result<_, _>>()?
                }
            }
            RawValue::Number(_) | RawValue::Bool(_) => return Err(wrong()),
        };
        if items.len() > list.max_len {
            return Err(ParamError::TooLong {
                id: self.id,
                len: items.len(),
                max_len: list.max_len,
            });
        }
        for (k, &value) in items.iter().enumerate() {
            if !value.is_finite() || value < self.min || value > self.max {
                return Err(ParamError::BadItem {
                    id: self.id,
                    position: k + 1,
                    value,
                    min: self.min,
                    max: self.max,
                    unit: self.unit,
                });
            }
        }
        Ok(items)
    }

    /// The kind, range, unit and default of a choice parameter in `group`,
    /// all from its enum; a table entry adds its id and texts:
    /// `ParamSpec { id: "…", label: "…", doc: "…", source: Provenance::…("…"), ..ParamSpec::choice::<Mode>(Group::Experience) }`.
    pub const fn choice<C: Choice>(group: Group) -> ParamSpec {
        ParamSpec {
            id: "",
            label: "",
            unit: Unit::Number,
            kind: ParamKind::Choice(C::NAMES),
            min: 0.0,
            max: (C::NAMES.len() - 1) as f64,
            default: C::DEFAULT_INDEX as f64,
            group,
            doc: "",
            source: Provenance::Assumption(""),
        }
    }

    /// Shows a stored value the way a person would write it.
    pub fn format(&self, value: f64) -> String {
        match self.kind {
            ParamKind::Bool => (if value != 0.0 { "true" } else { "false" }).to_string(),
            ParamKind::Choice(options) => options
                .get(value as usize)
                .map_or_else(|| format!("{value}"), |s| (*s).to_string()),
            ParamKind::Int => format!("{}", value as i64),
            ParamKind::Real => crate::format::real(value),
            ParamKind::List(list) => match value as usize {
                0 => format!("from {}", list.shorthand_text()),
                n => format!("{n} items"),
            },
        }
    }

    /// A description of the allowed values, for help texts.
    pub fn range_text(&self) -> String {
        match self.kind {
            ParamKind::Bool => "true | false".to_string(),
            ParamKind::Choice(options) => options.join(" | "),
            ParamKind::Int => format!("{}..={}", self.min as i64, self.max as i64),
            ParamKind::Real => format!(
                "{}..={}",
                crate::format::real(self.min),
                crate::format::real(self.max)
            ),
            ParamKind::List(list) => format!(
                "[items {}..={}], one per {}, at most {}",
                crate::format::real(self.min),
                crate::format::real(self.max),
                list.length,
                list.max_len
            ),
        }
    }
}

/// What a list parameter expects, for messages.
const LIST_EXPECTED: &str = "a list of numbers such as [4, 3] (on the command line: 4,3)";

impl ListSpec {
    /// The shorthand in words, as `describe` and the app print it.
    pub fn shorthand_text(&self) -> String {
        match self.shorthand {
            Shorthand::Line { first, last } => format!("a line from {first} to {last}"),
            Shorthand::Each { each, extra_first } => {
                format!("{each} each, plus {extra_first} on the first")
            }
        }
    }
}

fn quoted_list(options: &[&str]) -> String {
    options
        .iter()
        .map(|o| format!("\"{o}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A full set of parameter values, aligned with a spec table.
#[derive(Clone, Debug)]
pub struct ParamValues {
    specs: &'static [ParamSpec],
    values: Vec<f64>,
    /// The items of list parameters (empty for every other parameter, and
    /// for a list not given), aligned with `specs`.
    lists: Vec<Vec<f64>>,
}

impl PartialEq for ParamValues {
    fn eq(&self, other: &Self) -> bool {
        same_table(self.specs, other.specs)
            && self.values == other.values
            && self.lists == other.lists
    }
}

impl ParamValues {
    /// Every parameter at its default.
    pub fn defaults(specs: &'static [ParamSpec]) -> Self {
        Self {
            specs,
            values: specs.iter().map(|s| s.default).collect(),
            lists: vec![Vec::new(); specs.len()],
        }
    }

    /// The spec table these values belong to.
    pub fn specs(&self) -> &'static [ParamSpec] {
        self.specs
    }

    /// The raw stored values, aligned with [`Self::specs`].
    pub fn values(&self) -> &[f64] {
        &self.values
    }

    /// Index of a parameter id.
    pub fn index_of(&self, id: &str) -> Result<usize, ParamError> {
        self.specs
            .iter()
            .position(|s| s.id == id)
            .ok_or_else(|| ParamError::Unknown {
                id: id.to_string(),
                valid: self.specs.iter().map(|s| s.id).collect(),
            })
    }

    /// The spec of a parameter id.
    pub fn spec(&self, id: &str) -> Result<&'static ParamSpec, ParamError> {
        let specs = self.specs;
        self.index_of(id).map(|i| &specs[i])
    }

    /// The stored value of a parameter.
    ///
    /// # Panics
    /// If `id` is not in the table: ids read by the worlds are constants in
    /// the code, and a test builds every world from its defaults.
    pub fn get(&self, id: &str) -> f64 {
        match self.index_of(id) {
            Ok(i) => self.values[i],
            Err(_) => panic!("parameter `{id}` is read but not declared"),
        }
    }

    /// Refuses a value of `id` above the value of `limit_id` (both in this
    /// table) with [`ParamError::AboveLimit`] naming both.
    pub fn check_at_most(&self, id: &str, limit_id: &str) -> Result<(), ParamError> {
        let (i, l) = (self.index_of(id)?, self.index_of(limit_id)?);
        let (value, limit) = (self.values[i], self.values[l]);
        if value > limit {
            return Err(ParamError::AboveLimit {
                id: self.specs[i].id,
                value,
                limit_id: self.specs[l].id,
                limit,
            });
        }
        Ok(())
    }

    /// A boolean parameter.
    pub fn flag(&self, id: &str) -> bool {
        self.get(id) != 0.0
    }

    /// A choice parameter, as its enum.
    ///
    /// Stored values were checked when they were set (a whole number within
    /// the options), so every one is an option.
    ///
    /// # Panics
    /// If `id` is not in the table or is not a choice of `C`: ids and their
    /// enums are written together in the code, and a test builds every world
    /// from its defaults.
    pub fn choice<C: Choice>(&self, id: &str) -> C {
        let i = match self.index_of(id) {
            Ok(i) => i,
            Err(_) => panic!("parameter `{id}` is read but not declared"),
        };
        match self.specs[i].kind {
            ParamKind::Choice(names) if names == C::NAMES => C::ALL[self.values[i] as usize],
            _ => panic!(
                "parameter `{id}` is not a choice of {}",
                std::any::type_name::<C>()
            ),
        }
    }

    /// Sets a parameter to an already-stored-form value, checking it (for
    /// a list, only 0: no list, the shorthand applies).
    pub fn set(&mut self, id: &str, value: f64) -> Result<(), ParamError> {
        let i = self.index_of(id)?;
        self.set_index(i, value)
    }

    /// Sets a parameter from a written value.
    pub fn set_raw(&mut self, id: &str, raw: &RawValue) -> Result<(), ParamError> {
        let i = self.index_of(id)?;
        if matches!(self.specs[i].kind, ParamKind::List(_)) {
            let items = self.specs[i].parse_items(raw)?;
            return self.set_list_index(i, items);
        }
        self.values[i] = self.specs[i].parse(raw)?;
        Ok(())
    }

    /// The items given for list parameter `index` (empty when none are
    /// given, or when it is not a list).
    pub fn list_at(&self, index: usize) -> &[f64] {
        self.lists.get(index).map_or(&[], Vec::as_slice)
    }

    /// The items of list parameter `id`: the list given, or what its
    /// shorthand makes of the other parameters, one per unit of the length
    /// parameter.
    ///
    /// # Panics
    /// If `id` is not a list of this table (ids read by the worlds are
    /// constants in the code, and a test builds every world).
    pub fn items(&self, id: &str) -> Vec<f64> {
        match self.index_of(id) {
            Ok(i) => self.items_at(i),
            Err(_) => panic!("parameter `{id}` is read but not declared"),
        }
    }

    /// The items of list parameter `index` (see [`Self::items`]); empty
    /// for a parameter that is not a list. A list given for another length
    /// is cut, or continued with the shorthand's items.
    pub fn items_at(&self, index: usize) -> Vec<f64> {
        let Some(ParamKind::List(list)) = self.specs.get(index).map(|s| s.kind) else {
            return Vec::new();
        };
        let n = self
            .index_of(list.length)
            .map_or(0, |l| self.values[l].max(0.0) as usize)
            .min(list.max_len);
        let given = &self.lists[index];
        let value = |id: &str| self.index_of(id).map_or(0.0, |j| self.values[j]);
        (0..n)
            .map(|k| {
                if let Some(&v) = given.get(k) {
                    return v;
                }
                match list.shorthand {
                    Shorthand::Line { first, last } => {
                        let (a, b) = (value(first), value(last));
                        if n <= 1 {
                            a
                        } else {
                            let t = k as f64 / (n - 1) as f64;
                            a + t * (b - a)
                        }
                    }
                    Shorthand::Each { each, extra_first } => {
                        value(each) + if k == 0 { value(extra_first) } else { 0.0 }
                    }
                }
            })
            .collect()
    }

    /// Gives list parameter `index` the `items` (empty: no list), each
    /// checked against the spec; its length is checked against the length
    /// parameter by [`Self::check_lists`], once every value is set.
    pub fn set_list_index(&mut self, index: usize, items: Vec<f64>) -> Result<(), ParamError> {
        let spec = &self.specs[index];
        let checked = spec.parse_items(&RawValue::List(items))?;
        self.values[index] = checked.len() as f64;
        self.lists[index] = checked;
        Ok(())
    }

    /// Refuses a list whose length differs from its length parameter.
    pub fn check_lists(&self) -> Result<(), ParamError> {
        for (i, spec) in self.specs.iter().enumerate() {
            let ParamKind::List(list) = spec.kind else {
                continue;
            };
            let len = self.lists[i].len();
            if len == 0 {
                continue;
            }
            let l = self.index_of(list.length)?;
            let expected = self.values[l].max(0.0) as usize;
            if len != expected {
                return Err(ParamError::ListLength {
                    id: spec.id,
                    len,
                    length_id: self.specs[l].id,
                    expected,
                });
            }
        }
        Ok(())
    }

    /// True when parameter `index` holds the same value here and in `other`
    /// (a list's items included); `other` is of the same table.
    pub fn same_at(&self, other: &ParamValues, index: usize) -> bool {
        self.values.get(index) == other.values.get(index)
            && self.list_at(index) == other.list_at(index)
    }

    /// Parameter `index` as a person writes it on a command line, which
    /// [`Self::set_raw`] reads back: "4, 3" for a list.
    pub fn text_at(&self, index: usize) -> String {
        let spec = &self.specs[index];
        match spec.kind {
            ParamKind::List(_) => list_text(&self.lists[index]),
            _ => spec.format(self.values[index]),
        }
    }

    /// Parameter `index` as a scenario file writes it.
    pub fn raw_at(&self, index: usize) -> RawValue {
        let spec = &self.specs[index];
        let value = self.values[index];
        match spec.kind {
            ParamKind::Bool => RawValue::Bool(value != 0.0),
            ParamKind::Choice(_) => RawValue::Text(spec.format(value)),
            ParamKind::List(_) => RawValue::List(self.lists[index].clone()),
            ParamKind::Real | ParamKind::Int => RawValue::Number(value),
        }
    }

    /// Sets a parameter from `id=value` text, as given on a command line.
    pub fn set_text(&mut self, assignment: &str) -> Result<(), ParamError> {
        let (id, value) = assignment
            .split_once('=')
            .ok_or_else(|| ParamError::WrongType {
                id: "--set",
                expected: "id=value".into(),
                found: format!("\"{assignment}\""),
            })?;
        self.set_raw(id.trim(), &RawValue::Text(value.trim().to_string()))
    }

    /// Sets by index (used by generated controls); checks the value. A list
    /// takes only 0 this way, which removes its items.
    pub fn set_index(&mut self, index: usize, value: f64) -> Result<(), ParamError> {
        let spec = &self.specs[index];
        self.values[index] = spec.check(value)?;
        if matches!(spec.kind, ParamKind::List(_)) {
            self.lists[index].clear();
        }
        Ok(())
    }

    /// Pairs of (spec, value) whose value differs from the default.
    pub fn changed(&self) -> impl Iterator<Item = (&'static ParamSpec, f64)> + '_ {
        self.specs
            .iter()
            .zip(&self.values)
            .filter(|(s, v)| s.default != **v)
            .map(|(s, v)| (s, *v))
    }
}

/// A list's items between commas ("4, 3"); empty when none are given.
pub fn list_text(items: &[f64]) -> String {
    items
        .iter()
        .map(|v| crate::format::real(*v))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Position of metric `id` in `table`, usable in constants: a misspelt id is
/// a build error, and the worlds name their row columns by id, not number.
pub const fn metric_index(table: &[MetricSpec], id: &str) -> usize {
    let mut i = 0;
    while i < table.len() {
        if same_id(table[i].id, id) {
            return i;
        }
        i += 1;
    }
    panic!("unknown metric id")
}

/// Position of parameter `id` in `table`, usable in constants: views that
/// read a parameter by id resolve it at compile time, so a misspelt id is a
/// build error.
pub const fn param_index(table: &[ParamSpec], id: &str) -> usize {
    let mut i = 0;
    while i < table.len() {
        if same_id(table[i].id, id) {
            return i;
        }
        i += 1;
    }
    panic!("unknown parameter id")
}

/// Byte-wise string equality for `const` contexts.
const fn same_id(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut j = 0;
    while j < a.len() {
        if a[j] != b[j] {
            return false;
        }
        j += 1;
    }
    true
}

/// True when two parameter tables are the same table. Compared by ids, not
/// addresses: a `const` table can be instantiated at more than one address
/// (release builds do), so pointer identity alone would tell equal tables
/// apart.
pub fn same_table(a: &[ParamSpec], b: &[ParamSpec]) -> bool {
    std::ptr::eq(a, b) || (a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.id == y.id))
}

/// What is wrong with a parameter or metric table (found by [`check_table`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TableError {
    /// Two entries of one table share an id.
    Duplicate {
        /// The id.
        id: &'static str,
    },
    /// A parameter's default fails its own check.
    BadDefault {
        /// The parameter.
        id: &'static str,
    },
    /// An id, label, doc or (for parameters) source is empty.
    MissingText {
        /// The entry.
        id: &'static str,
    },
    /// A choice whose range is not `0..=options - 1`, or a flag not `0..=1`.
    OptionRange {
        /// The parameter.
        id: &'static str,
    },
    /// The smallest value is above the largest.
    EmptyRange {
        /// The entry.
        id: &'static str,
    },
    /// A list whose length or shorthand names no whole-number or real
    /// parameter of its table, that allows no items, or whose default is
    /// not "no list".
    ListLinks {
        /// The list parameter.
        id: &'static str,
    },
    /// The range does not fit the unit: a share beyond `[-1, 1]`, a negative
    /// count, a flag or choice with a unit.
    UnitRange {
        /// The entry.
        id: &'static str,
        /// Its unit.
        unit: Unit,
    },
}

impl fmt::Display for TableError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TableError::Duplicate { id } => write!(f, "duplicate id {id}"),
            TableError::BadDefault { id } => write!(f, "default of {id} fails its own check"),
            TableError::MissingText { id } => write!(f, "{id} lacks a label, doc or source"),
            TableError::OptionRange { id } => {
                write!(f, "{id}: the range must cover exactly the options")
            }
            TableError::EmptyRange { id } => write!(f, "{id} has an empty range"),
            TableError::ListLinks { id } => {
                write!(
                    f,
                    "{id}: its length and shorthand must name parameters of its table"
                )
            }
            TableError::UnitRange { id, unit } => {
                write!(f, "{id}: its range does not fit its unit {unit:?}")
            }
        }
    }
}

impl std::error::Error for TableError {}

/// True when a range `[min, max]` is possible for values of `unit`.
fn range_fits(unit: Unit, min: f64, max: f64) -> bool {
    if unit.is_share() {
        min >= -1.0 && max <= 1.0
    } else if unit.is_whole() {
        min >= 0.0
    } else {
        true
    }
}

/// Checks a spec table for internal consistency (used by tests).
pub fn check_table(params: &[ParamSpec], metrics: &[MetricSpec]) -> Result<(), TableError> {
    let mut seen = std::collections::BTreeSet::new();
    for p in params {
        let id = p.id;
        if !seen.insert(id) {
            return Err(TableError::Duplicate { id });
        }
        if id.is_empty() || p.doc.is_empty() || p.source.text().is_empty() || p.label.is_empty() {
            return Err(TableError::MissingText { id });
        }
        if p.min > p.max {
            return Err(TableError::EmptyRange { id });
        }
        if p.check(p.default).is_err() {
            return Err(TableError::BadDefault { id });
        }
        let options = match p.kind {
            ParamKind::Choice(options) => Some(options.len()),
            ParamKind::Bool => Some(2),
            ParamKind::Real | ParamKind::Int => None,
            ParamKind::List(list) => {
                // The length and the shorthand's parameters are whole
                // numbers and reals of the same table.
                let find = |want: &str| params.iter().find(|q| q.id == want);
                let length_ok = find(list.length).is_some_and(|q| matches!(q.kind, ParamKind::Int));
                let shorthand_ok = list.shorthand.ids().iter().all(|id| {
                    find(id).is_some_and(|q| matches!(q.kind, ParamKind::Real | ParamKind::Int))
                });
                if !length_ok || !shorthand_ok || list.max_len == 0 || p.default != 0.0 {
                    return Err(TableError::ListLinks { id });
                }
                None
            }
        };
        if let Some(n) = options {
            if p.min != 0.0 || p.max != (n - 1) as f64 {
                return Err(TableError::OptionRange { id });
            }
            if p.unit != Unit::Number {
                return Err(TableError::UnitRange { id, unit: p.unit });
            }
        }
        if !range_fits(p.unit, p.min, p.max) {
            return Err(TableError::UnitRange { id, unit: p.unit });
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    for m in metrics {
        let id = m.id;
        if !seen.insert(id) {
            return Err(TableError::Duplicate { id });
        }
        if m.doc.is_empty() || m.label.is_empty() {
            return Err(TableError::MissingText { id });
        }
        if m.min > m.max {
            return Err(TableError::EmptyRange { id });
        }
        if !range_fits(m.unit, m.min, m.max) {
            return Err(TableError::UnitRange { id, unit: m.unit });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPECS: &[ParamSpec] = &[
        ParamSpec {
            id: "a.real",
            label: "Real",
            unit: Unit::Money(Per::Total),
            kind: ParamKind::Real,
            min: 0.0,
            max: 10.0,
            default: 1.0,
            group: Group::World,
            doc: "d",
            source: Provenance::Sourced("s"),
        },
        ParamSpec {
            id: "a.choice",
            label: "Choice",
            doc: "d",
            source: Provenance::Sourced("s"),
            ..ParamSpec::choice::<Letter>(Group::World)
        },
    ];

    crate::sim::choice::choice! {
        /// A test choice.
        enum Letter default X {
            /// x.
            X = "x",
            /// y.
            Y = "y",
        }
    }

    crate::sim::choice::choice! {
        /// Another test choice.
        enum Other default A {
            /// a.
            A = "a",
            /// b.
            B = "b",
        }
    }

    #[test]
    fn choices_take_their_spec_from_the_enum_and_read_back_as_it() {
        let spec = &SPECS[1];
        assert_eq!(spec.kind, ParamKind::Choice(&["x", "y"]));
        assert_eq!((spec.min, spec.max, spec.default), (0.0, 1.0, 0.0));
        assert_eq!(check_table(SPECS, &[]), Ok(()));
        let mut p = ParamValues::defaults(SPECS);
        assert_eq!(p.choice::<Letter>("a.choice"), Letter::X);
        p.set_text("a.choice=y").unwrap();
        assert_eq!(p.choice::<Letter>("a.choice"), Letter::Y);
        assert!(
            matches!(p.set("a.choice", 0.5), Err(ParamError::NotInteger { .. })),
            "a choice is stored as a whole position"
        );
        assert_eq!(p.choice::<Letter>("a.choice"), Letter::Y);
        let flag = ParamSpec {
            kind: ParamKind::Bool,
            ..SPECS[1]
        };
        assert!(flag.check(0.5).is_err(), "a flag is 0 or 1");
        let read =
            std::panic::catch_unwind(|| ParamValues::defaults(SPECS).choice::<Other>("a.choice"));
        assert!(
            read.is_err(),
            "another enum's options do not read as this one"
        );
    }

    #[test]
    fn tables_are_the_same_by_ids_wherever_they_live() {
        let copy: Vec<ParamSpec> = SPECS.to_vec();
        assert!(!std::ptr::eq(copy.as_slice(), SPECS));
        assert!(same_table(&copy, SPECS));
        assert!(!same_table(&copy[..1], SPECS));
        let mut renamed = copy.clone();
        renamed[1].id = "a.other";
        assert!(!same_table(&renamed, SPECS));
    }

    #[test]
    fn units_print_their_text_and_group_by_axis() {
        let cases = [
            (Unit::Number, ""),
            (Unit::Share, ""),
            (Unit::Money(Per::Total), "$"),
            (Unit::Money(Per::UserDay), "$/user/day"),
            (Unit::Count(Noun::Cases, Per::Day), "/day"),
            (Unit::Count(Noun::Users, Per::Day), "users/day"),
            (
                Unit::Count(Noun::Arrests, Per::ThousandResidentsDay),
                "arrests/1,000 residents/day",
            ),
            (Unit::Rate(Per::Item), "per item"),
            (Unit::Rate(Per::Year), "/year"),
            (Unit::RateOne(Per::Day), "1/day"),
            (Unit::Minutes(Per::UserDay), "min/user/day"),
            (Unit::LoanAmounts(Per::Day), "loan amounts/day"),
        ];
        for (unit, text) in cases {
            assert_eq!(unit.symbol(), text, "{unit:?}");
            assert_eq!(format!("{unit}"), text);
        }
        assert_eq!(format!("[{:<5}]", Unit::Money(Per::Day)), "[$/day]");
        let incidents = Unit::Count(Noun::Incidents, Per::Day);
        assert!(incidents.same_axis(Unit::Count(Noun::Reports, Per::Day)));
        assert!(!incidents.same_axis(Unit::Count(Noun::Users, Per::Total)));
        assert!(!Unit::Money(Per::Day).same_axis(Unit::Money(Per::UserDay)));
        assert!(
            !Unit::Share.same_axis(Unit::Number),
            "an AUC is not a percentage"
        );
        assert!(Unit::RateOne(Per::Day).same_axis(Unit::Rate(Per::Day)));
    }

    #[test]
    fn tables_are_checked_against_their_units() {
        let mut metric = MetricSpec {
            id: "m.share",
            label: "Share",
            unit: Unit::Share,
            layer: Layer::Model,
            better: Better::Up,
            observable: true,
            min: 0.0,
            max: 2.0,
            doc: "d",
        };
        assert_eq!(
            check_table(SPECS, &[metric]),
            Err(TableError::UnitRange {
                id: "m.share",
                unit: Unit::Share
            })
        );
        metric.max = 1.0;
        assert_eq!(check_table(SPECS, &[metric]), Ok(()));
        assert_eq!(
            check_table(SPECS, &[metric, metric]),
            Err(TableError::Duplicate { id: "m.share" })
        );
        let mut choice = SPECS[1];
        choice.unit = Unit::Share;
        assert!(matches!(
            check_table(&[choice], &[]),
            Err(TableError::UnitRange { .. })
        ));
        assert_eq!(Better::Down.judge(-1.0), 1);
        assert_eq!(Better::Up.judge(-1.0), -1);
        assert_eq!(Better::Neither.judge(2.0), 0);
    }

    #[test]
    fn parse_and_reject() {
        let mut p = ParamValues::defaults(SPECS);
        p.set_text("a.real=2.5").unwrap();
        assert_eq!(p.get("a.real"), 2.5);
        p.set_text("a.choice=y").unwrap();
        assert_eq!(p.get("a.choice"), 1.0);
        let e = p.set_text("a.real=11").unwrap_err();
        assert!(e.to_string().contains("from 0 to 10 $"), "{e}");
        let e = p.set_text("a.real=NaN").unwrap_err();
        assert!(matches!(e, ParamError::NotFinite { .. }));
        let e = p.set_text("a.choise=x").unwrap_err();
        assert!(e.to_string().contains("did you mean `a.choice`"), "{e}");
        let e = p.set_text("a.choice=z").unwrap_err();
        assert!(e.to_string().contains("\"x\", \"y\""), "{e}");
        assert_eq!(p.get("a.real"), 2.5, "failed sets leave values unchanged");
    }
}
