//! `qtt knapsack FILE`: solve a quadratic knapsack instance with the
//! constrained-MPS optimiser (seed 002, Algorithm 3).

use super::CliError;
use lexopt::prelude::*;
use qtt::qregion::knapsack::KnapsackInstance;
use qtt::qregion::OptimizeConfig;
use std::path::PathBuf;
use std::time::Duration;

/// `qtt knapsack --help`.
pub const HELP: &str =
    "usage: qtt knapsack FILE [--seconds S] [--seed K] [--iterations N] [--json] [--quiet]

Solves the quadratic knapsack instance in FILE (minimise x^T Q x subject to
w^T x <= c over binary x) with the constrained-MPS optimiser.
File format: `n c` on the first line, the n weights on the second, then the
n rows of Q (integers, whitespace separated; lines starting with # are skipped).

options:
  --seconds S      time limit in seconds, a number > 0 (default 10)
  --seed K         seed of the optimiser (default 0)
  --iterations N   stop after N iterations (default: at the time limit)
  --json           one JSON object on stdout instead of the progress lines
  --quiet          no progress lines
  -h, --help       this text
";

/// Runs the subcommand; `quiet` is the global `--quiet`.
pub fn run(p: &mut lexopt::Parser, mut quiet: bool) -> Result<(), CliError> {
    let mut json = false;
    let mut seconds: f64 = 10.0;
    let mut seed: u64 = 0;
    let mut iterations: Option<usize> = None;
    let mut file: Option<PathBuf> = None;
    while let Some(arg) = p.next()? {
        match arg {
            Long("json") => json = true,
            Long("quiet") => quiet = true,
            Long("seconds") => seconds = p.value()?.parse()?,
            Long("seed") => seed = p.value()?.parse()?,
            Long("iterations") => iterations = Some(p.value()?.parse()?),
            Short('h') | Long("help") => {
                print!("{HELP}");
                return Ok(());
            }
            Value(v) if file.is_none() => file = Some(PathBuf::from(v)),
            _ => return Err(arg.unexpected().into()),
        }
    }
    let file = file.ok_or_else(|| CliError::Usage("knapsack: missing FILE".into()))?;
    let time_limit = time_limit(seconds)?;
    let quiet = quiet || json;
    let inst = KnapsackInstance::read(&file)?;
    let config = OptimizeConfig {
        iterations,
        time_limit: Some(time_limit),
        seed,
        ..OptimizeConfig::default()
    };
    if !quiet {
        println!(
            "{}: n = {}, capacity {}, time limit {seconds} s, seed {seed}",
            file.display(),
            inst.len(),
            inst.capacity
        );
    }
    let sol = inst.solve(&config, |p| {
        if !quiet {
            println!(
                "iter {:>4}  t = {:>7.2} s  best {:>8}  iter min {:>8}  T = {:>9.3}  bond {:>4}  seen {:>7}{}",
                p.iteration,
                p.elapsed.as_secs_f64(),
                p.best_cost,
                p.iteration_min,
                p.temperature,
                p.max_bond,
                p.distinct,
                if p.reset { "  reset" } else { "" }
            );
        }
    })?;
    if json {
        let name = file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let report = serde_json::json!({
            "instance": name,
            "n": inst.len(),
            "solver": "qtt-cmps",
            "time_limit": seconds,
            "seed": seed,
            "objective": sol.objective,
            "weight": sol.weight,
            "capacity": inst.capacity,
            "feasible_check": sol.weight <= inst.capacity,
            "build_seconds": sol.build_seconds,
            "charge_complexity": sol.charge_complexity,
            "iterations": sol.run.iterations,
            "resets": sol.run.resets,
            "distinct_samples": sol.run.distinct,
            "history": sol.run.history,
        });
        println!("{report}");
    } else {
        println!(
            "best objective {} (weight {} <= {}), {} iterations, {} resets, charge complexity {}, build {:.3} s",
            sol.objective,
            sol.weight,
            inst.capacity,
            sol.run.iterations,
            sol.run.resets,
            sol.charge_complexity,
            sol.build_seconds
        );
    }
    Ok(())
}

/// `--seconds` as a duration: positive, finite and representable.
fn time_limit(seconds: f64) -> Result<Duration, CliError> {
    if !(seconds.is_finite() && seconds > 0.0) {
        return Err(CliError::Usage(format!(
            "--seconds {seconds}: expected a positive number"
        )));
    }
    Duration::try_from_secs_f64(seconds).map_err(|_| {
        CliError::Usage(format!(
            "--seconds {seconds}: too large for a time limit, expected at most {:e}",
            Duration::MAX.as_secs_f64()
        ))
    })
}
