//! Beyond one dimension (issue #12): the two-asset household of Kaplan,
//! Moll and Violante as in the HACT code `two_asset_kinked.m`, in partial
//! equilibrium.
//!
//! Households hold liquid assets `b in [-2, 40]` (return 0.03, borrowing at
//! 0.12) and illiquid assets `a in [0, 70]` (return 0.05, tapered near the
//! top), earn `w z` with `w = 4`, `z in {0.8, 1.3}` switching at rate 1/3,
//! deposit `d` into the illiquid account at cost `0.03 |d| + d^2 / a`
//! (chi1 = 2), and 10% of income goes there automatically; gamma = 2,
//! rho = 0.06. The state `(b, a, z)` is 3-D; the solver is the sparse
//! finite-difference one (faer's sparse LU), a QTT backend being the next
//! step.
//!
//! The story: (1) the solution on 2^7 x 2^7 x 2 points; (2) deposit and
//! consumption policy maps (heat maps over (b, a)) for each income state,
//! with the inaction band of the kinked cost; (3) the stationary
//! distribution's marginals; (4) how the aggregates move with the grid.
//!
//! `cargo run --release --example 15_two_asset` (~20 s; plots in `out/`).

mod common;

use common::heatmap::HeatMap;
use common::plot::Plot;
use qtt::econ::two_asset::TwoAsset;
use qtt::Result;
use std::time::Instant;

fn main() -> Result<()> {
    std::fs::create_dir_all("out").ok();
    let h = TwoAsset::default();
    let opts = TwoAsset::default_options();
    println!(
        "two-asset household: gamma {}, rho {}, r_a {}, r_b {} ({} borrowing), w {}, z {:?}, \
         chi0 {}, chi1 {}, xi {}, b in [{}, {}], a in [{}, {}]\n",
        h.gamma,
        h.rho,
        h.ra,
        h.rb_pos,
        h.rb_neg,
        h.w,
        h.z,
        h.chi0,
        h.chi1,
        h.xi,
        h.bmin,
        h.bmax,
        h.amin,
        h.amax
    );

    // (1) The solution.
    let grid = h.grid(7, 7)?;
    let s = h.solve(&grid, &opts)?;
    println!(
        "(1) 2^7 x 2^7 x 2 = {} points: {} policy iterations (Delta = {}), {:.1} s",
        grid.len(),
        s.hjb.len(),
        opts.delta,
        s.seconds
    );
    println!(
        "    mean liquid {:.4}, mean illiquid {:.4}, mass {:.15}, min g {:.1e}, KFE residual {:.1e}",
        s.liquid, s.illiquid, s.mass, s.min_density, s.kfe_residual
    );
    println!(
        "    share at the liquid borrowing limit {:.4}, at b = 0 (the kink of r_b) {:.4}",
        s.mass_at_bmin, s.mass_at_zero_liquid
    );

    // (2) Policy maps.
    let (nb, na) = (grid.nb(), grid.na());
    let b: Vec<f64> = (0..nb).map(|i| grid.b(i)).collect();
    let a: Vec<f64> = (0..na).map(|i| grid.a(i)).collect();
    let p = &s.policy;
    for (j, name) in ["low", "high"].iter().enumerate() {
        let slice = |f: &[f64]| -> Vec<f64> {
            (0..na)
                .flat_map(|ia| (0..nb).map(move |ib| (ib, ia)))
                .map(|(ib, ia)| f[grid.index(ib, ia, j)])
                .collect()
        };
        HeatMap::new(
            &format!("deposits d(b, a) into the illiquid account, {name} income"),
            &b,
            &a,
            &slice(&p.deposit),
        )
        .x_label("liquid b")
        .y_label("illiquid a")
        .write(format!("out/15_deposit_{name}.svg"))?;
        HeatMap::new(
            &format!("consumption c(b, a), {name} income"),
            &b,
            &a,
            &slice(&p.consumption),
        )
        .x_label("liquid b")
        .y_label("illiquid a")
        .write(format!("out/15_consumption_{name}.svg"))?;
        let inaction = (0..nb * na)
            .filter(|&k| p.deposit[grid.index(k % nb, k / nb, j)] == 0.0)
            .count();
        println!(
            "    {name} income: deposits in [{:.3}, {:.3}], no deposit at {:.0}% of the grid (inaction band of chi0 |d|)",
            slice(&p.deposit).iter().cloned().fold(f64::INFINITY, f64::min),
            slice(&p.deposit).iter().cloned().fold(f64::NEG_INFINITY, f64::max),
            100.0 * inaction as f64 / (nb * na) as f64
        );
    }
    // Deposits along b at a few illiquid levels (low income).
    let mut plot = Plot::new("deposits d(b) at fixed illiquid wealth, low income")
        .x_label("liquid b")
        .y_label("d");
    for ia in [na / 8, na / 4, na / 2] {
        plot = plot.line(
            &format!("a = {:.1}", a[ia]),
            (0..nb)
                .map(|ib| (b[ib], p.deposit[grid.index(ib, ia, 0)]))
                .collect::<Vec<_>>(),
        );
    }
    plot.write("out/15_deposit_lines.svg")?;

    // (3) Marginal densities.
    let cell = grid.db() * grid.da();
    let gb: Vec<(f64, f64)> = (1..nb)
        .map(|ib| {
            let m: f64 = (0..na)
                .flat_map(|ia| (0..2).map(move |j| (ia, j)))
                .map(|(ia, j)| s.density[grid.index(ib, ia, j)])
                .sum();
            (b[ib], m * cell)
        })
        .filter(|(x, _)| *x <= 15.0)
        .collect();
    let ga: Vec<(f64, f64)> = (1..na)
        .map(|ia| {
            let m: f64 = (0..nb)
                .flat_map(|ib| (0..2).map(move |j| (ib, j)))
                .map(|(ib, j)| s.density[grid.index(ib, ia, j)])
                .sum();
            (a[ia], m * cell)
        })
        .collect();
    Plot::new("probability per liquid grid point (b = bmin not drawn)")
        .x_label("liquid b")
        .y_label("mass")
        .bars("g(b)", gb)
        .write("out/15_liquid_marginal.svg")?;
    Plot::new("probability per illiquid grid point (a = 0 not drawn)")
        .x_label("illiquid a")
        .y_label("mass")
        .bars("g(a)", ga)
        .write("out/15_illiquid_marginal.svg")?;
    println!(
        "    plots: out/15_deposit_{{low,high}}.svg, out/15_consumption_{{low,high}}.svg, \
         out/15_deposit_lines.svg, out/15_{{liquid,illiquid}}_marginal.svg"
    );

    // (4) Aggregates against the grid.
    println!("\n(4) aggregates against the grid:");
    println!(
        "     Lb  La   points   iterations   mean b     mean a    at bmin   at b = 0   seconds"
    );
    for (lb, la) in [(5, 5), (6, 6), (7, 6), (7, 7), (8, 7)] {
        let t = Instant::now();
        let grid = h.grid(lb, la)?;
        let s = h.solve(&grid, &opts)?;
        println!(
            "    {lb:3} {la:3}  {:7}   {:10}   {:.5}   {:.5}   {:.5}    {:.5}   {:6.2}",
            grid.len(),
            s.hjb.len(),
            s.liquid,
            s.illiquid,
            s.mass_at_bmin,
            s.mass_at_zero_liquid,
            t.elapsed().as_secs_f64()
        );
    }
    println!(
        "    liquid wealth is small and bunched at the kink b = 0 and at bmin, so its mean moves\n    \
         with the liquid spacing (42 / (2^Lb - 1)); b = 0 is a grid point only when 21 divides 2^Lb - 1 (Lb = 6, 12)"
    );
    Ok(())
}
