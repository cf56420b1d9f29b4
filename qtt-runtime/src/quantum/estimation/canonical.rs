//! Canonical amplitude estimation (Brassard et al. 2002; seed 001, section 4.3):
//! phase estimation of `Q` with `n` estimation qubits, inverse QFT, and the most
//! likely outcome `y`, read as `theta = y / 2^n`, `a = sin^2(pi theta / 2)`.
//!
//! `Q` has eigenphases `+-theta`, so the outcome distribution is symmetric about
//! `1/2` and `y / 2^n` and `1 - y / 2^n` cannot be told apart: the caller states
//! whether `a <= 1/2` or `a >= 1/2` ([`AmplitudeRange`]), as seed 001 does.

use super::dense_grover;
use super::grover::{append_controlled_q, grover_iterate};
use super::problem::EstimationProblem;
use super::subspace::InvariantSubspace;
use crate::quantum::circuits::circuit::Circuit;
use crate::quantum::circuits::decompose::decompose;
use crate::quantum::circuits::resources::Resources;
use crate::quantum::simulation::state::StateVector;
use crate::{Error, Result};

/// Which half of the outcome circle holds the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmplitudeRange {
    /// `a <= 1/2`: read `y` in `0..=2^n/2`.
    AtMostHalf,
    /// `a >= 1/2`: read `y` in `2^n/2..2^n`.
    AtLeastHalf,
}

/// How the phase-estimation circuit is simulated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// The full circuit, gate by gate (controlled-Q as in appendix D, repeated).
    GateByGate,
    /// `Q` as a dense matrix ([`dense_grover`]), `Q^{2^k}` by repeated squaring,
    /// each controlled power applied as one GEMM; the inverse QFT as an FFT.
    DenseGrover,
    /// Phase estimation on the invariant subspace of `Q` containing `F|0>`
    /// ([`InvariantSubspace`]): gate-level `G` applied a few times to the
    /// problem's `2^t` amplitudes, the estimation register formed exactly on the
    /// (2-dimensional) subspace. Same distribution as the circuit, to rounding.
    InvariantSubspace,
    /// The exact outcome distribution from the amplitude: `Q` acts on the span of
    /// `F|0>` as a rotation, so `P(y)` is the Fejer kernel at `+-theta`.
    Analytic,
}

/// Canonical (phase-estimation) amplitude estimation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CanonicalQae {
    /// Number of estimation qubits `n`.
    pub n_est: usize,
    /// Which half of the circle holds the answer.
    pub range: AmplitudeRange,
    /// How to simulate.
    pub backend: Backend,
}

/// What canonical amplitude estimation returns.
#[derive(Debug, Clone, PartialEq)]
pub struct QaeResult {
    /// Outcome distribution of the estimation register (`y` in `0..2^n`).
    pub probabilities: Vec<f64>,
    /// The most likely outcome in the chosen half.
    pub y: usize,
    /// `theta = y / 2^n`.
    pub theta: f64,
    /// The estimated `a = sin^2(pi theta / 2)`.
    pub amplitude: f64,
    /// `readout.value(amplitude)`: the estimated expectation.
    pub estimate: f64,
    /// Applications of `Q = G^2`: `2^n - 1`.
    pub q_calls: u64,
    /// Applications of the Grover iterate `G`: `2 (2^n - 1)`.
    pub oracle_calls: u64,
}

impl CanonicalQae {
    /// `n_est` estimation qubits, `a <= 1/2`, simulated on the invariant subspace.
    pub fn new(n_est: usize) -> Self {
        CanonicalQae {
            n_est,
            range: AmplitudeRange::AtMostHalf,
            backend: Backend::InvariantSubspace,
        }
    }

    fn check(&self) -> Result<()> {
        if self.n_est == 0 || self.n_est > 40 {
            return Err(Error::invalid(format!(
                "{} estimation qubits, expected 1..=40",
                self.n_est
            )));
        }
        Ok(())
    }

    /// The full gate-level circuit: problem qubits first, then the estimation
    /// register `est` (qubit `k` controls `Q^{2^k}`), inverse QFT on it.
    /// Its `2^n - 1` controlled-Q blocks are counted first: a circuit whose
    /// operations would not fit in the available memory is an error.
    pub fn circuit(&self, problem: &EstimationProblem) -> Result<Circuit> {
        self.check()?;
        let t = problem.n_qubits();
        let mut c = Circuit::new(0);
        let tgt = c.add_register("target", t)?;
        let est = c.add_register("est", self.n_est)?;
        let targets = tgt.qubits();
        let mut one = Circuit::new(c.n_qubits());
        append_controlled_q(&mut one, problem, &targets, est.start)?;
        let ops = (one.ops().len() as u128) << self.n_est;
        crate::memory::check_fits(
            &format!(
                "a phase-estimation circuit of {} estimation qubits ({ops} operations)",
                self.n_est
            ),
            ops * std::mem::size_of::<crate::quantum::Op>() as u128,
        )?;
        c.append(&problem.prep, &targets)?;
        for q in est.qubits() {
            c.h(q)?;
        }
        for k in 0..self.n_est {
            for _ in 0..1u64 << k {
                append_controlled_q(&mut c, problem, &targets, est.start + k)?;
            }
        }
        c.iqft(&est.qubits())?;
        Ok(c)
    }

    /// The outcome distribution of the estimation register.
    pub fn distribution(&self, problem: &EstimationProblem) -> Result<Vec<f64>> {
        self.check()?;
        check_distribution_fits(self.n_est)?;
        let t = problem.n_qubits();
        let est: Vec<usize> = (t..t + self.n_est).collect();
        match self.backend {
            Backend::GateByGate => {
                let c = self.circuit(problem)?;
                let mut s = StateVector::zero(c.n_qubits())?;
                s.apply(&c)?;
                s.marginal(&est)
            }
            Backend::DenseGrover => dense_grover::phase_estimation(problem, self.n_est),
            Backend::InvariantSubspace => {
                let g = grover_iterate(problem)?;
                let psi = dense_grover::prepared_state(problem)?;
                InvariantSubspace::arnoldi(&g, &psi, InvariantSubspace::tolerance(&g))?
                    .phase_estimation(2, self.n_est)
            }
            Backend::Analytic => qpe_distribution(problem.amplitude()?, self.n_est),
        }
    }

    /// Runs the estimation and reads out the most likely outcome.
    pub fn run(&self, problem: &EstimationProblem) -> Result<QaeResult> {
        let p = self.distribution(problem)?;
        let big_n = 1usize << self.n_est;
        let range = match self.range {
            AmplitudeRange::AtMostHalf => 0..big_n / 2 + 1,
            AmplitudeRange::AtLeastHalf => big_n / 2..big_n,
        };
        let y = range
            .max_by(|&a, &b| p[a].total_cmp(&p[b]).then(b.cmp(&a)))
            .expect("non-empty half");
        let theta = y as f64 / big_n as f64;
        let amplitude = (1.0 - (std::f64::consts::PI * theta).cos()) / 2.0;
        let q_calls = (big_n - 1) as u64;
        Ok(QaeResult {
            probabilities: p,
            y,
            theta,
            amplitude,
            estimate: problem.readout.value(amplitude),
            q_calls,
            oracle_calls: 2 * q_calls,
        })
    }

    /// Resources of the circuit decomposed to {RX, RY, RZ, CNOT}, counted by parts
    /// (F, one controlled-Q repeated `2^n - 1` times, the inverse QFT), so that
    /// large `n` costs no more than small `n`. Depth is the sum of the parts'.
    pub fn resources(&self, problem: &EstimationProblem) -> Result<Resources> {
        self.check()?;
        let t = problem.n_qubits();
        let n = t + self.n_est;
        let targets: Vec<usize> = (0..t).collect();
        let mut head = Circuit::new(n);
        head.append(&problem.prep, &targets)?;
        for q in t..n {
            head.h(q)?;
        }
        let mut cq = Circuit::new(n);
        append_controlled_q(&mut cq, problem, &targets, t)?;
        let mut tail = Circuit::new(n);
        tail.iqft(&(t..n).collect::<Vec<_>>())?;
        let r = Resources::of(&decompose(&head)?)
            .then_repeated(&Resources::of(&decompose(&cq)?), (1u64 << self.n_est) - 1)
            .then_repeated(&Resources::of(&decompose(&tail)?), 1);
        Ok(r)
    }
}

/// The exact phase-estimation outcome distribution for amplitude `a`: half the
/// weight on each eigenphase `+-theta`, `a = sin^2(pi theta / 2)`, spread by the
/// Fejer kernel `sin^2(pi N d) / (N sin(pi d))^2`. An error when its `2^n_est`
/// values would not fit in the available memory.
pub fn qpe_distribution(a: f64, n_est: usize) -> Result<Vec<f64>> {
    check_distribution_fits(n_est)?;
    let big_n = (1u64 << n_est) as f64;
    let theta = 2.0 * a.clamp(0.0, 1.0).sqrt().asin() / std::f64::consts::PI;
    let fejer = |d: f64| {
        let s = (std::f64::consts::PI * d).sin();
        if s.abs() < 1e-300 {
            1.0
        } else {
            ((std::f64::consts::PI * big_n * d).sin() / (big_n * s)).powi(2)
        }
    };
    Ok((0..1usize << n_est)
        .map(|y| {
            let x = y as f64 / big_n;
            0.5 * (fejer(theta - x) + fejer(-theta - x))
        })
        .collect())
}

/// An error naming the size when the `2^n_est` outcome probabilities of an
/// estimation register would not fit in the available memory.
fn check_distribution_fits(n_est: usize) -> Result<()> {
    if n_est >= 64 {
        return Err(Error::invalid(format!(
            "{n_est} estimation qubits, expected fewer than 64"
        )));
    }
    crate::memory::check_fits(
        &format!("the outcome distribution of {n_est} estimation qubits"),
        (std::mem::size_of::<f64>() as u128) << n_est,
    )
}
