//! Reproducible random streams: every random number descends from one seed.
//!
//! A stream is keyed by (seed, concern, a, b) — for example (seed, people,
//! user id, day). Keying by user and day rather than drawing from one long
//! sequence gives *common random numbers*: two designs run on the same seed
//! see the same situations, truths and people, and a change in one user's
//! day cannot shift anyone else's draws. Streams are independent of thread
//! count by construction.
//!
//! Two kinds of generator. Sequential streams are PCG's 128-bit
//! multiplicative variant (`rand_pcg::Pcg64Mcg`, O'Neill 2014), seeded from a
//! SplitMix64 hash of the key. Counter-based draws ([`keyed_u64`]) give the
//! k-th number of a key's sequence directly (wyrand's Weyl sequence and one
//! 128-bit multiply), so a hot loop has no serial chain and a design that
//! skips a draw shifts no other: the user world makes every per-user-day
//! draw this way (its population and arrivals use sequential streams).

use rand::Rng as _;
use rand_pcg::Pcg64Mcg;

/// The sequential generator.
pub type SimRng = Pcg64Mcg;

/// The concerns that own a stream each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u64)]
pub enum Stream {
    /// Initial population (groups, skills).
    Population = 1,
    /// Situations, truths, model scores, stakes and own judgments of one user-day.
    Situations = 2,
    /// People's reactions (noticing, following, reporting) in one user-day, by random access.
    People = 3,
    /// Arrivals and departures.
    Arrivals = 4,
    /// The feedback-loop worlds' own draws.
    Loop = 5,
    /// Per-day world-level draws (events, exploration).
    Daily = 6,
    /// Which arm of a randomized experiment each user is in.
    Experiment = 7,
}

/// SplitMix64's finalizer: a strong 64-bit mixing function.
#[inline]
pub fn mix64(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// The key of (seed, concern, b) — typically one concern on one day. Hoisted
/// out of per-entity loops; combine with an entity through [`sub_key`].
#[inline]
pub fn key2(seed: u64, concern: Stream, b: u64) -> u64 {
    mix64(seed ^ mix64((concern as u64) ^ mix64(b)))
}

/// The key of entity `a` under a [`key2`] key.
#[inline]
pub fn sub_key(key: u64, a: u64) -> u64 {
    mix64(key ^ a.wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

/// The 64-bit key of (seed, concern, a, b).
#[inline]
pub fn key(seed: u64, concern: Stream, a: u64, b: u64) -> u64 {
    sub_key(key2(seed, concern, b), a)
}

/// A sequential stream seeded by a key.
#[inline]
fn stream_from_key(key: u64) -> SimRng {
    let low = mix64(key ^ 0xD1B5_4A32_D192_ED03);
    Pcg64Mcg::new((u128::from(key) << 64) | u128::from(low))
}

/// The sequential stream of (seed, concern, a, b).
#[inline]
pub fn stream(seed: u64, concern: Stream, a: u64, b: u64) -> SimRng {
    stream_from_key(key(seed, concern, a, b))
}

/// Draw number `k` of a keyed sequence, as two uniforms in [0, 1) with 32
/// bits each. Random access lets a caller skip draws it does not need while
/// every draw keeps its value (counter-based generation, as in Salmon et al.,
/// Parallel random numbers: as easy as 1, 2, 3, 2011).
#[inline]
pub fn keyed_pair(key: u64, k: u64) -> (f64, f64) {
    unit_pair(keyed_u64(key, k))
}

/// Draw number `k` of a keyed sequence, as 64 random bits. Draws of one key
/// do not depend on one another, so a loop over them has no serial chain.
///
/// The generator is wyrand (Wang Yi's wyhash family): its state is a Weyl
/// sequence `key + k·γ`, so the `k`-th output is one 64 × 64 → 128-bit
/// multiply of that state away, with no need to visit the ones before it.
#[inline]
pub fn keyed_u64(key: u64, k: u64) -> u64 {
    let s = key.wrapping_add(k.wrapping_mul(0xA076_1D64_78BD_642F));
    let m = u128::from(s) * u128::from(s ^ 0xE703_7ED1_A0B4_28DB);
    (m as u64) ^ ((m >> 64) as u64)
}

/// 64 random bits as a uniform number in [0, 1) with 53 bits of precision.
#[inline]
pub fn unit53(x: u64) -> f64 {
    (x >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// The integer cut of probability `p` for uniforms made of `bits` random
/// bits: for an integer draw `x` below 2^bits, `x · 2^-bits < p` exactly when
/// `x < unit_cut(p, bits)`. Comparing integers skips the conversion to float.
#[inline]
fn unit_cut(p: f64, bits: u32) -> u64 {
    let scale = (1u64 << bits) as f64;
    // Exact (a power-of-two scaling); `max` maps NaN to 0: never below the
    // cut. No branches: per-user cuts vary unpredictably around 0 and 1.
    let x = (p * scale).max(0.0).min(scale);
    // The ceiling, without a call to `ceil` (not an instruction on every
    // CPU). Through i64, which x fits: conversions between f64 and u64 take
    // many instructions on x86-64, those with i64 one.
    let floor = x as i64;
    floor as u64 + u64::from((floor as f64) < x)
}

/// [`unit_cut`] for the 32-bit halves of [`unit_pair`].
#[inline]
pub fn unit_cut32(p: f64) -> u64 {
    unit_cut(p, 32)
}

/// [`unit_cut`] for the 53 bits of [`unit53`] (the draw shifted right by 11).
#[inline]
pub fn unit_cut53(p: f64) -> u64 {
    unit_cut(p, 53)
}

/// 64 random bits as two uniform numbers in [0, 1) with 32 bits each.
#[inline]
pub fn unit_pair(x: u64) -> (f64, f64) {
    const SCALE: f64 = 1.0 / 4_294_967_296.0;
    ((x >> 32) as f64 * SCALE, (x & 0xFFFF_FFFF) as f64 * SCALE)
}

/// The seed of replication `r` of a run seeded `seed`.
pub fn replication_seed(seed: u64, replication: u64) -> u64 {
    if replication == 0 {
        seed
    } else {
        mix64(seed ^ mix64(replication.wrapping_mul(0xA24B_AED4_963E_E407)))
    }
}

/// A uniform number in [0, 1) with 53 bits of precision.
#[inline]
pub fn uniform(rng: &mut SimRng) -> f64 {
    unit53(rng.next_u64())
}

/// Two uniform numbers in [0, 1) with 24 bits each, from one draw.
#[inline]
pub fn uniform_pair(rng: &mut SimRng) -> (f32, f32) {
    let x = rng.next_u64();
    const SCALE: f32 = 1.0 / (1u32 << 24) as f32;
    (
        (x >> 40) as f32 * SCALE,
        ((x >> 8) & 0xFF_FFFF) as f32 * SCALE,
    )
}

/// A standard normal draw (ziggurat method).
#[inline]
pub fn normal(rng: &mut SimRng) -> f64 {
    use rand_distr::Distribution as _;
    rand_distr::StandardNormal.sample(rng)
}

/// A Poisson draw by inversion, for small means (the caller keeps `mean` ≤ 100).
///
/// `exp_neg_mean` is `(-mean).exp()`, precomputed by the caller.
#[inline]
pub fn poisson_small(rng: &mut SimRng, mean: f64, exp_neg_mean: f64) -> u32 {
    let u = uniform(rng);
    let mut k = 0u32;
    let mut p = exp_neg_mean;
    let mut cdf = p;
    while u > cdf && k < 400 {
        k += 1;
        p *= mean / f64::from(k);
        cdf += p;
        if p < 1e-300 && f64::from(k) > mean {
            break;
        }
    }
    k
}

/// A Poisson distribution with a small mean, sampled by inversion against a
/// precomputed cumulative table (no divisions in the hot loop, no float
/// conversions: the comparisons are made on the draw's integer bits). Fed
/// the same 64 bits, it draws what [`poisson_small`] draws.
#[derive(Clone, Debug, PartialEq)]
pub struct PoissonTable {
    /// `above[k]`: the least 53-bit draw whose uniform lies above the
    /// cumulative probability of count k (the draw is more than k).
    above: Vec<u64>,
    /// `guide[i]` is the first count whose cumulative probability reaches
    /// i / GUIDE_SLOTS: a draw starts its search there (Chen & Asau's guide
    /// table). The slots are fine enough that nearly every draw's answer is
    /// its slot's guide, so the search loop is rarely entered and its branch
    /// predicts well.
    guide: [u16; Self::GUIDE_SLOTS],
}

impl PoissonTable {
    /// Largest mean the table serves exactly (callers bound their means).
    pub const MAX_MEAN: f64 = 100.0;
    const GUIDE_BITS: u32 = 10;
    const GUIDE_SLOTS: usize = 1 << Self::GUIDE_BITS;

    /// The table for `mean` (clamped to [0, MAX_MEAN]).
    pub fn new(mean: f64) -> Self {
        let mean = mean.clamp(0.0, Self::MAX_MEAN);
        let mut cdf = Vec::with_capacity(64);
        let mut p = (-mean).exp();
        let mut acc = p;
        cdf.push(acc);
        let mut k = 0u32;
        while acc < 1.0 - 1e-15 && k < 400 {
            k += 1;
            p *= mean / f64::from(k);
            acc += p;
            cdf.push(acc);
            if p < 1e-300 && f64::from(k) > mean {
                break;
            }
        }
        let guide = std::array::from_fn(|i| {
            let level = i as f64 / Self::GUIDE_SLOTS as f64;
            cdf.iter().position(|c| level <= *c).unwrap_or(cdf.len()) as u16
        });
        // x · 2^-53 > c exactly when x > c · 2^53 (a power-of-two scaling is
        // exact), that is when x ≥ ⌊c · 2^53⌋ + 1.
        let above = cdf
            .iter()
            .map(|c| (c * (1u64 << 53) as f64).floor() as u64 + 1)
            .collect();
        Self { above, guide }
    }

    /// The count that 64 random bits select: the first count whose
    /// cumulative probability reaches the uniform [`unit53`] makes of them.
    #[inline]
    pub fn sample(&self, draw: u64) -> u32 {
        let x = draw >> 11;
        // x ≥ slot · 2^43, so the answer is at or after the slot's guide.
        let slot = (x >> (53 - Self::GUIDE_BITS)) as usize;
        let mut k = usize::from(self.guide[slot]);
        while k < self.above.len() && x >= self.above[k] {
            k += 1;
        }
        k as u32
    }
}

/// A Poisson draw for any mean (normal approximation above 100).
pub fn poisson(rng: &mut SimRng, mean: f64) -> u64 {
    if mean <= 0.0 {
        0
    } else if mean <= 100.0 {
        u64::from(poisson_small(rng, mean, (-mean).exp()))
    } else {
        let x = mean + mean.sqrt() * normal(rng);
        x.round().max(0.0) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_reproducible_and_distinct() {
        let a: Vec<u64> = (0..4)
            .map(|_| stream(7, Stream::People, 3, 9).next_u64())
            .collect();
        assert!(a.windows(2).all(|w| w[0] == w[1]));
        let mut s1 = stream(7, Stream::People, 3, 9);
        let mut s2 = stream(7, Stream::People, 3, 10);
        let mut s3 = stream(7, Stream::Situations, 3, 9);
        let x = s1.next_u64();
        assert_ne!(x, s2.next_u64());
        assert_ne!(x, s3.next_u64());
    }

    #[test]
    fn poisson_mean_and_variance_match() {
        for mean in [0.3_f64, 2.0, 12.0, 250.0] {
            let mut rng = stream(1, Stream::Daily, 0, mean.to_bits());
            let n = 200_000;
            let xs: Vec<f64> = (0..n).map(|_| poisson(&mut rng, mean) as f64).collect();
            let m = xs.iter().sum::<f64>() / n as f64;
            let v = xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / n as f64;
            // Standard error of the mean is sqrt(mean / n); allow five of them.
            assert!(
                (m - mean).abs() < 5.0 * (mean / n as f64).sqrt(),
                "mean {m} vs {mean}"
            );
            assert!((v / mean - 1.0).abs() < 0.05, "variance {v} vs {mean}");
        }
    }

    #[test]
    fn poisson_table_draws_what_inversion_draws() {
        for mean in [0.0, 0.5, 8.0, 50.0] {
            let table = PoissonTable::new(mean);
            let mut a = stream(3, Stream::Daily, 1, 2);
            let mut b = stream(3, Stream::Daily, 1, 2);
            for _ in 0..20_000 {
                assert_eq!(
                    table.sample(a.next_u64()),
                    poisson_small(&mut b, mean, (-mean).exp())
                );
            }
        }
    }

    #[test]
    fn guided_poisson_draws_are_the_first_count_reaching_the_draw() {
        for mean in [0.0, 0.3, 2.0, 8.0, 37.5, 100.0] {
            let table = PoissonTable::new(mean);
            let edges = [0, u64::MAX, 1 << 63, (1 << 63) - 1];
            for draw in (0..5000u64).map(|j| keyed_u64(3, j)).chain(edges) {
                let k = table.sample(draw) as usize;
                let x = draw >> 11;
                assert!(
                    k == 0 || x >= table.above[k - 1],
                    "mean {mean}, draw {draw}"
                );
                assert!(k == table.above.len() || x < table.above[k]);
            }
        }
    }

    #[test]
    fn integer_cuts_agree_with_float_comparisons() {
        let ps = [0.0, 1e-12, 0.005, 0.01, 0.3, 0.5, 0.999_999, 1.0, 1.5, -0.2];
        for (i, &p) in ps.iter().enumerate() {
            for j in 0..2000u64 {
                let x = keyed_u64(7, j + 10_000 * i as u64);
                let (hi, lo) = unit_pair(x);
                assert_eq!(hi < p, (x >> 32) < unit_cut32(p), "p = {p}");
                assert_eq!(lo < p, (x & 0xFFFF_FFFF) < unit_cut32(p), "p = {p}");
                assert_eq!(unit53(x) < p, (x >> 11) < unit_cut53(p), "p = {p}");
            }
            // At the boundary itself.
            let m = unit_cut32(p);
            if m > 0 && m < 1 << 32 {
                assert!(((m - 1) as f64 / 4_294_967_296.0) < p);
                assert!((m as f64 / 4_294_967_296.0) >= p);
            }
        }
        assert_eq!(unit_cut32(f64::NAN), 0);
    }

    #[test]
    fn uniform_pair_is_uniform() {
        let mut rng = stream(2, Stream::Daily, 0, 0);
        let n = 100_000;
        let (mut sa, mut sb) = (0.0, 0.0);
        for _ in 0..n {
            let (a, b) = uniform_pair(&mut rng);
            assert!((0.0..1.0).contains(&a) && (0.0..1.0).contains(&b));
            sa += f64::from(a);
            sb += f64::from(b);
        }
        assert!((sa / n as f64 - 0.5).abs() < 0.005);
        assert!((sb / n as f64 - 0.5).abs() < 0.005);
    }
}
