//! Tutorial 06: quantum Monte Carlo on seed 001's first example.
//!
//! `E[sin^2 x]` for `x ~ N(0, 1)` on 32 points of `[-pi, pi]`, loaded exactly,
//! estimated by canonical amplitude estimation. With 10 estimation qubits the
//! most likely outcome gives 0.4327096457464369, PennyLane's documented value.
//!
//! Run: `cargo run --release --example 07_qmc_gaussian` (writes `out/07_qmc_gaussian_n6.svg`).

mod common;

use common::plot::Plot;

use qtt::quantum::{decompose, models, to_qasm, Backend, CanonicalQae, Resources};

fn main() -> qtt::Result<()> {
    std::fs::create_dir_all("out").expect("cannot create the out/ folder for plots");
    // 1. The problem, written with the estimate! macro: one variable on 5 qubits
    //    (equally spaced points including the ends), one payoff.
    let problem = qtt::estimate! {
        x ~ normal(0.0, 1.0) on [-std::f64::consts::PI, std::f64::consts::PI] with 5 qubits at endpoints;
        payoff = x.sin().powi(2);
    }?;
    // The macro normalises the payoff to [0, 1] by min-max; the model in
    // `models::gaussian_sin2` loads sin^2 as is, as PennyLane does. Both estimate the same mean.
    let model = models::gaussian_sin2(5)?;
    let exact = model.exact_value().expect("built from distributions");
    println!("1. E[sin^2 x], x ~ N(0,1) on 32 points of [-pi, pi]");
    println!(
        "   continuous value (1 - e^-2)/2 = {:.10}",
        models::gaussian_sin2_continuous()
    );
    println!("   discretised value sum p_i f_i = {exact:.10}");
    println!(
        "   macro-built problem           = {:.10}",
        problem.exact_value().unwrap()
    );
    println!(
        "   a = P(objective = 1) of F|0>  = {:.10} (simulated)",
        model.amplitude()?
    );

    // 2. The circuit: F = A (rotation tree) then R (multiplexed RY), Q = (F Z F^-1 V)^2.
    let f = &model.prep;
    println!("\n2. F on {} qubits: {}", f.n_qubits(), Resources::of(f));
    println!(
        "   F over {{RX, RY, RZ, CNOT}}: {}",
        Resources::of(&decompose(f)?)
    );

    // 3. Canonical QAE: the twin peaks at theta and 1 - theta for n = 6.
    let r6 = CanonicalQae::new(6).run(&model)?;
    let mut top: Vec<(usize, f64)> = r6.probabilities.iter().copied().enumerate().collect();
    top.sort_by(|a, b| b.1.total_cmp(&a.1));
    println!(
        "\n3. n = 6 estimation qubits: most likely outcomes {:?}",
        &top[..4]
            .iter()
            .map(|(y, p)| format!("y={y} p={p:.5}"))
            .collect::<Vec<_>>()
    );
    println!(
        "   read y = {} -> theta = {:.6} -> estimate {:.6} (error {:.2e})",
        r6.y,
        r6.theta,
        r6.estimate,
        (r6.estimate - exact).abs()
    );
    Plot::new("QPE outcome distribution, n = 6")
        .x_label("y")
        .y_label("probability")
        .bars(
            "P(y)",
            r6.probabilities
                .iter()
                .enumerate()
                .map(|(y, &p)| (y as f64, p))
                .collect::<Vec<_>>(),
        )
        .write("out/07_qmc_gaussian_n6.svg")?;

    // 4. Error against estimation qubits; 10 qubits reproduce PennyLane's number.
    println!("\n4. n   y     estimate            |error|    Q calls");
    for n in 4..=12 {
        let r = CanonicalQae::new(n).run(&model)?;
        println!(
            "   {n:<3} {:<5} {:<19.16} {:.2e}   {}",
            r.y,
            r.estimate,
            (r.estimate - exact).abs(),
            r.q_calls
        );
        if n == 10 {
            assert!((r.estimate - 0.4327096457464369).abs() < 1e-15);
        }
    }
    println!("   n = 10 gives 0.4327096457464369, as PennyLane's QuantumMonteCarlo documents.");

    // 5. The fast path agrees with the full gate-level circuit (appendix D control).
    let small = CanonicalQae {
        backend: Backend::GateByGate,
        ..CanonicalQae::new(5)
    };
    let gate = small.distribution(&model)?;
    println!("\n5. n = 5: the fast paths against the gate-by-gate circuit");
    for (backend, what) in [
        (Backend::DenseGrover, "dense Q, repeated squaring"),
        (Backend::InvariantSubspace, "invariant subspace of Q"),
    ] {
        let fast = CanonicalQae {
            backend,
            ..CanonicalQae::new(5)
        }
        .distribution(&model)?;
        let diff = gate
            .iter()
            .zip(&fast)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        println!("   {what:<28} max |dP| = {diff:.1e}");
    }
    println!(
        "   full circuit resources over {{RX, RY, RZ, CNOT}}: {}",
        small.resources(&model)?
    );

    // 6. Export: the circuit of F runs in Qiskit as is.
    let qasm = to_qasm(&model.prep)?;
    println!(
        "\n6. OpenQASM 2 of F: {} lines; first lines:",
        qasm.lines().count()
    );
    for l in qasm.lines().take(6) {
        println!("   {l}");
    }
    println!("\nwrote out/07_qmc_gaussian_n6.svg");
    Ok(())
}
