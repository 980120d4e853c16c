//! Randomness that can be evaluated anywhere, in any order: hashes of integer coordinates, the
//! normal deviates made from them, and smooth Gaussian random fields by interpolating normal
//! values on a lattice. A voxel's value depends only on (patient seed, its position), so one slice
//! rendered alone equals the same slice of the whole volume, on any thread.
//!
//! # References
//! Steele, Lea & Flood, SplitMix64 finaliser (OOPSLA 2014) for the hash; Box & Muller (1958) for
//! normal pairs; Perlin, "Improving noise" (SIGGRAPH 2002) for the quintic fade of value noise.

use crate::stats::distributions::acklam_normal_quantile;

/// A 64-bit hash of a seed and up to four integer coordinates: the coordinates are spread by
/// distinct odd multipliers, then two SplitMix64 finaliser rounds mix them.
#[inline]
pub fn hash(seed: u64, a: i64, b: i64, c: i64, d: i64) -> u64 {
    let z = seed
        ^ (a as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
        ^ (b as u64).wrapping_mul(0xC2B2_AE3D_27D4_EB4F)
        ^ (c as u64).wrapping_mul(0x1656_67B1_9E37_79F9)
        ^ (d as u64).wrapping_mul(0x27D4_EB2F_1656_67C5);
    mix(mix(z))
}

#[inline]
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Two independent standard normal deviates from one hash: each 32-bit half is a uniform turned
/// into a normal by the inverse normal CDF (a table of 4,096 quantiles interpolated linearly in
/// the body, the exact formula in the outer 1/2048 of each tail).
#[inline]
pub fn normal_pair(h: u64) -> (f64, f64) {
    (normal_from(h >> 32), normal_from(h & 0xFFFF_FFFF))
}

const QUANTILES: usize = 4096;

fn quantile_table() -> &'static [f64] {
    static TABLE: std::sync::OnceLock<Vec<f64>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        (0..=QUANTILES)
            .map(|i| match i {
                0 => f64::NEG_INFINITY,
                i if i == QUANTILES => f64::INFINITY,
                i => acklam_normal_quantile(i as f64 / QUANTILES as f64),
            })
            .collect()
    })
}

#[inline]
fn normal_from(bits: u64) -> f64 {
    let u = (bits as f64 + 0.5) / 4_294_967_296.0;
    let t = u * QUANTILES as f64;
    let i = t as usize;
    if i == 0 || i >= QUANTILES - 1 {
        return acklam_normal_quantile(u);
    }
    let table = quantile_table();
    table[i] + (table[i + 1] - table[i]) * (t - i as f64)
}

/// An approximately standard normal deviate from one hash: the sum of four 16-bit uniforms,
/// centred and scaled (Irwin–Hall, n = 4). Cheap, for lattice values of smooth fields.
#[inline]
fn lattice_normal(h: u64) -> f64 {
    let sum = (h & 0xFFFF) + ((h >> 16) & 0xFFFF) + ((h >> 32) & 0xFFFF) + (h >> 48);
    // Each uniform has variance 1/12; four of them 1/3.
    (sum as f64 / 65_536.0 - 2.0) * 3f64.sqrt()
}

#[inline]
fn fade(t: f64) -> f64 {
    t * t * t * (t * (t * 6.0 - 15.0) + 10.0)
}

/// A smooth, zero-mean, roughly unit-variance random field over millimetre coordinates, with
/// correlation length about `cell` mm.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub seed: u64,
    pub cell: f64,
}

impl Field {
    pub fn new(seed: u64, cell: f64) -> Field {
        Field { seed, cell }
    }

    /// The field at `(x, y, z)` mm.
    pub fn at(&self, x: f64, y: f64, z: f64) -> f64 {
        let (fx, fy, fz) = (x / self.cell, y / self.cell, z / self.cell);
        let (ix, iy, iz) = (fx.floor(), fy.floor(), fz.floor());
        let (tx, ty, tz) = (fade(fx - ix), fade(fy - iy), fade(fz - iz));
        let (ix, iy, iz) = (ix as i64, iy as i64, iz as i64);
        let value = |dx: i64, dy: i64, dz: i64| {
            lattice_normal(hash(self.seed, ix + dx, iy + dy, iz + dz, 0))
        };
        let lerp = |a: f64, b: f64, t: f64| a + (b - a) * t;
        let x00 = lerp(value(0, 0, 0), value(1, 0, 0), tx);
        let x10 = lerp(value(0, 1, 0), value(1, 1, 0), tx);
        let x01 = lerp(value(0, 0, 1), value(1, 0, 1), tx);
        let x11 = lerp(value(0, 1, 1), value(1, 1, 1), tx);
        let y0 = lerp(x00, x10, ty);
        let y1 = lerp(x01, x11, ty);
        // Interpolation shrinks the variance between lattice points; 1.6 restores about unit sd.
        1.6 * lerp(y0, y1, tz)
    }

    /// Three lattices summed, each turned in-plane (0°, 37°, 74°) and offset so their grid
    /// lines never align — this hides the lattice that a single value-noise field shows — plus
    /// half as much of a field twice as fine.
    pub fn octaves(&self, x: f64, y: f64, z: f64) -> f64 {
        // cos and sin of 37° and 74°.
        const TURNS: [(f64, f64); 2] = [
            (0.798_635_510_047_292_9, 0.601_815_023_152_048_3),
            (0.275_637_355_816_999_2, 0.961_261_695_938_318_9),
        ];
        let mut sum = self.at(x, y, z);
        for (n, (c, s)) in TURNS.iter().enumerate() {
            let turned = Field::new(self.seed ^ (0x77 + n as u64), self.cell);
            sum += turned.at(c * x - s * y + 0.37, s * x + c * y + 0.71, z + 0.53);
        }
        let fine = Field::new(self.seed ^ 0x5555, self.cell / 2.0);
        (sum / 3f64.sqrt() + 0.5 * fine.at(0.6 * x + 0.8 * y, 0.8 * x - 0.6 * y, z)) / 1.118
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_smooth_reproducible_and_about_unit_variance() {
        let field = Field::new(42, 5.0);
        assert_eq!(
            field.at(1.25, -3.5, 7.0),
            Field::new(42, 5.0).at(1.25, -3.5, 7.0)
        );
        assert!((field.at(1.0, 1.0, 1.0) - field.at(1.05, 1.0, 1.0)).abs() < 0.1);
        let values: Vec<f64> = (0..20_000)
            .map(|i| {
                field.at(
                    i as f64 * 3.7,
                    (i % 97) as f64 * 5.3,
                    (i % 13) as f64 * 11.0,
                )
            })
            .collect();
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        let sd =
            (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / values.len() as f64).sqrt();
        assert!(mean.abs() < 0.05, "mean {mean}");
        assert!((0.8..1.2).contains(&sd), "sd {sd}");
    }

    #[test]
    fn the_inverse_normal_matches_known_quantiles() {
        // Φ⁻¹(0.975) = 1.959963984540054, Φ⁻¹(0.001) = −3.090232306167813.
        assert!((acklam_normal_quantile(0.975) - 1.959_963_984_540_054).abs() < 1e-8);
        assert!((acklam_normal_quantile(0.001) + 3.090_232_306_167_813).abs() < 1e-8);
        assert!(
            (normal_from((0.975 * 4_294_967_296.0) as u64) - 1.959_963_984_540_054).abs() < 1e-4
        );
    }

    #[test]
    fn normal_pairs_have_unit_variance() {
        let mut sum2 = 0.0;
        for i in 0..50_000 {
            let (a, b) = normal_pair(hash(7, i, 0, 0, 0));
            sum2 += a * a + b * b;
        }
        let variance = sum2 / 100_000.0;
        assert!((variance - 1.0).abs() < 0.02, "{variance}");
    }
}
