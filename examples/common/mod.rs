//! Shared by the examples (each includes it with `mod common;`): the SVG
//! plotter and heat map, the error-against-calls measurements of quantum
//! Monte Carlo, and the income-diffusion economies in `model!`.
//! A folder, not `examples/common.rs`, so cargo does not take it for an
//! example.
#![allow(dead_code)]

pub mod diffusion_models;
pub mod heatmap;
pub mod plot;
pub mod qmc;
