//! Special functions behind the distribution functions: log-gamma, the regularized incomplete
//! gamma and beta functions. Written for full double precision in the tails, because p-values
//! must equal R's to 1e-9 relative and R's own (TOMS 708, Cody) are accurate to about 1e-15.

use std::f64::consts::PI;

const EPSILON: f64 = 1e-16;
const TINY: f64 = 1e-300;
const MAX_ITERATIONS: usize = 10_000;

/// ln Γ(x) for x > 0.
///
/// # Formula
/// Lanczos approximation with g = 7 and nine coefficients, relative error about 1e-15; for
/// x < 0.5 the reflection Γ(x)Γ(1−x) = π / sin(πx).
///
/// # References
/// Lanczos, SIAM J. Numer. Anal. B 1 (1964); Press et al., Numerical Recipes, 3rd ed., §6.1.
pub fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const COEFFICIENTS: [f64; 9] = [
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
        return (PI / (PI * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut sum = COEFFICIENTS[0];
    for (i, c) in COEFFICIENTS.iter().enumerate().skip(1) {
        sum += c / (x + i as f64);
    }
    let t = x + G + 0.5;
    0.5 * (2.0 * PI).ln() + (x + 0.5) * t.ln() - t + sum.ln()
}

/// The regularized upper incomplete gamma function Q(a, x) = Γ(a, x)/Γ(a).
///
/// # Formula
/// For x < a + 1, Q = 1 − P with P = xᵃe⁻ˣ/Γ(a+1) · Σₙ xⁿ/((a+1)⋯(a+n)); otherwise the continued
/// fraction Q = xᵃe⁻ˣ/Γ(a) · 1/(x+1−a− 1(1−a)/(x+3−a− 2(2−a)/(x+5−a− ⋯))), evaluated by the
/// modified Lentz method.
///
/// # References
/// Abramowitz & Stegun 6.5.29 and 6.5.31; Press et al., Numerical Recipes, 3rd ed., §6.2.
pub fn gamma_q(a: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 1.0;
    }
    if x < a + 1.0 {
        1.0 - gamma_p_series(a, x)
    } else {
        gamma_q_continued_fraction(a, x)
    }
}

/// The regularized lower incomplete gamma function P(a, x) = 1 − Q(a, x).
pub fn gamma_p(a: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x < a + 1.0 {
        gamma_p_series(a, x)
    } else {
        1.0 - gamma_q_continued_fraction(a, x)
    }
}

fn gamma_p_series(a: f64, x: f64) -> f64 {
    let mut term = 1.0 / a;
    let mut sum = term;
    let mut denominator = a;
    for _ in 0..MAX_ITERATIONS {
        denominator += 1.0;
        term *= x / denominator;
        sum += term;
        if term.abs() < sum.abs() * EPSILON {
            break;
        }
    }
    sum * (a * x.ln() - x - ln_gamma(a)).exp()
}

fn gamma_q_continued_fraction(a: f64, x: f64) -> f64 {
    let mut b = x + 1.0 - a;
    let mut c = 1.0 / TINY;
    let mut d = 1.0 / b;
    let mut h = d;
    for i in 1..MAX_ITERATIONS {
        let an = -(i as f64) * (i as f64 - a);
        b += 2.0;
        d = an * d + b;
        if d.abs() < TINY {
            d = TINY;
        }
        c = b + an / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        let delta = d * c;
        h *= delta;
        if (delta - 1.0).abs() < EPSILON {
            break;
        }
    }
    (a * x.ln() - x - ln_gamma(a)).exp() * h
}

/// The regularized incomplete beta function Iₓ(a, b), with its complement computed without
/// cancellation: returns (Iₓ(a, b), 1 − Iₓ(a, b)). `x` and `y = 1 − x` are both passed so a
/// caller holding y exactly (t²/(ν+t²) for Student's t) loses nothing to rounding.
///
/// # Formula
/// Iₓ(a,b) = xᵃyᵇ/(a·B(a,b)) · 1/(1+ d₁/(1+ d₂/(1+ ⋯))) with d₂ₘ₊₁ = −(a+m)(a+b+m)x/((a+2m)(a+2m+1)),
/// d₂ₘ = m(b−m)x/((a+2m−1)(a+2m)); used directly when x < (a+1)/(a+b+2), else through
/// Iₓ(a,b) = 1 − I_y(b,a).
///
/// # References
/// Abramowitz & Stegun 26.5.8; Press et al., Numerical Recipes, 3rd ed., §6.4.
pub fn beta_regularized(a: f64, b: f64, x: f64, y: f64) -> (f64, f64) {
    if x <= 0.0 {
        return (0.0, 1.0);
    }
    if y <= 0.0 {
        return (1.0, 0.0);
    }
    let ln_front = a * x.ln() + b * y.ln() - (ln_gamma(a) + ln_gamma(b) - ln_gamma(a + b));
    if x < (a + 1.0) / (a + b + 2.0) {
        let value = ln_front.exp() * beta_continued_fraction(a, b, x) / a;
        (value, 1.0 - value)
    } else {
        let complement = ln_front.exp() * beta_continued_fraction(b, a, y) / b;
        (1.0 - complement, complement)
    }
}

fn beta_continued_fraction(a: f64, b: f64, x: f64) -> f64 {
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 - qab * x / qap;
    if d.abs() < TINY {
        d = TINY;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..MAX_ITERATIONS {
        let m = m as f64;
        let m2 = 2.0 * m;
        let even = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + even * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = 1.0 + even / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        h *= d * c;
        let odd = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + odd * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = 1.0 + odd / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        let delta = d * c;
        h *= delta;
        if (delta - 1.0).abs() < EPSILON {
            break;
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::tolerance::relative_eq;

    #[test]
    fn ln_gamma_at_known_points() {
        assert!(ln_gamma(1.0).abs() < 1e-15 && ln_gamma(2.0).abs() < 1e-15);
        assert!(relative_eq(ln_gamma(0.5), 0.5 * PI.ln(), 1e-14));
        assert!(relative_eq(ln_gamma(10.0), 362_880.0_f64.ln(), 1e-14));
        // Rscript -e 'sprintf("%.17g", lgamma(150.5))'
        assert!(relative_eq(ln_gamma(150.5), 602.513_954_870_585_3, 1e-13));
    }

    #[test]
    fn gamma_and_beta_complements_add_to_one() {
        for &(a, x) in &[(0.5, 0.1), (3.0, 2.0), (10.0, 30.0)] {
            assert!((gamma_p(a, x) + gamma_q(a, x) - 1.0).abs() < 1e-14);
        }
        let (value, complement) = beta_regularized(2.0, 3.0, 0.4, 0.6);
        // I_0.4(2,3) = 0.5248 exactly (a polynomial for integer a, b).
        assert!(relative_eq(value, 0.5248, 1e-13));
        assert!(relative_eq(complement, 0.4752, 1e-13));
    }
}
