//! Quantized tensor trains (QTT): grids of `2^L` points as `L` binary modes,
//! functions on them built exactly or by cross approximation, and the
//! finite-difference operators of economic generators as explicit low-rank
//! MPOs (Kazeev and Khoromskij's constructions).
//!
//! Bit order is most significant first (see [`Grid1d`]); plain dense
//! vectors are in grid order through [`Grid::to_vector`] and
//! [`Grid::to_matrix`].

mod approximate;
mod drift;
mod functions;
mod green;
mod grid1d;
mod integrate;
mod interpolate;
mod operators;
mod smoothing;
mod stencil;
mod tensor_grid;

pub use approximate::{approximate, grid_cross_options};
pub use drift::{upwind_drift, upwind_drift_from_parts};
pub use functions::{constant, coordinate, cos, exp, polynomial, sin, sinusoid};
pub use green::{
    dirichlet_green, dirichlet_green_backward_difference, dirichlet_green_forward_difference,
    upper_triangular_ones,
};
pub use grid1d::{Grid1d, MAX_BITS};
pub use integrate::trapezoid_weights;
pub use interpolate::interpolate;
pub use operators::{
    backward_difference, central_difference, forward_difference, laplacian, multiply_by_coordinate,
    second_difference, shift_backward, shift_forward,
};
pub use smoothing::{
    smooth_indicator, smooth_indicator_tt, smooth_max, smooth_max_tt, smooth_min, smooth_min_tt,
    softplus, softplus_tt,
};
pub use stencil::{stencil, Boundary};
pub use tensor_grid::{Axis, BitOrder, Grid, Site};
