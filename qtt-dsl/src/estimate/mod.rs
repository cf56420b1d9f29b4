//! The `estimate!` macro: random variables with a distribution, a support and a
//! qubit count, and a payoff expression over them; expands into an
//! `::qtt::quantum::EstimationProblem` (exact loading, min-max normalised
//! payoff). The expansion evaluates to `::qtt::Result<EstimationProblem>`.
//!
//! ```text
//! estimate! {
//!     d1 ~ beta(2.0, 10.0) on [0.0, 1.0] with 3 qubits;
//!     d2 ~ beta(2.0, 10.0) on [0.0, 1.0] with 3 qubits;
//!     payoff = 0.0064 * (2.0 + d2) * (1.0 + d1);
//! }
//! ```
//! A variable may end with `at endpoints` to use equally spaced points including
//! the ends of the support (seed 001's grid) instead of cell means.

mod ast;
mod check;
mod emit;

use proc_macro2::TokenStream;

/// Expands the body of `estimate! { ... }`.
pub fn expand(input: TokenStream) -> TokenStream {
    let parsed = match syn::parse2::<ast::EstimateBody>(input) {
        Ok(b) => b,
        Err(e) => return e.to_compile_error(),
    };
    match check::check(&parsed) {
        Ok(spec) => emit::emit(&spec),
        Err(e) => e.to_compile_error(),
    }
}
