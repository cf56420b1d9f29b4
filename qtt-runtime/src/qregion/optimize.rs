//! Algorithm 3 of seed 002: minimise a cost over the feasible set of a
//! constraint automaton with a Born machine trained on Boltzmann-weighted
//! samples of everything seen so far, with annealing and resets.

use super::{BornMachine, ConstrainedMps, ConstraintAutomaton};
use crate::error::{Error, Result};
use crate::linalg::Truncation;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Hyperparameters of the optimiser (defaults from seed 002 and its code).
#[derive(Debug, Clone)]
pub struct OptimizeConfig {
    /// Iterations to run (`None`: until `time_limit`); default 75.
    pub iterations: Option<usize>,
    /// Wall-clock budget (`None`: no limit).
    pub time_limit: Option<Duration>,
    /// Training-set size, equal to the number of samples drawn per
    /// iteration; default 400.
    pub samples: usize,
    /// Gradient step; default 0.05.
    pub learning_rate: f64,
    /// Relative discarded weight allowed per bond split (ITensor's
    /// `cutoff`); default 1e-4.
    pub cutoff: f64,
    /// Cap on the total bond dimension of a link; default 64.
    pub max_bond: Option<usize>,
    /// Initial temperature (`None`: standard deviation of the initial
    /// sample costs); annealed as `T0 / iteration`.
    pub initial_temperature: Option<f64>,
    /// Training rows replaced by fresh samples of the initial state on a
    /// reset; default 40 (10% of 400).
    pub reset_replace: usize,
    /// Seed of every random draw.
    pub seed: u64,
}

impl Default for OptimizeConfig {
    fn default() -> Self {
        Self {
            iterations: Some(75),
            time_limit: None,
            samples: 400,
            learning_rate: 0.05,
            cutoff: 1e-4,
            max_bond: Some(64),
            initial_temperature: None,
            reset_replace: 40,
            seed: 0,
        }
    }
}

impl OptimizeConfig {
    fn validate(&self) -> Result<()> {
        if self.samples == 0 {
            return Err(Error::invalid("samples = 0, expected at least 1"));
        }
        if self.iterations.is_none() && self.time_limit.is_none() {
            return Err(Error::invalid(
                "neither an iteration count nor a time limit: the optimiser would never stop",
            ));
        }
        crate::error::check_nonneg("cutoff", self.cutoff)?;
        if let Some(t) = self.initial_temperature {
            if !(t.is_finite() && t > 0.0) {
                return Err(Error::invalid(format!(
                    "initial temperature = {t}, expected a finite number > 0"
                )));
            }
        }
        if self.reset_replace > self.samples {
            return Err(Error::invalid(format!(
                "reset_replace = {} exceeds the training-set size {}",
                self.reset_replace, self.samples
            )));
        }
        Ok(())
    }
}

/// What the optimiser reports after each iteration.
#[derive(Debug, Clone)]
pub struct Progress {
    /// Iteration number (1-based; 0 for the initial samples).
    pub iteration: usize,
    /// Time since the start.
    pub elapsed: Duration,
    /// Best cost found so far.
    pub best_cost: f64,
    /// Lowest cost among this iteration's samples.
    pub iteration_min: f64,
    /// Temperature of this iteration's training set.
    pub temperature: f64,
    /// Whether this iteration triggered a reset.
    pub reset: bool,
    /// Largest total bond dimension of the state.
    pub max_bond: usize,
    /// Distinct feasible configurations seen so far.
    pub distinct: usize,
}

/// The outcome of [`optimize`].
#[derive(Debug, Clone)]
pub struct OptimizeResult {
    /// The best configuration found (feasible by construction).
    pub best: Vec<u8>,
    /// Its cost.
    pub best_cost: f64,
    /// `(seconds since start, best cost so far)` after each iteration,
    /// starting with the initial samples.
    pub history: Vec<(f64, f64)>,
    /// Iterations completed.
    pub iterations: usize,
    /// Resets performed.
    pub resets: usize,
    /// Distinct configurations evaluated.
    pub distinct: usize,
}

/// Minimises `cost` over the configurations the automaton accepts.
///
/// Each iteration draws a training set from all samples seen so far with
/// Boltzmann weights `exp(-(c - c_min) / T)`, `T = T0 / iteration`, takes
/// one Born-machine step, samples the state and records the new costs. If
/// the new samples do not improve on the previous iteration's minimum, the
/// state is reset to the uniform superposition and `reset_replace` rows of
/// the next training set are replaced by samples of it.
pub fn optimize<F>(
    automaton: Arc<ConstraintAutomaton>,
    cost: F,
    config: &OptimizeConfig,
    mut progress: impl FnMut(&Progress),
) -> Result<OptimizeResult>
where
    F: Fn(&[u8]) -> f64,
{
    config.validate()?;
    let start = Instant::now();
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
    let mut trunc = Truncation::tol(config.cutoff.sqrt())?;
    if let Some(d) = config.max_bond {
        trunc = trunc.with_max_rank(d)?;
    }
    let initial = ConstrainedMps::uniform(automaton);
    let mut seen: HashMap<Vec<u8>, f64> = HashMap::new();
    let mut best: (Vec<u8>, f64) = (Vec::new(), f64::INFINITY);
    let record = |xs: &[Vec<u8>], seen: &mut HashMap<Vec<u8>, f64>, best: &mut (Vec<u8>, f64)| {
        let mut lowest = f64::INFINITY;
        for x in xs {
            let c = *seen.entry(x.clone()).or_insert_with(|| cost(x));
            if c < best.1 {
                *best = (x.clone(), c);
            }
            lowest = lowest.min(c);
        }
        lowest
    };
    let first = initial.sample_with(config.samples, &mut rng)?;
    let mut prev_min = record(&first, &mut seen, &mut best);
    let t0 = match config.initial_temperature {
        Some(t) => t,
        None => {
            let costs: Vec<f64> = first.iter().map(|x| seen[x]).collect();
            let mean = costs.iter().sum::<f64>() / costs.len() as f64;
            let var = costs.iter().map(|c| (c - mean).powi(2)).sum::<f64>() / costs.len() as f64;
            if var > 0.0 {
                var.sqrt()
            } else {
                1.0
            }
        }
    };
    let mut history = vec![(start.elapsed().as_secs_f64(), best.1)];
    progress(&Progress {
        iteration: 0,
        elapsed: start.elapsed(),
        best_cost: best.1,
        iteration_min: prev_min,
        temperature: t0,
        reset: false,
        max_bond: 1,
        distinct: seen.len(),
    });
    let mut machine = BornMachine::new(initial.clone(), config.learning_rate, trunc)?;
    let mut carried: Option<Vec<Vec<u8>>> = None;
    let mut resets = 0;
    let mut it = 0;
    loop {
        if config.iterations.is_some_and(|n| it >= n)
            || config.time_limit.is_some_and(|t| start.elapsed() >= t)
        {
            break;
        }
        it += 1;
        let temperature = t0 / it as f64;
        let training = match carried.take() {
            Some(t) => t,
            None => boltzmann_draw(&seen, best.1, temperature, config.samples, &mut rng),
        };
        machine.train_step(&training)?;
        let new = machine.mps().sample_with(config.samples, &mut rng)?;
        let new_min = record(&new, &mut seen, &mut best);
        let reset = new_min >= prev_min;
        if reset {
            resets += 1;
            machine = BornMachine::new(initial.clone(), config.learning_rate, trunc)?;
            let mut next = boltzmann_draw(&seen, best.1, temperature, config.samples, &mut rng);
            let fresh = initial.sample_with(config.reset_replace, &mut rng)?;
            record(&fresh, &mut seen, &mut best);
            for (slot, x) in next.iter_mut().zip(fresh) {
                *slot = x;
            }
            carried = Some(next);
        }
        prev_min = new_min;
        history.push((start.elapsed().as_secs_f64(), best.1));
        progress(&Progress {
            iteration: it,
            elapsed: start.elapsed(),
            best_cost: best.1,
            iteration_min: new_min,
            temperature,
            reset,
            max_bond: machine.mps().bond_dims().into_iter().max().unwrap_or(0),
            distinct: seen.len(),
        });
    }
    Ok(OptimizeResult {
        best: best.0,
        best_cost: best.1,
        history,
        iterations: it,
        resets,
        distinct: seen.len(),
    })
}

/// `count` draws (with replacement) from `seen`, weighted by
/// `exp(-(c - c_min) / T)`.
fn boltzmann_draw(
    seen: &HashMap<Vec<u8>, f64>,
    c_min: f64,
    temperature: f64,
    count: usize,
    rng: &mut ChaCha8Rng,
) -> Vec<Vec<u8>> {
    // Sorted for reproducibility (HashMap order is random per process).
    let mut items: Vec<(&Vec<u8>, f64)> = seen.iter().map(|(x, c)| (x, *c)).collect();
    items.sort_by(|a, b| a.1.total_cmp(&b.1).then_with(|| a.0.cmp(b.0)));
    let mut cum = Vec::with_capacity(items.len());
    let mut total = 0.0;
    for (_, c) in &items {
        total += (-(c - c_min) / temperature).exp();
        cum.push(total);
    }
    (0..count)
        .map(|_| {
            let u = rng.random::<f64>() * total;
            let i = cum.partition_point(|&v| v <= u).min(items.len() - 1);
            items[i].0.clone()
        })
        .collect()
}
