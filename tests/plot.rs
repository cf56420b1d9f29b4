//! The examples' SVG plotter (`examples/common/plot.rs`): its own unit tests,
//! run here because cargo runs no tests inside examples.

#[allow(dead_code)]
#[path = "../examples/common/plot.rs"]
mod plot;
