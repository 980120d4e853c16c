//! Named tolerances: how closely radnomo's numbers must equal the references, and why.
//! All are relative unless the name says absolute: |ours − reference| ≤ tol × max(|reference|, tiny).

/// p-values and statistics of the classical tests against R's `t.test`, `wilcox.test` and
/// `chisq.test`: both sides compute the same closed forms in double precision, so they agree to
/// near machine precision; 1e-9 leaves room for a different summation order and for the
/// incomplete beta/gamma functions' own accuracy (about 1e-13 relative).
pub const CLASSICAL_TESTS: f64 = 1e-9;

/// True when `ours` equals `reference` within `tolerance` relative (absolute near zero: the
/// scale is never taken below 1e-300, so two underflowed p-values compare equal).
pub fn relative_eq(ours: f64, reference: f64, tolerance: f64) -> bool {
    if ours == reference {
        return true;
    }
    let scale = reference.abs().max(1e-300);
    (ours - reference).abs() <= tolerance * scale
}
