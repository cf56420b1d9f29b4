//! QTT operators and cross approximation on QTT grids.
//!
//! `cargo bench --bench qtt -- [--only laplacian|cross] [--bits 20,40,60]
//! [--peer-python PATH]` (default `$QTT_PEER_PY`, else `$PEERS_VENV/bin/python`,
//! else `~/.cache/qtt-peers/bin/python`) prints one JSON line per measurement:
//! - `qtt_laplacian_apply`: the 1-D Dirichlet second difference (rank 3)
//!   applied to a rank-8 QTT and rounded to 1e-10 (exact product + rounding,
//!   and zip-up), for each L: the cost must grow linearly in L.
//! - `qtt_cross_kink`: cross approximation of softplus_mu(x - k), mu = 1e-3,
//!   on 2^40 points at tolerance 1e-10, followed in the same run by the peer
//!   script `benches/peers/qtt_cross_kink.py` (teneva's cross, same function,
//!   grid and tolerance) and a ratio line.

mod common;

use common::{arg, emit, list, loadavg, peer_python, repo_root, time, J};
use qtt::grid::{approximate, grid_cross_options, second_difference, softplus, Boundary, Grid1d};
use qtt::tt::{ApplyMethod, CrossMethod, CrossOptions};
use qtt::{TensorTrain, Truncation};
use rand::{Rng, SeedableRng};

fn bench_laplacian(bits: &[u32]) {
    for &l in bits {
        let g = Grid1d::new(0.0, 1.0, l).unwrap();
        let lap = second_difference(&g, Boundary::Zero).unwrap();
        let x = TensorTrain::random(&g.modes(), 8, 42).unwrap();
        let trunc = Truncation::tol(1e-10).unwrap();
        let exact = lap.apply_exact(&x).unwrap();
        let exact_norm = exact.norm();
        for (name, method) in [
            ("exact+round", ApplyMethod::Exact),
            ("zip-up", ApplyMethod::ZipUp),
        ] {
            let (t, y) = time(5, 41, 1.0, || lap.apply(&x, &method, &trunc).unwrap());
            emit(
                "qtt_laplacian_apply",
                vec![
                    ("bits", J::I(l as i64)),
                    ("in_rank", J::I(8)),
                    ("mpo_rank", J::I(lap.max_rank() as i64)),
                    ("method", J::S(name.into())),
                    ("tol", J::N(1e-10)),
                ],
                &t,
                vec![
                    ("seconds_per_bit", J::N(t.median / l as f64)),
                    ("out_rank_max", J::I(y.max_rank() as i64)),
                    ("rel_err", J::N(y.sub(&exact).unwrap().norm() / exact_norm)),
                    ("loadavg1", J::N(loadavg())),
                ],
            );
        }
    }
}

/// Same protocol as benches/peers/qtt_cross_kink.py; returns the two-site
/// (QTT default) seconds and evaluations.
fn bench_cross_ours(l: u32, mu: f64, tol: f64, kink: f64) -> (f64, usize) {
    let g = Grid1d::new(-1.0, 1.0, l).unwrap();
    let f = |x: f64| softplus(x - kink, mu);
    let mut first = None;
    let schemes = [
        ("two-site", grid_cross_options(tol).unwrap()),
        (
            "one-site+2",
            CrossOptions {
                tol,
                method: CrossMethod::OneSite { extra: 2 },
                ..Default::default()
            },
        ),
    ];
    for (name, opts) in schemes {
        let (t, (y, rep)) = time(3, 11, 2.0, || approximate(&g, f, &opts).unwrap());
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(2);
        let (mut worst, mut scale) = (0.0f64, 0.0f64);
        for _ in 0..1000 {
            let i = rng.random_range(0..g.len());
            let want = f(g.coordinate(i).unwrap());
            worst = worst.max((y.eval(&g.index_to_bits(i).unwrap()).unwrap() - want).abs());
            scale = scale.max(want.abs());
        }
        emit(
            "qtt_cross_kink",
            vec![
                ("bits", J::I(l as i64)),
                ("mu", J::N(mu)),
                ("tol", J::N(tol)),
                ("method", J::S(name.into())),
            ],
            &t,
            vec![
                ("peer", J::S("qtt".into())),
                ("evaluations", J::I(rep.evaluations as i64)),
                ("max_rank", J::I(y.max_rank() as i64)),
                ("sweeps", J::I(rep.sweeps as i64)),
                ("max_rel_error", J::N(worst / scale)),
                ("loadavg1", J::N(loadavg())),
            ],
        );
        first.get_or_insert((t.median, rep.evaluations));
    }
    first.expect("two schemes ran")
}

/// Our cross, then teneva's on the same workload, then the ratios.
fn bench_cross(peer_python: &str) -> Option<()> {
    let (l, mu, tol, kink) = (40u32, 1e-3, 1e-10, 0.1234567);
    let (ours_s, ours_evals) = bench_cross_ours(l, mu, tol, kink);
    let script = repo_root().join("benches/peers/qtt_cross_kink.py");
    let peer = std::process::Command::new(peer_python)
        .arg(&script)
        .args([
            "--bits",
            &l.to_string(),
            "--mu",
            &mu.to_string(),
            "--tol",
            &tol.to_string(),
            "--kink",
            &kink.to_string(),
        ])
        .output();
    let out = match peer {
        Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).into_owned(),
        _ => {
            let skipped = serde_json::json!({
                "bench": "qtt_cross_kink",
                "peer": "teneva",
                "skipped": format!("{peer_python} benches/peers/qtt_cross_kink.py did not run"),
            });
            println!("{skipped}");
            return None;
        }
    };
    let line = out.lines().find(|s| s.contains("\"bench\""))?;
    println!("{line}");
    let num = |key: &str| -> Option<f64> {
        let rest = &line[line.find(&format!("\"{key}\": "))? + key.len() + 4..];
        rest.split([',', '}']).next()?.trim().parse().ok()
    };
    let (ps, pe) = (num("seconds_median")?, num("evaluations")?);
    println!(
        "{}",
        J::O(vec![
            ("bench", J::S("qtt_cross_kink_ratio".into())),
            ("time_ratio_teneva_over_qtt", J::N(ps / ours_s)),
            (
                "evaluation_ratio_teneva_over_qtt",
                J::N(pe / ours_evals as f64)
            ),
        ])
        .render()
    );
    Some(())
}

fn main() {
    let only: String = arg("--only", String::new());
    let bits: Vec<u32> = list("--bits", "20,40,60");
    let python: String = arg(
        "--peer-python",
        peer_python().to_string_lossy().into_owned(),
    );
    if only.is_empty() || only == "laplacian" {
        bench_laplacian(&bits);
    }
    if only.is_empty() || only == "cross" {
        bench_cross(&python);
    }
}
