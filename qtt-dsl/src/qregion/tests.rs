//! Automaton tests: brute-force oracles on random systems and seed 002's
//! worked examples.

use super::*;
use crate::ir::constraints::LinearSystem;

/// A tiny deterministic generator (qtt-dsl has no `rand` dependency).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % (hi - lo + 1) as u64) as i64
    }
}

fn bits(v: u32, n: usize) -> Vec<u8> {
    (0..n).map(|i| ((v >> i) & 1) as u8).collect()
}

/// Number of accepted strings by dynamic programming over the automaton.
fn count(a: &ConstraintAutomaton) -> u128 {
    let mut c = vec![1u128];
    for s in 0..a.num_sites() {
        let mut next = vec![0u128; a.regions(s + 1).len()];
        for (l, v) in c.iter().enumerate() {
            for x in 0..2 {
                if let Some(r) = a.next(s, l, x) {
                    next[r] += v;
                }
            }
        }
        c = next;
    }
    c.iter().sum()
}

fn no_dead_ends(a: &ConstraintAutomaton) {
    let n = a.num_sites();
    assert_eq!(a.regions(0).len(), 1);
    assert_eq!(a.regions(n).len(), 1);
    for s in 0..n {
        let mut reached = vec![false; a.regions(s + 1).len()];
        for l in 0..a.regions(s).len() {
            let outs: Vec<usize> = (0..2).filter_map(|x| a.next(s, l, x)).collect();
            assert!(!outs.is_empty(), "dead end at site {s}, region {l}");
            for r in outs {
                reached[r] = true;
            }
        }
        assert!(
            reached.iter().all(|&v| v),
            "unreachable region at link {}",
            s + 1
        );
    }
}

fn random_system(rng: &mut Lcg, n: usize, m: usize) -> LinearSystem {
    let mut s = LinearSystem::new(n);
    for _ in 0..m {
        let coeffs: Vec<i64> = (0..n).map(|_| rng.range(-3, 4)).collect();
        let min: i64 = coeffs.iter().map(|a| (*a).min(0)).sum();
        let max: i64 = coeffs.iter().map(|a| (*a).max(0)).sum();
        let a = rng.range(min - 1, max + 1);
        let b = rng.range(min - 1, max + 1);
        let (lo, hi) = match rng.next() % 4 {
            0 => (Some(a.min(b)), Some(a.max(b))),
            1 => (Some(a), Some(a)),
            2 => (Some(a), None),
            _ => (None, Some(a)),
        };
        s.add(coeffs, lo, hi, None).unwrap();
    }
    s
}

#[test]
fn random_systems_match_brute_force() {
    let mut rng = Lcg(2);
    let mut feasible = 0;
    for trial in 0..240 {
        let n = 1 + (trial % 12);
        let m = 1 + (trial / 12) % 3;
        let sys = random_system(&mut rng, n, m);
        let truth: Vec<bool> = (0..1u32 << n)
            .map(|v| sys.is_feasible(&bits(v, n)))
            .collect();
        let total = truth.iter().filter(|&&t| t).count() as u128;
        for flux in [FluxSite::Last, FluxSite::First] {
            match ConstraintAutomaton::build_oriented(&sys, flux) {
                Ok(a) => {
                    assert!(
                        total > 0,
                        "trial {trial}: built an automaton for an infeasible system"
                    );
                    for (v, &t) in truth.iter().enumerate() {
                        assert_eq!(
                            a.accepts(&bits(v as u32, n)),
                            t,
                            "trial {trial} {flux:?} x={v:b}"
                        );
                    }
                    assert_eq!(count(&a), total, "trial {trial}");
                    no_dead_ends(&a);
                    // Determinism by construction; the same region never
                    // appears twice on a link (disjoint sectors).
                    for l in 0..=n {
                        let rs = a.regions(l);
                        for i in 0..rs.len() {
                            for j in i + 1..rs.len() {
                                assert!(!rs[i].overlaps(&rs[j]), "overlapping sectors");
                            }
                        }
                    }
                    feasible += 1;
                }
                Err(e) => {
                    assert_eq!(total, 0, "trial {trial}: {e}");
                    assert!(matches!(e, ConstraintError::Infeasible { .. }), "{e}");
                }
            }
        }
    }
    assert!(
        feasible > 200,
        "too few feasible random systems: {feasible}"
    );
}

fn cardinality(n: usize, lo: Option<i64>, hi: Option<i64>) -> LinearSystem {
    let mut s = LinearSystem::new(n);
    s.add(vec![1; n], lo, hi, None).unwrap();
    s
}

fn link_strings(a: &ConstraintAutomaton) -> Vec<String> {
    (0..=a.num_sites())
        .map(|l| {
            a.regions(l)
                .iter()
                .map(|r| r.to_string())
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect()
}

#[test]
fn seed_fig3_equality() {
    let a = ConstraintAutomaton::build(&cardinality(3, Some(2), Some(2))).unwrap();
    assert_eq!(link_strings(&a), ["{0}", "{0},{1}", "{1},{2}", "{2}"]);
    assert_eq!(a.block_count(), 7);
    let acc: Vec<u32> = (0..8).filter(|&v| a.accepts(&bits(v, 3))).collect();
    assert_eq!(acc, [0b011, 0b101, 0b110]);
}

#[test]
fn seed_slack_comparison() {
    let a = ConstraintAutomaton::build(&cardinality(6, None, Some(4))).unwrap();
    assert_eq!(a.max_regions(), 3);
    assert_eq!(a.block_count(), 26);
    let per_site: Vec<usize> = (0..6).map(|s| a.site_blocks(s)).collect();
    assert_eq!(per_site, [2, 4, 6, 6, 5, 3]);
    assert_eq!(link_strings(&a)[4], "[0,2],{3},{4}");
    // The same set as an equality with 3 slack bits: the U(1) symmetric MPS.
    let mut s = LinearSystem::new(9);
    s.equal(vec![1, 1, 1, 1, 1, 1, 1, 2, 4], 4).unwrap();
    let u1 = ConstraintAutomaton::build(&s).unwrap();
    assert_eq!(u1.max_regions(), 5);
    assert_eq!(u1.block_count(), 48);
    assert!((0..u1.num_sites() + 1).all(|l| u1.regions(l).iter().all(|r| r.volume() == 1)));
}

#[test]
fn seed_other_cardinalities() {
    let both = ConstraintAutomaton::build(&cardinality(6, Some(2), Some(4))).unwrap();
    assert_eq!(link_strings(&both)[5], "{1},[2,3],{4}");
    assert_eq!(both.block_count(), 32);
    // Unconstrained: a product state, one region per link, 2 blocks per site.
    let free = ConstraintAutomaton::build(&cardinality(6, Some(0), Some(6))).unwrap();
    assert_eq!(free.max_regions(), 1);
    assert_eq!(free.block_count(), 12);
    // lo = hi: every region is a single quantum number (U(1) symmetry).
    let eq = ConstraintAutomaton::build(&cardinality(6, Some(3), Some(3))).unwrap();
    assert_eq!(eq.max_regions(), 4);
    assert_eq!(eq.block_count(), 24);
    assert!((0..=6).all(|l| eq.regions(l).iter().all(|r| r.volume() == 1)));
}

#[test]
fn both_orientations_and_complexity() {
    let mut s = LinearSystem::new(5);
    s.le(vec![3, 1, 1, 1, 1], 3).unwrap();
    let c = ChargeComplexity::of(&s).unwrap();
    let first = ConstraintAutomaton::build_oriented(&s, FluxSite::First).unwrap();
    assert_eq!(c.flux_first, first.max_regions());
    assert_eq!(c.max(), c.flux_last.max(c.flux_first));
    assert_eq!(first.variable_at(0), 4);
    assert_eq!(
        count(&first),
        count(&ConstraintAutomaton::build(&s).unwrap())
    );
}

#[test]
fn tables_round_trip() {
    let mut rng = Lcg(7);
    for _ in 0..20 {
        let s = random_system(&mut rng, 7, 2);
        if let Ok(a) = ConstraintAutomaton::build(&s) {
            let t = a.to_tables();
            assert_eq!(ConstraintAutomaton::from_tables(&t.view()).unwrap(), a);
        }
    }
    let mut t = ConstraintAutomaton::build(&cardinality(3, Some(1), None))
        .unwrap()
        .to_tables();
    t.transitions[0][0] = 9;
    assert!(ConstraintAutomaton::from_tables(&t.view()).is_err());
}

#[test]
fn infeasible_names_the_failing_row() {
    let mut s = LinearSystem::new(4);
    s.le(vec![1, 1, 1, 1], 3).unwrap();
    s.ge(vec![2, 2, 0, 0], 5).unwrap();
    let e = ConstraintAutomaton::build(&s).unwrap_err();
    assert!(
        matches!(&e, ConstraintError::Infeasible { constraint: 1, .. }),
        "{e}"
    );
    assert!(e.to_string().contains("at most 4"), "{e}");
    // Each row alone is feasible; together they are not.
    let mut s = LinearSystem::new(4);
    s.le(vec![1, 1, 1, 1], 1).unwrap();
    s.ge(vec![1, 1, 0, 0], 1).unwrap();
    s.ge(vec![0, 0, 1, 1], 1).unwrap();
    let e = ConstraintAutomaton::build(&s).unwrap_err();
    assert!(
        matches!(&e, ConstraintError::Infeasible { constraint: 2, .. }),
        "{e}"
    );
    assert!(
        e.to_string().contains("together with constraints 1..=2"),
        "{e}"
    );
    // Parity-like gap: 2 x0 + 2 x1 == 3 has no binary solution.
    let mut s = LinearSystem::new(2);
    s.equal(vec![2, 2], 3).unwrap();
    assert!(ConstraintAutomaton::build(&s)
        .unwrap_err()
        .to_string()
        .contains("constraint 1 (`2*x[0] + 2*x[1] == 3`)"));
    let mut s = LinearSystem::new(2);
    s.add(vec![1, 1], Some(2), Some(1), None).unwrap();
    assert!(ConstraintAutomaton::build(&s)
        .unwrap_err()
        .to_string()
        .contains("exceeds"));
}

#[test]
fn region_count_is_capped_with_a_clear_error() {
    // A subset-sum equality with large generic weights: every partial sum
    // has its own future, so the regions double at every site.
    let mut rng = Lcg(7);
    let n = 30;
    let w: Vec<i64> = (0..n).map(|_| rng.range(1 << 30, 1 << 40)).collect();
    let target: i64 = w.iter().step_by(2).sum();
    let mut s = LinearSystem::new(n);
    s.equal(w, target).unwrap();
    let e = ConstraintAutomaton::build(&s).unwrap_err();
    assert!(
        e.to_string().contains("QRegions") && e.to_string().contains("limit"),
        "{e}"
    );
}

#[test]
fn systems_near_the_ends_of_i64_are_errors_not_wrapped() {
    let mut s = LinearSystem::new(3);
    s.le(vec![i64::MAX / 2, i64::MAX / 2, 1], 0).unwrap();
    assert!(ConstraintAutomaton::build(&s).is_err());
    let mut s = LinearSystem::new(2);
    s.ge(vec![i64::MIN, 0], i64::MIN).unwrap();
    assert!(ConstraintAutomaton::build(&s).is_err());
    assert!(ChargeComplexity::of(&s).is_err());
}
