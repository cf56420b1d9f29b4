//! `model!`: a continuous-time heterogeneous-agent model (Achdou, Han,
//! Lasry, Lions and Moll) declared in Rust and checked at compile time.
//!
//! ```text
//! let huggett = qtt::model! {
//!     params { gamma = 2.0, rho = 0.05, z = [0.1, 0.2], lambda = [1.2, 1.2], amin = -0.15 }
//!     prices { r in (0.01, 0.04) }
//!     states {
//!         a: wealth on [amin, 5.0] with 2^20 points;
//!         e: markov values z rates [[-lambda[0], lambda[0]], [lambda[1], -lambda[1]]];
//!     }
//!     control c;
//!     utility c.powf(1.0 - gamma) / (1.0 - gamma);
//!     drift a = e + r * a - c;
//!     borrowing a >= amin;
//!     discount rho;
//!     clear sum(a * g) == 0.0;
//! }?;
//! ```
//!
//! Stages: [`ast`] (parse, spans kept; grammar there) -> [`check`] (names,
//! shapes, the economics literal values allow to check; every error at the
//! user's span, all in one pass) -> [`lower`] (an IR with run-time holes,
//! the compile-time operator ranks) -> [`emit`] (tokens naming only
//! `::qtt::…`). [`symbolic`] differentiates and inverts utilities.
//!
//! The expansion is an expression of type `::qtt::Result<::qtt::econ::Model>`:
//! it evaluates the parameter values (Rust expressions, so a calibration read
//! from a file works), builds a [`ModelIr`] and calls
//! `::qtt::econ::Model::from_ir`, which makes the checks only run time can.
//!
//! Decisions an economist may look for:
//! - The utility `c.powf(1.0 - gamma) / (1.0 - gamma)` is recognised as CRRA,
//!   and so is any form that differs from it by a constant, such as
//!   `(c.powf(1.0 - gamma) - 1.0) / (1.0 - gamma)`: a constant in the flow
//!   utility changes neither the marginal utility nor any choice, prices or
//!   the distribution; only the level of the value function differs, by the
//!   constant divided by `rho`. `c.ln()` (plus a constant) is log utility.
//! - Any other utility is differentiated symbolically; its first-order
//!   condition `u'(c) = dV` is solved for `c` when `c` occurs once in
//!   `u'(c)` along invertible steps (CARA, quadratic utility), and must be
//!   given with `foc c = ..;` otherwise. A `foc` given with a recognised
//!   utility is used as written (the utility is then lowered as general).
//! - The drift of wealth must read `resources - c`: consumption is paid one
//!   for one out of wealth.

pub mod ast;
pub mod check;
pub mod emit;
pub mod lower;
pub mod symbolic;

use crate::ir::model::ModelIr;
use proc_macro2::TokenStream;

/// Parses, checks and lowers an invocation's body.
pub fn plan(input: TokenStream) -> syn::Result<lower::Plan> {
    let parsed = syn::parse2::<ast::ModelInput>(input)?;
    let spec = check::check(&parsed)?;
    Ok(lower::lower(spec))
}

/// The compile errors of a model as one expression: several
/// `compile_error!`s side by side are not an expression, a block of them is.
fn errors(e: syn::Error) -> TokenStream {
    let errors = e.to_compile_error();
    quote::quote!({ #errors })
}

/// Expands a `model!` invocation (or returns its compile errors).
pub fn expand(input: TokenStream) -> TokenStream {
    match plan(input) {
        Ok(p) => emit::model(&p),
        Err(e) => errors(e),
    }
}

/// Expands the hidden `__model_ir!`: the IR that `model!` would build and
/// the compile-time piece ranks, as
/// `::qtt::Result<(ModelIr, &'static [(&'static str, usize)])>`.
pub fn expand_ir(input: TokenStream) -> TokenStream {
    match plan(input) {
        Ok(p) => emit::model_ir_with_ranks(&p),
        Err(e) => errors(e),
    }
}

/// The [`ModelIr`] of an invocation whose parameters and grid sizes are all
/// literals (for tests); an `Err` carries the compile errors or names the
/// first run-time part.
#[doc(hidden)]
pub fn lower_literal(input: TokenStream) -> Result<ModelIr, String> {
    plan(input)
        .map_err(|e| {
            e.into_iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        })?
        .literal_ir()
}

/// The compile-time ranks of the generator's exact pieces (defined with the
/// IR, without the `compiler` feature, so the runtime and its tests can call
/// it too).
pub use crate::ir::model::piece_ranks;

#[cfg(test)]
mod tests;
