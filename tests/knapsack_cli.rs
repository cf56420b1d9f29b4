//! The `qtt` command line: `qtt knapsack`'s JSON output on a small instance
//! and clear errors on bad files; options, `--help` and exit codes (0 ok,
//! 1 the command failed, 2 a usage error).

use qtt::qregion::knapsack::KnapsackInstance;
use std::path::PathBuf;
use std::process::Command;

fn qtt(args: &[&str]) -> (bool, String, String) {
    let (code, out, err) = qtt_code(args);
    (code == 0, out, err)
}

/// Exit code, stdout and stderr of `qtt args`.
fn qtt_code(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_qtt"))
        .args(args)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!err.contains("panicked"), "qtt {args:?} panicked: {err}");
    (
        out.status
            .code()
            .expect("qtt exited, not killed by a signal"),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        err,
    )
}

/// A small instance file named `name` in a folder of this test's own.
fn instance_file(test: &str, name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("qtt-cli-{test}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, KnapsackInstance::generate(8, 2).unwrap().to_text()).unwrap();
    path
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

#[test]
fn global_quiet_runs_the_named_command() {
    let f = instance_file("quiet", "q.txt");
    let (code, out, err) = qtt_code(&[
        "--quiet",
        "knapsack",
        f.to_str().unwrap(),
        "--iterations",
        "2",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("best objective"), "{out}");
    assert!(!out.contains("iter "), "--quiet hides progress: {out}");
}

#[test]
fn usage_errors_exit_with_2_and_name_the_argument() {
    let f = instance_file("usage", "u.txt");
    let f = f.to_str().unwrap();
    for (args, says) in [
        (vec!["knapsack", "--unknown", "5", f], "--unknown"),
        (vec!["knapsack", f, "--seconds", "1e20"], "--seconds"),
        (vec!["knapsack", f, "--seconds", "-1"], "--seconds"),
        (vec!["knapsack", f, "--seconds", "soon"], "soon"),
        (vec!["knapsack", f, "--seed"], "--seed"),
        (vec!["knapsack", f, f], f),
        (vec!["knapsack"], "FILE"),
        (vec!["bogus"], "bogus"),
        (vec!["--bogus"], "--bogus"),
        (vec!["help", "bogus"], "bogus"),
        (vec!["tour", "--dims", "1"], "--dims"),
    ] {
        let (code, _, err) = qtt_code(&args);
        assert_eq!(code, 2, "qtt {args:?}: {err}");
        assert!(err.contains(says), "qtt {args:?}: {err}");
    }
}

#[test]
fn failures_of_the_command_exit_with_1() {
    let dir = instance_file("fail", "unused.txt");
    let huge = dir.with_file_name("huge.txt");
    std::fs::write(&huge, format!("1000000 0\n{}\n", "0 ".repeat(1_000_000))).unwrap();
    let (code, _, err) = qtt_code(&["knapsack", huge.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("huge.txt:1"), "{err}");
    let missing = dir.with_file_name("missing.txt");
    let (code, _, err) = qtt_code(&["knapsack", missing.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
}

#[test]
fn every_command_has_help() {
    let (code, out, _) = qtt_code(&["--help"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("knapsack") && out.contains("tour") && out.contains("exit codes"),
        "{out}"
    );
    for args in [
        vec!["knapsack", "--help"],
        vec!["help", "knapsack"],
        vec!["knapsack", "-h"],
    ] {
        let (code, out, _) = qtt_code(&args);
        assert_eq!(code, 0);
        assert!(
            out.starts_with("usage: qtt knapsack FILE"),
            "{args:?}: {out}"
        );
        assert!(out.contains("--seconds"), "{out}");
    }
    let (code, out, _) = qtt_code(&["tour", "--help"]);
    assert_eq!(code, 0);
    assert!(
        out.starts_with("usage: qtt tour") && out.contains("--dims"),
        "{out}"
    );
}

#[test]
fn json_output_escapes_the_file_name() {
    let f = instance_file("json", "we\"ird\\name\u{1}.txt");
    let (code, out, err) = qtt_code(&[
        "knapsack",
        f.to_str().unwrap(),
        "--iterations",
        "2",
        "--json",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(out.trim()).expect("one JSON object");
    assert_eq!(v["instance"], "we\"ird\\name\u{1}");
    assert_eq!(v["n"], 8);
    assert_eq!(v["feasible_check"], true);
}
