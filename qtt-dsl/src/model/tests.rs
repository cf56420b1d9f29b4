//! Lowering tests: models written in the macro's language, parsed, checked
//! and lowered, compared with the IR written by hand.

use super::{lower_literal, piece_ranks, plan};
use crate::ir::model::*;
use quote::quote;

fn b(e: ExprIr) -> Box<ExprIr> {
    Box::new(e)
}
fn p(index: usize) -> ExprIr {
    ExprIr::Param { index, element: 0 }
}
fn pe(index: usize, element: usize) -> ExprIr {
    ExprIr::Param { index, element }
}
fn n(v: f64) -> ExprIr {
    ExprIr::Num(v)
}
fn param(name: &str, values: &[f64]) -> ParamIr {
    ParamIr::new(name, values)
}
fn two_state_rates(lambda: usize) -> Vec<Vec<ExprIr>> {
    vec![
        vec![ExprIr::Neg(b(pe(lambda, 0))), pe(lambda, 0)],
        vec![pe(lambda, 1), ExprIr::Neg(b(pe(lambda, 1)))],
    ]
}

#[test]
fn huggett_lowers_to_the_hand_written_ir() {
    let got = lower_literal(quote! {
        params { gamma = 2.0, rho = 0.05, z = [0.1, 0.2], lambda = [1.2, 1.2], amin = -0.15 }
        prices { r in (0.01, 0.04) }
        states {
            a: wealth on [amin, 5.0] with 2^20 points;
            e: markov values z rates [[-lambda[0], lambda[0]], [lambda[1], -lambda[1]]];
        }
        control c;
        utility c.powf(1.0 - gamma) / (1.0 - gamma);
        drift a = e + r * a - c;
        borrowing a >= amin;
        discount rho;
        clear sum(a * g) == 0.0;
    })
    .unwrap();
    let want = ModelIr {
        params: vec![
            param("gamma", &[2.0]),
            param("rho", &[0.05]),
            param("z", &[0.1, 0.2]),
            param("lambda", &[1.2, 1.2]),
            param("amin", &[-0.15]),
        ],
        prices: vec![PriceIr {
            name: "r".into(),
            lo: n(0.01),
            hi: n(0.04),
        }],
        derived: vec![],
        wealth: WealthIr {
            name: "a".into(),
            lo: p(4),
            hi: n(5.0),
            points: 1 << 20,
        },
        income: vec![IncomeIr::Markov {
            name: "e".into(),
            values: vec![pe(2, 0), pe(2, 1)],
            rates: two_state_rates(3),
        }],
        control: "c".into(),
        utility: UtilityIr::Crra { gamma: p(0) },
        resources: ExprIr::Add(
            b(ExprIr::Income(0)),
            b(ExprIr::Mul(b(ExprIr::Price(0)), b(ExprIr::Wealth))),
        ),
        discount: p(1),
        clearing: vec![ClearingIr {
            integrand: ExprIr::Wealth,
            target: n(0.0),
        }],
    };
    assert_eq!(got, want);
    assert_eq!(
        piece_ranks(&got),
        vec![
            ("wealth_forward_difference", 2),
            ("wealth_backward_difference", 2),
            ("markov_switching", 1),
        ]
    );
}

#[test]
fn aiyagari_lowers_with_its_firm_block() {
    let got = lower_literal(quote! {
        params {
            gamma = 2.0, rho = 0.05, delta = 0.05, alpha = 1.0 / 3.0, tfp = 0.1,
            z = [1.0, 2.0], lambda = [1.0 / 3.0, 1.0 / 3.0],
        }
        prices { r in (-0.04, 0.049) }
        firm {
            K = (alpha * tfp / (r + delta)).powf(1.0 / (1.0 - alpha));
            w = (1.0 - alpha) * tfp * K.powf(alpha);
        }
        states {
            a: wealth on [0.0, 20.0] with 4096 points;
            e: markov values z rates [[-lambda[0], lambda[0]], [lambda[1], -lambda[1]]];
        }
        control c;
        // differs from the canonical CRRA form by a constant: still CRRA
        utility (c.powf(1.0 - gamma) - 1.0) / (1.0 - gamma);
        drift a = w * e + r * a - c;
        borrowing a >= 0.0;
        discount rho;
        clear sum(a * g) == K;
    })
    .unwrap();
    let (alpha, tfp, delta) = (p(3), p(4), p(2));
    let k = ExprIr::Powf(
        b(ExprIr::Div(
            b(ExprIr::Mul(b(alpha.clone()), b(tfp.clone()))),
            b(ExprIr::Add(b(ExprIr::Price(0)), b(delta))),
        )),
        b(ExprIr::Div(
            b(n(1.0)),
            b(ExprIr::Sub(b(n(1.0)), b(alpha.clone()))),
        )),
    );
    let w = ExprIr::Mul(
        b(ExprIr::Mul(
            b(ExprIr::Sub(b(n(1.0)), b(alpha.clone()))),
            b(tfp),
        )),
        b(ExprIr::Powf(b(ExprIr::Derived(0)), b(alpha))),
    );
    let want = ModelIr {
        params: vec![
            param("gamma", &[2.0]),
            param("rho", &[0.05]),
            param("delta", &[0.05]),
            param("alpha", &[1.0 / 3.0]),
            param("tfp", &[0.1]),
            param("z", &[1.0, 2.0]),
            param("lambda", &[1.0 / 3.0, 1.0 / 3.0]),
        ],
        prices: vec![PriceIr {
            name: "r".into(),
            lo: n(-0.04),
            hi: n(0.049),
        }],
        derived: vec![
            DerivedIr {
                name: "K".into(),
                value: k,
            },
            DerivedIr {
                name: "w".into(),
                value: w,
            },
        ],
        wealth: WealthIr {
            name: "a".into(),
            lo: n(0.0),
            hi: n(20.0),
            points: 4096,
        },
        income: vec![IncomeIr::Markov {
            name: "e".into(),
            values: vec![pe(5, 0), pe(5, 1)],
            rates: two_state_rates(6),
        }],
        control: "c".into(),
        utility: UtilityIr::Crra { gamma: p(0) },
        resources: ExprIr::Add(
            b(ExprIr::Mul(b(ExprIr::Derived(1)), b(ExprIr::Income(0)))),
            b(ExprIr::Mul(b(ExprIr::Price(0)), b(ExprIr::Wealth))),
        ),
        discount: p(1),
        clearing: vec![ClearingIr {
            integrand: ExprIr::Wealth,
            target: ExprIr::Derived(0),
        }],
    };
    assert_eq!(got, want);
    // the firm block evaluates in order with the IR's own evaluator
    let env = Env {
        params: &got.params,
        prices: Some(&[0.03]),
        ..Env::default()
    };
    let k = got.derived[0].value.eval(&env).unwrap();
    let kw = [k];
    let env = Env {
        derived: &kw,
        ..env
    };
    let w = got.derived[1].value.eval(&env).unwrap();
    let want_k = (0.1f64 / 3.0 / 0.08).powf(1.5);
    assert!((k - want_k).abs() < 1e-12);
    assert!((w - 2.0 / 3.0 * 0.1 * want_k.powf(1.0 / 3.0)).abs() < 1e-12);
}

#[test]
fn a_diffusion_income_lowers_and_cara_is_inverted() {
    let got = lower_literal(quote! {
        params { rho = 0.05, theta = 0.3, zbar = 1.0, sigma2 = 0.01 }
        prices { r in (0.01, 0.04) }
        states {
            a: wealth on [-0.5, 10.0] with 2^10 points;
            y: diffusion drift theta * (zbar - y) variance sigma2 on [0.5, 1.5] with 256 points;
        }
        control c;
        utility -(-c).exp();
        drift a = y + r * a - c;
        discount rho;
        clear sum(a * g) == 0.0;
    })
    .unwrap();
    let want = ModelIr {
        params: vec![
            param("rho", &[0.05]),
            param("theta", &[0.3]),
            param("zbar", &[1.0]),
            param("sigma2", &[0.01]),
        ],
        prices: vec![PriceIr {
            name: "r".into(),
            lo: n(0.01),
            hi: n(0.04),
        }],
        derived: vec![],
        wealth: WealthIr {
            name: "a".into(),
            lo: n(-0.5),
            hi: n(10.0),
            points: 1024,
        },
        income: vec![IncomeIr::Diffusion {
            name: "y".into(),
            drift: ExprIr::Mul(b(p(1)), b(ExprIr::Sub(b(p(2)), b(ExprIr::Income(0))))),
            variance: p(3),
            lo: n(0.5),
            hi: n(1.5),
            points: 256,
        }],
        control: "c".into(),
        utility: UtilityIr::General {
            utility: ExprIr::Neg(b(ExprIr::Exp(b(ExprIr::Neg(b(ExprIr::Control)))))),
            marginal: ExprIr::Exp(b(ExprIr::Neg(b(ExprIr::Control)))),
            consumption: ExprIr::Neg(b(ExprIr::Ln(b(ExprIr::MarginalValue)))),
        },
        resources: ExprIr::Add(
            b(ExprIr::Income(0)),
            b(ExprIr::Mul(b(ExprIr::Price(0)), b(ExprIr::Wealth))),
        ),
        discount: p(0),
        clearing: vec![ClearingIr {
            integrand: ExprIr::Wealth,
            target: n(0.0),
        }],
    };
    assert_eq!(got, want);
    assert_eq!(
        piece_ranks(&got),
        vec![
            ("wealth_forward_difference", 2),
            ("wealth_backward_difference", 2),
            ("diffusion_forward_difference", 2),
            ("diffusion_backward_difference", 2),
            ("diffusion_second_difference", 5),
        ]
    );
}

#[test]
fn an_explicit_foc_is_used_as_written() {
    let got = lower_literal(quote! {
        params { gamma = 2.0, rho = 0.05, z = [0.1, 0.2], lambda = [1.2, 1.2] }
        prices { r in (0.01, 0.04) }
        states {
            a: wealth on [-0.15, 5.0] with 2^10 points;
            e: markov values z rates [[-lambda[0], lambda[0]], [lambda[1], -lambda[1]]];
        }
        control c;
        utility c.powf(1.0 - gamma) / (1.0 - gamma);
        foc c = dV.powf(-1.0 / gamma);
        drift a = e + r * a - c;
        discount rho;
        clear sum(a * g) == 0.0;
    })
    .unwrap();
    let UtilityIr::General {
        marginal,
        consumption,
        ..
    } = &got.utility
    else {
        panic!("a given foc makes the utility general: {:?}", got.utility)
    };
    assert_eq!(
        *marginal,
        ExprIr::Powf(b(ExprIr::Control), b(ExprIr::Neg(b(p(0)))))
    );
    assert_eq!(
        *consumption,
        ExprIr::Powf(
            b(ExprIr::MarginalValue),
            b(ExprIr::Div(b(n(-1.0)), b(p(0))))
        )
    );
}

#[test]
fn run_time_values_leave_holes_that_the_expansion_fills() {
    let pl = plan(quote! {
        params { gamma = calib.gamma, rho = 0.05, z = calib.z, lambda = [1.2, 1.2] }
        prices { r in (0.01, 0.04) }
        states {
            a: wealth on [-0.15, 5.0] with n points;
            e: markov values z rates [[-lambda[0], lambda[0]], [lambda[1], -lambda[1]]];
        }
        control c;
        utility c.powf(1.0 - gamma) / (1.0 - gamma);
        drift a = e + r * a - c;
        discount rho;
        clear sum(a * g) == 0.0;
    })
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(pl.ir.utility, UtilityIr::Crra { gamma: p(0) });
    assert!(pl.params[0].literal.is_none() && pl.params[0].scalar);
    assert!(pl.params[2].literal.is_none() && !pl.params[2].scalar);
    assert_eq!(pl.markov_values, vec![Some(2)]);
    assert!(pl.literal_ir().unwrap_err().contains("gamma"));
    // the expansion names only ::qtt paths and evaluates the user's
    // expressions in order
    let tokens = super::emit::model(&pl).to_string();
    assert!(tokens.contains(":: qtt :: econ :: Model :: from_ir"));
    let g = tokens.find("calib . gamma").unwrap();
    let z = tokens.find("calib . z").unwrap();
    let pts = tokens.find("grid_points").unwrap();
    assert!(g < z && z < pts);
}

#[test]
fn errors_are_collected_in_one_pass() {
    let err = lower_literal(quote! {
        params { gamma = 2.0, rho = 0.05 }
        prices { r in (0.04, 0.01) }
        states { a: wealth on [0.0, 5.0] with 1000 points; }
        control c;
        utility c.powf(1.0 - gama) / (1.0 - gamma);
        drift a = 1.0 + r * a - c;
        discount rho;
        clear sum(a * g) == 0.0;
    })
    .unwrap_err();
    for needle in [
        "bracket of the price `r` is empty: it runs from 0.04 to 0.01",
        "did you mean `gamma`?",
        "1024 = 2^10 is the nearest",
    ] {
        assert!(err.contains(needle), "{needle} not in\n{err}");
    }
}

#[test]
fn edit_distance_and_suggestions() {
    use super::ast::{edit_distance, suggest};
    assert_eq!(edit_distance("gama", "gamma"), 1);
    assert_eq!(edit_distance("", "abc"), 3);
    assert_eq!(edit_distance("kitten", "sitting"), 3);
    assert_eq!(suggest("gama", ["gamma", "rho"]), Some("gamma"));
    assert_eq!(suggest("xyz", ["gamma", "rho"]), None);
    assert_eq!(suggest("k", ["K"]), Some("K"));
    assert_eq!(suggest("x", ["a", "c"]), None);
    assert_eq!(suggest("Rho", ["rho"]), Some("rho"));
}

/// A small deterministic generator (xorshift) for the round-trip test.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.next()
    }
}

#[test]
fn random_economies_round_trip_through_the_language() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for _ in 0..200 {
        let states = 1 + (rng.next() * 3.0) as usize;
        let mut z = Vec::new();
        let mut acc = 0.0;
        for _ in 0..states {
            acc += rng.range(0.05, 1.0);
            z.push(acc);
        }
        let q: Vec<Vec<f64>> = (0..states)
            .map(|j| {
                let mut row: Vec<f64> = (0..states).map(|_| rng.range(0.05, 2.0)).collect();
                row[j] = -(0..states).filter(|&k| k != j).map(|k| row[k]).sum::<f64>();
                row
            })
            .collect();
        let (gamma, rho) = (rng.range(1.1, 5.0), rng.range(0.02, 0.1));
        let r_hi = rho * rng.range(0.2, 0.9);
        let amin = -rng.range(0.0, 0.9) * z[0] / r_hi;
        let amax = rng.range(5.0, 50.0);
        let bits = 4 + (rng.next() * 9.0) as u32;

        let list = |v: &[f64]| {
            let items: Vec<String> = v.iter().map(|x| format!("{x:?}")).collect();
            format!("[{}]", items.join(", "))
        };
        let rows: Vec<String> = q.iter().map(|r| list(r)).collect();
        let src = format!(
            "params {{ rho = {rho:?}, z = {}, gamma = {gamma:?} }}
             prices {{ r in (-0.02, {r_hi:?}) }}
             states {{
                 a: wealth on [{amin:?}, {amax:?}] with 2^{bits} points;
                 e: markov values z rates [{}];
             }}
             control c;
             utility c.powf(1.0 - gamma) / (1.0 - gamma);
             drift a = e + r * a - c;
             borrowing a >= {amin:?};
             discount rho;
             clear sum(a * g) == 0.0;",
            list(&z),
            rows.join(", ")
        );
        let got = lower_literal(src.parse().unwrap()).unwrap_or_else(|e| panic!("{e}\n{src}"));
        let want = ModelIr {
            params: vec![
                param("rho", &[rho]),
                param("z", &z),
                param("gamma", &[gamma]),
            ],
            prices: vec![PriceIr {
                name: "r".into(),
                lo: n(-0.02),
                hi: n(r_hi),
            }],
            derived: vec![],
            wealth: WealthIr {
                name: "a".into(),
                lo: n(amin),
                hi: n(amax),
                points: 1 << bits,
            },
            income: vec![IncomeIr::Markov {
                name: "e".into(),
                values: (0..z.len()).map(|k| pe(1, k)).collect(),
                rates: q
                    .iter()
                    .map(|r| r.iter().map(|x| n(*x)).collect())
                    .collect(),
            }],
            control: "c".into(),
            utility: UtilityIr::Crra { gamma: p(2) },
            resources: ExprIr::Add(
                b(ExprIr::Income(0)),
                b(ExprIr::Mul(b(ExprIr::Price(0)), b(ExprIr::Wealth))),
            ),
            discount: p(0),
            clearing: vec![ClearingIr {
                integrand: ExprIr::Wealth,
                target: n(0.0),
            }],
        };
        assert_eq!(got, want, "{src}");
    }
}

#[test]
fn a_diffusion_drift_may_be_written_as_a_statement() {
    let inline = lower_literal(quote! {
        params { rho = 0.05 }
        states {
            a: wealth on [0.0, 10.0] with 2^10 points;
            y: diffusion drift 0.3 * (1.0 - y) variance 0.01 * y on [0.5, 1.5] with 2^8 points;
        }
        control c;
        utility c.ln();
        drift a = y - c;
        discount rho;
    })
    .unwrap();
    let statement = lower_literal(quote! {
        params { rho = 0.05 }
        states {
            a: wealth on [0.0, 10.0] with 2^10 points;
            y: diffusion variance 0.01 * y on [0.5, 1.5] with 2^8 points;
        }
        control c;
        utility c.ln();
        drift a = y - c;
        drift y = 0.3 * (1.0 - y);
        discount rho;
    })
    .unwrap();
    assert_eq!(inline, statement);
    assert_eq!(inline.resources, ExprIr::Income(0));
    let twice = lower_literal(quote! {
        params { rho = 0.05 }
        states {
            a: wealth on [0.0, 10.0] with 2^10 points;
            y: diffusion drift 0.3 * (1.0 - y) variance 0.01 on [0.5, 1.5] with 2^8 points;
        }
        control c;
        utility c.ln();
        drift a = y - c;
        drift y = 0.3 * (1.0 - y);
        discount rho;
    })
    .unwrap_err();
    assert!(twice.contains("the drift of `y` is given twice"), "{twice}");
}
