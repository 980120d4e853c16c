//! Fisher's exact test of independence on a table of counts with two columns (a variable's
//! levels by two groups), as R's `fisher.test` computes its two-sided p-value.

/// Fisher's exact test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FisherTest {
    pub p_value: f64,
    /// How many tables with the observed margins were summed over.
    pub tables: u64,
}

/// How many first columns a table may have (Πᵢ (min(rᵢ, c) + 1) over all rows but the largest,
/// whose count the others fix) beyond which the test is not attempted: about a second of
/// enumeration, and no quadratic counting first; R's network algorithm runs out of workspace on
/// tables of that size too.
pub const MAX_TABLES: u64 = 20_000_000;

/// Probabilities within this relative distance of the observed table's count as equal to it,
/// R's `relErr` in `fisher.test` (1 + 10⁻⁷), so that tables as likely as the observed one are
/// not left out by rounding.
const RELATIVE_TIE: f64 = 1e-7;

/// Fisher's exact test on `rows` of two counts each (`[in group 1, in group 2]` per level). Rows
/// that are all zero are dropped, as R's `table()` has none. `None` when fewer than two levels
/// or one group is empty (nothing to test), or when the margins allow more than [`MAX_TABLES`]
/// first columns.
///
/// # Formula
/// With the row totals rᵢ, the first column's total c and N cases fixed, a table with first
/// column x = (x₁ … x_k) has the multivariate hypergeometric probability
/// P(x) = Πᵢ C(rᵢ, xᵢ) / C(N, c); the two-sided p-value is Σ P(x) over every table with
/// P(x) ≤ P(observed)·(1 + 10⁻⁷). All tables with the margins are enumerated.
///
/// # References
/// Fisher, *Statistical Methods for Research Workers* (1934), §21.02; Freeman & Halton,
/// Biometrika 38:141–149 (1951) for tables beyond 2 × 2; R `stats::fisher.test` (R 4.x), whose
/// two-sided p-value is the same sum.
pub fn fisher_exact_test(rows: &[[u64; 2]]) -> Option<FisherTest> {
    let rows: Vec<[u64; 2]> = rows.iter().copied().filter(|r| r[0] + r[1] > 0).collect();
    let totals: Vec<u64> = rows.iter().map(|r| r[0] + r[1]).collect();
    let first: u64 = rows.iter().map(|r| r[0]).sum();
    let n: u64 = totals.iter().sum();
    if rows.len() < 2 || first == 0 || first == n {
        return None;
    }
    let largest = (0..totals.len()).max_by_key(|&i| totals[i]).unwrap_or(0);
    let mut possible: u64 = 1;
    for (i, &total) in totals.iter().enumerate() {
        if i != largest {
            possible = possible.saturating_mul(total.min(first) + 1);
        }
    }
    if possible > MAX_TABLES {
        return None;
    }
    let ln_factorial = ln_factorials(n);
    let ln_choose = |n: u64, k: u64| {
        ln_factorial[n as usize] - ln_factorial[k as usize] - ln_factorial[(n - k) as usize]
    };
    let ln_denominator = ln_choose(n, first);
    let observed: f64 = rows
        .iter()
        .zip(&totals)
        .map(|(r, &t)| ln_choose(t, r[0]))
        .sum::<f64>()
        - ln_denominator;
    let threshold = observed + RELATIVE_TIE.ln_1p();
    // Largest first-column count the rows after row i can still hold.
    let mut room_after = vec![0u64; totals.len()];
    for i in (0..totals.len() - 1).rev() {
        room_after[i] = room_after[i + 1] + totals[i + 1];
    }
    let mut p = 0.0;
    let mut tables = 0u64;
    let mut stack: Vec<(usize, u64, f64)> = vec![(0, first, -ln_denominator)];
    while let Some((row, remaining, ln_partial)) = stack.pop() {
        let total = totals[row];
        if row + 1 == totals.len() {
            // The last row takes what remains.
            tables += 1;
            let ln_p = ln_partial + ln_choose(total, remaining);
            if ln_p <= threshold {
                p += ln_p.exp();
            }
            continue;
        }
        let low = remaining.saturating_sub(room_after[row]);
        let high = remaining.min(total);
        for x in low..=high {
            stack.push((row + 1, remaining - x, ln_partial + ln_choose(total, x)));
        }
    }
    Some(FisherTest {
        p_value: p.min(1.0),
        tables,
    })
}

/// ln k! for k = 0 … n, by summing logarithms (exact to rounding for the counts of a cohort).
fn ln_factorials(n: u64) -> Vec<f64> {
    let mut table = Vec::with_capacity(n as usize + 1);
    let mut sum = 0.0;
    table.push(0.0);
    for k in 1..=n {
        sum += (k as f64).ln();
        table.push(sum);
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::tolerance::relative_eq;

    #[test]
    fn the_tea_tasting_lady() {
        // Fisher's tea-tasting experiment: fisher.test(matrix(c(3, 1, 1, 3), 2)) gives
        // p-value = 0.4857 (= 34/70), alternative two-sided.
        let test = fisher_exact_test(&[[3, 1], [1, 3]]).unwrap();
        assert!(relative_eq(test.p_value, 34.0 / 70.0, 1e-12));
        assert_eq!(test.tables, 5);
    }

    #[test]
    fn tables_are_counted_with_their_margins() {
        // Row totals 2, 3 and 4 with 4 in the first column: x₁ ∈ 0..2, x₂ ∈ 0..3, x₃ = 4 − x₁ − x₂
        // within 0..4 gives every (x₁, x₂) with x₁ + x₂ ≤ 4: 3·4 − 1 = 11 tables.
        // The probabilities of all tables sum to one, so a p-value threshold above every table
        // gives 1.
        let test = fisher_exact_test(&[[2, 0], [0, 3], [2, 2]]).unwrap();
        assert_eq!(test.tables, 11);
        assert!(test.p_value > 0.0 && test.p_value <= 1.0);
    }

    #[test]
    fn tables_too_large_to_enumerate_are_refused_at_once() {
        // Three levels of 60,000: 30,001² possible first columns, well beyond the limit.
        let big = [[30_000, 30_000]; 3];
        assert_eq!(fisher_exact_test(&big), None);
        // A rare level beside two large ones: 6 × 85,001 first columns, enumerated.
        let test = fisher_exact_test(&[[50_000, 50_000], [3, 2], [40_000, 45_000]]).unwrap();
        assert!(test.p_value > 0.0 && test.p_value <= 1.0);
    }

    #[test]
    fn nothing_to_test_gives_none() {
        assert_eq!(fisher_exact_test(&[[3, 0], [4, 0]]), None);
        assert_eq!(fisher_exact_test(&[[3, 2], [0, 0]]), None);
    }
}
