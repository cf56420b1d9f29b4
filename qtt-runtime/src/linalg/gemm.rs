//! Matrix multiplication on column-major views, through faer's GEMM.

use super::{as_faer, as_faer_mut};
use crate::error::{Error, Result};
use faer::{Accum, Par};
use nalgebra::{DMatrix, DMatrixView, DMatrixViewMut};

/// Whether an operand enters a product as is or transposed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transpose {
    /// `a`
    No,
    /// `a^T`
    Yes,
}

fn op<'a>(a: DMatrixView<'a, f64>, t: Transpose) -> faer::MatRef<'a, f64> {
    match t {
        Transpose::No => as_faer(a),
        Transpose::Yes => as_faer(a).transpose(),
    }
}

/// `c <- alpha op(a) op(b) + beta c` with `beta` in {0, 1}.
pub fn gemm(
    alpha: f64,
    a: DMatrixView<'_, f64>,
    ta: Transpose,
    b: DMatrixView<'_, f64>,
    tb: Transpose,
    accumulate: bool,
    c: DMatrixViewMut<'_, f64>,
) -> Result<()> {
    let (fa, fb) = (op(a, ta), op(b, tb));
    if fa.ncols() != fb.nrows() || c.nrows() != fa.nrows() || c.ncols() != fb.ncols() {
        return Err(Error::shape(format!(
            "gemm: ({}x{}) * ({}x{}) into ({}x{})",
            fa.nrows(),
            fa.ncols(),
            fb.nrows(),
            fb.ncols(),
            c.nrows(),
            c.ncols()
        )));
    }
    let accum = if accumulate {
        Accum::Add
    } else {
        Accum::Replace
    };
    faer::linalg::matmul::matmul(as_faer_mut(c), accum, fa, fb, alpha, Par::Seq);
    Ok(())
}

/// `op(a) op(b)` as a new matrix. Panics only on a shape mismatch between
/// internal operands; user-facing callers check shapes first.
pub fn matmul(
    a: DMatrixView<'_, f64>,
    ta: Transpose,
    b: DMatrixView<'_, f64>,
    tb: Transpose,
) -> DMatrix<f64> {
    let (fa, fb) = (op(a, ta), op(b, tb));
    let mut c = DMatrix::zeros(fa.nrows(), fb.ncols());
    faer::linalg::matmul::matmul(
        as_faer_mut(c.as_view_mut()),
        Accum::Replace,
        fa,
        fb,
        1.0,
        Par::Seq,
    );
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gemm_all_transposes() {
        let a = DMatrix::from_fn(3, 4, |i, j| (i * 4 + j) as f64);
        let b = DMatrix::from_fn(4, 2, |i, j| (i as f64) - 2.0 * j as f64);
        let want = &a * &b;
        assert_eq!(
            matmul(a.as_view(), Transpose::No, b.as_view(), Transpose::No),
            want
        );
        let at = a.transpose();
        let bt = b.transpose();
        assert_eq!(
            matmul(at.as_view(), Transpose::Yes, bt.as_view(), Transpose::Yes),
            want
        );
        let mut c = DMatrix::from_element(3, 2, 1.0);
        gemm(
            2.0,
            a.as_view(),
            Transpose::No,
            b.as_view(),
            Transpose::No,
            true,
            c.as_view_mut(),
        )
        .unwrap();
        assert_eq!(c, want * 2.0 + DMatrix::from_element(3, 2, 1.0));
        let mut bad = DMatrix::zeros(2, 2);
        assert!(gemm(
            1.0,
            a.as_view(),
            Transpose::No,
            b.as_view(),
            Transpose::No,
            false,
            bad.as_view_mut()
        )
        .is_err());
    }
}
