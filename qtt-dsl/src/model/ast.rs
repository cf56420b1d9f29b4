//! The syntax of `model!`, parsed with spans kept.
//!
//! ```text
//! input     := item*
//! item      := "params"  "{" (Ident "=" RustExpr),* "}"
//!            | "prices"  "{" (Ident "in" "(" Expr "," Expr ")"),* "}"
//!            | ("firm" | "derived") "{" (Ident "=" Expr);* "}"
//!            | "states"  "{" (Ident ":" Kind Clause*);* "}"
//!            | "control" Ident ";"
//!            | "utility" Expr ";"
//!            | "foc" Ident "=" Expr ";"
//!            | "drift" Ident "=" Expr ";"
//!            | "borrowing" Ident ">=" Expr ";"
//!            | "discount" Expr ";"
//!            | "clear" "sum" "(" Expr ")" "==" Expr ";"
//! Kind      := "wealth" | "markov" | "diffusion"
//! Clause    := "on" "[" Expr "," Expr "]"         (grid bounds)
//!            | "with" Points "points"             (grid size)
//!            | "values" (Ident | "[" Expr,* "]")  (Markov income values)
//!            | "rates" "[" ("[" Expr,* "]"),* "]" (Markov intensity matrix)
//!            | "drift" Expr | "variance" Expr     (diffusion)
//! Points    := "2" "^" RustExpr | RustExpr        (an integer)
//! Expr      := a Rust-like expression of numbers, names, `name[i]`,
//!              `+ - * /`, parentheses and the functions powf, ln, exp,
//!              min, max (as methods or functions) and softplus(x, mu)
//! ```
//!
//! Model expressions are converted from `syn::Expr` here; syntax outside the
//! language becomes an [`Ex::Unsupported`] node that the check reports, so
//! that every error of a model is shown at once.

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use syn::parse::{Parse, ParseStream};
use syn::{braced, bracketed, parenthesized, Expr, Ident, Token};

/// The first and last token of a piece of syntax, so that an error
/// underlines all of it.
#[derive(Clone, Copy)]
pub struct Sp(pub Span, pub Span);

impl Sp {
    /// The span of one token.
    pub fn one(s: Span) -> Self {
        Sp(s, s)
    }

    /// From the first token of `a` to the last of `b`.
    pub fn join(a: Sp, b: Sp) -> Self {
        Sp(a.0, b.1)
    }

    /// The span of some tokens.
    pub fn of(t: &impl ToTokens) -> Self {
        let ts = t.to_token_stream();
        let mut it = ts.into_iter();
        let first = it.next().map_or_else(Span::call_site, |t| t.span());
        let last = it.last().map_or(first, |t| t.span());
        Sp(first, last)
    }

    /// An error underlining this span.
    pub fn error(self, msg: impl std::fmt::Display) -> syn::Error {
        syn::Error::new_spanned(self, msg)
    }
}

impl ToTokens for Sp {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let mut a = proc_macro2::Punct::new('*', proc_macro2::Spacing::Alone);
        a.set_span(self.0);
        let mut b = proc_macro2::Punct::new('*', proc_macro2::Spacing::Alone);
        b.set_span(self.1);
        tokens.extend([
            proc_macro2::TokenTree::Punct(a),
            proc_macro2::TokenTree::Punct(b),
        ]);
    }
}

/// A binary operator of model expressions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
}

/// A model expression (spans kept).
#[derive(Clone)]
pub enum Ex {
    /// A number.
    Num(f64, Sp),
    /// A name.
    Name(Ident),
    /// `name[i]` with a literal index.
    Index(Ident, usize, Sp),
    /// `-x`.
    Neg(Box<Ex>, Sp),
    /// `x op y`.
    Bin(BinOp, Box<Ex>, Box<Ex>, Sp),
    /// `f(args)` or `args[0].f(args[1..])`.
    Call {
        /// The function's name.
        func: Ident,
        /// The arguments (the receiver first for a method call).
        args: Vec<Ex>,
        /// Whether it was written as a method call.
        method: bool,
        /// The whole call.
        span: Sp,
    },
    /// Syntax outside the model language, with the reason.
    Unsupported(Sp, String),
}

impl Ex {
    /// The span of the whole expression.
    pub fn span(&self) -> Sp {
        match self {
            Ex::Num(_, s) | Ex::Index(_, _, s) | Ex::Neg(_, s) | Ex::Bin(_, _, _, s) => *s,
            Ex::Unsupported(s, _) => *s,
            Ex::Call { span, .. } => *span,
            Ex::Name(i) => Sp::one(i.span()),
        }
    }

    /// Whether the name `n` occurs in the expression.
    pub fn mentions(&self, n: &str) -> bool {
        match self {
            Ex::Name(i) | Ex::Index(i, _, _) => i == n,
            Ex::Neg(x, _) => x.mentions(n),
            Ex::Bin(_, x, y, _) => x.mentions(n) || y.mentions(n),
            Ex::Call { args, .. } => args.iter().any(|a| a.mentions(n)),
            Ex::Num(..) | Ex::Unsupported(..) => false,
        }
    }

    /// Converts a parsed Rust expression.
    pub fn from_syn(e: &Expr) -> Ex {
        let sp = Sp::of(e);
        match e {
            Expr::Lit(l) => match &l.lit {
                syn::Lit::Float(f) => number(f.base10_parse::<f64>(), sp),
                syn::Lit::Int(i) => number(i.base10_parse::<f64>(), sp),
                _ => Ex::Unsupported(sp, "expected a number".into()),
            },
            Expr::Path(p) if p.qself.is_none() && p.path.get_ident().is_some() => {
                Ex::Name(p.path.get_ident().unwrap().clone())
            }
            Expr::Index(ix) => {
                let name = match &*ix.expr {
                    Expr::Path(p) if p.path.get_ident().is_some() => {
                        p.path.get_ident().unwrap().clone()
                    }
                    _ => {
                        return Ex::Unsupported(
                            sp,
                            "only a parameter's element can be indexed, as in `z[0]`".into(),
                        )
                    }
                };
                match &*ix.index {
                    Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Int(i),
                        ..
                    }) => match i.base10_parse::<usize>() {
                        Ok(k) => Ex::Index(name, k, sp),
                        Err(_) => Ex::Unsupported(sp, "the index is too large".into()),
                    },
                    _ => Ex::Unsupported(
                        Sp::of(&ix.index),
                        "an element is picked with a literal index, as in `z[0]`".into(),
                    ),
                }
            }
            Expr::Unary(u) if matches!(u.op, syn::UnOp::Neg(_)) => match Ex::from_syn(&u.expr) {
                Ex::Num(v, _) => Ex::Num(-v, sp),
                x => Ex::Neg(Box::new(x), sp),
            },
            Expr::Binary(b) => {
                let op = match b.op {
                    syn::BinOp::Add(_) => BinOp::Add,
                    syn::BinOp::Sub(_) => BinOp::Sub,
                    syn::BinOp::Mul(_) => BinOp::Mul,
                    syn::BinOp::Div(_) => BinOp::Div,
                    syn::BinOp::BitXor(_) => {
                        return Ex::Unsupported(
                            Sp::of(&b.op),
                            "`^` is exclusive or in Rust, not a power: write `x.powf(y)`".into(),
                        )
                    }
                    syn::BinOp::Eq(_)
                    | syn::BinOp::Ne(_)
                    | syn::BinOp::Lt(_)
                    | syn::BinOp::Le(_)
                    | syn::BinOp::Gt(_)
                    | syn::BinOp::Ge(_) => {
                        return Ex::Unsupported(
                            Sp::of(&b.op),
                            "a comparison belongs only in `clear sum(.. * g) == target;` \
                             and `borrowing a >= limit;`"
                                .into(),
                        )
                    }
                    _ => {
                        return Ex::Unsupported(
                            Sp::of(&b.op),
                            format!(
                                "`{}` is not an operator of model expressions (use + - * /)",
                                b.op.to_token_stream()
                            ),
                        )
                    }
                };
                Ex::Bin(
                    op,
                    Box::new(Ex::from_syn(&b.left)),
                    Box::new(Ex::from_syn(&b.right)),
                    sp,
                )
            }
            Expr::Paren(p) => Ex::from_syn(&p.expr),
            Expr::Group(g) => Ex::from_syn(&g.expr),
            Expr::MethodCall(m) if m.turbofish.is_none() => {
                let mut args = vec![Ex::from_syn(&m.receiver)];
                args.extend(m.args.iter().map(Ex::from_syn));
                Ex::Call {
                    func: m.method.clone(),
                    args,
                    method: true,
                    span: sp,
                }
            }
            Expr::Call(c) => match &*c.func {
                Expr::Path(p) if p.path.get_ident().is_some() => Ex::Call {
                    func: p.path.get_ident().unwrap().clone(),
                    args: c.args.iter().map(Ex::from_syn).collect(),
                    method: false,
                    span: sp,
                },
                _ => Ex::Unsupported(sp, "expected a function name such as `softplus`".into()),
            },
            _ => Ex::Unsupported(
                sp,
                "not a model expression: use numbers, names, `z[0]`, + - * /, parentheses \
                 and the functions powf, ln, exp, min, max, softplus"
                    .into(),
            ),
        }
    }
}

fn number(v: syn::Result<f64>, sp: Sp) -> Ex {
    match v {
        Ok(v) if v.is_finite() => Ex::Num(v, sp),
        _ => Ex::Unsupported(sp, "not a finite number".into()),
    }
}

fn parse_ex(input: ParseStream) -> syn::Result<Ex> {
    Ok(Ex::from_syn(&input.parse::<Expr>()?))
}

/// `name = value` in `params { }`: the value is a Rust expression.
pub struct ParamDecl {
    /// The parameter's name.
    pub name: Ident,
    /// Its value, evaluated at run time.
    pub value: Expr,
}

/// `r in (lo, hi)` in `prices { }`.
pub struct PriceDecl {
    /// The price's name.
    pub name: Ident,
    /// Lower end of the bracket.
    pub lo: Ex,
    /// Upper end of the bracket.
    pub hi: Ex,
    /// The bracket.
    pub span: Sp,
}

/// `K = expr` in `firm { }`.
pub struct DerivedDecl {
    /// The quantity's name.
    pub name: Ident,
    /// Its definition.
    pub value: Ex,
}

/// The grid size after `with`.
pub enum Points {
    /// `2^k`: `k` a Rust integer expression.
    Pow2(Expr, Sp),
    /// Any Rust integer expression.
    Count(Expr, Sp),
}

/// The income values of a Markov state.
pub enum Values {
    /// `values z`: all of a list parameter.
    Param(Ident),
    /// `values [x, y]`.
    List(Vec<Ex>, Sp),
}

/// The rows of a rates matrix, each with its span.
pub type Rows = Vec<(Vec<Ex>, Sp)>;

/// The kind of a state.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    /// The asset (`wealth`).
    Wealth,
    /// A Markov chain (`markov`).
    Markov,
    /// A diffusion (`diffusion`).
    Diffusion,
}

impl Kind {
    /// How the kind is written.
    pub fn word(self) -> &'static str {
        match self {
            Kind::Wealth => "wealth",
            Kind::Markov => "markov",
            Kind::Diffusion => "diffusion",
        }
    }
}

/// `name: kind clause*` in `states { }`; clauses are optional here and
/// checked against the kind later.
pub struct StateDecl {
    /// The state's name.
    pub name: Ident,
    /// The kind keyword.
    pub kind_kw: Ident,
    /// The kind.
    pub kind: Kind,
    /// `on [lo, hi]`.
    pub bounds: Option<(Ident, Ex, Ex, Sp)>,
    /// `with N points`.
    pub points: Option<(Ident, Points)>,
    /// `drift expr`.
    pub drift: Option<(Ident, Ex)>,
    /// `variance expr`.
    pub variance: Option<(Ident, Ex)>,
    /// `values ...`.
    pub values: Option<(Ident, Values)>,
    /// `rates [[..], ..]`: rows with their spans, and the whole matrix.
    pub rates: Option<(Ident, Rows, Sp)>,
}

/// One top-level item.
pub enum Item {
    /// `params { .. }`.
    Params(Ident, Vec<ParamDecl>),
    /// `prices { .. }`.
    Prices(Ident, Vec<PriceDecl>),
    /// `firm { .. }` (or `derived { .. }`).
    Firm(Ident, Vec<DerivedDecl>),
    /// `states { .. }`.
    States(Ident, Vec<StateDecl>),
    /// `control c;`.
    Control(Ident, Ident),
    /// `utility expr;`.
    Utility(Ident, Ex),
    /// `foc c = expr;`.
    Foc(Ident, Ident, Ex),
    /// `drift a = expr;`.
    Drift(Ident, Ident, Ex),
    /// `borrowing a >= expr;`.
    Borrowing(Ident, Ident, Ex),
    /// `discount expr;`.
    Discount(Ident, Ex),
    /// `clear lhs == rhs;`.
    Clear(Ident, Ex, Ex),
}

/// The whole macro input.
pub struct ModelInput {
    /// The items in the order written.
    pub items: Vec<Item>,
}

/// The top-level keywords (for "did you mean").
pub const SECTIONS: &[&str] = &[
    "params",
    "prices",
    "firm",
    "derived",
    "states",
    "control",
    "utility",
    "foc",
    "drift",
    "borrowing",
    "discount",
    "clear",
];

/// The clause keywords of a state.
const CLAUSES: &[&str] = &["on", "with", "values", "rates", "drift", "variance"];

/// The closest of `candidates` to `word`, if it is a near miss.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let len = word.chars().count();
    let limit = match len {
        0 | 1 => 0,
        2..=5 => 1,
        _ => len / 3,
    };
    candidates
        .into_iter()
        .filter(|c| *c != word)
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, c)| *d <= limit || c.to_lowercase() == word.to_lowercase())
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// The Levenshtein distance between two words.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

fn did_you_mean(word: &Ident, candidates: &[&str]) -> String {
    match suggest(&word.to_string(), candidates.iter().copied()) {
        Some(s) => format!(" (did you mean `{s}`?)"),
        None => String::new(),
    }
}

/// Skips one `,` or `;` between entries of a block.
fn separator(input: ParseStream) -> syn::Result<()> {
    if input.peek(Token![,]) {
        input.parse::<Token![,]>()?;
    } else if input.peek(Token![;]) {
        input.parse::<Token![;]>()?;
    } else if !input.is_empty() {
        return Err(input.error("expected `,` or `;` between entries"));
    }
    Ok(())
}

/// `[a, b]` or `(a, b)`.
fn pair(input: ParseStream, what: &str) -> syn::Result<(Ex, Ex, Sp)> {
    let content;
    let span = if input.peek(syn::token::Bracket) {
        let b = bracketed!(content in input);
        Sp(b.span.open(), b.span.close())
    } else if input.peek(syn::token::Paren) {
        let p = parenthesized!(content in input);
        Sp(p.span.open(), p.span.close())
    } else {
        return Err(input.error(format!("expected {what} as `[lo, hi]`")));
    };
    let lo = parse_ex(&content)?;
    content.parse::<Token![,]>()?;
    let hi = parse_ex(&content)?;
    if !content.is_empty() {
        return Err(content.error(format!("{what} has two ends, `[lo, hi]`")));
    }
    Ok((lo, hi, span))
}

fn parse_state(input: ParseStream) -> syn::Result<StateDecl> {
    let name: Ident = input.parse()?;
    input.parse::<Token![:]>()?;
    let kind_kw: Ident = input.parse()?;
    let kind = match kind_kw.to_string().as_str() {
        "wealth" => Kind::Wealth,
        "markov" => Kind::Markov,
        "diffusion" => Kind::Diffusion,
        _ => {
            return Err(syn::Error::new(
                kind_kw.span(),
                format!(
                    "unknown kind of state `{kind_kw}`{}: a state is `wealth` (the asset), \
                     `markov` (income jumping between values) or `diffusion` (income \
                     moving continuously)",
                    did_you_mean(&kind_kw, &["wealth", "markov", "diffusion"])
                ),
            ))
        }
    };
    let mut s = StateDecl {
        name,
        kind_kw,
        kind,
        bounds: None,
        points: None,
        drift: None,
        variance: None,
        values: None,
        rates: None,
    };
    while !input.is_empty() && !input.peek(Token![;]) {
        let kw: Ident = input.parse()?;
        let twice = || {
            syn::Error::new(
                kw.span(),
                format!("`{kw}` is given twice for the state `{}`", s.name),
            )
        };
        match kw.to_string().as_str() {
            "on" => {
                if s.bounds.is_some() {
                    return Err(twice());
                }
                let (lo, hi, sp) = pair(input, "a grid")?;
                s.bounds = Some((kw, lo, hi, sp));
            }
            "with" => {
                if s.points.is_some() {
                    return Err(twice());
                }
                let e: Expr = input.parse()?;
                let sp = Sp::of(&e);
                let points = match e {
                    Expr::Binary(b)
                        if matches!(b.op, syn::BinOp::BitXor(_))
                            && matches!(&*b.left, Expr::Lit(syn::ExprLit { lit: syn::Lit::Int(i), .. }) if i.base10_digits() == "2") =>
                    {
                        Points::Pow2(*b.right, sp)
                    }
                    e => Points::Count(e, sp),
                };
                let word: Ident = input.parse()?;
                if word != "points" {
                    return Err(syn::Error::new(
                        word.span(),
                        format!("expected `points` after the grid size, found `{word}`"),
                    ));
                }
                s.points = Some((kw, points));
            }
            "drift" | "variance" => {
                let slot = if kw == "drift" {
                    &mut s.drift
                } else {
                    &mut s.variance
                };
                if slot.is_some() {
                    return Err(twice());
                }
                let e = parse_ex(input)?;
                *slot = Some((kw, e));
            }
            "values" => {
                if s.values.is_some() {
                    return Err(twice());
                }
                let e: Expr = input.parse()?;
                let v = match &e {
                    Expr::Path(p) if p.path.get_ident().is_some() => {
                        Values::Param(p.path.get_ident().unwrap().clone())
                    }
                    Expr::Array(a) => {
                        Values::List(a.elems.iter().map(Ex::from_syn).collect(), Sp::of(&e))
                    }
                    _ => {
                        return Err(syn::Error::new_spanned(
                            &e,
                            "expected the income values as a list parameter (`values z`) \
                             or a list (`values [0.1, 0.2]`)",
                        ))
                    }
                };
                s.values = Some((kw, v));
            }
            "rates" => {
                if s.rates.is_some() {
                    return Err(twice());
                }
                let e: Expr = input.parse()?;
                let rows = match &e {
                    Expr::Array(a) => a
                        .elems
                        .iter()
                        .map(|row| match row {
                            Expr::Array(r) => {
                                Ok((r.elems.iter().map(Ex::from_syn).collect(), Sp::of(row)))
                            }
                            other => Err(syn::Error::new_spanned(
                                other,
                                "expected a row of the rates matrix, `[-0.5, 0.5]`",
                            )),
                        })
                        .collect::<syn::Result<Vec<_>>>()?,
                    _ => {
                        return Err(syn::Error::new_spanned(
                            &e,
                            "expected the intensity matrix written out row by row, \
                             `rates [[-0.5, 0.5], [0.3, -0.3]]`",
                        ))
                    }
                };
                s.rates = Some((kw, rows, Sp::of(&e)));
            }
            _ => {
                return Err(syn::Error::new(
                    kw.span(),
                    format!(
                        "unknown clause `{kw}`{}: a state takes `on [lo, hi]`, `with N points`, \
                         `values ..`, `rates [[..]]`, `drift ..` or `variance ..`",
                        did_you_mean(&kw, CLAUSES)
                    ),
                ))
            }
        }
    }
    Ok(s)
}

impl Parse for ModelInput {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let mut items = Vec::new();
        while !input.is_empty() {
            let kw: Ident = input.parse()?;
            let item = match kw.to_string().as_str() {
                "params" => {
                    let content;
                    braced!(content in input);
                    let mut ps = Vec::new();
                    while !content.is_empty() {
                        let name: Ident = content.parse()?;
                        content.parse::<Token![=]>()?;
                        let value: Expr = content.parse()?;
                        ps.push(ParamDecl { name, value });
                        separator(&content)?;
                    }
                    Item::Params(kw, ps)
                }
                "prices" => {
                    let content;
                    braced!(content in input);
                    let mut ps = Vec::new();
                    while !content.is_empty() {
                        let name: Ident = content.parse()?;
                        content.parse::<Token![in]>()?;
                        let (lo, hi, span) = pair(&content, "a price bracket")?;
                        ps.push(PriceDecl { name, lo, hi, span });
                        separator(&content)?;
                    }
                    Item::Prices(kw, ps)
                }
                "firm" | "derived" => {
                    let content;
                    braced!(content in input);
                    let mut ds = Vec::new();
                    while !content.is_empty() {
                        let name: Ident = content.parse()?;
                        content.parse::<Token![=]>()?;
                        let value = parse_ex(&content)?;
                        ds.push(DerivedDecl { name, value });
                        separator(&content)?;
                    }
                    Item::Firm(kw, ds)
                }
                "states" => {
                    let content;
                    braced!(content in input);
                    let mut ss = Vec::new();
                    while !content.is_empty() {
                        ss.push(parse_state(&content)?);
                        separator(&content)?;
                    }
                    Item::States(kw, ss)
                }
                "control" => Item::Control(kw, input.parse()?),
                "utility" => Item::Utility(kw, parse_ex(input)?),
                "foc" | "drift" => {
                    let name: Ident = input.parse()?;
                    input.parse::<Token![=]>()?;
                    let e = parse_ex(input)?;
                    if kw == "foc" {
                        Item::Foc(kw, name, e)
                    } else {
                        Item::Drift(kw, name, e)
                    }
                }
                "borrowing" => {
                    let name: Ident = input.parse()?;
                    if !input.peek(Token![>=]) {
                        return Err(input.error(
                            "expected `>=`: a borrowing limit reads `borrowing a >= amin;`",
                        ));
                    }
                    input.parse::<Token![>=]>()?;
                    Item::Borrowing(kw, name, parse_ex(input)?)
                }
                "discount" => Item::Discount(kw, parse_ex(input)?),
                "clear" => {
                    let e: Expr = input.parse()?;
                    match e {
                        Expr::Binary(b) if matches!(b.op, syn::BinOp::Eq(_)) => {
                            Item::Clear(kw, Ex::from_syn(&b.left), Ex::from_syn(&b.right))
                        }
                        other => {
                            return Err(syn::Error::new_spanned(
                                other,
                                "a clearing condition reads `clear sum(a * g) == target;` \
                                 (the aggregate of a function of the states over the \
                                 distribution g equals a target)",
                            ))
                        }
                    }
                }
                _ => {
                    return Err(syn::Error::new(
                        kw.span(),
                        format!(
                            "unknown section `{kw}`{}: a model is made of `params {{ }}`, \
                             `prices {{ }}`, `firm {{ }}`, `states {{ }}`, `control`, `utility`, \
                             `foc`, `drift`, `borrowing`, `discount` and `clear`",
                            did_you_mean(&kw, SECTIONS)
                        ),
                    ))
                }
            };
            let braced = matches!(
                item,
                Item::Params(..) | Item::Prices(..) | Item::Firm(..) | Item::States(..)
            );
            // a block may be followed by `;`, a statement must be
            if !braced || input.peek(Token![;]) {
                input.parse::<Token![;]>()?;
            }
            items.push(item);
        }
        Ok(Self { items })
    }
}
