//! Elementary functions that give the same bits on every machine: built from IEEE-754 `+ − × ÷`
//! and `sqrt` (all correctly rounded) only, never from the platform's libm, whose last bits differ
//! between systems. Used wherever a seeded random step feeds a stored result (the synthetic cohort,
//! normal deviates), so a seed means the same cohort everywhere.
//!
//! Accuracy is a few ulp over the ranges used — plenty for simulation, not meant for statistics.
//!
//! # References
//! Cody & Waite, *Software Manual for the Elementary Functions* (1980): argument reduction by a
//! split ln 2 and by quadrants of π/2; Taylor/atanh series on the reduced ranges.

const LN2_HI: f64 = 6.931_471_803_691_238e-1;
const LN2_LO: f64 = 1.908_214_929_270_587_7e-10;

/// e^x.
pub fn exp(x: f64) -> f64 {
    if x.is_nan() {
        return x;
    }
    if x > 709.0 {
        return f64::INFINITY;
    }
    if x < -745.0 {
        return 0.0;
    }
    let k = (x / std::f64::consts::LN_2).round();
    let r = (x - k * LN2_HI) - k * LN2_LO;
    // Taylor series to r^13: |r| <= 0.347, error below 1e-17 relative.
    let mut term = 1.0;
    let mut sum = 1.0;
    for n in 1..=13 {
        term = term * r / n as f64;
        sum += term;
    }
    scale_by_power_of_two(sum, k as i32)
}

fn scale_by_power_of_two(value: f64, k: i32) -> f64 {
    // Two steps keep 2^k representable for k down to −1074.
    let half = k / 2;
    let factor = |e: i32| f64::from_bits(((e + 1023) as u64) << 52);
    value * factor(half) * factor(k - half)
}

/// Natural logarithm; NaN for negative input, −∞ at 0.
pub fn ln(x: f64) -> f64 {
    if x.is_nan() || x < 0.0 {
        return f64::NAN;
    }
    if x == 0.0 {
        return f64::NEG_INFINITY;
    }
    if x.is_infinite() {
        return x;
    }
    let (mut m, mut e) = (x, 0i32);
    if m < f64::MIN_POSITIVE {
        m *= 2f64.powi(54);
        e -= 54;
    }
    let bits = m.to_bits();
    e += ((bits >> 52) & 0x7FF) as i32 - 1023;
    m = f64::from_bits((bits & 0x000F_FFFF_FFFF_FFFF) | (1023u64 << 52));
    if m > std::f64::consts::SQRT_2 {
        m /= 2.0;
        e += 1;
    }
    // ln m = 2 atanh(s), s = (m − 1)/(m + 1), |s| <= 0.172.
    let s = (m - 1.0) / (m + 1.0);
    let s2 = s * s;
    let mut power = s;
    let mut sum = 0.0;
    for n in 0..12 {
        sum += power / (2 * n + 1) as f64;
        power *= s2;
    }
    2.0 * sum + f64::from(e) * LN2_LO + f64::from(e) * LN2_HI
}

/// (sin x, cos x) for |x| up to about 1e6.
pub fn sin_cos(x: f64) -> (f64, f64) {
    use std::f64::consts::FRAC_PI_2;
    // π/2 split for the reduction.
    const HALF_PI_HI: f64 = 1.570_796_326_734_125_6;
    const HALF_PI_LO: f64 = 6.077_100_506_506_192e-11;
    let q = (x / FRAC_PI_2).round();
    let r = (x - q * HALF_PI_HI) - q * HALF_PI_LO;
    let r2 = r * r;
    let (mut s, mut c) = (r, 1.0);
    let (mut ts, mut tc) = (r, 1.0);
    for n in 1..=10 {
        ts = -ts * r2 / ((2 * n) * (2 * n + 1)) as f64;
        tc = -tc * r2 / ((2 * n - 1) * (2 * n)) as f64;
        s += ts;
        c += tc;
    }
    match (q as i64).rem_euclid(4) {
        0 => (s, c),
        1 => (c, -s),
        2 => (-s, -c),
        _ => (-c, s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 4.0 * f64::EPSILON * b.abs().max(1e-300)
    }

    #[test]
    fn agree_with_the_platform_to_a_few_ulp() {
        for i in -2000..2000 {
            let x = i as f64 * 0.0173;
            assert!(close(exp(x), x.exp()), "exp {x}");
            let (s, c) = sin_cos(x);
            assert!(
                (s - x.sin()).abs() < 1e-15 && (c - x.cos()).abs() < 1e-15,
                "sin_cos {x}"
            );
            let y = (i as f64 + 2000.5) * 0.37;
            assert!(close(ln(y), y.ln()), "ln {y}");
        }
        assert!(close(ln(1e-310), 1e-310f64.ln()));
        assert_eq!(ln(1.0), 0.0);
        assert_eq!(exp(0.0), 1.0);
    }
}
