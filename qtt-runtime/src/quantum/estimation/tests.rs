//! Tests of loading, the Grover operator, canonical amplitude estimation and the
//! paper's model values.

use nalgebra::DMatrix;

use super::canonical::qpe_distribution;
use super::grover::grover_operator;
use super::models::*;
use crate::quantum::tests::max_prob_diff;
use crate::quantum::*;

#[test]
fn rotation_tree_reproduces_the_pmf() {
    for m in 1..=7 {
        let raw: Vec<f64> = (0..1 << m)
            .map(|i| ((i * 37 % 11) as f64 + 0.5).powi(2) * if i % 5 == 3 { 0.0 } else { 1.0 })
            .collect();
        let total: f64 = raw.iter().sum();
        let pmf: Vec<f64> = raw.iter().map(|v| v / total).collect();
        let c = distribution::state_preparation(&pmf).unwrap();
        let mut s = StateVector::zero(m).unwrap();
        s.apply(&c).unwrap();
        let err = max_prob_diff(&s.probabilities(), &pmf);
        assert!(err < 1e-12, "m = {m}: {err}");
        // real non-negative amplitudes sqrt(p)
        assert!(s
            .amplitudes()
            .iter()
            .zip(&pmf)
            .all(|(a, p)| (a.re - p.sqrt()).abs() < 1e-12 && a.im.abs() < 1e-14));
    }
    let d = Discretized::beta(2.0, 10.0, 0.0, 1.0, 5, SupportGrid::CellMeans).unwrap();
    let mut s = StateVector::zero(5).unwrap();
    s.apply(&d.loader().unwrap()).unwrap();
    let err = max_prob_diff(&s.probabilities(), &d.pmf);
    assert!(err < 1e-12);
    // cell means make affine means exact: E[d] = 2/12
    assert!(
        (d.expectation(|x| x) - 1.0 / 6.0).abs() < 1e-9,
        "{}",
        d.expectation(|x| x)
    );
}

#[test]
fn discretisations_reject_bad_input() {
    assert!(Discretized::normal(0.0, -1.0, -1.0, 1.0, 3, SupportGrid::Endpoints).is_err());
    assert!(Discretized::uniform(1.0, 1.0, 3, SupportGrid::Endpoints).is_err());
    assert!(Discretized::uniform(0.0, 1.0, 0, SupportGrid::Endpoints).is_err());
    assert!(distribution::state_preparation(&[0.5, 0.25, 0.1]).is_err());
    assert!(distribution::state_preparation(&[0.5, 0.6]).is_err());
    assert!(distribution::state_preparation(&[1.5, -0.5]).is_err());
}

#[test]
fn q_has_eigenphases_plus_minus_two_pi_theta_on_the_span_of_f0() {
    let p = gaussian_sin2(3).unwrap();
    let a = p.amplitude().unwrap();
    let theta = 2.0 * a.sqrt().asin() / std::f64::consts::PI;
    let q = circuit_unitary(&grover_operator(&p).unwrap()).unwrap();
    let mut s = StateVector::zero(4).unwrap();
    s.apply(&p.prep).unwrap();
    let chi = nalgebra::DVector::from_column_slice(s.amplitudes());
    // Q restricted to span{chi, Q chi} has trace 2 cos(2 pi theta) and det 1.
    let qchi = &q * &chi;
    let mut basis = DMatrix::zeros(16, 2);
    basis.set_column(0, &chi);
    let mut v = qchi.clone() - &chi * chi.dotc(&qchi);
    let nv = v.norm();
    v /= num_complex::Complex64::new(nv, 0.0);
    basis.set_column(1, &v);
    let small = basis.adjoint() * &q * &basis;
    let tr = small[(0, 0)] + small[(1, 1)];
    let det = small[(0, 0)] * small[(1, 1)] - small[(0, 1)] * small[(1, 0)];
    assert!(
        (tr.re - 2.0 * (2.0 * std::f64::consts::PI * theta).cos()).abs() < 1e-12,
        "{tr}"
    );
    assert!(
        (det - num_complex::Complex64::new(1.0, 0.0)).norm() < 1e-12,
        "{det}"
    );
    // and the span is invariant
    let back = &basis * (basis.adjoint() * (&q * &v));
    assert!((back - &q * &v).norm() < 1e-12);
}

#[test]
fn gaussian_sin2_with_ten_estimation_qubits_gives_pennylanes_value() {
    let p = gaussian_sin2(5).unwrap();
    assert!((p.exact_value().unwrap() - 0.4326430).abs() < 5e-8);
    assert!((p.amplitude().unwrap() - p.exact_value().unwrap()).abs() < 1e-13);
    let r = CanonicalQae::new(10).run(&p).unwrap();
    assert_eq!(r.y, 468);
    assert!(
        (r.estimate - 0.4327096457464369).abs() < 1e-15,
        "{}",
        r.estimate
    );
    assert!((r.probabilities[468] - 0.49684).abs() < 1e-5);
    assert_eq!(r.q_calls, 1023);
    // the analytic distribution agrees with the simulated one
    let an = qpe_distribution(p.amplitude().unwrap(), 10).unwrap();
    let d = max_prob_diff(&an, &r.probabilities);
    assert!(d < 1e-11, "{d}");
    // n = 6: twin peaks at 29 and 35
    let r6 = CanonicalQae::new(6).run(&p).unwrap();
    assert_eq!(r6.y, 29);
    assert!(
        (r6.probabilities[29] - 0.40798).abs() < 1e-5
            && (r6.probabilities[35] - 0.40798).abs() < 1e-5
    );
    assert!((r6.estimate - 0.426635).abs() < 1e-6);
    let hi = CanonicalQae {
        range: AmplitudeRange::AtLeastHalf,
        ..CanonicalQae::new(6)
    }
    .run(&p)
    .unwrap();
    assert_eq!(hi.y, 35);
}

#[test]
fn fast_paths_agree_with_the_gate_by_gate_circuit() {
    let p = gaussian_sin2(2).unwrap();
    for n in 1..=4 {
        let gate = CanonicalQae {
            backend: Backend::GateByGate,
            ..CanonicalQae::new(n)
        }
        .distribution(&p)
        .unwrap();
        for backend in [Backend::DenseGrover, Backend::InvariantSubspace] {
            let fast = CanonicalQae {
                backend,
                ..CanonicalQae::new(n)
            }
            .distribution(&p)
            .unwrap();
            let d = max_prob_diff(&gate, &fast);
            assert!(d < 1e-12, "{backend:?}, n = {n}: {d}");
        }
    }
    // the decomposed gate-level circuit gives the same distribution too
    let qae = CanonicalQae {
        backend: Backend::GateByGate,
        ..CanonicalQae::new(2)
    };
    let c = decompose(&qae.circuit(&p).unwrap()).unwrap();
    let mut s = StateVector::zero(c.n_qubits()).unwrap();
    s.apply(&c).unwrap();
    let got = s.marginal(&[3, 4]).unwrap();
    let want = qae.distribution(&p).unwrap();
    assert!(got.iter().zip(&want).all(|(a, b)| (a - b).abs() < 1e-10));
    // resources by parts equal the counts of the whole decomposed circuit
    let whole = Resources::of(&c);
    let parts = qae.resources(&p).unwrap();
    assert_eq!(whole.gates, parts.gates);
    assert_eq!(whole.cnots, parts.cnots);
    assert!(whole.depth <= parts.depth);
}

#[test]
fn dense_grover_matrix_is_the_unitary_of_the_gate_level_iterate() {
    for p in [gaussian_sin2(3).unwrap(), bank_stress_test(2).unwrap()] {
        let gates = unitary::circuit_unitary(&grover::grover_iterate(&p).unwrap()).unwrap();
        let psi = dense_grover::prepared_state(&p).unwrap();
        let dense = dense_grover::grover_matrix(&p, &psi);
        let d = (0..gates.nrows())
            .flat_map(|r| (0..gates.ncols()).map(move |s| (r, s)))
            .map(|(r, s)| (gates[(r, s)] - dense[(r, s)]).norm())
            .fold(0.0, f64::max);
        assert!(d < 1e-12, "{d}");
    }
}

#[test]
fn invariant_subspace_matches_the_circuit_on_the_benchmark_problem() {
    // the sin^2 example at its benchmark size: 6 problem qubits, 6 estimation qubits
    let p = gaussian_sin2(5).unwrap();
    let g = grover::grover_iterate(&p).unwrap();
    let mut psi = StateVector::zero(p.n_qubits()).unwrap();
    psi.apply(&p.prep).unwrap();
    let k = InvariantSubspace::arnoldi(&g, &psi, 1e-13).unwrap();
    // G rotates the good/bad plane: a 2-dimensional invariant subspace
    assert_eq!(k.dim(), 2);
    assert!(k.residual < 1e-13, "{}", k.residual);
    let dist = |backend, n| {
        CanonicalQae {
            backend,
            ..CanonicalQae::new(n)
        }
        .distribution(&p)
        .unwrap()
    };
    let gate = dist(Backend::GateByGate, 6);
    let d = max_prob_diff(&gate, &dist(Backend::InvariantSubspace, 6));
    assert!(d < 1e-12, "{d}");
    let d = max_prob_diff(
        &dist(Backend::DenseGrover, 10),
        &dist(Backend::InvariantSubspace, 10),
    );
    assert!(d < 1e-12, "{d}");
    // an operator on other qubits than the state is a shape error, not a panic
    let small = StateVector::zero(3).unwrap();
    assert!(InvariantSubspace::arnoldi(&g, &small, 1e-13).is_err());
}

#[test]
fn invariant_subspace_handles_amplitudes_zero_and_one() {
    // a = 0 or 1: F|0> is an eigenvector of G (eigenvalue -1 or 1), the subspace
    // is 1-dimensional and Q = G^2 fixes F|0>: all weight on y = 0 (a = 1 reads
    // as theta = 1 = 0 mod 1, which Q = G^2 cannot tell from a = 0)
    let d = Discretized::normal(0.0, 1.0, -2.0, 2.0, 2, SupportGrid::Endpoints).unwrap();
    for value in [0.0, 1.0] {
        let p = EstimationProblem::from_distributions(
            std::slice::from_ref(&d),
            |_| value,
            Normalization::Identity,
        )
        .unwrap();
        let g = grover::grover_iterate(&p).unwrap();
        let psi = dense_grover::prepared_state(&p).unwrap();
        let k = InvariantSubspace::arnoldi(&g, &psi, InvariantSubspace::tolerance(&g)).unwrap();
        assert_eq!(k.dim(), 1);
        let r = CanonicalQae::new(3).run(&p).unwrap();
        assert_eq!(r.y, 0);
        assert!((r.probabilities[0] - 1.0).abs() < 1e-12);
        let gate = CanonicalQae {
            backend: Backend::GateByGate,
            ..CanonicalQae::new(3)
        }
        .distribution(&p)
        .unwrap();
        assert!(max_prob_diff(&gate, &r.probabilities) < 1e-12);
    }
}

#[test]
fn bank_stress_test_is_within_three_permille_with_ten_estimation_qubits() {
    let p = bank_stress_test(3).unwrap();
    let exact = bank_stress_test_exact();
    assert!((exact - 0.016177777).abs() < 1e-8);
    // cell means make the discretised expectation exact for this bilinear payoff
    assert!(
        (p.exact_value().unwrap() - exact).abs() < 1e-9,
        "{}",
        p.exact_value().unwrap()
    );
    let r = CanonicalQae::new(10).run(&p).unwrap();
    let rel = (r.estimate - exact).abs() / exact;
    assert!(rel < 3e-3, "estimate {} rel {rel}", r.estimate);
}

#[test]
fn neoclassical_value_is_one() {
    let z = neoclassical_productivity(5).unwrap();
    let exact = neoclassical(&z, PayoffLoading::Exact).unwrap();
    assert!((exact.exact_value().unwrap() - 1.0).abs() < 1e-12);
    let r = CanonicalQae::new(8).run(&exact).unwrap();
    assert!((r.estimate - 1.0).abs() < 0.02, "{}", r.estimate);
    // linear approximation: by symmetry a = 1/2 exactly, so the readout is exactly 1
    for n in [4, 6, 8, 10] {
        let c = payoff::linear_scale(n);
        let lin = neoclassical(&z, PayoffLoading::LinearApprox(c)).unwrap();
        assert!((lin.amplitude().unwrap() - 0.5).abs() < 1e-12);
        let r = CanonicalQae::new(n).run(&lin).unwrap();
        assert!((r.estimate - 1.0).abs() < 1e-12, "n = {n}: {}", r.estimate);
    }
    assert!((payoff::linear_scale(10) - 0.209567).abs() < 1e-6);
    assert!((payoff::linear_scale(4) - 0.838270).abs() < 1e-6);
}

#[test]
fn grover_oracle_follows_sin_squared_of_odd_multiples() {
    let p = gaussian_sin2(4).unwrap();
    let a = p.amplitude().unwrap();
    let ta = a.sqrt().asin();
    let mut o = oracle::GroverOracle::new(&p, 1).unwrap();
    for k in [0u64, 1, 2, 5, 13, 100] {
        let want = ((2 * k + 1) as f64 * ta).sin().powi(2);
        assert!((o.probability(k) - want).abs() < 1e-10, "k = {k}");
    }
    // against the gate-level state G^k F|0>
    let g = grover::grover_iterate(&p).unwrap();
    let mut s = dense_grover::prepared_state(&p).unwrap();
    for _ in 0..13 {
        s.apply(&g).unwrap();
    }
    let gate_level = s.probability_one(p.objective).unwrap();
    assert!((o.probability(13) - gate_level).abs() < 1e-12);
    // 13 problem qubits: beyond where a dense G would be built
    let big = bank_stress_test(6).unwrap();
    let tb = big.amplitude().unwrap().sqrt().asin();
    let mut ob = oracle::GroverOracle::new(&big, 0).unwrap();
    for k in [0u64, 3, 40] {
        let want = ((2 * k + 1) as f64 * tb).sin().powi(2);
        assert!((ob.probability(k) - want).abs() < 1e-10, "k = {k}");
    }
    assert!((oracle::normal_quantile(0.975) - 1.959963985).abs() < 1e-8);
}

#[test]
fn iterative_and_maximum_likelihood_intervals_cover_the_amplitude() {
    let p = gaussian_sin2(5).unwrap();
    let a = p.amplitude().unwrap();
    let mut covered = 0;
    for seed in 0..10 {
        let r = IterativeQae {
            seed,
            ..IterativeQae::new(1e-3, 0.05)
        }
        .run(&p)
        .unwrap();
        assert!(r.interval.1 - r.interval.0 <= 2.5e-3, "{:?}", r.interval);
        if r.interval.0 <= a && a <= r.interval.1 {
            covered += 1;
        }
        assert!(r.oracle_calls > 0);
    }
    assert!(covered >= 9, "IQAE covered {covered}/10");
    let mut covered = 0;
    for seed in 0..10 {
        let r = MaximumLikelihoodQae {
            seed,
            ..MaximumLikelihoodQae::new(8)
        }
        .run(&p)
        .unwrap();
        assert!((r.amplitude - a).abs() < 5e-3, "{}", r.amplitude);
        if r.interval.0 <= a && a <= r.interval.1 {
            covered += 1;
        }
    }
    assert!(covered >= 8, "MLAE covered {covered}/10");
    assert!(IterativeQae::new(0.0, 0.05).run(&p).is_err());
    assert!(MaximumLikelihoodQae {
        alpha: 1.5,
        ..MaximumLikelihoodQae::new(3)
    }
    .run(&p)
    .is_err());
}

#[test]
fn classical_monte_carlo_is_seeded_and_unbiased() {
    let p = bank_stress_test(3).unwrap();
    let r = classical_monte_carlo(&p, 200_000, 3).unwrap();
    assert_eq!(r, classical_monte_carlo(&p, 200_000, 3).unwrap());
    assert!(
        (r.estimate - bank_stress_test_exact()).abs() < 4.0 * r.std_error,
        "{r:?}"
    );
    let bare = EstimationProblem::new(Circuit::new(1), 0).unwrap();
    assert!(classical_monte_carlo(&bare, 10, 0).is_err());
}

#[test]
fn hostile_sizes_are_errors_before_anything_is_allocated() {
    let p = gaussian_sin2(2).unwrap();
    for backend in [
        Backend::Analytic,
        Backend::GateByGate,
        Backend::DenseGrover,
        Backend::InvariantSubspace,
    ] {
        let e = CanonicalQae {
            backend,
            ..CanonicalQae::new(40)
        }
        .run(&p)
        .unwrap_err();
        assert!(
            matches!(e, crate::Error::TooLarge { .. }),
            "{backend:?}: {e}"
        );
    }
    assert!(CanonicalQae::new(40).circuit(&p).is_err());
    assert!(matches!(
        qpe_distribution(0.3, 40),
        Err(crate::Error::TooLarge { .. })
    ));
    assert!(qpe_distribution(0.3, 200).is_err());
    // the resource count needs no allocation and still works at 40
    assert!(CanonicalQae::new(40).resources(&p).is_ok());
    let e = MaximumLikelihoodQae::new(40).run(&p).unwrap_err();
    assert!(e.to_string().contains("levels"), "{e}");
    // one random draw per shot: 2^64 - 1 shots would never finish
    let many = MaximumLikelihoodQae {
        shots: u64::MAX,
        ..MaximumLikelihoodQae::new(3)
    };
    assert!(many.run(&p).unwrap_err().to_string().contains("shots"));
    let many = IterativeQae {
        shots: u64::MAX,
        ..IterativeQae::new(1e-2, 0.05)
    };
    assert!(many.run(&p).unwrap_err().to_string().contains("shots"));
}

#[test]
fn degenerate_inputs_of_the_building_blocks_are_errors() {
    let mut c = Circuit::new(2);
    assert!(grover::append_zero_reflection(&mut c, &[], &[]).is_err());
    assert!(grover::append_zero_reflection(&mut c, &[], &[1]).is_err());
    assert!(oracle::normal_quantile(f64::NAN).is_nan());
    assert!(oracle::normal_quantile(1.5).is_nan() && oracle::normal_quantile(-0.1).is_nan());
    assert_eq!(oracle::normal_quantile(0.0), f64::NEG_INFINITY);
    assert_eq!(oracle::normal_quantile(1.0), f64::INFINITY);
    // the upper tail mirrors the lower one
    let (lo, hi) = (oracle::normal_quantile(0.01), oracle::normal_quantile(0.99));
    assert!(
        (lo + hi).abs() < 1e-12 && (hi - 2.326347874).abs() < 1e-8,
        "{lo} {hi}"
    );
}
