//! The two-asset household (3-D state `(b, a, z)`): the sparse solver
//! against dense LU of the same matrices, the generator's and the
//! distribution's properties at every size, the policies (the kink's
//! inaction band, the state constraints) and errors for impossible input.

use nalgebra::{DMatrix, DVector};
use qtt::econ::sparse_generator::{FdOptions, Generator};
use qtt::econ::two_asset::{TwoAsset, TwoAssetSolution};

fn max_abs(v: impl IntoIterator<Item = f64>) -> f64 {
    v.into_iter().fold(0.0, |m, x| m.max(x.abs()))
}

fn solve(lb: u32, la: u32) -> (TwoAsset, TwoAssetSolution) {
    let h = TwoAsset::default();
    let grid = h.grid(lb, la).unwrap();
    let s = h.solve(&grid, &TwoAsset::default_options()).unwrap();
    (h, s)
}

fn check_generator(a: &Generator) {
    let scale = a.max_diagonal();
    assert!(
        a.max_row_sum() <= 1e-13 * scale,
        "row sums {:e}",
        a.max_row_sum()
    );
    assert!(a.min_off_diagonal() >= 0.0);
}

#[test]
fn sparse_solves_equal_dense_lu_on_a_tiny_grid() {
    let (h, s) = solve(4, 3);
    let grid = &s.grid;
    let n = grid.len();
    assert_eq!(n, 16 * 8 * 2);
    let opts = TwoAsset::default_options();
    let p = h.policy(grid, &s.value).unwrap();
    let a = h.generator(grid, &p).unwrap();
    check_generator(&a);
    let shift = h.rho + 1.0 / opts.delta;
    let rhs: Vec<f64> = (0..n)
        .map(|q| p.utility[q] + s.value[q] / opts.delta)
        .collect();
    let sparse = a.solve_shifted(shift, &rhs).unwrap();
    let b = DMatrix::identity(n, n) * shift - a.to_dense().unwrap();
    let dense = b.lu().solve(&DVector::from_vec(rhs)).unwrap();
    let scale = max_abs(dense.iter().cloned());
    let diff = max_abs((0..n).map(|q| sparse[q] - dense[q]));
    assert!(diff <= 1e-13 * scale, "HJB step: {diff:e}");
    // rho V = u + A V at the solution.
    let av = a.apply(&s.value);
    let res = max_abs((0..n).map(|q| h.rho * s.value[q] - p.utility[q] - av[q]));
    assert!(res < 1e-6 * scale, "HJB residual {res:e}");
    // The stationary density against a dense solve of the bordered system.
    let cell = grid.db() * grid.da();
    let at = a.to_dense().unwrap().transpose();
    let mut m = DMatrix::zeros(n + 1, n + 1);
    m.view_mut((0, 0), (n, n)).copy_from(&at);
    for i in 0..n {
        m[(i, n)] = 1.0;
        m[(n, i)] = cell;
    }
    let mut e = DVector::zeros(n + 1);
    e[n] = 1.0;
    let g = m.lu().solve(&e).unwrap();
    let gmax = max_abs(g.iter().take(n).cloned());
    let diff = max_abs((0..n).map(|q| s.density[q] - g[q]));
    assert!(diff <= 1e-10 * gmax, "KFE: {diff:e} of {gmax:e}");
}

#[test]
fn mass_positivity_and_state_constraints_at_every_size() {
    for (lb, la) in [(3, 2), (4, 3), (5, 5), (6, 5)] {
        let (h, s) = solve(lb, la);
        let grid = &s.grid;
        let a = h.generator(grid, &s.policy).unwrap();
        check_generator(&a);
        assert!((s.mass - 1.0).abs() < 1e-12, "mass {}", s.mass);
        assert!(s.density.iter().all(|g| *g >= 0.0));
        assert!(s.kfe_residual < 1e-12);
        let p = &s.policy;
        let (nb, na) = (grid.nb(), grid.na());
        // Only the corner (bmax, amax) of each income state needs its
        // illiquid drift cut (both assets at the top of their grids).
        assert!(p.cut_at_amax <= grid.states(), "{}", p.cut_at_amax);
        for j in 0..grid.states() {
            for ia in 0..na {
                // Liquid drift >= 0 at the borrowing limit.
                assert!(p.liquid_drift[grid.index(0, ia, j)] >= -1e-12);
            }
            for ib in 0..nb {
                // No deposits without illiquid wealth; the illiquid drift
                // is >= 0 at a = 0 and <= 0 at amax (below bmax).
                let q0 = grid.index(ib, 0, j);
                assert_eq!(p.deposit[q0], 0.0);
                assert!(p.illiquid_drift[q0] > 0.0);
                if ib + 1 < nb {
                    assert!(p.illiquid_drift[grid.index(ib, na - 1, j)] <= 1e-12);
                }
            }
        }
        assert!(p.consumption.iter().all(|c| *c > 0.0));
        // Flow budget: liquid drift + deposit + cost + c = liquid income.
        for q in 0..grid.len() {
            let (ib, ia, j) = grid.point(q);
            let lhs = p.liquid_drift[q]
                + p.deposit[q]
                + h.cost(p.deposit[q], grid.a(ia))
                + p.consumption[q];
            assert!((lhs - h.liquid_income(grid.b(ib), j)).abs() < 1e-12 * lhs.abs().max(1.0));
        }
    }
}

#[test]
fn deposits_follow_the_kinked_first_order_condition() {
    let h = TwoAsset::default();
    // Inaction band |Va/Vb - 1| <= chi0.
    for ratio in [0.975, 1.0, 1.029] {
        assert_eq!(h.deposit(ratio, 1.0, 10.0), 0.0);
    }
    // Outside: chi'(d) = chi0 sgn(d) + chi1 d / a = Va/Vb - 1.
    for ratio in [0.5, 0.9, 1.1, 2.0] {
        let (a, d) = (10.0, h.deposit(ratio, 1.0, 10.0));
        let dchi = h.chi0 * d.signum() + h.chi1 * d / a;
        assert!((dchi - (ratio - 1.0)).abs() < 1e-15, "{ratio}: {d}");
    }
    // At the solution: households deposit where they hold liquid wealth
    // and little illiquid wealth, and some sit in the inaction band.
    let (_, s) = solve(5, 5);
    let d = &s.policy.deposit;
    assert!(d.iter().any(|x| *x > 0.0) && d.iter().any(|x| *x < 0.0));
    assert!(d.iter().filter(|x| **x == 0.0).count() > s.grid.len() / 20);
    assert!(s.illiquid > 0.0 && s.liquid > s.grid.b(0));
}

#[test]
fn impossible_input_is_an_error() {
    let base = TwoAsset::default;
    let err = |h: TwoAsset| h.grid(4, 3).unwrap_err().to_string();
    assert!(err(TwoAsset {
        gamma: 0.0,
        ..base()
    })
    .contains("gamma = 0"));
    assert!(err(TwoAsset {
        rho: -0.1,
        ..base()
    })
    .contains("rho = -0.1"));
    assert!(err(TwoAsset {
        chi1: 0.0,
        ..base()
    })
    .contains("chi1 = 0"));
    assert!(err(TwoAsset {
        bmin: 50.0,
        ..base()
    })
    .contains("bmin must lie below bmax"));
    assert!(err(TwoAsset {
        amin: -1.0,
        ..base()
    })
    .contains("0 <= amin < amax"));
    assert!(err(TwoAsset {
        w: f64::INFINITY,
        ..base()
    })
    .contains("inf"));
    assert!(err(TwoAsset {
        bmin: -40.0,
        ..base()
    })
    .contains("consumption is impossible"));
    assert!(err(TwoAsset {
        rates: vec![vec![-1.0, 0.5], vec![1.0, -1.0]],
        ..base()
    })
    .contains("sums to"));
    assert!(matches!(
        base().grid(20, 18).unwrap_err(),
        qtt::Error::TooLarge { .. }
    ));
    let h = base();
    let grid = h.grid(4, 3).unwrap();
    let few = FdOptions {
        max_iterations: 2,
        ..TwoAsset::default_options()
    };
    let e = h.solve(&grid, &few).unwrap_err().to_string();
    assert!(
        e.contains("did not converge") && e.contains("history ["),
        "{e}"
    );
}

/// Seed 000's smoothing of the two kinks (`|d|` in the deposit cost, the
/// liquid rate's step at `b = 0`): the smoothed first-order condition is
/// solved to rounding, the smoothed household keeps a generator, mass 1
/// and `g >= 0`, and its value function tends to the exact one as the
/// width shrinks.
#[test]
fn smoothed_kinks_keep_the_scheme_and_their_bias_vanishes() {
    let exact = TwoAsset::default();
    let smoothed = |mu: f64| TwoAsset {
        kink_smoothing: Some(mu),
        ..TwoAsset::default()
    };
    // chi0 tanh(d / (2 mu)) + chi1 d / a = Va/Vb - 1, inside the band too.
    for mu in [1e-1, 1e-3, 1e-6] {
        let h = smoothed(mu);
        for ratio in [0.5, 0.98, 1.0, 1.01, 1.03, 2.0] {
            let (a, d) = (10.0, h.deposit(ratio, 1.0, 10.0));
            let dchi = h.chi0 * (d / (2.0 * mu)).tanh() + h.chi1 * d / a;
            assert!((dchi - (ratio - 1.0)).abs() < 1e-14, "{mu} {ratio}: {d}");
            // Within mu-ish of the exact deposit, and exact at a = 0.
            let gap = (d - exact.deposit(ratio, 1.0, a)).abs();
            assert!(gap <= a / h.chi1 * h.chi0, "{mu} {ratio}: {gap}");
            assert_eq!(h.deposit(ratio, 1.0, 0.0), 0.0);
        }
        // The smooth |d| is 0 at 0 and within 2 mu ln 2 of |d|.
        assert_eq!(qtt::econ::two_asset::smooth_abs(0.0, mu), 0.0);
        for d in [-3.0, -1e-3, 1e-3, 3.0] {
            let s = qtt::econ::two_asset::smooth_abs(d, mu);
            assert!(s <= f64::abs(d) && f64::abs(d) - s <= 2.0 * mu * 2f64.ln() + 1e-15);
        }
    }
    let (lb, la) = (5, 5);
    let grid = exact.grid(lb, la).unwrap();
    let opts = TwoAsset::default_options();
    let v0 = exact.solve(&grid, &opts).unwrap().value;
    let scale = max_abs(v0.iter().copied());
    let mut bias = Vec::new();
    // (Widths near 1e-2 make policy iteration chatter between deposit
    // sides, the change cycling at 1e-6: `cargo bench --bench fd_2d --
    // --kinks` maps where.)
    for mu in [1e-3, 1e-4, 1e-5] {
        let h = smoothed(mu);
        let s = h.solve(&grid, &opts).unwrap();
        check_generator(&h.generator(&grid, &s.policy).unwrap());
        assert!((s.mass - 1.0).abs() < 1e-12 && s.min_density >= 0.0);
        bias.push(max_abs(s.value.iter().zip(&v0).map(|(a, b)| a - b)) / scale);
    }
    // First order in the width: 7.9e-6, 7.9e-7, 7.9e-8 on 2^5 x 2^5 x 2.
    for w in bias.windows(2) {
        assert!((8.0..12.5).contains(&(w[0] / w[1])), "{bias:?}");
    }
    assert!(bias[1] < 1e-6, "{bias:?}");
    let bad = TwoAsset {
        kink_smoothing: Some(0.0),
        ..TwoAsset::default()
    };
    assert!(bad
        .grid(4, 4)
        .unwrap_err()
        .to_string()
        .contains("smoothing width"));
}
