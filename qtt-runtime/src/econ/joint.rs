//! Seed 000's joint formulation of the equilibrium (its section 4): the
//! value function `V`, the distribution `g` and the price `r` as one point
//! of a product of Stiefel manifolds (the left-orthonormal cores of two
//! tensor trains, their last cores free) times the price axis, minimising
//! the "economic energy"
//!
//! `J = |rho V - u - A V|^2 / |u|^2 + |A^T g|^2 / (max |A_ii| |g|)^2
//!      + lambda ((sum x g da - target) / (amax - amin))^2`
//!
//! with `A`, `u` the upwind generator and utility of `V`'s own policy (the
//! scheme of [`finite_difference`](super::finite_difference) at `Delta =
//! inf`, so the banded LU's equilibrium has `J < 1e-20`, tested), and `g = psi^2 /
//! sum psi^2 da` (the seed's square-root parametrisation: non-negative,
//! mass 1). The minimiser is Riemannian consensus-based optimisation: a
//! swarm drifts towards its Gibbs-weighted mean (weights `exp(-alpha (J /
//! J_min - 1))`), with noise proportional to each particle's distance from
//! it, every step projected on the tangent space and retracted by QR; the
//! clearing penalty `lambda` grows geometrically (the seed's annealing).
//!
//! It is built to measure the seed's claim that the joint formulation beats
//! nested root finding. It does not: with 100 particles and 2000 steps on
//! `2^6` and `2^8` points (Huggett and Aiyagari) it ends 1e-3..3e-2 from
//! r* with the HJB residual of order 1 (0.2-0.4 when started from the
//! household's exact solution at the bracket's midpoint), where Brent
//! finds r* to 1e-14 in 10-11 household solves (`cargo bench --bench econ
//! -- --joint`). The swarm collapses on its consensus within a few hundred
//! steps, and the equilibria form a narrow valley: moving `r` with `V`
//! and `g` fixed raises their residuals. Averaging cores of different
//! particles is also gauge-dependent (a train's cores are fixed only up to
//! rotations between bonds); the particles share the start's gauge. Brent
//! with warm starts ([`Model::steady_state`]) stays the default. The energy is evaluated at every grid point (`O(N)` per
//! particle and step), so grids are limited to `2^MAX_JOINT_BITS` points.

use super::equilibrium::{Progress, ProgressFn};
use super::finite_difference::{aggregate, generator, policy, resources};
use super::quantized::{approximate, Pieces, QttOptions};
use super::{Model, SolveOptions};
use crate::error::{Error, Result};
use crate::linalg::Truncation;
use crate::tt::{Core, TensorTrain};
use nalgebra::DMatrix;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Largest grid (`2^MAX_JOINT_BITS` points) the joint formulation accepts.
pub const MAX_JOINT_BITS: u32 = 12;

/// Settings of the consensus-based minimisation.
#[derive(Clone)]
pub struct JointOptions {
    /// Particles in the swarm.
    pub particles: usize,
    /// CBO steps.
    pub iterations: usize,
    /// Bond dimension of `V` and of `psi` (`g = psi^2`).
    pub rank: usize,
    /// Drift towards the consensus, `lambda_c`.
    pub drift: f64,
    /// Noise `sigma` (times the distance to the consensus, per entry).
    pub noise: f64,
    /// Time step `dt`.
    pub step: f64,
    /// Sharpness `alpha` of the consensus weights `exp(-alpha (J / J_min - 1))`.
    pub alpha: f64,
    /// Clearing penalty at the start, its growth per step and its cap.
    pub penalty: (f64, f64, f64),
    /// Initial spread of the particles around the start, relative to each
    /// block's norm (the price is drawn uniformly from the bracket).
    pub spread: f64,
    /// Start from the banded LU's household solution at the bracket's
    /// midpoint (`V` and `g` exact there, only the price wrong) instead of
    /// `V = u(y) / rho` and a uniform `g`.
    pub warm_start: bool,
    /// Random seed.
    pub seed: u64,
    /// Progress every `report_every` steps ([`Progress::Joint`]).
    pub report_every: usize,
    /// The caller's progress callback.
    pub progress: Option<ProgressFn>,
}

impl Default for JointOptions {
    fn default() -> Self {
        Self {
            particles: 100,
            iterations: 2000,
            rank: 6,
            drift: 1.0,
            noise: 0.7,
            step: 0.05,
            alpha: 30.0,
            penalty: (1.0, 1.005, 1e6),
            spread: 0.05,
            warm_start: false,
            seed: 0x6a6f696e74,
            report_every: 100,
            progress: None,
        }
    }
}

/// One report of the swarm.
#[derive(Debug, Clone, PartialEq)]
pub struct JointReport {
    /// Step, from 0.
    pub iteration: usize,
    /// The best particle's energy (at the current penalty).
    pub energy: f64,
    /// The best particle's price.
    pub price: f64,
    /// The clearing penalty `lambda`.
    pub penalty: f64,
}

/// What the joint minimisation reached: its best particle.
#[derive(Debug, Clone)]
pub struct JointEquilibrium {
    /// The price.
    pub price: f64,
    /// Its energy at the final penalty.
    pub energy: f64,
    /// `|rho V - u - A V| / |u|`.
    pub hjb_residual: f64,
    /// `|A^T g| / (max |A_ii| |g|)`.
    pub kfe_residual: f64,
    /// `sum x g da - target`.
    pub excess: f64,
    /// `V` at every grid point, wealth-major (`i J + j`).
    pub value: Vec<f64>,
    /// `g` at every grid point, wealth-major.
    pub density: Vec<f64>,
    /// Energy evaluations.
    pub evaluations: usize,
    /// One report every `report_every` steps.
    pub history: Vec<JointReport>,
}

/// The parts of the energy at one point `(V, g, r)`.
#[derive(Debug, Clone, Copy)]
pub struct Energy {
    /// `|rho V - u - A V| / |u|`.
    pub hjb: f64,
    /// `|A^T g| / (max |A_ii| |g|)`.
    pub kfe: f64,
    /// `sum x g da - target`.
    pub excess: f64,
    /// `(sum x g da - target) / (amax - amin)`.
    pub clearing: f64,
}

impl Energy {
    /// `J` at clearing penalty `lambda`.
    pub fn total(&self, lambda: f64) -> f64 {
        self.hjb * self.hjb + self.kfe * self.kfe + lambda * self.clearing * self.clearing
    }
}

impl Model {
    /// The parts of seed 000's energy at `V`, `g` (both wealth-major, `g`
    /// with mass 1) and price `price`: zero at an equilibrium of the scheme.
    pub fn joint_energy(&self, value: &[f64], density: &[f64], price: f64) -> Result<Energy> {
        let n = self.points() as usize * self.states();
        if value.len() != n || density.len() != n {
            return Err(Error::shape(format!(
                "the energy needs V and g with {n} values, got {} and {}",
                value.len(),
                density.len()
            )));
        }
        crate::error::check_finite("V", value)?;
        crate::error::check_finite("g", density)?;
        let prices = self.prices(&[price])?;
        let y = resources(self, &prices)?;
        let p = policy(self, &y, value, None)?;
        let a = generator(self, &p.forward, &p.backward)?;
        let av = a.apply(value);
        let norm = |v: &[f64]| v.iter().map(|x| x * x).sum::<f64>().sqrt();
        let h: Vec<f64> = (0..n)
            .map(|k| self.rho * value[k] - p.utility[k] - av[k])
            .collect();
        let hjb = norm(&h) / norm(&p.utility).max(f64::MIN_POSITIVE);
        let atg = a.transpose().apply(density);
        let diag = (0..n).map(|k| a.get(k, k).abs()).fold(0.0, f64::max);
        let kfe = norm(&atg) / (diag * norm(density)).max(f64::MIN_POSITIVE);
        let (aggregate, target) = aggregate(self, &prices, density)?;
        let excess = aggregate - target;
        Ok(Energy {
            hjb,
            kfe,
            excess,
            clearing: excess / (self.amax - self.amin),
        })
    }

    /// Seed 000's joint equilibrium: `(V, g, r)` minimising the energy of
    /// [`joint_energy`](Self::joint_energy) by Riemannian consensus-based
    /// optimisation over tensor trains of rank `opts.rank` (see
    /// `econ::joint`). Grids of at most `2^MAX_JOINT_BITS` points.
    pub fn joint_equilibrium(&self, opts: &JointOptions) -> Result<JointEquilibrium> {
        opts.check()?;
        if self.bits > MAX_JOINT_BITS {
            return Err(Error::invalid(format!(
                "the joint formulation evaluates its energy at every point: at most 2^{MAX_JOINT_BITS} \
                 points, this grid has 2^{}",
                self.bits
            )));
        }
        let pieces = Pieces::new(self)?;
        let (lo, hi) = self.bracket;
        let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
        let start = Particle::start(self, &pieces, opts, 0.5 * (lo + hi))?;
        let per_particle: usize = start
            .v
            .iter()
            .chain(&start.psi)
            .map(|c| c.data().len())
            .sum();
        crate::memory::check_fits(
            "the joint formulation's swarm",
            opts.particles as u128 * (per_particle as u128 + 1) * 8,
        )?;
        let mut swarm: Vec<Particle> = (0..opts.particles)
            .map(|_| {
                let mut q = start.clone();
                q.perturb(opts.spread, &mut rng)?;
                q.price = rng.random_range(lo..hi);
                Ok(q)
            })
            .collect::<Result<_>>()?;
        let mut lambda = opts.penalty.0;
        let mut evaluations = 0;
        let mut history = Vec::new();
        let mut energies = Vec::with_capacity(swarm.len());
        for it in 0..=opts.iterations {
            energies.clear();
            for q in &swarm {
                energies.push(q.energy(self, &pieces)?);
            }
            evaluations += swarm.len();
            let totals: Vec<f64> = energies.iter().map(|e| e.total(lambda)).collect();
            let best = (0..totals.len())
                .min_by(|&a, &b| totals[a].total_cmp(&totals[b]))
                .unwrap_or(0);
            if it % opts.report_every == 0 || it == opts.iterations {
                let report = JointReport {
                    iteration: it,
                    energy: totals[best],
                    price: swarm[best].price,
                    penalty: lambda,
                };
                if let Some(f) = &opts.progress {
                    f(&Progress::Joint {
                        iteration: it,
                        energy: report.energy,
                        price: report.price,
                    });
                }
                history.push(report);
            }
            if it == opts.iterations {
                let q = &swarm[best];
                let (value, density) = q.fields(&pieces)?;
                let e = energies[best];
                return Ok(JointEquilibrium {
                    price: q.price,
                    energy: totals[best],
                    hjb_residual: e.hjb,
                    kfe_residual: e.kfe,
                    excess: e.excess,
                    value,
                    density,
                    evaluations,
                    history,
                });
            }
            let jmin = totals[best].max(f64::MIN_POSITIVE);
            let weights: Vec<f64> = totals
                .iter()
                .map(|&t| (-opts.alpha * (t / jmin - 1.0)).exp())
                .collect();
            let consensus = Particle::mean(&swarm, &weights)?;
            for q in &mut swarm {
                q.step(&consensus, opts, (lo, hi), &mut rng)?;
            }
            lambda = (lambda * opts.penalty.1).min(opts.penalty.2);
        }
        unreachable!("the loop returns at its last step")
    }
}

impl JointOptions {
    fn check(&self) -> Result<()> {
        let positive = [
            ("drift", self.drift),
            ("step", self.step),
            ("penalty", self.penalty.0),
            ("penalty growth", self.penalty.1),
            ("penalty cap", self.penalty.2),
        ];
        for (name, v) in positive {
            if !(v.is_finite() && v > 0.0) {
                return Err(Error::invalid(format!(
                    "joint formulation: {name} {v} must be positive"
                )));
            }
        }
        for (name, v) in [
            ("noise", self.noise),
            ("alpha", self.alpha),
            ("spread", self.spread),
        ] {
            if !(v.is_finite() && v >= 0.0) {
                return Err(Error::invalid(format!(
                    "joint formulation: {name} {v} must be non-negative"
                )));
            }
        }
        if self.particles == 0 || self.rank == 0 || self.report_every == 0 {
            return Err(Error::invalid(
                "joint formulation: particles, rank and report_every must be positive",
            ));
        }
        Ok(())
    }
}

/// One point of the manifold: the cores of `V` and `psi` (all but the last
/// left-orthonormal) and the price.
#[derive(Clone)]
struct Particle {
    v: Vec<Core>,
    psi: Vec<Core>,
    price: f64,
}

/// A train of rank at most `rank` near `t` (a small random part makes every
/// bond full), with its centre on the last core.
fn on_manifold(t: &TensorTrain, rank: usize, seed: u64) -> Result<Vec<Core>> {
    let noise = TensorTrain::random(&t.modes(), rank, seed)?;
    let scale = 1e-6 * t.norm() / noise.norm().max(f64::MIN_POSITIVE);
    let mut s = t
        .add(&noise.scaled(scale))?
        .round(&Truncation::rank(rank)?)?;
    s.orthogonalize(s.len() - 1)?;
    Ok(s.into_cores())
}

impl Particle {
    /// The start at `price`: `V = u(y) / rho` and a uniform `g`, or the
    /// household's solution there (`opts.warm_start`).
    fn start(model: &Model, p: &Pieces, opts: &JointOptions, price: f64) -> Result<Self> {
        let o = QttOptions::default();
        let (v, psi) = if opts.warm_start {
            let s = model.solve_household(price, &SolveOptions::finite_difference(), None)?;
            (
                approximate(p, &o, &|i, j| s.value.at(i, j))?,
                approximate(p, &o, &|i, j| s.density.at(i, j).max(0.0).sqrt())?,
            )
        } else {
            let prices = model.prices(&[price])?;
            let v = approximate(p, &o, &|i, j| {
                let y = model
                    .resources(&prices, model.wealth(i), j)
                    .unwrap_or(f64::NAN);
                model.utility.u(y.max(1e-3)) / model.rho
            })?;
            (v, TensorTrain::ones(&p.modes())?)
        };
        Ok(Self {
            v: on_manifold(&v, opts.rank, opts.seed)?,
            psi: on_manifold(&psi, opts.rank, opts.seed ^ 1)?,
            price,
        })
    }

    /// `V` and `g` at every point, wealth-major.
    fn fields(&self, p: &Pieces) -> Result<(Vec<f64>, Vec<f64>)> {
        let all: Vec<u64> = (0..p.points()).collect();
        let v = TensorTrain::new(self.v.clone())?.eval_fibers(&all)?;
        let mut g = TensorTrain::new(self.psi.clone())?.eval_fibers(&all)?;
        let mut mass = 0.0;
        for x in g.iter_mut() {
            *x *= *x;
            mass += *x * p.da;
        }
        if !(mass > 0.0 && mass.is_finite()) {
            return Err(Error::Numerical(format!(
                "joint formulation: a particle's density has mass {mass}"
            )));
        }
        g.iter_mut().for_each(|x| *x /= mass);
        Ok((v, g))
    }

    fn energy(&self, model: &Model, p: &Pieces) -> Result<Energy> {
        let (v, g) = self.fields(p)?;
        model.joint_energy(&v, &g, self.price)
    }

    /// The weighted mean in the ambient space (not on the manifold).
    fn mean(swarm: &[Particle], weights: &[f64]) -> Result<Particle> {
        let total: f64 = weights.iter().sum();
        let average = |pick: &dyn Fn(&Particle) -> &Vec<Core>| -> Result<Vec<Core>> {
            let first = pick(&swarm[0]);
            first
                .iter()
                .enumerate()
                .map(|(k, c)| {
                    let (rl, n, rr) = c.shape();
                    let mut data = vec![0.0; c.data().len()];
                    for (q, w) in swarm.iter().zip(weights) {
                        for (d, x) in data.iter_mut().zip(pick(q)[k].data()) {
                            *d += w / total * x;
                        }
                    }
                    Core::new(rl, n, rr, data)
                })
                .collect()
        };
        Ok(Particle {
            v: average(&|q| &q.v)?,
            psi: average(&|q| &q.psi)?,
            price: swarm
                .iter()
                .zip(weights)
                .map(|(q, w)| w / total * q.price)
                .sum(),
        })
    }

    /// Random tangent moves of relative size `spread`.
    fn perturb(&mut self, spread: f64, rng: &mut ChaCha8Rng) -> Result<()> {
        for cores in [&mut self.v, &mut self.psi] {
            let last = cores.len() - 1;
            for (k, c) in cores.iter_mut().enumerate() {
                let scale = spread * c.norm() / (c.data().len() as f64).sqrt();
                let z: Vec<f64> = (0..c.data().len()).map(|_| scale * normal(rng)).collect();
                move_core(c, &z, k == last)?;
            }
        }
        Ok(())
    }

    /// One CBO step towards `consensus`.
    fn step(
        &mut self,
        consensus: &Particle,
        o: &JointOptions,
        (lo, hi): (f64, f64),
        rng: &mut ChaCha8Rng,
    ) -> Result<()> {
        let sq = o.step.sqrt();
        let pairs = [(&mut self.v, &consensus.v), (&mut self.psi, &consensus.psi)];
        for (cores, target) in pairs {
            let last = cores.len() - 1;
            for (k, c) in cores.iter_mut().enumerate() {
                let z: Vec<f64> = c
                    .data()
                    .iter()
                    .zip(target[k].data())
                    .map(|(x, m)| {
                        let d = x - m;
                        -o.drift * o.step * d + o.noise * sq * d * normal(rng)
                    })
                    .collect();
                move_core(c, &z, k == last)?;
            }
        }
        let d = self.price - consensus.price;
        self.price =
            (self.price - o.drift * o.step * d + o.noise * sq * d * normal(rng)).clamp(lo, hi);
        Ok(())
    }
}

/// Moves core `c` by `z`: freely if `free`, else along the tangent space of
/// the Stiefel manifold of its left unfolding, retracted by QR.
fn move_core(c: &mut Core, z: &[f64], free: bool) -> Result<()> {
    let (rl, n, rr) = c.shape();
    if free {
        for (x, dz) in c.data_mut().iter_mut().zip(z) {
            *x += dz;
        }
        return Ok(());
    }
    let x = DMatrix::from_column_slice(rl * n, rr, c.data());
    let z = DMatrix::from_column_slice(rl * n, rr, z);
    let xtz = x.transpose() * &z;
    let tangent = &z - &x * (0.5 * (&xtz + xtz.transpose()));
    let qr = (&x + tangent).qr();
    let (mut q, r) = (qr.q(), qr.r());
    for k in 0..rr {
        if r[(k, k)] < 0.0 {
            q.column_mut(k).neg_mut();
        }
    }
    *c = Core::new(rl, n, rr, q.as_slice().to_vec())?;
    Ok(())
}

/// A standard normal draw (Box–Muller).
fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let u1: f64 = rng.random_range(f64::MIN_POSITIVE..1.0);
    let u2: f64 = rng.random_range(0.0..1.0);
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

#[cfg(test)]
mod tests {
    use crate::econ::{HuggettParams, SolveOptions};

    /// The energy vanishes at the banded LU's solution and grows with the
    /// clearing error away from r*.
    #[test]
    fn the_energy_vanishes_at_the_equilibrium_only() {
        let model = HuggettParams::default().model(64).unwrap();
        let eq = model
            .steady_state(
                &SolveOptions::finite_difference(),
                &crate::econ::EquilibriumOptions::default(),
            )
            .unwrap();
        let dense = |f: &crate::econ::Field| -> Vec<f64> {
            (0..64u64)
                .flat_map(|i| (0..2).map(move |j| f.at(i, j)))
                .collect()
        };
        let (v, g) = (dense(&eq.solution.value), dense(&eq.solution.density));
        let e = model.joint_energy(&v, &g, eq.price).unwrap();
        assert!(e.hjb < 1e-10 && e.kfe < 1e-10, "{e:?}");
        assert!(e.excess.abs() < 1e-10, "{e:?}");
        // Another price's household solution: its own HJB and KFE hold,
        // the market does not clear.
        let off = model
            .solve_household(eq.price + 0.005, &SolveOptions::finite_difference(), None)
            .unwrap();
        let (v, g) = (dense(&off.value), dense(&off.density));
        let e = model.joint_energy(&v, &g, eq.price + 0.005).unwrap();
        assert!(e.hjb < 1e-10 && e.kfe < 1e-10, "{e:?}");
        assert!((e.excess - off.excess).abs() < 1e-12, "{e:?}");
        assert!(e.clearing.abs() > 1e-3, "{e:?}");
        assert!((e.total(1.0) - e.clearing * e.clearing).abs() < 1e-18);
        // V perturbed: the HJB residual sees it.
        let mut v2 = v.clone();
        v2[40] += 1e-3;
        assert!(model.joint_energy(&v2, &g, eq.price + 0.005).unwrap().hjb > 1e-6);
    }
}
