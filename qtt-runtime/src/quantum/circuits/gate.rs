//! Single-qubit gates, their 2x2 matrices and their adjoints.
//!
//! Rotation convention (the one of Qiskit and PennyLane):
//! `RX(t) = exp(-i t X / 2)`, `RY(t) = exp(-i t Y / 2)`, `RZ(t) = exp(-i t Z / 2)`,
//! `Phase(t) = diag(1, e^{i t})`. Seed 001's Figure 17 writes `R_Y(t) = exp(-i t Y)`;
//! its angles are halved with respect to ours.

use num_complex::Complex64 as C64;

/// A 2x2 complex matrix in row-major order `[m00, m01, m10, m11]`.
pub type Mat2 = [C64; 4];

/// The complex number `re + i im` (a const-friendly shorthand).
pub const fn c64(re: f64, im: f64) -> C64 {
    C64 { re, im }
}

/// A single-qubit gate; controls are attached by the circuit, not here.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Gate {
    /// Hadamard.
    H,
    /// Pauli X (NOT).
    X,
    /// Pauli Y.
    Y,
    /// Pauli Z.
    Z,
    /// `diag(1, i)`.
    S,
    /// `diag(1, -i)`.
    Sdg,
    /// `diag(1, e^{i pi/4})`.
    T,
    /// `diag(1, e^{-i pi/4})`.
    Tdg,
    /// `exp(-i t X / 2)`.
    Rx(f64),
    /// `exp(-i t Y / 2)`.
    Ry(f64),
    /// `exp(-i t Z / 2)`.
    Rz(f64),
    /// `diag(1, e^{i t})`.
    Phase(f64),
    /// Any 2x2 unitary, row-major.
    Unitary(Mat2),
}

/// How a gate's matrix is structured; the simulator picks its kernel from this.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GateClass {
    /// Only the diagonal is non-zero.
    Diagonal,
    /// Only the anti-diagonal is non-zero (X, Y and their multiples).
    AntiDiagonal,
    /// A dense 2x2 matrix.
    General,
}

impl Gate {
    /// The gate's 2x2 matrix, row-major.
    pub fn matrix(&self) -> Mat2 {
        let z = c64(0.0, 0.0);
        let o = c64(1.0, 0.0);
        let r = std::f64::consts::FRAC_1_SQRT_2;
        match *self {
            Gate::H => [c64(r, 0.0), c64(r, 0.0), c64(r, 0.0), c64(-r, 0.0)],
            Gate::X => [z, o, o, z],
            Gate::Y => [z, c64(0.0, -1.0), c64(0.0, 1.0), z],
            Gate::Z => [o, z, z, c64(-1.0, 0.0)],
            Gate::S => [o, z, z, c64(0.0, 1.0)],
            Gate::Sdg => [o, z, z, c64(0.0, -1.0)],
            Gate::T => [o, z, z, C64::from_polar(1.0, std::f64::consts::FRAC_PI_4)],
            Gate::Tdg => [o, z, z, C64::from_polar(1.0, -std::f64::consts::FRAC_PI_4)],
            Gate::Rx(t) => {
                let (s, c) = (t / 2.0).sin_cos();
                [c64(c, 0.0), c64(0.0, -s), c64(0.0, -s), c64(c, 0.0)]
            }
            Gate::Ry(t) => {
                let (s, c) = (t / 2.0).sin_cos();
                [c64(c, 0.0), c64(-s, 0.0), c64(s, 0.0), c64(c, 0.0)]
            }
            Gate::Rz(t) => [
                C64::from_polar(1.0, -t / 2.0),
                z,
                z,
                C64::from_polar(1.0, t / 2.0),
            ],
            Gate::Phase(t) => [o, z, z, C64::from_polar(1.0, t)],
            Gate::Unitary(m) => m,
        }
    }

    /// The adjoint (inverse) gate.
    pub fn adjoint(&self) -> Gate {
        match *self {
            Gate::S => Gate::Sdg,
            Gate::Sdg => Gate::S,
            Gate::T => Gate::Tdg,
            Gate::Tdg => Gate::T,
            Gate::Rx(t) => Gate::Rx(-t),
            Gate::Ry(t) => Gate::Ry(-t),
            Gate::Rz(t) => Gate::Rz(-t),
            Gate::Phase(t) => Gate::Phase(-t),
            Gate::Unitary(m) => Gate::Unitary(adjoint2(&m)),
            g => g, // H, X, Y, Z are self-inverse
        }
    }

    /// The lower-case name used in resource counts and OpenQASM (`h`, `rx`, `u`, ...).
    pub fn name(&self) -> &'static str {
        match self {
            Gate::H => "h",
            Gate::X => "x",
            Gate::Y => "y",
            Gate::Z => "z",
            Gate::S => "s",
            Gate::Sdg => "sdg",
            Gate::T => "t",
            Gate::Tdg => "tdg",
            Gate::Rx(_) => "rx",
            Gate::Ry(_) => "ry",
            Gate::Rz(_) => "rz",
            Gate::Phase(_) => "p",
            Gate::Unitary(_) => "u",
        }
    }

    /// The gate's rotation angle, if it has one.
    pub fn angle(&self) -> Option<f64> {
        match *self {
            Gate::Rx(t) | Gate::Ry(t) | Gate::Rz(t) | Gate::Phase(t) => Some(t),
            _ => None,
        }
    }

    /// The structure of the matrix (exact zeros decide).
    pub fn class(&self) -> GateClass {
        classify(&self.matrix())
    }
}

/// The structure of a 2x2 matrix: diagonal, anti-diagonal or general (exact zeros decide).
pub fn classify(m: &Mat2) -> GateClass {
    let zero = |z: C64| z.re == 0.0 && z.im == 0.0;
    if zero(m[1]) && zero(m[2]) {
        GateClass::Diagonal
    } else if zero(m[0]) && zero(m[3]) {
        GateClass::AntiDiagonal
    } else {
        GateClass::General
    }
}

/// The conjugate transpose of a 2x2 matrix.
pub fn adjoint2(m: &Mat2) -> Mat2 {
    [m[0].conj(), m[2].conj(), m[1].conj(), m[3].conj()]
}

/// The product `a * b` of two 2x2 matrices (apply `b` first).
pub fn mul2(a: &Mat2, b: &Mat2) -> Mat2 {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
    ]
}

/// The largest entry-wise deviation of `m^dagger m` from the identity.
pub fn unitarity_defect(m: &[C64], dim: usize) -> f64 {
    let mut worst = 0.0f64;
    for i in 0..dim {
        for j in 0..dim {
            let mut s = c64(0.0, 0.0);
            for k in 0..dim {
                s += m[k * dim + i].conj() * m[k * dim + j];
            }
            let target = if i == j { 1.0 } else { 0.0 };
            worst = worst.max((s - c64(target, 0.0)).norm());
        }
    }
    worst
}

/// ZYZ Euler angles: `m = e^{i alpha} RZ(beta) RY(gamma) RZ(delta)`, returned as
/// `(alpha, beta, gamma, delta)`. `m` must be unitary.
pub fn zyz_angles(m: &Mat2) -> (f64, f64, f64, f64) {
    let det = m[0] * m[3] - m[1] * m[2];
    let alpha = det.arg() / 2.0;
    let ph = C64::from_polar(1.0, -alpha);
    let v = [m[0] * ph, m[1] * ph, m[2] * ph, m[3] * ph];
    let gamma = 2.0 * v[2].norm().atan2(v[3].norm());
    let eps = 1e-14;
    let (sum, diff) = if v[3].norm() < eps {
        (0.0, 2.0 * v[2].arg())
    } else if v[2].norm() < eps {
        (2.0 * v[3].arg(), 0.0)
    } else {
        (2.0 * v[3].arg(), 2.0 * v[2].arg())
    };
    let beta = (sum + diff) / 2.0;
    let delta = (sum - diff) / 2.0;
    (alpha, beta, gamma, delta)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: &Mat2, b: &Mat2) -> bool {
        a.iter().zip(b).all(|(x, y)| (x - y).norm() < 1e-12)
    }

    #[test]
    fn rotations_follow_the_half_angle_convention() {
        // RY(pi) |0> = |1>, RX(pi) = -i X, RZ(t) RZ(-t) = I.
        let ry = Gate::Ry(std::f64::consts::PI).matrix();
        assert!((ry[2] - c64(1.0, 0.0)).norm() < 1e-15);
        let rx = Gate::Rx(std::f64::consts::PI).matrix();
        assert!(close(
            &rx,
            &[c64(0.0, 0.0), c64(0.0, -1.0), c64(0.0, -1.0), c64(0.0, 0.0)]
        ));
        let s2 = mul2(&Gate::S.matrix(), &Gate::S.matrix());
        assert!(close(&s2, &Gate::Z.matrix()));
        let t2 = mul2(&Gate::T.matrix(), &Gate::T.matrix());
        assert!(close(&t2, &Gate::S.matrix()));
    }

    #[test]
    fn every_gate_is_unitary_and_adjoint_inverts_it() {
        let gates = crate::quantum::tests::all_gates();
        let id = Gate::Z.matrix().map(|_| c64(0.0, 0.0));
        let id = [c64(1.0, 0.0), id[1], id[2], c64(1.0, 0.0)];
        for g in gates {
            assert!(unitarity_defect(&g.matrix(), 2) < 1e-14, "{g:?}");
            assert!(
                close(&mul2(&g.adjoint().matrix(), &g.matrix()), &id),
                "{g:?}"
            );
        }
    }

    #[test]
    fn zyz_reconstructs_the_matrix() {
        let cases = [
            Gate::H.matrix(),
            Gate::X.matrix(),
            Gate::Y.matrix(),
            Gate::T.matrix(),
            mul2(&Gate::Rx(0.4).matrix(), &Gate::Ry(1.1).matrix()),
            mul2(&Gate::H.matrix(), &Gate::Phase(2.9).matrix()),
        ];
        for m in cases {
            let (a, b, g, d) = zyz_angles(&m);
            let r = mul2(
                &Gate::Rz(b).matrix(),
                &mul2(&Gate::Ry(g).matrix(), &Gate::Rz(d).matrix()),
            );
            let p = C64::from_polar(1.0, a);
            let r = r.map(|z| z * p);
            assert!(close(&r, &m), "{m:?} vs {r:?}");
        }
    }
}
