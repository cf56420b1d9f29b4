//! Heterogeneous-agent equilibria (Huggett, Aiyagari): the whole stationary
//! equilibrium (r* by Brent, HJB, KFE at every price) by the banded
//! finite-difference backend, the QTT backend and the numpy/scipy peer
//! (`benches/peers/hact_fd.py`, the HACT scheme as economists run it: scipy
//! sparse LU), side by side in one run, one thread each.
//!
//! `RAYON_NUM_THREADS=1 cargo bench --bench econ -- [--models huggett,aiyagari]
//! [--bits 8,10,12,14,16,18,20] [--qtt-up-to 8] [--peer-up-to 14]
//! [--nested-bits 14|none]` prints one JSON line per backend, model and
//! size (`seconds` wall, `cpu_seconds`, r*, evaluations on the finest grid,
//! `[points, r*]` of the coarse grids solved first), then one `econ_qtt_vs_fd` line (r*
//! difference, CPU ratio) where both backends ran and one `econ_ratio` line
//! per size where the peer ran.
//! `-- --jaggedness` measures the noise of S(r) on a fine price grid;
//! `-- --ranks` the ranks at the solution against the borrowing limit and
//! income risk; `-- --smoothing` what the softplus upwind costs; `--
//! --joint` seed 000's joint (CBO) formulation against Brent.

mod common;

use common::{
    arg, emit, error_field, line, list, loadavg, max_abs_diff, peer_python, qtt_rank, repo_root,
    time, time_once, J,
};
use qtt::econ::{AiyagariParams, EquilibriumOptions, HuggettParams, Model, SolveOptions};
use qtt::grid::BitOrder;

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
/// root finders. Measured on each of `--jag-bits` grids: S at 21 prices
/// `h = --jag-step` apart around the finite-difference r* of that grid, by
/// the banded backend and by the QTT backend at each tolerance of
/// `--jag-tols` (the slope tolerance 100x looser, as the defaults, and
/// policy iteration stopped at 10x the tolerance). The
/// noise is the largest deviation from the least-squares quadratic through
/// the 21 values, next to the change of S over one step; `root_shift` is
/// how far the quadratic's root lies from the banded backend's.
fn jaggedness() {
    let bits: Vec<u32> = list("--jag-bits", "8,12,14");
    let tols: Vec<f64> = list("--jag-tols", "1e-13,1e-10,1e-8");
    let h: f64 = arg("--jag-step", 1e-6);
    for &l in &bits {
        let m = model("huggett", l);
        let fd = SolveOptions::finite_difference();
        let r0 = m
            .steady_state(&fd, &EquilibriumOptions::default())
            .unwrap()
            .price;
        let rs: Vec<f64> = (-10..=10).map(|k| r0 + k as f64 * h).collect();
        let mut runs = vec![("finite_difference".to_string(), fd)];
        for &tol in &tols {
            let mut o = SolveOptions::default();
            o.qtt.tol = tol;
            o.qtt.slope_tol = (100.0 * tol).max(o.qtt.slope_tol);
            // Policy iteration settles to about the truncation tolerance.
            o.hjb_tol = (10.0 * tol).max(o.hjb_tol);
            runs.push((format!("qtt tol {tol:e}"), o));
        }
        let mut reference: Option<(Vec<f64>, f64)> = None;
        for (backend, opts) in runs {
            let (t, s) = time_once(|| m.excess_curve(&rs, &opts));
            let s = match s {
                Ok(s) => s,
                Err(err) => {
                    line(
                        "econ_jaggedness",
                        vec![("backend", J::S(backend)), ("bits", J::I(l as i64))],
                        vec![error_field(&err)],
                    );
                    continue;
                }
            };
            let cpu = t.cpu_median;
            let ys: Vec<f64> = s.iter().map(|p| p.excess).collect();
            let (noise, coef) = quadratic_noise(&ys);
            // The fitted quadratic's root nearest the centre, in price units.
            let root = {
                let (c, b, a) = (coef[0], coef[1], coef[2]);
                let t = if a.abs() < 1e-300 {
                    -c / b
                } else {
                    let disc = (b * b - 4.0 * a * c).max(0.0).sqrt();
                    let q = -0.5 * (b + b.signum() * disc);
                    let (t1, t2) = (q / a, c / q);
                    if t1.abs() < t2.abs() {
                        t1
                    } else {
                        t2
                    }
                };
                r0 + t * h
            };
            let (vs_fd, root_shift) = match &reference {
                None => (0.0, 0.0),
                Some((y0, root0)) => (max_abs_diff(&ys, y0), root - root0),
            };
            if reference.is_none() {
                reference = Some((ys.clone(), root));
            }
            line(
                "econ_jaggedness",
                vec![
                    ("backend", J::S(backend)),
                    ("bits", J::I(l as i64)),
                    ("step", J::N(h)),
                ],
                vec![
                    ("r_centre", J::N(r0)),
                    ("noise", J::N(noise)),
                    ("change_per_step", J::N(coef[1])),
                    (
                        "monotone",
                        J::S(ys.windows(2).all(|w| w[1] > w[0]).to_string()),
                    ),
                    ("max_diff_to_fd", J::N(vs_fd)),
                    ("root_shift", J::N(root_shift)),
                    ("cpu_seconds", J::N(cpu)),
                ],
            );
        }
    }
}

/// The largest deviation of `ys` (at t = -10..10) from their least-squares
/// quadratic, and its coefficients (constant, linear, quadratic in t).
fn quadratic_noise(ys: &[f64]) -> (f64, Vec<f64>) {
    let n = ys.len();
    let t = |i: usize| i as f64 - (n / 2) as f64;
    let a = nalgebra::DMatrix::from_fn(n, 3, |i, j| t(i).powi(j as i32));
    let coef = a
        .clone()
        .svd(true, true)
        .solve(&nalgebra::DVector::from_vec(ys.to_vec()), 1e-14)
        .unwrap();
    let fit = &a * &coef;
    let noise = ys
        .iter()
        .zip(fit.iter())
        .fold(0.0f64, |m, (y, f)| m.max((y - f).abs()));
    (noise, coef.iter().copied().collect())
}

/// Seed 000's "bond dimension as systemic risk": the ranks of V, c, s and
/// g (QTT backend, Huggett at r = `--rank-r` on 2^`--rank-bits` points) as
/// the borrowing limit tightens (`--limits`) and as income risk rises
/// (`--spreads`: incomes 0.15 -+ spread).
fn rank_curve() {
    let bits: u32 = arg("--rank-bits", 14);
    let r: f64 = arg("--rank-r", 0.03);
    let limits: Vec<f64> = list("--limits", "-0.15,-0.1,-0.05,-0.02,0");
    let spreads: Vec<f64> = list("--spreads", "0.01,0.03,0.05,0.07");
    let base = HuggettParams::default();
    let cases = limits
        .iter()
        .map(|&amin| {
            (
                "borrowing_limit",
                amin,
                HuggettParams {
                    amin,
                    ..base.clone()
                },
            )
        })
        .chain(spreads.iter().map(|&d| {
            let z = vec![0.15 - d, 0.15 + d];
            ("income_spread", d, HuggettParams { z, ..base.clone() })
        }));
    for (knob, value, p) in cases {
        let m = p.model(1 << bits).unwrap();
        let (t, out) = time_once(|| m.solve_household(r, &SolveOptions::default(), None));
        let cpu = t.cpu_median;
        let params = vec![
            ("model", J::S("huggett".into())),
            ("bits", J::I(bits as i64)),
            ("r", J::N(r)),
            (knob, J::N(value)),
        ];
        let fields = match out {
            Err(err) => vec![error_field(&err)],
            Ok(q) => {
                let ranks = q.ranks().expect("a QTT solution");
                let bonds = |v: &Vec<usize>| J::A(v.iter().map(|&x| J::I(x as i64)).collect());
                let max = |v: &Vec<usize>| J::I(v.iter().copied().max().unwrap_or(1) as i64);
                vec![
                    ("max_rank_v", max(&ranks[0])),
                    ("max_rank_c", max(&ranks[1])),
                    ("max_rank_s", max(&ranks[2])),
                    ("max_rank_g", max(&ranks[3])),
                    ("bonds_v", bonds(&ranks[0])),
                    ("bonds_g", bonds(&ranks[3])),
                    ("mass_at_limit", J::N(q.mass_at_limit[0])),
                    ("excess", J::N(q.excess)),
                    ("cpu_seconds", J::N(cpu)),
                ]
            }
        };
        line("econ_ranks", params, fields);
    }
}

/// What seed 000's softplus smoothing of the upwind choice costs
/// (finite-difference equilibria, Huggett on 2^`--smooth-bits` points):
/// r*, V and g against the exact scheme for each width of `--widths`, and
/// the TT-SVD rank (at `--split-tol`, above the rounding noise of
/// differenced savings) of the saving drift `max(s, 0)` exact and smoothed
/// (`softplus_mu(s)` of the exact savings).
fn smoothing_cost() {
    let bits: Vec<u32> = list("--smooth-bits", "10,14,18");
    let widths: Vec<f64> = list("--widths", "1e-2,1e-3,1e-4,1e-5,1e-6,1e-8");
    let split_tol: f64 = arg("--split-tol", 1e-8);
    let eq = EquilibriumOptions::default();
    for &l in &bits {
        let m = model("huggett", l);
        let exact = m
            .steady_state(&SolveOptions::finite_difference(), &eq)
            .unwrap();
        let (n, jn) = (m.points(), m.states());
        // Income-major (wealth fastest): the grid order of (wealth, income).
        let field = |f: &qtt::econ::Field| -> Vec<f64> {
            (0..jn)
                .flat_map(|j| (0..n).map(move |i| (i, j)))
                .map(|(i, j)| f.at(i, j))
                .collect()
        };
        let (v0, g0, s0) = (
            field(&exact.solution.value),
            field(&exact.solution.density),
            field(&exact.solution.savings),
        );
        let rank = |values: &[f64]| qtt_rank(values, &[l], jn, BitOrder::Sequential, split_tol);
        let split_exact: Vec<f64> = s0.iter().map(|&s| s.max(0.0)).collect();
        let max_abs = |v: &[f64]| v.iter().fold(0.0f64, |m, x| m.max(x.abs()));
        for &mu in &widths {
            let opts = SolveOptions {
                smoothing: Some(mu),
                ..SolveOptions::finite_difference()
            };
            let params = vec![
                ("model", J::S("huggett".into())),
                ("bits", J::I(l as i64)),
                ("width", J::N(mu)),
            ];
            let fields = match m.steady_state(&opts, &eq) {
                Err(err) => vec![error_field(&err)],
                Ok(e) => {
                    let (v, g) = (field(&e.solution.value), field(&e.solution.density));
                    let smoothed: Vec<f64> =
                        s0.iter().map(|&s| qtt::grid::softplus(s, mu)).collect();
                    vec![
                        ("r_star", J::N(e.price)),
                        ("r_star_exact", J::N(exact.price)),
                        ("r_shift", J::N(e.price - exact.price)),
                        ("v_bias", J::N(max_abs_diff(&v, &v0) / max_abs(&v0))),
                        ("g_bias", J::N(max_abs_diff(&g, &g0) / max_abs(&g0))),
                        ("rank_split_exact", J::I(rank(&split_exact))),
                        ("rank_split_smoothed", J::I(rank(&smoothed))),
                    ]
                }
            };
            line("econ_smoothing", params, fields);
        }
    }
}

/// Seed 000's joint formulation against nested root finding: on each of
/// `--joint-bits` grids (Huggett and Aiyagari), r* by Brent with warm
/// starts (banded LU) and by consensus-based minimisation of the joint
/// energy (`econ::joint`), from the cold start and from the household's
/// exact solution at the bracket's midpoint; `--joint-particles`,
/// `--joint-iterations`.
fn joint() {
    use qtt::econ::JointOptions;
    let bits: Vec<u32> = list("--joint-bits", "6,8");
    let particles: usize = arg("--joint-particles", 100);
    let iterations: usize = arg("--joint-iterations", 2000);
    for name in ["huggett", "aiyagari"] {
        for &l in &bits {
            let m = model(name, l);
            let params = |method: &str| {
                vec![
                    ("model", J::S(name.into())),
                    ("bits", J::I(l as i64)),
                    ("method", J::S(method.into())),
                ]
            };
            let (t, brent) = time_once(|| {
                m.steady_state(
                    &SolveOptions::finite_difference(),
                    &EquilibriumOptions::default(),
                )
            });
            let brent = brent.unwrap();
            emit(
                "econ_joint",
                params("brent"),
                &t,
                vec![
                    ("r", J::N(brent.price)),
                    ("household_solves", J::I(brent.evaluations.len() as i64)),
                ],
            );
            for warm in [false, true] {
                let opts = JointOptions {
                    particles,
                    iterations,
                    warm_start: warm,
                    ..JointOptions::default()
                };
                let (t, e) = time_once(|| m.joint_equilibrium(&opts));
                let method = if warm { "cbo_warm" } else { "cbo_cold" };
                let fields = match e {
                    Err(err) => vec![error_field(&err)],
                    Ok(e) => vec![
                        ("r", J::N(e.price)),
                        ("r_error", J::N(e.price - brent.price)),
                        ("energy", J::N(e.energy)),
                        ("hjb_residual", J::N(e.hjb_residual)),
                        ("kfe_residual", J::N(e.kfe_residual)),
                        ("excess", J::N(e.excess)),
                        ("energy_evaluations", J::I(e.evaluations as i64)),
                    ],
                };
                emit("econ_joint", params(method), &t, fields);
            }
        }
    }
}

fn main() {
    if std::env::args().any(|a| a == "--joint") {
        joint();
        return;
    }
    if std::env::args().any(|a| a == "--jaggedness") {
        jaggedness();
        return;
    }
    if std::env::args().any(|a| a == "--smoothing") {
        smoothing_cost();
        return;
    }
    if std::env::args().any(|a| a == "--ranks") {
        rank_curve();
        return;
    }
    let models: Vec<String> = list("--models", "huggett,aiyagari");
    let bits: Vec<u32> = list("--bits", "8,10,12,14,16,18,20");
    let qtt_up_to: u32 = arg("--qtt-up-to", 8);
    let peer_up_to: u32 = arg("--peer-up-to", 14);
    // `--nested-bits none`: Brent on the whole bracket at every size.
    let nested: String = arg("--nested-bits", "14".to_string());
    let eq = EquilibriumOptions {
        nested_bits: nested.parse().ok(),
        ..EquilibriumOptions::default()
    };
    for name in &models {
        for &l in &bits {
            let m = model(name, l);
            let mut fd_secs = f64::NAN;
            let mut both: Vec<(f64, f64)> = Vec::new();
            for (backend, opts, up_to) in [
                ("finite_difference", SolveOptions::finite_difference(), 63),
                ("qtt", SolveOptions::default(), qtt_up_to),
            ] {
                if l > up_to {
                    continue;
                }
                let params = || {
                    vec![
                        ("model", J::S(name.clone())),
                        ("backend", J::S(backend.into())),
                        ("bits", J::I(l as i64)),
                    ]
                };
                // Small grids: a warm-up and three timed runs; large ones
                // (minutes per equilibrium): one.
                let run = || m.steady_state(&opts, &eq);
                let (t, e) = match if l <= 14 {
                    time(3, 3, 0.0, run)
                } else {
                    time_once(run)
                } {
                    (t, Ok(e)) => (t, e),
                    (_, Err(err)) => {
                        line("econ", params(), vec![error_field(&err)]);
                        continue;
                    }
                };
                if backend == "finite_difference" {
                    fd_secs = t.cpu_median;
                }
                both.push((t.cpu_median, e.price));
                emit(
                    "econ",
                    params(),
                    &t,
                    vec![
                        ("r_star", J::N(e.price)),
                        ("excess", J::N(e.solution.excess)),
                        ("evaluations", J::I(e.evaluations.len() as i64)),
                        (
                            "coarse_r_stars",
                            J::A(
                                e.coarse_prices
                                    .iter()
                                    .map(|&(n, r)| J::A(vec![J::I(n as i64), J::N(r)]))
                                    .collect(),
                            ),
                        ),
                        ("loadavg", J::N(loadavg())),
                    ],
                );
            }
            if let [(fd_cpu, fd_r), (qtt_cpu, qtt_r)] = both[..] {
                line(
                    "econ_qtt_vs_fd",
                    vec![("model", J::S(name.clone())), ("bits", J::I(l as i64))],
                    vec![
                        ("r_star_difference", J::N(qtt_r - fd_r)),
                        ("qtt_over_fd_cpu", J::N(qtt_cpu / fd_cpu)),
                    ],
                );
            }
            if l <= peer_up_to {
                if let Some((r, wall, cpu)) = peer(name, l) {
                    line(
                        "econ_ratio",
                        vec![("model", J::S(name.clone())), ("bits", J::I(l as i64))],
                        vec![
                            ("peer_r_star", J::N(r)),
                            ("peer_seconds", J::N(wall)),
                            ("peer_cpu_seconds", J::N(cpu)),
                            ("qtt_fd_cpu_seconds", J::N(fd_secs)),
                            ("peer_over_fd_cpu", J::N(cpu / fd_secs)),
                        ],
                    );
                }
            }
        }
    }
}
