//! Emit: the checked spec as builder calls on `::qtt::quantum::Circuit`.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};

use super::check::{Lowering, Spec};

/// The expansion: a closure returning `::qtt::Result<::qtt::quantum::Circuit>`, called at once.
pub fn emit(spec: &[Spec]) -> TokenStream {
    let c = Ident::new("__qtt_circuit", Span::mixed_site());
    let body = emit_stmts(spec, &c);
    quote! {
        (|| -> ::qtt::Result<::qtt::quantum::Circuit> {
            let mut #c = ::qtt::quantum::Circuit::new(0);
            #body
            ::core::result::Result::Ok(#c)
        })()
    }
}

fn emit_stmts(spec: &[Spec], c: &Ident) -> TokenStream {
    let mut out = TokenStream::new();
    for s in spec {
        out.extend(match s {
            Spec::Reg { name, size } => {
                let label = name.to_string();
                quote! { let #name = #c.add_register(#label, #size)?; }
            }
            Spec::For { var, range, body } => {
                let inner = emit_stmts(body, c);
                quote! { for #var in #range { #inner } }
            }
            Spec::Gate {
                lowering,
                params,
                qubits,
                register,
                span,
            } => {
                let qs: Vec<TokenStream> = qubits
                    .iter()
                    .map(|q| {
                        let (r, i) = (&q.reg, &q.index);
                        quote! { #r.qubit((#i) as usize)? }
                    })
                    .collect();
                let ps: Vec<TokenStream> = params.iter().map(|p| quote! { (#p) as f64 }).collect();
                match lowering {
                    Lowering::Controlled { variant, controls } => {
                        let v = format_ident!("{}", variant);
                        let gate = if ps.is_empty() {
                            quote! { ::qtt::quantum::Gate::#v }
                        } else {
                            quote! { ::qtt::quantum::Gate::#v(#(#ps),*) }
                        };
                        let (cs, t) = qs.split_at(*controls);
                        let t = &t[0];
                        quote_spanned! {*span=> #c.controlled_gate(#gate, &[#(#cs),*], #t)?; }
                    }
                    Lowering::Swap => {
                        let (a, b) = (&qs[0], &qs[1]);
                        quote_spanned! {*span=> #c.swap(#a, #b)?; }
                    }
                    Lowering::Mcx => {
                        let (t, cs) = qs.split_last().expect("checked arity");
                        quote_spanned! {*span=> #c.mcx(&[#(#cs),*], #t)?; }
                    }
                    Lowering::Qft { inverse } => {
                        let r = register.as_ref().expect("checked register");
                        if *inverse {
                            quote_spanned! {*span=> #c.iqft(&#r.qubits())?; }
                        } else {
                            quote_spanned! {*span=> #c.qft(&#r.qubits())?; }
                        }
                    }
                }
            }
        });
    }
    out
}
