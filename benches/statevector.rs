//! State-vector throughput on the peer's layered circuit
//! (../shared/bench/peers/statevector_gates.py): per layer H and RY(0.3) on every
//! qubit, a CNOT chain and a CRY(0.2) chain, 4n - 2 gates. Prints one JSON line
//! per (n, threads, fusion) with seconds per gate and the effective bandwidth
//! (2 x 16 bytes x 2^n per gate, read + write) against a memcpy of the same buffer.
//!
//! `cargo bench --bench statevector -- [--sizes 16,20,24,26] [--threads 1,all]
//! [--fusion 1,2,0] (max qubits of a fused block; 0 = off) [--budget 4]`

use std::time::Instant;

use num_complex::Complex64 as C64;
use qtt::quantum::{Circuit, SimOptions, StateVector};

fn arg(name: &str, default: &str) -> String {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
        .unwrap_or_else(|| default.to_string())
}

fn layers_for(n: usize) -> usize {
    match n {
        24 => 2,
        26 => 1,
        _ => 10,
    }
}

fn layered(n: usize, layers: usize) -> Circuit {
    let mut c = Circuit::new(n);
    for _ in 0..layers {
        for q in 0..n {
            c.h(q).unwrap();
        }
        for q in 0..n {
            c.ry(0.3, q).unwrap();
        }
        for q in 0..n - 1 {
            c.cx(q, q + 1).unwrap();
        }
        for q in 0..n - 1 {
            c.cry(0.2, q, q + 1).unwrap();
        }
    }
    c
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Times `f` once as warm-up, then until `budget` seconds or 5 repeats.
fn timed(budget: f64, mut f: impl FnMut()) -> f64 {
    let t0 = Instant::now();
    f();
    let first = t0.elapsed().as_secs_f64();
    let mut times = vec![];
    let mut spent = first;
    while times.len() < 5 && spent + first <= budget {
        let t = Instant::now();
        f();
        let dt = t.elapsed().as_secs_f64();
        times.push(dt);
        spent += dt;
    }
    if times.is_empty() {
        first
    } else {
        median(times)
    }
}

fn loadavg() -> f64 {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|x| x.parse().ok()))
        .unwrap_or(f64::NAN)
}

fn main() {
    let sizes: Vec<usize> = arg("--sizes", "16,20,24,26")
        .split(',')
        .map(|s| s.parse().unwrap())
        .collect();
    let threads: Vec<String> = arg("--threads", "1,all")
        .split(',')
        .map(String::from)
        .collect();
    let fusions: Vec<String> = arg("--fusion", "1,2,0")
        .split(',')
        .map(String::from)
        .collect();
    let budget: f64 = arg("--budget", "4").parse().unwrap();
    let all = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    for &n in &sizes {
        let layers = layers_for(n);
        let c = layered(n, layers);
        let n_gates = c.ops().len();
        for th in &threads {
            let nt = if th == "all" {
                all
            } else {
                th.parse().unwrap()
            };
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(nt)
                .build()
                .unwrap();
            pool.install(|| {
                // memcpy anchor on a buffer of the same size
                let src = vec![C64::new(1.0, 0.0); 1 << n];
                let mut dst = vec![C64::new(0.0, 0.0); 1 << n];
                let copy = timed(1.0, || {
                    use rayon::prelude::*;
                    dst.par_chunks_mut(1 << 16)
                        .zip(src.par_chunks(1 << 16))
                        .for_each(|(d, s)| d.copy_from_slice(s));
                });
                drop((src, dst));
                let copy_gbps = 2.0 * (1u64 << n) as f64 * 16.0 / copy / 1e9;
                let mut s = StateVector::zero(n).unwrap();
                let reset = timed(1.0, || s.reset());
                for fu in &fusions {
                    let opts = SimOptions {
                        fusion_max_qubits: fu.parse().unwrap(),
                    };
                    let load = loadavg();
                    let t = timed(budget, || {
                        s.reset();
                        s.apply_with(&c, opts).unwrap();
                    });
                    let spg = (t - reset).max(1e-12) / n_gates as f64;
                    let bw = 2.0 * (1u64 << n) as f64 * 16.0 / spg / 1e9;
                    let a0 = s.amplitudes()[0];
                    let al = s.amplitudes()[(1 << n) - 1];
                    let line = serde_json::json!({
                        "bench": "statevector_gates",
                        "params": {
                            "n_qubits": n, "layers": layers, "n_gates": n_gates,
                            "threads": th, "rayon_threads": nt,
                            "fusion_max_qubits": fu.parse::<usize>().unwrap(),
                        },
                        "seconds_median": t,
                        "results": {
                            "seconds_per_gate": spg, "seconds_reset": reset,
                            "eff_bw_GBps_rw": bw, "memcpy_GBps_rw": copy_gbps,
                            "bw_fraction_of_memcpy": bw / copy_gbps,
                            "loadavg1_before": load,
                            "amp0": [a0.re, a0.im], "amp_last": [al.re, al.im],
                        },
                    });
                    println!("{line}");
                }
            });
        }
    }
}
