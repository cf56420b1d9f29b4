//! Compile-fail cases for every macro error message (one folder per macro).

#[test]
fn macro_errors_read_well() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*/*.rs");
}
