//! Algorithm 1 of seed 002: the backward decomposition sweep and the forward
//! validation sweep that turn `lo <= A x <= hi` into a QRegion automaton.
//!
//! Backward: the last link holds one region, the flux box clipped to the
//! cumulative bounds. Going left, link `i-1` is the common refinement of the
//! regions of link `i` (reached with `x_i = 0`) and the same regions shifted
//! by `-A_i` (reached with `x_i = 1`), clipped to the bounds of link `i-1`:
//! pairwise intersections, plus what only one of the two covers. Every point
//! of such a region has the same future, so the regions are the states of
//! the minimal automaton restricted to the bounds box.
//!
//! Forward: from the region holding the origin, follow both bits and keep
//! only reached regions; with the backward sweep this leaves no dead end.

use super::bounds::{column, cumulative_bounds};
use super::intbox::checked_sum;
use super::{ConstraintAutomaton, ConstraintError, FluxSite, IntBox, QRegion};
use crate::ir::constraints::LinearSystem;

/// Runs both sweeps on `system` read in site order (flux at the last site).
pub(crate) fn build_last(system: &LinearSystem) -> Result<ConstraintAutomaton, ConstraintError> {
    system.validate()?;
    match sweep(system)? {
        Some((links, transitions)) => Ok(ConstraintAutomaton::from_parts(
            system.num_rows(),
            FluxSite::Last,
            links,
            transitions,
        )),
        None => Err(explain_infeasible(system)?),
    }
}

type Sweep = (Vec<Vec<QRegion>>, Vec<Vec<[Option<u32>; 2]>>);

/// The most QRegions one link of an automaton may hold. The backward sweep
/// refines pairs of regions (quadratic in their number), and coefficients
/// with many distinct partial sums (a subset-sum equality with large
/// generic weights) double the count at every site: past this limit the
/// build stops with an error instead of running out of time or memory.
pub const MAX_LINK_REGIONS: usize = 1 << 12;

/// Both sweeps; `Ok(None)` when the system is infeasible, an error when a
/// link would exceed [`MAX_LINK_REGIONS`] or a charge leaves `i64`.
fn sweep(system: &LinearSystem) -> Result<Option<Sweep>, ConstraintError> {
    let n = system.num_vars();
    let m = system.num_rows();
    let bounds = cumulative_bounds(system)?;
    let flux = {
        let last = &bounds[n];
        let lo: Vec<i64> = (0..m)
            .map(|k| {
                system.rows[k]
                    .lo
                    .map_or(last.lo()[k], |v| v.max(last.lo()[k]))
            })
            .collect();
        let hi: Vec<i64> = (0..m)
            .map(|k| {
                system.rows[k]
                    .hi
                    .map_or(last.hi()[k], |v| v.min(last.hi()[k]))
            })
            .collect();
        match IntBox::new(lo, hi) {
            Some(b) => b,
            None => return Ok(None),
        }
    };
    // Backward sweep.
    let mut back: Vec<Vec<QRegion>> = vec![Vec::new(); n + 1];
    back[n] = vec![QRegion::from_box(flux)];
    for i in (1..=n).rev() {
        let a = column(system, i - 1);
        let clip = &bounds[i - 1];
        let old: Vec<QRegion> = back[i]
            .iter()
            .map(|r| r.clip(clip))
            .filter(|r| !r.is_empty())
            .collect();
        if a.iter().all(|&v| v == 0) {
            back[i - 1] = old;
            continue;
        }
        let neg = negated(&a)?;
        let mut shifted: Vec<QRegion> = Vec::with_capacity(back[i].len());
        for r in &back[i] {
            let s = r.shift(&neg)?.clip(clip);
            if !s.is_empty() {
                shifted.push(s);
            }
        }
        back[i - 1] = refine(&old, &shifted);
        if back[i - 1].is_empty() {
            return Ok(None);
        }
        if back[i - 1].len() > MAX_LINK_REGIONS {
            return Err(ConstraintError::Invalid(format!(
                "link {} of the constraint automaton needs more than {} QRegions \
                 (limit {MAX_LINK_REGIONS}): the coefficients take too many distinct \
                 partial sums for an exact automaton; use smaller or fewer distinct \
                 coefficients",
                i - 1,
                back[i - 1].len()
            )));
        }
    }
    // Forward validation sweep.
    let origin = vec![0i64; m];
    let Some(start) = back[0].iter().position(|r| r.contains_point(&origin)) else {
        return Ok(None);
    };
    let mut links: Vec<Vec<QRegion>> = Vec::with_capacity(n + 1);
    links.push(vec![back[0][start].clone()]);
    let mut transitions = Vec::with_capacity(n);
    for i in 1..=n {
        let a = column(system, i - 1);
        let mut kept: Vec<Option<u32>> = vec![None; back[i].len()];
        let mut next: Vec<QRegion> = Vec::new();
        let mut site = Vec::with_capacity(links[i - 1].len());
        for r in &links[i - 1] {
            let p = r.representative().expect("regions are never empty");
            let mut t = [None, None];
            for (x, slot) in t.iter_mut().enumerate() {
                let q = if x == 0 {
                    p.to_vec()
                } else {
                    checked_sum(p, &a)?
                };
                if let Some(j) = back[i].iter().position(|r| r.contains_point(&q)) {
                    let id = *kept[j].get_or_insert_with(|| {
                        next.push(back[i][j].clone());
                        (next.len() - 1) as u32
                    });
                    *slot = Some(id);
                }
            }
            site.push(t);
        }
        links.push(next);
        transitions.push(site);
    }
    Ok(Some((links, transitions)))
}

/// `-a`, or an error for `i64::MIN` (which has no negation in `i64`).
fn negated(a: &[i64]) -> Result<Vec<i64>, ConstraintError> {
    a.iter()
        .map(|&v| {
            v.checked_neg().ok_or_else(|| {
                ConstraintError::Invalid(format!("the coefficient {v} has no negation in i64"))
            })
        })
        .collect()
}

/// The common refinement of `old` and `shifted` (each a list of disjoint
/// regions): pairwise intersections, then the parts only one side covers.
fn refine(old: &[QRegion], shifted: &[QRegion]) -> Vec<QRegion> {
    let mut out = Vec::new();
    let hull = |rs: &[QRegion]| -> QRegion {
        QRegion::from_disjoint_boxes(rs.iter().flat_map(|r| r.boxes().iter().cloned()).collect())
    };
    let old_all = hull(old);
    let shifted_all = hull(shifted);
    for o in old {
        for s in shifted {
            if o.overlaps(s) {
                out.push(o.intersection(s));
            }
        }
    }
    for o in old {
        let d = o.difference(&shifted_all);
        if !d.is_empty() {
            out.push(d);
        }
    }
    for s in shifted {
        let d = s.difference(&old_all);
        if !d.is_empty() {
            out.push(d);
        }
    }
    out
}

/// Finds the constraint that makes `system` infeasible: a row that cannot
/// be met on its own, or else the first row that cannot be met together with
/// the rows before it.
fn explain_infeasible(system: &LinearSystem) -> Result<ConstraintError, ConstraintError> {
    let n = system.num_vars();
    for (k, row) in system.rows.iter().enumerate() {
        let min: i64 = row.coeffs.iter().map(|a| (*a).min(0)).sum();
        let max: i64 = row.coeffs.iter().map(|a| (*a).max(0)).sum();
        let reason = match (row.lo, row.hi) {
            (Some(lo), _) if lo > max => Some(format!(
                "cannot be met: its left-hand side is at most {max} over binary variables, \
                 below the lower bound {lo}"
            )),
            (_, Some(hi)) if hi < min => Some(format!(
                "cannot be met: its left-hand side is at least {min} over binary variables, \
                 above the upper bound {hi}"
            )),
            _ => None,
        };
        if let Some(reason) = reason {
            return Ok(ConstraintError::Infeasible {
                constraint: k,
                label: row.label.clone(),
                reason,
            });
        }
        let single = LinearSystem {
            var_names: system.var_names.clone(),
            rows: vec![row.clone()],
        };
        if sweep(&single)?.is_none() {
            return Ok(ConstraintError::Infeasible {
                constraint: k,
                label: row.label.clone(),
                reason: format!(
                    "has no solution in binary variables (its bounds fall between the values \
                     the {n} coefficients can sum to)"
                ),
            });
        }
    }
    for k in 1..system.num_rows() {
        if sweep(&system.prefix(k + 1))?.is_none() {
            let row = &system.rows[k];
            let before = if k == 1 {
                "constraint 1".to_string()
            } else {
                format!("constraints 1..={k}")
            };
            return Ok(ConstraintError::Infeasible {
                constraint: k,
                label: row.label.clone(),
                reason: format!("cannot be satisfied together with {before}"),
            });
        }
    }
    Ok(ConstraintError::Invalid("the system is infeasible".into()))
}
