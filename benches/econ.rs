//! Heterogeneous-agent equilibria (Huggett, Aiyagari): the whole stationary
//! equilibrium (r* by Brent, HJB, KFE at every price) by the banded
//! finite-difference backend, the QTT backend and the numpy/scipy peer
//! (`benches/peers/hact_fd.py`, the HACT scheme as economists run it: scipy
//! sparse LU), side by side in one run, one thread each.
//!
//! `RAYON_NUM_THREADS=1 cargo bench --bench econ -- [--models huggett,aiyagari]
//! [--bits 8,10,12,14,16,18,20] [--qtt-up-to 8] [--peer-up-to 14]` prints one
//! JSON line per backend, model and size (`seconds` wall, `cpu_seconds`,
//! r*, evaluations), then one `econ_ratio` line per size where both ran.
//! `-- --jaggedness` measures the noise of S(r) on a fine price grid.

mod common;

use common::{arg, emit, list, loadavg, peer_python, repo_root, time, J};
use qtt::econ::{AiyagariParams, EquilibriumOptions, HuggettParams, Model, SolveOptions};

fn model(name: &str, bits: u32) -> Model {
    match name {
        "aiyagari" => AiyagariParams::default().model(1 << bits).unwrap(),
        _ => HuggettParams::default().model(1 << bits).unwrap(),
    }
}

/// The peer's r* and CPU seconds at `bits`, if its Python runs here.
fn peer(name: &str, bits: u32) -> Option<(f64, f64, f64)> {
    let out = std::process::Command::new(peer_python())
        .env("OMP_NUM_THREADS", "1")
        .env("OPENBLAS_NUM_THREADS", "1")
        .arg(repo_root().join("benches/peers/hact_fd.py"))
        .args(["--model", name, "--bits", &bits.to_string()])
        .output()
        .ok()?;
    if !out.status.success() {
        eprintln!("peer failed: {}", String::from_utf8_lossy(&out.stderr));
        return None;
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let field = |key: &str| -> Option<f64> {
        let rest = &text[text.find(&format!("\"{key}\": "))? + key.len() + 4..];
        rest[..rest.find([',', '}'])?].trim().parse().ok()
    };
    Some((field("r_star")?, field("seconds")?, field("cpu_seconds")?))
}

/// Seed 000 claims that rounding noise makes S(r) too jagged for bracketing
/// root finders. Measured: S at 21 prices `h = --jag-step` apart around
/// `--jag-r` on 2^`--jag-bits` points, by both backends; the noise is the
/// largest deviation from the least-squares quadratic through them, next to
/// the change of S over one step.
fn jaggedness() {
    let bits: u32 = arg("--jag-bits", 8);
    let r0: f64 = arg("--jag-r", 0.0284);
    let h: f64 = arg("--jag-step", 1e-6);
    let m = model("huggett", bits);
    for (backend, opts) in [
        ("finite_difference", SolveOptions::finite_difference()),
        ("qtt", SolveOptions::default()),
    ] {
        let rs: Vec<f64> = (-10..=10).map(|k| r0 + k as f64 * h).collect();
        let c0 = common::cpu_seconds();
        let s = m.excess_curve(&rs, &opts).unwrap();
        let cpu = common::cpu_seconds() - c0;
        // Least-squares quadratic in t = k (exact normal equations on -10..10).
        let ks: Vec<f64> = (-10..=10).map(|k| k as f64).collect();
        let ys: Vec<f64> = s.iter().map(|p| p.excess).collect();
        let a = nalgebra::DMatrix::from_fn(21, 3, |i, j| ks[i].powi(j as i32));
        let coef = a
            .clone()
            .svd(true, true)
            .solve(&nalgebra::DVector::from_vec(ys.clone()), 1e-14)
            .unwrap();
        let fit = &a * &coef;
        let noise = ys
            .iter()
            .zip(fit.iter())
            .fold(0.0f64, |m, (y, f)| m.max((y - f).abs()));
        println!(
            "{}",
            J::O(vec![
                ("bench", J::S("econ_jaggedness".into())),
                (
                    "params",
                    J::O(vec![
                        ("backend", J::S(backend.into())),
                        ("bits", J::I(bits as i64)),
                        ("step", J::N(h))
                    ])
                ),
                ("noise", J::N(noise)),
                ("change_per_step", J::N(coef[1])),
                (
                    "monotone",
                    J::S(ys.windows(2).all(|w| w[1] > w[0]).to_string())
                ),
                ("cpu_seconds", J::N(cpu)),
            ])
            .render()
        );
    }
}

fn main() {
    if std::env::args().any(|a| a == "--jaggedness") {
        jaggedness();
        return;
    }
    let models: Vec<String> = list("--models", "huggett,aiyagari");
    let bits: Vec<u32> = list("--bits", "8,10,12,14,16,18,20");
    let qtt_up_to: u32 = arg("--qtt-up-to", 8);
    let peer_up_to: u32 = arg("--peer-up-to", 14);
    let eq = EquilibriumOptions::default();
    for name in &models {
        for &l in &bits {
            let m = model(name, l);
            let mut fd_secs = f64::NAN;
            for (backend, opts, up_to) in [
                ("finite_difference", SolveOptions::finite_difference(), 63),
                ("qtt", SolveOptions::default(), qtt_up_to),
            ] {
                if l > up_to {
                    continue;
                }
                let reps = if l <= 14 { 3 } else { 1 };
                if let Err(err) = m.steady_state(&opts, &eq) {
                    println!(
                        "{}",
                        J::O(vec![
                            ("bench", J::S("econ".into())),
                            (
                                "params",
                                J::O(vec![
                                    ("model", J::S(name.clone())),
                                    ("backend", J::S(backend.into())),
                                    ("bits", J::I(l as i64)),
                                ])
                            ),
                            ("error", J::S(err.to_string().chars().take(300).collect())),
                        ])
                        .render()
                    );
                    continue;
                }
                let (t, e) = time(reps, reps, 0.0, || m.steady_state(&opts, &eq).unwrap());
                if backend == "finite_difference" {
                    fd_secs = t.cpu_median;
                }
                emit(
                    "econ",
                    vec![
                        ("model", J::S(name.clone())),
                        ("backend", J::S(backend.into())),
                        ("bits", J::I(l as i64)),
                    ],
                    &t,
                    vec![
                        ("r_star", J::N(e.price)),
                        ("excess", J::N(e.solution.excess)),
                        ("evaluations", J::I(e.evaluations.len() as i64)),
                        ("loadavg", J::N(loadavg())),
                    ],
                );
            }
            if l <= peer_up_to {
                if let Some((r, wall, cpu)) = peer(name, l) {
                    println!(
                        "{}",
                        J::O(vec![
                            ("bench", J::S("econ_ratio".into())),
                            (
                                "params",
                                J::O(vec![
                                    ("model", J::S(name.clone())),
                                    ("bits", J::I(l as i64))
                                ])
                            ),
                            ("peer_r_star", J::N(r)),
                            ("peer_seconds", J::N(wall)),
                            ("peer_cpu_seconds", J::N(cpu)),
                            ("qtt_fd_cpu_seconds", J::N(fd_secs)),
                            ("peer_over_fd_cpu", J::N(cpu / fd_secs)),
                        ])
                        .render()
                    );
                }
            }
        }
    }
}
