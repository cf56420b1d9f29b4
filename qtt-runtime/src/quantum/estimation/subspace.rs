//! Phase estimation of the Grover operator on its invariant subspace.
//!
//! Canonical QAE prepares `(1/sqrt N) sum_y |y> (x) Q^y |psi>` (`psi = F|0>`,
//! `N = 2^n`) and applies the inverse QFT to `y`. Every `Q^y |psi>` lies in the
//! Krylov space `K = span{psi, G psi, G^2 psi, ...}` of the Grover iterate `G`
//! (`Q = G^2`), which for an estimation problem is the plane of the good and bad
//! components of `psi` (dimension 2; 1 when `a` is 0 or 1). Arnoldi with
//! gate-level applications of `G` finds an orthonormal basis `B` of `K` and
//! `H = B^* G B`; then `Q^y psi = B (H^2)^y e_1` exactly, and since `B` is
//! orthonormal the estimation register's distribution is that of the small state
//! `sum_y |y> (x) (H^2)^y e_1 / sqrt N` after the inverse QFT.
//!
//! Cost: `d + 1` applications of `G` to a `2^t`-amplitude vector (`d = dim K`),
//! `N d^2` for the powers and one `N d`-point inverse QFT — instead of the
//! `N - 1` controlled-`Q` applications on `2^{t+n}` amplitudes of the circuit.
//! Arnoldi stops when the new direction's norm falls below the rounding of one
//! application of `G` (`unit roundoff x gates`), so the result differs from the
//! gate-by-gate circuit by no more than that circuit's own rounding.

use num_complex::Complex64 as C64;

use crate::quantum::circuits::circuit::Circuit;
use crate::quantum::simulation::state::StateVector;
use crate::{Error, Result};

/// An orthonormal basis of the smallest `G`-invariant subspace containing a
/// state, and `G` restricted to it.
#[derive(Debug, Clone, PartialEq)]
pub struct InvariantSubspace {
    /// Basis vectors (each `2^t` amplitudes); the first is the start state.
    pub basis: Vec<Vec<C64>>,
    /// `H = B^* G B`, row-major `d x d` (upper Hessenberg).
    pub h: Vec<C64>,
    /// Norm of the part of `G b_{d-1}` outside the span: the Arnoldi residual.
    pub residual: f64,
}

fn dot(a: &[C64], b: &[C64]) -> C64 {
    a.iter().zip(b).map(|(x, y)| x.conj() * y).sum()
}

impl InvariantSubspace {
    /// Arnoldi on `g` from `start` (normalised state), twice-orthogonalised
    /// (classical Gram-Schmidt repeated, "twice is enough"); stops when the new
    /// direction's norm is at most `tol` or the whole space is spanned.
    pub fn arnoldi(g: &Circuit, start: &StateVector, tol: f64) -> Result<Self> {
        let n = start.n_qubits();
        if g.n_qubits() != n {
            return Err(Error::shape(format!(
                "the operator acts on {} qubits, the start state has {n}",
                g.n_qubits()
            )));
        }
        crate::error::check_nonneg("Arnoldi tolerance", tol)?;
        let dim = 1usize << n;
        let mut basis = vec![start.amplitudes().to_vec()];
        // columns of H, each of length j + 2 (Hessenberg)
        let mut cols: Vec<Vec<C64>> = Vec::new();
        let mut work = StateVector::zero(n)?;
        let residual = loop {
            let j = basis.len() - 1;
            work.amplitudes_mut().copy_from_slice(&basis[j]);
            work.apply(g)?;
            let w = work.amplitudes_mut();
            let mut col = vec![C64::new(0.0, 0.0); j + 2];
            for _ in 0..2 {
                for (i, b) in basis.iter().enumerate() {
                    let c = dot(b, w);
                    col[i] += c;
                    for (x, y) in w.iter_mut().zip(b) {
                        *x -= c * y;
                    }
                }
            }
            let beta = dot(w, w).re.sqrt();
            if beta <= tol || basis.len() == dim {
                col.truncate(j + 1);
                cols.push(col);
                break beta;
            }
            col[j + 1] = C64::new(beta, 0.0);
            cols.push(col);
            basis.push(w.iter().map(|x| x / beta).collect());
        };
        let d = basis.len();
        let mut h = vec![C64::new(0.0, 0.0); d * d];
        for (j, col) in cols.iter().enumerate() {
            for (i, v) in col.iter().enumerate().take(d) {
                h[i * d + j] = *v;
            }
        }
        Ok(InvariantSubspace { basis, h, residual })
    }

    /// The Arnoldi tolerance for Grover iterate `g`: the rounding of one
    /// application (unit roundoff times its number of gates); a residual below
    /// it cannot be told from rounding.
    pub fn tolerance(g: &Circuit) -> f64 {
        f64::EPSILON * g.ops().len().max(1) as f64
    }

    /// `B^* P B` (row-major `d x d`) for the projector `P` on the basis states
    /// where `select(index)` holds: `c^* M c` is the probability of measuring
    /// such a state in `B c`.
    pub fn gram(&self, select: impl Fn(usize) -> bool) -> Vec<C64> {
        let d = self.dim();
        let mut m = vec![C64::new(0.0, 0.0); d * d];
        for (x, _) in self.basis[0].iter().enumerate().filter(|(x, _)| select(*x)) {
            for i in 0..d {
                for j in 0..d {
                    m[i * d + j] += self.basis[i][x].conj() * self.basis[j][x];
                }
            }
        }
        m
    }

    /// The coordinates `H^k e_1` of `G^k` applied to the start state, by
    /// repeated squaring of `H`.
    pub fn coordinates_after(&self, k: u64) -> Vec<C64> {
        let d = self.dim();
        let mut c = vec![C64::new(0.0, 0.0); d];
        c[0] = C64::new(1.0, 0.0);
        let mut square = self.h.clone();
        let mut rest = k;
        while rest > 0 {
            if rest & 1 == 1 {
                c = (0..d)
                    .map(|r| (0..d).map(|s| square[r * d + s] * c[s]).sum())
                    .collect();
            }
            rest >>= 1;
            if rest > 0 {
                square = matmul(&square, &square, d);
            }
        }
        c
    }

    /// The dimension `d` of the subspace.
    pub fn dim(&self) -> usize {
        self.basis.len()
    }

    /// The outcome distribution of `n_est`-qubit phase estimation of `G^power`
    /// on the start state: the state `sum_y |y> (x) (H^power)^y e_1 / sqrt N`
    /// (subspace coordinates on the low qubits, `y` on the high ones) after the
    /// inverse QFT of `y`, marginalised on `y`.
    pub fn phase_estimation(&self, power: u32, n_est: usize) -> Result<Vec<f64>> {
        let d = self.dim();
        let low = d.next_power_of_two().trailing_zeros() as usize;
        let stride = 1usize << low;
        let mut s = StateVector::zero(low + n_est)?;
        // U = H^power, by repeated multiplication (power is 1 or 2 in practice)
        let mut u = identity(d);
        for _ in 0..power {
            u = matmul(&u, &self.h, d);
        }
        let w = 1.0 / ((1u64 << n_est) as f64).sqrt();
        let amps = s.amplitudes_mut();
        amps[0] = C64::new(w, 0.0);
        for y in 1..1usize << n_est {
            let (prev, next) = amps.split_at_mut(y * stride);
            let prev = &prev[(y - 1) * stride..];
            for (r, out) in next[..d].iter_mut().enumerate() {
                *out = u[r * d..(r + 1) * d]
                    .iter()
                    .zip(prev)
                    .map(|(a, b)| a * b)
                    .sum();
            }
        }
        let est: Vec<usize> = (low..low + n_est).collect();
        s.apply_qft(&est, true)?;
        s.marginal(&est)
    }
}

fn identity(d: usize) -> Vec<C64> {
    (0..d * d)
        .map(|k| C64::new(if k % (d + 1) == 0 { 1.0 } else { 0.0 }, 0.0))
        .collect()
}

fn matmul(a: &[C64], b: &[C64], d: usize) -> Vec<C64> {
    let mut c = vec![C64::new(0.0, 0.0); d * d];
    for i in 0..d {
        for k in 0..d {
            let aik = a[i * d + k];
            for j in 0..d {
                c[i * d + j] += aik * b[k * d + j];
            }
        }
    }
    c
}
