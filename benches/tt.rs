//! Tensor-train kernels, on the protocol of ../shared/bench/peers/tt_round.py.
//!
//! `cargo bench --bench tt -- [--ranks 16,32,64] [--tol 1e-10] [--only round|apply|cross]`
//! prints one JSON line per measurement.

mod common;

use common::{arg, emit, list, loadavg, time, J};
use qtt::tt::{cross, ApplyMethod, CrossOptions, VariationalOptions};
use qtt::{TensorTrain, Truncation, TtMatrix};

/// teneva.rand's input: uniform(-1, 1) cores, rescaled to unit norm.
fn unit_random(d: usize, n: usize, r: usize, seed: u64) -> TensorTrain {
    let y = TensorTrain::random(&vec![n; d], r, seed).unwrap();
    let f = y.norm().powf(-1.0 / d as f64);
    let cores = y.into_cores().into_iter().map(|mut c| {
        c.scale(f);
        c
    });
    TensorTrain::new(cores.collect()).unwrap()
}

fn bench_round(tol: f64, ranks: &[usize]) {
    for (d, n) in [(40, 2), (20, 4)] {
        for &r in ranks {
            let y = unit_random(d, n, r, 12345);
            let z = y.add(&y).unwrap();
            let two_y = y.scaled(2.0);
            let trunc = Truncation::tol(tol).unwrap();
            let (t, rounded) = time(5, 21, 1.0, || z.round(&trunc).unwrap());
            let err = rounded.sub(&two_y).unwrap().norm() / two_y.norm();
            emit(
                "tt_round",
                vec![
                    ("d", J::I(d as i64)),
                    ("n", J::I(n as i64)),
                    ("r", J::I(r as i64)),
                    ("tol", J::N(tol)),
                ],
                &t,
                vec![
                    ("out_rank_max", J::I(rounded.max_rank() as i64)),
                    ("rel_err", J::N(err)),
                    ("loadavg1", J::N(loadavg())),
                ],
            );
        }
    }
}

fn bench_apply() {
    let (d, n, w, r) = (40, 2, 4, 64);
    let a = TtMatrix::from_train(
        TensorTrain::random(&vec![n * n; d], w, 7).unwrap(),
        &vec![n; d],
        &vec![n; d],
    )
    .unwrap();
    let x = unit_random(d, n, r, 8);
    let trunc = Truncation::rank(r).unwrap();
    let exact = a.apply_exact(&x).unwrap();
    let norm = exact.norm();
    let methods = [
        ("exact+round", ApplyMethod::Exact),
        ("zip-up", ApplyMethod::ZipUp),
        (
            "variational",
            ApplyMethod::Variational(VariationalOptions::default()),
        ),
    ];
    // Random inputs have flat spectra, so rank-64 truncation of the rank-256
    // product loses much: exact+round is the optimum the others approach.
    for (name, method) in methods {
        let (t, y) = time(3, 11, 2.0, || a.apply(&x, &method, &trunc).unwrap());
        let err = y.sub(&exact).unwrap().norm() / norm;
        emit(
            "mpo_apply",
            vec![
                ("method", J::S(name.into())),
                ("d", J::I(d as i64)),
                ("n", J::I(n as i64)),
                ("mpo_rank", J::I(w as i64)),
                ("mps_rank", J::I(r as i64)),
                ("max_rank_out", J::I(r as i64)),
            ],
            &t,
            vec![("rel_err", J::N(err)), ("loadavg1", J::N(loadavg()))],
        );
    }
}

fn bench_cross() {
    let f = |i: &[usize]| 1.0 / (1.0 + i.iter().map(|&k| (k as f64 / 15.0).powi(2)).sum::<f64>());
    let opts = CrossOptions {
        tol: 1e-10,
        ..Default::default()
    };
    let (t, (x, report)) = time(3, 11, 2.0, || cross(f, &[16; 10], &opts).unwrap());
    // relative error on 20,000 seeded random points
    let mut state = 1u64;
    let (mut num, mut den) = (0.0, 0.0);
    for _ in 0..20_000 {
        let idx: Vec<usize> = (0..10)
            .map(|_| {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                ((state >> 33) % 16) as usize
            })
            .collect();
        let (want, got) = (f(&idx), x.eval(&idx).unwrap());
        num += (want - got).powi(2);
        den += want * want;
    }
    emit(
        "tt_cross",
        vec![
            ("d", J::I(10)),
            ("n", J::I(16)),
            ("tol", J::N(1e-10)),
            ("function", J::S("1/(1+sum x^2)".into())),
        ],
        &t,
        vec![
            ("evaluations", J::I(report.evaluations as i64)),
            ("sweeps", J::I(report.sweeps as i64)),
            ("max_rank", J::I(x.max_rank() as i64)),
            ("rel_err_samples", J::N((num / den).sqrt())),
            ("loadavg1", J::N(loadavg())),
        ],
    );
}

fn main() {
    let only: String = arg("--only", "all".to_string());
    let tol: f64 = arg("--tol", 1e-10);
    let ranks: Vec<usize> = list("--ranks", "16,32,64");
    if only == "all" || only == "round" {
        bench_round(tol, &ranks);
    }
    if only == "all" || only == "apply" {
        bench_apply();
    }
    if only == "all" || only == "cross" {
        bench_cross();
    }
}
