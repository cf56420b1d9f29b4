//! `qtt tour`, QTT part: a function on 2^60 points, the Laplacian as an MPO,
//! an integral by contraction and a smoothed kink by cross.

use qtt::grid::{
    approximate, exp, grid_cross_options, second_difference, sin, softplus, Boundary, Grid, Grid1d,
};
use qtt::tt::ApplyMethod;
use qtt::Truncation;
use std::time::Instant;

/// Prints the QTT part of the tour (a second or two).
pub fn run(quiet: bool) -> Result<(), String> {
    let e = |err: qtt::Error| err.to_string();
    println!("== Quantized tensor trains: a grid of 2^L points is L binary modes ==");
    let g = Grid1d::new(0.0, 10.0, 60).map_err(e)?;
    let f = exp(&g, -0.25)
        .map_err(e)?
        .hadamard(&sin(&g, 2.0).map_err(e)?)
        .map_err(e)?
        .round(&Truncation::exact())
        .map_err(e)?;
    println!(
        "  e^(-x/4) sin 2x on 2^60 points of [0, 10]: rank {}, {} bytes (dense: 8 EiB)",
        f.max_rank(),
        8 * f.num_params()
    );
    let mass = Grid::from(g).integrate(&f).map_err(e)?;
    let p = |x: f64| (-x / 4.0).exp() * (-(2.0 * x).sin() / 4.0 - 2.0 * (2.0 * x).cos());
    let exact = (p(10.0) - p(0.0)) / (0.0625 + 4.0);
    println!(
        "  its integral by contraction with trapezoid weights: {mass:.14} (exact {exact:.14})"
    );

    let g16 = Grid1d::new(0.0, 10.0, 16).map_err(e)?;
    let lap = second_difference(&g16, Boundary::Zero).map_err(e)?;
    let f16 = exp(&g16, -0.25)
        .map_err(e)?
        .hadamard(&sin(&g16, 2.0).map_err(e)?)
        .map_err(e)?;
    let t0 = Instant::now();
    let lf = lap
        .apply(
            &f16,
            &ApplyMethod::Exact,
            &Truncation::tol(1e-12).map_err(e)?,
        )
        .map_err(e)?;
    let secs = t0.elapsed().as_secs_f64();
    let i = 19_531u64;
    let x = g16.coordinate(i).map_err(e)?;
    let want = (-x / 4.0).exp() * ((0.0625 - 4.0) * (2.0 * x).sin() - (2.0 * x).cos());
    let got = lf.eval(&g16.index_to_bits(i).map_err(e)?).map_err(e)?;
    println!(
        "  Laplacian (MPO rank {}) applied on 2^16 points in {:.1} ms: f''({x:.4}) = {got:.8} (exact {want:.8})",
        lap.max_rank(),
        1e3 * secs
    );

    let g40 = Grid1d::new(-1.0, 1.0, 40).map_err(e)?;
    let mut opts = grid_cross_options(1e-10).map_err(e)?;
    opts.verbose = !quiet;
    let t0 = Instant::now();
    let (kink, rep) = approximate(&g40, |x| softplus(x - 0.1234567, 1e-3), &opts).map_err(e)?;
    println!(
        "  softplus kink (mu = 1e-3) on 2^40 points by cross: rank {}, {} evaluations, {:.1} ms",
        kink.max_rank(),
        rep.evaluations,
        1e3 * t0.elapsed().as_secs_f64()
    );
    Ok(())
}
