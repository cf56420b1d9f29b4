//! Parse: variable declarations and the payoff, spans kept.

use proc_macro2::Span;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{bracketed, parenthesized, Expr, Ident, LitInt, Token};

mod kw {
    syn::custom_keyword!(on);
    syn::custom_keyword!(with);
    syn::custom_keyword!(qubits);
    syn::custom_keyword!(at);
    syn::custom_keyword!(endpoints);
    syn::custom_keyword!(payoff);
}

/// `name ~ dist(params) on [lo, hi] with k qubits [at endpoints];`
pub struct VarDecl {
    pub name: Ident,
    pub dist: Ident,
    pub paren: syn::token::Paren,
    pub params: Vec<Expr>,
    pub lo: Expr,
    pub hi: Expr,
    pub bracket: syn::token::Bracket,
    pub qubits: LitInt,
    pub endpoints: bool,
}

/// `payoff = expr;`
pub struct Payoff {
    pub kw: Span,
    pub expr: Expr,
}

/// The whole macro input.
pub struct EstimateBody {
    pub vars: Vec<VarDecl>,
    pub payoffs: Vec<Payoff>,
}

impl Parse for EstimateBody {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let mut vars = Vec::new();
        let mut payoffs = Vec::new();
        while !input.is_empty() {
            if input.peek(kw::payoff) && input.peek2(Token![=]) {
                let k = input.parse::<kw::payoff>()?;
                input.parse::<Token![=]>()?;
                let expr: Expr = input.parse()?;
                input.parse::<Token![;]>()?;
                payoffs.push(Payoff { kw: k.span, expr });
                continue;
            }
            let name: Ident = input.parse().map_err(|e| {
                syn::Error::new(e.span(), "expected `name ~ distribution(...) on [lo, hi] with k qubits;` or `payoff = expression;`")
            })?;
            input.parse::<Token![~]>()?;
            let dist: Ident = input.parse()?;
            let content;
            let paren = parenthesized!(content in input);
            let params: Punctuated<Expr, Token![,]> =
                content.parse_terminated(Expr::parse, Token![,])?;
            input.parse::<kw::on>()?;
            let sup;
            let bracket = bracketed!(sup in input);
            let lo: Expr = sup.parse()?;
            sup.parse::<Token![,]>()?;
            let hi: Expr = sup.parse()?;
            input.parse::<kw::with>()?;
            let qubits: LitInt = input.parse()?;
            input.parse::<kw::qubits>()?;
            let endpoints = if input.peek(kw::at) {
                input.parse::<kw::at>()?;
                input.parse::<kw::endpoints>()?;
                true
            } else {
                false
            };
            input.parse::<Token![;]>()?;
            vars.push(VarDecl {
                name,
                dist,
                paren,
                params: params.into_iter().collect(),
                lo,
                hi,
                bracket,
                qubits,
                endpoints,
            });
        }
        Ok(EstimateBody { vars, payoffs })
    }
}
