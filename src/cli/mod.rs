//! Subcommand dispatch with `lexopt`. Each subcommand is one module with a
//! `run` function reading its own options from the parser; this file reads
//! the global options, routes, and prints the command list.

mod error;
mod knapsack;
mod sweep;
mod tour;

pub use error::CliError;

use lexopt::prelude::*;
use std::ffi::OsString;

/// One subcommand: its name, a one-line summary, its help and its entry point.
struct Command {
    name: &'static str,
    summary: &'static str,
    help: &'static str,
    run: fn(&mut lexopt::Parser, bool) -> Result<(), CliError>,
}

const COMMANDS: &[Command] = &[
    Command {
        name: "tour",
        summary: "a guided run through what qtt can do, on built-in defaults (the default command)",
        help: tour::HELP,
        run: tour::run,
    },
    Command {
        name: "knapsack",
        summary: "solve a quadratic knapsack file with the constrained-MPS optimiser",
        help: knapsack::HELP,
        run: knapsack::run,
    },
    Command {
        name: "sweep",
        summary: "equilibrium r* along a parameter grid, spread over MPI ranks under mpirun",
        help: sweep::HELP,
        run: sweep::run,
    },
];

fn help() -> String {
    let mut s = String::from(
        "usage: qtt [--quiet] [COMMAND] [OPTIONS]\n\n\
         Without a command, qtt runs the tour.\n\ncommands:\n",
    );
    for c in COMMANDS {
        s.push_str(&format!("  {:<12} {}\n", c.name, c.summary));
    }
    s.push_str(
        "  help [CMD]   this list, or the options of CMD (as 'qtt CMD --help')\n\n\
         global options:\n  --quiet      no progress output\n  -h, --help   this list\n\n\
         exit codes: 0 success, 1 the command failed, 2 a usage error\n",
    );
    s
}

fn find(name: &str) -> Result<&'static Command, CliError> {
    COMMANDS
        .iter()
        .find(|c| c.name == name)
        .ok_or_else(|| CliError::Usage(format!("unknown command '{name}'")))
}

/// Runs the command line `args` (without the program name).
pub fn run(args: Vec<OsString>) -> Result<(), CliError> {
    // Progress lines of the library's solvers (asked for unless --quiet)
    // arrive as `log` records.
    qtt::progress::log_to_stderr();
    let mut p = lexopt::Parser::from_args(args);
    let mut quiet = false;
    let name = loop {
        match p.next()? {
            Some(Long("quiet")) => quiet = true,
            Some(Short('h') | Long("help")) => {
                print!("{}", help());
                return Ok(());
            }
            Some(Value(v)) => break v.string()?,
            None => break "tour".to_string(),
            Some(arg) => return Err(arg.unexpected().into()),
        }
    };
    if name == "help" {
        match p.next()? {
            None => print!("{}", help()),
            Some(Value(v)) => print!("{}", find(&v.string()?)?.help),
            Some(arg) => return Err(arg.unexpected().into()),
        }
        if let Some(arg) = p.next()? {
            return Err(arg.unexpected().into());
        }
        return Ok(());
    }
    (find(&name)?.run)(&mut p, quiet)
}
