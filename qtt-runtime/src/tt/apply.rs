//! Applying TT matrices: MPO x MPS (exact + rounding, zip-up, variational
//! fitting) and MPO x MPO.
//!
//! Costs for an MPO of rank `w`, an MPS of rank `r` and mode size `n`:
//! exact product `O(d n^2 w r^2)` then rounding `O(d n (w r)^3)`; zip-up
//! `O(d n (w r)^2 r')` for output rank `r'`, never forming the `w r` ranks
//! across more than one site; variational `O(sweeps d n w r^3)`.

use super::{Core, TensorTrain, TtMatrix};
use crate::error::{check_nonneg, Error, Result};
use crate::linalg::{matmul, permute, qr_thin, svd_truncated, view, Transpose, Truncation};

/// How an MPO x MPS product is computed.
#[derive(Debug, Clone, PartialEq)]
pub enum ApplyMethod {
    /// The exact product (ranks multiply), then rounding.
    Exact,
    /// Zip-up (Stoudenmire and White 2010): truncated SVDs while
    /// contracting from left to right over a right-orthogonal input.
    ZipUp,
    /// Zip-up initial guess refined by one-site ALS sweeps that maximise
    /// the overlap with the exact product at fixed ranks.
    Variational(VariationalOptions),
}

/// Options of the variational (fitting) product.
#[derive(Debug, Clone, PartialEq)]
pub struct VariationalOptions {
    /// Maximum number of back-and-forth sweeps.
    pub max_sweeps: usize,
    /// Stop when the relative change of the result between sweeps is below this.
    pub tol: f64,
}

impl Default for VariationalOptions {
    fn default() -> Self {
        Self {
            max_sweeps: 4,
            tol: 1e-12,
        }
    }
}

/// The product core of an MPO core `a (ra, m, k, ra')` and a core `b`
/// `(rb, k, p, rb')`: `(ra rb, m p, ra' rb')`, left index `a + ra b`.
fn core_product(a: &Core, m: usize, k: usize, b: &Core, p: usize) -> Core {
    let (ra, _, rap) = a.shape();
    let (rb, _, rbp) = b.shape();
    // b as (k) x (rb p rb'): bring the contracted index first.
    let bp = permute(b.data(), &[rb, k, p, rbp], &[1, 0, 2, 3]);
    let bmat = view(&bp, k, rb * p * rbp);
    let amat = view(a.data(), ra * m, k * rap);
    let (rl, rr, n) = (ra * rb, rap * rbp, m * p);
    let mut out = Core::zeros(rl, n, rr);
    for ap in 0..rap {
        let prod = matmul(amat.columns(k * ap, k), Transpose::No, bmat, Transpose::No);
        // prod[(a + ra i), (b + rb (l + p b'))]
        for bpi in 0..rbp {
            for l in 0..p {
                for bi in 0..rb {
                    let col = prod.column(bi + rb * (l + p * bpi));
                    for i in 0..m {
                        let dst0 = rl * ((i + m * l) + n * (ap + rap * bpi)) + ra * bi;
                        let src = &col.as_slice()[ra * i..ra * (i + 1)];
                        out.data_mut()[dst0..dst0 + ra].copy_from_slice(src);
                    }
                }
            }
        }
    }
    out
}

impl TtMatrix {
    fn check_operand(&self, x: &TensorTrain) -> Result<()> {
        if x.modes() != self.cols {
            return Err(Error::shape(format!(
                "the operator has column modes {:?}, the vector has modes {:?}",
                self.cols,
                x.modes()
            )));
        }
        Ok(())
    }

    /// The exact product `A x` (ranks multiply; no truncation).
    pub fn apply_exact(&self, x: &TensorTrain) -> Result<TensorTrain> {
        self.check_operand(x)?;
        let cores = (0..self.len())
            .map(|k| core_product(self.core(k), self.rows[k], self.cols[k], x.core(k), 1))
            .collect();
        Ok(TensorTrain::from_cores_unchecked(cores))
    }

    /// `A x` by the chosen method, truncated to `trunc`.
    pub fn apply(
        &self,
        x: &TensorTrain,
        method: &ApplyMethod,
        trunc: &Truncation,
    ) -> Result<TensorTrain> {
        trunc.validate()?;
        self.check_operand(x)?;
        match method {
            ApplyMethod::Exact => self.apply_exact(x)?.round(trunc),
            ApplyMethod::ZipUp => self.zip_up(x, trunc),
            ApplyMethod::Variational(opts) => {
                check_nonneg("variational tolerance", opts.tol)?;
                let guess = self.zip_up(x, trunc)?;
                self.fit(x, guess, opts)
            }
        }
    }

    /// The exact product `A B` of two TT matrices (ranks multiply).
    pub fn matmul(&self, other: &TtMatrix) -> Result<TtMatrix> {
        if self.cols != other.rows {
            return Err(Error::shape(format!(
                "matmul: column modes {:?} do not match row modes {:?}",
                self.cols, other.rows
            )));
        }
        let cores = (0..self.len())
            .map(|k| {
                core_product(
                    self.core(k),
                    self.rows[k],
                    self.cols[k],
                    other.core(k),
                    other.cols[k],
                )
            })
            .collect();
        TtMatrix::from_train(
            TensorTrain::from_cores_unchecked(cores),
            &self.rows,
            &other.cols,
        )
    }

    /// Zip-up: carry `T (r, ra, rx)` from left to right, at each site form
    /// `M (r, n, ra', rx')` and split it by a truncated SVD.
    fn zip_up(&self, x: &TensorTrain, trunc: &Truncation) -> Result<TensorTrain> {
        let mut x = x.clone();
        x.orthogonalize(0)?;
        let d = self.len();
        let eps2 = trunc.rel_tol.map_or(0.0, |e| e * e / (d.max(2) - 1) as f64);
        let mut r = 1usize;
        let mut carry = vec![1.0];
        let mut cores = Vec::with_capacity(d);
        for k in 0..d {
            let xc = x.core(k);
            let n = self.rows[k];
            let (rap, rxp) = (self.core(k).r_right(), xc.r_right());
            // carry (r, ra, rx) -> (r, n, ra', rx')
            let mt = self.absorb(k, &carry, r, xc);
            if k + 1 == d {
                cores.push(Core::from_parts(r, n, 1, mt));
                break;
            }
            let mview = view(&mt, r * n, rap * rxp);
            let total: f64 = mt.iter().map(|v| v * v).sum();
            let (svd, _) = svd_truncated(mview, trunc, eps2 * total)?;
            let kk = svd.s.len();
            cores.push(Core::from_left(svd.u.clone(), r, n));
            carry = svd.s_vt().data.into();
            r = kk;
        }
        Ok(TensorTrain::from_cores_unchecked(cores))
    }

    /// One-site ALS fitting of `y ~ A x` at the ranks of `y`.
    fn fit(
        &self,
        x: &TensorTrain,
        mut y: TensorTrain,
        opts: &VariationalOptions,
    ) -> Result<TensorTrain> {
        let d = self.len();
        if d == 1 {
            return self.apply_exact(x);
        }
        y.orthogonalize(0)?;
        // right[k]: environment (ry, ra, rx) of the bond left of site k.
        let mut right: Vec<Vec<f64>> = vec![Vec::new(); d + 1];
        right[d] = vec![1.0];
        for k in (1..d).rev() {
            right[k] = self.right_env(&y, x, k, &right[k + 1]);
        }
        let mut left: Vec<Vec<f64>> = vec![Vec::new(); d + 1];
        left[0] = vec![1.0];
        let mut last_norm = y.norm();
        for _sweep in 0..opts.max_sweeps {
            for k in 0..d - 1 {
                let (local, t2) = self.local_fit(&y, x, k, &left[k], &right[k + 1]);
                let (rl, n, _) = y.core(k).shape();
                let (q, rfac) = qr_thin(view(&local, rl * n, local.len() / (rl * n)))?;
                let next = y.core(k + 1);
                let moved = matmul(rfac.as_view(), Transpose::No, next.right(), Transpose::No);
                let nn = next.n();
                let qcore = Core::from_left(q, rl, n);
                let (_, _, ry) = qcore.shape();
                let (ra, rx) = (self.core(k).r_right(), x.core(k).r_right());
                let env = matmul(
                    qcore.left(),
                    Transpose::Yes,
                    view(&t2, rl * n, ra * rx),
                    Transpose::No,
                );
                left[k + 1] = env.data.into();
                debug_assert_eq!(left[k + 1].len(), ry * ra * rx);
                y.cores[k] = qcore;
                y.cores[k + 1] = Core::from_right(moved, nn);
            }
            for k in (1..d).rev() {
                let (local, _) = self.local_fit(&y, x, k, &left[k], &right[k + 1]);
                let (rl, n, rr) = y.core(k).shape();
                let lq = crate::linalg::lq_thin(view(&local, rl, n * rr))?;
                let (lfac, q) = lq;
                let prev = y.core(k - 1);
                let (prl, pn, _) = prev.shape();
                let moved = matmul(prev.left(), Transpose::No, lfac.as_view(), Transpose::No);
                y.cores[k] = Core::from_right(q, n);
                y.cores[k - 1] = Core::from_left(moved, prl, pn);
                right[k] = self.right_env(&y, x, k, &right[k + 1]);
            }
            let (local, _) = self.local_fit(&y, x, 0, &left[0], &right[1]);
            let (rl, n, rr) = y.core(0).shape();
            y.cores[0] = Core::from_parts(rl, n, rr, local);
            y.center = Some(0);
            let norm = y.norm();
            let change = (norm - last_norm).abs() / norm.max(f64::MIN_POSITIVE);
            last_norm = norm;
            if change <= opts.tol {
                break;
            }
        }
        Ok(y)
    }

    /// Contracts a left tensor `(r, ra, rx)` with site `k` of the operator
    /// and of `x` into `(r, n, ra', rx')`: two GEMMs on permuted buffers,
    /// `O(r ra rx m rx' + r rx' ra m n ra')` flops.
    fn absorb(&self, k: usize, left: &[f64], r: usize, xc: &Core) -> Vec<f64> {
        let a = self.core(k);
        let (n, m) = (self.rows[k], self.cols[k]);
        let (ra, rap) = (a.r_left(), a.r_right());
        let (rx, rxp) = (xc.r_left(), xc.r_right());
        // u (r, ra, m, rx') = left (r ra x rx) * right(x)
        let u = matmul(
            view(left, r * ra, rx),
            Transpose::No,
            xc.right(),
            Transpose::No,
        );
        let up = permute(u.as_slice(), &[r, ra, m, rxp], &[0, 3, 1, 2]);
        let ap = permute(a.data(), &[ra, n, m, rap], &[0, 2, 1, 3]);
        // t (r, rx', n, ra') = up (r rx' x ra m) * ap (ra m x n ra')
        let t = matmul(
            view(&up, r * rxp, ra * m),
            Transpose::No,
            view(&ap, ra * m, n * rap),
            Transpose::No,
        );
        permute(t.as_slice(), &[r, rxp, n, rap], &[0, 2, 3, 1])
    }

    /// The optimal core `k` of `y` given environments, and the intermediate
    /// `(ry_l, n, ra_r, rx_r)` tensor reused for the next left environment.
    fn local_fit(
        &self,
        y: &TensorTrain,
        x: &TensorTrain,
        k: usize,
        left: &[f64],
        right: &[f64],
    ) -> (Vec<f64>, Vec<f64>) {
        let xc = x.core(k);
        let (n, rap, rxr) = (self.rows[k], self.core(k).r_right(), xc.r_right());
        let (ryl, ryr) = (y.core(k).r_left(), y.core(k).r_right());
        let t2p = self.absorb(k, left, ryl, xc);
        // R (ry_r, ra_r, rx_r) -> (ra_r rx_r) x ry_r
        let rp = permute(right, &[ryr, rap, rxr], &[1, 2, 0]);
        let local = matmul(
            view(&t2p, ryl * n, rap * rxr),
            Transpose::No,
            view(&rp, rap * rxr, ryr),
            Transpose::No,
        );
        (local.data.into(), t2p)
    }

    /// The right environment `(ry_l, ra_l, rx_l)` left of site `k` from the
    /// one right of it.
    fn right_env(&self, y: &TensorTrain, x: &TensorTrain, k: usize, right: &[f64]) -> Vec<f64> {
        let (a, xc, yc) = (self.core(k), x.core(k), y.core(k));
        let (n, m) = (self.rows[k], self.cols[k]);
        let (ral, rap) = (a.r_left(), a.r_right());
        let (rxl, rxr) = (xc.r_left(), xc.r_right());
        let (ryl, ryr) = (yc.r_left(), yc.r_right());
        // s1 (rx_l, m, ry_r, ra_r) = left(x) * R permuted to (rx_r) x (ry_r ra_r)
        let rp = permute(right, &[ryr, rap, rxr], &[2, 0, 1]);
        let s1 = matmul(
            xc.left(),
            Transpose::No,
            view(&rp, rxr, ryr * rap),
            Transpose::No,
        );
        let s1p = permute(s1.as_slice(), &[rxl, m, ryr, rap], &[0, 2, 1, 3]);
        // A (ra_l, n, m, ra_r) -> (m, ra_r, ra_l, n)
        let ap = permute(a.data(), &[ral, n, m, rap], &[2, 3, 0, 1]);
        let s2 = matmul(
            view(&s1p, rxl * ryr, m * rap),
            Transpose::No,
            view(&ap, m * rap, ral * n),
            Transpose::No,
        );
        // s2 (rx_l, ry_r, ra_l, n) -> (n, ry_r, rx_l, ra_l)
        let s2p = permute(s2.as_slice(), &[rxl, ryr, ral, n], &[3, 1, 0, 2]);
        let e = matmul(
            yc.right(),
            Transpose::No,
            view(&s2p, n * ryr, rxl * ral),
            Transpose::No,
        );
        // e (ry_l, rx_l, ra_l) -> (ry_l, ra_l, rx_l)
        permute(e.as_slice(), &[ryl, rxl, ral], &[0, 2, 1])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nalgebra::{DMatrix, DVector};

    fn random_mpo(modes: &[usize], rank: usize, seed: u64) -> TtMatrix {
        let fused: Vec<usize> = modes.iter().map(|n| n * n).collect();
        let tt = TensorTrain::random(&fused, rank, seed).unwrap();
        TtMatrix::from_train(tt, modes, modes).unwrap()
    }

    fn dist(a: &TensorTrain, b: &[f64]) -> f64 {
        a.to_dense()
            .unwrap()
            .iter()
            .zip(b)
            .map(|(p, q)| (p - q).powi(2))
            .sum::<f64>()
            .sqrt()
    }

    #[test]
    fn mpo_times_mps_matches_dense_matvec() {
        let modes = [2, 3, 2, 2];
        let a = random_mpo(&modes, 3, 1);
        let x = TensorTrain::random(&modes, 2, 2).unwrap();
        let want = a.to_dense().unwrap() * DVector::from_vec(x.to_dense().unwrap());
        let y = a.apply_exact(&x).unwrap();
        assert!(dist(&y, want.as_slice()) < 1e-12 * want.norm());
        let exact = Truncation::exact();
        for method in [
            ApplyMethod::Exact,
            ApplyMethod::ZipUp,
            ApplyMethod::Variational(VariationalOptions::default()),
        ] {
            let y = a.apply(&x, &method, &exact).unwrap();
            assert!(
                dist(&y, want.as_slice()) < 1e-11 * want.norm(),
                "{method:?}"
            );
        }
    }

    #[test]
    fn truncated_products_are_accurate() {
        let modes = [2; 12];
        let a = random_mpo(&modes, 3, 5);
        let x = TensorTrain::random(&modes, 6, 6).unwrap();
        let exact = a.apply_exact(&x).unwrap();
        let nrm = exact.norm();
        let err = |y: &TensorTrain| y.sub(&exact).unwrap().norm() / nrm;
        let trunc = Truncation::tol(1e-3).unwrap();
        let e_exact = err(&a.apply(&x, &ApplyMethod::Exact, &trunc).unwrap());
        assert!(e_exact <= 1e-3, "{e_exact}");
        let zip = a.apply(&x, &ApplyMethod::ZipUp, &trunc).unwrap();
        let e_zip = err(&zip);
        assert!(e_zip <= 1e-2, "{e_zip}");
        let capped = Truncation::rank(8).unwrap();
        let opts = VariationalOptions {
            max_sweeps: 6,
            tol: 0.0,
        };
        let e_zip8 = err(&a.apply(&x, &ApplyMethod::ZipUp, &capped).unwrap());
        let e_var8 = err(&a
            .apply(&x, &ApplyMethod::Variational(opts), &capped)
            .unwrap());
        let e_opt8 = err(&exact.round(&capped).unwrap());
        // fitting never does worse than its zip-up start, and approaches the SVD optimum
        assert!(e_var8 <= e_zip8 * (1.0 + 1e-9), "{e_var8} {e_zip8}");
        assert!(e_var8 <= 1.5 * e_opt8, "{e_var8} vs optimum {e_opt8}");
    }

    #[test]
    fn mpo_times_mpo_and_transpose() {
        let a = random_mpo(&[2, 3], 2, 8);
        let b = random_mpo(&[2, 3], 3, 9);
        let c = a.matmul(&b).unwrap().to_dense().unwrap();
        let want = a.to_dense().unwrap() * b.to_dense().unwrap();
        assert!((c - &want).norm() < 1e-12 * want.norm());
        let t = a.transpose().to_dense().unwrap();
        assert_eq!(t, a.to_dense().unwrap().transpose());
        let rect = TtMatrix::kron(&[DMatrix::from_element(2, 3, 1.0)]).unwrap();
        assert!(rect.matmul(&rect).is_err());
        assert!(rect.apply_exact(&TensorTrain::ones(&[2]).unwrap()).is_err());
    }
}
