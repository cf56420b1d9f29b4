//! Constrained-MPS tests: dense oracles at small sizes and the properties
//! seed 002 states (feasibility of every sample, isometries, truncation
//! error equal to the discarded weight).

use super::knapsack::KnapsackInstance;
use super::*;
use crate::linalg::Truncation;
use std::sync::Arc;

fn bits(v: usize, n: usize) -> Vec<u8> {
    (0..n).map(|i| ((v >> i) & 1) as u8).collect()
}

fn small_system() -> LinearSystem {
    let mut s = LinearSystem::new(8);
    s.add(vec![2, -1, 3, 1, 0, -2, 1, 2], Some(0), Some(4), None)
        .unwrap();
    s.ge(vec![1, 1, 1, 1, 1, 1, 1, 1], 3).unwrap();
    s
}

#[test]
fn uniform_state_is_the_feasible_indicator() {
    let sys = small_system();
    let set = ConstraintSet::build(sys.clone()).unwrap();
    let mps = set.uniform_mps();
    let dense = mps.to_dense().unwrap();
    let mut feasible = 0u32;
    for (v, a) in dense.iter().enumerate() {
        let f = sys.is_feasible(&bits(v, 8));
        assert_eq!(*a, if f { 1.0 } else { 0.0 }, "x = {v:08b}");
        feasible += f as u32;
    }
    assert_eq!(set.count(), feasible.into());
    assert!((mps.norm_sq() - feasible as f64).abs() < 1e-9);
    assert!(mps.amplitude(&[0, 1]).is_err());
    assert!(mps.amplitude(&[2, 0, 0, 0, 0, 0, 0, 0]).is_err());
}

#[test]
fn counts_beyond_u128() {
    let mut s = LinearSystem::new(200);
    s.add(vec![1; 200], Some(0), Some(200), None).unwrap();
    let set = ConstraintSet::build(s).unwrap();
    assert_eq!(set.count(), num_bigint::BigUint::from(1u32) << 200);
    assert_eq!(set.automaton().max_regions(), 1);
    // sum x = 100 over 200 variables: C(200, 100).
    let mut s = LinearSystem::new(200);
    s.equal(vec![1; 200], 100).unwrap();
    let c = ConstraintSet::build(s).unwrap().count();
    assert_eq!(
        c.to_string(),
        "90548514656103281165404177077484163874504589675413336841320"
    );
}

#[test]
fn hundred_thousand_samples_of_200_variables_are_feasible() {
    let n = 200;
    let mut s = LinearSystem::new(n);
    s.le(vec![1; n], 60).unwrap();
    s.ge((0..n).map(|i| i64::from(i < 100)).collect(), 20)
        .unwrap();
    s.add(
        (0..n).map(|i| if i >= 100 { 2 } else { 0 }).collect(),
        Some(10),
        Some(50),
        None,
    )
    .unwrap();
    let set = ConstraintSet::build(s).unwrap();
    assert!(
        set.automaton().max_regions() < 200,
        "{}",
        set.automaton().max_regions()
    );
    let mps = set.uniform_mps();
    let xs = mps.sample(100_000, 2).unwrap();
    assert_eq!(xs.len(), 100_000);
    let bad = xs.iter().filter(|x| !set.is_feasible(x)).count();
    assert_eq!(bad, 0);
    // Reproducible and not degenerate.
    assert_eq!(mps.sample(3, 2).unwrap(), xs[..3].to_vec());
    assert_ne!(xs[0], xs[1]);
}

#[test]
fn samples_follow_the_born_distribution() {
    let sys = small_system();
    let set = ConstraintSet::build(sys).unwrap();
    let mps = ConstrainedMps::random(set.automaton_arc(), 2, 5).unwrap();
    let dense = mps.to_dense().unwrap();
    let z: f64 = dense.iter().map(|a| a * a).sum();
    let draws = 200_000;
    let xs = mps.sample(draws, 9).unwrap();
    let mut freq = vec![0usize; dense.len()];
    for x in &xs {
        freq[x
            .iter()
            .enumerate()
            .map(|(i, &b)| (b as usize) << i)
            .sum::<usize>()] += 1;
    }
    for (v, a) in dense.iter().enumerate() {
        let p = a * a / z;
        let f = freq[v] as f64 / draws as f64;
        // 5 standard deviations of a binomial frequency.
        let tol = 5.0 * (p * (1.0 - p) / draws as f64).sqrt() + 1e-12;
        assert!(
            (f - p).abs() <= tol,
            "x = {v:08b}: frequency {f}, probability {p}"
        );
    }
}

#[test]
fn canonical_blocks_are_isometries_and_state_is_unchanged() {
    let set = ConstraintSet::build(small_system()).unwrap();
    let mut mps = ConstrainedMps::random(set.automaton_arc(), 3, 1).unwrap();
    let before = mps.to_dense().unwrap();
    let w = mps.canonicalize(4, &Truncation::exact()).unwrap();
    let after = mps.to_dense().unwrap();
    let scale = before.iter().map(|v| v.abs()).fold(0.0, f64::max);
    for (a, b) in before.iter().zip(&after) {
        assert!((a - b).abs() <= 1e-12 * scale, "{a} vs {b}");
    }
    assert!(w <= 1e-20 * scale * scale);
    for s in 0..4 {
        assert!(
            mps.isometry_defect(s, Orthogonality::Left) < 1e-12,
            "site {s}"
        );
    }
    for s in 5..8 {
        assert!(
            mps.isometry_defect(s, Orthogonality::Right) < 1e-12,
            "site {s}"
        );
    }
    // The norm sits on the centre.
    let centre: f64 = (0..mps.sector_dims(4).len())
        .flat_map(|l| [0u8, 1].map(|x| mps.block(4, l, x).map_or(0.0, |b| b.norm_squared())))
        .sum();
    assert!((centre - mps.norm_sq()).abs() < 1e-9 * centre);
}

#[test]
fn truncation_error_equals_discarded_weight() {
    let set = ConstraintSet::build(small_system()).unwrap();
    let mut mps = ConstrainedMps::random(set.automaton_arc(), 4, 3).unwrap();
    mps.canonicalize(0, &Truncation::exact()).unwrap();
    // Left-canonicalise up to site 3, then truncate the next move globally.
    for s in 0..3 {
        mps.move_centre_right(s, &Truncation::exact()).unwrap();
    }
    let before = mps.to_dense().unwrap();
    let bond_before: usize = mps.sector_dims(4).iter().sum();
    let discarded = mps
        .move_centre_right(3, &Truncation::rank(3).unwrap())
        .unwrap();
    let after = mps.to_dense().unwrap();
    let err: f64 = before
        .iter()
        .zip(&after)
        .map(|(a, b)| (a - b).powi(2))
        .sum();
    assert!(bond_before > 3);
    assert_eq!(mps.sector_dims(4).iter().sum::<usize>(), 3);
    assert!(discarded > 1e-6, "nothing was cut");
    assert!(
        (err - discarded).abs() <= 1e-10 * discarded.max(1.0),
        "{err} vs {discarded}"
    );
    assert!(mps.isometry_defect(3, Orthogonality::Left) < 1e-12);
    // Bad moves are errors, not panics.
    assert!(mps.move_centre_right(7, &Truncation::exact()).is_err());
    assert!(mps.move_centre_left(0, &Truncation::exact()).is_err());
}

#[test]
fn born_machine_learns_and_stays_feasible() {
    let sys = small_system();
    let set = ConstraintSet::build(sys.clone()).unwrap();
    let feasible: Vec<Vec<u8>> = (0..256)
        .map(|v| bits(v, 8))
        .filter(|x| sys.is_feasible(x))
        .collect();
    let data: Vec<Vec<u8>> = feasible.iter().step_by(7).take(6).cloned().collect();
    let mut bm = BornMachine::new(set.uniform_mps(), 0.2, Truncation::tol(1e-3).unwrap()).unwrap();
    let nll0 = bm.nll(&data).unwrap();
    assert!((nll0 - (feasible.len() as f64).ln()).abs() < 1e-9);
    for _ in 0..40 {
        bm.train_step(&data).unwrap();
    }
    let nll = bm.nll(&data).unwrap();
    assert!(nll < nll0 - 1.0, "NLL {nll0} -> {nll}");
    assert!((bm.mps().norm_sq() - 1.0).abs() < 1e-9);
    for x in bm.mps().sample(2000, 1).unwrap() {
        assert!(sys.is_feasible(&x));
    }
    let mut bad = data.clone();
    bad[0] = vec![1; 8];
    assert!(bm
        .train_step(&bad)
        .unwrap_err()
        .to_string()
        .contains("sample 0"));
    assert!(BornMachine::new(set.uniform_mps(), -1.0, Truncation::exact()).is_err());
}

#[test]
fn optimiser_finds_the_small_knapsack_optimum() {
    let inst = KnapsackInstance::generate(14, 4).unwrap();
    let n = inst.len();
    let best = (0..1usize << n)
        .map(|v| bits(v, n))
        .filter(|x| inst.weight(x).unwrap() <= inst.capacity)
        .map(|x| inst.objective(&x).unwrap())
        .min()
        .unwrap();
    let cfg = OptimizeConfig {
        iterations: Some(30),
        samples: 100,
        reset_replace: 10,
        seed: 1,
        ..OptimizeConfig::default()
    };
    let mut calls = 0;
    let sol = inst.solve(&cfg, |_| calls += 1).unwrap();
    assert_eq!(sol.objective, best);
    assert!(sol.weight <= inst.capacity);
    assert_eq!(calls, 31);
    assert_eq!(sol.run.history.len(), 31);
    assert!(sol.run.history.windows(2).all(|w| w[1].1 <= w[0].1));
    let bad = OptimizeConfig {
        iterations: None,
        ..OptimizeConfig::default()
    };
    assert!(inst.solve(&bad, |_| ()).is_err());
}

#[test]
fn knapsack_files_round_trip_and_errors_name_the_line() {
    let inst = KnapsackInstance::generate(9, 11).unwrap();
    assert_eq!(inst.capacity, 2);
    assert!(inst.weights.iter().all(|w| (0..=5).contains(w)));
    assert!(inst.q.iter().all(|q| (-5..=5).contains(q)));
    let text = inst.to_text();
    assert_eq!(KnapsackInstance::parse(&text, "a.txt").unwrap(), inst);
    let e = KnapsackInstance::parse("2 1\n1 2\n1 2\n3 x\n", "b.txt").unwrap_err();
    assert_eq!(
        e.to_string(),
        "b.txt:4: row 2 of Q: entry 2 is 'x', expected an integer"
    );
    let e = KnapsackInstance::parse("2 1\n1 2 3\n", "c.txt").unwrap_err();
    assert!(
        e.to_string()
            .starts_with("c.txt:2: the weights: 3 numbers, expected 2"),
        "{e}"
    );
    let e = KnapsackInstance::parse("2 1\n1 2\n1 2\n", "d.txt").unwrap_err();
    assert!(e.to_string().contains("file ends before row 2 of Q"), "{e}");
    let e = KnapsackInstance::parse("0 1\n", "e.txt").unwrap_err();
    assert!(e.to_string().contains("e.txt:1: n = 0"), "{e}");
}

#[test]
fn infeasible_systems_are_errors_naming_the_row() {
    let mut s = LinearSystem::new(3);
    s.le(vec![1, 1, 1], 1).unwrap();
    s.ge(vec![1, 1, 0], 2).unwrap();
    let e = ConstraintSet::build(s).unwrap_err();
    assert!(matches!(e, crate::Error::Infeasible(_)));
    assert!(
        e.to_string().contains("constraint 2 (`x[0] + x[1] >= 2`)"),
        "{e}"
    );
    let _ = Arc::new(0);
}

#[test]
fn hostile_knapsack_input_is_an_error_not_an_abort() {
    // n^2 = 10^12 entries of Q were reserved once the weights were read.
    let text = format!("1000000 0\n{}\n", "0 ".repeat(1_000_000));
    let e = KnapsackInstance::parse(&text, "huge.txt").unwrap_err();
    assert!(e.to_string().contains("huge.txt:1"), "{e}");
    // A header that fits in memory but not in the text is not reserved either.
    let e = KnapsackInstance::parse("3000 0\n", "short.txt").unwrap_err();
    assert!(
        e.to_string()
            .contains("short.txt:2: file ends before the weights"),
        "{e}"
    );
    let inst = KnapsackInstance::generate(5, 1).unwrap();
    assert!(inst.objective(&[1, 0]).is_err());
    assert!(inst.weight(&[1, 0, 1]).is_err());
    assert!(inst.objective(&[1, 0, 1, 1, 0, 1]).is_err());
    // sums that would wrap around in i64 are errors
    let big = i64::MAX / 2 + 1;
    let e = KnapsackInstance::new(0, vec![big, big], vec![0; 4]).unwrap_err();
    assert!(e.to_string().contains("weights"), "{e}");
    let e = KnapsackInstance::new(0, vec![1, 1], vec![big, big, 0, 0]).unwrap_err();
    assert!(e.to_string().contains("Q"), "{e}");
    let wraps = KnapsackInstance {
        capacity: 0,
        weights: vec![big, big],
        q: vec![big, big, big, big],
    };
    assert!(wraps.objective(&[1, 1]).is_err());
    assert!(wraps.weight(&[1, 1]).is_err());
    assert!(wraps.constraints().is_err());
    // a sample count beyond memory is an error, not an abort
    let set = inst.constraints().unwrap();
    assert!(matches!(
        set.uniform_mps().sample(usize::MAX, 0),
        Err(crate::Error::TooLarge { .. })
    ));
}
