//! Conversions between tensor trains and dense tensors (column-major,
//! first index fastest): `to_dense` guarded by a size limit, and TT-SVD.

use super::{Core, TensorTrain};
use crate::error::{check_finite, Error, Result};
use crate::linalg::{matmul, svd_truncated, view, Transpose, Truncation};

/// The default bound on dense sizes: 2^27 entries (1 GiB of `f64`).
pub const DEFAULT_DENSE_LIMIT: usize = 1 << 27;

impl TensorTrain {
    /// The dense tensor, column-major, if it has at most
    /// [`DEFAULT_DENSE_LIMIT`] entries.
    pub fn to_dense(&self) -> Result<Vec<f64>> {
        self.to_dense_limited(DEFAULT_DENSE_LIMIT)
    }

    /// The dense tensor, column-major, if it has at most `limit` entries.
    ///
    /// Cost: one GEMM per core, `O(N r^2)` for `N` dense entries.
    pub fn to_dense_limited(&self, limit: usize) -> Result<Vec<f64>> {
        let needed = self.dense_len();
        if needed > limit as u128 {
            return Err(Error::TooLarge {
                what: format!(
                    "the dense form of a tensor train with modes {:?}",
                    self.modes()
                ),
                needed,
                limit: limit as u128,
            });
        }
        let mut m = vec![1.0];
        let mut rows = 1;
        for c in &self.cores {
            let (rl, n, rr) = c.shape();
            let p = matmul(view(&m, rows, rl), Transpose::No, c.right(), Transpose::No);
            m = p.data.into();
            rows *= n;
            debug_assert_eq!(m.len(), rows * rr);
        }
        Ok(m)
    }

    /// TT-SVD of a dense column-major tensor with the given mode sizes:
    /// `||A - TT(A)|| <= rel_tol ||A||`, ranks capped by `max_rank`.
    pub fn from_dense(data: &[f64], modes: &[usize], trunc: &Truncation) -> Result<Self> {
        super::train::check_modes(modes)?;
        trunc.validate()?;
        let total: u128 = modes.iter().map(|&n| n as u128).product();
        if total != data.len() as u128 {
            return Err(Error::shape(format!(
                "modes {modes:?} need {total} entries, got {}",
                data.len()
            )));
        }
        check_finite("dense tensor", data)?;
        let d = modes.len();
        let norm2: f64 = data.iter().map(|v| v * v).sum();
        let budget = trunc
            .rel_tol
            .map_or(0.0, |e| e * e * norm2 / (d.max(2) - 1) as f64);
        let mut cores = Vec::with_capacity(d);
        let mut rest = data.to_vec();
        let mut r = 1;
        let mut cols = data.len();
        for &n in &modes[..d - 1] {
            cols /= n;
            let (svd, _) = svd_truncated(view(&rest, r * n, cols), trunc, budget)?;
            let k = svd.s.len();
            cores.push(Core::from_left(svd.u.clone(), r, n));
            rest = svd.s_vt().data.into();
            r = k;
        }
        cores.push(Core::from_parts(r, modes[d - 1], 1, rest));
        Ok(Self::from_cores_unchecked(cores))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dense_round_trip_is_exact() {
        let x = TensorTrain::random(&[2, 3, 4, 2], 3, 11).unwrap();
        let full = x.to_dense().unwrap();
        assert_eq!(full.len(), 48);
        // column-major: first index fastest
        let v = x.eval(&[1, 2, 3, 1]).unwrap();
        assert!((full[1 + 2 * (2 + 3 * (3 + 4))] - v).abs() < 1e-14);
        let y = TensorTrain::from_dense(&full, &[2, 3, 4, 2], &Truncation::exact()).unwrap();
        let back = y.to_dense().unwrap();
        let err: f64 = full
            .iter()
            .zip(&back)
            .map(|(a, b)| (a - b).powi(2))
            .sum::<f64>()
            .sqrt();
        assert!(err < 1e-12, "{err}");
        assert!(y.max_rank() <= 3, "{:?}", y.ranks());
    }

    #[test]
    fn tt_svd_recovers_low_rank_and_respects_tolerance() {
        let x = TensorTrain::random(&[3; 6], 2, 5).unwrap();
        let full = x.to_dense().unwrap();
        let y = TensorTrain::from_dense(&full, &[3; 6], &Truncation::tol(1e-10).unwrap()).unwrap();
        assert!(y.ranks().iter().all(|&r| r <= 2), "{:?}", y.ranks());
        // a full-rank tensor truncated to 0.3 keeps the bound
        let z = TensorTrain::random(&[3; 6], 9, 6)
            .unwrap()
            .to_dense()
            .unwrap();
        let t = TensorTrain::from_dense(&z, &[3; 6], &Truncation::tol(0.3).unwrap()).unwrap();
        let back = t.to_dense().unwrap();
        let nz: f64 = z.iter().map(|v| v * v).sum::<f64>().sqrt();
        let err: f64 = z
            .iter()
            .zip(&back)
            .map(|(a, b)| (a - b).powi(2))
            .sum::<f64>()
            .sqrt();
        assert!(err <= 0.3 * nz, "{err} vs {}", 0.3 * nz);
    }

    #[test]
    fn size_limit_and_shape_errors() {
        let x = TensorTrain::random(&[2; 30], 2, 1).unwrap();
        assert!(matches!(
            x.to_dense_limited(1 << 20),
            Err(Error::TooLarge { .. })
        ));
        assert!(TensorTrain::from_dense(&[1.0; 5], &[2, 3], &Truncation::exact()).is_err());
        assert!(TensorTrain::from_dense(&[f64::NAN; 6], &[2, 3], &Truncation::exact()).is_err());
    }
}
