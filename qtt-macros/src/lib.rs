//! Procedural macros of qtt. Each macro is a few lines that hand the token
//! stream to `qtt_dsl` and return what it emits; all parsing, checking and
//! code generation live there.
