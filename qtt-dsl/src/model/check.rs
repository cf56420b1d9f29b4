//! Compile-time checks of `model!`: names, the shape of every section, the
//! economics that literal values allow to check (intensity matrices, grids,
//! brackets, a feasible borrowing limit), the form of the budget and the
//! utility. Every error is a `syn::Error` at the user's span, and all of them
//! are collected in one pass.
//!
//! The result is a typed [`Spec`]: every model expression resolved to an
//! [`ExprIr`], the utility recognised, the drift of wealth split into
//! resources and consumption. Parameter values and grid sizes remain Rust
//! expressions, evaluated at run time.

use proc_macro2::Span;
use syn::{Error, Expr, Ident};

use super::ast::{suggest, BinOp, Ex, Item, Kind, ModelInput, Points, Sp, StateDecl, Values};
use super::symbolic::{self, Recognised};
use crate::ir::model::{ClearingIr, Env, ExprIr, ParamIr, UtilityIr};

/// A checked parameter.
pub struct ParamSpec {
    /// Its name.
    pub name: String,
    /// Its value, a Rust expression evaluated at run time.
    pub value: Expr,
    /// Its values when the expression is a literal.
    pub literal: Option<Vec<f64>>,
    /// Whether the model uses it as one number.
    pub scalar: bool,
    /// How many values its indices need (`z[1]` needs 2).
    pub min_len: usize,
}

/// A checked grid size.
pub enum PointsSpec {
    /// Known here.
    Literal(u64),
    /// `with n points`, `n` evaluated at run time.
    Count(Expr),
    /// `with 2^k points`, `k` evaluated at run time.
    Pow2(Expr),
}

/// The values of a Markov state.
pub enum ValuesSpec {
    /// All values of parameter `index` (its length known at run time).
    Param(usize),
    /// One expression per state.
    List(Vec<ExprIr>),
}

/// A checked income process.
// a handful per model: the size of a syn::Expr in a variant does not matter
#[allow(clippy::large_enum_variant)]
pub enum IncomeSpec {
    /// A Markov chain.
    Markov {
        /// Its name.
        name: String,
        /// Its values.
        values: ValuesSpec,
        /// Its intensity matrix.
        rates: Vec<Vec<ExprIr>>,
    },
    /// A diffusion.
    Diffusion {
        /// Its name.
        name: String,
        /// Its drift.
        drift: ExprIr,
        /// Its variance.
        variance: ExprIr,
        /// Lower end of its grid.
        lo: ExprIr,
        /// Upper end of its grid.
        hi: ExprIr,
        /// Its grid size.
        points: PointsSpec,
    },
}

/// A checked model, ready to lower.
pub struct Spec {
    /// Parameters in declaration order.
    pub params: Vec<ParamSpec>,
    /// Prices: name and bracket.
    pub prices: Vec<(String, ExprIr, ExprIr)>,
    /// Derived quantities in order.
    pub derived: Vec<(String, ExprIr)>,
    /// The wealth state's name, grid ends and size.
    pub wealth: (String, ExprIr, ExprIr, PointsSpec),
    /// Income processes in declaration order.
    pub income: Vec<IncomeSpec>,
    /// The control's name.
    pub control: String,
    /// The utility, recognised.
    pub utility: UtilityIr,
    /// The drift of wealth without `- c`.
    pub resources: ExprIr,
    /// The discount rate.
    pub discount: ExprIr,
    /// The clearing conditions.
    pub clearing: Vec<ClearingIr>,
}

/// Names a model may not declare, with what they mean.
const RESERVED: &[(&str, &str)] = &[
    ("V", "the value function"),
    ("dV", "the marginal value dV/da in a first-order condition"),
    ("g", "the distribution in `sum(.. * g)`"),
    ("sum", "the aggregate over the distribution"),
];

/// The functions of model expressions and their number of arguments.
const FUNCTIONS: &[(&str, usize)] = &[
    ("powf", 2),
    ("ln", 1),
    ("exp", 1),
    ("min", 2),
    ("max", 2),
    ("softplus", 2),
];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Sym {
    Param(usize),
    Price(usize),
    Derived(usize),
    Wealth,
    Income(usize),
    Control,
}

struct Decl {
    name: String,
    sym: Sym,
}

/// Where an expression is written: what it may refer to.
#[derive(Clone, Copy)]
struct Ctx {
    /// "a price bracket", for messages.
    what: &'static str,
    /// What it may use, for messages.
    allowed: &'static str,
    prices: bool,
    /// Derived quantities visible (the first `n`); `None`: none.
    derived: Option<usize>,
    wealth: bool,
    /// `None`: no income; `Some(None)`: all; `Some(Some(i))`: only `i`.
    income: Option<Option<usize>>,
    control: bool,
    dv: bool,
    /// Inside the firm block (for the "defined later" message).
    firm: bool,
}

impl Ctx {
    const fn params_only(what: &'static str) -> Self {
        Ctx {
            what,
            allowed: "it may use numbers and parameters",
            prices: false,
            derived: None,
            wealth: false,
            income: None,
            control: false,
            dv: false,
            firm: false,
        }
    }
}

/// How a parameter is used.
#[derive(Default)]
struct Uses {
    scalar: Option<Sp>,
    index: Option<(usize, Sp)>,
    whole: Option<Sp>,
}

struct ParamInfo {
    name: Ident,
    value: Expr,
    literal: Option<(Vec<f64>, bool)>,
    uses: Uses,
}

struct Checker {
    decls: Vec<Decl>,
    params: Vec<ParamInfo>,
    n_derived: usize,
    control: Option<String>,
    errors: Vec<Error>,
    /// Literal parameter values (empty where not literal).
    lit_params: Vec<ParamIr>,
}

/// A value of a literal Rust expression.
#[derive(Clone, Copy)]
enum RLit {
    Int(i128),
    Float(f64),
}

impl RLit {
    fn f64(self) -> f64 {
        match self {
            RLit::Int(i) => i as f64,
            RLit::Float(f) => f,
        }
    }
}

/// The value of a literal Rust expression (numbers, `+ - * /`, parentheses)
/// with Rust's own arithmetic; `Err` for an integer division that drops a
/// remainder (almost always meant as a fraction).
fn rust_literal(e: &Expr) -> Result<Option<RLit>, Error> {
    Ok(match e {
        Expr::Lit(l) => match &l.lit {
            syn::Lit::Int(i) => i.base10_parse::<i128>().ok().map(RLit::Int),
            syn::Lit::Float(f) => f.base10_parse::<f64>().ok().map(RLit::Float),
            _ => None,
        },
        Expr::Paren(p) => rust_literal(&p.expr)?,
        Expr::Group(g) => rust_literal(&g.expr)?,
        Expr::Unary(u) if matches!(u.op, syn::UnOp::Neg(_)) => match rust_literal(&u.expr)? {
            Some(RLit::Int(i)) => Some(RLit::Int(-i)),
            Some(RLit::Float(f)) => Some(RLit::Float(-f)),
            None => None,
        },
        Expr::Binary(b) => {
            let (Some(x), Some(y)) = (rust_literal(&b.left)?, rust_literal(&b.right)?) else {
                return Ok(None);
            };
            match (x, y) {
                (RLit::Int(x), RLit::Int(y)) => match b.op {
                    syn::BinOp::Add(_) => x.checked_add(y).map(RLit::Int),
                    syn::BinOp::Sub(_) => x.checked_sub(y).map(RLit::Int),
                    syn::BinOp::Mul(_) => x.checked_mul(y).map(RLit::Int),
                    syn::BinOp::Div(_) if y != 0 && x % y != 0 => {
                        return Err(Error::new_spanned(
                            e,
                            format!(
                                "`{x}/{y}` divides integers in Rust and equals {}: \
                                 write `{x}.0/{y}.0` for the fraction",
                                x / y
                            ),
                        ))
                    }
                    syn::BinOp::Div(_) if y != 0 => Some(RLit::Int(x / y)),
                    _ => None,
                },
                (RLit::Float(x), RLit::Float(y)) => match b.op {
                    syn::BinOp::Add(_) => Some(RLit::Float(x + y)),
                    syn::BinOp::Sub(_) => Some(RLit::Float(x - y)),
                    syn::BinOp::Mul(_) => Some(RLit::Float(x * y)),
                    syn::BinOp::Div(_) => Some(RLit::Float(x / y)),
                    _ => None,
                },
                // mixing is a Rust type error, reported by rustc
                _ => None,
            }
        }
        _ => None,
    })
}

/// The values of a literal parameter and whether it is a list.
fn literal_param(e: &Expr) -> Result<Option<(Vec<f64>, bool)>, Error> {
    let list = |elems: Vec<&Expr>| -> Result<Option<(Vec<f64>, bool)>, Error> {
        let mut out = Vec::new();
        for x in elems {
            match rust_literal(x)? {
                Some(v) => out.push(v.f64()),
                None => return Ok(None),
            }
        }
        Ok(Some((out, true)))
    };
    match e {
        Expr::Array(a) => list(a.elems.iter().collect()),
        Expr::Reference(r) => literal_param(&r.expr),
        Expr::Macro(m) if m.mac.path.is_ident("vec") => {
            let parsed = m.mac.parse_body_with(
                syn::punctuated::Punctuated::<Expr, syn::Token![,]>::parse_terminated,
            );
            match parsed {
                Ok(p) => list(p.iter().collect()),
                Err(_) => Ok(None),
            }
        }
        _ => Ok(rust_literal(e)?.map(|v| (vec![v.f64()], false))),
    }
}

fn literal_u128(e: &Expr) -> Option<u128> {
    match rust_literal(e).ok()?? {
        RLit::Int(i) => u128::try_from(i).ok(),
        RLit::Float(_) => None,
    }
}

fn fmt_num(v: f64) -> String {
    let r = (v * 1e12).round() / 1e12;
    format!("{r}")
}

/// The signed terms of a sum, on the syntax (spans kept).
fn ast_terms(e: &Ex) -> Vec<(bool, &Ex)> {
    fn go<'a>(e: &'a Ex, neg: bool, out: &mut Vec<(bool, &'a Ex)>) {
        match e {
            Ex::Bin(BinOp::Add, x, y, _) => {
                go(x, neg, out);
                go(y, neg, out);
            }
            Ex::Bin(BinOp::Sub, x, y, _) => {
                go(x, neg, out);
                go(y, !neg, out);
            }
            Ex::Neg(x, _) => go(x, !neg, out),
            _ => out.push((neg, e)),
        }
    }
    let mut out = Vec::new();
    go(e, false, &mut out);
    out
}

/// The factors of a product, on the syntax.
fn ast_factors(e: &Ex) -> Vec<&Ex> {
    match e {
        Ex::Bin(BinOp::Mul, x, y, _) => {
            let mut v = ast_factors(x);
            v.extend(ast_factors(y));
            v
        }
        _ => vec![e],
    }
}

/// Rebuilds a signed sum (`None` when empty).
fn sum_of(terms: Vec<(bool, ExprIr)>) -> Option<ExprIr> {
    let mut acc: Option<ExprIr> = None;
    for (neg, t) in terms {
        acc = Some(match (acc, neg) {
            (None, false) => t,
            (None, true) => ExprIr::Neg(Box::new(t)),
            (Some(a), false) => ExprIr::Add(Box::new(a), Box::new(t)),
            (Some(a), true) => ExprIr::Sub(Box::new(a), Box::new(t)),
        });
    }
    acc
}

fn product_of(factors: Vec<ExprIr>) -> ExprIr {
    factors
        .into_iter()
        .reduce(|a, b| ExprIr::Mul(Box::new(a), Box::new(b)))
        .unwrap_or(ExprIr::Num(1.0))
}

impl Checker {
    fn err(&mut self, e: Error) {
        self.errors.push(e);
    }

    fn at(&mut self, sp: Sp, msg: impl std::fmt::Display) {
        self.errors.push(sp.error(msg));
    }

    fn lookup(&self, name: &str) -> Option<Sym> {
        self.decls.iter().find(|d| d.name == name).map(|d| d.sym)
    }

    fn describe(&self, sym: Sym) -> &'static str {
        match sym {
            Sym::Param(_) => "a parameter",
            Sym::Price(_) => "a price",
            Sym::Derived(_) => "a firm-block quantity",
            Sym::Wealth => "the wealth state",
            Sym::Income(_) => "an income state",
            Sym::Control => "the control",
        }
    }

    fn declare(&mut self, name: &Ident, sym: Sym) {
        let n = name.to_string();
        if let Some((_, meaning)) = RESERVED.iter().find(|(r, _)| *r == n) {
            self.err(Error::new(
                name.span(),
                format!("`{n}` is reserved: it names {meaning}; choose another name"),
            ));
            return;
        }
        if let Some(first) = self.decls.iter().find(|d| d.name == n) {
            let what = self.describe(first.sym);
            self.err(Error::new(
                name.span(),
                format!("`{n}` is declared twice (first as {what}); every name must be unique"),
            ));
            return;
        }
        self.decls.push(Decl { name: n, sym });
    }

    fn unknown(&mut self, name: &Ident, ctx: &Ctx) {
        let n = name.to_string();
        let mut cands: Vec<&str> = self.decls.iter().map(|d| d.name.as_str()).collect();
        if ctx.dv {
            cands.push("dV");
        }
        let hint = match suggest(&n, cands) {
            Some(s) => format!(": did you mean `{s}`?"),
            None => format!(
                " in {}: declare it in `params {{ .. }}`, `prices {{ .. }}`, `firm {{ .. }}` or \
                 `states {{ .. }}`",
                ctx.what
            ),
        };
        self.err(Error::new(name.span(), format!("unknown name `{n}`{hint}")));
    }

    /// Resolves a model expression in a context; `None` after an error.
    fn resolve(&mut self, e: &Ex, ctx: &Ctx) -> Option<ExprIr> {
        use ExprIr as E;
        let b = Box::new;
        match e {
            Ex::Num(v, _) => Some(E::Num(*v)),
            Ex::Unsupported(sp, msg) => {
                self.at(*sp, msg);
                None
            }
            Ex::Neg(x, _) => Some(E::Neg(b(self.resolve(x, ctx)?))),
            Ex::Bin(op, x, y, _) => {
                let (x, y) = (self.resolve(x, ctx), self.resolve(y, ctx));
                let (x, y) = (b(x?), b(y?));
                Some(match op {
                    BinOp::Add => E::Add(x, y),
                    BinOp::Sub => E::Sub(x, y),
                    BinOp::Mul => E::Mul(x, y),
                    BinOp::Div => E::Div(x, y),
                })
            }
            Ex::Call {
                func,
                args,
                method,
                span,
            } => {
                let f = func.to_string();
                if f == "sum" && !method {
                    self.at(
                        *span,
                        format!(
                            "`sum(.. * g)` aggregates over the distribution g and is allowed \
                             only in a clearing condition, `clear sum(a * g) == ..;`, \
                             not in {}",
                            ctx.what
                        ),
                    );
                    return None;
                }
                let resolved: Vec<Option<ExprIr>> =
                    args.iter().map(|a| self.resolve(a, ctx)).collect();
                let Some(&(_, arity)) = FUNCTIONS.iter().find(|(n, _)| *n == f) else {
                    let hint = match f.as_str() {
                        "sqrt" => " (a square root is `x.powf(0.5)`)".to_string(),
                        "log" | "log10" | "log2" => {
                            " (the natural logarithm is `x.ln()`)".to_string()
                        }
                        "powi" | "pow" => " (a power is `x.powf(y)`)".to_string(),
                        "abs" => " (|x| has a kink; write `x.max(-x)` or smooth it with softplus)"
                            .to_string(),
                        _ => match suggest(&f, FUNCTIONS.iter().map(|(n, _)| *n)) {
                            Some(s) => format!(" (did you mean `{s}`?)"),
                            None => String::new(),
                        },
                    };
                    self.err(Error::new(
                        func.span(),
                        format!(
                            "`{f}` is not a function of model expressions: the supported \
                             functions are powf, ln, exp, min, max and softplus{hint}"
                        ),
                    ));
                    return None;
                };
                if args.len() != arity {
                    let usage = match (arity, f.as_str()) {
                        (1, _) => format!("`x.{f}()` or `{f}(x)`"),
                        (_, "softplus") => "`softplus(x, mu)`".to_string(),
                        _ => format!("`x.{f}(y)` or `{f}(x, y)`"),
                    };
                    let found = if *method { args.len() - 1 } else { args.len() };
                    let wanted = if *method { arity - 1 } else { arity };
                    self.at(
                        *span,
                        format!(
                            "`{f}` takes {wanted} argument{} here, found {found}: write {usage}",
                            if wanted == 1 { "" } else { "s" }
                        ),
                    );
                    return None;
                }
                let mut it = resolved.into_iter();
                let mut next = || it.next().flatten().map(b);
                let x = next();
                Some(match f.as_str() {
                    "ln" => E::Ln(x?),
                    "exp" => E::Exp(x?),
                    _ => {
                        let y = next();
                        let (x, y) = (x?, y?);
                        match f.as_str() {
                            "powf" => E::Powf(x, y),
                            "min" => E::Min(x, y),
                            "max" => E::Max(x, y),
                            _ => E::Softplus(x, y),
                        }
                    }
                })
            }
            Ex::Index(name, k, sp) => {
                let sym = self.name_sym(name, ctx)?;
                let Sym::Param(i) = sym else {
                    let what = self.describe(sym);
                    self.at(
                        *sp,
                        format!("only a list parameter can be indexed: `{name}` is {what}"),
                    );
                    return None;
                };
                let uses = &mut self.params[i].uses;
                if uses.index.is_none_or(|(m, _)| *k > m) {
                    uses.index = Some((*k, *sp));
                }
                Some(E::Param {
                    index: i,
                    element: *k,
                })
            }
            Ex::Name(name) => {
                let sym = self.name_sym(name, ctx)?;
                Some(match sym {
                    Sym::Param(i) => {
                        let uses = &mut self.params[i].uses;
                        if uses.scalar.is_none() {
                            uses.scalar = Some(Sp::one(name.span()));
                        }
                        E::Param {
                            index: i,
                            element: 0,
                        }
                    }
                    Sym::Price(i) => E::Price(i),
                    Sym::Derived(i) => E::Derived(i),
                    Sym::Wealth => E::Wealth,
                    Sym::Income(i) => E::Income(i),
                    Sym::Control => E::Control,
                })
            }
        }
    }

    /// The symbol of a name used in `ctx`, or an error (reserved names,
    /// unknown names, names the context does not know).
    fn name_sym(&mut self, name: &Ident, ctx: &Ctx) -> Option<Sym> {
        let n = name.to_string();
        match n.as_str() {
            "g" => {
                self.err(Error::new(
                    name.span(),
                    format!(
                        "`g` is the distribution: it appears only as a factor inside \
                         `sum(.. * g)` in a clearing condition, not in {}",
                        ctx.what
                    ),
                ));
                return None;
            }
            "V" => {
                self.err(Error::new(
                    name.span(),
                    "`V` is the value function, which the solver finds; a model refers to it \
                     only through `dV` (dV/da) in a first-order condition `foc c = ..;`",
                ));
                return None;
            }
            "dV" if ctx.dv => {
                self.err(Error::new(
                    name.span(),
                    "`dV` is one number, the marginal value dV/da: it has no elements",
                ));
                return None;
            }
            "dV" => {
                self.err(Error::new(
                    name.span(),
                    format!(
                        "`dV` (the marginal value dV/da) is known only in a first-order \
                         condition `foc c = ..;`, not in {}",
                        ctx.what
                    ),
                ));
                return None;
            }
            _ => {}
        }
        let Some(sym) = self.lookup(&n) else {
            self.unknown(name, ctx);
            return None;
        };
        let ok = match sym {
            Sym::Param(_) => true,
            Sym::Price(_) => ctx.prices,
            Sym::Derived(i) => match ctx.derived {
                Some(k) if i < k => true,
                Some(k) if ctx.firm => {
                    let msg = if i == k {
                        format!("`{n}` is defined in terms of itself")
                    } else {
                        format!(
                            "`{n}` is defined later in the firm block: its quantities are \
                             computed in order, so define `{n}` before it is used"
                        )
                    };
                    self.err(Error::new(name.span(), msg));
                    return None;
                }
                _ => false,
            },
            Sym::Wealth => ctx.wealth,
            Sym::Income(i) => match ctx.income {
                Some(None) => true,
                Some(Some(j)) => i == j,
                None => false,
            },
            Sym::Control => ctx.control,
        };
        if !ok {
            let what = self.describe(sym);
            self.err(Error::new(
                name.span(),
                format!(
                    "`{n}` is {what} and cannot appear in {}: {}",
                    ctx.what, ctx.allowed
                ),
            ));
            return None;
        }
        Some(sym)
    }

    /// Resolves an expression that may use `dV`.
    fn resolve_foc(&mut self, e: &Ex, ctx: &Ctx) -> Option<ExprIr> {
        // `dV` is a leaf of its own: substitute before the generic resolver.
        fn has_dv(e: &Ex) -> bool {
            e.mentions("dV")
        }
        if !has_dv(e) {
            return self.resolve(e, ctx);
        }
        match e {
            Ex::Name(i) if i == "dV" => Some(ExprIr::MarginalValue),
            Ex::Neg(x, _) => Some(ExprIr::Neg(Box::new(self.resolve_foc(x, ctx)?))),
            Ex::Bin(op, x, y, _) => {
                let (x, y) = (self.resolve_foc(x, ctx), self.resolve_foc(y, ctx));
                let (x, y) = (Box::new(x?), Box::new(y?));
                Some(match op {
                    BinOp::Add => ExprIr::Add(x, y),
                    BinOp::Sub => ExprIr::Sub(x, y),
                    BinOp::Mul => ExprIr::Mul(x, y),
                    BinOp::Div => ExprIr::Div(x, y),
                })
            }
            Ex::Call {
                func,
                args,
                method,
                span,
            } => {
                // resolve the arguments with dV, then rebuild through the
                // generic path on placeholders to reuse its checks
                let resolved: Vec<Option<ExprIr>> =
                    args.iter().map(|a| self.resolve_foc(a, ctx)).collect();
                let placeholders: Vec<Ex> = args.iter().map(|a| Ex::Num(1.0, a.span())).collect();
                let shape = self.resolve(
                    &Ex::Call {
                        func: func.clone(),
                        args: placeholders,
                        method: *method,
                        span: *span,
                    },
                    ctx,
                )?;
                let args: Vec<Box<ExprIr>> = resolved
                    .into_iter()
                    .map(|a| a.map(Box::new))
                    .collect::<Option<_>>()?;
                let mut it = args.into_iter();
                let mut n = || it.next().expect("arity checked");
                Some(match shape {
                    ExprIr::Ln(_) => ExprIr::Ln(n()),
                    ExprIr::Exp(_) => ExprIr::Exp(n()),
                    ExprIr::Powf(..) => ExprIr::Powf(n(), n()),
                    ExprIr::Min(..) => ExprIr::Min(n(), n()),
                    ExprIr::Max(..) => ExprIr::Max(n(), n()),
                    _ => ExprIr::Softplus(n(), n()),
                })
            }
            other => self.resolve(other, ctx),
        }
    }

    /// The value of an expression of literal numbers and literal
    /// parameters, with the given prices, derived values and state.
    fn eval(
        &self,
        e: &ExprIr,
        prices: Option<&[f64]>,
        derived: &[f64],
        wealth: Option<f64>,
        income: Option<&[f64]>,
    ) -> Option<f64> {
        let known = !e.any(&|x| match x {
            ExprIr::Param { index, element } => self
                .lit_params
                .get(*index)
                .is_none_or(|p| *element >= p.values.len()),
            _ => false,
        });
        if !known {
            return None;
        }
        let env = Env {
            params: &self.lit_params,
            prices,
            derived,
            wealth,
            income,
            control: None,
            marginal_value: None,
        };
        e.eval(&env).ok().filter(|v| v.is_finite())
    }

    fn lit(&self, e: &ExprIr) -> Option<f64> {
        self.eval(e, None, &[], None, None)
    }

    fn lit_with(&self, e: &ExprIr, control: Option<f64>, dv: Option<f64>) -> Option<f64> {
        self.lit(&ExprIr::Num(0.0))?;
        let known = !e.any(&|x| match x {
            ExprIr::Param { index, element } => self
                .lit_params
                .get(*index)
                .is_none_or(|p| *element >= p.values.len()),
            _ => false,
        });
        if !known {
            return None;
        }
        let env = Env {
            params: &self.lit_params,
            control,
            marginal_value: dv,
            ..Env::default()
        };
        e.eval(&env).ok().filter(|v| v.is_finite())
    }

    /// A readable form of an expression for messages.
    fn show(&self, e: &ExprIr) -> String {
        let name = |leaf: &ExprIr| -> String {
            let find = |s: Sym| {
                self.decls
                    .iter()
                    .find(|d| d.sym == s)
                    .map_or("?".to_string(), |d| d.name.clone())
            };
            match leaf {
                ExprIr::Param { index, element } => {
                    let n = find(Sym::Param(*index));
                    let p = &self.params[*index];
                    let list = p.uses.index.is_some()
                        || p.uses.whole.is_some()
                        || p.literal.as_ref().is_some_and(|(_, l)| *l);
                    if list {
                        format!("{n}[{element}]")
                    } else {
                        n
                    }
                }
                ExprIr::Price(i) => find(Sym::Price(*i)),
                ExprIr::Derived(i) => find(Sym::Derived(*i)),
                ExprIr::Wealth => find(Sym::Wealth),
                ExprIr::Income(i) => find(Sym::Income(*i)),
                ExprIr::Control => find(Sym::Control),
                ExprIr::MarginalValue => "dV".to_string(),
                _ => "?".to_string(),
            }
        };
        symbolic::display(e, &name)
    }

    fn check_bounds(&mut self, lo: &ExprIr, hi: &ExprIr, sp: Sp, what: &str) {
        if let (Some(l), Some(h)) = (self.lit(lo), self.lit(hi)) {
            if l >= h {
                self.at(
                    sp,
                    format!(
                        "{what} is empty: it runs from {} to {}, and its lower end must be \
                         below its upper end",
                        fmt_num(l),
                        fmt_num(h)
                    ),
                );
            }
        }
    }

    fn check_points(&mut self, state: &Ident, p: &Points) -> PointsSpec {
        let (n, sp) = match p {
            Points::Pow2(k, sp) => match literal_u128(k) {
                Some(k) if k > 63 => {
                    self.at(
                        *sp,
                        format!(
                            "the grid of `{state}` has 2^{k} points, more than the largest \
                             grid, 2^63"
                        ),
                    );
                    return PointsSpec::Literal(0);
                }
                Some(k) => (1u128 << k, *sp),
                None => return PointsSpec::Pow2(k.clone()),
            },
            Points::Count(e, sp) => match literal_u128(e) {
                Some(n) => (n, *sp),
                None => return PointsSpec::Count(e.clone()),
            },
        };
        if n < 2 {
            self.at(
                sp,
                format!("the grid of `{state}` needs at least 2 points, found {n}"),
            );
        } else if n > 1u128 << 63 {
            self.at(
                sp,
                format!("the grid of `{state}` has {n} points, more than the largest grid, 2^63"),
            );
        } else if !n.is_power_of_two() {
            let below = 1u128 << (127 - n.leading_zeros());
            let above = below << 1;
            let (near, k) = if n - below <= above - n && below >= 2 {
                (below, 127 - n.leading_zeros())
            } else {
                (above, 128 - n.leading_zeros())
            };
            self.at(
                sp,
                format!(
                    "the grid of `{state}` has {n} points; a quantized tensor train needs a \
                     power of two ({near} = 2^{k} is the nearest)"
                ),
            );
        }
        PointsSpec::Literal(n.min(u64::MAX as u128) as u64)
    }
}

/// Where the pieces of a model were written (the first of each when one
/// is given twice, which is an error).
#[derive(Default)]
struct Sections<'a> {
    params: Option<&'a [super::ast::ParamDecl]>,
    prices: Option<(&'a Ident, &'a [super::ast::PriceDecl])>,
    firm: Option<&'a [super::ast::DerivedDecl]>,
    states: Option<&'a [StateDecl]>,
    control: Option<&'a Ident>,
    utility: Option<&'a Ex>,
    foc: Option<(&'a Ident, &'a Ex)>,
    drifts: Vec<(&'a Ident, &'a Ex)>,
    borrowing: Option<(&'a Ident, &'a Ex)>,
    discount: Option<&'a Ex>,
    clears: Vec<(&'a Ident, &'a Ex, &'a Ex)>,
}

/// Fills `slot` unless it is full; says whether it was filled.
fn once<T>(slot: &mut Option<T>, value: T, kw: &Ident, errors: &mut Vec<Error>) -> bool {
    if slot.is_some() {
        errors.push(Error::new(
            kw.span(),
            format!("`{kw}` is given twice: a model has one `{kw}`"),
        ));
        false
    } else {
        *slot = Some(value);
        true
    }
}

fn missing(what: &str) -> Error {
    Error::new(Span::call_site(), what)
}

/// Checks a parsed model; all errors combined into one.
pub fn check(input: &ModelInput) -> syn::Result<Spec> {
    let mut ck = Checker {
        decls: Vec::new(),
        params: Vec::new(),
        n_derived: 0,
        control: None,
        errors: Vec::new(),
        lit_params: Vec::new(),
    };
    let mut s = Sections::default();
    let mut wealth: Option<&StateDecl> = None;
    let mut income: Vec<&StateDecl> = Vec::new();
    // Sections and declarations, in the order written.
    for item in &input.items {
        let errors = &mut ck.errors;
        match item {
            Item::Params(kw, ps) => {
                if once(&mut s.params, ps.as_slice(), kw, errors) {
                    for p in ps {
                        ck.declare(&p.name, Sym::Param(ck.params.len()));
                        let literal = literal_param(&p.value).unwrap_or_else(|e| {
                            ck.err(e);
                            None
                        });
                        ck.params.push(ParamInfo {
                            name: p.name.clone(),
                            value: p.value.clone(),
                            literal,
                            uses: Uses::default(),
                        });
                    }
                }
            }
            Item::Prices(kw, ps) => {
                if once(&mut s.prices, (kw, ps.as_slice()), kw, errors) {
                    for (i, p) in ps.iter().enumerate() {
                        ck.declare(&p.name, Sym::Price(i));
                    }
                }
            }
            Item::Firm(kw, ds) => {
                if once(&mut s.firm, ds.as_slice(), kw, errors) {
                    for (i, d) in ds.iter().enumerate() {
                        ck.declare(&d.name, Sym::Derived(i));
                    }
                    ck.n_derived = ds.len();
                }
            }
            Item::States(kw, ss) => {
                if once(&mut s.states, ss.as_slice(), kw, errors) {
                    for st in ss {
                        if st.kind != Kind::Wealth {
                            ck.declare(&st.name, Sym::Income(income.len()));
                            income.push(st);
                        } else if let Some(first) = wealth {
                            ck.err(Error::new(
                                st.name.span(),
                                format!(
                                    "a second wealth state `{}`: a model has one asset, `{}` \
                                     (several assets are not supported yet)",
                                    st.name, first.name
                                ),
                            ));
                        } else {
                            ck.declare(&st.name, Sym::Wealth);
                            wealth = Some(st);
                        }
                    }
                }
            }
            Item::Control(kw, c) => {
                if once(&mut s.control, c, kw, errors) {
                    ck.declare(c, Sym::Control);
                    ck.control = Some(c.to_string());
                }
            }
            Item::Utility(kw, u) => {
                once(&mut s.utility, u, kw, errors);
            }
            Item::Foc(kw, c, f) => {
                once(&mut s.foc, (c, f), kw, errors);
            }
            Item::Drift(_, a, d) => s.drifts.push((a, d)),
            Item::Borrowing(kw, a, l) => {
                once(&mut s.borrowing, (a, l), kw, errors);
            }
            Item::Discount(kw, d) => {
                once(&mut s.discount, d, kw, errors);
            }
            Item::Clear(kw, l, r) => s.clears.push((kw, l, r)),
        }
    }
    ck.lit_params = ck
        .params
        .iter()
        .map(|p| ParamIr {
            name: p.name.to_string(),
            values: p.literal.as_ref().map_or(Vec::new(), |(v, _)| v.clone()),
        })
        .collect();

    let n_prices = s.prices.map_or(0, |(_, p)| p.len());

    // Prices.
    let mut prices = Vec::new();
    for p in s.prices.map_or(&[][..], |(_, p)| p) {
        let ctx = Ctx::params_only("a price bracket");
        let lo = ck.resolve(&p.lo, &ctx);
        let hi = ck.resolve(&p.hi, &ctx);
        if let (Some(lo), Some(hi)) = (&lo, &hi) {
            ck.check_bounds(
                lo,
                hi,
                p.span,
                &format!("the bracket of the price `{}`", p.name),
            );
        }
        prices.push((
            p.name.to_string(),
            lo.unwrap_or(ExprIr::Num(0.0)),
            hi.unwrap_or(ExprIr::Num(0.0)),
        ));
    }

    // The firm block.
    let mut derived = Vec::new();
    for (i, d) in s.firm.unwrap_or(&[]).iter().enumerate() {
        let ctx = Ctx {
            what: "the firm block",
            allowed: "it may use parameters, prices and the quantities defined above it",
            prices: true,
            derived: Some(i),
            firm: true,
            ..Ctx::params_only("")
        };
        let v = ck.resolve(&d.value, &ctx);
        derived.push((d.name.to_string(), v.unwrap_or(ExprIr::Num(0.0))));
    }

    // Drift statements: which state each is for.
    let mut wealth_drift: Option<&Ex> = None;
    let mut diffusion_drift: Vec<Option<&Ex>> = vec![None; income.len()];
    for (name, d) in &s.drifts {
        match ck.lookup(&name.to_string()) {
            Some(Sym::Wealth) => {
                if wealth_drift.is_some() {
                    ck.err(Error::new(
                        name.span(),
                        format!("the drift of `{name}` is given twice"),
                    ));
                }
                wealth_drift = Some(d);
            }
            Some(Sym::Income(i)) => match income[i].kind {
                Kind::Markov => ck.err(Error::new(
                    name.span(),
                    format!(
                        "`{name}` is a Markov state: it jumps between its values at the rates of \
                         its matrix and has no drift (only wealth and diffusion states have one)"
                    ),
                )),
                _ => {
                    if income[i].drift.is_some() || diffusion_drift[i].is_some() {
                        ck.err(Error::new(
                            name.span(),
                            format!("the drift of `{name}` is given twice"),
                        ));
                    }
                    diffusion_drift[i] = Some(d);
                }
            },
            Some(sym) => {
                let what = ck.describe(sym);
                ck.err(Error::new(
                    name.span(),
                    format!("`{name}` is {what}, not a state: only states have a drift"),
                ));
            }
            None => ck.unknown(name, &Ctx::params_only("a drift")),
        }
    }

    // The wealth state.
    let bounds_ctx = Ctx::params_only("the bounds of a grid");
    let wealth_spec = match wealth {
        None => {
            ck.err(missing(
                "a model needs a wealth state: `states { a: wealth on [amin, amax] with 2^10 \
                 points; .. }`",
            ));
            None
        }
        Some(w) => {
            for (clause, present) in [
                ("values", w.values.as_ref().map(|v| &v.0)),
                ("rates", w.rates.as_ref().map(|r| &r.0)),
                ("variance", w.variance.as_ref().map(|v| &v.0)),
                ("drift", w.drift.as_ref().map(|v| &v.0)),
            ] {
                if let Some(kw) = present {
                    let hint = if clause == "drift" {
                        format!(": write it as a statement, `drift {} = .. - c;`", w.name)
                    } else {
                        String::new()
                    };
                    ck.err(Error::new(
                        kw.span(),
                        format!("`{clause}` does not apply to a wealth state{hint}"),
                    ));
                }
            }
            let (lo, hi) = match &w.bounds {
                Some((_, lo, hi, sp)) => {
                    let (lo, hi) = (ck.resolve(lo, &bounds_ctx), ck.resolve(hi, &bounds_ctx));
                    if let (Some(l), Some(h)) = (&lo, &hi) {
                        ck.check_bounds(l, h, *sp, &format!("the grid of `{}`", w.name));
                    }
                    (lo, hi)
                }
                None => {
                    ck.err(Error::new(
                        w.name.span(),
                        format!(
                            "the wealth state `{}` needs a grid: `{}: wealth on [amin, amax] \
                             with 2^10 points`",
                            w.name, w.name
                        ),
                    ));
                    (None, None)
                }
            };
            let points = match &w.points {
                Some((_, p)) => ck.check_points(&w.name, p),
                None => {
                    ck.err(Error::new(
                        w.name.span(),
                        format!(
                            "the wealth state `{}` needs a grid size: `with 2^10 points`",
                            w.name
                        ),
                    ));
                    PointsSpec::Literal(0)
                }
            };
            if wealth_drift.is_none() {
                ck.err(Error::new(
                    w.name.span(),
                    format!(
                        "the state `{}` has no drift: add `drift {} = <income> - {};` (how \
                         wealth moves: income minus consumption)",
                        w.name,
                        w.name,
                        ck.control.clone().unwrap_or_else(|| "c".into())
                    ),
                ));
            }
            Some((w, lo, hi, points))
        }
    };

    // Income processes.
    let mut income_specs = Vec::new();
    for (i, st) in income.iter().enumerate() {
        let name = st.name.to_string();
        match st.kind {
            Kind::Markov => {
                for (clause, kw) in [
                    ("on", st.bounds.as_ref().map(|b| &b.0)),
                    ("with", st.points.as_ref().map(|p| &p.0)),
                    ("variance", st.variance.as_ref().map(|v| &v.0)),
                ] {
                    if let Some(kw) = kw {
                        ck.err(Error::new(
                            kw.span(),
                            format!(
                                "`{clause}` does not apply to a Markov state: it takes its \
                                 values and its rates"
                            ),
                        ));
                    }
                }
                if let Some((kw, _)) = &st.drift {
                    ck.err(Error::new(
                        kw.span(),
                        format!(
                            "`{name}` is a Markov state: it jumps between its values at the \
                             rates of its matrix and has no drift (only wealth and diffusion \
                             states have one)"
                        ),
                    ));
                }
                let ctx = Ctx::params_only("the values and rates of a Markov state");
                let (values, n_values) = match &st.values {
                    None => {
                        ck.err(Error::new(
                            st.name.span(),
                            format!(
                                "the Markov state `{name}` needs its income values: `values z` \
                                 or `values [0.1, 0.2]`"
                            ),
                        ));
                        (ValuesSpec::List(Vec::new()), None)
                    }
                    Some((_, Values::List(xs, _))) => {
                        let v: Vec<ExprIr> = xs
                            .iter()
                            .map(|x| ck.resolve(x, &ctx).unwrap_or(ExprIr::Num(0.0)))
                            .collect();
                        let n = v.len();
                        (ValuesSpec::List(v), Some(n))
                    }
                    Some((_, Values::Param(p))) => match ck.lookup(&p.to_string()) {
                        Some(Sym::Param(k)) => {
                            let info = &mut ck.params[k];
                            info.uses.whole.get_or_insert(Sp::one(p.span()));
                            let n = match &info.literal {
                                Some((v, true)) => Some(v.len()),
                                Some((_, false)) => {
                                    let msg = format!(
                                        "`{p}` is one number; the values of a Markov state are a \
                                         list, one per state (`{p} = [0.1, 0.2]`)"
                                    );
                                    ck.err(Error::new(p.span(), msg));
                                    None
                                }
                                None => None,
                            };
                            (ValuesSpec::Param(k), n)
                        }
                        Some(sym) => {
                            let what = ck.describe(sym);
                            ck.err(Error::new(
                                p.span(),
                                format!(
                                    "`{p}` is {what}: the values of a Markov state are a list \
                                     parameter or a list `[..]`"
                                ),
                            ));
                            (ValuesSpec::List(Vec::new()), None)
                        }
                        None => {
                            ck.unknown(p, &ctx);
                            (ValuesSpec::List(Vec::new()), None)
                        }
                    },
                };
                let rates = match &st.rates {
                    None => {
                        ck.err(Error::new(
                            st.name.span(),
                            format!(
                                "the Markov state `{name}` needs its intensity matrix: \
                                 `rates [[-0.5, 0.5], [0.3, -0.3]]`"
                            ),
                        ));
                        Vec::new()
                    }
                    Some((_, rows, msp)) => {
                        let n = rows.len();
                        let resolved: Vec<Vec<ExprIr>> = rows
                            .iter()
                            .map(|(r, _)| {
                                r.iter()
                                    .map(|x| ck.resolve(x, &ctx).unwrap_or(ExprIr::Num(f64::NAN)))
                                    .collect()
                            })
                            .collect();
                        let mut square = true;
                        for (j, (r, rsp)) in rows.iter().enumerate() {
                            if r.len() != n {
                                square = false;
                                ck.at(
                                    *rsp,
                                    format!(
                                        "row {j} of the rates matrix of `{name}` has {} entries, \
                                         expected {n}: the matrix is square, one row and one \
                                         column per income state",
                                        r.len()
                                    ),
                                );
                            }
                        }
                        if let Some(nv) = n_values {
                            if square && nv != n {
                                ck.at(
                                    *msp,
                                    format!(
                                        "the rates matrix of `{name}` is {n}x{n} but `{name}` has \
                                         {nv} value{}: one row and one column per income state",
                                        if nv == 1 { "" } else { "s" }
                                    ),
                                );
                            }
                        }
                        if square {
                            for (j, (r, rsp)) in rows.iter().enumerate() {
                                let vals: Vec<Option<f64>> =
                                    resolved[j].iter().map(|x| ck.lit(x)).collect();
                                for (k, v) in vals.iter().enumerate() {
                                    if let Some(v) = v {
                                        if k != j && *v < 0.0 {
                                            ck.at(
                                                r[k].span(),
                                                format!(
                                                    "`rates[{j}][{k}]` = {} is negative: an \
                                                     off-diagonal entry is the rate of jumping \
                                                     from state {j} to state {k}, and a rate \
                                                     cannot be negative",
                                                    fmt_num(*v)
                                                ),
                                            );
                                        }
                                    }
                                }
                                if let Some(vs) = vals.iter().copied().collect::<Option<Vec<f64>>>()
                                {
                                    let sum: f64 = vs.iter().sum();
                                    let scale = vs.iter().fold(1.0f64, |m, v| m.max(v.abs()));
                                    if sum.abs() > 1e-9 * scale {
                                        let shown: Vec<String> =
                                            vs.iter().map(|v| fmt_num(*v)).collect();
                                        ck.at(
                                            *rsp,
                                            format!(
                                                "the rows of a rates matrix must sum to 0: row \
                                                 {j}, [{}], sums to {} (an intensity matrix \
                                                 gives the rate of leaving each state on its \
                                                 diagonal, with a minus sign)",
                                                shown.join(", "),
                                                fmt_num(sum)
                                            ),
                                        );
                                    }
                                }
                            }
                        }
                        resolved
                    }
                };
                income_specs.push(IncomeSpec::Markov {
                    name,
                    values,
                    rates,
                });
            }
            Kind::Diffusion => {
                for (clause, kw) in [
                    ("values", st.values.as_ref().map(|v| &v.0)),
                    ("rates", st.rates.as_ref().map(|r| &r.0)),
                ] {
                    if let Some(kw) = kw {
                        ck.err(Error::new(
                            kw.span(),
                            format!(
                                "`{clause}` does not apply to a diffusion: it takes a drift, a \
                                 variance, a grid and a grid size"
                            ),
                        ));
                    }
                }
                let ctx = Ctx {
                    what: "the drift or variance of a diffusion",
                    allowed: "it may use parameters and the diffusion's own state",
                    income: Some(Some(i)),
                    ..Ctx::params_only("")
                };
                let drift_ex = st.drift.as_ref().map(|d| &d.1).or(diffusion_drift[i]);
                let drift = match drift_ex {
                    Some(d) => ck.resolve(d, &ctx),
                    None => {
                        ck.err(Error::new(
                            st.name.span(),
                            format!(
                                "the state `{name}` has no drift: write `{name}: diffusion drift \
                                 <expression> variance <expression> on [lo, hi] with 2^10 points`"
                            ),
                        ));
                        None
                    }
                };
                let variance = match &st.variance {
                    Some((_, v)) => ck.resolve(v, &ctx),
                    None => {
                        ck.err(Error::new(
                            st.name.span(),
                            format!(
                                "the diffusion `{name}` has no variance: add `variance sigma2` \
                                 (the squared volatility; without noise `{name}` would be a \
                                 deterministic state)"
                            ),
                        ));
                        None
                    }
                };
                let (lo, hi) = match &st.bounds {
                    Some((_, lo, hi, sp)) => {
                        let (lo, hi) = (ck.resolve(lo, &bounds_ctx), ck.resolve(hi, &bounds_ctx));
                        if let (Some(l), Some(h)) = (&lo, &hi) {
                            ck.check_bounds(l, h, *sp, &format!("the grid of `{name}`"));
                        }
                        (lo, hi)
                    }
                    None => {
                        ck.err(Error::new(
                            st.name.span(),
                            format!("the diffusion `{name}` needs a grid: `on [lo, hi]`"),
                        ));
                        (None, None)
                    }
                };
                let points = match &st.points {
                    Some((_, p)) => ck.check_points(&st.name, p),
                    None => {
                        ck.err(Error::new(
                            st.name.span(),
                            format!("the diffusion `{name}` needs a grid size: `with 2^10 points`"),
                        ));
                        PointsSpec::Literal(0)
                    }
                };
                let z = ExprIr::Num(0.0);
                income_specs.push(IncomeSpec::Diffusion {
                    name,
                    drift: drift.unwrap_or(z.clone()),
                    variance: variance.unwrap_or(z.clone()),
                    lo: lo.unwrap_or(z.clone()),
                    hi: hi.unwrap_or(z),
                    points,
                });
            }
            Kind::Wealth => unreachable!("wealth is not income"),
        }
    }

    // The control, its drift and the budget.
    let control_name = ck.control.clone();
    if s.control.is_none() {
        ck.err(missing(
            "missing `control c;`: the household's choice (consumption) that the model optimises",
        ));
    }
    let drift_ctx = Ctx {
        what: "the drift of wealth",
        allowed: "it may use parameters, prices, firm quantities, the states and the control",
        prices: true,
        derived: Some(ck.n_derived),
        wealth: true,
        income: Some(None),
        control: true,
        dv: false,
        firm: false,
    };
    let mut resources = ExprIr::Num(0.0);
    if let (Some(d), Some(w)) = (wealth_drift, wealth) {
        let terms = ast_terms(d);
        let c = control_name.clone().unwrap_or_default();
        let with_c: Vec<usize> = (0..terms.len())
            .filter(|&k| control_name.is_some() && terms[k].1.mentions(&c))
            .collect();
        let mut rest = Vec::new();
        let mut control_term = None;
        for (k, (neg, t)) in terms.iter().enumerate() {
            let r = ck.resolve(t, &drift_ctx);
            if !with_c.contains(&k) {
                if let Some(r) = r {
                    rest.push((*neg, r));
                }
            } else {
                control_term = r;
            }
        }
        resources = sum_of(rest).unwrap_or(ExprIr::Num(0.0));
        if let Some(cid) = s.control {
            match with_c.as_slice() {
                [] => ck.err(Error::new(
                    cid.span(),
                    format!(
                        "the control `{c}` appears in no drift: the household's choice must move \
                         a state, as in `drift {} = w * e + r * {} - {c};`",
                        w.name, w.name
                    ),
                )),
                [k] => {
                    let (neg, t) = terms[*k];
                    let unit = |x: &Ex| matches!(x, Ex::Num(v, _) if *v == 1.0);
                    let is_c = |x: &Ex| matches!(x, Ex::Name(i) if *i == c);
                    let plain = match t {
                        Ex::Name(_) => is_c(t),
                        Ex::Bin(BinOp::Mul, x, y, _) => {
                            (unit(x) && is_c(y)) || (is_c(x) && unit(y))
                        }
                        _ => false,
                    };
                    if !plain || !neg {
                        let sign = if neg { "-" } else { "+" };
                        let found = match &control_term {
                            Some(x) => format!("`{sign} {}`", ck.show(x)),
                            None => format!("`{c}` inside another term"),
                        };
                        ck.at(
                            t.span(),
                            format!(
                                "the drift of `{}` must read `resources - {c}`: consumption is \
                                 paid one for one out of wealth, so `{c}` enters once with \
                                 coefficient -1 (found {})",
                                w.name, found
                            ),
                        );
                    }
                }
                [_, more @ ..] => {
                    for k in more {
                        ck.at(
                            terms[*k].1.span(),
                            format!(
                                "the control `{c}` must appear once in the drift of `{}`, as \
                                 `- {c}` (da/dt = resources - {c}); here it appears {} times",
                                w.name,
                                with_c.len()
                            ),
                        );
                    }
                }
            }
        }
    }

    // The borrowing limit: the lower end of the grid.
    let wealth_lo = wealth_spec.as_ref().and_then(|(_, lo, _, _)| lo.clone());
    if let Some((name, limit)) = s.borrowing {
        match ck.lookup(&name.to_string()) {
            Some(Sym::Wealth) => {
                if let (Some(l), Some(lo)) = (ck.resolve(limit, &bounds_ctx), &wealth_lo) {
                    if l != *lo && ck.lit(&l).zip(ck.lit(lo)).is_none_or(|(a, b)| a != b) {
                        let msg = format!(
                            "the borrowing limit is where the wealth grid starts: the grid of \
                             `{name}` starts at `{}`, the limit is `{}` (write `{name}: wealth \
                             on [{}, ..]`)",
                            ck.show(lo),
                            ck.show(&l),
                            ck.show(&l)
                        );
                        ck.at(limit.span(), msg);
                    }
                }
            }
            Some(sym) => {
                let what = ck.describe(sym);
                ck.err(Error::new(
                    name.span(),
                    format!("`{name}` is {what}: a borrowing limit applies to the wealth state"),
                ));
            }
            None => ck.unknown(name, &Ctx::params_only("a borrowing limit")),
        }
    }

    // The utility and the first-order condition.
    let utility_ctx = Ctx {
        what: "the utility",
        allowed: "it may use the control and parameters",
        control: true,
        ..Ctx::params_only("")
    };
    let foc_ctx = Ctx {
        what: "a first-order condition",
        allowed: "it gives the control from `dV` and parameters",
        dv: true,
        ..Ctx::params_only("")
    };
    let mut utility = UtilityIr::Log;
    let foc = s.foc.and_then(|(name, f)| {
        if control_name.as_deref().is_some_and(|c| *name != c) {
            ck.err(Error::new(
                name.span(),
                format!(
                    "the first-order condition gives the control `{}`, not `{name}`",
                    control_name.clone().unwrap_or_default()
                ),
            ));
        }
        let r = ck.resolve_foc(f, &foc_ctx)?;
        if !symbolic::depends_on(&r, &ExprIr::MarginalValue) {
            ck.at(
                f.span(),
                "the first-order condition gives the control as a function of `dV`, the \
                 marginal value, as in `foc c = dV.powf(-1.0 / gamma);`",
            );
            return None;
        }
        Some((f, r))
    });
    match s.utility {
        None => ck.err(missing(
            "missing `utility ..;`: the flow utility of consumption, e.g. `utility c.ln();`",
        )),
        Some(u_ex) => {
            if let Some(u) = ck.resolve(u_ex, &utility_ctx) {
                let c = control_name.clone().unwrap_or_else(|| "c".into());
                if !u.uses_control() {
                    ck.at(
                        u_ex.span(),
                        format!(
                            "the utility does not depend on the control `{c}`: households would \
                             not care how much they consume"
                        ),
                    );
                } else {
                    let recognised = symbolic::recognise_utility(&u, &ExprIr::Control);
                    if let Recognised::Crra { gamma, .. } = &recognised {
                        if let Some(g) = ck.lit(gamma) {
                            if g == 1.0 {
                                ck.at(
                                    u_ex.span(),
                                    "with gamma = 1 the CRRA utility c^(1-gamma)/(1-gamma) is \
                                     0/0: its limit is log utility, write `c.ln()`",
                                );
                            } else if g <= 0.0 {
                                ck.at(
                                    u_ex.span(),
                                    format!(
                                        "risk aversion gamma = {} must be positive: a CRRA \
                                         utility is concave only for gamma > 0",
                                        fmt_num(g)
                                    ),
                                );
                            }
                        }
                    }
                    utility = match (&recognised, &foc) {
                        (Recognised::Crra { gamma, .. }, None) => UtilityIr::Crra {
                            gamma: gamma.clone(),
                        },
                        (Recognised::Log { .. }, None) => UtilityIr::Log,
                        _ => match symbolic::derivative(&u, &ExprIr::Control) {
                            Err(why) => {
                                ck.at(
                                    u_ex.span(),
                                    format!("the marginal utility is not defined: {why}"),
                                );
                                UtilityIr::Log
                            }
                            Ok(marginal) => {
                                let consumption = match &foc {
                                    Some((f_ex, f)) => {
                                        check_foc(&mut ck, &marginal, f, f_ex.span(), &c);
                                        Some(f.clone())
                                    }
                                    None => {
                                        let inv = symbolic::invert(
                                            &marginal,
                                            &ExprIr::Control,
                                            ExprIr::MarginalValue,
                                        );
                                        if inv.is_none() {
                                            let shown = ck.show(&marginal);
                                            ck.at(
                                                u_ex.span(),
                                                format!(
                                                    "cannot solve the first-order condition \
                                                     u'({c}) = dV for `{c}` (the marginal \
                                                     utility is `{shown}`): give it \
                                                     explicitly, `foc {c} = <expression in dV>;`, \
                                                     or use CRRA `{c}.powf(1.0 - gamma) / (1.0 \
                                                     - gamma)` or log `{c}.ln()`, which are \
                                                     recognised"
                                                ),
                                            );
                                        }
                                        inv
                                    }
                                };
                                UtilityIr::General {
                                    utility: u.clone(),
                                    marginal,
                                    consumption: consumption.unwrap_or(ExprIr::Num(0.0)),
                                }
                            }
                        },
                    };
                }
            }
        }
    }

    // Discount.
    let discount = match s.discount {
        None => {
            ck.err(missing(
                "missing `discount rho;`: the rate at which households discount the future",
            ));
            ExprIr::Num(0.0)
        }
        Some(d) => {
            let r = ck.resolve(d, &Ctx::params_only("the discount rate"));
            if let Some(v) = r.as_ref().and_then(|r| ck.lit(r)) {
                if v <= 0.0 {
                    ck.at(
                        d.span(),
                        format!(
                            "the discount rate is {}, it must be positive (households value \
                             today more than tomorrow)",
                            fmt_num(v)
                        ),
                    );
                }
            }
            r.unwrap_or(ExprIr::Num(0.0))
        }
    };

    // Clearing conditions.
    let integrand_ctx = Ctx {
        what: "the integrand of a clearing condition",
        allowed: "it is a function of the states, parameters, prices and firm quantities",
        prices: true,
        derived: Some(ck.n_derived),
        wealth: true,
        income: Some(None),
        ..Ctx::params_only("")
    };
    let target_ctx = Ctx {
        what: "the target of a clearing condition",
        allowed: "it may use parameters, prices and firm quantities",
        prices: true,
        derived: Some(ck.n_derived),
        ..Ctx::params_only("")
    };
    let is_sum = |e: &Ex| matches!(e, Ex::Call { func, method: false, .. } if func == "sum");
    let mut clearing = Vec::new();
    for (_, l, r) in &s.clears {
        let (sum, target) = match (is_sum(l), is_sum(r)) {
            (true, false) => (*l, *r),
            (false, true) => (*r, *l),
            _ => {
                ck.at(
                    Sp::join(l.span(), r.span()),
                    "a clearing condition has one aggregate on one side: `clear sum(a * g) == \
                     target;`",
                );
                continue;
            }
        };
        let Ex::Call { args, span, .. } = sum else {
            unreachable!()
        };
        let [arg] = args.as_slice() else {
            ck.at(
                *span,
                "`sum` takes one argument, the integrand times g: `sum(a * g)`",
            );
            continue;
        };
        let factors = ast_factors(arg);
        let gs = factors
            .iter()
            .filter(|f| matches!(f, Ex::Name(i) if i == "g"))
            .count();
        if gs != 1 {
            ck.at(
                arg.span(),
                "the sum of a clearing condition runs over the distribution: write the \
                 integrand times `g` once, as in `sum(a * g)`",
            );
            continue;
        }
        let mut fs = Vec::new();
        for f in factors {
            if !matches!(f, Ex::Name(i) if i == "g") {
                if let Some(x) = ck.resolve(f, &integrand_ctx) {
                    fs.push(x);
                }
            }
        }
        let t = ck.resolve(target, &target_ctx);
        clearing.push(ClearingIr {
            integrand: product_of(fs),
            target: t.unwrap_or(ExprIr::Num(0.0)),
        });
    }
    if n_prices != s.clears.len() {
        let sp = match (s.prices, s.clears.first()) {
            (Some((kw, _)), _) => Sp::one(kw.span()),
            (None, Some((kw, _, _))) => Sp::one(kw.span()),
            _ => Sp::one(Span::call_site()),
        };
        let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
        ck.at(
            sp,
            format!(
                "{} but {}: each price is set so that one market clears, so a model has as many \
                 `clear` lines as prices",
                plural(n_prices, "price"),
                plural(s.clears.len(), "clearing condition")
            ),
        );
    }

    // Every price must matter (once there is a budget to enter).
    if n_prices > 0 && wealth_drift.is_some() {
        let mut roots: Vec<&ExprIr> = vec![&resources, &discount];
        for c in &clearing {
            roots.push(&c.integrand);
            roots.push(&c.target);
        }
        let mut used_derived = vec![false; derived.len()];
        let mentions_derived = |e: &ExprIr, i: usize| e.any(&|x| *x == ExprIr::Derived(i));
        for i in (0..derived.len()).rev() {
            used_derived[i] = roots.iter().any(|r| mentions_derived(r, i))
                || (i + 1..derived.len())
                    .any(|j| used_derived[j] && mentions_derived(&derived[j].1, i));
        }
        for (i, p) in s.prices.map_or(&[][..], |(_, p)| p).iter().enumerate() {
            let uses = |e: &ExprIr| e.any(&|x| *x == ExprIr::Price(i));
            let used = roots.iter().any(|r| uses(r))
                || derived
                    .iter()
                    .zip(&used_derived)
                    .any(|((_, d), u)| *u && uses(d));
            if !used {
                ck.err(Error::new(
                    p.name.span(),
                    format!(
                        "the price `{}` is never used: a price must enter the budget, the firm \
                         block or a clearing condition, or no market can determine it",
                        p.name
                    ),
                ));
            }
        }
    }

    // Borrowing limit feasibility with literal values.
    if let Some((w, Some(lo), _, _)) = &wealth_spec {
        check_feasible(
            &mut ck,
            &prices,
            &derived,
            lo,
            &income_specs,
            &resources,
            s.borrowing.map(|b| b.1),
            w,
        );
    }

    // Parameter shapes.
    let mut params = Vec::new();
    for k in 0..ck.params.len() {
        let p = &ck.params[k];
        let name = p.name.to_string();
        let list_use = p.uses.index.map(|(_, sp)| sp).or(p.uses.whole);
        let mut errs = Vec::new();
        match (&p.literal, p.uses.scalar, list_use) {
            (Some((v, true)), Some(sp), _) => errs.push(sp.error(format!(
                "`{name}` is a list of {} values: pick one, as in `{name}[0]`",
                v.len()
            ))),
            (Some((_, false)), _, Some(_)) => {
                if let Some((_, sp)) = p.uses.index {
                    errs.push(sp.error(format!(
                        "`{name}` is one number, not a list: write `{name}`"
                    )));
                }
            }
            (None, Some(sp), Some(_)) => errs.push(sp.error(format!(
                "`{name}` is used both as one number and as a list (`{name}[0]`)"
            ))),
            _ => {}
        }
        if let (Some((v, true)), Some((i, sp))) = (&p.literal, p.uses.index) {
            if i >= v.len() {
                errs.push(sp.error(format!(
                    "`{name}[{i}]` is out of range: `{name}` has {} value{}, `{name}[0]` to \
                     `{name}[{}]`",
                    v.len(),
                    if v.len() == 1 { "" } else { "s" },
                    v.len().saturating_sub(1)
                )));
            }
        }
        params.push(ParamSpec {
            name,
            value: p.value.clone(),
            literal: p.literal.as_ref().map(|(v, _)| v.clone()),
            scalar: p.uses.scalar.is_some() && list_use.is_none(),
            min_len: p.uses.index.map_or(0, |(i, _)| i + 1),
        });
        ck.errors.extend(errs);
    }

    if let Some(first) = ck.errors.first().cloned() {
        let mut all = first;
        for e in ck.errors.drain(1..) {
            all.combine(e);
        }
        return Err(all);
    }
    let (w, lo, hi, points) = wealth_spec.expect("checked");
    Ok(Spec {
        params,
        prices,
        derived,
        wealth: (
            w.name.to_string(),
            lo.expect("checked"),
            hi.expect("checked"),
            points,
        ),
        income: income_specs,
        control: control_name.expect("checked"),
        utility,
        resources,
        discount,
        clearing,
    })
}

/// With literal parameters: the first-order condition inverts the
/// marginal utility at a few consumption levels.
fn check_foc(ck: &mut Checker, marginal: &ExprIr, foc: &ExprIr, sp: Sp, c: &str) {
    for x in [0.5, 1.0, 2.0] {
        let Some(m) = ck.lit_with(marginal, Some(x), None) else {
            return;
        };
        let back = ck.lit_with(foc, None, Some(m));
        if back.is_none_or(|b| (b - x).abs() > 1e-6 * x.max(1.0)) {
            let shown = ck.show(marginal);
            let got = back.map_or("no number".to_string(), fmt_num);
            ck.at(
                sp,
                format!(
                    "this first-order condition does not invert the marginal utility: at {c} = \
                     {x}, u'({c}) = `{shown}` = {} but the condition gives {c} = {got} (it must \
                     solve u'({c}) = dV for {c})",
                    fmt_num(m)
                ),
            );
            return;
        }
    }
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// With literal values: consumption is possible at the borrowing limit for
/// every income state and every end of every price bracket.
#[allow(clippy::too_many_arguments)]
fn check_feasible(
    ck: &mut Checker,
    prices: &[(String, ExprIr, ExprIr)],
    derived: &[(String, ExprIr)],
    lo: &ExprIr,
    income: &[IncomeSpec],
    resources: &ExprIr,
    limit: Option<&Ex>,
    w: &StateDecl,
) {
    if !ck.errors.is_empty() || prices.len() > 4 {
        return;
    }
    let Some(a) = ck.lit(lo) else { return };
    // the ends of each bracket
    let mut ends = Vec::new();
    for (_, l, h) in prices {
        match (ck.lit(l), ck.lit(h)) {
            (Some(l), Some(h)) => ends.push([l, h]),
            _ => return,
        }
    }
    // the values of each income process
    let mut levels: Vec<Vec<f64>> = Vec::new();
    for inc in income {
        let vals = match inc {
            IncomeSpec::Markov { values, .. } => match values {
                ValuesSpec::List(v) => v.iter().map(|x| ck.lit(x)).collect::<Option<Vec<_>>>(),
                ValuesSpec::Param(k) => {
                    let v = &ck.lit_params[*k].values;
                    (!v.is_empty()).then(|| v.clone())
                }
            },
            IncomeSpec::Diffusion { lo, hi, .. } => {
                ck.lit(lo).zip(ck.lit(hi)).map(|(l, h)| vec![l, h])
            }
        };
        match vals {
            Some(v) if !v.is_empty() => levels.push(v),
            _ => return,
        }
    }
    let combos: usize = levels.iter().map(Vec::len).product();
    if combos > 4096 {
        return;
    }
    let mut worst: Option<(f64, Vec<f64>, Vec<f64>)> = None;
    for corner in 0..(1usize << prices.len()) {
        let p: Vec<f64> = ends
            .iter()
            .enumerate()
            .map(|(i, e)| e[(corner >> i) & 1])
            .collect();
        let mut d = Vec::new();
        for (_, x) in derived {
            match ck.eval(x, Some(&p), &d, None, None) {
                Some(v) => d.push(v),
                None => return,
            }
        }
        for mut k in 0..combos {
            let mut z = Vec::new();
            for l in &levels {
                z.push(l[k % l.len()]);
                k /= l.len();
            }
            let Some(v) = ck.eval(resources, Some(&p), &d, Some(a), Some(&z)) else {
                return;
            };
            if worst.as_ref().is_none_or(|(m, _, _)| v < *m) {
                worst = Some((v, p.clone(), z));
            }
        }
    }
    let Some((v, p, z)) = worst else { return };
    if v > 0.0 {
        return;
    }
    let mut at = Vec::new();
    for (i, (name, _, _)) in prices.iter().enumerate() {
        at.push(format!("{name} = {}", fmt_num(p[i])));
    }
    for (i, inc) in income.iter().enumerate() {
        let name = match inc {
            IncomeSpec::Markov { name, .. } | IncomeSpec::Diffusion { name, .. } => name,
        };
        at.push(format!("{name} = {}", fmt_num(z[i])));
    }
    let sp = limit.map_or_else(
        || {
            w.bounds
                .as_ref()
                .map_or(Sp::one(w.name.span()), |b| b.1.span())
        },
        |l| l.span(),
    );
    let shown = ck.show(resources);
    ck.at(
        sp,
        format!(
            "consumption is impossible at the borrowing limit {} = {}: with {}, the household's \
             resources `{shown}` are {} <= 0 (its debt costs more than its lowest income; raise \
             the limit or narrow the price bracket)",
            w.name,
            fmt_num(a),
            and_list(&at),
            fmt_num(v)
        ),
    );
}
