//! "Pretty" breakpoints and R's evenly spaced sequences: about n + 1 equally spaced round values (1, 2 or 5 times a power of ten)
//! covering a range, exactly as R's `pretty()` chooses them. rms's nomogram takes its axis values
//! from `pretty`, so the points it gives depend on these choices.

/// R's `pretty(c(low, high), n)` with its defaults (`min.n = n %/% 3`, `shrink.sml = 0.75`,
/// `high.u.bias = 1.5`, `u5.bias = 0.5 + 1.5 · high.u.bias`, `eps.correct = 0`).
///
/// # Formula
/// cell = (high − low)/n (or, for a range too small to divide, max(|low|, |high|) shrunk);
/// base = 10^⌊log₁₀ cell⌋; the unit is base, 2·base, 5·base or 10·base, each step taken while the
/// larger unit's excess over the cell is less than the bias times the smaller unit's shortfall;
/// the values are unit·(⌊low/unit⌋ … ⌈high/unit⌉), widened to at least `min.n` intervals. Values
/// within 1e-14 intervals of zero are set to zero, as R ≥ 4.2 does.
///
/// # References
/// R source, `src/appl/pretty.c` (`R_pretty`) and `src/library/base/R/pretty.R`.
pub fn pretty(low: f64, high: f64, n: usize) -> Vec<f64> {
    const ROUNDING_EPS: f64 = 1e-10;
    const H: f64 = 1.5;
    const H5: f64 = 0.5 + 1.5 * H;
    const SHRINK_SMALL: f64 = 0.75;
    let (low, high) = (low.min(high), low.max(high));
    if !low.is_finite() || !high.is_finite() {
        return Vec::new();
    }
    let min_n = n / 3;
    let ndiv = n.max(1) as f64;
    let dx = high - low;
    let (mut cell, small) = if dx == 0.0 && high == 0.0 {
        (1.0, true)
    } else {
        let cell = low.abs().max(high.abs());
        let u = if H5 >= 1.5 * H + 0.5 {
            1.0 + 1.0 / (1.0 + H)
        } else {
            1.0 + 1.5 / (1.0 + H5)
        } * ndiv
            * f64::EPSILON;
        (cell, dx < cell * u * 3.0)
    };
    if small {
        if cell > 10.0 {
            cell = 9.0 + cell / 10.0;
        }
        cell *= SHRINK_SMALL;
        if min_n > 1 {
            cell /= min_n as f64;
        }
    } else {
        cell = dx;
        if n > 1 {
            cell /= n as f64;
        }
    }
    cell = cell.max(f64::MIN_POSITIVE);
    let base = 10f64.powf(cell.log10().floor());
    let mut unit = base;
    if 2.0 * base - cell < H * (cell - unit) {
        unit = 2.0 * base;
        if 5.0 * base - cell < H5 * (cell - unit) {
            unit = 5.0 * base;
            if 10.0 * base - cell < H * (cell - unit) {
                unit = 10.0 * base;
            }
        }
    }
    let mut first = (low / unit + ROUNDING_EPS).floor();
    let mut last = (high / unit - ROUNDING_EPS).ceil();
    while first * unit > low + ROUNDING_EPS * unit {
        first -= 1.0;
    }
    while last * unit < high - ROUNDING_EPS * unit {
        last += 1.0;
    }
    let mut intervals = (0.5 + last - first) as i64;
    if intervals < min_n as i64 {
        let k = min_n as i64 - intervals;
        if first >= 0.0 {
            last += (k / 2) as f64;
            first -= (k / 2 + k % 2) as f64;
        } else {
            first -= (k / 2) as f64;
            last += (k / 2 + k % 2) as f64;
        }
        intervals = min_n as i64;
    }
    let (from, to) = (first * unit, last * unit);
    let mut values = sequence(from, to, intervals.max(0) as usize + 1);
    if intervals > 0 {
        let delta = (to - from) / intervals as f64;
        for v in &mut values {
            if v.abs() < 1e-14 * delta {
                *v = 0.0;
            }
        }
    }
    values
}

/// R's `seq(from, to, length.out = count)`: from + i·(to − from)/(count − 1), the last value `to`
/// itself (R ≥ 4.2 computes it this way, and `pretty` and rms's calibration grid inherit its
/// rounding).
pub fn sequence(from: f64, to: f64, count: usize) -> Vec<f64> {
    if count == 1 {
        return vec![from];
    }
    let step = (to - from) / count.saturating_sub(1) as f64;
    (0..count)
        .map(|i| {
            if i + 1 == count {
                to
            } else {
                from + i as f64 * step
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::pretty;

    /// Values printed by R 4.2.2 with `sprintf("%.17g", pretty(c(low, high), n))`.
    #[test]
    fn equals_r_bit_for_bit() {
        let cases: [(f64, f64, usize, &[f64]); 9] = [
            (0.0, 1.0, 5, &[0.0, 0.2, 0.4, 0.6000000000000001, 0.8, 1.0]),
            (
                1.0,
                3.0,
                10,
                &[
                    1.0,
                    1.2,
                    1.4,
                    1.6,
                    1.8,
                    2.0,
                    2.2,
                    2.4000000000000004,
                    2.6,
                    2.8,
                    3.0,
                ],
            ),
            (
                -2.3,
                1.7,
                10,
                &[-2.5, -2.0, -1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0],
            ),
            (
                0.0,
                275.0,
                10,
                &[
                    0.0, 20.0, 40.0, 60.0, 80.0, 100.0, 120.0, 140.0, 160.0, 180.0, 200.0, 220.0,
                    240.0, 260.0, 280.0,
                ],
            ),
            (5.0, 5.0, 10, &[3.0, 4.0, 5.0, 6.0]),
            (
                0.0123,
                0.987,
                10,
                &[
                    0.0,
                    0.1,
                    0.2,
                    0.30000000000000004,
                    0.4,
                    0.5,
                    0.6000000000000001,
                    0.7000000000000001,
                    0.8,
                    0.9,
                    1.0,
                ],
            ),
            (
                -3.21,
                2.05,
                10,
                &[
                    -3.5, -3.0, -2.5, -2.0, -1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0, 2.5,
                ],
            ),
            (0.0, 0.0, 10, &[-0.4, -0.19999999999999998, 0.0, 0.2]),
            (
                23.0,
                87.0,
                10,
                &[
                    20.0, 25.0, 30.0, 35.0, 40.0, 45.0, 50.0, 55.0, 60.0, 65.0, 70.0, 75.0, 80.0,
                    85.0, 90.0,
                ],
            ),
        ];
        for (low, high, n, expected) in cases {
            assert_eq!(
                pretty(low, high, n),
                expected,
                "pretty(c({low}, {high}), {n})"
            );
        }
    }
}
