//! Semi-automatic 2-D tumour segmentation inside a radiologist's ROI, as the study describes:
//! hyperintense pixels found by a threshold, grown into one connected region from the brightest
//! part, holes filled so the necrotic core is kept (whole tumour), specks left out.
//!
//! # Formula
//! Within the ROI on one slice: t = Otsu's threshold of the ROI intensities (or a percentile, or
//! a value); candidates = ROI ∧ (I ≥ t); the region = the connected component of candidates
//! (4- or 8-connected) holding the brightest pixel of the 3 × 3 mean-filtered image; then every
//! background pixel not connected (4-connected) to the ROI's outside is added (hole filling).
//! Dice = 2|A ∩ B| / (|A| + |B|).
//!
//! # References
//! Otsu, IEEE SMC 9:62-66 (1979); Adams & Bischof, IEEE PAMI 16:641-647 (1994) (seeded region
//! growing); Dice, Ecology 26:297-302 (1945).

use ndarray::{Array2, ArrayView2};
use std::collections::VecDeque;

/// How the threshold is chosen.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Threshold {
    Otsu,
    /// The given percentile (0-100) of the ROI's intensities.
    Percentile(f64),
    Value(f64),
}

/// Settings of one segmentation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SegmentOptions {
    pub threshold: Threshold,
    /// 4 or 8.
    pub connectivity: u8,
    pub fill_holes: bool,
    /// Where region growing starts, (row, column) 0-based; `None`: the brightest spot.
    pub seed: Option<(usize, usize)>,
}

impl Default for SegmentOptions {
    fn default() -> SegmentOptions {
        SegmentOptions {
            threshold: Threshold::Otsu,
            connectivity: 8,
            fill_holes: true,
            seed: None,
        }
    }
}

/// The result on one slice, with what a quality check needs.
#[derive(Debug, Clone, PartialEq)]
pub struct SliceSegmentation {
    pub mask: Array2<u8>,
    pub threshold: f64,
    pub pixels: usize,
    /// Why the result should not be trusted, if it should not.
    pub problem: Option<String>,
}

/// Otsu's threshold of `values` over 256 equal bins from the minimum to the maximum: the bin edge
/// maximising the between-class variance (the lower edge of the upper class).
pub fn otsu(values: &[f64]) -> f64 {
    let low = values.iter().copied().fold(f64::INFINITY, f64::min);
    let high = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if high.partial_cmp(&low) != Some(std::cmp::Ordering::Greater) {
        return low;
    }
    const BINS: usize = 256;
    let width = (high - low) / BINS as f64;
    let mut histogram = [0f64; BINS];
    for &v in values {
        histogram[(((v - low) / width) as usize).min(BINS - 1)] += 1.0;
    }
    let total = values.len() as f64;
    let centre = |b: usize| low + (b as f64 + 0.5) * width;
    let sum_all: f64 = (0..BINS).map(|b| histogram[b] * centre(b)).sum();
    let (mut weight, mut sum, mut best, mut best_edge) = (0.0, 0.0, -1.0, low);
    for (b, &count) in histogram.iter().enumerate().take(BINS - 1) {
        weight += count;
        sum += count * centre(b);
        if weight == 0.0 || weight == total {
            continue;
        }
        let (mean_low, mean_high) = (sum / weight, (sum_all - sum) / (total - weight));
        let between = weight * (total - weight) * (mean_low - mean_high).powi(2);
        if between > best {
            best = between;
            best_edge = low + (b + 1) as f64 * width;
        }
    }
    best_edge
}

fn neighbours(connectivity: u8) -> &'static [(isize, isize)] {
    if connectivity == 4 {
        &[(-1, 0), (1, 0), (0, -1), (0, 1)]
    } else {
        &[
            (-1, -1),
            (-1, 0),
            (-1, 1),
            (0, -1),
            (0, 1),
            (1, -1),
            (1, 0),
            (1, 1),
        ]
    }
}

/// Pixels reachable from `seeds` through pixels where `open` holds.
fn flood(
    shape: (usize, usize),
    seeds: &[(usize, usize)],
    connectivity: u8,
    open: impl Fn(usize, usize) -> bool,
) -> Array2<bool> {
    let (rows, columns) = shape;
    let mut reached = Array2::from_elem(shape, false);
    let mut queue: VecDeque<(usize, usize)> = VecDeque::new();
    for &(r, c) in seeds {
        if open(r, c) && !reached[[r, c]] {
            reached[[r, c]] = true;
            queue.push_back((r, c));
        }
    }
    while let Some((r, c)) = queue.pop_front() {
        for &(dr, dc) in neighbours(connectivity) {
            let (nr, nc) = (r as isize + dr, c as isize + dc);
            if nr < 0 || nc < 0 || nr >= rows as isize || nc >= columns as isize {
                continue;
            }
            let (nr, nc) = (nr as usize, nc as usize);
            if !reached[[nr, nc]] && open(nr, nc) {
                reached[[nr, nc]] = true;
                queue.push_back((nr, nc));
            }
        }
    }
    reached
}

/// Segments the tumour on one slice inside `roi`.
pub fn segment_slice(
    image: ArrayView2<'_, f32>,
    roi: ArrayView2<'_, u8>,
    options: &SegmentOptions,
) -> SliceSegmentation {
    let shape = image.dim();
    let (rows, columns) = shape;
    let inside: Vec<(usize, usize)> = roi
        .indexed_iter()
        .filter(|(_, v)| **v != 0)
        .map(|(i, _)| i)
        .collect();
    let empty = |problem: &str, threshold: f64| SliceSegmentation {
        mask: Array2::zeros(shape),
        threshold,
        pixels: 0,
        problem: Some(problem.to_string()),
    };
    if inside.is_empty() {
        return empty("the ROI is empty", f64::NAN);
    }
    let values: Vec<f64> = inside.iter().map(|&i| f64::from(image[i])).collect();
    let threshold = match options.threshold {
        Threshold::Otsu => otsu(&values),
        Threshold::Percentile(p) => {
            let mut sorted = values.clone();
            sorted.sort_by(f64::total_cmp);
            crate::stats::summary::quantile(&sorted, p / 100.0)
        }
        Threshold::Value(v) => v,
    };
    let candidate = |r: usize, c: usize| roi[[r, c]] != 0 && f64::from(image[[r, c]]) >= threshold;
    // Seed: the brightest pixel of the 3 × 3 mean inside the ROI among the candidates.
    let smoothed = |r: usize, c: usize| {
        let (mut sum, mut n) = (0.0, 0.0);
        for dr in -1..=1isize {
            for dc in -1..=1isize {
                let (nr, nc) = (r as isize + dr, c as isize + dc);
                if nr >= 0
                    && nc >= 0
                    && nr < rows as isize
                    && nc < columns as isize
                    && roi[[nr as usize, nc as usize]] != 0
                {
                    sum += f64::from(image[[nr as usize, nc as usize]]);
                    n += 1.0;
                }
            }
        }
        sum / n
    };
    if let Some((r, c)) = options.seed {
        let at = format!("the seed (row {}, column {})", r + 1, c + 1);
        if r >= rows || c >= columns || roi[[r, c]] == 0 {
            return empty(&format!("{at} is outside the ROI"), threshold);
        }
        if !candidate(r, c) {
            return empty(
                &format!(
                    "{at} is below the threshold ({:.4} < {threshold:.4})",
                    image[[r, c]]
                ),
                threshold,
            );
        }
    }
    let seed = match options.seed {
        Some(given) => Some((given, 0.0)),
        None => inside
            .iter()
            .copied()
            .filter(|&(r, c)| candidate(r, c))
            .map(|(r, c)| ((r, c), smoothed(r, c)))
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0))),
    };
    let Some((seed, _)) = seed else {
        let brightest = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        return empty(
            &format!(
                "no pixel of the ROI reaches the threshold {} (its brightest is {})",
                short(threshold),
                short(brightest)
            ),
            threshold,
        );
    };
    let mut region = flood(shape, &[seed], options.connectivity, candidate);
    if options.fill_holes {
        // Background reachable from the image border (4-connected) is outside; the rest is a hole.
        let border: Vec<(usize, usize)> = (0..rows)
            .flat_map(|r| [(r, 0), (r, columns - 1)])
            .chain((0..columns).flat_map(|c| [(0, c), (rows - 1, c)]))
            .collect();
        let outside = flood(shape, &border, 4, |r, c| !region[[r, c]]);
        // Holes are added only where the ROI is: the result never leaves it.
        region = ndarray::Zip::from(&outside)
            .and(&roi)
            .map_collect(|&o, &r| !o && r != 0);
    }
    let mask = region.mapv(u8::from);
    let pixels = mask.iter().filter(|&&v| v != 0).count();
    let problem = if pixels <= 1 {
        Some(format!("{pixels} pixel(s) segmented"))
    } else if pixels == inside.len() {
        Some(
            "the whole ROI was segmented (no contrast between tumour and surroundings)".to_string(),
        )
    } else {
        None
    };
    SliceSegmentation {
        mask,
        threshold,
        pixels,
        problem,
    }
}

/// A number for a message: at most 4 decimals, trailing zeros dropped (`5000`, `592.25`).
fn short(x: f64) -> String {
    let text = format!("{x:.4}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Dice overlap of two masks (1 when both are empty).
pub fn dice(a: ArrayView2<'_, u8>, b: ArrayView2<'_, u8>) -> f64 {
    let (mut both, mut total) = (0usize, 0usize);
    for (&x, &y) in a.iter().zip(b.iter()) {
        both += usize::from(x != 0 && y != 0);
        total += usize::from(x != 0) + usize::from(y != 0);
    }
    if total == 0 {
        1.0
    } else {
        2.0 * both as f64 / total as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A bright ring (necrotic core inside) in a dim field, an ROI around it.
    fn phantom() -> (Array2<f32>, Array2<u8>, Array2<u8>) {
        let image = Array2::from_shape_fn((40, 40), |(r, c)| {
            let d = ((r as f64 - 20.0).powi(2) + (c as f64 - 20.0).powi(2)).sqrt();
            if d < 4.0 {
                120.0
            } else if d < 10.0 {
                400.0 + ((r * 7 + c * 3) % 11) as f32
            } else {
                150.0
            }
        });
        let truth = Array2::from_shape_fn((40, 40), |(r, c)| {
            u8::from(((r as f64 - 20.0).powi(2) + (c as f64 - 20.0).powi(2)).sqrt() < 10.0)
        });
        let roi = Array2::from_shape_fn((40, 40), |(r, c)| {
            u8::from(((r as f64 - 20.0).powi(2) + (c as f64 - 20.0).powi(2)).sqrt() < 15.0)
        });
        (image, roi, truth)
    }

    #[test]
    fn a_seed_the_user_gives_chooses_the_region() {
        let (mut image, roi, truth) = phantom();
        // A brighter spot inside the ROI, apart from the ring: the automatic seed finds it.
        for r in 31..34 {
            for c in 19..22 {
                image[[r, c]] = 600.0;
            }
        }
        let automatic = segment_slice(image.view(), roi.view(), &SegmentOptions::default());
        assert_eq!(automatic.pixels, 9);
        let seeded = |seed| {
            segment_slice(
                image.view(),
                roi.view(),
                &SegmentOptions {
                    seed: Some(seed),
                    ..SegmentOptions::default()
                },
            )
        };
        let ring = seeded((20, 27));
        assert_eq!(dice(ring.mask.view(), truth.view()), 1.0);
        let core = seeded((20, 20));
        assert_eq!(core.pixels, 0);
        assert!(core.problem.unwrap().contains("below the threshold"));
        let outside = seeded((0, 0));
        assert!(outside.problem.unwrap().contains("outside the ROI"));
    }

    #[test]
    fn the_whole_tumour_is_found_with_its_core() {
        let (image, roi, truth) = phantom();
        let result = segment_slice(image.view(), roi.view(), &SegmentOptions::default());
        assert_eq!(result.problem, None);
        assert_eq!(dice(result.mask.view(), truth.view()), 1.0);
        let no_fill = segment_slice(
            image.view(),
            roi.view(),
            &SegmentOptions {
                fill_holes: false,
                ..SegmentOptions::default()
            },
        );
        assert!(
            no_fill.pixels < result.pixels,
            "the necrotic core is a hole without filling"
        );
    }

    #[test]
    fn segmentation_never_leaves_the_roi_and_a_constant_image_is_reported() {
        let (image, _, _) = phantom();
        let small_roi = Array2::from_shape_fn((40, 40), |(r, c)| {
            u8::from(r > 15 && r < 25 && c > 15 && c < 30)
        });
        let result = segment_slice(image.view(), small_roi.view(), &SegmentOptions::default());
        assert!(
            result
                .mask
                .iter()
                .zip(small_roi.iter())
                .all(|(&m, &r)| m == 0 || r == 1)
        );
        let above = SegmentOptions {
            threshold: Threshold::Value(5000.0),
            ..SegmentOptions::default()
        };
        let result = segment_slice(image.view(), small_roi.view(), &above);
        let brightest = small_roi
            .indexed_iter()
            .filter(|(_, r)| **r == 1)
            .map(|(i, _)| image[i])
            .fold(f32::MIN, f32::max);
        assert_eq!(
            result.problem.unwrap(),
            format!(
                "no pixel of the ROI reaches the threshold 5000 (its brightest is {})",
                short(f64::from(brightest))
            )
        );
        assert_eq!(result.pixels, 0);
        let flat = Array2::from_elem((40, 40), 100.0f32);
        let result = segment_slice(flat.view(), small_roi.view(), &SegmentOptions::default());
        assert!(result.problem.is_some(), "{result:?}");
        let empty = segment_slice(
            flat.view(),
            Array2::zeros((40, 40)).view(),
            &SegmentOptions::default(),
        );
        assert_eq!(empty.problem.as_deref(), Some("the ROI is empty"));
    }

    #[test]
    fn otsu_splits_two_clusters() {
        let values: Vec<f64> = (0..100)
            .map(|i| {
                if i < 60 {
                    10.0 + (i % 5) as f64
                } else {
                    100.0 + (i % 7) as f64
                }
            })
            .collect();
        let t = otsu(&values);
        assert!(t > 14.0 && t <= 100.0, "{t}");
    }
}
