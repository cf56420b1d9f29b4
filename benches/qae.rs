//! Canonical amplitude estimation of seed 001's N(0,1) / sin^2 example (32
//! points) against PennyLane's `QuantumMonteCarlo` (../shared/bench/peers/qae_gaussian.py).
//! The timed call builds the problem and runs the estimation, as the peer's
//! `qnode()` call builds and simulates its template. One JSON line per (backend, n).
//!
//! `cargo bench --bench qae -- [--ns 6,8,10,12] [--gate-ns 6,8]`

use std::time::Instant;

use qtt::quantum::{models, Backend, CanonicalQae};

fn arg(name: &str, default: &str) -> String {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
        .unwrap_or_else(|| default.to_string())
}

fn main() {
    let ns: Vec<usize> = arg("--ns", "6,8,10,12")
        .split(',')
        .map(|s| s.parse().unwrap())
        .collect();
    let gate_ns: Vec<usize> = arg("--gate-ns", "6,8")
        .split(',')
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().unwrap())
        .collect();
    let exact = models::gaussian_sin2(5).unwrap().exact_value().unwrap();
    for (backend, list) in [(Backend::DenseGrover, &ns), (Backend::GateByGate, &gate_ns)] {
        for &n in list.iter() {
            let run = || {
                let p = models::gaussian_sin2(5).unwrap();
                CanonicalQae {
                    backend,
                    ..CanonicalQae::new(n)
                }
                .run(&p)
                .unwrap()
            };
            let t0 = Instant::now();
            let mut r = run();
            let first = t0.elapsed().as_secs_f64();
            let reps = if first < 1.0 { 5 } else { 1 };
            let mut times = vec![];
            for _ in 0..reps {
                let t = Instant::now();
                r = run();
                times.push(t.elapsed().as_secs_f64());
            }
            times.sort_by(f64::total_cmp);
            let med = times[times.len() / 2];
            println!(
                "{{\"bench\": \"qae_gaussian\", \"params\": {{\"n_est\": {n}, \"m\": 5, \"backend\": \"{backend:?}\"}}, \"seconds_median\": {med:.6e}, \"results\": {{\"seconds_first_call\": {first:.6e}, \"argmax_lower_half\": {}, \"mu_hat\": {}, \"p_argmax\": {:.6}, \"abs_err_vs_exact_discretized\": {:.3e}, \"matches_doc_n10\": {}}}}}",
                r.y, r.estimate, r.probabilities[r.y], (r.estimate - exact).abs(),
                if n == 10 { ((r.estimate - 0.4327096457464369).abs() < 1e-12).to_string() } else { "null".into() }
            );
        }
    }
}
