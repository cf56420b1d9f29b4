//! The inverse of the Dirichlet second difference (the discrete Green's
//! function) and its one-sided differences as explicit low-rank QTT
//! operators (Kazeev and Khoromskij 2012).
//!
//! On a [`Grid1d`] of `N = 2^L` points with spacing `h`, the Dirichlet
//! second difference `D2` ([`second_difference`](super::second_difference)
//! with [`Boundary::Zero`](super::Boundary::Zero)) has its ghost points at
//! `a = lo - h` and `b = hi + h`. Its inverse `P = (-D2)^-1` is the sampled
//! Green's function of `-u'' = f`, `u(a) = u(b) = 0`, exactly:
//! `P_ij = h s_min(i,j) t_max(i,j) / l` with `s_i = x_i - a`, `t_j = b - x_j`,
//! `l = b - a`. Written as `(h / l) (diag(s) U diag(t) + diag(t) U' diag(s))`
//! with `U = [i <= j]` (a two-state comparison automaton over the bits) and
//! its strict transpose `U' = [i > j]`, it needs no solve, and no entry is a
//! difference of large numbers. The one-sided differences follow on paper:
//! `D- P = h (U - 1 s' / l)` and `D+ P = h (U_strict - 1 s' / l)`.
//!
//! Why they matter: `-D2` on `2^40` points has condition number ~`4^40`,
//! so `-D2 u` of a QTT `u` stored to relative precision `1e-16` is noise,
//! and no solver working on `-D2` directly can reach more than a few digits
//! beyond `2^25` points. With `u = P y`, a second-order operator becomes a
//! diagonal plus discretised integral operators with bounded kernels,
//! assembled here from exact pieces (see `models::dirichlet`).

use super::stencil::{BitAutomaton, ID, UP};
use super::{polynomial, Grid1d};
use crate::error::Result;
use crate::linalg::Truncation;
use crate::tt::{Core, TensorTrain, TtMatrix};
use nalgebra::DMatrix;

/// Every entry 1: the 2x2 block of a state that has decided the comparison.
const ALL: [f64; 4] = [1.0; 4];

/// The upper-triangular matrix of ones, `[i <= j]` (`[i < j]` when
/// `strict`), on `2^bits` points, most significant bit first (rank 2).
pub fn upper_triangular_ones(bits: u32, strict: bool) -> Result<TtMatrix> {
    Grid1d::new(0.0, 1.0, bits)?;
    // Reading the bits from the top, `i` and `j` agree on a prefix, then
    // the first differing bit decides: `i < j` when it is (0, 1).
    let mut a = BitAutomaton::new();
    let equal = a.add_state(1.0, if strict { 0.0 } else { 1.0 });
    let less = a.add_state(0.0, 1.0);
    a.edge(equal, equal, ID);
    a.edge(equal, less, UP);
    a.edge(less, less, ALL);
    a.to_mpo(bits as usize)
}

/// `v` in reversed grid order, `w_i = v_{N-1-i}` (complement every bit).
fn reversed(v: &TensorTrain) -> TensorTrain {
    let cores = v
        .cores()
        .iter()
        .map(|c| {
            let (rl, n, rr) = c.shape();
            let mut out = Core::zeros(rl, n, rr);
            for b in 0..rr {
                for i in 0..n {
                    for a in 0..rl {
                        *out.get_mut(a, n - 1 - i, b) = c.get(a, i, b);
                    }
                }
            }
            out
        })
        .collect();
    TensorTrain::from_cores_unchecked(cores)
}

/// The distances to the ghost points, `s_i = x_i - a = (i + 1) h` and
/// `t_i = b - x_i = (N - i) h`, both exact (`t` is `s` reversed, so no
/// `b - x` cancels near `b`), and the length `l = b - a = (N + 1) h`.
fn ghost_distances(g: &Grid1d) -> Result<(TensorTrain, TensorTrain, f64)> {
    let h = g.spacing();
    let s = polynomial(g, &[h - g.lo(), 1.0])?;
    let t = reversed(&s);
    Ok((s, t, (g.len() as f64 + 1.0) * h))
}

/// `1 s' / l`: every row is `s / l` (rank 2).
fn rows_of(g: &Grid1d, s: &TensorTrain, l: f64) -> Result<TtMatrix> {
    let ones = TtMatrix::kron(&vec![DMatrix::from_element(2, 2, 1.0); g.bits() as usize])?;
    ones.matmul(&TtMatrix::diag(&s.scaled(1.0 / l)))
}

/// The inverse of the Dirichlet second difference, `P = (-D2)^-1` on `g`
/// (ghost points `lo - h`, `hi + h`): the discrete Green's function,
/// symmetric positive, QTT rank at most 5.
pub fn dirichlet_green(g: &Grid1d) -> Result<TtMatrix> {
    let (s, t, l) = ghost_distances(g)?;
    let upper = upper_triangular_ones(g.bits(), false)?;
    let lower = upper_triangular_ones(g.bits(), true)?.transpose();
    let (ds, dt) = (TtMatrix::diag(&s), TtMatrix::diag(&t));
    let above = ds.matmul(&upper)?.matmul(&dt)?;
    let below = dt.matmul(&lower)?.matmul(&ds)?;
    // Both terms are nonnegative on disjoint supports: rounding cancels nothing.
    above
        .add(&below)?
        .scaled(g.spacing() / l)
        .round(&Truncation::exact())
}

/// `D- P`, the backward difference (Dirichlet) of the Green's function
/// [`dirichlet_green`]: `h ([i <= j] - s_j / l)`, QTT rank at most 3.
pub fn dirichlet_green_backward_difference(g: &Grid1d) -> Result<TtMatrix> {
    green_difference(g, false)
}

/// `D+ P`, the forward difference (Dirichlet) of the Green's function
/// [`dirichlet_green`]: `h ([i < j] - s_j / l)`, QTT rank at most 3.
pub fn dirichlet_green_forward_difference(g: &Grid1d) -> Result<TtMatrix> {
    green_difference(g, true)
}

fn green_difference(g: &Grid1d, forward: bool) -> Result<TtMatrix> {
    let (s, _, l) = ghost_distances(g)?;
    let jump = upper_triangular_ones(g.bits(), forward)?;
    jump.add(&rows_of(g, &s, l)?.scaled(-1.0))?
        .scaled(g.spacing())
        .round(&Truncation::exact())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid::{
        backward_difference, constant, forward_difference, second_difference, Boundary, Grid,
    };
    use crate::tt::ApplyMethod;

    #[test]
    fn triangular_ones_match_dense() {
        for bits in [1, 2, 5] {
            let n = 1usize << bits;
            let grid = Grid::from(Grid1d::new(0.0, 1.0, bits).unwrap());
            for strict in [false, true] {
                let u = upper_triangular_ones(bits, strict).unwrap();
                let got = grid.to_matrix(&u).unwrap();
                let want = DMatrix::from_fn(n, n, |i, j| {
                    f64::from(u8::from(if strict { i < j } else { i <= j }))
                });
                assert_eq!(got, want, "L={bits} strict={strict}");
                assert!(u.max_rank() <= 2);
            }
        }
        assert!(upper_triangular_ones(0, false).is_err());
    }

    #[test]
    fn green_operators_invert_and_differentiate_dense() {
        for bits in [1, 3, 6] {
            let g = Grid1d::new(-0.3, 1.7, bits).unwrap();
            let grid = Grid::from(g);
            let n = g.len() as usize;
            let dense = |a: &TtMatrix| grid.to_matrix(a).unwrap();
            let minus_d2 = -dense(&second_difference(&g, Boundary::Zero).unwrap());
            let p = dirichlet_green(&g).unwrap();
            let pd = dense(&p);
            let inv = minus_d2.clone().try_inverse().unwrap();
            assert!(
                (&pd - &inv).norm() <= 1e-13 * inv.norm(),
                "L={bits}: {:e}",
                (&pd - &inv).norm() / inv.norm()
            );
            assert!((&pd * &minus_d2 - DMatrix::identity(n, n)).norm() < 1e-11);
            assert!(p.max_rank() <= 5, "{:?}", p.ranks());
            for (op, diff) in [
                (
                    dirichlet_green_backward_difference(&g).unwrap(),
                    backward_difference(&g, Boundary::Zero).unwrap(),
                ),
                (
                    dirichlet_green_forward_difference(&g).unwrap(),
                    forward_difference(&g, Boundary::Zero).unwrap(),
                ),
            ] {
                let want = dense(&diff) * &inv;
                let got = dense(&op);
                assert!((&got - &want).norm() <= 1e-12 * want.norm(), "L={bits}");
                assert!(op.max_rank() <= 3, "{:?}", op.ranks());
            }
        }
    }

    #[test]
    fn green_solves_the_constant_load_on_forty_bits() {
        // -u'' = 1 with u(a) = u(b) = 0 is solved exactly by the second
        // difference: u = (x - a)(b - x) / 2 at every grid point.
        let g = Grid1d::new(0.0, 1.0, 40).unwrap();
        let h = g.spacing();
        let (a, b) = (-h, 1.0 + h);
        let u = dirichlet_green(&g)
            .unwrap()
            .apply(
                &constant(&g, 1.0).unwrap(),
                &ApplyMethod::Exact,
                &Truncation::tol(1e-14).unwrap(),
            )
            .unwrap();
        let want = polynomial(&g, &[-a * b / 2.0, (a + b) / 2.0, -0.5]).unwrap();
        let err = u.sub(&want).unwrap().norm() / want.norm();
        assert!(err < 1e-12, "relative error {err:e}");
        assert!(u.max_rank() <= 3, "{:?}", u.ranks());
    }
}
