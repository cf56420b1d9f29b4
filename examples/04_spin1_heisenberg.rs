//! The spin-1 Heisenberg ring with `mpo!`: DMRG2, DMRG1 with White's
//! correction and AMEn on seed 003's benchmark (Dolgov & Savostyanov 2013).
//!
//! `cargo run --release --example 04_spin1_heisenberg [MAX_RANK] [SWEEPS] [METHODS]`
//! (defaults 40, 6 and `dmrg2,dmrg1c,amen`; a few minutes on 2 cores, most
//! of it in DMRG2, whose two-site problems are 3x larger). Writes
//! `out/04_spin1_heisenberg.svg`: the error `lambda - lambda*` against sweep and
//! against time, `lambda* = -140.14840390392` (rank-4000 DMRG of White 2005).

use qtt::solve::{amen_eig, dmrg, AmenOptions, DmrgOptions, SweepReport};
use qtt::TensorTrain;

const LAMBDA_STAR: f64 = -140.14840390392;

fn main() -> Result<(), qtt::Error> {
    std::fs::create_dir_all("out").expect("cannot create the out/ folder for plots");
    let args: Vec<String> = std::env::args().collect();
    let max_rank: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(40);
    let sweeps: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(6);
    let methods = args
        .get(3)
        .cloned()
        .unwrap_or_else(|| "dmrg2,dmrg1c,amen".into());
    let d = 100;

    // 1. The operator, written as physicists write it. The S_y S_y terms are
    //    imaginary one by one; their sum with S_x S_x is real, and the MPO is
    //    assembled from S+ S- internally (rank 8 for the ring).
    let h = qtt::mpo! {
        sites d of spin(1);
        sum i in 0..d { Sx[i]*Sx[(i+1)%d] + Sy[i]*Sy[(i+1)%d] + Sz[i]*Sz[(i+1)%d] }
    }?;
    println!(
        "1. Heisenberg ring: {d} spin-1 sites, MPO ranks up to {}",
        h.max_rank()
    );

    // 2. The same random start for all three methods.
    let x0 = TensorTrain::random(&vec![3; d], 4, 2013)?;
    let mut runs: Vec<(&str, &str, Vec<SweepReport>)> = Vec::new();

    if methods.contains("dmrg2") {
        println!("2. DMRG2 (two-site), ranks doubling up to {max_rank}");
        let mut o = DmrgOptions::two_site(max_rank);
        o.max_sweeps = sweeps;
        o.energy_tol = 0.0;
        o.verbose = true;
        runs.push(("DMRG2", "#1f77b4", dmrg(&h, &x0, &o)?.sweeps));
    }
    if methods.contains("dmrg1c") {
        println!("3. DMRG1c (one-site, White's correction a = 1e-4 -> 0)");
        let mut o = DmrgOptions::one_site(max_rank);
        o.max_sweeps = sweeps;
        o.energy_tol = 0.0;
        o.verbose = true;
        runs.push(("DMRG1c", "#d62728", dmrg(&h, &x0, &o)?.sweeps));
    }
    if !methods.contains("amen") {
        return finish(&runs);
    }
    println!("4. AMEn (one-site, residual enrichment of rank 4)");
    let o = AmenOptions {
        max_rank,
        enrichment_rank: 4,
        max_sweeps: sweeps,
        energy_tol: 0.0,
        verbose: true,
        ..AmenOptions::default()
    };
    runs.push(("AMEn", "#2ca02c", amen_eig(&h, &x0, &o)?.sweeps));
    finish(&runs)
}

/// Prints the final errors and writes the plot.
fn finish(runs: &[(&str, &str, Vec<SweepReport>)]) -> Result<(), qtt::Error> {
    println!("5. lambda - lambda* after the last sweep (lambda* = {LAMBDA_STAR}):");
    for (name, _, r) in runs {
        let last = r.last().expect("at least one sweep");
        println!(
            "   {name:7} {:.3e}  rank {:4}  {:7.2} s",
            last.energy - LAMBDA_STAR,
            last.max_rank,
            last.seconds
        );
    }
    let svg = plot(runs);
    std::fs::write("out/04_spin1_heisenberg.svg", svg)?;
    println!("6. wrote spin1_heisenberg.svg (error against sweep and against time)");
    Ok(())
}

/// Two log-scale panels: error against sweep, error against seconds.
fn plot(runs: &[(&str, &str, Vec<SweepReport>)]) -> String {
    let err = |r: &SweepReport| (r.energy - LAMBDA_STAR).max(1e-12).log10();
    let all: Vec<f64> = runs
        .iter()
        .flat_map(|(_, _, r)| r.iter().map(err))
        .collect();
    let (ylo, yhi) = (
        all.iter().cloned().fold(f64::INFINITY, f64::min).floor(),
        all.iter()
            .cloned()
            .fold(f64::NEG_INFINITY, f64::max)
            .ceil()
            .max(-11.0),
    );
    let max_sweep = runs.iter().map(|(_, _, r)| r.len()).max().unwrap_or(1) as f64;
    let tmax = runs
        .iter()
        .flat_map(|(_, _, r)| r.iter().map(|s| s.seconds))
        .fold(0.0, f64::max);
    let (tlo, thi) = (
        runs.iter()
            .flat_map(|(_, _, r)| r.iter().map(|s| s.seconds.max(1e-3).log10()))
            .fold(f64::INFINITY, f64::min)
            .floor(),
        tmax.max(1e-3).log10().ceil(),
    );
    let (w, h, m) = (420.0, 300.0, 50.0);
    let mut s = format!(
        "<svg xmlns='http://www.w3.org/2000/svg' width='{}' height='{}' font-family='sans-serif' font-size='11'>\n",
        2.0 * w + 20.0,
        h + 30.0
    );
    for (panel, xlabel) in [(0, "sweep"), (1, "log10 seconds")] {
        let ox = panel as f64 * (w + 20.0);
        let (xlo, xhi) = if panel == 0 {
            (0.0, max_sweep)
        } else {
            (tlo, thi.max(tlo + 1.0))
        };
        let px = |x: f64| ox + m + (x - xlo) / (xhi - xlo) * (w - 1.5 * m);
        let py = |y: f64| h - m + (ylo - y) / (yhi - ylo).max(1.0) * (h - 1.5 * m);
        s += &format!(
            "<rect x='{}' y='{}' width='{}' height='{}' fill='none' stroke='black'/>\n",
            px(xlo),
            py(yhi),
            px(xhi) - px(xlo),
            py(ylo) - py(yhi)
        );
        let mut y = ylo;
        while y <= yhi + 1e-9 {
            s += &format!(
                "<text x='{}' y='{}' text-anchor='end'>1e{}</text>\n",
                px(xlo) - 4.0,
                py(y) + 4.0,
                y as i64
            );
            y += ((yhi - ylo) / 6.0).ceil().max(1.0);
        }
        s += &format!(
            "<text x='{}' y='{}' text-anchor='middle'>{xlabel} ({xlo:.0} .. {xhi:.0})</text>\n",
            px((xlo + xhi) / 2.0),
            h - m + 28.0
        );
        s += &format!(
            "<text x='{}' y='{}'>lambda - lambda*</text>\n",
            px(xlo) + 4.0,
            py(yhi) + 12.0
        );
        for (i, (name, color, r)) in runs.iter().enumerate() {
            let pts: Vec<String> = r
                .iter()
                .map(|rep| {
                    let x = if panel == 0 {
                        rep.sweep as f64
                    } else {
                        rep.seconds.max(1e-3).log10()
                    };
                    format!("{:.1},{:.1}", px(x), py(err(rep)))
                })
                .collect();
            s += &format!(
                "<polyline fill='none' stroke='{color}' stroke-width='2' points='{}'/>\n",
                pts.join(" ")
            );
            s += &format!(
                "<text x='{}' y='{}' fill='{color}'>{name}</text>\n",
                px(xhi) - 60.0,
                py(yhi) + 14.0 * (i as f64 + 1.0)
            );
        }
    }
    s += "</svg>\n";
    s
}
