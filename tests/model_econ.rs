//! `model!` end to end: Huggett and Aiyagari declared in the macro solve to
//! the same numbers as the plain-Rust calibrations of `qtt::econ`.

use qtt::econ::{
    AiyagariParams, EquilibriumOptions, HouseholdSolution, HuggettParams, SolveOptions,
};

fn huggett_macro(points: u64) -> qtt::Result<qtt::econ::Model> {
    qtt::model! {
        params { gamma = 2.0, rho = 0.05, z = [0.1, 0.2], lambda = [1.2, 1.2], amin = -0.15 }
        prices { r in (0.0, 0.049) }
        states {
            a: wealth on [amin, 5.0] with points points;
            e: markov values z rates [[-lambda[0], lambda[0]], [lambda[1], -lambda[1]]];
        }
        control c;
        utility c.powf(1.0 - gamma) / (1.0 - gamma);
        drift a = e + r * a - c;
        borrowing a >= amin;
        discount rho;
        clear sum(a * g) == 0.0;
    }
}

fn aiyagari_macro(points: u64) -> qtt::Result<qtt::econ::Model> {
    qtt::model! {
        params {
            gamma = 2.0, rho = 0.05, delta = 0.05, alpha = 1.0 / 3.0, tfp = 0.1,
            z = [1.0, 2.0], lambda = [1.0 / 3.0, 1.0 / 3.0]
        }
        prices { r in (-0.04, 0.049) }
        firm {
            K = (alpha * tfp / (r + delta)).powf(1.0 / (1.0 - alpha));
            w = (1.0 - alpha) * tfp * K.powf(alpha);
        }
        states {
            a: wealth on [0.0, 20.0] with points points;
            e: markov values z rates [[-lambda[0], lambda[0]], [lambda[1], -lambda[1]]];
        }
        control c;
        utility c.powf(1.0 - gamma) / (1.0 - gamma);
        drift a = w * e + r * a - c;
        discount rho;
        clear sum(a * g) == K;
    }
}

fn max_rel(a: &HouseholdSolution, b: &HouseholdSolution, points: u64, states: usize) -> f64 {
    let mut d = 0.0f64;
    for i in 0..points {
        for j in 0..states {
            for (x, y) in [
                (a.value.at(i, j), b.value.at(i, j)),
                (a.density.at(i, j), b.density.at(i, j)),
                (a.consumption.at(i, j), b.consumption.at(i, j)),
            ] {
                d = d.max((x - y).abs() / x.abs().max(1e-300));
            }
        }
    }
    d
}

#[test]
fn model_macro_equals_the_runtime_path() {
    let eq = EquilibriumOptions::default();
    let fd = SolveOptions::finite_difference();
    for (declared, plain) in [
        (
            huggett_macro(1 << 9).unwrap(),
            HuggettParams::default().model(1 << 9).unwrap(),
        ),
        (
            aiyagari_macro(1 << 9).unwrap(),
            AiyagariParams::default().model(1 << 9).unwrap(),
        ),
    ] {
        let a = declared.steady_state(&fd, &eq).unwrap();
        let b = plain.steady_state(&fd, &eq).unwrap();
        assert!(
            (a.price - b.price).abs() < 1e-12,
            "{} vs {}",
            a.price,
            b.price
        );
        assert!(max_rel(&a.solution, &b.solution, plain.points(), 2) < 1e-12);
    }
    // The QTT backend too, at one price.
    let q = SolveOptions::default();
    let a = huggett_macro(64)
        .unwrap()
        .solve_household(0.03, &q, None)
        .unwrap();
    let b = HuggettParams::default()
        .model(64)
        .unwrap()
        .solve_household(0.03, &q, None)
        .unwrap();
    assert!(max_rel(&a, &b, 64, 2) < 1e-12);
}

#[test]
fn run_time_checks_of_the_macro_use_the_runtime_words() {
    // A grid size known only at run time: the same error as from data.
    let e = huggett_macro(1000).unwrap_err().to_string();
    assert!(e.contains("power of two"), "{e}");
}
