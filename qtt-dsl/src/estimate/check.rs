//! Check: distribution names and parameter counts, qubit counts, supports with
//! literal ends, unique variable names, exactly one payoff.

use proc_macro2::Span;
use syn::{Expr, Ident};

use super::ast::EstimateBody;

/// A checked random variable.
pub struct Var {
    pub name: Ident,
    /// `::qtt::quantum::Discretized` constructor.
    pub ctor: &'static str,
    pub params: Vec<Expr>,
    pub lo: Expr,
    pub hi: Expr,
    pub qubits: usize,
    pub endpoints: bool,
}

/// The checked problem.
pub struct Spec {
    pub vars: Vec<Var>,
    pub payoff: Expr,
}

/// Known distributions: name, parameter names, runtime constructor.
const DISTS: &[(&str, &[&str], &str)] = &[
    ("normal", &["mean", "std"], "normal"),
    ("lognormal", &["mu", "sigma"], "log_normal"),
    ("beta", &["a", "b"], "beta"),
    ("uniform", &[], "uniform"),
];

fn literal_f64(e: &Expr) -> Option<f64> {
    match e {
        Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Float(f),
            ..
        }) => f.base10_parse().ok(),
        Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(i),
            ..
        }) => i.base10_parse().ok(),
        Expr::Unary(syn::ExprUnary {
            op: syn::UnOp::Neg(_),
            expr,
            ..
        }) => literal_f64(expr).map(|v| -v),
        _ => None,
    }
}

/// Checks the whole body.
pub fn check(body: &EstimateBody) -> syn::Result<Spec> {
    let mut vars: Vec<Var> = Vec::new();
    for v in &body.vars {
        if vars.iter().any(|w| w.name == v.name) {
            return Err(syn::Error::new(
                v.name.span(),
                format!("random variable `{}` is declared twice", v.name),
            ));
        }
        let name = v.dist.to_string();
        let (_, pnames, ctor) = DISTS.iter().find(|d| d.0 == name).ok_or_else(|| {
            let known: Vec<&str> = DISTS.iter().map(|d| d.0).collect();
            syn::Error::new(
                v.dist.span(),
                format!("unknown distribution `{name}`; known: {}", known.join(", ")),
            )
        })?;
        if v.params.len() != pnames.len() {
            return Err(syn::Error::new(
                v.paren.span.join(),
                format!(
                    "`{name}` takes {} parameter{} ({}), got {}",
                    pnames.len(),
                    if pnames.len() == 1 { "" } else { "s" },
                    if pnames.is_empty() {
                        "none".to_string()
                    } else {
                        pnames.join(", ")
                    },
                    v.params.len()
                ),
            ));
        }
        let qubits: usize = v.qubits.base10_parse()?;
        if qubits == 0 || qubits > 20 {
            return Err(syn::Error::new(
                v.qubits.span(),
                format!("`{}` gets {qubits} qubits, expected 1..=20", v.name),
            ));
        }
        if let (Some(lo), Some(hi)) = (literal_f64(&v.lo), literal_f64(&v.hi)) {
            if lo >= hi {
                return Err(syn::Error::new(
                    v.bracket.span.join(),
                    format!(
                        "support [{lo}, {hi}] of `{}` is empty, expected lo < hi",
                        v.name
                    ),
                ));
            }
        }
        vars.push(Var {
            name: v.name.clone(),
            ctor,
            params: v.params.clone(),
            lo: v.lo.clone(),
            hi: v.hi.clone(),
            qubits,
            endpoints: v.endpoints,
        });
    }
    if vars.is_empty() {
        return Err(syn::Error::new(
            Span::call_site(),
            "no random variable declared; add `x ~ normal(0.0, 1.0) on [-3.0, 3.0] with 5 qubits;`",
        ));
    }
    let payoff = match body.payoffs.as_slice() {
        [] => {
            return Err(syn::Error::new(
                Span::call_site(),
                "missing `payoff = expression;` (the quantity whose expectation is estimated)",
            ))
        }
        [p] => p.expr.clone(),
        [_, second, ..] => return Err(syn::Error::new(second.kw, "`payoff` is given twice")),
    };
    Ok(Spec { vars, payoff })
}
