//! # Tensor trains in ten minutes
//!
//! A tensor with `n^d` entries is stored as `d` small cores; everything is
//! done on the cores. This tutorial builds tensor trains three ways, does
//! arithmetic with them, compresses, applies an operator, and looks at the
//! bond dimensions that make it cheap.
//!
//! Run: `cargo run --release --example 01_tensor_trains` (writes
//! `out/01_bonds.svg`).

mod common;

use common::plot::Plot;
use nalgebra::DMatrix;
use qtt::tt::{cross, ApplyMethod, CrossOptions};
use qtt::{Result, TensorTrain, Truncation, TtMatrix};
use std::time::Instant;

fn main() -> Result<()> {
    // 1. From a dense tensor by TT-SVD: exact for a low-rank tensor.
    let small = TensorTrain::random(&[3, 4, 5, 4, 3], 2, 1)?;
    let dense = small.to_dense()?;
    let back = TensorTrain::from_dense(&dense, &[3, 4, 5, 4, 3], &Truncation::tol(1e-12)?)?;
    println!(
        "1. TT-SVD of a 3x4x5x4x3 tensor of TT rank 2 -> ranks {:?}",
        back.ranks()
    );

    // 2. From a function, by cross approximation: 16^10 = 1.1e12 points.
    let (d, n) = (10, 16);
    let f = |i: &[usize]| 1.0 / (1.0 + i.iter().map(|&k| (k as f64 / 15.0).powi(2)).sum::<f64>());
    let t0 = Instant::now();
    let (x, report) = cross(f, &vec![n; d], &CrossOptions::default())?;
    println!(
        "2. cross of 1/(1+|x|^2) on 16^10 points: {} samples, {:.3} s, ranks {:?}",
        report.evaluations,
        t0.elapsed().as_secs_f64(),
        x.ranks()
    );
    println!(
        "   {} numbers stored instead of {:.2e}",
        x.num_params(),
        (n as f64).powi(d as i32)
    );
    println!(
        "   x(3, 1, 4, 1, 5, 9, 2, 6, 5, 3) = {:.12} (exact {:.12})",
        x.eval(&[3, 1, 4, 1, 5, 9, 2, 6, 5, 3])?,
        f(&[3, 1, 4, 1, 5, 9, 2, 6, 5, 3])
    );

    // 3. Arithmetic: ranks add under +, multiply under the Hadamard product;
    //    rounding brings them back down with a guaranteed error bound.
    let sum = x.add(&x.scaled(0.5))?;
    let square = x.hadamard(&x)?;
    let eps = 1e-8;
    let rounded = square.round(&Truncation::tol(eps)?)?;
    let err = rounded.sub(&square)?.norm() / square.norm();
    println!("3. ranks of x + x/2: {:?}", sum.ranks());
    println!(
        "   ranks of x * x:   {:?} -> rounded to {eps:e}: {:?}",
        square.ranks(),
        rounded.ranks()
    );
    println!(
        "   rounding error {err:.2e} <= {eps:e}; sum of all entries of x: {:.6e}",
        x.sum()
    );

    // 4. Operators: the 10-D discrete Laplacian as a TT matrix (a Kronecker
    //    sum of 1-D second differences, rank 2), applied three ways.
    let lap1 = DMatrix::from_fn(n, n, |i, j| match i.abs_diff(j) {
        0 => -2.0,
        1 => 1.0,
        _ => 0.0,
    });
    let eye = DMatrix::identity(n, n);
    let mut lap = TtMatrix::kron(
        &(0..d)
            .map(|k| if k == 0 { lap1.clone() } else { eye.clone() })
            .collect::<Vec<_>>(),
    )?;
    for site in 1..d {
        let term = TtMatrix::kron(
            &(0..d)
                .map(|k| if k == site { lap1.clone() } else { eye.clone() })
                .collect::<Vec<_>>(),
        )?;
        lap = lap.add(&term)?.round(&Truncation::tol(1e-14)?)?;
    }
    println!(
        "4. Laplacian on 16^10 points as an MPO: ranks {:?}",
        lap.ranks()
    );
    let exact = lap.apply_exact(&x)?;
    let trunc = Truncation::tol(1e-10)?;
    for (name, method) in [
        ("exact + round", ApplyMethod::Exact),
        ("zip-up", ApplyMethod::ZipUp),
    ] {
        let t0 = Instant::now();
        let y = lap.apply(&x, &method, &trunc)?;
        let secs = t0.elapsed().as_secs_f64();
        let err = y.sub(&exact)?.norm() / exact.norm();
        println!(
            "   {name:<14} {:.4} s, max rank {}, error {err:.1e}",
            secs,
            y.max_rank()
        );
    }

    // 5. Bond dimensions and entanglement: how separable the function is.
    let entropy = x.entanglement_entropy()?;
    let ranks: Vec<(f64, f64)> = x.ranks()[1..d]
        .iter()
        .enumerate()
        .map(|(k, &r)| (k as f64 + 1.0, r as f64))
        .collect();
    let ent: Vec<(f64, f64)> = entropy
        .iter()
        .enumerate()
        .map(|(k, &s)| (k as f64 + 1.0, s))
        .collect();
    println!(
        "5. entanglement entropy per bond: {:?}",
        entropy
            .iter()
            .map(|s| format!("{s:.2e}"))
            .collect::<Vec<_>>()
    );
    std::fs::create_dir_all("out")?;
    Plot::new("bond dimensions of 1/(1+|x|^2) on 16^10 points")
        .x_label("bond")
        .y_label("rank")
        .line("TT rank", &ranks)
        .write("out/01_bonds_rank.svg")?;
    Plot::new("entanglement entropy per bond")
        .x_label("bond")
        .y_label("entropy")
        .log_y()
        .line("S", &ent)
        .write("out/01_bonds_entropy.svg")?;
    println!("   plots: out/01_bonds_rank.svg, out/01_bonds_entropy.svg");
    Ok(())
}
