//! Beyond one dimension (issue #12): Aiyagari's economy with income as a
//! diffusion, as in the HACT code `aiyagari_diffusion_equilibrium.m`.
//!
//! Households hold capital `a >= -1` and earn `w z`, where productivity `z`
//! follows a reflected Ornstein–Uhlenbeck process on [0.5, 1.5] (mean 1,
//! autocorrelation exp(-0.3), sigma^2 = 0.01); gamma = 2, rho = 0.05; the
//! firm is Cobb–Douglas (alpha = 0.35, delta = 0.1, A = 1). The state is
//! 2-D, `(a, z)`, on `2^La x 2^Lz` points, and the solver is the sparse
//! finite-difference one (faer's sparse LU at every policy iteration, the
//! stationary distribution by inverse iteration). Declared in `model!`, the
//! same economy is a 1-D model with `2^Lz` income states (the income
//! diffusion's birth–death chain), which the QTT backend solves; this
//! oracle checks it.
//!
//! The story: (1) the equilibrium r*, K*, w* on 2^9 x 2^6 points; (2) the
//! stationary distribution as a heat map, the marginal wealth density and
//! the savings policy; (3) K* and r* against the grid, first order, with the
//! Richardson limit; (4) Huggett's bond economy with the same income; (5)
//! the economy written in `model!` and solved by the QTT backend, against
//! the oracle; (6) the household on a quantized grid with both axes binary
//! (income bits, then wealth bits), solved by QTT with multigrid in income.
//!
//! `cargo run --release --example 14_income_diffusion` (~50 s on 2 loaded cores, half of it
//! the QTT solves of (5) and (6); plots in `out/`).

mod common;

use common::diffusion_models::aiyagari_ou;
use common::heatmap::HeatMap;
use common::plot::Plot;
use qtt::econ::income_diffusion::{IncomeDiffusion, QttDiffusionOptions};
use qtt::econ::sparse_generator::FdOptions;
use qtt::econ::{EquilibriumOptions, SolveOptions};
use qtt::Result;
use std::time::Instant;

fn main() -> Result<()> {
    std::fs::create_dir_all("out").ok();
    let econ = IncomeDiffusion::aiyagari();
    let opts = FdOptions::default();
    let eq = EquilibriumOptions {
        price_tol: 1e-10,
        ..EquilibriumOptions::default()
    };
    let inc = &econ.income;
    println!(
        "Aiyagari with OU income: gamma {}, rho {}, z on [{}, {}] with mean {}, theta {}, sigma^2 {} \
         (stationary variance {:.4}), a in [{}, {}]\n",
        econ.gamma,
        econ.rho,
        inc.zmin,
        inc.zmax,
        inc.mean,
        inc.theta,
        inc.sigma2,
        inc.stationary_variance(),
        econ.amin,
        econ.amax
    );

    // (1) The equilibrium on 2^9 x 2^6 points.
    let grid = econ.grid(9, 6)?;
    let e = econ.steady_state(&grid, &opts, &eq)?;
    let s = &e.solution;
    println!(
        "(1) equilibrium on 2^9 x 2^6 = {} points: r* = {:.8}, K* = {:.6}, w* = {:.6} \
         ({} evaluations of S(r) - K(r), {:.1} s)",
        grid.len(),
        e.r,
        e.capital,
        e.w,
        e.evaluations.len(),
        e.seconds
    );
    println!(
        "    S(r*) - K(r*) = {:.1e}, mass {:.15}, min g {:.1e}, KFE residual {:.1e}, L = {:.15}",
        s.excess, s.mass, s.min_density, s.kfe_residual, s.labour
    );
    println!(
        "    {} policy iterations at r*, share at the borrowing limit {:.4}",
        s.hjb.len(),
        s.mass_at_limit
    );

    // (2) Pictures.
    let (na, nz) = (grid.na(), grid.nz());
    let a: Vec<f64> = (0..na).map(|i| grid.a(i)).collect();
    let z: Vec<f64> = (0..nz).map(|k| grid.z(k)).collect();
    // The density without the borrowing limit's point mass (its column
    // is 1/da times the mass and would wash out the colours).
    let mut g = s.density.clone();
    for k in 0..nz {
        g[grid.index(0, k)] = g[grid.index(1, k)];
    }
    HeatMap::new(
        "stationary density g(a, z) at r* (a <= 10; point mass at a = -1 not drawn)",
        &a,
        &z,
        &g,
    )
    .x_label("wealth a")
    .y_label("productivity z")
    .x_max(10.0)
    .write("out/14_density.svg")?;
    let marginal = s.marginal_wealth();
    Plot::new("marginal wealth density sum_z g(a, z) dz (point mass at a = -1 not drawn)")
        .x_label("wealth a")
        .y_label("density")
        .line(
            "g(a)",
            (1..na)
                .filter(|&i| a[i] <= 15.0)
                .map(|i| (a[i], marginal[i]))
                .collect::<Vec<_>>(),
        )
        .write("out/14_wealth_density.svg")?;
    let mut plot = Plot::new("savings s(a, z) = w z + r a - c at r*")
        .x_label("wealth a")
        .y_label("s");
    for k in [0, nz / 4, nz / 2, 3 * nz / 4, nz - 1] {
        let pts: Vec<(f64, f64)> = (0..na)
            .filter(|&i| a[i] <= 15.0)
            .map(|i| (a[i], s.policy.savings[grid.index(i, k)]))
            .collect();
        plot = plot.line(&format!("z = {:.2}", z[k]), pts);
    }
    plot.write("out/14_savings.svg")?;
    println!("    plots: out/14_density.svg, out/14_wealth_density.svg, out/14_savings.svg");

    // (3) K* against the grid.
    println!("\n(3) K* and r* on 2^L x 2^(L-3) points:");
    println!("     L   points        r*            K*          K*(L) - K*(L-1)   order   Richardson K*   seconds");
    let mut ks: Vec<f64> = Vec::new();
    let finest = e;
    for l in 5..=9u32 {
        let t = Instant::now();
        let grid = econ.grid(l, l - 3)?;
        // 2^9 x 2^6 is (1)'s grid: its equilibrium is not solved again.
        let solved;
        let (e, seconds) = if l == 9 {
            (&finest, finest.seconds)
        } else {
            solved = econ.steady_state(&grid, &opts, &eq)?;
            (&solved, t.elapsed().as_secs_f64())
        };
        let d = ks.last().map(|k| e.capital - k);
        let order = match (ks.len() >= 2, d) {
            (true, Some(d)) => ((ks[ks.len() - 1] - ks[ks.len() - 2]) / d).abs().log2(),
            _ => f64::NAN,
        };
        let rich = d.map(|d| e.capital + d);
        println!(
            "    {l:2}   {:7}   {:.10}   {:.8}   {:>15}   {:>5}   {:>13}   {:6.2}",
            grid.len(),
            e.r,
            e.capital,
            d.map(|d| format!("{d:.3e}")).unwrap_or_default(),
            if order.is_nan() {
                String::new()
            } else {
                format!("{order:.2}")
            },
            rich.map(|x| format!("{x:.6}")).unwrap_or_default(),
            seconds
        );
        ks.push(e.capital);
    }
    println!(
        "    the scheme is first order (upwind): the differences halve, Richardson's column \
         (2 K*(L) - K*(L-1)) estimates the grid limit"
    );

    // (4) Huggett with the same income.
    let hug = IncomeDiffusion::huggett();
    let grid = hug.grid(8, 5)?;
    let e = hug.steady_state(&grid, &opts, &eq)?;
    println!(
        "\n(4) Huggett with OU income (a >= -1, bonds in zero net supply) on 2^8 x 2^5: r* = {:.8}, \
         sum a g = {:.1e}, share at the borrowing limit {:.4}",
        e.r, e.capital, e.solution.mass_at_limit
    );

    // (5) The same economy in `model!` (examples/common/diffusion_models.rs),
    // solved by the QTT backend as a 2^5-state Markov model: the income
    // diffusion is the birth-death chain of its grid, the last mode of the
    // trains (dense in z, quantized in wealth).
    let (la, lz) = (6, 5);
    let grid = econ.grid(la, lz)?;
    let oracle = econ.steady_state(&grid, &opts, &eq)?;
    let model = aiyagari_ou(la, lz)?;
    let q = model.steady_state(&SolveOptions::default(), &eq)?;
    let rank = q
        .solution
        .value
        .ranks()
        .map_or(0, |r| r.into_iter().max().unwrap_or(0));
    println!(
        "\n(5) the same economy in model!, QTT backend on 2^{la} x 2^{lz} ({} income states): \
         r* = {:.10}, K* = {:.8} ({} evaluations, {:.1} s, rank of V {rank})",
        model.states(),
        q.price,
        q.solution.target,
        q.evaluations.len(),
        q.seconds
    );
    println!(
        "    against the 2-D finite-difference oracle on the same grid ({:.2} s): \
         r* differs by {:.1e}, K* by {:.1e}",
        oracle.seconds,
        q.price - oracle.r,
        q.solution.target - oracle.capital
    );

    // (6) Both axes binary: V, c and g are tensor trains over the 5 income
    // bits and the 6 wealth bits. Each HJB step is solved by multigrid in
    // income (every income line's wealth chain exactly by cyclic reduction,
    // zebra relaxation, income grids halved down to one line); the
    // stationary masses by shifted inverse iteration.
    let s = &oracle.solution;
    let progress = |line: &str| {
        if line.starts_with("HJB") {
            println!("    {line}");
        }
    };
    let d = econ.solve_household_qtt(
        la,
        lz,
        s.r,
        &QttDiffusionOptions::default(),
        None,
        Some(&progress),
    )?;
    let n = grid.len() as u64;
    let points: Vec<u64> = (0..n).collect();
    let (v, g) = (
        d.value.eval_fibers(&points)?,
        d.density.eval_fibers(&points)?,
    );
    let rel = |a: &[f64], b: &[f64]| {
        let top = b.iter().fold(0.0f64, |m, x| m.max(x.abs()));
        a.iter()
            .zip(b)
            .fold(0.0f64, |m, (x, y)| m.max((x - y).abs()))
            / top
    };
    let (rv, rg, rc) = d.ranks();
    println!(
        "\n(6) the household at r* on 2^{la} x 2^{lz} points with both axes binary ({} HJB \
         iterations, {} multigrid cycles, {} KFE steps, {:.1} s):",
        d.hjb.len(),
        d.hjb_cycles.iter().sum::<usize>(),
        d.kfe_changes.len(),
        d.seconds
    );
    println!(
        "    against the oracle: V {:.1e}, g {:.1e} (relative), excess {:.1e}; mass - 1 = {:.1e}, \
         min g = {:.1e}; ranks V {rv}, g {rg}, c {rc}; g at the borrowing limit of the lowest \
         income: {:.4} (oracle {:.4})",
        rel(&v, &s.value),
        rel(&g, &s.density),
        d.excess - s.excess,
        d.mass - 1.0,
        d.min_density,
        d.density_at(0, 0)?,
        s.density[0]
    );
    Ok(())
}
