//! An income diffusion of the IR (`y: diffusion drift mu(y) variance s(y)
//! on [lo, hi] with 2^k points`) as the `J = 2^k`-state Markov income the
//! one-dimensional backends solve: the values are the grid points `z_k`,
//! the intensities the reflected birth–death chain of
//! [`BirthDeathChain::reflected`] (the 2-D oracle's chain, so the `(a, z)`
//! economy is solved exactly, with the income axis dense).

use super::income_diffusion::BirthDeathChain;
use super::model::evaluate;
use crate::error::{Error, Result};
use qtt_dsl::ir::model::{Env, ExprIr, ParamIr};

/// The most grid points of an income diffusion: the backends take the
/// chain as a dense `J x J` intensity matrix (8 MB at `2^10`), and the
/// finite-difference band has half-width `J`.
pub const MAX_DIFFUSION_POINTS: u64 = 1 << 10;

/// The pieces of an `IncomeIr::Diffusion`.
pub(super) struct DiffusionIncome<'a> {
    /// The income variable's name.
    pub name: &'a str,
    /// `mu(z)`.
    pub drift: &'a ExprIr,
    /// `s(z)`, the squared volatility.
    pub variance: &'a ExprIr,
    /// Lower end of the grid.
    pub lo: &'a ExprIr,
    /// Upper end of the grid.
    pub hi: &'a ExprIr,
    /// Number of grid points.
    pub points: u64,
}

impl DiffusionIncome<'_> {
    /// The income values `z_k` and the chain's `J x J` intensity matrix;
    /// an error names the first impossible value (grid size, bounds, a
    /// non-finite drift or variance, a negative variance).
    pub fn chain(&self, params: &[ParamIr]) -> Result<(Vec<f64>, Vec<Vec<f64>>)> {
        let name = self.name;
        let points = self.points;
        if points < 2 || !points.is_power_of_two() || points > MAX_DIFFUSION_POINTS {
            return Err(Error::invalid(format!(
                "income diffusion `{name}` has {points} points: its grid needs a power of two \
                 from 2 to {MAX_DIFFUSION_POINTS} (2^10; the chain is a dense J x J matrix)"
            )));
        }
        let env = Env {
            params,
            ..Env::default()
        };
        let lo = evaluate(&format!("the lower end of `{name}`"), self.lo, &env)?;
        let hi = evaluate(&format!("the upper end of `{name}`"), self.hi, &env)?;
        if lo >= hi {
            return Err(Error::invalid(format!(
                "income diffusion `{name}` on [{lo}, {hi}]: the lower end must lie below the upper end"
            )));
        }
        let nz = points as usize;
        let dz = (hi - lo) / ((nz - 1) as f64);
        if !dz.is_finite() {
            return Err(Error::NonFinite(format!(
                "income diffusion `{name}` on [{lo}, {hi}] has grid spacing {dz}"
            )));
        }
        let values: Vec<f64> = (0..nz).map(|k| lo + k as f64 * dz).collect();
        let mut drift = Vec::with_capacity(nz);
        let mut variance = Vec::with_capacity(nz);
        for &z in &values {
            let income = [z];
            let env = Env {
                income: Some(&income),
                ..env
            };
            drift.push(evaluate(
                &format!("the drift of `{name}` at {name} = {z}"),
                self.drift,
                &env,
            )?);
            let s = evaluate(
                &format!("the variance of `{name}` at {name} = {z}"),
                self.variance,
                &env,
            )?;
            if s < 0.0 {
                return Err(Error::invalid(format!(
                    "the variance of `{name}` at {name} = {z} is {s}: a variance (the squared \
                     volatility) cannot be negative"
                )));
            }
            variance.push(s);
        }
        let chain = BirthDeathChain::reflected(&drift, &variance, dz);
        Ok((values, chain.intensities()))
    }
}
