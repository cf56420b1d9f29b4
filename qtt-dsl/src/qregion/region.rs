//! QRegions: finite unions of disjoint integer boxes, and their algebra.

use super::{ConstraintError, IntBox};
use std::fmt;

/// A quantum region: a set of charges in `Z^m` stored as disjoint boxes.
/// It labels one sector of a link of a constrained MPS.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct QRegion {
    boxes: Vec<IntBox>,
}

impl QRegion {
    /// The empty region.
    pub fn empty() -> Self {
        Self::default()
    }

    /// A region made of one box.
    pub fn from_box(b: IntBox) -> Self {
        Self { boxes: vec![b] }
    }

    /// A region from boxes that are already pairwise disjoint.
    ///
    /// Overlapping input is made disjoint (later boxes lose the overlap).
    pub fn from_boxes(boxes: Vec<IntBox>) -> Self {
        let mut r = Self::empty();
        for b in boxes {
            r = r.disjoint_union(&QRegion::from_box(b).difference(&r));
        }
        r.coalesce();
        r
    }

    /// A region from boxes known to be pairwise disjoint (no check, no merge).
    pub(crate) fn from_disjoint_boxes(boxes: Vec<IntBox>) -> Self {
        Self { boxes }
    }

    /// The boxes, pairwise disjoint.
    pub fn boxes(&self) -> &[IntBox] {
        &self.boxes
    }

    /// Whether the region holds no point.
    pub fn is_empty(&self) -> bool {
        self.boxes.is_empty()
    }

    /// Number of lattice points (saturating).
    pub fn volume(&self) -> u128 {
        self.boxes
            .iter()
            .map(IntBox::volume)
            .fold(0, u128::saturating_add)
    }

    /// Whether `p` belongs to the region.
    pub fn contains_point(&self, p: &[i64]) -> bool {
        self.boxes.iter().any(|b| b.contains_point(p))
    }

    /// A point of the region (the low corner of its first box).
    pub fn representative(&self) -> Option<&[i64]> {
        self.boxes.first().map(IntBox::lo)
    }

    /// `self ∩ other` (pairwise box intersections).
    pub fn intersection(&self, other: &QRegion) -> QRegion {
        let mut boxes = Vec::new();
        for a in &self.boxes {
            for b in &other.boxes {
                if let Some(i) = a.intersect(b) {
                    boxes.push(i);
                }
            }
        }
        let mut r = QRegion { boxes };
        r.coalesce();
        r
    }

    /// `self ∩ b` for a single box.
    pub fn clip(&self, b: &IntBox) -> QRegion {
        QRegion {
            boxes: self.boxes.iter().filter_map(|a| a.intersect(b)).collect(),
        }
    }

    /// `self \ other`.
    pub fn difference(&self, other: &QRegion) -> QRegion {
        let mut pieces = self.boxes.clone();
        for b in &other.boxes {
            if pieces.is_empty() {
                break;
            }
            pieces = pieces.iter().flat_map(|p| p.subtract(b)).collect();
        }
        let mut r = QRegion { boxes: pieces };
        r.coalesce();
        r
    }

    /// The symmetric difference `(self \ other) ⊕ (other \ self)`.
    pub fn symmetric_difference(&self, other: &QRegion) -> QRegion {
        self.difference(other)
            .disjoint_union(&other.difference(self))
    }

    /// `self ⊕ other` for disjoint regions (the direct sum of sectors).
    pub fn disjoint_union(&self, other: &QRegion) -> QRegion {
        debug_assert!(!self.overlaps(other), "⊕ of overlapping regions");
        let mut boxes = self.boxes.clone();
        boxes.extend(other.boxes.iter().cloned());
        let mut r = QRegion { boxes };
        r.coalesce();
        r
    }

    /// Whether the regions share a point.
    pub fn overlaps(&self, other: &QRegion) -> bool {
        self.boxes
            .iter()
            .any(|a| other.boxes.iter().any(|b| a.overlaps(b)))
    }

    /// Whether `other ⊂ self`.
    pub fn contains(&self, other: &QRegion) -> bool {
        other.difference(self).is_empty()
    }

    /// The region translated by `v`; an error if a corner leaves `i64`.
    pub fn shift(&self, v: &[i64]) -> Result<QRegion, ConstraintError> {
        Ok(QRegion {
            boxes: self
                .boxes
                .iter()
                .map(|b| b.shift(v))
                .collect::<Result<_, _>>()?,
        })
    }

    /// Minkowski sum `{p + q}` (box fusion applied pairwise, made disjoint);
    /// an error if a corner leaves `i64`.
    pub fn add(&self, other: &QRegion) -> Result<QRegion, ConstraintError> {
        let sums = self
            .boxes
            .iter()
            .flat_map(|a| other.boxes.iter().map(move |b| a.add(b)))
            .collect::<Result<_, _>>()?;
        Ok(QRegion::from_boxes(sums))
    }

    /// Merges boxes whose union is a box, so that regions stay small.
    pub(crate) fn coalesce(&mut self) {
        if self.boxes.len() < 2 {
            return;
        }
        self.boxes.sort();
        let mut merged = true;
        while merged {
            merged = false;
            'outer: for i in 0..self.boxes.len() {
                for j in i + 1..self.boxes.len() {
                    if let Some(m) = self.boxes[i].merge(&self.boxes[j]) {
                        self.boxes[i] = m;
                        self.boxes.swap_remove(j);
                        merged = true;
                        break 'outer;
                    }
                }
            }
        }
        self.boxes.sort();
    }
}

impl fmt::Display for QRegion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.boxes.is_empty() {
            return write!(f, "∅");
        }
        let parts: Vec<String> = self.boxes.iter().map(|b| b.to_string()).collect();
        write!(f, "{}", parts.join(" ∪ "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iv(a: i64, b: i64) -> QRegion {
        QRegion::from_box(IntBox::new(vec![a], vec![b]).unwrap())
    }

    #[test]
    fn interval_algebra() {
        let a = iv(0, 5);
        let b = iv(3, 8);
        assert_eq!(a.intersection(&b), iv(3, 5));
        assert_eq!(a.difference(&b), iv(0, 2));
        let sd = a.symmetric_difference(&b);
        assert_eq!(sd.volume(), 6);
        assert!(sd.contains(&iv(6, 8)) && !sd.contains_point(&[4]));
        assert!(a.contains(&iv(1, 2)) && !a.contains(&b));
        assert_eq!(iv(0, 1).disjoint_union(&iv(2, 4)), iv(0, 4));
        assert_eq!(iv(0, 1).add(&iv(10, 12)).unwrap(), iv(10, 13));
        assert_eq!(a.shift(&[-2]).unwrap(), iv(-2, 3));
    }

    #[test]
    fn l_shape_is_two_boxes() {
        let sq = QRegion::from_box(IntBox::new(vec![0, 0], vec![2, 2]).unwrap());
        let corner = QRegion::from_box(IntBox::new(vec![1, 1], vec![2, 2]).unwrap());
        let l = sq.difference(&corner);
        assert_eq!(l.volume(), 5);
        assert_eq!(l.boxes().len(), 2);
        assert!(l.contains_point(&[0, 2]) && !l.contains_point(&[2, 2]));
        assert_eq!(l.disjoint_union(&corner).volume(), 9);
    }
}
