//! White's density-matrix mixer for the two-site split (White 2005), the
//! default of TeNPy's and ITensor's two-site DMRG.
//!
//! Moving right over the bond `(k, k+1)` with the optimised `theta`
//! (`(r_l n_1) x (n_2 r_r)`), the kept basis of the left part is not taken
//! from `theta theta^T` alone but from the perturbed density matrix
//!
//! ```text
//! rho = theta theta^T + c sum_m P_m P_m^T,   P_m = (L W_k theta)_m,
//! c = a ||theta||^2 / ||P||^2,
//! ```
//!
//! where `L` is the left environment, `W_k` the MPO core of site `k` and `m`
//! the open MPO bond between sites `k` and `k+1` (the left halves of the
//! Hamiltonian terms crossing the bond, as White, TeNPy and ITensor do; the
//! site `k+1` core is not applied). `P_m` are the states the Hamiltonian
//! reaches from `theta` across the bond: keeping a little of them lets the
//! basis move towards correlations (and, with charges, sectors) that the
//! two-site update alone cannot create, which is how two-site DMRG escapes
//! metastable states such as the ring trap of seed 003. The correction has
//! trace `a ||theta||^2` (the normalisation of the one-site correction in
//! [`dmrg`](super::dmrg())), so `a` is the weight given to it whatever the MPO's
//! scale. The right factor is the exact projection `U^T theta`, so the state
//! changes only by the discarded weight. Moving left mirrors it with
//! `P_m = (theta W_{k+1} R)_m`.
//!
//! `rho` is never formed: the kept directions are the dominant left
//! (right) singular vectors of `[theta, sqrt(c) P]` (`[theta; sqrt(c) P]`),
//! factored by [`factor`](super::symmetric::factor) (Gram route for large
//! blocks, with exact weights).

use super::environment::{left_partial, right_partial, Env, OpCore};
use super::symmetric::factor;
use crate::error::Result;
use crate::linalg::{permute, view, Truncation};
use nalgebra::DMatrix;

/// The two factors of a mixed split and the discarded weight of `theta`.
pub(crate) struct MixedSplit {
    /// `(r_l n_1) x k`: left-orthonormal if moving right, `theta V` otherwise.
    pub left: DMatrix<f64>,
    /// `k x (n_2 r_r)`: `U^T theta` if moving right, right-orthonormal otherwise.
    pub right: DMatrix<f64>,
    /// Weight of `theta` outside the kept space, relative to `||theta||^2`.
    pub discarded: f64,
}

/// The mixing coefficient `sqrt(c) = sqrt(a ||theta||^2 / ||P||^2)` that
/// scales the perturbation (0 for a zero perturbation).
pub(crate) fn mixing_scale(a: f64, theta_sq: f64, p_sq: f64) -> f64 {
    if p_sq > 0.0 {
        (a * theta_sq / p_sq).sqrt()
    } else {
        0.0
    }
}

/// Splits the two-site `theta` (`(rl n1) x (n2 rr)`, column-major) with
/// White's mixing of weight `a`: `env` and `w` are the left environment and
/// site-`k` core when moving right, the right environment and site-`k+1`
/// core when moving left. Truncation by `max_rank` and relative `tol` on the
/// weights of the mixed density matrix.
#[allow(clippy::too_many_arguments)]
pub(crate) fn mixed_split(
    theta: &DMatrix<f64>,
    env: &Env,
    w: &OpCore,
    dims: (usize, usize, usize, usize),
    to_right: bool,
    a: f64,
    max_rank: usize,
    tol: f64,
) -> Result<MixedSplit> {
    let (rl, n1, n2, rr) = dims;
    let (nr, nc) = (rl * n1, n2 * rr);
    let wb = if to_right { w.wr } else { w.wl };
    let theta_sq = theta.norm_squared();
    let aug = if to_right {
        // T[a, (i2 c'), i1, m] -> P rows (a i1), columns ((i2 c') m).
        let t = left_partial(env, w, theta.as_slice(), nc);
        let p = permute(&t, &[rl, nc, n1, wb], &[0, 2, 1, 3]);
        let s = mixing_scale(a, theta_sq, p.iter().map(|v| v * v).sum());
        let mut m = DMatrix::zeros(nr, nc * (1 + wb));
        m.columns_mut(0, nc).copy_from(theta);
        m.columns_mut(nc, nc * wb)
            .copy_from(&(view(&p, nr, nc * wb) * s));
        m
    } else {
        // T[(a s1), c, m, s2] -> P rows ((a s1) m), columns (s2 c).
        let t = right_partial(env, w, theta.as_slice(), nr);
        let p = permute(&t, &[nr, rr, wb, n2], &[0, 2, 3, 1]);
        let s = mixing_scale(a, theta_sq, p.iter().map(|v| v * v).sum());
        let mut m = DMatrix::zeros(nr * (1 + wb), nc);
        m.rows_mut(0, nr).copy_from(theta);
        m.rows_mut(nr, nr * wb)
            .copy_from(&(view(&p, nr * wb, nc) * s));
        m
    };
    let f = factor(&aug, to_right)?;
    let total: f64 = f.s.iter().map(|s| s * s).sum();
    let trunc = Truncation {
        rel_tol: Some(tol),
        max_rank: Some(max_rank),
    };
    let (keep, _) = trunc.cut(&f.s, tol * tol * total);
    let keep = keep.max(1);
    let (left, right) = if to_right {
        (
            f.orth.columns(0, keep).into_owned(),
            f.proj.view((0, 0), (keep, nc)).into_owned(),
        )
    } else {
        (
            f.proj.view((0, 0), (nr, keep)).into_owned(),
            f.orth.columns(0, keep).transpose(),
        )
    };
    let kept_sq = if to_right {
        right.norm_squared()
    } else {
        left.norm_squared()
    };
    Ok(MixedSplit {
        left,
        right,
        discarded: ((theta_sq - kept_sq) / theta_sq.max(f64::MIN_POSITIVE)).max(0.0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::solve::dmrg::tests::heisenberg;
    use crate::solve::environment::{extend_left, extend_right, Env};
    use crate::tt::TensorTrain;

    /// The Neel product state of a spin-1 chain.
    fn neel(d: usize) -> TensorTrain {
        crate::solve::neel_state(d, 3).unwrap()
    }

    #[test]
    fn mixed_split_keeps_theta_and_opens_new_directions() {
        // Bond (1, 2) of a 4-site chain in the Neel state: theta has rank 1;
        // the Hamiltonian terms crossing the bond (S+ S-, S- S+, Sz Sz)
        // reach other states of site 1 (site 2 moving left), which the
        // mixed basis must contain while theta stays exactly representable.
        let d = 4;
        let h = heisenberg(d, false);
        let x = neel(d);
        let ops: Vec<OpCore> = (0..d).map(|k| OpCore::new(h.core(k), 3)).collect();
        let c = x.cores();
        let l = extend_left(&Env::boundary(), &ops[0], &c[0], &c[0]);
        let r = extend_right(&Env::boundary(), &ops[3], &c[3], &c[3]);
        let theta = DMatrix::from_fn(3, 3, |i, j| c[1].get(0, i, 0) * c[2].get(0, j, 0));
        for to_right in [true, false] {
            let (env, w) = if to_right {
                (&l, &ops[1])
            } else {
                (&r, &ops[2])
            };
            let plain = mixed_split(&theta, env, w, (1, 3, 3, 1), to_right, 0.0, 9, 0.0).unwrap();
            assert_eq!(plain.left.ncols(), 1, "a = 0 keeps theta's rank");
            let s = mixed_split(&theta, env, w, (1, 3, 3, 1), to_right, 1e-3, 9, 0.0).unwrap();
            let k = s.left.ncols();
            // S+- flip the site's m = -1 (+1) to m = 0: one new direction.
            assert_eq!(k, 2, "to_right {to_right}");
            let back = &s.left * &s.right;
            assert!((back - &theta).norm() < 1e-14);
            assert!(s.discarded < 1e-14);
            let orth = if to_right {
                s.left.transpose() * &s.left
            } else {
                &s.right * s.right.transpose()
            };
            assert!((orth - DMatrix::identity(k, k)).norm() < 1e-13);
            // The added directions carry weight of order sqrt(a): a rank
            // cap of 1 keeps theta's direction only.
            let one = mixed_split(&theta, env, w, (1, 3, 3, 1), to_right, 1e-3, 1, 0.0).unwrap();
            assert!((&one.left * &one.right - &theta).norm() < 1e-14);
        }
    }

    #[test]
    fn mixing_a_random_state_enlarges_the_basis_and_keeps_the_state() {
        let d = 6;
        let h = heisenberg(d, true);
        let mut x = TensorTrain::random(&[3; 6], 3, 5).unwrap();
        x.orthogonalize(2).unwrap();
        let ops: Vec<OpCore> = (0..d).map(|k| OpCore::new(h.core(k), 3)).collect();
        let c = x.cores();
        let mut l = Env::boundary();
        for k in 0..2 {
            l = extend_left(&l, &ops[k], &c[k], &c[k]);
        }
        let (rl, _, rm) = c[2].shape();
        let rr = c[3].r_right();
        let theta = crate::linalg::matmul(
            c[2].left(),
            crate::linalg::Transpose::No,
            c[3].right(),
            crate::linalg::Transpose::No,
        );
        assert!(rm > 1);
        let a = 0.25;
        let s = mixed_split(&theta, &l, &ops[2], (rl, 3, 3, rr), true, a, 100, 0.0).unwrap();
        // U^T theta keeps all of theta (no truncation), and the kept
        // basis is larger than theta's rank.
        assert!((&s.left * &s.right - &theta).norm() < 1e-12 * theta.norm());
        assert!(s.left.ncols() > rm.min(rl * 3));
    }
}
