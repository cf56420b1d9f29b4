//! Tutorial 07: seed 001's two-bank, two-period stress test (section 5.1).
//!
//! Expected loss `E[0.0064 (2 + d2)(1 + d1)]` with `d1, d2 ~ Beta(2, 10)` i.i.d.;
//! exact value `0.0064 * 13/6 * 7/6 = 1.618%`. Two registers of 3 qubits (cells at
//! their conditional means make the bilinear payoff's mean exact), an exact
//! multiplexed payoff rotation over both, min-max normalisation, canonical QAE.
//!
//! Run: `cargo run --release --example 08_bank_stress_test` (writes `out/08_stress_test_error.svg`).

mod common;

use common::plot::Plot;

use qtt::quantum::{
    classical_monte_carlo, models, CanonicalQae, IntervalEstimator, IterativeQae,
    MaximumLikelihoodQae, Resources,
};

fn main() -> qtt::Result<()> {
    std::fs::create_dir_all("out").expect("cannot create the out/ folder for plots");
    let exact = models::bank_stress_test_exact();
    let problem = qtt::estimate! {
        d1 ~ beta(2.0, 10.0) on [0.0, 1.0] with 3 qubits;
        d2 ~ beta(2.0, 10.0) on [0.0, 1.0] with 3 qubits;
        payoff = 0.0064 * (2.0 + d2) * (1.0 + d1);
    }?;
    println!("1. expected loss, continuous: {:.6}%", 100.0 * exact);
    println!(
        "   discretised on 2 x 8 cells: {:.6}%",
        100.0 * problem.exact_value().unwrap()
    );
    println!("   F: {}", Resources::of(&problem.prep));

    println!("\n2. canonical QAE (paper: 1.622% with 10 qubits, fractional error 0.0027)");
    println!("   n    estimate     fractional error   Q calls");
    let mut pts = vec![];
    for n in 2..=12 {
        let r = CanonicalQae::new(n).run(&problem)?;
        let rel = (r.estimate - exact).abs() / exact;
        println!(
            "   {n:<4} {:.5}%     {rel:.2e}           {}",
            100.0 * r.estimate,
            r.q_calls
        );
        pts.push((r.q_calls as f64, rel.max(1e-16)));
        if n == 10 {
            assert!(rel < 3e-3, "within 0.3% with 10 estimation qubits");
        }
    }

    println!("\n3. beyond the paper: iterative and maximum-likelihood QAE with 95% intervals");
    let it = IterativeQae {
        shots: 200,
        ..IterativeQae::new(2e-4, 0.05)
    }
    .run(&problem)?;
    println!(
        "   IQAE: {:.5}% in [{:.5}%, {:.5}%], {} Grover calls",
        100.0 * it.estimate,
        100.0 * it.estimate_interval.0,
        100.0 * it.estimate_interval.1,
        it.oracle_calls
    );
    let ml = MaximumLikelihoodQae {
        shots: 200,
        ..MaximumLikelihoodQae::new(10)
    }
    .run(&problem)?;
    println!(
        "   MLAE: {:.5}% in [{:.5}%, {:.5}%], {} Grover calls",
        100.0 * ml.estimate,
        100.0 * ml.estimate_interval.0,
        100.0 * ml.estimate_interval.1,
        ml.oracle_calls
    );

    println!("\n4. classical Monte Carlo on the same discretisation");
    let mut mc = vec![];
    for k in 2..=6 {
        let n = 10usize.pow(k);
        let r = classical_monte_carlo(&problem, n, 11)?;
        let rel = (r.estimate - exact).abs() / exact;
        println!(
            "   N = 1e{k}: {:.5}% (fractional error {rel:.2e}, std error {:.1e})",
            100.0 * r.estimate,
            r.std_error / exact
        );
        mc.push((n as f64, rel));
    }
    Plot::new("Stress test: fractional error vs oracle calls")
        .x_label("oracle calls")
        .y_label("fractional error")
        .log_x()
        .log_y()
        .line("canonical QAE", pts)
        .scatter("classical MC", mc)
        .write("out/08_stress_test_error.svg")?;
    println!("\nwrote out/08_stress_test_error.svg");
    Ok(())
}
