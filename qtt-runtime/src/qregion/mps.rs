//! The block-sparse constrained MPS and its elementary queries.

use super::ConstraintAutomaton;
use crate::error::{Error, Result};
use nalgebra::{DMatrix, DVector};
use std::sync::Arc;

/// A matrix product state whose links are split into QRegion sectors.
///
/// Site `s` (in the automaton's reading order) holds one dense block
/// `D_l x D_r` for each region `l` of link `s` and bit `x` whose transition
/// `l --x--> r` the automaton allows; every other block is structurally
/// zero, so every configuration with nonzero amplitude is feasible.
/// Sector dimensions (`D_l`, the degeneracies) start at 1 and change under
/// training and truncation; a sector of dimension 0 has been dropped.
#[derive(Debug, Clone)]
pub struct ConstrainedMps {
    pub(crate) automaton: Arc<ConstraintAutomaton>,
    /// `dims[l][r]`: dimension of sector `r` on link `l`.
    pub(crate) dims: Vec<Vec<usize>>,
    /// `sites[s][l][x]`: the block of region `l` and bit `x` (0 x 0 when forbidden).
    pub(crate) sites: Vec<Vec<[DMatrix<f64>; 2]>>,
}

impl ConstrainedMps {
    /// The uniform superposition of all feasible configurations: every
    /// block `1 x 1` equal to 1, so `psi(x) = 1` exactly on the feasible set.
    pub fn uniform(automaton: Arc<ConstraintAutomaton>) -> Self {
        let n = automaton.num_sites();
        let dims: Vec<Vec<usize>> = (0..=n)
            .map(|l| vec![1; automaton.regions(l).len()])
            .collect();
        let sites = (0..n)
            .map(|s| {
                (0..automaton.regions(s).len())
                    .map(|l| {
                        [0u8, 1].map(|x| match automaton.next(s, l, x) {
                            Some(_) => DMatrix::from_element(1, 1, 1.0),
                            None => DMatrix::zeros(0, 0),
                        })
                    })
                    .collect()
            })
            .collect();
        Self {
            automaton,
            dims,
            sites,
        }
    }

    /// A state with every inner sector of dimension `sector_dim` and block
    /// entries uniform in `[-1, 1]` from the seeded generator `seed`
    /// (boundary links keep dimension 1). Same support as [`Self::uniform`].
    pub fn random(
        automaton: Arc<ConstraintAutomaton>,
        sector_dim: usize,
        seed: u64,
    ) -> Result<Self> {
        use rand::{Rng, SeedableRng};
        if sector_dim == 0 {
            return Err(Error::invalid("sector_dim = 0, expected at least 1"));
        }
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        let mut m = Self::uniform(automaton);
        let n = m.num_sites();
        for l in 1..n {
            m.dims[l].iter_mut().for_each(|d| *d = sector_dim);
        }
        for s in 0..n {
            for l in 0..m.dims[s].len() {
                for x in 0..2u8 {
                    if let Some(r) = m.automaton.next(s, l, x) {
                        let (h, w) = (m.dims[s][l], m.dims[s + 1][r]);
                        m.sites[s][l][x as usize] =
                            DMatrix::from_fn(h, w, |_, _| rng.random_range(-1.0..=1.0));
                    }
                }
            }
        }
        Ok(m)
    }

    /// The automaton that fixes the block structure.
    pub fn automaton(&self) -> &ConstraintAutomaton {
        &self.automaton
    }

    /// Shared handle to the automaton.
    pub fn automaton_arc(&self) -> Arc<ConstraintAutomaton> {
        Arc::clone(&self.automaton)
    }

    /// Number of sites (variables).
    pub fn num_sites(&self) -> usize {
        self.sites.len()
    }

    /// Sector dimensions of link `l`.
    pub fn sector_dims(&self, l: usize) -> &[usize] {
        &self.dims[l]
    }

    /// Total bond dimension of each link (sum over sectors).
    pub fn bond_dims(&self) -> Vec<usize> {
        self.dims.iter().map(|d| d.iter().sum()).collect()
    }

    /// The block of site `s`, left region `l`, bit `x` (`None` if forbidden).
    pub fn block(&self, s: usize, l: usize, x: u8) -> Option<&DMatrix<f64>> {
        self.automaton
            .next(s, l, x)
            .map(|_| &self.sites[s][l][x as usize])
    }

    /// Number of stored scalars.
    pub fn num_parameters(&self) -> usize {
        self.sites.iter().flatten().flatten().map(|b| b.len()).sum()
    }

    /// Replaces block `(s, l, x)` with `m`, which must have the sector shape.
    pub fn set_block(&mut self, s: usize, l: usize, x: u8, m: DMatrix<f64>) -> Result<()> {
        let r = self.automaton.next(s, l, x).ok_or_else(|| {
            Error::invalid(format!(
                "block (site {s}, region {l}, x = {x}) is structurally zero: that transition is infeasible"
            ))
        })?;
        let want = (self.dims[s][l], self.dims[s + 1][r]);
        if m.shape() != want {
            return Err(Error::shape(format!(
                "block (site {s}, region {l}, x = {x}) must be {}x{}, got {}x{}",
                want.0,
                want.1,
                m.nrows(),
                m.ncols()
            )));
        }
        crate::error::check_finite("block", m.as_slice())?;
        self.sites[s][l][x as usize] = m;
        Ok(())
    }

    /// Checks that `x` has one 0/1 entry per site.
    pub(crate) fn check_config(&self, x: &[u8]) -> Result<()> {
        if x.len() != self.num_sites() {
            return Err(Error::shape(format!(
                "configuration of length {}, expected {} (one bit per variable)",
                x.len(),
                self.num_sites()
            )));
        }
        if let Some(i) = x.iter().position(|&b| b > 1) {
            return Err(Error::invalid(format!(
                "x[{i}] = {}, expected 0 or 1",
                x[i]
            )));
        }
        Ok(())
    }

    /// The amplitude `psi(x)`; exactly 0 for every infeasible `x`.
    pub fn amplitude(&self, x: &[u8]) -> Result<f64> {
        self.check_config(x)?;
        let Some(path) = self.automaton.path(x) else {
            return Ok(0.0);
        };
        let mut v = DVector::from_element(self.dims[0][0], 1.0).transpose();
        for s in 0..self.num_sites() {
            let bit = x[self.automaton.variable_at(s)] as usize;
            v *= &self.sites[s][path[s]][bit];
            if v.is_empty() {
                return Ok(0.0);
            }
        }
        Ok(v.sum())
    }

    /// The squared norm `Z = sum_x psi(x)^2` (contracted site by site).
    pub fn norm_sq(&self) -> f64 {
        // env[l]: D_l x D_l Gram matrix of the prefix.
        let mut env: Vec<DMatrix<f64>> = vec![DMatrix::from_element(1, 1, 1.0)];
        for s in 0..self.num_sites() {
            let mut next: Vec<DMatrix<f64>> = self.dims[s + 1]
                .iter()
                .map(|&d| DMatrix::zeros(d, d))
                .collect();
            for (l, e) in env.iter().enumerate() {
                for x in 0..2u8 {
                    if let Some(r) = self.automaton.next(s, l, x) {
                        let b = &self.sites[s][l][x as usize];
                        if b.is_empty() {
                            continue;
                        }
                        next[r] += b.transpose() * e * b;
                    }
                }
            }
            env = next;
        }
        env.iter().map(|e| e.trace()).sum()
    }

    /// Multiplies every amplitude by `c` (applied to the first site).
    pub fn scale(&mut self, c: f64) {
        for b in self.sites[0].iter_mut().flatten() {
            *b *= c;
        }
    }

    /// Right environments `E_l[r] = sum over suffixes of R R^T`, one Gram
    /// matrix per sector of each link (`E_n = [1]`).
    pub(crate) fn right_environments(&self) -> Vec<Vec<DMatrix<f64>>> {
        let n = self.num_sites();
        let mut envs: Vec<Vec<DMatrix<f64>>> = vec![Vec::new(); n + 1];
        envs[n] = vec![DMatrix::from_element(self.dims[n][0], self.dims[n][0], 1.0)];
        if self.dims[n][0] != 1 {
            envs[n] = vec![DMatrix::identity(self.dims[n][0], self.dims[n][0])];
        }
        for s in (0..n).rev() {
            let cur: Vec<DMatrix<f64>> = (0..self.dims[s].len())
                .map(|l| {
                    let d = self.dims[s][l];
                    let mut e = DMatrix::zeros(d, d);
                    for x in 0..2u8 {
                        if let Some(r) = self.automaton.next(s, l, x) {
                            let b = &self.sites[s][l][x as usize];
                            if !b.is_empty() {
                                e += b * &envs[s + 1][r] * b.transpose();
                            }
                        }
                    }
                    e
                })
                .collect();
            envs[s] = cur;
        }
        envs
    }

    /// The dense vector of all `2^n` amplitudes (bit `i` of the index is
    /// `x[i]`); for tests and small examples, refuses `n > 24`.
    pub fn to_dense(&self) -> Result<Vec<f64>> {
        let n = self.num_sites();
        if n > 24 {
            return Err(Error::TooLarge {
                what: "dense constrained MPS".into(),
                needed: 1u128 << n.min(127),
                limit: 1 << 24,
            });
        }
        (0..1usize << n)
            .map(|v| {
                let x: Vec<u8> = (0..n).map(|i| ((v >> i) & 1) as u8).collect();
                self.amplitude(&x)
            })
            .collect()
    }
}
