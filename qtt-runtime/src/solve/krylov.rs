//! Krylov solvers for the local problems of DMRG and AMEn, on operators
//! given as a matrix-vector product: Lanczos for the lowest eigenpair of a
//! symmetric operator, restarted GMRES for a linear system.
//!
//! Lanczos: full reorthogonalisation keeps the Krylov basis orthonormal (the bases
//! are short, so this costs little next to one local matrix-vector product),
//! and a restart from the current Ritz vector bounds the memory. The start
//! vector is the current core, so near convergence a few products suffice.

use crate::error::{Error, Result};
use crate::linalg::eigh;
use nalgebra::DMatrix;

/// Settings of the Lanczos iteration.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LanczosOptions {
    /// Stop when the residual norm `||A v - theta v||` is below this.
    pub tol: f64,
    /// Krylov dimension before a restart.
    pub max_krylov: usize,
    /// Number of restarts at most.
    pub max_restarts: usize,
}

impl Default for LanczosOptions {
    fn default() -> Self {
        Self {
            tol: 1e-10,
            max_krylov: 24,
            max_restarts: 6,
        }
    }
}

/// The result of [`lanczos`].
#[derive(Debug, Clone)]
pub struct Eigenpair {
    /// The lowest Ritz value.
    pub value: f64,
    /// Its normalised Ritz vector.
    pub vector: Vec<f64>,
    /// Number of matrix-vector products used.
    pub matvecs: usize,
    /// The final residual norm.
    pub residual: f64,
}

/// Eight independent partial sums let the compiler vectorise the loop
/// (a single running sum is a serial dependency chain).
fn dot(a: &[f64], b: &[f64]) -> f64 {
    let mut acc = [0.0f64; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f64 = ca
        .remainder()
        .iter()
        .zip(cb.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (x, y) in ca.zip(cb) {
        for k in 0..8 {
            acc[k] += x[k] * y[k];
        }
    }
    acc.iter().sum::<f64>() + tail
}

fn norm(a: &[f64]) -> f64 {
    dot(a, a).sqrt()
}

/// The lowest eigenpair of the symmetric operator `apply` (`y = A x`),
/// started from `x0` (any nonzero vector).
pub fn lanczos(
    apply: &mut dyn FnMut(&[f64], &mut [f64]),
    x0: &[f64],
    opts: &LanczosOptions,
) -> Result<Eigenpair> {
    let n = x0.len();
    let nx = norm(x0);
    if n == 0 || nx == 0.0 || !nx.is_finite() {
        return Err(Error::invalid(format!(
            "Lanczos start vector of length {n} has norm {nx}, expected a finite nonzero vector"
        )));
    }
    let kmax = opts.max_krylov.max(2).min(n);
    let mut v: Vec<f64> = x0.iter().map(|x| x / nx).collect();
    let mut matvecs = 0;
    let mut best = Eigenpair {
        value: f64::NAN,
        vector: v.clone(),
        matvecs: 0,
        residual: f64::INFINITY,
    };
    let mut basis: Vec<Vec<f64>> = Vec::with_capacity(kmax);
    let mut w = vec![0.0; n];
    for _ in 0..=opts.max_restarts {
        basis.clear();
        let mut alpha: Vec<f64> = Vec::with_capacity(kmax);
        let mut beta: Vec<f64> = Vec::with_capacity(kmax);
        basis.push(v.clone());
        let converged;
        loop {
            let j = basis.len() - 1;
            apply(&basis[j], &mut w);
            matvecs += 1;
            let a = dot(&w, &basis[j]);
            alpha.push(a);
            // Full reorthogonalisation (twice is enough).
            for _ in 0..2 {
                for q in &basis {
                    let c = dot(&w, q);
                    w.iter_mut().zip(q).for_each(|(wi, qi)| *wi -= c * qi);
                }
            }
            let b = norm(&w);
            // Ritz pair of the tridiagonal matrix.
            let k = alpha.len();
            let t = DMatrix::from_fn(k, k, |r, c| {
                if r == c {
                    alpha[r]
                } else if r == c + 1 {
                    beta[c]
                } else if c == r + 1 {
                    beta[r]
                } else {
                    0.0
                }
            });
            let e = eigh(t.as_view())?;
            let (imin, &theta) = e
                .values
                .iter()
                .enumerate()
                .min_by(|x, y| x.1.total_cmp(y.1))
                .expect("nonempty spectrum");
            let s = e.vectors.column(imin);
            let res = (b * s[k - 1]).abs();
            let done = res <= opts.tol || b <= 1e-14 * a.abs().max(1.0) || k == n;
            if done || k == kmax {
                let mut x = vec![0.0; n];
                for (q, &c) in basis.iter().zip(s.iter()) {
                    x.iter_mut().zip(q).for_each(|(xi, qi)| *xi += c * qi);
                }
                let nrm = norm(&x);
                x.iter_mut().for_each(|xi| *xi /= nrm);
                best = Eigenpair {
                    value: theta,
                    vector: x.clone(),
                    matvecs,
                    residual: res,
                };
                v = x;
                converged = done;
                break;
            }
            beta.push(b);
            basis.push(w.iter().map(|wi| wi / b).collect());
        }
        if converged {
            break;
        }
    }
    if !best.value.is_finite() {
        return Err(Error::Numerical(
            "Lanczos produced a non-finite Ritz value".into(),
        ));
    }
    best.matvecs = matvecs;
    Ok(best)
}

/// The 2-norm by one running sum, as GMRES and AMEn's local residuals have
/// always taken it (the vectorised [`norm`] rounds differently).
pub(crate) fn plain_norm(v: &[f64]) -> f64 {
    v.iter().map(|x| x * x).sum::<f64>().sqrt()
}

/// Restarted GMRES for `A x = rhs` (`apply`: `y = A x`, any square `A`)
/// from `x`, in place (modified Gram-Schmidt, Givens rotations); stops at
/// `||rhs - A x|| <= tol ||rhs||` or after `max_iter` products.
pub(crate) fn gmres(
    apply: &mut dyn FnMut(&[f64], &mut [f64]),
    rhs: &[f64],
    x: &mut [f64],
    tol: f64,
    restart: usize,
    max_iter: usize,
) {
    let n = rhs.len();
    let bn = plain_norm(rhs).max(f64::MIN_POSITIVE);
    let mut w = vec![0.0; n];
    let mut iters = 0;
    while iters < max_iter {
        apply(x, &mut w);
        let r: Vec<f64> = rhs.iter().zip(&w).map(|(b, a)| b - a).collect();
        let beta = plain_norm(&r);
        if beta <= tol * bn {
            return;
        }
        let m = restart.min(n);
        let mut v: Vec<Vec<f64>> = vec![r.iter().map(|ri| ri / beta).collect()];
        let mut h = DMatrix::<f64>::zeros(m + 1, m);
        let (mut cs, mut sn) = (vec![0.0; m], vec![0.0; m]);
        let mut g = vec![0.0; m + 1];
        g[0] = beta;
        let mut k_used = 0;
        for k in 0..m {
            apply(&v[k], &mut w);
            iters += 1;
            for (j, vj) in v.iter().enumerate() {
                let hjk: f64 = w.iter().zip(vj).map(|(a, b)| a * b).sum();
                h[(j, k)] = hjk;
                w.iter_mut().zip(vj).for_each(|(wi, vi)| *wi -= hjk * vi);
            }
            let hn = plain_norm(&w);
            h[(k + 1, k)] = hn;
            for j in 0..k {
                let t = cs[j] * h[(j, k)] + sn[j] * h[(j + 1, k)];
                h[(j + 1, k)] = -sn[j] * h[(j, k)] + cs[j] * h[(j + 1, k)];
                h[(j, k)] = t;
            }
            let den = (h[(k, k)].powi(2) + h[(k + 1, k)].powi(2))
                .sqrt()
                .max(f64::MIN_POSITIVE);
            cs[k] = h[(k, k)] / den;
            sn[k] = h[(k + 1, k)] / den;
            h[(k, k)] = den;
            h[(k + 1, k)] = 0.0;
            g[k + 1] = -sn[k] * g[k];
            g[k] *= cs[k];
            k_used = k + 1;
            if g[k + 1].abs() <= tol * bn || hn == 0.0 {
                break;
            }
            v.push(w.iter().map(|wi| wi / hn).collect());
        }
        // Back substitution of the triangular system.
        let mut y = vec![0.0; k_used];
        for i in (0..k_used).rev() {
            let s: f64 = (i + 1..k_used).map(|j| h[(i, j)] * y[j]).sum();
            y[i] = (g[i] - s) / h[(i, i)];
        }
        for (yi, vi) in y.iter().zip(&v) {
            x.iter_mut().zip(vi).for_each(|(xj, vj)| *xj += yi * vj);
        }
        if g[k_used].abs() <= tol * bn {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowest_eigenvalue_of_a_laplacian() {
        let n = 200;
        let mut apply = |x: &[f64], y: &mut [f64]| {
            for i in 0..n {
                let l = if i > 0 { x[i - 1] } else { 0.0 };
                let r = if i + 1 < n { x[i + 1] } else { 0.0 };
                y[i] = 2.0 * x[i] - l - r;
            }
        };
        let x0: Vec<f64> = (0..n).map(|i| 1.0 + (i as f64 * 0.37).sin()).collect();
        let opts = LanczosOptions {
            tol: 1e-9,
            max_krylov: 40,
            max_restarts: 200,
        };
        let e = lanczos(&mut apply, &x0, &opts).unwrap();
        let want = 2.0 - 2.0 * (std::f64::consts::PI / (n as f64 + 1.0)).cos();
        assert!((e.value - want).abs() < 1e-10, "{} vs {want}", e.value);
        assert!(e.residual <= 1e-9);
        assert!(lanczos(&mut apply, &vec![0.0; n], &opts).is_err());
    }
}
