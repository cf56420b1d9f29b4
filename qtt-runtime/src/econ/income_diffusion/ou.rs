//! Income as a reflected Ornstein–Uhlenbeck diffusion,
//! `dz = theta (mean - z) dt + sigma dW` on `[zmin, zmax]`, and its
//! discretisation on `2^Lz` points as a birth–death chain.
//!
//! The chain is [`BirthDeathChain::reflected`]: the drift upwinded by its
//! sign, the diffusion by the central second difference, reflecting ends.

use super::BirthDeathChain;
use crate::error::{Error, Result};

/// A reflected Ornstein–Uhlenbeck income process.
#[derive(Debug, Clone, PartialEq)]
pub struct OuIncome {
    /// The mean `zbar` the drift pulls towards.
    pub mean: f64,
    /// Mean reversion `theta` (autocorrelation `exp(-theta)` over a unit of time).
    pub theta: f64,
    /// `sigma^2`, the instantaneous variance.
    pub sigma2: f64,
    /// Lowest income on the grid (reflecting).
    pub zmin: f64,
    /// Highest income on the grid (reflecting).
    pub zmax: f64,
}

impl OuIncome {
    /// The process of the HACT code `aiyagari_diffusion_equilibrium.m`:
    /// mean 1, autocorrelation `exp(-0.3)` (`theta = 0.3`), `sigma^2 =
    /// 0.1^2 = 0.01` (its `sig2`; the untruncated stationary variance is
    /// `sigma^2 / (2 theta) = 0.0167`), on `[0.5, 1.5]`.
    pub fn hact() -> Self {
        Self {
            mean: 1.0,
            theta: 0.3,
            sigma2: 0.01,
            zmin: 0.5,
            zmax: 1.5,
        }
    }

    /// The process with a given mean, stationary variance (of the
    /// untruncated process) and autocorrelation over a unit of time:
    /// `theta = -ln(autocorrelation)`, `sigma^2 = 2 theta variance`.
    pub fn from_moments(
        mean: f64,
        variance: f64,
        autocorrelation: f64,
        zmin: f64,
        zmax: f64,
    ) -> Result<Self> {
        if !(autocorrelation > 0.0 && autocorrelation < 1.0) {
            return Err(Error::invalid(format!(
                "the autocorrelation {autocorrelation} must lie in (0, 1) for a mean-reverting process"
            )));
        }
        let theta = -autocorrelation.ln();
        let p = Self {
            mean,
            theta,
            sigma2: 2.0 * theta * variance,
            zmin,
            zmax,
        };
        p.check()?;
        Ok(p)
    }

    /// `sigma^2 / (2 theta)`, the stationary variance without reflection.
    pub fn stationary_variance(&self) -> f64 {
        self.sigma2 / (2.0 * self.theta)
    }

    /// The drift `theta (mean - z)`.
    pub fn drift(&self, z: f64) -> f64 {
        self.theta * (self.mean - z)
    }

    /// An error naming the first impossible parameter.
    pub fn check(&self) -> Result<()> {
        for (name, v) in [
            ("the income mean", self.mean),
            ("the mean reversion theta", self.theta),
            ("sigma^2", self.sigma2),
            ("zmin", self.zmin),
            ("zmax", self.zmax),
        ] {
            if !v.is_finite() {
                return Err(Error::NonFinite(format!(
                    "{name} of the income diffusion is {v}"
                )));
            }
        }
        if self.sigma2 <= 0.0 {
            return Err(Error::invalid(format!(
                "sigma^2 = {} of the income diffusion must be positive (a variance; \
                 without noise the income chain has no unique stationary distribution)",
                self.sigma2
            )));
        }
        if self.theta < 0.0 {
            return Err(Error::invalid(format!(
                "the mean reversion theta = {} must be >= 0",
                self.theta
            )));
        }
        if self.zmin >= self.zmax {
            return Err(Error::invalid(format!(
                "income on [{}, {}]: zmin must lie below zmax",
                self.zmin, self.zmax
            )));
        }
        Ok(())
    }

    /// Grid spacing on `2^lz` points.
    pub fn spacing(&self, lz: u32) -> f64 {
        (self.zmax - self.zmin) / (((1u64 << lz) - 1) as f64)
    }

    /// Income at point `k` of `2^lz`.
    pub fn point(&self, lz: u32, k: usize) -> f64 {
        self.zmin + k as f64 * self.spacing(lz)
    }

    /// The chain's jump intensities `(up, down)` at each of the `2^lz`
    /// points ([`BirthDeathChain::reflected`] with drift `theta (mean -
    /// z_k)` and variance `sigma^2`).
    pub fn rates(&self, lz: u32) -> (Vec<f64>, Vec<f64>) {
        let BirthDeathChain { up, down } = self.chain(lz);
        (up, down)
    }

    /// The chain on the coarse grid whose points are the centres of `2^l`
    /// consecutive points of the `2^lz`-point grid (spacing `2^l dz`): the
    /// rediscretised operator of multigrid's coarse levels.
    pub fn aggregated_chain(&self, lz: u32, l: u32) -> BirthDeathChain {
        let (dz, width) = (self.spacing(lz), (1u64 << l) as f64);
        let n = 1usize << (lz - l);
        let drift: Vec<f64> = (0..n)
            .map(|m| self.drift(self.zmin + (m as f64 * width + (width - 1.0) / 2.0) * dz))
            .collect();
        BirthDeathChain::reflected(&drift, &vec![self.sigma2; n], width * dz)
    }

    /// The birth–death chain on `2^lz` points.
    pub fn chain(&self, lz: u32) -> BirthDeathChain {
        let nz = 1usize << lz;
        let drift: Vec<f64> = (0..nz).map(|k| self.drift(self.point(lz, k))).collect();
        BirthDeathChain::reflected(&drift, &vec![self.sigma2; nz], self.spacing(lz))
    }

    /// The chain's stationary probabilities on `2^lz` points (summing to 1),
    /// from detailed balance ([`BirthDeathChain::stationary`]).
    pub fn stationary(&self, lz: u32) -> Vec<f64> {
        self.chain(lz).stationary()
    }

    /// `E[z]` under [`OuIncome::stationary`]: aggregate labour supply `L`.
    pub fn mean_on_grid(&self, lz: u32) -> f64 {
        self.stationary(lz)
            .iter()
            .enumerate()
            .map(|(k, p)| p * self.point(lz, k))
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symmetric_domain_has_mean_one() {
        let p = OuIncome::hact();
        for lz in 1..=10 {
            assert!((p.mean_on_grid(lz) - 1.0).abs() < 1e-14, "lz = {lz}");
        }
    }

    #[test]
    fn rates_reflect_and_balance() {
        let p = OuIncome::hact();
        let (up, down) = p.rates(5);
        assert_eq!(down[0], 0.0);
        assert_eq!(up[31], 0.0);
        assert!(up.iter().chain(&down).all(|v| *v >= 0.0));
        let pi = p.stationary(5);
        for k in 0..31 {
            assert!((pi[k] * up[k] - pi[k + 1] * down[k + 1]).abs() < 1e-15);
        }
    }

    #[test]
    fn fine_grid_variance_is_the_truncated_normals() {
        // The stationary law of the reflected OU is the normal N(mean,
        // sigma^2 / (2 theta)) truncated to [zmin, zmax].
        let p = OuIncome::hact();
        let lz = 12;
        let pi = p.stationary(lz);
        let var: f64 = pi
            .iter()
            .enumerate()
            .map(|(k, q)| q * (p.point(lz, k) - 1.0).powi(2))
            .sum();
        // Truncated normal: s^2 (1 - 2 b phi(b) / (2 Phi(b) - 1)), b = 0.5 / s.
        let s = p.stationary_variance().sqrt();
        let b = 0.5 / s;
        let phi = (-0.5 * b * b).exp() / (2.0 * std::f64::consts::PI).sqrt();
        // 2 Phi(b) - 1 = erf(b / sqrt 2), integrated numerically.
        let m = 20000;
        let erf: f64 = (0..m)
            .map(|i| {
                let x = (i as f64 + 0.5) * b / m as f64;
                (-0.5 * x * x).exp()
            })
            .sum::<f64>()
            * (b / m as f64)
            * 2.0
            / (2.0 * std::f64::consts::PI).sqrt();
        let expected = s * s * (1.0 - 2.0 * b * phi / erf);
        assert!(
            (var - expected).abs() < 1e-3 * expected,
            "{var} vs {expected}"
        );
    }

    #[test]
    fn impossible_parameters_are_errors() {
        let bad = |f: fn(&mut OuIncome)| {
            let mut p = OuIncome::hact();
            f(&mut p);
            p.check().unwrap_err().to_string()
        };
        assert!(bad(|p| p.sigma2 = -0.01).contains("sigma^2 = -0.01"));
        assert!(bad(|p| p.sigma2 = f64::NAN).contains("sigma^2"));
        assert!(bad(|p| p.zmax = 0.2).contains("zmin must lie below zmax"));
        assert!(bad(|p| p.theta = -1.0).contains("theta = -1"));
        assert!(OuIncome::from_moments(1.0, 0.01, 1.5, 0.5, 1.5).is_err());
        let q = OuIncome::from_moments(1.0, 0.01, (-0.3f64).exp(), 0.5, 1.5).unwrap();
        assert!((q.theta - 0.3).abs() < 1e-15 && (q.sigma2 - 0.006).abs() < 1e-15);
    }
}
