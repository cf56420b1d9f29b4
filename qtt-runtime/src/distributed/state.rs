//! A state vector split over `2^k` ranks (QuEST's layout): each rank holds
//! `2^(n-k)` contiguous amplitudes and the top `k` ("global") qubits are the
//! bits of its rank.
//!
//! A gate on local qubits runs the serial kernels without communication; a
//! diagonal single-qubit gate on a global qubit is a scalar on each rank; any
//! other gate touching global qubits first swaps each of them with a free
//! local qubit (one exchange of half the partition with the partner rank, in
//! chunks of [`DEFAULT_CHUNK`] amplitudes so the buffers stay small), runs
//! locally and swaps back. A control on a global qubit is the rank's bit.
//! Probabilities and norms are local sums reduced over ranks.

use num_complex::Complex64 as C64;
use rayon::prelude::*;

use super::Communicator;
use crate::quantum::circuits::circuit::{Circuit, Op};
use crate::quantum::circuits::gate::{classify, GateClass};
use crate::quantum::simulation::kernels::insert_zero_bits;
use crate::quantum::simulation::state::StateVector;
use crate::{Error, Result};

/// Amplitudes per message of a global-qubit exchange (1 MiB).
pub const DEFAULT_CHUNK: usize = 1 << 16;

/// This rank's part of a state of `n_qubits` qubits.
pub struct DistributedState<'c> {
    comm: &'c dyn Communicator,
    n_qubits: usize,
    n_local: usize,
    local: StateVector,
    chunk: usize,
    bytes_sent: u64,
}

impl std::fmt::Debug for DistributedState<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DistributedState")
            .field("rank", &self.comm.rank())
            .field("n_qubits", &self.n_qubits)
            .field("n_local", &self.n_local)
            .finish()
    }
}

/// Local qubits of a state of `n_qubits` on `ranks` ranks (a power of two, at
/// most `2^n_qubits`).
fn local_qubits(n_qubits: usize, ranks: usize) -> Result<usize> {
    if !ranks.is_power_of_two() {
        return Err(Error::invalid(format!(
            "a distributed state vector needs 2^k ranks, got {ranks}"
        )));
    }
    let k = ranks.trailing_zeros() as usize;
    if k > n_qubits {
        return Err(Error::invalid(format!(
            "{ranks} ranks need {k} global qubits, more than the state's {n_qubits}"
        )));
    }
    Ok(n_qubits - k)
}

impl<'c> DistributedState<'c> {
    /// `|0...0>` on `n_qubits` qubits over the ranks of `comm`.
    pub fn zero(comm: &'c dyn Communicator, n_qubits: usize) -> Result<Self> {
        let n_local = local_qubits(n_qubits, comm.size())?;
        let mut local = StateVector::zero(n_local)?;
        if comm.rank() != 0 {
            local.amplitudes_mut()[0] = C64::new(0.0, 0.0);
        }
        Ok(Self::new(comm, n_qubits, n_local, local))
    }

    /// This rank's slice of the full amplitude vector `amps` (every rank
    /// passes the same vector; for tests and small states).
    pub fn from_amplitudes(comm: &'c dyn Communicator, amps: &[C64]) -> Result<Self> {
        let full = StateVector::from_amplitudes(amps.to_vec())?;
        let n_local = local_qubits(full.n_qubits(), comm.size())?;
        let len = 1usize << n_local;
        let mine = amps[comm.rank() * len..(comm.rank() + 1) * len].to_vec();
        let local = StateVector::from_amplitudes_unnormalised(mine)?;
        Ok(Self::new(comm, full.n_qubits(), n_local, local))
    }

    fn new(
        comm: &'c dyn Communicator,
        n_qubits: usize,
        n_local: usize,
        local: StateVector,
    ) -> Self {
        DistributedState {
            comm,
            n_qubits,
            n_local,
            local,
            chunk: DEFAULT_CHUNK,
            bytes_sent: 0,
        }
    }

    /// The same state exchanging at most `chunk` amplitudes per message.
    pub fn with_chunk(mut self, chunk: usize) -> Result<Self> {
        if chunk == 0 {
            return Err(Error::invalid(
                "the exchange chunk must be at least 1 amplitude",
            ));
        }
        self.chunk = chunk;
        Ok(self)
    }

    /// The number of qubits of the whole state.
    pub fn n_qubits(&self) -> usize {
        self.n_qubits
    }

    /// The number of qubits each rank holds (`n - k`).
    pub fn n_local(&self) -> usize {
        self.n_local
    }

    /// This rank's amplitudes (global index `rank * 2^n_local + i`).
    pub fn local_amplitudes(&self) -> &[C64] {
        self.local.amplitudes()
    }

    /// Bytes this rank has sent to partners so far.
    pub fn bytes_sent(&self) -> u64 {
        self.bytes_sent
    }

    /// The value of global qubit `q` on this rank.
    fn rank_bit(&self, q: usize) -> usize {
        (self.comm.rank() >> (q - self.n_local)) & 1
    }

    /// Applies one operation.
    pub fn apply_op(&mut self, op: &Op) -> Result<()> {
        let (targets, controls) = op.with_qubits(|t, c| (t.to_vec(), c.to_vec()));
        if let Some(&q) = targets
            .iter()
            .chain(&controls)
            .find(|&&q| q >= self.n_qubits)
        {
            return Err(Error::invalid(format!(
                "{} acts on qubit {q}, but the state has {} qubits",
                op.kind(),
                self.n_qubits
            )));
        }
        let nl = self.n_local;
        if controls.iter().any(|&c| c >= nl && self.rank_bit(c) == 0) {
            return Ok(());
        }
        let local_controls: Vec<usize> = controls.into_iter().filter(|&c| c < nl).collect();
        let global: Vec<usize> = targets.iter().copied().filter(|&q| q >= nl).collect();
        if global.is_empty() {
            return self.local.apply_op(&remap(op, &|q| q, local_controls));
        }
        if let Op::Gate { gate, target, .. } = op {
            let m = gate.matrix();
            if classify(&m) == GateClass::Diagonal {
                let s = if self.rank_bit(*target) == 1 {
                    m[3]
                } else {
                    m[0]
                };
                self.scale_where(&local_controls, s);
                return Ok(());
            }
        }
        if let (Op::Swap { a, b, .. }, true) = (op, local_controls.is_empty()) {
            if (*a < nl) != (*b < nl) {
                self.swap_global(*a.max(b), *a.min(b));
                return Ok(());
            }
        }
        let busy = |q: &usize| targets.contains(q) || local_controls.contains(q);
        let free: Vec<usize> = (0..nl)
            .rev()
            .filter(|q| !busy(q))
            .take(global.len())
            .collect();
        if free.len() < global.len() {
            return Err(Error::invalid(format!(
                "{} needs {} free local qubits to bring its global qubits in, the ranks hold {nl}",
                op.kind(),
                global.len()
            )));
        }
        for (&g, &l) in global.iter().zip(&free) {
            self.swap_global(g, l);
        }
        let to_local = |q: usize| global.iter().position(|&g| g == q).map_or(q, |j| free[j]);
        let res = self.local.apply_op(&remap(op, &to_local, local_controls));
        for (&g, &l) in global.iter().zip(&free).rev() {
            self.swap_global(g, l);
        }
        res
    }

    /// Multiplies the amplitudes whose local `controls` are all 1 by `s`.
    fn scale_where(&mut self, controls: &[usize], s: C64) {
        if s == C64::new(1.0, 0.0) {
            return;
        }
        match controls.split_first() {
            None => self
                .local
                .amplitudes_mut()
                .par_iter_mut()
                .with_min_len(1 << 14)
                .for_each(|a| *a *= s),
            Some((&c, rest)) => {
                let m = [
                    C64::new(1.0, 0.0),
                    C64::new(0.0, 0.0),
                    C64::new(0.0, 0.0),
                    s,
                ];
                crate::quantum::simulation::kernels::apply_1q(
                    self.local.amplitudes_mut(),
                    &m,
                    c,
                    rest,
                );
            }
        }
    }

    /// Exchanges global qubit `g` with local qubit `l`: the half of this
    /// partition whose bit `l` differs from the rank's bit `g` trades places
    /// with the partner's opposite half, chunk by chunk.
    fn swap_global(&mut self, g: usize, l: usize) {
        let partner = self.comm.rank() ^ (1 << (g - self.n_local));
        let off = (1 - self.rank_bit(g)) << l;
        let half = 1usize << (self.n_local - 1);
        let chunk = self.chunk.min(half);
        let mut send = Vec::with_capacity(chunk);
        let mut recv = vec![C64::new(0.0, 0.0); chunk];
        let amps = self.local.amplitudes_mut();
        let at = |j: usize| insert_zero_bits(j, &[l]) | off;
        // The top local qubit (the usual choice) splits the partition into
        // two contiguous halves: no gather or scatter, one copy back.
        let contiguous = l + 1 == self.n_local;
        for start in (0..half).step_by(chunk) {
            let end = (start + chunk).min(half);
            let recv = &mut recv[..end - start];
            if contiguous {
                send.clear();
                send.extend_from_slice(&amps[off + start..off + end]);
                self.comm.exchange(partner, &send, recv);
                amps[off + start..off + end].copy_from_slice(recv);
                continue;
            }
            send.clear();
            send.extend((start..end).map(|j| amps[at(j)]));
            self.comm.exchange(partner, &send, recv);
            for (j, &v) in (start..end).zip(recv.iter()) {
                amps[at(j)] = v;
            }
        }
        self.bytes_sent += (half * std::mem::size_of::<C64>()) as u64;
    }

    /// Applies a circuit gate by gate (no fusion), then its global phase.
    pub fn apply(&mut self, circuit: &Circuit) -> Result<()> {
        if circuit.n_qubits() > self.n_qubits {
            return Err(Error::shape(format!(
                "a circuit on {} qubits cannot act on a state of {} qubits",
                circuit.n_qubits(),
                self.n_qubits
            )));
        }
        for op in circuit.ops() {
            self.apply_op(op)?;
        }
        if circuit.global_phase != 0.0 {
            self.scale_where(&[], C64::from_polar(1.0, circuit.global_phase));
        }
        Ok(())
    }

    /// The (inverse) quantum Fourier transform on `qubits`, gate by gate.
    pub fn apply_qft(&mut self, qubits: &[usize], inverse: bool) -> Result<()> {
        self.apply(&Circuit::fourier(self.n_qubits, qubits, inverse)?)
    }

    /// The squared norm, on every rank.
    pub fn norm_sqr(&self) -> f64 {
        let mut s = [self
            .local
            .amplitudes()
            .par_iter()
            .map(|a| a.norm_sqr())
            .sum()];
        self.comm.all_reduce_sum(&mut s);
        s[0]
    }

    /// Marginal distribution of `qubits` (bit `j` of the outcome is
    /// `qubits[j]`), on every rank.
    pub fn marginal(&self, qubits: &[usize]) -> Result<Vec<f64>> {
        for (i, &q) in qubits.iter().enumerate() {
            if q >= self.n_qubits || qubits[..i].contains(&q) {
                return Err(Error::invalid(format!(
                    "qubit {q} is out of range or repeated: the state has {} qubits",
                    self.n_qubits
                )));
            }
        }
        let nl = self.n_local;
        let (local_pos, local_q): (Vec<usize>, Vec<usize>) =
            qubits.iter().enumerate().filter(|(_, &q)| q < nl).unzip();
        let fixed = qubits
            .iter()
            .enumerate()
            .filter(|(_, &q)| q >= nl)
            .fold(0usize, |m, (j, &q)| m | (self.rank_bit(q) << j));
        let mut out = vec![0.0; 1 << qubits.len()];
        for (m, p) in self.local.marginal(&local_q)?.into_iter().enumerate() {
            let y = local_pos
                .iter()
                .enumerate()
                .fold(fixed, |y, (b, &j)| y | ((m >> b & 1) << j));
            out[y] = p;
        }
        self.comm.all_reduce_sum(&mut out);
        Ok(out)
    }

    /// Probability that qubit `q` is measured as 1, on every rank.
    pub fn probability_one(&self, q: usize) -> Result<f64> {
        Ok(self.marginal(&[q])?[1])
    }

    /// All `2^n` amplitudes on rank 0 (`None` elsewhere); for small states.
    pub fn gather(&self) -> Option<Vec<C64>> {
        let bytes: Vec<u8> = self
            .local
            .amplitudes()
            .iter()
            .flat_map(|a| [a.re.to_le_bytes(), a.im.to_le_bytes()])
            .flatten()
            .collect();
        let parts = self.comm.gather_bytes(&bytes)?;
        Some(
            parts
                .concat()
                .chunks_exact(16)
                .map(|c| {
                    let f = |s: &[u8]| f64::from_le_bytes(s.try_into().expect("8 bytes"));
                    C64::new(f(&c[..8]), f(&c[8..]))
                })
                .collect(),
        )
    }
}

/// `op` with its targets renamed by `map` and its controls replaced.
fn remap(op: &Op, map: &dyn Fn(usize) -> usize, controls: Vec<usize>) -> Op {
    match op {
        Op::Gate { gate, target, .. } => Op::Gate {
            gate: *gate,
            target: map(*target),
            controls,
        },
        Op::Swap { a, b, .. } => Op::Swap {
            a: map(*a),
            b: map(*b),
            controls,
        },
        Op::Unitary { qubits, matrix, .. } => Op::Unitary {
            qubits: qubits.iter().map(|&q| map(q)).collect(),
            matrix: matrix.clone(),
            controls,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::super::Serial;
    use super::*;

    #[test]
    fn serial_layout_is_the_serial_state() {
        let mut c = Circuit::new(3);
        c.h(0).unwrap();
        c.cx(0, 2).unwrap();
        let mut d = DistributedState::zero(&Serial, 3).unwrap();
        d.apply(&c).unwrap();
        let mut s = StateVector::zero(3).unwrap();
        s.apply(&c).unwrap();
        assert_eq!(d.gather().unwrap(), s.amplitudes());
        assert!((d.norm_sqr() - 1.0).abs() < 1e-14);
        assert_eq!(d.marginal(&[2]).unwrap(), s.marginal(&[2]).unwrap());
    }

    #[test]
    fn bad_layouts_are_errors() {
        assert!(local_qubits(3, 3).is_err());
        assert!(local_qubits(1, 4).is_err());
        assert_eq!(local_qubits(5, 4).unwrap(), 3);
    }
}
