//! The household's problem on the `(a, z)` grid at given prices: the HJB
//! equation by policy iteration on the implicit upwind scheme,
//! `((rho + 1/Delta) I - A_n) V^(n+1) = u(c_n) + V^n / Delta`, each step a
//! sparse LU solve, then the stationary density of the final generator.

use super::{DiffusionGrid, IncomeDiffusion};
use crate::econ::scheme::upwind;
use crate::econ::solution::{relative_change, IterationReport};
use crate::econ::sparse_generator::{FdOptions, Generator};
use crate::error::{Error, Result};
use std::time::Instant;

/// The scheme's choices at every grid point (grid order).
#[derive(Debug, Clone, PartialEq)]
pub struct DiffusionPolicy {
    /// Consumption `c(a, z)`.
    pub consumption: Vec<f64>,
    /// Savings `s = w z + r a - c`.
    pub savings: Vec<f64>,
    /// `u(c)`.
    pub utility: Vec<f64>,
    /// The drift where the forward difference is used (`>= 0`), else 0.
    pub forward: Vec<f64>,
    /// The drift where the backward difference is used (`<= 0`), else 0.
    pub backward: Vec<f64>,
}

/// The household's problem solved at one interest rate.
#[derive(Debug, Clone)]
pub struct DiffusionSolution {
    /// The interest rate.
    pub r: f64,
    /// The wage (1 in Huggett's economy).
    pub w: f64,
    /// What the market needs: the firm's capital `K(r)`, or 0 for bonds.
    pub demand: f64,
    /// The grid.
    pub grid: DiffusionGrid,
    /// `V(a, z)`, grid order (`p = i + 2^La k`).
    pub value: Vec<f64>,
    /// The policies.
    pub policy: DiffusionPolicy,
    /// The stationary density `g(a, z)`: `sum g da dz = 1`, `g >= 0`.
    pub density: Vec<f64>,
    /// `sum a g da dz`: the households' assets.
    pub wealth: f64,
    /// `sum z g da dz`: effective labour.
    pub labour: f64,
    /// `wealth - demand`.
    pub excess: f64,
    /// `sum g da dz` (1 to rounding).
    pub mass: f64,
    /// The smallest density value.
    pub min_density: f64,
    /// Probability at the borrowing limit `sum_k g(amin, z_k) da dz`.
    pub mass_at_limit: f64,
    /// One report per policy iteration.
    pub hjb: Vec<IterationReport>,
    /// `max |A^T g| / (max |diag A| max g)`.
    pub kfe_residual: f64,
    /// Inverse iterations of the KFE.
    pub kfe_iterations: usize,
    /// Seconds the solve took.
    pub seconds: f64,
}

impl DiffusionSolution {
    /// The wealth density `sum_k g(a_i, z_k) dz` (integrates to 1 with `da`).
    pub fn marginal_wealth(&self) -> Vec<f64> {
        let (na, nz, dz) = (self.grid.na(), self.grid.nz(), self.grid.dz());
        (0..na)
            .map(|i| (0..nz).map(|k| self.density[i + na * k]).sum::<f64>() * dz)
            .collect()
    }

    /// The income density `sum_i g(a_i, z_k) da` (integrates to 1 with `dz`).
    pub fn marginal_income(&self) -> Vec<f64> {
        let (na, nz, da) = (self.grid.na(), self.grid.nz(), self.grid.da());
        (0..nz)
            .map(|k| self.density[na * k..na * (k + 1)].iter().sum::<f64>() * da)
            .collect()
    }
}

impl IncomeDiffusion {
    /// The upwind scheme's choices for value function `v` at prices `(r, w)`.
    pub fn policy(
        &self,
        grid: &DiffusionGrid,
        r: f64,
        w: f64,
        v: &[f64],
    ) -> Result<DiffusionPolicy> {
        let (na, nz, n) = (grid.na(), grid.nz(), grid.len());
        if v.len() != n {
            return Err(Error::shape(format!(
                "V has {} values, the grid {na} x {nz}",
                v.len()
            )));
        }
        let u = self.utility();
        let da = grid.da();
        let mut p = DiffusionPolicy {
            consumption: vec![0.0; n],
            savings: vec![0.0; n],
            utility: vec![0.0; n],
            forward: vec![0.0; n],
            backward: vec![0.0; n],
        };
        for k in 0..nz {
            let z = grid.z(k);
            for i in 0..na {
                let q = i + na * k;
                let y = self.resources(r, w, grid.a(i), z);
                if !(y.is_finite() && y > 0.0) && i == 0 {
                    return Err(Error::invalid(format!(
                        "resources at the borrowing limit (a = {}, z = {z}) are {y} at r = {r}, w = {w}: \
                         consumption is impossible",
                        grid.a(0)
                    )));
                }
                let dvf = if i + 1 < na {
                    (v[q + 1] - v[q]) / da
                } else {
                    u.marginal(y.max(1e-10))
                };
                let dvb = if i > 0 {
                    (v[q] - v[q - 1]) / da
                } else {
                    u.marginal(y)
                };
                let s = upwind(&u, y, dvf, dvb, i == 0, i + 1 == na);
                p.consumption[q] = s.consumption;
                p.savings[q] = y - s.consumption;
                p.utility[q] = s.utility;
                p.forward[q] = s.forward_drift;
                p.backward[q] = s.backward_drift;
            }
        }
        Ok(p)
    }

    /// The generator `A` of policy `p`: wealth drifts upwinded, plus the
    /// income chain (rows sum to zero, off-diagonals `>= 0`).
    pub fn generator(&self, grid: &DiffusionGrid, p: &DiffusionPolicy) -> Result<Generator> {
        let pattern = grid.pattern().clone();
        let (na, da) = (grid.na(), grid.da());
        let values = (0..pattern.nnz())
            .map(|e| {
                let (r, c) = pattern.position(e);
                let k = r / na;
                if c == r + 1 {
                    p.forward[r] / da
                } else if c + 1 == r {
                    -p.backward[r] / da
                } else if c == r + na {
                    grid.z_up[k]
                } else if c + na == r {
                    grid.z_down[k]
                } else {
                    0.0
                }
            })
            .collect();
        Generator::from_rates(pattern, values)
    }

    /// The household's problem at interest rate `r` on `grid` (partial
    /// equilibrium), warm started from `warm`'s value function and density
    /// if it is on the same grid.
    pub fn solve_household(
        &self,
        grid: &DiffusionGrid,
        r: f64,
        opts: &FdOptions,
        warm: Option<&DiffusionSolution>,
    ) -> Result<DiffusionSolution> {
        let start = Instant::now();
        opts.check()?;
        self.check()?;
        let labour_chain = grid.labour();
        let (w, demand) = self.wage_and_demand(r, labour_chain)?;
        let n = grid.len();
        let warm = warm.filter(|s| s.value.len() == n);
        let mut v: Vec<f64> = match warm {
            Some(s) => s.value.clone(),
            None => {
                let u = self.utility();
                (0..n)
                    .map(|q| {
                        let (i, k) = grid.point(q);
                        u.u(self.resources(r, w, grid.a(i), grid.z(k)).max(1e-3)) / self.rho
                    })
                    .collect()
            }
        };
        let shift = self.rho + 1.0 / opts.delta;
        let mut reports: Vec<IterationReport> = Vec::new();
        let mut converged = false;
        for it in 1..=opts.max_iterations {
            let p = self.policy(grid, r, w, &v)?;
            let a = self.generator(grid, &p)?;
            let rhs: Vec<f64> = p
                .utility
                .iter()
                .zip(&v)
                .map(|(u, vv)| u + vv / opts.delta)
                .collect();
            let next = a.solve_shifted(shift, &rhs).map_err(|e| {
                Error::Numerical(format!(
                    "HJB iteration {it} at r = {r}: {e}; change history {:?}",
                    reports.iter().map(|r| r.change).collect::<Vec<_>>()
                ))
            })?;
            let change = relative_change(&next, &v, 1.0);
            v = next;
            reports.push(IterationReport {
                iteration: it,
                change,
                max_rank: 1,
                seconds: start.elapsed().as_secs_f64(),
            });
            if change <= opts.hjb_tol {
                converged = true;
                break;
            }
        }
        if !converged {
            return Err(Error::Numerical(format!(
                "HJB at r = {r}: policy iteration did not converge to {} in {} iterations; \
                 change history {:?}",
                opts.hjb_tol,
                opts.max_iterations,
                reports.iter().map(|r| r.change).collect::<Vec<_>>()
            )));
        }
        let policy = self.policy(grid, r, w, &v)?;
        let a = self.generator(grid, &policy)?;
        let cell = grid.da() * grid.dz();
        let st = a.stationary(
            cell,
            opts.kfe_dt_rho / self.rho,
            opts.kfe_tol,
            opts.kfe_max_iterations,
            warm.map(|s| s.density.as_slice()),
        )?;
        let g = st.density;
        let na = grid.na();
        let (mut mass, mut wealth, mut labour) = (0.0, 0.0, 0.0);
        for (q, gq) in g.iter().enumerate() {
            let (i, k) = grid.point(q);
            mass += gq;
            wealth += grid.a(i) * gq;
            labour += grid.z(k) * gq;
        }
        let (mass, wealth, labour) = (mass * cell, wealth * cell, labour * cell);
        let mass_at_limit = (0..grid.nz()).map(|k| g[na * k]).sum::<f64>() * cell;
        let min_density = g.iter().cloned().fold(f64::INFINITY, f64::min);
        Ok(DiffusionSolution {
            r,
            w,
            demand,
            grid: grid.clone(),
            value: v,
            policy,
            density: g,
            wealth,
            labour,
            excess: wealth - demand,
            mass,
            min_density,
            mass_at_limit,
            hjb: reports,
            kfe_residual: st.residual,
            kfe_iterations: st.iterations,
            seconds: start.elapsed().as_secs_f64(),
        })
    }
}
