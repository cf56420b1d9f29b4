//! The `constraints!` macro: compile-time automata equal runtime ones.

use qtt::constraints;
use qtt::qregion::{ConstraintAutomaton, LinearSystem};

#[test]
fn literal_system_is_built_at_compile_time() {
    let set = constraints! {
        vars x[6]: binary;
        sum(x) <= 4;
    };
    assert_eq!(set.automaton().max_regions(), 3);
    assert_eq!(set.automaton().block_count(), 26);
    assert_eq!(set.count(), 57u32.into());
    let mut s = LinearSystem::new(6);
    s.le(vec![1; 6], 4).unwrap();
    assert_eq!(set.automaton(), &ConstraintAutomaton::build(&s).unwrap());
}

#[test]
fn mixed_terms_chains_and_scalars() {
    let set = constraints! {
        vars x[6], y;
        2*x[0] + 3*x[1] - x[5] >= 1;
        1 <= x[2] + y <= 2;
        sum(x[3..6]) - 2 == y;
    };
    let sys = set.system();
    assert_eq!(sys.num_vars(), 7);
    assert_eq!(sys.rows[0].coeffs, [2, 3, 0, 0, 0, -1, 0]);
    assert_eq!(sys.rows[2].coeffs, [0, 0, 0, 1, 1, 1, -1]);
    assert_eq!((sys.rows[2].lo, sys.rows[2].hi), (Some(2), Some(2)));
    let brute = (0..128u32)
        .filter(|v| sys.is_feasible(&(0..7).map(|i| ((v >> i) & 1) as u8).collect::<Vec<_>>()))
        .count();
    assert_eq!(set.count(), (brute as u32).into());
}

#[test]
fn runtime_coefficients_build_at_run_time() {
    let w: Vec<i64> = vec![3, 1, 4, 1, 5];
    let cap = 6u32;
    let set = constraints! {
        vars x[5];
        sum((w) * x) <= (cap);
        x[0] + x[1] >= 1;
    }
    .unwrap();
    assert_eq!(set.system().rows[0].coeffs, w);
    let mut s = LinearSystem::new(5);
    s.le(w.clone(), 6).unwrap();
    s.ge(vec![1, 1, 0, 0, 0], 1).unwrap();
    assert_eq!(set.automaton(), &ConstraintAutomaton::build(&s).unwrap());
    // Infeasible at run time: an error naming the constraint.
    let big = 100i64;
    let e = constraints! {
        vars x[3];
        sum(x) >= (big);
    }
    .unwrap_err();
    assert!(e.to_string().contains("constraint 1"), "{e}");
    let short = [1i64, 2];
    assert!(constraints! { vars x[3]; sum((short) * x) <= 1; }.is_err());
}
