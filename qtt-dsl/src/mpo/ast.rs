//! The syntax of `mpo!`, parsed with spans kept.
//!
//! ```text
//! input   := "sites" Expr "of" Space ";" Sum
//! Space   := Ident "(" LitInt ("/" LitInt)? ")"
//! Sum     := ["-"] Item (("+" | "-") Item)*
//! Item    := "sum" Ident "in" Expr ".." Expr "{" Sum "}"  |  Product
//! Product := Factor ("*" Factor)*
//! Factor  := Ident "[" Expr "]"       (a local operator on a site)
//!          | number | Ident | "(" Expr ")"   (a real coefficient)
//! ```

use proc_macro2::Span;
use syn::parse::{Parse, ParseStream};
use syn::{braced, bracketed, parenthesized, Expr, Ident, LitInt, Token};

/// The whole macro input.
pub struct MpoInput {
    /// The `sites` keyword (for error spans).
    pub sites_kw: Ident,
    /// The number of sites (literal or runtime expression).
    pub sites: Expr,
    /// The local space.
    pub space: SpaceSpec,
    /// The operator.
    pub body: Sum,
}

/// `spin(1)`, `spin(1/2)`.
pub struct SpaceSpec {
    /// The space's name (`spin`).
    pub name: Ident,
    /// Numerator of the parameter.
    pub num: LitInt,
    /// Denominator, when written.
    pub den: Option<LitInt>,
}

/// A signed sum of items.
pub struct Sum {
    /// `(negated, item)` pairs.
    pub items: Vec<(bool, Item)>,
    /// Where the sum is written (for "empty sum" errors).
    pub span: Span,
}

/// One summand.
pub enum Item {
    /// `sum var in lo..hi { body }`.
    Range {
        /// The `sum` keyword.
        kw: Ident,
        /// The loop variable.
        var: Ident,
        /// Lower bound (inclusive).
        lo: Box<Expr>,
        /// Upper bound (exclusive).
        hi: Box<Expr>,
        /// The summand.
        body: Sum,
        /// The braces' span.
        brace_span: Span,
    },
    /// A product of coefficients and operators.
    Product(Vec<Factor>),
}

/// One factor of a product.
pub enum Factor {
    /// `Name[site]`.
    Op {
        /// The operator name.
        name: Ident,
        /// The site index expression.
        site: Expr,
    },
    /// A real coefficient.
    Coef(Expr),
}

impl Parse for MpoInput {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let sites_kw: Ident = input.parse()?;
        if sites_kw != "sites" {
            return Err(syn::Error::new(
                sites_kw.span(),
                format!("unknown keyword `{sites_kw}`: an mpo! starts with `sites N of spin(S);`"),
            ));
        }
        let sites = Expr::parse_without_eager_brace(input)?;
        let of: Ident = input.parse()?;
        if of != "of" {
            return Err(syn::Error::new(
                of.span(),
                format!("expected `of` after the number of sites, found `{of}`"),
            ));
        }
        let name: Ident = input.parse()?;
        let content;
        parenthesized!(content in input);
        let num: LitInt = content.parse()?;
        let den = if content.peek(Token![/]) {
            content.parse::<Token![/]>()?;
            Some(content.parse()?)
        } else {
            None
        };
        input.parse::<Token![;]>()?;
        let body = parse_sum(input)?;
        if !input.is_empty() {
            return Err(input.error("unexpected tokens after the operator sum"));
        }
        Ok(Self {
            sites_kw,
            sites,
            space: SpaceSpec { name, num, den },
            body,
        })
    }
}

fn parse_sum(input: ParseStream) -> syn::Result<Sum> {
    let span = input.span();
    let mut items = Vec::new();
    if input.is_empty() {
        return Ok(Sum { items, span });
    }
    let mut neg = if input.peek(Token![-]) {
        input.parse::<Token![-]>()?;
        true
    } else {
        false
    };
    loop {
        items.push((neg, parse_item(input)?));
        if input.peek(Token![+]) {
            input.parse::<Token![+]>()?;
            neg = false;
        } else if input.peek(Token![-]) {
            input.parse::<Token![-]>()?;
            neg = true;
        } else {
            break;
        }
    }
    Ok(Sum { items, span })
}

fn parse_item(input: ParseStream) -> syn::Result<Item> {
    if input.peek(Ident)
        && input.fork().parse::<Ident>()? == "sum"
        && !input.peek2(syn::token::Bracket)
    {
        let kw: Ident = input.parse()?;
        let var: Ident = input.parse()?;
        input.parse::<Token![in]>()?;
        let range = Expr::parse_without_eager_brace(input)?;
        let (lo, hi) = match range {
            Expr::Range(r)
                if matches!(r.limits, syn::RangeLimits::HalfOpen(_))
                    && r.start.is_some()
                    && r.end.is_some() =>
            {
                (r.start.unwrap(), r.end.unwrap())
            }
            other => {
                return Err(syn::Error::new_spanned(
                    other,
                    "expected a half-open range `lo..hi` of site indices",
                ));
            }
        };
        let content;
        let brace = braced!(content in input);
        let body = parse_sum(&content)?;
        return Ok(Item::Range {
            kw,
            var,
            lo,
            hi,
            body,
            brace_span: brace.span.join(),
        });
    }
    let mut factors = vec![parse_factor(input)?];
    while input.peek(Token![*]) {
        input.parse::<Token![*]>()?;
        factors.push(parse_factor(input)?);
    }
    Ok(Item::Product(factors))
}

fn parse_factor(input: ParseStream) -> syn::Result<Factor> {
    if input.peek(Ident) && input.peek2(syn::token::Bracket) {
        let name: Ident = input.parse()?;
        let content;
        bracketed!(content in input);
        let site: Expr = content.parse()?;
        return Ok(Factor::Op { name, site });
    }
    if input.peek(syn::token::Paren) {
        let content;
        parenthesized!(content in input);
        return Ok(Factor::Coef(content.parse()?));
    }
    if input.peek(syn::Lit) || input.peek(Ident) {
        let e: Expr = if input.peek(Ident) {
            Expr::Path(input.parse()?)
        } else {
            Expr::Lit(input.parse()?)
        };
        return Ok(Factor::Coef(e));
    }
    Err(input.error("expected an operator `Name[site]`, a number, a variable or `( expression )`"))
}
