//! The sparse finite-difference oracle on multi-dimensional states: one
//! household solve (policy iteration with a sparse LU per step, then the
//! stationary KFE) of the 2-D income-diffusion Aiyagari economy at r = 0.045
//! and of the 3-D two-asset household, against the grid size, with the
//! process's peak resident memory (VmHWM; sizes run in increasing order, so
//! each line's peak is its own) next to the solver's own estimate (what
//! `memory::check_fits` compares with the free memory before building).
//!
//! `cargo bench --bench fd_2d -- [--sizes 8x5,9x6,10x7,11x8,12x8]
//! [--two 6x6,7x7,8x8] [--reps 3] [--budget 20]` prints one JSON line per
//! size. `-- --qtt 6x5,8x6` instead solves the income-diffusion household
//! by QTT and by the sparse oracle side by side (one run each, CPU seconds,
//! their ratio, V, g and the excess against the oracle's, ranks, cycles).

mod common;

use common::{
    arg, emit, error_field, line, list, loadavg, max_abs_diff, qtt_rank, time, time_once, J,
};
use qtt::econ::income_diffusion::{IncomeDiffusion, QttDiffusionOptions};
use qtt::econ::two_asset::TwoAsset;
use qtt::grid::BitOrder;

/// Peak resident memory of this process so far, in MiB.
fn peak_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            let line = s.lines().find(|l| l.starts_with("VmHWM:"))?.to_string();
            line.split_whitespace().nth(1)?.parse::<f64>().ok()
        })
        .map(|kib| kib / 1024.0)
        .unwrap_or(f64::NAN)
}

fn pair(s: &str) -> Option<(u32, u32)> {
    let (a, b) = s.split_once('x')?;
    Some((a.trim().parse().ok()?, b.trim().parse().ok()?))
}

/// Ranks of named fields in both bit orders at two tolerances.
fn rank_fields(
    fields: &[(&'static str, &[f64])],
    bits: &[u32],
    states: usize,
) -> Vec<(&'static str, J)> {
    let mut out = Vec::new();
    for &(name, v) in fields {
        let mut per = Vec::new();
        for (order, tag) in [
            (BitOrder::Sequential, "sequential"),
            (BitOrder::Interleaved, "interleaved"),
        ] {
            for tol in [1e-6, 1e-10] {
                per.push(J::O(vec![
                    ("order", J::S(tag.into())),
                    ("tol", J::N(tol)),
                    ("rank", J::I(qtt_rank(v, bits, states, order, tol))),
                ]));
            }
        }
        out.push((name, J::A(per)));
    }
    out
}

/// Ranks of the 2-D income-diffusion solutions (`--sizes`) and of the
/// two-asset household (`--two`) with its kinks exact and smoothed at each
/// width of `--widths` (V and g against the exact kinks, iterations, or
/// the failure).
fn ranks(sizes: &[String], two: &[String]) {
    let econ = IncomeDiffusion::aiyagari();
    let opts = qtt::econ::sparse_generator::FdOptions::default();
    for (la, lz) in sizes.iter().filter_map(|s| pair(s)) {
        let grid = econ.grid(la, lz).unwrap();
        let s = econ.solve_household(&grid, 0.045, &opts, None).unwrap();
        line(
            "fd_income_diffusion_ranks",
            vec![
                ("la", J::I(la as i64)),
                ("lz", J::I(lz as i64)),
                ("r", J::N(0.045)),
            ],
            rank_fields(
                &[
                    ("value", &s.value),
                    ("density", &s.density),
                    ("consumption", &s.policy.consumption),
                ],
                &[la, lz],
                1,
            ),
        );
    }
    let widths: Vec<f64> = list("--widths", "0,1e-1,3e-2,1e-2,3e-3,1e-3,1e-4,1e-5,1e-6");
    let topts = TwoAsset::default_options();
    for (lb, la) in two.iter().filter_map(|s| pair(s)) {
        let exact = TwoAsset::default();
        let grid = exact.grid(lb, la).unwrap();
        let base = exact.solve(&grid, &topts).unwrap();
        let max_abs = |v: &[f64]| v.iter().fold(0.0f64, |m, x| m.max(x.abs()));
        for &mu in &widths {
            let h = TwoAsset {
                kink_smoothing: (mu > 0.0).then_some(mu),
                ..TwoAsset::default()
            };
            let params = vec![
                ("lb", J::I(lb as i64)),
                ("la", J::I(la as i64)),
                ("width", J::N(mu)),
            ];
            let fields = match h.solve(&grid, &topts) {
                Err(e) => vec![error_field(&e)],
                Ok(s) => {
                    let dv = max_abs_diff(&s.value, &base.value);
                    let dg = max_abs_diff(&s.density, &base.density);
                    let mut fields = vec![
                        ("hjb_iterations", J::I(s.hjb.len() as i64)),
                        ("v_bias", J::N(dv / max_abs(&base.value))),
                        ("g_bias", J::N(dg / max_abs(&base.density))),
                        ("liquid", J::N(s.liquid)),
                        ("illiquid", J::N(s.illiquid)),
                    ];
                    fields.extend(rank_fields(
                        &[
                            ("value", &s.value),
                            ("density", &s.density),
                            ("consumption", &s.policy.consumption),
                            ("deposit", &s.policy.deposit),
                        ],
                        &[lb, la],
                        grid.states(),
                    ));
                    fields
                }
            };
            line("fd_two_asset_ranks", params, fields);
        }
    }
}

fn main() {
    let sizes: Vec<String> = list("--sizes", "8x5,9x6,10x7,11x8");
    let two: Vec<String> = list("--two", "6x6,7x7,8x8");
    let reps: usize = arg("--reps", 3);
    let budget: f64 = arg("--budget", 20.0);
    if std::env::args().any(|a| a == "--ranks") {
        ranks(&sizes, &two);
        return;
    }
    let qtt: Vec<String> = list("--qtt", "");
    if !qtt.is_empty() {
        qtt_against_fd(&qtt);
        return;
    }
    let econ = IncomeDiffusion::aiyagari();
    let opts = qtt::econ::sparse_generator::FdOptions::default();
    for (la, lz) in sizes.iter().filter_map(|s| pair(s)) {
        let grid = match econ.grid(la, lz) {
            Ok(g) => g,
            Err(e) => {
                line(
                    "fd_income_diffusion",
                    vec![("la", J::I(la as i64)), ("lz", J::I(lz as i64))],
                    vec![error_field(&e)],
                );
                continue;
            }
        };
        let n = grid.len();
        let nnz = grid.pattern().nnz();
        let (t, s) = time(1, reps, budget, || {
            econ.solve_household(&grid, 0.045, &opts, None).unwrap()
        });
        emit(
            "fd_income_diffusion",
            vec![
                ("la", J::I(la as i64)),
                ("lz", J::I(lz as i64)),
                ("unknowns", J::I(n as i64)),
            ],
            &t,
            vec![
                ("nnz", J::I(nnz as i64)),
                ("hjb_iterations", J::I(s.hjb.len() as i64)),
                (
                    "seconds_per_iteration",
                    J::N(t.median / (s.hjb.len() + 1) as f64),
                ),
                ("excess", J::N(s.excess)),
                ("peak_mib", J::N(peak_mib())),
                (
                    "estimate_mib",
                    J::N(
                        qtt::econ::sparse_generator::estimated_bytes(
                            n as u128,
                            16 * (la + lz) as u128,
                        ) as f64
                            / 1048576.0,
                    ),
                ),
                ("loadavg", J::N(loadavg())),
            ],
        );
    }
    let h = TwoAsset::default();
    let topts = TwoAsset::default_options();
    for (lb, la) in two.iter().filter_map(|s| pair(s)) {
        let grid = match h.grid(lb, la) {
            Ok(g) => g,
            Err(e) => {
                line(
                    "fd_two_asset",
                    vec![("lb", J::I(lb as i64)), ("la", J::I(la as i64))],
                    vec![error_field(&e)],
                );
                continue;
            }
        };
        let (t, s) = time(1, reps, budget, || h.solve(&grid, &topts).unwrap());
        emit(
            "fd_two_asset",
            vec![
                ("lb", J::I(lb as i64)),
                ("la", J::I(la as i64)),
                ("unknowns", J::I(grid.len() as i64)),
            ],
            &t,
            vec![
                ("hjb_iterations", J::I(s.hjb.len() as i64)),
                ("liquid", J::N(s.liquid)),
                ("illiquid", J::N(s.illiquid)),
                ("peak_mib", J::N(peak_mib())),
                ("loadavg", J::N(loadavg())),
            ],
        );
    }
}

/// `max |a - b| / max |b|`.
fn relative_diff(a: &[f64], b: &[f64]) -> f64 {
    max_abs_diff(a, b) / b.iter().fold(0.0f64, |m, v| m.max(v.abs()))
}

/// The income-diffusion household at r = 0.045 by QTT and by the sparse
/// oracle on the same grids.
fn qtt_against_fd(sizes: &[String]) {
    let econ = IncomeDiffusion::aiyagari();
    let fd_opts = qtt::econ::sparse_generator::FdOptions::default();
    let q_opts = QttDiffusionOptions::default();
    for (la, lz) in sizes.iter().filter_map(|s| pair(s)) {
        let params = vec![("la", J::I(la as i64)), ("lz", J::I(lz as i64))];
        let grid = econ.grid(la, lz);
        let (tf, fd) = time_once(|| {
            grid.as_ref().map_err(|e| e.to_string()).and_then(|g| {
                econ.solve_household(g, 0.045, &fd_opts, None)
                    .map_err(|e| e.to_string())
            })
        });
        let (tq, q) = time_once(|| econ.solve_household_qtt(la, lz, 0.045, &q_opts, None, None));
        let q = match q {
            Ok(q) => q,
            Err(e) => {
                line("qtt_income_diffusion", params, vec![error_field(&e)]);
                continue;
            }
        };
        let (rv, rg, rc) = q.ranks();
        let mut fields = vec![
            ("qtt_cpu_s", J::N(tq.cpu_median)),
            ("qtt_wall_s", J::N(tq.median)),
            ("rank_v", J::I(rv as i64)),
            ("rank_g", J::I(rg as i64)),
            ("rank_c", J::I(rc as i64)),
            ("hjb_iterations", J::I(q.hjb.len() as i64)),
            (
                "hjb_cycles",
                J::I(q.hjb_cycles.iter().sum::<usize>() as i64),
            ),
            ("kfe_steps", J::I(q.kfe_changes.len() as i64)),
            ("excess", J::N(q.excess)),
            ("mass_minus_1", J::N(q.mass - 1.0)),
            ("min_density", J::N(q.min_density)),
        ];
        if let Ok(fd) = fd {
            let n = 1u64 << (la + lz);
            let all: Vec<u64> = (0..n).collect();
            let v = q.value.eval_fibers(&all).unwrap_or_default();
            let g = q.density.eval_fibers(&all).unwrap_or_default();
            fields.extend([
                ("fd_cpu_s", J::N(tf.cpu_median)),
                ("cpu_ratio", J::N(tq.cpu_median / tf.cpu_median)),
                ("v_rel", J::N(relative_diff(&v, &fd.value))),
                ("g_rel", J::N(relative_diff(&g, &fd.density))),
                ("excess_diff", J::N(q.excess - fd.excess)),
            ]);
        }
        fields.push(("loadavg", J::N(loadavg())));
        line("qtt_income_diffusion", params, fields);
    }
}
