//! The sparse finite-difference backend: the HACT implicit upwind scheme
//! with every grid value stored, solved by banded LU.
//!
//! Unknowns are ordered wealth-major, `(i, j) -> i J + j`, so the generator
//! (upwind differences couple `i +- 1`, income switching couples the `J`
//! states of one wealth point) is a band matrix of half-width `J`: LU
//! without pivoting costs `O(N J^2)` flops and `O(N J)` memory, and is
//! stable because `(rho + 1/Delta) I - A` is a row-diagonally dominant
//! M-matrix and `I - dt A^T` a column-diagonally dominant one.
//!
//! The stationary distribution is found by inverse iteration,
//! `(I - dt A^T) g' = g` with a large `dt` (mass is conserved by every
//! step, no entry is pinned), until `g` stops changing.

use super::equilibrium::{Progress, ProgressFn, SolveOptions};
use super::scheme::{upwind, upwind_smoothed};
use super::solution::{relative_change, Field, HouseholdSolution, IterationReport};
use super::{Model, Prices};
use crate::error::{Error, Result};
use std::time::Instant;

/// A square band matrix with `w` sub- and super-diagonals, row-major:
/// entry `(r, c)` at `data[r (2w + 1) + c - r + w]`.
pub struct BandMatrix {
    n: usize,
    w: usize,
    data: Vec<f64>,
}

impl BandMatrix {
    /// A zero `n x n` band matrix of half-width `w` (memory checked).
    pub fn zeros(n: usize, w: usize) -> Result<Self> {
        let len = (n as u128) * (2 * w as u128 + 1);
        crate::memory::check_fits("a banded finite-difference matrix", len * 8 * 3)?;
        Ok(Self {
            n,
            w,
            data: vec![0.0; len as usize],
        })
    }

    /// Adds `v` to entry `(r, c)` (`|r - c| <= w`).
    #[inline]
    pub fn add(&mut self, r: usize, c: usize, v: f64) {
        let k = r * (2 * self.w + 1) + c + self.w - r;
        self.data[k] += v;
    }

    /// Entry `(r, c)`.
    #[inline]
    pub fn get(&self, r: usize, c: usize) -> f64 {
        if r.abs_diff(c) > self.w || r >= self.n || c >= self.n {
            return 0.0;
        }
        self.data[r * (2 * self.w + 1) + c + self.w - r]
    }

    /// `y = M x`.
    pub fn apply(&self, x: &[f64]) -> Vec<f64> {
        let (n, w) = (self.n, self.w);
        (0..n)
            .map(|r| {
                let lo = r.saturating_sub(w);
                let hi = (r + w).min(n - 1);
                (lo..=hi).map(|c| self.get(r, c) * x[c]).sum()
            })
            .collect()
    }

    /// `M^T` (same band).
    pub fn transpose(&self) -> Self {
        let mut t = BandMatrix {
            n: self.n,
            w: self.w,
            data: vec![0.0; self.data.len()],
        };
        for r in 0..self.n {
            let lo = r.saturating_sub(self.w);
            let hi = (r + self.w).min(self.n - 1);
            for c in lo..=hi {
                t.add(c, r, self.get(r, c));
            }
        }
        t
    }

    /// In-place LU without pivoting (for diagonally dominant matrices);
    /// an error at a zero pivot.
    pub fn factor(&mut self) -> Result<()> {
        let (n, w, s) = (self.n, self.w, 2 * self.w + 1);
        for k in 0..n {
            let piv = self.data[k * s + w];
            if piv == 0.0 || !piv.is_finite() {
                return Err(Error::Numerical(format!(
                    "banded LU: pivot {piv} at row {k} (the matrix is not diagonally dominant)"
                )));
            }
            let hi = (k + w).min(n - 1);
            for i in k + 1..=hi {
                let lik = self.data[i * s + k + w - i] / piv;
                self.data[i * s + k + w - i] = lik;
                if lik != 0.0 {
                    for c in k + 1..=hi {
                        self.data[i * s + c + w - i] -= lik * self.data[k * s + c + w - k];
                    }
                }
            }
        }
        Ok(())
    }

    /// Solves with the factors of [`BandMatrix::factor`], in place.
    pub fn solve(&self, x: &mut [f64]) {
        let (n, w, s) = (self.n, self.w, 2 * self.w + 1);
        for i in 0..n {
            let lo = i.saturating_sub(w);
            let row = &self.data[i * s + lo + w - i..i * s + w];
            let v: f64 = row.iter().zip(&x[lo..i]).map(|(l, xc)| l * xc).sum();
            x[i] -= v;
        }
        for i in (0..n).rev() {
            let hi = (i + w).min(n - 1);
            let row = &self.data[i * s + w + 1..i * s + hi + w - i + 1];
            let v: f64 = row.iter().zip(&x[i + 1..=hi]).map(|(u, xc)| u * xc).sum();
            x[i] = (x[i] - v) / self.data[i * s + w];
        }
    }
}

/// The scheme's choices on the whole grid for value function `v`.
pub(crate) struct Policy {
    pub forward: Vec<f64>,
    pub backward: Vec<f64>,
    pub consumption: Vec<f64>,
    pub utility: Vec<f64>,
}

/// Resources `y(a_i, z_j)` at every grid point, wealth-major.
pub(crate) fn resources(model: &Model, prices: &Prices) -> Result<Vec<f64>> {
    let (n, jn) = (model.points() as usize, model.states());
    let mut y = Vec::with_capacity(n * jn);
    for i in 0..n {
        let a = model.wealth(i as u64);
        for j in 0..jn {
            let v = model.resources(prices, a, j)?;
            if !v.is_finite() {
                return Err(Error::NonFinite(format!(
                    "resources at a = {a}, income state {j} are {v}"
                )));
            }
            y.push(v);
        }
    }
    Ok(y)
}

/// The scheme's choices at every point: exact, or smoothed with width
/// `smoothing` (an error where the smoothed consumption is not positive).
pub(crate) fn policy(
    model: &Model,
    y: &[f64],
    v: &[f64],
    smoothing: Option<f64>,
) -> Result<Policy> {
    let (n, jn) = (model.points() as usize, model.states());
    let da = model.spacing();
    let u = &model.utility;
    let mut p = Policy {
        forward: vec![0.0; n * jn],
        backward: vec![0.0; n * jn],
        consumption: vec![0.0; n * jn],
        utility: vec![0.0; n * jn],
    };
    for i in 0..n {
        for j in 0..jn {
            let r = i * jn + j;
            let dvf = if i + 1 < n {
                (v[r + jn] - v[r]) / da
            } else {
                u.marginal(y[r].max(1e-10))
            };
            let dvb = if i > 0 {
                (v[r] - v[r - jn]) / da
            } else {
                u.marginal(y[r])
            };
            let (bottom, top) = (i == 0, i + 1 == n);
            let s = match smoothing {
                None => upwind(u, y[r], dvf, dvb, bottom, top),
                Some(mu) => {
                    upwind_smoothed(u, y[r], dvf, dvb, bottom, top, mu).ok_or_else(|| {
                        Error::invalid(format!(
                            "the smoothing width {mu} leaves no positive consumption at a = {}, \
                         income state {j} (resources {}): narrow it",
                            model.wealth(i as u64),
                            y[r]
                        ))
                    })?
                }
            };
            p.forward[r] = s.forward_drift;
            p.backward[r] = s.backward_drift;
            p.consumption[r] = s.consumption;
            p.utility[r] = s.utility;
        }
    }
    Ok(p)
}

/// The generator `A` of the policy as a band matrix (rows sum to zero,
/// off-diagonals non-negative).
pub fn generator(model: &Model, forward: &[f64], backward: &[f64]) -> Result<BandMatrix> {
    let (n, jn) = (model.points() as usize, model.states());
    let da = model.spacing();
    let mut a = BandMatrix::zeros(n * jn, jn)?;
    for i in 0..n {
        for j in 0..jn {
            let r = i * jn + j;
            let (f, b) = (forward[r] / da, -backward[r] / da);
            if i + 1 < n {
                a.add(r, r + jn, f);
            }
            if i > 0 {
                a.add(r, r - jn, b);
            }
            a.add(r, r, -f - b);
            for k in 0..jn {
                a.add(r, i * jn + k, model.rates[j][k]);
            }
        }
    }
    Ok(a)
}

/// Solves the household's problem at `prices` on the dense grid.
pub(crate) fn solve(
    model: &Model,
    prices: &Prices,
    opts: &SolveOptions,
    warm: Option<&HouseholdSolution>,
) -> Result<HouseholdSolution> {
    let start = Instant::now();
    let (n, jn) = (model.points() as usize, model.states());
    crate::memory::check_fits(
        "the finite-difference backend's grid vectors",
        (n as u128) * (jn as u128) * 8 * 12,
    )?;
    let y = resources(model, prices)?;
    let mut v: Vec<f64> = match warm {
        Some(HouseholdSolution {
            value: Field::Dense { values, .. },
            ..
        }) if values.len() == n * jn => values.clone(),
        _ => y
            .iter()
            .map(|&yr| model.utility.u(yr.max(1e-3)) / model.rho)
            .collect(),
    };
    let shift = model.rho + 1.0 / opts.delta;
    let mut reports = Vec::new();
    let mut converged = false;
    for it in 1..=opts.max_iterations {
        let p = policy(model, &y, &v, opts.smoothing)?;
        let mut b = generator(model, &p.forward, &p.backward)?;
        // B = (rho + 1/Delta) I - A, in place.
        for x in b.data.iter_mut() {
            *x = -*x;
        }
        for r in 0..n * jn {
            b.add(r, r, shift);
        }
        b.factor()?;
        let mut rhs: Vec<f64> = p
            .utility
            .iter()
            .zip(&v)
            .map(|(u, vv)| u + vv / opts.delta)
            .collect();
        b.solve(&mut rhs);
        if let Some(bad) = rhs.iter().position(|x| !x.is_finite()) {
            return Err(Error::Numerical(format!(
                "HJB: V is not finite at point {bad} in iteration {it}; residual history {:?}",
                reports
                    .iter()
                    .map(|r: &IterationReport| r.change)
                    .collect::<Vec<_>>()
            )));
        }
        let change = relative_change(&rhs, &v, 1.0);
        v = rhs;
        reports.push(IterationReport {
            iteration: it,
            change,
            max_rank: 1,
            seconds: start.elapsed().as_secs_f64(),
        });
        opts.report(Progress::Hjb {
            iteration: it,
            change,
            max_rank: 1,
        });
        if change <= opts.hjb_tol {
            converged = true;
            break;
        }
    }
    if !converged {
        return Err(Error::Numerical(format!(
            "HJB: policy iteration did not converge in {} iterations; change history {:?}",
            opts.max_iterations,
            reports.iter().map(|r| r.change).collect::<Vec<_>>()
        )));
    }
    let p = policy(model, &y, &v, opts.smoothing)?;
    let a = generator(model, &p.forward, &p.backward)?;
    let (g, kfe_residual) = stationary(model, &a, warm)?;
    let da = model.spacing();
    let mass: f64 = g.iter().sum::<f64>() * da;
    let (aggregate, target) = aggregate(model, prices, &g)?;
    let min_density = g.iter().cloned().fold(f64::INFINITY, f64::min);
    opts.report(Progress::Kfe {
        residual: kfe_residual,
        mass,
    });
    let savings = y.iter().zip(&p.consumption).map(|(y, c)| y - c).collect();
    let field = |values: Vec<f64>| Field::Dense { values, states: jn };
    Ok(HouseholdSolution {
        prices: prices.clone(),
        mass_at_limit: (0..jn).map(|j| g[j] * da).collect(),
        value: field(v),
        consumption: field(p.consumption),
        savings: field(savings),
        density: field(g),
        aggregate,
        target,
        excess: aggregate - target,
        mass,
        min_density,
        hjb: reports,
        kfe_residual,
        smoothing: opts.smoothing,
        seconds: start.elapsed().as_secs_f64(),
        slopes: None,
    })
}

/// `sum integrand g da` of the wealth-major density `g` and the clearing
/// condition's target at `prices`.
pub(crate) fn aggregate(model: &Model, prices: &Prices, g: &[f64]) -> Result<(f64, f64)> {
    let (clearing, target) = model.clearing_parts(prices)?;
    let (jn, da) = (model.states(), model.spacing());
    let mut aggregate = 0.0;
    for (k, gk) in g.iter().enumerate() {
        let a_i = model.wealth((k / jn) as u64);
        let f = if model.clears_wealth() {
            a_i
        } else {
            model.integrand(&clearing, prices, a_i, k % jn)?
        };
        aggregate += f * gk * da;
    }
    Ok((aggregate, target))
}

/// The stationary density of generator `a` (`A^T g = 0`, `sum g da = 1`)
/// by inverse iteration, and its relative residual `|A^T g| / (|A| |g|)`.
pub(crate) fn stationary(
    model: &Model,
    a: &BandMatrix,
    warm: Option<&HouseholdSolution>,
) -> Result<(Vec<f64>, f64)> {
    let (n, jn) = (model.points() as usize, model.states());
    let da = model.spacing();
    let at = a.transpose();
    let dt = 1e6 / model.rho;
    let mut m = BandMatrix {
        n: at.n,
        w: at.w,
        data: at.data.iter().map(|x| -dt * x).collect(),
    };
    for r in 0..n * jn {
        m.add(r, r, 1.0);
    }
    m.factor()?;
    let mut g: Vec<f64> = match warm {
        Some(HouseholdSolution {
            density: Field::Dense { values, .. },
            ..
        }) if values.len() == n * jn => values.clone(),
        _ => vec![1.0 / (da * (n * jn) as f64); n * jn],
    };
    let mut history = Vec::new();
    for _ in 0..200 {
        let mut next = g.clone();
        m.solve(&mut next);
        let mass: f64 = next.iter().sum::<f64>() * da;
        if !(mass.is_finite() && mass > 0.0) {
            return Err(Error::Numerical(format!(
                "KFE: inverse iteration lost the mass ({mass}); change history {history:?}"
            )));
        }
        next.iter_mut().for_each(|x| *x /= mass);
        let change = relative_change(&next, &g, 0.0);
        g = next;
        history.push(change);
        if settled(&history) {
            let r = at.apply(&g);
            let anorm = (0..n * jn).fold(0.0f64, |m, r| m.max(at.get(r, r).abs()));
            let scale = g.iter().fold(0.0f64, |m, x| m.max(x.abs()));
            let res = r.iter().fold(0.0f64, |m, x| m.max(x.abs())) / (anorm * scale);
            return Ok((g, res));
        }
    }
    Err(Error::Numerical(format!(
        "KFE: the stationary distribution did not converge in 200 inverse iterations; change history {history:?}"
    )))
}

/// Whether inverse iteration has converged, from its history of relative
/// changes: below 1e-14, or below 1e-11 and no longer contracting (its
/// rounding floor: Aiyagari on 2^16 points went 3.9e-6, 9.9e-12, then
/// 1.3138913947315e-14 and 1.3138913947314e-14 in turn for 200 steps).
fn settled(history: &[f64]) -> bool {
    match history {
        [.., last] if *last < 1e-14 => true,
        [.., before, last] => *last < 1e-11 && *last > 0.5 * before,
        _ => false,
    }
}

/// One step of a transition: the density after time `dt`.
#[derive(Debug, Clone, PartialEq)]
pub struct TransitionStep {
    /// Time since the start.
    pub time: f64,
    /// `sum g da` (1 up to rounding).
    pub mass: f64,
    /// `sum a g da`.
    pub wealth: f64,
    /// The smallest density value.
    pub min_density: f64,
}

impl TransitionStep {
    /// Sends step `k` to the caller's callback, if any.
    pub(crate) fn report(&self, k: usize, progress: Option<&ProgressFn>) {
        if let Some(f) = progress {
            f(&Progress::Transition {
                step: k,
                time: self.time,
                mass: self.mass,
                wealth: self.wealth,
            });
        }
    }
}

/// The distribution's path under the policy of `sol` (a finite-difference
/// solution): `g^(n+1) = (I - dt A^T)^-1 g^n` from `g0` (wealth-major, a
/// density: `sum g0 da = 1`), `steps` implicit steps of length `dt`. The
/// implicit step keeps mass exactly and `g >= 0` (its matrix is an
/// M-matrix); both are reported at every step, and each step goes to
/// `progress` as it is made. Returns the path and the final density.
pub fn transition(
    model: &Model,
    sol: &HouseholdSolution,
    g0: &[f64],
    dt: f64,
    steps: usize,
    progress: Option<&ProgressFn>,
) -> Result<(Vec<TransitionStep>, Vec<f64>)> {
    let (n, jn) = (model.points() as usize, model.states());
    if g0.len() != n * jn {
        return Err(Error::shape(format!(
            "the initial density has {} values, the grid {} x {}",
            g0.len(),
            n,
            jn
        )));
    }
    crate::error::check_finite("initial density", g0)?;
    if !(dt.is_finite() && dt > 0.0) {
        return Err(Error::invalid(format!(
            "the time step {dt} must be positive and finite"
        )));
    }
    if g0.iter().any(|&v| v < 0.0) {
        return Err(Error::invalid("the initial density must be non-negative"));
    }
    let Field::Dense { values: v, .. } = &sol.value else {
        return Err(Error::invalid(
            "transition needs a finite-difference solution (Backend::FiniteDifference)",
        ));
    };
    if v.len() != n * jn {
        return Err(Error::shape("the solution belongs to another grid"));
    }
    let da = model.spacing();
    // The generator of the solution's own scheme (exact or smoothed).
    let p = policy(model, &resources(model, &sol.prices)?, v, sol.smoothing)?;
    let (forward, backward) = (p.forward, p.backward);
    let at = generator(model, &forward, &backward)?.transpose();
    let mut m = BandMatrix {
        n: at.n,
        w: at.w,
        data: at.data.iter().map(|x| -dt * x).collect(),
    };
    for r in 0..n * jn {
        m.add(r, r, 1.0);
    }
    m.factor()?;
    let mut g = g0.to_vec();
    let mut path = Vec::with_capacity(steps);
    for k in 1..=steps {
        m.solve(&mut g);
        let mass = g.iter().sum::<f64>() * da;
        let wealth = (0..n * jn)
            .map(|r| model.wealth((r / jn) as u64) * g[r])
            .sum::<f64>()
            * da;
        let min_density = g.iter().cloned().fold(f64::INFINITY, f64::min);
        let step = TransitionStep {
            time: k as f64 * dt,
            mass,
            wealth,
            min_density,
        };
        step.report(k, progress);
        path.push(step);
    }
    Ok((path, g))
}

#[cfg(test)]
mod tests {
    use super::settled;

    #[test]
    fn inverse_iteration_stops_at_its_rounding_floor() {
        // The recorded Aiyagari 2^16 history: settled once it stops contracting.
        assert!(!settled(&[3.9e-6]));
        assert!(!settled(&[3.9e-6, 9.9e-12]));
        assert!(!settled(&[3.9e-6, 9.9e-12, 1.3138913947315052e-14]));
        assert!(settled(&[
            3.9e-6,
            9.9e-12,
            1.3138913947315052e-14,
            1.313891394731488e-14
        ]));
        // Still contracting, or far above the floor: go on.
        assert!(!settled(&[1e-9, 1e-12]));
        assert!(!settled(&[1e-3, 9e-4]));
        assert!(settled(&[1e-9, 5e-15]));
    }
}
