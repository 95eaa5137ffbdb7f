//! Numbers written for people: the one formatter every view and report uses.
//!
//! Owns how a value reads, decided by its [`Unit`]: shares as percentages,
//! money with its sign before the dollar, counts whole and grouped by
//! thousands, large values compact ("1.23 M"), tiny ones in plain decimals
//! rather than exponents, and never "−0". [`real`] is the exact text of a
//! parameter value that `describe`, `--set` and change markers print (and
//! scenario files round-trip), kept apart from the display forms.
//!
//! GUI-free: plain `String`s, no egui, so the CLI and tests share it.

use crate::sim::registry::{ParamKind, ParamSpec, Unit};

/// The minus sign of displayed numbers (U+2212, as wide as the plus).
const MINUS: &str = "−";

/// Shown for NaN and infinities.
const MISSING: &str = "—";

/// Magnitudes below this are written as 0: they are float noise, not data.
const NOISE: f64 = 1e-9;

/// A parameter value as a person would type it: whole numbers without a
/// point, others to at most six decimals without trailing zeros ("0.3",
/// "1.64", "20000"). This is the exact text of `describe`, `--set` echoes
/// and change markers; it is compared byte for byte and must not change.
pub fn real(value: f64) -> String {
    if value == value.trunc() && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        let s = format!("{value:.6}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// A number in a read-out: 12,345 · 1.23 M · 4.56 bn · 12.3 · 0.50 ·
/// 0.016 (two significant digits at least below 0.1) · 0.00485 (three
/// below 0.01, no exponent).
pub fn number(v: f64) -> String {
    signed_body(v, magnitude)
}

/// A count: whole and grouped (0 · 12,582), compact from a million (6.07 M).
pub fn count(v: f64) -> String {
    signed_body(v, |a| {
        if a < 999_999.5 {
            group_thousands(a.round() as u64)
        } else {
            magnitude(a)
        }
    })
}

/// A wall time that may be long: "40 s", "3 min 20 s", "2 h 10 min", then
/// "12 days" and "4.2 years" (work estimates can reach those).
pub fn duration(seconds: f64) -> String {
    const DAY: f64 = 86_400.0;
    if !seconds.is_finite() {
        return MISSING.to_string();
    }
    if seconds < 2.0 * DAY {
        let s = seconds.max(0.0).round() as u64;
        if s < 60 {
            format!("{s} s")
        } else if s < 3600 {
            format!("{} min {} s", s / 60, s % 60)
        } else {
            format!("{} h {} min", s / 3600, (s % 3600) / 60)
        }
    } else if seconds < 365.0 * DAY {
        format!("{:.0} days", seconds / DAY)
    } else {
        format!("{:.1} years", seconds / (365.0 * DAY))
    }
}

/// An amount of memory: "41 MB", "1.7 GB" (decimal units, at least 1 MB).
pub fn bytes(v: f64) -> String {
    if !v.is_finite() {
        MISSING.to_string()
    } else if v >= 1e9 {
        format!("{:.1} GB", v / 1e9)
    } else {
        format!("{:.0} MB", (v / 1e6).max(1.0))
    }
}

/// A share as a percentage: 12.3 % · 4.56 % · 100 %.
pub fn percent(v: f64) -> String {
    if !v.is_finite() {
        return MISSING.to_string();
    }
    let body = signed_body(100.0 * v, |p| {
        // Decided on the rounded value: 99.96 reads "100", not "100.0".
        if p >= 99.95 {
            format!("{p:.0}")
        } else if p >= 9.995 {
            format!("{p:.1}")
        } else {
            format!("{p:.2}")
        }
    });
    format!("{body} %")
}

/// A share as a whole percentage, for labels inside small graphics: 12 %.
pub fn percent_whole(v: f64) -> String {
    if !v.is_finite() {
        return MISSING.to_string();
    }
    let body = signed_body(100.0 * v, |p| format!("{p:.0}"));
    format!("{body} %")
}

/// A number for an axis tick or a grid value: at most three decimals,
/// fewer as the number grows, no trailing zeros (0.125 · 12.5 · 1250).
pub fn short(v: f64) -> String {
    signed_body(v, |a| {
        let text = if a >= 1000.0 {
            format!("{a:.0}")
        } else if a >= 10.0 {
            format!("{a:.1}")
        } else {
            format!("{a:.3}")
        };
        trim_zeros(text)
    })
}

/// A value in its unit, split into the number (with any dollar sign) and
/// the unit text after it, for read-outs that show the number large:
/// ("−$3.00", "/day") · ("12.3 %", "") · ("1,234", "users").
pub fn parts(v: f64, unit: Unit) -> (String, String) {
    (amount(v, unit), suffix(unit))
}

/// [`parts`] of an average (a 7-day or run mean): whole units keep their
/// fraction ("2.46", "users/day").
pub fn mean_parts(v: f64, unit: Unit) -> (String, String) {
    (mean_amount(v, unit), suffix(unit))
}

/// The unit text written after a number ("" for shares and pure numbers,
/// "/day" for money per day: the dollar sign goes before the number).
fn suffix(unit: Unit) -> String {
    match unit {
        Unit::Number | Unit::Share | Unit::RepaymentProbability | Unit::Day => String::new(),
        Unit::Money(per) => per.suffix().to_string(),
        Unit::RateOne(per) => per.suffix().to_string(),
        other => other.symbol().into_owned(),
    }
}

/// A value in its unit, whole: "−$3.00/day" · "12.3 %" · "1,234 users" ·
/// "4.20 min/user/day" · "0.10/day" · "day 120".
pub fn value(v: f64, unit: Unit) -> String {
    let (number, suffix) = parts(v, unit);
    join(number, suffix)
}

/// [`value`] of an average: "17.4 incidents/day" where a day's count reads
/// "17 incidents/day".
pub fn mean_value(v: f64, unit: Unit) -> String {
    let (number, suffix) = mean_parts(v, unit);
    join(number, suffix)
}

/// A number and its unit text: "17/day", "3 users", "12.3 %".
fn join(number: String, suffix: String) -> String {
    if suffix.is_empty() {
        number
    } else if suffix.starts_with('/') {
        format!("{number}{suffix}")
    } else {
        format!("{number} {suffix}")
    }
}

/// A parameter's value for a read-out: flags and choices by name, others
/// in their unit; the parameter's kind, not its unit, decides whether it is
/// whole ("0.3 incidents/day" stays fractional, "10 interventions/day" whole).
pub fn param(spec: &ParamSpec, v: f64) -> String {
    match spec.kind {
        ParamKind::Bool | ParamKind::Choice(_) | ParamKind::List(_) => spec.format(v),
        ParamKind::Int => {
            let (_, suffix) = parts(v, spec.unit);
            join(count(v), suffix)
        }
        ParamKind::Real if spec.unit.is_whole() => {
            let (_, suffix) = parts(v, spec.unit);
            join(number(v), suffix)
        }
        ParamKind::Real => value(v, spec.unit),
    }
}

/// A difference in its unit, with "+" on gains: "+$3.00/day" · "−1.20 %" · "0".
pub fn difference(v: f64, unit: Unit) -> String {
    plus_on_gain(v, value(v, unit))
}

/// A difference as [`amount`] writes it, with "+" on gains, for tables whose
/// header names the unit: "+$0.47" · "−1.20 %" · "+83".
pub fn amount_difference(v: f64, unit: Unit) -> String {
    plus_on_gain(v, amount(v, unit))
}

/// [`amount_difference`] of averages: whole units keep their fraction ("+0.46").
pub fn mean_difference(v: f64, unit: Unit) -> String {
    plus_on_gain(v, mean_amount(v, unit))
}

/// `text` (the writing of `v`) with "+" before it when `v` is a gain that
/// does not read as zero.
fn plus_on_gain(v: f64, text: String) -> String {
    if v > 0.0 && v.is_finite() && has_nonzero_digit(&text) {
        format!("+{text}")
    } else {
        text
    }
}

/// A change of a share in percentage points, unsigned: 0.035 → "3.5 pt".
pub fn points(v: f64) -> String {
    if !v.is_finite() {
        return MISSING.to_string();
    }
    signed_body(100.0 * v, |p| format!("{p:.1} pt"))
}

/// An axis tick with as many decimals as the ticks' `step` needs (0.25 ·
/// 0.50 · 1.00 on one axis), large values compact: 0 · 12.5 · 20,000 · 1.20 M.
pub fn tick(value: f64, step: f64) -> String {
    if value.abs() >= 1e4 {
        return number(value);
    }
    let decimals = if step > 0.0 && step.is_finite() {
        (-step.log10().floor()).max(0.0) as usize
    } else {
        0
    };
    let v = if value.abs() < step * 1e-6 {
        0.0
    } else {
        value
    };
    signed_body(v, |a| format!("{a:.decimals$}"))
}

/// A tick of a share axis as a percentage: 0.5 with step 0.25 → "50 %".
pub fn tick_percent(value: f64, step: f64) -> String {
    format!("{} %", tick(100.0 * value, 100.0 * step))
}

/// The number of a value as its unit wants it, without the unit's text
/// (but with the dollar sign of money): "−$3.00" · "12.3 %" · "1,234".
pub fn amount(v: f64, unit: Unit) -> String {
    amount_in(v, unit, unit.is_whole())
}

/// [`amount`] of an average: whole units keep their fraction ("2.46").
pub fn mean_amount(v: f64, unit: Unit) -> String {
    amount_in(v, unit, false)
}

/// [`amount`], with whole units rounded only when `whole`.
fn amount_in(v: f64, unit: Unit, whole: bool) -> String {
    match unit {
        Unit::Share | Unit::RepaymentProbability => percent(v),
        Unit::Money(_) => {
            let body = number(v);
            match body.strip_prefix(MINUS) {
                Some(rest) => format!("{MINUS}${rest}"),
                None if body == MISSING => body,
                None => format!("${body}"),
            }
        }
        Unit::Day => format!("day {}", count(v)),
        other if whole && other.is_whole() => count(v),
        _ => number(v),
    }
}

/// The compact form of a non-negative magnitude.
fn magnitude(a: f64) -> String {
    // Each form is chosen on the rounded value: 99.96 reads "100", not "100.0".
    if a >= 999_995_000.0 {
        format!("{:.2} bn", a / 1e9)
    } else if a >= 999_999.5 {
        format!("{:.2} M", a / 1e6)
    } else if a >= 99.95 {
        group_thousands(a.round() as u64)
    } else if a >= 9.995 {
        format!("{a:.1}")
    } else if !(NOISE..0.0995).contains(&a) {
        format!("{a:.2}")
    } else if a >= 0.01 {
        // Two significant digits at least, as below: 0.016, not 0.02.
        trim_zeros(format!("{a:.3}"))
    } else {
        // Three significant digits: 0.00485, 0.0000123.
        let decimals = (-a.log10()).ceil() as usize + 2;
        trim_zeros(format!("{a:.decimals$}"))
    }
}

/// Writes `|v|` with `body` and puts a minus before it unless it reads as zero.
fn signed_body(v: f64, body: impl Fn(f64) -> String) -> String {
    if !v.is_finite() {
        return MISSING.to_string();
    }
    let text = body(v.abs());
    if v < 0.0 && has_nonzero_digit(&text) {
        format!("{MINUS}{text}")
    } else {
        text
    }
}

fn has_nonzero_digit(text: &str) -> bool {
    text.chars().any(|c| c.is_ascii_digit() && c != '0')
}

fn trim_zeros(text: String) -> String {
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

fn group_thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::registry::{Noun, Per};

    #[test]
    fn real_is_the_exact_parameter_text() {
        assert_eq!(real(20_000.0), "20000");
        assert_eq!(real(1.64), "1.64");
        assert_eq!(real(0.1 + 0.2), "0.3");
        assert_eq!(real(-0.0), "0");
        assert_eq!(real(1e-7), "0");
        assert_eq!(real(2.5e15), "2500000000000000");
    }

    #[test]
    fn numbers_are_compact_without_exponents() {
        assert_eq!(number(12_345.4), "12,345");
        assert_eq!(number(1_234_567.0), "1.23 M");
        assert_eq!(number(-2.5e9), "−2.50 bn");
        assert_eq!(number(12.34), "12.3");
        assert_eq!(number(0.5), "0.50");
        assert_eq!(number(0.004_85), "0.00485");
        assert_eq!(number(0.000_012_3), "0.0000123");
        assert_eq!(number(f64::NAN), "—");
        assert_eq!(number(f64::INFINITY), "—");
    }

    #[test]
    fn nothing_reads_as_minus_zero() {
        assert_eq!(number(-0.0), "0.00");
        assert_eq!(number(-1e-12), "0.00");
        assert_eq!(number(-0.001), "−0.001");
        assert_eq!(count(-0.4), "0");
        assert_eq!(percent(-1e-7), "0.00 %");
        assert_eq!(value(-0.0, Unit::Money(Per::Total)), "$0.00");
        assert_eq!(difference(1e-12, Unit::Share), "0.00 %");
        assert_eq!(short(-0.0001), "0");
    }

    #[test]
    fn counts_are_whole() {
        assert_eq!(count(0.0), "0");
        assert_eq!(count(12_582.4), "12,582");
        assert_eq!(count(6_070_000.0), "6.07 M");
        assert_eq!(count(-12.0), "−12");
        let users = Unit::Count(Noun::Users, Per::Total);
        assert_eq!(value(1234.0, users), "1,234 users");
        let per_day = Unit::Count(Noun::Cases, Per::Day);
        assert_eq!(value(17.0, per_day), "17/day");
        let per_user = Unit::Count(Noun::Interactions, Per::UserDay);
        assert_eq!(
            value(3.4, per_user),
            "3.40 interactions/user/day",
            "averages are not whole"
        );
    }

    #[test]
    fn units_decide_the_form() {
        assert_eq!(value(0.123, Unit::Share), "12.3 %");
        assert_eq!(value(0.0456, Unit::Share), "4.56 %");
        assert_eq!(value(1.0, Unit::Share), "100 %");
        assert_eq!(value(-3.0, Unit::Money(Per::Day)), "−$3.00/day");
        assert_eq!(value(2.5e6, Unit::Money(Per::Total)), "$2.50 M");
        assert_eq!(value(0.42, Unit::Money(Per::UserDay)), "$0.42/user/day");
        assert_eq!(value(4.2, Unit::Minutes(Per::UserDay)), "4.20 min/user/day");
        assert_eq!(value(0.1, Unit::RateOne(Per::Day)), "0.10/day");
        assert_eq!(value(0.1, Unit::Rate(Per::Item)), "0.10 per item");
        assert_eq!(value(1.64, Unit::Sigma), "1.64 σ");
        assert_eq!(value(120.0, Unit::Day), "day 120");
        assert_eq!(value(90.0, Unit::Days), "90 days");
        assert_eq!(value(0.9, Unit::Number), "0.90");
        assert_eq!(
            parts(-3.0, Unit::Money(Per::Day)),
            ("−$3.00".to_string(), "/day".to_string())
        );
        assert_eq!(
            parts(5.0, Unit::Count(Noun::Users, Per::Day)),
            ("5".to_string(), "users/day".to_string())
        );
    }

    #[test]
    fn differences_carry_their_sign() {
        assert_eq!(difference(3.0, Unit::Money(Per::Day)), "+$3.00/day");
        assert_eq!(difference(-0.012, Unit::Share), "−1.20 %");
        assert_eq!(difference(0.0, Unit::Number), "0.00");
    }

    #[test]
    fn parameters_are_whole_by_kind() {
        let specs = crate::sim::WorldKind::Policing.params();
        let rate = specs.iter().find(|s| s.id == "world.rate_first").unwrap();
        assert_eq!(param(rate, 0.3), "0.30 incidents/day");
        let users = crate::sim::WorldKind::Users.params();
        let cap = users
            .iter()
            .find(|s| s.id == "experience.max_per_day")
            .unwrap();
        assert_eq!(param(cap, 10.0), "10 interventions/day");
        let mode = users.iter().find(|s| s.id == "experience.mode").unwrap();
        assert_eq!(param(mode, 1.0), "prompt");
    }

    #[test]
    fn short_trims() {
        assert_eq!(short(0.125), "0.125");
        assert_eq!(short(12.5), "12.5");
        assert_eq!(short(1250.4), "1250");
        assert_eq!(short(0.5), "0.5");
        assert_eq!(short(-2.0), "−2");
        assert_eq!(percent_whole(0.123), "12 %");
    }

    #[test]
    fn ticks_and_points() {
        assert_eq!(tick(0.4, 0.2), "0.4");
        assert_eq!(tick(200.0, 50.0), "200");
        assert_eq!(tick(0.0, 50.0), "0");
        assert_eq!(tick(0.5, 0.25), "0.5");
        assert_eq!(tick(0.5, 0.1), "0.5");
        assert_eq!(tick(0.05, 0.01), "0.05");
        // Small read-outs keep two significant digits: a per-user-day
        // value of $0.0158 does not read as $0.02 beside a $0.00718 change.
        assert_eq!(number(0.0158), "0.016");
        assert_eq!(number(0.05), "0.05");
        assert_eq!(number(0.25), "0.25");
        assert_eq!(amount(0.0158, Unit::Money(Per::UserDay)), "$0.016");
        assert_eq!(tick(-2.0, 1.0), "−2");
        assert_eq!(tick(1e-12, 0.5), "0.0");
        assert_eq!(tick(20_000.0, 5_000.0), "20,000");
        assert_eq!(tick_percent(0.5, 0.25), "50 %");
        assert_eq!(points(0.035), "3.5 pt");
        assert_eq!(points(0.0), "0.0 pt");
        assert_eq!(
            amount_difference(0.468, Unit::Money(Per::UserDay)),
            "+$0.47"
        );
        assert_eq!(amount_difference(-0.012, Unit::Share), "−1.20 %");
        assert_eq!(
            amount_difference(83.0, Unit::Count(Noun::Users, Per::Total)),
            "+83"
        );
        assert_eq!(amount_difference(0.0, Unit::Number), "0.00");
    }

    #[test]
    fn forms_follow_the_rounded_value() {
        assert_eq!(percent(0.9996), "100 %");
        assert_eq!(percent(0.099_99), "10.0 %");
        assert_eq!(number(99.96), "100");
        assert_eq!(number(9.996), "10.0");
        assert_eq!(number(999_999.7), "1.00 M");
        assert_eq!(count(999_999.7), "1.00 M");
    }

    #[test]
    fn durations_grow_from_seconds_to_years() {
        assert_eq!(duration(0.2), "0 s");
        assert_eq!(duration(40.4), "40 s");
        assert_eq!(duration(200.0), "3 min 20 s");
        assert_eq!(duration(7_800.0), "2 h 10 min");
        assert_eq!(duration(12.0 * 86_400.0), "12 days");
        assert_eq!(duration(4.2 * 365.0 * 86_400.0), "4.2 years");
        assert_eq!(duration(f64::INFINITY), MISSING);
    }

    #[test]
    fn memory_reads_in_megabytes_then_gigabytes() {
        assert_eq!(bytes(41e6), "41 MB");
        assert_eq!(bytes(1.0), "1 MB");
        assert_eq!(bytes(1.74e9), "1.7 GB");
    }

    #[test]
    fn means_of_counts_keep_their_fraction() {
        let per_day = Unit::Count(Noun::Incidents, Per::Day);
        assert_eq!(value(17.4, per_day), "17 incidents/day");
        assert_eq!(mean_value(17.4, per_day), "17.4 incidents/day");
        assert_eq!(mean_amount(2.458, per_day), "2.46");
        assert_eq!(mean_difference(0.458, per_day), "+0.46");
        assert_eq!(
            mean_parts(0.5, Unit::Money(Per::Day)),
            ("$0.50".to_string(), "/day".to_string())
        );
        assert_eq!(mean_value(0.25, Unit::Share), "25.0 %");
    }
}
