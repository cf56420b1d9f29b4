//! The 1-D uniform grid of `2^L` points and its binary (quantized) index.

use crate::error::{Error, Result};

/// The largest number of bits of a grid: indices must fit a `u64`.
pub const MAX_BITS: u32 = 63;

/// A uniform grid of `N = 2^L` points `x_i = lo + i h`, `h = (hi - lo) / (N - 1)`,
/// endpoints included, on which a QTT has `L` binary modes.
///
/// **Bit order: most significant bit first.** Site `k` (0-based) of the QTT
/// holds bit `b_k` with `i = sum_k b_k 2^(L-1-k)`, so site 0 splits the grid
/// into its left and right halves and the last site tells neighbours apart.
/// This is *not* the column-major linear index of the QTT's dense form (which
/// has site 0 fastest); use [`crate::grid::Grid::to_vector`] to get a plain
/// vector in grid order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Grid1d {
    lo: f64,
    hi: f64,
    bits: u32,
}

impl Grid1d {
    /// A grid of `2^bits` points on `[lo, hi]`; needs `1 <= bits <= 63`,
    /// finite `lo < hi`.
    pub fn new(lo: f64, hi: f64, bits: u32) -> Result<Self> {
        if !(1..=MAX_BITS).contains(&bits) {
            return Err(Error::invalid(format!(
                "grid with L = {bits} bits, expected 1 <= L <= {MAX_BITS}"
            )));
        }
        if !lo.is_finite() || !hi.is_finite() {
            return Err(Error::NonFinite(format!(
                "grid interval [{lo}, {hi}] must be finite"
            )));
        }
        if lo >= hi {
            return Err(Error::invalid(format!(
                "grid interval [{lo}, {hi}] is empty, expected lo < hi"
            )));
        }
        let g = Self { lo, hi, bits };
        let h = g.spacing();
        if !(h.is_finite() && h > 0.0) {
            return Err(Error::invalid(format!(
                "grid interval [{lo}, {hi}] with 2^{bits} points has spacing {h}, \
                 expected a finite positive number"
            )));
        }
        Ok(g)
    }

    /// Number of bits `L` (= number of QTT sites).
    pub fn bits(&self) -> u32 {
        self.bits
    }
    /// Left end point.
    pub fn lo(&self) -> f64 {
        self.lo
    }
    /// Right end point.
    pub fn hi(&self) -> f64 {
        self.hi
    }
    /// Number of points `2^L`.
    pub fn len(&self) -> u64 {
        1u64 << self.bits
    }
    /// Always false: a grid has at least two points.
    pub fn is_empty(&self) -> bool {
        false
    }
    /// The spacing `h = (hi - lo) / (2^L - 1)`.
    pub fn spacing(&self) -> f64 {
        (self.hi - self.lo) / ((self.len() - 1) as f64)
    }
    /// The QTT mode sizes `[2; L]`.
    pub fn modes(&self) -> Vec<usize> {
        vec![2; self.bits as usize]
    }
    /// The weight of bit `k` in the coordinate: `x = lo + sum_k b_k bit_step(k)`;
    /// an error unless `k < L`.
    pub fn bit_step(&self, k: usize) -> Result<f64> {
        if k >= self.bits as usize {
            return Err(Error::invalid(format!(
                "bit {k} of a grid of L = {} bits, expected 0..{}",
                self.bits, self.bits
            )));
        }
        Ok(self.bit_step_unchecked(k))
    }

    pub(crate) fn bit_step_unchecked(&self, k: usize) -> f64 {
        self.spacing() * ((1u64 << (self.bits as usize - 1 - k)) as f64)
    }

    fn check_index(&self, i: u64) -> Result<()> {
        if i >= self.len() {
            return Err(Error::invalid(format!(
                "grid index {i} out of range for a grid of 2^{} points",
                self.bits
            )));
        }
        Ok(())
    }

    /// The coordinate `x_i` (the last index maps to `hi` exactly).
    pub fn coordinate(&self, i: u64) -> Result<f64> {
        self.check_index(i)?;
        Ok(self.coordinate_unchecked(i))
    }

    pub(crate) fn coordinate_unchecked(&self, i: u64) -> f64 {
        if i == self.len() - 1 {
            self.hi
        } else {
            self.lo + i as f64 * self.spacing()
        }
    }

    /// The bits of index `i`, most significant first.
    pub fn index_to_bits(&self, i: u64) -> Result<Vec<usize>> {
        self.check_index(i)?;
        Ok(self.bits_unchecked(i))
    }

    pub(crate) fn bits_unchecked(&self, i: u64) -> Vec<usize> {
        let l = self.bits as usize;
        (0..l).map(|k| ((i >> (l - 1 - k)) & 1) as usize).collect()
    }

    /// The index of a bit string, most significant first.
    pub fn bits_to_index(&self, bits: &[usize]) -> Result<u64> {
        if bits.len() != self.bits as usize {
            return Err(Error::shape(format!(
                "{} bits given for a grid of L = {}",
                bits.len(),
                self.bits
            )));
        }
        let mut i = 0u64;
        for (k, &b) in bits.iter().enumerate() {
            if b > 1 {
                return Err(Error::invalid(format!("bit {k} is {b}, expected 0 or 1")));
            }
            i = (i << 1) | b as u64;
        }
        Ok(i)
    }

    /// The interval `[x_i, x_{i+1}]` holding `x`, as `(i, t)` with
    /// `x = (1 - t) x_i + t x_{i+1}`, `0 <= t <= 1`. Errors outside `[lo, hi]`.
    pub fn locate(&self, x: f64) -> Result<(u64, f64)> {
        if !x.is_finite() {
            return Err(Error::NonFinite(format!("grid point x = {x}")));
        }
        if x < self.lo || x > self.hi {
            return Err(Error::invalid(format!(
                "point x = {x} lies outside the grid [{}, {}]",
                self.lo, self.hi
            )));
        }
        let s = (x - self.lo) / self.spacing();
        let i = (s.floor() as u64).min(self.len() - 2);
        Ok((i, (s - i as f64).clamp(0.0, 1.0)))
    }

    /// The index of the grid point nearest to `x`. Errors outside `[lo, hi]`.
    pub fn nearest_index(&self, x: f64) -> Result<u64> {
        let (i, t) = self.locate(x)?;
        Ok(if t > 0.5 { i + 1 } else { i })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_bits_coordinate_round_trip() {
        let g = Grid1d::new(-1.0, 3.0, 4).unwrap();
        assert_eq!(g.len(), 16);
        assert!((g.spacing() - 4.0 / 15.0).abs() < 1e-15);
        assert_eq!(g.index_to_bits(6).unwrap(), vec![0, 1, 1, 0]);
        assert_eq!(g.bits_to_index(&[1, 0, 1, 1]).unwrap(), 11);
        for i in 0..16 {
            let b = g.index_to_bits(i).unwrap();
            assert_eq!(g.bits_to_index(&b).unwrap(), i);
            let x = g.coordinate(i).unwrap();
            let step: f64 = (0..4).map(|k| b[k] as f64 * g.bit_step(k).unwrap()).sum();
            assert!((x - (-1.0 + step)).abs() < 1e-14);
            assert_eq!(g.nearest_index(x).unwrap(), i);
        }
        assert_eq!(g.coordinate(15).unwrap(), 3.0);
        let (i, t) = g
            .locate(g.coordinate(5).unwrap() + 0.25 * g.spacing())
            .unwrap();
        assert_eq!(i, 5);
        assert!((t - 0.25).abs() < 1e-12);
        assert_eq!(g.locate(3.0).unwrap(), (14, 1.0));
    }

    #[test]
    fn sixty_three_bits() {
        let g = Grid1d::new(0.0, 1.0, 63).unwrap();
        assert_eq!(g.len(), 1u64 << 63);
        let i = (1u64 << 63) - 1;
        assert_eq!(g.coordinate(i).unwrap(), 1.0);
        assert_eq!(g.bits_to_index(&g.index_to_bits(i).unwrap()).unwrap(), i);
    }

    #[test]
    fn bad_grids_and_points_are_errors() {
        assert!(Grid1d::new(0.0, 1.0, 0).is_err());
        assert!(Grid1d::new(0.0, 1.0, 64).is_err());
        assert!(Grid1d::new(1.0, 1.0, 4).is_err());
        assert!(Grid1d::new(2.0, 1.0, 4).is_err());
        assert!(Grid1d::new(f64::NAN, 1.0, 4).is_err());
        // a spacing that underflows to 0 or overflows to infinity
        assert!(Grid1d::new(-1.8e-308, -0.0, 53).is_err());
        assert!(Grid1d::new(-f64::MAX, f64::MAX, 4).is_err());
        let g = Grid1d::new(0.0, 1.0, 3).unwrap();
        assert!(g.coordinate(8).is_err());
        assert!(g.locate(1.5).is_err());
        assert!(g.locate(-0.1).is_err());
        assert!(g.bit_step(3).is_err() && g.bit_step(usize::MAX).is_err());
        assert_eq!(g.bit_step(2).unwrap(), g.spacing());
        assert!(g.locate(f64::INFINITY).is_err());
        assert!(g.bits_to_index(&[0, 1]).is_err());
        assert!(g.bits_to_index(&[0, 2, 1]).is_err());
        let e = Grid1d::new(0.0, 1.0, 70).unwrap_err().to_string();
        assert!(e.contains("L = 70"), "{e}");
    }
}
