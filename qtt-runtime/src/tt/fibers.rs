//! Batched evaluation of a quantized tensor train: every value of its last
//! mode at many points of its binary modes, sharing the work of common
//! prefixes and suffixes.
//!
//! A point is a grid index `w` whose bits (most significant first) are the
//! binary modes. The train is split at the bond `m` that minimises the
//! work: left vectors for the distinct `m`-bit prefixes (a trie from the
//! left, `r^2` flops per node), right matrices (`r x K`) for the distinct
//! suffixes (a trie from the right, `r^2 K` per node), and one `r K`
//! product per point. Cross approximation samples products of index sets,
//! `I_left x {0,1}^2 x I_right`, so both tries stay small: a batch costs
//! about `(|I_left| + |I_right|) d r^2 K + points r K` instead of
//! `points d r^2`.

use super::TensorTrain;
use crate::error::{Error, Result};

/// Distinct keys, sorted.
fn distinct(mut keys: Vec<u64>) -> Vec<u64> {
    keys.sort_unstable();
    keys.dedup();
    keys
}

fn position(sorted: &[u64], key: u64) -> usize {
    sorted.binary_search(&key).expect("the key was inserted")
}

/// A batch of grid indices on `2^bits` points with the distinct prefixes
/// and suffixes of every length: built once, it serves every train over
/// the same bits (the components of a field stored as separate trains).
#[derive(Debug, Clone)]
pub struct FiberPoints {
    bits: usize,
    points: Vec<u64>,
    pre: Vec<Vec<u64>>,
    suf: Vec<Vec<u64>>,
}

impl FiberPoints {
    /// The batch `points` on `2^bits` points (`bits <= 63`).
    pub fn new(points: &[u64], bits: usize) -> Result<Self> {
        if bits > 63 {
            return Err(Error::invalid(format!(
                "eval_fibers: at most 63 binary modes, got {bits}"
            )));
        }
        if let Some(&w) = points.iter().find(|&&w| w >> bits != 0) {
            return Err(Error::invalid(format!(
                "eval_fibers: index {w} is outside a grid of 2^{bits} points"
            )));
        }
        let mut fp = Self {
            bits,
            points: points.to_vec(),
            pre: Vec::new(),
            suf: Vec::new(),
        };
        let every = points.len() as u64 == 1u64 << bits
            && points.iter().enumerate().all(|(i, &w)| w == i as u64);
        if every {
            // All points in order: the tries are complete.
            fp.pre = (0..=bits).map(|t| (0..1u64 << t).collect()).collect();
            fp.suf = (0..=bits)
                .map(|t| (0..1u64 << (bits - t)).collect())
                .collect();
        } else {
            fp.pre = (0..=bits)
                .map(|t| distinct(points.iter().map(|&w| fp.prefix(w, t)).collect()))
                .collect();
            fp.suf = (0..=bits)
                .map(|t| distinct(points.iter().map(|&w| fp.suffix(w, t)).collect()))
                .collect();
        }
        Ok(fp)
    }

    fn mask(len: usize) -> u64 {
        if len == 0 {
            0
        } else {
            u64::MAX >> (64 - len)
        }
    }

    /// The first `t` bits of `w`.
    fn prefix(&self, w: u64, t: usize) -> u64 {
        if t == 0 {
            0
        } else {
            w >> (self.bits - t)
        }
    }

    /// Bits `t..` of `w` (the low `bits - t` bits).
    fn suffix(&self, w: u64, t: usize) -> u64 {
        w & Self::mask(self.bits - t)
    }
}

impl TensorTrain {
    /// For a train whose modes are `2, ..., 2, K`, the `K` values of the
    /// last mode at each grid index of `points` (bits most significant
    /// first), flat: `out[p K + c]`.
    pub fn eval_fibers(&self, points: &[u64]) -> Result<Vec<f64>> {
        let nb = self.modes().len() - 1;
        self.eval_fibers_at(&FiberPoints::new(points, nb.min(64))?)
    }

    /// [`eval_fibers`](Self::eval_fibers) at a prepared batch.
    pub fn eval_fibers_at(&self, fp: &FiberPoints) -> Result<Vec<f64>> {
        let modes = self.modes();
        let nb = modes.len() - 1;
        if nb != fp.bits || modes[..nb].iter().any(|&n| n != 2) {
            return Err(Error::invalid(format!(
                "eval_fibers: the modes must be {} twos and a last mode, got {modes:?}",
                fp.bits
            )));
        }
        let k = modes[nb];
        let points = &fp.points;
        if points.is_empty() {
            return Ok(Vec::new());
        }
        let (pre, suf) = (&fp.pre, &fp.suf);
        let cores = self.cores();
        let ranks: Vec<usize> = (0..=nb).map(|t| cores[t].r_left()).collect();
        // Work of a split at m.
        let cost = |m: usize| -> usize {
            let left: usize = (1..=m)
                .map(|t| pre[t].len() * ranks[t - 1] * ranks[t])
                .sum();
            let right: usize = (m..nb)
                .map(|t| suf[t].len() * ranks[t] * ranks[t + 1] * k)
                .sum();
            left + right
        };
        let m = (0..=nb).min_by_key(|&m| cost(m)).unwrap_or(0);
        // Left vectors of the prefixes of length m.
        let mut left: Vec<f64> = vec![1.0];
        for t in 1..=m {
            let (rl, rr) = (ranks[t - 1], ranks[t]);
            let data = cores[t - 1].data();
            let mut next = vec![0.0; pre[t].len() * rr];
            for (slot, &p) in pre[t].iter().enumerate() {
                let parent = position(&pre[t - 1], p >> 1);
                let bit = (p & 1) as usize;
                let v = &left[parent * rl..(parent + 1) * rl];
                for b in 0..rr {
                    let col = &data[rl * (bit + 2 * b)..rl * (bit + 2 * b) + rl];
                    next[slot * rr + b] = col.iter().zip(v).map(|(g, x)| g * x).sum();
                }
            }
            left = next;
        }
        // Right matrices (r_t x K, row-major) of the suffixes from m.
        let last = &cores[nb];
        let rl_last = ranks[nb];
        let mut right: Vec<f64> = (0..rl_last * k)
            .map(|ac| last.get(ac / k, ac % k, 0))
            .collect();
        for t in (m..nb).rev() {
            let (rl, rr) = (ranks[t], ranks[t + 1]);
            let core = &cores[t];
            let len = nb - t;
            let mut next = vec![0.0; suf[t].len() * rl * k];
            for (slot, &s) in suf[t].iter().enumerate() {
                let bit = (s >> (len - 1)) as usize & 1;
                let child = position(&suf[t + 1], s & FiberPoints::mask(len - 1));
                let r = &right[child * rr * k..(child + 1) * rr * k];
                let out = &mut next[slot * rl * k..(slot + 1) * rl * k];
                for a in 0..rl {
                    for b in 0..rr {
                        let g = core.get(a, bit, b);
                        if g != 0.0 {
                            for c in 0..k {
                                out[a * k + c] += g * r[b * k + c];
                            }
                        }
                    }
                }
            }
            right = next;
        }
        let r = ranks[m];
        let mut out = vec![0.0; points.len() * k];
        for (p, &w) in points.iter().enumerate() {
            let lp = position(&pre[m], fp.prefix(w, m));
            let rp = position(&suf[m], fp.suffix(w, m));
            let lv = &left[lp * r..(lp + 1) * r];
            let rm = &right[rp * r * k..(rp + 1) * r * k];
            for c in 0..k {
                out[p * k + c] = (0..r).map(|a| lv[a] * rm[a * k + c]).sum();
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fibers_equal_pointwise_evaluation() {
        // Every third point backwards (the tries), and every point in order
        // (complete tries, built without sorting).
        let batches = |bits: usize| -> [Vec<u64>; 2] {
            [
                (0..(1u64 << bits)).rev().step_by(3).collect(),
                (0..(1u64 << bits)).collect(),
            ]
        };
        for (bits, points) in [0usize, 1, 5, 9]
            .into_iter()
            .flat_map(|b| batches(b).map(|p| (b, p)))
        {
            let mut modes = vec![2; bits];
            modes.push(3);
            let t = TensorTrain::random(&modes, 4, 7).unwrap();
            let f = t.eval_fibers(&points).unwrap();
            for (p, &w) in points.iter().enumerate() {
                for c in 0..3 {
                    let mut idx: Vec<usize> =
                        (0..bits).rev().map(|b| ((w >> b) & 1) as usize).collect();
                    idx.push(c);
                    let v = t.eval(&idx).unwrap();
                    assert!(
                        (f[p * 3 + c] - v).abs() < 1e-12 * (1.0 + v.abs()),
                        "{bits} {w} {c}"
                    );
                }
            }
        }
    }

    /// One prepared batch serves several trains over the same bits.
    #[test]
    fn prepared_points_serve_several_trains() {
        let points = [5u64, 0, 63, 17, 17];
        let fp = FiberPoints::new(&points, 6).unwrap();
        for seed in [1, 2] {
            let t = TensorTrain::random(&[2, 2, 2, 2, 2, 2, 1], 3, seed).unwrap();
            assert_eq!(
                t.eval_fibers_at(&fp).unwrap(),
                t.eval_fibers(&points).unwrap()
            );
        }
        let other = TensorTrain::random(&[2, 2, 2, 1], 3, 1).unwrap();
        assert!(other.eval_fibers_at(&fp).is_err());
        assert!(FiberPoints::new(&[64], 6).is_err());
        assert!(FiberPoints::new(&[0], 64).is_err());
    }

    #[test]
    fn rejects_wrong_modes_and_indices() {
        let t = TensorTrain::random(&[2, 3, 2], 2, 1).unwrap();
        assert!(t.eval_fibers(&[0]).is_err());
        let t = TensorTrain::random(&[2, 2, 2], 2, 1).unwrap();
        assert!(t.eval_fibers(&[4]).is_err());
        assert!(t.eval_fibers(&[3]).is_ok());
    }
}
