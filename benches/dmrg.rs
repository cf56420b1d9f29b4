//! Two-site DMRG on the open spin-1 Heisenberg chain (d = 100), the anchor
//! benchmark of issue 4. One JSON line per bond dimension: the seconds to
//! reach TeNPy's energy at the same bond dimension within 1e-8 and the
//! whole run. Run it next to the peer, one after the other:
//!
//! ```text
//! cargo bench --bench dmrg -- --chi 128,256 --max-seconds 600
//! "${PEERS_VENV:-$HOME/.cache/qtt-peers}"/bin/python ../shared/bench/peers/dmrg_heisenberg.py --L 100 --chi 128,256 --reps 1
//! ```
//!
//! (`bench-results/dmrg_vs_tenpy.sh` runs both and prints the ratio table.)
//!
//! Reference energies: TeNPy 1.1.1 (conserve='Sz', mixer, svd_min 1e-10,
//! max_E_err 1e-10), run with the peer script on this machine.

mod common;

use common::{arg, cpu_seconds, emit, list, loadavg, Timing, J};
use qtt::solve::{dmrg, dmrg_u1, neel_state, spin_charges, DmrgOptions, Symmetry};
use qtt::TensorTrain;

/// `(chi, TeNPy's converged energy)`.
const TENPY: &[(usize, f64)] = &[
    (64, -138.94008557899946),
    (128, -138.94008614067783),
    (256, -138.940086143523),
];

fn main() {
    let chis: Vec<usize> = list("--chi", "128,256");
    let max_seconds: f64 = arg("--max-seconds", 600.0);
    // `--dense 1`: the dense path (no charge conservation) for comparison.
    let dense: usize = arg("--dense", 0);
    // `--noise 0`: start from the plain Neel state.
    let noise: f64 = arg("--noise", 1e-3);
    let verbose: usize = arg("--verbose", 0);
    if verbose > 0 {
        qtt::progress::log_to_stderr();
    }
    let d = 100;
    let h = qtt::mpo! { sites d of spin(1); sum i in 0..d-1 { Sx[i]*Sx[i+1] + Sy[i]*Sy[i+1] + Sz[i]*Sz[i+1] } }
        .expect("Heisenberg MPO");
    for chi in chis {
        // The Neel state, as the peer starts from (m = +1, -1 alternating).
        // A small random admixture (relative norm `noise`); the
        // charge-conserving run keeps its part in the Neel state's sector.
        let r = TensorTrain::random(&vec![3; d], 2, 1).expect("random");
        let x0 = neel_state(d, 3)
            .expect("Neel state")
            .add(&r.scaled(noise / r.norm()))
            .expect("start");
        let mut o = DmrgOptions::two_site(chi);
        o.max_seconds = max_seconds;
        o.verbose = verbose > 0;
        let q = vec![spin_charges(3); d];
        let solve = |o: &DmrgOptions| {
            if dense > 0 {
                let mut o = o.clone();
                o.symmetry = Symmetry::Off;
                (dmrg(&h, &x0, &o).expect("dmrg"), None)
            } else {
                let (gs, st) = dmrg_u1(&h, &x0, &q, o).expect("dmrg");
                (gs, Some(st))
            }
        };
        let load = loadavg();
        let c0 = cpu_seconds();
        let t = std::time::Instant::now();
        let (gs, stats) = solve(&o);
        let wall = t.elapsed().as_secs_f64();
        let cpu = cpu_seconds() - c0;
        let reference = TENPY.iter().find(|(c, _)| *c == chi).map(|r| r.1);
        let hit =
            reference.and_then(|e| gs.sweeps.iter().position(|s| (s.energy - e).abs() <= 1e-8));
        let to_ref = hit.map(|i| gs.sweeps[i].seconds);
        // CPU seconds to the reference: the same (deterministic) run again,
        // stopped after the sweep that reached it.
        let cpu_to_ref = hit.map(|i| {
            let mut o = o.clone();
            o.verbose = false;
            o.max_sweeps = i + 1;
            let c0 = cpu_seconds();
            let (again, _) = solve(&o);
            assert_eq!(again.sweeps.len(), i + 1);
            cpu_seconds() - c0
        });
        let timing = Timing {
            median: wall,
            min: wall,
            cpu_median: cpu,
            reps: 1,
        };
        emit(
            "dmrg2_heisenberg_spin1",
            vec![
                ("L", J::I(d as i64)),
                ("chi_max", J::I(chi as i64)),
                ("bc", J::S("open".into())),
            ],
            &timing,
            vec![
                ("E", J::N(gs.energy)),
                ("E_per_site", J::N(gs.energy / d as f64)),
                ("E_tenpy", reference.map_or(J::N(f64::NAN), J::N)),
                (
                    "seconds_to_tenpy_E_1e-8",
                    to_ref.map_or(J::N(f64::NAN), J::N),
                ),
                (
                    "cpu_seconds_to_tenpy_E_1e-8",
                    cpu_to_ref.map_or(J::N(f64::NAN), J::N),
                ),
                ("sweeps", J::I(gs.sweeps.len() as i64)),
                ("chi_final_max", J::I(gs.state.max_rank() as i64)),
                (
                    "matvecs",
                    J::I(gs.sweeps.iter().map(|s| s.matvecs as i64).sum()),
                ),
                ("loadavg1_before", J::N(load)),
                ("u1", J::I(stats.is_some() as i64)),
                (
                    "max_sectors",
                    J::I(stats.as_ref().map_or(0, |s| s.max_sectors as i64)),
                ),
                (
                    "matvec_gflop",
                    J::N(
                        stats
                            .as_ref()
                            .map_or(f64::NAN, |s| s.matvec_flops.iter().sum::<f64>() * 1e-9),
                    ),
                ),
                (
                    "matvec_seconds",
                    J::N(
                        stats
                            .as_ref()
                            .map_or(f64::NAN, |s| s.matvec_seconds.iter().sum::<f64>()),
                    ),
                ),
                (
                    "sweep_gflop",
                    J::A(stats.as_ref().map_or(Vec::new(), |s| {
                        s.matvec_flops.iter().map(|f| J::N(f * 1e-9)).collect()
                    })),
                ),
                (
                    "sweep_E",
                    J::A(gs.sweeps.iter().map(|s| J::N(s.energy)).collect()),
                ),
                (
                    "sweep_time",
                    J::A(gs.sweeps.iter().map(|s| J::N(s.seconds)).collect()),
                ),
            ],
        );
    }
}
