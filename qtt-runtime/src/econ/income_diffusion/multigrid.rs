//! The linear solver of the quantized income-diffusion household:
//! `M x = f` (an HJB step) and `y M = f^T` (an implicit step of the forward
//! equation) with `M = d I - A`, `A` the generator of wealth drifts along
//! each income line plus the income chain, on `2^Lz x 2^La` points.
//!
//! **Why multigrid.** Block cyclic reduction over wealth with the income
//! states as blocks (the one-dimensional backend, [`crate::econ::quantized`])
//! fills the `2^Lz x 2^Lz` blocks densely: its cost grows as `J^2..J^3`
//! (Aiyagari with OU income on `2^10` wealth points: 0.7 s at `J = 4`,
//! 33 s at `J = 32`). Here the two directions are treated by what suits
//! each:
//! - **wealth** is convection (rates `|s| / da` up to `~1e6`): every income
//!   line's wealth chain is solved exactly, all lines at once, by the scalar
//!   cyclic reduction of `econ/reduction.rs` run over all `Lz + La` bits
//!   (the lines are one chain of `2^(Lz+La)` points whose rates vanish
//!   between lines, so they stay uncoupled);
//! - **income** is diffusion (`sigma^2 / (2 dz^2) ~ 3e3` at `2^10` income
//!   points against a margin of `rho + 1/Delta ~ 0.05`): the lines are
//!   relaxed in zebra order (even income points, then odd ones, each with its
//!   neighbours' latest values) and the income grid is coarsened by pairs,
//!   the coarse operator rediscretised (drifts averaged, the income chain of
//!   the same diffusion at twice the spacing). Line relaxation in the
//!   direction that is not coarsened is the classical robust choice for
//!   anisotropic problems: where drifts are strong the lines solve it,
//!   where they vanish the income hierarchy does.
//!
//! Every income map (the chain's jumps, restriction, prolongation, masks) is
//! exact on the short income axis ([`super::income_axis`]); only the line
//! solves and the residual are crossed.

use super::chain::BirthDeathChain;
use super::income_axis::{
    apply, full_weighting, parity_mask, parity_rows, prolongation, restriction,
};
use crate::econ::components::Components;
use crate::econ::reduction::{cross_points_noisy, Compression, Layout, Reduction, Rhs};
use crate::error::{Error, Result};
use crate::linalg::Truncation;
use crate::tt::TensorTrain;
use nalgebra::DMatrix;

/// `M = margin I - A` on one income grid, with its lines' cyclic
/// reduction (built once, reused by every line solve).
pub(crate) struct LineOperator {
    /// Income bits.
    pub lz: usize,
    /// Wealth bits.
    pub la: usize,
    /// Wealth spacing.
    pub da: f64,
    /// The signed drift `s` (last mode 1): the rate to the right neighbour
    /// is `max(s, 0) / da`, to the left one `max(-s, 0) / da` (the scheme's
    /// upwind choice is the sign of the chosen consumption's drift), none
    /// across the ends of a line. Coarse grids average `s`, then upwind.
    pub drift: TensorTrain,
    /// The income chain on this grid.
    pub chain: BirthDeathChain,
    /// `d` (`rho + 1/Delta` in the HJB, a small shift in the KFE).
    pub margin: f64,
    /// The lines' wealth chains (income exits on the diagonal), reduced:
    /// one reduction on the coarsest grid (a single line), else one per
    /// parity of the income index (zebra relaxation solves half the lines
    /// at a time).
    lines: Vec<Reduction>,
}

/// Settings of a multigrid solve.
#[derive(Debug, Clone, Copy)]
pub(crate) struct MultigridOptions {
    pub compression: Compression,
    /// Stop when a cycle changes the solution by at most this (relative).
    pub tol: f64,
    pub max_cycles: usize,
    /// Zebra sweeps before and after each coarse correction (V(2,2):
    /// 0.2 per cycle on Aiyagari's HJB step at `2^6 x 2^5`, V(1,1) 0.43;
    /// a W-cycle reaches 0.1 but visits the coarsest grid `2^Lz` times).
    pub smoothing: usize,
}

impl LineOperator {
    /// The operator and its lines' reduction.
    pub fn new(
        lz: usize,
        la: usize,
        da: f64,
        drift: TensorTrain,
        chain: BirthDeathChain,
        margin: f64,
        c: &Compression,
    ) -> Result<Self> {
        let trunc = truncation(c)?;
        let lines = if lz == 0 {
            vec![line_reduction(0, la, da, &drift, |_| margin, c)?]
        } else {
            (0..2)
                .map(|p| {
                    let half = apply(&drift, lz, &parity_rows(lz, p), &trunc)?;
                    line_reduction(
                        lz - 1,
                        la,
                        da,
                        &half,
                        |k| {
                            let k = 2 * k + p;
                            margin + chain.up[k] + chain.down[k]
                        },
                        c,
                    )
                })
                .collect::<Result<Vec<_>>>()?
        };
        Ok(Self {
            lz,
            la,
            da,
            drift,
            chain,
            margin,
            lines,
        })
    }

    fn bits(&self) -> usize {
        self.lz + self.la
    }

    fn na(&self) -> u64 {
        1u64 << self.la
    }

    /// The drifts at `ws` with the line ends closed: `(right, left)`.
    fn drifts(&self, ws: &[u64]) -> Result<(Vec<f64>, Vec<f64>)> {
        let v = self.drift.eval_fibers(ws)?;
        let top = self.na() - 1;
        let mut right = Vec::with_capacity(ws.len());
        let mut left = Vec::with_capacity(ws.len());
        for (q, &w) in ws.iter().enumerate() {
            let i = w & top;
            right.push(if i == top { 0.0 } else { v[q].max(0.0) });
            left.push(if i == 0 { 0.0 } else { (-v[q]).max(0.0) });
        }
        Ok((right, left))
    }

    /// The income chain's exit rate at income point `k`.
    fn income_exit(&self, k: usize) -> f64 {
        self.chain.up[k] + self.chain.down[k]
    }

    /// The jumps of the income chain as a map: `(U x)_k = up_k x_(k+1) +
    /// down_k x_(k-1)`, transposed for rows.
    fn jumps(&self, side: Rhs) -> DMatrix<f64> {
        let nz = self.chain.len();
        let u = DMatrix::from_fn(nz, nz, |a, b| {
            if b == a + 1 {
                self.chain.up[a]
            } else if b + 1 == a {
                self.chain.down[a]
            } else {
                0.0
            }
        });
        if side == Rhs::Rows {
            u.transpose()
        } else {
            u
        }
    }

    /// The lines of income parity `parity` (every line on the coarsest
    /// grid) solved with right-hand side `h` on those lines (the income
    /// jumps lagged into `h`, their exits on the diagonal).
    fn solve_lines(&self, h: &TensorTrain, side: Rhs, parity: usize) -> Result<TensorTrain> {
        let red = &self.lines[parity.min(self.lines.len() - 1)];
        match side {
            Rhs::Columns => red.solve_for(h),
            Rhs::Rows => red.solve_rows_for(h),
        }
    }

    /// `f - M x` (columns) or `f - x M` (rows), crossed point by point.
    fn residual(
        &self,
        x: &TensorTrain,
        f: &TensorTrain,
        side: Rhs,
        c: &Compression,
    ) -> Result<TensorTrain> {
        let trunc = truncation(c)?;
        let h = f
            .add(&apply(x, self.lz, &self.jumps(side), &trunc)?)?
            .round(&trunc)?;
        let (la, top, da) = (self.la, self.na() - 1, self.da);
        cross_points_noisy(self.bits(), 1, c, |ws| {
            let (prev, next) = line_neighbours(ws, top);
            let (xh, xp, xn) = (
                x.eval_fibers(ws)?,
                x.eval_fibers(&prev)?,
                x.eval_fibers(&next)?,
            );
            let hv = h.eval_fibers(ws)?;
            let (right, left) = self.drifts(ws)?;
            // Rows need the neighbours' rates into each point.
            let (rp, ln) = match side {
                Rhs::Columns => (Vec::new(), Vec::new()),
                Rhs::Rows => (self.drifts(&prev)?.0, self.drifts(&next)?.1),
            };
            Ok(ws
                .iter()
                .enumerate()
                .map(|(q, &w)| {
                    let i = w & top;
                    let diag = self.margin
                        + self.income_exit((w >> la) as usize)
                        + (right[q] + left[q]) / da;
                    let (from_prev, from_next) = match side {
                        // Row w of M: its rates to w - 1 and w + 1.
                        Rhs::Columns => (left[q] / da, right[q] / da),
                        // Column w of M: the rates of w - 1 and w + 1 into w.
                        Rhs::Rows => (
                            if i == 0 { 0.0 } else { rp[q] / da },
                            if i == top { 0.0 } else { ln[q] / da },
                        ),
                    };
                    let p = if i == 0 { 0.0 } else { from_prev * xp[q] };
                    let n = if i == top { 0.0 } else { from_next * xn[q] };
                    hv[q] - diag * xh[q] + p + n
                })
                .collect())
        })
    }

    /// One zebra sweep: the even income lines, then the odd ones.
    fn smooth(
        &self,
        x: TensorTrain,
        f: &TensorTrain,
        side: Rhs,
        c: &Compression,
    ) -> Result<TensorTrain> {
        let trunc = truncation(c)?;
        let jumps = self.jumps(side);
        let mut x = x;
        for parity in 0..2 {
            let h = f.add(&apply(&x, self.lz, &jumps, &trunc)?)?.round(&trunc)?;
            let rows = parity_rows(self.lz, parity);
            let y = self.solve_lines(&apply(&h, self.lz, &rows, &trunc)?, side, parity)?;
            let keep = apply(&y, self.lz - 1, &rows.transpose(), &trunc)?;
            let old = apply(&x, self.lz, &parity_mask(self.lz, 1 - parity), &trunc)?;
            x = keep.add(&old)?.round(&trunc)?;
        }
        Ok(x)
    }

    /// The operator on the income grid with half the points: drifts
    /// averaged over each pair, the chain `coarse`.
    fn coarsen(&self, coarse: BirthDeathChain, c: &Compression) -> Result<Self> {
        let drift = apply(&self.drift, self.lz, &restriction(self.lz), &truncation(c)?)?;
        Self::new(self.lz - 1, self.la, self.da, drift, coarse, self.margin, c)
    }
}

/// The neighbours of each point `w` on its income line (`top + 1` wealth
/// points): `(w - 1, w + 1)`, each `w` itself at the line's ends.
pub(crate) fn line_neighbours(ws: &[u64], top: u64) -> (Vec<u64>, Vec<u64>) {
    ws.iter()
        .map(|&w| {
            let i = w & top;
            (
                if i == 0 { w } else { w - 1 },
                if i == top { w } else { w + 1 },
            )
        })
        .unzip()
}

/// The scalar reduction of the wealth chains of `2^lz` income lines (one
/// chain of `2^(lz + la)` points with no rates between lines), with
/// diagonal margin `exit(k)` on line `k`.
fn line_reduction(
    lz: usize,
    la: usize,
    da: f64,
    drift: &TensorTrain,
    exit: impl Fn(usize) -> f64 + Sync,
    c: &Compression,
) -> Result<Reduction> {
    let lay = Layout { j: 1 };
    let top = (1u64 << la) - 1;
    let fine = Components::compress(lz + la, lay.k(), c, |ws| {
        let v = drift.eval_fibers(ws)?;
        let mut out = vec![0.0; ws.len() * lay.k()];
        for (q, &w) in ws.iter().enumerate() {
            let i = w & top;
            let s = &mut out[q * lay.k()..(q + 1) * lay.k()];
            s[lay.pl(0, 0)] = if i == 0 { 0.0 } else { (-v[q]).max(0.0) };
            s[lay.pr(0, 0)] = if i == top { 0.0 } else { v[q].max(0.0) };
            s[lay.d(0)] = exit((w >> la) as usize);
        }
        Ok(out)
    })?;
    Reduction::new(lay, fine, da, *c, Rhs::Columns, 0)
}

fn truncation(c: &Compression) -> Result<Truncation> {
    Truncation::tol(c.tol)?.with_max_rank(c.max_rank)
}

/// The operators of every income grid, finest first, down to one income
/// point; `chain(l)` is the income chain on the grid with `2^(Lz - l)`
/// points (aggregates of `2^l` fine points).
pub(crate) fn hierarchy(
    fine: LineOperator,
    chain: impl Fn(usize) -> BirthDeathChain,
    c: &Compression,
) -> Result<Vec<LineOperator>> {
    let mut levels = vec![fine];
    while levels.last().expect("a level").lz > 0 {
        let l = levels.len();
        let next = levels[l - 1].coarsen(chain(l), c)?;
        levels.push(next);
    }
    Ok(levels)
}

/// One V-cycle on `levels` (finest first) from `x`.
fn cycle(
    levels: &[LineOperator],
    x: TensorTrain,
    f: &TensorTrain,
    side: Rhs,
    o: &MultigridOptions,
) -> Result<TensorTrain> {
    let c = &o.compression;
    let op = &levels[0];
    if op.lz == 0 {
        return op.solve_lines(f, side, 0);
    }
    let trunc = truncation(c)?;
    let nu = o.smoothing;
    let mut x = x;
    for _ in 0..nu {
        x = op.smooth(x, f, side, c)?;
    }
    // The residual is needed to the full tolerance: truncated at 1e-6 of
    // its norm, the correction stalled at changes ~7e-6 (2^6 x 2^5), the
    // truncation landing where M^-1 is large. Near convergence it is
    // rounding noise, which a cross cannot compress: its cross is kept even
    // where it misses its probes (`cross_points_noisy`), and the cycles end
    // at their noise floor. Checked, it failed above 2^dense_bits points
    // (2^10 x 2^7: off by 6e-6 at unsampled points); kept, every field
    // crossed on 2^6 x 2^5 gives V 7e-12 and g 4e-9 from the oracle.
    let r = op.residual(&x, f, side, c)?;
    let rc = apply(&r, op.lz, &full_weighting(op.lz), &trunc)?;
    let ec = cycle(&levels[1..], rc.scaled(0.0), &rc, side, o)?;
    let e = apply(&ec, op.lz - 1, &prolongation(op.lz), &trunc)?;
    let mut x = x.add(&e)?.round(&trunc)?;
    for _ in 0..nu {
        x = op.smooth(x, f, side, c)?;
    }
    Ok(x)
}

/// Whether an iteration has reached a noise floor: its last `window`
/// changes within a factor 2 of each other and at most `ceiling`
/// (converging iterations shrink the change 3-50x per step). Multigrid at
/// compression tolerance 1e-12 on `2^11` points wanders at ~1e-10, at 1e-8
/// at 2e-8.
pub(crate) fn at_floor(changes: &[f64], window: usize, ceiling: f64) -> bool {
    let Some(last) = changes.len().checked_sub(window).map(|k| &changes[k..]) else {
        return false;
    };
    let (lo, hi) = last.iter().fold((f64::INFINITY, 0.0f64), |(lo, hi), &c| {
        (lo.min(c), hi.max(c))
    });
    hi <= ceiling && hi <= 2.0 * lo
}

/// `M x = f` (columns) or `x M = f^T` (rows) from `x0` by V-cycles (the
/// solution and each cycle's relative change) until
/// a cycle changes `x` by at most `o.tol` (relative), or the changes stop
/// falling at the compression's noise floor ([`at_floor`], below 1e-6).
pub(crate) fn solve(
    levels: &[LineOperator],
    f: &TensorTrain,
    x0: Option<TensorTrain>,
    side: Rhs,
    o: &MultigridOptions,
) -> Result<(TensorTrain, Vec<f64>)> {
    let mut x = match x0 {
        Some(x) => x,
        None => f.scaled(0.0),
    };
    let mut changes = Vec::new();
    for _ in 0..o.max_cycles {
        let next = cycle(levels, x.clone(), f, side, o)?;
        let change = next.sub(&x)?.norm() / next.norm().max(f64::MIN_POSITIVE);
        changes.push(change);
        x = next;
        if !change.is_finite() {
            break;
        }
        if change <= o.tol || at_floor(&changes, 4, 1e-6) {
            return Ok((x, changes));
        }
    }
    Err(Error::Numerical(format!(
        "multigrid (income lines x wealth): no convergence to {:.0e} in {} cycles; changes {:?}",
        o.tol, o.max_cycles, changes
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::econ::income_diffusion::IncomeDiffusion;
    use crate::econ::reduction::{component_scales, from_values};
    use crate::econ::sparse_generator::FdOptions;

    const C: Compression = Compression {
        tol: 1e-14,
        max_rank: 200,
        dense_bits: 16,
    };

    fn train(bits: usize, k: usize, values: &[f64]) -> TensorTrain {
        from_values(bits, k, values, &component_scales(values, k), &C).unwrap()
    }

    /// The HJB step and an implicit KFE step at the oracle's policy equal
    /// the sparse LU's solutions.
    #[test]
    fn multigrid_equals_the_sparse_solve() {
        let econ = IncomeDiffusion::aiyagari();
        let (la, lz) = (6u32, 5u32);
        let grid = econ.grid(la, lz).unwrap();
        let fd = FdOptions::default();
        let sol = econ.solve_household(&grid, 0.045, &fd, None).unwrap();
        let p = &sol.policy;
        let n = grid.len();
        let bits = (la + lz) as usize;
        let drift: Vec<f64> = (0..n).map(|q| p.forward[q] + p.backward[q]).collect();
        let margin = econ.rho + 1.0 / fd.delta;
        let build = |margin: f64| {
            let fine = LineOperator::new(
                lz as usize,
                la as usize,
                grid.da(),
                train(bits, 1, &drift),
                econ.income.chain(lz),
                margin,
                &C,
            )
            .unwrap();
            hierarchy(fine, |l| econ.income.aggregated_chain(lz, l as u32), &C).unwrap()
        };
        let levels = build(margin);
        let o = MultigridOptions {
            compression: C,
            tol: 1e-12,
            max_cycles: 60,
            smoothing: 2,
        };
        let a = econ.generator(&grid, p).unwrap();
        // HJB step: columns.
        let rhs: Vec<f64> = (0..n)
            .map(|q| p.utility[q] + sol.value[q] / fd.delta)
            .collect();
        let want = a.solve_shifted(margin, &rhs).unwrap();
        let (x, changes) = solve(&levels, &train(bits, 1, &rhs), None, Rhs::Columns, &o).unwrap();
        println!("columns: {} cycles, changes {:?}", changes.len(), changes);
        let got = x.eval_fibers(&(0..n as u64).collect::<Vec<_>>()).unwrap();
        let scale = want.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        let err = got
            .iter()
            .zip(&want)
            .fold(0.0f64, |m, (a, b)| m.max((a - b).abs()))
            / scale;
        println!("columns: V error {err:.1e}");
        assert!(err < 1e-11, "HJB step off by {err:e}");
        // Rows: y (eps I - A) = f^T with a small shift.
        let eps = 1e-3;
        let levels_kfe = build(eps);
        let f: Vec<f64> = (0..n)
            .map(|q| eps * (1.0 + (q % 7) as f64) / n as f64)
            .collect();
        let o = MultigridOptions { tol: 1e-10, ..o };
        let (y, changes) = solve(&levels_kfe, &train(bits, 1, &f), None, Rhs::Rows, &o).unwrap();
        println!("rows: {} cycles, changes {:?}", changes.len(), changes);
        // Check y M = f directly with the sparse generator.
        let yv = y.eval_fibers(&(0..n as u64).collect::<Vec<_>>()).unwrap();
        let ay = a.apply_transpose(&yv);
        let res = (0..n).fold(0.0f64, |m, q| m.max((eps * yv[q] - ay[q] - f[q]).abs()));
        // Backward error: the residual against |M| |y|.
        let scale = (eps + a.max_diagonal().abs()) * yv.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        println!("rows: residual {:.1e} of |M| |y|", res / scale);
        assert!(
            res < 1e-11 * scale,
            "KFE step residual {res:e} of {scale:e}"
        );
        let fmax = f.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        assert!(yv.iter().all(|&v| v >= -1e-14 * fmax / eps));
    }
}
