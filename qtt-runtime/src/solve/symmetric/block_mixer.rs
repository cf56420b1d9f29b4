//! White's density-matrix mixer for the charge-conserving two-site split
//! (the block-sparse form of the dense `solve::mixer`).
//!
//! Moving right, the perturbation `P_m = (L W_k theta)_m` of MPO channel
//! `m` (bond `k | k+1`, charge `qw[m]`) has rows `(l, s1)` of charge
//! `q_l + q1[s1] = q_theta + qw[m]`: a block of `theta` in middle sector
//! `qm` feeds the density matrix of sector `qm + qw[m]`. The perturbation of
//! a sector thus collects the channels that shift other sectors into it,
//! and a sector where `theta` has no weight yet (or a charge the bond does
//! not carry) gets directions of its own: this is how the mixer opens
//! charge sectors that the two-site update alone never creates. Moving
//! left mirrors it with `P_m = (theta W_{k+1} R)_m`, whose columns
//! `(s2, r)` have charge `q_r - q2[s2] = q_theta + qw[m]`.
//!
//! Each sector's perturbation is laid out as the split lays out that
//! sector (rows `(l, s1)` moving right, columns `(s2, r)` moving left),
//! its other index runs over `(channel, theta's index)`; all are scaled
//! together so that the correction has trace `a ||theta||^2`.

use super::block_core::BlockCore;
use super::block_decomp::{middle_charges, sector_cols, sector_rows};
use super::block_env::BlockEnv;
use super::charges::SparseOp;
use crate::solve::mixer::mixing_scale;
use nalgebra::DMatrix;
use std::collections::{BTreeMap, HashMap};

/// One middle sector's perturbation under construction.
struct Target {
    /// The sector's own index layout: `(a, b) -> offset` for the pairs
    /// `(l, s1)` moving right or `(s2, r)` moving left.
    own: HashMap<(usize, usize), usize>,
    /// Offsets of the other index, `(channel, p, q) -> offset`, where
    /// `(p, q)` is `(s2, r)` moving right and `(l, s1)` moving left.
    other: HashMap<(usize, usize, usize), usize>,
    m: DMatrix<f64>,
}

/// White's perturbation of every middle sector of the split of `theta`
/// (charges `q1`, `q2` of the two sites), scaled for weight `a`: moving
/// right `env` is the left environment and `w` the site-`k` operator;
/// moving left the right environment and the site-`k+1` operator.
/// Sectors it does not reach are absent.
pub(crate) fn perturbation(
    theta: &BlockCore,
    env: &BlockEnv,
    w: &SparseOp,
    q1: &[i32],
    q2: &[i32],
    to_right: bool,
    a: f64,
) -> BTreeMap<i32, DMatrix<f64>> {
    let (n1, n2) = (q1.len(), q2.len());
    let (left, right) = (&theta.left, &theta.right);
    // Channel charges of the bond k | k+1.
    let qw = if to_right { &w.qr } else { &w.ql };
    let middle = middle_charges(theta, q1);
    let mut targets: BTreeMap<i32, Target> = BTreeMap::new();
    for &qp in &middle {
        // Own layout: the split's; the other index: theta's other index in
        // the sector `qp - qw[m]`, for every channel m.
        let (own, n_own) = if to_right {
            let (rows, nr) = sector_rows(left, q1, qp);
            (rows.iter().map(|&(l, s1, o)| ((l, s1), o)).collect(), nr)
        } else {
            let (cols, nc) = sector_cols(q2, right, qp);
            (cols.iter().map(|&(s2, r, o)| ((s2, r), o)).collect(), nc)
        };
        let mut other = HashMap::new();
        let mut n_other = 0;
        for (m, &c) in qw.iter().enumerate() {
            let qt = qp - c;
            if !middle.contains(&qt) {
                continue;
            }
            if to_right {
                let (cols, _) = sector_cols(q2, right, qt);
                for (s2, r, _) in cols {
                    other.insert((m, s2, r), n_other);
                    n_other += right.dim[r];
                }
            } else {
                let (rows, _) = sector_rows(left, q1, qt);
                for (l, s1, _) in rows {
                    other.insert((m, l, s1), n_other);
                    n_other += left.dim[l];
                }
            }
        }
        if n_other == 0 || n_own == 0 {
            continue;
        }
        let m = if to_right {
            DMatrix::zeros(n_own, n_other)
        } else {
            DMatrix::zeros(n_other, n_own)
        };
        targets.insert(qp, Target { own, other, m });
    }
    let sectors = &env.sectors;
    for x in &theta.blocks {
        let (t1, t2) = (x.s % n1, x.s / n1);
        if to_right {
            // P[(i, s1), (m, t2, r)] += v L[b](i, l) x, for W_k[b, s1, t1, m].
            let st = &env.stacks[x.l];
            let t = &st.m * &x.m;
            for &(b, i, off) in &st.groups {
                let rows = sectors.dim[i];
                for &(m, s1, v) in &w.by_left[b * n1 + t1] {
                    let Some(tg) = targets.get_mut(&(sectors.q[i] + q1[s1])) else {
                        continue;
                    };
                    let (Some(&ro), Some(&co)) =
                        (tg.own.get(&(i, s1)), tg.other.get(&(m, t2, x.r)))
                    else {
                        continue;
                    };
                    let mut dst = tg.m.view_mut((ro, co), (rows, x.m.ncols()));
                    dst += t.rows(off, rows) * v;
                }
            }
        } else {
            // P[(m, l, t1), (s2, j)] += v x R[e](j, r)^T, for W_{k+1}[m, s2, t2, e].
            let st = &env.stacks[x.r];
            let t = &x.m * st.m.transpose();
            for &(e, j, off) in &st.groups {
                let cols = sectors.dim[j];
                for &(m, s2, v) in &w.by_right[e * n2 + t2] {
                    let Some(tg) = targets.get_mut(&(sectors.q[j] - q2[s2])) else {
                        continue;
                    };
                    let (Some(&co), Some(&ro)) =
                        (tg.own.get(&(s2, j)), tg.other.get(&(m, x.l, t1)))
                    else {
                        continue;
                    };
                    let mut dst = tg.m.view_mut((ro, co), (x.m.nrows(), cols));
                    dst += t.columns(off, cols) * v;
                }
            }
        }
    }
    let p_sq: f64 = targets.values().map(|t| t.m.norm_squared()).sum();
    let s = mixing_scale(a, theta.norm().powi(2), p_sq);
    targets.into_iter().map(|(q, t)| (q, t.m * s)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::linalg::Truncation;
    use crate::solve::dmrg::tests::heisenberg;
    use crate::solve::symmetric::block_core::two_site;
    use crate::solve::symmetric::block_decomp::{from_dense, split};
    use crate::solve::symmetric::block_env::{extend_left, extend_right};
    use crate::solve::symmetric::charges::{charged_mpo, spin_charges};
    use crate::tt::TensorTrain;

    #[test]
    fn the_mixer_opens_the_sectors_the_hamiltonian_reaches() {
        // Neel state |+1, -1, +1, -1>: the bond (1, 2) carries one sector
        // (charge 0, the charge 2 Sz of site 0 plus site 1). Without mixing
        // the split of this rank-1 theta keeps it; with mixing, S+ on site 1
        // (moving right) or S- on site 2 (moving left) reaches charge 2, a
        // sector the two-site update alone never opens.
        let d = 4;
        let h = heisenberg(d, false);
        let q = vec![spin_charges(3); d];
        let ops = charged_mpo(&h, &q).unwrap();
        let f: Vec<Vec<f64>> = (0..d)
            .map(|i| {
                let mut v = vec![0.0; 3];
                v[if i % 2 == 0 { 0 } else { 2 }] = 1.0;
                v
            })
            .collect();
        let x = TensorTrain::product(&f).unwrap();
        let (cores, charge, _) = from_dense(&x, &q, None, 0.0).unwrap().unwrap();
        assert_eq!(charge, 0);
        let l = extend_left(&BlockEnv::boundary(0), &ops[0], &cores[0]);
        let r = extend_right(&BlockEnv::boundary(charge), &ops[3], &cores[3]);
        let theta = two_site(&cores[1], &cores[2]);
        let (q1, q2) = (&cores[1].q, &cores[2].q);
        let exact = Truncation::exact();
        for to_right in [true, false] {
            let plain = split(&theta, q1, q2, &exact, to_right, None).unwrap();
            assert_eq!(plain.left.right.q, vec![0]);
            let (env, w) = if to_right {
                (&l, &ops[1])
            } else {
                (&r, &ops[2])
            };
            let p = perturbation(&theta, env, w, q1, q2, to_right, 1e-3);
            // The correction has trace a ||theta||^2.
            let tr: f64 = p.values().map(|m| m.norm_squared()).sum();
            assert!((tr - 1e-3).abs() < 1e-15, "{tr}");
            let sp = split(&theta, q1, q2, &exact, to_right, Some(&p)).unwrap();
            assert_eq!(sp.left.right.q, vec![0, 2], "to_right {to_right}");
            assert_eq!(sp.left.right.dim, vec![1, 1]);
            // theta is kept exactly, and the orthonormal side is orthonormal.
            let back = two_site(&sp.left, &sp.right)
                .to_dense()
                .unwrap()
                .into_data();
            let want = theta.to_dense().unwrap().into_data();
            let err = back
                .iter()
                .zip(&want)
                .map(|(a, b)| (a - b).abs())
                .fold(0.0, f64::max);
            assert!(err < 1e-14 && sp.discarded < 1e-14, "{err}");
            let core = if to_right { &sp.left } else { &sp.right };
            for m in 0..2 {
                let g: f64 = core
                    .blocks
                    .iter()
                    .filter(|b| if to_right { b.r == m } else { b.l == m })
                    .map(|b| b.m.norm_squared())
                    .sum();
                assert!((g - 1.0).abs() < 1e-14);
            }
        }
    }
}
