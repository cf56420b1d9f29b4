//! Adam (Kingma and Ba 2015): stochastic gradient steps scaled by running
//! estimates of the gradient's first and second moments.

use crate::{Error, Result};

/// Adam's state for one parameter vector.
#[derive(Debug, Clone, PartialEq)]
pub struct Adam {
    /// Decay of the first-moment estimate.
    pub beta1: f64,
    /// Decay of the second-moment estimate.
    pub beta2: f64,
    /// Added to the root of the second moment.
    pub eps: f64,
    m: Vec<f64>,
    v: Vec<f64>,
    step: i32,
}

impl Adam {
    /// Adam for `n_params` parameters with the usual `(0.9, 0.999, 1e-8)`.
    pub fn new(n_params: usize) -> Self {
        Adam {
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
            m: vec![0.0; n_params],
            v: vec![0.0; n_params],
            step: 0,
        }
    }

    /// Steps taken so far.
    pub fn steps(&self) -> i32 {
        self.step
    }

    /// One step of size `lr` along `grad`, updating `params` in place.
    pub fn step(&mut self, params: &mut [f64], grad: &[f64], lr: f64) -> Result<()> {
        if params.len() != self.m.len() || grad.len() != self.m.len() {
            return Err(Error::shape(format!(
                "{} parameters and {} gradient entries, Adam was set up for {}",
                params.len(),
                grad.len(),
                self.m.len()
            )));
        }
        if !(lr.is_finite() && lr > 0.0) {
            return Err(Error::invalid(format!(
                "learning rate {lr}, expected a finite number > 0"
            )));
        }
        crate::error::check_finite("gradient", grad)?;
        let (b1, b2) = (self.beta1, self.beta2);
        self.step += 1;
        let (c1, c2) = (1.0 - b1.powi(self.step), 1.0 - b2.powi(self.step));
        for ((p, &g), (m, v)) in params
            .iter_mut()
            .zip(grad)
            .zip(self.m.iter_mut().zip(self.v.iter_mut()))
        {
            *m = b1 * *m + (1.0 - b1) * g;
            *v = b2 * *v + (1.0 - b2) * g * g;
            *p -= lr * (*m / c1) / ((*v / c2).sqrt() + self.eps);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimises_a_quadratic_and_rejects_bad_input() {
        let mut x = vec![3.0, -2.0];
        let mut adam = Adam::new(2);
        for _ in 0..2000 {
            let g = [2.0 * (x[0] - 1.0), 20.0 * (x[1] + 0.5)];
            adam.step(&mut x, &g, 0.01).unwrap();
        }
        assert!(
            (x[0] - 1.0).abs() < 1e-3 && (x[1] + 0.5).abs() < 1e-3,
            "{x:?}"
        );
        assert_eq!(adam.steps(), 2000);
        assert!(adam.step(&mut x, &[1.0], 0.1).is_err());
        assert!(adam.step(&mut x, &[1.0, f64::NAN], 0.1).is_err());
        assert!(adam.step(&mut x, &[1.0, 1.0], 0.0).is_err());
    }
}
