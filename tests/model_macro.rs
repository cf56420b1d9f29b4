//! `model!`'s expansion, through the hidden `__model_ir!` that builds the
//! same IR `model!` hands to `qtt::econ::Model::from_ir`: parameter values
//! computed at run time, the run-time checks, and the compile-time ranks of
//! the generator's pieces against the runtime's own MPOs.

use nalgebra::DMatrix;
use qtt::grid::{
    backward_difference, forward_difference, second_difference, Axis, BitOrder, Boundary, Grid,
    Grid1d,
};
use qtt::ir::model::{Env, ExprIr, IncomeIr, ModelIr, ParamIr, UtilityIr};

/// A calibration as it would come from a file.
struct Calibration {
    gamma: f64,
    z: Vec<f64>,
    lambda: [f64; 2],
    bits: u32,
}

fn huggett_literal() -> ModelIr {
    let (ir, _) = qtt::__model_ir! {
        params { gamma = 2.0, rho = 0.05, z = [0.1, 0.2], lambda = [1.2, 1.2], amin = -0.15 }
        prices { r in (0.01, 0.04) }
        states {
            a: wealth on [amin, 5.0] with 2^10 points;
            e: markov values z rates [[-lambda[0], lambda[0]], [lambda[1], -lambda[1]]];
        }
        control c;
        utility c.powf(1.0 - gamma) / (1.0 - gamma);
        drift a = e + r * a - c;
        borrowing a >= amin;
        discount rho;
        clear sum(a * g) == 0.0;
    }
    .unwrap();
    ir
}

#[test]
fn parameters_computed_at_run_time_give_the_same_ir() {
    let calib = Calibration {
        gamma: 2.0,
        z: vec![0.1, 0.2],
        lambda: [1.2, 1.2],
        bits: 10,
    };
    let amin = -0.15;
    let (ir, ranks) = qtt::__model_ir! {
        params { gamma = calib.gamma, rho = 0.05, z = calib.z, lambda = calib.lambda, amin = amin }
        prices { r in (0.01, 0.04) }
        states {
            a: wealth on [amin, 5.0] with 2^calib.bits points;
            e: markov values z rates [[-lambda[0], lambda[0]], [lambda[1], -lambda[1]]];
        }
        control c;
        utility c.powf(1.0 - gamma) / (1.0 - gamma);
        drift a = e + r * a - c;
        borrowing a >= amin;
        discount rho;
        clear sum(a * g) == 0.0;
    }
    .unwrap();
    // the calibration is borrowed, not moved
    assert_eq!(calib.z.len(), 2);
    assert_eq!(ir, huggett_literal());
    assert_eq!(
        ir.utility,
        UtilityIr::Crra {
            gamma: ExprIr::Param {
                index: 0,
                element: 0
            }
        }
    );
    assert_eq!(ranks.len(), 3);
}

#[test]
fn run_time_values_are_checked_with_the_macros_words() {
    let gamma = vec![2.0, 3.0];
    let err = qtt::__model_ir! {
        params { gamma = gamma, rho = 0.05 }
        states {
            a: wealth on [0.0, 5.0] with 16 points;
            e: markov values [1.0] rates [[0.0]];
        }
        control c;
        utility c.powf(1.0 - gamma) / (1.0 - gamma);
        drift a = e - c;
        discount rho;
    }
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("`gamma` is used as one number but was given 2 values"),
        "{err}"
    );

    let lambda: &[f64] = &[0.5];
    let err = qtt::__model_ir! {
        params { rho = 0.05, lambda = lambda }
        states {
            a: wealth on [0.0, 5.0] with 16 points;
            e: markov values [1.0, 2.0] rates [[-lambda[0], lambda[0]], [lambda[1], -lambda[1]]];
        }
        control c;
        utility c.ln();
        drift a = e - c;
        discount rho;
    }
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("`lambda` is used as `lambda[1]` but has 1 value"),
        "{err}"
    );

    let n: i64 = -4;
    let err = qtt::__model_ir! {
        params { rho = 0.05 }
        states {
            a: wealth on [0.0, 5.0] with n points;
            e: markov values [1.0] rates [[0.0]];
        }
        control c;
        utility c.ln();
        drift a = e - c;
        discount rho;
    }
    .unwrap_err();
    assert!(
        err.to_string().contains("negative number of points"),
        "{err}"
    );
}

#[test]
fn a_list_parameter_of_run_time_length_fills_the_markov_values() {
    let z: Vec<f64> = vec![0.5, 1.0, 1.5];
    let (ir, _) = qtt::__model_ir! {
        params { rho = 0.05, z = z, q = 0.2 }
        states {
            a: wealth on [0.0, 5.0] with 16 points;
            e: markov values z rates [[-q, q, 0.0], [q, -2.0 * q, q], [0.0, q, -q]];
        }
        control c;
        utility c.ln();
        drift a = e - c;
        discount rho;
    }
    .unwrap();
    let IncomeIr::Markov { values, .. } = &ir.income[0] else {
        panic!("a Markov state")
    };
    assert_eq!(values.len(), 3);
    assert_eq!(
        values[2],
        ExprIr::Param {
            index: 1,
            element: 2
        }
    );
}

/// The intensity matrix of a Markov income, evaluated.
fn rates(ir: &ModelIr, i: usize) -> DMatrix<f64> {
    let IncomeIr::Markov { rates, .. } = &ir.income[i] else {
        panic!("income {i} is not a Markov chain")
    };
    let env = Env {
        params: &ir.params,
        ..Env::default()
    };
    let n = rates.len();
    DMatrix::from_fn(n, n, |j, k| rates[j][k].eval(&env).unwrap())
}

/// The runtime's rank of each named piece, built as the generator would.
fn runtime_rank(piece: &str, ir: &ModelIr, income: usize) -> usize {
    let g = Grid1d::new(-1.0, 1.0, 8).unwrap();
    // upwind differences: zero ghosts (the state constraints remove the
    // drift off the grid); the diffusion's second difference: Neumann rows
    match piece {
        "wealth_forward_difference" | "diffusion_forward_difference" => {
            forward_difference(&g, Boundary::Zero).unwrap().max_rank()
        }
        "wealth_backward_difference" | "diffusion_backward_difference" => {
            backward_difference(&g, Boundary::Zero).unwrap().max_rank()
        }
        "diffusion_second_difference" => second_difference(&g, Boundary::Reflecting)
            .unwrap()
            .max_rank(),
        "markov_switching" => {
            let m = rates(ir, income);
            let grid = Grid::new(
                vec![Axis::Discrete(vec![0.0; m.nrows()]), Axis::Binary(g)],
                BitOrder::Sequential,
            )
            .unwrap();
            grid.discrete_operator(0, &m).unwrap().max_rank()
        }
        other => panic!("unknown piece {other}"),
    }
}

#[test]
fn compile_time_ranks_match_the_runtime_operators() {
    let (ir, ranks) = qtt::__model_ir! {
        params { gamma = 2.0, rho = 0.05, z = [0.1, 0.2, 0.3], q = 0.4, theta = 0.3, sigma2 = 0.01 }
        prices { r in (0.01, 0.04) }
        states {
            a: wealth on [-0.1, 5.0] with 2^12 points;
            e: markov values z rates [[-q, q, 0.0], [q, -2.0 * q, q], [0.0, q, -q]];
            y: diffusion drift theta * (1.0 - y) variance sigma2 on [0.5, 1.5] with 2^8 points;
        }
        control c;
        utility c.powf(1.0 - gamma) / (1.0 - gamma);
        drift a = e * y + r * a - c;
        borrowing a >= -0.1;
        discount rho;
        clear sum(a * g) == 0.0;
    }
    .unwrap();
    let names: Vec<&str> = ranks.iter().map(|(n, _)| *n).collect();
    assert_eq!(
        names,
        [
            "wealth_forward_difference",
            "wealth_backward_difference",
            "markov_switching",
            "diffusion_forward_difference",
            "diffusion_backward_difference",
            "diffusion_second_difference",
        ]
    );
    // the income process each piece belongs to, in assembly order
    let owner = [0, 0, 0, 1, 1, 1];
    for (&(piece, rank), &i) in ranks.iter().zip(&owner) {
        assert_eq!(rank, runtime_rank(piece, &ir, i), "{piece}");
    }
    // and the same list as the compiler's function on the IR
    assert_eq!(ranks, qtt::ir::model::piece_ranks(&ir).as_slice());
    assert_eq!(ir.params[0], ParamIr::new("gamma", 2.0));
}
