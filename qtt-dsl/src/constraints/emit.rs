//! Emit: constant tables for literal systems, a runtime build otherwise.

use super::ast::Coef;
use super::lower::{Bound, Lowered};
use proc_macro2::TokenStream;
use quote::quote;

fn coef_tokens(c: &Coef, label: &str) -> TokenStream {
    match c {
        Coef::Lit(v) => quote!(#v),
        Coef::Expr(e) => quote!(::qtt::qregion::int_coefficient((#e), #label)?),
    }
}

fn bound_tokens(b: &Option<Bound>, label: &str) -> TokenStream {
    match b {
        None => quote!(::core::option::Option::None),
        Some(terms) => {
            let parts = terms.iter().map(|(neg, c)| {
                let t = coef_tokens(c, label);
                if *neg {
                    quote!(- (#t))
                } else {
                    quote!(+ (#t))
                }
            });
            quote!(::core::option::Option::Some(0i64 #(#parts)*))
        }
    }
}

/// The expansion.
pub fn emit(l: &Lowered) -> syn::Result<TokenStream> {
    let names = &l.names;
    if let Some((sys, automaton)) = &l.literal {
        let t = automaton.to_tables();
        let m = t.m;
        let flux_first = t.flux_first;
        let link_sizes = &t.link_sizes;
        let region_boxes = &t.region_boxes;
        let corners = &t.corners;
        let transitions = t.transitions.iter().map(|[a, b]| quote!([#a, #b]));
        let rows = sys.rows.iter().map(|r| {
            let coeffs = &r.coeffs;
            let lo = match r.lo {
                Some(v) => quote!(::core::option::Option::Some(#v)),
                None => quote!(::core::option::Option::None),
            };
            let hi = match r.hi {
                Some(v) => quote!(::core::option::Option::Some(#v)),
                None => quote!(::core::option::Option::None),
            };
            let label = &r.label;
            quote! {
                __sys.add(::std::vec![#(#coeffs),*], #lo, #hi, ::core::option::Option::Some(#label.to_string()))
                    .expect("constraints!: rows checked at compile time");
            }
        });
        return Ok(quote! {{
            const __TABLES: ::qtt::qregion::AutomatonTables<'static> = ::qtt::qregion::AutomatonTables {
                m: #m,
                flux_first: #flux_first,
                link_sizes: &[#(#link_sizes),*],
                region_boxes: &[#(#region_boxes),*],
                corners: &[#(#corners),*],
                transitions: &[#(#transitions),*],
            };
            let mut __sys = ::qtt::qregion::LinearSystem::with_names(::std::vec![#(#names.to_string()),*]);
            #(#rows)*
            ::qtt::qregion::ConstraintSet::from_tables(__sys, &__TABLES)
                .expect("constraints!: tables built at compile time are consistent")
        }});
    }
    let n = names.len();
    let rows = l.rows.iter().map(|r| {
        let label = &r.text;
        let terms = r.lin.iter().map(|t| {
            let sign: i64 = if t.negative { -1 } else { 1 };
            let c = coef_tokens(&t.coef, label);
            let (start, len) = (t.start, t.len);
            match &t.weights {
                None => quote! {
                    let __k = #sign * (#c);
                    for __v in &mut __c[#start..#start + #len] { *__v += __k; }
                },
                Some(w) => quote! {
                    let __k = #sign * (#c);
                    let __w = &(#w)[..];
                    if __w.len() != #len {
                        return ::core::result::Result::Err(::qtt::Error::shape(::std::format!(
                            "constraint `{}`: {} weights for {} variables", #label, __w.len(), #len)));
                    }
                    for (__i, __x) in __w.iter().enumerate() {
                        __c[#start + __i] += __k * ::qtt::qregion::int_coefficient(__x.clone(), #label)?;
                    }
                },
            }
        });
        let lo = bound_tokens(&r.lo, label);
        let hi = bound_tokens(&r.hi, label);
        quote! {{
            let mut __c = ::std::vec![0i64; #n];
            #(#terms)*
            __sys.add(__c, #lo, #hi, ::core::option::Option::Some(#label.to_string()))?;
        }}
    });
    Ok(quote! {
        (|| -> ::qtt::Result<::qtt::qregion::ConstraintSet> {
            let mut __sys = ::qtt::qregion::LinearSystem::with_names(::std::vec![#(#names.to_string()),*]);
            #(#rows)*
            ::qtt::qregion::ConstraintSet::build(__sys)
        })()
    })
}
