//! `qtt knapsack FILE`: solve a quadratic knapsack instance with the
//! constrained-MPS optimiser (seed 002, Algorithm 3).

use super::Args;
use qtt::qregion::knapsack::KnapsackInstance;
use qtt::qregion::OptimizeConfig;
use std::path::PathBuf;
use std::time::Duration;

/// Runs the subcommand.
pub fn run(args: &mut Args) -> Result<(), String> {
    let json = args.flag("--json");
    let quiet = args.flag("--quiet") || json;
    let seconds: f64 = args.value("--seconds")?.unwrap_or(10.0);
    let seed: u64 = args.value("--seed")?.unwrap_or(0);
    let iterations: Option<usize> = args.value("--iterations")?;
    let file = args.positional().ok_or(
        "usage: qtt knapsack FILE [--seconds S] [--seed K] [--iterations N] [--json] [--quiet]",
    )?;
    if !(seconds.is_finite() && seconds > 0.0) {
        return Err(format!("--seconds {seconds}: expected a positive number"));
    }
    let inst = KnapsackInstance::read(&PathBuf::from(&file)).map_err(|e| e.to_string())?;
    let config = OptimizeConfig {
        iterations,
        time_limit: Some(Duration::from_secs_f64(seconds)),
        seed,
        ..OptimizeConfig::default()
    };
    if !quiet {
        println!(
            "{file}: n = {}, capacity {}, time limit {seconds} s, seed {seed}",
            inst.len(),
            inst.capacity
        );
    }
    let sol = inst
        .solve(&config, |p| {
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
        })
        .map_err(|e| e.to_string())?;
    let name = PathBuf::from(&file)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if json {
        let hist: Vec<String> = sol
            .run
            .history
            .iter()
            .map(|(t, c)| format!("[{t:.4},{c}]"))
            .collect();
        println!(
            "{{\"instance\":\"{name}\",\"n\":{},\"solver\":\"qtt-cmps\",\"time_limit\":{seconds},\"seed\":{seed},\
             \"objective\":{},\"weight\":{},\"capacity\":{},\"feasible_check\":{},\"build_seconds\":{:.6},\
             \"charge_complexity\":{},\"iterations\":{},\"resets\":{},\"distinct_samples\":{},\"history\":[{}]}}",
            inst.len(),
            sol.objective,
            sol.weight,
            inst.capacity,
            sol.weight <= inst.capacity,
            sol.build_seconds,
            sol.charge_complexity,
            sol.run.iterations,
            sol.run.resets,
            sol.run.distinct,
            hist.join(",")
        );
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
