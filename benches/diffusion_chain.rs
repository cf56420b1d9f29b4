//! `model!`'s income diffusion solved as a `J = 2^Lz`-state Markov model:
//! one household solve at a fixed price by the QTT and the banded
//! finite-difference backends, against `J`, with the QTT ranks and each
//! backend's `V` against the 2-D sparse oracle (`income_diffusion`) on the
//! same grid (`max |V - V_oracle| / max |V_oracle|`).
//!
//! `cargo bench --bench diffusion_chain -- [--bits 8] [--income 3,4,5]
//! [--reps 1] [--models aiyagari_ou,huggett_ou]` prints one JSON line per
//! model, size and backend (fields model, wealth_bits, income_points,
//! backend, seconds, max_rank, v_diff); seconds is the median of `reps`
//! solves after one warm-up solve.

mod common;

#[allow(dead_code)]
#[path = "../examples/common/diffusion_models.rs"]
mod diffusion_models;

use common::{arg, list, loadavg, time, J};
use diffusion_models::{aiyagari_ou, huggett_ou};
use qtt::econ::income_diffusion::IncomeDiffusion;
use qtt::econ::sparse_generator::FdOptions;
use qtt::econ::{HouseholdSolution, Model, SolveOptions};

type Declared = fn(u32, u32) -> qtt::Result<Model>;

fn main() {
    let bits: u32 = arg("--bits", 8);
    let income: Vec<u32> = list("--income", "3,4,5");
    let reps: usize = arg("--reps", 1);
    let models: Vec<String> = list("--models", "aiyagari_ou,huggett_ou");
    let economies: [(&str, Declared, IncomeDiffusion, f64); 2] = [
        (
            "aiyagari_ou",
            aiyagari_ou,
            IncomeDiffusion::aiyagari(),
            0.045,
        ),
        ("huggett_ou", huggett_ou, IncomeDiffusion::huggett(), 0.03),
    ];
    for (name, declared, econ, r) in economies {
        if !models.iter().any(|m| m == name) {
            continue;
        }
        for &lz in &income {
            let grid = econ.grid(bits, lz).expect("the oracle's grid");
            let oracle = econ
                .solve_household(&grid, r, &FdOptions::default(), None)
                .expect("the oracle solves");
            let model = declared(bits, lz).expect("the model! economy");
            for (backend, opts) in [
                ("finite_difference", SolveOptions::finite_difference()),
                ("qtt", SolveOptions::default()),
            ] {
                let (timing, s) = time(1, reps, 0.0, || model.solve_household(r, &opts, None));
                let line = match s {
                    Ok(s) => {
                        let v_diff = value_difference(&s, &oracle.value, grid.na(), grid.nz());
                        let rank = |f: &qtt::econ::Field| {
                            f.ranks().map_or(J::N(f64::NAN), |r| {
                                J::I(r.into_iter().max().unwrap_or(0) as i64)
                            })
                        };
                        vec![
                            ("seconds", J::N(timing.median)),
                            ("max_rank", rank(&s.value)),
                            ("density_max_rank", rank(&s.density)),
                            ("v_diff", J::N(v_diff)),
                            ("hjb_iterations", J::I(s.hjb.len() as i64)),
                            ("reps", J::I(timing.reps as i64)),
                        ]
                    }
                    Err(e) => vec![("error", J::S(e.to_string()))],
                };
                let mut fields = vec![
                    ("bench", J::S("diffusion_chain".into())),
                    ("model", J::S(name.into())),
                    ("wealth_bits", J::I(bits as i64)),
                    ("income_points", J::I(1i64 << lz)),
                    ("backend", J::S(backend.into())),
                    ("price", J::N(r)),
                ];
                fields.extend(line);
                fields.push(("loadavg", J::N(loadavg())));
                println!("{}", J::O(fields).render());
            }
        }
    }
}

/// `max |V - V_oracle| / max |V_oracle|`, the oracle wealth fastest.
fn value_difference(s: &HouseholdSolution, oracle: &[f64], na: usize, nz: usize) -> f64 {
    let (mut d, mut scale) = (0.0f64, 0.0f64);
    for k in 0..nz {
        for i in 0..na {
            let o = oracle[i + na * k];
            d = d.max((s.value.at(i as u64, k) - o).abs());
            scale = scale.max(o.abs());
        }
    }
    d / scale
}
