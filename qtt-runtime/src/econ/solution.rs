//! What a household solve and an equilibrium return.

use super::Prices;
use crate::tt::TensorTrain;

/// A function of (wealth point `i`, income state `j`) on the grid.
#[derive(Debug, Clone, PartialEq)]
pub enum Field {
    /// Every value, wealth-major: `values[i * states + j]`.
    Dense {
        /// The values.
        values: Vec<f64>,
        /// Number of income states.
        states: usize,
    },
    /// A QTT over the wealth bits (most significant first) and a last mode
    /// of size `states`.
    Qtt {
        /// The tensor train.
        tt: TensorTrain,
        /// Number of wealth bits.
        bits: u32,
    },
}

impl Field {
    /// The value at wealth point `i`, income state `j` (NaN out of range).
    pub fn at(&self, i: u64, j: usize) -> f64 {
        match self {
            Field::Dense { values, states } => values
                .get(i as usize * states + j)
                .copied()
                .unwrap_or(f64::NAN),
            Field::Qtt { tt, bits } => {
                if *bits < 64 && i >> bits != 0 {
                    return f64::NAN;
                }
                let mut idx = bit_index(i, *bits);
                idx.push(j);
                tt.eval(&idx).unwrap_or(f64::NAN)
            }
        }
    }

    /// Bond dimensions (QTT) or `None` (dense).
    pub fn ranks(&self) -> Option<Vec<usize>> {
        match self {
            Field::Dense { .. } => None,
            Field::Qtt { tt, .. } => Some(tt.ranks()),
        }
    }

    /// Values at `count` evenly spaced wealth points (both ends included)
    /// in income state `j`, with their grid indices.
    pub fn sample(&self, points: u64, j: usize, count: usize) -> Vec<(u64, f64)> {
        let count = count.max(2) as u64;
        (0..count)
            .map(|k| {
                let i = ((points - 1) as u128 * k as u128 / (count - 1) as u128) as u64;
                (i, self.at(i, j))
            })
            .collect()
    }
}

/// The bits of `i`, most significant first.
pub(crate) fn bit_index(i: u64, bits: u32) -> Vec<usize> {
    (0..bits).rev().map(|b| ((i >> b) & 1) as usize).collect()
}

/// `max |next - prev| / max(floor, max |next|)`: the change of an
/// iterate, relative to its size (`floor` 1 for values, 0 for densities).
pub(crate) fn relative_change(next: &[f64], prev: &[f64], floor: f64) -> f64 {
    let scale = next.iter().fold(floor, |m, x| m.max(x.abs()));
    next.iter()
        .zip(prev)
        .fold(0.0f64, |m, (a, b)| m.max((a - b).abs()))
        / scale
}

/// One policy-iteration step.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IterationReport {
    /// Iteration, from 1.
    pub iteration: usize,
    /// `max |V^(n+1) - V^n|` (QTT: at sampled points and the norm of the
    /// update, relative to `V`).
    pub change: f64,
    /// Largest bond dimension of `V` (1 for the dense backend).
    pub max_rank: usize,
    /// Seconds since the solve began.
    pub seconds: f64,
}

/// The household's problem solved at given prices: `V`, the policies, the
/// stationary distribution and its aggregates.
#[derive(Debug, Clone)]
pub struct HouseholdSolution {
    /// The prices (and derived quantities) it was solved at.
    pub prices: Prices,
    /// The value function `V(a, z)`.
    pub value: Field,
    /// Consumption `c(a, z)`.
    pub consumption: Field,
    /// Savings `s(a, z) = resources - c`.
    pub savings: Field,
    /// The stationary density `g(a, z)` (`sum g da = 1`; a point mass at the
    /// borrowing limit appears as `mass / da` there).
    pub density: Field,
    /// `sum integrand g da`, the aggregate in the clearing condition.
    pub aggregate: f64,
    /// What the aggregate must equal.
    pub target: f64,
    /// `aggregate - target`.
    pub excess: f64,
    /// `sum g da` (1 up to rounding).
    pub mass: f64,
    /// The smallest density value seen (every point on small grids, a
    /// sample of points and the cross's pivots on large ones).
    pub min_density: f64,
    /// Probability mass at the borrowing limit in each income state.
    pub mass_at_limit: Vec<f64>,
    /// One report per policy iteration.
    pub hjb: Vec<IterationReport>,
    /// Relative residual of the stationary KFE.
    pub kfe_residual: f64,
    /// The upwind smoothing width the scheme used (`None`: the exact
    /// choice; see [`SolveOptions::smoothing`](super::SolveOptions::smoothing)).
    pub smoothing: Option<f64>,
    /// Seconds the solve took.
    pub seconds: f64,
    /// The QTT backend's slope train of `V` (`x_i = sqrt(da) dV_B`, see
    /// `econ::quantized`), so that a warm start need not difference `V`
    /// again; `None` from the finite-difference backend.
    pub(crate) slopes: Option<crate::tt::TensorTrain>,
}

impl HouseholdSolution {
    /// Bond dimensions of `V`, `c`, `s` and `g` (QTT backend).
    pub fn ranks(&self) -> Option<[Vec<usize>; 4]> {
        Some([
            self.value.ranks()?,
            self.consumption.ranks()?,
            self.savings.ranks()?,
            self.density.ranks()?,
        ])
    }
}

/// A general equilibrium: the clearing price and the economy at it.
#[derive(Debug, Clone)]
pub struct Equilibrium {
    /// The clearing price (`r*`).
    pub price: f64,
    /// The household solution at that price.
    pub solution: HouseholdSolution,
    /// Every (price, excess) evaluated on this grid, in order.
    pub evaluations: Vec<(f64, f64)>,
    /// `(points, price)` of the coarser grids solved first, coarsest
    /// first ([`EquilibriumOptions::nested_bits`](super::EquilibriumOptions::nested_bits)):
    /// the price's convergence with the grid comes for free.
    pub coarse_prices: Vec<(u64, f64)>,
    /// Seconds the whole solve took.
    pub seconds: f64,
}
