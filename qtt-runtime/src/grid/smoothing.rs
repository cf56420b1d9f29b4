//! Smoothing of kinks (seed 000, section 3.1): softplus instead of
//! `max(x, 0)`, the Boltzmann smooth max/min, and smooth indicators, as
//! scalar functions and as element-wise maps of tensor trains by cross
//! approximation, whose report gives the rank each smoothing produces.

use crate::error::{Error, Result};
use crate::tt::{CrossOptions, CrossReport, TensorTrain};

fn check_width(name: &str, mu: f64) -> Result<()> {
    if !(mu > 0.0 && mu.is_finite()) {
        return Err(Error::invalid(format!(
            "{name} = {mu}, expected a finite positive smoothing width"
        )));
    }
    Ok(())
}

/// `mu ln(1 + exp(x / mu))`, computed without overflow; `>= max(x, 0)`,
/// at most `mu ln 2` above it (at `x = 0`).
pub fn softplus(x: f64, mu: f64) -> f64 {
    x.max(0.0) + mu * (-(x.abs() / mu)).exp().ln_1p()
}

/// The logistic sigmoid `1 / (1 + exp(-x / mu))`: a smooth indicator of
/// `x > 0` (the derivative of [`softplus`]).
pub fn smooth_indicator(x: f64, mu: f64) -> f64 {
    let e = (-(x.abs() / mu)).exp();
    if x >= 0.0 {
        1.0 / (1.0 + e)
    } else {
        e / (1.0 + e)
    }
}

/// The Boltzmann smooth maximum `(a e^{k a} + b e^{k b}) / (e^{k a} + e^{k b})`
/// (seed 000, section 2.3) for `k > 0`; tends to `max(a, b)` as `k` grows.
/// Computed as `b + (a - b) sigmoid(k (a - b))`, without overflow.
pub fn smooth_max(a: f64, b: f64, k: f64) -> f64 {
    b + (a - b) * smooth_indicator(a - b, 1.0 / k)
}

/// The Boltzmann smooth minimum (the smooth maximum with `-k`).
pub fn smooth_min(a: f64, b: f64, k: f64) -> f64 {
    a + (b - a) * smooth_indicator(a - b, 1.0 / k)
}

/// `softplus(x, mu)` element-wise on a tensor train (cross; the report's
/// ranks are those the smoothing produces).
pub fn softplus_tt(
    x: &TensorTrain,
    mu: f64,
    opts: &CrossOptions,
) -> Result<(TensorTrain, CrossReport)> {
    check_width("softplus width mu", mu)?;
    x.map(|v| softplus(v, mu), opts)
}

/// The smooth indicator of `x > 0` element-wise (cross).
pub fn smooth_indicator_tt(
    x: &TensorTrain,
    mu: f64,
    opts: &CrossOptions,
) -> Result<(TensorTrain, CrossReport)> {
    check_width("indicator width mu", mu)?;
    x.map(|v| smooth_indicator(v, mu), opts)
}

/// The Boltzmann smooth maximum of two trains element-wise (cross).
pub fn smooth_max_tt(
    a: &TensorTrain,
    b: &TensorTrain,
    k: f64,
    opts: &CrossOptions,
) -> Result<(TensorTrain, CrossReport)> {
    check_width("Boltzmann sharpness k", k)?;
    a.zip_map(b, |x, y| smooth_max(x, y, k), opts)
}

/// The Boltzmann smooth minimum of two trains element-wise (cross).
pub fn smooth_min_tt(
    a: &TensorTrain,
    b: &TensorTrain,
    k: f64,
    opts: &CrossOptions,
) -> Result<(TensorTrain, CrossReport)> {
    check_width("Boltzmann sharpness k", k)?;
    a.zip_map(b, |x, y| smooth_min(x, y, k), opts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid::{approximate, coordinate, grid_cross_options, sin, Grid1d};
    use rand::{Rng, SeedableRng};

    #[test]
    fn scalar_forms() {
        for &(x, mu) in &[
            (0.0f64, 0.1f64),
            (3.0, 0.01),
            (-3.0, 0.01),
            (800.0, 1.0),
            (-800.0, 1.0),
            (0.2, 0.5),
        ] {
            let direct = mu * (1.0 + (x / mu).exp()).ln();
            let s = softplus(x, mu);
            assert!(s.is_finite() && s >= x.max(0.0));
            assert!(s - x.max(0.0) <= mu * 2f64.ln() + 1e-15);
            if direct.is_finite() {
                assert!((s - direct).abs() < 1e-12 * direct.max(1e-300).max(1.0));
            }
        }
        let (a, b, k) = (1.3f64, 0.4f64, 5.0f64);
        let boltz = (a * (k * a).exp() + b * (k * b).exp()) / ((k * a).exp() + (k * b).exp());
        assert!((smooth_max(a, b, k) - boltz).abs() < 1e-14);
        let boltz_min =
            (a * (-k * a).exp() + b * (-k * b).exp()) / ((-k * a).exp() + (-k * b).exp());
        assert!((smooth_min(a, b, k) - boltz_min).abs() < 1e-14);
        assert!((smooth_max(a, b, 1e4) - a).abs() < 1e-12);
        assert!((smooth_min(a, b, 1e4) - b).abs() < 1e-12);
        assert!(smooth_max(1e3, -1e3, 10.0).is_finite());
        assert!((smooth_indicator(0.0, 0.3) - 0.5).abs() < 1e-15);
    }

    #[test]
    fn softplus_on_thirty_bits_is_accurate_and_low_rank() {
        // In 1-D a kink is piecewise linear, which QTT holds at rank <= 3;
        // softplus stays low-rank for every width and costs mu ln 2 at most.
        let g = Grid1d::new(-1.0, 1.0, 30).unwrap();
        let k = 0.1234567;
        let x = coordinate(&g)
            .unwrap()
            .sub(&crate::grid::constant(&g, k).unwrap())
            .unwrap();
        let opts = grid_cross_options(1e-8).unwrap();
        let (_, relu) = approximate(&g, |v| (v - k).max(0.0), &opts).unwrap();
        assert!(relu.ranks.iter().all(|&r| r <= 3), "{:?}", relu.ranks);
        for mu in [1e-4, 1e-3, 1e-2, 1e-1] {
            let (s, rep) = softplus_tt(&x, mu, &opts).unwrap();
            assert!(
                rep.ranks.iter().all(|&r| r <= 10),
                "mu = {mu}: {:?}",
                rep.ranks
            );
            let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(4);
            for _ in 0..100 {
                let i = rng.random_range(0..g.len());
                let xi = g.coordinate(i).unwrap() - k;
                let got = s.eval(&g.index_to_bits(i).unwrap()).unwrap();
                assert!((got - softplus(xi, mu)).abs() < 1e-6, "mu = {mu}, x = {xi}");
            }
        }
    }

    #[test]
    fn softplus_ranks_fall_as_mu_grows_across_a_curved_kink() {
        // max(x y - 0.3, 0) on 2^10 x 2^10 points: the kink is a hyperbola,
        // which no low-rank QTT holds; the smoothed versions need fewer
        // ranks the wider they are.
        use crate::grid::{Axis, BitOrder, Grid};
        let g = Grid1d::new(0.0, 1.0, 10).unwrap();
        let grid = Grid::new(vec![Axis::Binary(g), Axis::Binary(g)], BitOrder::Sequential).unwrap();
        let opts = grid_cross_options(1e-8).unwrap();
        let (_, relu) = grid
            .approximate(|x| (x[0] * x[1] - 0.3).max(0.0), &opts)
            .unwrap();
        let mut ranks = vec![relu.ranks.iter().copied().max().unwrap()];
        for mu in [3e-3, 1e-2, 3e-2, 1e-1] {
            let (_, rep) = grid
                .approximate(|x| softplus(x[0] * x[1] - 0.3, mu), &opts)
                .unwrap();
            ranks.push(rep.ranks.iter().copied().max().unwrap());
        }
        assert!(ranks[1..].windows(2).all(|w| w[0] > w[1]), "{ranks:?}");
        assert!(ranks[0] > 2 * ranks[4], "{ranks:?}");
    }

    #[test]
    fn smooth_max_of_trains() {
        let g = Grid1d::new(0.0, 3.0, 16).unwrap();
        let a = sin(&g, 2.0).unwrap();
        let (b, _) =
            approximate(&g, |x| 0.3 * x - 0.2, &grid_cross_options(1e-10).unwrap()).unwrap();
        let opts = grid_cross_options(1e-10).unwrap();
        let (m, _) = smooth_max_tt(&a, &b, 50.0, &opts).unwrap();
        let (n, _) = smooth_min_tt(&a, &b, 50.0, &opts).unwrap();
        let (ind, _) = smooth_indicator_tt(&a, 0.05, &opts).unwrap();
        for i in (0..g.len()).step_by(997) {
            let bits = g.index_to_bits(i).unwrap();
            let x = g.coordinate(i).unwrap();
            let (av, bv) = ((2.0 * x).sin(), 0.3 * x - 0.2);
            assert!((m.eval(&bits).unwrap() - smooth_max(av, bv, 50.0)).abs() < 1e-8);
            assert!((n.eval(&bits).unwrap() - smooth_min(av, bv, 50.0)).abs() < 1e-8);
            assert!((ind.eval(&bits).unwrap() - smooth_indicator(av, 0.05)).abs() < 1e-8);
        }
        assert!(softplus_tt(&a, 0.0, &opts).is_err());
        assert!(softplus_tt(&a, f64::NAN, &opts).is_err());
        assert!(smooth_max_tt(&a, &b, -1.0, &opts).is_err());
        let short = crate::tt::TensorTrain::ones(&[2; 3]).unwrap();
        assert!(smooth_max_tt(&a, &short, 1.0, &opts).is_err());
    }
}
