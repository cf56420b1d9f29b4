//! The `circuit!` macro: registers, gates, loops and parameters, checked at
//! compile time (unknown gate, wrong arity, literal qubit out of range, one qubit
//! used twice in a gate, a register declared twice), lowered to the circuit
//! description `::qtt::ir::circuit::CircuitIr` that the runtime's
//! `Circuit::from_ir` consumes. The expansion evaluates to
//! `::qtt::Result<::qtt::quantum::Circuit>` (indices computed at run time are
//! checked there).

mod ast;
mod check;
mod emit;

use proc_macro2::TokenStream;

/// Expands the body of `circuit! { ... }`.
pub fn expand(input: TokenStream) -> TokenStream {
    let parsed = match syn::parse2::<ast::CircuitBody>(input) {
        Ok(b) => b,
        Err(e) => return e.to_compile_error(),
    };
    match check::check(&parsed) {
        Ok(spec) => emit::emit(&spec),
        Err(e) => e.to_compile_error(),
    }
}
