//! Elementary functions on a [`Grid1d`] built exactly from explicit cores.
//!
//! On a grid `x = lo + sum_k b_k c_k` (`c_k` = [`Grid1d::bit_step`]), a
//! function whose value at `s + t` is a fixed linear image of a short
//! vector of functions of `s` has a QTT of that vector's length: the core of
//! site `k` is the transfer matrix for `t = b_k c_k`. So `x` and polynomials
//! use powers (rank = degree + 1), `exp(a x)` one number (rank 1), and
//! `sin`/`cos` a rotation (rank 2). Nothing is approximated.

use super::Grid1d;
use crate::error::{check_finite, Error, Result};
use crate::tt::{Core, TensorTrain};

/// A QTT from a left boundary row `start(c_0 b_0)`, interior transfer
/// matrices `step(t)` (`r x r`, row-major) and a right boundary column
/// `end(t)`, all evaluated at `t = b_k c_k`; the shift `lo` is folded into
/// `start`. For `L = 1` there is one core and the
/// callers pass `single`, the function of the one bit's offset.
fn transfer_train(
    g: &Grid1d,
    r: usize,
    start: impl Fn(f64) -> Vec<f64>,
    step: impl Fn(f64) -> Vec<f64>,
    end: impl Fn(f64) -> Vec<f64>,
    single: impl Fn(f64) -> f64,
) -> Result<TensorTrain> {
    let l = g.bits() as usize;
    if l == 1 {
        let data = vec![single(0.0), single(g.bit_step_unchecked(0))];
        return TensorTrain::new(vec![Core::new(1, 2, 1, data)?]);
    }
    let mut cores = Vec::with_capacity(l);
    for k in 0..l {
        let (rl, rr) = match k {
            0 => (1, r),
            _ if k == l - 1 => (r, 1),
            _ => (r, r),
        };
        let mut c = Core::zeros(rl, 2, rr);
        for b in 0..2 {
            let t = b as f64 * g.bit_step_unchecked(k);
            let m = match k {
                0 => start(t),
                _ if k == l - 1 => end(t),
                _ => step(t),
            };
            for a in 0..rl {
                for j in 0..rr {
                    *c.get_mut(a, b, j) = m[a * rr + j];
                }
            }
        }
        cores.push(c);
    }
    TensorTrain::new(cores)
}

/// The constant `c` (rank 1).
pub fn constant(g: &Grid1d, c: f64) -> Result<TensorTrain> {
    check_finite("constant", &[c])?;
    let mut factors = vec![vec![1.0; 2]; g.bits() as usize];
    factors[0] = vec![c; 2];
    TensorTrain::product(&factors)
}

/// The coordinate `x` (rank 2).
pub fn coordinate(g: &Grid1d) -> Result<TensorTrain> {
    let lo = g.lo();
    transfer_train(
        g,
        2,
        |t| vec![1.0, lo + t],
        |t| vec![1.0, t, 0.0, 1.0],
        |t| vec![t, 1.0],
        |t| lo + t,
    )
}

/// `exp(a x)` (rank 1); errors if it overflows on the grid.
pub fn exp(g: &Grid1d, a: f64) -> Result<TensorTrain> {
    check_finite("exponential rate", &[a])?;
    let mut factors: Vec<Vec<f64>> = (0..g.bits() as usize)
        .map(|k| vec![1.0, (a * g.bit_step_unchecked(k)).exp()])
        .collect();
    let base = (a * g.lo()).exp();
    factors[0].iter_mut().for_each(|v| *v *= base);
    TensorTrain::product(&factors)
        .map_err(|_| Error::NonFinite(format!("exp({a} x) overflows on [{}, {}]", g.lo(), g.hi())))
}

/// `sin(w x + phase)` (rank 2): the bits rotate the vector `(cos, sin)`.
pub fn sinusoid(g: &Grid1d, w: f64, phase: f64) -> Result<TensorTrain> {
    check_finite("frequency and phase", &[w, phase])?;
    let p = w * g.lo() + phase;
    // (cos u, sin u) R(t) = (cos(u + t), sin(u + t)), R(t) = [[c, s], [-s, c]].
    transfer_train(
        g,
        2,
        |t| vec![(p + w * t).cos(), (p + w * t).sin()],
        |t| {
            let (s, c) = (w * t).sin_cos();
            vec![c, s, -s, c]
        },
        |t| vec![(w * t).sin(), (w * t).cos()],
        |t| (p + w * t).sin(),
    )
}

/// `sin(w x)` (rank 2).
pub fn sin(g: &Grid1d, w: f64) -> Result<TensorTrain> {
    sinusoid(g, w, 0.0)
}

/// `cos(w x)` (rank 2).
pub fn cos(g: &Grid1d, w: f64) -> Result<TensorTrain> {
    sinusoid(g, w, std::f64::consts::FRAC_PI_2)
}

/// The polynomial `sum_j coeffs[j] x^j` (rank <= degree + 1), expanded
/// around `lo` so the carried powers are of `x - lo >= 0`.
pub fn polynomial(g: &Grid1d, coeffs: &[f64]) -> Result<TensorTrain> {
    if coeffs.is_empty() {
        return Err(Error::shape("a polynomial needs at least one coefficient"));
    }
    check_finite("polynomial coefficients", coeffs)?;
    let m = coeffs.len();
    if m == 1 {
        return constant(g, coeffs[0]);
    }
    let binom = binomials(m);
    // Taylor shift: p(lo + u) = sum_j q_j u^j.
    let lo = g.lo();
    let q: Vec<f64> = (0..m)
        .map(|j| {
            (j..m)
                .map(|i| coeffs[i] * binom[i][j] * lo.powi((i - j) as i32))
                .sum()
        })
        .collect();
    let pow = |t: f64, e: usize| t.powi(e as i32);
    // carried vector: (u^0, ..., u^(m-1)); (u + t)^j = sum_i C(j,i) u^i t^(j-i)
    transfer_train(
        g,
        m,
        |t| (0..m).map(|j| pow(t, j)).collect(),
        |t| {
            let mut s = vec![0.0; m * m];
            for i in 0..m {
                for j in i..m {
                    s[i * m + j] = binom[j][i] * pow(t, j - i);
                }
            }
            s
        },
        |t| {
            (0..m)
                .map(|i| (i..m).map(|j| q[j] * binom[j][i] * pow(t, j - i)).sum())
                .collect()
        },
        |t| (0..m).map(|j| q[j] * pow(t, j)).sum(),
    )
}

/// Pascal's triangle `C(n, k)` for `n < m`.
fn binomials(m: usize) -> Vec<Vec<f64>> {
    let mut c = vec![vec![0.0; m]; m];
    for n in 0..m {
        c[n][0] = 1.0;
        for k in 1..=n {
            c[n][k] = c[n - 1][k - 1] + if k < n { c[n - 1][k] } else { 0.0 };
        }
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid::Grid;
    use rand::{Rng, SeedableRng};

    fn check_dense(g: &Grid1d, f: &TensorTrain, want: impl Fn(f64) -> f64, tol: f64) {
        let v = Grid::from(*g).to_vector(f).unwrap();
        for (i, got) in v.iter().enumerate() {
            let x = g.coordinate(i as u64).unwrap();
            let w = want(x);
            assert!(
                (got - w).abs() <= tol * w.abs().max(1.0),
                "x = {x}: {got} vs {w}"
            );
        }
    }

    #[test]
    fn exact_functions_match_dense_on_small_grids() {
        for l in [1, 2, 7] {
            let g = Grid1d::new(-0.7, 1.3, l).unwrap();
            check_dense(&g, &coordinate(&g).unwrap(), |x| x, 1e-14);
            check_dense(&g, &constant(&g, 2.5).unwrap(), |_| 2.5, 1e-15);
            check_dense(&g, &exp(&g, -1.7).unwrap(), |x| (-1.7 * x).exp(), 1e-14);
            check_dense(&g, &sin(&g, 3.0).unwrap(), |x| (3.0 * x).sin(), 1e-14);
            check_dense(&g, &cos(&g, 3.0).unwrap(), |x| (3.0 * x).cos(), 1e-14);
            let c = [1.0, -2.0, 0.5, 3.0];
            let p = polynomial(&g, &c).unwrap();
            check_dense(&g, &p, |x| c[0] + x * (c[1] + x * (c[2] + x * c[3])), 1e-13);
            if l > 2 {
                assert_eq!(coordinate(&g).unwrap().max_rank(), 2);
                assert_eq!(exp(&g, 1.0).unwrap().max_rank(), 1);
                assert_eq!(sin(&g, 1.0).unwrap().max_rank(), 2);
                assert_eq!(p.max_rank(), 4);
            }
        }
    }

    #[test]
    fn closed_forms_at_forty_bits() {
        let g = Grid1d::new(-2.0, 3.0, 40).unwrap();
        let x = coordinate(&g).unwrap();
        let e = exp(&g, 0.8).unwrap();
        let s = sinusoid(&g, 5.0, 0.3).unwrap();
        let c = [0.5, -1.0, 0.25, 0.125, -0.0625];
        let p = polynomial(&g, &c).unwrap();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        for _ in 0..200 {
            let i = rng.random_range(0..g.len());
            let xi = g.coordinate(i).unwrap();
            let b = g.index_to_bits(i).unwrap();
            let rel = |got: f64, want: f64| (got - want).abs() / want.abs().max(1e-300);
            assert!(rel(x.eval(&b).unwrap(), xi) < 1e-10 || xi.abs() < 1e-9);
            assert!(rel(e.eval(&b).unwrap(), (0.8 * xi).exp()) < 1e-10);
            let sv = (5.0 * xi + 0.3).sin();
            assert!((s.eval(&b).unwrap() - sv).abs() < 1e-10 * sv.abs().max(1e-3));
            let pv: f64 = c.iter().rev().fold(0.0, |acc, cj| acc * xi + cj);
            assert!((p.eval(&b).unwrap() - pv).abs() < 1e-10 * pv.abs().max(1e-3));
        }
    }

    #[test]
    fn errors() {
        let g = Grid1d::new(0.0, 1000.0, 10).unwrap();
        assert!(exp(&g, 10.0).is_err());
        assert!(polynomial(&g, &[]).is_err());
        assert!(polynomial(&g, &[1.0, f64::NAN]).is_err());
        assert!(sin(&g, f64::INFINITY).is_err());
        assert!(constant(&g, f64::NAN).is_err());
    }
}
