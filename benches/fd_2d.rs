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
//! size.

mod common;

use common::{arg, emit, error_field, line, list, loadavg, max_abs_diff, qtt_rank, time, J};
use qtt::econ::income_diffusion::IncomeDiffusion;
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
