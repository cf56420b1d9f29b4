//! Emission: the plan as Rust tokens naming only `::qtt::…` paths.

use super::lower::{Node, Plan};
use crate::ir::opsum::SpaceIr;
use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

/// The expansion: an expression of type `::qtt::Result<::qtt::TtMatrix>`.
pub fn emit(plan: &Plan) -> TokenStream {
    let sites = &plan.sites;
    let space = match plan.space {
        SpaceIr::Spin { twice_s } => quote!(::qtt::ir::opsum::SpaceIr::Spin { twice_s: #twice_s }),
    };
    let body: Vec<TokenStream> = plan.body.iter().map(emit_node).collect();
    quote! {
        {
            #[allow(unused_mut)]
            let mut __qtt_ir = ::qtt::ir::opsum::OpSumIr::new(::qtt::solve::opsum::macro_site(#sites), #space);
            #(#body)*
            ::qtt::solve::OpSum::from_ir(&__qtt_ir).and_then(|__qtt_sum| __qtt_sum.to_mpo())
        }
    }
}

fn emit_node(node: &Node) -> TokenStream {
    match node {
        Node::Loop { var, lo, hi, body } => {
            let inner: Vec<TokenStream> = body.iter().map(emit_node).collect();
            quote! {
                for #var in (#lo)..(#hi) {
                    #(#inner)*
                }
            }
        }
        Node::Push { sign, coefs, ops } => {
            let coefs: Vec<TokenStream> = coefs
                .iter()
                .map(|c| quote_spanned!(c.span()=> ::qtt::solve::opsum::macro_coef(#c)))
                .collect();
            let product = coefs.into_iter().reduce(|a, b| quote!(#a * #b));
            let coef = match (product, *sign < 0.0) {
                (None, false) => quote!(1.0),
                (None, true) => quote!(-1.0),
                (Some(p), false) => p,
                (Some(p), true) => quote!(-(#p)),
            };
            let ops = ops.iter().map(|(name, site)| {
                // A negative index becomes usize::MAX, which the runtime
                // reports as out of range instead of panicking.
                quote_spanned!(site.span()=> (#name, ::qtt::solve::opsum::macro_site(#site)))
            });
            quote! {
                __qtt_ir.push(#coef, &[#(#ops),*]);
            }
        }
    }
}
