//! Property tests of the TT core against dense oracles: the rounding bound,
//! orthogonality, dot/norm consistency and MPO x MPS = dense matvec.

use nalgebra::{DMatrix, DVector};
use proptest::prelude::*;
use qtt::tt::ApplyMethod;
use qtt::{TensorTrain, Truncation, TtMatrix};

/// Mode sizes (2..=3 each, 2..=5 sites), a rank and a seed.
fn shapes() -> impl Strategy<Value = (Vec<usize>, usize, u64)> {
    (
        prop::collection::vec(2usize..=3, 2..=5),
        1usize..=4,
        any::<u64>(),
    )
}

fn dense_norm(v: &[f64]) -> f64 {
    v.iter().map(|x| x * x).sum::<f64>().sqrt()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn rounding_error_is_bounded((modes, r, seed) in shapes(), eps in 1e-6f64..0.7) {
        let x = TensorTrain::random(&modes, r, seed).unwrap();
        let y = x.round(&Truncation::tol(eps).unwrap()).unwrap();
        let (dx, dy) = (x.to_dense().unwrap(), y.to_dense().unwrap());
        let diff: Vec<f64> = dx.iter().zip(&dy).map(|(a, b)| a - b).collect();
        prop_assert!(dense_norm(&diff) <= eps * dense_norm(&dx) * (1.0 + 1e-9) + 1e-13);
        prop_assert!(y.ranks().iter().zip(x.ranks()).all(|(a, b)| *a <= b.max(1)));
    }

    #[test]
    fn orthogonalization_is_exact_and_orthogonal((modes, r, seed) in shapes(), c in 0usize..5) {
        let x = TensorTrain::random(&modes, r, seed).unwrap();
        let c = c % modes.len();
        let mut y = x.clone();
        y.orthogonalize(c).unwrap();
        let (dx, dy) = (x.to_dense().unwrap(), y.to_dense().unwrap());
        let diff: Vec<f64> = dx.iter().zip(&dy).map(|(a, b)| a - b).collect();
        prop_assert!(dense_norm(&diff) <= 1e-12 * dense_norm(&dx).max(1.0));
        for k in 0..c {
            let l = y.core(k).left();
            let g = l.transpose() * l;
            prop_assert!((g - DMatrix::identity(l.ncols(), l.ncols())).norm() < 1e-12);
        }
        for k in c + 1..modes.len() {
            let rt = y.core(k).right();
            let g = rt * rt.transpose();
            prop_assert!((g - DMatrix::identity(rt.nrows(), rt.nrows())).norm() < 1e-12);
        }
    }

    #[test]
    fn dot_and_norm_agree((modes, r, seed) in shapes()) {
        let x = TensorTrain::random(&modes, r, seed).unwrap();
        let y = TensorTrain::random(&modes, r + 1, seed ^ 1).unwrap();
        let (dx, dy) = (x.to_dense().unwrap(), y.to_dense().unwrap());
        let want: f64 = dx.iter().zip(&dy).map(|(a, b)| a * b).sum();
        prop_assert!((x.dot(&y).unwrap() - want).abs() <= 1e-12 * dense_norm(&dx) * dense_norm(&dy));
        let n = x.norm();
        prop_assert!((n * n - x.dot(&x).unwrap()).abs() <= 1e-12 * n * n);
        prop_assert!((n - dense_norm(&dx)).abs() <= 1e-12 * n);
    }

    #[test]
    fn mpo_times_mps_is_the_dense_matvec((modes, r, seed) in shapes(), w in 1usize..=3) {
        let fused: Vec<usize> = modes.iter().map(|n| n * n).collect();
        let a = TtMatrix::from_train(TensorTrain::random(&fused, w, seed).unwrap(), &modes, &modes).unwrap();
        let x = TensorTrain::random(&modes, r, seed ^ 7).unwrap();
        let want = a.to_dense().unwrap() * DVector::from_vec(x.to_dense().unwrap());
        for method in [ApplyMethod::Exact, ApplyMethod::ZipUp] {
            let y = a.apply(&x, &method, &Truncation::exact()).unwrap().to_dense().unwrap();
            let err = (DVector::from_vec(y) - &want).norm();
            prop_assert!(err <= 1e-11 * want.norm().max(1.0), "{:?}: {}", method, err);
        }
    }
}
