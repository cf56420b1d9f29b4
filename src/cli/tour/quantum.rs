//! The quantum Monte Carlo part of `qtt tour` (seed 001): a circuit from the
//! `circuit!` macro, the Gaussian/sin^2 estimate that PennyLane documents, and
//! the bank stress test. Runs in about a second.

use qtt::quantum::{decompose, models, CanonicalQae, Resources};

/// Prints the quantum part of the tour (`quiet` keeps only the result lines).
pub fn run(quiet: bool) -> Result<(), String> {
    let e = |e: qtt::Error| e.to_string();
    let bell = qtt::circuit! {
        reg q[3];
        h(q[0]);
        for i in 1..3 { cx(q[0], q[i]); }
    }
    .map_err(e)?;
    if !quiet {
        println!(
            "quantum: a GHZ circuit from circuit!: {}",
            Resources::of(&bell)
        );
    }
    let p = models::gaussian_sin2(5).map_err(e)?;
    let r = CanonicalQae::new(10).run(&p).map_err(e)?;
    println!(
        "quantum: E[sin^2 x], x ~ N(0,1) on 32 points, 10 estimation qubits: {:.16} (exact {:.10}, {} Q calls)",
        r.estimate,
        p.exact_value().unwrap_or(f64::NAN),
        r.q_calls
    );
    if !quiet {
        let f = decompose(&p.prep).map_err(e)?;
        println!(
            "quantum: its loading circuit F over {{RX, RY, RZ, CNOT}}: {}",
            Resources::of(&f)
        );
    }
    let s = models::bank_stress_test(3).map_err(e)?;
    let rs = CanonicalQae::new(10).run(&s).map_err(e)?;
    let exact = models::bank_stress_test_exact();
    println!(
        "quantum: bank stress test expected loss {:.4}% (exact {:.4}%, fractional error {:.1e})",
        100.0 * rs.estimate,
        100.0 * exact,
        (rs.estimate - exact).abs() / exact
    );
    Ok(())
}
