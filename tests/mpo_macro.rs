//! `mpo!` against the operator-sum API and dense matrices.

use qtt::solve::{LocalSpace, OpSum};

fn ring_by_hand(d: usize) -> qtt::TtMatrix {
    let mut h = OpSum::new(d, LocalSpace::spin(2).unwrap()).unwrap();
    for i in 0..d {
        for op in ["Sx", "Sy", "Sz"] {
            h.add(1.0, &[(op, i), (op, (i + 1) % d)]).unwrap();
        }
    }
    h.to_mpo().unwrap()
}

#[test]
fn heisenberg_ring_literal_and_runtime_sizes() {
    let h = qtt::mpo! {
        sites 6 of spin(1);
        sum i in 0..6 { Sx[i]*Sx[(i+1)%6] + Sy[i]*Sy[(i+1)%6] + Sz[i]*Sz[(i+1)%6] }
    }
    .unwrap();
    let want = ring_by_hand(6).to_dense().unwrap();
    assert!((h.to_dense().unwrap() - &want).norm() < 1e-12);
    assert_eq!(h.max_rank(), 8);
    let n = 6;
    let h = qtt::mpo! {
        sites n of spin(1);
        sum i in 0..n { Sx[i]*Sx[(i+1)%n] + Sy[i]*Sy[(i+1)%n] + Sz[i]*Sz[(i+1)%n] }
    }
    .unwrap();
    assert!((h.to_dense().unwrap() - &want).norm() < 1e-12);
}

#[test]
fn coefficients_signs_and_nested_sums() {
    let (j, g) = (0.7, 1.3);
    let h = qtt::mpo! {
        sites 5 of spin(1/2);
        sum i in 0..5 { sum k in i+1..5 { j * Sz[i]*Sz[k] } } - sum i in 0..5 { g * Sx[i] } + 0.5 * Sp[0]*Sm[4] + (j / 2.0) * Sm[0]*Sp[4]
    }
    .unwrap();
    let mut want = OpSum::new(5, LocalSpace::spin(1).unwrap()).unwrap();
    for i in 0..5 {
        for k in i + 1..5 {
            want.add(j, &[("Sz", i), ("Sz", k)]).unwrap();
        }
        want.add(-g, &[("Sx", i)]).unwrap();
    }
    want.add(0.5, &[("Sp", 0), ("Sm", 4)]).unwrap();
    want.add(j / 2.0, &[("Sm", 0), ("Sp", 4)]).unwrap();
    let err = (h.to_dense().unwrap() - want.to_mpo().unwrap().to_dense().unwrap()).norm();
    assert!(err < 1e-12, "{err}");
}

#[test]
fn runtime_errors_are_values() {
    let n = 4;
    // A site index computed at run time out of range, and an imaginary operator.
    assert!(qtt::mpo! { sites n of spin(1); sum i in 0..n { Sz[i]*Sz[i+1] } }.is_err());
    assert!(qtt::mpo! { sites n of spin(1); Sy[0]*Sz[1] }.is_err());
}
