//! Closed forms the model rests on: the normal distribution and the
//! equal-variance binormal ROC model.
//!
//! Scores of negatives are N(0, 1), of positives N(d′, 1). A threshold `t`
//! gives FPR = 1 − Φ(t) and TPR = 1 − Φ(t − d′); the area under the curve is
//! AUC = Φ(d′ / √2). Any pair (FPR, FNR) maps to exactly one (d′, t), so a
//! model given by its error rates and one given by its AUC and threshold run
//! through the same code.

/// Standard normal cumulative distribution function Φ.
pub fn phi(x: f64) -> f64 {
    0.5 * erfc(-x / std::f64::consts::SQRT_2)
}

/// Complementary error function, to about 1e-15 relative accuracy.
///
/// Below |x| = 3 the positive-term series erf(x) = 2/√π·e^(−x²)·Σ 2ⁿx^(2n+1)/(2n+1)!!
/// (no cancellation); above, the Laplace continued fraction for erfc.
fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let r = if z < 3.0 {
        let mut term = z;
        let mut sum = z;
        let mut n = 0.0;
        while term > sum * 1e-17 {
            n += 1.0;
            term *= 2.0 * z * z / (2.0 * n + 1.0);
            sum += term;
        }
        1.0 - 2.0 / std::f64::consts::PI.sqrt() * (-z * z).exp() * sum
    } else {
        // erfc(z) = e^(−z²)/√π · 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + ...)))), evaluated backwards.
        let mut f = z;
        for k in (1..60).rev() {
            f = z + (f64::from(k) / 2.0) / f;
        }
        (-z * z).exp() / std::f64::consts::PI.sqrt() / f
    };
    if x >= 0.0 { r } else { 2.0 - r }
}

/// Inverse of Φ (P. J. Acklam's algorithm with one Halley refinement step).
///
/// Returns ±infinity at 0 and 1.
pub fn phi_inv(p: f64) -> f64 {
    let x = phi_inv_fast(p);
    if !x.is_finite() {
        return x;
    }
    // One Halley step brings the error to machine precision.
    let e = phi(x) - p;
    let u = e * (2.0 * std::f64::consts::PI).sqrt() * (x * x / 2.0).exp();
    x - u / (1.0 + x * u / 2.0)
}

/// Acklam's approximation of Φ⁻¹ alone (relative error below 1.2e-9): for
/// ranking in hot loops, where the refinement's Φ and exp cost more than
/// the precision is worth.
pub fn phi_inv_fast(p: f64) -> f64 {
    if p <= 0.0 {
        return f64::NEG_INFINITY;
    }
    if p >= 1.0 {
        return f64::INFINITY;
    }
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    const LOW: f64 = 0.024_25;
    if p < LOW {
        let q = (-2.0 * p.ln()).sqrt();
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else if p <= 1.0 - LOW {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        let q = (-2.0 * (1.0 - p).ln()).sqrt();
        -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    }
}

/// d′ of the binormal model with this AUC.
pub fn dprime_from_auc(auc: f64) -> f64 {
    std::f64::consts::SQRT_2 * phi_inv(auc.clamp(1e-9, 1.0 - 1e-9))
}

/// AUC of the binormal model with this d′.
pub fn auc_from_dprime(dprime: f64) -> f64 {
    phi(dprime / std::f64::consts::SQRT_2)
}

/// (d′, threshold) giving exactly these error rates.
pub fn binormal_from_rates(fpr: f64, fnr: f64) -> (f64, f64) {
    let t = phi_inv(1.0 - fpr.clamp(1e-9, 1.0 - 1e-9));
    let d = t - phi_inv(fnr.clamp(1e-9, 1.0 - 1e-9));
    (d, t)
}

/// (FPR, TPR) of the binormal model at a threshold.
pub fn rates_at(dprime: f64, threshold: f64) -> (f64, f64) {
    (1.0 - phi(threshold), 1.0 - phi(threshold - dprime))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phi_known_values() {
        assert!((phi(0.0) - 0.5).abs() < 1e-7);
        assert!((phi(1.959_963_985) - 0.975).abs() < 1e-6);
        assert!((phi(-1.0) - 0.158_655_25).abs() < 1e-6);
    }

    #[test]
    fn phi_inv_inverts_phi() {
        for p in [1e-6, 0.01, 0.2, 0.5, 0.77, 0.99, 1.0 - 1e-6] {
            assert!((phi(phi_inv(p)) - p).abs() < 1e-7 * p.max(1e-3), "{p}");
        }
    }

    #[test]
    fn fast_inverse_is_close_and_monotone() {
        let mut last = f64::NEG_INFINITY;
        for i in 1..10_000 {
            let p = f64::from(i) / 10_000.0;
            let fast = phi_inv_fast(p);
            assert!((fast - phi_inv(p)).abs() < 1e-8, "{p}");
            assert!(fast > last, "monotone at {p}");
            last = fast;
        }
    }

    #[test]
    fn auc_dprime_round_trip() {
        for auc in [0.5, 0.6, 0.75, 0.9, 0.99] {
            assert!((auc_from_dprime(dprime_from_auc(auc)) - auc).abs() < 1e-7);
        }
        assert!(dprime_from_auc(0.5).abs() < 1e-9);
    }

    #[test]
    fn rates_round_trip() {
        let (d, t) = binormal_from_rates(0.05, 0.2);
        let (fpr, tpr) = rates_at(d, t);
        assert!((fpr - 0.05).abs() < 1e-7 && (tpr - 0.8).abs() < 1e-7);
    }
}
