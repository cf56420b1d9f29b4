//! The `circuit!` and `estimate!` macros build the same objects as the builder API.

use qtt::quantum::{circuit_unitary, models, CanonicalQae, Circuit, Gate};

#[test]
fn circuit_macro_matches_the_builder() {
    let theta = 0.3;
    let c = qtt::circuit! {
        reg a[3];
        reg anc[1];
        h(a[0]);
        for i in 1..3 { cx(a[0], a[i]); }
        ry(2.0 * theta, a[2]);
        crz(0.5, a[1], anc[0]);
        mcx(a[0], a[1], a[2], anc[0]);
        swap(a[0], a[2]);
    }
    .unwrap();
    let mut b = Circuit::new(4);
    b.h(0)
        .unwrap()
        .cx(0, 1)
        .unwrap()
        .cx(0, 2)
        .unwrap()
        .ry(0.6, 2)
        .unwrap();
    b.controlled_gate(Gate::Rz(0.5), &[1], 3)
        .unwrap()
        .mcx(&[0, 1, 2], 3)
        .unwrap()
        .swap(0, 2)
        .unwrap();
    let u1 = circuit_unitary(&c).unwrap();
    let u2 = circuit_unitary(&b).unwrap();
    assert!(qtt::quantum::unitary::max_abs_diff(&u1, &u2) < 1e-12);
    assert_eq!(c.register("anc").unwrap().start, 3);
}

/// The `2^k x 2^k` discrete Fourier matrix `F[y][j] = 2^{-k/2} e^{sign 2 pi i j y / 2^k}`,
/// entry by entry (the reference for `qft`, `sign = -1` for `iqft`).
fn dft(k: u32, sign: f64) -> nalgebra::DMatrix<num_complex::Complex64> {
    let n = 1usize << k;
    nalgebra::DMatrix::from_fn(n, n, |y, j| {
        let t = sign * 2.0 * std::f64::consts::PI * (j * y) as f64 / n as f64;
        num_complex::Complex64::from_polar(1.0 / (n as f64).sqrt(), t)
    })
}

#[test]
fn circuit_macro_qft_and_iqft_are_the_fourier_matrices() {
    // each against the DFT matrix, not against each other (qft followed by
    // iqft would cancel even if both were wrong the same way)
    let q = qtt::circuit! { reg a[3]; qft(a); }.unwrap();
    let d = qtt::quantum::unitary::max_abs_diff(&circuit_unitary(&q).unwrap(), &dft(3, 1.0));
    assert!(d < 1e-12, "qft: {d}");
    let i = qtt::circuit! { reg a[3]; iqft(a); }.unwrap();
    let d = qtt::quantum::unitary::max_abs_diff(&circuit_unitary(&i).unwrap(), &dft(3, -1.0));
    assert!(d < 1e-12, "iqft: {d}");
}

#[test]
fn circuit_macro_reports_runtime_indices_out_of_range() {
    let k = 5;
    let r = qtt::circuit! { reg a[2]; h(a[k]); };
    assert!(r.unwrap_err().to_string().contains("a[5]"));
    let k: i64 = -1;
    let r = qtt::circuit! { reg a[2]; h(a[k]); };
    assert_eq!(
        r.unwrap_err().to_string(),
        "invalid argument: qubit a[-1] has a negative index"
    );
}

#[test]
fn estimate_macro_builds_the_stress_test() {
    let p = qtt::estimate! {
        d1 ~ beta(2.0, 10.0) on [0.0, 1.0] with 3 qubits;
        d2 ~ beta(2.0, 10.0) on [0.0, 1.0] with 3 qubits;
        payoff = 0.0064 * (2.0 + d2) * (1.0 + d1);
    }
    .unwrap();
    let reference = models::bank_stress_test(3).unwrap();
    assert!((p.exact_value().unwrap() - reference.exact_value().unwrap()).abs() < 1e-15);
    let a = CanonicalQae::new(8).run(&p).unwrap().estimate;
    let b = CanonicalQae::new(8).run(&reference).unwrap().estimate;
    assert_eq!(a, b);
    let g = qtt::estimate! {
        x ~ normal(0.0, 1.0) on [-std::f64::consts::PI, std::f64::consts::PI] with 5 qubits at endpoints;
        payoff = x.sin().powi(2);
    }
    .unwrap();
    assert!((g.exact_value().unwrap() - 0.4326430).abs() < 1e-7);
}
