//! The linear part: the diagonal diffusion `sum_i sigma_i d^2/dx_i^2` as a
//! rank-2 Kronecker sum, its exact propagator (a rank-1 Kronecker product of
//! per-axis matrix exponentials) and per-axis derivatives of a train.

use super::grid::TensorGrid;
use crate::error::{Error, Result};
use crate::tt::{Core, TensorTrain, TtMatrix};
use nalgebra::DMatrix;

/// `m` applied to mode `k` of one core: `out(a, i, b) = sum_j m(i, j) c(a, j, b)`.
pub(crate) fn apply_to_mode(c: &Core, m: &DMatrix<f64>) -> Core {
    let (rl, n, rr) = c.shape();
    let mut out = Core::zeros(rl, m.nrows(), rr);
    let mut slab_out = DMatrix::zeros(rl, m.nrows());
    for b in 0..rr {
        let slab = crate::linalg::view(&c.data()[rl * n * b..rl * n * (b + 1)], rl, n);
        slab_out.gemm(1.0, &slab, &m.transpose(), 0.0);
        let dst = &mut out.data_mut()[rl * m.nrows() * b..rl * m.nrows() * (b + 1)];
        dst.copy_from_slice(slab_out.as_slice());
    }
    out
}

/// The matrix exponential by scaling and squaring with a degree-18 Taylor
/// polynomial (the scaled norm is at most 1/2, so the truncation error is
/// below `2^-19 / 19!`). Accurate for the dissipative, diagonalisable
/// collocation matrices used here.
pub(crate) fn expm(a: &DMatrix<f64>) -> DMatrix<f64> {
    let n = a.nrows();
    let norm1 = (0..n)
        .map(|j| a.column(j).iter().map(|v| v.abs()).sum::<f64>())
        .fold(0.0, f64::max);
    let squarings = if norm1 > 0.5 {
        (norm1 / 0.5).log2().ceil() as i32
    } else {
        0
    };
    let b = a / 2f64.powi(squarings);
    let mut term = DMatrix::identity(n, n);
    let mut sum = DMatrix::identity(n, n);
    for k in 1..=18 {
        term = &term * &b / k as f64;
        sum += &term;
    }
    for _ in 0..squarings {
        sum = &sum * &sum;
    }
    flush_tiny(&mut sum);
    sum
}

/// Sets entries below `1e-150` of the largest to zero: heat kernels between
/// distant nodes underflow towards subnormal numbers, which stall the SVDs
/// of the trains they are applied to and carry no information.
pub(crate) fn flush_tiny(m: &mut DMatrix<f64>) {
    let cut = 1e-150 * m.amax();
    m.iter_mut().for_each(|v| {
        if v.abs() < cut {
            *v = 0.0;
        }
    });
}

/// The diffusion `A = sum_i sigma_i D2_i` on a tensor grid and its
/// propagators `exp(h A) = exp(h sigma_1 D2_1) (x) ... (x) exp(h sigma_d D2_d)`
/// (exact, because the terms of a Kronecker sum commute).
#[derive(Debug, Clone)]
pub struct Diffusion {
    second: Vec<DMatrix<f64>>,
    sigma: Vec<f64>,
}

impl Diffusion {
    /// The diffusion with coefficients `sigma` (one per axis, `>= 0`).
    pub fn new(grid: &TensorGrid, sigma: &[f64]) -> Result<Self> {
        if sigma.len() != grid.dim() {
            return Err(Error::shape(format!(
                "{} diffusion coefficients for {} axes",
                sigma.len(),
                grid.dim()
            )));
        }
        for (i, &s) in sigma.iter().enumerate() {
            crate::error::check_nonneg(&format!("diffusion coefficient {i}"), s)?;
        }
        Ok(Self {
            second: grid
                .axes()
                .iter()
                .map(|a| a.second_derivative().clone())
                .collect(),
            sigma: sigma.to_vec(),
        })
    }

    /// The per-axis factors of `exp(h A)`; axes with equal matrices and
    /// coefficients share one exponential.
    pub fn propagator(&self, h: f64) -> Result<Propagator> {
        crate::error::check_nonneg("time step", h)?;
        let mut factors: Vec<DMatrix<f64>> = Vec::with_capacity(self.sigma.len());
        for (i, (m, &s)) in self.second.iter().zip(&self.sigma).enumerate() {
            let shared = (0..i).find(|&j| self.sigma[j] == s && self.second[j] == *m);
            factors.push(match shared {
                Some(j) => factors[j].clone(),
                None => expm(&(m * (h * s))),
            });
        }
        Ok(Propagator { factors })
    }

    /// `A` as a TT matrix of rank 2 (the Kronecker sum).
    pub fn operator(&self) -> Result<TtMatrix> {
        let d = self.sigma.len();
        let modes: Vec<usize> = self.second.iter().map(|m| m.nrows()).collect();
        let mut cores = Vec::with_capacity(d);
        for (k, (m, &s)) in self.second.iter().zip(&self.sigma).enumerate() {
            let n = modes[k];
            let (rl, rr) = (if k == 0 { 1 } else { 2 }, if k + 1 == d { 1 } else { 2 });
            let mut c = Core::zeros(rl, n * n, rr);
            // Block [[I, s D2], [0, I]]: state 0 = "term not yet placed".
            for j in 0..n {
                for i in 0..n {
                    let f = i + n * j;
                    let eye = if i == j { 1.0 } else { 0.0 };
                    let a = s * m[(i, j)];
                    match (rl, rr) {
                        (1, 1) => *c.get_mut(0, f, 0) = a,
                        (1, _) => {
                            *c.get_mut(0, f, 0) = eye;
                            *c.get_mut(0, f, 1) = a;
                        }
                        (_, 1) => {
                            *c.get_mut(0, f, 0) = a;
                            *c.get_mut(1, f, 0) = eye;
                        }
                        _ => {
                            *c.get_mut(0, f, 0) = eye;
                            *c.get_mut(0, f, 1) = a;
                            *c.get_mut(1, f, 1) = eye;
                        }
                    }
                }
            }
            cores.push(c);
        }
        TtMatrix::new(cores, &modes, &modes)
    }
}

/// The rank-1 Kronecker product of per-axis propagators `exp(h sigma_i D2_i)`.
#[derive(Debug, Clone)]
pub struct Propagator {
    factors: Vec<DMatrix<f64>>,
}

impl Propagator {
    /// `exp(h A) x`, core by core: ranks are unchanged, cost `O(d n^2 r^2)`.
    pub fn apply(&self, x: &TensorTrain) -> Result<TensorTrain> {
        if x.len() != self.factors.len() {
            return Err(Error::shape(format!(
                "the propagator has {} axes, the train {}",
                self.factors.len(),
                x.len()
            )));
        }
        let cores = x
            .cores()
            .iter()
            .zip(&self.factors)
            .map(|(c, m)| {
                if c.n() != m.ncols() {
                    return Err(Error::shape(format!(
                        "mode size {} does not match the axis with {} points",
                        c.n(),
                        m.ncols()
                    )));
                }
                Ok(apply_to_mode(c, m))
            })
            .collect::<Result<Vec<_>>>()?;
        TensorTrain::new(cores)
    }

    /// The propagator acting on weighted trains `rho (x) v`: factor `k`
    /// becomes `diag(rho_k) E_k diag(rho_k)^-1`.
    pub fn conjugated(&self, rho: &[Vec<f64>]) -> Result<Propagator> {
        if rho.len() != self.factors.len() {
            return Err(Error::shape(format!(
                "{} weight vectors for {} axes",
                rho.len(),
                self.factors.len()
            )));
        }
        let factors = self
            .factors
            .iter()
            .zip(rho)
            .map(|(m, r)| {
                let mut c = DMatrix::from_fn(m.nrows(), m.ncols(), |i, j| m[(i, j)] * r[i] / r[j]);
                flush_tiny(&mut c);
                c
            })
            .collect();
        Ok(Propagator { factors })
    }

    /// The per-axis matrices.
    pub fn factors(&self) -> &[DMatrix<f64>] {
        &self.factors
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parabolic::ChebyshevAxis;

    #[test]
    fn propagator_matches_the_kronecker_sum() {
        let axis = ChebyshevAxis::new(4.0, 12).unwrap();
        let grid = TensorGrid::uniform(axis, 3).unwrap();
        let diff = Diffusion::new(&grid, &[1.0, 0.5, 2.0]).unwrap();
        let x = TensorTrain::random(&[12; 3], 2, 7).unwrap();
        let a = diff.operator().unwrap().to_dense().unwrap();
        let xv = nalgebra::DVector::from_vec(x.to_dense().unwrap());
        let h = 0.05;
        let want = expm(&(&a * h)) * &xv;
        let got = diff.propagator(h).unwrap().apply(&x).unwrap();
        let got = nalgebra::DVector::from_vec(got.to_dense().unwrap());
        assert!(
            (&got - &want).norm() < 1e-10 * want.norm(),
            "{}",
            (&got - &want).norm()
        );
        // exp of a scalar-like matrix.
        let e = expm(&DMatrix::from_element(1, 1, -3.0));
        assert!((e[(0, 0)] - (-3.0f64).exp()).abs() < 1e-15);
    }
}
