//! MPI checks, run under `mpirun -np 2` and `-np 4` (and as one rank by
//! `cargo test --features mpi`): the checks of `tests/support`. With
//! `--panic`, rank 1 panics (the job must end non-zero at once). A plain
//! `main`: MPI is initialised once per process, so the checks run one after
//! another, not as libtest threads.

mod support;

use qtt::distributed::world;
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
    check_random_circuits(comm.as_ref());
    check_qae_gate_by_gate(comm.as_ref());
    check_sweep(comm.as_ref());
    comm.barrier();
    if comm.rank() == 0 {
        println!("mpi checks passed on {} rank(s)", comm.size());
    }
}
