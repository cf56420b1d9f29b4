//! QR, LQ, SVD and symmetric eigendecomposition through faer.
//!
//! All run sequentially: the tensor-train sweeps that call them are
//! sequential chains of small and medium matrices, where one thread per
//! decomposition is fastest; parallelism is applied at a coarser level.

use super::{as_faer, as_faer_mut, Truncation};
use crate::error::{Error, Result};
use faer::dyn_stack::{MemBuffer, MemStack};
use faer::{Par, Spec};
use nalgebra::{DMatrix, DMatrixView};

const PAR: Par = Par::Seq;

fn check_finite(what: &str, a: &DMatrixView<'_, f64>) -> Result<()> {
    if a.iter().all(|v| v.is_finite()) {
        Ok(())
    } else {
        Err(Error::NonFinite(format!(
            "{what} of a {}x{} matrix with NaN or infinite entries",
            a.nrows(),
            a.ncols()
        )))
    }
}

/// Thin QR: `a = q r`, `q` (m x k) with orthonormal columns, `r` (k x n)
/// in echelon (upper trapezoidal) form.
///
/// `k <= min(m, n)`: faer's Householder QR skips a column whose residual is
/// below `16 m eps` of its norm (it is numerically in the span of the
/// previous ones), and those directions are dropped, so `q r = a` to
/// round-off and `k` is the numerical rank when columns repeat (as in the
/// unfoldings of `x + x`). At least one column is kept.
pub fn qr_thin(a: DMatrixView<'_, f64>) -> Result<(DMatrix<f64>, DMatrix<f64>)> {
    check_finite("QR", &a)?;
    let (m, n) = a.shape();
    let k = m.min(n);
    if k == 0 {
        return Ok((DMatrix::identity(m, 0), DMatrix::zeros(0, n)));
    }
    let mut work = a.clone_owned();
    let bs = faer::linalg::qr::no_pivoting::factor::recommended_block_size::<f64>(m, n);
    let mut coeff = faer::Mat::<f64>::zeros(bs, k);
    let scratch = faer::linalg::qr::no_pivoting::factor::qr_in_place_scratch::<f64>(
        m,
        n,
        bs,
        PAR,
        Spec::default(),
    )
    .or(
        faer::linalg::householder::apply_block_householder_sequence_on_the_left_in_place_scratch::<
            f64,
        >(m, bs, k),
    );
    let mut mem = MemBuffer::new(scratch);
    let stack = MemStack::new(&mut mem);
    let info = faer::linalg::qr::no_pivoting::factor::qr_in_place(
        as_faer_mut(work.as_view_mut()),
        coeff.as_mut(),
        PAR,
        stack,
        Spec::default(),
    );
    let rank = info.rank.clamp(1, k);
    let mut q = DMatrix::<f64>::identity(m, rank);
    faer::linalg::householder::apply_block_householder_sequence_on_the_left_in_place_with_conj(
        as_faer(work.as_view()).get(.., ..k),
        coeff.as_ref(),
        faer::Conj::No,
        as_faer_mut(q.as_view_mut()),
        PAR,
        stack,
    );
    let r = DMatrix::from_fn(rank, n, |i, j| if i <= j { work[(i, j)] } else { 0.0 });
    Ok((q, r))
}

/// Thin LQ: `a = l q`, `l` (m x k) lower trapezoidal, `q` (k x n) with
/// orthonormal rows, `k <= min(m, n)` as in [`qr_thin`].
pub fn lq_thin(a: DMatrixView<'_, f64>) -> Result<(DMatrix<f64>, DMatrix<f64>)> {
    let (q, r) = qr_thin(a.transpose().as_view())?;
    Ok((r.transpose(), q.transpose()))
}

/// A thin singular value decomposition `a = u diag(s) v^T`, `s` decreasing.
#[derive(Debug, Clone)]
pub struct Svd {
    /// Left singular vectors, m x k.
    pub u: DMatrix<f64>,
    /// Singular values, decreasing, length k.
    pub s: Vec<f64>,
    /// Right singular vectors, n x k.
    pub v: DMatrix<f64>,
}

impl Svd {
    /// Keeps the first `k` singular triplets.
    pub fn truncate(&mut self, k: usize) {
        let k = k.min(self.s.len());
        self.s.truncate(k);
        self.u = self.u.columns(0, k).into_owned();
        self.v = self.v.columns(0, k).into_owned();
    }

    /// `diag(s) v^T`, the factor passed to the next core in a sweep.
    pub fn s_vt(&self) -> DMatrix<f64> {
        let mut m = self.v.transpose();
        for (i, s) in self.s.iter().enumerate() {
            m.row_mut(i).scale_mut(*s);
        }
        m
    }

    /// `u diag(s)`, the factor passed to the previous core in a sweep.
    pub fn u_s(&self) -> DMatrix<f64> {
        let mut m = self.u.clone();
        for (j, s) in self.s.iter().enumerate() {
            m.column_mut(j).scale_mut(*s);
        }
        m
    }
}

/// faer's divide-and-conquer bidiagonal SVD (0.24) returns singular values
/// that are wrong already at the 1e-5 relative level for exactly
/// rank-deficient inputs, which are the norm in tensor-train rounding
/// (`x + x` has half-rank unfoldings). Its QR-iteration path is accurate
/// and, per `benches/linalg.rs`, as fast up to 512 and within 25% at 1024,
/// so recursion is switched off.
fn svd_params() -> Spec<faer::linalg::svd::SvdParams, f64> {
    let mut p: Spec<faer::linalg::svd::SvdParams, f64> = Spec::default();
    p.recursion_threshold = usize::MAX;
    p
}

/// Thin SVD of an m x n matrix, `k = min(m, n)` triplets.
pub fn svd_thin(a: DMatrixView<'_, f64>) -> Result<Svd> {
    check_finite("SVD", &a)?;
    let (m, n) = a.shape();
    let k = m.min(n);
    let mut u = DMatrix::<f64>::zeros(m, k);
    let mut v = DMatrix::<f64>::zeros(n, k);
    let mut s = faer::diag::Diag::<f64>::zeros(k);
    if k > 0 {
        use faer::linalg::svd::ComputeSvdVectors::Thin;
        let params = svd_params();
        let scratch = faer::linalg::svd::svd_scratch::<f64>(m, n, Thin, Thin, PAR, params);
        let mut mem = MemBuffer::new(scratch);
        faer::linalg::svd::svd(
            as_faer(a),
            s.as_mut(),
            Some(as_faer_mut(u.as_view_mut())),
            Some(as_faer_mut(v.as_view_mut())),
            PAR,
            MemStack::new(&mut mem),
            params,
        )
        .map_err(|e| Error::Numerical(format!("SVD of a {m}x{n} matrix: {e:?}")))?;
    }
    let s = (0..k).map(|i| s[i]).collect();
    Ok(Svd { u, s, v })
}

/// Thin SVD truncated by `trunc`, discarding at most `budget_sq` squared
/// Frobenius weight (absolute). Returns the kept triplets and the discarded
/// squared weight.
pub fn svd_truncated(
    a: DMatrixView<'_, f64>,
    trunc: &Truncation,
    budget_sq: f64,
) -> Result<(Svd, f64)> {
    let mut svd = svd_thin(a)?;
    let (keep, discarded) = trunc.cut(&svd.s, budget_sq);
    svd.truncate(keep.max(1).min(svd.s.len()));
    Ok((svd, discarded))
}

/// A symmetric eigendecomposition `a = vectors diag(values) vectors^T`,
/// values increasing.
#[derive(Debug, Clone)]
pub struct Eigh {
    /// Eigenvalues in increasing order.
    pub values: Vec<f64>,
    /// Orthonormal eigenvectors as columns.
    pub vectors: DMatrix<f64>,
}

/// Eigendecomposition of a symmetric matrix (only the lower triangle is read).
pub fn eigh(a: DMatrixView<'_, f64>) -> Result<Eigh> {
    let (m, n) = a.shape();
    if m != n {
        return Err(Error::shape(format!(
            "eigh needs a square matrix, got {m}x{n}"
        )));
    }
    check_finite("eigh", &a)?;
    let mut vectors = DMatrix::<f64>::zeros(n, n);
    let mut s = faer::diag::Diag::<f64>::zeros(n);
    if n > 0 {
        use faer::linalg::evd::{self_adjoint_evd, self_adjoint_evd_scratch, ComputeEigenvectors};
        let scratch =
            self_adjoint_evd_scratch::<f64>(n, ComputeEigenvectors::Yes, PAR, Spec::default());
        let mut mem = MemBuffer::new(scratch);
        self_adjoint_evd(
            as_faer(a),
            s.as_mut(),
            Some(as_faer_mut(vectors.as_view_mut())),
            PAR,
            MemStack::new(&mut mem),
            Spec::default(),
        )
        .map_err(|e| Error::Numerical(format!("eigh of a {n}x{n} matrix: {e:?}")))?;
    }
    let values = (0..n).map(|i| s[i]).collect();
    Ok(Eigh { values, vectors })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    fn random(m: usize, n: usize, seed: u64) -> DMatrix<f64> {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        DMatrix::from_fn(m, n, |_, _| rng.random_range(-1.0..1.0))
    }

    fn orthonormal_columns(q: &DMatrix<f64>) -> f64 {
        (q.transpose() * q - DMatrix::identity(q.ncols(), q.ncols())).norm()
    }

    #[test]
    fn qr_and_lq_reconstruct() {
        for &(m, n) in &[(7, 3), (3, 7), (5, 5), (1, 4), (40, 33)] {
            let a = random(m, n, (m * 100 + n) as u64);
            let (q, r) = qr_thin(a.as_view()).unwrap();
            assert!((&q * &r - &a).norm() < 1e-13 * a.norm().max(1.0));
            assert!(orthonormal_columns(&q) < 1e-13);
            for i in 0..r.nrows() {
                for j in 0..i.min(r.ncols()) {
                    assert_eq!(r[(i, j)], 0.0);
                }
            }
            let (l, q) = lq_thin(a.as_view()).unwrap();
            assert!((&l * &q - &a).norm() < 1e-13 * a.norm().max(1.0));
            assert!(orthonormal_columns(&q.transpose()) < 1e-13);
        }
    }

    #[test]
    fn svd_matches_nalgebra() {
        let a = random(30, 12, 3);
        let svd = svd_thin(a.as_view()).unwrap();
        let reference = a.clone().svd(false, false).singular_values;
        let mut want: Vec<f64> = reference.iter().copied().collect();
        want.sort_by(|x, y| y.partial_cmp(x).unwrap());
        for (x, y) in svd.s.iter().zip(&want) {
            assert!((x - y).abs() < 1e-12);
        }
        assert!(
            (&svd.u * DMatrix::from_diagonal(&svd.s.clone().into()) * svd.v.transpose() - &a)
                .norm()
                < 1e-12
        );
        assert!((svd.u_s() * svd.v.transpose() - &a).norm() < 1e-12);
        assert!((&svd.u * svd.s_vt() - &a).norm() < 1e-12);
    }

    #[test]
    fn truncated_svd_error_equals_discarded_weight() {
        let a = random(20, 15, 9);
        let (svd, discarded) =
            svd_truncated(a.as_view(), &Truncation::rank(5).unwrap(), 0.0).unwrap();
        assert_eq!(svd.s.len(), 5);
        let err = (&svd.u * svd.s_vt() - &a).norm();
        assert!((err * err - discarded).abs() < 1e-10);
    }

    #[test]
    fn qr_drops_repeated_directions() {
        let half = random(256, 64, 31);
        let a = DMatrix::from_fn(256, 128, |i, j| half[(i, j % 64)]);
        let (q, r) = qr_thin(a.as_view()).unwrap();
        assert_eq!(q.ncols(), 64);
        assert!((&q * &r - &a).norm() < 1e-13 * a.norm());
        assert!(orthonormal_columns(&q) < 1e-13);
        let (l, q) = lq_thin(a.transpose().as_view()).unwrap();
        assert_eq!(q.nrows(), 64);
        assert!((&l * &q - a.transpose()).norm() < 1e-13 * a.norm());
        let zero = DMatrix::<f64>::zeros(5, 3);
        let (q, r) = qr_thin(zero.as_view()).unwrap();
        assert_eq!((q.ncols(), r.nrows()), (1, 1));
        assert_eq!(&q * &r, zero);
    }

    #[test]
    fn rank_deficient_spectra_are_accurate() {
        // the case that breaks faer's divide and conquer: rank 64 in 128 x 128
        let a = random(128, 64, 21) * random(64, 128, 22);
        let svd = svd_thin(a.as_view()).unwrap();
        assert!(svd.s[64] < 1e-12 * svd.s[0], "s[64] = {:e}", svd.s[64]);
        let mut want: Vec<f64> = a
            .clone()
            .svd(false, false)
            .singular_values
            .iter()
            .copied()
            .collect();
        want.sort_by(|x, y| y.partial_cmp(x).unwrap());
        for k in 0..64 {
            assert!((svd.s[k] - want[k]).abs() < 1e-12 * want[0], "k = {k}");
        }
        let b = random(200, 90, 23);
        let g = &b * b.transpose();
        let e = eigh(g.as_view()).unwrap();
        let top = e.values[199];
        assert!(e.values[..110].iter().all(|v| v.abs() < 1e-12 * top));
        let rec =
            &e.vectors * DMatrix::from_diagonal(&e.values.clone().into()) * e.vectors.transpose();
        assert!((rec - &g).norm() < 1e-12 * g.norm());
    }

    #[test]
    fn eigh_reconstructs() {
        let b = random(9, 9, 4);
        let a = &b + b.transpose();
        let e = eigh(a.as_view()).unwrap();
        assert!(e.values.windows(2).all(|w| w[0] <= w[1]));
        let rec =
            &e.vectors * DMatrix::from_diagonal(&e.values.clone().into()) * e.vectors.transpose();
        assert!((rec - &a).norm() < 1e-12);
        assert!(eigh(random(2, 3, 1).as_view()).is_err());
    }

    #[test]
    fn non_finite_input_is_an_error() {
        let mut a = random(4, 4, 2);
        a[(1, 2)] = f64::NAN;
        assert!(matches!(svd_thin(a.as_view()), Err(Error::NonFinite(_))));
        assert!(matches!(qr_thin(a.as_view()), Err(Error::NonFinite(_))));
    }
}
