//! A reflected diffusion `dz = mu(z) dt + sqrt(s(z)) dW` on a uniform grid
//! as a birth–death chain: the drift upwinded by its sign, the diffusion by
//! the central second difference, and the jump that would leave the grid
//! dropped (as the HACT codes fold it into the diagonal), so every row of
//! the chain's generator sums to zero.
//!
//! Both the 2-D oracle ([`super::OuIncome::rates`]) and `model!`'s income
//! diffusions (`Model::from_ir`, which solves them as a `J`-state Markov
//! income) build their chains here.

/// The jump intensities of a birth–death chain on `J` grid points.
#[derive(Debug, Clone, PartialEq)]
pub struct BirthDeathChain {
    /// Intensity of a jump from `z_k` to `z_(k+1)` (0 at the top).
    pub up: Vec<f64>,
    /// Intensity of a jump from `z_k` to `z_(k-1)` (0 at the bottom).
    pub down: Vec<f64>,
}

impl BirthDeathChain {
    /// The chain of a reflected diffusion with drift `drift[k]` and variance
    /// `variance[k]` at grid points `dz` apart: `up_k = max(mu_k, 0) / dz +
    /// s_k / (2 dz^2)`, `down_k = -min(mu_k, 0) / dz + s_k / (2 dz^2)`,
    /// with `down_0 = up_last = 0` (reflection).
    pub fn reflected(drift: &[f64], variance: &[f64], dz: f64) -> Self {
        let nz = drift.len();
        let mut up = vec![0.0; nz];
        let mut down = vec![0.0; nz];
        for (k, (&mu, &s)) in drift.iter().zip(variance).enumerate() {
            let diffusion = s / (2.0 * dz * dz);
            if k + 1 < nz {
                up[k] = mu.max(0.0) / dz + diffusion;
            }
            if k > 0 {
                down[k] = (-mu).max(0.0) / dz + diffusion;
            }
        }
        Self { up, down }
    }

    /// Number of grid points `J`.
    pub fn len(&self) -> usize {
        self.up.len()
    }

    /// Whether the chain has no points.
    pub fn is_empty(&self) -> bool {
        self.up.is_empty()
    }

    /// The intensity matrix, `J x J` row-major (`-up_k - down_k` on the
    /// diagonal, rows summing to zero).
    pub fn intensities(&self) -> Vec<Vec<f64>> {
        let nz = self.len();
        (0..nz)
            .map(|k| {
                let mut row = vec![0.0; nz];
                if k + 1 < nz {
                    row[k + 1] = self.up[k];
                }
                if k > 0 {
                    row[k - 1] = self.down[k];
                }
                row[k] = -self.up[k] - self.down[k];
                row
            })
            .collect()
    }

    /// The stationary probabilities (summing to 1), from detailed balance
    /// `pi_(k+1) down_(k+1) = pi_k up_k`; needs every `down_k > 0` for
    /// `k >= 1` (a positive variance).
    pub fn stationary(&self) -> Vec<f64> {
        let nz = self.len();
        let mut log_pi = vec![0.0; nz];
        for k in 1..nz {
            log_pi[k] = log_pi[k - 1] + (self.up[k - 1] / self.down[k]).ln();
        }
        let top = log_pi.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        let mut pi: Vec<f64> = log_pi.iter().map(|l| (l - top).exp()).collect();
        let s: f64 = pi.iter().sum();
        pi.iter_mut().for_each(|p| *p /= s);
        pi
    }
}
