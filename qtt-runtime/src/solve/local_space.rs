//! Local Hilbert spaces: the dimension of a site and its named operators
//! (spin `s` with `Sx, Sy, Sz, S+, S-`, or user-given matrices), the
//! vocabulary an [`OpSum`](super::OpSum) is written in.
//!
//! Spin `Sy = (S+ - S-) / 2i` is imaginary, so every named operator is
//! stored as a complex combination of real matrices; the operator sum
//! decides whether a product of them is real.

use crate::error::{check_finite, Error, Result};
use nalgebra::DMatrix;
use num_complex::Complex64;
use qtt_dsl::ir::opsum::SpaceIr;

/// A named local operator as a complex combination of real matrices.
pub(crate) type Expansion = Vec<(Complex64, DMatrix<f64>)>;

/// The local Hilbert space of every site with its named operators.
#[derive(Debug, Clone)]
pub struct LocalSpace {
    dim: usize,
    name: String,
    ops: Vec<(String, Expansion)>,
}

/// The spin matrices `(Sz, S+)` for spin `twice_s / 2`, basis `m = s, ..., -s`.
fn spin_matrices(twice_s: u32) -> (DMatrix<f64>, DMatrix<f64>) {
    let n = twice_s as usize + 1;
    let s = twice_s as f64 / 2.0;
    let m = |k: usize| s - k as f64;
    let sz = DMatrix::from_fn(n, n, |i, j| if i == j { m(i) } else { 0.0 });
    // S+ |m> = sqrt(s(s+1) - m(m+1)) |m+1>; |m+1> is the basis vector before |m>.
    let sp = DMatrix::from_fn(n, n, |i, j| {
        if j == i + 1 {
            (s * (s + 1.0) - m(j) * (m(j) + 1.0)).sqrt()
        } else {
            0.0
        }
    });
    (sz, sp)
}

impl LocalSpace {
    /// Spin `twice_s / 2` (`twice_s = 1`: spin-1/2, `2`: spin-1 with
    /// `Sz = diag(1, 0, -1)`), with `Id, Sx, Sy, Sz, Sp, Sm`.
    pub fn spin(twice_s: u32) -> Result<Self> {
        if twice_s == 0 {
            return Err(Error::invalid(
                "spin 0 has a one-dimensional space and no spin operators; expected twice_s >= 1",
            ));
        }
        let (sz, sp) = spin_matrices(twice_s);
        let sm = sp.transpose();
        let n = sz.nrows();
        let one = Complex64::new(1.0, 0.0);
        let half = Complex64::new(0.5, 0.0);
        let minus_i_half = Complex64::new(0.0, -0.5);
        let ops = vec![
            ("Id".to_string(), vec![(one, DMatrix::identity(n, n))]),
            (
                "Sx".to_string(),
                vec![(half, sp.clone()), (half, sm.clone())],
            ),
            (
                "Sy".to_string(),
                vec![(minus_i_half, sp.clone()), (-minus_i_half, sm.clone())],
            ),
            ("Sz".to_string(), vec![(one, sz)]),
            ("Sp".to_string(), vec![(one, sp)]),
            ("Sm".to_string(), vec![(one, sm)]),
        ];
        let name = SpaceIr::Spin { twice_s }.describe();
        Ok(Self { dim: n, name, ops })
    }

    /// A space of dimension `dim` with user-given real dense operators
    /// (each `dim x dim`, finite); `Id` is added unless given.
    pub fn custom(dim: usize, ops: Vec<(String, DMatrix<f64>)>) -> Result<Self> {
        if dim == 0 {
            return Err(Error::invalid("local dimension 0, expected >= 1"));
        }
        let mut out = Vec::with_capacity(ops.len() + 1);
        for (name, m) in ops {
            if m.nrows() != dim || m.ncols() != dim {
                return Err(Error::shape(format!(
                    "operator {name} is {}x{}, the local space has dimension {dim}",
                    m.nrows(),
                    m.ncols()
                )));
            }
            check_finite(&format!("operator {name}"), m.as_slice())?;
            if out.iter().any(|(n, _): &(String, Expansion)| *n == name) {
                return Err(Error::invalid(format!("operator {name} is given twice")));
            }
            out.push((name, vec![(Complex64::new(1.0, 0.0), m)]));
        }
        if !out.iter().any(|(n, _)| n == "Id") {
            out.push((
                "Id".to_string(),
                vec![(Complex64::new(1.0, 0.0), DMatrix::identity(dim, dim))],
            ));
        }
        Ok(Self {
            dim,
            name: format!("custom({dim})"),
            ops: out,
        })
    }

    /// The runtime space of an IR space.
    pub fn from_ir(space: &SpaceIr) -> Result<Self> {
        match space {
            SpaceIr::Spin { twice_s } => Self::spin(*twice_s),
        }
    }

    /// The local dimension.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// The operator names this space knows.
    pub fn operator_names(&self) -> Vec<&str> {
        self.ops.iter().map(|(n, _)| n.as_str()).collect()
    }

    /// The dense matrix of a real operator; an error for unknown names and
    /// for operators with an imaginary part (spin `Sy`).
    pub fn matrix(&self, name: &str) -> Result<DMatrix<f64>> {
        let mut m = DMatrix::zeros(self.dim, self.dim);
        for (c, part) in self.expansion(name)? {
            if c.im != 0.0 {
                return Err(Error::invalid(format!(
                    "operator {name} of {} is not real",
                    self.name
                )));
            }
            m += part * c.re;
        }
        Ok(m)
    }

    /// The named operator as a complex combination of real matrices.
    pub(crate) fn expansion(&self, name: &str) -> Result<&Expansion> {
        self.ops
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, e)| e)
            .ok_or_else(|| {
                Error::invalid(format!(
                    "unknown operator {name} for {}, expected one of {}",
                    self.name,
                    self.operator_names().join(", ")
                ))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spin_one_matrices_are_standard() {
        let s = LocalSpace::spin(2).unwrap();
        let sz = s.matrix("Sz").unwrap();
        assert_eq!(
            sz,
            DMatrix::from_diagonal(&nalgebra::DVector::from_vec(vec![1.0, 0.0, -1.0]))
        );
        let sx = s.matrix("Sx").unwrap();
        let r = std::f64::consts::FRAC_1_SQRT_2;
        assert!((sx[(0, 1)] - r).abs() < 1e-15 && (sx[(1, 2)] - r).abs() < 1e-15);
        // S^2 = s(s+1) = 2 with Sy Sy = -(S+ - S-)^2 / 4.
        let sp = s.matrix("Sp").unwrap();
        let sm = s.matrix("Sm").unwrap();
        let sysy = -(&sp - &sm) * (&sp - &sm) / 4.0;
        let s2 = &sx * &sx + sysy + &sz * &sz;
        assert!((s2 - DMatrix::identity(3, 3) * 2.0).norm() < 1e-14);
        assert!(s.matrix("Sy").is_err());
        assert!(s.matrix("Sq").is_err());
    }
}
