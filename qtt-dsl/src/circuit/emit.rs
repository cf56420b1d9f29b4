//! Emit: the checked spec as code that builds its description
//! (`::qtt::ir::circuit::CircuitIr`, loops and parameters evaluated at run
//! time) and hands it to `::qtt::quantum::Circuit::from_ir`.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};

use super::check::{Lowering, Spec};

/// The expansion: a closure returning `::qtt::Result<::qtt::quantum::Circuit>`, called at once.
pub fn emit(spec: &[Spec]) -> TokenStream {
    let c = Ident::new("__qtt_circuit", Span::mixed_site());
    let body = emit_stmts(spec, &c);
    quote! {
        (|| -> ::qtt::Result<::qtt::quantum::Circuit> {
            let mut #c = ::qtt::ir::circuit::CircuitIr::new();
            #body
            ::qtt::quantum::Circuit::from_ir(&#c)
        })()
    }
}

fn emit_stmts(spec: &[Spec], c: &Ident) -> TokenStream {
    let ir = quote!(::qtt::ir::circuit);
    let mut out = TokenStream::new();
    for s in spec {
        out.extend(match s {
            Spec::Reg { name, size } => {
                let label = name.to_string();
                quote! { let #name: usize = #c.register(#label, #size); }
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
                        // call-site spans: the cast is the macro's, not the user's code
                        quote! { #ir::QubitIr { register: #r, index: (#i) as i64 } }
                    })
                    .collect();
                let ps: Vec<TokenStream> = params.iter().map(|p| quote! { (#p) as f64 }).collect();
                let op = match lowering {
                    Lowering::Controlled { variant, controls } => {
                        let v = format_ident!("{}", variant);
                        let gate = if ps.is_empty() {
                            quote! { #ir::GateIr::#v }
                        } else {
                            quote! { #ir::GateIr::#v(#(#ps),*) }
                        };
                        let (cs, t) = qs.split_at(*controls);
                        let t = &t[0];
                        quote! { #ir::OpIr::Gate { gate: #gate, controls: ::std::vec![#(#cs),*], target: #t } }
                    }
                    Lowering::Swap => {
                        let (a, b) = (&qs[0], &qs[1]);
                        quote! { #ir::OpIr::Swap { a: #a, b: #b } }
                    }
                    Lowering::Mcx => {
                        let (t, cs) = qs.split_last().expect("checked arity");
                        quote! { #ir::OpIr::Mcx { controls: ::std::vec![#(#cs),*], target: #t } }
                    }
                    Lowering::Qft { inverse } => {
                        let r = register.as_ref().expect("checked register");
                        quote! { #ir::OpIr::Qft { register: #r, inverse: #inverse } }
                    }
                };
                quote_spanned! {*span=> #c.push(#op); }
            }
        });
    }
    out
}
