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
            let mut __qtt_ir = ::qtt::ir::opsum::OpSumIr::new((#sites) as usize, #space);
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
            let coefs = coefs
                .iter()
                .map(|c| quote_spanned!(c.span()=> * ((#c) as f64)));
            let ops = ops.iter().map(|(name, site)| {
                // A negative index wraps to a huge usize, which the runtime
                // reports as out of range instead of panicking.
                quote_spanned!(site.span()=> (#name, (#site) as usize))
            });
            quote! {
                __qtt_ir.push(#sign #(#coefs)*, &[#(#ops),*]);
            }
        }
    }
}
