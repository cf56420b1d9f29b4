//! The TT matrix (MPO): a tensor train whose modes are (row, column) pairs.

use super::{Core, TensorTrain};
use crate::error::{Error, Result};
use crate::linalg::Truncation;
use nalgebra::DMatrix;

/// A TT matrix `A(i, j) = A_1(i_1, j_1) ... A_d(i_d, j_d)`.
///
/// Core `k` is `(r_left, rows_k, cols_k, r_right)` column-major, i.e. a TT
/// core of mode size `rows_k cols_k` with fused index `i_k + rows_k j_k`.
/// Dense row and column indices are column-major over the sites (site 0
/// fastest), matching [`TensorTrain::to_dense`].
#[derive(Debug, Clone, PartialEq)]
pub struct TtMatrix {
    pub(crate) tt: TensorTrain,
    pub(crate) rows: Vec<usize>,
    pub(crate) cols: Vec<usize>,
}

impl TtMatrix {
    /// A TT matrix from cores of mode size `rows[k] * cols[k]`.
    pub fn new(cores: Vec<Core>, rows: &[usize], cols: &[usize]) -> Result<Self> {
        Self::from_train(TensorTrain::new(cores)?, rows, cols)
    }

    /// Reinterprets a tensor train with fused modes as a TT matrix.
    pub fn from_train(tt: TensorTrain, rows: &[usize], cols: &[usize]) -> Result<Self> {
        if rows.len() != tt.len() || cols.len() != tt.len() {
            return Err(Error::shape(format!(
                "{} cores need {} row and column sizes, got {} and {}",
                tt.len(),
                tt.len(),
                rows.len(),
                cols.len()
            )));
        }
        for (k, c) in tt.cores().iter().enumerate() {
            if rows[k] * cols[k] != c.n() {
                return Err(Error::shape(format!(
                    "core {k} has mode size {}, expected rows {} x cols {}",
                    c.n(),
                    rows[k],
                    cols[k]
                )));
            }
        }
        Ok(Self {
            tt,
            rows: rows.to_vec(),
            cols: cols.to_vec(),
        })
    }

    /// The rank-1 Kronecker product `M_1 (x) M_2 (x) ... (x) M_d` of small
    /// dense matrices (`M_1` acts on site 0).
    pub fn kron(factors: &[DMatrix<f64>]) -> Result<Self> {
        if factors.is_empty() {
            return Err(Error::shape("kron needs at least one factor"));
        }
        let rows: Vec<usize> = factors.iter().map(|m| m.nrows()).collect();
        let cols: Vec<usize> = factors.iter().map(|m| m.ncols()).collect();
        let cores = factors
            .iter()
            .map(|m| Core::new(1, m.nrows() * m.ncols(), 1, m.as_slice().to_vec()))
            .collect::<Result<Vec<_>>>()?;
        Self::new(cores, &rows, &cols)
    }

    /// The zero matrix (rank 1) with the given row and column mode sizes.
    pub fn zeros(rows: &[usize], cols: &[usize]) -> Result<Self> {
        let fused = Self::fused_modes(rows, cols)?;
        Self::from_train(TensorTrain::zeros(&fused)?, rows, cols)
    }

    /// A seeded random TT matrix (entries uniform in (-1, 1)), all interior
    /// ranks equal to `rank`.
    pub fn random(rows: &[usize], cols: &[usize], rank: usize, seed: u64) -> Result<Self> {
        let fused = Self::fused_modes(rows, cols)?;
        Self::from_train(TensorTrain::random(&fused, rank, seed)?, rows, cols)
    }

    /// TT-SVD of a dense matrix whose row and column indices are
    /// column-major over the sites (site 0 fastest), as [`Self::to_dense`].
    pub fn from_dense(
        m: &DMatrix<f64>,
        rows: &[usize],
        cols: &[usize],
        trunc: &Truncation,
    ) -> Result<Self> {
        let fused = Self::fused_modes(rows, cols)?;
        let (nr, nc): (usize, usize) = (rows.iter().product(), cols.iter().product());
        if m.shape() != (nr, nc) {
            return Err(Error::shape(format!(
                "a {}x{} matrix for row modes {rows:?} and column modes {cols:?} ({nr}x{nc})",
                m.nrows(),
                m.ncols()
            )));
        }
        let mut data = vec![0.0; nr * nc];
        for (lin, v) in data.iter_mut().enumerate() {
            let (mut rem, mut r, mut c, mut sr, mut sc) = (lin, 0, 0, 1, 1);
            for k in 0..rows.len() {
                let q = rem % fused[k];
                rem /= fused[k];
                r += sr * (q % rows[k]);
                c += sc * (q / rows[k]);
                sr *= rows[k];
                sc *= cols[k];
            }
            *v = m[(r, c)];
        }
        Self::from_train(TensorTrain::from_dense(&data, &fused, trunc)?, rows, cols)
    }

    fn fused_modes(rows: &[usize], cols: &[usize]) -> Result<Vec<usize>> {
        if rows.len() != cols.len() {
            return Err(Error::shape(format!(
                "{} row modes and {} column modes",
                rows.len(),
                cols.len()
            )));
        }
        let fused: Vec<usize> = rows.iter().zip(cols).map(|(r, c)| r * c).collect();
        super::train::check_modes(&fused)?;
        Ok(fused)
    }

    /// The identity on the given mode sizes (rank 1).
    pub fn identity(modes: &[usize]) -> Result<Self> {
        super::train::check_modes(modes)?;
        Self::kron(
            &modes
                .iter()
                .map(|&n| DMatrix::identity(n, n))
                .collect::<Vec<_>>(),
        )
    }

    /// The diagonal matrix `diag(v)` of a tensor train (same ranks as `v`).
    pub fn diag(v: &TensorTrain) -> Self {
        let cores = v
            .cores()
            .iter()
            .map(|c| {
                let (rl, n, rr) = c.shape();
                let mut out = Core::zeros(rl, n * n, rr);
                for b in 0..rr {
                    for i in 0..n {
                        for a in 0..rl {
                            *out.get_mut(a, i + n * i, b) = c.get(a, i, b);
                        }
                    }
                }
                out
            })
            .collect();
        let modes = v.modes();
        Self {
            tt: TensorTrain::from_cores_unchecked(cores),
            rows: modes.clone(),
            cols: modes,
        }
    }

    /// Number of sites.
    pub fn len(&self) -> usize {
        self.tt.len()
    }
    /// Always false: a TT matrix has at least one core.
    pub fn is_empty(&self) -> bool {
        false
    }
    /// Row mode sizes.
    pub fn rows(&self) -> &[usize] {
        &self.rows
    }
    /// Column mode sizes.
    pub fn cols(&self) -> &[usize] {
        &self.cols
    }
    /// Ranks `1, r_1, ..., 1`.
    pub fn ranks(&self) -> Vec<usize> {
        self.tt.ranks()
    }
    /// The largest rank.
    pub fn max_rank(&self) -> usize {
        self.tt.max_rank()
    }
    /// The underlying train with fused modes.
    pub fn train(&self) -> &TensorTrain {
        &self.tt
    }
    /// Consumes into the underlying train.
    pub fn into_train(self) -> TensorTrain {
        self.tt
    }
    /// Core `k` as a TT core of fused mode size.
    pub fn core(&self, k: usize) -> &Core {
        self.tt.core(k)
    }
    /// Entry `(a, i, j, b)` of core `k`.
    pub fn core_entry(&self, k: usize, a: usize, i: usize, j: usize, b: usize) -> f64 {
        self.tt.core(k).get(a, i + self.rows[k] * j, b)
    }

    /// The matrix entry at row multi-index `i` and column multi-index `j`.
    pub fn eval(&self, i: &[usize], j: &[usize]) -> Result<f64> {
        if i.len() != self.len() || j.len() != self.len() {
            return Err(Error::shape(format!(
                "row and column indices need {} entries each, got {} and {}",
                self.len(),
                i.len(),
                j.len()
            )));
        }
        let mut fused = Vec::with_capacity(self.len());
        for k in 0..self.len() {
            if i[k] >= self.rows[k] || j[k] >= self.cols[k] {
                return Err(Error::invalid(format!(
                    "index ({}, {}) out of range at site {k} of size {}x{}",
                    i[k], j[k], self.rows[k], self.cols[k]
                )));
            }
            fused.push(i[k] + self.rows[k] * j[k]);
        }
        Ok(self.tt.eval_unchecked(&fused))
    }

    /// The dense matrix, guarded by [`super::DEFAULT_DENSE_LIMIT`] entries.
    pub fn to_dense(&self) -> Result<DMatrix<f64>> {
        let fused = self.tt.to_dense()?;
        let nr: usize = self.rows.iter().product();
        let nc: usize = self.cols.iter().product();
        let mut out = DMatrix::zeros(nr, nc);
        for (lin, v) in fused.into_iter().enumerate() {
            let (mut rem, mut r, mut c, mut sr, mut sc) = (lin, 0, 0, 1, 1);
            for k in 0..self.len() {
                let f = self.rows[k] * self.cols[k];
                let q = rem % f;
                rem /= f;
                r += sr * (q % self.rows[k]);
                c += sc * (q / self.rows[k]);
                sr *= self.rows[k];
                sc *= self.cols[k];
            }
            out[(r, c)] = v;
        }
        Ok(out)
    }

    /// The transpose (rows and columns swapped in every core).
    pub fn transpose(&self) -> Self {
        let cores = (0..self.len())
            .map(|k| {
                let c = self.tt.core(k);
                let (rl, _, rr) = c.shape();
                let (m, n) = (self.rows[k], self.cols[k]);
                let mut out = Core::zeros(rl, m * n, rr);
                for b in 0..rr {
                    for j in 0..n {
                        for i in 0..m {
                            for a in 0..rl {
                                *out.get_mut(a, j + n * i, b) = c.get(a, i + m * j, b);
                            }
                        }
                    }
                }
                out
            })
            .collect();
        Self {
            tt: TensorTrain::from_cores_unchecked(cores),
            rows: self.cols.clone(),
            cols: self.rows.clone(),
        }
    }

    fn check_same_shape(&self, other: &Self, what: &str) -> Result<()> {
        if self.rows != other.rows || self.cols != other.cols {
            return Err(Error::shape(format!(
                "{what}: shapes {:?}x{:?} and {:?}x{:?} differ",
                self.rows, self.cols, other.rows, other.cols
            )));
        }
        Ok(())
    }

    /// `self + other` (ranks add).
    pub fn add(&self, other: &Self) -> Result<Self> {
        self.check_same_shape(other, "add")?;
        Ok(Self {
            tt: self.tt.add(&other.tt)?,
            rows: self.rows.clone(),
            cols: self.cols.clone(),
        })
    }

    /// `alpha self`.
    pub fn scaled(&self, alpha: f64) -> Self {
        Self {
            tt: self.tt.scaled(alpha),
            rows: self.rows.clone(),
            cols: self.cols.clone(),
        }
    }

    /// A rounded copy (TT rounding of the fused train; Frobenius bound).
    pub fn round(&self, trunc: &Truncation) -> Result<Self> {
        Ok(Self {
            tt: self.tt.round(trunc)?,
            rows: self.rows.clone(),
            cols: self.cols.clone(),
        })
    }

    /// The Frobenius norm.
    pub fn norm(&self) -> f64 {
        self.tt.norm()
    }

    /// The Kronecker product `self (x) other` as a TT matrix on the sites of
    /// `self` followed by the sites of `other` (ranks joined by a 1-bond).
    pub fn kron_sites(&self, other: &Self) -> Self {
        let mut cores = self.tt.cores().to_vec();
        cores.extend_from_slice(other.tt.cores());
        let mut rows = self.rows.clone();
        rows.extend_from_slice(&other.rows);
        let mut cols = self.cols.clone();
        cols.extend_from_slice(&other.cols);
        Self {
            tt: TensorTrain::from_cores_unchecked(cores),
            rows,
            cols,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kron_matches_dense_kronecker() {
        let a = DMatrix::from_row_slice(2, 2, &[1.0, 2.0, 3.0, 4.0]);
        let b = DMatrix::from_row_slice(3, 2, &[0.0, 1.0, -1.0, 2.0, 5.0, 0.5]);
        let m = TtMatrix::kron(&[a.clone(), b.clone()])
            .unwrap()
            .to_dense()
            .unwrap();
        // site 0 fastest: dense = b (x) a in the usual (slowest-first) Kronecker order
        assert_eq!(m, b.kronecker(&a));
        assert_eq!(
            m.transpose(),
            TtMatrix::kron(&[a, b])
                .unwrap()
                .transpose()
                .to_dense()
                .unwrap()
        );
    }

    #[test]
    fn dense_round_trip_zeros_and_random() {
        let a = TtMatrix::random(&[2, 3, 2], &[3, 2, 2], 2, 4).unwrap();
        let d = a.to_dense().unwrap();
        let b = TtMatrix::from_dense(&d, &[2, 3, 2], &[3, 2, 2], &Truncation::exact()).unwrap();
        assert!((b.to_dense().unwrap() - &d).norm() < 1e-12 * d.norm());
        assert!(b.max_rank() <= 2, "{:?}", b.ranks());
        assert_eq!(
            TtMatrix::zeros(&[2], &[3]).unwrap().to_dense().unwrap(),
            DMatrix::zeros(2, 3)
        );
        assert!(TtMatrix::zeros(&[2], &[3, 1]).is_err());
        assert!(TtMatrix::from_dense(&d, &[2, 3], &[3, 2], &Truncation::exact()).is_err());
    }

    #[test]
    fn diag_identity_and_errors() {
        let v = TensorTrain::random(&[2, 3], 2, 1).unwrap();
        let d = TtMatrix::diag(&v).to_dense().unwrap();
        let dv = v.to_dense().unwrap();
        for i in 0..6 {
            assert!((d[(i, i)] - dv[i]).abs() < 1e-15);
        }
        let id = TtMatrix::identity(&[2, 3]).unwrap().to_dense().unwrap();
        assert_eq!(id, DMatrix::identity(6, 6));
        assert!(TtMatrix::from_train(v.clone(), &[2, 3], &[1, 2]).is_err());
        assert!(TtMatrix::from_train(v, &[2], &[1]).is_err());
        let e = TtMatrix::identity(&[2, 2]).unwrap();
        assert!(e.eval(&[0, 2], &[0, 0]).is_err());
        assert_eq!(e.eval(&[1, 0], &[1, 0]).unwrap(), 1.0);
    }
}
