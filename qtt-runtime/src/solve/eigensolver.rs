//! Lanczos for the lowest eigenpair of a symmetric operator given as a
//! matrix-vector product (the local problems of DMRG and AMEn).
//!
//! Full reorthogonalisation keeps the Krylov basis orthonormal (the bases
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
