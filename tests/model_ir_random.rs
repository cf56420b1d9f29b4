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
