//! Axis-aligned integer boxes in `Z^m`, the building block of a QRegion.

use super::ConstraintError;
use std::fmt;

/// The integer box `[lo_1, hi_1] x ... x [lo_m, hi_m]` (inclusive corners).
/// A box with `lo_k > hi_k` on some axis is empty and never stored.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IntBox {
    lo: Vec<i64>,
    hi: Vec<i64>,
}

impl IntBox {
    /// The box with corners `lo` and `hi`, or `None` when it is empty or the
    /// corners disagree in dimension.
    pub fn new(lo: Vec<i64>, hi: Vec<i64>) -> Option<Self> {
        (lo.len() == hi.len() && lo.iter().zip(&hi).all(|(a, b)| a <= b)).then_some(Self { lo, hi })
    }

    /// The single lattice point `p`.
    pub fn point(p: &[i64]) -> Self {
        Self {
            lo: p.to_vec(),
            hi: p.to_vec(),
        }
    }

    /// Lower corner.
    pub fn lo(&self) -> &[i64] {
        &self.lo
    }

    /// Upper corner.
    pub fn hi(&self) -> &[i64] {
        &self.hi
    }

    /// Dimension `m` of the lattice.
    pub fn dim(&self) -> usize {
        self.lo.len()
    }

    /// Number of lattice points (saturating).
    pub fn volume(&self) -> u128 {
        self.lo.iter().zip(&self.hi).fold(1u128, |v, (&a, &b)| {
            v.saturating_mul((b as i128 - a as i128) as u128 + 1)
        })
    }

    /// Whether `p` lies in the box.
    pub fn contains_point(&self, p: &[i64]) -> bool {
        p.iter()
            .zip(self.lo.iter().zip(&self.hi))
            .all(|(x, (a, b))| a <= x && x <= b)
    }

    /// Whether `other` lies inside this box.
    pub fn contains(&self, other: &IntBox) -> bool {
        (0..self.dim()).all(|k| self.lo[k] <= other.lo[k] && other.hi[k] <= self.hi[k])
    }

    /// The intersection (component-wise max of lows, min of highs), `O(m)`.
    pub fn intersect(&self, other: &IntBox) -> Option<IntBox> {
        let lo: Vec<i64> = self
            .lo
            .iter()
            .zip(&other.lo)
            .map(|(a, b)| *a.max(b))
            .collect();
        let hi: Vec<i64> = self
            .hi
            .iter()
            .zip(&other.hi)
            .map(|(a, b)| *a.min(b))
            .collect();
        IntBox::new(lo, hi)
    }

    /// Whether the two boxes share a lattice point.
    pub fn overlaps(&self, other: &IntBox) -> bool {
        (0..self.dim()).all(|k| self.lo[k].max(other.lo[k]) <= self.hi[k].min(other.hi[k]))
    }

    /// `self \ other` as at most `2m` disjoint boxes (slabs peeled axis by axis).
    pub fn subtract(&self, other: &IntBox) -> Vec<IntBox> {
        if !self.overlaps(other) {
            return vec![self.clone()];
        }
        let mut out = Vec::new();
        let mut rest = self.clone();
        for k in 0..self.dim() {
            if rest.lo[k] < other.lo[k] {
                let mut below = rest.clone();
                below.hi[k] = other.lo[k] - 1;
                out.push(below);
                rest.lo[k] = other.lo[k];
            }
            if rest.hi[k] > other.hi[k] {
                let mut above = rest.clone();
                above.lo[k] = other.hi[k] + 1;
                out.push(above);
                rest.hi[k] = other.hi[k];
            }
        }
        out
    }

    /// The box translated by `v`; an error if a corner leaves `i64`.
    pub fn shift(&self, v: &[i64]) -> Result<IntBox, ConstraintError> {
        Ok(IntBox {
            lo: checked_sum(&self.lo, v)?,
            hi: checked_sum(&self.hi, v)?,
        })
    }

    /// Box addition (the fusion rule): `[a1,b1] + [a2,b2] = [a1+a2, b1+b2]`;
    /// an error if a corner leaves `i64`.
    pub fn add(&self, other: &IntBox) -> Result<IntBox, ConstraintError> {
        Ok(IntBox {
            lo: checked_sum(&self.lo, &other.lo)?,
            hi: checked_sum(&self.hi, &other.hi)?,
        })
    }

    /// If the two boxes are disjoint and their union is a box, that box.
    pub(crate) fn merge(&self, other: &IntBox) -> Option<IntBox> {
        let mut axis = None;
        for k in 0..self.dim() {
            if self.lo[k] == other.lo[k] && self.hi[k] == other.hi[k] {
                continue;
            }
            if axis.is_some() {
                return None;
            }
            axis = Some(k);
        }
        let k = axis?;
        let touches = |a: i64, b: i64| a.checked_add(1) == Some(b);
        if touches(self.hi[k], other.lo[k]) || touches(other.hi[k], self.lo[k]) {
            let mut m = self.clone();
            m.lo[k] = self.lo[k].min(other.lo[k]);
            m.hi[k] = self.hi[k].max(other.hi[k]);
            Some(m)
        } else {
            None
        }
    }
}

/// `a + b` entry by entry, or an error naming the first sum that leaves `i64`.
pub(crate) fn checked_sum(a: &[i64], b: &[i64]) -> Result<Vec<i64>, ConstraintError> {
    a.iter()
        .zip(b)
        .map(|(&x, &y)| {
            x.checked_add(y).ok_or_else(|| {
                ConstraintError::Invalid(format!(
                    "the charge {x} + {y} overflows i64: coefficients and bounds must \
                     stay well inside the 64-bit range"
                ))
            })
        })
        .collect()
}

impl fmt::Display for IntBox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let axis = |k: usize| {
            if self.lo[k] == self.hi[k] {
                format!("{}", self.lo[k])
            } else {
                format!("{}..={}", self.lo[k], self.hi[k])
            }
        };
        if self.dim() == 1 {
            return if self.lo[0] == self.hi[0] {
                write!(f, "{{{}}}", self.lo[0])
            } else {
                write!(f, "[{},{}]", self.lo[0], self.hi[0])
            };
        }
        let parts: Vec<String> = (0..self.dim()).map(axis).collect();
        write!(f, "({})", parts.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(lo: &[i64], hi: &[i64]) -> IntBox {
        IntBox::new(lo.to_vec(), hi.to_vec()).unwrap()
    }

    #[test]
    fn intersection_and_difference_partition_the_box() {
        let a = b(&[0, 0], &[4, 4]);
        let c = b(&[2, -1], &[3, 2]);
        let i = a.intersect(&c).unwrap();
        assert_eq!(i, b(&[2, 0], &[3, 2]));
        let d = a.subtract(&c);
        let vol: u128 = d.iter().map(IntBox::volume).sum();
        assert_eq!(vol + i.volume(), a.volume());
        for p in d.iter() {
            assert!(!p.overlaps(&c) && a.contains(p));
        }
        assert!(IntBox::new(vec![1], vec![0]).is_none());
    }

    #[test]
    fn fusion_adds_corners() {
        let s = b(&[1, -2], &[3, 0]).add(&b(&[0, 5], &[2, 5])).unwrap();
        assert_eq!(s, b(&[1, 3], &[5, 5]));
        assert_eq!(b(&[0], &[2]).merge(&b(&[3], &[4])), Some(b(&[0], &[4])));
        assert_eq!(b(&[0], &[2]).merge(&b(&[4], &[4])), None);
    }

    #[test]
    fn arithmetic_at_the_ends_of_i64_is_checked() {
        let top = b(&[i64::MAX - 1], &[i64::MAX]);
        assert!(top.shift(&[1]).is_err());
        assert!(top.shift(&[-1]).is_ok());
        assert!(top.add(&b(&[0], &[1])).is_err());
        let all = b(&[i64::MIN], &[i64::MAX]);
        assert_eq!(all.volume(), 1u128 << 64);
        let (lo, hi) = (b(&[i64::MIN], &[i64::MIN]), b(&[i64::MAX], &[i64::MAX]));
        assert_eq!(hi.merge(&lo), None);
        assert_eq!(lo.merge(&hi), None);
    }
}
