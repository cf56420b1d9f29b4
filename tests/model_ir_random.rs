//! Random well-formed Huggett economies built directly as `ModelIr` (1 to 3
//! income states, parameters in economically valid ranges): the generator
//! is reusable (`arb_model_ir`), and the properties here check that every
//! IR it draws is one the macro would accept.
//!
//! Solving them is the runtime's part: for each drawn IR,
//! `qtt::econ::Model::from_ir(ir)` must succeed, and the stationary
//! equilibrium it finds must have a distribution that is non-negative with
//! mass 1, an interest rate inside the bracket, and a clearing residual
//! within the solver's tolerance. The lead wires that property next to the
//! ones below once `qtt::econ` lands.

use proptest::prelude::*;
use qtt::ir::model::{
    piece_ranks, ClearingIr, Env, ExprIr, IncomeIr, ModelIr, ParamIr, PriceIr, UtilityIr, WealthIr,
};

fn b(e: ExprIr) -> Box<ExprIr> {
    Box::new(e)
}

/// A Huggett economy: `n` income states with values `z` and switching
/// rates `q[j][k]`, CRRA (or log) utility, a bond in zero net supply.
#[allow(clippy::too_many_arguments)]
pub fn huggett_ir(
    gamma: Option<f64>,
    rho: f64,
    z: Vec<f64>,
    q: Vec<Vec<f64>>,
    r_lo: f64,
    r_hi: f64,
    amin: f64,
    amax: f64,
    bits: u32,
) -> ModelIr {
    let n = z.len();
    let rates = (0..n)
        .map(|j| {
            (0..n)
                .map(|k| {
                    if j == k {
                        ExprIr::Num(-(0..n).filter(|&l| l != j).map(|l| q[j][l]).sum::<f64>())
                    } else {
                        ExprIr::Num(q[j][k])
                    }
                })
                .collect()
        })
        .collect();
    let mut params = vec![ParamIr::new("rho", rho), ParamIr::new("z", z)];
    let utility = match gamma {
        Some(g) => {
            params.push(ParamIr::new("gamma", g));
            UtilityIr::Crra {
                gamma: ExprIr::Param {
                    index: 2,
                    element: 0,
                },
            }
        }
        None => UtilityIr::Log,
    };
    ModelIr {
        params,
        prices: vec![PriceIr {
            name: "r".into(),
            lo: ExprIr::Num(r_lo),
            hi: ExprIr::Num(r_hi),
        }],
        derived: vec![],
        wealth: WealthIr {
            name: "a".into(),
            lo: ExprIr::Num(amin),
            hi: ExprIr::Num(amax),
            points: 1u64 << bits,
        },
        income: vec![IncomeIr::Markov {
            name: "e".into(),
            values: (0..n)
                .map(|element| ExprIr::Param { index: 1, element })
                .collect(),
            rates,
        }],
        control: "c".into(),
        utility,
        resources: ExprIr::Add(
            b(ExprIr::Income(0)),
            b(ExprIr::Mul(b(ExprIr::Price(0)), b(ExprIr::Wealth))),
        ),
        discount: ExprIr::Param {
            index: 0,
            element: 0,
        },
        clearing: vec![ClearingIr {
            integrand: ExprIr::Wealth,
            target: ExprIr::Num(0.0),
        }],
    }
}

/// Random well-formed Huggett economies: 1 to 3 income states with
/// increasing positive values, positive switching rates, risk aversion in
/// [1.1, 5] (or log utility), a discount rate above the bracket of `r`
/// (a stationary distribution exists), a borrowing limit strictly inside
/// the natural one, and 2^4 to 2^12 wealth points.
pub fn arb_model_ir() -> impl Strategy<Value = ModelIr> {
    (1usize..=3)
        .prop_flat_map(|n| {
            (
                prop::option::weighted(0.8, 1.1f64..5.0),
                0.02f64..0.1,
                prop::collection::vec(0.05f64..1.0, n),
                prop::collection::vec(prop::collection::vec(0.05f64..2.0, n), n),
                0.0f64..1.0,
                0.0f64..0.9,
                5.0f64..50.0,
                4u32..=12,
            )
        })
        .prop_map(|(gamma, rho, steps, q, bracket, tightness, amax, bits)| {
            // increasing income: cumulative positive steps
            let z: Vec<f64> = steps
                .iter()
                .scan(0.0, |acc, s| {
                    *acc += s;
                    Some(*acc)
                })
                .collect();
            // r in [r_lo, r_hi] with r_hi < rho
            let r_hi = rho * (0.2 + 0.7 * bracket);
            let r_lo = -0.02;
            // amin > -z_min / r_hi: resources positive at the limit
            let amin = -tightness * z[0] / r_hi;
            huggett_ir(gamma, rho, z, q, r_lo, r_hi, amin, amax, bits)
        })
}

fn num(e: &ExprIr, ir: &ModelIr) -> f64 {
    let env = Env {
        params: &ir.params,
        ..Env::default()
    };
    e.eval(&env).unwrap()
}

proptest! {
    #[test]
    fn drawn_economies_pass_the_macros_checks(ir in arb_model_ir()) {
        let IncomeIr::Markov { values, rates, .. } = &ir.income[0] else {
            panic!("a Markov income")
        };
        let n = values.len();
        prop_assert!((1..=3).contains(&n));
        prop_assert_eq!(rates.len(), n);
        for (j, row) in rates.iter().enumerate() {
            prop_assert_eq!(row.len(), n);
            let entries: Vec<f64> = row.iter().map(|x| num(x, &ir)).collect();
            let scale = entries.iter().fold(1.0f64, |m, v| m.max(v.abs()));
            prop_assert!(entries.iter().sum::<f64>().abs() <= 1e-9 * scale);
            for (k, v) in entries.iter().enumerate() {
                prop_assert!(k == j || *v >= 0.0);
            }
        }
        let (lo, hi) = (num(&ir.prices[0].lo, &ir), num(&ir.prices[0].hi, &ir));
        let rho = num(&ir.discount, &ir);
        prop_assert!(lo < hi && hi < rho && rho > 0.0);
        let (amin, amax) = (num(&ir.wealth.lo, &ir), num(&ir.wealth.hi, &ir));
        prop_assert!(amin < amax);
        prop_assert!(ir.wealth.points.is_power_of_two() && ir.wealth.points >= 16);
        if let UtilityIr::Crra { gamma } = &ir.utility {
            let g = num(gamma, &ir);
            prop_assert!(g > 0.0 && g != 1.0);
        }
        // consumption is possible at the borrowing limit in every state
        // and at both ends of the bracket
        for r in [lo, hi] {
            for j in 0..n {
                let z: Vec<f64> = (0..n).map(|k| num(&values[k], &ir)).collect();
                let env = Env {
                    params: &ir.params,
                    prices: Some(&[r]),
                    wealth: Some(amin),
                    income: Some(&z[j..=j]),
                    ..Env::default()
                };
                prop_assert!(ir.resources.eval(&env).unwrap() > 0.0);
            }
        }
        prop_assert_eq!(
            piece_ranks(&ir),
            vec![
                ("wealth_forward_difference", 2),
                ("wealth_backward_difference", 2),
                ("markov_switching", 1),
            ]
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Every drawn economy builds, and its household problem at the middle of
    /// the bracket solves with a generator whose rows sum to zero, a
    /// distribution of mass 1 and no negative density.
    #[test]
    fn drawn_economies_solve_with_mass_one(ir in arb_model_ir()) {
        let model = qtt::econ::Model::from_ir(ir).unwrap();
        let r = 0.5 * (model.bracket.0 + model.bracket.1);
        let sol = model
            .solve_household(r, &qtt::econ::SolveOptions::finite_difference(), None)
            .unwrap();
        prop_assert!((sol.mass - 1.0).abs() < 1e-10, "mass {}", sol.mass);
        prop_assert!(sol.min_density >= 0.0, "min g {}", sol.min_density);
        let n = model.points();
        let (mut f, mut b) = (Vec::new(), Vec::new());
        for i in 0..n {
            for j in 0..model.states() {
                let s = sol.savings.at(i, j);
                f.push(if s > 0.0 && i + 1 < n { s } else { 0.0 });
                b.push(if s < 0.0 && i > 0 { s } else { 0.0 });
            }
        }
        let a = qtt::econ::finite_difference::generator(&model, &f, &b).unwrap();
        let len = n as usize * model.states();
        let w = model.states();
        for row in 0..len {
            let sum: f64 = (row.saturating_sub(w)..(row + w + 1).min(len)).map(|c| a.get(row, c)).sum();
            prop_assert!(sum.abs() <= 1e-12 * a.get(row, row).abs().max(1.0));
        }
    }

    /// A corrupted economy is an error, never a panic.
    #[test]
    fn corrupted_economies_are_errors(ir in arb_model_ir(), which in 0usize..7, bad in prop::sample::select(vec![f64::NAN, f64::INFINITY, -1.0, 0.0, 1e300])) {
        let mut ir = ir;
        match which {
            0 => ir.discount = ExprIr::Num(if bad > 0.0 { -bad } else { bad }),
            1 => ir.wealth.points = 3 + (bad.abs().min(1e6) as u64) * 2,
            2 => ir.wealth.hi = ExprIr::Num(-1e9),
            3 => if let IncomeIr::Markov { rates, .. } = &mut ir.income[0] {
                rates[0][0] = ExprIr::Num(1.0 + bad.abs().min(10.0));
            },
            4 => ir.params[0].values[0] = if bad.is_finite() && bad > 0.0 { f64::NAN } else { bad },
            5 => ir.utility = UtilityIr::Crra { gamma: ExprIr::Num(if bad > 0.0 { -bad } else { bad }) },
            _ => ir.prices[0].hi = ExprIr::Num(num(&ir.discount, &ir) + 0.01),
        }
        // Corrupting an unused parameter (log utility has no gamma) may leave
        // the model valid; everything else must be an error.
        let res = qtt::econ::Model::from_ir(ir.clone());
        if which != 4 || matches!(ir.utility, UtilityIr::Crra { .. }) {
            prop_assert!(res.is_err(), "case {} accepted", which);
        }
    }
}
