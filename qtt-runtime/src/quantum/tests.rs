//! Tests of the circuit layer against independently built dense unitaries.

use nalgebra::DMatrix;
use num_complex::Complex64 as C64;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::circuits::decompose::is_basis;
use super::loading::multiplexor::uniformly_controlled_ry;
use super::simulation::unitary::max_abs_diff;
use super::*;

/// The dense matrix of `m` on `target` under `controls`, built entry by entry.
fn controlled_dense(n: usize, m: &[C64; 4], target: usize, controls: &[usize]) -> DMatrix<C64> {
    let dim = 1 << n;
    DMatrix::from_fn(dim, dim, |r, s| {
        let cmask: usize = controls.iter().map(|c| 1 << c).sum();
        let on = s & cmask == cmask;
        let rest = !(1usize << target);
        if !on {
            return if r == s {
                C64::new(1.0, 0.0)
            } else {
                C64::new(0.0, 0.0)
            };
        }
        if r & rest != s & rest {
            return C64::new(0.0, 0.0);
        }
        m[(r >> target & 1) * 2 + (s >> target & 1)]
    })
}

/// One gate of every kind (rotations at generic angles, a generic unitary).
pub(super) fn all_gates() -> Vec<Gate> {
    vec![
        Gate::H,
        Gate::X,
        Gate::Y,
        Gate::Z,
        Gate::S,
        Gate::Sdg,
        Gate::T,
        Gate::Tdg,
        Gate::Rx(0.37),
        Gate::Ry(-1.3),
        Gate::Rz(2.2),
        Gate::Phase(0.9),
        Gate::Unitary(gate::mul2(&Gate::H.matrix(), &Gate::Rz(0.4).matrix())),
    ]
}

/// The largest entry-wise distance of two amplitude vectors.
pub(super) fn max_amp_diff(a: &[C64], b: &[C64]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).norm())
        .fold(0.0, f64::max)
}

/// The largest entry-wise difference of two probability vectors.
pub(super) fn max_prob_diff(a: &[f64], b: &[f64]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f64::max)
}

fn random_circuit(n: usize, len: usize, seed: u64) -> Circuit {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut c = Circuit::new(n);
    let gates = all_gates();
    for _ in 0..len {
        let mut qs: Vec<usize> = (0..n).collect();
        for i in (1..n).rev() {
            qs.swap(i, rng.random_range(0..=i));
        }
        let kind = rng.random_range(0..10);
        let nc = rng.random_range(0..n.min(4));
        match kind {
            0 => {
                c.push(Op::Swap {
                    a: qs[0],
                    b: qs[1],
                    controls: qs[2..2 + nc.min(n - 2)].to_vec(),
                })
                .unwrap();
            }
            1 => {
                let mut sub = Circuit::new(2);
                sub.h(0)
                    .unwrap()
                    .cry(0.7, 0, 1)
                    .unwrap()
                    .rz(0.3, 1)
                    .unwrap();
                let u = circuit_unitary(&sub).unwrap();
                // row-major entries: the transpose of nalgebra's column-major storage
                let m = u.transpose().as_slice().to_vec();
                c.push(Op::Unitary {
                    qubits: vec![qs[0], qs[1]],
                    matrix: std::sync::Arc::new(m),
                    controls: qs[2..2 + nc.min(n - 2)].to_vec(),
                })
                .unwrap();
            }
            _ => {
                let g = gates[rng.random_range(0..gates.len())];
                c.controlled_gate(g, &qs[1..1 + nc], qs[0]).unwrap();
            }
        }
    }
    c
}

#[test]
fn every_gate_with_up_to_two_controls_equals_its_dense_unitary() {
    let n = 4;
    for g in all_gates() {
        for controls in [vec![], vec![2], vec![3, 0]] {
            let mut c = Circuit::new(n);
            c.controlled_gate(g, &controls, 1).unwrap();
            let want = controlled_dense(n, &g.matrix(), 1, &controls);
            let got = circuit_unitary(&c).unwrap();
            assert!(
                max_abs_diff(&got, &want) < 1e-14,
                "{g:?} controls {controls:?}"
            );
        }
    }
    // swap = three CNOTs
    let mut s = Circuit::new(3);
    s.swap(0, 2).unwrap();
    let mut t = Circuit::new(3);
    t.cx(0, 2).unwrap().cx(2, 0).unwrap().cx(0, 2).unwrap();
    assert!(max_abs_diff(&circuit_unitary(&s).unwrap(), &circuit_unitary(&t).unwrap()) < 1e-15);
}

#[test]
fn gates_on_high_and_low_qubits_of_a_larger_state_agree_with_the_oracle() {
    // exercises long contiguous runs and the parallel split (n = 16 > PAR_MIN)
    let n = 16;
    let mut c = Circuit::new(n);
    for q in 0..n {
        c.h(q).unwrap();
    }
    c.cry(0.4, 15, 0)
        .unwrap()
        .cx(0, 15)
        .unwrap()
        .phase(0.3, 7)
        .unwrap();
    c.mcx(&[1, 3, 5], 14)
        .unwrap()
        .swap(2, 13)
        .unwrap()
        .ry(0.2, 15)
        .unwrap();
    let mut a = StateVector::zero(n).unwrap();
    a.apply_with(
        &c,
        SimOptions {
            fusion_max_qubits: 0,
        },
    )
    .unwrap();
    // reference: apply op by op through one-qubit-at-a-time dense products on the
    // same state with a naive loop
    let mut amps = vec![C64::new(0.0, 0.0); 1 << n];
    amps[0] = C64::new(1.0, 0.0);
    for op in c.ops() {
        let mut next = vec![C64::new(0.0, 0.0); 1 << n];
        for (s, &a_s) in amps.iter().enumerate() {
            if a_s == C64::new(0.0, 0.0) {
                continue;
            }
            // apply op to |s>
            let mut sub = Circuit::new(n);
            sub.push(op.clone()).unwrap();
            let mut basis = vec![C64::new(0.0, 0.0); 1 << n];
            basis[s] = C64::new(1.0, 0.0);
            // use the oracle only for the single op through controlled_dense semantics
            let out = match op {
                Op::Gate {
                    gate,
                    target,
                    controls,
                } => {
                    let cm: usize = controls.iter().map(|c| 1 << c).sum();
                    let m = gate.matrix();
                    if s & cm == cm {
                        let b = s >> target & 1;
                        vec![(s & !(1 << target), m[b]), (s | (1 << target), m[2 + b])]
                    } else {
                        vec![(s, C64::new(1.0, 0.0))]
                    }
                }
                Op::Swap { a: qa, b: qb, .. } => {
                    let (x, y) = (s >> qa & 1, s >> qb & 1);
                    let t = (s & !(1 << qa) & !(1 << qb)) | (y << qa) | (x << qb);
                    vec![(t, C64::new(1.0, 0.0))]
                }
                Op::Unitary { .. } => unreachable!(),
            };
            for (t, w) in out {
                next[t] += w * a_s;
            }
        }
        amps = next;
    }
    let d = max_amp_diff(a.amplitudes(), &amps);
    assert!(d < 1e-13, "max diff {d}");
}

#[test]
fn fusion_does_not_change_the_state() {
    for seed in 0..4 {
        let c = random_circuit(9, 120, seed);
        let mut a = StateVector::zero(9).unwrap();
        let mut b = a.clone();
        a.apply_with(
            &c,
            SimOptions {
                fusion_max_qubits: 0,
            },
        )
        .unwrap();
        b.apply_with(
            &c,
            SimOptions {
                fusion_max_qubits: 3,
            },
        )
        .unwrap();
        let d = max_amp_diff(a.amplitudes(), b.amplitudes());
        assert!(d < 1e-12, "seed {seed}: {d}");
    }
}

#[test]
fn decomposition_reproduces_the_unitary_exactly() {
    for seed in 0..6 {
        let c = random_circuit(5, 25, 100 + seed);
        let d = decompose(&c).unwrap();
        assert!(d.ops().iter().all(is_basis));
        let e = max_abs_diff(&circuit_unitary(&c).unwrap(), &circuit_unitary(&d).unwrap());
        assert!(e < 1e-10, "seed {seed}: {e}");
    }
}

#[test]
fn multi_controlled_x_is_exact_and_linear_with_a_borrowed_qubit() {
    // k controls, target, and one idle qubit (borrowed dirty): CNOT count grows linearly.
    let mut cnots = vec![];
    for k in 3..=8 {
        let n = k + 2;
        let mut c = Circuit::new(n);
        c.mcx(&(0..k).collect::<Vec<_>>(), k).unwrap();
        let d = decompose(&c).unwrap();
        if n <= 9 {
            let e = max_abs_diff(&circuit_unitary(&c).unwrap(), &circuit_unitary(&d).unwrap());
            assert!(e < 1e-10, "k = {k}: {e}");
        }
        cnots.push(Resources::of(&d).cnots);
    }
    // k = 3: one idle qubit suffices for Barenco's lemma 7.2, 4 Toffolis of
    // 6 CNOTs. From k = 4 the one borrowed qubit splits the controls (lemma
    // 7.3); from k = 5 on each further control adds 8 Toffolis = 48 CNOTs:
    // the count is linear, its second differences vanish.
    assert_eq!(cnots[0], 4 * 6, "{cnots:?}");
    let steps: Vec<u64> = cnots[2..].windows(2).map(|w| w[1] - w[0]).collect();
    assert!(
        steps.iter().all(|&s| s == 8 * 6),
        "{cnots:?}: steps {steps:?}"
    );
    // with no idle qubit at all it is still exact
    let mut c = Circuit::new(5);
    c.mcx(&[0, 1, 2, 3], 4).unwrap();
    let d = decompose(&c).unwrap();
    assert!(max_abs_diff(&circuit_unitary(&c).unwrap(), &circuit_unitary(&d).unwrap()) < 1e-10);
}

#[test]
fn dense_blocks_decompose_exactly() {
    let mut sub = Circuit::new(3);
    sub.h(0)
        .unwrap()
        .cry(0.7, 0, 1)
        .unwrap()
        .rz(0.3, 2)
        .unwrap()
        .ccx(0, 1, 2)
        .unwrap()
        .t(1)
        .unwrap();
    let u = circuit_unitary(&sub).unwrap();
    let m: Vec<C64> = (0..8)
        .flat_map(|r| (0..8).map(move |s| (r, s)))
        .map(|(r, s)| u[(r, s)])
        .collect();
    let mut c = Circuit::new(4);
    c.unitary(&[3, 0, 2], m).unwrap();
    let d = decompose(&c).unwrap();
    let e = max_abs_diff(&circuit_unitary(&c).unwrap(), &circuit_unitary(&d).unwrap());
    assert!(e < 1e-10, "{e}");
}

#[test]
fn qft_equals_the_dft_matrix_and_iqft_inverts_it() {
    for k in 1..=5 {
        let mut c = Circuit::new(k);
        c.qft(&(0..k).collect::<Vec<_>>()).unwrap();
        let dim = 1 << k;
        let dft = DMatrix::from_fn(dim, dim, |y, j| {
            C64::from_polar(
                1.0 / (dim as f64).sqrt(),
                2.0 * std::f64::consts::PI * (j * y) as f64 / dim as f64,
            )
        });
        assert!(
            max_abs_diff(&circuit_unitary(&c).unwrap(), &dft) < 1e-13,
            "k = {k}"
        );
        let mut i = Circuit::new(k);
        i.iqft(&(0..k).collect::<Vec<_>>()).unwrap();
        assert!(max_abs_diff(&circuit_unitary(&i).unwrap(), &dft.adjoint()) < 1e-13);
    }
}

#[test]
fn adjoint_power_and_control_compose_as_unitaries() {
    let c = random_circuit(4, 20, 7);
    let u = circuit_unitary(&c).unwrap();
    let ua = circuit_unitary(&c.adjoint()).unwrap();
    assert!(max_abs_diff(&(&ua * &u), &DMatrix::identity(16, 16)) < 1e-12);
    let u3 = circuit_unitary(&c.power(3)).unwrap();
    assert!(max_abs_diff(&u3, &(&u * &u * &u)) < 1e-12);
    let mut g = c.clone();
    g.global_phase = 0.4;
    let cc = g.controlled(&[4]).unwrap();
    let ucc = circuit_unitary(&cc).unwrap();
    let ug = circuit_unitary(&g).unwrap();
    for r in 0..32 {
        for s in 0..32 {
            let want = if s < 16 {
                if r == s {
                    C64::new(1.0, 0.0)
                } else {
                    C64::new(0.0, 0.0)
                }
            } else if r >= 16 {
                ug[(r - 16, s - 16)]
            } else {
                C64::new(0.0, 0.0)
            };
            assert!((ucc[(r, s)] - want).norm() < 1e-12);
        }
    }
}

#[test]
fn qasm_round_trip_gives_the_same_unitary() {
    for seed in 0..4 {
        let c = random_circuit(4, 30, 200 + seed);
        let text = to_qasm(&c).unwrap();
        let back = from_qasm(&text, "roundtrip.qasm").unwrap();
        let e = max_abs_diff(
            &circuit_unitary(&c).unwrap(),
            &circuit_unitary(&back).unwrap(),
        );
        assert!(e < 1e-10, "seed {seed}: {e}\n{text}");
        // only the original qelib1.inc gates, every number with a decimal point
        // (what Qiskit's strict `qasm2.load` accepts; tests/qasm_qiskit.rs runs it)
        for line in text.lines().filter(|l| !l.starts_with("//")) {
            let name = line.split([' ', '(']).next().unwrap();
            assert!(
                !["swap", "cswap", "crx", "cry", "p", "cp"].contains(&name),
                "{line}"
            );
            if let (Some(i), Some(j)) = (line.find('('), line.find(')')) {
                for num in line[i + 1..j].split(',') {
                    assert!(num.contains('.'), "{line}");
                }
            }
        }
    }
    let mut tiny = Circuit::new(2);
    tiny.rx(1e-7, 0).unwrap().ry(-2e21, 1).unwrap();
    let text = to_qasm(&tiny).unwrap();
    assert!(
        text.contains("rx(1.0e-7) q[0];") && text.contains("ry(-2.0e21) q[1];"),
        "{text}"
    );
    let bad = from_qasm("OPENQASM 2.0;\nqreg q[2];\nfoo q[0];\n", "bad.qasm").unwrap_err();
    assert_eq!(bad.to_string(), "bad.qasm:3: unknown gate `foo`");
    let range = from_qasm("qreg q[2];\ncx q[0],q[5];\n", "r.qasm").unwrap_err();
    assert!(range.to_string().contains("r.qasm:2"), "{range}");
    let angle = from_qasm("qreg q[1];\nrx(-pi/2) q[0];\n", "a.qasm").unwrap();
    assert_eq!(
        angle.ops()[0],
        Op::Gate {
            gate: Gate::Rx(-std::f64::consts::FRAC_PI_2),
            target: 0,
            controls: vec![]
        }
    );
}

#[test]
fn multiplexor_applies_the_selected_rotation() {
    let angles = [0.1, -0.7, 1.3, 2.9, 0.0, 0.4, -2.0, 0.8];
    let mut c = Circuit::new(4);
    uniformly_controlled_ry(&mut c, &[0, 2, 3], 1, &angles).unwrap();
    let u = circuit_unitary(&c).unwrap();
    for s in 0..16usize {
        let j = (s & 1) | (s >> 2 & 1) << 1 | (s >> 3 & 1) << 2;
        let m = Gate::Ry(angles[j]).matrix();
        for r in 0..16usize {
            let want = if r & !2 == s & !2 {
                m[(r >> 1 & 1) * 2 + (s >> 1 & 1)]
            } else {
                C64::new(0.0, 0.0)
            };
            assert!((u[(r, s)] - want).norm() < 1e-13);
        }
    }
}

#[test]
fn bad_input_is_an_error_not_a_panic() {
    let mut c = Circuit::new(2);
    assert!(c.h(2).unwrap_err().to_string().contains("qubit 2"));
    assert!(c.cx(1, 1).unwrap_err().to_string().contains("twice"));
    assert!(matches!(c.rx(f64::NAN, 0), Err(crate::Error::NonFinite(_))));
    let not_unitary = vec![C64::new(1.0, 0.0); 4];
    assert!(c
        .unitary(&[0], not_unitary)
        .unwrap_err()
        .to_string()
        .contains("not unitary"));
    assert!(matches!(
        StateVector::zero(62),
        Err(crate::Error::TooLarge { .. })
    ));
    let mut r = Circuit::new(0);
    r.add_register("a", 2).unwrap();
    assert!(r
        .add_register("a", 1)
        .unwrap_err()
        .to_string()
        .contains("twice"));
    assert!(r.register("a").unwrap().qubit(2).is_err());
}

#[test]
fn sampling_is_seeded_and_follows_the_probabilities() {
    let mut c = Circuit::new(2);
    c.ry(2.0 * (0.3f64).sqrt().asin(), 0).unwrap();
    let mut s = StateVector::zero(2).unwrap();
    s.apply(&c).unwrap();
    let a = s.sample(&[0], 20000, 7).unwrap();
    assert_eq!(a, s.sample(&[0], 20000, 7).unwrap());
    let freq = a.iter().filter(|&&x| x == 1).count() as f64 / 20000.0;
    assert!((freq - 0.3).abs() < 0.015, "{freq}");
    assert!((s.expectation_pauli(&[(0, 'Z')]).unwrap() - 0.4).abs() < 1e-12);
    assert!((s.probability_one(0).unwrap() - 0.3).abs() < 1e-12);
}

#[test]
fn controlled_dense_block_on_the_lowest_qubits_uses_gemm_and_agrees() {
    let sub = random_circuit(4, 30, 99);
    let u = circuit_unitary(&sub).unwrap();
    let m: Vec<C64> = (0..16)
        .flat_map(|r| (0..16).map(move |s| (r, s)))
        .map(|(r, s)| u[(r, s)])
        .collect();
    let mut prep = Circuit::new(8);
    for q in 0..8 {
        prep.h(q).unwrap().rz(0.1 * q as f64, q).unwrap();
    }
    let mut a = StateVector::zero(8).unwrap();
    a.apply(&prep).unwrap();
    let mut b = a.clone();
    a.apply_op(&Op::Unitary {
        qubits: vec![0, 1, 2, 3],
        matrix: std::sync::Arc::new(m),
        controls: vec![6, 5],
    })
    .unwrap();
    let mut c = Circuit::new(8);
    c.append_controlled(&sub, &[0, 1, 2, 3], &[6, 5]).unwrap();
    b.apply(&c).unwrap();
    let d = max_amp_diff(a.amplitudes(), b.amplitudes());
    assert!(d < 1e-12, "{d}");
}

#[test]
fn fft_qft_kernel_equals_the_gate_circuit() {
    for (start, k, inverse) in [(0, 3, false), (2, 4, true), (1, 1, true), (3, 5, false)] {
        let n = 9;
        let mut prep = Circuit::new(n);
        for q in 0..n {
            prep.ry(0.3 + 0.2 * q as f64, q)
                .unwrap()
                .rz(0.7 * q as f64, q)
                .unwrap();
        }
        prep.cx(0, 5).unwrap();
        let mut a = StateVector::zero(n).unwrap();
        a.apply(&prep).unwrap();
        let mut b = a.clone();
        let qs: Vec<usize> = (start..start + k).collect();
        a.apply_qft(&qs, inverse).unwrap();
        let mut c = Circuit::new(n);
        if inverse {
            c.iqft(&qs).unwrap();
        } else {
            c.qft(&qs).unwrap();
        }
        b.apply(&c).unwrap();
        let d = max_amp_diff(a.amplitudes(), b.amplitudes());
        assert!(d < 1e-12, "start {start} k {k}: {d}");
    }
}

#[test]
fn circuit_descriptions_build_the_same_circuit_as_the_builder() {
    use qtt_dsl::ir::circuit::{CircuitIr, GateIr, OpIr, QubitIr};
    let mut ir = CircuitIr::new();
    let a = ir.register("a", 3);
    let anc = ir.register("anc", 1);
    let q = |register, index| QubitIr { register, index };
    ir.push(OpIr::Gate {
        gate: GateIr::H,
        controls: vec![],
        target: q(a, 0),
    });
    ir.push(OpIr::Gate {
        gate: GateIr::Ry(0.4),
        controls: vec![q(a, 0), q(a, 1)],
        target: q(anc, 0),
    });
    ir.push(OpIr::Mcx {
        controls: vec![q(a, 0), q(a, 1), q(a, 2)],
        target: q(anc, 0),
    });
    ir.push(OpIr::Swap {
        a: q(a, 0),
        b: q(a, 2),
    });
    ir.push(OpIr::Qft {
        register: a,
        inverse: true,
    });
    let c = Circuit::from_ir(&ir).unwrap();
    assert_eq!(ir.n_qubits(), 4);
    let mut b = Circuit::new(4);
    b.h(0).unwrap();
    b.controlled_gate(Gate::Ry(0.4), &[0, 1], 3).unwrap();
    b.mcx(&[0, 1, 2], 3).unwrap().swap(0, 2).unwrap();
    b.iqft(&[0, 1, 2]).unwrap();
    let d = max_abs_diff(&circuit_unitary(&c).unwrap(), &circuit_unitary(&b).unwrap());
    assert!(d < 1e-12, "{d}");
    assert_eq!(c.register("anc").unwrap().start, 3);
    // what only run time knows is checked, with the qubit named
    let err = |op| {
        let mut bad = ir.clone();
        bad.push(op);
        Circuit::from_ir(&bad).unwrap_err().to_string()
    };
    let h = |target| OpIr::Gate {
        gate: GateIr::H,
        controls: vec![],
        target,
    };
    assert!(err(h(q(a, 3))).contains("a[3] is out of range"));
    assert!(err(h(q(anc, -2))).contains("anc[-2] has a negative index"));
    assert!(err(h(q(7, 0))).contains("register number 7 is not declared"));
    let twice = err(OpIr::Swap {
        a: q(a, 1),
        b: q(a, 1),
    });
    assert!(twice.contains("twice"), "{twice}");
    let nan = err(OpIr::Gate {
        gate: GateIr::Rx(f64::NAN),
        controls: vec![],
        target: q(a, 0),
    });
    assert!(nan.contains("NaN"), "{nan}");
}

#[test]
fn state_apply_op_rejects_repeated_qubits_and_bad_blocks() {
    // Each of these used to reach the raw-pointer kernels: two aliasing
    // `&mut` for a repeated qubit, a read past a short matrix.
    let mut s = StateVector::zero(3).unwrap();
    let swap = Op::Swap {
        a: 1,
        b: 1,
        controls: vec![],
    };
    assert!(s.apply_op(&swap).unwrap_err().to_string().contains("twice"));
    let controlled_on_target = Op::Gate {
        gate: Gate::X,
        target: 0,
        controls: vec![2, 0],
    };
    assert!(s.apply_op(&controlled_on_target).is_err());
    let short = Op::Unitary {
        qubits: vec![0, 1],
        matrix: std::sync::Arc::new(vec![C64::new(1.0, 0.0); 4]),
        controls: vec![],
    };
    assert!(s.apply_op(&short).is_err());
    let repeated_block = Op::Unitary {
        qubits: vec![2, 2],
        matrix: std::sync::Arc::new(
            (0..16)
                .map(|i| C64::new(f64::from(u8::from(i % 5 == 0)), 0.0))
                .collect(),
        ),
        controls: vec![],
    };
    assert!(s.apply_op(&repeated_block).is_err());
    let empty_block = Op::Unitary {
        qubits: vec![],
        matrix: std::sync::Arc::new(vec![C64::new(1.0, 0.0)]),
        controls: vec![],
    };
    assert!(s.apply_op(&empty_block).is_err());
    assert_eq!(
        s,
        StateVector::zero(3).unwrap(),
        "a rejected op changes nothing"
    );
    // a shot count beyond memory is an error, not a capacity-overflow panic
    assert!(matches!(
        s.sample(&[0], usize::MAX, 0),
        Err(crate::Error::TooLarge { .. })
    ));
}
