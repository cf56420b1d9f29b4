//! Check and lower: resolve variables, move constants to the bounds, and
//! (for literal coefficients) build the automaton at compile time.

use super::ast::{Cmp, Coef, Constraint, Program, Side, Target};
use crate::ir::constraints::LinearSystem;
use crate::qregion::{ConstraintAutomaton, ConstraintError};
use proc_macro2::{Span, TokenStream};

/// `sign * coef * x[start .. start + len]` (runtime `weights` per entry).
pub struct LinTerm {
    pub negative: bool,
    pub coef: Coef,
    pub start: usize,
    pub len: usize,
    pub weights: Option<TokenStream>,
}

/// A bound: a signed sum of constants.
pub type Bound = Vec<(bool, Coef)>;

/// One lowered row `lo <= lin <= hi`.
pub struct Row {
    pub lin: Vec<LinTerm>,
    pub lo: Option<Bound>,
    pub hi: Option<Bound>,
    pub text: String,
}

/// The lowered program; `automaton` is set when everything is literal.
pub struct Lowered {
    pub names: Vec<String>,
    pub rows: Vec<Row>,
    pub literal: Option<(LinearSystem, ConstraintAutomaton)>,
}

struct Scope<'a> {
    decls: Vec<(&'a syn::Ident, Option<usize>, usize)>,
}

impl Scope<'_> {
    fn describe(&self) -> String {
        let v: Vec<String> = self
            .decls
            .iter()
            .map(|(n, l, _)| match l {
                Some(l) => format!("{n}[{l}]"),
                None => n.to_string(),
            })
            .collect();
        if v.is_empty() {
            "none (declare them with `vars x[N];`)".into()
        } else {
            v.join(", ")
        }
    }

    fn find(&self, name: &syn::Ident) -> syn::Result<(Option<usize>, usize)> {
        self.decls
            .iter()
            .find(|(n, _, _)| *n == name)
            .map(|(_, l, o)| (*l, *o))
            .ok_or_else(|| {
                syn::Error::new(
                    name.span(),
                    format!(
                        "unknown variable `{name}`; declared variables: {}. \
                         (A runtime value goes in parentheses: `({name})`.)",
                        self.describe()
                    ),
                )
            })
    }
}

fn split(side: &Side, scope: &Scope, flip: bool) -> syn::Result<(Vec<LinTerm>, Bound)> {
    let mut lin = Vec::new();
    let mut cst = Vec::new();
    for t in &side.terms {
        let neg = t.negative ^ flip;
        match &t.target {
            Target::One => cst.push((neg, t.coef.clone())),
            Target::Var { name, index } => {
                let (len, off) = scope.find(name)?;
                let start = match (len, index) {
                    (None, None) => off,
                    (Some(l), Some((i, sp))) => {
                        if *i >= l {
                            return Err(syn::Error::new(
                                *sp,
                                format!("index {i} is out of range for `{name}[{l}]` (valid: 0..{l})"),
                            ));
                        }
                        off + i
                    }
                    (Some(l), None) => {
                        return Err(syn::Error::new(
                            name.span(),
                            format!("`{name}` is a vector of {l} variables: index it (`{name}[0]`) or sum it (`sum({name})`)"),
                        ))
                    }
                    (None, Some((_, sp))) => {
                        return Err(syn::Error::new(*sp, format!("`{name}` is a single variable and cannot be indexed")))
                    }
                };
                lin.push(LinTerm {
                    negative: neg,
                    coef: t.coef.clone(),
                    start,
                    len: 1,
                    weights: None,
                });
            }
            Target::Sum {
                name,
                range,
                weights,
            } => {
                let (len, off) = scope.find(name)?;
                let l = len.unwrap_or(1);
                let (a, b) = match range {
                    None => (0, l),
                    Some((a, b, sp)) => {
                        if a >= b || *b > l {
                            return Err(syn::Error::new(
                                *sp,
                                format!("range {a}..{b} is out of range for `{name}[{l}]` (valid: a nonempty part of 0..{l})"),
                            ));
                        }
                        (*a, *b)
                    }
                };
                lin.push(LinTerm {
                    negative: neg,
                    coef: t.coef.clone(),
                    start: off + a,
                    len: b - a,
                    weights: weights.clone(),
                });
            }
        }
    }
    Ok((lin, cst))
}

fn negate(b: Bound) -> Bound {
    b.into_iter().map(|(n, c)| (!n, c)).collect()
}

fn lower_constraint(c: &Constraint, scope: &Scope) -> syn::Result<Row> {
    let text = c.text.clone();
    match c.sides.len() {
        2 => {
            let (mut lin, lc) = split(&c.sides[0], scope, false)?;
            let (rl, rc) = split(&c.sides[1], scope, true)?;
            lin.extend(rl);
            if lin.is_empty() {
                return Err(syn::Error::new_spanned(
                    &c.tokens,
                    "this constraint involves no variable",
                ));
            }
            // lin + lc (- rc already negated) op 0  =>  lin op -(lc) + rc
            let mut rhs = negate(lc);
            rhs.extend(negate(rc));
            let (lo, hi) = match c.ops[0].0 {
                Cmp::Le => (None, Some(rhs)),
                Cmp::Ge => (Some(rhs), None),
                Cmp::Eq => (Some(rhs.clone()), Some(rhs)),
            };
            Ok(Row { lin, lo, hi, text })
        }
        3 => {
            let (o0, o1) = (c.ops[0], c.ops[1]);
            if o0.0 != o1.0 || o0.0 == Cmp::Eq {
                return Err(syn::Error::new(
                    o1.1,
                    "a chained constraint reads `lo <= expression <= hi` (or with `>=` twice)",
                ));
            }
            let (l0, c0) = split(&c.sides[0], scope, false)?;
            let (lin, cm) = split(&c.sides[1], scope, false)?;
            let (l2, c2) = split(&c.sides[2], scope, false)?;
            if !l0.is_empty() || !l2.is_empty() {
                return Err(syn::Error::new_spanned(
                    &c.tokens,
                    "in `lo <= expression <= hi` the outer sides must be constants",
                ));
            }
            if lin.is_empty() {
                return Err(syn::Error::new_spanned(
                    &c.tokens,
                    "this constraint involves no variable",
                ));
            }
            let shift = |mut b: Bound| {
                b.extend(negate(cm.clone()));
                b
            };
            let (lo, hi) = if o0.0 == Cmp::Le { (c0, c2) } else { (c2, c0) };
            Ok(Row {
                lin,
                lo: Some(shift(lo)),
                hi: Some(shift(hi)),
                text,
            })
        }
        _ => Err(syn::Error::new(
            c.ops[2].1,
            "at most two comparisons in one constraint",
        )),
    }
}

fn lit_sum(b: &Bound) -> Option<i64> {
    b.iter().try_fold(0i64, |acc, (n, c)| match c {
        Coef::Lit(v) => acc.checked_add(if *n { -*v } else { *v }),
        Coef::Expr(_) => None,
    })
}

/// Checks the program and lowers it; literal systems get their automaton.
pub fn lower(p: &Program) -> syn::Result<Lowered> {
    let mut scope = Scope { decls: Vec::new() };
    let mut names = Vec::new();
    for d in &p.decls {
        if scope.decls.iter().any(|(n, _, _)| *n == &d.name) {
            return Err(syn::Error::new(
                d.name.span(),
                format!("variable `{}` is declared twice", d.name),
            ));
        }
        let off = names.len();
        match d.len {
            Some((l, _)) => names.extend((0..l).map(|i| format!("{}[{i}]", d.name))),
            None => names.push(d.name.to_string()),
        }
        scope.decls.push((&d.name, d.len.map(|x| x.0), off));
    }
    if names.is_empty() {
        return Err(syn::Error::new(
            Span::call_site(),
            "no variables: declare them with `vars x[N];`",
        ));
    }
    let rows = p
        .constraints
        .iter()
        .map(|c| lower_constraint(c, &scope))
        .collect::<syn::Result<Vec<Row>>>()?;
    let literal = literal_system(&names, &rows);
    let literal = match literal {
        None => None,
        Some(sys) => match ConstraintAutomaton::build(&sys) {
            Ok(a) => Some((sys, a)),
            Err(ConstraintError::Infeasible { constraint, .. })
                if constraint < p.constraints.len() =>
            {
                let e = ConstraintAutomaton::build(&sys).unwrap_err();
                return Err(syn::Error::new_spanned(
                    &p.constraints[constraint].tokens,
                    format!("infeasible: {e}"),
                ));
            }
            Err(e) => return Err(syn::Error::new(Span::call_site(), e.to_string())),
        },
    };
    Ok(Lowered {
        names,
        rows,
        literal,
    })
}

fn literal_system(names: &[String], rows: &[Row]) -> Option<LinearSystem> {
    let mut sys = LinearSystem::with_names(names.to_vec());
    for r in rows {
        let mut coeffs = vec![0i64; names.len()];
        for t in &r.lin {
            if t.weights.is_some() {
                return None;
            }
            let Coef::Lit(v) = t.coef else { return None };
            let v = if t.negative { -v } else { v };
            for c in &mut coeffs[t.start..t.start + t.len] {
                *c = c.checked_add(v)?;
            }
        }
        let lo = match &r.lo {
            Some(b) => Some(lit_sum(b)?),
            None => None,
        };
        let hi = match &r.hi {
            Some(b) => Some(lit_sum(b)?),
            None => None,
        };
        sys.add(coeffs, lo, hi, Some(r.text.clone())).ok()?;
    }
    Some(sys)
}
