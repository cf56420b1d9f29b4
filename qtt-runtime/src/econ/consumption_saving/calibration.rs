//! The calibration of the consumption-saving model, its transitions and the
//! random draws its loss is estimated on.
//!
//! Source of the numbers: the companion notebook of Maliar, Maliar and
//! Winant ("Will artificial intelligence replace computational economists any
//! time soon?", CEPR DP 14024, 2019; published as "Deep learning for solving
//! dynamic economic models", J. Monetary Economics 122, 2021), the code seed
//! 001 cites as Winant (2019): `beta = 0.9`, `gamma = 2`, `rbar = 1.04`,
//! `(rho, sigma)` = `(0.2, 0.001)` for `r`, `(0.2, 0.001)` for `delta`,
//! `(0.9, 0.001)` for `q`, `(0.999, 0.0001)` for `p`, the sigmas being the
//! standard deviations of the innovations; current states are drawn from the
//! ergodic distributions `N(0, sigma^2 / (1 - rho^2))` and cash on hand
//! uniformly from `[0.1, 4]`. Seed 001 gives no numbers of its own.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::{Error, Result};

/// A state `(r, delta, q, p, w)`: the four exogenous states, then cash on hand.
pub type State = [f64; 5];

/// Innovations of `(r, delta, q, p)`, already scaled by their sigmas.
pub type Shock = [f64; 4];

/// The names of the exogenous states, in the order of [`State`] and [`Shock`].
pub const EXOGENOUS: [&str; 4] = ["r", "delta", "q", "p"];

/// Parameters of the consumption-saving model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ConsumptionSavingParams {
    /// Discount factor `beta`, in `(0, 1)`.
    pub beta: f64,
    /// Relative risk aversion `gamma > 0`.
    pub gamma: f64,
    /// Gross interest rate `rbar`, in `(0, 1 / beta)`.
    pub rbar: f64,
    /// AR(1) persistences of `(r, delta, q, p)`, each in `(-1, 1)`.
    pub rho: [f64; 4],
    /// Standard deviations of the innovations of `(r, delta, q, p)`, each `> 0`.
    pub sigma: [f64; 4],
    /// Lower end of the cash-on-hand domain the loss is drawn on (`> 0`).
    pub w_min: f64,
    /// Upper end of the cash-on-hand domain.
    pub w_max: f64,
}

impl Default for ConsumptionSavingParams {
    /// Maliar, Maliar and Winant's calibration (see the module docs).
    fn default() -> Self {
        ConsumptionSavingParams {
            beta: 0.9,
            gamma: 2.0,
            rbar: 1.04,
            rho: [0.2, 0.2, 0.9, 0.999],
            sigma: [0.001, 0.001, 0.001, 0.0001],
            w_min: 0.1,
            w_max: 4.0,
        }
    }
}

/// Random draws for the all-in-one loss: current states and two independent
/// realisations of next period's innovations for each.
#[derive(Debug, Clone, PartialEq)]
pub struct Draws {
    /// Current states.
    pub states: Vec<State>,
    /// First realisation of the innovations, one per state.
    pub shocks1: Vec<Shock>,
    /// Second, independent realisation.
    pub shocks2: Vec<Shock>,
}

impl Draws {
    /// Draws from explicit values (the three lists must have one length).
    pub fn new(states: Vec<State>, shocks1: Vec<Shock>, shocks2: Vec<Shock>) -> Result<Self> {
        if states.is_empty() || shocks1.len() != states.len() || shocks2.len() != states.len() {
            return Err(Error::shape(format!(
                "{} states and {} + {} shocks, expected the same positive number of each",
                states.len(),
                shocks1.len(),
                shocks2.len()
            )));
        }
        for (name, v) in [
            ("states", states.as_flattened()),
            ("shocks1", shocks1.as_flattened()),
            ("shocks2", shocks2.as_flattened()),
        ] {
            crate::error::check_finite(name, v)?;
        }
        Ok(Draws {
            states,
            shocks1,
            shocks2,
        })
    }

    /// The number of draws.
    pub fn len(&self) -> usize {
        self.states.len()
    }

    /// Whether there are no draws (never, for draws built by [`Draws::new`]).
    pub fn is_empty(&self) -> bool {
        self.states.is_empty()
    }
}

impl ConsumptionSavingParams {
    /// Checks every parameter; the message names the offending one.
    pub fn check(&self) -> Result<()> {
        let finite = [
            ("beta", self.beta),
            ("gamma", self.gamma),
            ("rbar", self.rbar),
            ("w_min", self.w_min),
            ("w_max", self.w_max),
        ];
        for (name, v) in finite {
            if !v.is_finite() {
                return Err(Error::NonFinite(format!(
                    "{name} = {v}, expected a finite number"
                )));
            }
        }
        for (k, name) in EXOGENOUS.iter().enumerate() {
            for (what, v) in [("rho", self.rho[k]), ("sigma", self.sigma[k])] {
                if !v.is_finite() {
                    return Err(Error::NonFinite(format!(
                        "{what}_{name} = {v}, expected a finite number"
                    )));
                }
            }
        }
        let bad = |msg: String| Err(Error::invalid(msg));
        if !(self.beta > 0.0 && self.beta < 1.0) {
            return bad(format!("beta = {}, expected 0 < beta < 1", self.beta));
        }
        if self.gamma <= 0.0 {
            return bad(format!("gamma = {}, expected gamma > 0", self.gamma));
        }
        if !(self.rbar > 0.0 && self.rbar * self.beta < 1.0) {
            return bad(format!(
                "rbar = {}, expected 0 < rbar < 1 / beta = {}",
                self.rbar,
                1.0 / self.beta
            ));
        }
        for (k, name) in EXOGENOUS.iter().enumerate() {
            if self.rho[k].abs() >= 1.0 {
                return bad(format!(
                    "rho_{name} = {}, expected |rho| < 1 (a stationary AR(1))",
                    self.rho[k]
                ));
            }
            if self.sigma[k] <= 0.0 {
                return bad(format!(
                    "sigma_{name} = {}, expected sigma > 0",
                    self.sigma[k]
                ));
            }
        }
        if !(self.w_min > 0.0 && self.w_min < self.w_max) {
            return bad(format!(
                "cash-on-hand domain [{}, {}], expected 0 < w_min < w_max",
                self.w_min, self.w_max
            ));
        }
        Ok(())
    }

    /// Standard deviations of the ergodic distributions, `sigma / sqrt(1 - rho^2)`.
    pub fn ergodic_sd(&self) -> [f64; 4] {
        std::array::from_fn(|k| self.sigma[k] / (1.0 - self.rho[k] * self.rho[k]).sqrt())
    }

    /// Next period's exogenous states `rho x + eps`.
    pub fn next_exogenous(&self, s: &State, e: &Shock) -> [f64; 4] {
        std::array::from_fn(|k| self.rho[k] * s[k] + e[k])
    }

    /// The gross return on savings `rbar exp(r')`.
    pub fn gross_return(&self, next: &[f64; 4]) -> f64 {
        self.rbar * next[0].exp()
    }

    /// Income `exp(p') exp(q')`.
    pub fn income(&self, next: &[f64; 4]) -> f64 {
        (next[3] + next[2]).exp()
    }

    /// `n` draws of ergodic states, cash on hand uniform on `[w_min, w_max]`,
    /// and two independent sets of innovations, from `seed`.
    pub fn draw(&self, n: usize, seed: u64) -> Result<Draws> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        self.draw_with(n, &mut rng)
    }

    /// As [`ConsumptionSavingParams::draw`], from a running generator.
    pub fn draw_with(&self, n: usize, rng: &mut impl Rng) -> Result<Draws> {
        self.check()?;
        if n == 0 {
            return Err(Error::invalid("0 draws, expected at least 1"));
        }
        let sd = self.ergodic_sd();
        let mut states = Vec::with_capacity(n);
        let (mut shocks1, mut shocks2) = (Vec::with_capacity(n), Vec::with_capacity(n));
        for _ in 0..n {
            let mut s = [0.0; 5];
            for k in 0..4 {
                s[k] = sd[k] * standard_normal(rng);
            }
            s[4] = self.w_min + (self.w_max - self.w_min) * rng.random::<f64>();
            states.push(s);
            shocks1.push(std::array::from_fn(|k| {
                self.sigma[k] * standard_normal(rng)
            }));
            shocks2.push(std::array::from_fn(|k| {
                self.sigma[k] * standard_normal(rng)
            }));
        }
        Ok(Draws {
            states,
            shocks1,
            shocks2,
        })
    }
}

/// A standard normal draw (Box-Muller; one of the pair is discarded, which
/// keeps the stream of draws simple to reproduce).
fn standard_normal(rng: &mut impl Rng) -> f64 {
    let u1: f64 = 1.0 - rng.random::<f64>(); // in (0, 1]
    let u2: f64 = rng.random::<f64>();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_have_the_ergodic_moments_and_are_seeded() {
        let p = ConsumptionSavingParams::default();
        p.check().unwrap();
        let d = p.draw(20000, 3).unwrap();
        assert_eq!(d, p.draw(20000, 3).unwrap());
        let sd = p.ergodic_sd();
        for k in 0..4 {
            let var = d.states.iter().map(|s| s[k] * s[k]).sum::<f64>() / d.len() as f64;
            assert!((var.sqrt() / sd[k] - 1.0).abs() < 0.03, "state {k}");
            let var = d.shocks2.iter().map(|s| s[k] * s[k]).sum::<f64>() / d.len() as f64;
            assert!((var.sqrt() / p.sigma[k] - 1.0).abs() < 0.03, "shock {k}");
        }
        assert!(d.states.iter().all(|s| s[4] >= p.w_min && s[4] <= p.w_max));
    }

    #[test]
    fn bad_parameters_are_named() {
        let p = ConsumptionSavingParams::default();
        let cases = [
            (ConsumptionSavingParams { beta: 1.0, ..p }, "beta"),
            (
                ConsumptionSavingParams {
                    gamma: f64::NAN,
                    ..p
                },
                "gamma",
            ),
            (ConsumptionSavingParams { rbar: 1.2, ..p }, "rbar"),
            (
                ConsumptionSavingParams {
                    rho: [0.2, 1.0, 0.9, 0.9],
                    ..p
                },
                "rho_delta",
            ),
            (
                ConsumptionSavingParams {
                    sigma: [0.0, 0.1, 0.1, 0.1],
                    ..p
                },
                "sigma_r",
            ),
            (ConsumptionSavingParams { w_min: 5.0, ..p }, "cash-on-hand"),
        ];
        for (q, name) in cases {
            let e = q.check().unwrap_err().to_string();
            assert!(e.contains(name), "{e}");
        }
        assert!(p.draw(0, 0).is_err());
        assert!(Draws::new(vec![[0.0; 5]], vec![], vec![]).is_err());
        assert!(Draws::new(vec![[f64::NAN; 5]], vec![[0.0; 4]], vec![[0.0; 4]]).is_err());
    }
}
