//! Emission: the plan as Rust tokens naming only `::qtt::…` paths.
//!
//! The user's parameter values and grid sizes are evaluated first, in the
//! order written and outside any closure (so `?` or a borrow in them means
//! what it means in the surrounding function); a closure then checks them
//! and builds the [`ModelIr`](crate::ir::model::ModelIr).

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use super::check::PointsSpec;
use super::lower::Plan;
use crate::ir::model::{ClearingIr, ExprIr, IncomeIr, UtilityIr};

fn f64_lit(v: f64) -> Literal {
    // checked finite: literals are parsed finite and folding keeps only
    // finite results
    Literal::f64_suffixed(v)
}

/// An [`ExprIr`] as tokens that rebuild it.
pub fn expr(e: &ExprIr) -> TokenStream {
    let m = quote!(::qtt::ir::model::ExprIr);
    let bx = |x: &ExprIr| {
        let t = expr(x);
        quote!(::std::boxed::Box::new(#t))
    };
    let two = |v: TokenStream, x: &ExprIr, y: &ExprIr| {
        let (x, y) = (bx(x), bx(y));
        quote!(#m::#v(#x, #y))
    };
    match e {
        ExprIr::Num(v) => {
            let v = f64_lit(*v);
            quote!(#m::Num(#v))
        }
        ExprIr::Param { index, element } => quote!(#m::Param { index: #index, element: #element }),
        ExprIr::Price(i) => quote!(#m::Price(#i)),
        ExprIr::Derived(i) => quote!(#m::Derived(#i)),
        ExprIr::Wealth => quote!(#m::Wealth),
        ExprIr::Income(i) => quote!(#m::Income(#i)),
        ExprIr::Control => quote!(#m::Control),
        ExprIr::MarginalValue => quote!(#m::MarginalValue),
        ExprIr::Neg(x) => {
            let x = bx(x);
            quote!(#m::Neg(#x))
        }
        ExprIr::Ln(x) => {
            let x = bx(x);
            quote!(#m::Ln(#x))
        }
        ExprIr::Exp(x) => {
            let x = bx(x);
            quote!(#m::Exp(#x))
        }
        ExprIr::Add(x, y) => two(quote!(Add), x, y),
        ExprIr::Sub(x, y) => two(quote!(Sub), x, y),
        ExprIr::Mul(x, y) => two(quote!(Mul), x, y),
        ExprIr::Div(x, y) => two(quote!(Div), x, y),
        ExprIr::Powf(x, y) => two(quote!(Powf), x, y),
        ExprIr::Min(x, y) => two(quote!(Min), x, y),
        ExprIr::Max(x, y) => two(quote!(Max), x, y),
        ExprIr::Softplus(x, y) => two(quote!(Softplus), x, y),
    }
}

fn exprs(v: &[ExprIr]) -> TokenStream {
    let items = v.iter().map(expr);
    quote!(::std::vec![#(#items),*])
}

fn string(s: &str) -> TokenStream {
    quote!(::std::string::String::from(#s))
}

/// A hygienic local of the expansion.
fn local(name: &str) -> Ident {
    Ident::new(name, Span::mixed_site())
}

/// A grid size: the literal, or the checked run-time value bound in `pre`.
fn points(p: &PointsSpec, state: &str, k: usize, pre: &mut TokenStream) -> TokenStream {
    let m = quote!(::qtt::ir::model::macro_support);
    match p {
        PointsSpec::Literal(n) => {
            let n = Literal::u64_suffixed(*n);
            quote!(#n)
        }
        PointsSpec::Count(e) | PointsSpec::Pow2(e) => {
            let id = format_ident!("__qtt_points_{}", k, span = Span::mixed_site());
            let f = if matches!(p, PointsSpec::Count(_)) {
                quote!(grid_points)
            } else {
                quote!(grid_points_pow2)
            };
            pre.extend(quote_spanned!(e.span()=> let #id = #m::#f(#state, #e);));
            quote!(#id.map_err(::qtt::Error::invalid)?)
        }
    }
}

/// An expression of type `::qtt::Result<::qtt::ir::model::ModelIr>`.
pub fn model_ir(plan: &Plan) -> TokenStream {
    let m = quote!(::qtt::ir::model);
    let ir = &plan.ir;
    let mut pre = TokenStream::new();

    let params_id = local("__qtt_params");
    let mut params = Vec::new();
    for (k, (p, pp)) in ir.params.iter().zip(&plan.params).enumerate() {
        let id = format_ident!("__qtt_param_{}", k, span = Span::mixed_site());
        let (name, value, scalar, min_len) = (&p.name, &pp.value, pp.scalar, pp.min_len);
        pre.extend(quote_spanned!(value.span()=>
            let #id = #m::macro_support::param(#name, &(#value), #scalar, #min_len);
        ));
        params.push(quote!(#id.map_err(::qtt::Error::invalid)?));
    }

    let prices = ir.prices.iter().map(|p| {
        let (name, lo, hi) = (string(&p.name), expr(&p.lo), expr(&p.hi));
        quote!(#m::PriceIr { name: #name, lo: #lo, hi: #hi })
    });
    let derived = ir.derived.iter().map(|d| {
        let (name, value) = (string(&d.name), expr(&d.value));
        quote!(#m::DerivedIr { name: #name, value: #value })
    });

    let w = &ir.wealth;
    let wealth = {
        let (name, lo, hi) = (string(&w.name), expr(&w.lo), expr(&w.hi));
        let n = points(&plan.wealth_points, &w.name, 0, &mut pre);
        quote!(#m::WealthIr { name: #name, lo: #lo, hi: #hi, points: #n })
    };

    let mut income = Vec::new();
    for (i, inc) in ir.income.iter().enumerate() {
        income.push(match inc {
            IncomeIr::Markov {
                name,
                values,
                rates,
            } => {
                let values = match plan.markov_values[i] {
                    Some(k) => quote! {
                        (0..#params_id[#k].values.len())
                            .map(|element| #m::ExprIr::Param { index: #k, element })
                            .collect()
                    },
                    None => exprs(values),
                };
                let rows = rates.iter().map(|r| exprs(r));
                let name = string(name);
                quote!(#m::IncomeIr::Markov {
                    name: #name,
                    values: #values,
                    rates: ::std::vec![#(#rows),*],
                })
            }
            IncomeIr::Diffusion {
                name,
                drift,
                variance,
                lo,
                hi,
                ..
            } => {
                let spec = plan.income_points[i]
                    .as_ref()
                    .expect("a diffusion has a grid");
                let n = points(spec, name, i + 1, &mut pre);
                let (name, drift, variance, lo, hi) = (
                    string(name),
                    expr(drift),
                    expr(variance),
                    expr(lo),
                    expr(hi),
                );
                quote!(#m::IncomeIr::Diffusion {
                    name: #name,
                    drift: #drift,
                    variance: #variance,
                    lo: #lo,
                    hi: #hi,
                    points: #n,
                })
            }
        });
    }

    let utility = match &ir.utility {
        UtilityIr::Crra { gamma } => {
            let g = expr(gamma);
            quote!(#m::UtilityIr::Crra { gamma: #g })
        }
        UtilityIr::Log => quote!(#m::UtilityIr::Log),
        UtilityIr::General {
            utility,
            marginal,
            consumption,
        } => {
            let (u, mu, c) = (expr(utility), expr(marginal), expr(consumption));
            quote!(#m::UtilityIr::General { utility: #u, marginal: #mu, consumption: #c })
        }
    };
    let clearing = ir.clearing.iter().map(|ClearingIr { integrand, target }| {
        let (i, t) = (expr(integrand), expr(target));
        quote!(#m::ClearingIr { integrand: #i, target: #t })
    });
    let (control, resources, discount) =
        (string(&ir.control), expr(&ir.resources), expr(&ir.discount));
    let income_id = local("__qtt_income");
    quote! {
        {
            #pre
            (move || -> ::qtt::Result<#m::ModelIr> {
                let #params_id: ::std::vec::Vec<#m::ParamIr> = ::std::vec![#(#params),*];
                let #income_id: ::std::vec::Vec<#m::IncomeIr> = ::std::vec![#(#income),*];
                ::core::result::Result::Ok(#m::ModelIr {
                    params: #params_id,
                    prices: ::std::vec![#(#prices),*],
                    derived: ::std::vec![#(#derived),*],
                    wealth: #wealth,
                    income: #income_id,
                    control: #control,
                    utility: #utility,
                    resources: #resources,
                    discount: #discount,
                    clearing: ::std::vec![#(#clearing),*],
                })
            })()
        }
    }
}

/// The compile-time ranks as a constant slice expression.
pub fn ranks(plan: &Plan) -> TokenStream {
    let entries = plan.ranks.iter().map(|(n, r)| quote!((#n, #r)));
    quote!(&[#(#entries),*])
}

/// `model!`: an expression of type `::qtt::Result<::qtt::econ::Model>`.
pub fn model(plan: &Plan) -> TokenStream {
    let ir = model_ir(plan);
    quote! {
        ::core::result::Result::and_then(#ir, ::qtt::econ::Model::from_ir)
    }
}

/// The hidden `__model_ir!`: an expression of type
/// `::qtt::Result<(::qtt::ir::model::ModelIr, &'static [(&'static str, usize)])>`,
/// the IR `model!` would hand to the runtime and the compile-time ranks of
/// the generator's exact pieces.
pub fn model_ir_with_ranks(plan: &Plan) -> TokenStream {
    let ir = model_ir(plan);
    let ranks = ranks(plan);
    let id = local("__QTT_PIECE_RANKS");
    quote! {
        {
            const #id: &[(&str, usize)] = #ranks;
            ::core::result::Result::map(#ir, |ir| (ir, #id))
        }
    }
}
