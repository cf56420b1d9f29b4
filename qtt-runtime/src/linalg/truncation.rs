//! The one truncation policy of qtt.

use crate::error::{check_nonneg, Error, Result};

/// How much of a spectrum to keep: a relative Frobenius tolerance, a maximum
/// rank, both, or neither (exact, up to numerical zeros).
///
/// It is always passed explicitly; there is no global default hidden in a
/// kernel. For a tensor train of `d` cores, rounding to `rel_tol = eps`
/// guarantees `||x - round(x)|| <= eps ||x||` (the per-bond budget is
/// `eps ||x|| / sqrt(d - 1)`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Truncation {
    /// Relative Frobenius tolerance (`None`: keep all nonzero directions).
    pub rel_tol: Option<f64>,
    /// Largest rank kept (`None`: unbounded).
    pub max_rank: Option<usize>,
}

impl Default for Truncation {
    fn default() -> Self {
        Self::exact()
    }
}

impl Truncation {
    /// Keep everything above the numerical noise floor.
    pub const fn exact() -> Self {
        Self {
            rel_tol: None,
            max_rank: None,
        }
    }

    /// A relative Frobenius tolerance; rejects negative and non-finite values.
    pub fn tol(eps: f64) -> Result<Self> {
        check_nonneg("tolerance", eps)?;
        Ok(Self {
            rel_tol: Some(eps),
            max_rank: None,
        })
    }

    /// At most `r` singular values per bond; rejects `r = 0`.
    pub fn rank(r: usize) -> Result<Self> {
        Self::exact().with_max_rank(r)
    }

    /// The same policy with a maximum rank added.
    pub fn with_max_rank(mut self, r: usize) -> Result<Self> {
        if r == 0 {
            return Err(Error::invalid("maximum rank = 0, expected at least 1"));
        }
        self.max_rank = Some(r);
        Ok(self)
    }

    /// Checks a policy built by hand (public fields).
    pub fn validate(&self) -> Result<()> {
        if let Some(eps) = self.rel_tol {
            check_nonneg("tolerance", eps)?;
        }
        if self.max_rank == Some(0) {
            return Err(Error::invalid("maximum rank = 0, expected at least 1"));
        }
        Ok(())
    }

    /// The number of singular values to keep so that the discarded squared
    /// weight stays within `budget_sq`, capped by `max_rank`, and returns it
    /// with the discarded squared weight. `s` is sorted in decreasing order.
    ///
    /// A squared weight up to `64 eps^2 sum s^2` (round-off level) may
    /// always be dropped, so an exact policy does not keep noise. At least
    /// one value is kept.
    pub fn cut(&self, s: &[f64], budget_sq: f64) -> (usize, f64) {
        if s.is_empty() {
            return (0, 0.0);
        }
        let total: f64 = s.iter().map(|v| v * v).sum();
        let noise = total * (64.0 * f64::EPSILON * f64::EPSILON);
        let budget = budget_sq.max(noise);
        // Drop from the tail while the discarded weight stays within budget.
        let mut keep = s.len();
        let mut discarded = 0.0;
        while keep > 1 {
            let w = s[keep - 1] * s[keep - 1];
            if discarded + w > budget {
                break;
            }
            discarded += w;
            keep -= 1;
        }
        if let Some(r) = self.max_rank {
            while keep > r {
                keep -= 1;
                discarded += s[keep] * s[keep];
            }
        }
        (keep, discarded)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_bad_policies() {
        assert!(Truncation::tol(-1e-3).is_err());
        assert!(Truncation::tol(f64::NAN).is_err());
        assert!(Truncation::rank(0).is_err());
        let hand = Truncation {
            rel_tol: Some(f64::INFINITY),
            max_rank: None,
        };
        assert!(hand.validate().is_err());
    }

    #[test]
    fn cut_respects_budget_and_rank() {
        let s = [3.0, 2.0, 1.0, 0.1, 0.01];
        let t = Truncation::exact();
        assert_eq!(t.cut(&s, 0.0).0, 5);
        let (k, w) = t.cut(&s, 0.0101 + 1e-12);
        assert_eq!(k, 3);
        assert!((w - 0.0101).abs() < 1e-15);
        let t = Truncation::rank(2).unwrap();
        let (k, w) = t.cut(&s, 0.0);
        assert_eq!(k, 2);
        assert!((w - (1.0 + 0.01 + 0.0001)).abs() < 1e-12);
    }

    #[test]
    fn cut_drops_roundoff_noise() {
        let s = [1.0, 1e-17];
        assert_eq!(Truncation::exact().cut(&s, 0.0).0, 1);
    }
}
