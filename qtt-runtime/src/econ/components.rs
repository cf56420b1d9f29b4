//! The coefficients of one cyclic-reduction level as one tensor train per
//! component (modes `2^b, 1` each). One train for all `K = 3 J^2 + 2 J`
//! components needs the sum of their ranks (60..160 for Huggett at `2^16`
//! points, 10..25 for each component alone), and every evaluation and
//! SVD of it costs the square or cube of that.
//!
//! Each component is truncated to an absolute error of `tol` times its
//! scale (its largest magnitude, at least 1e-6 of the largest of all
//! components): relative to its own norm a component that vanishes in
//! exact arithmetic would keep its rounding noise at full rank.

use super::reduction::{component_scales, cross_points, dense_fits, from_values, Compression};
use crate::error::Result;
use crate::linalg::Truncation;
use crate::tt::{Core, FiberPoints, TensorTrain};

/// Trains that can be read at a batch of points, all components of each
/// point together (point-major).
pub(crate) trait Fibers {
    /// The values at `ws`, `k` per point.
    fn fibers(&self, ws: &[u64]) -> Result<Vec<f64>>;
}

impl Fibers for TensorTrain {
    fn fibers(&self, ws: &[u64]) -> Result<Vec<f64>> {
        self.eval_fibers(ws)
    }
}

/// One train per component.
#[derive(Debug, Clone)]
pub(crate) struct Components {
    trains: Vec<TensorTrain>,
}

impl Fibers for Components {
    fn fibers(&self, ws: &[u64]) -> Result<Vec<f64>> {
        let k = self.trains.len();
        let mut out = vec![0.0; ws.len() * k];
        // One set of prefix and suffix tries for every component.
        let fp = FiberPoints::new(ws, self.bits())?;
        for (c, t) in self.trains.iter().enumerate() {
            for (p, v) in t.eval_fibers_at(&fp)?.into_iter().enumerate() {
                out[p * k + c] = v;
            }
        }
        Ok(out)
    }
}

impl Components {
    /// The field `f` on `2^bits` points with `k` components per point:
    /// evaluated everywhere and compressed by TT-SVD up to
    /// `2^c.dense_bits` points, crossed as one train above (then split).
    pub fn compress<F>(bits: usize, k: usize, c: &Compression, f: F) -> Result<Self>
    where
        F: Fn(&[u64]) -> Result<Vec<f64>> + Sync,
    {
        if bits <= c.dense_bits {
            dense_fits(bits, k)?;
            let all: Vec<u64> = (0..1u64 << bits).collect();
            let values = f(&all)?;
            let scale = component_scales(&values, k);
            let trains = (0..k)
                .map(|comp| {
                    let v: Vec<f64> = values.iter().skip(comp).step_by(k).copied().collect();
                    let norm = v.iter().map(|x| x * x).sum::<f64>().sqrt();
                    match relative_tol(c.tol, scale[comp], bits, norm) {
                        None => zeros(bits),
                        Some(tol) => from_values(bits, 1, &v, &[1.0], &c.with_tol(tol)),
                    }
                })
                .collect::<Result<_>>()?;
            return Ok(Self { trains });
        }
        Self::split(cross_points(bits, k, c, &f)?, bits, k, c)
    }

    /// The components of `joint` (modes `2^bits, k`), each rounded to its
    /// absolute tolerance.
    fn split(joint: TensorTrain, bits: usize, k: usize, c: &Compression) -> Result<Self> {
        let cores = joint.cores();
        let last = cores.last().expect("a last mode");
        let parts: Vec<TensorTrain> = (0..k)
            .map(|comp| {
                let mut cs = cores[..cores.len() - 1].to_vec();
                let col: Vec<f64> = (0..last.r_left()).map(|a| last.get(a, comp, 0)).collect();
                cs.push(Core::new(last.r_left(), 1, 1, col)?);
                TensorTrain::new(cs)
            })
            .collect::<Result<_>>()?;
        // Scales from the components' largest values at a few points.
        let parts = Self { trains: parts };
        let probes: Vec<u64> = (0..65u64).map(|i| (i << bits) / 65).collect();
        let scale = component_scales(&parts.fibers(&probes)?, k);
        let trains = parts
            .trains
            .into_iter()
            .enumerate()
            .map(
                |(comp, t)| match relative_tol(c.tol, scale[comp], bits, t.norm()) {
                    None => zeros(bits),
                    Some(tol) => t.round(&Truncation::tol(tol)?.with_max_rank(c.max_rank)?),
                },
            )
            .collect::<Result<_>>()?;
        Ok(Self { trains })
    }

    /// The components with the last wealth bit fixed to `bit`.
    pub fn slice_last_bit(&self, bit: usize) -> Result<Self> {
        Ok(Self {
            trains: self
                .trains
                .iter()
                .map(|t| super::reduction::slice_last_bit(t, bit))
                .collect::<Result<_>>()?,
        })
    }

    /// The number of wealth bits.
    pub fn bits(&self) -> usize {
        self.trains[0].len() - 1
    }

    /// The largest bond dimension of any component.
    pub fn max_rank(&self) -> usize {
        self.trains.iter().map(|t| t.max_rank()).max().unwrap_or(0)
    }
}

/// The tolerance relative to a component's own norm `norm` that is the
/// absolute error `tol * scale` per point on `2^bits` points (`None`: the
/// whole component is below it).
fn relative_tol(tol: f64, scale: f64, bits: usize, norm: f64) -> Option<f64> {
    let allowed = tol * scale * ((1u64 << bits) as f64).sqrt();
    (norm > allowed).then(|| allowed / norm)
}

/// A zero component on `2^bits` points.
fn zeros(bits: usize) -> Result<TensorTrain> {
    let mut modes = vec![2; bits];
    modes.push(1);
    TensorTrain::zeros(&modes)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A smooth component, one at rounding level beside a large one, and
    /// the large one: dense or crossed, the smooth ones come back to the
    /// tolerance and the rounding-level one as a zero train.
    #[test]
    fn components_keep_their_scales_and_drop_rounding_noise() {
        let bits = 9;
        let field = |ws: &[u64]| -> Result<Vec<f64>> {
            Ok(ws
                .iter()
                .flat_map(|&w| {
                    let x = w as f64 / 512.0;
                    let noise = 1e-20 * ((w * 2654435761) % 1000) as f64;
                    [(3.0 * x).sin(), noise, 1e3 * (1.0 + x * x)]
                })
                .collect())
        };
        for dense_bits in [0, 64] {
            let c = Compression {
                tol: 1e-13,
                max_rank: 64,
                dense_bits,
            };
            let comps = Components::compress(bits, 3, &c, field).unwrap();
            assert_eq!(comps.bits(), bits);
            assert!(
                comps.max_rank() <= 8,
                "{dense_bits}: rank {}",
                comps.max_rank()
            );
            let ws: Vec<u64> = (0..512).collect();
            let (got, want) = (comps.fibers(&ws).unwrap(), field(&ws).unwrap());
            for (p, (g, w)) in got.iter().zip(&want).enumerate() {
                // Crossed, the noise component keeps the cross's error at
                // its absolute tolerance (1e-13 of its floor scale 2e-3).
                let tol: f64 = [1e-11, 1e-15, 1e-9][p % 3];
                assert!((g - w).abs() <= tol, "{dense_bits} {p}: {g} vs {w}");
                if dense_bits > 0 && p % 3 == 1 {
                    assert_eq!(*g, 0.0, "dense: the noise is dropped");
                }
            }
        }
    }
}
