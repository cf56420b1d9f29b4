//! Emit: discretised distributions and `EstimationProblem::from_distributions`.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};

use super::check::Spec;

/// The expansion: a closure returning `::qtt::Result<EstimationProblem>`, called at once.
pub fn emit(spec: &Spec) -> TokenStream {
    let mut decls = TokenStream::new();
    let mut dist_names = Vec::new();
    let mut binds = TokenStream::new();
    let x = proc_macro2::Ident::new("__qtt_x", Span::mixed_site());
    for (k, v) in spec.vars.iter().enumerate() {
        let d = format_ident!("__qtt_d{}", k, span = Span::mixed_site());
        let ctor = format_ident!("{}", v.ctor);
        let ps = v.params.iter().map(|p| quote! { (#p) as f64 });
        let (lo, hi, q) = (&v.lo, &v.hi, v.qubits);
        let grid = if v.endpoints {
            quote!(Endpoints)
        } else {
            quote!(CellMeans)
        };
        decls.extend(quote! {
            let #d = ::qtt::quantum::Discretized::#ctor(#(#ps,)* (#lo) as f64, (#hi) as f64, #q, ::qtt::quantum::SupportGrid::#grid)?;
        });
        dist_names.push(d);
        let name = &v.name;
        binds.extend(quote! { let #name: f64 = #x[#k]; });
    }
    let payoff = &spec.payoff;
    quote! {
        (|| -> ::qtt::Result<::qtt::quantum::EstimationProblem> {
            #decls
            ::qtt::quantum::EstimationProblem::from_distributions(
                &[#(#dist_names),*],
                |#x: &[f64]| -> f64 { #binds (#payoff) as f64 },
                ::qtt::quantum::Normalization::MinMax,
            )
        })()
    }
}
