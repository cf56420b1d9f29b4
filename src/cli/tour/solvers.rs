//! The solvers' part of the tour, in the README's order: a boundary-value
//! problem on 2^40 points by AMEn (example 04); then an operator written
//! with `mpo!`, its ground state by DMRG and AMEn, checked against exact
//! diagonalisation (example 05).

use qtt::grid::{constant, sin, Grid1d};
use qtt::models::DirichletProblem;
use qtt::solve::{amen_eig, dmrg, AmenOptions, DmrgOptions};
use qtt::TensorTrain;

/// Exact ground energy of the periodic spin-1 ring of 8 sites (digest_003.md).
const EXACT_RING_8: f64 = -11.336956077897;

/// Prints the solvers' tour on built-in defaults (a few seconds).
pub fn run(quiet: bool) -> Result<(), String> {
    boundary_value_problem(quiet).map_err(|e| e.to_string())?;
    let d = 8;
    let h = qtt::mpo! {
        sites d of spin(1);
        sum i in 0..d { Sx[i]*Sx[(i+1)%d] + Sy[i]*Sy[(i+1)%d] + Sz[i]*Sz[(i+1)%d] }
    }
    .map_err(|e| e.to_string())?;
    println!(
        "solvers: spin-1 Heisenberg ring of {d} sites written with mpo!, MPO rank {}",
        h.max_rank()
    );
    let x0 = TensorTrain::random(&vec![3; d], 4, 1).map_err(|e| e.to_string())?;
    let mut o = DmrgOptions::two_site(81);
    o.verbose = !quiet;
    let gs = dmrg(&h, &x0, &o).map_err(|e| e.to_string())?;
    println!(
        "  DMRG2: E = {:.12} in {} sweeps (exact {EXACT_RING_8}, error {:.1e})",
        gs.energy,
        gs.sweeps.len(),
        gs.energy - EXACT_RING_8
    );
    let o = AmenOptions {
        enrichment_rank: 6,
        energy_tol: 1e-12,
        verbose: !quiet,
        ..AmenOptions::default()
    };
    let gs = amen_eig(&h, &x0, &o).map_err(|e| e.to_string())?;
    println!(
        "  AMEn:  E = {:.12} in {} sweeps (error {:.1e}, rank {})",
        gs.energy,
        gs.sweeps.len(),
        gs.energy - EXACT_RING_8,
        gs.state.max_rank()
    );
    Ok(())
}

/// `-u'' = sin(pi x)` on 2^40 interior points of (0, 1) by AMEn on the
/// Green's-function preconditioned system, against `sin(pi x) / pi^2`.
fn boundary_value_problem(quiet: bool) -> qtt::Result<()> {
    println!("solvers: a two-point boundary-value problem (qtt::models::DirichletProblem)");
    let pi = std::f64::consts::PI;
    let bits = 40;
    let h = 1.0 / ((1u64 << bits) as f64 + 1.0);
    let g = Grid1d::new(h, 1.0 - h, bits)?;
    let f = sin(&g, pi)?;
    let problem = DirichletProblem::new(g, constant(&g, 1.0)?)?;
    let opts = AmenOptions {
        tol: 1e-12,
        verbose: !quiet,
        ..AmenOptions::default()
    };
    let sol = problem.solve(&f, &opts)?;
    let exact = f.scaled(1.0 / (pi * pi));
    println!(
        "  -u'' = sin(pi x) on 2^{bits} points (cond ~ 4^{bits}): AMEn on A (-D2)^-1, {} sweep(s), \
         rank {}, relative error {:.1e} against sin(pi x) / pi^2",
        sol.sweeps.len(),
        sol.u.max_rank(),
        sol.u.sub(&exact)?.norm() / exact.norm()
    );
    Ok(())
}
