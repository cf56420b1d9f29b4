//! One TT core: a column-major `(r_left, n, r_right)` buffer.

use crate::error::{Error, Result};
use crate::linalg::{view, view_mut};
use nalgebra::{DMatrix, DMatrixView, DMatrixViewMut, Dyn, MatrixView};

/// A three-way tensor `(r_left, n, r_right)` in one contiguous column-major
/// buffer: entry `(a, i, b)` lives at `a + r_left * (i + n * b)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Core {
    rl: usize,
    n: usize,
    rr: usize,
    data: Vec<f64>,
}

impl Core {
    /// A core from its buffer; the length must be `rl * n * rr`, all sizes >= 1.
    pub fn new(rl: usize, n: usize, rr: usize, data: Vec<f64>) -> Result<Self> {
        if rl == 0 || n == 0 || rr == 0 {
            return Err(Error::shape(format!(
                "core sizes must be >= 1, got ({rl}, {n}, {rr})"
            )));
        }
        if data.len() != rl * n * rr {
            return Err(Error::shape(format!(
                "core ({rl}, {n}, {rr}) needs {} entries, got {}",
                rl * n * rr,
                data.len()
            )));
        }
        Ok(Self { rl, n, rr, data })
    }

    /// A core of zeros.
    pub fn zeros(rl: usize, n: usize, rr: usize) -> Self {
        Self {
            rl,
            n,
            rr,
            data: vec![0.0; rl * n * rr],
        }
    }

    /// A core from a left unfolding `(rl n) x rr`.
    pub(crate) fn from_left(m: DMatrix<f64>, rl: usize, n: usize) -> Self {
        debug_assert_eq!(m.nrows(), rl * n);
        let rr = m.ncols();
        Self {
            rl,
            n,
            rr,
            data: m.data.into(),
        }
    }

    /// A core from a right unfolding `rl x (n rr)`.
    pub(crate) fn from_right(m: DMatrix<f64>, n: usize) -> Self {
        let rl = m.nrows();
        let rr = m.ncols() / n;
        debug_assert_eq!(m.ncols(), n * rr);
        Self {
            rl,
            n,
            rr,
            data: m.data.into(),
        }
    }

    /// Unchecked constructor for kernels that already know the sizes agree.
    pub(crate) fn from_parts(rl: usize, n: usize, rr: usize, data: Vec<f64>) -> Self {
        debug_assert_eq!(data.len(), rl * n * rr);
        Self { rl, n, rr, data }
    }

    /// `(r_left, n, r_right)`.
    pub fn shape(&self) -> (usize, usize, usize) {
        (self.rl, self.n, self.rr)
    }
    /// Left rank.
    pub fn r_left(&self) -> usize {
        self.rl
    }
    /// Mode size.
    pub fn n(&self) -> usize {
        self.n
    }
    /// Right rank.
    pub fn r_right(&self) -> usize {
        self.rr
    }
    /// The column-major buffer.
    pub fn data(&self) -> &[f64] {
        &self.data
    }
    /// The column-major buffer, mutable.
    pub fn data_mut(&mut self) -> &mut [f64] {
        &mut self.data
    }
    /// Consumes the core into its buffer.
    pub fn into_data(self) -> Vec<f64> {
        self.data
    }
    /// Entry `(a, i, b)`.
    #[inline]
    pub fn get(&self, a: usize, i: usize, b: usize) -> f64 {
        self.data[a + self.rl * (i + self.n * b)]
    }
    /// Mutable entry `(a, i, b)`.
    #[inline]
    pub fn get_mut(&mut self, a: usize, i: usize, b: usize) -> &mut f64 {
        &mut self.data[a + self.rl * (i + self.n * b)]
    }
    /// Left unfolding `(r_left n) x r_right` (a view, no copy).
    pub fn left(&self) -> DMatrixView<'_, f64> {
        view(&self.data, self.rl * self.n, self.rr)
    }
    /// Right unfolding `r_left x (n r_right)` (a view, no copy).
    pub fn right(&self) -> DMatrixView<'_, f64> {
        view(&self.data, self.rl, self.n * self.rr)
    }
    /// Mutable left unfolding.
    pub fn left_mut(&mut self) -> DMatrixViewMut<'_, f64> {
        view_mut(&mut self.data, self.rl * self.n, self.rr)
    }
    /// Mutable right unfolding.
    pub fn right_mut(&mut self) -> DMatrixViewMut<'_, f64> {
        view_mut(&mut self.data, self.rl, self.n * self.rr)
    }
    /// The `r_left x r_right` matrix of mode index `i` (a strided view).
    pub fn slice(&self, i: usize) -> MatrixView<'_, f64, Dyn, Dyn, Dyn, Dyn> {
        let start = self.rl * i;
        let len = self.rl + (self.rr - 1) * self.rl * self.n;
        MatrixView::from_slice_with_strides_generic(
            &self.data[start..start + len],
            Dyn(self.rl),
            Dyn(self.rr),
            Dyn(1),
            Dyn(self.rl * self.n),
        )
    }
    /// Multiplies every entry by `alpha`.
    pub fn scale(&mut self, alpha: f64) {
        self.data.iter_mut().for_each(|v| *v *= alpha);
    }
    /// Frobenius norm of the core.
    pub fn norm(&self) -> f64 {
        self.data.iter().map(|v| v * v).sum::<f64>().sqrt()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unfoldings_share_the_buffer() {
        let c = Core::new(2, 3, 4, (0..24).map(|v| v as f64).collect()).unwrap();
        for a in 0..2 {
            for i in 0..3 {
                for b in 0..4 {
                    let v = c.get(a, i, b);
                    assert_eq!(c.left()[(a + 2 * i, b)], v);
                    assert_eq!(c.right()[(a, i + 3 * b)], v);
                    assert_eq!(c.slice(i)[(a, b)], v);
                }
            }
        }
    }

    #[test]
    fn bad_shapes_are_errors() {
        assert!(Core::new(0, 2, 1, vec![]).is_err());
        assert!(Core::new(1, 2, 1, vec![0.0; 3]).is_err());
    }
}
