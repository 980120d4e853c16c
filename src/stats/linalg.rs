//! The small dense linear algebra the models need: a column-major matrix, Householder least
//! squares with R's rank rule, and the inverse of a triangular factor. Sizes are patients ×
//! predictors (hundreds × tens), so clarity wins over blocking.

/// A column-major matrix: `column(j)` is contiguous, as predictors are used one at a time.
#[derive(Debug, Clone, PartialEq)]
pub struct Matrix {
    pub rows: usize,
    pub cols: usize,
    pub data: Vec<f64>,
}

impl Matrix {
    pub fn zeros(rows: usize, cols: usize) -> Matrix {
        Matrix {
            rows,
            cols,
            data: vec![0.0; rows * cols],
        }
    }

    /// A matrix from its columns (all the same length).
    pub fn from_columns(columns: &[Vec<f64>]) -> Matrix {
        let rows = columns.first().map_or(0, Vec::len);
        let mut data = Vec::with_capacity(rows * columns.len());
        for column in columns {
            debug_assert_eq!(column.len(), rows);
            data.extend_from_slice(column);
        }
        Matrix {
            rows,
            cols: columns.len(),
            data,
        }
    }

    pub fn column(&self, j: usize) -> &[f64] {
        &self.data[j * self.rows..(j + 1) * self.rows]
    }

    pub fn column_mut(&mut self, j: usize) -> &mut [f64] {
        &mut self.data[j * self.rows..(j + 1) * self.rows]
    }

    pub fn get(&self, i: usize, j: usize) -> f64 {
        self.data[j * self.rows + i]
    }

    pub fn set(&mut self, i: usize, j: usize, value: f64) {
        self.data[j * self.rows + i] = value;
    }

    /// The rows listed, in that order (repeats allowed, as a bootstrap sample has them).
    pub fn select_rows(&self, rows: &[usize]) -> Matrix {
        let mut data = Vec::with_capacity(rows.len() * self.cols);
        for j in 0..self.cols {
            let column = self.column(j);
            data.extend(rows.iter().map(|&i| column[i]));
        }
        Matrix {
            rows: rows.len(),
            cols: self.cols,
            data,
        }
    }

    /// The columns listed, in that order.
    pub fn select_columns(&self, columns: &[usize]) -> Matrix {
        let parts: Vec<Vec<f64>> = columns.iter().map(|&j| self.column(j).to_vec()).collect();
        let mut matrix = Matrix::from_columns(&parts);
        matrix.rows = self.rows;
        matrix
    }

    /// `self · beta`.
    pub fn times_vector(&self, beta: &[f64]) -> Vec<f64> {
        let mut out = vec![0.0; self.rows];
        for (j, &b) in beta.iter().enumerate() {
            if b != 0.0 {
                for (o, x) in out.iter_mut().zip(self.column(j)) {
                    *o += b * x;
                }
            }
        }
        out
    }
}

pub fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Householder QR of an n × p matrix with R's limited column pivoting (LINPACK `dqrdc2`, used by
/// `lm` and `glm`): a column whose norm, after removing the earlier kept columns, falls below
/// `tolerance` times its original norm is aliased and moved out of the fit.
///
/// # References
/// Golub & Van Loan, Matrix Computations, §5.2; R's `dqrdc2.f` (the rank rule only).
pub struct Qr {
    /// The factored columns (kept columns first), n × rank, with Householder vectors below the
    /// diagonal and R on and above it.
    factored: Matrix,
    /// The diagonal of R.
    diagonal: Vec<f64>,
    /// For each kept column, its index in the original matrix.
    pub kept: Vec<usize>,
    /// The original indices of aliased columns.
    pub aliased: Vec<usize>,
    /// Householder scalars.
    taus: Vec<f64>,
}

impl Qr {
    pub fn new(matrix: &Matrix, tolerance: f64) -> Qr {
        let n = matrix.rows;
        let mut factored = Matrix::zeros(n, 0);
        let mut kept = Vec::new();
        let mut aliased = Vec::new();
        let mut taus = Vec::new();
        let mut diagonal = Vec::new();
        for j in 0..matrix.cols {
            let mut column = matrix.column(j).to_vec();
            let original_norm = dot(&column, &column).sqrt();
            // Apply the reflections of the kept columns so far.
            for (k, &tau) in taus.iter().enumerate() {
                apply_reflection(factored.column(k), tau, k, &mut column);
            }
            let k = kept.len();
            let rest_norm = if k < n {
                dot(&column[k..], &column[k..]).sqrt()
            } else {
                0.0
            };
            if k >= n || rest_norm <= tolerance * original_norm || original_norm == 0.0 {
                aliased.push(j);
                continue;
            }
            // Reflection mapping column[k..] to (−sign·norm, 0, …).
            let alpha = if column[k] > 0.0 {
                -rest_norm
            } else {
                rest_norm
            };
            let v0 = column[k] - alpha;
            for value in column[k + 1..].iter_mut() {
                *value /= v0;
            }
            let tau = -v0 / alpha;
            column[k] = alpha;
            diagonal.push(alpha);
            taus.push(tau);
            factored.data.extend_from_slice(&column);
            factored.cols += 1;
            kept.push(j);
        }
        Qr {
            factored,
            diagonal,
            kept,
            aliased,
            taus,
        }
    }

    pub fn rank(&self) -> usize {
        self.kept.len()
    }

    /// Least-squares coefficients of the kept columns for the response `y`.
    pub fn solve(&self, y: &[f64]) -> Vec<f64> {
        let mut qty = y.to_vec();
        for (k, &tau) in self.taus.iter().enumerate() {
            apply_reflection(self.factored.column(k), tau, k, &mut qty);
        }
        let p = self.rank();
        let mut beta = vec![0.0; p];
        for i in (0..p).rev() {
            let mut sum = qty[i];
            for (j, b) in beta.iter().enumerate().skip(i + 1) {
                sum -= self.r(i, j) * b;
            }
            beta[i] = sum / self.diagonal[i];
        }
        beta
    }

    /// Element (i, j) of R (i ≤ j).
    fn r(&self, i: usize, j: usize) -> f64 {
        if i == j {
            self.diagonal[i]
        } else {
            self.factored.get(i, j)
        }
    }

    /// (RᵀR)⁻¹ = (XᵀX)⁻¹ for the kept columns (R's `chol2inv(qr$qr)`), p × p row-major.
    pub fn unscaled_covariance(&self) -> Vec<Vec<f64>> {
        let p = self.rank();
        // Invert the upper-triangular R.
        let mut inverse = vec![vec![0.0; p]; p];
        for j in 0..p {
            inverse[j][j] = 1.0 / self.r(j, j);
            for i in (0..j).rev() {
                let mut sum = 0.0;
                for (k, row) in inverse.iter().enumerate().take(j + 1).skip(i + 1) {
                    sum += self.r(i, k) * row[j];
                }
                inverse[i][j] = -sum / self.r(i, i);
            }
        }
        // (R⁻¹)(R⁻¹)ᵀ
        let mut covariance = vec![vec![0.0; p]; p];
        for i in 0..p {
            for j in i..p {
                let value: f64 = (j..p).map(|k| inverse[i][k] * inverse[j][k]).sum();
                covariance[i][j] = value;
                covariance[j][i] = value;
            }
        }
        covariance
    }

    /// log |det R| (for Firth's penalty, ½·log|XᵀWX| = log|det R|).
    pub fn log_abs_determinant(&self) -> f64 {
        self.diagonal.iter().map(|d| d.abs().ln()).sum()
    }
}

/// Applies the reflection I − τ·v·vᵀ stored in `stored` (v = (1, stored[k+1..])) from row k on.
fn apply_reflection(stored: &[f64], tau: f64, k: usize, target: &mut [f64]) {
    let mut s = target[k];
    for (v, t) in stored[k + 1..].iter().zip(&target[k + 1..]) {
        s += v * t;
    }
    s *= tau;
    target[k] -= s;
    for (v, t) in stored[k + 1..].iter().zip(target[k + 1..].iter_mut()) {
        *t -= s * v;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selected_rows_come_in_the_order_given_with_repeats() {
        let x = Matrix::from_columns(&[vec![1.0, 2.0, 3.0], vec![10.0, 20.0, 30.0]]);
        let picked = x.select_rows(&[2, 0, 2]);
        assert_eq!((picked.rows, picked.cols), (3, 2));
        assert_eq!(picked.column(0), &[3.0, 1.0, 3.0]);
        assert_eq!(picked.column(1), &[30.0, 10.0, 30.0]);
        assert_eq!(x.select_rows(&[]).rows, 0);
    }

    #[test]
    fn least_squares_and_covariance_on_a_hand_case() {
        // y = 1 + 2x exactly; X = [1, x].
        let x = Matrix::from_columns(&[vec![1.0; 4], vec![0.0, 1.0, 2.0, 3.0]]);
        let qr = Qr::new(&x, 1e-7);
        let beta = qr.solve(&[1.0, 3.0, 5.0, 7.0]);
        assert!((beta[0] - 1.0).abs() < 1e-12 && (beta[1] - 2.0).abs() < 1e-12);
        // (XᵀX)⁻¹ for XᵀX = [[4, 6], [6, 14]] is [[0.7, -0.3], [-0.3, 0.2]].
        let covariance = qr.unscaled_covariance();
        assert!((covariance[0][0] - 0.7).abs() < 1e-12);
        assert!((covariance[0][1] + 0.3).abs() < 1e-12);
        assert!((covariance[1][1] - 0.2).abs() < 1e-12);
    }

    #[test]
    fn a_collinear_column_is_aliased_like_r() {
        let x = Matrix::from_columns(&[
            vec![1.0; 4],
            vec![0.0, 1.0, 2.0, 5.0],
            vec![0.0, 2.0, 4.0, 10.0],
            vec![1.0, 0.0, 1.0, 0.0],
        ]);
        let qr = Qr::new(&x, 1e-7);
        assert_eq!(qr.kept, vec![0, 1, 3]);
        assert_eq!(qr.aliased, vec![2]);
    }
}

/// The eigenvalues of a symmetric matrix (rows of `a`), ascending: Householder reduction to
/// tridiagonal form, then the implicitly shifted QL iteration on the tridiagonal matrix.
///
/// # References
/// Golub & Van Loan, *Matrix Computations*, 4th ed., §8.3.1 (Householder tridiagonalisation) and
/// §8.3.3–8.3.5 (implicit symmetric QR/QL with Wilkinson-type shift); Bowdler, Martin, Reinsch &
/// Wilkinson, "The QR and QL algorithms for symmetric matrices", Numer. Math. 11:293 (1968).
#[allow(clippy::needless_range_loop)] // the reductions read best with explicit indices
pub fn symmetric_eigenvalues(mut a: Vec<Vec<f64>>) -> Vec<f64> {
    let n = a.len();
    if n == 0 {
        return Vec::new();
    }
    // 1. A = Hₖ … H₁ T H₁ … Hₖ: each reflection I − 2vvᵀ zeroes column k below the subdiagonal.
    let mut off_diagonal = vec![0.0; n]; // off_diagonal[i] couples rows i and i + 1
    for k in 0..n.saturating_sub(2) {
        let norm = (k + 1..n).map(|i| a[i][k] * a[i][k]).sum::<f64>().sqrt();
        if norm == 0.0 {
            continue;
        }
        let alpha = if a[k + 1][k] > 0.0 { -norm } else { norm };
        let mut v: Vec<f64> = (k + 1..n).map(|i| a[i][k]).collect();
        v[0] -= alpha;
        let v_norm = v.iter().map(|x| x * x).sum::<f64>().sqrt();
        if v_norm == 0.0 {
            continue;
        }
        v.iter_mut().for_each(|x| *x /= v_norm);
        // With p = A v (trailing block) and w = p − (vᵀp) v: H A H = A − 2 v wᵀ − 2 w vᵀ.
        let m = n - k - 1;
        let p: Vec<f64> = (0..m)
            .map(|r| (0..m).map(|c| a[k + 1 + r][k + 1 + c] * v[c]).sum())
            .collect();
        let vp: f64 = v.iter().zip(&p).map(|(x, y)| x * y).sum();
        let w: Vec<f64> = p.iter().zip(&v).map(|(p, v)| p - vp * v).collect();
        for r in 0..m {
            for c in 0..m {
                a[k + 1 + r][k + 1 + c] -= 2.0 * (v[r] * w[c] + w[r] * v[c]);
            }
        }
        a[k + 1][k] = alpha;
        a[k][k + 1] = alpha;
        for i in k + 2..n {
            a[i][k] = 0.0;
            a[k][i] = 0.0;
        }
    }
    let mut d: Vec<f64> = (0..n).map(|i| a[i][i]).collect();
    for i in 0..n - 1 {
        off_diagonal[i] = a[i + 1][i];
    }
    let e = &mut off_diagonal;
    let norm = (0..n)
        .map(|i| d[i].abs() + e[i].abs() + if i > 0 { e[i - 1].abs() } else { 0.0 })
        .fold(0.0, f64::max);
    // 2. Implicit QL: chase a shifted rotation up each unreduced block until it splits.
    for l in 0..n {
        for _iteration in 0..60 {
            let mut m = l;
            while m + 1 < n {
                // Negligible next to the neighbouring diagonal or to the matrix as a whole
                // (absolute accuracy ε‖T‖, as LAPACK's tridiagonal solvers allow), so blocks of
                // near-zero eigenvalues split at once instead of iterating to the limit.
                let scale = (d[m].abs() + d[m + 1].abs()).max(norm);
                if e[m].abs() <= f64::EPSILON * scale {
                    break;
                }
                m += 1;
            }
            if m == l {
                break;
            }
            let mut g = (d[l + 1] - d[l]) / (2.0 * e[l]);
            let mut r = (g * g + 1.0).sqrt();
            g = d[m] - d[l] + e[l] / (g + r.copysign(g));
            let (mut s, mut c, mut p) = (1.0, 1.0, 0.0);
            let mut deflated = false;
            for i in (l..m).rev() {
                let f = s * e[i];
                let b = c * e[i];
                r = (f * f + g * g).sqrt();
                e[i + 1] = r;
                if r == 0.0 {
                    d[i + 1] -= p;
                    e[m] = 0.0;
                    deflated = true;
                    break;
                }
                s = f / r;
                c = g / r;
                g = d[i + 1] - p;
                r = (d[i] - g) * s + 2.0 * c * b;
                p = s * r;
                d[i + 1] = g + p;
                g = c * r - b;
            }
            if deflated {
                continue;
            }
            d[l] -= p;
            e[l] = g;
            e[m] = 0.0;
        }
    }
    d.sort_by(f64::total_cmp);
    d
}

#[cfg(test)]
mod eigen_tests {
    #[test]
    fn eigenvalues_of_a_known_symmetric_matrix() {
        // [[2, 1], [1, 2]] has eigenvalues 1 and 3; [[4,1,0],[1,3,1],[0,1,2]]: 3 − √3, 3, 3 + √3.
        let two = super::symmetric_eigenvalues(vec![vec![2.0, 1.0], vec![1.0, 2.0]]);
        assert!((two[0] - 1.0).abs() < 1e-14 && (two[1] - 3.0).abs() < 1e-14);
        let three = super::symmetric_eigenvalues(vec![
            vec![4.0, 1.0, 0.0],
            vec![1.0, 3.0, 1.0],
            vec![0.0, 1.0, 2.0],
        ]);
        let r3 = 3f64.sqrt();
        for (got, want) in three.iter().zip([3.0 - r3, 3.0, 3.0 + r3]) {
            assert!((got - want).abs() < 1e-13, "{three:?}");
        }
    }

    /// A 40 × 40 matrix Q diag(λ) Qᵀ with Q a product of pseudo-random plane rotations: the
    /// eigenvalues come back, repeated ones and zeros included.
    #[test]
    fn eigenvalues_of_a_rotated_diagonal_come_back() {
        let n = 40;
        let wanted: Vec<f64> = (0..n).map(|i| ((i * 7) % 13) as f64 * 0.5 - 2.0).collect();
        let mut a: Vec<Vec<f64>> = (0..n)
            .map(|i| {
                (0..n)
                    .map(|j| if i == j { wanted[i] } else { 0.0 })
                    .collect()
            })
            .collect();
        let mut state = 12345u64;
        for _ in 0..400 {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let (p, q) = ((state >> 33) as usize % n, (state >> 13) as usize % n);
            if p == q {
                continue;
            }
            let angle = (state >> 40) as f64 / (1u64 << 24) as f64 * std::f64::consts::TAU;
            let (c, s) = (angle.cos(), angle.sin());
            for row in a.iter_mut() {
                let (x, y) = (row[p], row[q]);
                row[p] = c * x - s * y;
                row[q] = s * x + c * y;
            }
            let (row_p, row_q) = (a[p].clone(), a[q].clone());
            for (k, (x, y)) in row_p.iter().zip(&row_q).enumerate() {
                a[p][k] = c * x - s * y;
                a[q][k] = s * x + c * y;
            }
        }
        let mut sorted = wanted.clone();
        sorted.sort_by(f64::total_cmp);
        let got = super::symmetric_eigenvalues(a);
        for (g, w) in got.iter().zip(&sorted) {
            assert!((g - w).abs() < 1e-12, "{g} vs {w}");
        }
    }
}
