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

use common::{arg, emit, list, loadavg, time, J};
use qtt::econ::income_diffusion::IncomeDiffusion;
use qtt::econ::two_asset::TwoAsset;
use qtt::grid::{Axis, BitOrder, Grid, Grid1d};
use qtt::linalg::Truncation;

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

/// The largest TT-SVD rank of `values` (grid order, first axis fastest) on
/// binary axes of `bits` and a discrete one of `states` (if > 1), at
/// relative tolerance `tol`, in `order`.
fn qtt_rank(values: &[f64], bits: &[u32], states: usize, order: BitOrder, tol: f64) -> i64 {
    let mut axes: Vec<Axis> = bits
        .iter()
        .map(|&b| Axis::Binary(Grid1d::new(0.0, 1.0, b).unwrap()))
        .collect();
    if states > 1 {
        axes.push(Axis::Discrete(vec![0.0; states]));
    }
    let grid = Grid::new(axes, order).unwrap();
    grid.from_vector(values, &Truncation::tol(tol).unwrap())
        .map(|t| t.max_rank() as i64)
        .unwrap_or(-1)
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
        let mut line = vec![
            ("bench", J::S("fd_income_diffusion_ranks".into())),
            (
                "params",
                J::O(vec![
                    ("la", J::I(la as i64)),
                    ("lz", J::I(lz as i64)),
                    ("r", J::N(0.045)),
                ]),
            ),
        ];
        line.extend(rank_fields(
            &[
                ("value", &s.value),
                ("density", &s.density),
                ("consumption", &s.policy.consumption),
            ],
            &[la, lz],
            1,
        ));
        println!("{}", J::O(line).render());
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
            let mut line = vec![
                ("bench", J::S("fd_two_asset_ranks".into())),
                (
                    "params",
                    J::O(vec![
                        ("lb", J::I(lb as i64)),
                        ("la", J::I(la as i64)),
                        ("width", J::N(mu)),
                    ]),
                ),
            ];
            match h.solve(&grid, &topts) {
                Err(e) => line.push(("error", J::S(e.to_string().chars().take(200).collect()))),
                Ok(s) => {
                    let dv = s
                        .value
                        .iter()
                        .zip(&base.value)
                        .fold(0.0f64, |m, (a, b)| m.max((a - b).abs()));
                    let dg = s
                        .density
                        .iter()
                        .zip(&base.density)
                        .fold(0.0f64, |m, (a, b)| m.max((a - b).abs()));
                    line.push(("hjb_iterations", J::I(s.hjb.len() as i64)));
                    line.push(("v_bias", J::N(dv / max_abs(&base.value))));
                    line.push(("g_bias", J::N(dg / max_abs(&base.density))));
                    line.push(("liquid", J::N(s.liquid)));
                    line.push(("illiquid", J::N(s.illiquid)));
                    line.extend(rank_fields(
                        &[
                            ("value", &s.value),
                            ("density", &s.density),
                            ("consumption", &s.policy.consumption),
                            ("deposit", &s.policy.deposit),
                        ],
                        &[lb, la],
                        grid.states(),
                    ));
                }
            }
            println!("{}", J::O(line).render());
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
                println!(
                    "{}",
                    J::O(vec![
                        ("bench", J::S("fd_income_diffusion".into())),
                        (
                            "params",
                            J::O(vec![("la", J::I(la as i64)), ("lz", J::I(lz as i64))])
                        ),
                        ("error", J::S(e.to_string())),
                    ])
                    .render()
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
                println!(
                    "{{\"bench\": \"fd_two_asset\", \"error\": {:?}}}",
                    e.to_string()
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
