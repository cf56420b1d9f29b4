//! Two-site DMRG on block-sparse (U(1)) states: the sweep of
//! [`dmrg`](crate::solve::dmrg()) with charge-conserving cores, environments
//! and local operator.

use super::block_core::{to_dense, two_site, BlockCore};
use super::block_decomp::{from_dense, split};
use super::block_env::{extend_left, extend_right, BlockEnv, BlockOperator};
use super::block_mixer::perturbation;
use super::charges::{charged_mpo, SparseOp};
use crate::error::{Error, Result};
use crate::linalg::Truncation;
use crate::solve::dmrg::{check_operator, ChargeSector, GroundState, SweepReport};
use crate::solve::dmrg_options::DmrgOptions;
use crate::solve::krylov::lanczos;
use crate::tt::{TensorTrain, TtMatrix};
use std::time::Instant;

/// What the charge-conserving run adds to a [`GroundState`].
#[derive(Debug, Clone, PartialEq)]
pub struct U1Stats {
    /// The conserved total charge of the state.
    pub charge: i32,
    /// Squared weight of the start state outside that charge sector
    /// (relative; it was projected out).
    pub projected_out: f64,
    /// Floating-point operations of the local matrix-vector products, per sweep.
    pub matvec_flops: Vec<f64>,
    /// Seconds spent in the local matrix-vector products, per sweep.
    pub matvec_seconds: Vec<f64>,
    /// Largest number of charge sectors on a bond at the end.
    pub max_sectors: usize,
}

/// Two-site DMRG conserving the U(1) charges `q` (one list per site, the
/// charge of each basis state); the start state is projected on its charge
/// sector of largest weight. Errors if `h` does not conserve the charges.
pub fn dmrg_u1(
    h: &TtMatrix,
    x0: &TensorTrain,
    q: &[Vec<i32>],
    opts: &DmrgOptions,
) -> Result<(GroundState, U1Stats)> {
    opts.validate()?;
    check_operator(h, x0)?;
    let d = x0.len();
    if d < 2 {
        return Err(Error::invalid("two-site DMRG needs at least 2 sites"));
    }
    if q.len() != d || q.iter().zip(x0.modes()).any(|(c, n)| c.len() != n) {
        return Err(Error::shape(format!(
            "charges given for sites of sizes {:?}, the state has {:?}",
            q.iter().map(|c| c.len()).collect::<Vec<_>>(),
            x0.modes()
        )));
    }
    let ops = charged_mpo(h, q)
        .ok_or_else(|| Error::invalid("the operator does not conserve the given U(1) charges"))?;
    let (cores, charge, projected_out) =
        from_dense(x0, q, None, f64::INFINITY)?.expect("no bound on the projected weight");
    run(&ops, cores, charge, projected_out, opts)
}

/// The sweeps on the prepared operator and start state (right-orthonormal,
/// centre on site 0).
pub(crate) fn run(
    ops: &[SparseOp],
    mut cores: Vec<BlockCore>,
    charge: i32,
    projected_out: f64,
    opts: &DmrgOptions,
) -> Result<(GroundState, U1Stats)> {
    let d = cores.len();
    let start = Instant::now();
    let fused: Vec<SparseOp> = (0..d - 1)
        .map(|k| SparseOp::fuse(&ops[k], &ops[k + 1]))
        .collect();
    let mut env = Envs {
        left: vec![None; d],
        right: vec![None; d],
    };
    env.left[0] = Some(BlockEnv::boundary(0));
    env.right[d - 1] = Some(BlockEnv::boundary(charge));
    let mut reports = Vec::new();
    let mut stats = U1Stats {
        charge,
        projected_out,
        matvec_flops: Vec::new(),
        matvec_seconds: Vec::new(),
        max_sectors: 0,
    };
    let mut energy = f64::NAN;
    for sweep in 0..opts.max_sweeps {
        let stage = opts.schedule[sweep.min(opts.schedule.len() - 1)];
        let trunc = Truncation {
            rel_tol: Some(stage.tol),
            max_rank: Some(stage.max_rank),
        };
        let mut st = StepStats::default();
        let prev = energy;
        let order = (0..d - 1)
            .map(|k| (k, true))
            .chain((0..d - 1).rev().map(|k| (k, false)));
        for (k, to_right) in order {
            energy = step(
                &mut cores,
                ops,
                &fused,
                &mut env,
                k,
                to_right,
                &trunc,
                stage.mixing,
                opts,
                &mut st,
            )?;
        }
        let report = SweepReport {
            sweep: sweep + 1,
            energy,
            max_rank: cores.iter().map(|c| c.right.total()).max().unwrap_or(1),
            discarded: st.discarded,
            seconds: start.elapsed().as_secs_f64(),
            matvecs: st.matvecs,
        };
        stats.matvec_flops.push(st.flops);
        stats.matvec_seconds.push(st.matvec_seconds);
        if opts.verbose {
            log::info!(
                target: "qtt::dmrg",
                "{report}  [U(1) {} sectors, {:.1} GFLOP/s in matvecs]",
                cores.iter().map(|c| c.right.len()).max().unwrap_or(1),
                st.flops / st.matvec_seconds.max(1e-9) * 1e-9
            );
        }
        reports.push(report);
        if report.seconds > opts.max_seconds {
            break;
        }
        if sweep + 1 >= opts.schedule.len() && (energy - prev).abs() < opts.energy_tol {
            break;
        }
    }
    stats.max_sectors = cores.iter().map(|c| c.right.len()).max().unwrap_or(1);
    // The last half sweep left cores 1.. right-orthonormal.
    let state = to_dense(&cores, Some(0))?;
    Ok((
        GroundState {
            energy,
            state,
            sweeps: reports,
            sector: Some(ChargeSector {
                charge,
                automatic: false,
            }),
            warning: None,
        },
        stats,
    ))
}

#[derive(Default)]
struct StepStats {
    discarded: f64,
    matvecs: usize,
    flops: f64,
    matvec_seconds: f64,
}

/// Cached environments: `left[k]` covers sites `< k`, `right[k]` sites `> k`.
struct Envs {
    left: Vec<Option<BlockEnv>>,
    right: Vec<Option<BlockEnv>>,
}

impl Envs {
    fn invalidate(&mut self, k: usize) {
        self.left.iter_mut().skip(k + 1).for_each(|e| *e = None);
        self.right.iter_mut().take(k).for_each(|e| *e = None);
    }

    fn ensure(&mut self, k: usize, k2: usize, ops: &[SparseOp], cores: &[BlockCore]) {
        let mut s = k;
        while self.left[s].is_none() {
            s -= 1;
        }
        for j in s..k {
            let next = extend_left(self.left[j].as_ref().unwrap(), &ops[j], &cores[j]);
            self.left[j + 1] = Some(next);
        }
        let mut s = k2;
        while self.right[s].is_none() {
            s += 1;
        }
        for j in (k2 + 1..=s).rev() {
            let next = extend_right(self.right[j].as_ref().unwrap(), &ops[j], &cores[j]);
            self.right[j - 1] = Some(next);
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn step(
    cores: &mut [BlockCore],
    ops: &[SparseOp],
    fused: &[SparseOp],
    env: &mut Envs,
    k: usize,
    to_right: bool,
    trunc: &Truncation,
    mixing: f64,
    opts: &DmrgOptions,
    st: &mut StepStats,
) -> Result<f64> {
    env.ensure(k, k + 1, ops, cores);
    let mut theta = two_site(&cores[k], &cores[k + 1]);
    let (l, r) = (
        env.left[k].as_ref().unwrap(),
        env.right[k + 1].as_ref().unwrap(),
    );
    let mut op = BlockOperator::new(l, &fused[k], r, &theta);
    let mut secs = 0.0;
    let mut apply = |x: &[f64], y: &mut [f64]| {
        let t = Instant::now();
        op.apply(x, y);
        secs += t.elapsed().as_secs_f64();
    };
    let e = lanczos(&mut apply, &theta.to_vec(), &opts.lanczos)?;
    st.matvecs += e.matvecs;
    st.flops += op.flops * e.matvecs as f64;
    st.matvec_seconds += secs;
    theta.fill(&e.vector);
    let (q1, q2) = (&cores[k].q, &cores[k + 1].q);
    let mix = (mixing > 0.0).then(|| {
        // White's mixer on the half that becomes orthonormal.
        let (side, w) = if to_right {
            (l, &ops[k])
        } else {
            (r, &ops[k + 1])
        };
        perturbation(&theta, side, w, q1, q2, to_right, mixing)
    });
    let sp = split(&theta, q1, q2, trunc, to_right, mix.as_ref())?;
    st.discarded = st.discarded.max(sp.discarded);
    cores[k] = sp.left;
    cores[k + 1] = sp.right;
    env.invalidate(k);
    env.invalidate(k + 1);
    Ok(e.value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::solve::dmrg::tests::heisenberg;
    use crate::solve::{dmrg, spin_charges, DmrgMethod, LocalSpace, OpSum, Symmetry};

    /// The Neel product state of a spin-1 chain.
    fn neel(d: usize) -> TensorTrain {
        crate::solve::neel_state(d, 3).unwrap()
    }

    fn opts(chi: usize) -> DmrgOptions {
        let mut o = DmrgOptions::two_site(chi);
        o.schedule.iter_mut().for_each(|s| s.tol = 1e-12);
        o.energy_tol = 1e-11;
        o
    }

    #[test]
    fn conserving_dmrg_matches_exact_diagonalisation() {
        // digest_003.md: spin-1 Heisenberg, open and periodic.
        for (d, periodic, want) in [
            (8, false, -10.124637222359),
            (10, false, -12.894560132211),
            (12, false, -15.674010291101),
            (8, true, -11.336956077897),
        ] {
            let h = heisenberg(d, periodic);
            let q = vec![spin_charges(3); d];
            let (gs, st) = dmrg_u1(&h, &neel(d), &q, &opts(3usize.pow(d as u32 / 2))).unwrap();
            assert!(
                (gs.energy - want).abs() < 1e-9,
                "d={d} periodic={periodic}: {} vs {want}",
                gs.energy
            );
            assert_eq!(st.charge, 0);
            assert!(st.max_sectors > 1);
            if d > 8 {
                continue;
            }
            // The returned dense state is normalised, has Sz = 0 and the energy.
            let v = nalgebra::DVector::from_vec(gs.state.to_dense().unwrap());
            let hd = h.to_dense().unwrap();
            assert!((v.norm() - 1.0).abs() < 1e-10);
            assert!(((v.transpose() * &hd * &v)[(0, 0)] - want).abs() < 1e-9);
            let sz: f64 = (0..v.len())
                .map(|i| {
                    let (mut m, mut tot) = (i, 0i32);
                    for _ in 0..d {
                        tot += spin_charges(3)[m % 3];
                        m /= 3;
                    }
                    tot as f64 * v[i] * v[i]
                })
                .sum();
            assert!(sz.abs() < 1e-10, "total charge {sz}");
        }
    }

    #[test]
    fn conserving_and_dense_dmrg_agree_on_twenty_sites() {
        let d = 20;
        let h = heisenberg(d, false);
        let mut o = opts(64);
        o.symmetry = Symmetry::Off;
        let noise = TensorTrain::random(&vec![3; d], 2, 5).unwrap();
        let x0 = neel(d).add(&noise.scaled(0.1 / noise.norm())).unwrap();
        let dense = dmrg(&h, &x0, &o).unwrap();
        // Auto picks the charged path for the Neel start (definite charge).
        o.symmetry = Symmetry::Auto;
        let sym = dmrg(&h, &neel(d), &o).unwrap();
        assert!(
            (sym.energy - dense.energy).abs() < 1e-8,
            "{} vs {}",
            sym.energy,
            dense.energy
        );
        // Explicit charges project a start state with weight elsewhere.
        let (gs, st) = dmrg_u1(&h, &x0, &vec![spin_charges(3); d], &o).unwrap();
        assert!(
            st.projected_out > 1e-6 && st.projected_out < 1e-2,
            "{}",
            st.projected_out
        );
        assert!((gs.energy - dense.energy).abs() < 1e-8);
    }

    #[test]
    fn spin_half_xxz_in_a_magnetised_sector() {
        // XXZ chain, Delta = 0.5, in the sector 2 Sz = 2 (one more up spin):
        // the lowest energy there, against dense diagonalisation restricted
        // to that sector.
        let d = 8;
        let mut h = OpSum::new(d, LocalSpace::spin(1).unwrap()).unwrap();
        for i in 0..d - 1 {
            h.add(1.0, &[("Sx", i), ("Sx", i + 1)]).unwrap();
            h.add(1.0, &[("Sy", i), ("Sy", i + 1)]).unwrap();
            h.add(0.5, &[("Sz", i), ("Sz", i + 1)]).unwrap();
        }
        let h = h.to_mpo().unwrap();
        // Up (0) on the even sites and on site 1, down (1) elsewhere.
        let index: Vec<usize> = (0..d).map(|i| usize::from(i % 2 == 1 && i != 1)).collect();
        let x0 = TensorTrain::basis_state(&vec![2; d], &index).unwrap();
        let (gs, st) = dmrg_u1(&h, &x0, &vec![spin_charges(2); d], &opts(16)).unwrap();
        assert_eq!(st.charge, 2);
        let hd = h.to_dense().unwrap();
        let idx: Vec<usize> = (0..1usize << d)
            .filter(|i| {
                (0..d)
                    .map(|k| if i >> k & 1 == 0 { 1 } else { -1 })
                    .sum::<i32>()
                    == 2
            })
            .collect();
        let sub = nalgebra::DMatrix::from_fn(idx.len(), idx.len(), |r, c| hd[(idx[r], idx[c])]);
        let want = crate::linalg::eigh(sub.as_view())
            .unwrap()
            .values
            .iter()
            .copied()
            .fold(f64::INFINITY, f64::min);
        assert!((gs.energy - want).abs() < 1e-9, "{} vs {want}", gs.energy);
    }

    #[test]
    fn non_conserving_operators_are_refused_or_run_dense() {
        let d = 6;
        let mut h = OpSum::new(d, LocalSpace::spin(2).unwrap()).unwrap();
        for i in 0..d - 1 {
            h.add(1.0, &[("Sz", i), ("Sz", i + 1)]).unwrap();
        }
        for i in 0..d {
            h.add(0.7, &[("Sx", i)]).unwrap();
        }
        let h = h.to_mpo().unwrap();
        let q = vec![spin_charges(3); d];
        let err = dmrg_u1(&h, &neel(d), &q, &opts(27)).unwrap_err();
        assert!(err.to_string().contains("does not conserve"), "{err}");
        // Auto falls back to the dense path, which equals diagonalisation.
        let gs = dmrg(&h, &neel(d), &opts(27)).unwrap();
        let want = crate::linalg::eigh(h.to_dense().unwrap().as_view())
            .unwrap()
            .values
            .iter()
            .copied()
            .fold(f64::INFINITY, f64::min);
        assert!((gs.energy - want).abs() < 1e-9, "{} vs {want}", gs.energy);
        // Wrong charge shapes and one-site with charges are errors.
        assert!(dmrg_u1(&h, &neel(d), &q[..3], &opts(8)).is_err());
        let mut o = DmrgOptions::one_site(8);
        o.symmetry = Symmetry::U1(q);
        assert_eq!(o.method, DmrgMethod::OneSite);
        assert!(dmrg(&h, &neel(d), &o).is_err());
    }
}
