//! Factorisations of block-sparse cores: the charge-by-charge SVD split of
//! the two-site wavefunction with one global truncation (and White's mixer
//! folded in), right-orthonormalisation, and the projection of a dense
//! tensor train on one charge sector.

use super::block_core::{Block, BlockCore};
use super::charges::Sectors;
use crate::error::Result;
use crate::linalg::{eigh, svd_thin, Truncation};
use crate::tt::TensorTrain;
use nalgebra::DMatrix;
use std::collections::{BTreeMap, BTreeSet};

/// A sector matrix as `orth * proj` (moving right) or `proj * orth^T`
/// (moving left) with `orth` orthonormal and the weights `s` decreasing.
pub(crate) struct Factor {
    /// The weight of each direction: the norm of its row (column) of `proj`.
    pub s: Vec<f64>,
    /// Orthonormal columns: left singular vectors moving right, right ones
    /// moving left.
    pub orth: DMatrix<f64>,
    /// The projection of the matrix on them (`orth^T m` or `m orth`).
    pub proj: DMatrix<f64>,
}

/// Below this size a sector is factored by the SVD; above it by the
/// eigendecomposition of its Gram matrix (the density matrix), several
/// times cheaper.
const GRAM_MIN: usize = 32;

/// The singular directions of `m` on the side that becomes the orthonormal
/// core. On the Gram route, eigenvalues below `sqrt(eps)` of the largest
/// are noise, so the weights are not `sqrt(lambda)` but the norms of the
/// projections, accurate to `eps ||m||`; the tail directions they belong to
/// are a basis of the (accurately) small remaining subspace.
pub(crate) fn factor(m: &DMatrix<f64>, to_right: bool) -> Result<Factor> {
    let (nr, nc) = m.shape();
    if nr.min(nc) < GRAM_MIN {
        let svd = svd_thin(m.as_view())?;
        let (orth, proj) = if to_right {
            (svd.u.clone(), svd.s_vt())
        } else {
            (svd.v.clone(), svd.u_s())
        };
        return Ok(Factor {
            s: svd.s,
            orth,
            proj,
        });
    }
    let g = if to_right {
        m * m.transpose()
    } else {
        m.transpose() * m
    };
    let e = eigh(g.as_view())?;
    let n = e.values.len();
    let k = n.min(nr.min(nc));
    // The k largest eigenvalues (eigh sorts increasing).
    let top = e.vectors.columns(n - k, k);
    let proj = if to_right {
        top.transpose() * m
    } else {
        m * top
    };
    let w: Vec<f64> = (0..k)
        .map(|i| {
            if to_right {
                proj.row(i).norm()
            } else {
                proj.column(i).norm()
            }
        })
        .collect();
    let mut order: Vec<usize> = (0..k).collect();
    order.sort_by(|&a, &b| w[b].total_cmp(&w[a]));
    let orth = DMatrix::from_fn(top.nrows(), k, |r, c| top[(r, order[c])]);
    let proj = if to_right {
        DMatrix::from_fn(k, nc, |r, c| proj[(order[r], c)])
    } else {
        DMatrix::from_fn(nr, k, |r, c| proj[(r, order[c])])
    };
    Ok(Factor {
        s: order.iter().map(|&i| w[i]).collect(),
        orth,
        proj,
    })
}

/// The result of [`split`]: the two new cores and the discarded weight
/// relative to `||theta||^2`.
pub(crate) struct Split {
    pub left: BlockCore,
    pub right: BlockCore,
    pub discarded: f64,
}

/// The rows of the middle-charge-`qm` matrix of a two-site split: the
/// `(left sector l, state s1)` pairs with `q_l + q1[s1] = qm`, each with its
/// row offset, and the number of rows.
pub(crate) fn sector_rows(
    left: &Sectors,
    q1: &[i32],
    qm: i32,
) -> (Vec<(usize, usize, usize)>, usize) {
    let mut rows = Vec::new();
    let mut nr = 0;
    for l in 0..left.len() {
        for (s1, &c1) in q1.iter().enumerate() {
            if left.q[l] + c1 == qm {
                rows.push((l, s1, nr));
                nr += left.dim[l];
            }
        }
    }
    (rows, nr)
}

/// The columns of the middle-charge-`qm` matrix: the `(state s2, right
/// sector r)` pairs with `q_r - q2[s2] = qm`, each with its column offset,
/// and the number of columns.
pub(crate) fn sector_cols(
    q2: &[i32],
    right: &Sectors,
    qm: i32,
) -> (Vec<(usize, usize, usize)>, usize) {
    let mut cols = Vec::new();
    let mut nc = 0;
    for (s2, &c2) in q2.iter().enumerate() {
        for r in 0..right.len() {
            if right.q[r] - c2 == qm {
                cols.push((s2, r, nc));
                nc += right.dim[r];
            }
        }
    }
    (cols, nc)
}

/// The middle charges of a two-site split: those with rows and columns.
pub(crate) fn middle_charges(theta: &BlockCore, q1: &[i32]) -> BTreeSet<i32> {
    let n1 = q1.len();
    theta
        .blocks
        .iter()
        .map(|b| theta.left.q[b.l] + q1[b.s % n1])
        .collect()
}

/// Splits `theta` (fused site of `n1 x n2` states with charges `q1`, `q2`)
/// by one SVD per middle charge, keeping the largest singular values over
/// all sectors (`trunc`, budget relative to `||theta||^2`). The singular
/// values go to the right core if `to_right` (the left one is then
/// left-orthonormal), to the left core otherwise.
///
/// `mix`: White's mixer (see `block_mixer`), per middle charge a scaled
/// perturbation laid out as that sector's rows (moving right: extra
/// columns) or columns (moving left: extra rows). The orthonormal side is
/// then the dominant space of the perturbed density matrix, the other
/// factor the exact projection of `theta` on it, and the truncation pools
/// the perturbed weights.
pub(crate) fn split(
    theta: &BlockCore,
    q1: &[i32],
    q2: &[i32],
    trunc: &Truncation,
    to_right: bool,
    mix: Option<&BTreeMap<i32, DMatrix<f64>>>,
) -> Result<Split> {
    let (n1, n2) = (q1.len(), q2.len());
    let (left, right) = (&theta.left, &theta.right);
    let middle = middle_charges(theta, q1);
    struct Sector {
        q: i32,
        rows: Vec<(usize, usize, usize)>, // (l, s1, offset)
        cols: Vec<(usize, usize, usize)>, // (s2, r, offset)
        f: Factor,
    }
    let mut sectors = Vec::with_capacity(middle.len());
    for &qm in &middle {
        let (rows, nr) = sector_rows(left, q1, qm);
        let (cols, nc) = sector_cols(q2, right, qm);
        let mut m = DMatrix::<f64>::zeros(nr, nc);
        for &(l, s1, ro) in &rows {
            for &(s2, r, co) in &cols {
                if let Some(b) = theta.block(l, s1 + n1 * s2) {
                    debug_assert_eq!(b.r, r);
                    m.view_mut((ro, co), b.m.shape()).copy_from(&b.m);
                }
            }
        }
        let f = match mix.and_then(|p| p.get(&qm)) {
            None => factor(&m, to_right)?,
            Some(p) => {
                let aug = if to_right {
                    let mut a = DMatrix::zeros(nr, nc + p.ncols());
                    a.columns_mut(0, nc).copy_from(&m);
                    a.columns_mut(nc, p.ncols()).copy_from(p);
                    a
                } else {
                    let mut a = DMatrix::zeros(nr + p.nrows(), nc);
                    a.rows_mut(0, nr).copy_from(&m);
                    a.rows_mut(nr, p.nrows()).copy_from(p);
                    a
                };
                let mut f = factor(&aug, to_right)?;
                // Keep the projection of theta only.
                f.proj = if to_right {
                    f.proj.columns(0, nc).into_owned()
                } else {
                    f.proj.rows(0, nr).into_owned()
                };
                f
            }
        };
        sectors.push(Sector {
            q: qm,
            rows,
            cols,
            f,
        });
    }
    // One global truncation over the pooled singular values.
    let mut pool: Vec<(f64, usize)> = sectors
        .iter()
        .enumerate()
        .flat_map(|(i, s)| s.f.s.iter().map(move |&v| (v, i)))
        .collect();
    pool.sort_by(|a, b| b.0.total_cmp(&a.0));
    let sv: Vec<f64> = pool.iter().map(|p| p.0).collect();
    let total: f64 = sv.iter().map(|s| s * s).sum();
    let budget = trunc.rel_tol.map_or(0.0, |t| t * t * total);
    let (keep, discarded) = trunc.cut(&sv, budget);
    let keep = keep.max(1);
    let mut kept = vec![0usize; sectors.len()];
    for p in &pool[..keep] {
        kept[p.1] += 1;
    }
    let mid = Sectors::from_pairs(sectors.iter().zip(&kept).map(|(s, &k)| (s.q, k)).collect());
    let mut a = BlockCore::zeros(left.clone(), mid.clone(), q1.to_vec());
    let mut b = BlockCore::zeros(mid.clone(), right.clone(), q2.to_vec());
    for (sec, &k) in sectors.iter().zip(&kept) {
        if k == 0 {
            continue;
        }
        let mid_index = mid.find(sec.q).expect("kept sector");
        // The kept vectors and the projection of m on them: m ~ left * right.
        let f = &sec.f;
        let (lf, rf) = if to_right {
            (
                f.orth.columns(0, k).into_owned(),
                f.proj.rows(0, k).into_owned(),
            )
        } else {
            (
                f.proj.columns(0, k).into_owned(),
                f.orth.columns(0, k).transpose(),
            )
        };
        for &(l, s1, ro) in &sec.rows {
            let i = a.index[l * n1 + s1].expect("allowed block");
            let blk = &mut a.blocks[i].m;
            blk.copy_from(&lf.rows(ro, blk.nrows()));
        }
        for &(s2, r, co) in &sec.cols {
            let i = b.index[mid_index * n2 + s2].expect("allowed block");
            debug_assert_eq!(b.blocks[i].r, r);
            let blk = &mut b.blocks[i].m;
            blk.copy_from(&rf.columns(co, blk.ncols()));
        }
    }
    let discarded = if mix.is_some() {
        // The perturbed weights are not theta's: its discarded weight is
        // what the kept projections miss.
        let theta_sq = theta.norm().powi(2);
        let kept_sq = if to_right { b.norm() } else { a.norm() }.powi(2);
        ((theta_sq - kept_sq) / theta_sq.max(f64::MIN_POSITIVE)).max(0.0)
    } else {
        discarded / total.max(f64::MIN_POSITIVE)
    };
    Ok(Split {
        left: a,
        right: b,
        discarded,
    })
}

/// The charge-resolved form of a dense tensor train projected on total
/// charge `total` (or on its sector of largest weight if `None`), brought to
/// right-orthonormal form with the norm on core 0. Returns the cores, the
/// total charge and the squared weight of the train outside that sector
/// relative to its whole, or `None` if that weight exceeds `max_outside`.
/// Errors if the projection is zero.
pub(crate) fn from_dense(
    x: &TensorTrain,
    q: &[Vec<i32>],
    total: Option<i32>,
    max_outside: f64,
) -> Result<Option<(Vec<BlockCore>, i32, f64)>> {
    let d = x.len();
    // Each sector of bond k repeats the dense bond (dimension r_k) for every
    // charge the left part can have.
    let mut reach: Vec<BTreeSet<i32>> = vec![BTreeSet::from([0])];
    for k in 0..d {
        let next = reach[k]
            .iter()
            .flat_map(|a| q[k].iter().map(move |c| a + c))
            .collect();
        reach.push(next);
    }
    let mut cores: Vec<BlockCore> = Vec::with_capacity(d);
    for k in 0..d {
        let c = x.core(k);
        let (rl, _, rr) = c.shape();
        let sec = |set: &BTreeSet<i32>, r: usize| {
            Sectors::from_pairs(set.iter().map(|&v| (v, r)).collect())
        };
        let mut core = BlockCore::zeros(sec(&reach[k], rl), sec(&reach[k + 1], rr), q[k].clone());
        for b in &mut core.blocks {
            b.m.copy_from(&c.slice(b.s));
        }
        cores.push(core);
    }
    // Weight of each total charge: left-to-right Gram matrices per sector.
    let mut gram: Vec<DMatrix<f64>> = vec![DMatrix::identity(1, 1)];
    for core in &cores {
        let mut next: Vec<DMatrix<f64>> = core
            .right
            .dim
            .iter()
            .map(|&r| DMatrix::zeros(r, r))
            .collect();
        for b in &core.blocks {
            let gb = &gram[b.l] * &b.m;
            next[b.r] += b.m.transpose() * gb;
        }
        gram = next;
    }
    let last = &cores[d - 1].right;
    let weights: Vec<f64> = gram.iter().map(|g| g[(0, 0)].max(0.0)).collect();
    let all: f64 = weights.iter().sum();
    let pick = match total {
        Some(t) => last.find(t),
        None => (0..weights.len()).max_by(|&a, &b| weights[a].total_cmp(&weights[b])),
    };
    let Some(pick) = pick.filter(|&p| weights[p] > 0.0) else {
        return Err(crate::error::Error::invalid(
            "the start state has no weight in the requested charge sector",
        ));
    };
    let qtot = last.q[pick];
    let outside = (1.0 - weights[pick] / all.max(f64::MIN_POSITIVE)).max(0.0);
    if outside > max_outside {
        return Ok(None);
    }
    // Keep only the chosen sector on the right boundary.
    let mut lastcore = cores.pop().expect("d >= 1");
    lastcore = restrict_right(&lastcore, &Sectors::single(qtot));
    cores.push(lastcore);
    right_orthonormalize(&mut cores)?;
    Ok(Some((cores, qtot, outside)))
}

/// `core` with its right bond reduced to `right` (a subset of its sectors).
fn restrict_right(core: &BlockCore, right: &Sectors) -> BlockCore {
    let mut out = BlockCore::zeros(core.left.clone(), right.clone(), core.q.clone());
    for b in &mut out.blocks {
        if let Some(src) = core.block(b.l, b.s) {
            b.m.copy_from(&src.m);
        }
    }
    out
}

/// Right-to-left: each core `k > 0` becomes right-orthonormal by an SVD per
/// left sector (sectors of zero weight disappear), the factor `U S` moves
/// into core `k - 1`; core 0 ends normalised.
pub(crate) fn right_orthonormalize(cores: &mut [BlockCore]) -> Result<()> {
    let d = cores.len();
    for k in (1..d).rev() {
        let core = &cores[k];
        let n = core.n();
        let scale = core.norm().max(f64::MIN_POSITIVE);
        let mut pairs = Vec::new();
        let mut factors: Vec<(usize, DMatrix<f64>, DMatrix<f64>)> = Vec::new(); // (l, U S, V^T)
        for l in 0..core.left.len() {
            let blocks: Vec<&Block> = (0..n).filter_map(|s| core.block(l, s)).collect();
            let nc: usize = blocks.iter().map(|b| b.m.ncols()).sum();
            let mut m = DMatrix::<f64>::zeros(core.left.dim[l], nc);
            let mut o = 0;
            for b in &blocks {
                m.columns_mut(o, b.m.ncols()).copy_from(&b.m);
                o += b.m.ncols();
            }
            let svd = svd_thin(m.as_view())?;
            let keep = svd.s.iter().take_while(|&&s| s > 1e-13 * scale).count();
            if keep == 0 {
                continue;
            }
            let mut svd = svd;
            svd.truncate(keep);
            pairs.push((core.left.q[l], keep));
            factors.push((l, svd.u_s(), svd.v.transpose()));
        }
        let newleft = Sectors::from_pairs(pairs);
        let mut right = BlockCore::zeros(newleft.clone(), core.right.clone(), core.q.clone());
        let prev = &cores[k - 1];
        let mut left = BlockCore::zeros(prev.left.clone(), newleft.clone(), prev.q.clone());
        for (l, us, vt) in &factors {
            let nl = newleft.find(core.left.q[*l]).expect("kept sector");
            let mut o = 0;
            for s in 0..n {
                if let Some(b) = core.block(*l, s) {
                    let i = right.index[nl * n + s].expect("same charges");
                    right.blocks[i].m.copy_from(&vt.columns(o, b.m.ncols()));
                    o += b.m.ncols();
                }
            }
            for b in &mut left.blocks {
                if b.r == nl {
                    if let Some(src) = prev.block(b.l, b.s) {
                        b.m = &src.m * us;
                    }
                }
            }
        }
        cores[k] = right;
        cores[k - 1] = left;
    }
    let nrm = cores[0].norm();
    if nrm == 0.0 {
        return Err(crate::error::Error::invalid("the start state is zero"));
    }
    cores[0].scale(1.0 / nrm);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::block_core::two_site;
    use super::*;
    use rand::{Rng, SeedableRng};

    /// A random two-site wavefunction of two spin-1 sites between bonds
    /// with a few sectors of the sizes given.
    fn random_theta(dims: usize, seed: u64) -> BlockCore {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        let left = Sectors::from_pairs(vec![(-2, dims), (0, dims + 3), (2, dims / 2)]);
        let right = Sectors::from_pairs(vec![(-1, dims), (0, 2 * dims), (1, dims + 1)]);
        let q: Vec<i32> = (0..9)
            .map(|s| [2, 0, -2][s % 3] + [2, 0, -2][s / 3])
            .collect();
        let mut t = BlockCore::zeros(left, right, q);
        for b in &mut t.blocks {
            b.m = DMatrix::from_fn(b.m.nrows(), b.m.ncols(), |_, _| rng.random_range(-1.0..1.0));
        }
        t
    }

    fn dense(t: &BlockCore) -> Vec<f64> {
        t.to_dense().unwrap().into_data()
    }

    #[test]
    fn untruncated_split_reproduces_theta_on_both_routes() {
        let q = vec![2, 0, -2];
        // Sector matrices below and above the Gram threshold.
        for dims in [4, 40] {
            let theta = random_theta(dims, dims as u64);
            for to_right in [true, false] {
                let sp = split(&theta, &q, &q, &Truncation::exact(), to_right, None).unwrap();
                let back = two_site(&sp.left, &sp.right);
                let err = dense(&back)
                    .iter()
                    .zip(dense(&theta))
                    .map(|(a, b)| (a - b).abs())
                    .fold(0.0, f64::max);
                assert!(err < 1e-11, "dims {dims} to_right {to_right}: {err}");
                // The orthonormal side: sum over its blocks of X^T X = I per sector.
                let (core, left_side) = if to_right {
                    (&sp.left, true)
                } else {
                    (&sp.right, false)
                };
                let mid = if left_side { &core.right } else { &core.left };
                for (m, &dm) in mid.dim.iter().enumerate() {
                    let mut g = DMatrix::<f64>::zeros(dm, dm);
                    for b in &core.blocks {
                        if left_side && b.r == m {
                            g += b.m.transpose() * &b.m;
                        } else if !left_side && b.l == m {
                            g += &b.m * b.m.transpose();
                        }
                    }
                    assert!((g - DMatrix::identity(dm, dm)).norm() < 1e-10);
                }
            }
        }
    }

    #[test]
    fn gram_route_is_exact_on_rank_deficient_sectors() {
        // DMRG sectors are often exactly rank deficient (and faer's
        // divide-and-conquer SVD is inaccurate there): the Gram route must
        // still give orthonormal vectors and reproduce the matrix, with the
        // weights equal to the singular values.
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
        let mut rnd = |r, c| DMatrix::from_fn(r, c, |_, _| rng.random_range(-1.0..1.0));
        let m = rnd(90, 25) * rnd(25, 120);
        let exact = svd_thin(m.as_view()).unwrap();
        for to_right in [true, false] {
            let f = factor(&m, to_right).unwrap();
            let k = f.s.len();
            let gram = f.orth.transpose() * &f.orth;
            assert!((gram - DMatrix::identity(k, k)).norm() < 1e-12);
            let back = if to_right {
                &f.orth * &f.proj
            } else {
                &f.proj * f.orth.transpose()
            };
            assert!((back - &m).norm() < 1e-12 * m.norm());
            for (a, b) in f.s.iter().zip(&exact.s).take(25) {
                assert!((a - b).abs() < 1e-10 * exact.s[0], "{a} vs {b}");
            }
            assert!(f.s[25..].iter().all(|&v| v < 1e-12 * exact.s[0]));
        }
    }

    #[test]
    fn truncation_keeps_the_largest_singular_values_over_all_sectors() {
        let q = vec![2, 0, -2];
        let theta = random_theta(40, 3);
        // All singular values from dense SVDs of the sector matrices.
        let full = split(&theta, &q, &q, &Truncation::exact(), true, None).unwrap();
        let mut all: Vec<f64> = Vec::new();
        for m in 0..full.left.right.len() {
            // S V^T rows of sector m: their norms are the singular values.
            let mut rows = vec![0.0; full.left.right.dim[m]];
            for b in full.right.blocks.iter().filter(|b| b.l == m) {
                for (r, acc) in rows.iter_mut().enumerate() {
                    *acc += b.m.row(r).norm_squared();
                }
            }
            all.extend(rows.iter().map(|v| v.sqrt()));
        }
        all.sort_by(|a, b| b.total_cmp(a));
        let chi = 50;
        let tr = Truncation {
            rel_tol: None,
            max_rank: Some(chi),
        };
        let sp = split(&theta, &q, &q, &tr, true, None).unwrap();
        assert_eq!(sp.left.right.total(), chi);
        let total: f64 = all.iter().map(|s| s * s).sum();
        let want: f64 = all[chi..].iter().map(|s| s * s).sum::<f64>() / total;
        assert!(
            (sp.discarded - want).abs() < 1e-10 * want.max(1e-300) + 1e-14,
            "{} vs {want}",
            sp.discarded
        );
        // The truncated state is the best rank-chi approximation: its error
        // is the discarded weight.
        let back = dense(&two_site(&sp.left, &sp.right));
        let err: f64 = back
            .iter()
            .zip(dense(&theta))
            .map(|(a, b)| (a - b) * (a - b))
            .sum();
        assert!(
            (err / total - want).abs() < 1e-9,
            "{} vs {want}",
            err / total
        );
    }
}
