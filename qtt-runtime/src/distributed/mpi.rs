//! MPI's world communicator (rsmpi), initialised once per process with
//! `Threading::Funneled` so that rayon runs inside each rank while only the
//! main thread calls MPI; a panic on any rank aborts the whole job.

use mpi::collective::{CommunicatorCollectives, Root, SystemOperation};
use mpi::datatype::PartitionMut;
use mpi::environment::Universe;
use mpi::topology::{Communicator as _, SimpleCommunicator};
use mpi::Threading;
use num_complex::Complex64 as C64;

use super::Communicator;
use crate::{Error, Result};

/// The world communicator; dropping it finalises MPI.
pub struct MpiWorld {
    world: SimpleCommunicator,
    _universe: Universe,
}

impl std::fmt::Debug for MpiWorld {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "MpiWorld(rank {} of {})", self.rank(), self.size())
    }
}

impl MpiWorld {
    /// Initialises MPI (an error if it already was) and installs
    /// [`abort_on_panic`].
    pub fn init() -> Result<Self> {
        let (universe, threading) = mpi::initialize_with_threading(Threading::Funneled)
            .ok_or_else(|| Error::invalid("MPI is already initialised in this process"))?;
        if threading < Threading::Funneled {
            return Err(Error::invalid(format!(
                "the MPI library offers thread level {threading:?}, expected at least Funneled"
            )));
        }
        abort_on_panic();
        Ok(MpiWorld {
            world: universe.world(),
            _universe: universe,
        })
    }
}

/// Makes a panic on this rank print its message and then end every rank
/// (`MPI_Abort`) with a non-zero exit code, instead of leaving the others
/// waiting in a collective.
pub fn abort_on_panic() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        default(info);
        // After MPI_Finalize the other ranks wait for nothing: a plain panic.
        if mpi::environment::is_finalized() {
            return;
        }
        // SAFETY: MPI is initialised (the hook is installed by `MpiWorld::init`)
        // and not finalised.
        unsafe {
            mpi::ffi::MPI_Abort(mpi::ffi::RSMPI_COMM_WORLD, 101);
        }
    }));
}

/// Complex amplitudes as their (re, im) pairs of `f64` (no MPI complex type needed).
fn as_f64(v: &[C64]) -> &[f64] {
    // SAFETY: Complex<f64> is repr(C) { re: f64, im: f64 }.
    unsafe { std::slice::from_raw_parts(v.as_ptr().cast(), 2 * v.len()) }
}

fn as_f64_mut(v: &mut [C64]) -> &mut [f64] {
    // SAFETY: as in `as_f64`.
    unsafe { std::slice::from_raw_parts_mut(v.as_mut_ptr().cast(), 2 * v.len()) }
}

impl Communicator for MpiWorld {
    fn rank(&self) -> usize {
        self.world.rank() as usize
    }
    fn size(&self) -> usize {
        self.world.size() as usize
    }
    fn barrier(&self) {
        self.world.barrier();
    }
    fn all_reduce_sum(&self, values: &mut [f64]) {
        let send = values.to_vec();
        self.world
            .all_reduce_into(&send[..], values, SystemOperation::sum());
    }
    fn exchange(&self, partner: usize, send: &[C64], recv: &mut [C64]) {
        let p = self.world.process_at_rank(partner as i32);
        mpi::point_to_point::send_receive_into(as_f64(send), &p, as_f64_mut(recv), &p);
    }
    fn gather_bytes(&self, local: &[u8]) -> Option<Vec<Vec<u8>>> {
        let root = self.world.process_at_rank(0);
        let len = local.len() as i32;
        if self.rank() != 0 {
            root.gather_into(&len);
            root.gather_varcount_into(local);
            return None;
        }
        let mut counts = vec![0i32; self.size()];
        root.gather_into_root(&len, &mut counts[..]);
        let displs: Vec<i32> = counts
            .iter()
            .scan(0, |acc, &c| {
                let d = *acc;
                *acc += c;
                Some(d)
            })
            .collect();
        let mut all = vec![0u8; counts.iter().map(|&c| c as usize).sum()];
        {
            let mut part = PartitionMut::new(&mut all[..], &counts[..], &displs[..]);
            root.gather_varcount_into_root(local, &mut part);
        }
        Some(
            counts
                .iter()
                .zip(&displs)
                .map(|(&c, &d)| all[d as usize..(d + c) as usize].to_vec())
                .collect(),
        )
    }
    fn abort(&self, code: i32) -> ! {
        self.world.abort(code)
    }
}
