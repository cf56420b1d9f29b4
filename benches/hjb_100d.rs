//! The parabolic HJB solver on Han, Jentzen and E's test problem
//! (`u_t + Laplacian u - |grad u|^2 = 0`, `g = ln((1 + |x|^2) / 2)`, T = 1).
//!
//! `cargo bench --bench hjb_100d -- [--dims 10,30,100] [--steps 16]
//! [--points 21] [--tol 1e-7]` prints one JSON line per dimension with the
//! wall time, `u(0, 0)`, its relative error against the Cole–Hopf value (a
//! 1-D chi-square quadrature) and the largest TT rank.

mod common;

use common::{arg, emit, list, loadavg, time, J};
use qtt::parabolic::{solve, HjbProblem, SolverOptions};

/// Cole–Hopf `u(0, 0)` for lambda = 1, T = 1.
fn exact(d: usize) -> f64 {
    let k = d as f64 / 2.0;
    let mode = (d as f64 - 2.0).max(1.0);
    let log_w = |s: f64| (k - 1.0) * s.ln() - s / 2.0 - ((k - 1.0) * mode.ln() - mode / 2.0);
    let (mut num, mut den, mut y, h) = (0.0, 0.0, -90.0, 0.005);
    while y < 6.0 {
        let s = f64::exp(y);
        let w = log_w(s).exp() * s * h;
        num += w * 2.0 / (1.0 + 2.0 * s);
        den += w;
        y += h;
    }
    -(num / den).ln()
}

fn main() {
    let dims: Vec<usize> = list("--dims", "10,30,100");
    let opts = SolverOptions {
        steps: arg("--steps", 16),
        points: arg("--points", 21),
        tol: arg("--tol", 1e-7),
        ..SolverOptions::default()
    };
    for d in dims {
        let p = HjbProblem::han_jentzen_e(d, 1.0).unwrap();
        let (timing, sol) = time(1, 1, 0.0, || solve(&p, &opts).unwrap());
        let u = sol.value_at(&vec![0.0; d]).unwrap();
        let want = exact(d);
        emit(
            "hjb_100d",
            vec![
                ("d", J::I(d as i64)),
                ("steps", J::I(opts.steps as i64)),
                ("points", J::I(opts.points as i64)),
                ("half_width", J::N(opts.half_width)),
                ("tol", J::N(opts.tol)),
                ("stepper", J::S(format!("{:?}", opts.stepper))),
            ],
            &timing,
            vec![
                ("u00", J::N(u)),
                ("exact", J::N(want)),
                ("rel_error", J::N((u - want).abs() / want)),
                ("max_rank", J::I(sol.max_rank() as i64)),
                ("threads", J::I(rayon::current_num_threads() as i64)),
                ("loadavg", J::N(loadavg())),
            ],
        );
    }
}
