//! `mpo!`: an operator written as a sum of products of local operators,
//! compiled into code that builds the operator-sum IR and assembles its MPO.
//!
//! ```text
//! mpo! {
//!     sites 100 of spin(1);
//!     sum i in 0..100 { Sx[i]*Sx[(i+1)%100] + Sy[i]*Sy[(i+1)%100] + Sz[i]*Sz[(i+1)%100] }
//! }
//! ```
//!
//! Stages: [`ast`] (parse, spans kept) -> [`check`] (errors at the user's
//! span) -> [`lower`] (a loop nest of term pushes) -> [`emit`] (tokens
//! naming only `::qtt::…`). The expansion is an expression of type
//! `::qtt::Result<::qtt::TtMatrix>`.

pub mod ast;
pub mod check;
pub mod emit;
pub mod lower;

use proc_macro2::TokenStream;

/// Expands an `mpo!` invocation (or returns its compile errors).
pub fn expand(input: TokenStream) -> TokenStream {
    let parsed = match syn::parse2::<ast::MpoInput>(input) {
        Ok(p) => p,
        Err(e) => return e.to_compile_error(),
    };
    match check::check(&parsed) {
        Ok(space) => emit::emit(&lower::lower(&parsed, space)),
        Err(e) => e.to_compile_error(),
    }
}
