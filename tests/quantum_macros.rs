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
        qft(a);
        iqft(a);
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
