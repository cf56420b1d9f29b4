//! `qtt sweep huggett --over amin|risk --from A --to B --steps N`: the
//! clearing interest rate along one parameter, one steady-state solve per
//! value, spread over MPI ranks when started by `mpirun` (built with
//! `--features mpi`); rank 0 prints the results in order, the same lines as
//! a serial run.

use super::CliError;
use lexopt::prelude::*;
use qtt::distributed::{sweep, world, Communicator};
use qtt::econ::sweeps::{grid, huggett_r_star, sweep_base, HuggettAxis};
use qtt::econ::SolveOptions;

/// `qtt sweep --help`.
pub const HELP: &str =
    "usage: qtt sweep huggett [--over amin|risk] [--from A] [--to B] [--steps N] [--points P]

Solves Huggett's economy (finite differences) at N values of one parameter
between A and B and prints r* for each. Under `mpirun -np K` (a build with
`--features mpi`) the solves are spread over the K ranks and rank 0 prints
the same lines as a serial run; an error on any rank ends the whole job.

options:
  --over amin|risk   the parameter: the borrowing limit, or income risk (default amin)
  --from A, --to B   the range (default: the parameter's own)
  --steps N          number of values (default 8)
  --points P         wealth grid points, a power of two (default 512)
  -h, --help         this text
";

/// The parsed options of one sweep.
struct SweepArgs {
    axis: HuggettAxis,
    from: Option<f64>,
    to: Option<f64>,
    steps: usize,
    points: u64,
}

/// Reads the options; every usage error is found before any solve runs.
fn parse(p: &mut lexopt::Parser) -> Result<Option<SweepArgs>, CliError> {
    let mut model: Option<String> = None;
    let mut over = String::from("amin");
    let (mut from, mut to) = (None, None);
    let mut steps = 8usize;
    let mut points = 512u64;
    while let Some(arg) = p.next()? {
        match arg {
            Long("over") => over = p.value()?.string()?,
            Long("from") => from = Some(p.value()?.parse()?),
            Long("to") => to = Some(p.value()?.parse()?),
            Long("steps") => steps = p.value()?.parse()?,
            Long("points") => points = p.value()?.parse()?,
            Short('h') | Long("help") => {
                print!("{HELP}");
                return Ok(None);
            }
            Value(v) if model.is_none() => model = Some(v.string()?),
            _ => return Err(arg.unexpected().into()),
        }
    }
    match model.as_deref() {
        Some("huggett") => {}
        Some(m) => {
            return Err(CliError::Usage(format!(
                "sweep: unknown model '{m}' (only 'huggett')"
            )))
        }
        None => return Err(CliError::Usage("sweep: missing MODEL ('huggett')".into())),
    }
    let axis = HuggettAxis::parse(&over).map_err(|e| CliError::Usage(e.to_string()))?;
    Ok(Some(SweepArgs {
        axis,
        from,
        to,
        steps,
        points,
    }))
}

/// Runs the subcommand; on a failure under MPI, every rank ends.
pub fn run(p: &mut lexopt::Parser, _quiet: bool) -> Result<(), CliError> {
    let Some(args) = parse(p)? else {
        return Ok(());
    };
    let comm = world()?;
    let res = sweep_huggett(&args, comm.as_ref());
    if let (Err(e), true) = (&res, comm.size() > 1) {
        eprintln!("qtt sweep (rank {}): {}", comm.rank(), e.message());
        comm.abort(1);
    }
    res
}

fn sweep_huggett(args: &SweepArgs, comm: &dyn Communicator) -> Result<(), CliError> {
    let axis = &args.axis;
    let (from_default, to_default) = axis.default_range();
    let from = args.from.unwrap_or(from_default);
    let to = args.to.unwrap_or(to_default);
    let points = args.points;
    let values = grid(from, to, args.steps)?;
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
