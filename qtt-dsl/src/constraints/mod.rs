//! The `constraints!` macro: linear constraints over binary variables
//! written as in a modelling language, compiled to a QRegion automaton.
//!
//! ```text
//! constraints! {
//!     vars x[6];                      // binary variables x[0..6]
//!     vars y;                         // a single binary variable
//!     sum(x) <= 4;
//!     2*x[0] + 3*x[1] - x[5] >= 1;
//!     1 <= x[2] + y <= 2;
//!     sum((w) * x) <= (capacity);     // runtime coefficients and bounds
//! }
//! ```
//!
//! With literal coefficients the automaton is built here, at compile time,
//! and emitted as constant tables (an infeasible system is a compile error
//! at the failing constraint); the macro then evaluates to a
//! `::qtt::qregion::ConstraintSet`. Any parenthesised or braced runtime
//! expression makes it a runtime build evaluating to
//! `::qtt::Result<::qtt::qregion::ConstraintSet>`.

mod ast;
mod emit;
mod lower;

use proc_macro2::TokenStream;

/// Expands `constraints! { ... }`.
pub fn expand(input: TokenStream) -> TokenStream {
    match syn::parse2::<ast::Program>(input)
        .and_then(|p| lower::lower(&p))
        .and_then(|l| emit::emit(&l))
    {
        Ok(t) => t,
        Err(e) => e.to_compile_error(),
    }
}
