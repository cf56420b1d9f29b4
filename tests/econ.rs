//! Heterogeneous-agent economies: the banded finite-difference backend
//! against a dense solve and the numpy/scipy peer, the QTT backend against
//! the finite-difference one, invariants of the generator and the
//! distribution, first-order convergence of r*, and every error path.

use nalgebra::{DMatrix, DVector};
use qtt::econ::finite_difference::generator;
use qtt::econ::quantized::QttOptions;
use qtt::econ::{AiyagariParams, EquilibriumOptions, HuggettParams, Model, SolveOptions};
use qtt::ir::model::{ExprIr, IncomeIr, UtilityIr};

fn huggett(bits: u32) -> Model {
    HuggettParams::default().model(1 << bits).unwrap()
}

fn aiyagari(bits: u32) -> Model {
    AiyagariParams::default().model(1 << bits).unwrap()
}

/// The drifts of a solution's policy, wealth-major, recomputed from its
/// consumption (`s = y - c`, split by sign exactly as the scheme does).
fn drifts(model: &Model, sol: &qtt::econ::HouseholdSolution) -> (Vec<f64>, Vec<f64>) {
    let n = model.points();
    let mut f = Vec::new();
    let mut b = Vec::new();
    for i in 0..n {
        for j in 0..model.states() {
            let s = sol.savings.at(i, j);
            f.push(if s > 0.0 && i + 1 < n { s } else { 0.0 });
            b.push(if s < 0.0 && i > 0 { s } else { 0.0 });
        }
    }
    (f, b)
}

#[test]
fn generator_rows_sum_to_zero_with_nonnegative_off_diagonals() {
    for model in [huggett(6), aiyagari(6)] {
        let r = 0.5 * (model.bracket.0 + model.bracket.1);
        let sol = model
            .solve_household(r, &SolveOptions::finite_difference(), None)
            .unwrap();
        let (f, b) = drifts(&model, &sol);
        let a = generator(&model, &f, &b).unwrap();
        let n = (model.points() as usize) * model.states();
        let mut moving = 0;
        for row in 0..n {
            let mut sum = 0.0;
            for col in row.saturating_sub(2)..(row + 3).min(n) {
                let v = a.get(row, col);
                sum += v;
                if col != row {
                    assert!(v >= 0.0, "A[{row}][{col}] = {v}");
                }
            }
            let scale = a.get(row, row).abs().max(1.0);
            assert!(sum.abs() < 1e-12 * scale, "row {row} sums to {sum}");
            if a.get(row, row) < -1.0 {
                moving += 1;
            }
        }
        // The test means something: most rows carry a drift.
        assert!(moving > n / 2, "{moving} of {n} rows move");
    }
}

#[test]
fn banded_lu_equals_a_dense_solve() {
    for model in [huggett(7), aiyagari(7)] {
        let r = 0.5 * (model.bracket.0 + model.bracket.1);
        let sol = model
            .solve_household(r, &SolveOptions::finite_difference(), None)
            .unwrap();
        let (f, b) = drifts(&model, &sol);
        let a = generator(&model, &f, &b).unwrap();
        let n = (model.points() as usize) * model.states();
        let shift = model.rho + 1e-3;
        let dense = DMatrix::from_fn(n, n, |r, c| {
            (if r == c { shift } else { 0.0 }) - a.get(r, c)
        });
        let rhs = DVector::from_fn(n, |k, _| (k as f64 * 0.37).sin() - 2.0);
        let x_dense = dense.clone().lu().solve(&rhs).unwrap();
        let mut band = generator(&model, &f, &b).unwrap();
        let mut neg = qtt::econ::finite_difference::BandMatrix::zeros(n, model.states()).unwrap();
        for r in 0..n {
            for c in r.saturating_sub(2)..(r + 3).min(n) {
                neg.add(r, c, (if r == c { shift } else { 0.0 }) - band.get(r, c));
            }
        }
        band = neg;
        band.factor().unwrap();
        let mut x = rhs.as_slice().to_vec();
        band.solve(&mut x);
        let err = x
            .iter()
            .zip(x_dense.iter())
            .fold(0.0f64, |m, (a, b)| m.max((a - b).abs()))
            / x_dense.amax();
        assert!(err < 1e-12, "banded vs dense {err:e}");
    }
}

/// r* of the numpy/scipy peer (benches/peers/hact_fd.py, an independent
/// implementation of the same scheme), read from its committed results.
fn peer_rstar(model: &str, bits: u32) -> f64 {
    let text = include_str!("../bench-results/econ_peer.jsonl");
    let key = format!("\"model\": \"{model}\", \"bits\": {bits},");
    let line = text
        .lines()
        .find(|l| l.contains(&key))
        .unwrap_or_else(|| panic!("no peer line for {model} L={bits}"));
    let rest = &line[line.find("\"r_star\": ").unwrap() + 10..];
    rest[..rest.find(',').unwrap()].parse().unwrap()
}

#[test]
fn finite_differences_match_the_python_peer() {
    let eq = EquilibriumOptions::default();
    for bits in [8u32, 11] {
        for (name, model) in [("huggett", huggett(bits)), ("aiyagari", aiyagari(bits))] {
            let e = model
                .steady_state(&SolveOptions::finite_difference(), &eq)
                .unwrap();
            let peer = peer_rstar(name, bits);
            assert!(
                (e.price - peer).abs() < 1e-10,
                "{name} L={bits}: r* {} vs peer {peer}",
                e.price
            );
            assert!(e.solution.excess.abs() < 1e-10);
            assert!((e.solution.mass - 1.0).abs() < 1e-12);
            assert!(e.solution.min_density >= 0.0);
        }
    }
}

#[test]
fn nested_equilibria_find_the_same_price_with_fewer_fine_solves() {
    let fd = SolveOptions::finite_difference();
    let whole = EquilibriumOptions {
        nested_bits: None,
        ..EquilibriumOptions::default()
    };
    let nested = EquilibriumOptions {
        nested_bits: Some(6),
        ..EquilibriumOptions::default()
    };
    for (name, model) in [("huggett", huggett(12)), ("aiyagari", aiyagari(12))] {
        let a = model.steady_state(&fd, &whole).unwrap();
        let b = model.steady_state(&fd, &nested).unwrap();
        assert!(a.coarse_prices.is_empty());
        assert!(
            (a.price - b.price).abs() < 1e-11,
            "{name}: r* {} whole, {} nested",
            a.price,
            b.price
        );
        assert!(b.solution.excess.abs() < 1e-10);
        // The solution returned is the best of every price evaluated (only
        // two are kept as it goes).
        for e in [&a, &b] {
            let best = e
                .evaluations
                .iter()
                .map(|p| p.1.abs())
                .fold(f64::INFINITY, f64::min);
            assert_eq!(e.solution.excess.abs(), best, "{name}");
        }
        assert!(
            b.evaluations.len() < a.evaluations.len(),
            "{name}: {} fine solves nested, {} on the whole bracket",
            b.evaluations.len(),
            a.evaluations.len()
        );
        // The ladder 2^6, 2^8, 2^10: each its grid's own equilibrium.
        let points: Vec<u64> = b.coarse_prices.iter().map(|p| p.0).collect();
        assert_eq!(points, vec![64, 256, 1024], "{name}");
        for &(n, price) in &b.coarse_prices {
            let direct = model
                .with_bits(n.trailing_zeros())
                .unwrap()
                .steady_state(&fd, &whole)
                .unwrap();
            assert!(
                (direct.price - price).abs() < 1e-11,
                "{name} on {n} points: {price} nested, {} direct",
                direct.price
            );
        }
        if name == "huggett" {
            // Nesting as deep as it goes stops at the smallest grid (4 points;
            // Aiyagari's market does not clear there, Huggett's does).
            let deepest = EquilibriumOptions {
                nested_bits: Some(0),
                ..EquilibriumOptions::default()
            };
            let c = model
                .with_bits(8)
                .unwrap()
                .steady_state(&fd, &deepest)
                .unwrap();
            let points: Vec<u64> = c.coarse_prices.iter().map(|p| p.0).collect();
            assert_eq!(points, vec![4, 16, 64], "{name}");
            let direct = model
                .with_bits(8)
                .unwrap()
                .steady_state(&fd, &whole)
                .unwrap();
            assert!(
                (c.price - direct.price).abs() < 1e-11,
                "{name}: {} {}",
                c.price,
                direct.price
            );
        }
    }
}

#[test]
fn r_star_converges_at_first_order() {
    let eq = EquilibriumOptions::default();
    let r: Vec<f64> = (9..=14)
        .map(|bits| {
            huggett(bits)
                .steady_state(&SolveOptions::finite_difference(), &eq)
                .unwrap()
                .price
        })
        .collect();
    for k in 2..r.len() {
        let ratio = (r[k - 1] - r[k - 2]) / (r[k] - r[k - 1]);
        assert!(
            (1.8..2.2).contains(&ratio),
            "ratio {ratio} at L = {}",
            9 + k
        );
    }
}

/// Largest relative difference of two solutions' `V` and of their `g`
/// (relative to the largest `g`), over every grid point.
fn differences(
    model: &Model,
    a: &qtt::econ::HouseholdSolution,
    b: &qtt::econ::HouseholdSolution,
) -> (f64, f64) {
    let (mut dv, mut dg, mut gmax) = (0.0f64, 0.0f64, 0.0f64);
    for i in 0..model.points() {
        for j in 0..model.states() {
            let v = a.value.at(i, j);
            dv = dv.max((v - b.value.at(i, j)).abs() / v.abs());
            dg = dg.max((a.density.at(i, j) - b.density.at(i, j)).abs());
            gmax = gmax.max(a.density.at(i, j).abs());
        }
    }
    (dv, dg / gmax)
}

#[test]
fn qtt_equals_finite_differences_at_a_price() {
    for (model, r) in [(huggett(6), 0.03), (huggett(8), 0.03), (aiyagari(6), 0.04)] {
        let fd = model
            .solve_household(r, &SolveOptions::finite_difference(), None)
            .unwrap();
        let q = model
            .solve_household(r, &SolveOptions::default(), None)
            .unwrap();
        let (dv, dg) = differences(&model, &fd, &q);
        assert!(dv < 1e-10, "V differs by {dv:e}");
        assert!(dg < 1e-8, "g differs by {dg:e}");
        assert!(
            (q.excess - fd.excess).abs() < 1e-9,
            "{} {}",
            q.excess,
            fd.excess
        );
        assert!((q.mass - 1.0).abs() < 1e-12, "mass {}", q.mass);
        let gmax = (0..model.states())
            .map(|j| fd.density.at(0, j))
            .fold(1.0f64, f64::max);
        assert!(q.min_density > -1e-8 * gmax, "min g {}", q.min_density);
        // The point mass at the borrowing limit of the low income state.
        assert!((q.mass_at_limit[0] - fd.mass_at_limit[0]).abs() < 1e-9);
        assert!(q.mass_at_limit[0] > 0.01);
        let ranks = q.ranks().unwrap();
        assert!(ranks.iter().all(|r| r.iter().all(|&k| k >= 1)));
    }
}

/// The cyclic-reduction backend on the grids where AMEn stalled (2^12).
#[test]
fn qtt_equals_finite_differences_on_finer_grids() {
    // Fields on at most 2^dense_bits points are evaluated densely and
    // compressed by TT-SVD; 0 crosses every field and level.
    for (model, r, dense_bits) in [
        (huggett(10), 0.03, 0),
        (huggett(12), 0.03, QttOptions::default().dense_bits),
        (aiyagari(10), 0.04, 0),
        // Resources at amax are negative for the rich low-income household
        // (w + r amax = -0.68): the unused forward utility there once set the
        // rounding's scale (u = -1e10) and policy iteration stalled at 1e-8.
        (aiyagari(12), -0.04, QttOptions::default().dense_bits),
    ] {
        let fd = model
            .solve_household(r, &SolveOptions::finite_difference(), None)
            .unwrap();
        let mut opts = SolveOptions::default();
        opts.qtt.dense_bits = dense_bits;
        let q = model.solve_household(r, &opts, None).unwrap();
        let (dv, dg) = differences(&model, &fd, &q);
        assert!(dv < 1e-10, "{} points: V differs by {dv:e}", model.points());
        assert!(dg < 1e-8, "{} points: g differs by {dg:e}", model.points());
        assert!(
            (q.excess - fd.excess).abs() < 1e-9,
            "{} {}",
            q.excess,
            fd.excess
        );
        assert!((q.mass - 1.0).abs() < 1e-12, "mass {}", q.mass);
        assert!(q.kfe_residual < 1e-10, "KFE residual {:e}", q.kfe_residual);
    }
}

/// Nested grids: 2^12 started from 2^10, itself from 2^8 (the default
/// starts nesting above 2^13).
#[test]
fn qtt_nested_grids_equal_finite_differences() {
    let model = huggett(12);
    let mut opts = SolveOptions::default();
    opts.qtt.coarse_bits = 8;
    // Levels above 2^6 points crossed, the interpolation from the coarse
    // grids included.
    opts.qtt.dense_bits = 6;
    let fd = model
        .solve_household(0.03, &SolveOptions::finite_difference(), None)
        .unwrap();
    let q = model.solve_household(0.03, &opts, None).unwrap();
    let (dv, dg) = differences(&model, &fd, &q);
    assert!(dv < 1e-10, "V differs by {dv:e}");
    assert!(dg < 1e-8, "g differs by {dg:e}");
    assert!(
        (q.excess - fd.excess).abs() < 1e-9,
        "{} {}",
        q.excess,
        fd.excess
    );
    // The warm start needs fewer iterations than a cold start on 2^12.
    let cold = model
        .solve_household(0.03, &SolveOptions::default(), None)
        .unwrap();
    assert!(
        q.hjb.len() < cold.hjb.len(),
        "nested {} iterations, cold {}",
        q.hjb.len(),
        cold.hjb.len()
    );
}

#[test]
fn qtt_equilibrium_equals_finite_differences() {
    let model = huggett(6);
    let eq = EquilibriumOptions {
        price_tol: 1e-13,
        ..EquilibriumOptions::default()
    };
    let fd = model
        .steady_state(&SolveOptions::finite_difference(), &eq)
        .unwrap();
    let q = model.steady_state(&SolveOptions::default(), &eq).unwrap();
    assert!(
        (q.price - fd.price).abs() < 1e-9,
        "{} vs {}",
        q.price,
        fd.price
    );
    // The last solves start from the nearest price's value function and
    // need fewer policy iterations than a cold start at r*.
    let cold = model
        .solve_household(q.price, &SolveOptions::default(), None)
        .unwrap();
    assert!(
        q.solution.hjb.len() < cold.hjb.len(),
        "warm {} iterations, cold {}",
        q.solution.hjb.len(),
        cold.hjb.len()
    );
    assert!((q.solution.excess - cold.excess).abs() < 1e-12);
}

/// Both calibrations' equilibria by QTT against the banded LU's, on grids
/// where every field is still evaluated densely (2^12) and where policy
/// iteration is nested (2^14 starts from 2^12, the equilibrium from r* on
/// 2^12).
#[test]
fn qtt_equilibria_equal_finite_differences_on_both_models() {
    let eq = EquilibriumOptions::default();
    for (name, model) in [
        ("aiyagari", aiyagari(12)),
        ("aiyagari", aiyagari(14)),
        ("huggett", huggett(14)),
    ] {
        let fd = model
            .steady_state(&SolveOptions::finite_difference(), &eq)
            .unwrap();
        let q = model.steady_state(&SolveOptions::default(), &eq).unwrap();
        assert!(
            (q.price - fd.price).abs() < 1e-11,
            "{name} on {} points: r* {} by QTT, {} by FD",
            model.points(),
            q.price,
            fd.price
        );
        assert!((q.solution.mass - 1.0).abs() < 1e-12);
        assert!(q.solution.excess.abs() < 1e-9, "{}", q.solution.excess);
        let (dv, dg) = differences(&model, &fd.solution, &q.solution);
        assert!(dv < 1e-9, "{name}: V differs by {dv:e}");
        assert!(dg < 1e-7, "{name}: g differs by {dg:e}");
    }
}

#[test]
fn progress_reaches_the_callers_callback() {
    use std::sync::{Arc, Mutex};
    let seen = Arc::new(Mutex::new(Vec::new()));
    let s2 = seen.clone();
    let opts = SolveOptions::finite_difference()
        .with_progress(move |p| s2.lock().unwrap().push(p.clone()));
    huggett(6).solve_household(0.03, &opts, None).unwrap();
    let seen = seen.lock().unwrap();
    assert!(seen.len() >= 3);
    assert!(matches!(seen.last(), Some(qtt::econ::Progress::Kfe { .. })));
}

fn error_of(ir: qtt::ir::model::ModelIr) -> String {
    Model::from_ir(ir).unwrap_err().to_string()
}

#[test]
fn impossible_economies_are_errors() {
    let p = HuggettParams::default();
    let with = |f: &dyn Fn(&mut HuggettParams)| {
        let mut q = p.clone();
        f(&mut q);
        q.ir(256)
    };
    assert!(error_of(with(&|q| q.gamma = 0.0)).contains("risk aversion"));
    assert!(error_of(with(&|q| q.gamma = -1.0)).contains("must be positive"));
    assert!(error_of(with(&|q| q.rho = 0.0)).contains("discount rate"));
    assert!(error_of(with(&|q| q.amax = -0.2)).contains("borrowing limit must lie below"));
    assert!(error_of(with(&|q| q.amin = -5.0)).contains("consumption is impossible"));
    assert!(error_of(with(&|q| q.r_bracket = (0.0, 0.06))).contains("no stationary distribution"));
    assert!(error_of(with(&|q| q.gamma = f64::NAN)).contains("finite"));
    assert!(error_of(with(&|q| q.z[1] = f64::INFINITY)).contains("inf"));
    assert!(error_of(with(&|q| q.r_bracket = (0.03, 0.01))).contains("bracket"));
    // Rates: rows not summing to zero, negative off-diagonals, wrong shape.
    let mut ir = p.ir(256);
    if let IncomeIr::Markov { rates, .. } = &mut ir.income[0] {
        rates[0][1] = ExprIr::Num(1.0);
    }
    assert!(error_of(ir).contains("must sum to 0: row 0 sums to -0.19"));
    let mut ir = p.ir(256);
    if let IncomeIr::Markov { rates, .. } = &mut ir.income[0] {
        rates[0] = vec![ExprIr::Num(0.5), ExprIr::Num(-0.5)];
    }
    assert!(error_of(ir).contains("cannot be negative"));
    let mut ir = p.ir(256);
    if let IncomeIr::Markov { rates, .. } = &mut ir.income[0] {
        rates.pop();
    }
    assert!(error_of(ir).contains("must be 2 x 2"));
    // Grids.
    assert!(error_of(p.ir(1000)).contains("power of two"));
    assert!(error_of(p.ir(2)).contains("at least 4"));
    // A utility the runtime cannot evaluate gives an error at solve time, not a panic.
    let mut ir = p.ir(64);
    ir.utility = UtilityIr::Crra {
        gamma: ExprIr::Price(0),
    };
    assert!(error_of(ir).contains("risk aversion"));
}

#[test]
fn solver_failures_carry_their_history() {
    let model = huggett(8);
    let opts = SolveOptions {
        max_iterations: 2,
        ..SolveOptions::finite_difference()
    };
    let e = model
        .solve_household(0.03, &opts, None)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("did not converge in 2 iterations; change history ["),
        "{e}"
    );
    // A compressed iteration asked to settle below its truncation noise
    // stops as soon as its changes stop falling, naming the tolerances.
    let mut opts = SolveOptions {
        hjb_tol: 1e-14,
        ..SolveOptions::default()
    };
    opts.qtt.tol = 1e-8;
    opts.qtt.slope_tol = 1e-8;
    let e = model
        .solve_household(0.03, &opts, None)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("stalled") && e.contains("QttOptions::tol = 1e-8"),
        "{e}"
    );
    let history = e.split("change history [").nth(1).unwrap();
    let changes = history.matches(',').count() + 1;
    assert!((6..30).contains(&changes), "{changes} iterations: {e}");
    let opts = SolveOptions {
        delta: -1.0,
        ..SolveOptions::finite_difference()
    };
    assert!(model.solve_household(0.03, &opts, None).is_err());
    assert!(model
        .solve_household(f64::NAN, &SolveOptions::finite_difference(), None)
        .is_err());
    // A bracket without a sign change names both values.
    let eq = EquilibriumOptions {
        bracket: Some((0.03, 0.04)),
        ..EquilibriumOptions::default()
    };
    let e = model
        .steady_state(&SolveOptions::finite_difference(), &eq)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("same sign at both ends") && e.contains("S(0.03)"),
        "{e}"
    );
}

#[test]
fn transitions_keep_mass_and_sign_and_reach_the_stationary_density() {
    use qtt::econ::finite_difference::transition;
    let model = huggett(9);
    let sol = model
        .solve_household(0.03, &SolveOptions::finite_difference(), None)
        .unwrap();
    let n = model.points() as usize;
    let da = model.spacing();
    // Everybody starts with wealth near 1 in the low income state.
    let mut g0 = vec![0.0; 2 * n];
    let i1 = ((1.0 - model.amin) / da) as usize;
    g0[2 * i1] = 1.0 / da;
    // The caller sees every step as it is made.
    let steps = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = steps.clone();
    let seen: qtt::econ::ProgressFn = std::sync::Arc::new(move |p| {
        if let qtt::econ::Progress::Transition { step, wealth, .. } = p {
            sink.lock().unwrap().push((*step, *wealth));
        }
    });
    let (path, g) = transition(&model, &sol, &g0, 1.0, 400, Some(&seen)).unwrap();
    let steps = steps.lock().unwrap().clone();
    assert_eq!(steps.len(), 400);
    assert!(steps
        .iter()
        .zip(&path)
        .enumerate()
        .all(|(k, ((s, w), p))| *s == k + 1 && *w == p.wealth));
    for step in &path {
        assert!((step.mass - 1.0).abs() < 1e-12, "mass {}", step.mass);
        assert!(step.min_density >= 0.0, "min g {}", step.min_density);
    }
    // Wealth falls from 1 towards the stationary aggregate.
    assert!(path[0].wealth < 1.0 && path[0].wealth > 0.9);
    let target = sol.aggregate;
    assert!(
        (path[399].wealth - target).abs() < 1e-3,
        "{} vs {target}",
        path[399].wealth
    );
    let Some(qtt::econ::Field::Dense { values, .. }) = Some(&sol.density) else {
        panic!("dense")
    };
    let diff = g
        .iter()
        .zip(values)
        .fold(0.0f64, |m, (a, b)| m.max((a - b).abs()));
    let gmax = values.iter().cloned().fold(0.0f64, f64::max);
    assert!(diff < 1e-3 * gmax, "{diff} vs {gmax}");
    assert!(transition(&model, &sol, &g0[1..], 1.0, 1, None).is_err());
    assert!(transition(&model, &sol, &g0, -1.0, 1, None).is_err());
}

/// The QTT transition (a cyclic reduction of the row system per step)
/// against the banded one on the same grid: the same wealth path and final
/// density, mass 1 and g >= 0 at every step.
#[test]
fn qtt_transitions_equal_finite_difference_ones() {
    use qtt::econ::finite_difference::transition;
    use qtt::econ::quantized_transition::{point_mass, transition as qtt_transition};
    use qtt::tt::TensorTrain;
    let model = huggett(8);
    let n = model.points() as usize;
    let da = model.spacing();
    let fd = model
        .solve_household(0.03, &SolveOptions::finite_difference(), None)
        .unwrap();
    let q = model
        .solve_household(0.03, &SolveOptions::default(), None)
        .unwrap();
    // Everybody starts with wealth near 1 in the low income state.
    let i1 = ((1.0 - model.amin) / da) as usize;
    let mut g0 = vec![0.0; 2 * n];
    g0[2 * i1] = 1.0 / da;
    let g0q = point_mass(&model, i1 as u64, 0).unwrap();
    assert!(point_mass(&model, n as u64, 0).is_err());
    assert!(point_mass(&model, 0, 2).is_err());
    let o = QttOptions::default();
    let (path, g) = transition(&model, &fd, &g0, 2.0, 60, None).unwrap();
    let (qpath, gq) = qtt_transition(&model, &q, &g0q, 2.0, 60, &o, None).unwrap();
    for (a, b) in path.iter().zip(&qpath) {
        assert!((b.mass - 1.0).abs() < 1e-12, "mass {}", b.mass);
        assert!(b.min_density >= -1e-12, "min g {}", b.min_density);
        assert!(
            (a.wealth - b.wealth).abs() < 1e-10,
            "t = {}: wealth {} vs {}",
            a.time,
            a.wealth,
            b.wealth
        );
    }
    let gmax = g.iter().cloned().fold(0.0f64, f64::max);
    let diff = (0..n)
        .flat_map(|i| (0..2).map(move |j| (i, j)))
        .map(|(i, j)| {
            let mut idx: Vec<usize> = (0..8).rev().map(|b| (i >> b) & 1).collect();
            idx.push(j);
            (gq.eval(&idx).unwrap() - g[2 * i + j]).abs()
        })
        .fold(0.0f64, f64::max);
    assert!(
        diff < 1e-9 * gmax,
        "density differs by {diff:e} (max {gmax})"
    );
    // Errors: a finite-difference solution, a bad step, the wrong grid, a
    // negative initial density.
    assert!(qtt_transition(&model, &fd, &g0q, 2.0, 1, &o, None).is_err());
    assert!(qtt_transition(&model, &q, &g0q, 0.0, 1, &o, None).is_err());
    assert!(qtt_transition(&model, &q, &g0q, f64::NAN, 1, &o, None).is_err());
    let other = TensorTrain::basis_state(&[2, 2, 2], &[0, 0, 0]).unwrap();
    assert!(qtt_transition(&model, &q, &other, 2.0, 1, &o, None).is_err());
    assert!(qtt_transition(&model, &q, &g0q.scaled(-1.0), 2.0, 1, &o, None).is_err());
}

/// Seed 000's softplus smoothing of the upwind choice (finite-difference
/// backend): the bias it costs vanishes with the width `mu`, the
/// smoothed scheme keeps mass and sign, and its transitions reach its own
/// stationary density.
#[test]
fn smoothed_upwinding_bias_vanishes_with_the_width() {
    let model = huggett(8);
    let exact = model
        .solve_household(0.03, &SolveOptions::finite_difference(), None)
        .unwrap();
    assert_eq!(exact.smoothing, None);
    let vmax = (0..model.points())
        .flat_map(|i| (0..2).map(move |j| (i, j)))
        .fold(0.0f64, |m, (i, j)| m.max(exact.value.at(i, j).abs()));
    let mut bias = Vec::new();
    for mu in [1e-2, 1e-3, 1e-4] {
        let opts = SolveOptions {
            smoothing: Some(mu),
            ..SolveOptions::finite_difference()
        };
        let s = model.solve_household(0.03, &opts, None).unwrap();
        assert_eq!(s.smoothing, Some(mu));
        assert!((s.mass - 1.0).abs() < 1e-12 && s.min_density >= 0.0);
        assert!(s.kfe_residual < 1e-10, "{}", s.kfe_residual);
        let dv = (0..model.points())
            .flat_map(|i| (0..2).map(move |j| (i, j)))
            .fold(0.0f64, |m, (i, j)| {
                m.max((s.value.at(i, j) - exact.value.at(i, j)).abs())
            });
        println!(
            "mu {mu:e}: excess bias {:e}, V bias {:e}",
            s.excess - exact.excess,
            dv / vmax
        );
        bias.push(((s.excess - exact.excess).abs(), dv / vmax));
        if mu == 1e-4 {
            // The transition of a smoothed solution runs its own generator.
            let n = model.points() as usize;
            let g0 = vec![1.0 / (2.0 * n as f64 * model.spacing()); 2 * n];
            let (path, g) =
                qtt::econ::finite_difference::transition(&model, &s, &g0, 50.0, 40, None).unwrap();
            assert!(path
                .iter()
                .all(|p| (p.mass - 1.0).abs() < 1e-12 && p.min_density >= 0.0));
            let gmax = (0..model.points()).fold(0.0f64, |m, i| {
                m.max(s.density.at(i, 0)).max(s.density.at(i, 1))
            });
            let off = (0..model.points() as usize)
                .flat_map(|i| (0..2).map(move |j| (i, j)))
                .fold(0.0f64, |m, (i, j)| {
                    m.max((g[2 * i + j] - s.density.at(i as u64, j)).abs())
                });
            assert!(
                off < 1e-6 * gmax,
                "transition ends {off:e} from the smoothed density"
            );
        }
    }
    // Each tenfold narrowing cuts V's bias at least tenfold (measured:
    // 940x, then 200x: where every grid point's drift is far from 0 the
    // softplus error `mu ln(1 + e^(-|s|/mu))` is exponentially small), and
    // the excess supply's bias vanishes (2e-3, 5e-13, 0).
    for w in bias.windows(2) {
        assert!(w[0].1 > 10.0 * w[1].1, "{bias:?}");
        assert!(w[0].0 >= w[1].0, "{bias:?}");
    }
    assert!(bias[0].0 > 1e-4 && bias[2].0 < 1e-11, "{bias:?}");
    // Wrong widths, a width too wide for the resources and the QTT
    // backend are errors, not panics.
    let fd = |mu: f64| SolveOptions {
        smoothing: Some(mu),
        ..SolveOptions::finite_difference()
    };
    let qtt = SolveOptions {
        smoothing: Some(1e-4),
        ..SolveOptions::default()
    };
    for (opts, want) in [
        (fd(0.0), "smoothing width"),
        (fd(-1.0), "smoothing width"),
        (fd(f64::NAN), "smoothing width"),
        (fd(0.5), "no positive consumption"),
        (qtt, "upwinds exactly"),
    ] {
        let e = model
            .solve_household(0.03, &opts, None)
            .unwrap_err()
            .to_string();
        assert!(e.contains(want), "{e}");
    }
}

/// Seed 000's joint formulation (`econ::joint`; measured against Brent by
/// `cargo bench --bench econ -- --joint`): what it returns is consistent
/// (its residuals are the energy of its own fields; g >= 0 with mass 1 by
/// the square-root parametrisation), and grids it cannot afford are errors.
#[test]
fn the_joint_formulation_returns_the_energy_of_its_own_fields() {
    use qtt::econ::JointOptions;
    let model = huggett(6);
    let opts = JointOptions {
        particles: 20,
        iterations: 60,
        report_every: 20,
        warm_start: true,
        ..JointOptions::default()
    };
    let j = model.joint_equilibrium(&opts).unwrap();
    let e = model.joint_energy(&j.value, &j.density, j.price).unwrap();
    assert_eq!(e.hjb, j.hjb_residual);
    assert_eq!(e.kfe, j.kfe_residual);
    assert_eq!(e.excess, j.excess);
    let last = j.history.last().unwrap();
    assert_eq!(last.energy, j.energy);
    assert!((e.total(last.penalty) - j.energy).abs() <= 1e-12 * j.energy);
    let iterations: Vec<usize> = j.history.iter().map(|r| r.iteration).collect();
    assert_eq!(iterations, vec![0, 20, 40, 60]);
    assert_eq!(j.evaluations, 20 * 61);
    let mass: f64 = j.density.iter().sum::<f64>() * model.spacing();
    assert!((mass - 1.0).abs() < 1e-12, "mass {mass}");
    assert!(j.density.iter().all(|&g| g >= 0.0));
    assert!(j.price >= model.bracket.0 && j.price <= model.bracket.1);
    // Warm: V and g start as the household's solution at the bracket's
    // midpoint, so the HJB residual stays far below the cold start's O(1).
    assert!(j.hjb_residual < 0.5, "{}", j.hjb_residual);
    let big = huggett(13)
        .joint_equilibrium(&opts)
        .unwrap_err()
        .to_string();
    assert!(big.contains("at most 2^12"), "{big}");
    let none = JointOptions {
        particles: 0,
        ..JointOptions::default()
    };
    assert!(model.joint_equilibrium(&none).is_err());
    let bad = JointOptions {
        step: f64::NAN,
        ..JointOptions::default()
    };
    assert!(model.joint_equilibrium(&bad).is_err());
    // A swarm that would not fit in memory is refused before it is built.
    let huge = JointOptions {
        particles: usize::MAX / 2,
        ..JointOptions::default()
    };
    let err = model.joint_equilibrium(&huge).unwrap_err().to_string();
    assert!(err.contains("swarm"), "{err}");
}

/// `EquilibriumOptions::excess_tol` stops at the first price whose excess
/// is that small: fewer household solves, the price within `excess_tol /
/// |S'|` of the exact search's.
#[test]
fn an_excess_tolerance_stops_the_search_early() {
    let fd = SolveOptions::finite_difference();
    for (name, model) in [("huggett", huggett(12)), ("aiyagari", aiyagari(12))] {
        let exact = model
            .steady_state(&fd, &EquilibriumOptions::default())
            .unwrap();
        let loose = EquilibriumOptions {
            excess_tol: 1e-7,
            ..EquilibriumOptions::default()
        };
        let e = model.steady_state(&fd, &loose).unwrap();
        assert!(
            e.solution.excess.abs() <= 1e-7,
            "{name}: {}",
            e.solution.excess
        );
        assert!(
            e.evaluations.len() < exact.evaluations.len(),
            "{name}: {} solves, {} exact",
            e.evaluations.len(),
            exact.evaluations.len()
        );
        // |S'| > 1 near r* in both economies (S moves by more than 1e-3
        // over 1e-3 of r): the price is within 1e-7 of the exact root.
        let (a, b) = (
            model
                .solve_household(exact.price - 1e-3, &fd, None)
                .unwrap(),
            model
                .solve_household(exact.price + 1e-3, &fd, None)
                .unwrap(),
        );
        assert!((b.excess - a.excess).abs() > 2e-3, "{name}");
        assert!(
            (e.price - exact.price).abs() < 1e-7,
            "{name}: {} vs {}",
            e.price,
            exact.price
        );
    }
    for bad in [-1e-9, f64::NAN, f64::INFINITY] {
        let eq = EquilibriumOptions {
            excess_tol: bad,
            ..EquilibriumOptions::default()
        };
        let err = huggett(6).steady_state(&fd, &eq).unwrap_err().to_string();
        assert!(err.contains("excess_tol"), "{err}");
    }
}
