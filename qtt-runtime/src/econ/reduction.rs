//! Block cyclic reduction on quantized grids: the direct solver of the QTT
//! backend for the HJB step `((rho + 1/Delta) I - A) V = f` and for the
//! stationary distribution `g^T A = 0`.
//!
//! **The systems.** On `2^L` wealth points with `J` income states both are
//! block tridiagonal: at point `i`,
//! `B_i x_i - PL_i x_{i-1} - PR_i x_{i+1} = f_i`, where `PL`, `PR` (`J x J`,
//! `>= 0`) are the rates to the neighbours, `N` (`>= 0`, zero diagonal) the
//! income switching, `d >= 0` the margin (`rho + 1/Delta` in the HJB, 0 in
//! the KFE) and `B = diag(rowsum(PL + PR + N) + d) - N`.
//!
//! **Reduction.** Eliminating the odd points leaves the same form on the
//! even ones (a chain censored to its even states, Markov-chain speaking):
//! `PL' = PL_e B_{e-1}^-1 PL_{e-1}`, `PR' = PR_e B_{e+1}^-1 PR_{e+1}`,
//! `N' = offdiag(N_e + PL_e B_{e-1}^-1 PR_{e-1} + PR_e B_{e+1}^-1 PL_{e+1})`,
//! `d' = d_e + PL_e B_{e-1}^-1 d_{e-1} + ...`, `f'` likewise. Halving the
//! grid `L` times leaves one point. Every new quantity is a sum of
//! products of non-negative numbers, and each diagonal is rebuilt from the
//! rates and the margin instead of by subtraction (Grassmann, Taksar and
//! Heyman), so the reduction keeps full relative precision although the
//! rates are `~ |s| / da ~ 2^L` and the margin `~ 1`: the condition number
//! that stalls iterative solvers never enters. Back substitution runs the
//! levels the other way: `x_o = B_o^-1 (f_o + PL_o x_{o-1} + PR_o x_{o+1})`
//! for the HJB, `pi_o = (pi_{o-1} PR_{o-1} + pi_{o+1} PL_{o+1}) B_o^-1`
//! for the stationary masses (non-negative by construction).
//!
//! **On quantized grids** each level's `K = 3 J^2 + 2 J` coefficient
//! components are one tensor train each over the level's wealth bits
//! ([`Components`]); even and odd points are the two slices of the last
//! bit, and each new level is the point-wise formulas above, evaluated at
//! every point and compressed by TT-SVD on at most `2^dense_bits` points,
//! crossed above ([`Compression`]), read through
//! [`TensorTrain::eval_fibers_at`] with one set of tries for all
//! components. Components are stored at unit scale: `PL da`, `PR da`
//! (`~ |s|`), and `N da / h`, `d da / h`, `f da / h` with `h = 2^k da` the
//! level's spacing. Cost per level: `O(2^bits K r^2)` dense, one cross of
//! `O(bits r_K^3)` above (`r_K` the rank of all components together);
//! memory `O(L^2 r^2 K)` for the stored levels.
//!
//! **Right-hand sides** stand on either side ([`Rhs`]): `M x = f` for the
//! HJB step, `y M = f^T` for an implicit step of the forward equation,
//! whose back substitution is the stationary one's plus `f`.

use super::components::{Components, Fibers};
use crate::error::{Error, Result};
use crate::linalg::Truncation;
use crate::tt::{cross_batch, Core, CrossMethod, CrossOptions, TensorTrain};
use rand::{Rng, SeedableRng};

/// Offsets of the components of one point's block.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Layout {
    pub j: usize,
}

impl Layout {
    pub fn k(&self) -> usize {
        3 * self.j * self.j + 2 * self.j
    }
    pub fn pl(&self, a: usize, b: usize) -> usize {
        a * self.j + b
    }
    pub fn pr(&self, a: usize, b: usize) -> usize {
        self.j * self.j + a * self.j + b
    }
    pub fn n(&self, a: usize, b: usize) -> usize {
        2 * self.j * self.j + a * self.j + b
    }
    pub fn d(&self, a: usize) -> usize {
        3 * self.j * self.j + a
    }
    pub fn f(&self, a: usize) -> usize {
        3 * self.j * self.j + self.j + a
    }
}

/// One point's block in rate units (every rate times `da`).
#[derive(Debug, Clone)]
struct Block {
    pl: Vec<f64>,
    pr: Vec<f64>,
    n: Vec<f64>,
    d: Vec<f64>,
    f: Vec<f64>,
}

impl Block {
    fn zero(j: usize) -> Self {
        Self {
            pl: vec![0.0; j * j],
            pr: vec![0.0; j * j],
            n: vec![0.0; j * j],
            d: vec![0.0; j],
            f: vec![0.0; j],
        }
    }

    /// From stored components at level spacing `h`; rates and margins
    /// below zero are rounding noise.
    fn unpack(lay: Layout, s: &[f64], h: f64) -> Self {
        let j = lay.j;
        let mut b = Self::zero(j);
        for a in 0..j {
            for c in 0..j {
                b.pl[a * j + c] = s[lay.pl(a, c)].max(0.0);
                b.pr[a * j + c] = s[lay.pr(a, c)].max(0.0);
                b.n[a * j + c] = if a == c {
                    0.0
                } else {
                    s[lay.n(a, c)].max(0.0) * h
                };
            }
            b.d[a] = s[lay.d(a)].max(0.0) * h;
            b.f[a] = s[lay.f(a)] * h;
        }
        b
    }

    fn pack(&self, lay: Layout, h: f64, out: &mut [f64]) {
        let j = lay.j;
        for a in 0..j {
            for c in 0..j {
                out[lay.pl(a, c)] = self.pl[a * j + c];
                out[lay.pr(a, c)] = self.pr[a * j + c];
                out[lay.n(a, c)] = self.n[a * j + c] / h;
            }
            out[lay.d(a)] = self.d[a] / h;
            out[lay.f(a)] = self.f[a] / h;
        }
    }

    /// The exit rates (everything but switching): `rowsum(PL + PR) + d`.
    fn exits(&self, j: usize) -> Vec<f64> {
        (0..j)
            .map(|a| {
                (0..j)
                    .map(|c| self.pl[a * j + c] + self.pr[a * j + c])
                    .sum::<f64>()
                    + self.d[a]
            })
            .collect()
    }

    /// `B^-1 R` for `R` with `cols` columns (row-major), by GTH elimination.
    fn solve(&self, j: usize, r: &[f64], cols: usize) -> Vec<f64> {
        gth_solve(&self.n, &self.exits(j), r, j, cols)
    }
}

/// Solves `(diag(rowsum(N) + e) - N) X = R` (`N >= 0` with zero diagonal,
/// `e >= 0`, `R` row-major `j x cols`) by Gaussian elimination whose pivots
/// are sums of non-negative terms (Grassmann-Taksar-Heyman). A zero pivot
/// (a state with no exit at all) gives zero rows.
fn gth_solve(n: &[f64], e: &[f64], r: &[f64], j: usize, cols: usize) -> Vec<f64> {
    let mut n = n.to_vec();
    let mut e = e.to_vec();
    let mut r = r.to_vec();
    let mut piv = vec![0.0; j];
    for k in 0..j {
        let dk: f64 = (k + 1..j).map(|c| n[k * j + c]).sum::<f64>() + e[k];
        piv[k] = dk;
        if dk <= 0.0 {
            continue;
        }
        for i in k + 1..j {
            let f = n[i * j + k] / dk;
            if f == 0.0 {
                continue;
            }
            for c in k + 1..j {
                if c != i {
                    n[i * j + c] += f * n[k * j + c];
                }
            }
            e[i] += f * e[k];
            for c in 0..cols {
                r[i * cols + c] += f * r[k * cols + c];
            }
        }
    }
    let mut x = vec![0.0; j * cols];
    for k in (0..j).rev() {
        if piv[k] <= 0.0 {
            continue;
        }
        for c in 0..cols {
            let mut s = r[k * cols + c];
            for m in k + 1..j {
                s += n[k * j + m] * x[m * cols + c];
            }
            x[k * cols + c] = s / piv[k];
        }
    }
    x
}

/// The stationary vector of the `j`-state generator with off-diagonal
/// rates `n` (GTH), summing to 1.
fn gth_stationary(n: &[f64], j: usize) -> Vec<f64> {
    let mut n = n.to_vec();
    let mut s = vec![0.0; j];
    for k in (1..j).rev() {
        let sk: f64 = (0..k).map(|c| n[k * j + c]).sum();
        s[k] = sk;
        if sk <= 0.0 {
            continue;
        }
        for a in 0..k {
            for b in 0..k {
                if a != b {
                    n[a * j + b] += n[a * j + k] * n[k * j + b] / sk;
                }
            }
        }
    }
    let mut pi = vec![0.0; j];
    pi[0] = 1.0;
    for k in 1..j {
        if s[k] > 0.0 {
            pi[k] = (0..k).map(|a| pi[a] * n[a * j + k]).sum::<f64>() / s[k];
        }
    }
    let total: f64 = pi.iter().sum();
    pi.iter().map(|p| p / total).collect()
}

/// `a (j x j) * b (j x cols)`, row-major.
fn mul(a: &[f64], b: &[f64], j: usize, cols: usize) -> Vec<f64> {
    let mut out = vec![0.0; j * cols];
    for r in 0..j {
        for m in 0..j {
            let x = a[r * j + m];
            if x != 0.0 {
                for c in 0..cols {
                    out[r * cols + c] += x * b[m * cols + c];
                }
            }
        }
    }
    out
}

/// Which side of the matrix the right-hand side `f` stands on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rhs {
    /// `M x = f`: the HJB step.
    Columns,
    /// `y M = f^T`: an implicit step of the forward equation (and the
    /// stationary one, `f = 0`).
    Rows,
}

/// The even point's block after eliminating its odd neighbours: the
/// coefficients are the Schur complement either way; `f` is reduced as a
/// column (`f_e + P_e B_o^-1 f_o`) or as a row (`f_e + f_o B_o^-1 P_o`,
/// `P_o` the neighbour's rate towards `e`).
fn reduce_point(
    j: usize,
    e: &Block,
    left: Option<&Block>,
    right: Option<&Block>,
    rhs: Rhs,
) -> Block {
    let cols = 2 * j + 2;
    let mut out = Block::zero(j);
    out.d.clone_from(&e.d);
    out.f.clone_from(&e.f);
    let mut m = e.n.clone();
    for (side, nb) in [(0, left), (1, right)] {
        let Some(o) = nb else { continue };
        let p = if side == 0 { &e.pl } else { &e.pr };
        let reaches = p.iter().any(|&v| v != 0.0);
        let feeds = rhs == Rhs::Rows && o.f.iter().any(|&v| v != 0.0);
        if !reaches && !feeds {
            continue;
        }
        // R = [PL_o | PR_o | d_o | f_o].
        let mut r = vec![0.0; j * cols];
        for a in 0..j {
            for c in 0..j {
                r[a * cols + c] = o.pl[a * j + c];
                r[a * cols + j + c] = o.pr[a * j + c];
            }
            r[a * cols + 2 * j] = o.d[a];
            r[a * cols + 2 * j + 1] = o.f[a];
        }
        let x = o.solve(j, &r, cols);
        if feeds {
            // The left neighbour reaches e through PR_o, the right one
            // through PL_o: columns j.. or 0.. of B_o^-1 R.
            let towards = (1 - side) * j;
            for c in 0..j {
                out.f[c] += (0..j)
                    .map(|a| o.f[a] * x[a * cols + towards + c])
                    .sum::<f64>();
            }
        }
        if !reaches {
            continue;
        }
        let px = mul(p, &x, j, cols);
        for a in 0..j {
            for c in 0..j {
                let (same, other) = (
                    px[a * cols + side * j + c],
                    px[a * cols + (1 - side) * j + c],
                );
                if side == 0 {
                    out.pl[a * j + c] += same;
                } else {
                    out.pr[a * j + c] += same;
                }
                m[a * j + c] += other;
            }
            out.d[a] += px[a * cols + 2 * j];
            if rhs == Rhs::Columns {
                out.f[a] += px[a * cols + 2 * j + 1];
            }
        }
    }
    for a in 0..j {
        for c in 0..j {
            out.n[a * j + c] = if a == c { 0.0 } else { m[a * j + c] };
        }
    }
    out
}

/// The train with its last wealth bit fixed to `bit` (modes `2^(b-1), K`).
pub(crate) fn slice_last_bit(t: &TensorTrain, bit: usize) -> Result<TensorTrain> {
    let mut cores = t.cores().to_vec();
    let last = cores.pop().expect("a last mode");
    let pen = cores.pop().expect("a wealth bit");
    let (rl, _, rm) = pen.shape();
    let (_, k, _) = last.shape();
    let mut c = Core::zeros(rl, k, 1);
    for a in 0..rl {
        for kk in 0..k {
            *c.get_mut(a, kk, 0) = (0..rm)
                .map(|b| pen.get(a, bit, b) * last.get(b, kk, 0))
                .sum();
        }
    }
    cores.push(c);
    TensorTrain::new(cores)
}

/// `x` on `2^b` points from its even values `even` and odd values `odd`
/// (both on `2^(b-1)` points), exact before rounding.
fn interleave(even: &TensorTrain, odd: &TensorTrain, trunc: &Truncation) -> Result<TensorTrain> {
    let insert = |t: &TensorTrain, bit: usize| -> Result<TensorTrain> {
        let mut cores = t.cores().to_vec();
        let last = cores.pop().expect("a last mode");
        let r = last.r_left();
        let mut c = Core::zeros(r, 2, r);
        for a in 0..r {
            *c.get_mut(a, bit, a) = 1.0;
        }
        cores.push(c);
        cores.push(last);
        TensorTrain::new(cores)
    };
    insert(even, 0)?.add(&insert(odd, 1)?)?.round(trunc)
}

/// The levels of a reduction: level `k` holds the coefficients on
/// `2^(L-k)` points.
pub(crate) struct Reduction {
    lay: Layout,
    /// The fine spacing: level `k`'s spacing is `2^k da`.
    da: f64,
    levels: Vec<Components>,
    /// The parity of the points each level keeps.
    keep: Vec<usize>,
    /// How every level and the back substitution are compressed.
    c: Compression,
    /// The side of the right-hand side.
    rhs: Rhs,
}

/// Settings of the crosses of one reduction.
fn options(tol: f64, max_rank: usize, k: usize) -> CrossOptions {
    CrossOptions {
        tol,
        max_rank,
        method: CrossMethod::TwoSite,
        // Start with every component in the right sets (components that
        // vanish on most points would otherwise hide whole prefixes).
        initial_rank: (2 * k).clamp(4, max_rank),
        ..Default::default()
    }
}

/// How each field of the reduction is compressed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Compression {
    /// Relative tolerance of each cross (or TT-SVD), per component.
    pub tol: f64,
    /// Largest bond dimension.
    pub max_rank: usize,
    /// Fields on at most `2^dense_bits` points are evaluated at every point
    /// and compressed by TT-SVD: a two-site cross there samples more points
    /// than the grid has (`~ 4 r^2` per bond and sweep).
    pub dense_bits: usize,
}

impl Compression {
    /// The same settings at tolerance `tol`.
    pub fn with_tol(self, tol: f64) -> Self {
        Self { tol, ..self }
    }
}

/// The train of a field on `2^bits` points with `k` components per point
/// (`values` point-major), each component scaled by `scale` (exact TT-SVD
/// of the scaled field truncated at `c.tol`, scales restored).
pub(crate) fn from_values(
    bits: usize,
    k: usize,
    values: &[f64],
    scale: &[f64],
    c: &Compression,
) -> Result<TensorTrain> {
    let n = 1usize << bits;
    let mut modes = vec![2; bits];
    modes.push(k);
    // Column-major with the first (most significant) bit fastest.
    let mut data = vec![0.0; n * k];
    for w in 0..n {
        let rw = if bits == 0 {
            0
        } else {
            w.reverse_bits() >> (usize::BITS as usize - bits)
        };
        for (comp, sc) in scale.iter().enumerate() {
            data[rw + n * comp] = values[w * k + comp] / sc;
        }
    }
    let trunc = Truncation::tol(c.tol)?.with_max_rank(c.max_rank)?;
    unscale(TensorTrain::from_dense(&data, &modes, &trunc)?, scale)
}

/// An error unless a field on `2^bits` points with `k` components fits in
/// memory evaluated densely (the values, their copy for TT-SVD, indices).
pub(crate) fn dense_fits(bits: usize, k: usize) -> Result<()> {
    if bits >= 64 {
        return Err(Error::invalid(format!(
            "a dense field on 2^{bits} points: lower QttOptions::dense_bits"
        )));
    }
    crate::memory::check_fits(
        &format!("a dense field on 2^{bits} points (lower QttOptions::dense_bits)"),
        (1u128 << bits) * (2 * k as u128 + 1) * 8,
    )
}

/// Multiplies component `c` of the last mode by `scale[c]` (exact).
fn unscale(tt: TensorTrain, scale: &[f64]) -> Result<TensorTrain> {
    let mut cores = tt.into_cores();
    let last = cores.last_mut().expect("a last core");
    for a in 0..last.r_left() {
        for (c, sc) in scale.iter().enumerate() {
            *last.get_mut(a, c, 0) *= sc;
        }
    }
    TensorTrain::new(cores)
}

/// Each component's largest magnitude over `values` (`k` per point), with
/// a floor of 1e-6 of the largest of all (1 when all vanish).
pub(crate) fn component_scales(values: &[f64], k: usize) -> Vec<f64> {
    let largest = values.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let floor = if largest > 0.0 { 1e-6 * largest } else { 1.0 };
    (0..k)
        .map(|c| {
            values
                .iter()
                .skip(c)
                .step_by(k)
                .fold(0.0f64, |m, v| m.max(v.abs()))
                .max(floor)
        })
        .collect()
}

/// A cross over `2^bits` points and a last mode of size `k`, whose values at
/// a batch of distinct points come from `f(points) -> k values each`
/// (evaluated at every point on at most `2^c.dense_bits` points).
pub(crate) fn cross_points<F>(bits: usize, k: usize, c: &Compression, f: F) -> Result<TensorTrain>
where
    F: Fn(&[u64]) -> Result<Vec<f64>> + Sync,
{
    cross_checked(bits, k, c, f, true)
}

/// [`cross_points`] for a field that may be rounding noise (a residual near
/// convergence): one attempt, kept even where it misses the probes, since
/// noise cannot be compressed and its caller only needs its size.
pub(crate) fn cross_points_noisy<F>(
    bits: usize,
    k: usize,
    c: &Compression,
    f: F,
) -> Result<TensorTrain>
where
    F: Fn(&[u64]) -> Result<Vec<f64>> + Sync,
{
    cross_checked(bits, k, c, f, false)
}

fn cross_checked<F>(
    bits: usize,
    k: usize,
    c: &Compression,
    f: F,
    strict: bool,
) -> Result<TensorTrain>
where
    F: Fn(&[u64]) -> Result<Vec<f64>> + Sync,
{
    let (tol, max_rank) = (c.tol, c.max_rank);
    if bits <= c.dense_bits {
        dense_fits(bits, k)?;
        let all: Vec<u64> = (0..1u64 << bits).collect();
        let values = f(&all)?;
        let scale = component_scales(&values, k);
        return from_values(bits, k, &values, &scale, c);
    }
    let mut modes = vec![2; bits];
    modes.push(k);
    // A cross can miss a feature its samples never touch (seen: a random
    // test system whose components vanish on most points); each result is
    // checked at points it did not choose, and a miss is retried from
    // larger and different initial index sets.
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0x5eed ^ bits as u64);
    let probes: Vec<u64> = (0..64)
        .map(|_| rng.random_range(0..1u64 << bits))
        .chain([0, (1u64 << bits) - 1])
        .collect();
    let want = f(&probes)?;
    // Each component is crossed at unit scale: truncating relative to the
    // whole train would leave the small components (rates ~0.1 beside
    // right-hand sides ~1e3) with noise far above the tolerance, and the
    // next level resolves that noise at growing rank (level ranks 34..61 at
    // 2^14 points, against 13..19 for the same coefficients point by point).
    // (Components at rounding level, such as rates that vanish in exact
    // arithmetic, are not blown up: the scale has a floor of 1e-6 of the
    // largest.)
    let scale = component_scales(&want, k);
    let batch = |points: &[usize], d: usize| -> Result<Vec<f64>> {
        let ws: Vec<u64> = points
            .chunks(d)
            .map(|p| p[..d - 1].iter().fold(0u64, |a, &b| (a << 1) | b as u64))
            .collect();
        let mut distinct = ws.clone();
        distinct.sort_unstable();
        distinct.dedup();
        let vals = f(&distinct)?;
        Ok(points
            .chunks(d)
            .zip(&ws)
            .map(|(p, w)| {
                let slot = distinct.binary_search(w).expect("present");
                let c = p[d - 1];
                vals[slot * k + c] / scale[c]
            })
            .collect())
    };
    let mut opts = options(tol, max_rank, k);
    let mut worst = 0.0;
    for _attempt in 0..3 {
        let (tt, _) = cross_batch(batch, &modes, &opts)?;
        let got = tt.eval_fibers(&probes)?;
        worst = got
            .iter()
            .zip(&want)
            .enumerate()
            .fold(0.0f64, |m, (i, (a, b))| m.max((a - b / scale[i % k]).abs()));
        // A miss is O(1); the cross's own error is `tol` in norm, which
        // can be 1e3 tol at single points of a 2^12-point field.
        if !strict || worst <= (1e4 * tol).max(1e-6) {
            // Back to the components' own scales (exact).
            return unscale(tt, &scale);
        }
        opts.initial_rank = (2 * opts.initial_rank).min(max_rank);
        opts.seed += 1;
    }
    Err(Error::Numerical(format!(
        "cyclic reduction: a cross on 2^{bits} points is off by {worst:.1e} (relative) at \
         points it did not sample, after 3 attempts (tolerance {tol:.0e}, max rank {max_rank})"
    )))
}

/// Values of `t` at `w - 1` for each `w` (zeros where `w = 0`).
fn fibers_left(t: &impl Fibers, ws: &[u64], k: usize) -> Result<Vec<f64>> {
    let lefts: Vec<u64> = ws.iter().map(|&w| w.saturating_sub(1)).collect();
    let mut v = t.fibers(&lefts)?;
    for (p, &w) in ws.iter().enumerate() {
        if w == 0 {
            v[p * k..(p + 1) * k].iter_mut().for_each(|x| *x = 0.0);
        }
    }
    Ok(v)
}

/// Values of `t` at `w + 1` (zeros past the last of `2^bits` points).
fn fibers_right(t: &impl Fibers, ws: &[u64], k: usize, bits: usize) -> Result<Vec<f64>> {
    let top = if bits == 0 { 0 } else { (1u64 << bits) - 1 };
    let rights: Vec<u64> = ws.iter().map(|&w| (w + 1).min(top)).collect();
    let mut v = t.fibers(&rights)?;
    for (p, &w) in ws.iter().enumerate() {
        if w >= top {
            v[p * k..(p + 1) * k].iter_mut().for_each(|x| *x = 0.0);
        }
    }
    Ok(v)
}

/// The values of `t` at `(w - 1, w)` (`before`) or `(w, w + 1)`, zeros off
/// the grid of `2^bits` points.
fn around(
    t: &impl Fibers,
    ws: &[u64],
    k: usize,
    bits: usize,
    before: bool,
) -> Result<(Vec<f64>, Vec<f64>)> {
    let here = t.fibers(ws)?;
    Ok(if before {
        (fibers_left(t, ws, k)?, here)
    } else {
        (here, fibers_right(t, ws, k, bits)?)
    })
}

impl Reduction {
    /// Reduces the fine-level coefficients `fine` (modes `2^L, K`, stored
    /// at level 0 with spacing `da`) to the single point `survivor`,
    /// truncating each level's cross at `tol`. Level `k` keeps the points
    /// whose bit `k` equals `survivor`'s, so the stationary distribution
    /// can be seeded at a point the chain surely visits (censoring to a
    /// transient point would lose the mass).
    pub fn new(
        lay: Layout,
        fine: Components,
        da: f64,
        c: Compression,
        rhs: Rhs,
        survivor: u64,
    ) -> Result<Self> {
        let k = lay.k();
        let bits = fine.bits();
        if bits < 64 && survivor >> bits != 0 {
            return Err(Error::invalid(format!(
                "cyclic reduction: survivor {survivor} is off a grid of 2^{bits} points"
            )));
        }
        let mut levels = vec![fine];
        let mut keep = Vec::with_capacity(bits);
        for level in 0..bits {
            let cur = levels.last().expect("a level");
            let (h, h2) = (Self::spacing(da, level), Self::spacing(da, level + 1));
            let parity = ((survivor >> level) & 1) as usize;
            let kept = cur.slice_last_bit(parity)?;
            let gone = cur.slice_last_bit(1 - parity)?;
            let b = bits - level - 1;
            let next = Components::compress(b, k, &c, |ws| {
                let here = kept.fibers(ws)?;
                let (left, right) = around(&gone, ws, k, b, parity == 0)?;
                let top = if b == 0 { 0 } else { (1u64 << b) - 1 };
                let mut out = vec![0.0; ws.len() * k];
                for (p, &w) in ws.iter().enumerate() {
                    let r = p * k..(p + 1) * k;
                    let e = Block::unpack(lay, &here[r.clone()], h);
                    let has_left = parity == 1 || w > 0;
                    let has_right = parity == 0 || w < top;
                    let l = has_left.then(|| Block::unpack(lay, &left[r.clone()], h));
                    let rr = has_right.then(|| Block::unpack(lay, &right[r.clone()], h));
                    let new = reduce_point(lay.j, &e, l.as_ref(), rr.as_ref(), rhs);
                    new.pack(lay, h2, &mut out[r]);
                }
                Ok(out)
            })?;
            levels.push(next);
            keep.push(parity);
        }
        Ok(Self {
            lay,
            da,
            levels,
            keep,
            c,
            rhs,
        })
    }

    fn spacing(da: f64, level: usize) -> f64 {
        da * (1u64 << level) as f64
    }

    /// Bond dimensions of every level.
    pub fn ranks(&self) -> Vec<usize> {
        self.levels.iter().map(|t| t.max_rank()).collect()
    }

    fn point_block(&self, level: usize, w: u64) -> Result<Block> {
        let v = self.levels[level].fibers(&[w])?;
        Ok(Block::unpack(self.lay, &v, Self::spacing(self.da, level)))
    }

    /// The fine train from the kept values `coarse` and the eliminated
    /// values `gone` of `level`.
    fn merge(
        &self,
        level: usize,
        coarse: &TensorTrain,
        gone: &TensorTrain,
        trunc: &Truncation,
    ) -> Result<TensorTrain> {
        if self.keep[level] == 0 {
            interleave(coarse, gone, trunc)
        } else {
            interleave(gone, coarse, trunc)
        }
    }

    /// The solution of the reduced system (the HJB step): modes `2^L, J`.
    pub fn solve(&self) -> Result<TensorTrain> {
        self.back_columns(None)
    }

    /// `M x = f` for another right-hand side `f` (modes `2^L, J`) with the
    /// coefficients of this reduction: `f` alone is reduced through the
    /// stored levels (one train of `J` components per level instead of
    /// `3 J^2 + 2 J`).
    pub fn solve_for(&self, f: &TensorTrain) -> Result<TensorTrain> {
        let fl = self.reduce_rhs(f, Rhs::Columns)?;
        self.back_columns(Some(&fl))
    }

    /// `y M = f^T` for another right-hand side, as [`Self::solve_for`].
    pub fn solve_rows_for(&self, f: &TensorTrain) -> Result<TensorTrain> {
        let fl = self.reduce_rhs(f, Rhs::Rows)?;
        let top = self.levels.len() - 1;
        let j = self.lay.j;
        let b = self.point_block(top, 0)?;
        let ft = fl[top].fibers(&[0])?;
        let h = Self::spacing(self.da, top);
        let inv = b.solve(j, &identity(j), j);
        let top_value = (0..j)
            .map(|c| (0..j).map(|a| ft[a] * h * inv[a * j + c]).sum())
            .collect();
        self.back_rows(top_value, Some(&fl), true)
    }

    /// `f` (stored at level 0 like the components: rates times `da`) on
    /// every level: `f_e + P_e B_o^-1 f_o` (columns) or `f_e + f_o B_o^-1
    /// P_o` (rows), stored at each level's scale (`f da / h`).
    fn reduce_rhs(&self, f: &TensorTrain, side: Rhs) -> Result<Vec<TensorTrain>> {
        let (lay, j, k) = (self.lay, self.lay.j, self.lay.k());
        let mut fl = vec![f.clone()];
        for level in 0..self.levels.len() - 1 {
            let (h, h2) = (
                Self::spacing(self.da, level),
                Self::spacing(self.da, level + 1),
            );
            let parity = self.keep[level];
            let kept = self.levels[level].slice_last_bit(parity)?;
            let gone = self.levels[level].slice_last_bit(1 - parity)?;
            let cur = &fl[level];
            let (fk, fg) = (
                slice_last_bit(cur, parity)?,
                slice_last_bit(cur, 1 - parity)?,
            );
            let b = self.levels.len() - 1 - level - 1;
            let next = cross_points(b, j, &self.c, |ws| {
                let (here, fe) = (kept.fibers(ws)?, fk.eval_fibers(ws)?);
                let (left, right) = around(&gone, ws, k, b, parity == 0)?;
                let (fl_, fr_) = around(&fg, ws, j, b, parity == 0)?;
                let top = if b == 0 { 0 } else { (1u64 << b) - 1 };
                let mut out = vec![0.0; ws.len() * j];
                for (p, &w) in ws.iter().enumerate() {
                    let (r, rj) = (p * k..(p + 1) * k, p * j..(p + 1) * j);
                    let e = Block::unpack(lay, &here[r.clone()], h);
                    let mut acc: Vec<f64> = fe[rj.clone()].iter().map(|v| v * h).collect();
                    let has_left = parity == 1 || w > 0;
                    let has_right = parity == 0 || w < top;
                    for (side_no, present, nb, fo) in
                        [(0, has_left, &left, &fl_), (1, has_right, &right, &fr_)]
                    {
                        if !present {
                            continue;
                        }
                        let o = Block::unpack(lay, &nb[r.clone()], h);
                        let fo: Vec<f64> = fo[rj.clone()].iter().map(|v| v * h).collect();
                        match side {
                            Rhs::Columns => {
                                let p_e = if side_no == 0 { &e.pl } else { &e.pr };
                                let x = o.solve(j, &fo, 1);
                                for a in 0..j {
                                    acc[a] += (0..j).map(|c| p_e[a * j + c] * x[c]).sum::<f64>();
                                }
                            }
                            Rhs::Rows => {
                                // The neighbour's rate towards e.
                                let p_o = if side_no == 0 { &o.pr } else { &o.pl };
                                let x = o.solve(j, p_o, j);
                                for c in 0..j {
                                    acc[c] += (0..j).map(|a| fo[a] * x[a * j + c]).sum::<f64>();
                                }
                            }
                        }
                    }
                    for (dst, v) in out[rj].iter_mut().zip(acc) {
                        *dst = v / h2;
                    }
                }
                Ok(out)
            })?;
            fl.push(next);
        }
        Ok(fl)
    }

    /// Back substitution of a column solution; `fl`: the right-hand side's
    /// levels ([`Self::reduce_rhs`]) in place of the stored components'.
    fn back_columns(&self, fl: Option<&[TensorTrain]>) -> Result<TensorTrain> {
        let (lay, j, k) = (self.lay, self.lay.j, self.lay.k());
        let top = self.levels.len() - 1;
        let mut b = self.point_block(top, 0)?;
        if let Some(fl) = fl {
            let h = Self::spacing(self.da, top);
            b.f = fl[top].fibers(&[0])?.iter().map(|v| v * h).collect();
        }
        let x0 = b.solve(j, &b.f, 1);
        let mut x = TensorTrain::new(vec![Core::new(1, j, 1, x0)?])?;
        let trunc = Truncation::tol(self.c.tol)?.with_max_rank(self.c.max_rank)?;
        for level in (0..top).rev() {
            let h = Self::spacing(self.da, level);
            let parity = self.keep[level];
            let gone = self.levels[level].slice_last_bit(1 - parity)?;
            let fgone = match fl {
                Some(fl) => Some(slice_last_bit(&fl[level], 1 - parity)?),
                None => None,
            };
            let bits = top - level - 1;
            let xc = &x;
            let xo = cross_points(bits, j, &self.c, |ws| {
                let od = gone.fibers(ws)?;
                let fo = match &fgone {
                    Some(t) => Some(t.eval_fibers(ws)?),
                    None => None,
                };
                let (xl, xr) = around(xc, ws, j, bits, parity == 1)?;
                let mut out = vec![0.0; ws.len() * j];
                for p in 0..ws.len() {
                    let o = Block::unpack(lay, &od[p * k..(p + 1) * k], h);
                    let mut rhs = match &fo {
                        Some(fo) => fo[p * j..(p + 1) * j].iter().map(|v| v * h).collect(),
                        None => o.f.clone(),
                    };
                    for (a, r) in rhs.iter_mut().enumerate() {
                        for c in 0..j {
                            *r += o.pl[a * j + c] * xl[p * j + c] + o.pr[a * j + c] * xr[p * j + c];
                        }
                    }
                    out[p * j..(p + 1) * j].copy_from_slice(&o.solve(j, &rhs, 1));
                }
                Ok(out)
            })?;
            x = self.merge(level, xc, &xo, &trunc)?;
        }
        Ok(x)
    }

    /// The stationary masses `pi >= 0`, `sum pi = 1`, of the generator whose
    /// rates were reduced (margins zero; the right-hand side is ignored),
    /// seeded at the survivor (which must be a recurrent point): modes
    /// `2^L, J`.
    pub fn stationary(&self) -> Result<TensorTrain> {
        let b = self.point_block(self.levels.len() - 1, 0)?;
        let pi = self.back_rows(gth_stationary(&b.n, self.lay.j), None, false)?;
        let total = pi.sum();
        if !(total.is_finite() && total > 0.0) {
            return Err(Error::Numerical(format!(
                "KFE (QTT): the stationary masses sum to {total}"
            )));
        }
        Ok(pi.scaled(1.0 / total))
    }

    /// The solution `y` of `y M = f^T` (the reduction built with
    /// [`Rhs::Rows`]): modes `2^L, J`, non-negative where `f` is.
    pub fn solve_rows(&self) -> Result<TensorTrain> {
        if self.rhs != Rhs::Rows {
            return Err(Error::invalid(
                "cyclic reduction: solve_rows needs a reduction of a row right-hand side",
            ));
        }
        let j = self.lay.j;
        let b = self.point_block(self.levels.len() - 1, 0)?;
        let inv = b.solve(j, &identity(j), j);
        let top = (0..j)
            .map(|c| (0..j).map(|a| b.f[a] * inv[a * j + c]).sum())
            .collect();
        self.back_rows(top, None, true)
    }

    /// Back substitution of a row solution from its value `top` at the
    /// single point of the last level:
    /// `y_o = (f_o + y_(o-1) PR_(o-1) + y_(o+1) PL_(o+1)) B_o^-1`, without
    /// the `f_o` unless `with_rhs` (the stationary vector ignores it).
    fn back_rows(
        &self,
        top: Vec<f64>,
        fl: Option<&[TensorTrain]>,
        with_rhs: bool,
    ) -> Result<TensorTrain> {
        let (lay, j, k) = (self.lay, self.lay.j, self.lay.k());
        let mut y = TensorTrain::new(vec![Core::new(1, j, 1, top)?])?;
        let trunc = Truncation::tol(self.c.tol)?.with_max_rank(self.c.max_rank)?;
        let identity = identity(j);
        for level in (0..self.levels.len() - 1).rev() {
            let h = Self::spacing(self.da, level);
            let parity = self.keep[level];
            let kept = self.levels[level].slice_last_bit(parity)?;
            let gone = self.levels[level].slice_last_bit(1 - parity)?;
            let fgone = match fl {
                Some(fl) => Some(slice_last_bit(&fl[level], 1 - parity)?),
                None => None,
            };
            let bits = self.levels.len() - 1 - level - 1;
            let yc = &y;
            let yo = cross_points(bits, j, &self.c, |ws| {
                let od = gone.fibers(ws)?;
                let fo = match &fgone {
                    Some(t) => Some(t.eval_fibers(ws)?),
                    None => None,
                };
                let (el, er) = around(&kept, ws, k, bits, parity == 1)?;
                let (yl, yr) = around(yc, ws, j, bits, parity == 1)?;
                let mut out = vec![0.0; ws.len() * j];
                for p in 0..ws.len() {
                    let o = Block::unpack(lay, &od[p * k..(p + 1) * k], h);
                    let left = Block::unpack(lay, &el[p * k..(p + 1) * k], h);
                    let right = Block::unpack(lay, &er[p * k..(p + 1) * k], h);
                    // Inflow row vector: f_o + y_{o-1} PR_{o-1} + y_{o+1} PL_{o+1}.
                    let inflow: Vec<f64> = (0..j)
                        .map(|c| {
                            (match (&fo, with_rhs) {
                                (_, false) => 0.0,
                                (Some(fo), true) => fo[p * j + c] * h,
                                (None, true) => o.f[c],
                            }) + (0..j)
                                .map(|a| {
                                    yl[p * j + a] * left.pr[a * j + c]
                                        + yr[p * j + a] * right.pl[a * j + c]
                                })
                                .sum::<f64>()
                        })
                        .collect();
                    let inv = o.solve(j, &identity, j);
                    for c in 0..j {
                        out[p * j + c] = (0..j).map(|a| inflow[a] * inv[a * j + c]).sum();
                    }
                }
                Ok(out)
            })?;
            y = self.merge(level, yc, &yo, &trunc)?;
        }
        Ok(y)
    }
}

/// The `j x j` identity, row-major.
fn identity(j: usize) -> Vec<f64> {
    (0..j * j)
        .map(|i| if i / j == i % j { 1.0 } else { 0.0 })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use nalgebra::{DMatrix, DVector};

    /// Every level crossed, at the precision of the arithmetic.
    const CROSSED: Compression = Compression {
        tol: 1e-15,
        max_rank: 400,
        dense_bits: 0,
    };
    /// Every level evaluated at all points and compressed by TT-SVD.
    const DENSE: Compression = Compression {
        dense_bits: 64,
        ..CROSSED
    };

    /// Every value of `x` (modes `2^bits, J`) equals `exact` (point-major)
    /// to 1e-11 relative.
    fn assert_equals_dense(x: &TensorTrain, exact: &DVector<f64>, what: &str) {
        let j = *x.modes().last().unwrap();
        let all: Vec<u64> = (0..(exact.len() / j) as u64).collect();
        for (r, (v, want)) in x
            .eval_fibers(&all)
            .unwrap()
            .iter()
            .zip(exact.iter())
            .enumerate()
        {
            assert!(
                (v - want).abs() < 1e-11 * (1.0 + want.abs()),
                "{what}: point {} state {}: {v} vs {want}",
                r / j,
                r % j
            );
        }
    }

    /// The fine level `tt` (modes `2^bits, K`) compressed as `c` does.
    fn components(tt: &TensorTrain, c: &Compression) -> Components {
        let k = *tt.modes().last().unwrap();
        Components::compress(tt.len() - 1, k, c, |ws| tt.eval_fibers(ws)).unwrap()
    }

    /// A random block-tridiagonal system on 2^bits points, J states, as
    /// fine-level stored components and as a dense matrix.
    fn random_system(
        bits: usize,
        j: usize,
        margin: f64,
        seed: u64,
    ) -> (TensorTrain, DMatrix<f64>, DVector<f64>) {
        use rand::{Rng, SeedableRng};
        let lay = Layout { j };
        let k = lay.k();
        let n = 1usize << bits;
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        let mut data = vec![0.0; n * k];
        let mut a = DMatrix::zeros(n * j, n * j);
        let mut f = DVector::zeros(n * j);
        // The HACT pattern: each state moves right below its own zero of the
        // drift and left above it (random directions make closed classes,
        // whose stationary distributions are not unique), the zeros at
        // distinct points (a point where every state has zero drift would
        // be absorbing).
        let mut sinks: Vec<usize> = Vec::new();
        while sinks.len() < j {
            let c = rng.random_range(0..n);
            if !sinks.contains(&c) || n < j {
                sinks.push(c);
            }
        }
        for i in 0..n {
            let s = &mut data[i * k..(i + 1) * k];
            for p in 0..j {
                // Upwind: one side only, like the HACT scheme.
                let rate = rng.random_range(0.0..50.0);
                if i > sinks[p] {
                    s[lay.pl(p, p)] = rate;
                } else if i < sinks[p] {
                    s[lay.pr(p, p)] = rate;
                }
                for q in 0..j {
                    if q != p {
                        s[lay.n(p, q)] = rng.random_range(0.0..2.0);
                    }
                }
                s[lay.d(p)] = margin;
                s[lay.f(p)] = rng.random_range(-1.0..1.0);
            }
            for p in 0..j {
                let row = i * j + p;
                let mut diag = s[lay.d(p)];
                for q in 0..j {
                    if i > 0 && s[lay.pl(p, q)] > 0.0 {
                        a[(row, (i - 1) * j + q)] -= s[lay.pl(p, q)];
                        diag += s[lay.pl(p, q)];
                    }
                    if i + 1 < n && s[lay.pr(p, q)] > 0.0 {
                        a[(row, (i + 1) * j + q)] -= s[lay.pr(p, q)];
                        diag += s[lay.pr(p, q)];
                    }
                    if q != p {
                        a[(row, i * j + q)] -= s[lay.n(p, q)];
                        diag += s[lay.n(p, q)];
                    }
                }
                a[(row, row)] += diag;
                f[row] = s[lay.f(p)];
            }
        }
        // Dense data, wealth-major with the component last: column-major
        // dense order of modes (2, ..., 2, K) has the first bit fastest, so
        // build point by point.
        let mut modes = vec![2; bits];
        modes.push(k);
        let tt = cross_points(bits, k, &CROSSED, |ws| {
            Ok(ws
                .iter()
                .flat_map(|&w| data[w as usize * k..(w as usize + 1) * k].to_vec())
                .collect())
        })
        .unwrap();
        assert_eq!(tt.modes(), modes);
        let all: Vec<u64> = (0..n as u64).collect();
        let back = tt.eval_fibers(&all).unwrap();
        let err = back
            .iter()
            .zip(&data)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        assert!(err < 1e-12, "the cross of the test data is off by {err}");
        (tt, a, f)
    }

    #[test]
    fn gth_solves_m_matrices_and_finds_stationary_vectors() {
        // B = [[3, -1, -1], [-2, 4, -1], [0, -1, 1]] + diag(e).
        let n = [0.0, 1.0, 1.0, 2.0, 0.0, 1.0, 0.0, 1.0, 0.0];
        let e = [1.0, 1.0, 0.5];
        let r = [1.0, 2.0, 3.0];
        let x = gth_solve(&n, &e, &r, 3, 1);
        let b = DMatrix::from_row_slice(3, 3, &[3.0, -1.0, -1.0, -2.0, 4.0, -1.0, 0.0, -1.0, 1.5]);
        let res = &b * DVector::from_vec(x) - DVector::from_vec(r.to_vec());
        assert!(res.amax() < 1e-14, "{res}");
        let pi = gth_stationary(&n, 3);
        let q = DMatrix::from_row_slice(3, 3, &[-2.0, 1.0, 1.0, 2.0, -3.0, 1.0, 0.0, 1.0, -1.0]);
        let res = DVector::from_vec(pi.clone()).transpose() * q;
        assert!(
            res.amax() < 1e-15 && (pi.iter().sum::<f64>() - 1.0).abs() < 1e-15,
            "{res}"
        );
    }

    #[test]
    fn reduction_equals_a_dense_solve() {
        for (bits, j) in [
            (1, 1),
            (2, 1),
            (3, 1),
            (1, 2),
            (2, 2),
            (3, 2),
            (6, 2),
            (5, 3),
        ] {
            let (tt, a, f) = random_system(bits, j, 0.3, 11 + bits as u64);
            let exact = a.clone().lu().solve(&f).unwrap();
            let survivors = [0, (1u64 << bits) - 1, 5 % (1u64 << bits)];
            for (survivor, c) in survivors
                .into_iter()
                .flat_map(|s| [(s, CROSSED), (s, DENSE)])
            {
                let red = Reduction::new(
                    Layout { j },
                    components(&tt, &c),
                    1.0,
                    c,
                    Rhs::Columns,
                    survivor,
                )
                .unwrap();
                let x = red.solve().unwrap();
                assert_equals_dense(&x, &exact, &format!("{bits} {j} survivor {survivor}"));
            }
        }
    }

    #[test]
    fn stationary_masses_equal_the_dense_null_vector() {
        for (bits, j) in [(3, 2), (6, 2), (5, 3)] {
            let (tt, a, _) = random_system(bits, j, 0.0, 5 + bits as u64);
            // Seeded at the zero of state 0's drift: a recurrent point.
            let sink = (0..1u64 << bits)
                .find(|&i| {
                    let v = tt.eval_fibers(&[i]).unwrap();
                    let lay = Layout { j };
                    v[lay.pl(0, 0)].abs() < 1e-12 && v[lay.pr(0, 0)].abs() < 1e-12
                })
                .unwrap();
            for c in [CROSSED, DENSE] {
                let red =
                    Reduction::new(Layout { j }, components(&tt, &c), 1.0, c, Rhs::Rows, sink)
                        .unwrap();
                let pi = red.stationary().unwrap();
                let n = (1usize << bits) * j;
                let mut dense = DVector::zeros(n);
                for i in 0..(1u64 << bits) {
                    let v = pi.eval_fibers(&[i]).unwrap();
                    for p in 0..j {
                        dense[i as usize * j + p] = v[p];
                    }
                }
                assert!((dense.sum() - 1.0).abs() < 1e-13);
                // Non-negative up to the rounding of the interleaving sums.
                assert!(dense.min() >= -1e-13 * dense.amax(), "{}", dense.min());
                // pi^T A = 0 (A = margin-free generator with a minus sign).
                let res = a.transpose() * &dense;
                assert!(
                    res.amax() < 1e-11 * a.amax() * dense.amax(),
                    "{bits} {j}: {}",
                    res.amax()
                );
            }
        }
    }

    /// `y M = f^T` (an implicit forward-equation step) against a dense
    /// solve of the transposed system, and its column twin rejected.
    #[test]
    fn row_solves_equal_dense_transposed_solves() {
        for (bits, j) in [(1, 1), (3, 2), (6, 2), (5, 3)] {
            let (tt, a, f) = random_system(bits, j, 0.7, 23 + bits as u64);
            let exact = a.transpose().lu().solve(&f).unwrap();
            for (survivor, c) in [(0, CROSSED), ((1u64 << bits) - 1, DENSE)] {
                let red = Reduction::new(
                    Layout { j },
                    components(&tt, &c),
                    1.0,
                    c,
                    Rhs::Rows,
                    survivor,
                )
                .unwrap();
                let y = red.solve_rows().unwrap();
                assert_equals_dense(&y, &exact, &format!("{bits} {j} survivor {survivor}"));
            }
            let columns = Reduction::new(
                Layout { j },
                components(&tt, &DENSE),
                1.0,
                DENSE,
                Rhs::Columns,
                0,
            )
            .unwrap();
            assert!(columns.solve_rows().is_err());
        }
    }

    /// A reduction built without a right-hand side solves any number of
    /// them, both sides, each equal to the dense solve.
    #[test]
    fn reductions_are_reused_for_new_right_hand_sides() {
        for (bits, j) in [(1, 1), (4, 1), (3, 2), (6, 2), (5, 3)] {
            let (tt, a, f) = random_system(bits, j, 0.4, 31 + bits as u64);
            let lay = Layout { j };
            let k = lay.k();
            let f_tt = cross_points(bits, j, &CROSSED, |ws| {
                Ok(ws
                    .iter()
                    .flat_map(|&w| (0..j).map(move |p| (w as usize, p)))
                    .map(|(w, p)| f[w * j + p])
                    .collect())
            })
            .unwrap();
            for c in [CROSSED, DENSE] {
                let bare = Components::compress(bits, k, &c, |ws| {
                    let mut v = tt.eval_fibers(ws)?;
                    for q in 0..ws.len() {
                        for p in 0..j {
                            v[q * k + lay.f(p)] = 0.0;
                        }
                    }
                    Ok(v)
                })
                .unwrap();
                let red = Reduction::new(lay, bare, 1.0, c, Rhs::Columns, 0).unwrap();
                let x = red.solve_for(&f_tt).unwrap();
                let exact = a.clone().lu().solve(&f).unwrap();
                assert_equals_dense(&x, &exact, &format!("columns {bits} {j}"));
                let y = red.solve_rows_for(&f_tt).unwrap();
                let exact = a.transpose().lu().solve(&f).unwrap();
                assert_equals_dense(&y, &exact, &format!("rows {bits} {j}"));
            }
        }
    }

    /// A dense level that would not fit in memory is an error, not an abort.
    #[test]
    fn dense_levels_that_do_not_fit_are_errors() {
        let c = Compression {
            dense_bits: 64,
            ..DENSE
        };
        let e = cross_points(50, 16, &c, |ws| Ok(vec![0.0; ws.len() * 16])).unwrap_err();
        assert!(e.to_string().contains("dense_bits"), "{e}");
        assert!(Components::compress(50, 16, &c, |ws| Ok(vec![0.0; ws.len() * 16])).is_err());
    }
}
