//! The driver: the terminal condition on the grid, then time steps from `T`
//! down to 0, progress reported through a caller's callback.

use super::hamiltonian_cross::{scale_mode, CrossSettings, IndexSets};
use super::operator::Diffusion;
use super::stepper::Integrator;
use super::{
    ChebyshevAxis, HjbProblem, Solution, SolverOptions, StepReport, TensorGrid, TerminalCost,
};
use super::{WeightProfile, Weighting};
use crate::error::{Error, Result};
use crate::linalg::Truncation;
use crate::tt::{cross, CrossOptions, TensorTrain};
use std::time::Instant;

/// The grid of `opts` in `problem.dim()` dimensions.
pub fn grid_for(problem: &HjbProblem, opts: &SolverOptions) -> Result<TensorGrid> {
    opts.validate()?;
    let alpha = opts.map.unwrap_or(ChebyshevAxis::default_map(opts.points));
    let axis = ChebyshevAxis::with_map(opts.half_width, opts.points, alpha)?;
    TensorGrid::uniform(axis, problem.dim())
}

/// The weight of `opts.weighting` for `u(t, .)` (`t` = the time left to 0).
pub fn weight_profile(problem: &HjbProblem, opts: &SolverOptions, t: f64) -> WeightProfile {
    let profile = unscaled_weight_profile(problem, opts, t);
    match grid_for(problem, opts) {
        Ok(grid) => profile.balanced(&grid),
        Err(_) => profile,
    }
}

/// [`weight_profile`] before [`WeightProfile::balanced`].
fn unscaled_weight_profile(problem: &HjbProblem, opts: &SolverOptions, t: f64) -> WeightProfile {
    let d = problem.dim();
    let sigma_max = problem.diffusion().iter().copied().fold(0.0, f64::max);
    match opts.weighting {
        Weighting::HeatKernel {
            scale,
            min_fraction,
            floor,
        } if sigma_max > 0.0 && problem.horizon() > 0.0 => {
            let span = t.max(min_fraction * problem.horizon());
            WeightProfile {
                variance: problem
                    .diffusion()
                    .iter()
                    .map(|&s| scale * 2.0 * s.max(1e-3 * sigma_max) * span)
                    .collect(),
                floor,
                scale: vec![1.0; d],
            }
        }
        _ => WeightProfile::uniform(d),
    }
}

/// The weighted terminal condition `rho (x) g` as a train on `grid` (cross
/// approximation of a function in the weighted norm, or a given train
/// checked against the grid and weighted).
pub fn terminal_train(
    problem: &HjbProblem,
    grid: &TensorGrid,
    rho: &[Vec<f64>],
    opts: &SolverOptions,
) -> Result<TensorTrain> {
    match problem.terminal() {
        TerminalCost::Train(t) => {
            if t.modes() != grid.modes() {
                return Err(Error::shape(format!(
                    "the terminal train has modes {:?}, the grid {:?}",
                    t.modes(),
                    grid.modes()
                )));
            }
            let cores = t
                .cores()
                .iter()
                .zip(rho)
                .map(|(c, r)| scale_mode(c, r))
                .collect();
            TensorTrain::new(cores)
        }
        TerminalCost::Function(g) => {
            // The cross runs on `g` itself: weighted samples in 100
            // dimensions are almost all negligible, and a cross started from
            // random points would stop at rank 1. The weighted rounding
            // after it drops what the weight does not see.
            let copts = CrossOptions {
                tol: opts.tol,
                max_rank: opts.max_rank,
                seed: opts.seed,
                ..CrossOptions::default()
            };
            let (t, _) = cross(|i| g(&grid.point(i)), &grid.modes(), &copts)?;
            let cores = t
                .cores()
                .iter()
                .zip(rho)
                .map(|(c, r)| scale_mode(c, r))
                .collect();
            TensorTrain::new(cores)?
                .round(&Truncation::tol(opts.tol)?.with_max_rank(opts.max_rank)?)
        }
    }
}

/// Solves `problem` quietly; see [`solve_with_progress`].
pub fn solve(problem: &HjbProblem, opts: &SolverOptions) -> Result<Solution> {
    solve_with_progress(problem, opts, |_| {})
}

/// Solves `problem` backwards from `T` to 0 with `opts.steps` steps of
/// `opts.stepper`, calling `progress` after every step.
pub fn solve_with_progress(
    problem: &HjbProblem,
    opts: &SolverOptions,
    mut progress: impl FnMut(&StepReport),
) -> Result<Solution> {
    let start = Instant::now();
    let grid = grid_for(problem, opts)?;
    let horizon = problem.horizon();
    let h = horizon / opts.steps as f64;
    let rho0 = weight_profile(problem, opts, horizon).on_grid(&grid);
    let g = terminal_train(problem, &grid, &rho0, opts)?;
    let terminal_ranks = g.ranks();
    let trunc = Truncation::tol(opts.tol)?.with_max_rank(opts.max_rank)?;
    let diffusion = Diffusion::new(&grid, problem.diffusion())?;
    let settings = CrossSettings {
        tol: opts.tol,
        max_rank: opts.max_rank,
        max_sweeps: opts.cross_sweeps,
        extra: opts.cross_extra,
        seed: opts.seed,
        q_max: problem.gradient_bound().map_or(f64::INFINITY, |b| {
            b * b
                * problem
                    .gradient_weights()
                    .iter()
                    .copied()
                    .fold(0.0, f64::max)
        }),
    };
    let sets = IndexSets::random(&rho0, g.max_rank() + 2, opts.seed);
    let derivatives = grid.axes().iter().map(|a| a.derivative().clone()).collect();
    let mut integrator = Integrator::new(
        &diffusion,
        derivatives,
        problem.gradient_weights().to_vec(),
        problem.hamiltonian().clone(),
        sets,
        settings,
        trunc,
        opts.stepper,
        h,
        rho0.clone(),
    )?;
    let mut v = g;
    let mut steps = Vec::with_capacity(opts.steps);
    let mut profile = weight_profile(problem, opts, horizon);
    for step in 1..=opts.steps {
        let mid = horizon - (step as f64 - 0.5) * h;
        profile = weight_profile(problem, opts, mid);
        v = integrator.reweight(&v, profile.on_grid(&grid))?;
        let (next, cost) = integrator.step(&v)?;
        v = next;
        let report = StepReport {
            step,
            time: problem.horizon() - step as f64 * h,
            ranks: v.ranks(),
            max_rank: v.max_rank(),
            max_cross_rank: cost.max_cross_rank,
            evaluations: cost.evaluations,
            cross_sweeps: cost.cross_sweeps,
            seconds: start.elapsed().as_secs_f64(),
        };
        progress(&report);
        steps.push(report);
    }
    let rho = profile.on_grid(&grid);
    let u = TensorTrain::new(
        v.cores()
            .iter()
            .zip(&rho)
            .map(|(c, r)| scale_mode(c, &r.iter().map(|x| 1.0 / x).collect::<Vec<_>>()))
            .collect(),
    )?;
    Ok(Solution {
        u,
        weighted: v,
        weight: profile,
        grid,
        terminal_ranks,
        steps,
        seconds: start.elapsed().as_secs_f64(),
    })
}

/// The domain-truncation error at `x`, estimated as the change of `u(0, x)`
/// when the half-width grows by `factor` (`> 1`) at the same node density
/// (the points per axis grow by the same factor). Returns
/// `(u on the larger domain, |difference|)`.
pub fn domain_error(
    problem: &HjbProblem,
    opts: &SolverOptions,
    factor: f64,
    x: &[f64],
) -> Result<(f64, f64)> {
    crate::error::check_nonneg("domain factor", factor)?;
    if factor <= 1.0 {
        return Err(Error::invalid(format!(
            "domain factor = {factor}, expected a number > 1"
        )));
    }
    let small = solve(problem, opts)?.value_at(x)?;
    let wide = SolverOptions {
        half_width: opts.half_width * factor,
        points: (opts.points as f64 * factor).ceil() as usize,
        ..opts.clone()
    };
    let large = solve(problem, &wide)?.value_at(x)?;
    Ok((large, (large - small).abs()))
}
