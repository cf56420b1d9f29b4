//! Tutorial 13: seed 001's consumption-saving model (section 5.2.2): a
//! deep-learning solver whose loss is a Monte Carlo estimate, and quantum
//! Monte Carlo in place of that estimate.
//!
//! The household of Maliar, Maliar and Winant (2021) chooses consumption
//! `c <= w` out of cash on hand `w`, with `w' = (w - c) rbar exp(r') +
//! exp(p') exp(q')` and four AR(1) states `(r, delta, q, p)`. A network
//! (three hidden layers of 32, ReLU) gives the consumption share `c / w`
//! and the Euler multiplier; it is trained on the all-in-one expectation of
//! the Euler residuals (Fischer-Burmeister for the constraint), estimated
//! each epoch from `N` random states and two independent shock draws.
//!
//! 1. the trained policy against the borrowing constraint and an exact
//!    (endogenous-grid) solution without shocks, and the loss curve;
//! 2. the error left after training against `N` (seed 001, Table 2: `N^-0.22`);
//! 3. one epoch's loss by amplitude estimation on 2 and 3 discretised
//!    variables of 3 qubits (seed 001, figures 11 and 12: slopes -1.0283
//!    and -0.9557), next to classical Monte Carlo's -1/2.
//!
//! Run: `cargo run --release --example 13_consumption_saving_qmc` (about
//! 30 s; writes `out/13_policy.svg`, `out/13_loss.svg`,
//! `out/13_error_vs_batch.svg`, `out/13_qmc_error_vs_calls.svg`).
//! Options: `--quiet` (no training progress), `--epochs-per-n E` (default
//! 1000) and `--max-log2-n K` (default 10) for a longer part 2.

mod common;

use common::plot::{loglog_fit, Plot};
use rayon::prelude::*;

use qtt::econ::consumption_saving::{deterministic_policy, State, TrainOptions};
use qtt::econ::ConsumptionSaving;
use qtt::quantum::models::{consumption_saving_loss, LossVariables};

/// Seed 001, Table 2: draws per epoch `N` and the error after 500,000 epochs.
const SEED_TABLE_2: [(f64, f64); 13] = [
    (8.0, 2.655e-3),
    (16.0, 2.189e-3),
    (32.0, 1.698e-3),
    (64.0, 1.379e-3),
    (128.0, 1.139e-3),
    (256.0, 0.928e-3),
    (512.0, 0.813e-3),
    (1024.0, 0.671e-3),
    (2048.0, 0.572e-3),
    (4096.0, 0.544e-3),
    (8192.0, 0.490e-3),
    (16384.0, 0.476e-3),
    (32768.0, 0.445e-3),
];

fn main() -> qtt::Result<()> {
    std::fs::create_dir_all("out").expect("cannot create the out/ folder for plots");
    let args: Vec<String> = std::env::args().collect();
    let quiet = args.iter().any(|a| a == "--quiet");
    let option = |name: &str, default: usize| -> usize {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .map_or(default, |v| {
                v.parse()
                    .unwrap_or_else(|_| panic!("{name} takes a whole number, got {v}"))
            })
    };
    let start = std::time::Instant::now();

    // 1. The model, its exact solution without shocks, and training.
    let mut model = ConsumptionSaving::seed_001(0)?;
    let p = *model.params();
    println!("1. Maliar, Maliar and Winant's calibration (their notebook; seed 001 gives none):");
    println!(
        "   beta {}, gamma {}, rbar {}, (rho, sigma): r ({}, {}), delta ({}, {}), q ({}, {}), p ({}, {})",
        p.beta, p.gamma, p.rbar, p.rho[0], p.sigma[0], p.rho[1], p.sigma[1], p.rho[2],
        p.sigma[2], p.rho[3], p.sigma[3]
    );
    println!(
        "   network 5-32-32-32-2 (ReLU), {} parameters",
        model.net().params().len()
    );
    let oracle = deterministic_policy(&p, 2000)?;
    println!(
        "   without shocks (endogenous grid method) the constraint binds below w = {:.4}",
        oracle.kink()
    );
    let opts = TrainOptions {
        epochs: 10_000,
        batch: 128,
        ..TrainOptions::default()
    };
    println!(
        "\n   training: {} epochs of N = {} draws, Adam step {}",
        opts.epochs, opts.batch, opts.learning_rate
    );
    let losses = model.train_with_progress(&opts, |r| {
        if !quiet && r.epoch % 2000 == 0 {
            println!("   epoch {:>6}: loss {:.3e}", r.epoch, r.loss);
        }
    })?;
    let window = 100;
    let smooth: Vec<(f64, f64)> = losses
        .chunks(window)
        .enumerate()
        .map(|(i, c)| {
            (
                ((i + 1) * window) as f64,
                c.iter().sum::<f64>() / c.len() as f64,
            )
        })
        .collect();
    Plot::new("Consumption-saving: training loss (means over 100 epochs)")
        .x_label("epoch")
        .y_label("all-in-one Euler loss")
        .log_x()
        .log_y()
        .line("N = 128", &smooth)
        .write("out/13_loss.svg")?;

    let grid: Vec<State> = (0..=78)
        .map(|i| {
            [
                0.0,
                0.0,
                0.0,
                0.0,
                p.w_min + (p.w_max - p.w_min) * i as f64 / 78.0,
            ]
        })
        .collect();
    let c = model.consumption(&grid)?;
    let res = model.euler_residuals(&grid)?;
    let max_res = res.iter().fold(0.0f64, |a, r| a.max(r.abs()));
    let max_dev = grid
        .iter()
        .zip(&c)
        .map(|(s, c)| (c - oracle.at(s[4])).abs() / oracle.at(s[4]))
        .fold(0.0f64, f64::max);
    println!("\n   policy at the mean states (r = delta = q = p = 0):");
    println!("   w       c (network)   c (no shocks, exact)   c <= w   Euler residual");
    for i in (0..grid.len()).step_by(13) {
        let w = grid[i][4];
        println!(
            "   {w:<7.3} {:<13.5} {:<22.5} {:<8} {:+.2e}",
            c[i],
            oracle.at(w),
            c[i] <= w,
            res[i]
        );
    }
    println!(
        "   largest |Euler residual| {max_res:.2e}; largest deviation from the exact policy {:.2}%",
        100.0 * max_dev
    );
    let line = |f: &dyn Fn(f64) -> f64| -> Vec<(f64, f64)> {
        grid.iter().map(|s| (s[4], f(s[4]))).collect()
    };
    Plot::new("Consumption-saving: policy at the mean states")
        .x_label("cash on hand w")
        .y_label("consumption c")
        .line("borrowing constraint c = w", line(&|w| w))
        .line("exact, no shocks (EGM)", line(&|w| oracle.at(w)))
        .line(
            "network",
            grid.iter()
                .zip(&c)
                .map(|(s, c)| (s[4], *c))
                .collect::<Vec<_>>(),
        )
        .write("out/13_policy.svg")?;

    // 2. The error left after training, against the draws per epoch.
    let epochs = option("--epochs-per-n", 1000).max(4);
    println!(
        "\n2. error after training against N: {epochs} more epochs from the trained network at each N;"
    );
    println!("   error = mean epoch loss over the last quarter (seed 001 averages 5000 epochs)");
    let ks: Vec<u32> = (3..=option("--max-log2-n", 10).clamp(4, 15) as u32).collect();
    let runs: Vec<qtt::Result<(f64, f64, f64, ConsumptionSaving)>> = ks
        .par_iter()
        .map(|&k| {
            let n = 1usize << k;
            let mut m = model.clone();
            let l = m.train(&TrainOptions {
                epochs,
                batch: n,
                seed: 100 + k as u64,
                ..TrainOptions::default()
            })?;
            let tail = &l[l.len() - l.len() / 4..];
            let accurate = m.loss_estimate(1 << 15, 5)?;
            let error = tail.iter().sum::<f64>() / tail.len() as f64;
            Ok((n as f64, error, accurate.mean, m))
        })
        .collect();
    let mut ours = vec![];
    let mut accurate = vec![];
    let mut ensemble = vec![];
    println!("   N       error (ours)   loss, 2^15 fresh draws   seed 001 (500k epochs)");
    for r in runs {
        let (n, e, a, m) = r?;
        ensemble.push(m);
        let seed = SEED_TABLE_2
            .iter()
            .find(|s| s.0 == n)
            .map_or(f64::NAN, |s| s.1);
        println!("   {n:<7} {e:<14.3e} {a:<24.3e} {seed:.3e}");
        ours.push((n, e));
        accurate.push((n, a));
    }
    let (s_ours, _) = loglog_fit(&ours);
    let (s_acc, _) = loglog_fit(&accurate);
    let (s_seed, _) = loglog_fit(&SEED_TABLE_2);
    let (s_seed_same, _) = loglog_fit(&SEED_TABLE_2[..ks.len()]);
    let (s_tail, _) = loglog_fit(&ours[ours.len() - 4..]);
    println!(
        "   fitted exponent: ours {s_ours:.3} (accurate loss {s_acc:.3}; N >= {} only {s_tail:.3}); seed 001 {s_seed:.3} over N = 8..32768, {s_seed_same:.3} over N = 8..{}",
        ours[ours.len() - 4].0,
        ours[ours.len() - 1].0
    );
    Plot::new("Error after training vs draws per epoch")
        .x_label("draws per epoch N")
        .y_label("error")
        .log_x()
        .log_y()
        .line(&format!("ours, {epochs} epochs (slope {s_ours:.2})"), &ours)
        .line(
            &format!("seed 001 Table 2, 500k epochs (slope {s_seed:.2})"),
            SEED_TABLE_2,
        )
        .write("out/13_error_vs_batch.svg")?;

    // 3. Quantum Monte Carlo on one epoch's loss.
    println!(
        "\n3. one epoch's loss by amplitude estimation (3 qubits per variable, exact loading)"
    );
    let cash = (p.w_min + p.w_max) / 2.0;
    let instances = [
        ("2 variables (w, r)", LossVariables::CashAndRate, -1.0283),
        (
            "3 variables (r, e1_r, e2_r)",
            LossVariables::RateAndShocks { cash },
            -0.9557,
        ),
    ];
    let mut plot = Plot::new("Consumption-saving loss: error vs oracle calls")
        .x_label("oracle calls (Grover applications / samples)")
        .y_label("absolute error of the loss")
        .log_x()
        .log_y();
    for (name, vars, seed_slope) in instances {
        let problem = consumption_saving_loss(&model, vars, 3)?;
        let exact = problem.exact_value().expect("built from distributions");
        println!(
            "\n   {name}: {} qubits, discretised loss {exact:.6e}, encoded amplitude {:.6}",
            problem.n_qubits(),
            problem.amplitude()?
        );
        let fits = [
            (
                "canonical QAE",
                common::qmc::canonical(&problem, exact, 3..=20)?,
            ),
            (
                "iterative QAE",
                common::qmc::iterative(&problem, exact, 1..=5, 8)?,
            ),
            (
                "maximum-likelihood QAE",
                common::qmc::maximum_likelihood(&problem, exact, 2..=11, 8)?,
            ),
            (
                "classical Monte Carlo",
                common::qmc::monte_carlo(&problem, exact, 2..=6, 8)?,
            ),
        ];
        for (method, pts) in &fits {
            let (s, _) = loglog_fit(pts);
            let reference = if method.starts_with("classical") {
                "-1/2".to_string()
            } else {
                format!("seed 001: {seed_slope}")
            };
            println!("   {method:<24} slope {s:>7.3}   ({reference})");
            plot = plot.line(&format!("{name}, {method}: {s:.2}"), pts);
        }
        // One instance's slope depends on where its amplitude falls between
        // the 2^n phase bins; the networks of part 2 show the spread.
        let mut slopes = vec![];
        let mut mean_err = vec![(0.0, 0.0); 18];
        for m in &ensemble {
            let problem = consumption_saving_loss(m, vars, 3)?;
            let exact = problem.exact_value().expect("built from distributions");
            let pts = common::qmc::canonical(&problem, exact, 3..=20)?;
            slopes.push(loglog_fit(&pts).0);
            for (acc, (c, e)) in mean_err.iter_mut().zip(&pts) {
                *acc = (*c, acc.1 + (e / exact) / ensemble.len() as f64);
            }
        }
        let lo = slopes.iter().cloned().fold(f64::INFINITY, f64::min);
        let hi = slopes.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        println!(
            "   canonical QAE on the {} networks of part 2: slopes {lo:.3} .. {hi:.3}, slope of the mean relative error {:.3}",
            ensemble.len(),
            loglog_fit(&mean_err).0
        );
    }
    plot.write("out/13_qmc_error_vs_calls.svg")?;
    println!(
        "\nwrote out/13_policy.svg, out/13_loss.svg, out/13_error_vs_batch.svg, out/13_qmc_error_vs_calls.svg ({:.0} s)",
        start.elapsed().as_secs_f64()
    );
    Ok(())
}
