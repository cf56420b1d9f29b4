//! The problem `u_t + sum_i sigma_i u_{x_i x_i} + H(u, sum_i a_i u_{x_i}^2) = 0`
//! on `[0, T] x R^d` with `u(T, x) = g(x)`, and the solver's options.

use super::{Hamiltonian, Stepper};
use crate::error::{check_finite, check_nonneg, Error, Result};
use crate::tt::TensorTrain;
use std::sync::Arc;

/// A terminal cost `g(x)` as a shareable closure.
pub type TerminalFn = Arc<dyn Fn(&[f64]) -> f64 + Send + Sync>;

/// The terminal condition `g = u(T, .)`.
#[derive(Clone)]
pub enum TerminalCost {
    /// A function of the point `x` (length `d`), sampled by cross
    /// approximation on the grid; it must return finite values.
    Function(TerminalFn),
    /// Values at the grid nodes, already a tensor train.
    Train(TensorTrain),
}

impl std::fmt::Debug for TerminalCost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Function(_) => write!(f, "Function(<closure>)"),
            Self::Train(t) => write!(f, "Train(ranks {:?})", t.ranks()),
        }
    }
}

/// A backward parabolic HJB equation with diagonal diffusion.
#[derive(Debug, Clone)]
pub struct HjbProblem {
    dim: usize,
    horizon: f64,
    diffusion: Vec<f64>,
    gradient_weights: Vec<f64>,
    hamiltonian: Hamiltonian,
    terminal: TerminalCost,
    gradient_bound: Option<f64>,
}

impl HjbProblem {
    /// `u_t + Laplacian u + H(u, |grad u|^2) = 0`, `u(T) = g`, in `dim >= 1`
    /// dimensions with horizon `T >= 0`.
    pub fn new(
        dim: usize,
        horizon: f64,
        hamiltonian: Hamiltonian,
        terminal: TerminalCost,
    ) -> Result<Self> {
        if dim == 0 {
            return Err(Error::invalid("dimension d = 0, expected at least 1"));
        }
        check_nonneg("horizon T", horizon)?;
        hamiltonian.validate()?;
        if let TerminalCost::Train(t) = &terminal {
            if t.len() != dim {
                return Err(Error::shape(format!(
                    "a terminal train of {} cores for d = {dim}",
                    t.len()
                )));
            }
        }
        Ok(Self {
            dim,
            horizon,
            diffusion: vec![1.0; dim],
            gradient_weights: vec![1.0; dim],
            hamiltonian,
            terminal,
            gradient_bound: None,
        })
    }

    /// Han, Jentzen and E's test (PNAS 2018): `T = 1`, `H = -lambda |grad u|^2`,
    /// `g(x) = ln((1 + |x|^2) / 2)`.
    pub fn han_jentzen_e(dim: usize, lambda: f64) -> Result<Self> {
        let g = |x: &[f64]| ((1.0 + x.iter().map(|v| v * v).sum::<f64>()) / 2.0).ln();
        // |grad g| = 2|x| / (1 + |x|^2) <= 1.
        Self::new(
            dim,
            1.0,
            Hamiltonian::quadratic(lambda)?,
            TerminalCost::Function(Arc::new(g)),
        )?
        .with_gradient_bound(1.0)
    }

    /// A bound `B` on `|grad u|` over `[0, T] x R^d`, e.g. the Lipschitz
    /// constant of `g` when `H` does not depend on `u` (then `grad u` obeys
    /// a maximum principle). The solver clamps `q` to `max_i a_i B^2`,
    /// which leaves the solution unchanged and keeps the explicit
    /// Hamiltonian step stable against the noise that the weighted norm
    /// allows near the walls.
    pub fn with_gradient_bound(mut self, bound: f64) -> Result<Self> {
        check_nonneg("gradient bound", bound)?;
        self.gradient_bound = Some(bound);
        Ok(self)
    }

    /// The bound on `|grad u|`, if one was given.
    pub fn gradient_bound(&self) -> Option<f64> {
        self.gradient_bound
    }

    /// Per-axis diffusion coefficients `sigma_i >= 0` (default 1).
    pub fn with_diffusion(mut self, sigma: Vec<f64>) -> Result<Self> {
        self.diffusion = per_axis("diffusion coefficient", sigma, self.dim)?;
        Ok(self)
    }

    /// Per-axis weights `a_i >= 0` of `q = sum_i a_i u_{x_i}^2` (default 1).
    pub fn with_gradient_weights(mut self, a: Vec<f64>) -> Result<Self> {
        self.gradient_weights = per_axis("gradient weight", a, self.dim)?;
        Ok(self)
    }

    /// The dimension `d`.
    pub fn dim(&self) -> usize {
        self.dim
    }
    /// The horizon `T`.
    pub fn horizon(&self) -> f64 {
        self.horizon
    }
    /// The diffusion coefficients `sigma_i`.
    pub fn diffusion(&self) -> &[f64] {
        &self.diffusion
    }
    /// The gradient weights `a_i`.
    pub fn gradient_weights(&self) -> &[f64] {
        &self.gradient_weights
    }
    /// The Hamiltonian.
    pub fn hamiltonian(&self) -> &Hamiltonian {
        &self.hamiltonian
    }
    /// The terminal condition.
    pub fn terminal(&self) -> &TerminalCost {
        &self.terminal
    }
}

fn per_axis(name: &str, v: Vec<f64>, dim: usize) -> Result<Vec<f64>> {
    if v.len() != dim {
        return Err(Error::shape(format!(
            "{} values of the {name} for d = {dim}",
            v.len()
        )));
    }
    check_finite(name, &v)?;
    for (i, &x) in v.iter().enumerate() {
        check_nonneg(&format!("{name} {i}"), x)?;
    }
    Ok(v)
}

/// Discretisation and accuracy settings of [`solve`](super::solve).
#[derive(Debug, Clone, PartialEq)]
pub struct SolverOptions {
    /// Chebyshev nodes per axis (`>= 2`).
    pub points: usize,
    /// The truncated domain is `[-half_width, half_width]^d`.
    pub half_width: f64,
    /// The Kosloff–Tal-Ezer map parameter in `[0, 1)`; `None`: the default
    /// of [`ChebyshevAxis::default_map`](super::ChebyshevAxis::default_map).
    pub map: Option<f64>,
    /// Number of time steps over `[0, T]` (`>= 1`).
    pub steps: usize,
    /// The time integrator.
    pub stepper: Stepper,
    /// Relative accuracy of every rounding and cross approximation.
    pub tol: f64,
    /// Largest TT rank kept.
    pub max_rank: usize,
    /// Largest number of half-sweeps of each cross approximation.
    pub cross_sweeps: usize,
    /// Random columns added per bond and half-sweep (rank growth per sweep).
    pub cross_extra: usize,
    /// Seed of the cross approximations' random choices.
    pub seed: u64,
    /// The norm in which roundings and cross approximations measure error.
    pub weighting: Weighting,
}

/// The norm of the TT approximations: which points of the box must be
/// accurate.
///
/// In `d = 100` dimensions the plain Frobenius norm of the box
/// `[-L, L]^d` lives on the shell `|x|^2 ~ d L^2 / 3`, far outside the
/// shell `|x|^2 ~ 2 d T` that the heat kernel from the origin sees, so a
/// relative rounding error of `1e-12` there can leave `1e-2` errors where
/// they matter. The heat-kernel weighting rounds `rho v` instead of `v`,
/// `rho(x) = prod_i (exp(-x_i^2 / (4 c_i)) + floor)` with the variance
/// `c_i = scale 2 sigma_i max(t, min_fraction T)` of the heat kernel that
/// carries `u(t, .)` to `u(0, 0)`: the weighted norm's shell follows the
/// region of dependence of the origin as `t` decreases. The `floor` bounds
/// the amplification of errors at the walls to `1 / floor` per axis.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Weighting {
    /// The plain Frobenius norm over the grid nodes.
    Uniform,
    /// The heat-kernel weight around the origin (see the type's docs).
    HeatKernel {
        /// Widening of the kernel's variance (1: the kernel itself).
        scale: f64,
        /// The variance never shrinks below that of `min_fraction T`.
        min_fraction: f64,
        /// Added to each axis factor.
        floor: f64,
    },
}

impl Default for Weighting {
    fn default() -> Self {
        Self::HeatKernel {
            scale: 1.0,
            min_fraction: 0.25,
            floor: 1e-3,
        }
    }
}

impl Default for SolverOptions {
    fn default() -> Self {
        Self {
            points: 21,
            half_width: 8.0,
            map: None,
            steps: 16,
            stepper: Stepper::Lawson4,
            tol: 1e-7,
            max_rank: 60,
            cross_sweeps: 6,
            cross_extra: 3,
            seed: 0,
            weighting: Weighting::default(),
        }
    }
}

impl SolverOptions {
    /// Checks every field; the error names the offending one.
    pub fn validate(&self) -> Result<()> {
        if self.points < 2 {
            return Err(Error::invalid(format!(
                "points = {}, expected at least 2 per axis",
                self.points
            )));
        }
        check_nonneg("half_width", self.half_width)?;
        if self.half_width == 0.0 {
            return Err(Error::invalid("half_width = 0, expected a number > 0"));
        }
        if self.steps == 0 {
            return Err(Error::invalid("steps = 0, expected at least 1 time step"));
        }
        check_nonneg("tol", self.tol)?;
        if self.max_rank == 0 || self.cross_sweeps == 0 {
            return Err(Error::invalid(
                "max_rank and cross_sweeps must be at least 1",
            ));
        }
        if let Weighting::HeatKernel {
            scale,
            min_fraction,
            floor,
        } = self.weighting
        {
            check_nonneg("weighting scale", scale)?;
            check_nonneg("weighting min_fraction", min_fraction)?;
            check_nonneg("weighting floor", floor)?;
            if scale == 0.0 || min_fraction == 0.0 || floor == 0.0 {
                return Err(Error::invalid(
                    "the heat-kernel weighting needs scale, min_fraction and floor > 0",
                ));
            }
        }
        if let Some(a) = self.map {
            check_nonneg("map", a)?;
            if a >= 1.0 {
                return Err(Error::invalid(format!("map = {a}, expected [0, 1)")));
            }
        }
        Ok(())
    }
}
