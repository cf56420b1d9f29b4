//! Settings of a DMRG run: the variant, the schedule of sweep stages (bond
//! dimension, truncation and mixing weight per sweep), stopping rules and
//! charge conservation, with the default schedules of two-site and
//! one-site DMRG.

use super::krylov::LanczosOptions;
use crate::error::{Error, Result};

/// Which DMRG variant to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DmrgMethod {
    /// Optimise two neighbouring sites at once and split by a truncated SVD.
    TwoSite,
    /// Optimise one site; grow the basis with White's density-matrix
    /// correction of weight `mixing` (the stage's `a`).
    OneSite,
}

/// The truncation and mixing of one sweep.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SweepStage {
    /// Largest bond dimension kept.
    pub max_rank: usize,
    /// Relative truncation tolerance (discarded weight `<= tol^2` per bond).
    pub tol: f64,
    /// White's mixing weight `a`: the density-matrix correction of
    /// one-site DMRG and the mixer of two-site DMRG (see `mixer`); 0 turns
    /// it off.
    pub mixing: f64,
}

/// Whether two-site DMRG conserves an abelian U(1) charge (block-sparse
/// tensors; see [`symmetric`](super::symmetric)).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Symmetry {
    /// Conserve the spin charges `2 S_z` ([`spin_charges`](super::spin_charges))
    /// when the MPO conserves them and the start state lies in one charge
    /// sector (where a conserving operator keeps the dense iteration too, up
    /// to round-off); otherwise run dense. The search then covers only the
    /// start state's sector: the result reports it
    /// ([`GroundState::sector`](super::GroundState::sector)) with a
    /// [`warning`](super::GroundState::warning).
    #[default]
    Auto,
    /// Always dense.
    Off,
    /// Conserve these charges (one list per site, one charge per basis
    /// state); the start state is projected on its sector of largest
    /// weight. An operator that does not conserve them is an error.
    U1(Vec<Vec<i32>>),
}

/// Settings of a DMRG run.
#[derive(Debug, Clone, PartialEq)]
pub struct DmrgOptions {
    /// The variant.
    pub method: DmrgMethod,
    /// One stage per sweep; the last stage repeats until convergence.
    pub schedule: Vec<SweepStage>,
    /// Maximum number of sweeps.
    pub max_sweeps: usize,
    /// Stop once the schedule is exhausted and the energy changed by less
    /// than this over one sweep.
    pub energy_tol: f64,
    /// The local eigensolver's settings.
    pub lanczos: LanczosOptions,
    /// Stop after the first sweep that ends later than this many seconds.
    pub max_seconds: f64,
    /// Send one line per sweep as a `log` record (see [`crate::progress`]);
    /// the library never prints it itself.
    pub verbose: bool,
    /// Charge conservation (two-site only).
    pub symmetry: Symmetry,
}

impl DmrgOptions {
    /// The first mixing weight of [`two_site`](Self::two_site).
    pub const MIXING: f64 = 1e-2;
    /// The number of sweeps with mixing in [`two_site`](Self::two_site).
    pub const MIXING_SWEEPS: usize = 3;

    /// Two-site DMRG with bond dimension doubling from 16 up to `max_rank`
    /// (one sweep each), truncation tolerance `1e-10`, and White's mixer
    /// (see [`SweepStage::mixing`]) of weight [`Self::MIXING`] decreasing
    /// tenfold per sweep over the first [`Self::MIXING_SWEEPS`] sweeps
    /// (sweeps at `max_rank` are added if the ramp is shorter), zero after.
    pub fn two_site(max_rank: usize) -> Self {
        let mut ranks = rank_ramp(max_rank);
        while ranks.len() <= Self::MIXING_SWEEPS {
            ranks.push(max_rank);
        }
        let mut a = Self::MIXING;
        let schedule = ranks
            .iter()
            .enumerate()
            .map(|(i, &max_rank)| {
                let mixing = if i < Self::MIXING_SWEEPS { a } else { 0.0 };
                a *= 0.1;
                SweepStage {
                    max_rank,
                    tol: 1e-10,
                    mixing,
                }
            })
            .collect();
        Self {
            method: DmrgMethod::TwoSite,
            schedule,
            max_sweeps: 40,
            energy_tol: 1e-10,
            // Energy errors are quadratic in the local residual; sweeps
            // repeat, so loose local solves with few products pay off.
            lanczos: LanczosOptions {
                tol: 1e-6,
                max_krylov: 12,
                max_restarts: 2,
            },
            max_seconds: f64::INFINITY,
            verbose: false,
            symmetry: Symmetry::Auto,
        }
    }

    /// One-site DMRG with White's correction: the same rank ramp, with
    /// mixing weight `1e-4` decreasing tenfold per stage down to `1e-8`
    /// and zero in the last sweeps.
    pub fn one_site(max_rank: usize) -> Self {
        let mut o = Self::two_site(max_rank);
        o.method = DmrgMethod::OneSite;
        let mut a = 1e-4;
        o.schedule = rank_ramp(max_rank)
            .into_iter()
            .map(|max_rank| {
                let s = SweepStage {
                    max_rank,
                    tol: 1e-10,
                    mixing: a,
                };
                a = (a * 0.1).max(1e-8);
                s
            })
            .collect();
        let last = *o.schedule.last().expect("nonempty schedule");
        o.schedule.push(SweepStage { mixing: a, ..last });
        o.schedule.push(SweepStage {
            mixing: 0.0,
            ..last
        });
        o
    }

    pub(crate) fn validate(&self) -> Result<()> {
        if self.schedule.is_empty() {
            return Err(Error::invalid(
                "DMRG schedule is empty, expected at least one stage",
            ));
        }
        for (i, s) in self.schedule.iter().enumerate() {
            if s.max_rank == 0 {
                return Err(Error::invalid(format!(
                    "stage {i} has max_rank 0, expected >= 1"
                )));
            }
            if !(s.tol >= 0.0 && s.tol.is_finite() && s.mixing >= 0.0 && s.mixing.is_finite()) {
                return Err(Error::invalid(format!(
                    "stage {i} has tol {} and mixing {}, expected finite values >= 0",
                    s.tol, s.mixing
                )));
            }
        }
        Ok(())
    }
}

/// Bond dimensions doubling from 16 (or `max_rank` if smaller) up to `max_rank`.
fn rank_ramp(max_rank: usize) -> Vec<usize> {
    let mut ranks = Vec::new();
    let mut r = 16.min(max_rank);
    while r < max_rank {
        ranks.push(r);
        r *= 2;
    }
    ranks.push(max_rank);
    ranks
}
