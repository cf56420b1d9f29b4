//! Linear algebra of tensor trains: sums (ranks add), Hadamard products
//! (ranks multiply), scaling, inner products and weighted contractions.
//! Results are exact; call `round` to compress sums and products.

use super::{Core, TensorTrain};
use crate::error::{check_finite, Error, Result};
use crate::linalg::{matmul, view, Transpose};

impl TensorTrain {
    pub(crate) fn check_same_modes(&self, other: &Self, what: &str) -> Result<()> {
        if self.modes() != other.modes() {
            return Err(Error::shape(format!(
                "{what}: modes {:?} and {:?} differ",
                self.modes(),
                other.modes()
            )));
        }
        Ok(())
    }

    /// `self + other`, ranks `r_x + r_y` (block-diagonal cores).
    pub fn add(&self, other: &Self) -> Result<Self> {
        self.check_same_modes(other, "add")?;
        let d = self.len();
        let cores = (0..d)
            .map(|k| {
                let (x, y) = (&self.cores[k], &other.cores[k]);
                let (xl, n, xr) = x.shape();
                let (yl, _, yr) = y.shape();
                let (rl, yl0) = if k == 0 { (1, 0) } else { (xl + yl, xl) };
                let (rr, yr0) = if k == d - 1 { (1, 0) } else { (xr + yr, xr) };
                let mut c = Core::zeros(rl, n, rr);
                for b in 0..xr {
                    for i in 0..n {
                        for a in 0..xl {
                            *c.get_mut(a, i, b) += x.get(a, i, b);
                        }
                    }
                }
                for b in 0..yr {
                    for i in 0..n {
                        for a in 0..yl {
                            *c.get_mut(yl0 + a, i, yr0 + b) += y.get(a, i, b);
                        }
                    }
                }
                c
            })
            .collect();
        Ok(Self::from_cores_unchecked(cores))
    }

    /// `self - other`.
    pub fn sub(&self, other: &Self) -> Result<Self> {
        let mut neg = other.clone();
        neg.scale(-1.0);
        self.add(&neg)
    }

    /// `alpha self + y`.
    pub fn axpy(&self, alpha: f64, y: &Self) -> Result<Self> {
        if !alpha.is_finite() {
            return Err(Error::NonFinite(format!("axpy: alpha = {alpha}")));
        }
        let mut ax = self.clone();
        ax.scale(alpha);
        ax.add(y)
    }

    /// Multiplies the tensor by `alpha` (the centre core, keeping the
    /// orthogonality of the others).
    pub fn scale(&mut self, alpha: f64) {
        let k = self.center.unwrap_or(0);
        self.cores[k].scale(alpha);
    }

    /// A scaled copy.
    pub fn scaled(&self, alpha: f64) -> Self {
        let mut y = self.clone();
        y.scale(alpha);
        y
    }

    /// The inner product `<self, other>`: `O(d n r^3)` with two GEMMs per core.
    pub fn dot(&self, other: &Self) -> Result<f64> {
        self.check_same_modes(other, "dot")?;
        let mut e = nalgebra::DMatrix::from_element(1, 1, 1.0);
        for (x, y) in self.cores.iter().zip(&other.cores) {
            // w = e * right(y): (rx_l, n, ry_r); then e = left(x)^T w.
            let w = matmul(e.as_view(), Transpose::No, y.right(), Transpose::No);
            let wl = view(w.as_slice(), x.r_left() * x.n(), y.r_right());
            e = matmul(x.left(), Transpose::Yes, wl, Transpose::No);
        }
        Ok(e[(0, 0)])
    }

    /// The element-wise (Hadamard) product, ranks `r_x r_y`.
    pub fn hadamard(&self, other: &Self) -> Result<Self> {
        self.check_same_modes(other, "hadamard")?;
        let cores = self
            .cores
            .iter()
            .zip(&other.cores)
            .map(|(x, y)| {
                let (xl, n, xr) = x.shape();
                let (yl, _, yr) = y.shape();
                let mut c = Core::zeros(xl * yl, n, xr * yr);
                for (bx, by) in (0..xr).flat_map(|b| (0..yr).map(move |c| (b, c))) {
                    for i in 0..n {
                        for ay in 0..yl {
                            let yv = y.get(ay, i, by);
                            for ax in 0..xl {
                                *c.get_mut(ax + xl * ay, i, bx + xr * by) = x.get(ax, i, bx) * yv;
                            }
                        }
                    }
                }
                c
            })
            .collect();
        Ok(Self::from_cores_unchecked(cores))
    }

    /// `sum_i x(i) w_1(i_1) ... w_d(i_d)`: contraction with a rank-1 weight,
    /// `O(d n r^2)`.
    pub fn contract(&self, weights: &[Vec<f64>]) -> Result<f64> {
        if weights.len() != self.len() {
            return Err(Error::shape(format!(
                "contract: {} weight vectors for {} modes",
                weights.len(),
                self.len()
            )));
        }
        let mut v = vec![1.0];
        for (k, (c, w)) in self.cores.iter().zip(weights).enumerate() {
            let (rl, n, rr) = c.shape();
            if w.len() != n {
                return Err(Error::shape(format!(
                    "contract: weight {k} has {} entries, mode {k} has size {n}",
                    w.len()
                )));
            }
            check_finite(&format!("weight {k}"), w)?;
            let mut next = vec![0.0; rr];
            for (b, out) in next.iter_mut().enumerate() {
                for (i, wi) in w.iter().enumerate() {
                    let col = &c.data()[rl * (i + n * b)..rl * (i + n * b + 1)];
                    *out += wi * col.iter().zip(&v).map(|(g, x)| g * x).sum::<f64>();
                }
            }
            v = next;
        }
        Ok(v[0])
    }

    /// The sum of all entries.
    pub fn sum(&self) -> f64 {
        let ones: Vec<Vec<f64>> = self.modes().iter().map(|&n| vec![1.0; n]).collect();
        self.contract(&ones).expect("weights built from the modes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dense(x: &TensorTrain) -> Vec<f64> {
        x.to_dense().unwrap()
    }

    #[test]
    fn arithmetic_matches_dense() {
        let modes = [2, 3, 2, 4];
        let x = TensorTrain::random(&modes, 3, 1).unwrap();
        let y = TensorTrain::random(&modes, 2, 2).unwrap();
        let (dx, dy) = (dense(&x), dense(&y));
        let check = |t: &TensorTrain, f: &dyn Fn(f64, f64) -> f64| {
            for ((a, b), c) in dx.iter().zip(&dy).zip(dense(t)) {
                assert!((f(*a, *b) - c).abs() < 1e-12);
            }
        };
        check(&x.add(&y).unwrap(), &|a, b| a + b);
        check(&x.sub(&y).unwrap(), &|a, b| a - b);
        check(&x.axpy(2.5, &y).unwrap(), &|a, b| 2.5 * a + b);
        check(&x.hadamard(&y).unwrap(), &|a, b| a * b);
        check(&x.scaled(-3.0), &|a, _| -3.0 * a);
        let want: f64 = dx.iter().zip(&dy).map(|(a, b)| a * b).sum();
        assert!((x.dot(&y).unwrap() - want).abs() < 1e-12 * want.abs().max(1.0));
        assert!((x.sum() - dx.iter().sum::<f64>()).abs() < 1e-12);
        let w: Vec<Vec<f64>> = modes
            .iter()
            .map(|&n| (0..n).map(|i| i as f64 + 0.5).collect())
            .collect();
        let mut want = 0.0;
        for (lin, v) in dx.iter().enumerate() {
            let (mut rem, mut p) = (lin, 1.0);
            for (k, &n) in modes.iter().enumerate() {
                p *= w[k][rem % n];
                rem /= n;
            }
            want += v * p;
        }
        assert!((x.contract(&w).unwrap() - want).abs() < 1e-12 * want.abs().max(1.0));
    }

    #[test]
    fn single_core_and_errors() {
        let x = TensorTrain::product(&[vec![1.0, 2.0]]).unwrap();
        let s = x.add(&x).unwrap();
        assert_eq!(s.to_dense().unwrap(), vec![2.0, 4.0]);
        let y = TensorTrain::ones(&[3]).unwrap();
        assert!(x.add(&y).is_err());
        assert!(x.dot(&y).is_err());
        assert!(x.contract(&[vec![1.0]]).is_err());
        assert!(x.contract(&[]).is_err());
        assert!(x.axpy(f64::NAN, &x).is_err());
    }
}
