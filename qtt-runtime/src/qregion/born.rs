//! Born-machine training of a constrained MPS (Han et al. 2018, as used by
//! seed 002's Algorithm 3): `p(x) = psi(x)^2 / Z`, trained by gradient steps
//! on the negative log-likelihood `NLL = ln Z - (2/|D|) sum_x ln|psi(x)|`.
//!
//! One step is a sweep right and back over all bonds. At each bond the two
//! sites are merged (`Theta`), the gradient `2 Theta - (2/|D|) sum_x
//! psi'(x)/psi(x)` is taken with the rest of the chain in canonical form
//! (so `Z = ||Theta||^2 = 1`), and `Theta` is split again by per-sector SVDs
//! with global truncation. Gradients only touch allowed blocks, so block
//! sparsity, and with it feasibility of every sample, is preserved; the
//! split lets sector dimensions grow where the data needs them and drops
//! weight below the cutoff (possibly whole sectors).

use super::canonical::factor_globally;
use super::ConstrainedMps;
use crate::error::{Error, Result};
use crate::linalg::Truncation;
use nalgebra::{DMatrix, DVector, RowDVector};

/// A constrained MPS being trained as a Born machine; between steps it is
/// normalised with its orthogonality centre on the first site.
#[derive(Debug, Clone)]
pub struct BornMachine {
    mps: ConstrainedMps,
    learning_rate: f64,
    truncation: Truncation,
}

/// Blocks of a merged two-site tensor: `theta[a][2 x1 + x2]`.
type TwoSite = Vec<[Option<DMatrix<f64>>; 4]>;

/// A training configuration in reading order with its sector path.
struct Sample {
    bits: Vec<u8>,
    path: Vec<usize>,
}

impl BornMachine {
    /// Prepares `mps` (at least 2 sites) for training with gradient step
    /// `learning_rate` and per-bond truncation `truncation`.
    pub fn new(
        mut mps: ConstrainedMps,
        learning_rate: f64,
        truncation: Truncation,
    ) -> Result<Self> {
        if !(learning_rate.is_finite() && learning_rate > 0.0) {
            return Err(Error::invalid(format!(
                "learning rate = {learning_rate}, expected a finite number > 0"
            )));
        }
        truncation.validate()?;
        if mps.num_sites() < 2 {
            return Err(Error::invalid(format!(
                "a Born machine needs at least 2 sites, got {}",
                mps.num_sites()
            )));
        }
        mps.canonicalize(0, &Truncation::exact())?;
        let z = mps.norm_sq();
        if !(z > 0.0 && z.is_finite()) {
            return Err(Error::Numerical(format!("state with squared norm {z}")));
        }
        mps.scale(1.0 / z.sqrt());
        Ok(Self {
            mps,
            learning_rate,
            truncation,
        })
    }

    /// The current (normalised) state.
    pub fn mps(&self) -> &ConstrainedMps {
        &self.mps
    }

    /// Takes the state out.
    pub fn into_mps(self) -> ConstrainedMps {
        self.mps
    }

    /// The step size.
    pub fn learning_rate(&self) -> f64 {
        self.learning_rate
    }

    /// Mean negative log-likelihood `-(1/|D|) sum ln p(x)` of `data`
    /// (`+inf` if some `x` has zero probability).
    pub fn nll(&self, data: &[Vec<u8>]) -> Result<f64> {
        if data.is_empty() {
            return Err(Error::invalid("empty training set"));
        }
        let z = self.mps.norm_sq();
        let mut s = 0.0;
        for x in data {
            let p = self.mps.amplitude(x)?.powi(2) / z;
            s -= p.ln();
        }
        Ok(s / data.len() as f64)
    }

    fn prepare(&self, data: &[Vec<u8>]) -> Result<Vec<Sample>> {
        if data.is_empty() {
            return Err(Error::invalid("empty training set"));
        }
        let a = self.mps.automaton();
        data.iter()
            .enumerate()
            .map(|(j, x)| {
                self.mps.check_config(x)?;
                let path = a.path(x).ok_or_else(|| {
                    Error::invalid(format!("training sample {j} violates the constraints"))
                })?;
                let bits = (0..x.len()).map(|s| x[a.variable_at(s)]).collect();
                Ok(Sample { bits, path })
            })
            .collect()
    }

    /// One training step on `data` (feasible configurations indexed by
    /// variable): a sweep of two-site gradient updates to the right and back.
    pub fn train_step(&mut self, data: &[Vec<u8>]) -> Result<()> {
        let samples = self.prepare(data)?;
        let n = self.mps.num_sites();
        let one_row = RowDVector::from_element(1, 1.0);
        let one_col = DVector::from_element(1, 1.0);
        // Sweep right: right environments are fixed, left ones grow.
        let right: Vec<Vec<DVector<f64>>> = samples
            .iter()
            .map(|smp| {
                let mut v = vec![DVector::zeros(0); n + 1];
                v[n] = one_col.clone();
                for p in (2..n).rev() {
                    v[p] = &self.mps.sites[p][smp.path[p]][smp.bits[p] as usize] * &v[p + 1];
                }
                v
            })
            .collect();
        let mut left: Vec<RowDVector<f64>> = vec![one_row.clone(); samples.len()];
        for k in 0..n - 1 {
            let mut theta = self.merge(k);
            self.gradient_step(k, &mut theta, &samples, |j| (&left[j], &right[j][k + 2]));
            self.split(k, &theta, true)?;
            for (j, smp) in samples.iter().enumerate() {
                left[j] = &left[j] * &self.mps.sites[k][smp.path[k]][smp.bits[k] as usize];
            }
        }
        // Sweep left: left environments are fixed, right ones grow.
        let lefts: Vec<Vec<RowDVector<f64>>> = samples
            .iter()
            .map(|smp| {
                let mut v = vec![one_row.clone(); n];
                for p in 0..n.saturating_sub(2) {
                    v[p + 1] = &v[p] * &self.mps.sites[p][smp.path[p]][smp.bits[p] as usize];
                }
                v
            })
            .collect();
        let mut rvec: Vec<DVector<f64>> = vec![one_col; samples.len()];
        for k in (0..n - 1).rev() {
            let mut theta = self.merge(k);
            self.gradient_step(k, &mut theta, &samples, |j| (&lefts[j][k], &rvec[j]));
            self.split(k, &theta, false)?;
            for (j, smp) in samples.iter().enumerate() {
                rvec[j] =
                    &self.mps.sites[k + 1][smp.path[k + 1]][smp.bits[k + 1] as usize] * &rvec[j];
            }
        }
        Ok(())
    }

    /// `Theta[a][2 x1 + x2] = B_k[a][x1] B_{k+1}[b][x2]` over allowed paths.
    fn merge(&self, k: usize) -> TwoSite {
        let a = self.mps.automaton();
        (0..self.mps.dims[k].len())
            .map(|l| {
                let mut t: [Option<DMatrix<f64>>; 4] = [None, None, None, None];
                for x1 in 0..2u8 {
                    let Some(b) = a.next(k, l, x1) else { continue };
                    for x2 in 0..2u8 {
                        if a.next(k + 1, b, x2).is_some() {
                            t[(2 * x1 + x2) as usize] = Some(
                                &self.mps.sites[k][l][x1 as usize]
                                    * &self.mps.sites[k + 1][b][x2 as usize],
                            );
                        }
                    }
                }
                t
            })
            .collect()
    }

    /// Normalises `theta`, takes one NLL gradient step on it, normalises again.
    fn gradient_step<'e, F>(&self, k: usize, theta: &mut TwoSite, samples: &[Sample], env: F)
    where
        F: Fn(usize) -> (&'e RowDVector<f64>, &'e DVector<f64>),
    {
        normalise(theta);
        let mut grad: TwoSite = theta
            .iter()
            .map(|t| t.clone().map(|b| b.map(|m| m * 2.0)))
            .collect();
        let w = 2.0 / samples.len() as f64;
        for (j, smp) in samples.iter().enumerate() {
            let (l, r) = env(j);
            if l.is_empty() || r.is_empty() {
                continue;
            }
            let idx = (2 * smp.bits[k] + smp.bits[k + 1]) as usize;
            let blk = theta[smp.path[k]][idx]
                .as_ref()
                .expect("sample follows an allowed path");
            let psi = (l * blk * r)[(0, 0)];
            if psi.abs() < 1e-150 {
                continue;
            }
            let g = grad[smp.path[k]][idx].as_mut().expect("same structure");
            g.ger(-w / psi, &l.transpose(), r, 1.0);
        }
        for (t, g) in theta.iter_mut().zip(&grad) {
            for (tb, gb) in t.iter_mut().zip(g) {
                if let (Some(tb), Some(gb)) = (tb.as_mut(), gb.as_ref()) {
                    *tb -= gb * self.learning_rate;
                }
            }
        }
        normalise(theta);
    }

    /// Splits `theta` back into sites `k`, `k + 1` by per-sector SVDs over
    /// the middle link, truncated globally; the centre goes right or left.
    fn split(&mut self, k: usize, theta: &TwoSite, to_right: bool) -> Result<()> {
        let a = self.mps.automaton_arc();
        let nb = self.mps.dims[k + 1].len();
        let mut rows: Vec<Vec<(usize, u8)>> = vec![Vec::new(); nb];
        for l in 0..self.mps.dims[k].len() {
            for x1 in 0..2u8 {
                if let Some(b) = a.next(k, l, x1) {
                    rows[b].push((l, x1));
                }
            }
        }
        let cols: Vec<Vec<(u8, usize)>> = (0..nb)
            .map(|b| {
                (0..2u8)
                    .filter_map(|x2| a.next(k + 1, b, x2).map(|c| (x2, c)))
                    .collect()
            })
            .collect();
        let dims_l = &self.mps.dims[k];
        let dims_r = &self.mps.dims[k + 2];
        let groups: Vec<DMatrix<f64>> = (0..nb)
            .map(|b| {
                let h: usize = rows[b].iter().map(|&(l, _)| dims_l[l]).sum();
                let w: usize = cols[b].iter().map(|&(_, c)| dims_r[c]).sum();
                let mut m = DMatrix::zeros(h, w);
                let mut ro = 0;
                for &(l, x1) in &rows[b] {
                    let mut co = 0;
                    for &(x2, c) in &cols[b] {
                        if let Some(t) = &theta[l][(2 * x1 + x2) as usize] {
                            m.view_mut((ro, co), t.shape()).copy_from(t);
                        }
                        co += dims_r[c];
                    }
                    ro += dims_l[l];
                }
                m
            })
            .collect();
        let (svds, _) = factor_globally(&groups, &self.truncation)?;
        for (b, svd) in svds.iter().enumerate() {
            let (left, right) = if to_right {
                (svd.u.clone(), svd.s_vt())
            } else {
                (svd.u_s(), svd.v.transpose())
            };
            let mut ro = 0;
            for &(l, x1) in &rows[b] {
                let d = self.mps.dims[k][l];
                self.mps.sites[k][l][x1 as usize] = left.rows(ro, d).into_owned();
                ro += d;
            }
            let mut co = 0;
            for &(x2, c) in &cols[b] {
                let d = self.mps.dims[k + 2][c];
                self.mps.sites[k + 1][b][x2 as usize] = right.columns(co, d).into_owned();
                co += d;
            }
            self.mps.dims[k + 1][b] = svd.s.len();
        }
        Ok(())
    }
}

fn normalise(theta: &mut TwoSite) {
    let z: f64 = theta
        .iter()
        .flatten()
        .flatten()
        .map(|m| m.norm_squared())
        .sum();
    if z > 0.0 {
        let c = 1.0 / z.sqrt();
        for m in theta.iter_mut().flatten().flatten() {
            *m *= c;
        }
    }
}
