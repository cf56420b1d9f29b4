//! Procedural macros of qtt. Each macro is a few lines that hand the token
//! stream to `qtt_dsl` and return what it emits; all parsing, checking and
//! code generation live there.

use proc_macro::TokenStream;

/// A quantum circuit with registers, gates, loops and parameters, checked at
/// compile time; evaluates to `qtt::Result<qtt::quantum::Circuit>`.
#[proc_macro]
pub fn circuit(input: TokenStream) -> TokenStream {
    qtt_dsl::circuit::expand(input.into()).into()
}

/// An expectation to estimate: random variables on registers and a payoff;
/// evaluates to `qtt::Result<qtt::quantum::EstimationProblem>`.
#[proc_macro]
pub fn estimate(input: TokenStream) -> TokenStream {
    qtt_dsl::estimate::expand(input.into()).into()
}
