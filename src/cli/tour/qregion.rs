//! The constrained-MPS part of `qtt tour`: a constraint automaton, exact
//! counting, perfect sampling and a small knapsack, on built-in defaults.

use qtt::qregion::knapsack::KnapsackInstance;
use qtt::qregion::{ConstraintSet, LinearSystem, OptimizeConfig};
use std::time::Duration;

/// Prints this capability's part of the tour (a few seconds).
pub fn run(quiet: bool) -> Result<(), String> {
    let e = |e: qtt::Error| e.to_string();
    let mut s = LinearSystem::new(6);
    s.le(vec![1; 6], 4).map_err(|e| e.to_string())?;
    let set = ConstraintSet::build(s).map_err(e)?;
    let a = set.automaton();
    println!("constrained MPS (seed 002): sum(x[0..6]) <= 4 as a QRegion automaton");
    if !quiet {
        print!("{a}");
    }
    println!(
        "  {} blocks, max {} QRegions per link, {} feasible configurations",
        a.block_count(),
        a.max_regions(),
        set.count()
    );
    let xs = set.uniform_mps().sample(1000, 1).map_err(e)?;
    let ok = xs.iter().filter(|x| set.is_feasible(x)).count();
    println!("  1000 perfect samples: {ok} feasible");
    let inst = KnapsackInstance::generate(60, 3).map_err(e)?;
    let cfg = OptimizeConfig {
        iterations: None,
        time_limit: Some(Duration::from_secs(2)),
        ..OptimizeConfig::default()
    };
    let sol = inst.solve(&cfg, |_| ()).map_err(e)?;
    println!(
        "  quadratic knapsack n = 60, 2 s: best x^T Q x = {} (weight {} <= {}), {} iterations",
        sol.objective, sol.weight, inst.capacity, sol.run.iterations
    );
    Ok(())
}
