//! Constrained MPS from linear constraints (seed 002).
//!
//! 1. `constraints!` turns `sum(x) <= 4` into a QRegion automaton at compile
//!    time; we print it and draw it (SVG).
//! 2. The uniform constrained MPS counts the feasible set exactly and samples
//!    it perfectly: every sample is feasible.
//! 3. A quadratic knapsack is solved by Born-machine training (Algorithm 3);
//!    the best cost against time is plotted (SVG).
//!
//! Run: `cargo run --release --example 06_constrained_mps`

use qtt::constraints;
use qtt::qregion::knapsack::KnapsackInstance;
use qtt::qregion::{ConstraintAutomaton, OptimizeConfig};
use std::fmt::Write as _;
use std::time::Duration;

fn main() -> qtt::Result<()> {
    std::fs::create_dir_all("out").expect("cannot create the out/ folder for plots");
    // 1. The automaton of one inequality, built by the macro at compile time.
    let set = constraints! {
        vars x[6]: binary;
        sum(x) <= 4;
    };
    let a = set.automaton();
    println!("1. sum(x[0..6]) <= 4 as a QRegion automaton (one row per link):");
    print!("{a}");
    println!(
        "   {} blocks, at most {} QRegions on a link (the slack-variable U(1) MPS needs 48 blocks and 5 charges)",
        a.block_count(),
        a.max_regions()
    );
    let svg = draw_automaton(a);
    std::fs::create_dir_all("target")?;
    std::fs::write("out/06_automaton.svg", svg)?;
    println!("   drawn to out/06_automaton.svg\n");

    // 2. Counting and sampling a two-constraint system.
    let set = constraints! {
        vars x[12];
        2*x[0] + 3*x[1] - x[5] + sum(x[6..12]) >= 3;
        1 <= sum(x[0..8]) <= 5;
    };
    let brute = (0..1u32 << 12)
        .filter(|v| set.is_feasible(&(0..12).map(|i| ((v >> i) & 1) as u8).collect::<Vec<_>>()))
        .count();
    println!("2. a 12-variable, 2-constraint system:");
    println!(
        "   exact count from the automaton: {}  (brute force over 4096: {brute})",
        set.count()
    );
    let mps = set.uniform_mps();
    let samples = mps.sample(10_000, 7)?;
    let feasible = samples.iter().filter(|x| set.is_feasible(x)).count();
    println!("   10000 perfect samples of the uniform state: {feasible} feasible");
    for x in samples.iter().take(3) {
        println!("     sample {:?}", x);
    }
    let wide = constraints! { vars y[300]; 100 <= sum(y) <= 200; };
    println!(
        "   100 <= sum(y[0..300]) <= 200 has {} solutions (beyond u128), charge complexity {}\n",
        wide.count(),
        wide.charge_complexity()?.max()
    );

    // 3. A quadratic knapsack: minimise x^T Q x with w^T x <= floor(n/4).
    let inst = KnapsackInstance::generate(100, 1)?;
    println!(
        "3. quadratic knapsack, n = 100, capacity {}:",
        inst.capacity
    );
    let config = OptimizeConfig {
        iterations: None,
        time_limit: Some(Duration::from_secs(5)),
        ..OptimizeConfig::default()
    };
    let sol = inst.solve(&config, |p| {
        if p.iteration % 10 == 0 {
            println!(
                "   iter {:>3}  t = {:>5.2} s  best {:>6}  T = {:>7.2}",
                p.iteration,
                p.elapsed.as_secs_f64(),
                p.best_cost,
                p.temperature
            );
        }
    })?;
    println!(
        "   best x^T Q x = {} with weight {} <= {} ({} iterations, {} distinct feasible samples)",
        sol.objective, sol.weight, inst.capacity, sol.run.iterations, sol.run.distinct
    );
    std::fs::write("out/06_knapsack.svg", plot_history(&sol.run.history))?;
    println!("   cost against time drawn to out/06_knapsack.svg");
    Ok(())
}

/// Links as columns, regions as labelled boxes, `x = 1` solid, `x = 0` dashed.
fn draw_automaton(a: &ConstraintAutomaton) -> String {
    let n = a.num_sites();
    let (dx, dy) = (110.0, 50.0);
    let rows = a.max_regions() as f64;
    let (w, h) = (dx * (n as f64 + 1.0), dy * (rows + 1.0));
    let pos = |l: usize, r: usize| (40.0 + dx * l as f64, 40.0 + dy * r as f64);
    let mut s = format!(
        "<svg xmlns='http://www.w3.org/2000/svg' width='{w}' height='{h}' font-family='sans-serif' font-size='12'>\n"
    );
    for site in 0..n {
        for l in 0..a.regions(site).len() {
            for x in 0..2u8 {
                if let Some(r) = a.next(site, l, x) {
                    let (x0, y0) = pos(site, l);
                    let (x1, y1) = pos(site + 1, r);
                    let dash = if x == 0 {
                        " stroke-dasharray='4 3'"
                    } else {
                        ""
                    };
                    let _ = writeln!(
                        s,
                        "<line x1='{}' y1='{y0}' x2='{}' y2='{y1}' stroke='#456'{dash}/>",
                        x0 + 30.0,
                        x1 - 30.0
                    );
                }
            }
        }
    }
    for l in 0..=n {
        for (r, reg) in a.regions(l).iter().enumerate() {
            let (x, y) = pos(l, r);
            let _ = writeln!(
                s,
                "<rect x='{}' y='{}' width='60' height='24' rx='6' fill='#eef' stroke='#335'/>\
                 <text x='{x}' y='{}' text-anchor='middle'>{reg}</text>",
                x - 30.0,
                y - 12.0,
                y + 4.0
            );
        }
    }
    s.push_str("</svg>\n");
    s
}

/// Best cost against wall time as a step line.
fn plot_history(h: &[(f64, f64)]) -> String {
    let (w, ht, m) = (640.0, 400.0, 60.0);
    let tmax = h.last().map_or(1.0, |p| p.0).max(1e-9);
    let cmin = h.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
    let cmax = h.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max);
    let span = (cmax - cmin).max(1.0);
    let px = |t: f64| m + (w - 2.0 * m) * t / tmax;
    let py = |c: f64| m + (ht - 2.0 * m) * (c - cmin) / span;
    let mut pts = String::new();
    for (i, &(t, c)) in h.iter().enumerate() {
        if i > 0 {
            let _ = write!(pts, "{:.1},{:.1} ", px(t), py(h[i - 1].1));
        }
        let _ = write!(pts, "{:.1},{:.1} ", px(t), py(c));
    }
    format!(
        "<svg xmlns='http://www.w3.org/2000/svg' width='{w}' height='{ht}' font-family='sans-serif' font-size='12'>\n\
         <rect width='{w}' height='{ht}' fill='white'/>\n\
         <line x1='{m}' y1='{b}' x2='{r}' y2='{b}' stroke='black'/><line x1='{m}' y1='{m}' x2='{m}' y2='{b}' stroke='black'/>\n\
         <polyline points='{pts}' fill='none' stroke='#c33' stroke-width='2'/>\n\
         <text x='{cx}' y='{ty}' text-anchor='middle'>wall time (s), 0 .. {tmax:.1}</text>\n\
         <text x='10' y='{m}'>{cmin}</text><text x='10' y='{b}'>{cmax}</text>\n\
         <text x='{cx}' y='30' text-anchor='middle'>best x^T Q x found (quadratic knapsack, n = 100)</text>\n</svg>\n",
        b = ht - m,
        r = w - m,
        cx = w / 2.0,
        ty = ht - 20.0
    )
}
