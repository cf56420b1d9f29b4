//! Parse: tokens to statements, terms and bounds, spans kept.

use proc_macro2::{Span, TokenStream};
use syn::parse::{Parse, ParseStream};
use syn::{bracketed, parenthesized, token, Ident, LitInt, Token};

/// The whole macro input.
pub struct Program {
    pub decls: Vec<Decl>,
    pub constraints: Vec<Constraint>,
}

/// `vars x[6];` or `vars y;`
pub struct Decl {
    pub name: Ident,
    pub len: Option<(usize, Span)>,
}

/// A comparison chain of two or three sides.
pub struct Constraint {
    pub sides: Vec<Side>,
    pub ops: Vec<(Cmp, Span)>,
    /// The constraint's tokens, so errors underline all of it.
    pub tokens: TokenStream,
    pub text: String,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Cmp {
    Le,
    Ge,
    Eq,
}

/// A signed sum of terms.
pub struct Side {
    pub terms: Vec<Term>,
}

/// A coefficient: literal or runtime expression.
#[derive(Clone)]
pub enum Coef {
    Lit(i64),
    Expr(TokenStream),
}

/// `coef * target` with its sign.
pub struct Term {
    pub negative: bool,
    pub coef: Coef,
    pub target: Target,
}

/// What a term multiplies.
pub enum Target {
    /// A constant (the coefficient alone).
    One,
    /// `name` or `name[index]`.
    Var {
        name: Ident,
        index: Option<(usize, Span)>,
    },
    /// `sum(name)`, `sum(name[a..b])`, `sum((w) * name)`.
    Sum {
        name: Ident,
        range: Option<(usize, usize, Span)>,
        weights: Option<TokenStream>,
    },
}

impl Parse for Program {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let mut p = Program {
            decls: Vec::new(),
            constraints: Vec::new(),
        };
        while !input.is_empty() {
            if input.peek(Ident) && input.fork().parse::<Ident>()? == "vars" {
                input.parse::<Ident>()?;
                loop {
                    let name: Ident = input.parse()?;
                    let len = if input.peek(token::Bracket) {
                        let c;
                        bracketed!(c in input);
                        let l: LitInt = c.parse()?;
                        let v: usize = l.base10_parse()?;
                        if v == 0 {
                            return Err(syn::Error::new(
                                l.span(),
                                "a variable vector needs at least 1 entry",
                            ));
                        }
                        Some((v, l.span()))
                    } else {
                        None
                    };
                    if input.peek(Token![:]) {
                        input.parse::<Token![:]>()?;
                        let kind: Ident = input.parse()?;
                        if kind != "binary" {
                            return Err(syn::Error::new(
                                kind.span(),
                                format!("variables are binary; write `: binary` or nothing, not `: {kind}`"),
                            ));
                        }
                    }
                    p.decls.push(Decl { name, len });
                    if input.peek(Token![,]) {
                        input.parse::<Token![,]>()?;
                        continue;
                    }
                    break;
                }
                input.parse::<Token![;]>()?;
                continue;
            }
            let c = parse_constraint(input)?;
            p.constraints.push(c);
            input.parse::<Token![;]>()?;
        }
        Ok(p)
    }
}

fn parse_constraint(input: ParseStream) -> syn::Result<Constraint> {
    let fork = input.fork();
    let mut toks = Vec::new();
    while !fork.is_empty() && !fork.peek(Token![;]) {
        toks.push(fork.parse::<proc_macro2::TokenTree>()?);
    }
    let tokens: TokenStream = toks.into_iter().collect();
    let text = tokens
        .to_string()
        .replace(" [", "[")
        .replace("[ ", "[")
        .replace(" ]", "]")
        .replace(" * ", "*")
        .replace("( ", "(")
        .replace(" )", ")")
        .replace(" ..", "..")
        .replace(".. ", "..");
    let mut sides = vec![parse_side(input)?];
    let mut ops = Vec::new();
    while !input.is_empty() && !input.peek(Token![;]) {
        let op = if input.peek(Token![<=]) {
            (Cmp::Le, input.parse::<Token![<=]>()?.spans[0])
        } else if input.peek(Token![>=]) {
            (Cmp::Ge, input.parse::<Token![>=]>()?.spans[0])
        } else if input.peek(Token![==]) {
            (Cmp::Eq, input.parse::<Token![==]>()?.spans[0])
        } else {
            return Err(input.error("expected `<=`, `>=`, `==` or `;`"));
        };
        ops.push(op);
        sides.push(parse_side(input)?);
    }
    if ops.is_empty() {
        return Err(syn::Error::new_spanned(
            &tokens,
            "expected a comparison (`<=`, `>=` or `==`)",
        ));
    }
    Ok(Constraint {
        sides,
        ops,
        tokens,
        text,
    })
}

fn parse_side(input: ParseStream) -> syn::Result<Side> {
    let mut terms = Vec::new();
    let mut negative = if input.peek(Token![-]) {
        input.parse::<Token![-]>()?;
        true
    } else {
        false
    };
    loop {
        terms.push(parse_term(input, negative)?);
        if input.peek(Token![+]) {
            input.parse::<Token![+]>()?;
            negative = false;
        } else if input.peek(Token![-]) {
            input.parse::<Token![-]>()?;
            negative = true;
        } else {
            break;
        }
    }
    Ok(Side { terms })
}

fn parse_coef(input: ParseStream) -> syn::Result<Option<Coef>> {
    if input.peek(LitInt) {
        let l: LitInt = input.parse()?;
        return Ok(Some(Coef::Lit(l.base10_parse()?)));
    }
    if input.peek(syn::LitFloat) {
        let l: syn::LitFloat = input.parse()?;
        return Err(syn::Error::new(
            l.span(),
            format!("coefficient `{l}` is not an integer: constraints over binary variables take integer coefficients"),
        ));
    }
    if input.peek(token::Paren) {
        let c;
        parenthesized!(c in input);
        return Ok(Some(Coef::Expr(c.parse()?)));
    }
    if input.peek(token::Brace) {
        let c;
        syn::braced!(c in input);
        return Ok(Some(Coef::Expr(c.parse()?)));
    }
    Ok(None)
}

fn parse_term(input: ParseStream, negative: bool) -> syn::Result<Term> {
    let coef = parse_coef(input)?;
    let has_coef = coef.is_some();
    if has_coef && !input.peek(Token![*]) {
        return Ok(Term {
            negative,
            coef: coef.expect("checked"),
            target: Target::One,
        });
    }
    if has_coef {
        input.parse::<Token![*]>()?;
    }
    let name: Ident = input.parse()?;
    let target = if name == "sum" && input.peek(token::Paren) {
        let c;
        parenthesized!(c in input);
        let weights = match parse_coef(&c)? {
            Some(Coef::Expr(e)) => {
                c.parse::<Token![*]>()?;
                Some(e)
            }
            Some(Coef::Lit(_)) => {
                return Err(c.error("write a scalar factor outside the sum: `3*sum(x)`"));
            }
            None => None,
        };
        let name: Ident = c.parse()?;
        let range = if c.peek(token::Bracket) {
            let r;
            bracketed!(r in c);
            let a: LitInt = r.parse()?;
            r.parse::<Token![..]>()?;
            let b: LitInt = r.parse()?;
            Some((
                a.base10_parse()?,
                b.base10_parse()?,
                a.span().join(b.span()).unwrap_or(a.span()),
            ))
        } else {
            None
        };
        Target::Sum {
            name,
            range,
            weights,
        }
    } else {
        let index = if input.peek(token::Bracket) {
            let r;
            bracketed!(r in input);
            let i: LitInt = r.parse()?;
            Some((i.base10_parse()?, i.span()))
        } else {
            None
        };
        Target::Var { name, index }
    };
    Ok(Term {
        negative,
        coef: coef.unwrap_or(Coef::Lit(1)),
        target,
    })
}
