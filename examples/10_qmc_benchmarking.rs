//! Tutorial 09: seed 001's benchmarking (section 6).
//!
//! (a) error against oracle calls for canonical, iterative and maximum-likelihood
//! amplitude estimation, the linear-approximation loading and classical Monte
//! Carlo, with fitted slopes (about -1, -1, -1, -2/3, -1/2); (b) circuit depth over
//! {RX, RY, RZ, CNOT} against estimation qubits; (c) the runtime projection
//! `T = t * depth` for gate times 1 ns .. 100 us against classical Monte Carlo on
//! one core, x1e3 (HPC) and x1e6 (supercomputer).
//!
//! Run: `cargo run --release --example 10_qmc_benchmarking`
//! (writes `out/10_qmc_error_vs_calls.svg`, `out/10_qmc_depth.svg`, `out/10_qmc_runtime.svg`).

mod common;

use common::plot::Plot;

use std::time::Instant;

use qtt::quantum::{
    models, models::PayoffLoading, payoff::linear_scale, AmplitudeRange, Backend, CanonicalQae,
    Discretized, SupportGrid,
};

fn main() -> qtt::Result<()> {
    std::fs::create_dir_all("out").expect("cannot create the out/ folder for plots");
    // The neoclassical payoff with the productivity mean shifted to 1.01, so that
    // the linear approximation is not exact by symmetry (see tutorial 08).
    let z = Discretized::normal(1.01, 0.02, 0.94, 1.06, 5, SupportGrid::Endpoints)?;
    let exact = z.expectation(|x| 30.0 - 29.0 * x);
    let problem = models::neoclassical(&z, PayoffLoading::Exact)?;
    println!("target E[30 - 29 z'] = {exact:.10} (z' ~ N(1.01, 0.02^2) on 32 points)");

    // (a) error vs oracle calls (applications of the Grover iterate G; Q = G^2).
    let canon = common::qmc::canonical(&problem, exact, 3..=16)?;
    let mut lin = vec![];
    for n in 3..=16 {
        // phase estimation on the invariant subspace of Q: exact, fast at every n
        let lp = models::neoclassical(&z, PayoffLoading::LinearApprox(linear_scale(n)))?;
        let range = if lp.amplitude()? <= 0.5 {
            AmplitudeRange::AtMostHalf
        } else {
            AmplitudeRange::AtLeastHalf
        };
        let rl = CanonicalQae {
            backend: Backend::InvariantSubspace,
            range,
            ..CanonicalQae::new(n)
        }
        .run(&lp)?;
        lin.push((
            rl.oracle_calls as f64,
            (rl.estimate - exact).abs().max(1e-16),
        ));
    }
    let seeds = 8;
    let iqae = common::qmc::iterative(&problem, exact, 1..=5, seeds)?;
    let mlae = common::qmc::maximum_likelihood(&problem, exact, 2..=12, seeds)?;
    let t0 = Instant::now();
    let mc = common::qmc::monte_carlo(&problem, exact, 2..=6, seeds)?;
    let samples: f64 = mc.iter().map(|&(n, _)| n).sum::<f64>() * seeds as f64;
    let t_sample = t0.elapsed().as_secs_f64() / samples;
    println!("\n(a) fitted slopes of log error vs log oracle calls");
    type Fit<'a> = (&'a str, &'a Vec<(f64, f64)>, &'a str);
    let fits: Vec<Fit> = vec![
        ("canonical QAE, exact loading", &canon, "-1"),
        ("iterative QAE (Grinko)", &iqae, "-1"),
        ("maximum-likelihood QAE (Suzuki)", &mlae, "-1"),
        ("canonical QAE, linear approximation", &lin, "-2/3"),
        ("classical Monte Carlo", &mc, "-1/2"),
    ];
    let mut plot = Plot::new("Error vs oracle calls")
        .x_label("oracle calls (G applications / samples)")
        .y_label("mean absolute error")
        .log_x()
        .log_y();
    let mut slopes = vec![];
    for (name, pts, theory) in &fits {
        let (s, _) = common::plot::loglog_fit(pts);
        slopes.push(s);
        println!("   {name:<38} slope {s:>7.3}  (theory {theory})");
        plot = plot.line(&format!("{name}: {s:.2}"), pts);
    }
    plot.write("out/10_qmc_error_vs_calls.svg")?;

    // (b) depth over {RX, RY, RZ, CNOT} vs estimation qubits (paper's linear-approximation F).
    println!("\n(b) resources of the canonical QAE circuit (linear-approximation loading, m = 5)");
    println!("   n    qubits   gates          CNOTs          depth");
    let mut depth = vec![];
    for n in 2..=10 {
        let lp = models::neoclassical(&z, PayoffLoading::LinearApprox(linear_scale(n)))?;
        let r = CanonicalQae::new(n).resources(&lp)?;
        println!(
            "   {n:<4} {:<8} {:<14} {:<14} {}",
            r.qubits, r.gates, r.cnots, r.depth
        );
        depth.push((n as f64, r.depth as f64));
    }
    Plot::new("Circuit depth vs estimation qubits")
        .x_label("estimation qubits n")
        .y_label("depth")
        .log_y()
        .line("depth", &depth)
        .write("out/10_qmc_depth.svg")?;
    // log-linear fit: log10 depth = a + b n
    let (b, a) = {
        let pts: Vec<(f64, f64)> = depth.iter().map(|&(n, d)| (10f64.powf(n), d)).collect();
        common::plot::loglog_fit(&pts)
    };
    println!("   log-linear fit: depth ~ 10^({a:.3} + {b:.3} n)");

    // (c) runtime projection: n needed for error eps from the linear-approximation
    // fit, T = t * depth(n); classical N(eps) from the fit, times the measured time per sample.
    let (sl, il) = common::plot::loglog_fit(&lin);
    let (sm, im) = common::plot::loglog_fit(&mc);
    println!(
        "\n(c) runtime projection (classical: {:.1} ns per sample on one core, measured)",
        t_sample * 1e9
    );
    println!("   eps      QMC t=1ns   10ns        100ns       1us         10us        100us       | MC 1 core   HPC x1e3    super x1e6");
    let mut rt_plot = Plot::new("Projected runtime to reach an error")
        .x_label("error")
        .y_label("seconds")
        .log_x()
        .log_y();
    let gate_times = [1e-9, 1e-8, 1e-7, 1e-6, 1e-5, 1e-4];
    let mut series: Vec<Vec<(f64, f64)>> = vec![vec![]; gate_times.len() + 3];
    for k in 3..=8 {
        let eps = 10f64.powi(-k);
        // calls(eps) from log10 err = il + sl log10 calls; calls = 2 (2^n - 1) -> n
        let calls = 10f64.powf((eps.log10() - il) / sl);
        let n = (calls / 2.0 + 1.0).log2().max(1.0);
        let d = 10f64.powf(a + b * n);
        let samples = 10f64.powf((eps.log10() - im) / sm);
        let t_mc = samples * t_sample;
        let mut row = format!("   1e-{k}   ");
        for (j, &t) in gate_times.iter().enumerate() {
            row += &format!("{:<11.2e} ", t * d);
            series[j].push((eps, t * d));
        }
        row += &format!("| {:<11.2e} {:<11.2e} {:.2e}", t_mc, t_mc / 1e3, t_mc / 1e6);
        series[gate_times.len()].push((eps, t_mc));
        series[gate_times.len() + 1].push((eps, t_mc / 1e3));
        series[gate_times.len() + 2].push((eps, t_mc / 1e6));
        println!("{row}");
    }
    let labels = [
        "QMC 1 ns",
        "QMC 10 ns",
        "QMC 100 ns",
        "QMC 1 us",
        "QMC 10 us",
        "QMC 100 us",
        "MC 1 core",
        "MC HPC x1e3",
        "MC super x1e6",
    ];
    for (l, s) in labels.iter().zip(series) {
        rt_plot = rt_plot.line(l, s);
    }
    rt_plot.write("out/10_qmc_runtime.svg")?;
    println!("\nwrote out/10_qmc_error_vs_calls.svg, out/10_qmc_depth.svg, out/10_qmc_runtime.svg");
    Ok(())
}
