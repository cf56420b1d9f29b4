//! MPI checks, run under `mpirun -np 2` and `-np 4` (and as one rank by
//! `cargo test --features mpi`): the checks of `tests/support`. With
//! `--panic`, rank 1 panics (the job must end non-zero at once); with
//! `--scaling`, weak scaling at 2^22 amplitudes per rank is printed as JSON lines. A plain
//! `main`: MPI is initialised once per process, so the checks run one after
//! another, not as libtest threads.

mod support;

use qtt::distributed::{world, Communicator, DistributedState};
use qtt::quantum::circuits::circuit::Op;
use qtt::quantum::circuits::gate::Gate;

/// Seconds per gate and bytes sent per gate on rank 0, for `gate` on `target`
/// of a state with 2^22 amplitudes per rank.
fn time_gate(comm: &dyn Communicator, gate: Gate, target: &str) {
    let n = 22 + comm.size().trailing_zeros() as usize;
    let mut d = DistributedState::zero(comm, n).expect("state");
    let q = match target {
        "local_low" => 0,
        "local_high" => d.n_local() - 1,
        _ => n - 1,
    };
    let op = Op::Gate {
        gate,
        target: q,
        controls: vec![],
    };
    let reps = 10;
    comm.barrier();
    let start = std::time::Instant::now();
    for _ in 0..reps {
        d.apply_op(&op).expect("gate");
    }
    comm.barrier();
    let secs = start.elapsed().as_secs_f64() / reps as f64;
    if comm.rank() == 0 {
        println!(
            "{{\"bench\":\"distributed_gate\",\"params\":{{\"ranks\":{},\"qubits\":{n},\"gate\":\"{gate:?}\",\"target\":\"{target}\"}},\"seconds_per_gate\":{secs:.6},\"bytes_sent_per_gate\":{}}}",
            comm.size(),
            d.bytes_sent() / reps
        );
    }
}
use support::{check_qae_gate_by_gate, check_random_circuits, check_sweep};

fn main() {
    let comm = world().expect("communicator");
    if std::env::args().any(|a| a == "--panic") {
        if comm.rank() == 1 {
            panic!("rank 1 fails on purpose");
        }
        comm.barrier();
        return;
    }
    if std::env::args().any(|a| a == "--scaling") {
        for target in ["local_low", "local_high", "global"] {
            time_gate(comm.as_ref(), Gate::H, target);
        }
        time_gate(comm.as_ref(), Gate::Rz(0.3), "global");
        return;
    }
    check_random_circuits(comm.as_ref());
    check_qae_gate_by_gate(comm.as_ref());
    check_sweep(comm.as_ref());
    comm.barrier();
    if comm.rank() == 0 {
        println!("mpi checks passed on {} rank(s)", comm.size());
    }
}
