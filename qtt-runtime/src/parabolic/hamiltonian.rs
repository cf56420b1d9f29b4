//! The Hamiltonian `H(u, q)` of `u_t + sum_i sigma_i u_{x_i x_i} + H(u, q) = 0`,
//! a function of the value and the weighted squared gradient
//! `q = sum_i a_i (du/dx_i)^2`.

use crate::error::{check_nonneg, Result};
use std::sync::Arc;

/// The nonlinearity of a parabolic HJB equation, evaluated point by point.
#[derive(Clone)]
pub enum Hamiltonian {
    /// `H = -lambda q` (Han, Jentzen and E's control problem: the running
    /// cost `|a|^2 / (4 lambda)`'s Legendre transform).
    Quadratic {
        /// The coupling `lambda >= 0`.
        lambda: f64,
    },
    /// Any element-wise `H(u, q)`; it must return finite values.
    ElementWise(Arc<dyn Fn(f64, f64) -> f64 + Send + Sync>),
}

impl Hamiltonian {
    /// `-lambda q`; rejects negative or non-finite `lambda`.
    pub fn quadratic(lambda: f64) -> Result<Self> {
        check_nonneg("lambda", lambda)?;
        Ok(Self::Quadratic { lambda })
    }

    /// An element-wise `H(u, q)` from a closure.
    pub fn element_wise(f: impl Fn(f64, f64) -> f64 + Send + Sync + 'static) -> Self {
        Self::ElementWise(Arc::new(f))
    }

    /// `H(u, q)`.
    #[inline]
    pub fn eval(&self, u: f64, q: f64) -> f64 {
        match self {
            Self::Quadratic { lambda } => -lambda * q,
            Self::ElementWise(f) => f(u, q),
        }
    }

    /// Checks the parameters of a hand-built value.
    pub fn validate(&self) -> Result<()> {
        if let Self::Quadratic { lambda } = self {
            check_nonneg("lambda", *lambda)?;
        }
        Ok(())
    }
}

impl std::fmt::Debug for Hamiltonian {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Quadratic { lambda } => write!(f, "Quadratic {{ lambda: {lambda} }}"),
            Self::ElementWise(_) => write!(f, "ElementWise(<closure>)"),
        }
    }
}
