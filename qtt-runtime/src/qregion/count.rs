//! Exact counting of feasible configurations (arbitrary precision).

use super::ConstraintAutomaton;
use num_bigint::BigUint;

/// The exact number of configurations `automaton` accepts: paths counted
/// link by link, `O(blocks)` big-integer additions. Exceeds `u128` easily
/// (`2^n` for an unconstrained system).
pub fn count_feasible(automaton: &ConstraintAutomaton) -> BigUint {
    {
        let this = automaton;
        let mut c = vec![BigUint::from(1u32)];
        for s in 0..this.num_sites() {
            let mut next = vec![BigUint::from(0u32); this.regions(s + 1).len()];
            for (l, v) in c.iter().enumerate() {
                for x in 0..2 {
                    if let Some(r) = this.next(s, l, x) {
                        next[r] += v;
                    }
                }
            }
            c = next;
        }
        c.into_iter().sum()
    }
}
