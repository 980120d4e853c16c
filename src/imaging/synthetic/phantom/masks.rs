//! The phantom's masks: the true tumour (partial-volume weight ≥ ½) and the radiologist's loose
//! ROI — a 96-point polygon at the tumour's widest radius nearby plus a 2–4 mm margin with a
//! smooth hand jitter, filled by scanline (checked against the point-in-polygon test).

use super::{Phantom, position};
use crate::portable::sin_cos;

impl Phantom {
    /// The true tumour (enhancing and necrotic, partial-volume weight ≥ ½) on slice `k`.
    pub fn truth_slice(&self, k: usize) -> Vec<u8> {
        let [_, rows, columns] = self.shape();
        let z = self.position(0, 0, k).2 - self.centre[2];
        let phases = self.harmonic_phases(z);
        let mut out = vec![0u8; rows * columns];
        if z.abs() >= self.z_radius {
            return out;
        }
        let grid = self.geometry();
        let reach = self.radius * 1.6 + 2.0;
        for row in 0..rows {
            for column in 0..columns {
                let (x, y, _) = position(&grid, column, row, k);
                let (tx, ty) = (x - self.centre[0], y - self.centre[1]);
                if tx.abs() > reach || ty.abs() > reach {
                    continue;
                }
                let r = (tx * tx + ty * ty).sqrt();
                let (c, s) = if r > 1e-9 {
                    (tx / r, ty / r)
                } else {
                    (1.0, 0.0)
                };
                if r <= self.radius_at(c, s, z, &phases) {
                    out[row * columns + column] = 1;
                }
            }
        }
        out
    }

    /// The ROI outline on the plane `z` mm from the tumour centre, in (x, y) mm.
    fn roi_polygon(&self, z: f64) -> Vec<(f64, f64)> {
        let phases = self.harmonic_phases(z);
        const POINTS: usize = 96;
        let directions: Vec<(f64, f64)> = (0..POINTS)
            .map(|i| {
                let (s, c) = sin_cos(std::f64::consts::TAU * i as f64 / POINTS as f64);
                (c, s)
            })
            .collect();
        let radii: Vec<f64> = directions
            .iter()
            .map(|&(c, s)| self.radius_at(c, s, z, &phases))
            .collect();
        let window = 8; // ±0.5 rad of 96 points
        (0..POINTS)
            .map(|i| {
                let widest = (0..=2 * window)
                    .map(|d| radii[(i + POINTS + d - window) % POINTS])
                    .fold(0.0, f64::max);
                let mut margin = self.roi_margin;
                for (order, &(amplitude, phase)) in self.roi_jitter.iter().enumerate() {
                    let angle = (order + 1) as f64 * std::f64::consts::TAU * i as f64
                        / POINTS as f64
                        + phase;
                    margin += amplitude * sin_cos(angle).1;
                }
                let (c, s) = directions[i];
                let r = widest + margin;
                (self.centre[0] + r * c, self.centre[1] + r * s)
            })
            .collect()
    }

    /// The radiologist's ROI on slice `k`: a polygon of 96 points around the tumour at the largest
    /// tumour radius within ±0.5 rad, plus a 2-4 mm margin with a little smooth hand jitter.
    pub fn roi_slice(&self, k: usize) -> Vec<u8> {
        let [_, rows, columns] = self.shape();
        let z = self.position(0, 0, k).2 - self.centre[2];
        let mut out = vec![0u8; rows * columns];
        if z.abs() >= self.z_radius {
            return out;
        }
        let polygon = self.roi_polygon(z);
        let g = self.geometry();
        // Only pixels within the polygon's bounding box can be inside it.
        let fold = |f: fn(&(f64, f64)) -> f64| {
            polygon
                .iter()
                .map(f)
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| {
                    (l.min(v), h.max(v))
                })
        };
        let (low_x, high_x) = fold(|p| p.0);
        let (low_y, high_y) = fold(|p| p.1);
        let span = |low: f64, high: f64, axis: usize, n: usize| {
            let first = ((low - g.origin[axis]) / g.spacing[axis]).floor().max(0.0) as usize;
            let last =
                (((high - g.origin[axis]) / g.spacing[axis]).ceil().max(0.0) as usize + 1).min(n);
            first.min(last)..last
        };
        let columns_inside = span(low_x, high_x, 0, columns);
        let mut crossings = Vec::with_capacity(16);
        for row in span(low_y, high_y, 1, rows) {
            let y = g.origin[1] + row as f64 * g.spacing[1];
            // Scanline form of the even-odd test in `inside`: the same crossings, found once per row.
            crossings.clear();
            let mut j = polygon.len() - 1;
            for i in 0..polygon.len() {
                let ((xi, yi), (xj, yj)) = (polygon[i], polygon[j]);
                if (yi > y) != (yj > y) {
                    crossings.push((xj - xi) * (y - yi) / (yj - yi) + xi);
                }
                j = i;
            }
            crossings.sort_by(f64::total_cmp);
            let mut right = 0; // crossings at or left of x
            for column in columns_inside.clone() {
                let x = g.origin[0] + column as f64 * g.spacing[0];
                while right < crossings.len() && crossings[right] <= x {
                    right += 1;
                }
                if (crossings.len() - right) % 2 == 1 {
                    out[row * columns + column] = 1;
                }
            }
        }
        out
    }
}

/// Even-odd rule point-in-polygon test (the scanline fill in `roi_slice` must agree with it).
#[cfg(test)]
fn inside(polygon: &[(f64, f64)], x: f64, y: f64) -> bool {
    let mut inside = false;
    let mut j = polygon.len() - 1;
    for i in 0..polygon.len() {
        let (xi, yi) = polygon[i];
        let (xj, yj) = polygon[j];
        if (yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi {
            inside = !inside;
        }
        j = i;
    }
    inside
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::imaging::synthetic::phantom::Knobs;

    #[test]
    fn the_scanline_roi_equals_the_point_in_polygon_test() {
        let phantom = Phantom::draw(Knobs::default(), 9, 4, true, 22.0);
        let [slices, rows, columns] = phantom.shape();
        let g = phantom.geometry();
        let mut checked = 0;
        for k in 0..slices {
            let z = phantom.position(0, 0, k).2 - phantom.centre[2];
            if z.abs() >= phantom.z_radius {
                continue;
            }
            let polygon = phantom.roi_polygon(z);
            let fast = phantom.roi_slice(k);
            for row in 0..rows {
                for column in 0..columns {
                    let (x, y, _) = position(&g, column, row, k);
                    assert_eq!(
                        fast[row * columns + column] == 1,
                        inside(&polygon, x, y),
                        "slice {k} ({column}, {row})"
                    );
                }
            }
            checked += 1;
        }
        assert!(checked > 5);
    }
}
