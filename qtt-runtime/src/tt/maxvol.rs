//! The maxvol row selection (Goreinov, Oseledets, Savostyanov et al. 2010).

use nalgebra::DMatrix;

/// Rows of a tall `m x r` matrix of full column rank whose `r x r`
/// submatrix has (locally) maximal volume: every entry of
/// `a a[rows]^-1` is at most `1 + tol` in modulus.
///
/// Start: LU with partial pivoting (`O(m r^2)`); then greedy swaps, each a
/// rank-1 update of `a a[rows]^-1` (`O(m r)`).
pub fn maxvol(a: &DMatrix<f64>, tol: f64, max_swaps: usize) -> Vec<usize> {
    let (m, r) = a.shape();
    debug_assert!(r <= m);
    let mut lu = a.clone();
    let mut order: Vec<usize> = (0..m).collect();
    for j in 0..r {
        let (mut best, mut bv) = (j, -1.0);
        for i in j..m {
            let v = lu[(i, j)].abs();
            if v > bv {
                (best, bv) = (i, v);
            }
        }
        lu.swap_rows(j, best);
        order.swap(j, best);
        let pivot = lu[(j, j)];
        if pivot == 0.0 {
            continue;
        }
        for i in j + 1..m {
            let f = lu[(i, j)] / pivot;
            if f != 0.0 {
                for c in j..r {
                    let v = lu[(j, c)];
                    lu[(i, c)] -= f * v;
                }
            }
        }
    }
    let mut rows: Vec<usize> = order[..r].to_vec();
    let sub = DMatrix::from_fn(r, r, |i, j| a[(rows[i], j)]);
    let Some(inv) = sub.try_inverse() else {
        return rows;
    };
    let mut b = a * inv;
    for _ in 0..max_swaps {
        let (mut bi, mut bj, mut bv) = (0, 0, 0.0);
        for j in 0..r {
            for i in 0..m {
                let v = b[(i, j)].abs();
                if v > bv {
                    (bi, bj, bv) = (i, j, v);
                }
            }
        }
        if bv <= 1.0 + tol {
            break;
        }
        // b <- b - b[:, j] (b[i, :] - e_j) / b[i, j]
        let col = b.column(bj).into_owned();
        let mut row = b.row(bi).into_owned();
        row[bj] -= 1.0;
        let piv = b[(bi, bj)];
        for c in 0..r {
            let f = row[c] / piv;
            if f != 0.0 {
                for i in 0..m {
                    b[(i, c)] -= col[i] * f;
                }
            }
        }
        rows[bj] = bi;
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    #[test]
    fn maxvol_bounds_the_interpolation_matrix() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        let a = DMatrix::from_fn(60, 7, |_, _| rng.random_range(-1.0..1.0));
        let rows = maxvol(&a, 1e-2, 200);
        let mut sorted = rows.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), 7);
        let sub = DMatrix::from_fn(7, 7, |i, j| a[(rows[i], j)]);
        let b = &a * sub.try_inverse().unwrap();
        assert!(b.amax() <= 1.0 + 1e-2 + 1e-12, "{}", b.amax());
        for (k, &r) in rows.iter().enumerate() {
            assert!((b[(r, k)] - 1.0).abs() < 1e-10);
        }
    }
}
