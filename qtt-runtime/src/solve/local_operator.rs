//! The matrix-free local operator `A_k = X_{!=k}^T A X_{!=k}` of one (or two
//! fused) sites: `y[a, i, c] = sum L[a, b, a'] W[b, i, j, e] R[c, e, c'] x[a', j, c']`.
//!
//! One application costs `O(r^3 n w + r^2 n^2 w^2)` flops in three GEMMs on
//! permuted buffers (never the `(r^2 n)^2` dense matrix).

use super::environment::{left_partial, Env, OpCore};
use crate::linalg::{gemm, permute, view, view_mut, Transpose};
use nalgebra::DMatrix;

/// The local operator of a site given its environments.
pub(crate) struct LocalOperator<'a> {
    /// Left environment `(r_bra_l, w_l, r_ket_l)`.
    pub l: &'a Env,
    /// The (possibly fused) operator core.
    pub w: &'a OpCore,
    /// Right environment `(r_bra_r, w_r, r_ket_r)`.
    pub r: &'a Env,
}

impl LocalOperator<'_> {
    /// Size of the input vector `r_ket_l n r_ket_r`.
    pub fn in_len(&self) -> usize {
        self.l.rk * self.w.n * self.r.rk
    }

    /// Size of the output vector `r_bra_l n r_bra_r`.
    pub fn out_len(&self) -> usize {
        self.l.rb * self.w.n * self.r.rb
    }

    /// The partial product `P[a, i, c', e]` before the right environment is
    /// applied (White's correction and AMEn's enrichment use it).
    pub fn partial(&self, x: &[f64]) -> Vec<f64> {
        let t2 = left_partial(self.l, self.w, x, self.r.rk);
        permute(
            &t2,
            &[self.l.rb, self.r.rk, self.w.n, self.w.wr],
            &[0, 2, 1, 3],
        )
    }

    /// `y = A_k x`.
    pub fn apply(&self, x: &[f64], y: &mut [f64]) {
        let (n, rk) = (self.w.n, self.r.rk);
        let t2 = left_partial(self.l, self.w, x, rk);
        // (a, c', i, e) -> (a, i, e, c'), then (a i) x (e c') * R^T (e c') x c.
        let t2p = permute(&t2, &[self.l.rb, rk, n, self.w.wr], &[0, 2, 3, 1]);
        gemm(
            1.0,
            view(&t2p, self.l.rb * n, self.w.wr * rk),
            Transpose::No,
            view(&self.r.data, self.r.rb, self.r.w * rk),
            Transpose::Yes,
            false,
            view_mut(y, self.l.rb * n, self.r.rb),
        )
        .expect("local operator shapes agree");
    }

    /// The dense local matrix (for direct local solves of small systems).
    pub fn to_dense(&self) -> DMatrix<f64> {
        let (m, k) = (self.out_len(), self.in_len());
        let mut out = DMatrix::zeros(m, k);
        let mut e = vec![0.0; k];
        for j in 0..k {
            e[j] = 1.0;
            self.apply(&e, out.column_mut(j).as_mut_slice());
            e[j] = 0.0;
        }
        out
    }
}
