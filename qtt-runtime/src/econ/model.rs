//! A heterogeneous-agent model checked from its IR: every number finite,
//! the economics possible (positive risk aversion and discounting, an
//! intensity matrix, consumption possible at the borrowing limit), the grid
//! a power of two. An income diffusion becomes the Markov chain of its grid
//! ([`super::diffusion_income`]): the `(a, z)` economy solved exactly by the
//! one-dimensional backends, with `J = 2^Lz` income states.

use super::diffusion_income::DiffusionIncome;
use crate::error::{Error, Result};
use qtt_dsl::ir::model::{ClearingIr, Env, ExprIr, IncomeIr, ModelIr, UtilityIr};

/// Flow utility with its marginal utility and the first-order condition.
#[derive(Debug, Clone, PartialEq)]
pub enum Utility {
    /// `c^(1-gamma)/(1-gamma)`, `ln c` at `gamma = 1`.
    Crra(f64),
    /// Any utility given as expressions of the IR.
    General {
        /// `u(c)`.
        utility: ExprIr,
        /// `u'(c)`.
        marginal: ExprIr,
        /// `c(dV/da)`, the inverse of `u'`.
        consumption: ExprIr,
        /// The parameters the expressions refer to.
        params: Vec<qtt_dsl::ir::model::ParamIr>,
    },
}

impl Utility {
    /// `u(c)`.
    pub fn u(&self, c: f64) -> f64 {
        match self {
            Utility::Crra(g) if *g == 1.0 => c.ln(),
            Utility::Crra(g) => c.powf(1.0 - g) / (1.0 - g),
            Utility::General {
                utility, params, ..
            } => eval_or_nan(utility, params, Some(c), None),
        }
    }

    /// `u'(c)`.
    pub fn marginal(&self, c: f64) -> f64 {
        match self {
            Utility::Crra(g) if *g == 2.0 => 1.0 / (c * c),
            Utility::Crra(g) => c.powf(-g),
            Utility::General {
                marginal, params, ..
            } => eval_or_nan(marginal, params, Some(c), None),
        }
    }

    /// Consumption from the first-order condition `u'(c) = dv`.
    pub fn consumption(&self, dv: f64) -> f64 {
        match self {
            Utility::Crra(g) if *g == 2.0 => 1.0 / dv.sqrt(),
            Utility::Crra(g) => dv.powf(-1.0 / g),
            Utility::General {
                consumption,
                params,
                ..
            } => eval_or_nan(consumption, params, None, Some(dv)),
        }
    }
}

fn eval_or_nan(
    e: &ExprIr,
    params: &[qtt_dsl::ir::model::ParamIr],
    c: Option<f64>,
    dv: Option<f64>,
) -> f64 {
    let env = Env {
        params,
        control: c,
        marginal_value: dv,
        ..Env::default()
    };
    e.eval(&env).unwrap_or(f64::NAN)
}

/// Prices and the quantities derived from them (a firm block's `K`, `w`).
#[derive(Debug, Clone, PartialEq)]
pub struct Prices {
    /// The prices, as declared.
    pub values: Vec<f64>,
    /// The derived quantities, as declared.
    pub derived: Vec<f64>,
}

/// A checked stationary heterogeneous-agent economy.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    ir: ModelIr,
    /// Flow utility.
    pub utility: Utility,
    /// Discount rate `rho`.
    pub rho: f64,
    /// Borrowing limit (lowest wealth).
    pub amin: f64,
    /// Highest wealth on the grid.
    pub amax: f64,
    /// Binary digits of the wealth grid (`2^bits` points).
    pub bits: u32,
    /// Income in each Markov state (the grid points of a diffusion).
    pub income: Vec<f64>,
    /// Switching intensities (rows sum to zero), row-major `J x J`.
    pub rates: Vec<Vec<f64>>,
    /// Bracket of the (one) price.
    pub bracket: (f64, f64),
}

fn err(msg: impl Into<String>) -> Error {
    Error::invalid(msg)
}

/// `e` evaluated in `env`: a finite number, or an error naming `what`.
pub(super) fn evaluate(what: &str, e: &ExprIr, env: &Env) -> Result<f64> {
    let v = e
        .eval(env)
        .map_err(|m| err(format!("{what} must be a number known before solving: {m}")))?;
    if !v.is_finite() {
        return Err(Error::NonFinite(format!("{what} is {v}")));
    }
    Ok(v)
}

impl Model {
    /// Checks `ir` and builds the model (every error names the value and
    /// what the economics requires).
    pub fn from_ir(ir: ModelIr) -> Result<Model> {
        for p in &ir.params {
            if p.values.is_empty() {
                return Err(err(format!("parameter `{}` has no value", p.name)));
            }
            for v in &p.values {
                if !v.is_finite() {
                    return Err(Error::NonFinite(format!(
                        "parameter `{}` is {v}: every parameter must be a finite number",
                        p.name
                    )));
                }
            }
        }
        let env = Env {
            params: &ir.params,
            ..Env::default()
        };
        let constant = |what: &str, e: &ExprIr| evaluate(what, e, &env);
        let rho = constant("the discount rate", &ir.discount)?;
        if rho <= 0.0 {
            return Err(err(format!(
                "the discount rate rho = {rho} must be positive (households must prefer the present)"
            )));
        }
        let utility = match &ir.utility {
            UtilityIr::Crra { gamma } => {
                let g = constant("risk aversion gamma", gamma)?;
                if g <= 0.0 {
                    return Err(err(format!(
                        "risk aversion gamma = {g} must be positive (CRRA utility c^(1-gamma)/(1-gamma) is concave only for gamma > 0)"
                    )));
                }
                Utility::Crra(g)
            }
            UtilityIr::Log => Utility::Crra(1.0),
            UtilityIr::General {
                utility,
                marginal,
                consumption,
            } => Utility::General {
                utility: utility.clone(),
                marginal: marginal.clone(),
                consumption: consumption.clone(),
                params: ir.params.clone(),
            },
        };
        let amin = constant("the borrowing limit", &ir.wealth.lo)?;
        let amax = constant("the top of the wealth grid", &ir.wealth.hi)?;
        if amin >= amax {
            return Err(err(format!(
                "wealth `{}` on [{amin}, {amax}]: the borrowing limit must lie below the top of the grid",
                ir.wealth.name
            )));
        }
        let points = ir.wealth.points;
        if points < 4 || !points.is_power_of_two() {
            return Err(err(format!(
                "wealth `{}` has {points} points: a quantized grid needs a power of two, at least 4 (2^2)",
                ir.wealth.name
            )));
        }
        let bits = points.trailing_zeros();
        if bits > crate::grid::MAX_BITS {
            return Err(err(format!(
                "wealth `{}` has 2^{bits} points, more than the 2^{} a grid allows",
                ir.wealth.name,
                crate::grid::MAX_BITS
            )));
        }
        let (income, rates) = match ir.income.as_slice() {
            [IncomeIr::Markov {
                name,
                values,
                rates,
            }] => {
                let values = values
                    .iter()
                    .enumerate()
                    .map(|(j, v)| constant(&format!("income `{name}` in state {j}"), v))
                    .collect::<Result<Vec<_>>>()?;
                let rates = rates
                    .iter()
                    .enumerate()
                    .map(|(j, row)| {
                        row.iter()
                            .enumerate()
                            .map(|(k, v)| constant(&format!("rate [{j}][{k}] of `{name}`"), v))
                            .collect::<Result<Vec<_>>>()
                    })
                    .collect::<Result<Vec<_>>>()?;
                check_rates(name, &values, &rates)?;
                (values, rates)
            }
            [IncomeIr::Diffusion {
                name,
                drift,
                variance,
                lo,
                hi,
                points,
            }] => DiffusionIncome {
                name,
                drift,
                variance,
                lo,
                hi,
                points: *points,
            }
            .chain(&ir.params)?,
            [] => return Err(err("the model has no income process: declare a Markov chain (one state is allowed) or a diffusion")),
            _ => {
                return Err(err(format!(
                    "the model has {} income processes: this runtime solves one income process \
                     (a Markov chain or a diffusion)",
                    ir.income.len()
                )))
            }
        };
        if ir.resources.uses_control() {
            return Err(err(
                "the drift of wealth must be `resources - c` with the control only in `- c`",
            ));
        }
        if ir.prices.len() != 1 || ir.clearing.len() != 1 {
            return Err(err(format!(
                "the model has {} prices and {} clearing conditions: this runtime clears one market in one price",
                ir.prices.len(),
                ir.clearing.len()
            )));
        }
        let lo = constant(
            &format!("the lower end of price `{}`", ir.prices[0].name),
            &ir.prices[0].lo,
        )?;
        let hi = constant(
            &format!("the upper end of price `{}`", ir.prices[0].name),
            &ir.prices[0].hi,
        )?;
        if lo >= hi {
            return Err(err(format!(
                "price `{}` in ({lo}, {hi}): the bracket's lower end must lie below its upper end",
                ir.prices[0].name
            )));
        }
        let model = Model {
            utility,
            rho,
            amin,
            amax,
            bits,
            income,
            rates,
            bracket: (lo, hi),
            ir,
        };
        // Consumption must be possible at the borrowing limit at the
        // bracket's ends (resources are monotone in the price for the
        // models of this class; both ends are checked).
        for r in [lo, hi] {
            let prices = model.prices(&[r])?;
            for (j, _) in model.income.iter().enumerate() {
                let y = model.resources(&prices, amin, j)?;
                if y.is_nan() || y <= 0.0 {
                    return Err(err(format!(
                        "at {} = {r} income state {j} has resources {y} at the borrowing limit a = {amin}: \
                         consumption is impossible there (raise the borrowing limit or narrow the price bracket)",
                        model.ir.prices[0].name
                    )));
                }
                let slope = model.resources(&prices, amin + 1.0, j)? - y;
                if slope >= model.rho {
                    return Err(err(format!(
                        "at {} = {r} wealth earns {slope} >= rho = {}: households save without bound and                          there is no stationary distribution (the price bracket must stay below rho)",
                        model.ir.prices[0].name, model.rho
                    )));
                }
            }
        }
        Ok(model)
    }

    /// The IR the model was built from.
    pub fn ir(&self) -> &ModelIr {
        &self.ir
    }

    /// Number of income states `J`.
    pub fn states(&self) -> usize {
        self.income.len()
    }

    /// Number of wealth points `2^bits`.
    pub fn points(&self) -> u64 {
        1u64 << self.bits
    }

    /// Wealth grid spacing `(amax - amin) / (2^bits - 1)`.
    pub fn spacing(&self) -> f64 {
        (self.amax - self.amin) / ((self.points() - 1) as f64)
    }

    /// Wealth at grid point `i`.
    pub fn wealth(&self, i: u64) -> f64 {
        self.amin + i as f64 * self.spacing()
    }

    /// The same model on a grid of `2^bits` points.
    pub fn with_bits(&self, bits: u32) -> Result<Model> {
        let mut ir = self.ir.clone();
        ir.wealth.points = 1u64
            .checked_shl(bits)
            .filter(|_| bits < 64)
            .ok_or_else(|| err(format!("2^{bits} grid points do not fit in 64 bits")))?;
        Model::from_ir(ir)
    }

    /// The name of the (one) price.
    pub fn price_name(&self) -> &str {
        &self.ir.prices[0].name
    }

    /// Evaluates the derived quantities at `price` (the firm block).
    pub fn prices(&self, price: &[f64]) -> Result<Prices> {
        if price.len() != self.ir.prices.len() {
            return Err(Error::shape(format!(
                "{} prices given, the model has {}",
                price.len(),
                self.ir.prices.len()
            )));
        }
        for (p, ir) in price.iter().zip(&self.ir.prices) {
            if !p.is_finite() {
                return Err(Error::NonFinite(format!("price `{}` is {p}", ir.name)));
            }
        }
        let mut derived = Vec::with_capacity(self.ir.derived.len());
        for d in &self.ir.derived {
            let env = Env {
                params: &self.ir.params,
                prices: Some(price),
                derived: &derived,
                ..Env::default()
            };
            let v = d.value.eval(&env).map_err(err)?;
            if !v.is_finite() {
                return Err(Error::NonFinite(format!(
                    "`{}` = {v} at prices {price:?}",
                    d.name
                )));
            }
            derived.push(v);
        }
        Ok(Prices {
            values: price.to_vec(),
            derived,
        })
    }

    /// Resources `w z_j + r a` (the drift of wealth before consumption).
    pub fn resources(&self, prices: &Prices, a: f64, j: usize) -> Result<f64> {
        let income = [self.income[j]];
        let env = Env {
            params: &self.ir.params,
            prices: Some(&prices.values),
            derived: &prices.derived,
            wealth: Some(a),
            income: Some(&income),
            ..Env::default()
        };
        self.ir.resources.eval(&env).map_err(err)
    }

    /// The clearing condition's integrand at `(a, z_j)` and its target.
    pub fn clearing_parts(&self, prices: &Prices) -> Result<(ClearingIr, f64)> {
        let c = &self.ir.clearing[0];
        let env = Env {
            params: &self.ir.params,
            prices: Some(&prices.values),
            derived: &prices.derived,
            ..Env::default()
        };
        let target = c.target.eval(&env).map_err(err)?;
        if !target.is_finite() {
            return Err(Error::NonFinite(format!("the clearing target is {target}")));
        }
        Ok((c.clone(), target))
    }

    /// The integrand of the clearing condition at `(a, z_j)`.
    pub fn integrand(&self, c: &ClearingIr, prices: &Prices, a: f64, j: usize) -> Result<f64> {
        let income = [self.income[j]];
        let env = Env {
            params: &self.ir.params,
            prices: Some(&prices.values),
            derived: &prices.derived,
            wealth: Some(a),
            income: Some(&income),
            ..Env::default()
        };
        c.integrand.eval(&env).map_err(err)
    }

    /// Whether the clearing integrand is the wealth itself (`sum a g`),
    /// which both backends integrate exactly.
    pub fn clears_wealth(&self) -> bool {
        self.ir.clearing[0].integrand == ExprIr::Wealth
    }
}

/// Checks an intensity matrix: square, `J x J`, rows summing to zero,
/// non-negative off-diagonals.
fn check_rates(name: &str, values: &[f64], rates: &[Vec<f64>]) -> Result<()> {
    let j = values.len();
    if j == 0 {
        return Err(err(format!("income `{name}` has no states")));
    }
    if rates.len() != j || rates.iter().any(|r| r.len() != j) {
        return Err(err(format!(
            "the rates matrix of `{name}` must be {j} x {j} (one row and column per income state)"
        )));
    }
    for (a, row) in rates.iter().enumerate() {
        for (b, &v) in row.iter().enumerate() {
            if a != b && v < 0.0 {
                return Err(err(format!(
                    "rate [{a}][{b}] of `{name}` is {v}: an intensity of switching between two states cannot be negative"
                )));
            }
        }
        let s: f64 = row.iter().sum();
        let scale: f64 = row.iter().map(|v| v.abs()).sum::<f64>().max(1.0);
        if s.abs() > 1e-12 * scale {
            return Err(err(format!(
                "the rows of the rates matrix of `{name}` must sum to 0: row {a} sums to {s} \
                 (an intensity matrix gives the rate of leaving each state on its diagonal, with a minus sign)"
            )));
        }
    }
    Ok(())
}
