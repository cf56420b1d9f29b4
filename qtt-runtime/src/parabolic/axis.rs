//! The discretisation of one axis: mapped Chebyshev–Lobatto collocation on
//! `[-L, L]` with reflecting (Neumann) walls.
//!
//! Why Chebyshev collocation and not finite differences: the solutions of
//! the HJB equations this module targets are analytic in a strip about the
//! real axis (the terminal cost `ln((1 + |x|^2) / 2)` has its nearest
//! complex singularity at distance `sqrt(1 + |x_rest|^2) >= 1`), so a
//! spectral method converges geometrically in the number of points, while
//! an order-`p` difference scheme gains only `h^p`. In a tensor train the
//! cost of a core grows linearly (cross, rounding) or quadratically (the
//! dense per-axis propagator) in the number of points, so accuracy per
//! point is what pays. Plain Chebyshev points crowd at the walls, where
//! nothing of interest happens; the Kosloff–Tal-Ezer map
//! `x = L asin(alpha xi) / asin(alpha)` spreads them towards a uniform grid
//! (`alpha -> 1`) at the price of a slower geometric rate, and the default
//! `alpha` balances the two (see [`ChebyshevAxis::default_map`]).
//!
//! The walls reflect: the flux `du/dx` is set to zero in the boundary rows
//! of the derivative, and the second derivative is `D Z D` with `Z`
//! zeroing the boundary fluxes, which conserves mass and keeps constants
//! exact. The true solution on `R^d` does not satisfy this condition; the
//! error it causes decays like a Gaussian tail away from the walls and is
//! measured by solving on two domains (see `domain_error` in the solver).

use crate::error::{check_nonneg, Error, Result};
use nalgebra::DMatrix;

/// One axis: `n` mapped Chebyshev–Lobatto nodes on `[-L, L]`, increasing,
/// with the collocation first derivative (zero flux at the walls), the
/// reflecting second derivative, quadrature weights and point evaluation.
#[derive(Debug, Clone, PartialEq)]
pub struct ChebyshevAxis {
    half_width: f64,
    alpha: f64,
    xi: Vec<f64>,
    nodes: Vec<f64>,
    bary: Vec<f64>,
    d1: DMatrix<f64>,
    d2: DMatrix<f64>,
}

impl ChebyshevAxis {
    /// The Kosloff–Tal-Ezer parameter `alpha = sech(|ln eps| / (n - 1))`
    /// with `eps = 1e-12`: the map keeps a geometric rate that reaches
    /// about `eps` at `n` points for entire functions while widening the
    /// central spacing towards `2 L / (n - 1)`.
    pub fn default_map(n: usize) -> f64 {
        if n < 3 {
            return 0.0;
        }
        let t = (1e-12f64).ln().abs() / (n - 1) as f64;
        1.0 / t.cosh()
    }

    /// `n >= 2` nodes on `[-half_width, half_width]` with the default map.
    pub fn new(half_width: f64, n: usize) -> Result<Self> {
        Self::with_map(half_width, n, Self::default_map(n))
    }

    /// `n >= 2` nodes with map parameter `alpha` in `[0, 1)` (`0`: plain
    /// Chebyshev points).
    pub fn with_map(half_width: f64, n: usize, alpha: f64) -> Result<Self> {
        check_nonneg("half-width", half_width)?;
        if half_width == 0.0 {
            return Err(Error::invalid("half-width = 0, expected a number > 0"));
        }
        if n < 2 {
            return Err(Error::invalid(format!(
                "{n} grid points per axis, expected at least 2"
            )));
        }
        check_nonneg("map parameter alpha", alpha)?;
        if alpha >= 1.0 {
            return Err(Error::invalid(format!(
                "map parameter alpha = {alpha}, expected a number in [0, 1)"
            )));
        }
        let m = (n - 1) as f64;
        let xi: Vec<f64> = (0..n)
            .map(|j| -(std::f64::consts::PI * j as f64 / m).cos())
            .collect();
        let bary: Vec<f64> = (0..n)
            .map(|j| {
                let s = if j % 2 == 0 { 1.0 } else { -1.0 };
                if j == 0 || j == n - 1 {
                    0.5 * s
                } else {
                    s
                }
            })
            .collect();
        let mut dxi = DMatrix::zeros(n, n);
        for i in 0..n {
            let mut diag = 0.0;
            for j in 0..n {
                if i != j {
                    let v = bary[j] / bary[i] / (xi[i] - xi[j]);
                    dxi[(i, j)] = v;
                    diag -= v;
                }
            }
            dxi[(i, i)] = diag;
        }
        let mut axis = Self {
            half_width,
            alpha,
            xi: xi.clone(),
            nodes: Vec::new(),
            bary,
            d1: dxi,
            d2: DMatrix::zeros(0, 0),
        };
        axis.nodes = xi.iter().map(|&s| axis.map(s)).collect();
        // d/dx = (dxi/dx) d/dxi; the flux is zero in the wall rows.
        for (i, &s) in xi.iter().enumerate() {
            let scale = axis.dxi_dx(s);
            axis.d1.row_mut(i).scale_mut(scale);
        }
        let mut flux = axis.d1.clone();
        flux.row_mut(0).fill(0.0);
        flux.row_mut(n - 1).fill(0.0);
        axis.d2 = &axis.d1 * &flux;
        axis.d1 = flux;
        Ok(axis)
    }

    fn map(&self, xi: f64) -> f64 {
        if self.alpha == 0.0 {
            self.half_width * xi
        } else {
            self.half_width * (self.alpha * xi).asin() / self.alpha.asin()
        }
    }

    fn inverse_map(&self, x: f64) -> f64 {
        let t = x / self.half_width;
        if self.alpha == 0.0 {
            t
        } else {
            (t * self.alpha.asin()).sin() / self.alpha
        }
    }

    fn dxi_dx(&self, xi: f64) -> f64 {
        if self.alpha == 0.0 {
            1.0 / self.half_width
        } else {
            let a = self.alpha;
            a.asin() * (1.0 - a * a * xi * xi).sqrt() / (self.half_width * a)
        }
    }

    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }
    /// Always false (at least two nodes).
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }
    /// The half-width `L` of `[-L, L]`.
    pub fn half_width(&self) -> f64 {
        self.half_width
    }
    /// The map parameter `alpha`.
    pub fn alpha(&self) -> f64 {
        self.alpha
    }
    /// The nodes, increasing from `-L` to `L`.
    pub fn nodes(&self) -> &[f64] {
        &self.nodes
    }
    /// The first-derivative collocation matrix, with zero rows at the walls.
    pub fn derivative(&self) -> &DMatrix<f64> {
        &self.d1
    }
    /// The reflecting second derivative `D Z D` (`Z` drops the wall fluxes).
    pub fn second_derivative(&self) -> &DMatrix<f64> {
        &self.d2
    }

    /// Clenshaw–Curtis weights mapped to `x`: `sum_j w_j f(x_j)` integrates
    /// `f` over `[-L, L]`.
    pub fn quadrature_weights(&self) -> Vec<f64> {
        let n = self.len();
        let m = n - 1;
        let pi = std::f64::consts::PI;
        (0..n)
            .map(|j| {
                let theta = pi * j as f64 / m as f64;
                let mut s = 0.0;
                for k in 0..=m / 2 {
                    let b = if k == 0 || 2 * k == m { 1.0 } else { 2.0 };
                    s += b / (1.0 - 4.0 * (k * k) as f64) * (2.0 * k as f64 * theta).cos();
                }
                let c = if j == 0 || j == m { 1.0 } else { 2.0 };
                c / m as f64 * s / self.dxi_dx(self.xi[j])
            })
            .collect()
    }

    /// The barycentric interpolation weights at `x`: `f(x) ~ sum_j l_j f(x_j)`.
    pub fn interpolation_weights(&self, x: f64) -> Result<Vec<f64>> {
        if !x.is_finite() {
            return Err(Error::NonFinite(format!(
                "x = {x}, expected a finite coordinate"
            )));
        }
        let tol = 1e-12 * self.half_width;
        if x.abs() > self.half_width + tol {
            return Err(Error::invalid(format!(
                "x = {x} lies outside the domain [-{L}, {L}]",
                L = self.half_width
            )));
        }
        let s = self.inverse_map(x.clamp(-self.half_width, self.half_width));
        let n = self.len();
        if let Some(j) = self.xi.iter().position(|&t| (t - s).abs() < 1e-15) {
            let mut w = vec![0.0; n];
            w[j] = 1.0;
            return Ok(w);
        }
        let mut w: Vec<f64> = (0..n).map(|j| self.bary[j] / (s - self.xi[j])).collect();
        let total: f64 = w.iter().sum();
        w.iter_mut().for_each(|v| *v /= total);
        Ok(w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derivatives_and_quadrature_are_spectral() {
        for alpha in [0.0, ChebyshevAxis::default_map(40)] {
            let a = ChebyshevAxis::with_map(3.0, 40, alpha).unwrap();
            let f: Vec<f64> = a.nodes().iter().map(|x| (0.7 * x).sin()).collect();
            let df = a.derivative() * nalgebra::DVector::from_vec(f.clone());
            for i in 1..39 {
                let want = 0.7 * (0.7 * a.nodes()[i]).cos();
                assert!((df[i] - want).abs() < 1e-9, "{alpha} {i} {}", df[i] - want);
            }
            let w = a.quadrature_weights();
            let integral: f64 = w.iter().zip(a.nodes()).map(|(w, x)| w * x.cos()).sum();
            assert!((integral - 2.0 * 3.0f64.sin()).abs() < 1e-9, "{integral}");
            let l = a.interpolation_weights(0.123).unwrap();
            let v: f64 = l.iter().zip(&f).map(|(l, f)| l * f).sum();
            assert!((v - (0.7f64 * 0.123).sin()).abs() < 1e-10);
        }
    }

    #[test]
    fn reflecting_second_derivative_is_dissipative() {
        let a = ChebyshevAxis::new(5.0, 30).unwrap();
        let d2 = a.second_derivative();
        // Constants are exact, and d2 is similar to a negative semidefinite
        // matrix: its eigenvalues are real and <= 0.
        let ones = nalgebra::DVector::from_element(30, 1.0);
        assert!((d2 * ones).amax() < 1e-10);
        let eig = d2.complex_eigenvalues();
        for e in eig.iter() {
            assert!(e.re < 1e-8 * d2.amax(), "{e}");
            assert!(e.im.abs() < 1e-6 * d2.amax(), "{e}");
        }
    }

    #[test]
    fn rejects_bad_axes() {
        assert!(ChebyshevAxis::new(0.0, 10).is_err());
        assert!(ChebyshevAxis::new(f64::NAN, 10).is_err());
        assert!(ChebyshevAxis::new(1.0, 1).is_err());
        assert!(ChebyshevAxis::with_map(1.0, 10, 1.0).is_err());
        let a = ChebyshevAxis::new(1.0, 10).unwrap();
        assert!(a.interpolation_weights(1.5).is_err());
        assert!(a.interpolation_weights(f64::INFINITY).is_err());
    }
}
