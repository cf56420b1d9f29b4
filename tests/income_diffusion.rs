//! Income as a diffusion (2-D state `(a, z)`): the sparse finite-difference
//! solver against dense LU of the same matrices, the generator's and the
//! distribution's properties at every size, the convergence of `K*` with the
//! grid, the policies, and errors for impossible input.

use nalgebra::{DMatrix, DVector};
use qtt::econ::income_diffusion::{DiffusionGrid, IncomeDiffusion, OuIncome};
use qtt::econ::sparse_generator::{FdOptions, Generator};
use qtt::econ::EquilibriumOptions;

fn eq_opts() -> EquilibriumOptions {
    EquilibriumOptions {
        price_tol: 1e-10,
        ..EquilibriumOptions::default()
    }
}

fn max_abs(v: impl IntoIterator<Item = f64>) -> f64 {
    v.into_iter().fold(0.0, |m, x| m.max(x.abs()))
}

/// The stationary density by dense LU of the bordered system
/// `[A^T 1; cell 1^T 0] [g; l] = [0; 1]` (no entry pinned).
fn dense_stationary(a: &Generator, cell: f64) -> Vec<f64> {
    let n = a.n();
    let at = a.to_dense().unwrap().transpose();
    let mut m = DMatrix::zeros(n + 1, n + 1);
    m.view_mut((0, 0), (n, n)).copy_from(&at);
    for i in 0..n {
        m[(i, n)] = 1.0;
        m[(n, i)] = cell;
    }
    let mut b = DVector::zeros(n + 1);
    b[n] = 1.0;
    let x = m
        .lu()
        .solve(&b)
        .expect("the bordered KFE matrix is regular");
    x.iter().take(n).cloned().collect()
}

#[test]
fn sparse_solves_equal_dense_lu_on_a_tiny_grid() {
    let econ = IncomeDiffusion::aiyagari();
    let grid = econ.grid(4, 3).unwrap();
    let opts = FdOptions::default();
    let sol = econ.solve_household(&grid, 0.04, &opts, None).unwrap();
    let policy = econ
        .policy(&grid, sol.r, sol.w, &sol.value)
        .expect("policy");
    let a = econ.generator(&grid, &policy).unwrap();
    let n = grid.len();
    assert_eq!(n, 128);
    // One implicit HJB step, sparse against dense.
    let shift = econ.rho + 1.0 / opts.delta;
    let rhs: Vec<f64> = (0..n)
        .map(|p| policy.utility[p] + sol.value[p] / opts.delta)
        .collect();
    let sparse = a.solve_shifted(shift, &rhs).unwrap();
    let b = DMatrix::identity(n, n) * shift - a.to_dense().unwrap();
    let dense = b.lu().solve(&DVector::from_vec(rhs)).unwrap();
    let scale = max_abs(dense.iter().cloned());
    let diff = max_abs((0..n).map(|p| sparse[p] - dense[p]));
    assert!(diff <= 1e-13 * scale, "HJB step: sparse - dense = {diff:e}");
    // The converged V solves rho V = u + A V.
    let av = a.apply(&sol.value);
    let res = max_abs((0..n).map(|p| econ.rho * sol.value[p] - policy.utility[p] - av[p]));
    assert!(res < 1e-8 * scale, "HJB residual {res:e}");
    // The stationary density, sparse inverse iteration against the dense
    // bordered solve.
    let cell = grid.da() * grid.dz();
    let g = dense_stationary(&a, cell);
    let gmax = max_abs(g.iter().cloned());
    let diff = max_abs((0..n).map(|p| sol.density[p] - g[p]));
    assert!(
        diff <= 1e-10 * gmax,
        "KFE: sparse - dense = {diff:e} of {gmax:e}"
    );
}

fn check_generator(a: &Generator) {
    let scale = a.max_diagonal();
    assert!(
        a.max_row_sum() <= 1e-13 * scale,
        "row sums {:e} of {scale:e}",
        a.max_row_sum()
    );
    assert!(a.min_off_diagonal() >= 0.0);
}

#[test]
fn generator_mass_and_positivity_at_every_size() {
    let opts = FdOptions::default();
    for econ in [IncomeDiffusion::aiyagari(), IncomeDiffusion::huggett()] {
        for (la, lz) in [(3, 1), (4, 3), (6, 4), (8, 5)] {
            let grid = econ.grid(la, lz).unwrap();
            for r in [0.02, 0.045] {
                let s = econ.solve_household(&grid, r, &opts, None).unwrap();
                let a = econ.generator(&grid, &s.policy).unwrap();
                check_generator(&a);
                assert!((s.mass - 1.0).abs() < 1e-12, "mass {}", s.mass);
                assert!(s.density.iter().all(|g| *g >= 0.0), "g < 0 at {la} {lz}");
                assert!(s.kfe_residual < 1e-12, "KFE residual {:e}", s.kfe_residual);
                // The income marginal is the income chain's stationary law
                // (A_a moves no mass across income levels), so L = E[z].
                let dz = grid.dz();
                let pi = grid.income_distribution();
                let marg = s.marginal_income();
                let err = max_abs((0..grid.nz()).map(|k| marg[k] * dz - pi[k]));
                assert!(err < 1e-10, "income marginal off by {err:e}");
                assert!((s.labour - grid.labour()).abs() < 1e-10);
                assert!((grid.labour() - 1.0).abs() < 1e-13);
            }
        }
    }
}

#[test]
fn policies_are_sensible() {
    let econ = IncomeDiffusion::aiyagari();
    let grid = econ.grid(7, 4).unwrap();
    let s = econ
        .solve_household(&grid, 0.045, &FdOptions::default(), None)
        .unwrap();
    let (na, nz) = (grid.na(), grid.nz());
    let c = &s.policy.consumption;
    let sv = &s.policy.savings;
    assert!(c.iter().all(|c| *c > 0.0));
    for k in 0..nz {
        // Savings at the borrowing limit >= 0 and at the top <= 0 (state
        // constraints); consumption increases in wealth and in income.
        assert!(sv[grid.index(0, k)] >= 0.0);
        assert!(sv[grid.index(na - 1, k)] <= 0.0);
        for i in 1..na {
            assert!(c[grid.index(i, k)] > c[grid.index(i - 1, k)]);
        }
    }
    for i in 0..na {
        for k in 1..nz {
            assert!(c[grid.index(i, k)] > c[grid.index(i, k - 1)]);
        }
    }
    // The lowest income state at the borrowing limit is constrained:
    // it consumes its income (zero drift), with mass there.
    assert_eq!(sv[grid.index(0, 0)], 0.0);
    assert!(s.mass_at_limit > 0.0);
}

/// `K*` on `2^L x 2^(L - 3)` points for L = 5..8, refined together.
#[test]
fn capital_converges_with_the_grid() {
    let econ = IncomeDiffusion::aiyagari();
    let opts = FdOptions::default();
    let mut ks = Vec::new();
    let mut rs = Vec::new();
    for l in 5..=8u32 {
        let grid = econ.grid(l, l - 3).unwrap();
        let e = econ.steady_state(&grid, &opts, &eq_opts()).unwrap();
        assert!(
            e.solution.excess.abs() < 1e-6,
            "excess {:e}",
            e.solution.excess
        );
        // Precautionary saving: r* below rho, K* above the complete-markets
        // capital (alpha / (rho + delta))^(1 / (1 - alpha)).
        assert!(e.r < econ.rho);
        assert!(e.capital > (0.35f64 / 0.15).powf(1.0 / 0.65));
        ks.push(e.capital);
        rs.push(e.r);
    }
    let d: Vec<f64> = ks.windows(2).map(|w| w[1] - w[0]).collect();
    let orders: Vec<f64> = d.windows(2).map(|w| (w[0] / w[1]).abs().log2()).collect();
    eprintln!("K* {ks:?}\nr* {rs:?}\ndifferences {d:?}\norders {orders:?}");
    // First order in the spacing (upwind), the differences halving.
    let last = orders[orders.len() - 1];
    assert!((0.6..1.6).contains(&last), "order {orders:?}");
    assert!(d[2].abs() < 0.05, "K*(2^8) - K*(2^7) = {}", d[2]);
}

#[test]
fn huggett_clears_the_bond_market() {
    let econ = IncomeDiffusion::huggett();
    let grid = econ.grid(6, 4).unwrap();
    let e = econ
        .steady_state(&grid, &FdOptions::default(), &eq_opts())
        .unwrap();
    assert!(e.capital.abs() < 1e-7, "bonds {}", e.capital);
    assert!(e.r > 0.0 && e.r < econ.rho, "r* = {}", e.r);
    assert_eq!(e.w, 1.0);
    // Borrowers exist: mass at the borrowing limit.
    assert!(e.solution.mass_at_limit > 0.0);
}

#[test]
fn impossible_input_is_an_error() {
    let opts = FdOptions::default();
    let err = |econ: IncomeDiffusion| econ.grid(4, 3).unwrap_err().to_string();
    let base = IncomeDiffusion::aiyagari;
    assert!(err(IncomeDiffusion {
        gamma: -1.0,
        ..base()
    })
    .contains("gamma = -1"));
    assert!(err(IncomeDiffusion { rho: 0.0, ..base() }).contains("rho = 0"));
    assert!(err(IncomeDiffusion {
        gamma: f64::NAN,
        ..base()
    })
    .contains("NaN"));
    assert!(err(IncomeDiffusion {
        amin: 40.0,
        ..base()
    })
    .contains("borrowing limit must lie below"));
    let mut income = OuIncome::hact();
    income.sigma2 = -0.01;
    assert!(err(IncomeDiffusion { income, ..base() }).contains("sigma^2 = -0.01"));
    let mut income = OuIncome::hact();
    income.zmin = 2.0;
    assert!(err(IncomeDiffusion { income, ..base() }).contains("zmin must lie below zmax"));
    assert!(err(IncomeDiffusion {
        amin: -100.0,
        ..base()
    })
    .contains("consumption is impossible"));
    assert!(err(IncomeDiffusion {
        r_bracket: (0.01, 0.06),
        ..base()
    })
    .contains("below rho"));
    // Too large for memory.
    let e = base().grid(26, 14).unwrap_err();
    assert!(matches!(e, qtt::Error::TooLarge { .. }), "{e}");
    assert!(DiffusionGrid::new(1, 3, -1.0, 30.0, &OuIncome::hact()).is_err());
    // No sign change in the bracket: the error names the bracket and both values.
    let econ = IncomeDiffusion {
        r_bracket: (0.01, 0.02),
        ..base()
    };
    let grid = econ.grid(4, 2).unwrap();
    let e = econ
        .steady_state(&grid, &opts, &eq_opts())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("same sign") && e.contains("(0.01, 0.02)") && e.contains("at r = 0.02"),
        "{e}"
    );
    // Non-convergence carries the history.
    let few = FdOptions {
        max_iterations: 2,
        ..opts
    };
    let e = econ
        .solve_household(&grid, 0.03, &few, None)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("did not converge") && e.contains("history ["),
        "{e}"
    );
    let bad = FdOptions {
        delta: -1.0,
        ..opts
    };
    assert!(econ.solve_household(&grid, 0.03, &bad, None).is_err());
    assert!(econ.solve_household(&grid, f64::NAN, &opts, None).is_err());
}
