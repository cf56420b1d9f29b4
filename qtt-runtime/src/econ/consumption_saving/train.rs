//! Training: each epoch draws a fresh batch of states and innovation pairs,
//! takes the loss and its gradient, and moves the network by one Adam step.
//! The loss of each epoch is the Monte Carlo estimate whose error seed 001
//! studies (its Table 2: the error after training falls like `N^-0.22` in the
//! batch size `N`).

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::policy::ConsumptionSaving;
use crate::learn::Adam;
use crate::{Error, Result};

/// Settings of a training run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrainOptions {
    /// Number of epochs (gradient steps).
    pub epochs: usize,
    /// Draws per epoch `N`.
    pub batch: usize,
    /// Adam's step size.
    pub learning_rate: f64,
    /// Seed of the draws.
    pub seed: u64,
}

impl Default for TrainOptions {
    /// 2000 epochs of 128 draws at Adam's usual step 1e-3 (as the notebook), seed 0.
    fn default() -> Self {
        TrainOptions {
            epochs: 2000,
            batch: 128,
            learning_rate: 1e-3,
            seed: 0,
        }
    }
}

/// What the progress callback receives after every epoch.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EpochReport {
    /// The epoch, from 1.
    pub epoch: usize,
    /// Of `epochs` in all.
    pub epochs: usize,
    /// This epoch's Monte Carlo estimate of the loss (before its step).
    pub loss: f64,
}

/// A Monte Carlo estimate of the loss with its standard error.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LossEstimate {
    /// The sample mean of the integrand.
    pub mean: f64,
    /// Its standard error.
    pub std_error: f64,
    /// The number of draws.
    pub samples: usize,
}

impl ConsumptionSaving {
    /// Trains quietly; returns every epoch's loss. See [`Self::train_with_progress`].
    pub fn train(&mut self, opts: &TrainOptions) -> Result<Vec<f64>> {
        self.train_with_progress(opts, |_| {})
    }

    /// Trains for `opts.epochs` epochs, calling `progress` after each;
    /// returns every epoch's loss.
    pub fn train_with_progress(
        &mut self,
        opts: &TrainOptions,
        mut progress: impl FnMut(&EpochReport),
    ) -> Result<Vec<f64>> {
        if opts.epochs == 0 || opts.batch == 0 {
            return Err(Error::invalid(format!(
                "{} epochs of {} draws, expected at least one of each",
                opts.epochs, opts.batch
            )));
        }
        if !(opts.learning_rate.is_finite() && opts.learning_rate > 0.0) {
            return Err(Error::invalid(format!(
                "learning rate {}, expected a finite number > 0",
                opts.learning_rate
            )));
        }
        let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
        let mut adam = Adam::new(self.net().params().len());
        let mut losses = Vec::with_capacity(opts.epochs);
        for epoch in 1..=opts.epochs {
            let draws = self.params().draw_with(opts.batch, &mut rng)?;
            let (loss, grad) = self.loss_and_gradient(&draws)?;
            adam.step(self.net_mut().params_mut(), &grad, opts.learning_rate)?;
            losses.push(loss);
            progress(&EpochReport {
                epoch,
                epochs: opts.epochs,
                loss,
            });
        }
        Ok(losses)
    }

    /// The loss by plain Monte Carlo with `samples` fresh draws from `seed`.
    pub fn loss_estimate(&self, samples: usize, seed: u64) -> Result<LossEstimate> {
        if samples < 2 {
            return Err(Error::invalid(format!(
                "{samples} samples, expected at least 2"
            )));
        }
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let (mut sum, mut sum2) = (0.0, 0.0);
        let mut left = samples;
        // in chunks, so that memory stays small for large sample counts
        while left > 0 {
            let n = left.min(1 << 14);
            let draws = self.params().draw_with(n, &mut rng)?;
            for v in self.integrand(&draws)? {
                sum += v;
                sum2 += v * v;
            }
            left -= n;
        }
        let n = samples as f64;
        let mean = sum / n;
        let var = ((sum2 - n * mean * mean) / (n - 1.0)).max(0.0);
        Ok(LossEstimate {
            mean,
            std_error: (var / n).sqrt(),
            samples,
        })
    }
}
