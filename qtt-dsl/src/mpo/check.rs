//! Compile-time checks of `mpo!`, each error at the user's span.

use super::ast::{Factor, Item, MpoInput, Sum};
use crate::ir::opsum::SpaceIr;
use quote::ToTokens;
use syn::{Error, Expr, Lit};

/// The value of an integer literal expression, if it is one.
fn literal(e: &Expr) -> Option<u128> {
    match e {
        Expr::Lit(l) => match &l.lit {
            Lit::Int(i) => i.base10_parse().ok(),
            _ => None,
        },
        Expr::Paren(p) => literal(&p.expr),
        Expr::Group(g) => literal(&g.expr),
        _ => None,
    }
}

/// Checks the input and returns its local space.
pub fn check(input: &MpoInput) -> syn::Result<SpaceIr> {
    let space = check_space(input)?;
    let sites = literal(&input.sites);
    if sites == Some(0) {
        return Err(Error::new_spanned(
            &input.sites,
            "a chain needs at least one site, found 0",
        ));
    }
    let mut errors: Option<Error> = None;
    check_sum(&input.body, &space, sites, &mut errors);
    match errors {
        Some(e) => Err(e),
        None => Ok(space),
    }
}

fn check_space(input: &MpoInput) -> syn::Result<SpaceIr> {
    let s = &input.space;
    if s.name != "spin" {
        return Err(Error::new(
            s.name.span(),
            format!(
                "unknown local space `{}`: expected `spin(1/2)`, `spin(1)`, `spin(3/2)`, ...",
                s.name
            ),
        ));
    }
    let num: u32 = s.num.base10_parse()?;
    let twice_s = match &s.den {
        None => num * 2,
        Some(d) => {
            let den: u32 = d.base10_parse()?;
            if den != 2 {
                return Err(Error::new(
                    d.span(),
                    "a spin is an integer or a half-integer `n/2`",
                ));
            }
            num
        }
    };
    if twice_s == 0 {
        return Err(Error::new(
            s.num.span(),
            "spin 0 has no spin operators; expected spin(1/2), spin(1), ...",
        ));
    }
    Ok(SpaceIr::Spin { twice_s })
}

fn push(errors: &mut Option<Error>, e: Error) {
    match errors {
        Some(all) => all.combine(e),
        None => *errors = Some(e),
    }
}

fn check_sum(sum: &Sum, space: &SpaceIr, sites: Option<u128>, errors: &mut Option<Error>) {
    if sum.items.is_empty() {
        push(
            errors,
            Error::new(sum.span, "empty sum: write at least one term"),
        );
    }
    for (_, item) in &sum.items {
        match item {
            Item::Range {
                kw,
                lo,
                hi,
                body,
                brace_span,
                ..
            } => {
                if let (Some(a), Some(b)) = (literal(lo), literal(hi)) {
                    if b <= a {
                        push(
                            errors,
                            Error::new(
                                kw.span(),
                                format!("empty sum: the range {a}..{b} has no indices"),
                            ),
                        );
                    }
                }
                if body.items.is_empty() {
                    push(
                        errors,
                        Error::new(*brace_span, "empty sum: the body has no terms"),
                    );
                } else {
                    check_sum(body, space, sites, errors);
                }
            }
            Item::Product(factors) => check_product(factors, space, sites, errors),
        }
    }
}

fn check_product(
    factors: &[Factor],
    space: &SpaceIr,
    sites: Option<u128>,
    errors: &mut Option<Error>,
) {
    let mut seen: Vec<(String, String, u32)> = Vec::new();
    for f in factors {
        let Factor::Op { name, site } = f else {
            continue;
        };
        let op = name.to_string();
        if !space.operator_names().contains(&op.as_str()) {
            push(
                errors,
                Error::new(
                    name.span(),
                    format!(
                        "unknown operator `{op}` for {}: expected one of {}",
                        space.describe(),
                        space.operator_names().join(", ")
                    ),
                ),
            );
            continue;
        }
        if let (Some(n), Some(i)) = (sites, literal(site)) {
            if i >= n {
                push(
                    errors,
                    Error::new_spanned(
                        site,
                        format!("site {i} is out of range: the chain has sites 0..{n}"),
                    ),
                );
            }
        }
        if let Some(limit) = space.nilpotency(&op) {
            let key = site.to_token_stream().to_string();
            let count = match seen.iter_mut().find(|(o, s, _)| *o == op && *s == key) {
                Some(entry) => {
                    entry.2 += 1;
                    entry.2
                }
                None => {
                    seen.push((op.clone(), key.clone(), 1));
                    1
                }
            };
            if count == limit {
                push(
                    errors,
                    Error::new(
                        name.span(),
                        format!(
                            "`{op}` applied {limit} times on site `{key}` is identically zero for {} \
                             ({op}^{limit} = 0); this term contributes nothing",
                            space.describe()
                        ),
                    ),
                );
            }
        }
    }
}
