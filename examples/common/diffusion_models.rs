//! The income-diffusion economies of `qtt::econ::income_diffusion` declared
//! in `model!` (example 14; `tests/model_diffusion.rs` and
//! `benches/diffusion_chain.rs` include this file): the same household, the same reflected
//! OU income ([`OuIncome::hact`]), the same firm, so that the 1-D backends,
//! which solve the income diffusion as the Markov chain of its grid, can be
//! checked against the 2-D oracle point by point.

use qtt::econ::income_diffusion::OuIncome;
use qtt::econ::Model;

/// Huggett with OU income: income `z` itself, bonds in zero net supply,
/// `a` in `[-1, 30]` on `2^la` points, `z` on `2^lz` points.
pub fn huggett_ou(la: u32, lz: u32) -> qtt::Result<Model> {
    let ou = OuIncome::hact();
    let (wealth_points, income_points) = (1u64 << la, 1u64 << lz);
    qtt::model! {
        params {
            gamma = 2.0, rho = 0.05, theta = ou.theta, zbar = ou.mean, sigma2 = ou.sigma2,
            zmin = ou.zmin, zmax = ou.zmax, amin = -1.0, amax = 30.0
        }
        prices { r in (0.0, 0.0499) }
        states {
            a: wealth on [amin, amax] with wealth_points points;
            y: diffusion drift theta * (zbar - y) variance sigma2 on [zmin, zmax] with income_points points;
        }
        control c;
        utility c.powf(1.0 - gamma) / (1.0 - gamma);
        drift a = y + r * a - c;
        borrowing a >= amin;
        discount rho;
        clear sum(a * g) == 0.0;
    }
}

/// Aiyagari with OU income (HACT's `aiyagari_diffusion_equilibrium`):
/// gamma 2, rho 0.05, alpha 0.35, delta 0.1, A 1, `a` in `[-1, 30]`. The
/// firm is the oracle's: capital per worker `k(r)`, wage `w(k)`, capital
/// `K = k L` with labour `L = E[z]` under the chain's stationary law on
/// the `2^lz` grid ([`OuIncome::mean_on_grid`]).
pub fn aiyagari_ou(la: u32, lz: u32) -> qtt::Result<Model> {
    let ou = OuIncome::hact();
    let labour = ou.mean_on_grid(lz);
    let (wealth_points, income_points) = (1u64 << la, 1u64 << lz);
    qtt::model! {
        params {
            gamma = 2.0, rho = 0.05, alpha = 0.35, delta = 0.1, tfp = 1.0, labour = labour,
            theta = ou.theta, zbar = ou.mean, sigma2 = ou.sigma2, zmin = ou.zmin, zmax = ou.zmax
        }
        prices { r in (0.01, 0.0499) }
        firm {
            k = (alpha * tfp / (r + delta)).powf(1.0 / (1.0 - alpha));
            w = (1.0 - alpha) * tfp * k.powf(alpha);
            K = k * labour;
        }
        states {
            a: wealth on [-1.0, 30.0] with wealth_points points;
            y: diffusion drift theta * (zbar - y) variance sigma2 on [zmin, zmax] with income_points points;
        }
        control c;
        utility c.powf(1.0 - gamma) / (1.0 - gamma);
        drift a = w * y + r * a - c;
        discount rho;
        clear sum(a * g) == K;
    }
}
