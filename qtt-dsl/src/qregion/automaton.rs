//! The constraint automaton: link QRegions and deterministic transitions.

use super::{build, ConstraintError, IntBox, QRegion};
use crate::ir::constraints::LinearSystem;
use std::fmt;

/// Which end of the chain carries the flux (the constraint box).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FluxSite {
    /// Flux at the last site: sites are read left to right, link `i` holds
    /// the partial sums of the first `i` variables.
    Last,
    /// Flux at the first site: sites are read right to left.
    First,
}

/// A deterministic finite-state machine over link QRegions accepting exactly
/// the binary configurations that satisfy a linear system.
///
/// Site `s` (in reading order) maps each region of link `s` and bit `x` to
/// at most one region of link `s + 1`; link 0 and link `n` hold one region
/// each, and every region lies on an accepting path (no dead ends).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConstraintAutomaton {
    m: usize,
    flux: FluxSite,
    links: Vec<Vec<QRegion>>,
    transitions: Vec<Vec<[Option<u32>; 2]>>,
}

/// The charge complexity of a system: the largest number of QRegions on a
/// link, for each flux orientation, and their maximum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChargeComplexity {
    /// Max regions per link with the flux at the last site.
    pub flux_last: usize,
    /// Max regions per link with the flux at the first site.
    pub flux_first: usize,
}

impl ChargeComplexity {
    /// The charge complexity `max(flux_last, flux_first)`.
    pub fn max(&self) -> usize {
        self.flux_last.max(self.flux_first)
    }

    /// Both orientations of `system`.
    pub fn of(system: &LinearSystem) -> Result<Self, ConstraintError> {
        Ok(Self {
            flux_last: ConstraintAutomaton::build(system)?.max_regions(),
            flux_first: ConstraintAutomaton::build_oriented(system, FluxSite::First)?.max_regions(),
        })
    }
}

/// The automaton as flat constant tables (what the `constraints!` macro
/// emits when every coefficient is a literal).
#[derive(Debug, Clone, Copy)]
pub struct AutomatonTables<'a> {
    /// Lattice dimension (number of constraint rows).
    pub m: usize,
    /// `true` for [`FluxSite::First`].
    pub flux_first: bool,
    /// Number of regions on each link (`n + 1` entries).
    pub link_sizes: &'a [u32],
    /// Number of boxes of each region, links concatenated.
    pub region_boxes: &'a [u32],
    /// Corners of each box: `m` lows then `m` highs.
    pub corners: &'a [i64],
    /// Per site, per left region: the right region for `x = 0, 1`
    /// (`u32::MAX`: forbidden).
    pub transitions: &'a [[u32; 2]],
}

/// Owned tables, produced by [`ConstraintAutomaton::to_tables`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnedTables {
    /// See [`AutomatonTables::m`].
    pub m: usize,
    /// See [`AutomatonTables::flux_first`].
    pub flux_first: bool,
    /// See [`AutomatonTables::link_sizes`].
    pub link_sizes: Vec<u32>,
    /// See [`AutomatonTables::region_boxes`].
    pub region_boxes: Vec<u32>,
    /// See [`AutomatonTables::corners`].
    pub corners: Vec<i64>,
    /// See [`AutomatonTables::transitions`].
    pub transitions: Vec<[u32; 2]>,
}

impl OwnedTables {
    /// Borrowed view.
    pub fn view(&self) -> AutomatonTables<'_> {
        AutomatonTables {
            m: self.m,
            flux_first: self.flux_first,
            link_sizes: &self.link_sizes,
            region_boxes: &self.region_boxes,
            corners: &self.corners,
            transitions: &self.transitions,
        }
    }
}

/// Sentinel for a forbidden transition in [`AutomatonTables`].
pub const NO_TRANSITION: u32 = u32::MAX;

impl ConstraintAutomaton {
    pub(crate) fn from_parts(
        m: usize,
        flux: FluxSite,
        links: Vec<Vec<QRegion>>,
        transitions: Vec<Vec<[Option<u32>; 2]>>,
    ) -> Self {
        Self {
            m,
            flux,
            links,
            transitions,
        }
    }

    /// The automaton of `system` with the flux at the last site.
    pub fn build(system: &LinearSystem) -> Result<Self, ConstraintError> {
        build::build_last(system)
    }

    /// The automaton of `system` with the flux at the chosen end.
    pub fn build_oriented(system: &LinearSystem, flux: FluxSite) -> Result<Self, ConstraintError> {
        match flux {
            FluxSite::Last => build::build_last(system),
            FluxSite::First => {
                system.validate()?;
                let mut a = build::build_last(&system.reversed())?;
                a.flux = FluxSite::First;
                Ok(a)
            }
        }
    }

    /// Number of sites (binary variables).
    pub fn num_sites(&self) -> usize {
        self.transitions.len()
    }

    /// Dimension `m` of the charge lattice.
    pub fn lattice_dim(&self) -> usize {
        self.m
    }

    /// Which end holds the flux.
    pub fn flux(&self) -> FluxSite {
        self.flux
    }

    /// The regions of link `l` (`0..=n`, in reading order).
    pub fn regions(&self, l: usize) -> &[QRegion] {
        &self.links[l]
    }

    /// Number of regions on each link.
    pub fn link_sizes(&self) -> Vec<usize> {
        self.links.iter().map(Vec::len).collect()
    }

    /// The largest number of regions on a link.
    pub fn max_regions(&self) -> usize {
        self.links.iter().map(Vec::len).max().unwrap_or(0)
    }

    /// The region of link `s + 1` reached from region `left` of link `s`
    /// with bit `x`, if allowed (`s` in reading order).
    pub fn next(&self, s: usize, left: usize, x: u8) -> Option<usize> {
        self.transitions[s][left][x as usize & 1].map(|r| r as usize)
    }

    /// Number of allowed (left region, bit) pairs at site `s`: the number of
    /// nonzero blocks of that site's tensor.
    pub fn site_blocks(&self, s: usize) -> usize {
        self.transitions[s]
            .iter()
            .map(|t| t.iter().filter(|v| v.is_some()).count())
            .sum()
    }

    /// Total number of nonzero blocks over all sites.
    pub fn block_count(&self) -> usize {
        (0..self.num_sites()).map(|s| self.site_blocks(s)).sum()
    }

    /// The variable read at site `s` (reading order to variable index).
    pub fn variable_at(&self, s: usize) -> usize {
        match self.flux {
            FluxSite::Last => s,
            FluxSite::First => self.num_sites() - 1 - s,
        }
    }

    /// The region path of `x` (indexed by variable), or `None` if `x` is
    /// infeasible (or of the wrong length).
    pub fn path(&self, x: &[u8]) -> Option<Vec<usize>> {
        if x.len() != self.num_sites() {
            return None;
        }
        let mut path = Vec::with_capacity(x.len() + 1);
        path.push(0usize);
        for s in 0..self.num_sites() {
            let cur = *path.last().expect("nonempty");
            path.push(self.next(s, cur, x[self.variable_at(s)])?);
        }
        Some(path)
    }

    /// Whether the automaton accepts `x` (one 0/1 entry per variable).
    pub fn accepts(&self, x: &[u8]) -> bool {
        self.path(x).is_some()
    }

    /// Flattens to constant tables.
    pub fn to_tables(&self) -> OwnedTables {
        let mut t = OwnedTables {
            m: self.m,
            flux_first: self.flux == FluxSite::First,
            link_sizes: self.links.iter().map(|l| l.len() as u32).collect(),
            region_boxes: Vec::new(),
            corners: Vec::new(),
            transitions: Vec::new(),
        };
        for r in self.links.iter().flatten() {
            t.region_boxes.push(r.boxes().len() as u32);
            for b in r.boxes() {
                t.corners.extend_from_slice(b.lo());
                t.corners.extend_from_slice(b.hi());
            }
        }
        for site in &self.transitions {
            for tr in site {
                t.transitions.push(tr.map(|v| v.unwrap_or(NO_TRANSITION)));
            }
        }
        t
    }

    /// Rebuilds an automaton from tables, checking their consistency.
    pub fn from_tables(t: &AutomatonTables<'_>) -> Result<Self, ConstraintError> {
        let bad = |what: &str| ConstraintError::Invalid(format!("automaton tables: {what}"));
        if t.link_sizes.is_empty() {
            return Err(bad("no links"));
        }
        let n_regions: usize = t.link_sizes.iter().map(|&v| v as usize).sum();
        if t.region_boxes.len() != n_regions {
            return Err(bad("box counts do not match the link sizes"));
        }
        let n_boxes: usize = t.region_boxes.iter().map(|&v| v as usize).sum();
        if t.corners.len() != n_boxes * 2 * t.m {
            return Err(bad("corner table has the wrong length"));
        }
        let mut links = Vec::with_capacity(t.link_sizes.len());
        let (mut r, mut c) = (0usize, 0usize);
        for &size in t.link_sizes {
            let mut link = Vec::with_capacity(size as usize);
            for _ in 0..size {
                let mut boxes = Vec::new();
                for _ in 0..t.region_boxes[r] {
                    let lo = t.corners[c..c + t.m].to_vec();
                    let hi = t.corners[c + t.m..c + 2 * t.m].to_vec();
                    c += 2 * t.m;
                    boxes.push(IntBox::new(lo, hi).ok_or_else(|| bad("empty box"))?);
                }
                r += 1;
                link.push(QRegion::from_disjoint_boxes(boxes));
            }
            links.push(link);
        }
        let n = links.len() - 1;
        let expected: usize = t.link_sizes[..n].iter().map(|&v| v as usize).sum();
        if t.transitions.len() != expected {
            return Err(bad("transition table has the wrong length"));
        }
        let mut transitions = Vec::with_capacity(n);
        let mut k = 0;
        for s in 0..n {
            let mut site = Vec::with_capacity(t.link_sizes[s] as usize);
            for _ in 0..t.link_sizes[s] {
                let mut tr = [None, None];
                for (slot, &v) in tr.iter_mut().zip(&t.transitions[k]) {
                    if v != NO_TRANSITION {
                        if v >= t.link_sizes[s + 1] {
                            return Err(bad("transition to a region that does not exist"));
                        }
                        *slot = Some(v);
                    }
                }
                k += 1;
                site.push(tr);
            }
            transitions.push(site);
        }
        let flux = if t.flux_first {
            FluxSite::First
        } else {
            FluxSite::Last
        };
        Ok(Self {
            m: t.m,
            flux,
            links,
            transitions,
        })
    }
}

impl fmt::Display for ConstraintAutomaton {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (l, link) in self.links.iter().enumerate() {
            let regs: Vec<String> = link.iter().map(|r| r.to_string()).collect();
            writeln!(f, "link {l:>3}: {}", regs.join(" | "))?;
        }
        Ok(())
    }
}
