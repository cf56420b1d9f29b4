//! Quadratic knapsack benchmark (seed 002, Sec. VII): writes the seeded
//! instances (Q_ij uniform in -5..=5, w_i uniform in 0..=5, c = floor(n/4))
//! in the plain format that `bench/peers/qkp_scip.py` reads, then solves
//! each with the constrained-MPS optimiser at a fixed wall time, one JSON
//! object per line.
//!
//! `cargo bench --bench qkp -- [--n 50,100,200,400] [--instances 10]
//!  [--seconds 10] [--dir target/qkp] [--generate-only]`

use qtt::qregion::knapsack::KnapsackInstance;
use qtt::qregion::OptimizeConfig;
use std::time::{Duration, Instant};

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let sizes: Vec<usize> = arg(&args, "--n")
        .unwrap_or_else(|| "50,100,200,400".into())
        .split(',')
        .map(|s| s.parse().expect("--n takes comma-separated sizes"))
        .collect();
    let instances: u64 = arg(&args, "--instances").map_or(10, |s| s.parse().expect("--instances"));
    let first: u64 = arg(&args, "--first").map_or(0, |s| s.parse().expect("--first"));
    let seconds: f64 = arg(&args, "--seconds").map_or(10.0, |s| s.parse().expect("--seconds"));
    let dir = arg(&args, "--dir").unwrap_or_else(|| "target/qkp".into());
    let generate_only = args.iter().any(|a| a == "--generate-only");
    std::fs::create_dir_all(&dir).expect("create instance folder");
    for &n in &sizes {
        for seed in first..first + instances {
            let inst = KnapsackInstance::generate(n, seed).expect("generate");
            let path = format!("{dir}/qkp_n{n}_s{seed}.txt");
            std::fs::write(&path, inst.to_text()).expect("write instance");
            if generate_only {
                continue;
            }
            let t = Instant::now();
            let set = inst.constraints().expect("automaton");
            let mps = set.uniform_mps();
            let build = t.elapsed().as_secs_f64();
            let cc = set.charge_complexity().expect("complexity");
            let config = OptimizeConfig {
                iterations: None,
                time_limit: Some(Duration::from_secs_f64(seconds)),
                seed,
                ..OptimizeConfig::default()
            };
            let t = Instant::now();
            let sol = inst.solve(&config, |_| ()).expect("solve");
            let wall = t.elapsed().as_secs_f64();
            let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
            let line = serde_json::json!({
                "bench": "qkp",
                "params": {"n": n, "seed": seed, "time_limit": seconds},
                "instance": format!("qkp_n{n}_s{seed}"),
                "solver": "qtt-cmps",
                "objective": sol.objective,
                "feasible_check": sol.weight <= inst.capacity,
                "seconds_median": wall,
                "mps_build_seconds": build,
                "mps_blocks": mps.automaton().block_count(),
                "charge_complexity": cc.max(),
                "iterations": sol.run.iterations,
                "resets": sol.run.resets,
                "loadavg": load.split_whitespace().take(3).collect::<Vec<_>>().join(" "),
            });
            println!("{line}");
        }
    }
}
