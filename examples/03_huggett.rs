//! Seed 000's first economy: Huggett (1993) in continuous time, solved as
//! Achdou, Han, Lasry, Lions and Moll do, on quantized grids.
//!
//! Households hold bonds `a >= amin`, earn `z_1 = 0.1` or `z_2 = 0.2` (they
//! switch at rate 1.2), consume `c` with CRRA utility (gamma = 2), discount
//! at rho = 0.05; bonds are in zero net supply, so the interest rate r*
//! clears `sum a g(a, z) da = 0`.
//!
//! The story: (1) the household at one interest rate — value function,
//! consumption, savings and the wealth distribution with its point mass at
//! the borrowing limit; (2) the QTT backend and the finite-difference one
//! agree, and how compressible V and g are; (3) excess supply S(r) and the
//! equilibrium; (4) r* against the grid, its first-order convergence and
//! the grid limit by Richardson extrapolation; (5) the same economy and
//! Aiyagari's in `model!`; (6) a transition after a shock, by both
//! backends.
//!
//! `cargo run --release --example 03_huggett` (about a minute; plots in `out/`).

mod common;

use common::plot::Plot;
use qtt::econ::{
    AiyagariParams, Equilibrium, EquilibriumOptions, HuggettParams, Model, SolveOptions,
};
use qtt::Result;
use std::time::Instant;

fn main() -> Result<()> {
    std::fs::create_dir_all("out").ok();
    let params = HuggettParams::default();
    println!(
        "Huggett economy: gamma {}, rho {}, z {:?}, lambda {:?}, a in [{}, {}]\n",
        params.gamma, params.rho, params.z, params.lambda, params.amin, params.amax
    );

    // (1) The household at r = 0.03 on 2^10 wealth points.
    let model = params.model(1 << 10)?;
    let fd = SolveOptions::finite_difference();
    let sol = model.solve_household(0.03, &fd, None)?;
    println!(
        "(1) partial equilibrium at r = 0.03 on 2^10 points: {} policy iterations",
        sol.hjb.len()
    );
    println!(
        "    mass {:.15}, mass at the borrowing limit {:?}",
        sol.mass, sol.mass_at_limit
    );
    println!(
        "    S(0.03) = sum a g da = {:.6}: {}",
        sol.aggregate,
        if sol.aggregate < 0.0 {
            "households borrow more than they lend, so r* lies above 0.03"
        } else {
            "households lend more than they borrow, so r* lies below 0.03"
        }
    );
    let n = model.points();
    let curve = |f: &qtt::econ::Field, j: usize| -> Vec<(f64, f64)> {
        f.sample(n, j, 400)
            .into_iter()
            .map(|(i, v)| (model.wealth(i), v))
            .collect()
    };
    for (name, field, label) in [
        ("value", &sol.value, "V(a, z)"),
        ("consumption", &sol.consumption, "c(a, z)"),
        ("savings", &sol.savings, "s(a, z) = z + r a - c"),
    ] {
        Plot::new(&format!("Huggett at r = 0.03: {label}"))
            .x_label("wealth a")
            .y_label(label)
            .line("z = 0.1", curve(field, 0))
            .line("z = 0.2", curve(field, 1))
            .write(format!("out/03_{name}.svg"))?;
    }
    // The density without its point mass (plotted from the second point on).
    let dens =
        |j: usize| -> Vec<(f64, f64)> { curve(&sol.density, j).into_iter().skip(1).collect() };
    Plot::new("Huggett at r = 0.03: wealth density g(a, z) (point mass at amin not drawn)")
        .x_label("wealth a")
        .y_label("g")
        .line("z = 0.1", dens(0))
        .line("z = 0.2", dens(1))
        .write("out/03_density.svg")?;
    println!(
        "    savings at a = 0: {:.5} (low income) and {:.5} (high income)",
        sol.savings.at(model.points() * 15 / 515, 0),
        sol.savings.at(model.points() * 15 / 515, 1)
    );

    // (2) The QTT backend (cyclic reduction on the quantized grid) on 2^12
    // points, against the finite-difference solution there.
    let small = params.model(1 << 12)?;
    let t = Instant::now();
    let q = small.solve_household(0.03, &SolveOptions::default(), None)?;
    let t_q = t.elapsed().as_secs_f64();
    let f = small.solve_household(0.03, &fd, None)?;
    let mut dv = 0.0f64;
    for i in 0..small.points() {
        for j in 0..2 {
            dv = dv.max((q.value.at(i, j) - f.value.at(i, j)).abs() / f.value.at(i, j).abs());
        }
    }
    println!("\n(2) QTT backend on 2^12 points ({t_q:.1} s): max |V_qtt - V_fd| / |V| = {dv:.1e}, excess {:.12} vs {:.12}",
        q.excess, f.excess);
    if let Some([v, c, s, g]) = q.ranks() {
        println!("    bond dimensions: V {v:?}\n                     c {c:?}\n                     s {s:?}\n                     g {g:?}");
    }
    println!(
        "    mass {:.15}, smallest density {:.1e}, KFE residual {:.1e}",
        q.mass, q.min_density, q.kfe_residual
    );

    // (3) Excess supply S(r) and the equilibrium on 2^12 points.
    let model = params.model(1 << 12)?;
    let rs: Vec<f64> = (0..=24).map(|k| 0.001 + 0.002 * k as f64).collect();
    let s = model.excess_curve(&rs, &fd)?;
    Plot::new("Huggett: excess bond supply S(r) on 2^12 points")
        .x_label("interest rate r")
        .y_label("S(r) = sum a g da")
        .line(
            "S(r)",
            s.iter().map(|p| (p.price, p.excess)).collect::<Vec<_>>(),
        )
        .write("out/03_excess_supply.svg")?;
    let eq = model.steady_state(&fd, &EquilibriumOptions::default())?;
    println!(
        "\n(3) S(r) is increasing: S(0.001) = {:.4}, S(0.049) = {:.4}",
        s[0].excess,
        s[s.len() - 1].excess
    );
    print_equilibrium("    equilibrium on 2^12 points", &eq);

    // (4) r* against the grid.
    println!("\n(4) r* against the number of grid points 2^L (finite differences):");
    println!("     L        r*(L)            r*(L) - r*(L-1)   ratio   Richardson   seconds");
    let mut prev: Vec<f64> = Vec::new();
    for bits in 8..=18 {
        let t = Instant::now();
        let e = params
            .model(1 << bits)?
            .steady_state(&fd, &EquilibriumOptions::default())?;
        let secs = t.elapsed().as_secs_f64();
        let r = e.price;
        let diff = prev.last().map(|p| r - p);
        let ratio = match (prev.len() >= 2, diff) {
            (true, Some(d)) => (prev[prev.len() - 1] - prev[prev.len() - 2]) / d,
            _ => f64::NAN,
        };
        // First-order Richardson: r + (r - r_prev) h / (h_prev - h) with h ~ 1/(2^L - 1).
        let rich = prev.last().map(|p| {
            let (h, hp) = (
                1.0 / ((1u64 << bits) - 1) as f64,
                1.0 / ((1u64 << (bits - 1)) - 1) as f64,
            );
            r + (r - p) * h / (hp - h)
        });
        println!(
            "    {bits:2}   {r:.12}   {:>14}   {:>5}   {:>12}   {secs:6.2}",
            diff.map(|d| format!("{d:.3e}")).unwrap_or_default(),
            if ratio.is_nan() {
                String::new()
            } else {
                format!("{ratio:.3}")
            },
            rich.map(|x| format!("{x:.9}")).unwrap_or_default()
        );
        prev.push(r);
    }
    println!(
        "    the scheme is first order (ratio -> 2); Richardson's column estimates the grid limit"
    );

    // (5) The same economy in model!, and Aiyagari's.
    let points = 1u64 << 12;
    let declared: Model = qtt::model! {
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
    }?;
    let e2 = declared.steady_state(&fd, &EquilibriumOptions::default())?;
    println!(
        "\n(5) model! Huggett on 2^12 points: r* = {:.15} (plain Rust: {:.15})",
        e2.price, eq.price
    );
    let aiyagari: Model = qtt::model! {
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
    }?;
    let ea = aiyagari.steady_state(&fd, &EquilibriumOptions::default())?;
    let plain = AiyagariParams::default()
        .model(points)?
        .steady_state(&fd, &EquilibriumOptions::default())?;
    println!("    model! Aiyagari on 2^12 points: r* = {:.12}, K* = {:.6}, w* = {:.6} (plain Rust r* = {:.12})",
        ea.price, ea.solution.prices.derived[0], ea.solution.prices.derived[1], plain.price);

    // (6) A transition at r*: a shock wipes out wealth, everybody starts at
    // a = 0 in the low income state, and the distribution returns to g*
    // (implicit steps g' = (I - dt A^T)^-1 g, mass and sign kept exactly).
    let model = params.model(1 << 10)?;
    let r = eq.price;
    let (fd_sol, q_sol) = (
        model.solve_household(r, &fd, None)?,
        model.solve_household(r, &SolveOptions::default(), None)?,
    );
    let (n, da) = (model.points() as usize, model.spacing());
    let i0 = (-model.amin / da).round() as usize;
    let mut g0 = vec![0.0; 2 * n];
    g0[2 * i0] = 1.0 / da;
    let g0q = qtt::econ::quantized_transition::point_mass(&model, i0 as u64, 0)?;
    let (dt, steps) = (1.0, 60);
    let (path, _) =
        qtt::econ::finite_difference::transition(&model, &fd_sol, &g0, dt, steps, None)?;
    let t = Instant::now();
    let (qpath, _) = qtt::econ::quantized_transition::transition(
        &model,
        &q_sol,
        &g0q,
        dt,
        steps,
        &SolveOptions::default().qtt,
        None,
    )?;
    println!(
        "\n(6) transition at r* on 2^10 points after wealth is wiped out ({steps} implicit steps of dt = {dt}, QTT {:.1} s):",
        t.elapsed().as_secs_f64()
    );
    println!("     t     E[a] (FD)        E[a] (QTT)       step mass - 1    min g (QTT)");
    for k in [0, 4, 9, 19, 39, 59] {
        let (a, b) = (&path[k], &qpath[k]);
        println!(
            "    {:3.0}   {:+.12}   {:+.12}   {:+.1e}          {:+.1e}",
            a.time,
            a.wealth,
            b.wealth,
            b.mass - 1.0,
            b.min_density
        );
    }
    println!(
        "    stationary E[a] = {:+.12} (zero net supply at r*, up to the 2^10 grid's own r*)",
        fd_sol.aggregate
    );
    Plot::new("Huggett at r*: mean wealth after a shock that wipes out wealth")
        .x_label("time")
        .y_label("E[a]")
        .line(
            "finite differences",
            path.iter().map(|p| (p.time, p.wealth)).collect::<Vec<_>>(),
        )
        .line(
            "QTT",
            qpath.iter().map(|p| (p.time, p.wealth)).collect::<Vec<_>>(),
        )
        .write("out/03_transition.svg")?;
    println!("\nplots: out/03_value.svg, out/03_consumption.svg, out/03_savings.svg, out/03_density.svg, out/03_excess_supply.svg, out/03_transition.svg");
    Ok(())
}

fn print_equilibrium(label: &str, eq: &Equilibrium) {
    println!(
        "{label}: r* = {:.12} after {} evaluations of S(r) ({:.2} s), S(r*) = {:.1e}",
        eq.price,
        eq.evaluations.len(),
        eq.seconds,
        eq.solution.excess
    );
    println!(
        "    share of households at the borrowing limit: {:.4} (low income), {:.4} (high income)",
        eq.solution.mass_at_limit[0], eq.solution.mass_at_limit[1]
    );
}
