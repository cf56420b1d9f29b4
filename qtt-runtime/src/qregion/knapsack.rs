//! The quadratic knapsack problem: minimise `x^T Q x` subject to
//! `w^T x <= c` over binary `x` (seed 002, Sec. VII).
//!
//! File format (integers, whitespace separated): `n c` on the first line,
//! the `n` weights on the second, then `n` rows of `Q`.

use super::{optimize, ConstraintSet, LinearSystem, OptimizeConfig, OptimizeResult, Progress};
use crate::error::{Error, Result};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::path::Path;
use std::time::Instant;

/// A quadratic knapsack instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnapsackInstance {
    /// Capacity `c`.
    pub capacity: i64,
    /// Weights `w` (one per item).
    pub weights: Vec<i64>,
    /// `Q`, row-major `n x n`.
    pub q: Vec<i64>,
}

/// A solver run: the best selection, its objective, and the time line.
#[derive(Debug, Clone)]
pub struct KnapsackSolution {
    /// Best selection found (0/1 per item).
    pub x: Vec<u8>,
    /// `x^T Q x`.
    pub objective: i64,
    /// `w^T x` (at most the capacity).
    pub weight: i64,
    /// Seconds spent building the automaton and the MPS.
    pub build_seconds: f64,
    /// Max QRegions per link over both flux orientations.
    pub charge_complexity: usize,
    /// The optimiser's record (history of best objective against time).
    pub run: OptimizeResult,
}

impl KnapsackInstance {
    /// Number of items.
    pub fn len(&self) -> usize {
        self.weights.len()
    }

    /// Whether the instance has no items.
    pub fn is_empty(&self) -> bool {
        self.weights.is_empty()
    }

    /// Checks shapes, and that the weights and the entries of `Q` each sum to
    /// at most `i64::MAX` in absolute value (so no objective or weight wraps).
    pub fn new(capacity: i64, weights: Vec<i64>, q: Vec<i64>) -> Result<Self> {
        let inst = Self {
            capacity,
            weights,
            q,
        };
        inst.check()?;
        Ok(inst)
    }

    /// The checks of [`new`](Self::new), for an instance built field by field.
    pub fn check(&self) -> Result<()> {
        let n = self.len();
        if n == 0 {
            return Err(Error::invalid("a knapsack instance needs at least 1 item"));
        }
        if Some(self.q.len()) != n.checked_mul(n) {
            return Err(Error::shape(format!(
                "Q has {} entries, expected n^2 = {} for n = {n} weights",
                self.q.len(),
                n as u128 * n as u128
            )));
        }
        for (what, v) in [
            ("the weights", &self.weights),
            ("the entries of Q", &self.q),
        ] {
            let total: i128 = v.iter().map(|&x| (x as i128).abs()).sum();
            if total > i64::MAX as i128 {
                return Err(Error::invalid(format!(
                    "{what} sum to {total} in absolute value, above i64::MAX = {}: \
                     objectives and weights would overflow",
                    i64::MAX
                )));
            }
        }
        Ok(())
    }

    /// An error naming the size when the `n^2` entries of `Q` would not fit
    /// in the available memory.
    fn check_q_fits(n: usize) -> Result<()> {
        crate::memory::check_fits(
            &format!("Q of a knapsack instance with n = {n} items"),
            n as u128 * n as u128 * std::mem::size_of::<i64>() as u128,
        )
    }

    /// Parses the plain text format; errors name `source_name` and the line.
    pub fn parse(text: &str, source_name: &str) -> Result<Self> {
        let err = |line: usize, message: String| Error::Parse {
            source_name: source_name.to_string(),
            line,
            message,
        };
        let mut lines = text
            .lines()
            .enumerate()
            .map(|(i, l)| (i + 1, l.trim()))
            .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'));
        let mut ints = |expect: &str, count: Option<usize>| -> Result<(usize, Vec<i64>)> {
            let (no, line) = lines.next().ok_or_else(|| {
                err(
                    text.lines().count() + 1,
                    format!("file ends before {expect}"),
                )
            })?;
            let vals = line
                .split_whitespace()
                .enumerate()
                .map(|(k, t)| {
                    t.parse::<i64>().map_err(|_| {
                        err(
                            no,
                            format!("{expect}: entry {} is '{t}', expected an integer", k + 1),
                        )
                    })
                })
                .collect::<Result<Vec<i64>>>()?;
            if let Some(c) = count {
                if vals.len() != c {
                    return Err(err(
                        no,
                        format!("{expect}: {} numbers, expected {c}", vals.len()),
                    ));
                }
            }
            Ok((no, vals))
        };
        let (no, head) = ints("the header `n c`", Some(2))?;
        if head[0] <= 0 || head[0] > 1_000_000 {
            return Err(err(
                no,
                format!("n = {}, expected 1..=1000000 items", head[0]),
            ));
        }
        let n = head[0] as usize;
        Self::check_q_fits(n).map_err(|e| err(no, e.to_string()))?;
        let (_, weights) = ints("the weights", Some(n))?;
        // Each entry takes at least two bytes of text ("0 "): reserve no more
        // than the file can hold, whatever the header claims.
        let mut q = Vec::with_capacity((n * n).min(text.len() / 2 + 1));
        for i in 0..n {
            let (_, row) = ints(&format!("row {} of Q", i + 1), Some(n))?;
            q.extend(row);
        }
        if let Some((no, _)) = lines.next() {
            return Err(err(no, format!("unexpected data after the {n} rows of Q")));
        }
        Self::new(head[1], weights, q)
    }

    /// Reads an instance file.
    pub fn read(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::Io(format!("{}: {e}", path.display())))?;
        Self::parse(&text, &path.display().to_string())
    }

    /// The instance in the plain text format.
    pub fn to_text(&self) -> String {
        let n = self.len();
        let join = |v: &[i64]| {
            v.iter()
                .map(|x| x.to_string())
                .collect::<Vec<_>>()
                .join(" ")
        };
        let mut s = format!("{n} {}\n{}\n", self.capacity, join(&self.weights));
        for row in self.q.chunks(n) {
            s.push_str(&join(row));
            s.push('\n');
        }
        s
    }

    /// The benchmark family of seed 002: `Q_ij` uniform in `-5..=5`, `w_i`
    /// uniform in `0..=5`, `c = floor(n / 4)`, from a seeded generator.
    pub fn generate(n: usize, seed: u64) -> Result<Self> {
        if n == 0 {
            return Err(Error::invalid("n = 0, expected at least 1 item"));
        }
        Self::check_q_fits(n)?;
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let weights = (0..n).map(|_| rng.random_range(0..=5)).collect();
        let q = (0..n * n).map(|_| rng.random_range(-5..=5)).collect();
        Self::new((n / 4) as i64, weights, q)
    }

    /// `x^T Q x` (cost `O(k^2)` for `k` selected items); an error unless `x`
    /// has one entry per item, or if the sum leaves `i64`.
    pub fn objective(&self, x: &[u8]) -> Result<i64> {
        let n = self.check_selection(x)?;
        let ones: Vec<usize> = (0..n).filter(|&i| x[i] != 0).collect();
        let total: i128 = ones
            .iter()
            .flat_map(|&i| ones.iter().map(move |&j| self.q[i * n + j] as i128))
            .sum();
        to_i64("x^T Q x", total)
    }

    /// `w^T x`; an error unless `x` has one entry per item, or if the sum leaves `i64`.
    pub fn weight(&self, x: &[u8]) -> Result<i64> {
        self.check_selection(x)?;
        let total: i128 = self
            .weights
            .iter()
            .zip(x)
            .filter(|(_, &b)| b != 0)
            .map(|(&w, _)| w as i128)
            .sum();
        to_i64("w^T x", total)
    }

    /// The number of items, checked against the length of a selection `x`
    /// and against `Q` (whose fields are public).
    fn check_selection(&self, x: &[u8]) -> Result<usize> {
        let n = self.len();
        if x.len() != n {
            return Err(Error::shape(format!(
                "a selection of {} entries for {n} items, expected one 0/1 entry per item",
                x.len()
            )));
        }
        if Some(self.q.len()) != n.checked_mul(n) {
            return Err(Error::shape(format!(
                "Q has {} entries, expected n^2 for n = {n} weights",
                self.q.len()
            )));
        }
        Ok(n)
    }

    /// The capacity constraint as a linear system.
    pub fn constraints(&self) -> Result<ConstraintSet> {
        let mut s = LinearSystem::new(self.len());
        s.add(
            self.weights.clone(),
            None,
            Some(self.capacity),
            Some(format!("sum w_i x_i <= {}", self.capacity)),
        )?;
        ConstraintSet::build(s)
    }

    /// Solves the instance with Algorithm 3 (constrained Born machine).
    pub fn solve(
        &self,
        config: &OptimizeConfig,
        progress: impl FnMut(&Progress),
    ) -> Result<KnapsackSolution> {
        self.check()?;
        let t = Instant::now();
        let set = self.constraints()?;
        let charge_complexity = set.charge_complexity()?.max();
        let build_seconds = t.elapsed().as_secs_f64();
        // `check` bounds every sum and the optimiser's samples have n entries,
        // so the objective cannot fail here; +inf would rank a failure last.
        let run = optimize(
            set.automaton_arc(),
            |x| self.objective(x).map_or(f64::INFINITY, |v| v as f64),
            config,
            progress,
        )?;
        let x = run.best.clone();
        Ok(KnapsackSolution {
            objective: self.objective(&x)?,
            weight: self.weight(&x)?,
            x,
            build_seconds,
            charge_complexity,
            run,
        })
    }
}

/// `v` as an `i64`, or an error naming the sum that overflowed.
fn to_i64(what: &str, v: i128) -> Result<i64> {
    i64::try_from(v).map_err(|_| Error::invalid(format!("{what} = {v} overflows i64")))
}
