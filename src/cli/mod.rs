//! Subcommand dispatch. Each subcommand is one module with a `run` function
//! taking its own arguments; this file only routes and prints help.

mod args;
mod knapsack;
mod sweep;
mod tour;

pub use args::Args;

/// One subcommand: its name, a one-line summary and its entry point.
struct Command {
    name: &'static str,
    summary: &'static str,
    run: fn(&mut Args) -> Result<(), String>,
}

const COMMANDS: &[Command] = &[
    Command {
        name: "tour",
        summary: "a guided run through what qtt can do, on built-in defaults (the default command)",
        run: tour::run,
    },
    Command {
        name: "knapsack",
        summary: "solve a quadratic knapsack file with the constrained-MPS optimiser",
        run: knapsack::run,
    },
    Command {
        name: "sweep",
        summary: "equilibrium r* along a parameter grid, spread over MPI ranks under mpirun",
        run: sweep::run,
    },
];

fn help() -> String {
    let mut s = String::from("usage: qtt [COMMAND] [OPTIONS]\n\ncommands:\n");
    for c in COMMANDS {
        s.push_str(&format!("  {:<12} {}\n", c.name, c.summary));
    }
    s.push_str("  help         this list\n\nglobal option: --quiet (no progress output)\n");
    s
}

/// Runs the command line `args` (without the program name).
pub fn run(args: &[String]) -> Result<(), String> {
    let (name, rest) = match args.split_first() {
        None => ("tour", &[][..]),
        Some((first, rest)) if !first.starts_with('-') => (first.as_str(), rest),
        Some(_) => ("tour", args),
    };
    if matches!(name, "help" | "--help" | "-h") {
        print!("{}", help());
        return Ok(());
    }
    let cmd = COMMANDS
        .iter()
        .find(|c| c.name == name)
        .ok_or_else(|| format!("unknown command '{name}'\n\n{}", help()))?;
    let mut args = Args::new(rest);
    (cmd.run)(&mut args)?;
    args.finish()
}
