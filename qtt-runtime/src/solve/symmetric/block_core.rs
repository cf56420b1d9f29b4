//! Block-sparse MPS cores with U(1) charges and the two-site wavefunction.
//!
//! A core holds one dense matrix per allowed `(left sector, physical state)`
//! pair: block `(l, s, r)` is `d_l x d_r` with `q_l + q_s = q_r`. Every
//! allowed block is stored (zeros included), so a flattened core is a
//! vector in the charge sector and the local eigensolver may fill any of it.

use super::charges::Sectors;
use crate::error::Result;
use crate::linalg::{gemm, Transpose};
use crate::tt::{Core, TensorTrain};
use nalgebra::DMatrix;

/// One dense block of a core: sectors `l`, `r` and physical state `s`.
#[derive(Debug, Clone)]
pub(crate) struct Block {
    pub l: usize,
    pub s: usize,
    pub r: usize,
    pub m: DMatrix<f64>,
}

/// A block-sparse core `(left bond, physical, right bond)`.
#[derive(Debug, Clone)]
pub(crate) struct BlockCore {
    pub left: Sectors,
    pub right: Sectors,
    /// Charges of the physical states.
    pub q: Vec<i32>,
    /// All allowed blocks, ordered by `(l, s)`.
    pub blocks: Vec<Block>,
    /// `index[l * n + s]`: the block of `(l, s)`, if its right sector exists.
    pub index: Vec<Option<usize>>,
}

impl BlockCore {
    /// The core with every allowed block zero.
    pub fn zeros(left: Sectors, right: Sectors, q: Vec<i32>) -> Self {
        let n = q.len();
        let mut blocks = Vec::new();
        let mut index = vec![None; left.len() * n];
        for l in 0..left.len() {
            for s in 0..n {
                if let Some(r) = right.find(left.q[l] + q[s]) {
                    index[l * n + s] = Some(blocks.len());
                    blocks.push(Block {
                        l,
                        s,
                        r,
                        m: DMatrix::zeros(left.dim[l], right.dim[r]),
                    });
                }
            }
        }
        Self {
            left,
            right,
            q,
            blocks,
            index,
        }
    }

    /// Local dimension.
    pub fn n(&self) -> usize {
        self.q.len()
    }

    /// The block of `(l, s)`.
    #[inline]
    pub fn block(&self, l: usize, s: usize) -> Option<&Block> {
        self.index[l * self.n() + s].map(|i| &self.blocks[i])
    }

    /// Number of stored entries.
    pub fn len(&self) -> usize {
        self.blocks.iter().map(|b| b.m.len()).sum()
    }

    /// The entries, block after block (column-major within a block).
    pub fn to_vec(&self) -> Vec<f64> {
        let mut v = Vec::with_capacity(self.len());
        for b in &self.blocks {
            v.extend_from_slice(b.m.as_slice());
        }
        v
    }

    /// Overwrites the entries from a vector laid out as [`to_vec`](Self::to_vec).
    pub fn fill(&mut self, v: &[f64]) {
        let mut o = 0;
        for b in &mut self.blocks {
            let len = b.m.len();
            b.m.as_mut_slice().copy_from_slice(&v[o..o + len]);
            o += len;
        }
    }

    /// The same tensor as a dense TT core (sectors placed in order).
    pub fn to_dense(&self) -> Result<Core> {
        let (lo, ro) = (self.left.offsets(), self.right.offsets());
        let (rl, n, rr) = (self.left.total(), self.n(), self.right.total());
        let mut data = vec![0.0; rl * n * rr];
        for b in &self.blocks {
            for c in 0..b.m.ncols() {
                for r in 0..b.m.nrows() {
                    data[lo[b.l] + r + rl * (b.s + n * (ro[b.r] + c))] = b.m[(r, c)];
                }
            }
        }
        Core::new(rl, n, rr, data)
    }

    /// Scales every entry.
    pub fn scale(&mut self, a: f64) {
        self.blocks.iter_mut().for_each(|b| b.m *= a);
    }

    /// The Frobenius norm.
    pub fn norm(&self) -> f64 {
        self.blocks
            .iter()
            .map(|b| b.m.norm_squared())
            .sum::<f64>()
            .sqrt()
    }
}

/// The two-site wavefunction `theta(l, s1 + n1 s2, r) = A(l, s1, m) B(m, s2, r)`
/// with every allowed block of the fused site present.
pub(crate) fn two_site(a: &BlockCore, b: &BlockCore) -> BlockCore {
    let (n1, n2) = (a.n(), b.n());
    let q: Vec<i32> = (0..n1 * n2).map(|s| a.q[s % n1] + b.q[s / n1]).collect();
    let mut theta = BlockCore::zeros(a.left.clone(), b.right.clone(), q);
    for t in &mut theta.blocks {
        let (s1, s2) = (t.s % n1, t.s / n1);
        let Some(x) = a.block(t.l, s1) else { continue };
        let Some(y) = b.block(x.r, s2) else { continue };
        gemm(
            1.0,
            x.m.as_view(),
            Transpose::No,
            y.m.as_view(),
            Transpose::No,
            false,
            t.m.as_view_mut(),
        )
        .expect("two-site block shapes agree");
    }
    theta
}

/// The dense tensor train of block cores; `centre`: the orthogonality
/// centre the block cores already have (the embedding keeps orthonormality).
pub(crate) fn to_dense(cores: &[BlockCore], centre: Option<usize>) -> Result<TensorTrain> {
    let mut tt = TensorTrain::new(cores.iter().map(|c| c.to_dense()).collect::<Result<_>>()?)?;
    tt.center = centre;
    Ok(tt)
}
