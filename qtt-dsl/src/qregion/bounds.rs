//! Cumulative bounds: the box of all partial sums `A[:, ..i] x` over binary
//! `x`, one per link. Every charge a link can carry lies in its box.

use super::intbox::checked_sum;
use super::{ConstraintError, IntBox};
use crate::ir::constraints::LinearSystem;

/// The cumulative bound boxes `B_0 = {0}, B_i = B_{i-1} + [min(A_i, 0), max(A_i, 0)]`
/// for links `0..=n` of `system` read in site order; an error if a row has
/// the wrong number of coefficients or a partial sum leaves `i64`.
pub fn cumulative_bounds(system: &LinearSystem) -> Result<Vec<IntBox>, ConstraintError> {
    let m = system.num_rows();
    let n = system.num_vars();
    if let Some(k) = system.rows.iter().position(|r| r.coeffs.len() != n) {
        return Err(ConstraintError::Invalid(format!(
            "constraint {} has {} coefficients, expected {n}",
            k + 1,
            system.rows[k].coeffs.len()
        )));
    }
    let mut lo = vec![0i64; m];
    let mut hi = vec![0i64; m];
    let mut out = Vec::with_capacity(n + 1);
    out.push(IntBox::point(&lo));
    for i in 0..n {
        let a = column(system, i);
        let neg: Vec<i64> = a.iter().map(|&v| v.min(0)).collect();
        let pos: Vec<i64> = a.iter().map(|&v| v.max(0)).collect();
        lo = checked_sum(&lo, &neg)?;
        hi = checked_sum(&hi, &pos)?;
        out.push(IntBox::new(lo.clone(), hi.clone()).expect("lo <= hi by construction"));
    }
    Ok(out)
}

/// The column `A[:, i]` (the charge that `x_i = 1` adds); the rows must
/// have more than `i` coefficients (as [`cumulative_bounds`] checks).
pub(crate) fn column(system: &LinearSystem, i: usize) -> Vec<i64> {
    system.rows.iter().map(|r| r.coeffs[i]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_follow_signs() {
        let mut s = LinearSystem::new(3);
        s.le(vec![2, -1, 3], 4).unwrap();
        let b = cumulative_bounds(&s).unwrap();
        assert_eq!(b.len(), 4);
        assert_eq!((b[3].lo()[0], b[3].hi()[0]), (-1, 5));
        assert_eq!((b[1].lo()[0], b[1].hi()[0]), (0, 2));
    }

    #[test]
    fn partial_sums_that_leave_i64_are_errors() {
        let mut s = LinearSystem::new(3);
        s.le(vec![i64::MAX, 1, -1], 0).unwrap();
        assert!(cumulative_bounds(&s).is_err());
        s.rows[0].coeffs = vec![i64::MIN, 0, -1];
        assert!(cumulative_bounds(&s).is_err());
        s.rows[0].coeffs = vec![1, 2];
        assert!(cumulative_bounds(&s).is_err());
    }
}
