//! Cumulative bounds: the box of all partial sums `A[:, ..i] x` over binary
//! `x`, one per link. Every charge a link can carry lies in its box.

use super::IntBox;
use crate::ir::constraints::LinearSystem;

/// The cumulative bound boxes `B_0 = {0}, B_i = B_{i-1} + [min(A_i, 0), max(A_i, 0)]`
/// for links `0..=n` of `system` read in site order.
pub fn cumulative_bounds(system: &LinearSystem) -> Vec<IntBox> {
    let m = system.num_rows();
    let n = system.num_vars();
    let mut lo = vec![0i64; m];
    let mut hi = vec![0i64; m];
    let mut out = Vec::with_capacity(n + 1);
    out.push(IntBox::point(&lo));
    for i in 0..n {
        for (k, row) in system.rows.iter().enumerate() {
            let a = row.coeffs[i];
            lo[k] += a.min(0);
            hi[k] += a.max(0);
        }
        out.push(IntBox::new(lo.clone(), hi.clone()).expect("lo <= hi by construction"));
    }
    out
}

/// The column `A[:, i]` (the charge that `x_i = 1` adds).
pub fn column(system: &LinearSystem, i: usize) -> Vec<i64> {
    system.rows.iter().map(|r| r.coeffs[i]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_follow_signs() {
        let mut s = LinearSystem::new(3);
        s.le(vec![2, -1, 3], 4).unwrap();
        let b = cumulative_bounds(&s);
        assert_eq!(b.len(), 4);
        assert_eq!((b[3].lo()[0], b[3].hi()[0]), (-1, 5));
        assert_eq!((b[1].lo()[0], b[1].hi()[0]), (0, 2));
    }
}
