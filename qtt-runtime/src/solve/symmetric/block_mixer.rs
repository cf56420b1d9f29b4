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

use super::block_env::BlockEnv;
use super::block_mps::{middle_charges, sector_cols, sector_rows, BlockCore};
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
