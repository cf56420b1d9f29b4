//! `qtt tour`: what qtt does, on built-in defaults, one section per
//! capability in the order of the README's examples.

mod charges;
mod economics;
mod qregion;
mod qtt_grids;
mod quantum;
mod solvers;
mod tensor_trains;

use super::CliError;
use lexopt::prelude::*;

/// `qtt tour --help`.
pub const HELP: &str = "usage: qtt tour [--dims D] [--tol T] [--quiet]

A guided run through what qtt does, on built-in defaults: tensor trains,
quantized grids, an economy, solvers, charges, constrained MPS, quantum
Monte Carlo.

options:
  --dims D     dimensions of the cross-approximation example, 2..=64 (default 10)
  --tol T      its tolerance, a number >= 0 (default 1e-10)
  --quiet      no progress output
  -h, --help   this text
";

/// Runs the tour; `quiet` is the global `--quiet`.
pub fn run(p: &mut lexopt::Parser, mut quiet: bool) -> Result<(), CliError> {
    let mut d: usize = 10;
    let mut tol: f64 = 1e-10;
    while let Some(arg) = p.next()? {
        match arg {
            Long("quiet") => quiet = true,
            Long("dims") => d = p.value()?.parse()?,
            Long("tol") => tol = p.value()?.parse()?,
            Short('h') | Long("help") => {
                print!("{HELP}");
                return Ok(());
            }
            _ => return Err(arg.unexpected().into()),
        }
    }
    if !(2..=64).contains(&d) {
        return Err(CliError::Usage(format!("--dims {d}: expected 2..=64")));
    }
    if !(tol.is_finite() && tol >= 0.0) {
        return Err(CliError::Usage(format!(
            "--tol {tol}: expected a number >= 0"
        )));
    }
    println!("qtt tour: what the library does, on built-in defaults (--quiet hides progress)\n");
    tensor_trains::run(d, 16, tol, quiet)?;
    println!();
    qtt_grids::run(quiet)?;
    println!();
    economics::run(quiet)?;
    println!();
    solvers::run(quiet)?;
    println!();
    charges::run(quiet)?;
    println!();
    qregion::run(quiet)?;
    println!();
    quantum::run(quiet)?;
    Ok(())
}
