//! The `(a, z)` grid: `2^La` wealth points and `2^Lz` income points, both
//! ends included, the income chain on it and the generator's sparsity
//! pattern.
//!
//! **Ordering.** Unknowns are in grid order, wealth fastest: point `(i, k)`
//! (wealth `a_i`, income `z_k`) is entry `p = i + 2^La k`. This is the
//! column-major order of `qtt::grid::Grid` with axes `[a, z]`
//! (`Grid::to_vector` / `from_vector` convert), so a QTT backend with the
//! wealth bits before the income bits (`BitOrder::Sequential`) or
//! interleaved can be checked against these vectors entry by entry; it is
//! also the order of the HACT codes' `reshape(V, I*J, 1)`.

use super::OuIncome;
use crate::econ::sparse_generator::Pattern;
use crate::error::{Error, Result};
use std::sync::Arc;

/// The largest `La + Lz` accepted before the memory check (2^40 points).
const MAX_TOTAL_BITS: u32 = 40;

/// A tensor grid in `(a, z)` with the reflected income chain on it.
#[derive(Debug, Clone)]
pub struct DiffusionGrid {
    la: u32,
    lz: u32,
    amin: f64,
    amax: f64,
    zmin: f64,
    zmax: f64,
    /// Income chain: intensity of moving up from `z_k`.
    pub(crate) z_up: Vec<f64>,
    /// Income chain: intensity of moving down from `z_k`.
    pub(crate) z_down: Vec<f64>,
    z_stationary: Vec<f64>,
    pattern: Arc<Pattern>,
}

impl DiffusionGrid {
    /// The grid of `2^la x 2^lz` points on `[amin, amax] x [zmin, zmax]`
    /// for `income` (memory checked).
    pub fn new(la: u32, lz: u32, amin: f64, amax: f64, income: &OuIncome) -> Result<Self> {
        income.check()?;
        if !(amin.is_finite() && amax.is_finite()) {
            return Err(Error::NonFinite(format!(
                "the wealth grid [{amin}, {amax}] must be finite"
            )));
        }
        if amin >= amax {
            return Err(Error::invalid(format!(
                "wealth on [{amin}, {amax}]: the borrowing limit must lie below the top of the grid"
            )));
        }
        if la < 2 || lz < 1 {
            return Err(Error::invalid(format!(
                "a grid of 2^{la} x 2^{lz} points: at least 2^2 wealth points and 2^1 income points"
            )));
        }
        if la + lz > MAX_TOTAL_BITS {
            return Err(Error::TooLarge {
                what: format!("a finite-difference grid of 2^{la} x 2^{lz} points"),
                needed: 1u128 << (la + lz),
                limit: 1u128 << MAX_TOTAL_BITS,
            });
        }
        let (na, nz) = (1usize << la, 1usize << lz);
        let n = (na * nz) as u128;
        crate::memory::check_fits(
            &format!("the sparse finite-difference solver on 2^{la} x 2^{lz} points"),
            crate::econ::sparse_generator::estimated_bytes(n, 16 * (la + lz) as u128),
        )?;
        let (z_up, z_down) = income.rates(lz);
        let z_stationary = income.stationary(lz);
        let mut entries = Vec::with_capacity(na * nz * 5);
        for k in 0..nz {
            for i in 0..na {
                let p = i + na * k;
                entries.push((p, p));
                if i + 1 < na {
                    entries.push((p, p + 1));
                }
                if i > 0 {
                    entries.push((p, p - 1));
                }
                if k + 1 < nz {
                    entries.push((p, p + na));
                }
                if k > 0 {
                    entries.push((p, p - na));
                }
            }
        }
        let pattern = Arc::new(Pattern::new(na * nz, entries)?);
        Ok(Self {
            la,
            lz,
            amin,
            amax,
            zmin: income.zmin,
            zmax: income.zmax,
            z_up,
            z_down,
            z_stationary,
            pattern,
        })
    }

    /// Wealth bits `La`.
    pub fn la(&self) -> u32 {
        self.la
    }
    /// Income bits `Lz`.
    pub fn lz(&self) -> u32 {
        self.lz
    }
    /// Wealth points `2^La`.
    pub fn na(&self) -> usize {
        1 << self.la
    }
    /// Income points `2^Lz`.
    pub fn nz(&self) -> usize {
        1 << self.lz
    }
    /// Unknowns `2^(La + Lz)`.
    pub fn len(&self) -> usize {
        self.na() * self.nz()
    }
    /// Never true (a grid has at least 8 points).
    pub fn is_empty(&self) -> bool {
        false
    }
    /// Wealth spacing.
    pub fn da(&self) -> f64 {
        (self.amax - self.amin) / ((self.na() - 1) as f64)
    }
    /// Income spacing.
    pub fn dz(&self) -> f64 {
        (self.zmax - self.zmin) / ((self.nz() - 1) as f64)
    }
    /// Wealth at point `i`.
    pub fn a(&self, i: usize) -> f64 {
        self.amin + i as f64 * self.da()
    }
    /// Income at point `k`.
    pub fn z(&self, k: usize) -> f64 {
        self.zmin + k as f64 * self.dz()
    }
    /// The entry of point `(i, k)`: `i + 2^La k`.
    pub fn index(&self, i: usize, k: usize) -> usize {
        i + self.na() * k
    }
    /// The point `(i, k)` of entry `p`.
    pub fn point(&self, p: usize) -> (usize, usize) {
        (p % self.na(), p / self.na())
    }
    /// The income chain's stationary probabilities (summing to 1).
    pub fn income_distribution(&self) -> &[f64] {
        &self.z_stationary
    }
    /// Aggregate labour `L = E[z]` under the income chain's stationary law.
    pub fn labour(&self) -> f64 {
        self.z_stationary
            .iter()
            .enumerate()
            .map(|(k, p)| p * self.z(k))
            .sum()
    }
    /// The generator's sparsity pattern.
    pub fn pattern(&self) -> &Arc<Pattern> {
        &self.pattern
    }
}
