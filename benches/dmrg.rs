//! Two-site DMRG on the open spin-1 Heisenberg chain (d = 100), the anchor
//! benchmark of issue 4. One JSON line per bond dimension: the seconds to
//! reach TeNPy's energy at the same bond dimension within 1e-8 and the
//! whole run. Run it next to the peer, one after the other:
//!
//! ```text
//! cargo bench --bench dmrg -- 128,256 [MAX_SECONDS]
//! /root/.cache/qtt-peers/bin/python ../shared/bench/peers/dmrg_heisenberg.py --L 100 --chi 128,256 --reps 1
//! ```
//!
//! Reference energies: TeNPy 1.1.1 (conserve='Sz', mixer, svd_min 1e-10,
//! max_E_err 1e-10), run with the peer script on this machine.

use qtt::solve::{dmrg, DmrgOptions};
use qtt::TensorTrain;

/// `(chi, TeNPy's converged energy)`.
const TENPY: &[(usize, f64)] = &[(64, -138.94008557899946), (128, -138.94008614067783)];

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let chis: Vec<usize> = args
        .first()
        .map(|s| s.split(',').filter_map(|c| c.parse().ok()).collect())
        .unwrap_or_else(|| vec![128, 256]);
    let max_seconds: f64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(170.0);
    let d = 100;
    let h = qtt::mpo! { sites d of spin(1); sum i in 0..d-1 { Sx[i]*Sx[i+1] + Sy[i]*Sy[i+1] + Sz[i]*Sz[i+1] } }
        .expect("Heisenberg MPO");
    for chi in chis {
        // The Neel state, as the peer starts from (m = +1, -1 alternating).
        let neel: Vec<Vec<f64>> = (0..d)
            .map(|i| {
                if i % 2 == 0 {
                    vec![1.0, 0.0, 0.0]
                } else {
                    vec![0.0, 0.0, 1.0]
                }
            })
            .collect();
        let x0 = TensorTrain::product(&neel)
            .expect("product state")
            .add(
                &TensorTrain::random(&vec![3; d], 2, 1)
                    .expect("random")
                    .scaled(1e-3),
            )
            .expect("start");
        let mut o = DmrgOptions::two_site(chi);
        o.max_seconds = max_seconds;
        let t = std::time::Instant::now();
        let gs = dmrg(&h, &x0, &o).expect("dmrg");
        let wall = t.elapsed().as_secs_f64();
        let reference = TENPY.iter().find(|(c, _)| *c == chi).map(|r| r.1);
        let to_ref = reference.and_then(|e| {
            gs.sweeps
                .iter()
                .find(|s| (s.energy - e).abs() <= 1e-8)
                .map(|s| s.seconds)
        });
        let sweep_e: Vec<String> = gs
            .sweeps
            .iter()
            .map(|s| format!("{:.12}", s.energy))
            .collect();
        let sweep_t: Vec<String> = gs
            .sweeps
            .iter()
            .map(|s| format!("{:.3}", s.seconds))
            .collect();
        println!(
            "{{\"bench\": \"dmrg2_heisenberg_spin1\", \"params\": {{\"L\": {d}, \"chi_max\": {chi}, \"bc\": \"open\"}}, \
             \"seconds_median\": {wall:.4}, \"E\": {:.14}, \"E_per_site\": {:.14}, \"E_tenpy\": {}, \
             \"seconds_to_tenpy_E_1e-8\": {}, \"sweeps\": {}, \"chi_final_max\": {}, \
             \"sweep_E\": [{}], \"sweep_time\": [{}]}}",
            gs.energy,
            gs.energy / d as f64,
            reference.map_or("null".into(), |e| format!("{e:.14}")),
            to_ref.map_or("null".into(), |t| format!("{t:.4}")),
            gs.sweeps.len(),
            gs.state.max_rank(),
            sweep_e.join(", "),
            sweep_t.join(", ")
        );
    }
}
