//! A bracketing root finder (Brent's method, as Numerical Recipes' `zbrent`)
//! for the market-clearing conditions of every economy in [`econ`](super):
//! one scalar price, an excess that changes sign across a bracket, and
//! evaluations costly enough (a household solve each) that they are all
//! recorded and capped.

use crate::error::{Error, Result};

/// Settings of [`brent`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BrentOptions {
    /// Stop when the bracket is narrower than this.
    pub tol: f64,
    /// Most evaluations of `f`, the two at the bracket's ends included.
    pub max_evaluations: usize,
    /// Stop at the first value with `|f| <= f_tol` (0: only the bracket's
    /// width stops the search).
    pub f_tol: f64,
}

/// The root of `f` in `(a, b)` by Brent's method. `f` is evaluated at both
/// ends first; where it has the same sign at both, `same_sign(a, f(a), b,
/// f(b))` builds the error (so that it can name the economy's price and
/// market). Returns every evaluation `(x, f(x))` in order; the root is the
/// last one or, when the tolerance stops the search, the one with the
/// smallest `|f|` near it (pick it from the list).
pub fn brent(
    mut f: impl FnMut(f64) -> Result<f64>,
    bracket: (f64, f64),
    opts: &BrentOptions,
    same_sign: impl FnOnce(f64, f64, f64, f64) -> Error,
) -> Result<Vec<(f64, f64)>> {
    let (mut a, mut b) = bracket;
    if !(a.is_finite() && b.is_finite() && a < b) {
        return Err(Error::invalid(format!(
            "the bracket ({a}, {b}) must be finite and increasing"
        )));
    }
    if opts.tol.is_nan() || opts.tol <= 0.0 {
        return Err(Error::invalid(format!(
            "the root finder's tolerance {} must be positive",
            opts.tol
        )));
    }
    if !(opts.f_tol >= 0.0 && opts.f_tol.is_finite()) {
        return Err(Error::invalid(format!(
            "the root finder's tolerance on |f| {} must be finite and non-negative",
            opts.f_tol
        )));
    }
    let mut evaluations: Vec<(f64, f64)> = Vec::new();
    let mut evaluate = |x: f64, evaluations: &mut Vec<(f64, f64)>| -> Result<f64> {
        if evaluations.len() >= opts.max_evaluations {
            return Err(Error::Numerical(format!(
                "no root within {} evaluations: {evaluations:?}",
                opts.max_evaluations
            )));
        }
        let fx = f(x)?;
        if fx.is_nan() {
            return Err(Error::NonFinite(format!(
                "the function whose root is sought is NaN at {x}"
            )));
        }
        evaluations.push((x, fx));
        Ok(fx)
    };
    let mut fa = evaluate(a, &mut evaluations)?;
    if fa.abs() <= opts.f_tol {
        return Ok(evaluations);
    }
    let mut fb = evaluate(b, &mut evaluations)?;
    if fb.abs() <= opts.f_tol {
        return Ok(evaluations);
    }
    if fa.signum() == fb.signum() && fa != 0.0 && fb != 0.0 {
        return Err(same_sign(a, fa, b, fb));
    }
    let (mut c, mut fc) = (b, fb);
    let (mut d, mut e) = (b - a, b - a);
    for _ in 0..opts.max_evaluations {
        if (fb > 0.0 && fc > 0.0) || (fb < 0.0 && fc < 0.0) {
            c = a;
            fc = fa;
            d = b - a;
            e = d;
        }
        if fc.abs() < fb.abs() {
            a = b;
            b = c;
            c = a;
            fa = fb;
            fb = fc;
            fc = fa;
        }
        let tol1 = 2.0 * f64::EPSILON * b.abs() + 0.5 * opts.tol;
        let xm = 0.5 * (c - b);
        if xm.abs() <= tol1 || fb == 0.0 || fb.abs() <= opts.f_tol {
            break;
        }
        if e.abs() >= tol1 && fa.abs() > fb.abs() {
            let s = fb / fa;
            let (mut p, mut q);
            if a == c {
                p = 2.0 * xm * s;
                q = 1.0 - s;
            } else {
                let qq = fa / fc;
                let r = fb / fc;
                p = s * (2.0 * xm * qq * (qq - r) - (b - a) * (r - 1.0));
                q = (qq - 1.0) * (r - 1.0) * (s - 1.0);
            }
            if p > 0.0 {
                q = -q;
            }
            p = p.abs();
            let min1 = 3.0 * xm * q - (tol1 * q).abs();
            let min2 = (e * q).abs();
            if 2.0 * p < min1.min(min2) {
                e = d;
                d = p / q;
            } else {
                d = xm;
                e = d;
            }
        } else {
            d = xm;
            e = d;
        }
        a = b;
        fa = fb;
        b += if d.abs() > tol1 { d } else { tol1.copysign(xm) };
        fb = evaluate(b, &mut evaluations)?;
    }
    Ok(evaluations)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts() -> BrentOptions {
        BrentOptions {
            tol: 1e-13,
            max_evaluations: 60,
            f_tol: 0.0,
        }
    }

    #[test]
    fn finds_a_cube_root() {
        let ev = brent(
            |x| Ok(x * x * x - 2.0),
            (0.0, 3.0),
            &opts(),
            |_, _, _, _| Error::invalid("same sign"),
        )
        .unwrap();
        let best = ev
            .iter()
            .min_by(|x, y| x.1.abs().total_cmp(&y.1.abs()))
            .unwrap();
        assert!((best.0 - 2f64.cbrt()).abs() < 1e-12, "{ev:?}");
        assert!(ev.len() < 20);
    }

    /// A tolerance on `|f|` stops at the first value inside it, with
    /// fewer evaluations; a negative or NaN one is an error.
    #[test]
    fn a_tolerance_on_f_stops_early() {
        let f = |x: f64| Ok(x * x * x - 2.0);
        let same = |_, _, _, _| Error::invalid("same sign");
        let exact = brent(f, (0.0, 3.0), &opts(), same).unwrap();
        let loose = BrentOptions {
            f_tol: 1e-6,
            ..opts()
        };
        let ev = brent(f, (0.0, 3.0), &loose, same).unwrap();
        assert!(ev.last().unwrap().1.abs() <= 1e-6, "{ev:?}");
        assert!(ev[..ev.len() - 1].iter().all(|e| e.1.abs() > 1e-6));
        assert!(ev.len() < exact.len(), "{} vs {}", ev.len(), exact.len());
        // An end inside the tolerance is the root.
        let ev = brent(|x| Ok(x - 1e-9), (0.0, 1.0), &loose, same).unwrap();
        assert_eq!(ev.len(), 1);
        for bad in [-1.0, f64::NAN] {
            let o = BrentOptions {
                f_tol: bad,
                ..opts()
            };
            assert!(brent(f, (0.0, 3.0), &o, same).is_err());
        }
    }

    #[test]
    fn same_sign_is_the_callers_error() {
        let e = brent(
            |x| Ok(x * x + 1.0),
            (-1.0, 2.0),
            &opts(),
            |a, fa, b, fb| Error::invalid(format!("S({a}) = {fa}, S({b}) = {fb}")),
        )
        .unwrap_err();
        assert!(e.to_string().contains("S(-1) = 2, S(2) = 5"), "{e}");
    }

    #[test]
    fn bad_bracket_and_nan_are_errors() {
        let same = |_, _, _, _| Error::invalid("same sign");
        assert!(brent(Ok, (1.0, 0.0), &opts(), same).is_err());
        assert!(brent(|_| Ok(f64::NAN), (0.0, 1.0), &opts(), same).is_err());
        let few = BrentOptions {
            tol: 1e-15,
            max_evaluations: 3,
            f_tol: 0.0,
        };
        let e = brent(|x| Ok(x.powi(3) - 0.3), (0.0, 1.0), &few, same).unwrap_err();
        assert!(e.to_string().contains("3 evaluations"), "{e}");
    }
}
