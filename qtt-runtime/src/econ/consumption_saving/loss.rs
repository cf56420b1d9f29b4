//! The all-in-one loss of Maliar, Maliar and Winant: at a state `s` with two
//! independent realisations `e1`, `e2` of next period's innovations,
//!
//! `L(s, e1, e2) = R1(s, e1) R1(s, e2) + R2(s)^2`,
//!
//! with the Euler residual `R1 = beta exp(delta' - delta) (c' / c)^(-gamma) rbar exp(r') - h`
//! and the constraint residual `R2 = FB(1 - h, 1 - zeta)`. Because `e1` and `e2` are
//! independent, `E[L | s] = E[R1 | s]^2 + R2^2`: one product of two draws
//! estimates the square of an expectation without nested sampling. The
//! gradient is taken through today's network and through both of tomorrow's
//! evaluations, including tomorrow's cash on hand's dependence on `c`.

use super::calibration::{Draws, State};
use super::policy::{sigmoid, ConsumptionSaving};
use crate::learn::Forward;
use crate::Result;

/// The Fischer-Burmeister function `a + b - sqrt(a^2 + b^2)`: zero exactly
/// when `a >= 0`, `b >= 0` and `a b = 0` (complementary slackness).
pub fn fischer_burmeister(a: f64, b: f64) -> f64 {
    a + b - a.hypot(b)
}

/// `(dFB/da, dFB/db)`; at the kink `a = b = 0` the limit along `a = b`.
fn fischer_burmeister_grad(a: f64, b: f64) -> (f64, f64) {
    let r = a.hypot(b);
    if r == 0.0 {
        let g = 1.0 - std::f64::consts::FRAC_1_SQRT_2;
        (g, g)
    } else {
        (1.0 - a / r, 1.0 - b / r)
    }
}

/// Tomorrow under one realisation of the innovations.
struct Tomorrow {
    states: Vec<State>,
    /// `rbar exp(r')`, the gross return on savings.
    gross_return: Vec<f64>,
    fwd: Forward,
}

impl ConsumptionSaving {
    /// The integrand `L(s, e1, e2)` at every draw.
    pub fn integrand(&self, draws: &Draws) -> Result<Vec<f64>> {
        self.evaluate(draws, None)
    }

    /// The loss: the mean of the integrand over the draws.
    pub fn loss(&self, draws: &Draws) -> Result<f64> {
        Ok(mean(&self.integrand(draws)?))
    }

    /// The loss and its gradient with respect to the network's parameters.
    pub fn loss_and_gradient(&self, draws: &Draws) -> Result<(f64, Vec<f64>)> {
        let mut grad = vec![0.0; self.net().params().len()];
        let values = self.evaluate(draws, Some(&mut grad))?;
        Ok((mean(&values), grad))
    }

    fn tomorrow(&self, draws: &Draws, shocks: &[[f64; 4]], zeta: &[f64]) -> Result<Tomorrow> {
        let p = self.params();
        let n = draws.len();
        let (mut states, mut gross_return) = (Vec::with_capacity(n), Vec::with_capacity(n));
        for ((s, e), z) in draws.states.iter().zip(shocks).zip(zeta) {
            let x = p.next_exogenous(s, e);
            let r = p.gross_return(&x);
            let w = p.income(&x) + (1.0 - z) * s[4] * r;
            states.push([x[0], x[1], x[2], x[3], w]);
            gross_return.push(r);
        }
        let fwd = self.forward(&states)?;
        Ok(Tomorrow {
            states,
            gross_return,
            fwd,
        })
    }

    /// The integrand at every draw; with `grad`, adds the gradient of its mean.
    fn evaluate(&self, draws: &Draws, grad: Option<&mut Vec<f64>>) -> Result<Vec<f64>> {
        let p = self.params();
        let (beta, gamma) = (p.beta, p.gamma);
        let n = draws.len();
        let now = self.forward(&draws.states)?;
        let zeta: Vec<f64> = now
            .output()
            .chunks_exact(2)
            .map(|x| sigmoid(x[0]))
            .collect();
        let h: Vec<f64> = now.output().chunks_exact(2).map(|x| x[1].exp()).collect();
        let next = [
            self.tomorrow(draws, &draws.shocks1, &zeta)?,
            self.tomorrow(draws, &draws.shocks2, &zeta)?,
        ];
        // g[k][i] = beta exp(delta' - delta) (c'/c)^(-gamma) rbar exp(r'), so R1 = g - h
        let mut g = [vec![0.0; n], vec![0.0; n]];
        let mut zeta_next = [vec![0.0; n], vec![0.0; n]];
        for (k, t) in next.iter().enumerate() {
            for i in 0..n {
                let s = &draws.states[i];
                let z = sigmoid(t.fwd.output()[2 * i]);
                let ratio = z * t.states[i][4] / (zeta[i] * s[4]);
                g[k][i] =
                    beta * (t.states[i][1] - s[1]).exp() * ratio.powf(-gamma) * t.gross_return[i];
                zeta_next[k][i] = z;
            }
        }
        let r2: Vec<f64> = (0..n)
            .map(|i| fischer_burmeister(1.0 - h[i], 1.0 - zeta[i]))
            .collect();
        let values: Vec<f64> = (0..n)
            .map(|i| (g[0][i] - h[i]) * (g[1][i] - h[i]) + r2[i] * r2[i])
            .collect();
        crate::error::check_finite("the loss integrand", &values)?;
        let Some(grad) = grad else {
            return Ok(values);
        };
        let scale = 1.0 / n as f64;
        let cash_scale = self.cash_input_scale();
        // dLoss/dc and dLoss/dh at today's states, collected over both tomorrows
        let (mut d_c, mut d_h) = (vec![0.0; n], vec![0.0; n]);
        for (k, t) in next.iter().enumerate() {
            let mut d_out = vec![0.0; 2 * n];
            let mut d_w_direct = vec![0.0; n];
            for i in 0..n {
                // dLoss/dR1_k is the other realisation's residual
                let d_r1 = scale * (g[1 - k][i] - h[i]);
                let (z, w) = (zeta_next[k][i], t.states[i][4]);
                let d_c_next = -gamma * d_r1 * g[k][i] / (z * w);
                d_out[2 * i] = d_c_next * w * z * (1.0 - z);
                d_w_direct[i] = d_c_next * z;
                d_c[i] += gamma * d_r1 * g[k][i] / (zeta[i] * draws.states[i][4]);
                d_h[i] -= d_r1;
            }
            let d_in = self.net().backward(&t.fwd, &d_out, grad)?;
            for i in 0..n {
                // w' = y' + (w - c) R, so dw'/dc = -R
                let d_w = d_w_direct[i] + d_in[5 * i + 4] * cash_scale;
                d_c[i] -= d_w * t.gross_return[i];
            }
        }
        let mut d_out = vec![0.0; 2 * n];
        for i in 0..n {
            let (da, db) = fischer_burmeister_grad(1.0 - h[i], 1.0 - zeta[i]);
            let d_r2 = scale * 2.0 * r2[i];
            let d_zeta = d_c[i] * draws.states[i][4] - d_r2 * db;
            let d_hh = d_h[i] - d_r2 * da;
            d_out[2 * i] = d_zeta * zeta[i] * (1.0 - zeta[i]);
            d_out[2 * i + 1] = d_hh * h[i];
        }
        self.net().backward(&now, &d_out, grad)?;
        Ok(values)
    }
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gradient_matches_central_differences() {
        let mut model = ConsumptionSaving::new(Default::default(), &[8, 8], 5).unwrap();
        // move the biases off zero so that every parameter matters
        for (k, p) in model.net_mut().params_mut().iter_mut().enumerate() {
            *p += 0.03 * ((k * 31) % 7) as f64 / 7.0;
        }
        let draws = model.params().draw(6, 1).unwrap();
        let (_, grad) = model.loss_and_gradient(&draws).unwrap();
        let h = 1e-6;
        let mut worst: f64 = 0.0;
        for (j, g) in grad.iter().enumerate() {
            let mut up = model.clone();
            up.net_mut().params_mut()[j] += h;
            let mut dn = model.clone();
            dn.net_mut().params_mut()[j] -= h;
            let fd = (up.loss(&draws).unwrap() - dn.loss(&draws).unwrap()) / (2.0 * h);
            worst = worst.max((fd - g).abs() / (1e-3 + fd.abs()));
        }
        assert!(worst < 1e-5, "worst relative gradient error {worst:e}");
    }

    #[test]
    fn fischer_burmeister_is_zero_on_complementarity() {
        assert_eq!(fischer_burmeister(0.0, 2.0), 0.0);
        assert_eq!(fischer_burmeister(3.0, 0.0), 0.0);
        assert!(fischer_burmeister(1.0, 1.0) > 0.0);
        assert!(fischer_burmeister(-1.0, 1.0) < 0.0);
    }
}
