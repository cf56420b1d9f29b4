//! Discretised distributions on `2^m` points and their exact loading by a
//! rotation tree: `A|0> = sum_i sqrt(p_i) |i>`.
//!
//! The tree sets qubit `m-1` (most significant) first, then each lower qubit with
//! a multiplexed RY controlled by the qubits above it, whose angle for prefix `u`
//! is `2 atan2(sqrt(P(u1)), sqrt(P(u0)))`: `2^m - 1` rotations and `2^m - m - 1`
//! CNOTs in total, exact for any pmf (Grover and Rudolph 2002, with the
//! multiplexors of Mottonen et al.).

use super::multiplexor::uniformly_controlled_ry;
use crate::quantum::circuits::circuit::Circuit;
use crate::{Error, Result};

/// Where the `2^m` points sit on the support `[lo, hi]` and what mass they carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SupportGrid {
    /// `x_i = lo + i (hi - lo) / (2^m - 1)`, mass proportional to the pdf at `x_i`
    /// (seed 001, eq. 33, and PennyLane's example).
    Endpoints,
    /// `2^m` equal cells; each carries its probability mass (integrated pdf) and
    /// sits at its conditional mean, so means of affine functions are exact.
    CellMeans,
}

/// A distribution discretised on `2^m` points: values and probabilities.
#[derive(Debug, Clone, PartialEq)]
pub struct Discretized {
    /// The value of each point.
    pub points: Vec<f64>,
    /// The probability of each point (sums to 1).
    pub pmf: Vec<f64>,
}

impl Discretized {
    /// A discretisation from explicit points and non-negative weights (normalised here).
    pub fn from_weights(points: Vec<f64>, weights: Vec<f64>) -> Result<Self> {
        if points.len() != weights.len() || !points.len().is_power_of_two() {
            return Err(Error::shape(format!(
                "{} points and {} weights, expected the same power-of-two count",
                points.len(),
                weights.len()
            )));
        }
        crate::error::check_finite("points", &points)?;
        crate::error::check_finite("weights", &weights)?;
        if let Some(i) = weights.iter().position(|&w| w < 0.0) {
            return Err(Error::invalid(format!(
                "weights[{i}] = {}, expected >= 0",
                weights[i]
            )));
        }
        let total: f64 = weights.iter().sum();
        if total <= 0.0 {
            return Err(Error::invalid("the weights sum to 0 on the support"));
        }
        Ok(Discretized {
            points,
            pmf: weights.iter().map(|w| w / total).collect(),
        })
    }

    /// Discretises a density on `[lo, hi]` with `2^n_qubits` points.
    pub fn from_pdf(
        pdf: impl Fn(f64) -> f64,
        lo: f64,
        hi: f64,
        n_qubits: usize,
        grid: SupportGrid,
    ) -> Result<Self> {
        crate::error::check_finite("support", &[lo, hi])?;
        if lo >= hi {
            return Err(Error::invalid(format!(
                "support [{lo}, {hi}], expected lo < hi"
            )));
        }
        if n_qubits == 0 || n_qubits > 24 {
            return Err(Error::invalid(format!(
                "{n_qubits} qubits for a distribution, expected 1..=24"
            )));
        }
        let m = 1usize << n_qubits;
        match grid {
            SupportGrid::Endpoints => {
                let pts: Vec<f64> = (0..m)
                    .map(|i| lo + (hi - lo) * i as f64 / (m - 1) as f64)
                    .collect();
                let w = pts.iter().map(|&x| pdf(x)).collect();
                Discretized::from_weights(pts, w)
            }
            SupportGrid::CellMeans => {
                let h = (hi - lo) / m as f64;
                let (mut pts, mut w) = (Vec::with_capacity(m), Vec::with_capacity(m));
                for i in 0..m {
                    let a = lo + h * i as f64;
                    let mass = simpson(&pdf, a, a + h);
                    let first = simpson(|x| x * pdf(x), a, a + h);
                    w.push(mass);
                    pts.push(if mass > 0.0 {
                        first / mass
                    } else {
                        a + h / 2.0
                    });
                }
                Discretized::from_weights(pts, w)
            }
        }
    }

    /// Normal `N(mean, std^2)` on `[lo, hi]`.
    pub fn normal(
        mean: f64,
        std: f64,
        lo: f64,
        hi: f64,
        n_qubits: usize,
        grid: SupportGrid,
    ) -> Result<Self> {
        positive("std", std)?;
        Self::from_pdf(
            |x| (-0.5 * ((x - mean) / std).powi(2)).exp(),
            lo,
            hi,
            n_qubits,
            grid,
        )
    }

    /// Log-normal: `ln X ~ N(mu, sigma^2)`, on `[lo, hi]` with `lo >= 0`.
    pub fn log_normal(
        mu: f64,
        sigma: f64,
        lo: f64,
        hi: f64,
        n_qubits: usize,
        grid: SupportGrid,
    ) -> Result<Self> {
        positive("sigma", sigma)?;
        if lo < 0.0 {
            return Err(Error::invalid(format!(
                "log-normal support starts at {lo}, expected >= 0"
            )));
        }
        let pdf = |x: f64| {
            if x <= 0.0 {
                0.0
            } else {
                (-0.5 * ((x.ln() - mu) / sigma).powi(2)).exp() / x
            }
        };
        Self::from_pdf(pdf, lo, hi, n_qubits, grid)
    }

    /// Beta(a, b) on `[lo, hi]` (the standard beta on [0, 1] mapped affinely).
    pub fn beta(
        a: f64,
        b: f64,
        lo: f64,
        hi: f64,
        n_qubits: usize,
        grid: SupportGrid,
    ) -> Result<Self> {
        positive("a", a)?;
        positive("b", b)?;
        let pdf = |x: f64| {
            let t = (x - lo) / (hi - lo);
            if t <= 0.0 || t >= 1.0 {
                // the density's limit at the ends (finite only for a, b >= 1)
                let at0 = if a == 1.0 { 1.0 } else { 0.0 };
                let at1 = if b == 1.0 { 1.0 } else { 0.0 };
                if t <= 0.0 {
                    at0
                } else {
                    at1
                }
            } else {
                ((a - 1.0) * t.ln() + (b - 1.0) * (1.0 - t).ln()).exp()
            }
        };
        Self::from_pdf(pdf, lo, hi, n_qubits, grid)
    }

    /// Uniform on `[lo, hi]`.
    pub fn uniform(lo: f64, hi: f64, n_qubits: usize, grid: SupportGrid) -> Result<Self> {
        Self::from_pdf(|_| 1.0, lo, hi, n_qubits, grid)
    }

    /// The number of qubits (`log2` of the number of points).
    pub fn n_qubits(&self) -> usize {
        self.points.len().trailing_zeros() as usize
    }

    /// `sum_i p_i f(x_i)`.
    pub fn expectation(&self, f: impl Fn(f64) -> f64) -> f64 {
        self.points
            .iter()
            .zip(&self.pmf)
            .map(|(&x, p)| p * f(x))
            .sum()
    }

    /// The circuit preparing `sum_i sqrt(p_i) |i>` on `n_qubits()` qubits.
    pub fn loader(&self) -> Result<Circuit> {
        state_preparation(&self.pmf)
    }
}

fn positive(name: &str, v: f64) -> Result<()> {
    if !(v.is_finite() && v > 0.0) {
        return Err(Error::invalid(format!(
            "{name} = {v}, expected a finite number > 0"
        )));
    }
    Ok(())
}

/// Composite Simpson rule with 64 panels.
fn simpson(f: impl Fn(f64) -> f64, a: f64, b: f64) -> f64 {
    let n = 64;
    let h = (b - a) / n as f64;
    let mut s = f(a) + f(b);
    for i in 1..n {
        s += f(a + h * i as f64) * if i % 2 == 1 { 4.0 } else { 2.0 };
    }
    s * h / 3.0
}

/// The exact rotation-tree circuit for `pmf` (length `2^m`, non-negative, sum 1).
pub fn state_preparation(pmf: &[f64]) -> Result<Circuit> {
    if pmf.is_empty() || !pmf.len().is_power_of_two() || pmf.len() < 2 {
        return Err(Error::shape(format!(
            "a pmf of {} entries, expected 2^m with m >= 1",
            pmf.len()
        )));
    }
    crate::error::check_finite("pmf", pmf)?;
    if let Some(i) = pmf.iter().position(|&p| p < 0.0) {
        return Err(Error::invalid(format!(
            "pmf[{i}] = {}, expected >= 0",
            pmf[i]
        )));
    }
    let total: f64 = pmf.iter().sum();
    if (total - 1.0).abs() > 1e-9 {
        return Err(Error::invalid(format!(
            "the pmf sums to {total}, expected 1"
        )));
    }
    let m = pmf.len().trailing_zeros() as usize;
    let mut c = Circuit::new(m);
    // weights[l][u]: mass of the prefix u of the top l bits
    let mut level: Vec<f64> = pmf.to_vec();
    let mut weights = vec![level.clone()];
    while level.len() > 1 {
        level = level.chunks(2).map(|p| p[0] + p[1]).collect();
        weights.push(level.clone());
    }
    // weights[m - l] has 2^l entries indexed by the top-l-bit prefix... but pairs
    // above were summed over the lowest bit first, so entry u of weights[m - l]
    // is the mass of the prefix u (bits m-1..m-l), as required.
    for l in 0..m {
        let parent = &weights[m - l];
        let child = &weights[m - l - 1];
        let angles: Vec<f64> = (0..parent.len())
            .map(|u| {
                2.0 * child[2 * u + 1]
                    .max(0.0)
                    .sqrt()
                    .atan2(child[2 * u].max(0.0).sqrt())
            })
            .collect();
        let controls: Vec<usize> = (m - l..m).collect();
        uniformly_controlled_ry(&mut c, &controls, m - 1 - l, &angles)?;
    }
    Ok(c)
}
