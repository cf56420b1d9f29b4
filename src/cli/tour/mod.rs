//! `qtt tour`: what qtt does, on built-in defaults, one section per
//! capability in the order of the README's examples.

mod charges;
mod economics;
mod qregion;
mod qtt_grids;
mod quantum;
mod solvers;
mod tensor_trains;

use super::Args;

/// Runs the tour.
pub fn run(args: &mut Args) -> Result<(), String> {
    let quiet = args.flag("--quiet");
    let d: usize = args.value("--dims")?.unwrap_or(10);
    let tol: f64 = args.value("--tol")?.unwrap_or(1e-10);
    if !(2..=64).contains(&d) {
        return Err(format!("--dims {d}: expected 2..=64"));
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
