//! Dense linear algebra on column-major storage.
//!
//! nalgebra's `DMatrix` is the type at the API (column-major, so a TT core's
//! unfoldings are matrix views without copies); the heavy decompositions run
//! in faer through zero-copy views, chosen by measurement (`benches/linalg.rs`):
//! faer's SVD and QR are several times faster than nalgebra's own at the sizes
//! tensor-train sweeps produce. This module is the one place that decides the
//! backend.

mod decomp;
mod gemm;
mod permute;
mod truncation;

pub use decomp::{eigh, lq_thin, qr_thin, svd_thin, svd_truncated, Eigh, Svd};
pub use gemm::{gemm, matmul, Transpose};
pub use permute::permute;
pub use truncation::Truncation;

use nalgebra::{DMatrixView, DMatrixViewMut};

/// A read-only faer view of an nalgebra view (no copy).
pub(crate) fn as_faer(a: DMatrixView<'_, f64>) -> faer::MatRef<'_, f64> {
    let (rs, cs) = a.strides();
    // SAFETY: the pointer, shape and strides come from a live nalgebra view
    // borrowed for the returned lifetime.
    unsafe {
        faer::MatRef::from_raw_parts(a.as_ptr(), a.nrows(), a.ncols(), rs as isize, cs as isize)
    }
}

/// A mutable faer view of an nalgebra view (no copy).
pub(crate) fn as_faer_mut(mut a: DMatrixViewMut<'_, f64>) -> faer::MatMut<'_, f64> {
    let (rs, cs) = a.strides();
    let (m, n) = (a.nrows(), a.ncols());
    // SAFETY: as in `as_faer`, with the unique borrow of the nalgebra view.
    unsafe { faer::MatMut::from_raw_parts_mut(a.as_mut_ptr(), m, n, rs as isize, cs as isize) }
}

/// A column-major matrix view of a slice (`rows * cols` entries).
pub fn view(data: &[f64], rows: usize, cols: usize) -> DMatrixView<'_, f64> {
    DMatrixView::from_slice(data, rows, cols)
}

/// A mutable column-major matrix view of a slice (`rows * cols` entries).
pub fn view_mut(data: &mut [f64], rows: usize, cols: usize) -> DMatrixViewMut<'_, f64> {
    DMatrixViewMut::from_slice(data, rows, cols)
}
