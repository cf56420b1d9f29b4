//! The communicator: the few collective and point-to-point operations the
//! distributed sweep and state vector need, over MPI or within one process.

use num_complex::Complex64 as C64;

use crate::Result;

/// A group of ranks that exchange data. All collective calls must be made
/// by every rank in the same order (as in MPI).
pub trait Communicator {
    /// This process's rank, `0..size`.
    fn rank(&self) -> usize;
    /// The number of ranks.
    fn size(&self) -> usize;
    /// Waits until every rank has arrived.
    fn barrier(&self);
    /// Replaces `values` on every rank by their element-wise sum over ranks.
    fn all_reduce_sum(&self, values: &mut [f64]);
    /// Sends `send` to `partner` and receives the same number of amplitudes from it.
    fn exchange(&self, partner: usize, send: &[C64], recv: &mut [C64]);
    /// Every rank's `local` bytes, in rank order, on rank 0 (`None` elsewhere).
    fn gather_bytes(&self, local: &[u8]) -> Option<Vec<Vec<u8>>>;
    /// Ends the whole job with exit code `code`.
    fn abort(&self, code: i32) -> !;
}

/// One process on its own: rank 0 of 1.
#[derive(Debug, Clone, Copy, Default)]
pub struct Serial;

impl Communicator for Serial {
    fn rank(&self) -> usize {
        0
    }
    fn size(&self) -> usize {
        1
    }
    fn barrier(&self) {}
    fn all_reduce_sum(&self, _values: &mut [f64]) {}
    fn exchange(&self, partner: usize, send: &[C64], recv: &mut [C64]) {
        assert_eq!(partner, 0, "a serial communicator has only rank 0");
        recv.copy_from_slice(send);
    }
    fn gather_bytes(&self, local: &[u8]) -> Option<Vec<Vec<u8>>> {
        Some(vec![local.to_vec()])
    }
    fn abort(&self, code: i32) -> ! {
        std::process::exit(code)
    }
}

/// Whether an MPI launcher (`mpirun`, `mpiexec`, `srun`) started this process.
pub fn launched_by_mpi() -> bool {
    [
        "OMPI_COMM_WORLD_SIZE",
        "PMI_SIZE",
        "PMIX_RANK",
        "PMI_RANK",
        "MPI_LOCALNRANKS",
    ]
    .iter()
    .any(|v| std::env::var_os(v).is_some())
}

/// This process's communicator: MPI's world when built with the `mpi`
/// feature and started by an MPI launcher (initialised here, once), the
/// serial one otherwise. Keep it alive until the end of `main`: dropping the
/// MPI one finalises MPI.
pub fn world() -> Result<Box<dyn Communicator>> {
    #[cfg(feature = "mpi")]
    if launched_by_mpi() {
        return Ok(Box::new(super::mpi::MpiWorld::init()?));
    }
    Ok(Box::new(Serial))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serial_is_rank_zero_of_one() {
        let c = Serial;
        assert_eq!((c.rank(), c.size()), (0, 1));
        let mut v = [1.0, 2.0];
        c.all_reduce_sum(&mut v);
        assert_eq!(v, [1.0, 2.0]);
        let mut r = [C64::new(0.0, 0.0); 2];
        c.exchange(0, &[C64::new(1.0, 2.0), C64::new(3.0, 4.0)], &mut r);
        assert_eq!(r[1], C64::new(3.0, 4.0));
        assert_eq!(c.gather_bytes(b"ab"), Some(vec![b"ab".to_vec()]));
    }
}
