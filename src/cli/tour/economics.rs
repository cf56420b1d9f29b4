//! The tour's part on economics (seed 000): Huggett's economy declared in
//! `model!`, its equilibrium interest rate by the finite-difference backend,
//! and the QTT backend's solution at the same price against it.

use qtt::econ::{EquilibriumOptions, Progress, SolveOptions};
use std::time::Instant;

/// Prints the economics tour on built-in defaults (about ten seconds).
pub fn run(quiet: bool) -> Result<(), String> {
    let e = |e: qtt::Error| e.to_string();
    let points = 1u64 << 14;
    let huggett = qtt::model! {
        params { gamma = 2.0, rho = 0.05, z = [0.1, 0.2], lambda = [1.2, 1.2] }
        prices { r in (0.0, 0.049) }
        states {
            a: wealth on [-0.15, 5.0] with points points;
            e: markov values z rates [[-lambda[0], lambda[0]], [lambda[1], -lambda[1]]];
        }
        control c;
        utility c.powf(1.0 - gamma) / (1.0 - gamma);
        drift a = e + r * a - c;
        discount rho;
        clear sum(a * g) == 0.0;
    }
    .map_err(e)?;
    println!("economics: Huggett's bond economy declared in model!, 2^14 wealth points x 2 income states");
    let mut fd = SolveOptions::finite_difference();
    if !quiet {
        fd = fd.with_progress(|p| {
            if let Progress::Price {
                evaluation,
                price,
                excess,
            } = p
            {
                eprintln!("  S({price:.10}) = {excess:+.3e}   (evaluation {evaluation})");
            }
        });
    }
    let t = Instant::now();
    let eq = huggett
        .steady_state(&fd, &EquilibriumOptions::default())
        .map_err(e)?;
    println!(
        "  r* = {:.12} ({} evaluations of excess supply, {:.2} s); at the borrowing limit: {:.4} and {:.4} of households",
        eq.price,
        eq.evaluations.len(),
        t.elapsed().as_secs_f64(),
        eq.solution.mass_at_limit[0],
        eq.solution.mass_at_limit[1]
    );
    // The QTT backend on the same grid at r*, against the finite-difference
    // solution there.
    let t = Instant::now();
    let q = huggett
        .solve_household(eq.price, &SolveOptions::default(), None)
        .map_err(e)?;
    let f = &eq.solution;
    let mut dv = 0.0f64;
    for i in 0..huggett.points() {
        for j in 0..2 {
            dv = dv.max((q.value.at(i, j) - f.value.at(i, j)).abs() / f.value.at(i, j).abs());
        }
    }
    let rank = |x: &qtt::econ::Field| {
        x.ranks()
            .map(|r| r.into_iter().max().unwrap_or(0))
            .unwrap_or(0)
    };
    println!(
        "  QTT backend on the same 2^14 points at r*: V equals the finite-difference V to {dv:.1e}, \
         excess supply {:+.1e} (finite differences {:+.1e}); bond dimensions V {}, g {}; {:.1} s",
        q.excess,
        f.excess,
        rank(&q.value),
        rank(&q.density),
        t.elapsed().as_secs_f64()
    );
    Ok(())
}
