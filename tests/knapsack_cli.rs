//! `qtt knapsack`: JSON output on a small instance, clear errors on bad files.

use qtt::qregion::knapsack::KnapsackInstance;
use std::process::Command;

fn qtt(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_qtt"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn solves_a_file_and_reports_json() {
    let dir = std::env::temp_dir().join(format!("qtt-knapsack-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let inst = KnapsackInstance::generate(12, 3).unwrap();
    let path = dir.join("small.txt");
    std::fs::write(&path, inst.to_text()).unwrap();
    let best = (0..1u32 << 12)
        .map(|v| (0..12).map(|i| ((v >> i) & 1) as u8).collect::<Vec<u8>>())
        .filter(|x| inst.weight(x).unwrap() <= inst.capacity)
        .map(|x| inst.objective(&x).unwrap())
        .min()
        .unwrap();
    let p = path.to_str().unwrap();
    let (ok, out, err) = qtt(&[
        "knapsack",
        p,
        "--seconds",
        "20",
        "--iterations",
        "20",
        "--json",
    ]);
    assert!(ok, "{err}");
    assert!(out.contains(&format!("\"objective\":{best},")), "{out}");
    assert!(out.contains("\"feasible_check\":true"), "{out}");
    let bad = dir.join("bad.txt");
    std::fs::write(&bad, "3 2\n1 2 3\n0 0 0\n0 zero 0\n0 0 0\n").unwrap();
    let (ok, _, err) = qtt(&["knapsack", bad.to_str().unwrap(), "--quiet"]);
    assert!(!ok);
    assert!(
        err.contains("bad.txt:4: row 2 of Q: entry 2 is 'zero', expected an integer"),
        "{err}"
    );
    let (ok, _, err) = qtt(&["knapsack", p, "--seconds", "-1"]);
    assert!(!ok && err.contains("--seconds"), "{err}");
}
