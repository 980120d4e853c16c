//! The synthetic patient's images: breast tissue, a tumour with a necrotic core and texture,
//! per-pixel contrast kinetics over the DCE phases, a smooth multiplicative bias field and Rician
//! noise; plus the radiologist's loose ROI and the true tumour mask.
//!
//! Every term is a function of millimetre position and the patient's parameters, evaluated with
//! [`crate::portable`] arithmetic and position-keyed noise, so any slice renders alone exactly as
//! within the whole volume.
//!
//! # Formula
//! Signal at pixel x and time t (phase p, t = (p − 1)·58 s):
//!   S(x, t) = B(x) · [(1 − w) S_tissue(x, t) + w S_tumour(x, t)], then Rician noise
//!   √((S + σ n₁)² + (σ n₂)²), rounded to whole scanner units;
//!   S_tissue = (45 (1 − f) + 160 f)(1 + bpe · f · (1 − e^(−t/240 s))) inside the breast, 0 in air;
//!   S_tumour = S₀(1 + A(1 + h g)(1 − e^(−t/τ)) e^(−k t) / norm), with the necrotic core at S₀ = 140
//!   and 15 % of the enhancement;
//!   w = tumour partial-volume weight from the star-shaped radius R(θ, z) = r₀ e(θ) (1 + Σ aₖ cos(kθ + φₖ)),
//!   f = fibroglandular fraction (smooth random field), g = Gaussian texture field, B = exp(β P(x)).
//!
//! # References
//! Kinetic curve shapes: Kuhl et al., Radiology 211:101-110 (1999) (wash-in, plateau, wash-out);
//! Rician magnitude noise: Gudbjartsson & Patz, MRM 34:910-914 (1995).

use super::noise::{Field, hash, normal_pair};
use crate::imaging::volume::Geometry;
use crate::portable::{exp, sin_cos};
use crate::rng::Rng;

mod masks;

/// The defaults a user can change, each documented where `load cohort` is described.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Knobs {
    /// In-plane pixel size, mm (the study: 300 mm / 512).
    pub pixel_mm: f64,
    /// Slice thickness, mm.
    pub slice_mm: f64,
    /// Columns and rows of the crop around the tumour (512 with `full=yes`).
    pub crop: usize,
    /// The whole 300 mm field of view instead of a crop.
    pub full: bool,
    /// DCE phases (the first pre-contrast) and seconds per phase.
    pub phases: usize,
    pub phase_seconds: f64,
    /// Noise standard deviation of each quadrature channel, scanner units.
    pub noise_sd: f64,
    /// Largest |log| of the multiplicative bias field (0.2 ≈ ±20 %).
    pub bias: f64,
    /// Separation, in sd, of the latent aggressiveness between ALN-positive and -negative patients.
    pub signal: f64,
}

impl Default for Knobs {
    fn default() -> Knobs {
        Knobs {
            pixel_mm: 300.0 / 512.0,
            slice_mm: 1.5,
            crop: 160,
            full: false,
            phases: 9,
            phase_seconds: 58.0,
            noise_sd: 8.0,
            bias: 0.2,
            signal: 1.6,
        }
    }
}

const FULL_MATRIX: usize = 512;
/// Posterior edge of the breasts (chest wall), LPS y in mm.
const CHEST_WALL_Y: f64 = 45.0;

/// What lies at a point outside the tumour.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Tissue {
    Air,
    Skin,
    Breast,
    ChestWall,
}

/// One lobulation or spiculation harmonic: amplitude, cos and sin of its phase, twist per mm of z.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Harmonic {
    order: u32,
    amplitude: f64,
    phase: f64,
    twist: f64,
}

/// Everything that makes one synthetic patient's images, drawn once from the patient's stream.
#[derive(Debug, Clone, PartialEq)]
pub struct Phantom {
    pub knobs: Knobs,
    seed: u64,
    /// Tumour centre (LPS mm); z = 0 is the middle slice's plane shifted by a sub-slice offset.
    centre: [f64; 3],
    radius: f64,
    z_radius: f64,
    aspect: f64,
    /// cos and sin of the ellipse's orientation.
    orientation: (f64, f64),
    harmonics: Vec<Harmonic>,
    /// Core radius as a fraction of the tumour radius.
    pub necrosis: f64,
    /// Relative sd of the enhancement texture.
    pub heterogeneity: f64,
    /// Relative peak enhancement of viable tumour.
    pub enhancement: f64,
    wash_in_seconds: f64,
    /// Per second; negative is persistent enhancement.
    wash_out: f64,
    /// Fibroglandular density offset and background enhancement.
    density: f64,
    background_enhancement: f64,
    /// Bias polynomial coefficients and the coil centre.
    bias: [f64; 5],
    coil_centre: [f64; 2],
    roi_margin: f64,
    roi_jitter: [(f64, f64); 3],
    /// Crop origin on the full grid (column, row) and slice count.
    crop_offset: [usize; 2],
    slices: usize,
    /// The latent aggressiveness (for checks, never shown to the pipeline).
    pub aggressiveness: f64,
}

fn clamp(x: f64, low: f64, high: f64) -> f64 {
    x.max(low).min(high)
}

impl Phantom {
    /// Draws a patient's phantom: `aln` moves the latent aggressiveness, `size_mm` is the tumour's
    /// largest diameter.
    pub fn draw(knobs: Knobs, seed: u64, index: usize, aln: bool, size_mm: f64) -> Phantom {
        let mut rng = Rng::for_item(seed ^ 0x1_3A6E, index as u64);
        let side = if aln { 0.5 } else { -0.5 };
        let aggressiveness = side * knobs.signal + rng.normal();
        let mut trait_of =
            |weight: f64| weight * aggressiveness + (1.0 - weight * weight).sqrt() * rng.normal();
        let t_heterogeneity = trait_of(0.75);
        let t_necrosis = trait_of(0.7);
        let t_irregular = trait_of(0.7);
        let t_enhancement = trait_of(0.6);
        let t_wash = trait_of(0.5);
        let radius = size_mm / 2.0;
        let aspect = 0.75 + 0.25 * rng.uniform();
        let angle = std::f64::consts::PI * rng.uniform();
        let z_radius = radius * (0.7 + 0.3 * rng.uniform());
        let irregularity = clamp(0.5 + 0.25 * t_irregular, 0.05, 1.2);
        let mut harmonics = Vec::new();
        for order in 2..=5u32 {
            harmonics.push(Harmonic {
                order,
                amplitude: irregularity * 0.2 / f64::from(order).sqrt() * (0.5 + rng.uniform()),
                phase: std::f64::consts::TAU * rng.uniform(),
                twist: 0.05 * rng.normal(),
            });
        }
        for order in [8u32, 11, 13] {
            harmonics.push(Harmonic {
                order,
                amplitude: irregularity * 0.06 * rng.uniform(),
                phase: std::f64::consts::TAU * rng.uniform(),
                twist: 0.1 * rng.normal(),
            });
        }
        let side_x = if rng.uniform() < 0.5 { -75.0 } else { 75.0 };
        let centre_x = side_x + 40.0 * (rng.uniform() - 0.5);
        let centre_y = CHEST_WALL_Y - 30.0 - radius - 50.0 * rng.uniform();
        let z_offset = knobs.slice_mm * (rng.uniform() - 0.5);
        let pixel = knobs.pixel_mm;
        let full_origin = -150.0 + pixel / 2.0;
        let (crop_columns, crop_rows) = if knobs.full {
            (0, 0)
        } else {
            let jitter = |rng: &mut Rng| 16.0 * (rng.uniform() - 0.5);
            let cx = ((centre_x + jitter(&mut rng) - full_origin) / pixel).round() as i64
                - knobs.crop as i64 / 2;
            let cy = ((centre_y + jitter(&mut rng) - full_origin) / pixel).round() as i64
                - knobs.crop as i64 / 2;
            let limit = (FULL_MATRIX - knobs.crop) as i64;
            (cx.clamp(0, limit) as usize, cy.clamp(0, limit) as usize)
        };
        let half_slices = ((z_radius + 4.5) / knobs.slice_mm).ceil() as usize;
        let bias: [f64; 5] = std::array::from_fn(|_| rng.normal());
        let norm: f64 = bias.iter().map(|c| c.abs()).sum::<f64>().max(1e-9);
        let bias = bias.map(|c| c / norm);
        Phantom {
            knobs,
            seed: rng.next_u64(),
            centre: [centre_x, centre_y, z_offset],
            radius,
            z_radius,
            aspect,
            orientation: {
                let (s, c) = sin_cos(angle);
                (c, s)
            },
            harmonics,
            necrosis: clamp(0.25 + 0.12 * t_necrosis, 0.0, 0.6),
            heterogeneity: clamp(0.2 + 0.08 * t_heterogeneity, 0.03, 0.45),
            enhancement: clamp(1.6 + 0.3 * t_enhancement, 0.6, 3.0),
            wash_in_seconds: 30.0 + 15.0 * rng.uniform(),
            wash_out: clamp(0.0025 * (1.0 + 0.6 * t_wash), -0.001, 0.006),
            density: 1.2 * (rng.uniform() - 0.5),
            background_enhancement: 0.05 + 0.3 * rng.uniform(),
            bias,
            coil_centre: [side_x, CHEST_WALL_Y - 50.0],
            roi_margin: 2.0 + 2.0 * rng.uniform(),
            roi_jitter: std::array::from_fn(|_| {
                (0.6 * rng.uniform(), std::f64::consts::TAU * rng.uniform())
            }),
            crop_offset: [crop_columns, crop_rows],
            slices: 2 * half_slices + 1,
            aggressiveness,
        }
    }

    /// `[slices, rows, columns]`.
    pub fn shape(&self) -> [usize; 3] {
        let n = if self.knobs.full {
            FULL_MATRIX
        } else {
            self.knobs.crop
        };
        [self.slices, n, n]
    }

    pub fn geometry(&self) -> Geometry {
        let pixel = self.knobs.pixel_mm;
        let full_origin = -150.0 + pixel / 2.0;
        let half = (self.slices / 2) as f64;
        Geometry::new(
            [pixel, pixel, self.knobs.slice_mm],
            [
                full_origin + self.crop_offset[0] as f64 * pixel,
                full_origin + self.crop_offset[1] as f64 * pixel,
                -half * self.knobs.slice_mm,
            ],
        )
    }

    /// Seconds after injection at phase `p` (0-based; phase 0 is pre-contrast).
    fn seconds(&self, phase: usize) -> f64 {
        phase as f64 * self.knobs.phase_seconds
    }

    /// The tumour's radius at in-plane direction (cos θ, sin θ) on the plane `z` mm from its centre
    /// (0 off the tumour), given each harmonic's (cos, sin) of its phase at this z.
    fn radius_at(&self, c: f64, s: f64, z: f64, phases: &[(f64, f64)]) -> f64 {
        let along = (z / self.z_radius).powi(2);
        if along >= 1.0 {
            return 0.0;
        }
        let (oc, os) = self.orientation;
        let (u, v) = (c * oc + s * os, (s * oc - c * os) / self.aspect);
        let ellipse = 1.0 / (u * u + v * v).sqrt() * self.aspect.sqrt();
        let mut shape = 1.0;
        // cos(kθ + φ) from the powers of (c + i s), without trigonometry per pixel.
        let (mut pc, mut ps) = (1.0, 0.0);
        let mut order = 0;
        for (harmonic, (phase_c, phase_s)) in self.harmonics.iter().zip(phases) {
            while order < harmonic.order {
                (pc, ps) = (pc * c - ps * s, pc * s + ps * c);
                order += 1;
            }
            shape += harmonic.amplitude * (pc * phase_c - ps * phase_s);
        }
        self.radius * ellipse * shape.max(0.3) * (1.0 - along).sqrt()
    }

    fn harmonic_phases(&self, z: f64) -> Vec<(f64, f64)> {
        self.harmonics
            .iter()
            .map(|h| {
                let (s, c) = sin_cos(h.phase + h.twist * z);
                (c, s)
            })
            .collect()
    }

    /// Physical (x, y, z) of pixel (column, row) on slice `k` (the grid is axis-aligned).
    fn position(&self, column: usize, row: usize, k: usize) -> (f64, f64, f64) {
        let g = self.geometry();
        position(&g, column, row, k)
    }
}

fn position(g: &Geometry, column: usize, row: usize, k: usize) -> (f64, f64, f64) {
    {
        (
            g.origin[0] + column as f64 * g.spacing[0],
            g.origin[1] + row as f64 * g.spacing[1],
            g.origin[2] + k as f64 * g.spacing[2],
        )
    }
}

impl Phantom {
    /// All phases of slice `k`: `phases × rows × columns`, row-major.
    pub fn render_slice(&self, k: usize) -> Vec<Vec<f32>> {
        let phases: Vec<usize> = (0..self.knobs.phases).collect();
        self.render(k, &phases)
    }

    /// One phase (0-based) of slice `k`, row-major: all a 2-D analysis of that phase needs.
    pub fn render_phase(&self, k: usize, phase: usize) -> Vec<f32> {
        self.render(k, &[phase]).pop().expect("one phase")
    }

    /// The given phases of slice `k`. Each pixel's value depends only on its position and phase,
    /// so rendering a subset of phases gives exactly those phases of the full series.
    fn render(&self, k: usize, phases: &[usize]) -> Vec<Vec<f32>> {
        let [_, rows, columns] = self.shape();
        let z_plane = self.position(0, 0, k).2;
        let z = z_plane - self.centre[2];
        let harmonic_phases = self.harmonic_phases(z);
        let fgt = Field::new(self.seed ^ 1, 14.0);
        let texture = Field::new(self.seed ^ 2, 2.5);
        let kinetic = Field::new(self.seed ^ 3, 4.0);
        let core_edge = Field::new(self.seed ^ 4, 2.0);
        let step = self.knobs.phase_seconds;
        let all_times: Vec<f64> = (0..self.knobs.phases).map(|p| self.seconds(p)).collect();
        let wash_in: Vec<f64> = all_times
            .iter()
            .map(|&t| 1.0 - exp(-t / self.wash_in_seconds))
            .collect();
        let norm = all_times
            .iter()
            .zip(&wash_in)
            .map(|(&t, w)| w * exp(-self.wash_out * t))
            .fold(1e-9, f64::max);
        // Per-phase factors that do not depend on the pixel.
        let tissue_rise: Vec<f64> = phases
            .iter()
            .map(|&p| 1.0 - exp(-all_times[p] / 240.0))
            .collect();
        let necrotic_rise: Vec<f64> = phases
            .iter()
            .map(|&p| 1.0 - exp(-all_times[p] / 300.0))
            .collect();
        let fibroglandular = smooth_map(&self.geometry(), rows, columns, k, |x, y| {
            1.0 / (1.0 + exp(-2.2 * (fgt.octaves(x, y, z_plane) + self.density)))
        });
        let bias = self.bias_map(k);
        let mut out = vec![vec![0f32; rows * columns]; phases.len()];
        let grid = self.geometry();
        let reach = self.radius * 1.6 + 2.0;
        let sd = self.knobs.noise_sd;
        for row in 0..rows {
            for column in 0..columns {
                let (x, y, _) = position(&grid, column, row, k);
                let index = row * columns + column;
                let (pre, bpe, _) = self.background(x, y, f64::from(fibroglandular[index]));
                // Tumour weight and necrotic core.
                let (tx, ty) = (x - self.centre[0], y - self.centre[1]);
                let (mut weight, mut core, mut g, mut decay) = (0.0, 0.0, 0.0, 1.0);
                if tx.abs() < reach && ty.abs() < reach && z.abs() < self.z_radius {
                    let r = (tx * tx + ty * ty).sqrt();
                    let (c, s) = if r > 1e-9 {
                        (tx / r, ty / r)
                    } else {
                        (1.0, 0.0)
                    };
                    let edge = self.radius_at(c, s, z, &harmonic_phases);
                    // Partial volume over about one pixel.
                    weight = clamp((edge - r) / self.knobs.pixel_mm + 0.5, 0.0, 1.0);
                    if weight > 0.0 {
                        let rho = r / edge.max(1e-9);
                        let irregular = 0.25 * core_edge.at(x, y, z_plane);
                        core = clamp((self.necrosis - rho) / 0.08 + irregular * 4.0, 0.0, 1.0);
                        g = texture.octaves(x, y, z_plane);
                        let kappa = kinetic.at(x, y, z_plane);
                        // Wash-out over one phase: exp(−k (1 + κ/2) Δt).
                        decay = exp(-self.wash_out * (1.0 + 0.5 * kappa) * step);
                    }
                }
                let b = f64::from(bias[index]);
                for (slot, &p) in phases.iter().enumerate() {
                    let tissue = pre * (1.0 + bpe * tissue_rise[slot]);
                    let mut signal = tissue;
                    if weight > 0.0 {
                        let curve = wash_in[p] * decay.powi(p as i32) / norm;
                        let viable = 185.0
                            * (1.0 + 0.3 * self.heterogeneity * g)
                            * (1.0 + self.enhancement * (1.0 + self.heterogeneity * g) * curve);
                        let necrotic =
                            140.0 * (1.0 + 0.15 * self.enhancement * necrotic_rise[slot]);
                        let tumour = (1.0 - core) * viable + core * necrotic;
                        signal = (1.0 - weight) * tissue + weight * tumour;
                    }
                    let clean = signal * b;
                    let (n1, n2) = normal_pair(hash(
                        self.seed,
                        column as i64,
                        row as i64,
                        k as i64,
                        p as i64,
                    ));
                    let noisy = ((clean + sd * n1).powi(2) + (sd * n2).powi(2)).sqrt();
                    out[slot][index] = noisy.round() as f32;
                }
            }
        }
        out
    }

    /// The true bias field on slice `k` as the images carry it, row-major.
    fn bias_map(&self, k: usize) -> Vec<f32> {
        let [_, rows, columns] = self.shape();
        let z = self.position(0, 0, k).2;
        smooth_map(&self.geometry(), rows, columns, k, |x, y| {
            self.bias_at(x, y, z)
        })
    }

    /// Breast tissue, air or chest wall at (x, y) mm, given the glandular fraction `f` there:
    /// the pre-contrast signal, the background enhancement, and the tissue.
    fn background(&self, x: f64, y: f64, f: f64) -> (f64, f64, Tissue) {
        let dx = (x - x.signum() * 75.0) / 72.0;
        let dy = (y - CHEST_WALL_Y) / 125.0;
        if y > CHEST_WALL_Y {
            (110.0, 0.1, Tissue::ChestWall)
        } else if dx * dx + dy * dy < 1.0 {
            let skin = 1.0 - (dx * dx + dy * dy).sqrt();
            let skin_line = if skin < 0.015 { 60.0 } else { 0.0 };
            (
                45.0 * (1.0 - f) + 160.0 * f + skin_line,
                self.background_enhancement * f,
                if skin < 0.015 {
                    Tissue::Skin
                } else {
                    Tissue::Breast
                },
            )
        } else {
            (0.0, 0.0, Tissue::Air)
        }
    }

    /// Pixels of slice `k` whose noiseless pre-contrast signal is one constant before the bias
    /// field: 1 = fat (glandular fraction under 1 %), 2 = chest wall; away from the tumour.
    /// Where the coefficient of variation shows what bias correction did.
    pub fn homogeneous_slice(&self, k: usize) -> Vec<u8> {
        let [_, rows, columns] = self.shape();
        let z_plane = self.position(0, 0, k).2;
        let fgt = Field::new(self.seed ^ 1, 14.0);
        let fibroglandular = smooth_map(&self.geometry(), rows, columns, k, |x, y| {
            1.0 / (1.0 + exp(-2.2 * (fgt.octaves(x, y, z_plane) + self.density)))
        });
        let grid = self.geometry();
        let reach = self.radius * 1.6 + 2.0;
        let mut out = vec![0u8; rows * columns];
        for row in 0..rows {
            for column in 0..columns {
                let (x, y, _) = position(&grid, column, row, k);
                let index = row * columns + column;
                let near_tumour =
                    (x - self.centre[0]).abs() < reach && (y - self.centre[1]).abs() < reach;
                if near_tumour {
                    continue;
                }
                let f = f64::from(fibroglandular[index]);
                out[index] = match self.background(x, y, f).2 {
                    Tissue::Breast if f < 0.01 => 1,
                    Tissue::ChestWall => 2,
                    _ => 0,
                };
            }
        }
        out
    }

    /// The true multiplicative bias field at a point: exp(β · clamp(P, −1, 1)) with P a
    /// normalised low-order polynomial around the coil centre.
    pub fn bias_at(&self, x: f64, y: f64, z: f64) -> f64 {
        let u = (x - self.coil_centre[0]) / 60.0;
        let v = (y - self.coil_centre[1]) / 60.0;
        let w = z / 60.0;
        let b = &self.bias;
        let p = b[0] * u + b[1] * v + b[2] * u * v + b[3] * (u * u - v * v) / 2.0 + b[4] * w;
        exp(self.knobs.bias * clamp(p, -1.0, 1.0))
    }

    /// The true bias field on slice `k`, row-major (what `correct bias` should recover).
    pub fn bias_slice(&self, k: usize) -> Vec<f32> {
        self.bias_map(k)
    }
}

/// Pixels between lattice points of a smooth map this far apart are interpolated.
const SMOOTH_STEP: usize = 4;

/// A smooth function of (x, y) mm on slice `k`: evaluated exactly every [`SMOOTH_STEP`] pixels
/// and bilinearly in between (the fields involved vary over centimetres, the step is 2.3 mm).
fn smooth_map(
    grid: &Geometry,
    rows: usize,
    columns: usize,
    k: usize,
    f: impl Fn(f64, f64) -> f64,
) -> Vec<f32> {
    let lattice_rows = rows.div_ceil(SMOOTH_STEP) + 1;
    let lattice_columns = columns.div_ceil(SMOOTH_STEP) + 1;
    let mut lattice = vec![0.0; lattice_rows * lattice_columns];
    for lr in 0..lattice_rows {
        for lc in 0..lattice_columns {
            let (x, y, _) = position(grid, lc * SMOOTH_STEP, lr * SMOOTH_STEP, k);
            lattice[lr * lattice_columns + lc] = f(x, y);
        }
    }
    let mut out = Vec::with_capacity(rows * columns);
    let inverse = 1.0 / SMOOTH_STEP as f64;
    for row in 0..rows {
        let (lr, fr) = (row / SMOOTH_STEP, (row % SMOOTH_STEP) as f64 * inverse);
        for column in 0..columns {
            let (lc, fc) = (
                column / SMOOTH_STEP,
                (column % SMOOTH_STEP) as f64 * inverse,
            );
            let at = |r: usize, c: usize| lattice[r * lattice_columns + c];
            let top = at(lr, lc) + (at(lr, lc + 1) - at(lr, lc)) * fc;
            let bottom = at(lr + 1, lc) + (at(lr + 1, lc + 1) - at(lr + 1, lc)) * fc;
            out.push((top + (bottom - top) * fr) as f32);
        }
    }
    out
}
