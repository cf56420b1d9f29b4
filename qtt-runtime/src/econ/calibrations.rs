//! Huggett's bond economy and Aiyagari's capital economy as plain Rust: a
//! calibration struct (defaults: the HACT codes' public test cases) that
//! builds the model's IR, the same IR `model!` produces.

use super::Model;
use crate::error::Result;
use qtt_dsl::ir::model::{
    ClearingIr, DerivedIr, ExprIr, IncomeIr, ModelIr, ParamIr, PriceIr, UtilityIr, WealthIr,
};

fn num(v: f64) -> ExprIr {
    ExprIr::Num(v)
}
fn bx(e: ExprIr) -> Box<ExprIr> {
    Box::new(e)
}
fn param(index: usize) -> ExprIr {
    ExprIr::Param { index, element: 0 }
}

/// A two-or-more-state Markov income process as IR: values and intensities
/// (`lambda[j]` is the rate of leaving state `j`, spread evenly over the
/// other states).
fn markov(name: &str, z: &[f64], lambda: &[f64]) -> IncomeIr {
    let j = z.len();
    let rates = (0..j)
        .map(|a| {
            (0..j)
                .map(|b| {
                    let l = lambda.get(a).copied().unwrap_or(f64::NAN);
                    num(if a == b {
                        -l
                    } else {
                        l / (j as f64 - 1.0).max(1.0)
                    })
                })
                .collect()
        })
        .collect();
    IncomeIr::Markov {
        name: name.into(),
        values: z.iter().map(|&v| num(v)).collect(),
        rates,
    }
}

/// Huggett (1993) in continuous time: bonds in zero net supply, income
/// `z_j`, the interest rate clears `sum a g da = 0`.
#[derive(Debug, Clone, PartialEq)]
pub struct HuggettParams {
    /// Relative risk aversion.
    pub gamma: f64,
    /// Discount rate.
    pub rho: f64,
    /// Income in each state.
    pub z: Vec<f64>,
    /// Rate of leaving each state.
    pub lambda: Vec<f64>,
    /// Borrowing limit.
    pub amin: f64,
    /// Top of the wealth grid.
    pub amax: f64,
    /// Bracket of the interest rate.
    pub r_bracket: (f64, f64),
}

impl Default for HuggettParams {
    /// The HACT codes' test case: gamma 2, rho 0.05, z = (0.1, 0.2),
    /// lambda = (1.2, 1.2), a in [-0.15, 5].
    fn default() -> Self {
        Self {
            gamma: 2.0,
            rho: 0.05,
            z: vec![0.1, 0.2],
            lambda: vec![1.2, 1.2],
            amin: -0.15,
            amax: 5.0,
            r_bracket: (0.0, 0.049),
        }
    }
}

impl HuggettParams {
    /// The model's IR on `points` wealth points.
    pub fn ir(&self, points: u64) -> ModelIr {
        ModelIr {
            params: vec![
                ParamIr {
                    name: "gamma".into(),
                    values: vec![self.gamma],
                },
                ParamIr {
                    name: "rho".into(),
                    values: vec![self.rho],
                },
            ],
            prices: vec![PriceIr {
                name: "r".into(),
                lo: num(self.r_bracket.0),
                hi: num(self.r_bracket.1),
            }],
            derived: vec![],
            wealth: WealthIr {
                name: "a".into(),
                lo: num(self.amin),
                hi: num(self.amax),
                points,
            },
            income: vec![markov("z", &self.z, &self.lambda)],
            control: "c".into(),
            utility: UtilityIr::Crra { gamma: param(0) },
            // z + r a
            resources: ExprIr::Add(
                bx(ExprIr::Income(0)),
                bx(ExprIr::Mul(bx(ExprIr::Price(0)), bx(ExprIr::Wealth))),
            ),
            discount: param(1),
            clearing: vec![ClearingIr {
                integrand: ExprIr::Wealth,
                target: num(0.0),
            }],
        }
    }

    /// The checked model on `points` wealth points.
    pub fn model(&self, points: u64) -> Result<Model> {
        Model::from_ir(self.ir(points))
    }
}

/// Aiyagari (1994) in continuous time: households own the capital of a
/// Cobb–Douglas firm, `r = alpha A K^(alpha-1) - delta`,
/// `w = (1-alpha) A K^alpha`; the interest rate clears `sum a g da = K(r)`.
#[derive(Debug, Clone, PartialEq)]
pub struct AiyagariParams {
    /// Relative risk aversion.
    pub gamma: f64,
    /// Discount rate.
    pub rho: f64,
    /// Depreciation.
    pub delta: f64,
    /// Capital share.
    pub alpha: f64,
    /// Total factor productivity.
    pub tfp: f64,
    /// Labour productivity in each state.
    pub z: Vec<f64>,
    /// Rate of leaving each state.
    pub lambda: Vec<f64>,
    /// Borrowing limit.
    pub amin: f64,
    /// Top of the wealth grid.
    pub amax: f64,
    /// Bracket of the interest rate.
    pub r_bracket: (f64, f64),
}

impl Default for AiyagariParams {
    /// The HACT codes' test case: gamma 2, rho 0.05, delta 0.05,
    /// alpha 1/3, A 0.1, z = (1, 2), lambda = (1/3, 1/3), a in [0, 20].
    fn default() -> Self {
        Self {
            gamma: 2.0,
            rho: 0.05,
            delta: 0.05,
            alpha: 1.0 / 3.0,
            tfp: 0.1,
            z: vec![1.0, 2.0],
            lambda: vec![1.0 / 3.0, 1.0 / 3.0],
            amin: 0.0,
            amax: 20.0,
            r_bracket: (-0.04, 0.049),
        }
    }
}

impl AiyagariParams {
    /// The model's IR on `points` wealth points.
    pub fn ir(&self, points: u64) -> ModelIr {
        use ExprIr::*;
        let (alpha, tfp, delta) = (param(2), param(3), param(4));
        // K = (alpha A / (r + delta))^(1 / (1 - alpha))
        let k = Powf(
            bx(Div(
                bx(Mul(bx(alpha.clone()), bx(tfp.clone()))),
                bx(Add(bx(Price(0)), bx(delta))),
            )),
            bx(Div(bx(num(1.0)), bx(Sub(bx(num(1.0)), bx(alpha.clone()))))),
        );
        // w = (1 - alpha) A K^alpha
        let w = Mul(
            bx(Mul(bx(Sub(bx(num(1.0)), bx(alpha.clone()))), bx(tfp))),
            bx(Powf(bx(Derived(0)), bx(alpha))),
        );
        ModelIr {
            params: [
                ("gamma", self.gamma),
                ("rho", self.rho),
                ("alpha", self.alpha),
                ("A", self.tfp),
                ("delta", self.delta),
            ]
            .into_iter()
            .map(|(n, v)| ParamIr {
                name: n.into(),
                values: vec![v],
            })
            .collect(),
            prices: vec![PriceIr {
                name: "r".into(),
                lo: num(self.r_bracket.0),
                hi: num(self.r_bracket.1),
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
                lo: num(self.amin),
                hi: num(self.amax),
                points,
            },
            income: vec![markov("z", &self.z, &self.lambda)],
            control: "c".into(),
            utility: UtilityIr::Crra { gamma: param(0) },
            // w z + r a
            resources: Add(
                bx(Mul(bx(Derived(1)), bx(Income(0)))),
                bx(Mul(bx(Price(0)), bx(Wealth))),
            ),
            discount: param(1),
            clearing: vec![ClearingIr {
                integrand: Wealth,
                target: Derived(0),
            }],
        }
    }

    /// The checked model on `points` wealth points.
    pub fn model(&self, points: u64) -> Result<Model> {
        Model::from_ir(self.ir(points))
    }
}
