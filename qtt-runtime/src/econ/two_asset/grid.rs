//! The `(b, a, j)` grid of the two-asset household: `2^Lb` liquid points,
//! `2^La` illiquid points (both ends included) and `J` income states.
//!
//! **Ordering.** Liquid fastest, then illiquid, then income: point `(ib,
//! ia, j)` is entry `p = ib + 2^Lb (ia + 2^La j)`, the column-major order
//! of `qtt::grid::Grid` with axes `[b, a, Discrete(z)]` and the order of
//! the HACT code's `reshape(V, I*J*Nz, 1)`.

use super::TwoAsset;
use crate::econ::sparse_generator::Pattern;
use crate::error::{Error, Result};
use std::sync::Arc;

/// The largest `Lb + La` accepted before the memory check.
const MAX_TOTAL_BITS: u32 = 36;

/// A tensor grid in `(b, a, j)` with the generator's sparsity pattern.
#[derive(Debug, Clone)]
pub struct TwoAssetGrid {
    lb: u32,
    la: u32,
    states: usize,
    bmin: f64,
    bmax: f64,
    amin: f64,
    amax: f64,
    pattern: Arc<Pattern>,
}

impl TwoAssetGrid {
    /// The grid of `2^lb x 2^la x J` points for `household` (memory checked).
    pub fn new(lb: u32, la: u32, household: &TwoAsset) -> Result<Self> {
        if lb < 2 || la < 2 {
            return Err(Error::invalid(format!(
                "a grid of 2^{lb} x 2^{la} asset points: at least 2^2 points in each asset"
            )));
        }
        if lb + la > MAX_TOTAL_BITS {
            return Err(Error::TooLarge {
                what: format!("a two-asset grid of 2^{lb} x 2^{la} points"),
                needed: 1u128 << (lb + la),
                limit: 1u128 << MAX_TOTAL_BITS,
            });
        }
        let (nb, na, jn) = (1usize << lb, 1usize << la, household.z.len());
        let n = (nb * na * jn) as u128;
        crate::memory::check_fits(
            &format!("the sparse two-asset solver on 2^{lb} x 2^{la} x {jn} points"),
            crate::econ::sparse_generator::estimated_bytes(n, 12 * (n as f64).cbrt() as u128),
        )?;
        let mut entries = Vec::with_capacity(nb * na * jn * (5 + jn));
        for j in 0..jn {
            for ia in 0..na {
                for ib in 0..nb {
                    let p = ib + nb * (ia + na * j);
                    entries.push((p, p));
                    if ib + 1 < nb {
                        entries.push((p, p + 1));
                    }
                    if ib > 0 {
                        entries.push((p, p - 1));
                    }
                    if ia + 1 < na {
                        entries.push((p, p + nb));
                    }
                    if ia > 0 {
                        entries.push((p, p - nb));
                    }
                    for k in 0..jn {
                        if k != j {
                            entries.push((p, ib + nb * (ia + na * k)));
                        }
                    }
                }
            }
        }
        let pattern = Arc::new(Pattern::new(nb * na * jn, entries)?);
        Ok(Self {
            lb,
            la,
            states: jn,
            bmin: household.bmin,
            bmax: household.bmax,
            amin: household.amin,
            amax: household.amax,
            pattern,
        })
    }

    /// Liquid bits `Lb`.
    pub fn lb(&self) -> u32 {
        self.lb
    }
    /// Illiquid bits `La`.
    pub fn la(&self) -> u32 {
        self.la
    }
    /// Liquid points `2^Lb`.
    pub fn nb(&self) -> usize {
        1 << self.lb
    }
    /// Illiquid points `2^La`.
    pub fn na(&self) -> usize {
        1 << self.la
    }
    /// Income states `J`.
    pub fn states(&self) -> usize {
        self.states
    }
    /// Unknowns `2^(Lb + La) J`.
    pub fn len(&self) -> usize {
        self.nb() * self.na() * self.states
    }
    /// Never true.
    pub fn is_empty(&self) -> bool {
        false
    }
    /// Liquid spacing.
    pub fn db(&self) -> f64 {
        (self.bmax - self.bmin) / ((self.nb() - 1) as f64)
    }
    /// Illiquid spacing.
    pub fn da(&self) -> f64 {
        (self.amax - self.amin) / ((self.na() - 1) as f64)
    }
    /// Liquid assets at point `ib`.
    pub fn b(&self, ib: usize) -> f64 {
        self.bmin + ib as f64 * self.db()
    }
    /// Illiquid assets at point `ia`.
    pub fn a(&self, ia: usize) -> f64 {
        self.amin + ia as f64 * self.da()
    }
    /// The entry of point `(ib, ia, j)`.
    pub fn index(&self, ib: usize, ia: usize, j: usize) -> usize {
        ib + self.nb() * (ia + self.na() * j)
    }
    /// The point `(ib, ia, j)` of entry `p`.
    pub fn point(&self, p: usize) -> (usize, usize, usize) {
        let (nb, na) = (self.nb(), self.na());
        (p % nb, (p / nb) % na, p / (nb * na))
    }
    /// The generator's sparsity pattern.
    pub fn pattern(&self) -> &Arc<Pattern> {
        &self.pattern
    }
}
