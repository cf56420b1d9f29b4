//! Intermediate representations shared by the compiler and the runtime.
//!
//! Each language (operator sums, linear constraints, circuits, economic models) adds its IR
//! as a submodule here; the runtime consumes these types whether they came
//! from a macro expansion or were built from data at run time.

pub mod circuit;
pub mod constraints;
pub mod model;
pub mod opsum;
