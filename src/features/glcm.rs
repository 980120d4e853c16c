//! Grey-level co-occurrence matrix (GLCM) features: symmetric matrices at distance 1, one per
//! direction (13 in 3-D; the 4 in-plane ones on a one-slice region), features computed per
//! direction and averaged (IBSI "averaged"), directions without any pair left out.
//!
//! # Formula
//! p(i, j) = normalised count of neighbouring voxel pairs at grey levels (g_i, g_j), both in the
//! mask, counted both ways. p_x, p_y its marginals, μ_x = Σ g_i p(i, j), σ_x² = Σ (g_i − μ_x)² p,
//! p_{x+y}(k) = Σ_{g_i+g_j=k} p, p_{x−y}(k) = Σ_{|g_i−g_j|=k} p, logs base 2 of (p + ε), N_g the
//! highest grey level present. Autocorrelation Σ g_i g_j p; JointAverage μ_x; ClusterProminence,
//! ClusterShade, ClusterTendency Σ (g_i + g_j − μ_x − μ_y)^{4,3,2} p; Contrast Σ (g_i − g_j)² p;
//! Correlation Σ (g_i − μ_x)(g_j − μ_y) p / (σ_x σ_y + ε) (1 when σ_x σ_y = 0); DifferenceAverage
//! Σ k p_{x−y}; DifferenceEntropy; DifferenceVariance; JointEnergy Σ p²; JointEntropy HXY;
//! Imc1 (HXY − HXY1)/max(HX, HY) (0 when the maximum is 0); Imc2 √(1 − e^{−2(HXY2 − HXY)}) (0 when
//! HXY2 = HXY); Id, Idn, Idm, Idmn Σ p_{x−y}(k)/(1 + k), /(1 + k/N_g), /(1 + k²), /(1 + k²/N_g²);
//! InverseVariance Σ_{k≥1} p_{x−y}(k)/k²; MaximumProbability; SumAverage Σ k p_{x+y};
//! SumEntropy; SumSquares Σ (g_i − μ_x)² p; MCC √(second largest eigenvalue of
//! Q(i, j) = Σ_k p(i, k) p(j, k) / (p_x(i) p_y(k))).
//!
//! # References
//! Haralick, Shanmugam & Dinstein, IEEE SMC 3:610-621 (1973); IBSI 1 §3.6 (QWB0, AE86, 7NFM,
//! DG8W, ACUI, NI2N, TF7R, NTRS, D3YU, 8ZQL, TU9B, R8DG, JN9H, IB1Z, NDRX, WF0Z, 1QCO, E8JP,
//! GYBY, ZGXS, P6QZ, UR99, QCDE); PyRadiomics 3.0.1 `glcm.py`.
//!
//! # Remarks
//! IBSI normalises Idn/Idmn by the number of bins, PyRadiomics (and radnomo) by the highest level
//! present; they agree when the region reaches the top bin. MCC is computed from the symmetric
//! matrix similar to Q, without PyRadiomics's ε in the denominator (a difference below 1e-12).

use super::neighbours::{directions_within, for_each_pair};
use super::{Aggregation, Discretised, EPSILON, aggregate};
use crate::stats::linalg::symmetric_eigenvalues;

/// The symmetric co-occurrence counts of each direction with any pair, over the present levels.
pub fn matrices(levels: &Discretised) -> Vec<Vec<Vec<f64>>> {
    let g = levels.present.len();
    let index = levels.index_of_level();
    let shape = levels.levels.shape().to_vec();
    let mut out = Vec::new();
    for direction in directions_within(&shape) {
        let mut counts = vec![vec![0.0; g]; g];
        let mut any = false;
        for_each_pair(&levels.levels, direction, |level, other| {
            if level != 0 && other != 0 {
                let (a, b) = (index[level as usize], index[other as usize]);
                counts[a][b] += 1.0;
                counts[b][a] += 1.0;
                any = true;
            }
        });
        if any {
            out.push(counts);
        }
    }
    out
}

/// Every feature of each direction with any pair, before averaging.
pub fn per_direction(levels: &Discretised) -> Vec<Vec<(&'static str, f64)>> {
    matrices(levels)
        .into_iter()
        .map(|counts| one_direction(&counts, levels))
        .collect()
}

pub fn features(levels: &Discretised, aggregation: Aggregation) -> Vec<(&'static str, f64)> {
    aggregate(&matrices(levels), aggregation, |counts| {
        one_direction(counts, levels)
    })
}

fn entropy(values: impl IntoIterator<Item = f64>) -> f64 {
    -values
        .into_iter()
        .map(|p| p * (p + EPSILON).log2())
        .sum::<f64>()
}

fn one_direction(counts: &[Vec<f64>], levels: &Discretised) -> Vec<(&'static str, f64)> {
    let g = counts.len();
    let total: f64 = counts.iter().flatten().sum();
    let p: Vec<Vec<f64>> = counts
        .iter()
        .map(|row| row.iter().map(|c| c / total).collect())
        .collect();
    let value: Vec<f64> = levels.present.iter().map(|&l| f64::from(l)).collect();
    let ng = levels.highest as usize;
    let px: Vec<f64> = (0..g).map(|i| p[i].iter().sum()).collect();
    let py: Vec<f64> = (0..g).map(|j| (0..g).map(|i| p[i][j]).sum()).collect();
    let mut ux = 0.0;
    let mut uy = 0.0;
    for i in 0..g {
        for j in 0..g {
            ux += value[i] * p[i][j];
            uy += value[j] * p[i][j];
        }
    }
    // One pass over the occupied cells (an empty cell adds nothing to any of these sums).
    let mut sums = vec![0.0; 2 * ng + 1]; // index k = g_i + g_j
    let mut differences = vec![0.0; ng]; // index k = |g_i − g_j|
    let (mut autocorrelation, mut contrast, mut covariance) = (0.0, 0.0, 0.0);
    let (mut variance_x, mut variance_y) = (0.0, 0.0);
    let mut cluster = [0.0; 3]; // powers 2, 3, 4
    let (mut hxy, mut hxy1, mut energy, mut maximum) = (0.0, 0.0, 0.0, 0.0f64);
    for i in 0..g {
        for j in 0..g {
            let q = p[i][j];
            if q == 0.0 {
                continue;
            }
            let (a, b) = (value[i], value[j]);
            sums[(a + b) as usize] += q;
            differences[(a - b).abs() as usize] += q;
            autocorrelation += a * b * q;
            contrast += (a - b) * (a - b) * q;
            covariance += (a - ux) * (b - uy) * q;
            variance_x += (a - ux) * (a - ux) * q;
            variance_y += (b - uy) * (b - uy) * q;
            let c = a + b - ux - uy;
            cluster[0] += c * c * q;
            cluster[1] += c * c * c * q;
            cluster[2] += c * c * c * c * q;
            hxy -= q * (q + EPSILON).log2();
            hxy1 -= q * (px[i] * py[j] + EPSILON).log2();
            energy += q * q;
            maximum = maximum.max(q);
        }
    }
    let sums = &sums[2..];
    let hx = entropy(px.iter().copied());
    let hy = entropy(py.iter().copied());
    let mut hxy2 = 0.0;
    for &x in px.iter().filter(|&&x| x > 0.0) {
        for &y in py.iter().filter(|&&y| y > 0.0) {
            hxy2 -= x * y * (x * y + EPSILON).log2();
        }
    }
    let (sigma_x, sigma_y) = (variance_x.sqrt(), variance_y.sqrt());
    let correlation = if sigma_x * sigma_y == 0.0 {
        1.0
    } else {
        covariance / (sigma_x * sigma_y + EPSILON)
    };
    let difference_average: f64 = differences
        .iter()
        .enumerate()
        .map(|(k, d)| k as f64 * d)
        .sum();
    let divisor = hx.max(hy);
    let imc1 = if divisor == 0.0 {
        0.0
    } else {
        (hxy - hxy1) / divisor
    };
    let imc2 = if hxy2 == hxy {
        0.0
    } else {
        (1.0 - (-2.0 * (hxy2 - hxy)).exp()).sqrt()
    };
    let by_difference = |f: &dyn Fn(f64) -> f64| {
        differences
            .iter()
            .enumerate()
            .map(|(k, d)| d * f(k as f64))
            .sum::<f64>()
    };
    let n = ng as f64;
    vec![
        ("Autocorrelation", autocorrelation),
        ("JointAverage", ux),
        ("ClusterProminence", cluster[2]),
        ("ClusterShade", cluster[1]),
        ("ClusterTendency", cluster[0]),
        ("Contrast", contrast),
        ("Correlation", correlation),
        ("DifferenceAverage", difference_average),
        ("DifferenceEntropy", entropy(differences.iter().copied())),
        (
            "DifferenceVariance",
            by_difference(&|k| (k - difference_average).powi(2)),
        ),
        ("JointEnergy", energy),
        ("JointEntropy", hxy),
        ("Imc1", imc1),
        ("Imc2", imc2),
        ("Idm", by_difference(&|k| 1.0 / (1.0 + k * k))),
        ("MCC", mcc(&p, &px, &py)),
        ("Idmn", by_difference(&|k| 1.0 / (1.0 + k * k / (n * n)))),
        ("Id", by_difference(&|k| 1.0 / (1.0 + k))),
        ("Idn", by_difference(&|k| 1.0 / (1.0 + k / n))),
        (
            "InverseVariance",
            by_difference(&|k| if k == 0.0 { 0.0 } else { 1.0 / (k * k) }),
        ),
        ("MaximumProbability", maximum),
        (
            "SumAverage",
            sums.iter()
                .enumerate()
                .map(|(k, s)| (k + 2) as f64 * s)
                .sum(),
        ),
        ("SumEntropy", entropy(sums.iter().copied())),
        ("SumSquares", variance_x),
    ]
}

/// Maximal correlation coefficient: √ of the second largest eigenvalue of Q, through the
/// symmetric S = D^{½} Q D^{−½} (D = diag p_x), which has the same eigenvalues.
fn mcc(p: &[Vec<f64>], px: &[f64], py: &[f64]) -> f64 {
    let g = p.len();
    if g < 2 {
        return 1.0;
    }
    // S = A Aᵀ with A(i, k) = p(i, k) / √(p_x(i) p_y(k)); levels without pairs in this direction
    // (p_x = 0) only add zero eigenvalues, so they are left out of the decomposition.
    let rows: Vec<usize> = (0..g).filter(|&i| px[i] > 0.0).collect();
    let columns: Vec<usize> = (0..g).filter(|&k| py[k] > 0.0).collect();
    let a: Vec<Vec<f64>> = rows
        .iter()
        .map(|&i| {
            columns
                .iter()
                .map(|&k| p[i][k] / (px[i] * py[k]).sqrt())
                .collect()
        })
        .collect();
    let n = rows.len();
    let mut s = vec![vec![0.0; n]; n];
    for r in 0..n {
        for c in r..n {
            let dot: f64 = a[r].iter().zip(&a[c]).map(|(x, y)| x * y).sum();
            s[r][c] = dot;
            s[c][r] = dot;
        }
    }
    let mut eigenvalues = symmetric_eigenvalues(s);
    eigenvalues.resize(g, 0.0);
    eigenvalues.sort_by(f64::total_cmp);
    eigenvalues[g - 2].max(0.0).sqrt()
}
