//! Dense decompositions: faer (the backend qtt uses) against nalgebra's own,
//! at the sizes tensor-train sweeps produce. This is the measurement behind
//! the backend choice in `qtt-runtime/src/linalg`.
//!
//! `cargo bench --bench linalg -- [--sizes 64,128,256,512]`

mod common;

use common::{emit, list, loadavg, time, J};
use nalgebra::DMatrix;
use qtt::linalg::{eigh, qr_thin, svd_thin};

fn random(m: usize, n: usize, seed: u64) -> DMatrix<f64> {
    let mut s = seed;
    DMatrix::from_fn(m, n, |_, _| {
        s = s
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((s >> 11) as f64 / (1u64 << 53) as f64) - 0.5
    })
}

fn main() {
    let sizes: Vec<usize> = list("--sizes", "64,128,256,512");
    for &n in &sizes {
        // a tall 2n x n matrix, as a left unfolding with n = 2
        let a = random(2 * n, n, n as u64);
        let params = || vec![("m", J::I(2 * n as i64)), ("n", J::I(n as i64))];
        let (t, _) = time(3, 15, 1.0, || svd_thin(a.as_view()).unwrap());
        emit(
            "svd",
            params(),
            &t,
            vec![
                ("backend", J::S("qtt(faer)".into())),
                ("loadavg1", J::N(loadavg())),
            ],
        );
        let (t, _) = time(3, 15, 1.0, || a.clone().svd(true, true));
        emit(
            "svd",
            params(),
            &t,
            vec![
                ("backend", J::S("nalgebra".into())),
                ("loadavg1", J::N(loadavg())),
            ],
        );
        let (t, _) = time(3, 15, 1.0, || qr_thin(a.as_view()).unwrap());
        emit(
            "qr",
            params(),
            &t,
            vec![
                ("backend", J::S("qtt(faer)".into())),
                ("loadavg1", J::N(loadavg())),
            ],
        );
        let (t, _) = time(3, 15, 1.0, || a.clone().qr().q());
        emit(
            "qr",
            params(),
            &t,
            vec![
                ("backend", J::S("nalgebra".into())),
                ("loadavg1", J::N(loadavg())),
            ],
        );
        let s = a.transpose() * &a;
        let sq = || vec![("n", J::I(n as i64))];
        let (t, _) = time(3, 15, 1.0, || eigh(s.as_view()).unwrap());
        emit(
            "eigh",
            sq(),
            &t,
            vec![
                ("backend", J::S("qtt(faer)".into())),
                ("loadavg1", J::N(loadavg())),
            ],
        );
        let (t, _) = time(3, 15, 1.0, || s.clone().symmetric_eigen());
        emit(
            "eigh",
            sq(),
            &t,
            vec![
                ("backend", J::S("nalgebra".into())),
                ("loadavg1", J::N(loadavg())),
            ],
        );
    }
}
