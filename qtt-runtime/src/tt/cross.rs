//! Cross approximation: a tensor train from a black-box function of the
//! multi-index, sampling only `O(d n^2 r^2)` entries per sweep.
//!
//! The scheme is the rank-adaptive two-site ("DMRG") cross of Savostyanov
//! and Oseledets (2011): at each bond the supercore
//! `f(I_k, i_k, i_{k+1}, J_{k+2})` is sampled on the current left and right
//! index sets, split by a truncated SVD (which sets the new rank), and the
//! maxvol rows of the left factor become the next left index set. Sweeps
//! alternate direction (the right-to-left one runs on the mirrored problem)
//! until two successive approximations agree to the tolerance. Samples are
//! cached, so `evaluations` counts distinct points.

use super::maxvol::maxvol;
use super::{Core, TensorTrain};
use crate::error::{check_nonneg, Error, Result};
use crate::linalg::{view, Truncation};
use nalgebra::DMatrix;
use rand::{Rng, SeedableRng};
use rayon::prelude::*;
use std::collections::HashMap;

/// Options of [`cross`].
#[derive(Debug, Clone, PartialEq)]
pub struct CrossOptions {
    /// Relative accuracy: the SVD tolerance of each bond update; sweeps stop
    /// once successive approximations differ by less than `2 tol sqrt(d - 1)`.
    pub tol: f64,
    /// Largest rank allowed.
    pub max_rank: usize,
    /// Largest number of half-sweeps.
    pub max_sweeps: usize,
    /// Size of the random initial right index sets.
    pub initial_rank: usize,
    /// Seed of the initial index sets.
    pub seed: u64,
    /// Send one progress line per half-sweep as a `log` record (see
    /// [`crate::progress`]); the library never prints it itself.
    pub verbose: bool,
    /// Which samples each bond update uses.
    pub method: CrossMethod,
}

/// The sampling scheme of [`cross`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CrossMethod {
    /// Two-site when every mode has at most 4 values (QTT's binary modes,
    /// where a supercore costs little more than a fibre and discovers ranks
    /// far better), one-site with 2 extra indices otherwise.
    Auto,
    /// Whole two-site supercores `r n x n r` (Savostyanov-Oseledets): the
    /// most robust rank discovery, `n` times the samples of one-site.
    TwoSite,
    /// One-site fibres `r n x (r + extra)`, the right set enriched by `extra`
    /// random multi-indices per bond and sweep, so ranks can grow by `extra`
    /// per sweep: far fewer samples on large modes.
    OneSite {
        /// Random right indices added at each bond and half-sweep.
        extra: usize,
    },
}

impl Default for CrossOptions {
    fn default() -> Self {
        Self {
            tol: 1e-10,
            max_rank: 200,
            max_sweeps: 30,
            initial_rank: 2,
            seed: 0,
            verbose: false,
            method: CrossMethod::Auto,
        }
    }
}

/// What a cross approximation did.
#[derive(Debug, Clone, PartialEq)]
pub struct CrossReport {
    /// Distinct points at which the function was evaluated.
    pub evaluations: usize,
    /// Half-sweeps performed.
    pub sweeps: usize,
    /// Ranks of the result.
    pub ranks: Vec<usize>,
    /// Relative change `||x_s - x_{s-1}|| / ||x_s||` between the last two sweeps.
    pub change: f64,
    /// Whether the change fell below the tolerance.
    pub converged: bool,
}

/// A batch of samples: `points` holds `points.len() / d` multi-indices of
/// `d` indices each; the values come back in the same order.
type BatchFn<'f> = dyn Fn(&[usize], usize) -> Result<Vec<f64>> + Sync + 'f;

/// Caches samples keyed by the mixed-radix packing of the multi-index.
struct Sampler<'f> {
    f: &'f BatchFn<'f>,
    radix: Option<Vec<u128>>,
    cache: HashMap<u128, f64>,
    evaluations: usize,
}

impl Sampler<'_> {
    /// Values at `points` (flat, `d` indices each, original site order).
    fn sample(&mut self, points: &[usize], d: usize) -> Result<Vec<f64>> {
        let count = points.len() / d;
        let Some(radix) = &self.radix else {
            self.evaluations += count;
            return checked((self.f)(points, d)?, points, d);
        };
        let keys: Vec<u128> = points
            .chunks(d)
            .map(|p| p.iter().zip(radix).map(|(&i, &s)| i as u128 * s).sum())
            .collect();
        let mut missing: Vec<usize> = Vec::new();
        for (j, k) in keys.iter().enumerate() {
            if !self.cache.contains_key(k) {
                missing.push(j);
            }
        }
        missing.dedup_by_key(|j| keys[*j]);
        let flat: Vec<usize> = missing
            .iter()
            .flat_map(|&j| points[j * d..(j + 1) * d].to_vec())
            .collect();
        let values = checked((self.f)(&flat, d)?, &flat, d)?;
        for (&j, v) in missing.iter().zip(values) {
            if self.cache.insert(keys[j], v).is_none() {
                self.evaluations += 1;
            }
        }
        Ok(keys.iter().map(|k| self.cache[k]).collect())
    }
}

fn eval_all<F: Fn(&[usize]) -> f64 + Sync>(f: &F, points: &[usize], d: usize) -> Vec<f64> {
    if points.len() / d > 4096 {
        points.par_chunks(d).map(f).collect()
    } else {
        points.chunks(d).map(f).collect()
    }
}

/// `values`, or an error naming the first non-finite one.
fn checked(values: Vec<f64>, points: &[usize], d: usize) -> Result<Vec<f64>> {
    if values.len() != points.len() / d {
        return Err(Error::Numerical(format!(
            "cross: the batch function returned {} values for {} points",
            values.len(),
            points.len() / d
        )));
    }
    if let Some(j) = values.iter().position(|v| !v.is_finite()) {
        return Err(Error::NonFinite(format!(
            "the function returned {} at index {:?}",
            values[j],
            &points[j * d..(j + 1) * d]
        )));
    }
    Ok(values)
}

/// Index sets of one sweep direction: `left[k]` holds multi-indices of
/// sites `0..k`, `right[k]` of sites `k..d`.
struct Sets {
    left: Vec<Vec<Vec<usize>>>,
    right: Vec<Vec<Vec<usize>>>,
    /// `saturated[k]`: the last update of bond `k` kept every direction it
    /// saw, so its rank may be too small and one-site sweeps enrich it.
    saturated: Vec<bool>,
}

impl Sets {
    fn mirrored(&self) -> Sets {
        let d = self.left.len() - 1;
        let flip = |sets: &Vec<Vec<usize>>| -> Vec<Vec<usize>> {
            sets.iter()
                .map(|s| s.iter().rev().copied().collect())
                .collect()
        };
        Sets {
            left: (0..=d).map(|k| flip(&self.right[d - k])).collect(),
            right: (0..=d).map(|k| flip(&self.left[d - k])).collect(),
            saturated: self.saturated.iter().rev().copied().collect(),
        }
    }
}

/// [`CrossMethod`] with `Auto` resolved.
#[derive(Debug, Clone, Copy)]
enum Scheme {
    TwoSite,
    OneSite(usize),
}

impl Scheme {
    fn resolve(method: CrossMethod, modes: &[usize]) -> Self {
        match method {
            CrossMethod::TwoSite => Scheme::TwoSite,
            CrossMethod::OneSite { extra } => Scheme::OneSite(extra),
            CrossMethod::Auto if modes.iter().all(|&n| n <= 4) => Scheme::TwoSite,
            CrossMethod::Auto => Scheme::OneSite(2),
        }
    }
}

/// The column multi-indices (sites `k + 1..d`) sampled at bond `k`.
fn right_parts(
    scheme: Scheme,
    modes: &[usize],
    sets: &Sets,
    k: usize,
    rng: &mut rand_chacha::ChaCha8Rng,
) -> Vec<Vec<usize>> {
    match scheme {
        Scheme::TwoSite => {
            let mut parts = Vec::with_capacity(modes[k + 1] * sets.right[k + 2].len());
            for tail in &sets.right[k + 2] {
                for j in 0..modes[k + 1] {
                    let mut p = Vec::with_capacity(tail.len() + 1);
                    p.push(j);
                    p.extend_from_slice(tail);
                    parts.push(p);
                }
            }
            parts
        }
        Scheme::OneSite(extra) => {
            let mut parts = sets.right[k + 1].clone();
            let extra = if sets.saturated[k + 1] { extra } else { 0 };
            for _ in 0..extra {
                parts.push(
                    modes[k + 1..]
                        .iter()
                        .map(|&n| rng.random_range(0..n))
                        .collect(),
                );
            }
            parts.sort();
            parts.dedup();
            parts
        }
    }
}

/// Samples `f(left, i, right)` for every left index, site value `i` and
/// right part, as a column-major `(left i) x right` matrix.
fn sample_block(
    sampler: &mut Sampler<'_>,
    left: &[Vec<usize>],
    n: usize,
    right: &[Vec<usize>],
    d: usize,
    mirror: bool,
) -> Result<Vec<f64>> {
    let mut points = Vec::with_capacity(left.len() * n * right.len() * d);
    for right_idx in right {
        for i in 0..n {
            for left_idx in left {
                let start = points.len();
                points.extend_from_slice(left_idx);
                points.push(i);
                points.extend_from_slice(right_idx);
                if mirror {
                    points[start..].reverse();
                }
            }
        }
    }
    sampler.sample(&points, d)
}

/// One left-to-right half-sweep; returns the interpolating cores and
/// updates the left sets. `mirror` reverses each point before sampling.
fn half_sweep(
    sampler: &mut Sampler<'_>,
    modes: &[usize],
    sets: &mut Sets,
    (trunc, tol, scheme): (&Truncation, f64, Scheme),
    rng: &mut rand_chacha::ChaCha8Rng,
    mirror: bool,
) -> Result<Vec<Core>> {
    let d = modes.len();
    let mut cores = Vec::with_capacity(d);
    for k in 0..d - 1 {
        let parts = right_parts(scheme, modes, sets, k, rng);
        let lk = &sets.left[k];
        let (rl, n1) = (lk.len(), modes[k]);
        let rows = rl * n1;
        let s = sample_block(sampler, lk, n1, &parts, d, mirror)?;
        let smat = view(&s, rows, parts.len());
        let total: f64 = s.iter().map(|v| v * v).sum();
        let (svd, _) = crate::linalg::svd_truncated(smat, trunc, tol * tol * total)?;
        let r = svd.s.len();
        sets.saturated[k + 1] = r == rows.min(parts.len());
        let piv = maxvol(&svd.u, 1e-2, 4 * rows);
        let sub = DMatrix::from_fn(r, r, |i, j| svd.u[(piv[i], j)]);
        let inv = sub
            .try_inverse()
            .ok_or_else(|| Error::Numerical("cross: singular maxvol submatrix".into()))?;
        cores.push(Core::from_left(&svd.u * inv, rl, n1));
        sets.left[k + 1] = piv
            .iter()
            .map(|&p| {
                let mut idx = lk[p % rl].clone();
                idx.push(p / rl);
                idx
            })
            .collect();
    }
    // The last core holds the samples f(I_{d-1}, i_{d-1}).
    let n = modes[d - 1];
    let last = sample_block(sampler, &sets.left[d - 1], n, &[Vec::new()], d, mirror)?;
    cores.push(Core::from_parts(sets.left[d - 1].len(), n, 1, last));
    Ok(cores)
}

/// Random initial right sets of `size` multi-indices per bond.
fn initial_sets(modes: &[usize], size: usize, seed: u64) -> Sets {
    let d = modes.len();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let mut right = vec![Vec::new(); d + 1];
    right[d] = vec![Vec::new()];
    let points: Vec<Vec<usize>> = (0..size)
        .map(|_| modes.iter().map(|&n| rng.random_range(0..n)).collect())
        .collect();
    for k in 0..d {
        let mut s: Vec<Vec<usize>> = points.iter().map(|p| p[k..].to_vec()).collect();
        s.sort();
        s.dedup();
        right[k] = s;
    }
    let mut left = vec![Vec::new(); d + 1];
    left[0] = vec![Vec::new()];
    Sets {
        left,
        right,
        saturated: vec![true; d + 1],
    }
}

/// A tensor train interpolating `f` on the grid `modes` to relative accuracy
/// `opts.tol` (rank-adaptive), with a report of the evaluations used.
///
/// `f` may be called from several threads at once.
pub fn cross<F>(f: F, modes: &[usize], opts: &CrossOptions) -> Result<(TensorTrain, CrossReport)>
where
    F: Fn(&[usize]) -> f64 + Sync,
{
    cross_batch(|points, d| Ok(eval_all(&f, points, d)), modes, opts)
}

/// [`cross`] with a function that evaluates a whole batch of multi-indices
/// at once (`f(points, d)`: `points.len() / d` multi-indices of `d` indices
/// each, values in the same order), for functions whose evaluation shares
/// work between points, such as element-wise maps of tensor trains.
pub fn cross_batch<F>(
    f: F,
    modes: &[usize],
    opts: &CrossOptions,
) -> Result<(TensorTrain, CrossReport)>
where
    F: Fn(&[usize], usize) -> Result<Vec<f64>> + Sync,
{
    super::train::check_modes(modes)?;
    check_nonneg("cross tolerance", opts.tol)?;
    if opts.max_rank == 0 || opts.initial_rank == 0 || opts.max_sweeps == 0 {
        return Err(Error::invalid(
            "cross: max_rank, initial_rank and max_sweeps must be at least 1",
        ));
    }
    let d = modes.len();
    let scheme = Scheme::resolve(opts.method, modes);
    let bits: f64 = modes.iter().map(|&n| (n as f64).log2()).sum();
    let radix = (bits < 127.0).then(|| {
        let mut acc = 1u128;
        modes
            .iter()
            .map(|&n| {
                let s = acc;
                acc *= n as u128;
                s
            })
            .collect()
    });
    let mut sampler = Sampler {
        f: &f,
        radix,
        cache: HashMap::new(),
        evaluations: 0,
    };
    if d == 1 {
        let points: Vec<usize> = (0..modes[0]).collect();
        let v = sampler.sample(&points, 1)?;
        let x = TensorTrain::product(&[v])?;
        let report = CrossReport {
            evaluations: sampler.evaluations,
            sweeps: 0,
            ranks: x.ranks(),
            change: 0.0,
            converged: true,
        };
        return Ok((x, report));
    }
    let trunc = Truncation::rank(opts.max_rank)?;
    let mut sets = initial_sets(modes, opts.initial_rank, opts.seed);
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(opts.seed ^ 0x9e37_79b9_7f4a_7c15);
    let mirrored_modes: Vec<usize> = modes.iter().rev().copied().collect();
    // Forward and backward sweeps give two different interpolants, each
    // accurate to about `tol`, so progress is measured against the last
    // approximation of the same direction.
    let mut history: Vec<TensorTrain> = Vec::new();
    // Each bond truncation may move the train by `tol` (relative), so two
    // converged sweeps can differ by up to about `2 tol sqrt(d - 1)`.
    let noise_floor = 2.0 * opts.tol * ((d - 1) as f64).sqrt();
    let mut change = f64::INFINITY;
    let mut converged = false;
    let mut sweeps = 0;
    while sweeps < opts.max_sweeps {
        let evaluations_before = sampler.evaluations;
        let forward = sweeps % 2 == 0;
        let x = if forward {
            TensorTrain::from_cores_unchecked(half_sweep(
                &mut sampler,
                modes,
                &mut sets,
                (&trunc, opts.tol, scheme),
                &mut rng,
                false,
            )?)
        } else {
            let mut m = sets.mirrored();
            let cores = half_sweep(
                &mut sampler,
                &mirrored_modes,
                &mut m,
                (&trunc, opts.tol, scheme),
                &mut rng,
                true,
            )?;
            sets = m.mirrored();
            TensorTrain::from_cores_unchecked(cores.into_iter().rev().map(mirror_core).collect())
        };
        sweeps += 1;
        let same_dir = history.len().checked_sub(2).map(|i| &history[i]);
        if let Some(p) = same_dir {
            change = x.sub(p)?.norm() / x.norm().max(f64::MIN_POSITIVE);
        }
        if opts.verbose {
            log::info!(
                target: "qtt::cross",
                "cross sweep {sweeps}: max rank {}, evaluations {}, change {change:.2e}",
                x.max_rank(),
                sampler.evaluations
            );
        }
        // Stationary index sets (no new samples) reproduce the same train.
        let stationary = sampler.evaluations == evaluations_before && sweeps > 2;
        let stable_ranks = same_dir.is_some_and(|p| p.ranks() == x.ranks());
        history.push(x);
        if (change <= noise_floor && stable_ranks) || stationary {
            converged = true;
            break;
        }
    }
    let prev = history.pop();
    let x = prev.expect("at least one sweep ran");
    let report = CrossReport {
        evaluations: sampler.evaluations,
        sweeps,
        ranks: x.ranks(),
        change,
        converged,
    };
    Ok((x, report))
}

/// A core of the mirrored train: `(rl, n, rr)` -> `(rr, n, rl)`.
fn mirror_core(c: Core) -> Core {
    let (rl, n, rr) = c.shape();
    let data = crate::linalg::permute(c.data(), &[rl, n, rr], &[2, 1, 0]);
    Core::from_parts(rr, n, rl, data)
}

impl TensorTrain {
    /// The element-wise map `f(x(i))` by cross approximation.
    pub fn map<F>(&self, f: F, opts: &CrossOptions) -> Result<(TensorTrain, CrossReport)>
    where
        F: Fn(f64) -> f64 + Sync,
    {
        cross(|i| f(self.eval_unchecked(i)), &self.modes(), opts)
    }

    /// The element-wise map `f(x(i), y(i))` of two trains by cross approximation.
    pub fn zip_map<F>(
        &self,
        other: &TensorTrain,
        f: F,
        opts: &CrossOptions,
    ) -> Result<(TensorTrain, CrossReport)>
    where
        F: Fn(f64, f64) -> f64 + Sync,
    {
        self.check_same_modes(other, "zip_map")?;
        cross(
            |i| f(self.eval_unchecked(i), other.eval_unchecked(i)),
            &self.modes(),
            opts,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovers_an_exactly_low_rank_tensor() {
        let x = TensorTrain::random(&[3, 4, 3, 4, 3], 3, 2).unwrap();
        let (y, report) =
            cross(|i| x.eval(i).unwrap(), &x.modes(), &CrossOptions::default()).unwrap();
        assert!(report.converged, "{report:?}");
        assert!(y.ranks().iter().all(|&r| r <= 3), "{:?}", y.ranks());
        let err = y.sub(&x).unwrap().norm() / x.norm();
        assert!(err < 1e-12, "{err}");
        assert!(report.evaluations < 432, "{report:?}");
    }

    #[test]
    fn smooth_function_to_tolerance() {
        let modes = [8; 6];
        let h = 1.0 / 7.0;
        let f = |i: &[usize]| 1.0 / (1.0 + i.iter().map(|&k| (k as f64 * h).powi(2)).sum::<f64>());
        let opts = CrossOptions {
            tol: 1e-9,
            ..Default::default()
        };
        let (y, report) = cross(
            f,
            &modes,
            &CrossOptions {
                verbose: true,
                ..opts
            },
        )
        .unwrap();
        assert!(report.converged, "{report:?}");
        let dense = y.to_dense().unwrap();
        let mut max_err: f64 = 0.0;
        for (lin, v) in dense.iter().enumerate() {
            let idx: Vec<usize> = (0..6).map(|k| (lin >> (3 * k)) & 7).collect();
            max_err = max_err.max((v - f(&idx)).abs());
        }
        assert!(max_err < 1e-8, "{max_err}");
    }

    #[test]
    fn maps_and_errors() {
        let x = TensorTrain::random(&[2; 8], 2, 4).unwrap();
        let (y, _) = x.map(|v| v * v, &CrossOptions::default()).unwrap();
        let want = x.hadamard(&x).unwrap();
        assert!(y.sub(&want).unwrap().norm() < 1e-10 * want.norm());
        let (z, _) = x
            .zip_map(&y, |a, b| a - b, &CrossOptions::default())
            .unwrap();
        let want = x.sub(&y).unwrap();
        assert!(z.sub(&want).unwrap().norm() < 1e-10 * want.norm());
        let bad = cross(|_| f64::NAN, &[2, 2], &CrossOptions::default());
        assert!(matches!(bad, Err(Error::NonFinite(_))));
        let opts = CrossOptions {
            tol: -1.0,
            ..Default::default()
        };
        assert!(cross(|_| 1.0, &[2, 2], &opts).is_err());
        let opts = CrossOptions {
            max_rank: 0,
            ..Default::default()
        };
        assert!(cross(|_| 1.0, &[2, 2], &opts).is_err());
        let (one, _) = cross(|i| i[0] as f64, &[5], &CrossOptions::default()).unwrap();
        assert_eq!(one.to_dense().unwrap(), vec![0.0, 1.0, 2.0, 3.0, 4.0]);
    }
}
