//! Procedural macros of qtt. Each macro is a few lines that hand the token
//! stream to `qtt_dsl` and return what it emits; all parsing, checking and
//! code generation live there.

/// Linear constraints over binary variables compiled to a QRegion
/// automaton (see `qtt_dsl::constraints` for the syntax).
#[proc_macro]
pub fn constraints(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    qtt_dsl::constraints::expand(input.into()).into()
}
