//! Symbolic work on [`ExprIr`]: simplification, differentiation, inversion
//! of a one-variable chain, recognition of the standard utilities, and a
//! printer for error messages.
//!
//! Only what `model!` needs: the marginal utility of a general utility is
//! its derivative in the control, and the first-order condition
//! `u'(c) = dV/da` is solved for `c` when `c` occurs once in `u'` along a
//! chain of invertible steps (`exp`, `ln`, `powf` by a constant, `+ - * /`
//! by a constant).

use crate::ir::model::ExprIr;

fn bx(e: ExprIr) -> Box<ExprIr> {
    Box::new(e)
}

/// Whether `e` refers to the leaf `var` (`ExprIr::Control`, `ExprIr::Wealth`,
/// `ExprIr::Income(i)`, ...).
pub fn depends_on(e: &ExprIr, var: &ExprIr) -> bool {
    e.any(&|x| x == var)
}

/// A number, if the whole expression is one.
fn num(e: &ExprIr) -> Option<f64> {
    match e {
        ExprIr::Num(v) => Some(*v),
        _ => None,
    }
}

/// `e` with literal arithmetic folded and the neutral elements removed
/// (`x * 1`, `x + 0`, `x.powf(1)`, `--x`, `a * b / a`, ...); the value is
/// unchanged wherever both are defined.
pub fn simplify(e: &ExprIr) -> ExprIr {
    use ExprIr::*;
    let fold = |v: f64, otherwise: ExprIr| if v.is_finite() { Num(v) } else { otherwise };
    match e {
        Neg(x) => match simplify(x) {
            Num(v) => Num(-v),
            Neg(y) => *y,
            y => Neg(bx(y)),
        },
        Add(x, y) => match (simplify(x), simplify(y)) {
            (Num(a), Num(b)) => fold(a + b, Add(bx(Num(a)), bx(Num(b)))),
            (Num(0.0), y) => y,
            (x, Num(0.0)) => x,
            (x, Neg(y)) => Sub(bx(x), y),
            (Neg(x), y) => Sub(bx(y), x),
            (x, y) => Add(bx(x), bx(y)),
        },
        Sub(x, y) => match (simplify(x), simplify(y)) {
            (Num(a), Num(b)) => fold(a - b, Sub(bx(Num(a)), bx(Num(b)))),
            (x, Num(0.0)) => x,
            (Num(0.0), y) => simplify(&Neg(bx(y))),
            (x, Neg(y)) => Add(bx(x), y),
            // (a - x) - b = (a - b) - x
            (Sub(a, x), Num(b)) if num(&a).is_some() => {
                simplify(&Sub(bx(Num(num(&a).unwrap() - b)), x))
            }
            (x, y) if x == y => Num(0.0),
            (x, y) => Sub(bx(x), bx(y)),
        },
        Mul(x, y) => match (simplify(x), simplify(y)) {
            (Num(a), Num(b)) => fold(a * b, Mul(bx(Num(a)), bx(Num(b)))),
            (Num(0.0), _) | (_, Num(0.0)) => Num(0.0),
            (Num(1.0), y) => y,
            (x, Num(1.0)) => x,
            (Num(-1.0), y) => simplify(&Neg(bx(y))),
            (x, Num(-1.0)) => simplify(&Neg(bx(x))),
            (Neg(x), Neg(y)) => simplify(&Mul(x, y)),
            (Neg(x), y) => Neg(bx(simplify(&Mul(x, bx(y))))),
            (x, Neg(y)) => Neg(bx(simplify(&Mul(bx(x), y)))),
            (x, y) => Mul(bx(x), bx(y)),
        },
        Div(x, y) => match (simplify(x), simplify(y)) {
            (Num(a), Num(b)) => fold(a / b, Div(bx(Num(a)), bx(Num(b)))),
            (Num(0.0), _) => Num(0.0),
            (x, Num(1.0)) => x,
            (Neg(x), Neg(y)) => simplify(&Div(x, y)),
            (Neg(x), y) => Neg(bx(simplify(&Div(x, bx(y))))),
            (x, y) if x == y => Num(1.0),
            (Mul(a, b), y) if *a == y => *b,
            (Mul(a, b), y) if *b == y => *a,
            (x, y) => Div(bx(x), bx(y)),
        },
        Powf(x, y) => match (simplify(x), simplify(y)) {
            (Num(a), Num(b)) => fold(a.powf(b), Powf(bx(Num(a)), bx(Num(b)))),
            (x, Num(1.0)) => x,
            (_, Num(0.0)) => Num(1.0),
            (x, y) => Powf(bx(x), bx(y)),
        },
        Ln(x) => match simplify(x) {
            Num(a) => fold(a.ln(), Ln(bx(Num(a)))),
            Exp(y) => *y,
            y => Ln(bx(y)),
        },
        Exp(x) => match simplify(x) {
            Num(a) => fold(a.exp(), Exp(bx(Num(a)))),
            Ln(y) => *y,
            y => Exp(bx(y)),
        },
        Min(x, y) => Min(bx(simplify(x)), bx(simplify(y))),
        Max(x, y) => Max(bx(simplify(x)), bx(simplify(y))),
        Softplus(x, y) => Softplus(bx(simplify(x)), bx(simplify(y))),
        leaf => leaf.clone(),
    }
}

/// The derivative of `e` in the leaf `var`, simplified; an `Err` says why
/// it does not exist as an expression (a kink of `min`/`max` in `var`).
pub fn derivative(e: &ExprIr, var: &ExprIr) -> Result<ExprIr, String> {
    Ok(simplify(&diff(e, var)?))
}

fn diff(e: &ExprIr, var: &ExprIr) -> Result<ExprIr, String> {
    use ExprIr::*;
    if e == var {
        return Ok(Num(1.0));
    }
    if !depends_on(e, var) {
        return Ok(Num(0.0));
    }
    let d = |x: &ExprIr| diff(x, var);
    Ok(match e {
        Neg(x) => Neg(bx(d(x)?)),
        Add(x, y) => Add(bx(d(x)?), bx(d(y)?)),
        Sub(x, y) => Sub(bx(d(x)?), bx(d(y)?)),
        Mul(x, y) => Add(bx(Mul(bx(d(x)?), y.clone())), bx(Mul(x.clone(), bx(d(y)?)))),
        Div(x, y) => {
            if depends_on(y, var) {
                // (x' y - x y') / y^2
                Div(
                    bx(Sub(
                        bx(Mul(bx(d(x)?), y.clone())),
                        bx(Mul(x.clone(), bx(d(y)?))),
                    )),
                    bx(Powf(y.clone(), bx(Num(2.0)))),
                )
            } else {
                Div(bx(d(x)?), y.clone())
            }
        }
        Powf(x, y) => {
            if !depends_on(y, var) {
                // y x^(y-1) x'
                Mul(
                    bx(Mul(
                        y.clone(),
                        bx(Powf(x.clone(), bx(Sub(y.clone(), bx(Num(1.0)))))),
                    )),
                    bx(d(x)?),
                )
            } else if !depends_on(x, var) {
                // x^y ln(x) y'
                Mul(bx(Mul(bx(e.clone()), bx(Ln(x.clone())))), bx(d(y)?))
            } else {
                // x^y (y' ln x + y x' / x)
                Mul(
                    bx(e.clone()),
                    bx(Add(
                        bx(Mul(bx(d(y)?), bx(Ln(x.clone())))),
                        bx(Div(bx(Mul(y.clone(), bx(d(x)?))), x.clone())),
                    )),
                )
            }
        }
        Ln(x) => Div(bx(d(x)?), x.clone()),
        Exp(x) => Mul(bx(e.clone()), bx(d(x)?)),
        Min(..) | Max(..) => {
            return Err(
                "`min` and `max` have a kink where their arguments meet, so the marginal \
                 utility is not an expression there (smooth the kink with `softplus(x, mu)`)"
                    .to_string(),
            )
        }
        Softplus(x, mu) => {
            if depends_on(mu, var) {
                return Err(
                    "the width `mu` of `softplus(x, mu)` must not depend on the control"
                        .to_string(),
                );
            }
            // x' / (1 + exp(-x / mu))
            Div(
                bx(d(x)?),
                bx(Add(
                    bx(Num(1.0)),
                    bx(Exp(bx(Neg(bx(Div(x.clone(), mu.clone())))))),
                )),
            )
        }
        leaf => unreachable!("leaf {leaf:?} depends on {var:?} but is not it"),
    })
}

/// Solves `e = target` for the leaf `var` when `var` occurs exactly once in
/// `e`, along a chain of invertible steps; `None` otherwise.
pub fn invert(e: &ExprIr, var: &ExprIr, target: ExprIr) -> Option<ExprIr> {
    use ExprIr::*;
    if e == var {
        return Some(simplify(&target));
    }
    let has = |x: &ExprIr| depends_on(x, var);
    let t = bx(target);
    match e {
        Neg(x) => invert(x, var, Neg(t)),
        Exp(x) => invert(x, var, Ln(t)),
        Ln(x) => invert(x, var, Exp(t)),
        Add(x, y) if has(x) && !has(y) => invert(x, var, Sub(t, y.clone())),
        Add(x, y) if has(y) && !has(x) => invert(y, var, Sub(t, x.clone())),
        Sub(x, y) if has(x) && !has(y) => invert(x, var, Add(t, y.clone())),
        Sub(x, y) if has(y) && !has(x) => invert(y, var, Sub(x.clone(), t)),
        Mul(x, y) if has(x) && !has(y) => invert(x, var, Div(t, y.clone())),
        Mul(x, y) if has(y) && !has(x) => invert(y, var, Div(t, x.clone())),
        Div(x, y) if has(x) && !has(y) => invert(x, var, Mul(t, y.clone())),
        Div(x, y) if has(y) && !has(x) => invert(y, var, Div(x.clone(), t)),
        Powf(x, y) if has(x) && !has(y) => {
            invert(x, var, Powf(t, bx(Div(bx(Num(1.0)), y.clone()))))
        }
        Powf(x, y) if has(y) && !has(x) => invert(y, var, Div(bx(Ln(t)), bx(Ln(x.clone())))),
        _ => None,
    }
}

/// What a utility function was recognised as.
#[derive(Debug, Clone, PartialEq)]
pub enum Recognised {
    /// `c.powf(1 - gamma) / (1 - gamma)`, possibly plus a constant.
    Crra {
        /// The relative risk aversion.
        gamma: ExprIr,
        /// Whether the utility differs from the canonical form by a constant
        /// (`(c.powf(1 - gamma) - 1) / (1 - gamma)`).
        shifted: bool,
    },
    /// `c.ln()`, possibly plus a constant.
    Log {
        /// Whether a constant is added.
        shifted: bool,
    },
    /// Anything else.
    Other,
}

/// The signed terms of a sum (`x - (y - z)` is `[+x, -y, +z]`).
pub fn terms(e: &ExprIr) -> Vec<(bool, &ExprIr)> {
    fn go<'a>(e: &'a ExprIr, neg: bool, out: &mut Vec<(bool, &'a ExprIr)>) {
        match e {
            ExprIr::Add(x, y) => {
                go(x, neg, out);
                go(y, neg, out);
            }
            ExprIr::Sub(x, y) => {
                go(x, neg, out);
                go(y, !neg, out);
            }
            ExprIr::Neg(x) => go(x, !neg, out),
            _ => out.push((neg, e)),
        }
    }
    let mut out = Vec::new();
    go(e, false, &mut out);
    out
}

/// Recognises CRRA and log utility of the leaf `c` (up to an additive
/// constant, which changes neither the marginal utility nor any choice).
pub fn recognise_utility(u: &ExprIr, c: &ExprIr) -> Recognised {
    use ExprIr::*;
    let ts = terms(u);
    let with_c: Vec<&(bool, &ExprIr)> = ts.iter().filter(|(_, t)| depends_on(t, c)).collect();
    let [(neg, core)] = with_c.as_slice() else {
        return Recognised::Other;
    };
    if *neg {
        return Recognised::Other;
    }
    let constant_added = ts.len() > 1;
    if let Ln(x) = core {
        if **x == *c {
            return Recognised::Log {
                shifted: constant_added,
            };
        }
    }
    // (c.powf(e) [- k]) / e
    if let Div(top, den) = core {
        let top_terms = terms(top);
        let powers: Vec<&(bool, &ExprIr)> =
            top_terms.iter().filter(|(_, t)| depends_on(t, c)).collect();
        if let [(false, Powf(base, e))] = powers.as_slice() {
            if **base == *c && **e == **den && !depends_on(e, c) {
                let gamma = match &**e {
                    Sub(one, g) if **one == Num(1.0) => (**g).clone(),
                    other => simplify(&Sub(bx(Num(1.0)), bx(other.clone()))),
                };
                return Recognised::Crra {
                    gamma,
                    shifted: constant_added || top_terms.len() > 1,
                };
            }
        }
    }
    Recognised::Other
}

/// Prints `e` as a model expression; `name` spells a leaf.
pub fn display(e: &ExprIr, name: &dyn Fn(&ExprIr) -> String) -> String {
    fn prec(e: &ExprIr) -> u8 {
        match e {
            ExprIr::Add(..) | ExprIr::Sub(..) => 1,
            ExprIr::Mul(..) | ExprIr::Div(..) => 2,
            ExprIr::Neg(..) => 3,
            ExprIr::Num(v) if *v < 0.0 => 3,
            _ => 4,
        }
    }
    fn go(e: &ExprIr, name: &dyn Fn(&ExprIr) -> String) -> String {
        use ExprIr::*;
        let wrap = |x: &ExprIr, min: u8| {
            let s = go(x, name);
            if prec(x) < min {
                format!("({s})")
            } else {
                s
            }
        };
        match e {
            Num(v) => {
                if v.fract() == 0.0 && v.abs() < 1e15 {
                    format!("{v:.1}")
                } else {
                    format!("{v}")
                }
            }
            Neg(x) => format!("-{}", wrap(x, 3)),
            Add(x, y) => format!("{} + {}", wrap(x, 1), wrap(y, 2)),
            Sub(x, y) => format!("{} - {}", wrap(x, 1), wrap(y, 2)),
            Mul(x, y) => format!("{} * {}", wrap(x, 2), wrap(y, 3)),
            Div(x, y) => format!("{} / {}", wrap(x, 2), wrap(y, 3)),
            Powf(x, y) => format!("{}.powf({})", wrap(x, 4), go(y, name)),
            Ln(x) => format!("{}.ln()", wrap(x, 4)),
            Exp(x) => format!("{}.exp()", wrap(x, 4)),
            Min(x, y) => format!("{}.min({})", wrap(x, 4), go(y, name)),
            Max(x, y) => format!("{}.max({})", wrap(x, 4), go(y, name)),
            Softplus(x, y) => format!("softplus({}, {})", go(x, name), go(y, name)),
            leaf => name(leaf),
        }
    }
    go(e, name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::model::{Env, ParamIr};
    use ExprIr::*;

    fn c() -> ExprIr {
        Control
    }
    fn p(i: usize) -> ExprIr {
        Param {
            index: i,
            element: 0,
        }
    }
    fn params() -> Vec<ParamIr> {
        vec![ParamIr::new("gamma", 2.5), ParamIr::new("theta", 0.7)]
    }
    fn at(e: &ExprIr, x: f64) -> f64 {
        let ps = params();
        let env = Env {
            params: &ps,
            control: Some(x),
            marginal_value: Some(x),
            ..Env::default()
        };
        e.eval(&env).unwrap()
    }

    /// Expressions of the control covering every rule of the differentiator.
    fn cases() -> Vec<ExprIr> {
        let num = |v| bx(Num(v));
        vec![
            // CRRA
            Div(
                bx(Powf(bx(c()), bx(Sub(num(1.0), bx(p(0)))))),
                bx(Sub(num(1.0), bx(p(0)))),
            ),
            // CARA: -exp(-theta c) / theta
            Div(
                bx(Neg(bx(Exp(bx(Mul(bx(Neg(bx(p(1)))), bx(c()))))))),
                bx(p(1)),
            ),
            // quadratic: c - 0.5 theta c^2
            Sub(
                bx(c()),
                bx(Mul(
                    bx(Mul(num(0.5), bx(p(1)))),
                    bx(Powf(bx(c()), num(2.0))),
                )),
            ),
            Ln(bx(Add(bx(c()), num(0.3)))),
            Div(num(1.0), bx(Add(bx(c()), bx(Mul(bx(c()), bx(c())))))),
            Powf(bx(c()), bx(c())),
            Powf(num(1.7), bx(Mul(bx(p(0)), bx(c())))),
            Softplus(bx(Sub(bx(c()), num(1.0))), num(0.1)),
            Mul(bx(Exp(bx(c()))), bx(Ln(bx(c())))),
        ]
    }

    #[test]
    fn derivatives_match_finite_differences() {
        for e in cases() {
            let d = derivative(&e, &Control).unwrap();
            assert!(!matches!(d, Num(z) if z == 0.0));
            for x in [0.4, 0.9, 1.3, 2.2] {
                let h = 1e-5 * x;
                let fd = (at(&e, x + h) - at(&e, x - h)) / (2.0 * h);
                let got = at(&d, x);
                assert!(
                    (got - fd).abs() <= 1e-6 * (1.0 + fd.abs()),
                    "{e:?} at {x}: {got} vs {fd}"
                );
            }
        }
    }

    #[test]
    fn kinks_have_no_derivative() {
        let e = Min(bx(c()), bx(Num(1.0)));
        assert!(derivative(&e, &Control).is_err());
        // constant in the control: fine
        let e = Add(bx(c()), bx(Max(bx(p(0)), bx(Num(1.0)))));
        assert_eq!(derivative(&e, &Control).unwrap(), Num(1.0));
    }

    #[test]
    fn marginal_utilities_invert() {
        // quadratic, CARA and CRRA marginal utilities are chains in c
        for e in cases().into_iter().take(3) {
            let m = derivative(&e, &Control).unwrap();
            let inv = invert(&m, &Control, MarginalValue).expect("invertible");
            for x in [0.3, 0.8, 1.1] {
                let back = at(&inv, at(&m, x));
                assert!((back - x).abs() < 1e-9, "{e:?}: {back} vs {x}");
            }
        }
        // c appears twice: no inversion
        let m = Add(bx(c()), bx(Exp(bx(c()))));
        assert!(invert(&m, &Control, MarginalValue).is_none());
    }

    #[test]
    fn recognises_crra_and_log() {
        let u = &cases()[0];
        assert_eq!(
            recognise_utility(u, &Control),
            Recognised::Crra {
                gamma: p(0),
                shifted: false
            }
        );
        let shifted = Div(
            bx(Sub(
                bx(Powf(bx(c()), bx(Sub(bx(Num(1.0)), bx(p(0)))))),
                bx(Num(1.0)),
            )),
            bx(Sub(bx(Num(1.0)), bx(p(0)))),
        );
        assert_eq!(
            recognise_utility(&shifted, &Control),
            Recognised::Crra {
                gamma: p(0),
                shifted: true
            }
        );
        let literal = Div(bx(Powf(bx(c()), bx(Num(-1.0)))), bx(Num(-1.0)));
        assert_eq!(
            recognise_utility(&literal, &Control),
            Recognised::Crra {
                gamma: Num(2.0),
                shifted: false
            }
        );
        assert_eq!(
            recognise_utility(&Ln(bx(c())), &Control),
            Recognised::Log { shifted: false }
        );
        assert_eq!(
            recognise_utility(&Add(bx(Ln(bx(c()))), bx(p(1))), &Control),
            Recognised::Log { shifted: true }
        );
        assert_eq!(recognise_utility(&cases()[1], &Control), Recognised::Other);
        // a negative CRRA is not a utility of the family
        assert_eq!(
            recognise_utility(&Neg(bx(u.clone())), &Control),
            Recognised::Other
        );
    }

    #[test]
    fn simplify_keeps_values() {
        for e in cases() {
            let s = simplify(&e);
            for x in [0.5, 1.5] {
                assert!((at(&s, x) - at(&e, x)).abs() < 1e-12);
            }
        }
        assert_eq!(
            simplify(&Sub(bx(Sub(bx(Num(1.0)), bx(p(0)))), bx(Num(1.0)))),
            Neg(bx(p(0)))
        );
    }

    #[test]
    fn display_reads_like_the_source() {
        let name = |e: &ExprIr| match e {
            Control => "c".to_string(),
            Param { index: 0, .. } => "gamma".to_string(),
            _ => "?".to_string(),
        };
        let m = derivative(&cases()[0], &Control).unwrap();
        assert_eq!(display(&m, &name), "c.powf(-gamma)");
        let e = Sub(bx(c()), bx(Sub(bx(p(0)), bx(c()))));
        assert_eq!(display(&e, &name), "c - (gamma - c)");
    }
}
