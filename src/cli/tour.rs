//! `qtt tour`: what exists so far, on built-in defaults.

use super::Args;

/// Runs the tour.
pub fn run(args: &mut Args) -> Result<(), String> {
    let _quiet = args.flag("--quiet");
    println!("qtt tour");
    Ok(())
}
