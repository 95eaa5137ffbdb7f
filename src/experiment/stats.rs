//! The statistics of a two-arm randomized experiment, as a team computes
//! them from its own logs: per-arm moments of a per-unit measure, the
//! difference B − A with Welch's interval, a ratio measure's difference by
//! the delta method, the sample size a minimum detectable effect needs, and
//! three ways of deciding when to stop — look every day and stop at the
//! first p < α ("peeking"), look once at a fixed horizon, or follow an
//! always-valid p-value (the mixture sequential probability ratio test of
//! Johari, Pekelis & Walsh, "Always valid inference", 2017/2022), whose
//! false-positive rate stays at α however often it is looked at.
//!
//! Pure arithmetic: no draws, no state beyond what the caller passes in.

use crate::sim::stats::{phi, phi_inv};

/// Running moments of one arm's per-unit values (Welford's update, so long
/// runs keep their precision).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Moments {
    n: u64,
    mean: f64,
    /// Sum of squared deviations from the mean.
    m2: f64,
}

impl Moments {
    /// The moments of `values`.
    pub fn of(values: impl IntoIterator<Item = f64>) -> Self {
        let mut m = Self::default();
        for x in values {
            m.push(x);
        }
        m
    }

    /// Adds one unit's value.
    pub fn push(&mut self, x: f64) {
        self.n += 1;
        let delta = x - self.mean;
        self.mean += delta / self.n as f64;
        self.m2 += delta * (x - self.mean);
    }

    /// The moments of both samples together (Chan et al.'s pairwise form).
    pub fn merged(&self, other: &Self) -> Self {
        if other.n == 0 {
            return *self;
        }
        if self.n == 0 {
            return *other;
        }
        let n = self.n + other.n;
        let delta = other.mean - self.mean;
        let (na, nb) = (self.n as f64, other.n as f64);
        Self {
            n,
            mean: self.mean + delta * nb / n as f64,
            m2: self.m2 + other.m2 + delta * delta * na * nb / n as f64,
        }
    }

    /// Number of units.
    pub fn n(&self) -> u64 {
        self.n
    }

    /// The sample mean (0 without units).
    pub fn mean(&self) -> f64 {
        self.mean
    }

    /// The sample variance (divisor n − 1; 0 below two units).
    pub fn variance(&self) -> f64 {
        if self.n < 2 {
            0.0
        } else {
            self.m2 / (self.n - 1) as f64
        }
    }

    /// The variance of the mean, s² / n (0 below two units).
    pub fn variance_of_mean(&self) -> f64 {
        if self.n < 2 {
            0.0
        } else {
            self.variance() / self.n as f64
        }
    }
}

/// An estimate of the difference B − A.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    /// Mean of B minus mean of A.
    pub difference: f64,
    /// Standard error of the difference.
    pub std_error: f64,
    /// Degrees of freedom of the reference distribution (infinite: normal).
    pub dof: f64,
    /// Lower and upper ends of the two-sided interval.
    pub interval: (f64, f64),
    /// Two-sided p-value of "no difference".
    pub p_value: f64,
}

impl Estimate {
    /// An estimate from a difference, its variance and its degrees of
    /// freedom, with a two-sided interval at `confidence` (e.g. 0.95).
    fn new(difference: f64, variance: f64, dof: f64, confidence: f64) -> Self {
        let std_error = variance.max(0.0).sqrt();
        if std_error == 0.0 {
            // Both arms constant: the difference is known exactly.
            return Self {
                difference,
                std_error,
                dof,
                interval: (difference, difference),
                p_value: if difference == 0.0 { 1.0 } else { 0.0 },
            };
        }
        let half = t_quantile(0.5 + confidence / 2.0, dof) * std_error;
        Self {
            difference,
            std_error,
            dof,
            interval: (difference - half, difference + half),
            p_value: t_two_sided_p(difference / std_error, dof),
        }
    }

    /// The interval excludes zero.
    pub fn excludes_zero(&self) -> bool {
        self.interval.0 > 0.0 || self.interval.1 < 0.0
    }
}

/// Welch's unequal-variance comparison of two arms' means, with the
/// Welch–Satterthwaite degrees of freedom. None below two units in an arm.
pub fn welch(a: &Moments, b: &Moments, confidence: f64) -> Option<Estimate> {
    if a.n < 2 || b.n < 2 {
        return None;
    }
    let (va, vb) = (a.variance_of_mean(), b.variance_of_mean());
    let variance = va + vb;
    let dof = if variance > 0.0 {
        variance * variance
            / (va * va / (a.n - 1) as f64 + vb * vb / (b.n - 1) as f64).max(f64::MIN_POSITIVE)
    } else {
        f64::INFINITY
    };
    Some(Estimate::new(b.mean - a.mean, variance, dof, confidence))
}

/// Running moments of a pair (x, y) per unit, for a ratio measure Σx / Σy
/// (e.g. clicks per impression, where users are the randomized units).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct PairMoments {
    n: u64,
    mean_x: f64,
    mean_y: f64,
    m2_x: f64,
    m2_y: f64,
    /// Sum of co-deviations.
    c_xy: f64,
}

impl PairMoments {
    /// Adds one unit's numerator and denominator.
    pub fn push(&mut self, x: f64, y: f64) {
        self.n += 1;
        let n = self.n as f64;
        let dx = x - self.mean_x;
        let dy = y - self.mean_y;
        self.mean_x += dx / n;
        self.mean_y += dy / n;
        self.m2_x += dx * (x - self.mean_x);
        self.m2_y += dy * (y - self.mean_y);
        self.c_xy += dx * (y - self.mean_y);
    }

    /// Number of units.
    pub fn n(&self) -> u64 {
        self.n
    }

    /// The ratio of means, Σx / Σy (None when Σy is 0).
    pub fn ratio(&self) -> Option<f64> {
        (self.mean_y != 0.0).then(|| self.mean_x / self.mean_y)
    }

    /// The delta-method variance of the ratio of means.
    fn ratio_variance(&self) -> Option<f64> {
        if self.n < 2 || self.mean_y == 0.0 {
            return None;
        }
        let d = (self.n - 1) as f64;
        let (vx, vy, cxy) = (self.m2_x / d, self.m2_y / d, self.c_xy / d);
        let (mx, my) = (self.mean_x, self.mean_y);
        let v = (vx / (my * my) - 2.0 * mx * cxy / (my * my * my)
            + mx * mx * vy / (my * my * my * my))
            / self.n as f64;
        Some(v.max(0.0))
    }
}

/// The difference of two arms' ratio measures by the delta method (normal
/// reference). None below two units or with a zero denominator in an arm.
pub fn delta_ratio(a: &PairMoments, b: &PairMoments, confidence: f64) -> Option<Estimate> {
    let variance = a.ratio_variance()? + b.ratio_variance()?;
    Some(Estimate::new(
        b.ratio()? - a.ratio()?,
        variance,
        f64::INFINITY,
        confidence,
    ))
}

/// What an experiment is planned to detect.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Plan {
    /// The smallest difference B − A worth detecting, in the measure's unit.
    pub min_detectable_effect: f64,
    /// The per-unit standard deviation of the measure (the same in both arms).
    pub std_dev: f64,
    /// Share of units in B, in (0, 1).
    pub share_b: f64,
    /// Two-sided significance level, e.g. 0.05.
    pub alpha: f64,
    /// Wanted chance of detecting the effect, e.g. 0.8.
    pub power: f64,
}

impl Plan {
    /// Units needed in both arms together (normal approximation):
    /// (z₁₋α/₂ + z_power)² σ² (1/(1−s) + 1/s) / MDE². None for an
    /// impossible plan (no effect, a share outside (0, 1), …).
    pub fn units_needed(&self) -> Option<u64> {
        let Self {
            min_detectable_effect: mde,
            std_dev,
            share_b: s,
            alpha,
            power,
        } = *self;
        let valid = mde != 0.0
            && mde.is_finite()
            && std_dev >= 0.0
            && s > 0.0
            && s < 1.0
            && alpha > 0.0
            && alpha < 1.0
            && power > 0.0
            && power < 1.0;
        if !valid {
            return None;
        }
        let z = phi_inv(1.0 - alpha / 2.0) + phi_inv(power);
        let n = z * z * std_dev * std_dev * (1.0 / (1.0 - s) + 1.0 / s) / (mde * mde);
        Some(n.ceil().max(2.0) as u64)
    }

    /// The chance a fixed-horizon test of `units` units detects the planned
    /// effect (normal approximation, both tails).
    pub fn power_at(&self, units: u64) -> f64 {
        let s = self.share_b;
        let n = units as f64;
        let se = self.std_dev * (1.0 / (n * (1.0 - s)) + 1.0 / (n * s)).sqrt();
        if se == 0.0 {
            return 1.0;
        }
        let z = phi_inv(1.0 - self.alpha / 2.0);
        let shift = self.min_detectable_effect.abs() / se;
        phi(shift - z) + phi(-shift - z)
    }
}

/// The mixture sequential probability ratio test for a difference whose
/// estimate is approximately normal: with a normal mixing distribution of
/// variance τ² on the true difference, the likelihood ratio after a look
/// with estimate Δ̂ of variance V is
/// Λ = √(V / (V + τ²)) · exp(τ² Δ̂² / (2 V (V + τ²))),
/// and the always-valid p-value is the running minimum of 1/Λ.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Msprt {
    mixing_variance: f64,
    p_value: f64,
}

impl Msprt {
    /// A test whose mixing distribution has standard deviation `tau` (in the
    /// measure's unit; the effect size the team cares about is a good choice).
    pub fn new(tau: f64) -> Self {
        Self {
            mixing_variance: tau * tau,
            p_value: 1.0,
        }
    }

    /// Takes one look and returns the always-valid p-value so far.
    pub fn look(&mut self, estimate: &Estimate) -> f64 {
        let v = estimate.std_error * estimate.std_error;
        let t2 = self.mixing_variance;
        if v > 0.0 && t2 > 0.0 {
            let d = estimate.difference;
            let ln_lambda = 0.5 * (v / (v + t2)).ln() + t2 * d * d / (2.0 * v * (v + t2));
            self.p_value = self.p_value.min((-ln_lambda).exp().min(1.0));
        }
        self.p_value
    }

    /// The always-valid p-value so far.
    pub fn p_value(&self) -> f64 {
        self.p_value
    }
}

/// When a team stops and decides.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum StopRule {
    /// Looks every day and stops at the first p < α.
    Peeking,
    /// Looks once, on the given day.
    FixedHorizon {
        /// The planned last day.
        day: u32,
    },
    /// Looks every day at the always-valid p-value, stops when it is below α.
    Sequential,
}

/// What a stopping rule decided.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Decision {
    /// The day the rule stopped.
    pub day: u32,
    /// The decision was "B differs from A" (false: no difference found).
    pub significant: bool,
    /// The estimate it saw then.
    pub difference: f64,
}

/// One stopping rule followed look by look.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Stopper {
    rule: StopRule,
    alpha: f64,
    decision: Option<Decision>,
}

impl Stopper {
    /// A rule at significance level `alpha`.
    pub fn new(rule: StopRule, alpha: f64) -> Self {
        Self {
            rule,
            alpha,
            decision: None,
        }
    }

    /// The rule.
    pub fn rule(&self) -> StopRule {
        self.rule
    }

    /// Shows the rule day `day`'s estimate and always-valid p-value; returns
    /// its decision once it has stopped (later looks change nothing).
    pub fn look(&mut self, day: u32, estimate: &Estimate, always_valid_p: f64) -> Option<Decision> {
        if self.decision.is_none() {
            let decide = |significant| Decision {
                day,
                significant,
                difference: estimate.difference,
            };
            self.decision = match self.rule {
                StopRule::Peeking => (estimate.p_value < self.alpha).then(|| decide(true)),
                StopRule::FixedHorizon { day: last } => {
                    (day >= last).then(|| decide(estimate.p_value < self.alpha))
                }
                StopRule::Sequential => (always_valid_p < self.alpha).then(|| decide(true)),
            };
        }
        self.decision
    }

    /// The decision, if the rule has stopped; a rule that never stopped by
    /// the last look found no difference.
    pub fn decision(&self) -> Option<Decision> {
        self.decision
    }
}

/// Two-sided p-value of a t statistic with `dof` degrees of freedom
/// (normal when `dof` is infinite or very large).
pub fn t_two_sided_p(t: f64, dof: f64) -> f64 {
    if !t.is_finite() {
        return 0.0;
    }
    if dof > 1e7 {
        return 2.0 * phi(-t.abs());
    }
    // P(|T| > t) = I_{ν/(ν+t²)}(ν/2, 1/2).
    regularized_beta(dof / (dof + t * t), dof / 2.0, 0.5)
}

/// The `p` quantile of Student's t with `dof` degrees of freedom, p in (0, 1).
pub fn t_quantile(p: f64, dof: f64) -> f64 {
    if dof > 1e7 {
        return phi_inv(p);
    }
    if p == 0.5 {
        return 0.0;
    }
    // Bisection on the two-sided tail: the upper tail of t is half of it.
    let tail = if p > 0.5 { 2.0 * (1.0 - p) } else { 2.0 * p };
    let (mut lo, mut hi) = (0.0_f64, 1.0_f64);
    while t_two_sided_p(hi, dof) > tail && hi < 1e12 {
        hi *= 2.0;
    }
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if t_two_sided_p(mid, dof) > tail {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo <= 1e-13 * hi {
            break;
        }
    }
    let t = 0.5 * (lo + hi);
    if p > 0.5 { t } else { -t }
}

/// ln Γ(x) for x > 0 (Lanczos approximation, g = 7, nine terms; relative
/// error below 1e-13 over the range used here).
fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection: Γ(x) Γ(1 − x) = π / sin(πx).
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut sum = C[0];
    for (i, c) in C.iter().enumerate().skip(1) {
        sum += c / (x + i as f64);
    }
    let t = x + G + 0.5;
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + sum.ln()
}

/// The regularized incomplete beta function I_x(a, b), by its continued
/// fraction (modified Lentz), using the symmetry I_x(a, b) = 1 − I_{1−x}(b, a)
/// where the fraction converges faster.
fn regularized_beta(x: f64, a: f64, b: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let ln_front = ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (1.0 - x).ln();
    if x < (a + 1.0) / (a + b + 2.0) {
        ln_front.exp() * beta_fraction(x, a, b) / a
    } else {
        1.0 - ln_front.exp() * beta_fraction(1.0 - x, b, a) / b
    }
}

/// The continued fraction of the incomplete beta function, evaluated by the
/// modified Lentz method: each partial numerator `aa` updates the running
/// ratios `c` and `d` and multiplies the result by their product.
fn beta_fraction(x: f64, a: f64, b: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let away_from_zero = |v: f64| if v.abs() < TINY { TINY } else { v };
    let (mut c, mut d) = (1.0, 1.0 / away_from_zero(1.0 - (a + b) * x / (a + 1.0)));
    let mut h = d;
    // One Lentz step: returns the factor it multiplied `h` by.
    let mut step = |aa: f64, h: &mut f64| {
        d = 1.0 / away_from_zero(1.0 + aa * d);
        c = away_from_zero(1.0 + aa / c);
        *h *= d * c;
        d * c
    };
    for m in 1..500 {
        let m = f64::from(m);
        let m2 = 2.0 * m;
        step(m * (b - m) * x / ((a + m2 - 1.0) * (a + m2)), &mut h);
        let last = step(
            -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0)),
            &mut h,
        );
        if (last - 1.0).abs() < 1e-15 {
            break;
        }
    }
    h
}

#[cfg(test)]
mod tests;
