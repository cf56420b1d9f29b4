//! `model!` with income as a diffusion: the 1-D backends solve the `(a, z)`
//! economy as a `J = 2^Lz`-state Markov model (the reflected birth–death
//! chain of the income grid), and must equal the independent 2-D sparse
//! oracle `qtt::econ::income_diffusion` on the same `2^6 x 2^5` grid, the
//! finite-difference backend to rounding, the QTT backend to its
//! truncation; and every impossible diffusion is an error.

#[path = "../examples/common/diffusion_models.rs"]
mod diffusion_models;

use diffusion_models::{aiyagari_ou, huggett_ou};
use qtt::econ::income_diffusion::{DiffusionEquilibrium, DiffusionSolution, IncomeDiffusion};
use qtt::econ::sparse_generator::FdOptions;
use qtt::econ::{
    Equilibrium, EquilibriumOptions, HouseholdSolution, Model, SolveOptions, MAX_QTT_STATES,
};
use qtt::ir::model::{ExprIr, IncomeIr, ModelIr};

const LA: u32 = 6;
const LZ: u32 = 5;

/// `max |x - y| / max |y|` over the grid.
fn rel(pairs: impl Iterator<Item = (f64, f64)>) -> f64 {
    let (mut d, mut s) = (0.0f64, 0.0f64);
    for (x, y) in pairs {
        d = d.max((x - y).abs());
        s = s.max(y.abs());
    }
    d / s
}

/// `V` and `g` of a 1-D solution against the oracle's, each as
/// `max |difference| / max |oracle|`. The oracle orders wealth fastest
/// (`i + 2^La k`) and normalises `sum g da dz = 1`; the 1-D density is per
/// income state (`sum g da = 1` over all states), so it is `dz` times the
/// oracle's.
fn differences(one_d: &HouseholdSolution, oracle: &DiffusionSolution) -> (f64, f64) {
    let grid = &oracle.grid;
    let (na, nz, dz) = (grid.na(), grid.nz(), grid.dz());
    let points = || (0..na).flat_map(move |i| (0..nz).map(move |k| (i, k)));
    let v = rel(points().map(|(i, k)| (one_d.value.at(i as u64, k), oracle.value[i + na * k])));
    let g = rel(points().map(|(i, k)| {
        (
            one_d.density.at(i as u64, k),
            oracle.density[i + na * k] * dz,
        )
    }));
    (v, g)
}

fn oracles() -> [(&'static str, Model, IncomeDiffusion, f64); 2] {
    [
        (
            "huggett",
            huggett_ou(LA, LZ).unwrap(),
            IncomeDiffusion::huggett(),
            0.03,
        ),
        (
            "aiyagari",
            aiyagari_ou(LA, LZ).unwrap(),
            IncomeDiffusion::aiyagari(),
            0.045,
        ),
    ]
}

/// `K*` of Aiyagari's equilibrium (the firm's capital), the households'
/// bonds (~0) of Huggett's: what the oracle reports as `capital`.
fn capital_of(name: &str, e: &Equilibrium) -> f64 {
    if name == "aiyagari" {
        e.solution.target
    } else {
        e.solution.aggregate
    }
}

fn eq_opts() -> EquilibriumOptions {
    EquilibriumOptions {
        price_tol: 1e-12,
        ..EquilibriumOptions::default()
    }
}

#[test]
fn the_model_is_the_chain_of_the_oracles_grid() {
    for (name, model, econ, _) in oracles() {
        let grid = econ.grid(LA, LZ).unwrap();
        assert_eq!(model.states(), grid.nz(), "{name}");
        assert_eq!(model.points(), grid.na() as u64, "{name}");
        let (up, down) = econ.income.rates(LZ);
        for k in 0..grid.nz() {
            assert_eq!(model.income[k], grid.z(k), "{name}: z_{k}");
            for l in 0..grid.nz() {
                let expected = match l {
                    _ if l == k + 1 => up[k],
                    _ if l + 1 == k => down[k],
                    _ if l == k => -up[k] - down[k],
                    _ => 0.0,
                };
                assert_eq!(model.rates[k][l], expected, "{name}: rate [{k}][{l}]");
            }
        }
    }
}

#[test]
fn finite_differences_equal_the_2d_oracle_at_a_fixed_price() {
    let fd = SolveOptions::finite_difference();
    for (name, model, econ, r) in oracles() {
        let grid = econ.grid(LA, LZ).unwrap();
        let oracle = econ
            .solve_household(&grid, r, &FdOptions::default(), None)
            .unwrap();
        let s = model.solve_household(r, &fd, None).unwrap();
        // Equal prices: the wage (1 for bonds) and what the market needs.
        let w = s.prices.derived.get(1).copied().unwrap_or(1.0);
        assert!(
            (w - oracle.w).abs() <= 1e-15 * oracle.w,
            "{name}: w {w} vs {}",
            oracle.w
        );
        assert!(
            (s.target - oracle.demand).abs() <= 1e-14 * oracle.demand.abs().max(1.0),
            "{name}: demand {} vs {}",
            s.target,
            oracle.demand
        );
        let (dv, dg) = differences(&s, &oracle);
        println!("{name} at r = {r}, finite differences: V {dv:.1e}, g {dg:.1e}");
        assert!(dv < 1e-10, "{name}: V differs by {dv:e}");
        assert!(dg < 1e-10, "{name}: g differs by {dg:e}");
        assert!(
            (s.aggregate - oracle.wealth).abs() < 1e-10,
            "{name}: assets {} vs {}",
            s.aggregate,
            oracle.wealth
        );
    }
}

/// r* to `tol` and K* to `tol` relative (absolute below 1) of the oracle's.
fn assert_prices_match(name: &str, e: &Equilibrium, oracle: &DiffusionEquilibrium, tol: f64) {
    assert!(
        (e.price - oracle.r).abs() < tol,
        "{name}: r* {} vs {}",
        e.price,
        oracle.r
    );
    let capital = capital_of(name, e);
    assert!(
        (capital - oracle.capital).abs() < tol * oracle.capital.abs().max(1.0),
        "{name}: K* {capital} vs {}",
        oracle.capital
    );
}

#[test]
fn finite_difference_equilibria_equal_the_2d_oracle() {
    let fd = SolveOptions::finite_difference();
    for (name, model, econ, _) in oracles() {
        let grid = econ.grid(LA, LZ).unwrap();
        let oracle = econ
            .steady_state(&grid, &FdOptions::default(), &eq_opts())
            .unwrap();
        let e = model.steady_state(&fd, &eq_opts()).unwrap();
        println!(
            "{name}, finite differences: r* {:.1e}, K* {:.1e} from the oracle's",
            e.price - oracle.r,
            capital_of(name, &e) - oracle.capital
        );
        assert_prices_match(name, &e, &oracle, 1e-9);
    }
}

#[test]
fn qtt_equals_the_2d_oracle() {
    let qtt = SolveOptions::default();
    for (name, model, econ, r) in oracles() {
        let grid = econ.grid(LA, LZ).unwrap();
        let oracle = econ
            .solve_household(&grid, r, &FdOptions::default(), None)
            .unwrap();
        let s = model.solve_household(r, &qtt, None).unwrap();
        let (dv, dg) = differences(&s, &oracle);
        println!(
            "{name} at r = {r}, QTT: V {dv:.1e}, g {dg:.1e}, mass - 1 {:.1e}, min g {:.1e}",
            s.mass - 1.0,
            s.min_density
        );
        assert!(dv < 1e-7, "{name}: V differs by {dv:e}");
        assert!(dg < 1e-7, "{name}: g differs by {dg:e}");
        assert!((s.mass - 1.0).abs() < 1e-12, "{name}: mass {}", s.mass);
        // g >= 0 up to the compressed train's rounding: the reduction's
        // masses are non-negative, the density train is truncated at 1e-13
        // (Huggett: -1.8e-18 = -1.2e-17 max g where the oracle's g is 1e-18).
        let gmax = oracle.density.iter().fold(0.0f64, |m, g| m.max(*g)) * oracle.grid.dz();
        assert!(
            s.min_density >= -1e-15 * gmax,
            "{name}: g < 0 ({:e} of max {gmax:e})",
            s.min_density
        );
        let e = model.steady_state(&qtt, &eq_opts()).unwrap();
        let eo = econ
            .steady_state(&grid, &FdOptions::default(), &eq_opts())
            .unwrap();
        println!(
            "{name}, QTT: r* {:.1e}, K* {:.1e} from the oracle's ({:.1} s)",
            e.price - eo.r,
            capital_of(name, &e) - eo.capital,
            e.seconds
        );
        assert_prices_match(name, &e, &eo, 1e-8);
    }
}

/// The Huggett model's IR with its diffusion changed by `f`.
fn with_diffusion(f: impl FnOnce(&mut IncomeIr)) -> ModelIr {
    let mut ir = huggett_ou(LA, LZ).unwrap().ir().clone();
    f(&mut ir.income[0]);
    ir
}

fn error(ir: ModelIr) -> String {
    Model::from_ir(ir).unwrap_err().to_string()
}

#[test]
fn impossible_diffusions_are_errors() {
    let points = |n: u64| {
        with_diffusion(|inc| {
            if let IncomeIr::Diffusion { points, .. } = inc {
                *points = n;
            }
        })
    };
    for n in [0, 1, 3, 24, 1 << 11, 1 << 40, u64::MAX] {
        let e = error(points(n));
        assert!(
            e.contains(&format!("has {n} points")) && e.contains("power of two from 2 to 1024"),
            "{n}: {e}"
        );
    }
    assert!(Model::from_ir(points(2)).is_ok());
    let bounds = |l: f64, h: f64| {
        with_diffusion(|inc| {
            if let IncomeIr::Diffusion { lo, hi, .. } = inc {
                *lo = ExprIr::Num(l);
                *hi = ExprIr::Num(h);
            }
        })
    };
    let e = error(bounds(1.5, 0.5));
    assert!(
        e.contains("on [1.5, 0.5]") && e.contains("lower end must lie below"),
        "{e}"
    );
    let e = error(bounds(1.0, 1.0));
    assert!(e.contains("lower end must lie below"), "{e}");
    let e = error(bounds(f64::NAN, 1.0));
    assert!(e.contains("the lower end of `y` is NaN"), "{e}");
    let e = error(bounds(0.5, f64::INFINITY));
    assert!(e.contains("the upper end of `y` is inf"), "{e}");
    let e = error(bounds(-1e308, 1e308));
    assert!(e.contains("grid spacing inf"), "{e}");
    let drift = |d: ExprIr| {
        with_diffusion(|inc| {
            if let IncomeIr::Diffusion { drift, .. } = inc {
                *drift = d;
            }
        })
    };
    // ln(y - 0.75) is NaN below 0.75.
    let e = error(drift(ExprIr::Ln(Box::new(ExprIr::Sub(
        Box::new(ExprIr::Income(0)),
        Box::new(ExprIr::Num(0.75)),
    )))));
    assert!(e.contains("the drift of `y` at y = 0.5 is NaN"), "{e}");
    let e = error(drift(ExprIr::Wealth));
    assert!(
        e.contains("the drift of `y` at y = 0.5 must be a number known before solving")
            && e.contains("wealth is not known here"),
        "{e}"
    );
    let variance = |v: ExprIr| {
        with_diffusion(|inc| {
            if let IncomeIr::Diffusion { variance, .. } = inc {
                *variance = v;
            }
        })
    };
    // y - 1 is negative below 1.
    let e = error(variance(ExprIr::Sub(
        Box::new(ExprIr::Income(0)),
        Box::new(ExprIr::Num(1.0)),
    )));
    assert!(
        e.contains("the variance of `y` at y = 0.5 is -0.5") && e.contains("cannot be negative"),
        "{e}"
    );
    let e = error(variance(ExprIr::Num(f64::INFINITY)));
    assert!(e.contains("the variance of `y` at y = 0.5 is inf"), "{e}");
    // A zero variance is allowed (a deterministic income drifting to zbar).
    assert!(Model::from_ir(variance(ExprIr::Num(0.0))).is_ok());
    // Two income processes.
    let mut ir = huggett_ou(LA, LZ).unwrap().ir().clone();
    ir.income.push(ir.income[0].clone());
    let e = error(ir);
    assert!(e.contains("has 2 income processes"), "{e}");
}

#[test]
fn qtt_refuses_more_income_states_than_its_limit() {
    let too_many = (MAX_QTT_STATES * 2).trailing_zeros();
    let model = huggett_ou(4, too_many).unwrap();
    let e = model
        .solve_household(0.03, &SolveOptions::default(), None)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains(&format!("{} income states", MAX_QTT_STATES * 2))
            && e.contains(&format!("at most {MAX_QTT_STATES}"))
            && e.contains("Backend::FiniteDifference"),
        "{e}"
    );
    // The finite-difference backend solves it.
    let s = model
        .solve_household(0.03, &SolveOptions::finite_difference(), None)
        .unwrap();
    assert!((s.mass - 1.0).abs() < 1e-12);
}
