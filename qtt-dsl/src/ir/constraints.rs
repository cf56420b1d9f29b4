//! Linear constraints over binary variables: `lo <= A x <= hi`, the IR that
//! the `constraints!` macro lowers to and that the runtime builds from data.

use crate::qregion::ConstraintError;

/// One row `lo <= a . x <= hi` (either bound may be absent; `lo = hi` is an
/// equality).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LinearConstraint {
    /// One integer coefficient per variable.
    pub coeffs: Vec<i64>,
    /// Lower bound (`None`: unbounded below).
    pub lo: Option<i64>,
    /// Upper bound (`None`: unbounded above).
    pub hi: Option<i64>,
    /// How the user wrote it (shown in error messages).
    pub label: String,
}

impl LinearConstraint {
    /// `a . x` for a binary configuration `x` (entries 0 or 1), exact: in
    /// `i128`, which no sum of fewer than 2^64 `i64` values leaves.
    pub fn activity(&self, x: &[u8]) -> i128 {
        self.coeffs
            .iter()
            .zip(x)
            .filter(|(_, &b)| b != 0)
            .map(|(&a, _)| a as i128)
            .sum()
    }

    /// Whether `x` satisfies this row.
    pub fn is_satisfied(&self, x: &[u8]) -> bool {
        let v = self.activity(x);
        self.lo.is_none_or(|lo| v >= lo as i128) && self.hi.is_none_or(|hi| v <= hi as i128)
    }
}

/// A system of linear constraints over `n` binary variables.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LinearSystem {
    /// Variable names in site order (`x[0]`, `x[1]`, ...).
    pub var_names: Vec<String>,
    /// The constraint rows.
    pub rows: Vec<LinearConstraint>,
}

/// Largest total absolute coefficient of one row: keeps every partial sum,
/// shifted box and bound comfortably inside `i64`.
pub const MAX_ROW_MAGNITUDE: i128 = (i64::MAX / 4) as i128;

impl LinearSystem {
    /// An empty system over `n` variables named `x[0] .. x[n-1]`.
    pub fn new(n: usize) -> Self {
        Self::with_names((0..n).map(|i| format!("x[{i}]")).collect())
    }

    /// An empty system over the named variables.
    pub fn with_names(var_names: Vec<String>) -> Self {
        Self {
            var_names,
            rows: Vec::new(),
        }
    }

    /// Number of variables (sites).
    pub fn num_vars(&self) -> usize {
        self.var_names.len()
    }

    /// Number of constraint rows (the dimension `m` of the charge lattice).
    pub fn num_rows(&self) -> usize {
        self.rows.len()
    }

    /// Adds the row `lo <= coeffs . x <= hi`; the label defaults to the
    /// written-out row.
    pub fn add(
        &mut self,
        coeffs: Vec<i64>,
        lo: Option<i64>,
        hi: Option<i64>,
        label: Option<String>,
    ) -> Result<&mut Self, ConstraintError> {
        let row = self.rows.len();
        if coeffs.len() != self.num_vars() {
            return Err(ConstraintError::Invalid(format!(
                "constraint {} has {} coefficients, expected one per variable ({})",
                row + 1,
                coeffs.len(),
                self.num_vars()
            )));
        }
        let label = label.unwrap_or_else(|| self.describe(&coeffs, lo, hi));
        let c = LinearConstraint {
            coeffs,
            lo,
            hi,
            label,
        };
        self.rows.push(c);
        Ok(self)
    }

    /// Adds `coeffs . x <= hi`.
    pub fn le(&mut self, coeffs: Vec<i64>, hi: i64) -> Result<&mut Self, ConstraintError> {
        self.add(coeffs, None, Some(hi), None)
    }

    /// Adds `coeffs . x >= lo`.
    pub fn ge(&mut self, coeffs: Vec<i64>, lo: i64) -> Result<&mut Self, ConstraintError> {
        self.add(coeffs, Some(lo), None, None)
    }

    /// Adds `coeffs . x == b`.
    pub fn equal(&mut self, coeffs: Vec<i64>, b: i64) -> Result<&mut Self, ConstraintError> {
        self.add(coeffs, Some(b), Some(b), None)
    }

    /// Whether `x` (one 0/1 entry per variable) satisfies every row.
    pub fn is_feasible(&self, x: &[u8]) -> bool {
        x.len() == self.num_vars() && self.rows.iter().all(|r| r.is_satisfied(x))
    }

    /// Checks shapes, bound order and magnitudes; names the offending row.
    pub fn validate(&self) -> Result<(), ConstraintError> {
        for (k, r) in self.rows.iter().enumerate() {
            if r.coeffs.len() != self.num_vars() {
                return Err(ConstraintError::Invalid(format!(
                    "constraint {} (`{}`) has {} coefficients, expected {}",
                    k + 1,
                    r.label,
                    r.coeffs.len(),
                    self.num_vars()
                )));
            }
            if let (Some(lo), Some(hi)) = (r.lo, r.hi) {
                if lo > hi {
                    return Err(ConstraintError::Infeasible {
                        constraint: k,
                        label: r.label.clone(),
                        reason: format!("its lower bound {lo} exceeds its upper bound {hi}"),
                    });
                }
            }
            let mag: i128 = r.coeffs.iter().map(|a| (*a as i128).abs()).sum::<i128>()
                + r.lo.map_or(0, |v| (v as i128).abs())
                + r.hi.map_or(0, |v| (v as i128).abs());
            if mag > MAX_ROW_MAGNITUDE {
                return Err(ConstraintError::Invalid(format!(
                    "constraint {} (`{}`): coefficients and bounds sum to {mag} in absolute \
                     value, above the supported {MAX_ROW_MAGNITUDE}",
                    k + 1,
                    r.label
                )));
            }
        }
        Ok(())
    }

    /// The same system with the variable order reversed (used for the
    /// automaton with its flux at the first site).
    pub fn reversed(&self) -> Self {
        let mut names = self.var_names.clone();
        names.reverse();
        let rows = self
            .rows
            .iter()
            .map(|r| {
                let mut c = r.coeffs.clone();
                c.reverse();
                LinearConstraint {
                    coeffs: c,
                    ..r.clone()
                }
            })
            .collect();
        Self {
            var_names: names,
            rows,
        }
    }

    /// The system restricted to its first `k` rows.
    pub fn prefix(&self, k: usize) -> Self {
        Self {
            var_names: self.var_names.clone(),
            rows: self.rows[..k.min(self.rows.len())].to_vec(),
        }
    }

    fn describe(&self, coeffs: &[i64], lo: Option<i64>, hi: Option<i64>) -> String {
        let mut s = String::new();
        for (a, name) in coeffs.iter().zip(&self.var_names) {
            if *a == 0 {
                continue;
            }
            let sign = if *a < 0 { "-" } else { "+" };
            if s.is_empty() {
                if *a < 0 {
                    s.push('-');
                }
            } else {
                s.push_str(&format!(" {sign} "));
            }
            if a.abs() != 1 {
                s.push_str(&format!("{}*", a.abs()));
            }
            s.push_str(name);
        }
        if s.is_empty() {
            s.push('0');
        }
        match (lo, hi) {
            (Some(l), Some(h)) if l == h => format!("{s} == {l}"),
            (Some(l), Some(h)) => format!("{l} <= {s} <= {h}"),
            (Some(l), None) => format!("{s} >= {l}"),
            (None, Some(h)) => format!("{s} <= {h}"),
            (None, None) => format!("{s} (unbounded)"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_read_like_the_source() {
        let mut s = LinearSystem::new(3);
        s.add(vec![2, -1, 0], Some(1), None, None).unwrap();
        s.le(vec![1, 1, 1], 2).unwrap();
        assert_eq!(s.rows[0].label, "2*x[0] - x[1] >= 1");
        assert_eq!(s.rows[1].label, "x[0] + x[1] + x[2] <= 2");
        assert!(s.is_feasible(&[1, 0, 1]));
        assert!(!s.is_feasible(&[1, 1, 1]));
        assert!(s.add(vec![1], None, None, None).is_err());
        // sums past i64 are compared exactly, not wrapped
        let mut big = LinearSystem::new(2);
        big.le(vec![i64::MAX, i64::MAX], 0).unwrap();
        assert!(!big.is_feasible(&[1, 1]));
        assert!(big.is_feasible(&[0, 0]));
    }
}
