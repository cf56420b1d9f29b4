//! Canonical form of a constrained MPS (seed 002, Sec. V and App. A).
//!
//! Moving the orthogonality centre one site groups the centre's blocks by
//! the sector of the link being factored: to the right, all `(l, x)` blocks
//! that feed right sector `r` are stacked into one matrix `M_r`; to the left,
//! the blocks leaving left sector `l` are put side by side. Because the
//! automaton is deterministic these groups are disjoint, so the isometry is
//! block-diagonal over sectors. Each group is factored by its own SVD, and
//! the truncation is **global**: the singular values of all groups are pooled
//! and the largest are kept, which minimises `||M - Q R||` under the
//! isometry constraint (App. A); the error is the discarded weight summed
//! over every group, and a sector whose values are all cut disappears.

use super::ConstrainedMps;
use crate::error::Result;
use crate::linalg::{svd_thin, Svd, Truncation};
use nalgebra::DMatrix;

/// Which side of a site the isometry condition refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Orthogonality {
    /// `sum_{l, x} B[l][x]^T B[l][x] = I` on every right sector.
    Left,
    /// `sum_{x} B[l][x] B[l][x]^T = I` on every left sector.
    Right,
}

/// SVDs of all groups truncated together: the pooled singular values are
/// cut by `trunc` with the budget `rel_tol^2 * total weight`. Returns the
/// truncated factorisations and the discarded squared weight.
pub(crate) fn factor_globally(
    groups: &[DMatrix<f64>],
    trunc: &Truncation,
) -> Result<(Vec<Svd>, f64)> {
    let mut svds = Vec::with_capacity(groups.len());
    for g in groups {
        svds.push(svd_thin(g.as_view())?);
    }
    let mut pooled: Vec<(f64, usize)> = svds
        .iter()
        .enumerate()
        .flat_map(|(k, s)| s.s.iter().map(move |&v| (v, k)))
        .collect();
    pooled.sort_by(|a, b| b.0.total_cmp(&a.0));
    let values: Vec<f64> = pooled.iter().map(|p| p.0).collect();
    let total: f64 = values.iter().map(|v| v * v).sum();
    let budget = trunc.rel_tol.map_or(0.0, |t| t * t * total);
    let (keep, discarded) = trunc.cut(&values, budget);
    let mut per_group = vec![0usize; groups.len()];
    for p in &pooled[..keep] {
        per_group[p.1] += 1;
    }
    for (s, k) in svds.iter_mut().zip(per_group) {
        s.truncate(k);
    }
    Ok((svds, discarded))
}

impl ConstrainedMps {
    /// Makes site `s` left-orthogonal and moves its weight into site `s + 1`
    /// (per-sector SVD, global truncation). Returns the discarded weight.
    pub fn move_centre_right(&mut self, s: usize, trunc: &Truncation) -> Result<f64> {
        let n = self.num_sites();
        if s + 1 >= n {
            return Err(crate::Error::invalid(format!(
                "cannot move the centre right from site {s} of {n}"
            )));
        }
        trunc.validate()?;
        let a = self.automaton_arc();
        let n_right = self.dims[s + 1].len();
        // rows[r]: the (l, x) blocks feeding right sector r, in stacking order.
        let mut rows: Vec<Vec<(usize, u8)>> = vec![Vec::new(); n_right];
        for l in 0..self.dims[s].len() {
            for x in 0..2u8 {
                if let Some(r) = a.next(s, l, x) {
                    rows[r].push((l, x));
                }
            }
        }
        let groups: Vec<DMatrix<f64>> = (0..n_right)
            .map(|r| {
                let h: usize = rows[r].iter().map(|&(l, _)| self.dims[s][l]).sum();
                let mut m = DMatrix::zeros(h, self.dims[s + 1][r]);
                let mut off = 0;
                for &(l, x) in &rows[r] {
                    let b = &self.sites[s][l][x as usize];
                    m.rows_mut(off, b.nrows()).copy_from(b);
                    off += b.nrows();
                }
                m
            })
            .collect();
        let (svds, discarded) = factor_globally(&groups, trunc)?;
        for (r, svd) in svds.iter().enumerate() {
            let k = svd.s.len();
            let mut off = 0;
            for &(l, x) in &rows[r] {
                let d = self.dims[s][l];
                self.sites[s][l][x as usize] = svd.u.rows(off, d).into_owned();
                off += d;
            }
            let sv = svd.s_vt();
            for x in 0..2u8 {
                if a.next(s + 1, r, x).is_some() {
                    let b = &self.sites[s + 1][r][x as usize];
                    self.sites[s + 1][r][x as usize] = &sv * b;
                }
            }
            self.dims[s + 1][r] = k;
        }
        Ok(discarded)
    }

    /// Makes site `s` right-orthogonal and moves its weight into site
    /// `s - 1`. Returns the discarded weight.
    pub fn move_centre_left(&mut self, s: usize, trunc: &Truncation) -> Result<f64> {
        if s == 0 || s >= self.num_sites() {
            return Err(crate::Error::invalid(format!(
                "cannot move the centre left from site {s} of {}",
                self.num_sites()
            )));
        }
        trunc.validate()?;
        let a = self.automaton_arc();
        let n_left = self.dims[s].len();
        let groups: Vec<DMatrix<f64>> = (0..n_left)
            .map(|l| {
                let w: usize = (0..2u8)
                    .filter_map(|x| a.next(s, l, x))
                    .map(|r| self.dims[s + 1][r])
                    .sum();
                let mut m = DMatrix::zeros(self.dims[s][l], w);
                let mut off = 0;
                for x in 0..2u8 {
                    if a.next(s, l, x).is_some() {
                        let b = &self.sites[s][l][x as usize];
                        m.columns_mut(off, b.ncols()).copy_from(b);
                        off += b.ncols();
                    }
                }
                m
            })
            .collect();
        let (svds, discarded) = factor_globally(&groups, trunc)?;
        // Blocks of site s-1 that end in sector l.
        let mut feeding: Vec<Vec<(usize, u8)>> = vec![Vec::new(); n_left];
        for lp in 0..self.dims[s - 1].len() {
            for x in 0..2u8 {
                if let Some(l) = a.next(s - 1, lp, x) {
                    feeding[l].push((lp, x));
                }
            }
        }
        for (l, svd) in svds.iter().enumerate() {
            let k = svd.s.len();
            let vt = svd.v.transpose();
            let mut off = 0;
            for x in 0..2u8 {
                if let Some(r) = a.next(s, l, x) {
                    let d = self.dims[s + 1][r];
                    self.sites[s][l][x as usize] = vt.columns(off, d).into_owned();
                    off += d;
                }
            }
            let us = svd.u_s();
            for &(lp, x) in &feeding[l] {
                let b = &self.sites[s - 1][lp][x as usize];
                self.sites[s - 1][lp][x as usize] = b * &us;
            }
            self.dims[s][l] = k;
        }
        Ok(discarded)
    }

    /// Brings the state to mixed canonical form with the centre at `centre`
    /// (left sweep then right sweep), truncating each move by `trunc`.
    /// Returns the total discarded weight.
    pub fn canonicalize(&mut self, centre: usize, trunc: &Truncation) -> Result<f64> {
        let n = self.num_sites();
        if centre >= n {
            return Err(crate::Error::invalid(format!(
                "centre = {centre}, expected a site in 0..{n}"
            )));
        }
        let mut w = 0.0;
        for s in 0..centre {
            w += self.move_centre_right(s, trunc)?;
        }
        for s in (centre + 1..n).rev() {
            w += self.move_centre_left(s, trunc)?;
        }
        Ok(w)
    }

    /// The largest deviation from the isometry condition of site `s`, over
    /// all sectors (`0` for an exact isometry).
    pub fn isometry_defect(&self, s: usize, side: Orthogonality) -> f64 {
        let a = &self.automaton;
        let mut worst = 0.0f64;
        match side {
            Orthogonality::Left => {
                let mut gram: Vec<DMatrix<f64>> = self.dims[s + 1]
                    .iter()
                    .map(|&d| DMatrix::zeros(d, d))
                    .collect();
                for l in 0..self.dims[s].len() {
                    for x in 0..2u8 {
                        if let Some(r) = a.next(s, l, x) {
                            let b = &self.sites[s][l][x as usize];
                            gram[r] += b.transpose() * b;
                        }
                    }
                }
                for g in gram.into_iter().filter(|g| g.nrows() > 0) {
                    let d = g.nrows();
                    worst = worst.max((g - DMatrix::identity(d, d)).abs().max());
                }
            }
            Orthogonality::Right => {
                for l in 0..self.dims[s].len() {
                    let d = self.dims[s][l];
                    if d == 0 {
                        continue;
                    }
                    let mut g = DMatrix::zeros(d, d);
                    for x in 0..2u8 {
                        if a.next(s, l, x).is_some() {
                            let b = &self.sites[s][l][x as usize];
                            g += b * b.transpose();
                        }
                    }
                    worst = worst.max((g - DMatrix::identity(d, d)).abs().max());
                }
            }
        }
        worst
    }
}
