//! Equilibrium sweeps: the clearing interest rate `r*` of Huggett's economy
//! as one parameter varies (the borrowing limit, or income risk), one
//! independent steady-state solve per value, so that the values can be
//! spread over ranks ([`crate::distributed::sweep`]).

use super::{EquilibriumOptions, HuggettParams, SolveOptions};
use crate::{Error, Result};

/// The parameter of [`HuggettParams`] a sweep varies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HuggettAxis {
    /// The borrowing limit `amin` (negative: how much households may borrow).
    BorrowingLimit,
    /// Income risk: `z = (m - s, m + s)` around the base mean `m`, with spread `s`.
    IncomeRisk,
}

impl HuggettAxis {
    /// Reads `amin` or `risk`.
    pub fn parse(name: &str) -> Result<Self> {
        match name {
            "amin" => Ok(Self::BorrowingLimit),
            "risk" => Ok(Self::IncomeRisk),
            other => Err(Error::invalid(format!(
                "sweep axis `{other}`, expected `amin` (borrowing limit) or `risk` (income spread)"
            ))),
        }
    }

    /// The axis's name as [`HuggettAxis::parse`] reads it.
    pub fn name(self) -> &'static str {
        match self {
            Self::BorrowingLimit => "amin",
            Self::IncomeRisk => "risk",
        }
    }

    /// The range a sweep covers unless told otherwise (`r*` stays inside
    /// [`sweep_base`]'s bracket along it).
    pub fn default_range(self) -> (f64, f64) {
        match self {
            Self::BorrowingLimit => (-0.3, -0.1),
            Self::IncomeRisk => (0.02, 0.06),
        }
    }

    /// `base` with this parameter set to `value`.
    pub fn set(self, base: &HuggettParams, value: f64) -> Result<HuggettParams> {
        let mut p = base.clone();
        match self {
            Self::BorrowingLimit => {
                if !(value.is_finite() && value < p.amax) {
                    return Err(Error::invalid(format!(
                        "borrowing limit {value} must be finite and below amax = {}",
                        p.amax
                    )));
                }
                p.amin = value;
            }
            Self::IncomeRisk => {
                if p.z.len() != 2 {
                    return Err(Error::invalid(format!(
                        "income risk needs two income states, the base has {}",
                        p.z.len()
                    )));
                }
                let m = (p.z[0] + p.z[1]) / 2.0;
                if !(value.is_finite() && value > 0.0 && value < m) {
                    return Err(Error::invalid(format!(
                        "income spread {value} must lie in (0, {m}) so that income stays positive"
                    )));
                }
                p.z = vec![m - value, m + value];
            }
        }
        Ok(p)
    }
}

/// Huggett's default economy with the interest-rate bracket widened to
/// `(-0.02, 0.049)`, so that tight limits and high risk (`r*` near 0) stay bracketed.
pub fn sweep_base() -> HuggettParams {
    HuggettParams {
        r_bracket: (-0.02, 0.049),
        ..HuggettParams::default()
    }
}

/// `[r*, evaluations]` of `params` on `points` wealth points.
pub fn huggett_r_star(
    params: &HuggettParams,
    points: u64,
    opts: &SolveOptions,
) -> Result<Vec<f64>> {
    let eq = params
        .model(points)?
        .steady_state(opts, &EquilibriumOptions::default())?;
    Ok(vec![eq.price, eq.evaluations.len() as f64])
}

/// `count` evenly spaced values from `from` to `to` (both included).
pub fn grid(from: f64, to: f64, count: usize) -> Result<Vec<f64>> {
    if count == 0 || !(from.is_finite() && to.is_finite()) {
        return Err(Error::invalid(format!(
            "a sweep grid from {from} to {to} with {count} values: expected finite ends and at least one value"
        )));
    }
    let step = if count == 1 {
        0.0
    } else {
        (to - from) / (count - 1) as f64
    };
    Ok((0..count).map(|i| from + step * i as f64).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_set_and_reject() {
        let base = HuggettParams::default();
        let p = HuggettAxis::IncomeRisk.set(&base, 0.02).unwrap();
        assert!((p.z[0] - 0.13).abs() < 1e-15 && (p.z[1] - 0.17).abs() < 1e-15);
        assert!(HuggettAxis::IncomeRisk.set(&base, 0.2).is_err());
        assert!(HuggettAxis::BorrowingLimit.set(&base, 6.0).is_err());
        assert!(HuggettAxis::parse("beta").is_err());
        assert_eq!(grid(0.0, 1.0, 3).unwrap(), vec![0.0, 0.5, 1.0]);
    }
}
