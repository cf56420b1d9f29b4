//! Time steppers for `v_tau = A v + N(v)` (`tau = T - t`, `A` the diffusion,
//! `N(v) = H(v, q(grad v))`): the linear part is propagated exactly by the
//! rank-1 Kronecker product `exp(h A)`, the nonlinear part explicitly.

use super::hamiltonian_cross::{hamiltonian_cross, scale_mode, CrossSettings, IndexSets};
use super::operator::{Diffusion, Propagator};
use super::Hamiltonian;
use crate::error::Result;
use crate::linalg::Truncation;
use crate::tt::TensorTrain;
use nalgebra::DMatrix;

/// The time integrator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stepper {
    /// Strang splitting: `exp(h/2 A)`, one Heun (RK2) step of `v' = N(v)`,
    /// `exp(h/2 A)`. Second order, two Hamiltonian evaluations per step.
    Strang,
    /// The Lawson (integrating-factor) fourth-order Runge–Kutta method:
    /// classical RK4 on `w = exp(-tau A) v`, written so that only
    /// `exp(h/2 A)` is ever applied. Fourth order, four evaluations per step.
    Lawson4,
}

/// What one step cost.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct StepCost {
    pub evaluations: usize,
    pub cross_sweeps: usize,
    pub max_cross_rank: usize,
}

/// The state of a run: propagators, derivatives and the cross index sets
/// carried from one evaluation to the next.
pub(crate) struct Integrator {
    base: Propagator,
    half: Propagator,
    rho: Vec<Vec<f64>>,
    derivatives: Vec<DMatrix<f64>>,
    weights: Vec<f64>,
    hamiltonian: Hamiltonian,
    sets: IndexSets,
    settings: CrossSettings,
    trunc: Truncation,
    stepper: Stepper,
    h: f64,
}

impl Integrator {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        diffusion: &Diffusion,
        derivatives: Vec<DMatrix<f64>>,
        weights: Vec<f64>,
        hamiltonian: Hamiltonian,
        sets: IndexSets,
        settings: CrossSettings,
        trunc: Truncation,
        stepper: Stepper,
        h: f64,
        rho: Vec<Vec<f64>>,
    ) -> Result<Self> {
        let base = diffusion.propagator(h / 2.0)?;
        Ok(Self {
            half: base.conjugated(&rho)?,
            base,
            rho,
            derivatives,
            weights,
            hamiltonian,
            sets,
            settings,
            trunc,
            stepper,
            h,
        })
    }

    fn n(&mut self, v: &TensorTrain, cost: &mut StepCost) -> Result<TensorTrain> {
        let (x, stats) = hamiltonian_cross(
            v,
            &self.rho,
            &self.derivatives,
            &self.weights,
            &self.hamiltonian,
            &mut self.sets,
            &self.settings,
        )?;
        cost.evaluations += stats.evaluations;
        cost.cross_sweeps += stats.sweeps;
        cost.max_cross_rank = cost.max_cross_rank.max(x.max_rank());
        Ok(x)
    }

    fn e(&self, v: &TensorTrain) -> Result<TensorTrain> {
        self.half.apply(v)
    }

    /// `x + alpha y`, rounded.
    fn axpy(&self, x: &TensorTrain, alpha: f64, y: &TensorTrain) -> Result<TensorTrain> {
        y.axpy(alpha, x)?.round(&self.trunc)
    }

    /// `v` (weighted by the current `rho`) reweighted by `rho_new`; the
    /// following steps use `rho_new`.
    pub(crate) fn reweight(
        &mut self,
        v: &TensorTrain,
        rho_new: Vec<Vec<f64>>,
    ) -> Result<TensorTrain> {
        let cores = v
            .cores()
            .iter()
            .enumerate()
            .map(|(k, c)| {
                let f: Vec<f64> = rho_new[k]
                    .iter()
                    .zip(&self.rho[k])
                    .map(|(a, b)| a / b)
                    .collect();
                scale_mode(c, &f)
            })
            .collect();
        self.half = self.base.conjugated(&rho_new)?;
        self.rho = rho_new;
        TensorTrain::new(cores)
    }

    /// One step of length `h` from the weighted train `v`.
    pub(crate) fn step(&mut self, v: &TensorTrain) -> Result<(TensorTrain, StepCost)> {
        let mut cost = StepCost::default();
        let h = self.h;
        let out = match self.stepper {
            Stepper::Strang => {
                let a = self.e(v)?;
                let k1 = self.n(&a, &mut cost)?;
                let b = self.axpy(&a, h, &k1)?;
                let k2 = self.n(&b, &mut cost)?;
                let c = self.axpy(&self.axpy(&a, 0.5 * h, &k1)?, 0.5 * h, &k2)?;
                self.e(&c)?
            }
            Stepper::Lawson4 => {
                let a = self.e(v)?;
                let k1 = self.n(v, &mut cost)?;
                let ek1 = self.e(&k1)?;
                let n2 = self.n(&self.axpy(&a, 0.5 * h, &ek1)?, &mut cost)?;
                let n3 = self.n(&self.axpy(&a, 0.5 * h, &n2)?, &mut cost)?;
                let n4 = self.n(&self.e(&self.axpy(&a, h, &n3)?)?, &mut cost)?;
                // E(a + h/6 (E k1 + 2 n2 + 2 n3)) + h/6 n4
                let s = n3.axpy(2.0, &n2.axpy(2.0, &ek1)?)?.round(&self.trunc)?;
                let inner = self.axpy(&a, h / 6.0, &s)?;
                self.axpy(&self.e(&inner)?, h / 6.0, &n4)?
            }
        };
        Ok((out, cost))
    }
}
