//! Phase estimation with `Q` as a dense operator: `Q^{2^k}` by repeated
//! squaring, each controlled power applied as one GEMM on the problem register.
//!
//! The dense Grover iterate comes from its definition, not from its gates:
//! `G = F Z F^-1 V` with `Z = I - 2|0><0|` is `(I - 2 psi psi^*) V`, `psi = F|0>`
//! (`F Z F^-1` reflects about `psi`), so one simulation of `F` on `2^t`
//! amplitudes and `O(4^t)` work give `G`, where its gate-by-gate unitary would
//! take every gate through `4^t` amplitudes. The tests compare it with that unitary.

use faer::Mat;
use num_complex::Complex64 as C64;

use super::problem::EstimationProblem;
use crate::quantum::simulation::state::StateVector;
use crate::Result;

/// `psi = F|0>` on the problem's qubits.
pub fn prepared_state(problem: &EstimationProblem) -> Result<StateVector> {
    let mut psi = StateVector::zero(problem.n_qubits())?;
    psi.apply(&problem.prep)?;
    Ok(psi)
}

/// The dense Grover iterate `G = (I - 2 psi psi^*) V` (column-major, `2^t x 2^t`),
/// `V` the sign flip of the states whose objective qubit is 1.
pub fn grover_matrix(problem: &EstimationProblem, psi: &StateVector) -> Mat<C64> {
    let a = psi.amplitudes();
    let obj = problem.objective;
    Mat::from_fn(a.len(), a.len(), |r, s| {
        let reflect = if r == s { 1.0 } else { 0.0 } - 2.0 * a[r] * a[s].conj();
        if s >> obj & 1 == 1 {
            -reflect
        } else {
            reflect
        }
    })
}

/// `a b` by faer (threads when rayon has them).
fn gemm_into(dst: faer::MatMut<'_, C64>, a: faer::MatRef<'_, C64>, b: faer::MatRef<'_, C64>) {
    let par = if rayon::current_num_threads() > 1 {
        faer::Par::rayon(0)
    } else {
        faer::Par::Seq
    };
    faer::linalg::matmul::matmul(dst, faer::Accum::Replace, a, b, C64::new(1.0, 0.0), par);
}

fn square(m: &Mat<C64>) -> Mat<C64> {
    let mut sq = Mat::<C64>::zeros(m.nrows(), m.ncols());
    gemm_into(sq.as_mut(), m.as_ref(), m.as_ref());
    sq
}

/// The outcome distribution of `n_est`-qubit canonical QAE, from the state of
/// the whole `t + n_est`-qubit register after the controlled powers of `Q`.
pub fn phase_estimation(problem: &EstimationProblem, n_est: usize) -> Result<Vec<f64>> {
    let t = problem.n_qubits();
    let dim = 1usize << t;
    let psi = prepared_state(problem)?;
    // F|0> on the targets tensored with H^n|0> = uniform on the estimation
    // register: the target state tiled 2^n times. The estimation register enters
    // as the uniform product state, so before controlled-Q^{2^k} every column of
    // the state (the target amplitudes for one estimation value y) depends only
    // on the lowest k bits of y. The 2^{n-1} columns the controlled block would
    // multiply therefore hold 2^k distinct ones: multiply those (one GEMM) into
    // columns 2^k..2^{k+1}; the copies are never formed. The result equals the
    // controlled-power circuit's state exactly.
    let mut s = StateVector::zero(t + n_est)?;
    let w = 1.0 / ((1u64 << n_est) as f64).sqrt();
    for (x, a) in s.amplitudes_mut()[..dim].iter_mut().zip(psi.amplitudes()) {
        *x = a * w;
    }
    // Q = G^2, then Q^{2^k} = (Q^{2^{k-1}})^2: one GEMM each
    let mut power = square(&grover_matrix(problem, &psi));
    for k in 0..n_est {
        if k > 0 {
            power = square(&power);
        }
        let half = 1usize << k;
        let (done, rest) = s.amplitudes_mut().split_at_mut(half * dim);
        let src = faer::MatRef::from_column_major_slice(done, dim, half);
        let dst = faer::MatMut::from_column_major_slice_mut(&mut rest[..half * dim], dim, half);
        gemm_into(dst, power.as_ref(), src);
    }
    let est: Vec<usize> = (t..t + n_est).collect();
    s.apply_qft(&est, true)?;
    s.marginal(&est)
}
