//! Cross approximation on the workload of the issue: a smooth 10-D function
//! on 16^10 points to 1e-8 relative error, estimated on random samples.

use qtt::tt::{cross, CrossMethod, CrossOptions};
use rand::{Rng, SeedableRng};

fn f(i: &[usize]) -> f64 {
    1.0 / (1.0 + i.iter().map(|&k| (k as f64 / 15.0).powi(2)).sum::<f64>())
}

fn check(method: CrossMethod) {
    let opts = CrossOptions {
        tol: 1e-10,
        method,
        ..Default::default()
    };
    let (x, report) = cross(f, &[16; 10], &opts).unwrap();
    eprintln!("{method:?}: {report:?}");
    assert!(report.converged, "{report:?}");
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
    let (mut num, mut den) = (0.0, 0.0);
    for _ in 0..20_000 {
        let idx: Vec<usize> = (0..10).map(|_| rng.random_range(0..16)).collect();
        let (want, got) = (f(&idx), x.eval(&idx).unwrap());
        num += (want - got) * (want - got);
        den += want * want;
    }
    let rel = (num / den).sqrt();
    assert!(rel < 1e-8, "relative sample error {rel:e}, {report:?}");
    // far fewer samples than the 1.1e12 grid points
    assert!(report.evaluations < 2_000_000, "{report:?}");
}

#[test]
fn ten_dimensional_function_to_1e_8_two_site() {
    check(CrossMethod::TwoSite);
}

#[test]
fn ten_dimensional_function_to_1e_8_one_site() {
    check(CrossMethod::OneSite { extra: 2 });
}
