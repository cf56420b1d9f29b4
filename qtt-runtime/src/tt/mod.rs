//! Tensor trains (MPS) and TT matrices (MPO).
//!
//! A [`TensorTrain`] is a chain of three-way [`Core`]s `(r_left, n, r_right)`
//! stored column-major, so each core's left unfolding `(r_left n) x r_right`
//! and right unfolding `r_left x (n r_right)` are matrix views of the same
//! buffer. A [`TtMatrix`] is a tensor train whose mode `k` is the pair
//! `(row i_k, column j_k)` fused as `i_k + rows_k * j_k`, so rounding,
//! addition and orthogonalisation are shared with vectors.
//!
//! Dense tensors use column-major (first index fastest) order throughout.

mod apply;
mod arith;
mod core;
mod cross;
mod dense;
mod fibers;
mod matrix;
mod maxvol;
mod ortho;
mod train;

pub use self::core::Core;
pub use apply::{ApplyMethod, VariationalOptions};
pub use cross::{cross, cross_batch, CrossMethod, CrossOptions, CrossReport};
pub use maxvol::maxvol;

pub use dense::DEFAULT_DENSE_LIMIT;
pub use fibers::FiberPoints;
pub use matrix::TtMatrix;
pub use train::TensorTrain;
