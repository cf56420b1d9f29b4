//! `qtt tour`, tensor-train part: a 10-D function by cross approximation,
//! a sum rounded back to its ranks.

use qtt::tt::{cross, CrossOptions};
use qtt::Truncation;
use std::time::Instant;

/// Human-readable bytes.
pub fn bytes(n: f64) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    let mut v = n;
    let mut u = 0;
    while v >= 1024.0 && u + 1 < units.len() {
        v /= 1024.0;
        u += 1;
    }
    format!("{v:.1} {}", units[u])
}

/// Prints the tensor-train part of the tour.
pub fn run(d: usize, n: usize, tol: f64, quiet: bool) -> Result<(), String> {
    println!("== Tensor trains: a {d}-dimensional function on {n}^{d} points ==");
    let h = 1.0 / (n - 1) as f64;
    let f = |i: &[usize]| 1.0 / (1.0 + i.iter().map(|&k| (k as f64 * h).powi(2)).sum::<f64>());
    println!("f(x) = 1 / (1 + |x|^2) on [0, 1]^{d}, cross approximation to tolerance {tol:e}");
    let opts = CrossOptions {
        tol,
        verbose: !quiet,
        ..Default::default()
    };
    let t0 = Instant::now();
    let (x, report) = cross(f, &vec![n; d], &opts).map_err(|e| e.to_string())?;
    let secs = t0.elapsed().as_secs_f64();
    let dense = (n as f64).powi(d as i32);
    println!(
        "  {} evaluations ({:.1e} of the grid) in {secs:.2} s, {} half-sweeps",
        report.evaluations,
        report.evaluations as f64 / dense,
        report.sweeps
    );
    println!("  ranks {:?}", x.ranks());
    println!(
        "  memory {} against {} dense ({:.1e} x smaller)",
        bytes(8.0 * x.num_params() as f64),
        bytes(8.0 * dense),
        dense / x.num_params() as f64
    );
    let mut state = 7u64;
    let (mut num, mut den) = (0.0, 0.0);
    for _ in 0..10_000 {
        let idx: Vec<usize> = (0..d)
            .map(|_| {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                ((state >> 33) % n as u64) as usize
            })
            .collect();
        let (want, got) = (f(&idx), x.eval(&idx).map_err(|e| e.to_string())?);
        num += (want - got).powi(2);
        den += want * want;
    }
    println!(
        "  relative error on 10,000 random points: {:.2e}",
        (num / den).sqrt()
    );

    println!("\nRounding: y = x + 2x has ranks that add; rounding recovers the ranks of x");
    let y = x.add(&x.scaled(2.0)).map_err(|e| e.to_string())?;
    println!("  ranks of x + 2x: {:?}", y.ranks());
    let t0 = Instant::now();
    let z = y
        .round(&Truncation::tol(1e-12).map_err(|e| e.to_string())?)
        .map_err(|e| e.to_string())?;
    let secs = t0.elapsed().as_secs_f64();
    let err = z.sub(&x.scaled(3.0)).map_err(|e| e.to_string())?.norm() / (3.0 * x.norm());
    println!(
        "  after rounding to 1e-12 ({:.1} ms): {:?}",
        1e3 * secs,
        z.ranks()
    );
    println!("  ||round(x + 2x) - 3x|| / ||3x|| = {err:.2e}");
    let ent = z.entanglement_entropy().map_err(|e| e.to_string())?;
    let max_ent = ent.iter().cloned().fold(0.0, f64::max);
    println!(
        "  largest entanglement entropy across a bond: {max_ent:.3e} (a nearly separable function)"
    );
    Ok(())
}
