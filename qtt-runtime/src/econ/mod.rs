//! Heterogeneous-agent economies in continuous time (Achdou, Han, Lasry,
//! Lions and Moll): the household's HJB equation, the Kolmogorov forward
//! equation of the wealth distribution and the general equilibrium that
//! clears a market, on quantized grids (solved by QTT to `2^20` wealth
//! points so far, by banded finite differences to `2^24`; see
//! [`quantized`] for what stops the QTT backend beyond).
//!
//! - [`model`]: a [`Model`] checked from its IR (`qtt::ir::model`), built
//!   by `model!` or from data; [`calibrations`] has Huggett's and
//!   Aiyagari's economies as plain Rust;
//! - [`diffusion_income`]: a `model!` income diffusion as the `2^Lz`-state
//!   birth–death chain of its grid, so both backends solve the `(a, z)`
//!   economy (the QTT backend up to [`MAX_QTT_STATES`] states);
//! - [`scheme`]: the implicit upwind scheme at one grid point, shared by
//!   both backends so that they discretise identically;
//! - [`finite_difference`]: the sparse (banded) finite-difference backend,
//!   the oracle of the QTT backend and the fast choice on small grids;
//! - [`quantized`]: the QTT backend (value function and distribution as
//!   tensor trains, each HJB step and the stationary distribution solved
//!   by block cyclic reduction on the quantized grid, `reduction`);
//! - [`equilibrium`]: the price that clears the market (Brent with warm
//!   starts), the excess-supply curve;
//! - [`joint`]: seed 000's alternative, `(V, g, r)` as one point minimising
//!   an energy by consensus-based optimisation (built to measure it);
//! - [`solution`]: what a solve returns (fields on the grid, ranks,
//!   residuals, reports);
//! - [`sweeps`]: `r*` of Huggett's economy along one parameter, for sweeps over ranks.
//! - [`root`]: the bracketing root finder (Brent) every market clearing uses;
//! - beyond one dimension (issue #12), by sparse finite differences for now:
//!   [`sparse_generator`] (generators on grids, the sparse-LU HJB step and
//!   the stationary KFE), [`income_diffusion`] (`(a, z)` with `z` a
//!   reflected Ornstein–Uhlenbeck process: Aiyagari and Huggett in general
//!   equilibrium) and [`two_asset`] (Kaplan, Moll and Violante's liquid and
//!   illiquid assets with a kinked deposit cost, partial equilibrium).
//!
//!
//! Beside them, in discrete time, [`consumption_saving`]: Maliar, Maliar and
//! Winant's consumption-saving model with four AR(1) shocks, solved by a
//! neural network trained on the all-in-one Euler loss (seed 001).

pub mod calibrations;
pub(crate) mod components;
pub mod consumption_saving;
pub mod diffusion_income;
pub mod equilibrium;
pub mod finite_difference;
pub mod income_diffusion;
pub mod joint;
pub mod model;
pub mod quantized;
pub mod quantized_transition;
pub(crate) mod reduction;
pub mod root;
pub mod scheme;
pub mod solution;
pub mod sparse_generator;
pub mod sweeps;
pub mod two_asset;

pub use calibrations::{AiyagariParams, HuggettParams};
pub use consumption_saving::{ConsumptionSaving, ConsumptionSavingParams};
pub use equilibrium::{
    Backend, EquilibriumOptions, ExcessPoint, Progress, ProgressFn, SolveOptions, MAX_QTT_STATES,
};
pub use joint::{JointEquilibrium, JointOptions};
pub use model::{Model, Prices, Utility};
pub use solution::{Equilibrium, Field, HouseholdSolution, IterationReport};
