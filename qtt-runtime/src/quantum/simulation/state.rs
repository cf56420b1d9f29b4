//! The state vector: `2^n` complex amplitudes, circuit application, measurement
//! probabilities, seeded sampling and expectation values.

use num_complex::Complex64 as C64;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use super::fusion::fuse;
use super::kernels::apply_op;
use crate::quantum::circuits::circuit::{Circuit, Op};
use crate::quantum::circuits::qubits::check_qubits;
use crate::{Error, Result};

/// Bytes per amplitude (Complex64).
pub const BYTES_PER_AMPLITUDE: usize = 16;

/// States of at most this many qubits (16 MiB) are allocated without first
/// asking the system how much memory is available.
const SMALL_STATE_QUBITS: usize = 20;

/// [`StateVector::apply`] fuses no gates on states of at most this many qubits.
pub const NO_FUSION_MAX_QUBITS: usize = 10;

/// How circuits are applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SimOptions {
    /// Fuse neighbouring operations into dense blocks on at most this many
    /// qubits (0 = off). The default 1 merges runs of single-qubit gates on the
    /// same qubit (one pass instead of several); 2 also merges two-qubit
    /// neighbourhoods into 4x4 blocks, which saves passes but costs 4 complex
    /// multiply-adds per amplitude and measured slower on the peer's layered circuit.
    pub fusion_max_qubits: usize,
}

impl Default for SimOptions {
    fn default() -> Self {
        SimOptions {
            fusion_max_qubits: 1,
        }
    }
}

/// A pure state of `n` qubits; amplitude `i` belongs to the basis state whose
/// bit `q` is qubit `q`.
#[derive(Debug, Clone, PartialEq)]
pub struct StateVector {
    n_qubits: usize,
    amps: Vec<C64>,
}

impl StateVector {
    /// `|0...0>` on `n_qubits` qubits; a clear error when `2^n` amplitudes
    /// (16 bytes each) would not fit in the available memory.
    pub fn zero(n_qubits: usize) -> Result<Self> {
        // Small states skip the /proc/meminfo read (tens of microseconds, more
        // than simulating a few-qubit circuit); their allocation is still checked.
        let limit_amps = if n_qubits <= SMALL_STATE_QUBITS {
            1u128 << SMALL_STATE_QUBITS
        } else {
            crate::memory::available_memory_bytes()
                .map(|b| b / BYTES_PER_AMPLITUDE as u128)
                .unwrap_or(1u128 << 40)
                .min(isize::MAX as u128 / BYTES_PER_AMPLITUDE as u128)
        };
        let needed = 1u128 << n_qubits.min(127);
        if n_qubits >= 64 || needed > limit_amps {
            return Err(Error::TooLarge {
                what: format!(
                    "a state vector of {n_qubits} qubits ({} GiB at 16 bytes per amplitude)",
                    (needed * BYTES_PER_AMPLITUDE as u128) >> 30
                ),
                needed,
                limit: limit_amps,
            });
        }
        let len = needed as usize;
        let mut amps: Vec<C64> = Vec::new();
        amps.try_reserve_exact(len).map_err(|_| Error::TooLarge {
            what: format!("a state vector of {n_qubits} qubits (allocation refused)"),
            needed,
            limit: limit_amps,
        })?;
        amps.resize(len, C64::new(0.0, 0.0));
        amps[0] = C64::new(1.0, 0.0);
        Ok(StateVector { n_qubits, amps })
    }

    /// A state from explicit amplitudes (length a power of two, norm 1 within 1e-10).
    pub fn from_amplitudes(amps: Vec<C64>) -> Result<Self> {
        if amps.is_empty() || !amps.len().is_power_of_two() {
            return Err(Error::shape(format!(
                "a state vector needs 2^n amplitudes, got {}",
                amps.len()
            )));
        }
        let norm: f64 = amps.iter().map(|a| a.norm_sqr()).sum();
        if !norm.is_finite() || (norm - 1.0).abs() > 1e-10 {
            return Err(Error::invalid(format!(
                "amplitudes have squared norm {norm}, expected 1"
            )));
        }
        Ok(StateVector {
            n_qubits: amps.len().trailing_zeros() as usize,
            amps,
        })
    }

    /// A vector of `2^n` amplitudes of any norm, for linear-algebra uses of the
    /// kernels (for instance all columns of a unitary at once).
    pub fn from_amplitudes_unnormalised(amps: Vec<C64>) -> Result<Self> {
        if amps.is_empty() || !amps.len().is_power_of_two() {
            return Err(Error::shape(format!(
                "a state vector needs 2^n amplitudes, got {}",
                amps.len()
            )));
        }
        Ok(StateVector {
            n_qubits: amps.len().trailing_zeros() as usize,
            amps,
        })
    }

    /// Resets to `|0...0>` without reallocating.
    pub fn reset(&mut self) {
        self.amps
            .par_iter_mut()
            .with_min_len(1 << 14)
            .for_each(|a| *a = C64::new(0.0, 0.0));
        self.amps[0] = C64::new(1.0, 0.0);
    }

    /// The number of qubits.
    pub fn n_qubits(&self) -> usize {
        self.n_qubits
    }

    /// The amplitudes.
    pub fn amplitudes(&self) -> &[C64] {
        &self.amps
    }

    /// Mutable amplitudes (the caller keeps the norm).
    pub fn amplitudes_mut(&mut self) -> &mut [C64] {
        &mut self.amps
    }

    /// Applies one operation (no fusion); its qubits must lie in the state
    /// and be distinct, and a dense block must have the matrix its qubits need.
    pub fn apply_op(&mut self, op: &Op) -> Result<()> {
        op.check_shape(self.n_qubits, "state")?;
        apply_op(&mut self.amps, op);
        Ok(())
    }

    /// Applies a circuit with the default options (single-qubit gate fusion on
    /// states of more than [`NO_FUSION_MAX_QUBITS`] qubits).
    pub fn apply(&mut self, circuit: &Circuit) -> Result<()> {
        // A state of a few qubits sits in L1: a pass costs its flops only, and
        // building the fused blocks would cost more than the passes it saves.
        let opts = if self.n_qubits <= NO_FUSION_MAX_QUBITS {
            SimOptions {
                fusion_max_qubits: 0,
            }
        } else {
            SimOptions::default()
        };
        self.apply_with(circuit, opts)
    }

    /// Applies a circuit with explicit options.
    pub fn apply_with(&mut self, circuit: &Circuit, opts: SimOptions) -> Result<()> {
        if circuit.n_qubits() > self.n_qubits {
            return Err(Error::shape(format!(
                "a circuit on {} qubits cannot act on a state of {} qubits",
                circuit.n_qubits(),
                self.n_qubits
            )));
        }
        if opts.fusion_max_qubits >= 1 {
            for op in fuse(circuit.ops(), opts.fusion_max_qubits) {
                self.apply_op(&op)?;
            }
        } else {
            for op in circuit.ops() {
                self.apply_op(op)?;
            }
        }
        if circuit.global_phase != 0.0 {
            let p = C64::from_polar(1.0, circuit.global_phase);
            self.amps
                .par_iter_mut()
                .with_min_len(1 << 14)
                .for_each(|a| *a *= p);
        }
        Ok(())
    }

    /// The (inverse) quantum Fourier transform on `qubits`, the same map as
    /// [`Circuit::qft`] / [`Circuit::iqft`]; as one FFT per fibre when the qubits are
    /// contiguous and ascending, gate by gate otherwise.
    pub fn apply_qft(&mut self, qubits: &[usize], inverse: bool) -> Result<()> {
        self.check_qubits("the QFT", qubits)?;
        let contiguous = qubits.windows(2).all(|w| w[1] == w[0] + 1);
        if contiguous && !qubits.is_empty() {
            super::kernels::apply_qft_contiguous(&mut self.amps, qubits[0], qubits.len(), inverse);
            return Ok(());
        }
        self.apply(&Circuit::fourier(self.n_qubits, qubits, inverse)?)
    }

    /// Probabilities of all `2^n` basis states.
    pub fn probabilities(&self) -> Vec<f64> {
        self.amps
            .par_iter()
            .with_min_len(1 << 14)
            .map(|a| a.norm_sqr())
            .collect()
    }

    fn check_qubits(&self, what: &str, qubits: &[usize]) -> Result<()> {
        check_qubits(|| what.to_string(), &[qubits], self.n_qubits, "state")
    }

    /// Marginal distribution of `qubits` (bit `j` of the outcome is `qubits[j]`).
    pub fn marginal(&self, qubits: &[usize]) -> Result<Vec<f64>> {
        self.check_qubits("the marginal", qubits)?;
        let k = qubits.len();
        let top = qubits.first().is_some_and(|&q0| {
            qubits.iter().enumerate().all(|(j, &q)| q == q0 + j) && q0 + k == self.n_qubits
        });
        if top {
            // The most significant qubits: outcome y owns one contiguous block.
            let block = 1usize << qubits[0];
            return Ok(self
                .amps
                .par_chunks(block)
                .map(|b| b.iter().map(|a| a.norm_sqr()).sum())
                .collect());
        }
        let extract = |i: usize| {
            qubits
                .iter()
                .enumerate()
                .fold(0usize, |v, (j, &q)| v | ((i >> q & 1) << j))
        };
        let chunk = 1 << 14;
        let parts: Vec<Vec<f64>> = self
            .amps
            .par_chunks(chunk)
            .enumerate()
            .map(|(c, block)| {
                let mut p = vec![0.0; 1 << k];
                for (j, a) in block.iter().enumerate() {
                    p[extract(c * chunk + j)] += a.norm_sqr();
                }
                p
            })
            .collect();
        let mut out = vec![0.0; 1 << k];
        for p in parts {
            for (o, v) in out.iter_mut().zip(p) {
                *o += v;
            }
        }
        Ok(out)
    }

    /// Probability that qubit `q` is measured as 1.
    pub fn probability_one(&self, q: usize) -> Result<f64> {
        Ok(self.marginal(&[q])?[1])
    }

    /// `shots` seeded samples of `qubits` (outcome bit `j` is `qubits[j]`).
    pub fn sample(&self, qubits: &[usize], shots: usize, seed: u64) -> Result<Vec<usize>> {
        let p = self.marginal(qubits)?;
        sample_pmf(&p, shots, seed)
    }

    /// `<psi| P |psi>` for a Pauli string given as `(qubit, 'X'|'Y'|'Z')` pairs.
    pub fn expectation_pauli(&self, paulis: &[(usize, char)]) -> Result<f64> {
        let qs: Vec<usize> = paulis.iter().map(|p| p.0).collect();
        self.check_qubits("the Pauli string", &qs)?;
        let mut flip = 0usize;
        let mut zmask = 0usize;
        let mut n_y = 0u32;
        for &(q, p) in paulis {
            match p.to_ascii_uppercase() {
                'X' => flip |= 1 << q,
                'Y' => {
                    flip |= 1 << q;
                    zmask |= 1 << q;
                    n_y += 1;
                }
                'Z' => zmask |= 1 << q,
                'I' => {}
                other => {
                    return Err(Error::invalid(format!(
                        "Pauli `{other}` on qubit {q}, expected one of I, X, Y, Z"
                    )))
                }
            }
        }
        // P|i> = i^{n_y} (-1)^{popcount(i & zmask)} |i ^ flip>, with Y = i X Z.
        let iy = C64::new(0.0, 1.0).powu(n_y);
        let s: C64 = self
            .amps
            .par_iter()
            .enumerate()
            .with_min_len(1 << 14)
            .map(|(i, a)| {
                let sign = if (i & zmask).count_ones() % 2 == 0 {
                    1.0
                } else {
                    -1.0
                };
                self.amps[i ^ flip].conj() * a * sign
            })
            .sum();
        Ok((s * iy).re)
    }

    /// `sum_i |a_i|^2 f(i)` for a function of the basis index.
    pub fn expectation_diagonal(&self, f: impl Fn(usize) -> f64 + Sync) -> f64 {
        self.amps
            .par_iter()
            .enumerate()
            .with_min_len(1 << 14)
            .map(|(i, a)| a.norm_sqr() * f(i))
            .sum()
    }

    /// The inner product `<self|other>`.
    pub fn inner(&self, other: &StateVector) -> Result<C64> {
        if self.n_qubits != other.n_qubits {
            return Err(Error::shape(format!(
                "inner product of states on {} and {} qubits",
                self.n_qubits, other.n_qubits
            )));
        }
        Ok(self
            .amps
            .par_iter()
            .zip(&other.amps)
            .with_min_len(1 << 14)
            .map(|(a, b)| a.conj() * b)
            .sum())
    }
}

/// `shots` seeded draws from a probability vector (inverse-CDF on sorted uniforms).
pub fn sample_pmf(p: &[f64], shots: usize, seed: u64) -> Result<Vec<usize>> {
    crate::error::check_finite("probabilities", p)?;
    crate::memory::check_fits(
        &format!("{shots} samples"),
        (shots as u128) * std::mem::size_of::<usize>() as u128,
    )?;
    let total: f64 = p.iter().sum();
    if total <= 0.0 {
        return Err(Error::invalid(
            "probabilities sum to 0, expected a positive total",
        ));
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut cdf = Vec::with_capacity(p.len());
    let mut acc = 0.0;
    for &v in p {
        acc += v.max(0.0) / total;
        cdf.push(acc);
    }
    Ok((0..shots)
        .map(|_| {
            let u: f64 = rng.random::<f64>() * acc;
            cdf.partition_point(|&c| c <= u).min(p.len() - 1)
        })
        .collect())
}
