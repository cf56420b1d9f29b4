//! Orthogonalisation, the movable orthogonality centre, norm and rounding.
//!
//! Rounding (Oseledets 2011): left-orthogonalise by QR (`O(d n r^3)`), then
//! sweep right to left with truncated SVDs of the right unfoldings, cutting
//! each bond to a squared budget `(eps ||x||)^2 / (d - 1)`. The errors of
//! the bonds are orthogonal, so `||x - round(x)|| <= eps ||x||`.

use super::{Core, TensorTrain};
use crate::error::{Error, Result};
use crate::linalg::{lq_thin, matmul, qr_thin, svd_thin, svd_truncated, Transpose, Truncation};
use nalgebra::DMatrix;

impl TensorTrain {
    /// Core `k` becomes the left unfolding `left`; `factor` (its new right
    /// rank x the old one) is multiplied into core `k + 1`.
    pub(crate) fn push_right(&mut self, k: usize, left: DMatrix<f64>, factor: &DMatrix<f64>) {
        let (rl, n, _) = self.cores[k].shape();
        let next = &self.cores[k + 1];
        let m = matmul(factor.as_view(), Transpose::No, next.right(), Transpose::No);
        self.cores[k + 1] = Core::from_right(m, next.n());
        self.cores[k] = Core::from_left(left, rl, n);
    }

    /// Core `k` becomes the right unfolding `right`; `factor` (the old left
    /// rank x the new one) is multiplied into core `k - 1`.
    pub(crate) fn push_left(&mut self, k: usize, factor: &DMatrix<f64>, right: DMatrix<f64>) {
        let n = self.cores[k].n();
        let prev = &self.cores[k - 1];
        let (prl, pn, _) = prev.shape();
        let m = matmul(prev.left(), Transpose::No, factor.as_view(), Transpose::No);
        self.cores[k - 1] = Core::from_left(m, prl, pn);
        self.cores[k] = Core::from_right(right, n);
    }

    /// QR of core `k`'s left unfolding; `R` moves into core `k + 1`.
    fn left_orth_step(&mut self, k: usize) -> Result<()> {
        let (q, r) = qr_thin(self.cores[k].left())?;
        self.push_right(k, q, &r);
        Ok(())
    }

    /// LQ of core `k`'s right unfolding; `L` moves into core `k - 1`.
    fn right_orth_step(&mut self, k: usize) -> Result<()> {
        let (l, q) = lq_thin(self.cores[k].right())?;
        self.push_left(k, &l, q);
        Ok(())
    }

    /// Makes cores `< c` left-orthogonal and cores `> c` right-orthogonal.
    ///
    /// If a centre is already known, only the cores between it and `c` are
    /// touched, so moving the centre by one site costs one QR.
    pub fn orthogonalize(&mut self, c: usize) -> Result<()> {
        let d = self.len();
        if c >= d {
            return Err(Error::invalid(format!(
                "centre {c} out of range for {d} cores"
            )));
        }
        let (from_left, from_right) = match self.center {
            Some(old) => (old, old),
            None => (0, d - 1),
        };
        for k in from_left..c {
            self.left_orth_step(k)?;
        }
        for k in (c + 1..=from_right).rev() {
            self.right_orth_step(k)?;
        }
        self.center = Some(c);
        Ok(())
    }

    /// The Frobenius norm, computed stably: with a known centre it is the
    /// centre core's norm, otherwise a QR sweep carries only the `R` factors.
    pub fn norm(&self) -> f64 {
        if let Some(c) = self.center {
            return self.cores[c].norm();
        }
        let mut r = nalgebra::DMatrix::from_element(1, 1, 1.0);
        for c in &self.cores {
            let m = matmul(r.as_view(), Transpose::No, c.right(), Transpose::No);
            let left = crate::linalg::view(m.as_slice(), m.nrows() * c.n(), c.r_right());
            match qr_thin(left) {
                Ok((_, rr)) => r = rr,
                Err(_) => return f64::NAN,
            }
        }
        r[(0, 0)].abs()
    }

    /// Rounds in place to `trunc` and returns the norm of what was discarded
    /// (exact: the bond errors are orthogonal). The centre ends at core 0.
    pub fn round_mut(&mut self, trunc: &Truncation) -> Result<f64> {
        trunc.validate()?;
        let d = self.len();
        self.orthogonalize(d - 1)?;
        let norm = self.cores[d - 1].norm();
        let budget = trunc
            .rel_tol
            .map_or(0.0, |e| (e * norm).powi(2) / (d.max(2) - 1) as f64);
        let mut discarded = 0.0;
        for k in (1..d).rev() {
            let (svd, w) = svd_truncated(self.cores[k].right(), trunc, budget)?;
            discarded += w;
            self.push_left(k, &svd.u_s(), svd.v.transpose());
        }
        self.center = Some(0);
        Ok(discarded.sqrt())
    }

    /// A rounded copy: `||x - round(x)|| <= rel_tol ||x||`, ranks capped by
    /// `max_rank` (then the error is what the cap costs).
    pub fn round(&self, trunc: &Truncation) -> Result<Self> {
        let mut y = self.clone();
        y.round_mut(trunc)?;
        Ok(y)
    }

    /// Singular values across every bond (`d - 1` spectra), from an exact
    /// right-to-left SVD sweep of a left-orthogonal copy.
    pub fn schmidt_values(&self) -> Result<Vec<Vec<f64>>> {
        let mut y = self.clone();
        let d = y.len();
        y.orthogonalize(d - 1)?;
        let mut out = vec![Vec::new(); d - 1];
        for k in (1..d).rev() {
            let svd = svd_thin(y.cores[k].right())?;
            y.push_left(k, &svd.u_s(), svd.v.transpose());
            out[k - 1] = svd.s;
        }
        Ok(out)
    }

    /// Von Neumann entanglement entropy `-sum p ln p` of each bond, with
    /// `p = s^2 / sum s^2` from [`Self::schmidt_values`].
    pub fn entanglement_entropy(&self) -> Result<Vec<f64>> {
        Ok(self
            .schmidt_values()?
            .iter()
            .map(|s| {
                let total: f64 = s.iter().map(|v| v * v).sum();
                if total == 0.0 {
                    return 0.0;
                }
                s.iter()
                    .map(|v| v * v / total)
                    .filter(|&p| p > 0.0)
                    .map(|p| -p * p.ln())
                    .sum()
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dense_dist(a: &TensorTrain, b: &TensorTrain) -> f64 {
        let (x, y) = (a.to_dense().unwrap(), b.to_dense().unwrap());
        x.iter()
            .zip(&y)
            .map(|(p, q)| (p - q).powi(2))
            .sum::<f64>()
            .sqrt()
    }

    fn left_orthogonal(c: &Core) -> f64 {
        let g = c.left().transpose() * c.left();
        (g - nalgebra::DMatrix::identity(c.r_right(), c.r_right())).norm()
    }

    fn right_orthogonal(c: &Core) -> f64 {
        let g = c.right() * c.right().transpose();
        (g - nalgebra::DMatrix::identity(c.r_left(), c.r_left())).norm()
    }

    #[test]
    fn orthogonalize_keeps_the_tensor_and_orthogonalizes() {
        let x = TensorTrain::random(&[2, 3, 2, 3, 2], 4, 3).unwrap();
        for c in 0..5 {
            let mut y = x.clone();
            y.orthogonalize(c).unwrap();
            assert!(dense_dist(&x, &y) < 1e-12);
            for k in 0..c {
                assert!(left_orthogonal(y.core(k)) < 1e-12);
            }
            for k in c + 1..5 {
                assert!(right_orthogonal(y.core(k)) < 1e-12);
            }
            // moving the centre keeps the invariant
            y.orthogonalize(4 - c).unwrap();
            assert!(dense_dist(&x, &y) < 1e-12);
            for k in 0..4 - c {
                assert!(left_orthogonal(y.core(k)) < 1e-12);
            }
        }
        assert!(x.clone().orthogonalize(5).is_err());
    }

    #[test]
    fn norm_matches_dense() {
        let x = TensorTrain::random(&[3, 2, 4, 2], 3, 8).unwrap();
        let dense: f64 = x
            .to_dense()
            .unwrap()
            .iter()
            .map(|v| v * v)
            .sum::<f64>()
            .sqrt();
        assert!((x.norm() - dense).abs() < 1e-12 * dense);
        let mut y = x.clone();
        y.orthogonalize(2).unwrap();
        assert!((y.norm() - dense).abs() < 1e-12 * dense);
    }

    #[test]
    fn round_recovers_rank_and_respects_bound() {
        let x = TensorTrain::random(&[2; 10], 3, 4).unwrap();
        let mut xx = x.clone();
        // x + x has rank 6 but true rank 3
        xx.cores = x.cores.clone();
        let sum = x.add(&x).unwrap();
        assert_eq!(sum.max_rank(), 6);
        let r = sum.round(&Truncation::tol(1e-12).unwrap()).unwrap();
        assert!(r.max_rank() <= 3, "{:?}", r.ranks());
        assert!(dense_dist(&r, &sum) < 1e-11 * sum.norm());
        let y = TensorTrain::random(&[2; 10], 8, 5).unwrap();
        for eps in [0.5, 0.1, 0.01] {
            let mut z = y.clone();
            let discarded = z.round_mut(&Truncation::tol(eps).unwrap()).unwrap();
            let err = dense_dist(&z, &y);
            assert!(err <= eps * y.norm() * (1.0 + 1e-10), "eps {eps}: {err}");
            assert!((err - discarded).abs() < 1e-10 * y.norm());
        }
        let capped = y.round(&Truncation::rank(2).unwrap()).unwrap();
        assert!(capped.max_rank() <= 2);
    }

    #[test]
    fn entropy_of_product_and_bell_pair() {
        let p = TensorTrain::product(&[vec![1.0, 2.0], vec![0.5, 3.0]]).unwrap();
        assert!(p.entanglement_entropy().unwrap()[0].abs() < 1e-14);
        // (|00> + |11>)/sqrt 2: entropy ln 2
        let a = Core::new(1, 2, 2, vec![1.0, 0.0, 0.0, 1.0]).unwrap();
        let b = Core::new(2, 2, 1, vec![1.0, 0.0, 0.0, 1.0]).unwrap();
        let bell = TensorTrain::new(vec![a, b]).unwrap();
        let s = bell.entanglement_entropy().unwrap();
        assert!((s[0] - 2f64.ln()).abs() < 1e-14);
    }
}
