//! Checks shared by the MPI test (`tests/mpi.rs`, under `mpirun`) and the
//! thread-rank test (`tests/distributed.rs`, default build): the distributed
//! state vector against the serial simulator after random circuits, canonical
//! QAE gate by gate, a sweep against the serial loop. Each prints on rank 0.

use num_complex::Complex64 as C64;
use qtt::distributed::{sweep, Communicator, DistributedState};
use qtt::econ::sweeps::{grid, huggett_r_star, sweep_base, HuggettAxis};
use qtt::econ::SolveOptions;
use qtt::quantum::circuits::circuit::{Circuit, Op};
use qtt::quantum::circuits::gate::Gate;
use qtt::quantum::simulation::state::StateVector;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::sync::Arc;

/// A random `2^k x 2^k` unitary (Gram–Schmidt of a random complex matrix), row-major.
fn random_unitary(k: usize, rng: &mut ChaCha8Rng) -> Vec<C64> {
    let d = 1 << k;
    let mut rows: Vec<Vec<C64>> = Vec::new();
    while rows.len() < d {
        let mut v: Vec<C64> = (0..d)
            .map(|_| C64::new(rng.random::<f64>() - 0.5, rng.random::<f64>() - 0.5))
            .collect();
        for r in &rows {
            let p: C64 = r.iter().zip(&v).map(|(a, b)| a.conj() * b).sum();
            v.iter_mut().zip(r).for_each(|(x, a)| *x -= p * a);
        }
        let n = v.iter().map(|x| x.norm_sqr()).sum::<f64>().sqrt();
        rows.push(v.into_iter().map(|x| x / n).collect());
    }
    rows.concat()
}

/// `count` distinct qubits of `0..n`.
fn pick(n: usize, count: usize, rng: &mut ChaCha8Rng) -> Vec<usize> {
    let mut q: Vec<usize> = (0..n).collect();
    for i in 0..count {
        let j = rng.random_range(i..n);
        q.swap(i, j);
    }
    q.truncate(count);
    q
}

/// A random circuit with every kind of operation, on local and global
/// qubits, with controls anywhere.
fn random_circuit(n: usize, ops: usize, seed: u64) -> Circuit {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut c = Circuit::new(n);
    for q in 0..n {
        c.h(q).unwrap();
    }
    for _ in 0..ops {
        let t = rng.random::<f64>() * 6.0;
        let gates = [
            Gate::H,
            Gate::X,
            Gate::Y,
            Gate::Z,
            Gate::S,
            Gate::Sdg,
            Gate::T,
            Gate::Tdg,
            Gate::Rx(t),
            Gate::Ry(t),
            Gate::Rz(t),
            Gate::Phase(t),
        ];
        let n_controls = rng.random_range(0..3usize);
        let op = match rng.random_range(0..4) {
            0 | 1 => {
                let q = pick(n, 1 + n_controls, &mut rng);
                let gate = if rng.random_range(0..13) == 12 {
                    let u = random_unitary(1, &mut rng);
                    Gate::Unitary([u[0], u[1], u[2], u[3]])
                } else {
                    gates[rng.random_range(0..gates.len())]
                };
                Op::Gate {
                    gate,
                    target: q[0],
                    controls: q[1..].to_vec(),
                }
            }
            2 => {
                let q = pick(n, 2 + n_controls.min(1), &mut rng);
                Op::Swap {
                    a: q[0],
                    b: q[1],
                    controls: q[2..].to_vec(),
                }
            }
            _ => {
                let k = rng.random_range(1..4usize);
                let q = pick(n, k + n_controls.min(1), &mut rng);
                Op::Unitary {
                    qubits: q[..k].to_vec(),
                    matrix: Arc::new(random_unitary(k, &mut rng)),
                    controls: q[k..].to_vec(),
                }
            }
        };
        c.push(op).unwrap();
    }
    c.global_phase = 0.3;
    c
}

fn max_diff(a: &[C64], b: &[C64]) -> f64 {
    assert_eq!(a.len(), b.len());
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).norm())
        .fold(0.0, f64::max)
}

pub fn check_random_circuits(comm: &dyn Communicator) {
    for (seed, chunk) in [(1u64, 1usize << 16), (2, 3), (3, 1)] {
        let n = 7;
        let c = random_circuit(n, 300, seed);
        let mut d = DistributedState::zero(comm, n)
            .unwrap()
            .with_chunk(chunk)
            .unwrap();
        d.apply(&c).unwrap();
        let mut s = StateVector::zero(n).unwrap();
        s.apply(&c).unwrap();
        let norm = d.norm_sqr();
        assert!((norm - 1.0).abs() < 1e-12, "norm {norm}");
        let qs = [6, 0, 3];
        let (pd, ps) = (d.marginal(&qs).unwrap(), s.marginal(&qs).unwrap());
        let dp = pd
            .iter()
            .zip(&ps)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        assert!(dp < 1e-12, "marginal differs by {dp}");
        let bytes = d.bytes_sent();
        if let Some(all) = d.gather() {
            let diff = max_diff(&all, s.amplitudes());
            println!(
                "random circuit seed {seed}, {n} qubits, {} ranks, chunk {chunk}: max |distributed - serial| = {diff:.2e}, rank 0 sent {bytes} bytes",
                comm.size()
            );
            assert!(diff < 1e-12, "distributed state differs by {diff}");
        }
    }
}

pub fn check_qae_gate_by_gate(comm: &dyn Communicator) {
    use qtt::quantum::estimation::canonical::{Backend, CanonicalQae};
    use qtt::quantum::estimation::problem::{EstimationProblem, Normalization};
    use qtt::quantum::loading::distribution::{Discretized, SupportGrid};
    let dist = Discretized::normal(0.0, 1.0, -3.0, 3.0, 3, SupportGrid::Endpoints).unwrap();
    let p = EstimationProblem::from_distributions(
        std::slice::from_ref(&dist),
        |x| (x[0] + 3.0) / 6.0,
        Normalization::Identity,
    )
    .unwrap();
    let qae = CanonicalQae {
        backend: Backend::GateByGate,
        ..CanonicalQae::new(4)
    };
    let c = qae.circuit(&p).unwrap();
    let mut d = DistributedState::zero(comm, c.n_qubits()).unwrap();
    d.apply(&c).unwrap();
    let est: Vec<usize> = (p.n_qubits()..c.n_qubits()).collect();
    let got = d.marginal(&est).unwrap();
    let want = qae.distribution(&p).unwrap();
    let diff = got
        .iter()
        .zip(&want)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f64::max);
    if comm.rank() == 0 {
        println!(
            "canonical QAE gate by gate, {} qubits on {} ranks: max |p - p_serial| = {diff:.2e}",
            c.n_qubits(),
            comm.size()
        );
    }
    assert!(diff < 1e-12, "QAE distribution differs by {diff}");
}

pub fn check_sweep(comm: &dyn Communicator) {
    let (from, to) = HuggettAxis::BorrowingLimit.default_range();
    let values = grid(from, to, 5).unwrap();
    let opts = SolveOptions::finite_difference();
    let base = sweep_base();
    let point = |i: usize| {
        huggett_r_star(
            &HuggettAxis::BorrowingLimit.set(&base, values[i])?,
            256,
            &opts,
        )
    };
    let got = sweep(comm, values.len(), point);
    if let Some(got) = got {
        for (i, r) in got.iter().enumerate() {
            let serial = point(i).unwrap();
            assert_eq!(r.as_ref().unwrap(), &serial, "point {i}");
        }
        println!(
            "sweep of {} Huggett equilibria on {} ranks: identical to serial",
            values.len(),
            comm.size()
        );
    }
}
