//! Lowering: the checked spec becomes a [`ModelIr`] with holes for what
//! only run time knows (parameter values, grid sizes written as Rust
//! expressions, the length of a list parameter used as a Markov state's
//! values), plus the compile-time operator ranks.

use syn::Expr;

use super::check::{IncomeSpec, PointsSpec, Spec, ValuesSpec};
use crate::ir::model::{DerivedIr, ExprIr, IncomeIr, ModelIr, ParamIr, PriceIr, WealthIr};

/// How a parameter gets its values at run time.
pub struct ParamPlan {
    /// The user's Rust expression.
    pub value: Expr,
    /// Its values, when it is a literal (then also in [`Plan::ir`]).
    pub literal: Option<Vec<f64>>,
    /// Whether the model uses it as one number (checked at run time).
    pub scalar: bool,
    /// How many values its indices need (checked at run time).
    pub min_len: usize,
}

/// The lowered model: an IR whose holes the expansion fills at run time.
pub struct Plan {
    /// The IR. Holes: a parameter without a literal value has no values, a
    /// grid size not known here is 0, and a Markov state whose values are a
    /// parameter of unknown length has no values.
    pub ir: ModelIr,
    /// One entry per parameter of `ir`.
    pub params: Vec<ParamPlan>,
    /// The wealth grid's size.
    pub wealth_points: PointsSpec,
    /// The grid size of each diffusion income (`None` for a Markov chain).
    pub income_points: Vec<Option<PointsSpec>>,
    /// For each income process, the parameter whose values are all of the
    /// Markov state's values (`values z`), if any.
    pub markov_values: Vec<Option<usize>>,
    /// The compile-time ranks of the generator's exact pieces
    /// (see [`crate::ir::model::piece_ranks`]).
    pub ranks: Vec<(&'static str, usize)>,
}

fn points_literal(p: &PointsSpec) -> u64 {
    match p {
        PointsSpec::Literal(n) => *n,
        _ => 0,
    }
}

/// The elements `0..n` of parameter `index`.
pub fn param_elements(index: usize, n: usize) -> Vec<ExprIr> {
    (0..n)
        .map(|element| ExprIr::Param { index, element })
        .collect()
}

/// Lowers a checked model.
pub fn lower(spec: Spec) -> Plan {
    let params_ir: Vec<ParamIr> = spec
        .params
        .iter()
        .map(|p| ParamIr {
            name: p.name.clone(),
            values: p.literal.clone().unwrap_or_default(),
        })
        .collect();
    let mut income = Vec::new();
    let mut income_points = Vec::new();
    let mut markov_values = Vec::new();
    for inc in spec.income {
        match inc {
            IncomeSpec::Markov {
                name,
                values,
                rates,
            } => {
                let (values, from) = match values {
                    ValuesSpec::List(v) => (v, None),
                    ValuesSpec::Param(k) => (param_elements(k, params_ir[k].values.len()), Some(k)),
                };
                income.push(IncomeIr::Markov {
                    name,
                    values,
                    rates,
                });
                income_points.push(None);
                markov_values.push(from);
            }
            IncomeSpec::Diffusion {
                name,
                drift,
                variance,
                lo,
                hi,
                points,
            } => {
                income.push(IncomeIr::Diffusion {
                    name,
                    drift,
                    variance,
                    lo,
                    hi,
                    points: points_literal(&points),
                });
                income_points.push(Some(points));
                markov_values.push(None);
            }
        }
    }
    let (wname, wlo, whi, wpoints) = spec.wealth;
    let ir = ModelIr {
        params: params_ir,
        prices: spec
            .prices
            .into_iter()
            .map(|(name, lo, hi)| PriceIr { name, lo, hi })
            .collect(),
        derived: spec
            .derived
            .into_iter()
            .map(|(name, value)| DerivedIr { name, value })
            .collect(),
        wealth: WealthIr {
            name: wname,
            lo: wlo,
            hi: whi,
            points: points_literal(&wpoints),
        },
        income,
        control: spec.control,
        utility: spec.utility,
        resources: spec.resources,
        discount: spec.discount,
        clearing: spec.clearing,
    };
    let ranks = crate::ir::model::piece_ranks(&ir);
    Plan {
        ir,
        params: spec
            .params
            .into_iter()
            .map(|p| ParamPlan {
                value: p.value,
                literal: p.literal,
                scalar: p.scalar,
                min_len: p.min_len,
            })
            .collect(),
        wealth_points: wpoints,
        income_points,
        markov_values,
        ranks,
    }
}

impl Plan {
    /// The IR when nothing is left to run time (every parameter and grid
    /// size a literal); otherwise an `Err` naming the first run-time part.
    pub fn literal_ir(&self) -> Result<ModelIr, String> {
        for (p, plan) in self.ir.params.iter().zip(&self.params) {
            if plan.literal.is_none() {
                return Err(format!("parameter `{}` is computed at run time", p.name));
            }
        }
        if !matches!(self.wealth_points, PointsSpec::Literal(_)) {
            return Err(format!(
                "the grid size of `{}` is computed at run time",
                self.ir.wealth.name
            ));
        }
        for (inc, p) in self.ir.income.iter().zip(&self.income_points) {
            if let (IncomeIr::Diffusion { name, .. }, Some(p)) = (inc, p) {
                if !matches!(p, PointsSpec::Literal(_)) {
                    return Err(format!("the grid size of `{name}` is computed at run time"));
                }
            }
        }
        Ok(self.ir.clone())
    }
}
