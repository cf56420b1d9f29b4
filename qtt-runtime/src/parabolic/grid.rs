//! The tensor-product grid: one [`ChebyshevAxis`] per dimension, so a
//! function on it is a tensor train with one core per dimension.

use super::ChebyshevAxis;
use crate::error::{Error, Result};
use crate::tt::TensorTrain;

/// A tensor-product grid of `d >= 1` Chebyshev axes.
#[derive(Debug, Clone, PartialEq)]
pub struct TensorGrid {
    axes: Vec<ChebyshevAxis>,
}

impl TensorGrid {
    /// The grid from its axes (`d >= 1`).
    pub fn new(axes: Vec<ChebyshevAxis>) -> Result<Self> {
        if axes.is_empty() {
            return Err(Error::invalid("dimension d = 0, expected at least 1"));
        }
        Ok(Self { axes })
    }

    /// `d` copies of one axis.
    pub fn uniform(axis: ChebyshevAxis, d: usize) -> Result<Self> {
        Self::new(vec![axis; d])
    }

    /// The dimension `d`.
    pub fn dim(&self) -> usize {
        self.axes.len()
    }
    /// The axes.
    pub fn axes(&self) -> &[ChebyshevAxis] {
        &self.axes
    }
    /// Points per axis (the mode sizes of a train on the grid).
    pub fn modes(&self) -> Vec<usize> {
        self.axes.iter().map(ChebyshevAxis::len).collect()
    }
    /// The coordinates of a grid multi-index.
    pub fn point(&self, idx: &[usize]) -> Vec<f64> {
        idx.iter()
            .zip(&self.axes)
            .map(|(&i, a)| a.nodes()[i])
            .collect()
    }

    /// `u(x)` for a train `u` on this grid at any point `x` of the box, by
    /// per-axis barycentric interpolation (`O(d n r^2)`).
    pub fn evaluate(&self, u: &TensorTrain, x: &[f64]) -> Result<f64> {
        if x.len() != self.dim() {
            return Err(Error::shape(format!(
                "a point with {} coordinates on a {}-dimensional grid",
                x.len(),
                self.dim()
            )));
        }
        if u.modes() != self.modes() {
            return Err(Error::shape(format!(
                "a train with modes {:?} on a grid with modes {:?}",
                u.modes(),
                self.modes()
            )));
        }
        let weights = self
            .axes
            .iter()
            .zip(x)
            .map(|(a, &xi)| a.interpolation_weights(xi))
            .collect::<Result<Vec<_>>>()?;
        u.contract(&weights)
    }
}
