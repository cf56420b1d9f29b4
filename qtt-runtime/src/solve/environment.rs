//! Cached environments: the projections of an operator onto the interfaces
//! of a bra and a ket tensor train, `L_k = (Y_{<k})^T A (X_{<k})` and
//! `R_k = (Y_{>k})^T A (X_{>k})`.
//!
//! An environment is a column-major `(r_bra, w, r_ket)` buffer. Extending
//! one by a site costs two GEMMs of `O(r^3 n w)` and one of `O(r^2 n^2 w^2)`
//! on permuted buffers. An overlap `Y^T X` (or `Y^T b`) is the same with the
//! identity operator (`w = 1`).

use crate::linalg::{gemm, permute, view, view_mut, Transpose};
use crate::tt::Core;

/// One MPO core with the two index orders the contractions need.
#[derive(Debug, Clone)]
pub(crate) struct OpCore {
    /// Left MPO rank.
    pub wl: usize,
    /// Right MPO rank.
    pub wr: usize,
    /// Local dimension (rows = columns = n).
    pub n: usize,
    /// `(b, j, i, e)`: (left, column, row, right).
    pub bjie: Vec<f64>,
    /// `(j, e, b, i)`: (column, right, left, row).
    pub jebi: Vec<f64>,
}

impl OpCore {
    /// From a TT-matrix core `(b, i + n j, e)` with square local blocks.
    pub fn new(core: &Core, n: usize) -> Self {
        let (wl, nn, wr) = core.shape();
        debug_assert_eq!(nn, n * n);
        let dims = [wl, n, n, wr];
        Self {
            wl,
            wr,
            n,
            bjie: permute(core.data(), &dims, &[0, 2, 1, 3]),
            jebi: permute(core.data(), &dims, &[2, 3, 0, 1]),
        }
    }

    /// The identity on an `n`-dimensional site (`w = 1`).
    pub fn identity(n: usize) -> Self {
        let mut data = vec![0.0; n * n];
        for i in 0..n {
            data[i + n * i] = 1.0;
        }
        Self::new(&Core::from_parts(1, n * n, 1, data), n)
    }

    /// Two neighbouring cores fused into one site of dimension `n1 n2`
    /// (fused index `i1 + n1 i2`), for two-site updates.
    pub fn fuse(a: &Core, na: usize, b: &Core, nb: usize) -> Self {
        let (wl, _, wm) = a.shape();
        let wr = b.r_right();
        let n = na * nb;
        let mut data = vec![0.0; wl * n * n * wr];
        for e in 0..wr {
            for m in 0..wm {
                for j2 in 0..nb {
                    for i2 in 0..nb {
                        let bv = b.get(m, i2 + nb * j2, e);
                        if bv == 0.0 {
                            continue;
                        }
                        for j1 in 0..na {
                            for i1 in 0..na {
                                let i = i1 + na * i2;
                                let j = j1 + na * j2;
                                for bl in 0..wl {
                                    data[bl + wl * (i + n * (j + n * e))] +=
                                        a.get(bl, i1 + na * j1, m) * bv;
                                }
                            }
                        }
                    }
                }
            }
        }
        Self::new(&Core::from_parts(wl, n * n, wr, data), n)
    }
}

/// A left or right environment: `(r_bra, w, r_ket)` column-major.
#[derive(Debug, Clone)]
pub(crate) struct Env {
    /// Bra rank.
    pub rb: usize,
    /// Operator rank.
    pub w: usize,
    /// Ket rank.
    pub rk: usize,
    /// The buffer.
    pub data: Vec<f64>,
}

impl Env {
    /// The trivial boundary environment (all ranks 1, value 1).
    pub fn boundary() -> Self {
        Self {
            rb: 1,
            w: 1,
            rk: 1,
            data: vec![1.0],
        }
    }
}

/// `T[a, c', i, e] = sum L[a, b, a'] W[b, i, j, e] x[a', j, c']`: the part
/// shared by the left update and the local operator.
pub(crate) fn left_partial(l: &Env, w: &OpCore, x_data: &[f64], rx: usize) -> Vec<f64> {
    let n = w.n;
    debug_assert_eq!(l.w, w.wl);
    // T1 (a b) x (j c') = L (a b) x a'  *  x  a' x (j c')
    let mut t1 = vec![0.0; l.rb * l.w * n * rx];
    gemm(
        1.0,
        view(&l.data, l.rb * l.w, l.rk),
        Transpose::No,
        view(x_data, l.rk, n * rx),
        Transpose::No,
        false,
        view_mut(&mut t1, l.rb * l.w, n * rx),
    )
    .expect("environment shapes agree");
    // (a, b, j, c') -> (a, c', b, j), then (a c') x (b j) * (b j) x (i e).
    let t1p = permute(&t1, &[l.rb, l.w, n, rx], &[0, 3, 1, 2]);
    let mut t2 = vec![0.0; l.rb * rx * n * w.wr];
    gemm(
        1.0,
        view(&t1p, l.rb * rx, w.wl * n),
        Transpose::No,
        view(&w.bjie, w.wl * n, n * w.wr),
        Transpose::No,
        false,
        view_mut(&mut t2, l.rb * rx, n * w.wr),
    )
    .expect("environment shapes agree");
    t2
}

/// The left environment one site further: `L'[c, e, c'] = sum y[a, i, c] T[a, c', i, e]`.
pub(crate) fn extend_left(l: &Env, w: &OpCore, bra: &Core, ket: &Core) -> Env {
    let (rb, n, rc) = bra.shape();
    let rx = ket.r_right();
    let t2 = left_partial(l, w, ket.data(), rx);
    // (a, c', i, e) -> (a, i, e, c')
    let t2p = permute(&t2, &[rb, rx, n, w.wr], &[0, 2, 3, 1]);
    let mut out = vec![0.0; rc * w.wr * rx];
    gemm(
        1.0,
        bra.left(),
        Transpose::Yes,
        view(&t2p, rb * n, w.wr * rx),
        Transpose::No,
        false,
        view_mut(&mut out, rc, w.wr * rx),
    )
    .expect("environment shapes agree");
    Env {
        rb: rc,
        w: w.wr,
        rk: rx,
        data: out,
    }
}

/// `T[a', c, b, i] = sum x[a', j, c'] W[b, i, j, e] R[c, e, c']`.
pub(crate) fn right_partial(r: &Env, w: &OpCore, x_data: &[f64], rx: usize) -> Vec<f64> {
    let n = w.n;
    debug_assert_eq!(r.w, w.wr);
    // T1 (a' j) x (c e) = x (a' j) x c' * R^T c' x (c e)
    let mut t1 = vec![0.0; rx * n * r.rb * r.w];
    gemm(
        1.0,
        view(x_data, rx * n, r.rk),
        Transpose::No,
        view(&r.data, r.rb * r.w, r.rk),
        Transpose::Yes,
        false,
        view_mut(&mut t1, rx * n, r.rb * r.w),
    )
    .expect("environment shapes agree");
    // (a', j, c, e) -> (a', c, j, e), then (a' c) x (j e) * (j e) x (b i).
    let t1p = permute(&t1, &[rx, n, r.rb, r.w], &[0, 2, 1, 3]);
    let mut t2 = vec![0.0; rx * r.rb * w.wl * n];
    gemm(
        1.0,
        view(&t1p, rx * r.rb, n * w.wr),
        Transpose::No,
        view(&w.jebi, n * w.wr, w.wl * n),
        Transpose::No,
        false,
        view_mut(&mut t2, rx * r.rb, w.wl * n),
    )
    .expect("environment shapes agree");
    t2
}

/// The right environment one site further left: `R'[a, b, a'] = sum y[a, i, c] T[a', c, b, i]`.
pub(crate) fn extend_right(r: &Env, w: &OpCore, bra: &Core, ket: &Core) -> Env {
    let (ra, n, rc) = bra.shape();
    let rx = ket.r_left();
    let t2 = right_partial(r, w, ket.data(), rx);
    // (a', c, b, i) -> (i, c, b, a')
    let t2p = permute(&t2, &[rx, rc, w.wl, n], &[3, 1, 2, 0]);
    let mut out = vec![0.0; ra * w.wl * rx];
    gemm(
        1.0,
        bra.right(),
        Transpose::No,
        view(&t2p, n * rc, w.wl * rx),
        Transpose::No,
        false,
        view_mut(&mut out, ra, w.wl * rx),
    )
    .expect("environment shapes agree");
    Env {
        rb: ra,
        w: w.wl,
        rk: rx,
        data: out,
    }
}

/// Cached left and right environments of `(bra, A, ket)` along a chain.
///
/// `left[k]` covers sites `< k`, `right[k]` sites `> k`; entries are
/// recomputed lazily after a core changes (`invalidate`).
#[derive(Debug, Clone)]
pub(crate) struct Environments {
    pub left: Vec<Option<Env>>,
    pub right: Vec<Option<Env>>,
}

impl Environments {
    /// Empty caches for `d` sites with the boundary environments set.
    pub fn new(d: usize) -> Self {
        let mut left = vec![None; d];
        let mut right = vec![None; d];
        left[0] = Some(Env::boundary());
        right[d - 1] = Some(Env::boundary());
        Self { left, right }
    }

    /// Forgets everything that depends on core `k`.
    pub fn invalidate(&mut self, k: usize) {
        let d = self.left.len();
        for e in self.left.iter_mut().skip(k + 1) {
            *e = None;
        }
        for e in self.right.iter_mut().take(k) {
            *e = None;
        }
        let _ = d;
    }

    /// `left[k]`, computed from the nearest cached one.
    pub fn left(&mut self, k: usize, ops: &[OpCore], bra: &[Core], ket: &[Core]) -> &Env {
        let mut start = k;
        while self.left[start].is_none() {
            start -= 1;
        }
        for j in start..k {
            let next = extend_left(self.left[j].as_ref().unwrap(), &ops[j], &bra[j], &ket[j]);
            self.left[j + 1] = Some(next);
        }
        self.left[k].as_ref().unwrap()
    }

    /// `right[k]`, computed from the nearest cached one.
    pub fn right(&mut self, k: usize, ops: &[OpCore], bra: &[Core], ket: &[Core]) -> &Env {
        let mut start = k;
        while self.right[start].is_none() {
            start += 1;
        }
        for j in (k + 1..=start).rev() {
            let next = extend_right(self.right[j].as_ref().unwrap(), &ops[j], &bra[j], &ket[j]);
            self.right[j - 1] = Some(next);
        }
        self.right[k].as_ref().unwrap()
    }
}
