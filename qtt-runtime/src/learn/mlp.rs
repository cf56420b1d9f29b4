//! A dense feed-forward network: affine layers joined by ReLU, a linear
//! output layer, evaluated on a batch of inputs and differentiated by hand
//! (backpropagation to the weights and to the inputs).
//!
//! Layer `l` maps `sizes[l]` inputs to `sizes[l + 1]` outputs with a
//! row-major weight matrix `W_l` (`sizes[l + 1] x sizes[l]`) followed by its
//! bias; all layers' parameters sit in one flat vector, layer after layer,
//! so that an optimiser sees a single slice.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::{Error, Result};

/// A multilayer perceptron with ReLU hidden layers and a linear output.
#[derive(Debug, Clone, PartialEq)]
pub struct Mlp {
    sizes: Vec<usize>,
    params: Vec<f64>,
}

/// The activations of a forward pass, kept for the backward pass.
#[derive(Debug, Clone, PartialEq)]
pub struct Forward {
    n: usize,
    /// `acts[0]` is the input, `acts[l]` the output of layer `l - 1`
    /// (after its ReLU for hidden layers), each `n x sizes[l]` row-major.
    acts: Vec<Vec<f64>>,
}

impl Forward {
    /// The network's outputs, `n x n_outputs` row-major.
    pub fn output(&self) -> &[f64] {
        self.acts.last().expect("at least the input")
    }

    /// The batch size.
    pub fn batch(&self) -> usize {
        self.n
    }
}

impl Mlp {
    /// A network with layer widths `sizes` (inputs first, outputs last),
    /// He-uniform weights for the ReLU layers, Glorot-uniform for the output
    /// layer and zero biases, drawn from `seed`.
    pub fn new(sizes: &[usize], seed: u64) -> Result<Self> {
        if sizes.len() < 2 || sizes.contains(&0) {
            return Err(Error::invalid(format!(
                "layer widths {sizes:?}, expected at least two widths, all positive"
            )));
        }
        let total: usize = sizes.windows(2).map(|w| (w[0] + 1) * w[1]).sum();
        if total > 1 << 26 {
            return Err(Error::TooLarge {
                what: "the parameters of a dense network".into(),
                needed: total as u128,
                limit: 1 << 26,
            });
        }
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut params = Vec::with_capacity(total);
        let layers = sizes.len() - 1;
        for (l, w) in sizes.windows(2).enumerate() {
            let (fan_in, fan_out) = (w[0] as f64, w[1] as f64);
            let limit = if l + 1 < layers {
                (6.0 / fan_in).sqrt()
            } else {
                (6.0 / (fan_in + fan_out)).sqrt()
            };
            params.extend((0..w[0] * w[1]).map(|_| limit * (2.0 * rng.random::<f64>() - 1.0)));
            params.extend(std::iter::repeat_n(0.0, w[1]));
        }
        Ok(Mlp {
            sizes: sizes.to_vec(),
            params,
        })
    }

    /// Layer widths, inputs first.
    pub fn sizes(&self) -> &[usize] {
        &self.sizes
    }

    /// Number of inputs.
    pub fn n_inputs(&self) -> usize {
        self.sizes[0]
    }

    /// Number of outputs.
    pub fn n_outputs(&self) -> usize {
        self.sizes[self.sizes.len() - 1]
    }

    /// All weights and biases, layer after layer.
    pub fn params(&self) -> &[f64] {
        &self.params
    }

    /// The parameters, for an optimiser to update.
    pub fn params_mut(&mut self) -> &mut [f64] {
        &mut self.params
    }

    /// The network's outputs for `n` inputs (`x` is `n x n_inputs` row-major).
    pub fn forward(&self, x: &[f64], n: usize) -> Result<Forward> {
        if x.len() != n * self.n_inputs() {
            return Err(Error::shape(format!(
                "{} input values for a batch of {n}, expected {} ({n} x {})",
                x.len(),
                n * self.n_inputs(),
                self.n_inputs()
            )));
        }
        crate::error::check_finite("network input", x)?;
        let layers = self.sizes.len() - 1;
        let mut acts = Vec::with_capacity(layers + 1);
        acts.push(x.to_vec());
        let mut offset = 0;
        for l in 0..layers {
            let (nin, nout) = (self.sizes[l], self.sizes[l + 1]);
            let w = &self.params[offset..offset + nin * nout];
            let b = &self.params[offset + nin * nout..offset + (nin + 1) * nout];
            offset += (nin + 1) * nout;
            let prev = &acts[l];
            let mut out = vec![0.0; n * nout];
            for (xi, oi) in prev.chunks_exact(nin).zip(out.chunks_exact_mut(nout)) {
                for ((o, row), &bj) in oi.iter_mut().zip(w.chunks_exact(nin)).zip(b) {
                    let z = bj + dot(row, xi);
                    *o = if l + 1 < layers { z.max(0.0) } else { z };
                }
            }
            acts.push(out);
        }
        Ok(Forward { n, acts })
    }

    /// Backpropagates `d_out` (`dLoss/dOutput`, `n x n_outputs`) through the
    /// pass `fwd`: adds `dLoss/dParams` to `grad` and returns `dLoss/dInput`
    /// (`n x n_inputs`).
    pub fn backward(&self, fwd: &Forward, d_out: &[f64], grad: &mut [f64]) -> Result<Vec<f64>> {
        let n = fwd.n;
        if fwd.acts.len() != self.sizes.len()
            || fwd
                .acts
                .iter()
                .zip(&self.sizes)
                .any(|(a, &s)| a.len() != n * s)
        {
            return Err(Error::shape(
                "the forward pass was not made by this network",
            ));
        }
        if d_out.len() != n * self.n_outputs() || grad.len() != self.params.len() {
            return Err(Error::shape(format!(
                "{} output gradients and {} parameter gradients, expected {} and {}",
                d_out.len(),
                grad.len(),
                n * self.n_outputs(),
                self.params.len()
            )));
        }
        let layers = self.sizes.len() - 1;
        let mut offsets = vec![0; layers + 1];
        for l in 0..layers {
            offsets[l + 1] = offsets[l] + (self.sizes[l] + 1) * self.sizes[l + 1];
        }
        let mut dz = d_out.to_vec();
        for l in (0..layers).rev() {
            let (nin, nout) = (self.sizes[l], self.sizes[l + 1]);
            let (o, ob) = (offsets[l], offsets[l] + nin * nout);
            let w = &self.params[o..ob];
            let (gw, gb) = grad[o..offsets[l + 1]].split_at_mut(nin * nout);
            let prev = &fwd.acts[l];
            let mut dprev = vec![0.0; n * nin];
            for ((dzi, xi), dpi) in dz
                .chunks_exact(nout)
                .zip(prev.chunks_exact(nin))
                .zip(dprev.chunks_exact_mut(nin))
            {
                for (j, &g) in dzi.iter().enumerate() {
                    if g == 0.0 {
                        continue;
                    }
                    gb[j] += g;
                    axpy(g, xi, &mut gw[j * nin..(j + 1) * nin]);
                    axpy(g, &w[j * nin..(j + 1) * nin], dpi);
                }
            }
            if l > 0 {
                // through the ReLU: its output is positive exactly where it passes
                for (d, &a) in dprev.iter_mut().zip(prev) {
                    if a <= 0.0 {
                        *d = 0.0;
                    }
                }
            }
            dz = dprev;
        }
        Ok(dz)
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn axpy(alpha: f64, x: &[f64], y: &mut [f64]) {
    for (yi, &xi) in y.iter_mut().zip(x) {
        *yi += alpha * xi;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// sum_i c_i . net(x_i), a scalar whose gradient backward computes.
    fn scalar(net: &Mlp, x: &[f64], n: usize, c: &[f64]) -> f64 {
        dot(net.forward(x, n).unwrap().output(), c)
    }

    #[test]
    fn backward_matches_central_differences() {
        let net = Mlp::new(&[3, 7, 5, 2], 4).unwrap();
        let n = 4;
        // biases moved off zero so that every parameter matters
        let mut net = net;
        for (k, p) in net.params_mut().iter_mut().enumerate() {
            *p += 0.05 * ((k * 7919) % 13) as f64 / 13.0;
        }
        let x: Vec<f64> = (0..n * 3)
            .map(|k| ((k * 37) % 11) as f64 / 5.0 - 1.0)
            .collect();
        let c: Vec<f64> = (0..n * 2).map(|k| 1.0 + 0.3 * k as f64).collect();
        let fwd = net.forward(&x, n).unwrap();
        let mut grad = vec![0.0; net.params().len()];
        let dx = net.backward(&fwd, &c, &mut grad).unwrap();
        let h = 1e-6;
        for (j, g) in grad.iter().enumerate() {
            let mut up = net.clone();
            up.params_mut()[j] += h;
            let mut dn = net.clone();
            dn.params_mut()[j] -= h;
            let fd = (scalar(&up, &x, n, &c) - scalar(&dn, &x, n, &c)) / (2.0 * h);
            assert!(
                (fd - g).abs() < 1e-6 * (1.0 + fd.abs()),
                "param {j}: {fd} vs {g}"
            );
        }
        for k in 0..x.len() {
            let (mut xu, mut xd) = (x.clone(), x.clone());
            xu[k] += h;
            xd[k] -= h;
            let fd = (scalar(&net, &xu, n, &c) - scalar(&net, &xd, n, &c)) / (2.0 * h);
            assert!((fd - dx[k]).abs() < 1e-6 * (1.0 + fd.abs()), "input {k}");
        }
    }

    #[test]
    fn is_seeded_and_rejects_bad_shapes() {
        assert_eq!(
            Mlp::new(&[5, 32, 2], 1).unwrap(),
            Mlp::new(&[5, 32, 2], 1).unwrap()
        );
        assert_ne!(
            Mlp::new(&[5, 32, 2], 1).unwrap(),
            Mlp::new(&[5, 32, 2], 2).unwrap()
        );
        assert_eq!(
            Mlp::new(&[5, 32, 32, 32, 2], 0).unwrap().params().len(),
            6 * 32 + 2 * 33 * 32 + 33 * 2
        );
        assert!(Mlp::new(&[5], 0).is_err());
        assert!(Mlp::new(&[5, 0, 2], 0).is_err());
        let net = Mlp::new(&[2, 3, 1], 0).unwrap();
        assert!(net.forward(&[1.0; 3], 2).is_err());
        assert!(net.forward(&[1.0, f64::NAN], 1).is_err());
        let fwd = net.forward(&[1.0, 2.0], 1).unwrap();
        assert!(net.backward(&fwd, &[1.0, 1.0], &mut [0.0; 13]).is_err());
        assert!(net.backward(&fwd, &[1.0], &mut [0.0; 3]).is_err());
    }
}
