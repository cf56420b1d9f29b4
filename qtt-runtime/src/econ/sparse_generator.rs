//! Sparse generators of continuous-time Markov chains on multi-dimensional
//! grids and the two solves every finite-difference household problem
//! needs: the implicit HJB step `((rho + 1/Delta) I - A) V = b` and the
//! stationary distribution `A^T g = 0`, both by faer's sparse LU.
//!
//! A [`Pattern`] fixes the nonzero positions of a stencil once per grid (with
//! explicit zeros where an upwind choice switches a term off), so that every
//! policy iteration only fills values in a known order and reuses one
//! symbolic factorisation (column ordering and elimination tree).
//!
//! The stationary distribution is found as in the 1-D banded backend, by
//! inverse iteration `(I - dt A^T) g' = g` with a large `dt`, renormalising
//! the mass after each step; no entry is pinned. `I - dt A^T` is a
//! column-diagonally dominant M-matrix (the columns of `A^T` sum to zero,
//! its off-diagonals are `>= 0`), so partial pivoting keeps the diagonal
//! pivots, the LU factors keep the M-matrix sign pattern, and the
//! substitutions add non-negative terms only: `g >= 0` holds in floating
//! point, not just in exact arithmetic.

use crate::econ::solution::relative_change;
use crate::error::{Error, Result};
use faer::linalg::solvers::Solve;
use faer::sparse::linalg::solvers::{Lu, SymbolicLu};
use faer::sparse::{Argsort, Pair, SparseColMat, SymbolicSparseColMat};
use std::sync::{Arc, OnceLock};

/// Settings of a finite-difference household solve on a sparse grid
/// (policy iteration for the HJB equation, inverse iteration for the KFE).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FdOptions {
    /// Policy-iteration step `Delta` of `((rho + 1/Delta) I - A) V' = u + V / Delta`.
    pub delta: f64,
    /// Policy iteration stops when `max |V' - V| <= hjb_tol * max(1, max |V'|)`.
    pub hjb_tol: f64,
    /// Most policy iterations.
    pub max_iterations: usize,
    /// Inverse iteration stops when `max |g' - g| <= kfe_tol * max g'`.
    pub kfe_tol: f64,
    /// Step of the inverse iteration `(I - dt A^T) g' = g`, times `1/rho`.
    pub kfe_dt_rho: f64,
    /// Most inverse iterations.
    pub kfe_max_iterations: usize,
}

impl Default for FdOptions {
    /// `Delta = 1000`, `hjb_tol = 1e-11`, 100 policy iterations; the KFE
    /// with `dt = 1e6 / rho` to `1e-13` in at most 200 steps.
    fn default() -> Self {
        Self {
            delta: 1000.0,
            hjb_tol: 1e-11,
            max_iterations: 100,
            kfe_tol: 1e-13,
            kfe_dt_rho: 1e6,
            kfe_max_iterations: 200,
        }
    }
}

impl FdOptions {
    /// An error naming the first setting that is not positive and finite.
    pub fn check(&self) -> Result<()> {
        for (name, v) in [
            ("the policy-iteration step Delta", self.delta),
            ("the HJB tolerance", self.hjb_tol),
            ("the KFE tolerance", self.kfe_tol),
            ("the KFE step dt * rho", self.kfe_dt_rho),
        ] {
            if !(v.is_finite() && v > 0.0) {
                return Err(Error::invalid(format!(
                    "{name} is {v}: it must be positive and finite"
                )));
            }
        }
        if self.max_iterations == 0 || self.kfe_max_iterations == 0 {
            return Err(Error::invalid(
                "max_iterations and kfe_max_iterations must be at least 1",
            ));
        }
        Ok(())
    }
}

/// Bytes a sparse solve on `n` unknowns needs, as estimated before building
/// anything: the pattern, matrices and vectors (~80 values and indices per
/// unknown) and LU factors with `fill` entries per unknown of 16 bytes each
/// (value and index). Measured on this machine (`benches/fd_2d.rs`, faer's
/// COLAMD ordering, `bench-results/fd_2d.md`): the 2-D stencil's factors
/// hold ~`7.5 log2 n` entries per unknown (peak 2.6 KiB per unknown at 2^17
/// unknowns, 3.1 KiB at 2^21), the 3-D two-asset stencil's ~`6 n^(1/3)`
/// (5.1 KiB at 2^17); the grids pass about twice that (`16 log2 n`, `12
/// n^(1/3)`), so that a grid the check accepts fits.
pub fn estimated_bytes(n: u128, fill: u128) -> u128 {
    n * 8 * 80 + n * fill * 16
}

/// The nonzero positions of a square sparse matrix, in a fixed entry order.
pub struct Pattern {
    n: usize,
    rows: Vec<usize>,
    cols: Vec<usize>,
    diagonal: Vec<usize>,
    symbolic: SymbolicSparseColMat<usize>,
    argsort: Argsort<usize>,
    lu: OnceLock<std::result::Result<SymbolicLu<usize>, String>>,
    transpose: OnceLock<Result<Arc<Pattern>>>,
}

impl std::fmt::Debug for Pattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pattern")
            .field("n", &self.n)
            .field("entries", &self.rows.len())
            .finish()
    }
}

impl Pattern {
    /// A pattern of `n x n` from `(row, col)` positions: each at most once,
    /// every diagonal position present.
    pub fn new(n: usize, entries: Vec<(usize, usize)>) -> Result<Self> {
        let mut diagonal = vec![usize::MAX; n];
        for (k, &(r, c)) in entries.iter().enumerate() {
            if r >= n || c >= n {
                return Err(Error::shape(format!(
                    "entry ({r}, {c}) of a {n} x {n} sparse pattern is out of range"
                )));
            }
            if r == c {
                diagonal[r] = k;
            }
        }
        if let Some(r) = diagonal.iter().position(|&k| k == usize::MAX) {
            return Err(Error::shape(format!(
                "the sparse pattern has no diagonal entry in row {r}"
            )));
        }
        let pairs: Vec<Pair<usize, usize>> =
            entries.iter().map(|&(r, c)| Pair::new(r, c)).collect();
        let (symbolic, argsort) = SymbolicSparseColMat::try_new_from_indices(n, n, &pairs)
            .map_err(|e| Error::Numerical(format!("sparse pattern: {e:?}")))?;
        if symbolic.compute_nnz() != entries.len() {
            return Err(Error::shape(format!(
                "the sparse pattern repeats positions: {} entries, {} distinct",
                entries.len(),
                symbolic.compute_nnz()
            )));
        }
        let (rows, cols) = entries.into_iter().unzip();
        Ok(Self {
            n,
            rows,
            cols,
            diagonal,
            symbolic,
            argsort,
            lu: OnceLock::new(),
            transpose: OnceLock::new(),
        })
    }

    /// Matrix size.
    pub fn n(&self) -> usize {
        self.n
    }

    /// Number of stored entries.
    pub fn nnz(&self) -> usize {
        self.rows.len()
    }

    /// `(row, col)` of entry `k`.
    pub fn position(&self, k: usize) -> (usize, usize) {
        (self.rows[k], self.cols[k])
    }

    /// The entry index of diagonal position `(r, r)`.
    pub fn diagonal(&self, r: usize) -> usize {
        self.diagonal[r]
    }

    /// The transposed pattern, entries in the same order (built once).
    pub fn transpose(&self) -> Result<Arc<Pattern>> {
        self.transpose
            .get_or_init(|| {
                Pattern::new(
                    self.n,
                    self.cols
                        .iter()
                        .zip(&self.rows)
                        .map(|(&c, &r)| (c, r))
                        .collect(),
                )
                .map(Arc::new)
            })
            .clone()
    }

    fn matrix(&self, values: &[f64]) -> Result<SparseColMat<usize, f64>> {
        SparseColMat::new_from_argsort(self.symbolic.clone(), &self.argsort, values)
            .map_err(|e| Error::Numerical(format!("sparse matrix: {e:?}")))
    }

    /// The sparse LU of the matrix with these values (entry order), reusing
    /// the pattern's symbolic factorisation.
    fn lu(&self, values: &[f64]) -> Result<Lu<usize, f64>> {
        let symbolic = self
            .lu
            .get_or_init(|| {
                SymbolicLu::try_new(self.symbolic.as_ref()).map_err(|e| format!("{e:?}"))
            })
            .clone()
            .map_err(|e| {
                Error::Numerical(format!(
                    "symbolic sparse LU of a {} x {} matrix with {} entries: {e}",
                    self.n,
                    self.n,
                    self.nnz()
                ))
            })?;
        let m = self.matrix(values)?;
        Lu::try_new_with_symbolic(symbolic, m.as_ref())
            .map_err(|e| Error::Numerical(format!("sparse LU: {e}")))
    }
}

/// A generator `A` of a continuous-time Markov chain on a grid: rows sum
/// to zero, off-diagonals are the (non-negative) jump intensities.
#[derive(Debug, Clone)]
pub struct Generator {
    pattern: Arc<Pattern>,
    values: Vec<f64>,
}

/// What [`Generator::stationary`] returns.
#[derive(Debug, Clone, PartialEq)]
pub struct Stationary {
    /// The density: `A^T g = 0`, `sum g * cell = 1`, `g >= 0`.
    pub density: Vec<f64>,
    /// `max |A^T g| / (max |diag A| max g)`.
    pub residual: f64,
    /// Inverse iterations used.
    pub iterations: usize,
}

impl Generator {
    /// The generator with the given intensities, one per entry of the
    /// pattern except the diagonal (its value is ignored and set to minus
    /// the row's sum, so that rows sum to zero).
    pub fn from_rates(pattern: Arc<Pattern>, mut values: Vec<f64>) -> Result<Self> {
        if values.len() != pattern.nnz() {
            return Err(Error::shape(format!(
                "{} values for a pattern of {} entries",
                values.len(),
                pattern.nnz()
            )));
        }
        let mut sums = vec![0.0; pattern.n];
        for (k, v) in values.iter().enumerate() {
            let (r, c) = pattern.position(k);
            if r != c {
                if !(v.is_finite() && *v >= 0.0) {
                    return Err(Error::Numerical(format!(
                        "the intensity from grid point {r} to {c} is {v}: a generator's \
                         off-diagonal entries must be finite and non-negative"
                    )));
                }
                sums[r] += v;
            }
        }
        for (r, s) in sums.into_iter().enumerate() {
            values[pattern.diagonal(r)] = -s;
        }
        Ok(Self { pattern, values })
    }

    /// Matrix size.
    pub fn n(&self) -> usize {
        self.pattern.n
    }

    /// The pattern.
    pub fn pattern(&self) -> &Arc<Pattern> {
        &self.pattern
    }

    /// `(row, col, value)` of every stored entry.
    pub fn entries(&self) -> impl Iterator<Item = (usize, usize, f64)> + '_ {
        self.values.iter().enumerate().map(|(k, &v)| {
            let (r, c) = self.pattern.position(k);
            (r, c, v)
        })
    }

    /// The dense matrix (for checks at small sizes; guarded by memory).
    pub fn to_dense(&self) -> Result<nalgebra::DMatrix<f64>> {
        let n = self.n();
        crate::memory::check_fits("a dense copy of a generator", (n as u128).pow(2) * 8)?;
        let mut m = nalgebra::DMatrix::zeros(n, n);
        for (r, c, v) in self.entries() {
            m[(r, c)] += v;
        }
        Ok(m)
    }

    /// `A x`.
    pub fn apply(&self, x: &[f64]) -> Vec<f64> {
        let mut y = vec![0.0; self.n()];
        for (r, c, v) in self.entries() {
            y[r] += v * x[c];
        }
        y
    }

    /// `A^T x`.
    pub fn apply_transpose(&self, x: &[f64]) -> Vec<f64> {
        let mut y = vec![0.0; self.n()];
        for (r, c, v) in self.entries() {
            y[c] += v * x[r];
        }
        y
    }

    /// The largest `|sum_c A[r, c]|` over the rows.
    pub fn max_row_sum(&self) -> f64 {
        let mut sums = vec![0.0f64; self.n()];
        for (r, _, v) in self.entries() {
            sums[r] += v;
        }
        sums.iter().fold(0.0, |m, s| m.max(s.abs()))
    }

    /// The smallest off-diagonal entry (0 if there is none).
    pub fn min_off_diagonal(&self) -> f64 {
        self.entries()
            .filter(|(r, c, _)| r != c)
            .fold(0.0, |m, (_, _, v)| m.min(v))
    }

    /// The largest `|A[r, r]|`.
    pub fn max_diagonal(&self) -> f64 {
        (0..self.n()).fold(0.0f64, |m, r| {
            m.max(self.values[self.pattern.diagonal(r)].abs())
        })
    }

    /// Solves `(shift I - A) x = rhs` (the implicit HJB step, `shift = rho
    /// + 1/Delta`) by sparse LU.
    pub fn solve_shifted(&self, shift: f64, rhs: &[f64]) -> Result<Vec<f64>> {
        if rhs.len() != self.n() {
            return Err(Error::shape(format!(
                "right-hand side of {} entries for a {} x {} system",
                rhs.len(),
                self.n(),
                self.n()
            )));
        }
        let mut vals: Vec<f64> = self.values.iter().map(|v| -v).collect();
        for r in 0..self.n() {
            vals[self.pattern.diagonal(r)] += shift;
        }
        let lu = self.pattern.lu(&vals)?;
        let mut x = faer::Mat::from_fn(self.n(), 1, |i, _| rhs[i]);
        lu.solve_in_place(x.as_mut());
        let x: Vec<f64> = (0..self.n()).map(|i| x[(i, 0)]).collect();
        if let Some(i) = x.iter().position(|v| !v.is_finite()) {
            return Err(Error::Numerical(format!(
                "the implicit step's solution is {} at grid point {i}",
                x[i]
            )));
        }
        Ok(x)
    }

    /// The stationary density: `A^T g = 0` with `sum_p g_p cell = 1`, by
    /// inverse iteration with step `dt` from `start` (uniform if `None`)
    /// until the relative change is below `tol` (at most `max_iterations`).
    pub fn stationary(
        &self,
        cell: f64,
        dt: f64,
        tol: f64,
        max_iterations: usize,
        start: Option<&[f64]>,
    ) -> Result<Stationary> {
        let n = self.n();
        if !(cell.is_finite() && cell > 0.0 && dt.is_finite() && dt > 0.0) {
            return Err(Error::invalid(format!(
                "the cell measure {cell} and the step {dt} must be positive and finite"
            )));
        }
        let pt = self.pattern.transpose()?;
        // I - dt A^T in the transposed pattern (same entry order).
        let mut vals: Vec<f64> = self.values.iter().map(|v| -dt * v).collect();
        for r in 0..n {
            vals[pt.diagonal(r)] += 1.0;
        }
        let lu = pt.lu(&vals)?;
        let mut g: Vec<f64> = match start {
            Some(s) if s.len() == n && s.iter().all(|v| v.is_finite() && *v >= 0.0) => s.to_vec(),
            _ => vec![1.0; n],
        };
        let mass: f64 = g.iter().sum::<f64>() * cell;
        if mass.is_nan() || mass <= 0.0 {
            g = vec![1.0; n];
        }
        let mass: f64 = g.iter().sum::<f64>() * cell;
        g.iter_mut().for_each(|v| *v /= mass);
        let mut history = Vec::new();
        let mut x = faer::Mat::<f64>::zeros(n, 1);
        for it in 1..=max_iterations {
            for (i, v) in g.iter().enumerate() {
                x[(i, 0)] = *v;
            }
            lu.solve_in_place(x.as_mut());
            let mut next: Vec<f64> = (0..n).map(|i| x[(i, 0)]).collect();
            let mass: f64 = next.iter().sum::<f64>() * cell;
            if !(mass.is_finite() && mass > 0.0) {
                return Err(Error::Numerical(format!(
                    "KFE: inverse iteration lost the mass ({mass}); change history {history:?}"
                )));
            }
            next.iter_mut().for_each(|v| *v /= mass);
            let change = relative_change(&next, &g, 0.0);
            g = next;
            history.push(change);
            if change <= tol {
                let r = self.apply_transpose(&g);
                let scale = g.iter().fold(0.0f64, |m, v| m.max(v.abs()));
                let residual =
                    r.iter().fold(0.0f64, |m, v| m.max(v.abs())) / (self.max_diagonal() * scale);
                return Ok(Stationary {
                    density: g,
                    residual,
                    iterations: it,
                });
            }
        }
        Err(Error::Numerical(format!(
            "KFE: the stationary distribution did not converge in {max_iterations} inverse \
             iterations; change history {history:?}"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A birth-death chain on 5 states: up rate 1, down rate 2.
    fn chain() -> Generator {
        let n = 5;
        let mut e = Vec::new();
        let mut v = Vec::new();
        for r in 0..n {
            e.push((r, r));
            v.push(0.0);
            if r + 1 < n {
                e.push((r, r + 1));
                v.push(1.0);
            }
            if r > 0 {
                e.push((r, r - 1));
                v.push(2.0);
            }
        }
        Generator::from_rates(Arc::new(Pattern::new(n, e).unwrap()), v).unwrap()
    }

    #[test]
    fn stationary_is_detailed_balance() {
        let a = chain();
        assert!(a.max_row_sum() < 1e-15);
        let s = a.stationary(1.0, 1e8, 1e-14, 50, None).unwrap();
        // pi_k ~ 2^-k
        let z: f64 = (0..5).map(|k| 0.5f64.powi(k)).sum();
        for (k, g) in s.density.iter().enumerate() {
            assert!((g - 0.5f64.powi(k as i32) / z).abs() < 1e-14, "{s:?}");
        }
    }

    #[test]
    fn shifted_solve_matches_dense() {
        let a = chain();
        let b: Vec<f64> = (0..5).map(|k| 1.0 + k as f64).collect();
        let x = a.solve_shifted(0.3, &b).unwrap();
        let m = nalgebra::DMatrix::identity(5, 5) * 0.3 - a.to_dense().unwrap();
        let y = m.lu().solve(&nalgebra::DVector::from_vec(b)).unwrap();
        for k in 0..5 {
            assert!((x[k] - y[k]).abs() < 1e-14);
        }
    }

    #[test]
    fn bad_patterns_and_rates_are_errors() {
        assert!(Pattern::new(2, vec![(0, 0)]).is_err());
        assert!(Pattern::new(2, vec![(0, 0), (1, 1), (1, 1)]).is_err());
        assert!(Pattern::new(2, vec![(0, 0), (1, 2)]).is_err());
        let p = Arc::new(Pattern::new(2, vec![(0, 0), (1, 1), (0, 1)]).unwrap());
        assert!(Generator::from_rates(p.clone(), vec![0.0, 0.0, -1.0]).is_err());
        assert!(Generator::from_rates(p, vec![0.0, 0.0, f64::NAN]).is_err());
    }
}
