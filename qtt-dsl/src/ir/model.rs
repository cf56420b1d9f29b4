//! Continuous-time heterogeneous-agent models (Achdou–Han–Lasry–Lions–Moll):
//! the IR that `model!` lowers to and that `qtt::econ::Model::from_ir`
//! consumes, so that a model can also be built from data at run time.
//!
//! A household holds wealth `a` on `[lo, hi]` (the lower end is the borrowing
//! limit, a state constraint) and an income state; it chooses consumption
//! `c`, the drift of wealth is `resources - c`, and it discounts at `rho`.
//! Prices are found so that every clearing condition holds:
//! `sum_{a, z} integrand(a, z) g(a, z) da = target`.
//!
//! Every number is an [`ExprIr`]: literals, parameters, prices, derived
//! quantities (a firm block) and, where the context allows, the state, the
//! control and the marginal value `dV/da`. The runtime checks what only run
//! time knows (finite values, a rates matrix whose rows sum to zero, a grid
//! size that is a power of two) with the same words as the macro.

/// An expression over the model's names.
#[derive(Debug, Clone, PartialEq)]
pub enum ExprIr {
    /// A literal.
    Num(f64),
    /// Element `element` of parameter `index` of [`ModelIr::params`]
    /// (`element` is 0 for a scalar parameter).
    Param {
        /// Position in [`ModelIr::params`].
        index: usize,
        /// Position within the parameter's values.
        element: usize,
    },
    /// Price `i` of [`ModelIr::prices`].
    Price(usize),
    /// Derived quantity `i` of [`ModelIr::derived`] (a firm block's `K`, `w`).
    Derived(usize),
    /// The wealth coordinate `a`.
    Wealth,
    /// The value of income process `i` of [`ModelIr::income`] in the
    /// current state (`z_j` of a Markov chain, the coordinate of a diffusion).
    Income(usize),
    /// The control (consumption).
    Control,
    /// The marginal value `dV/da` (only in [`UtilityIr::General`]'s inverse
    /// marginal utility).
    MarginalValue,
    /// `-x`.
    Neg(Box<ExprIr>),
    /// `x + y`.
    Add(Box<ExprIr>, Box<ExprIr>),
    /// `x - y`.
    Sub(Box<ExprIr>, Box<ExprIr>),
    /// `x * y`.
    Mul(Box<ExprIr>, Box<ExprIr>),
    /// `x / y`.
    Div(Box<ExprIr>, Box<ExprIr>),
    /// `x.powf(y)`.
    Powf(Box<ExprIr>, Box<ExprIr>),
    /// `x.ln()`.
    Ln(Box<ExprIr>),
    /// `x.exp()`.
    Exp(Box<ExprIr>),
    /// `x.min(y)`.
    Min(Box<ExprIr>, Box<ExprIr>),
    /// `x.max(y)`.
    Max(Box<ExprIr>, Box<ExprIr>),
    /// `softplus(x, mu) = mu ln(1 + exp(x / mu))`.
    Softplus(Box<ExprIr>, Box<ExprIr>),
}

/// A named parameter: one value, or a vector (`z = [0.1, 0.2]`).
#[derive(Debug, Clone, PartialEq)]
pub struct ParamIr {
    /// The name as written.
    pub name: String,
    /// Its values (one for a scalar).
    pub values: Vec<f64>,
}

/// A price the equilibrium solves for, with the bracket to search.
#[derive(Debug, Clone, PartialEq)]
pub struct PriceIr {
    /// The name as written (`r`).
    pub name: String,
    /// Lower end of the bracket.
    pub lo: ExprIr,
    /// Upper end of the bracket.
    pub hi: ExprIr,
}

/// A quantity defined from parameters, prices and earlier derived
/// quantities (a firm block: `K = (alpha*A/(r + delta)).powf(1/(1-alpha))`).
#[derive(Debug, Clone, PartialEq)]
pub struct DerivedIr {
    /// The name as written.
    pub name: String,
    /// Its definition.
    pub value: ExprIr,
}

/// The wealth state: the asset the household saves in.
#[derive(Debug, Clone, PartialEq)]
pub struct WealthIr {
    /// The name as written (`a`).
    pub name: String,
    /// The borrowing limit (the lower end of the grid, a state constraint).
    pub lo: ExprIr,
    /// The upper end of the grid.
    pub hi: ExprIr,
    /// The number of grid points (a power of two, checked at run time).
    pub points: u64,
}

/// An exogenous income process.
#[derive(Debug, Clone, PartialEq)]
pub enum IncomeIr {
    /// A finite Markov chain with Poisson switching: value `values[j]` in
    /// state `j`, intensity `rates[j][k]` of a jump from `j` to `k`
    /// (rows sum to zero, off-diagonals non-negative).
    Markov {
        /// The name as written (`e`).
        name: String,
        /// The income in each state.
        values: Vec<ExprIr>,
        /// The intensity matrix.
        rates: Vec<Vec<ExprIr>>,
    },
    /// A diffusion `dz = drift(z) dt + sqrt(variance(z)) dW` on `[lo, hi]`,
    /// reflected at both ends; the runtime solves it as the birth–death
    /// chain of its grid (a `points`-state Markov income).
    Diffusion {
        /// The name as written (`y`).
        name: String,
        /// The drift, an expression in [`ExprIr::Income`].
        drift: ExprIr,
        /// The variance (`sigma^2`).
        variance: ExprIr,
        /// Lower end of its grid.
        lo: ExprIr,
        /// Upper end of its grid.
        hi: ExprIr,
        /// The number of grid points (a power of two; the runtime takes 2
        /// to 1024).
        points: u64,
    },
}

/// Flow utility of consumption.
#[derive(Debug, Clone, PartialEq)]
pub enum UtilityIr {
    /// `c^(1-gamma)/(1-gamma)` (recognised by the macro; `gamma = 1` is log).
    Crra {
        /// Relative risk aversion.
        gamma: ExprIr,
    },
    /// `ln c`.
    Log,
    /// Any utility with its marginal utility and the inverse of the
    /// marginal utility (the first-order condition `u'(c) = dV/da`).
    General {
        /// `u(c)`, an expression in [`ExprIr::Control`].
        utility: ExprIr,
        /// `u'(c)`, an expression in [`ExprIr::Control`].
        marginal: ExprIr,
        /// `c(dV/da)`, an expression in [`ExprIr::MarginalValue`].
        consumption: ExprIr,
    },
}

/// A market-clearing condition `sum integrand g da = target`.
#[derive(Debug, Clone, PartialEq)]
pub struct ClearingIr {
    /// A function of wealth and income (`a` for asset supply).
    pub integrand: ExprIr,
    /// What the aggregate must equal (0 for bonds in zero net supply, `K`).
    pub target: ExprIr,
}

/// A whole stationary heterogeneous-agent economy.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelIr {
    /// Parameters in declaration order.
    pub params: Vec<ParamIr>,
    /// Prices in declaration order (as many as clearing conditions).
    pub prices: Vec<PriceIr>,
    /// Derived quantities in evaluation order.
    pub derived: Vec<DerivedIr>,
    /// The wealth state.
    pub wealth: WealthIr,
    /// The income processes (today's runtime solves one: a Markov chain, or
    /// a diffusion as the Markov chain of its grid).
    pub income: Vec<IncomeIr>,
    /// The name of the control (`c`).
    pub control: String,
    /// Flow utility.
    pub utility: UtilityIr,
    /// The drift of wealth without the control: `da/dt = resources - c`.
    pub resources: ExprIr,
    /// The discount rate `rho`.
    pub discount: ExprIr,
    /// The clearing conditions, one per price.
    pub clearing: Vec<ClearingIr>,
}

/// The values an [`ExprIr`] may refer to; a name the context lacks (the
/// control inside a price bracket) is an error naming it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Env<'a> {
    /// Parameter values (as [`ModelIr::params`]).
    pub params: &'a [ParamIr],
    /// Price values, if known here.
    pub prices: Option<&'a [f64]>,
    /// Derived values computed so far.
    pub derived: &'a [f64],
    /// The wealth coordinate, if any.
    pub wealth: Option<f64>,
    /// The current value of each income process, if any.
    pub income: Option<&'a [f64]>,
    /// The control, if any.
    pub control: Option<f64>,
    /// The marginal value `dV/da`, if any.
    pub marginal_value: Option<f64>,
}

impl ExprIr {
    /// The value of the expression in `env` (an `Err` names what `env` lacks).
    pub fn eval(&self, env: &Env) -> Result<f64, String> {
        use ExprIr::*;
        let bin = |x: &ExprIr, y: &ExprIr| -> Result<(f64, f64), String> {
            Ok((x.eval(env)?, y.eval(env)?))
        };
        Ok(match self {
            Num(v) => *v,
            Param { index, element } => {
                let p = env
                    .params
                    .get(*index)
                    .ok_or_else(|| format!("parameter #{index} is not declared"))?;
                *p.values.get(*element).ok_or_else(|| {
                    format!(
                        "`{}[{element}]` is out of range: `{}` has {} values",
                        p.name,
                        p.name,
                        p.values.len()
                    )
                })?
            }
            Price(i) => *env
                .prices
                .ok_or("a price is not known here")?
                .get(*i)
                .ok_or_else(|| format!("price #{i} is not declared"))?,
            Derived(i) => *env
                .derived
                .get(*i)
                .ok_or_else(|| format!("derived quantity #{i} is not defined yet"))?,
            Wealth => env.wealth.ok_or("wealth is not known here")?,
            Income(i) => *env
                .income
                .ok_or("income is not known here")?
                .get(*i)
                .ok_or_else(|| format!("income process #{i} is not declared"))?,
            Control => env.control.ok_or("the control is not known here")?,
            MarginalValue => env.marginal_value.ok_or("dV/da is not known here")?,
            Neg(x) => -x.eval(env)?,
            Add(x, y) => bin(x, y).map(|(x, y)| x + y)?,
            Sub(x, y) => bin(x, y).map(|(x, y)| x - y)?,
            Mul(x, y) => bin(x, y).map(|(x, y)| x * y)?,
            Div(x, y) => bin(x, y).map(|(x, y)| x / y)?,
            Powf(x, y) => bin(x, y).map(|(x, y)| x.powf(y))?,
            Ln(x) => x.eval(env)?.ln(),
            Exp(x) => x.eval(env)?.exp(),
            Min(x, y) => bin(x, y).map(|(x, y)| x.min(y))?,
            Max(x, y) => bin(x, y).map(|(x, y)| x.max(y))?,
            Softplus(x, mu) => {
                let (x, mu) = bin(x, mu)?;
                let t = x / mu;
                // mu ln(1 + e^t) without overflow: max(t, 0) + ln(1 + e^-|t|).
                mu * (t.max(0.0) + (-t.abs()).exp().ln_1p())
            }
        })
    }

    /// Whether the expression refers to the control.
    pub fn uses_control(&self) -> bool {
        self.any(&|e| matches!(e, ExprIr::Control))
    }

    /// Whether the expression refers to the state (wealth or income).
    pub fn uses_state(&self) -> bool {
        self.any(&|e| matches!(e, ExprIr::Wealth | ExprIr::Income(_)))
    }

    /// Whether `pred` holds for this node or any node below it.
    pub fn any(&self, pred: &dyn Fn(&ExprIr) -> bool) -> bool {
        use ExprIr::*;
        if pred(self) {
            return true;
        }
        match self {
            Neg(x) | Ln(x) | Exp(x) => x.any(pred),
            Add(x, y)
            | Sub(x, y)
            | Mul(x, y)
            | Div(x, y)
            | Powf(x, y)
            | Min(x, y)
            | Max(x, y)
            | Softplus(x, y) => x.any(pred) || y.any(pred),
            _ => false,
        }
    }
}

/// A number a parameter value may be made of (`f64`, `f32` and the
/// integer types that convert to `f64` without loss).
pub trait ParamScalar: Copy {
    /// The value as `f64`.
    fn to_f64(self) -> f64;
}

macro_rules! param_scalar {
    ($($t:ty),*) => {$(
        impl ParamScalar for $t {
            fn to_f64(self) -> f64 {
                f64::from(self)
            }
        }
        impl ParamValues for $t {
            fn param_values(&self) -> Vec<f64> {
                vec![f64::from(*self)]
            }
        }
    )*};
}

/// What a parameter can be given: one number (`2.0`) or a list of numbers
/// (an array, a slice or a `Vec`), so that `model!`'s `params { z = calib.z }`
/// takes values computed at run time.
#[diagnostic::on_unimplemented(
    message = "a model parameter is a number or a list of numbers, not `{Self}`",
    label = "expected `f64`, `[f64; N]`, `&[f64]` or `Vec<f64>`"
)]
pub trait ParamValues {
    /// The values, one for a scalar.
    fn param_values(&self) -> Vec<f64>;
}

param_scalar!(f64, f32, i32, u32, i16, u16, i8, u8);

impl<T: ParamScalar, const N: usize> ParamValues for [T; N] {
    fn param_values(&self) -> Vec<f64> {
        self.iter().map(|x| x.to_f64()).collect()
    }
}

impl<T: ParamScalar> ParamValues for [T] {
    fn param_values(&self) -> Vec<f64> {
        self.iter().map(|x| x.to_f64()).collect()
    }
}

impl<T: ParamScalar> ParamValues for Vec<T> {
    fn param_values(&self) -> Vec<f64> {
        self.iter().map(|x| x.to_f64()).collect()
    }
}

impl<T: ParamValues + ?Sized> ParamValues for &T {
    fn param_values(&self) -> Vec<f64> {
        (**self).param_values()
    }
}

impl ParamIr {
    /// A parameter named `name` with `values` (a number or a list).
    pub fn new(name: impl Into<String>, values: impl ParamValues) -> Self {
        Self {
            name: name.into(),
            values: values.param_values(),
        }
    }
}

/// A grid size `model!` accepts at run time (`with n points`): any integer
/// type, checked to be non-negative.
pub trait GridSize: Copy {
    /// The size as `u64`, or `None` when negative.
    fn to_u64(self) -> Option<u64>;
}

macro_rules! grid_size {
    ($($t:ty),*) => {$(
        impl GridSize for $t {
            fn to_u64(self) -> Option<u64> {
                u64::try_from(self).ok()
            }
        }
    )*};
}

grid_size!(u8, u16, u32, u64, usize, i8, i16, i32, i64, isize);

/// Run-time support of `model!`'s expansion: the checks only run time can
/// make, with the macro's words (not a public API).
#[doc(hidden)]
pub mod macro_support {
    use super::{GridSize, ParamIr, ParamValues};

    /// Parameter `name` from its run-time value; `scalar` when the model
    /// uses it as one number, `min_len` the values its indices need.
    pub fn param(
        name: &str,
        value: &(impl ParamValues + ?Sized),
        scalar: bool,
        min_len: usize,
    ) -> Result<ParamIr, String> {
        let values = value.param_values();
        if scalar && values.len() != 1 {
            return Err(format!(
                "parameter `{name}` is used as one number but was given {} values {values:?}",
                values.len()
            ));
        }
        if values.len() < min_len {
            return Err(format!(
                "parameter `{name}` is used as `{name}[{}]` but has {} value{}",
                min_len - 1,
                values.len(),
                if values.len() == 1 { "" } else { "s" }
            ));
        }
        Ok(ParamIr {
            name: name.to_string(),
            values,
        })
    }

    /// The grid size of state `state` written `with n points`.
    pub fn grid_points(state: &str, n: impl GridSize) -> Result<u64, String> {
        n.to_u64()
            .ok_or_else(|| format!("the grid of `{state}` has a negative number of points"))
    }

    /// The grid size of state `state` written `with 2^k points`.
    pub fn grid_points_pow2(state: &str, k: impl GridSize) -> Result<u64, String> {
        match k.to_u64() {
            Some(k) if k <= 63 => Ok(1u64 << k),
            Some(k) => Err(format!(
                "the grid of `{state}` has 2^{k} points, more than the largest grid, 2^63"
            )),
            None => Err(format!(
                "the grid of `{state}` has 2^k points with a negative k"
            )),
        }
    }
}

/// MPO rank of the runtime's `forward_difference` / `backward_difference`
/// with `Boundary::Zero` on a grid of at least 4 points (a prefix state and
/// one carry chain; 3 with `Boundary::Reflecting`, which adds a corner
/// state). The generator uses the zero boundary for the upwind differences:
/// the state constraints (`X_0 = Z_{N-1} = 0` in the HACT scheme) remove the
/// drift that would leave the grid, so ghost values never enter and every
/// row still sums to zero.
pub const UPWIND_DIFFERENCE_RANK: usize = 2;
/// MPO rank of `second_difference` with `Boundary::Reflecting` on a grid of
/// at least 4 points (3 with `Boundary::Zero` or `Boundary::Periodic`): a
/// reflected diffusion needs the Neumann rows, which sum to zero.
pub const SECOND_DIFFERENCE_RANK: usize = 5;
/// Bond rank of a Markov chain's intensity matrix on its discrete axis:
/// one dense core, a Kronecker factor with the identity elsewhere.
pub const SWITCHING_RANK: usize = 1;

/// The ranks of the exact operator pieces the model's generator is
/// assembled from, in assembly order: the wealth axis's upwind differences,
/// then per income process the switching matrix of a Markov chain, or the
/// upwind differences and the second difference of a diffusion. They are
/// the maximal bond ranks of the runtime's MPOs on grids of at least 4
/// points, with the boundaries of [`UPWIND_DIFFERENCE_RANK`] and
/// [`SECOND_DIFFERENCE_RANK`]; they depend on the model's structure only,
/// so `model!` computes them at compile time.
pub fn piece_ranks(ir: &ModelIr) -> Vec<(&'static str, usize)> {
    let mut out = vec![
        ("wealth_forward_difference", UPWIND_DIFFERENCE_RANK),
        ("wealth_backward_difference", UPWIND_DIFFERENCE_RANK),
    ];
    for inc in &ir.income {
        match inc {
            IncomeIr::Markov { .. } => out.push(("markov_switching", SWITCHING_RANK)),
            IncomeIr::Diffusion { .. } => out.extend([
                ("diffusion_forward_difference", UPWIND_DIFFERENCE_RANK),
                ("diffusion_backward_difference", UPWIND_DIFFERENCE_RANK),
                ("diffusion_second_difference", SECOND_DIFFERENCE_RANK),
            ]),
        }
    }
    out
}
