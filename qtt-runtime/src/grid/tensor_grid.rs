//! Multi-dimensional grids: binary (quantized) axes mixed with discrete
//! modes, laid out on QTT sites in sequential or interleaved bit order, and
//! the embedding of one-axis vectors and operators into the full grid.

use super::Grid1d;
use crate::error::{check_finite, Error, Result};
use crate::linalg::{permute, Truncation};
use crate::tt::{Core, TensorTrain, TtMatrix};
use nalgebra::DMatrix;

/// One axis of a [`Grid`].
#[derive(Debug, Clone, PartialEq)]
pub enum Axis {
    /// A uniform grid of `2^L` points, `L` binary sites.
    Binary(Grid1d),
    /// A discrete mode (income states, asset types): one site of size
    /// `values.len()`, with the value attached to each state.
    Discrete(Vec<f64>),
}

impl Axis {
    /// Number of points (`2^L` for a binary axis, the states of a discrete one).
    pub fn len(&self) -> u64 {
        match self {
            Axis::Binary(g) => g.len(),
            Axis::Discrete(v) => v.len() as u64,
        }
    }
    /// Always false for a valid axis.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    fn levels(&self) -> usize {
        match self {
            Axis::Binary(g) => g.bits() as usize,
            Axis::Discrete(_) => 1,
        }
    }
}

/// How the sites of several axes are ordered along the train.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BitOrder {
    /// All sites of axis 0 (most significant first), then axis 1, ...
    Sequential,
    /// Level by level: bit 0 of every axis, then bit 1 of every axis, ...
    /// (axes with fewer levels drop out; a discrete axis sits at level 0).
    /// Keeps correlated coordinates close on the train.
    Interleaved,
}

/// Where a site lives: its axis and its level (bit position, 0 = most
/// significant; always 0 for a discrete axis).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Site {
    /// The axis.
    pub axis: usize,
    /// The bit level within the axis.
    pub level: usize,
}

/// A tensor-product grid of [`Axis`]es laid out on QTT sites.
///
/// Plain dense vectors in **grid order** are column-major over the axes
/// (axis 0 fastest), each axis indexed by its grid index.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    axes: Vec<Axis>,
    order: BitOrder,
    sites: Vec<Site>,
}

impl From<Grid1d> for Grid {
    fn from(g: Grid1d) -> Self {
        Grid::new(vec![Axis::Binary(g)], BitOrder::Sequential).expect("one binary axis is valid")
    }
}

impl Grid {
    /// A grid of the given axes in the given bit order.
    pub fn new(axes: Vec<Axis>, order: BitOrder) -> Result<Self> {
        if axes.is_empty() {
            return Err(Error::shape("a grid needs at least one axis"));
        }
        for (d, a) in axes.iter().enumerate() {
            if let Axis::Discrete(v) = a {
                if v.is_empty() {
                    return Err(Error::shape(format!(
                        "discrete axis {d} has no states, expected at least 1"
                    )));
                }
                check_finite(&format!("values of discrete axis {d}"), v)?;
            }
        }
        let mut sites = Vec::new();
        match order {
            BitOrder::Sequential => {
                for (axis, a) in axes.iter().enumerate() {
                    sites.extend((0..a.levels()).map(|level| Site { axis, level }));
                }
            }
            BitOrder::Interleaved => {
                let depth = axes.iter().map(Axis::levels).max().unwrap_or(0);
                for level in 0..depth {
                    for (axis, a) in axes.iter().enumerate() {
                        if level < a.levels() {
                            sites.push(Site { axis, level });
                        }
                    }
                }
            }
        }
        Ok(Self { axes, order, sites })
    }

    /// The axes.
    pub fn axes(&self) -> &[Axis] {
        &self.axes
    }
    /// The bit order.
    pub fn order(&self) -> BitOrder {
        self.order
    }
    /// The site layout: `sites()[k]` says which axis and level site `k` holds.
    pub fn sites(&self) -> &[Site] {
        &self.sites
    }
    /// Number of QTT sites.
    pub fn num_sites(&self) -> usize {
        self.sites.len()
    }
    /// The QTT mode sizes.
    pub fn modes(&self) -> Vec<usize> {
        self.sites
            .iter()
            .map(|s| match &self.axes[s.axis] {
                Axis::Binary(_) => 2,
                Axis::Discrete(v) => v.len(),
            })
            .collect()
    }
    /// Total number of grid points, saturating.
    pub fn num_points(&self) -> u128 {
        self.axes
            .iter()
            .fold(1u128, |acc, a| acc.saturating_mul(a.len() as u128))
    }

    pub(crate) fn check_axis(&self, axis: usize) -> Result<&Axis> {
        self.axes.get(axis).ok_or_else(|| {
            Error::invalid(format!(
                "axis {axis} out of range for a grid of {} axes",
                self.axes.len()
            ))
        })
    }

    /// The binary grid of `axis`, or an error naming a discrete axis.
    pub fn binary_axis(&self, axis: usize) -> Result<&Grid1d> {
        match self.check_axis(axis)? {
            Axis::Binary(g) => Ok(g),
            Axis::Discrete(v) => Err(Error::invalid(format!(
                "axis {axis} is discrete ({} states), expected a binary grid axis",
                v.len()
            ))),
        }
    }

    /// The QTT multi-index of the grid point with per-axis indices `idx`.
    pub fn site_index(&self, idx: &[u64]) -> Result<Vec<usize>> {
        if idx.len() != self.axes.len() {
            return Err(Error::shape(format!(
                "{} axis indices given for a grid of {} axes",
                idx.len(),
                self.axes.len()
            )));
        }
        for (d, (&i, a)) in idx.iter().zip(&self.axes).enumerate() {
            if i >= a.len() {
                return Err(Error::invalid(format!(
                    "index {i} out of range for axis {d} of {} points",
                    a.len()
                )));
            }
        }
        Ok(self
            .sites
            .iter()
            .map(|s| match &self.axes[s.axis] {
                Axis::Binary(g) => {
                    ((idx[s.axis] >> (g.bits() as usize - 1 - s.level)) & 1) as usize
                }
                Axis::Discrete(_) => idx[s.axis] as usize,
            })
            .collect())
    }

    /// The coordinates of the grid point with per-axis indices `idx`.
    pub fn point(&self, idx: &[u64]) -> Result<Vec<f64>> {
        self.site_index(idx)?;
        Ok(idx
            .iter()
            .zip(&self.axes)
            .map(|(&i, a)| match a {
                Axis::Binary(g) => g.coordinate_unchecked(i),
                Axis::Discrete(v) => v[i as usize],
            })
            .collect())
    }

    /// Inserts, between the sites of `axis`, pass-through cores that carry
    /// the bond unchanged: `other(bond)` builds the core of a foreign site of
    /// mode size `n` for bond rank `r`.
    fn embed_cores(
        &self,
        axis: usize,
        own: &[Core],
        other: impl Fn(usize, usize) -> Core,
    ) -> Result<Vec<Core>> {
        let want = self.check_axis(axis)?.levels();
        if own.len() != want {
            return Err(Error::shape(format!(
                "axis {axis} has {want} sites, the object to embed has {}",
                own.len()
            )));
        }
        let modes = self.modes();
        let mut out = Vec::with_capacity(self.sites.len());
        let mut bond = 1;
        for (k, s) in self.sites.iter().enumerate() {
            if s.axis == axis {
                let c = own[s.level].clone();
                bond = c.r_right();
                out.push(c);
            } else {
                out.push(other(bond, modes[k]));
            }
        }
        Ok(out)
    }

    /// A vector on one axis (a train over that axis's sites, or a single
    /// core of the discrete size) extended to the grid, constant along the
    /// other axes; ranks are unchanged.
    pub fn embed_vector(&self, axis: usize, v: &TensorTrain) -> Result<TensorTrain> {
        let cores = self.embed_cores(axis, v.cores(), |r, n| {
            let mut c = Core::zeros(r, n, r);
            for a in 0..r {
                for i in 0..n {
                    *c.get_mut(a, i, a) = 1.0;
                }
            }
            c
        })?;
        self.check_modes_of(axis, &v.modes())?;
        TensorTrain::new(cores)
    }

    /// An operator on one axis extended to the grid as `I (x) A (x) I`;
    /// ranks are unchanged.
    pub fn embed_operator(&self, axis: usize, a: &TtMatrix) -> Result<TtMatrix> {
        if a.rows() != a.cols() {
            return Err(Error::shape(format!(
                "operator on axis {axis} is not square: {:?} x {:?}",
                a.rows(),
                a.cols()
            )));
        }
        self.check_modes_of(axis, a.rows())?;
        let cores = self.embed_cores(axis, a.train().cores(), |r, n| {
            let mut c = Core::zeros(r, n * n, r);
            for a in 0..r {
                for i in 0..n {
                    *c.get_mut(a, i + n * i, a) = 1.0;
                }
            }
            c
        })?;
        let modes = self.modes();
        TtMatrix::new(cores, &modes, &modes)
    }

    fn check_modes_of(&self, axis: usize, modes: &[usize]) -> Result<()> {
        let want: Vec<usize> = self
            .sites
            .iter()
            .zip(self.modes())
            .filter(|(s, _)| s.axis == axis)
            .map(|(_, n)| n)
            .collect();
        if want != modes {
            return Err(Error::shape(format!(
                "axis {axis} has modes {want:?}, the object to embed has {modes:?}"
            )));
        }
        Ok(())
    }

    /// The dense matrix `m` (e.g. a Poisson jump intensity matrix between
    /// income states) acting on discrete `axis`, identity elsewhere (rank 1).
    pub fn discrete_operator(&self, axis: usize, m: &DMatrix<f64>) -> Result<TtMatrix> {
        let n = match self.check_axis(axis)? {
            Axis::Discrete(v) => v.len(),
            Axis::Binary(g) => {
                return Err(Error::invalid(format!(
                    "axis {axis} is binary (2^{} points), a dense matrix needs a discrete axis",
                    g.bits()
                )))
            }
        };
        if m.nrows() != n || m.ncols() != n {
            return Err(Error::shape(format!(
                "matrix on axis {axis} is {}x{}, the axis has {n} states",
                m.nrows(),
                m.ncols()
            )));
        }
        check_finite(&format!("matrix on axis {axis}"), m.as_slice())?;
        self.embed_operator(axis, &TtMatrix::kron(std::slice::from_ref(m))?)
    }

    /// The Kronecker sum `sum_d I (x) A_d (x) I` of one operator per listed
    /// axis, compressed to its minimal ranks (exact rounding).
    pub fn kron_sum(&self, terms: &[(usize, TtMatrix)]) -> Result<TtMatrix> {
        let mut acc: Option<TtMatrix> = None;
        for (axis, a) in terms {
            let e = self.embed_operator(*axis, a)?;
            acc = Some(match acc {
                None => e,
                Some(s) => s.add(&e)?,
            });
        }
        acc.ok_or_else(|| Error::shape("a Kronecker sum needs at least one term"))?
            .round(&Truncation::exact())
    }

    /// The Kronecker product `A_1 (x) ... (x) A_k` of operators on distinct
    /// axes (identity on the others), e.g. the mixed derivative
    /// `D_x (x) D_y`; ranks multiply only where the axes' sites interleave.
    pub fn kron_product(&self, factors: &[(usize, TtMatrix)]) -> Result<TtMatrix> {
        let mut seen = vec![false; self.axes.len()];
        let mut acc: Option<TtMatrix> = None;
        for (axis, a) in factors {
            self.check_axis(*axis)?;
            if std::mem::replace(&mut seen[*axis], true) {
                return Err(Error::invalid(format!(
                    "axis {axis} appears twice in a Kronecker product, expected distinct axes"
                )));
            }
            let e = self.embed_operator(*axis, a)?;
            acc = Some(match acc {
                None => e,
                Some(p) => p.matmul(&e)?,
            });
        }
        acc.ok_or_else(|| Error::shape("a Kronecker product needs at least one factor"))?
            .round(&Truncation::exact())
    }

    /// The order in which the QTT dense form's axes (sites) must be read to
    /// give grid order: per axis, least significant site first.
    fn grid_order_perm(&self) -> Vec<usize> {
        let mut perm = Vec::with_capacity(self.sites.len());
        for axis in 0..self.axes.len() {
            let mut own: Vec<(usize, usize)> = self
                .sites
                .iter()
                .enumerate()
                .filter(|(_, s)| s.axis == axis)
                .map(|(k, s)| (s.level, k))
                .collect();
            own.sort_unstable_by_key(|&(level, _)| std::cmp::Reverse(level));
            perm.extend(own.into_iter().map(|(_, k)| k));
        }
        perm
    }

    fn check_train(&self, modes: &[usize], what: &str) -> Result<()> {
        if modes != self.modes() {
            return Err(Error::shape(format!(
                "{what} has modes {modes:?}, the grid has {:?}",
                self.modes()
            )));
        }
        Ok(())
    }

    /// The plain dense vector of a QTT on this grid, in grid order
    /// (guarded by the dense size limit).
    pub fn to_vector(&self, x: &TensorTrain) -> Result<Vec<f64>> {
        self.check_train(&x.modes(), "the tensor train")?;
        let dense = x.to_dense()?;
        Ok(permute(&dense, &self.modes(), &self.grid_order_perm()))
    }

    /// The QTT of a plain dense vector in grid order (TT-SVD to `trunc`).
    pub fn from_vector(&self, v: &[f64], trunc: &Truncation) -> Result<TensorTrain> {
        if v.len() as u128 != self.num_points() {
            return Err(Error::shape(format!(
                "vector has {} entries, the grid has {} points",
                v.len(),
                self.num_points()
            )));
        }
        let perm = self.grid_order_perm();
        let modes = self.modes();
        let dims: Vec<usize> = perm.iter().map(|&k| modes[k]).collect();
        let mut inv = vec![0; perm.len()];
        for (j, &k) in perm.iter().enumerate() {
            inv[k] = j;
        }
        TensorTrain::from_dense(&permute(v, &dims, &inv), &modes, trunc)
    }

    /// The dense matrix of a QTT operator on this grid, rows and columns in
    /// grid order (guarded by the dense size limit).
    pub fn to_matrix(&self, a: &TtMatrix) -> Result<DMatrix<f64>> {
        self.check_train(a.rows(), "the operator's rows")?;
        self.check_train(a.cols(), "the operator's columns")?;
        let site_major = a.to_dense()?;
        let n = site_major.nrows();
        let ids: Vec<f64> = (0..n).map(|i| i as f64).collect();
        let at = permute(&ids, &self.modes(), &self.grid_order_perm());
        let at: Vec<usize> = at.into_iter().map(|v| v as usize).collect();
        Ok(DMatrix::from_fn(n, n, |r, c| site_major[(at[r], at[c])]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(order: BitOrder) -> Grid {
        Grid::new(
            vec![
                Axis::Binary(Grid1d::new(0.0, 1.0, 3).unwrap()),
                Axis::Discrete(vec![0.5, 1.0, 2.0]),
                Axis::Binary(Grid1d::new(-1.0, 1.0, 2).unwrap()),
            ],
            order,
        )
        .unwrap()
    }

    #[test]
    fn layouts() {
        let s = grid(BitOrder::Sequential);
        assert_eq!(s.modes(), vec![2, 2, 2, 3, 2, 2]);
        let i = grid(BitOrder::Interleaved);
        assert_eq!(i.modes(), vec![2, 3, 2, 2, 2, 2]);
        assert_eq!(i.sites()[2], Site { axis: 2, level: 0 });
        assert_eq!(i.sites()[5], Site { axis: 0, level: 2 });
        assert_eq!(i.num_points(), 96);
        assert_eq!(
            i.site_index(&[5, 2, 2]).unwrap(),
            vec![1, 2, 1, 0, 0, 1],
            "x0 = 101b, s = 2, x2 = 10b"
        );
        assert_eq!(i.point(&[7, 1, 0]).unwrap(), vec![1.0, 1.0, -1.0]);
    }

    #[test]
    fn vectors_round_trip_in_grid_order() {
        for order in [BitOrder::Sequential, BitOrder::Interleaved] {
            let g = grid(order);
            let v: Vec<f64> = (0..96).map(|i| (i as f64 * 0.37).sin()).collect();
            let x = g.from_vector(&v, &Truncation::exact()).unwrap();
            // entry (i0, s, i2) of the vector sits at i0 + 8 (s + 3 i2)
            for (i0, s, i2) in [(5u64, 2u64, 2u64), (0, 0, 3), (7, 1, 1)] {
                let want = v[(i0 + 8 * (s + 3 * i2)) as usize];
                let got = x.eval(&g.site_index(&[i0, s, i2]).unwrap()).unwrap();
                assert!((want - got).abs() < 1e-12);
            }
            let back = g.to_vector(&x).unwrap();
            for (a, b) in v.iter().zip(&back) {
                assert!((a - b).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn kron_product_of_axis_operators() {
        for order in [BitOrder::Sequential, BitOrder::Interleaved] {
            let g = grid(order);
            let a = TtMatrix::random(&[2, 2, 2], &[2, 2, 2], 2, 3).unwrap();
            let b = TtMatrix::random(&[2, 2], &[2, 2], 2, 4).unwrap();
            let q = DMatrix::from_row_slice(3, 3, &[1.0, 2.0, 0.0, 0.0, 1.0, -1.0, 3.0, 0.0, 1.0]);
            let qm = TtMatrix::kron(std::slice::from_ref(&q)).unwrap();
            let p = g
                .kron_product(&[(2, b.clone()), (0, a.clone()), (1, qm)])
                .unwrap();
            let dense1 = |m: &TtMatrix, bits: u32| {
                Grid::from(Grid1d::new(0.0, 1.0, bits).unwrap())
                    .to_matrix(m)
                    .unwrap()
            };
            let want = dense1(&b, 2).kronecker(&q).kronecker(&dense1(&a, 3));
            let got = g.to_matrix(&p).unwrap();
            assert!((got - &want).norm() < 1e-12 * want.norm(), "{order:?}");
            assert!(g.kron_product(&[(0, a.clone()), (0, a.clone())]).is_err());
            assert!(g.kron_product(&[]).is_err());
        }
    }

    #[test]
    fn discrete_operator_and_embedding() {
        for order in [BitOrder::Sequential, BitOrder::Interleaved] {
            let g = grid(order);
            let q =
                DMatrix::from_row_slice(3, 3, &[-0.3, 0.2, 0.1, 0.5, -0.5, 0.0, 0.0, 0.4, -0.4]);
            let a = g.to_matrix(&g.discrete_operator(1, &q).unwrap()).unwrap();
            // grid order: axis 0 fastest (8), then the 3 states, then axis 2 (4)
            let want = DMatrix::<f64>::identity(4, 4)
                .kronecker(&q)
                .kronecker(&DMatrix::identity(8, 8));
            assert!((a - want).norm() < 1e-14);
        }
        let g = grid(BitOrder::Sequential);
        assert!(g.discrete_operator(0, &DMatrix::identity(2, 2)).is_err());
        assert!(g.discrete_operator(1, &DMatrix::identity(2, 2)).is_err());
        assert!(g.discrete_operator(7, &DMatrix::identity(3, 3)).is_err());
        assert!(g.binary_axis(1).is_err());
        assert!(g.site_index(&[8, 0, 0]).is_err());
        assert!(g.site_index(&[0, 0]).is_err());
        assert!(g.from_vector(&[1.0; 5], &Truncation::exact()).is_err());
        assert!(Grid::new(vec![Axis::Discrete(vec![])], BitOrder::Sequential).is_err());
        assert!(Grid::new(vec![], BitOrder::Sequential).is_err());
        let one = TensorTrain::ones(&[2, 2]).unwrap();
        assert!(g.embed_vector(0, &one).is_err());
        assert!(g.to_vector(&one).is_err());
    }
}
