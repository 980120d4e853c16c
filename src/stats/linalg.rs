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

/// The eigenvalues of a symmetric matrix (rows of `a`), ascending, by cyclic Jacobi rotations.
///
/// # References
/// Golub & Van Loan, *Matrix Computations*, 4th ed., §8.5 (the cyclic Jacobi method).
#[allow(clippy::needless_range_loop)] // rotations read best with explicit row/column indices
pub fn symmetric_eigenvalues(mut a: Vec<Vec<f64>>) -> Vec<f64> {
    let n = a.len();
    for _sweep in 0..100 {
        let off: f64 = (0..n)
            .flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| a[i][j] * a[i][j])
            .sum();
        let scale: f64 = (0..n).map(|i| a[i][i] * a[i][i]).sum::<f64>() + off;
        if off <= 1e-30 * scale.max(f64::MIN_POSITIVE) {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                if a[p][q] == 0.0 {
                    continue;
                }
                let theta = (a[q][q] - a[p][p]) / (2.0 * a[p][q]);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..n {
                    let (akp, akq) = (a[k][p], a[k][q]);
                    a[k][p] = c * akp - s * akq;
                    a[k][q] = s * akp + c * akq;
                }
                for k in 0..n {
                    let (apk, aqk) = (a[p][k], a[q][k]);
                    a[p][k] = c * apk - s * aqk;
                    a[q][k] = s * apk + c * aqk;
                }
            }
        }
    }
    let mut values: Vec<f64> = (0..n).map(|i| a[i][i]).collect();
    values.sort_by(f64::total_cmp);
    values
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
}
