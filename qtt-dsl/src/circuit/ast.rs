//! Parse: token stream to statements, spans kept.

use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{braced, bracketed, parenthesized, Expr, Ident, LitInt, Token};

/// `reg name[size];`
pub struct RegDecl {
    pub name: Ident,
    pub size: LitInt,
}

/// `gate(args...);`
pub struct GateCall {
    pub name: Ident,
    pub paren: syn::token::Paren,
    pub args: Vec<Expr>,
}

/// `for pat in expr { ... }`
pub struct ForLoop {
    pub var: syn::Pat,
    pub range: Expr,
    pub body: Vec<Stmt>,
}

/// One statement of a circuit body.
pub enum Stmt {
    Reg(RegDecl),
    Gate(GateCall),
    For(Box<ForLoop>),
}

/// The whole macro input.
pub struct CircuitBody {
    pub stmts: Vec<Stmt>,
}

mod kw {
    syn::custom_keyword!(reg);
}

fn parse_stmts(input: ParseStream) -> syn::Result<Vec<Stmt>> {
    let mut stmts = Vec::new();
    while !input.is_empty() {
        stmts.push(input.parse()?);
    }
    Ok(stmts)
}

impl Parse for Stmt {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        if input.peek(kw::reg) {
            input.parse::<kw::reg>()?;
            let name: Ident = input.parse()?;
            let content;
            bracketed!(content in input);
            let size: LitInt = content.parse()?;
            input.parse::<Token![;]>()?;
            return Ok(Stmt::Reg(RegDecl { name, size }));
        }
        if input.peek(Token![for]) {
            input.parse::<Token![for]>()?;
            let var = syn::Pat::parse_single(input)?;
            input.parse::<Token![in]>()?;
            let range = Expr::parse_without_eager_brace(input)?;
            let content;
            braced!(content in input);
            let body = parse_stmts(&content)?;
            return Ok(Stmt::For(Box::new(ForLoop { var, range, body })));
        }
        let name: Ident = input.parse().map_err(|e| {
            syn::Error::new(
                e.span(),
                "expected `reg name[size];`, a gate call such as `h(q[0]);`, or a `for` loop",
            )
        })?;
        let content;
        let paren = parenthesized!(content in input);
        let args: Punctuated<Expr, Token![,]> = content.parse_terminated(Expr::parse, Token![,])?;
        input.parse::<Token![;]>()?;
        Ok(Stmt::Gate(GateCall {
            name,
            paren,
            args: args.into_iter().collect(),
        }))
    }
}

impl Parse for CircuitBody {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        Ok(CircuitBody {
            stmts: parse_stmts(input)?,
        })
    }
}
