//! Perfect sampling (Ferris & Vidal) from the Born distribution
//! `p(x) = psi(x)^2 / Z`: each bit is drawn from its exact conditional
//! given the bits before it, so every sample is independent and feasible.

use super::ConstrainedMps;
use crate::error::{Error, Result};
use nalgebra::DMatrix;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

impl ConstrainedMps {
    /// `count` independent samples drawn with the seeded generator `seed`
    /// (each a 0/1 vector indexed by variable).
    pub fn sample(&self, count: usize, seed: u64) -> Result<Vec<Vec<u8>>> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        self.sample_with(count, &mut rng)
    }

    /// As [`ConstrainedMps::sample`] with a caller-owned generator.
    pub fn sample_with<R: Rng>(&self, count: usize, rng: &mut R) -> Result<Vec<Vec<u8>>> {
        let envs = self.right_environments();
        let z = envs[0][0][(0, 0)];
        if z.is_nan() || z <= 0.0 || !z.is_finite() {
            return Err(Error::Numerical(format!(
                "cannot sample: the squared norm of the state is {z}"
            )));
        }
        let n = self.num_sites();
        crate::memory::check_fits(
            &format!("{count} samples of {n} variables"),
            (count as u128) * (n as u128 + std::mem::size_of::<Vec<u8>>() as u128),
        )?;
        let a = &self.automaton;
        let mut out = Vec::with_capacity(count);
        // Reused buffers: the running row vector and both candidates; no
        // allocation per bit (sampling is the optimiser's inner loop).
        let mut v: Vec<f64> = Vec::new();
        let mut w: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
        for _ in 0..count {
            let mut x = vec![0u8; n];
            let mut l = 0usize;
            v.clear();
            v.push(1.0);
            for s in 0..n {
                let mut p = [0.0f64; 2];
                let mut dest = [usize::MAX; 2];
                for bit in 0..2usize {
                    let Some(r) = a.next(s, l, bit as u8) else {
                        continue;
                    };
                    let b = &self.sites[s][l][bit];
                    if b.is_empty() {
                        continue;
                    }
                    let wb = &mut w[bit];
                    wb.clear();
                    wb.extend(
                        b.column_iter()
                            .map(|c| c.iter().zip(&v).map(|(x, y)| x * y).sum::<f64>()),
                    );
                    p[bit] = quadratic(&envs[s + 1][r], wb);
                    dest[bit] = r;
                }
                let total = p[0] + p[1];
                if total.is_nan() || total <= 0.0 {
                    return Err(Error::Numerical(format!(
                        "sampling reached a zero-probability prefix at site {s}"
                    )));
                }
                let bit = usize::from(rng.random::<f64>() * total >= p[0]);
                // Renormalise so the running vector neither under- nor overflows.
                let c = 1.0 / p[bit].sqrt();
                v.clear();
                v.extend(w[bit].iter().map(|t| t * c));
                l = dest[bit];
                x[a.variable_at(s)] = bit as u8;
            }
            out.push(x);
        }
        Ok(out)
    }
}

/// `w^T E w` for a symmetric positive semidefinite `E` (clamped at 0).
fn quadratic(e: &DMatrix<f64>, w: &[f64]) -> f64 {
    if w.len() == 1 {
        return (e[(0, 0)] * w[0] * w[0]).max(0.0);
    }
    let q: f64 = e
        .column_iter()
        .zip(w)
        .map(|(c, wj)| wj * c.iter().zip(w).map(|(a, b)| a * b).sum::<f64>())
        .sum();
    q.max(0.0)
}
