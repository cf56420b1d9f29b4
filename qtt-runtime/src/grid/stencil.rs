//! Tridiagonal Toeplitz operators on a binary grid as explicit low-rank MPOs.
//!
//! Kazeev and Khoromskij (2012): with the most significant bit first, the
//! shift `S` (`(S v)_i = v_{i+1}`) is `S_L = I (x) S_{L-1} + J (x) (J')^(L-1)`
//! with `J = e_0 e_1'`: reading the sites from the top, the bits of `i` and
//! `j = i + 1` agree on a prefix (`I`), then `0 -> 1` (`J`), then `1 -> 0` on
//! every lower bit (`J'`) — a carry. Writing an operator as a weighted
//! automaton over the sites (`start' M_0 M_1 ... M_{L-1} accept`, every `M`
//! the same block matrix of 2x2 matrices) gives all stencils at once: the
//! prefix state, one state per carry chain, one per boundary correction.
//! The bond dimension is the number of states.

use crate::error::{check_finite, Result};
use crate::tt::{Core, TtMatrix};

/// What a shift sees beyond the ends of the grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Boundary {
    /// Ghost values are 0 (homogeneous Dirichlet).
    Zero,
    /// The grid wraps around.
    Periodic,
    /// The ghost value equals the boundary value, `v_N = v_{N-1}` and
    /// `v_{-1} = v_0` (homogeneous Neumann, a reflecting barrier: rows of a
    /// generator built from it sum to zero).
    Reflecting,
}

impl Boundary {
    /// Homogeneous Dirichlet, an alias of [`Boundary::Zero`].
    pub const DIRICHLET: Boundary = Boundary::Zero;
    /// Homogeneous Neumann, an alias of [`Boundary::Reflecting`].
    pub const NEUMANN: Boundary = Boundary::Reflecting;
}

/// Local 2x2 matrices, column-major (`entry (i, j)` at `i + 2 j`).
pub(super) const ID: [f64; 4] = [1.0, 0.0, 0.0, 1.0];
/// `e_0 e_1'`: row bit 0, column bit 1.
pub(super) const UP: [f64; 4] = [0.0, 0.0, 1.0, 0.0];
/// `e_1 e_0'`.
const DOWN: [f64; 4] = [0.0, 1.0, 0.0, 0.0];
/// `e_0 e_0'`.
const E00: [f64; 4] = [1.0, 0.0, 0.0, 0.0];
/// `e_1 e_1'`.
const E11: [f64; 4] = [0.0, 0.0, 0.0, 1.0];

/// A weighted automaton over the bits: `start' M ... M accept` with the same
/// block matrix `M` (entries 2x2 matrices) at every site.
pub(super) struct BitAutomaton {
    start: Vec<f64>,
    step: Vec<Vec<Option<[f64; 4]>>>,
    accept: Vec<f64>,
}

impl BitAutomaton {
    pub(super) fn new() -> Self {
        Self {
            start: Vec::new(),
            step: Vec::new(),
            accept: Vec::new(),
        }
    }

    pub(super) fn add_state(&mut self, start: f64, accept: f64) -> usize {
        for row in &mut self.step {
            row.push(None);
        }
        self.start.push(start);
        self.accept.push(accept);
        self.step.push(vec![None; self.start.len()]);
        self.start.len() - 1
    }

    pub(super) fn edge(&mut self, from: usize, to: usize, m: [f64; 4]) {
        self.step[from][to] = Some(m);
    }

    /// The MPO on `bits` sites: boundary vectors folded into the end cores.
    pub(super) fn to_mpo(&self, bits: usize) -> Result<TtMatrix> {
        let r = self.start.len();
        let local = |a: usize, b: usize, f: usize| self.step[a][b].map_or(0.0, |m| m[f]);
        let mut cores = Vec::with_capacity(bits);
        for k in 0..bits {
            let (rl, rr) = (
                if k == 0 { 1 } else { r },
                if k + 1 == bits { 1 } else { r },
            );
            let mut c = Core::zeros(rl, 4, rr);
            for f in 0..4 {
                for a in 0..r {
                    for b in 0..r {
                        let w = local(a, b, f)
                            * if k == 0 { self.start[a] } else { 1.0 }
                            * if k + 1 == bits { self.accept[b] } else { 1.0 };
                        if w != 0.0 {
                            let (ca, cb) = (
                                if k == 0 { 0 } else { a },
                                if k + 1 == bits { 0 } else { b },
                            );
                            *c.get_mut(ca, f, cb) += w;
                        }
                    }
                }
            }
            cores.push(c);
        }
        TtMatrix::new(cores, &vec![2; bits], &vec![2; bits])
    }
}

/// `lower S_- + diag I + upper S_+` on `2^bits` points, where
/// `(S_+ v)_i = v_{i+1}` and `(S_- v)_i = v_{i-1}` with the given boundary.
///
/// MPO rank: 1 + (one per nonzero off-diagonal) + (one more per nonzero
/// off-diagonal with a reflecting boundary): 3 for a Dirichlet or periodic
/// second difference, 2 for a one-sided difference or a shift.
pub fn stencil(bits: u32, lower: f64, diag: f64, upper: f64, bc: Boundary) -> Result<TtMatrix> {
    check_finite("stencil coefficients", &[lower, diag, upper])?;
    super::Grid1d::new(0.0, 1.0, bits)?;
    let mut a = BitAutomaton::new();
    let wrap = if bc == Boundary::Periodic { 1.0 } else { 0.0 };
    let prefix = a.add_state(1.0, diag);
    a.edge(prefix, prefix, ID);
    // The chains: a prefix of equal bits, one bit that carries, then the
    // complementary bits; started directly (all bits carry) it is the wrap.
    for (coef, carry, rest, corner) in [(upper, UP, DOWN, E11), (lower, DOWN, UP, E00)] {
        if coef == 0.0 {
            continue;
        }
        let chain = a.add_state(wrap, coef);
        a.edge(prefix, chain, carry);
        a.edge(chain, chain, rest);
        if bc == Boundary::Reflecting {
            let c = a.add_state(1.0, coef);
            a.edge(c, c, corner);
        }
    }
    a.to_mpo(bits as usize)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use nalgebra::DMatrix;

    /// The dense oracle in grid order (shared with the operator tests).
    pub(crate) fn dense(n: usize, lower: f64, diag: f64, upper: f64, bc: Boundary) -> DMatrix<f64> {
        let mut m = DMatrix::zeros(n, n);
        for i in 0..n {
            m[(i, i)] += diag;
            let (up, down) = match bc {
                Boundary::Zero => ((i + 1 < n).then_some(i + 1), i.checked_sub(1)),
                Boundary::Periodic => (Some((i + 1) % n), Some((i + n - 1) % n)),
                Boundary::Reflecting => (Some((i + 1).min(n - 1)), Some(i.saturating_sub(1))),
            };
            if let Some(j) = up {
                m[(i, j)] += upper;
            }
            if let Some(j) = down {
                m[(i, j)] += lower;
            }
        }
        m
    }

    #[test]
    fn stencils_match_dense_for_all_boundaries() {
        let g = |bits| crate::grid::Grid::from(crate::grid::Grid1d::new(0.0, 1.0, bits).unwrap());
        for bits in [1, 2, 3, 6, 10] {
            let n = 1usize << bits;
            for bc in [Boundary::Zero, Boundary::Periodic, Boundary::Reflecting] {
                for (l, d, u) in [
                    (0.0, 0.0, 1.0),
                    (1.0, 0.0, 0.0),
                    (1.0, -2.0, 1.0),
                    (0.0, -1.0, 1.0),
                    (-0.5, 0.0, 0.5),
                    (0.3, 0.7, -1.1),
                ] {
                    let a = stencil(bits, l, d, u, bc).unwrap();
                    let got = g(bits).to_matrix(&a).unwrap();
                    let want = dense(n, l, d, u, bc);
                    assert!(
                        (&got - &want).norm() < 1e-13,
                        "L={bits} {bc:?} ({l},{d},{u})"
                    );
                    let nonzero = (l != 0.0) as usize + (u != 0.0) as usize;
                    let rank = 1 + nonzero * if bc == Boundary::Reflecting { 2 } else { 1 };
                    if bits > 1 {
                        assert_eq!(a.max_rank(), rank, "{bc:?} ({l},{d},{u})");
                    }
                }
            }
        }
    }

    #[test]
    fn errors() {
        assert!(stencil(0, 1.0, -2.0, 1.0, Boundary::Zero).is_err());
        assert!(stencil(64, 1.0, -2.0, 1.0, Boundary::Zero).is_err());
        assert!(stencil(4, f64::NAN, -2.0, 1.0, Boundary::Zero).is_err());
    }
}
