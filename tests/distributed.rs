//! The distributed sweep and state vector on 2 and 4 thread ranks
//! (`qtt::distributed::run_on_threads`): the multi-rank paths in the default
//! build, without MPI. `tests/mpi.rs` runs the same checks under `mpirun`.

mod support;

use qtt::distributed::{run_on_threads, Serial};
use support::{check_qae_gate_by_gate, check_random_circuits, check_sweep};

#[test]
fn random_circuits_match_the_serial_state() {
    check_random_circuits(&Serial);
    for ranks in [2, 4] {
        run_on_threads(ranks, check_random_circuits);
    }
}

#[test]
fn canonical_qae_gate_by_gate_on_four_ranks() {
    run_on_threads(4, check_qae_gate_by_gate);
}

#[test]
fn sweep_on_two_and_four_ranks_is_the_serial_sweep() {
    for ranks in [2, 4] {
        run_on_threads(ranks, check_sweep);
    }
}

#[test]
fn layouts_that_cannot_split_are_errors() {
    use qtt::distributed::DistributedState;
    let errs = run_on_threads(4, |c| {
        (
            DistributedState::zero(c, 1).unwrap_err().to_string(),
            DistributedState::zero(c, 3).is_ok(),
        )
    });
    assert!(
        errs[0].0.contains("more than the state's 1"),
        "{}",
        errs[0].0
    );
    assert!(errs.iter().all(|e| e.1));
    let odd = run_on_threads(3, |c| DistributedState::zero(c, 4).is_err());
    assert!(odd.iter().all(|&e| e));
}

#[test]
fn a_gate_with_more_global_qubits_than_free_local_ones_is_an_error() {
    use qtt::distributed::DistributedState;
    use qtt::quantum::circuits::circuit::Op;
    let ops = run_on_threads(4, |c| {
        let mut d = DistributedState::zero(c, 3).unwrap();
        let one = num_complex::Complex64::new(1.0, 0.0);
        let zero = num_complex::Complex64::new(0.0, 0.0);
        let id: Vec<_> = (0..64)
            .map(|i| if i % 9 == 0 { one } else { zero })
            .collect();
        let op = Op::Unitary {
            qubits: vec![2, 1, 0],
            matrix: std::sync::Arc::new(id),
            controls: vec![],
        };
        d.apply_op(&op).unwrap_err().to_string()
    });
    assert!(ops[0].contains("free local qubits"), "{}", ops[0]);
}
