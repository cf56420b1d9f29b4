//! Shared by the benchmarks: repeated timing and JSON-line output.
#![allow(dead_code)]

use std::time::Instant;

/// Median and minimum wall time of `f` over repeats: one warm-up, then at
/// least `reps_min` runs, stopping after `reps_max` or once `budget_s`
/// seconds have passed (the protocol of the peer scripts).
pub fn time<T>(
    reps_min: usize,
    reps_max: usize,
    budget_s: f64,
    mut f: impl FnMut() -> T,
) -> (Timing, T) {
    let _warm_up = f();
    let (mut walls, mut cpus) = (Vec::new(), Vec::new());
    let start = Instant::now();
    let out = loop {
        let c0 = cpu_seconds();
        let t0 = Instant::now();
        let out = f();
        walls.push(t0.elapsed().as_secs_f64());
        cpus.push(cpu_seconds() - c0);
        let enough = walls.len() >= reps_min && start.elapsed().as_secs_f64() > budget_s;
        if walls.len() >= reps_max || enough {
            break out;
        }
    };
    walls.sort_by(|a, b| a.total_cmp(b));
    cpus.sort_by(|a, b| a.total_cmp(b));
    let timing = Timing {
        median: walls[walls.len() / 2],
        min: walls[0],
        cpu_median: cpus[cpus.len() / 2],
        reps: walls.len(),
    };
    (timing, out)
}

/// One timed call of `f`, without a warm-up: for runs of minutes, where
/// first-call effects are lost in the noise and a warm-up would double the
/// benchmark.
pub fn time_once<T>(f: impl FnOnce() -> T) -> (Timing, T) {
    let c0 = cpu_seconds();
    let t0 = Instant::now();
    let out = f();
    let wall = t0.elapsed().as_secs_f64();
    let timing = Timing {
        median: wall,
        min: wall,
        cpu_median: cpu_seconds() - c0,
        reps: 1,
    };
    (timing, out)
}

/// Wall-time statistics of one measurement.
pub struct Timing {
    pub median: f64,
    pub min: f64,
    /// Median CPU time of the process (all threads): on a loaded machine
    /// the less disturbed figure for single-threaded kernels.
    pub cpu_median: f64,
    pub reps: usize,
}

/// A JSON value, enough for benchmark lines: objects keep their field
/// order; strings are escaped by `serde_json`.
pub enum J {
    N(f64),
    I(i64),
    S(String),
    A(Vec<J>),
    O(Vec<(&'static str, J)>),
}

impl J {
    pub fn render(&self) -> String {
        match self {
            J::N(v) if v.is_finite() => format!("{v:e}"),
            J::N(_) => "null".into(),
            J::I(v) => v.to_string(),
            J::S(s) => serde_json::Value::from(s.as_str()).to_string(),
            J::A(items) => format!(
                "[{}]",
                items.iter().map(J::render).collect::<Vec<_>>().join(", ")
            ),
            J::O(fields) => format!(
                "{{{}}}",
                fields
                    .iter()
                    .map(|(k, v)| format!("{}: {}", J::S(k.to_string()).render(), v.render()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

/// Prints one benchmark line: `{"bench": name, "params": {...}, fields...}`.
pub fn line(bench: &str, params: Vec<(&'static str, J)>, fields: Vec<(&'static str, J)>) {
    let mut all = vec![("bench", J::S(bench.into())), ("params", J::O(params))];
    all.extend(fields);
    println!("{}", J::O(all).render());
}

/// The `"error"` field of a line whose run failed (its first 300 characters).
pub fn error_field(err: &dyn std::fmt::Display) -> (&'static str, J) {
    ("error", J::S(err.to_string().chars().take(300).collect()))
}

/// The largest `|a_i - b_i|`.
pub fn max_abs_diff(a: &[f64], b: &[f64]) -> f64 {
    a.iter()
        .zip(b)
        .fold(0.0f64, |m, (x, y)| m.max((x - y).abs()))
}

/// The largest TT-SVD rank of `values` (grid order, first axis fastest) on
/// binary axes of `bits` and a discrete one of `states` (if > 1), at
/// relative tolerance `tol`, in `order`; -1 if the compression fails.
pub fn qtt_rank(
    values: &[f64],
    bits: &[u32],
    states: usize,
    order: qtt::grid::BitOrder,
    tol: f64,
) -> i64 {
    use qtt::grid::{Axis, Grid, Grid1d};
    let mut axes: Vec<Axis> = bits
        .iter()
        .map(|&b| Axis::Binary(Grid1d::new(0.0, 1.0, b).unwrap()))
        .collect();
    if states > 1 {
        axes.push(Axis::Discrete(vec![0.0; states]));
    }
    let grid = Grid::new(axes, order).unwrap();
    grid.from_vector(values, &qtt::linalg::Truncation::tol(tol).unwrap())
        .map(|t| t.max_rank() as i64)
        .unwrap_or(-1)
}

/// Prints one timed benchmark line: `{"bench": name, "params": {...},
/// "seconds_median": ..., ...}`.
pub fn emit(
    bench: &str,
    params: Vec<(&'static str, J)>,
    timing: &Timing,
    extra: Vec<(&'static str, J)>,
) {
    let mut fields = vec![
        ("seconds_median", J::N(timing.median)),
        ("seconds_min", J::N(timing.min)),
        ("cpu_seconds_median", J::N(timing.cpu_median)),
        ("reps", J::I(timing.reps as i64)),
    ];
    fields.extend(extra);
    line(bench, params, fields);
}

/// The 1-minute load average, to record how busy the machine was.
pub fn loadavg() -> f64 {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|v| v.parse().ok()))
        .unwrap_or(f64::NAN)
}

/// `--name value` from the command line, or the default.
pub fn arg<T: std::str::FromStr>(name: &str, default: T) -> T {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A comma-separated list argument.
pub fn list<T: std::str::FromStr>(name: &str, default: &str) -> Vec<T> {
    let raw: String = arg(name, default.to_string());
    raw.split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect()
}

/// CPU time consumed by this process so far, in seconds.
pub fn cpu_seconds() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes into the timespec we own.
    unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 + 1e-9 * ts.tv_nsec as f64
}

/// The repository root (the facade package's directory), whatever the
/// directory the bench runs in.
pub fn repo_root() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The peers' Python: `$QTT_PEER_PY`, else `$PEERS_VENV/bin/python`, else
/// `$HOME/.cache/qtt-peers/bin/python` (the default of
/// `../shared/bench/setup-peers.sh`).
pub fn peer_python() -> std::path::PathBuf {
    if let Some(py) = std::env::var_os("QTT_PEER_PY") {
        return py.into();
    }
    let venv = std::env::var_os("PEERS_VENV")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            let home = std::env::var_os("HOME").unwrap_or_default();
            std::path::Path::new(&home).join(".cache/qtt-peers")
        });
    venv.join("bin/python")
}
