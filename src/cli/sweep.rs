//! `qtt sweep huggett --over amin|risk --from A --to B --steps N`: the
//! clearing interest rate along one parameter, one steady-state solve per
//! value, spread over MPI ranks when started by `mpirun` (built with
//! `--features mpi`); rank 0 prints the results in order, the same lines as
//! a serial run.

use super::Args;
use qtt::distributed::{sweep, world, Communicator};
use qtt::econ::sweeps::{grid, huggett_r_star, sweep_base, HuggettAxis};
use qtt::econ::SolveOptions;

const USAGE: &str =
    "usage: qtt sweep huggett [--over amin|risk] [--from A] [--to B] [--steps N] [--points P]";

/// Runs the subcommand; on a failure under MPI, every rank ends.
pub fn run(args: &mut Args) -> Result<(), String> {
    let comm = world().map_err(|e| e.to_string())?;
    let res = sweep_huggett(args, comm.as_ref());
    if let (Err(msg), true) = (&res, comm.size() > 1) {
        eprintln!("qtt sweep (rank {}): {msg}", comm.rank());
        comm.abort(1);
    }
    res
}

fn sweep_huggett(args: &mut Args, comm: &dyn Communicator) -> Result<(), String> {
    match args.positional().as_deref() {
        Some("huggett") => {}
        _ => return Err(USAGE.into()),
    }
    let axis = HuggettAxis::parse(&args.value::<String>("--over")?.unwrap_or("amin".into()))
        .map_err(|e| e.to_string())?;
    let (from_default, to_default) = axis.default_range();
    let from: f64 = args.value("--from")?.unwrap_or(from_default);
    let to: f64 = args.value("--to")?.unwrap_or(to_default);
    let steps: usize = args.value("--steps")?.unwrap_or(8);
    let points: u64 = args.value("--points")?.unwrap_or(512);
    let values = grid(from, to, steps).map_err(|e| e.to_string())?;
    let base = sweep_base();
    let opts = SolveOptions::finite_difference();
    let start = std::time::Instant::now();
    let records = sweep(comm, values.len(), |i| {
        huggett_r_star(&axis.set(&base, values[i])?, points, &opts)
    });
    let Some(records) = records else {
        return Ok(());
    };
    println!(
        "# Huggett r* against {} ({points} wealth points, finite differences)",
        axis.name()
    );
    println!("{:>12} {:>22} {:>6}", axis.name(), "r*", "evals");
    for (v, r) in values.iter().zip(records) {
        match r {
            Ok(r) => println!("{v:>12.6} {:>22.15e} {:>6}", r[0], r[1]),
            Err(e) => println!("{v:>12.6} error: {e}"),
        }
    }
    eprintln!(
        "{} solves on {} rank(s) in {:.3} s",
        values.len(),
        comm.size(),
        start.elapsed().as_secs_f64()
    );
    Ok(())
}
