//! AMEn on two-point boundary-value problems on QTT grids of `2^L` points.
//!
//! `cargo bench --bench amen -- [--bits 10,20,30,40] [--tol 1e-12]
//! [--plain-up-to 30] [--problems poisson,reaction,upwind] [--eps 0.05]` prints one JSON line per problem, size and
//! formulation:
//! - `poisson`: `-u'' = sin(pi x)` on (0, 1), exact `u = sin(pi x) / pi^2`;
//! - `reaction`: `-u'' + (1 + 10 x) u = f` with `u = sin(pi x)` (symmetric
//!   `A`, AMEn iterates);
//! - `upwind`: `-eps u'' + u' = 1` (`--eps`, default 0.05), first-order upwind (non-symmetric),
//!   compared with the exact solution of the discrete equations.
//!
//! `preconditioned` is `DirichletProblem::solve` (AMEn on `M = A (-D2)^-1`);
//! `plain` is AMEn on the finite-difference matrix `A` itself, run up to
//! `--plain-up-to` bits to show where it stops being accurate. Each line has
//! the seconds, sweeps, ranks, AMEn's last local residual and the relative
//! 2-norm error against the exact solution.

mod common;

use common::{arg, emit, list, loadavg, time, J};
use qtt::grid::{constant, exp, polynomial, sin, Grid1d};
use qtt::models::DirichletProblem;
use qtt::solve::{amen_solve, AmenOptions};
use qtt::TensorTrain;
use std::f64::consts::PI;

/// The problem, its right-hand side and its exact (discrete) solution.
fn problem(name: &str, bits: u32, eps: f64) -> (DirichletProblem, TensorTrain, TensorTrain) {
    let h = 1.0 / ((1u64 << bits) as f64 + 1.0);
    let g = Grid1d::new(h, 1.0 - h, bits).unwrap();
    let one = constant(&g, 1.0).unwrap();
    let s = sin(&g, PI).unwrap();
    match name {
        "poisson" => {
            let p = DirichletProblem::new(g, one).unwrap();
            (p, s.clone(), s.scaled(1.0 / (PI * PI)))
        }
        "reaction" => {
            let f = polynomial(&g, &[PI * PI + 1.0, 10.0])
                .unwrap()
                .hadamard(&s)
                .unwrap();
            let c = polynomial(&g, &[1.0, 10.0]).unwrap();
            let p = DirichletProblem::new(g, one)
                .unwrap()
                .with_reaction(c)
                .unwrap();
            (p, f, s)
        }
        _ => {
            // u_m = x_m / v - (rho^m - 1) / (v (rho^(N+1) - 1)), rho = 1 + v h / eps
            let v = 1.0;
            let h = g.spacing();
            let x0 = g.lo() - h;
            let rate = (v * h / eps).ln_1p() / h;
            let denom = v * ((rate * (g.len() as f64 + 1.0) * h).exp() - 1.0);
            let layer = exp(&g, rate)
                .unwrap()
                .scaled((-rate * x0).exp() / denom)
                .sub(&constant(&g, 1.0 / denom).unwrap())
                .unwrap();
            let exact = polynomial(&g, &[-x0 / v, 1.0 / v])
                .unwrap()
                .sub(&layer)
                .unwrap();
            let p = DirichletProblem::new(g, constant(&g, eps).unwrap())
                .unwrap()
                .with_backward_drift(constant(&g, -v).unwrap())
                .unwrap();
            (p, one, exact)
        }
    }
}

fn main() {
    let bits: Vec<u32> = list("--bits", "10,20,30,40");
    let tol: f64 = arg("--tol", 1e-12);
    let plain_up_to: u32 = arg("--plain-up-to", 30);
    let eps: f64 = arg("--eps", 0.05);
    let problems: Vec<String> = list("--problems", "poisson,reaction,upwind");
    let opts = AmenOptions {
        tol,
        enrichment_rank: 4,
        max_sweeps: 20,
        ..AmenOptions::default()
    };
    for name in problems.iter().map(String::as_str) {
        for &l in &bits {
            let (p, f, exact) = problem(name, l, eps);
            let rel_err = |u: &TensorTrain| u.sub(&exact).unwrap().norm() / exact.norm();
            let (t, sol) = time(1, 5, 2.0, || p.solve(&f, &opts).unwrap());
            let params = |form: &str| {
                vec![
                    ("problem", J::S(name.into())),
                    ("bits", J::I(l as i64)),
                    ("formulation", J::S(form.into())),
                    ("tol", J::N(tol)),
                    ("eps", J::N(eps)),
                ]
            };
            emit(
                "amen_dirichlet",
                params("preconditioned"),
                &t,
                vec![
                    ("sweeps", J::I(sol.sweeps.len() as i64)),
                    ("operator_rank", J::I(sol.operator_rank as i64)),
                    ("u_rank", J::I(sol.u.max_rank() as i64)),
                    ("y_rank", J::I(sol.y.max_rank() as i64)),
                    ("residual", J::N(sol.residual)),
                    ("rel_err", J::N(rel_err(&sol.u))),
                    ("loadavg1", J::N(loadavg())),
                ],
            );
            if l > plain_up_to {
                continue;
            }
            let a = p.operator().unwrap();
            let (t, plain) = time(1, 3, 2.0, || amen_solve(&a, &f, &f, &opts).unwrap());
            emit(
                "amen_dirichlet",
                params("plain"),
                &t,
                vec![
                    ("sweeps", J::I(plain.sweeps.len() as i64)),
                    ("operator_rank", J::I(a.max_rank() as i64)),
                    ("u_rank", J::I(plain.x.max_rank() as i64)),
                    ("residual", J::N(plain.residual)),
                    ("rel_err", J::N(rel_err(&plain.x))),
                    ("loadavg1", J::N(loadavg())),
                ],
            );
        }
    }
}
