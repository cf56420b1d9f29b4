//! Canonical amplitude estimation of seed 001's N(0,1) / sin^2 example (32
//! points) against PennyLane's `QuantumMonteCarlo` (../shared/bench/peers/qae_gaussian.py).
//! The timed call builds the problem and runs the estimation to the estimate,
//! as the peer's `qnode()` call builds its template and simulates it. One JSON
//! line per (backend, n); compare `cpu_seconds_median` with
//! `RAYON_NUM_THREADS=1` against the peer run with one thread
//! (benches/qae_vs_pennylane.sh does both in one session).
//!
//! `cargo bench --bench qae -- [--ns 6,8,10,12] [--dense-ns 6,8,10,12] [--gate-ns 6,8]`

mod common;

use common::{emit, list, loadavg, time, J};
use qtt::quantum::{models, Backend, CanonicalQae};

fn main() {
    let ns: Vec<usize> = list("--ns", "6,8,10,12");
    let dense_ns: Vec<usize> = list("--dense-ns", "6,8,10,12");
    let gate_ns: Vec<usize> = list("--gate-ns", "6,8");
    let exact = models::gaussian_sin2(5).unwrap().exact_value().unwrap();
    let runs = [
        (Backend::InvariantSubspace, &ns),
        (Backend::DenseGrover, &dense_ns),
        (Backend::GateByGate, &gate_ns),
    ];
    for (backend, list) in runs {
        for &n in list.iter() {
            let (timing, r) = time(5, 1000, 1.0, || {
                let p = models::gaussian_sin2(5).unwrap();
                CanonicalQae {
                    backend,
                    ..CanonicalQae::new(n)
                }
                .run(&p)
                .unwrap()
            });
            let doc = if n == 10 {
                J::S(((r.estimate - 0.4327096457464369).abs() < 1e-12).to_string())
            } else {
                J::S("n/a".into())
            };
            emit(
                "qae_gaussian",
                vec![
                    ("n_est", J::I(n as i64)),
                    ("m", J::I(5)),
                    ("backend", J::S(format!("{backend:?}"))),
                    ("threads", J::I(rayon::current_num_threads() as i64)),
                ],
                &timing,
                vec![(
                    "results",
                    J::O(vec![
                        ("argmax_lower_half", J::I(r.y as i64)),
                        ("mu_hat", J::N(r.estimate)),
                        ("p_argmax", J::N(r.probabilities[r.y])),
                        (
                            "abs_err_vs_exact_discretized",
                            J::N((r.estimate - exact).abs()),
                        ),
                        ("matches_doc_n10", doc),
                        ("loadavg", J::N(loadavg())),
                    ]),
                )],
            );
        }
    }
}
