//! Procedural macros of qtt. Each macro is a few lines that hand the token
//! stream to `qtt_dsl` and return what it emits; all parsing, checking and
//! code generation live there.

#![warn(missing_docs)]

use proc_macro::TokenStream;

/// An operator written as a sum of products of local operators, compiled
/// into MPO assembly: `mpo! { sites N of spin(1); sum i in 0..N-1 { Sz[i]*Sz[i+1] } }`
/// evaluates to `qtt::Result<qtt::TtMatrix>`.
#[proc_macro]
pub fn mpo(input: TokenStream) -> TokenStream {
    qtt_dsl::mpo::expand(input.into()).into()
}

/// Linear constraints over binary variables compiled to a QRegion
/// automaton (see `qtt_dsl::constraints` for the syntax).
#[proc_macro]
pub fn constraints(input: TokenStream) -> TokenStream {
    qtt_dsl::constraints::expand(input.into()).into()
}

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

/// A continuous-time heterogeneous-agent model (params, prices, firm block,
/// states, control, utility, drift, borrowing limit, discount rate, clearing
/// conditions), checked at compile time; evaluates to
/// `qtt::Result<qtt::econ::Model>` (see `qtt_dsl::model` for the language).
#[proc_macro]
pub fn model(input: TokenStream) -> TokenStream {
    qtt_dsl::model::expand(input.into()).into()
}

/// The IR `model!` would build and the compile-time ranks of the generator's
/// exact pieces, as `qtt::Result<(ModelIr, &'static [(&'static str, usize)])>`
/// (for tests of the lowering and of the runtime's operator ranks).
#[doc(hidden)]
#[proc_macro]
pub fn __model_ir(input: TokenStream) -> TokenStream {
    qtt_dsl::model::expand_ir(input.into()).into()
}
