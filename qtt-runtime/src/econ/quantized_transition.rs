//! Transitions on quantized grids: the implicit forward equation
//! `g^(n+1) = (I - dt A^T)^-1 g^n` under the policy of a QTT solution.
//! Each step is one cyclic reduction (`econ/reduction.rs`) of
//! the row system `pi^(n+1) (I / dt - A) = pi^n / dt` in masses
//! `pi = g da`: the implicit step keeps the mass exactly (the rows of `A`
//! sum to zero), and every term of the reduction is a product of
//! non-negative numbers, so non-negative masses stay non-negative up to
//! the truncation. Each step's mass defect (its truncation, ~1e-14) is
//! reported in [`TransitionStep::mass`] and projected out.

use super::equilibrium::ProgressFn;
use super::finite_difference::TransitionStep;
use super::quantized::{approximate, fine_coefficients, Pieces, QttOptions};
use super::reduction::{Layout, Reduction, Rhs};
use super::solution::{Field, HouseholdSolution};
use super::Model;
use crate::error::{Error, Result};
use crate::tt::TensorTrain;

/// The points where the density is checked: all of them on grids of at
/// most `2^dense_bits` points, else 4097 evenly spaced ones.
fn probe_points(p: &Pieces, o: &QttOptions) -> Vec<u64> {
    let n = p.points();
    if p.bits <= o.dense_bits {
        return (0..n).collect();
    }
    let count = 4097u64;
    (0..count)
        .map(|k| ((n - 1) as u128 * k as u128 / (count - 1) as u128) as u64)
        .collect()
}

/// The smallest value of `t` at `points` (all income states).
fn smallest(t: &TensorTrain, points: &[u64]) -> Result<f64> {
    Ok(t.eval_fibers(points)?
        .into_iter()
        .fold(f64::INFINITY, f64::min))
}

/// The density of a point mass: everybody at wealth point `i` in income
/// state `j` (`1 / da` there, mass 1), as a QTT on `model`'s grid (an
/// initial density for [`transition`]).
pub fn point_mass(model: &Model, i: u64, j: usize) -> Result<TensorTrain> {
    let p = Pieces::new(model)?;
    if i >= p.points() || j >= p.states {
        return Err(Error::invalid(format!(
            "a point mass at wealth point {i}, income state {j}: the grid has {} points and {} \
             income states",
            p.points(),
            p.states
        )));
    }
    Ok(TensorTrain::basis_state(&p.modes(), &p.index(i, j))?.scaled(1.0 / p.da))
}

/// The distribution's path under the policy of `sol` (a QTT solution on
/// `model`'s grid): `steps` implicit steps of length `dt` from the density
/// `g0` (modes `2^L, J`, `sum g0 da = 1`). Returns the path (mass, mean
/// wealth and the smallest density, at every point of grids up to
/// `2^dense_bits` points and at 4097 points per state above) and the final
/// density; each step goes to `progress` as it is made.
/// [`finite_difference::transition`](super::finite_difference::transition)
/// is its dense twin.
pub fn transition(
    model: &Model,
    sol: &HouseholdSolution,
    g0: &TensorTrain,
    dt: f64,
    steps: usize,
    o: &QttOptions,
    progress: Option<&ProgressFn>,
) -> Result<(Vec<TransitionStep>, TensorTrain)> {
    let p = Pieces::new(model)?;
    if g0.modes() != p.modes() {
        return Err(Error::shape(format!(
            "the initial density has modes {:?}, the grid {:?}",
            g0.modes(),
            p.modes()
        )));
    }
    if !(dt.is_finite() && dt > 0.0) {
        return Err(Error::invalid(format!(
            "the time step {dt} must be positive and finite"
        )));
    }
    for core in g0.cores() {
        crate::error::check_finite("initial density (a core)", core.data())?;
    }
    let Field::Qtt { tt: s, bits } = &sol.savings else {
        return Err(Error::invalid(
            "this transition needs a QTT solution (Backend::Qtt); \
             finite_difference::transition takes finite-difference ones",
        ));
    };
    if *bits != p.bits || s.modes() != p.modes() {
        return Err(Error::shape("the solution belongs to another grid"));
    }
    let probes = probe_points(&p, o);
    let min0 = smallest(g0, &probes)?;
    if min0 < 0.0 {
        return Err(Error::invalid(format!(
            "the initial density must be non-negative (it is {min0:e} at a grid point)"
        )));
    }
    let (n, j) = (p.points(), p.states);
    // The generator of the solution's savings: right where s > 0, left where
    // s < 0 (the drift the upwind scheme chose at each point).
    let upwind = |ws: &[u64]| -> Result<(Vec<f64>, Vec<f64>)> {
        let sv = s.eval_fibers(ws)?;
        let mut right = vec![0.0; ws.len() * j];
        let mut left = vec![0.0; ws.len() * j];
        for (q, &w) in ws.iter().enumerate() {
            for a in 0..j {
                let v = sv[q * j + a];
                if w + 1 < n {
                    right[q * j + a] = v.max(0.0);
                }
                if w > 0 {
                    left[q * j + a] = (-v).max(0.0);
                }
            }
        }
        Ok((right, left))
    };
    let wealth = approximate(&p, o, &|i, _| model.wealth(i))?;
    let lay = Layout { j };
    let mut pi = g0.scaled(p.da);
    let mut path = Vec::with_capacity(steps);
    for k in 1..=steps {
        let rhs = pi.scaled(1.0 / dt);
        let fine = fine_coefficients(model, &p, o, &upwind, 1.0 / dt, Some(&rhs))?;
        pi = Reduction::new(lay, fine, p.da, o.compression(o.tol), Rhs::Rows, 0)?.solve_rows()?;
        // The step keeps the mass up to its truncation (~1e-14); the
        // defect is reported and projected out, so that it cannot add up
        // over long transitions (9e-13 after 60 steps on 2^10 points).
        let mass = pi.sum();
        if !(mass.is_finite() && mass > 0.0) {
            return Err(Error::Numerical(format!(
                "transition (QTT): the mass after step {k} is {mass}"
            )));
        }
        pi = pi.scaled(1.0 / mass);
        let step = TransitionStep {
            time: k as f64 * dt,
            mass,
            wealth: wealth.dot(&pi)?,
            min_density: smallest(&pi, &probes)? / p.da,
        };
        step.report(k, progress);
        path.push(step);
    }
    Ok((path, pi.scaled(1.0 / p.da)))
}
