//! OpenQASM 2 export checked by Qiskit (ignored by default: it needs Python
//! with Qiskit, found at `$QTT_PEER_PY`, `$PEERS_VENV/bin/python` or
//! `~/.cache/qtt-peers/bin/python`).
//!
//! Writes `out/qasm/<name>.qasm` and `out/qasm/<name>.unitary` (our dense
//! unitary, row-major, one `re im` pair per line) for a QFT, every gate kind,
//! a decomposed multi-controlled X, the loaded N(0,1) distribution + sin^2 payoff,
//! its Grover operator Q and a whole canonical QAE circuit, then runs
//! `benches/peers/qasm_roundtrip.py`, which loads each file with
//! `qiskit.qasm2.load`, builds `qiskit.quantum_info.Operator` and compares it
//! with ours entry-wise (global phase from the `// qtt-global-phase` comment).
//!
//! `cargo test --release --test qasm_qiskit -- --ignored --nocapture`
//!
//! Without Python, CI compares against what Qiskit computed once: the
//! exported QASM of each circuit and Qiskit's unitary of it are committed in
//! `tests/fixtures/qasm_qiskit/` (`<name>.qasm`, `<name>.unitary`). The
//! export must equal the committed text (else the fixtures are stale), and
//! both our unitary and that of our QASM import must equal Qiskit's. After
//! changing the export, regenerate them with the ignored
//! `write_qiskit_fixtures` (it needs Qiskit, as above).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use qtt::quantum::grover::grover_operator;
use qtt::quantum::{circuit_unitary, from_qasm, models, to_qasm, CanonicalQae, Circuit, Gate};

/// One circuit of every gate kind the IR has, on 4 qubits.
fn every_gate() -> Circuit {
    let mut c = Circuit::new(4);
    c.h(0).unwrap().x(1).unwrap().y(2).unwrap().z(3).unwrap();
    c.s(0)
        .unwrap()
        .sdg(1)
        .unwrap()
        .t(2)
        .unwrap()
        .tdg(3)
        .unwrap();
    c.rx(0.3, 0)
        .unwrap()
        .ry(-1.1, 1)
        .unwrap()
        .rz(2.5, 2)
        .unwrap();
    c.phase(0.7, 3).unwrap();
    c.rx(1e-7, 0)
        .unwrap()
        .ry(3.0e-12, 1)
        .unwrap()
        .rz(-1.0e20, 2)
        .unwrap();
    c.cx(0, 1).unwrap().cz(1, 2).unwrap().swap(2, 3).unwrap();
    c.controlled_gate(Gate::Y, &[3], 0).unwrap();
    c.controlled_gate(Gate::H, &[2], 1).unwrap();
    c.controlled_gate(Gate::S, &[0], 3).unwrap();
    c.controlled_gate(Gate::Rx(0.4), &[1], 2).unwrap();
    c.cry(-0.9, 2, 3).unwrap().cphase(1.3, 3, 0).unwrap();
    c.controlled_gate(Gate::Rz(0.8), &[0], 2).unwrap();
    c.ccx(0, 1, 2).unwrap();
    c.controlled_gate(Gate::Ry(0.25), &[0, 1, 3], 2).unwrap();
    c.push(qtt::quantum::Op::Swap {
        a: 1,
        b: 3,
        controls: vec![0],
    })
    .unwrap();
    // a dense 2-qubit block: the unitary of a small entangling circuit
    let mut blk = Circuit::new(2);
    blk.h(0)
        .unwrap()
        .cx(0, 1)
        .unwrap()
        .rz(0.6, 1)
        .unwrap()
        .ry(0.2, 0)
        .unwrap();
    let u = circuit_unitary(&blk).unwrap();
    // row-major entries: the transpose of nalgebra's column-major storage
    let m = u.transpose().as_slice().to_vec();
    c.unitary(&[1, 3], m).unwrap();
    c.global_phase = 0.4;
    c
}

fn circuits() -> Vec<(&'static str, Circuit)> {
    let mut qft = Circuit::new(5);
    qft.qft(&[0, 1, 2, 3, 4]).unwrap();
    let mut iqft = Circuit::new(4);
    iqft.iqft(&[3, 1, 2]).unwrap();
    let mut mcx = Circuit::new(7);
    mcx.h(6).unwrap();
    mcx.mcx(&[0, 1, 2, 3, 4], 6).unwrap();
    let gauss = models::gaussian_sin2(3).unwrap();
    let stress = models::bank_stress_test(2).unwrap();
    let small = models::gaussian_sin2(2).unwrap();
    let qae = CanonicalQae::new(2).circuit(&small).unwrap();
    vec![
        ("qft5", qft),
        ("iqft_permuted", iqft),
        ("every_gate", every_gate()),
        ("mcx5_controls", mcx),
        ("gaussian_sin2_m3_prep", gauss.prep.clone()),
        (
            "gaussian_sin2_m3_grover_q",
            grover_operator(&gauss).unwrap(),
        ),
        ("bank_stress_m2_prep", stress.prep),
        ("canonical_qae_m2_n2", qae),
    ]
}

fn write_unitary(path: &Path, c: &Circuit) {
    let u = circuit_unitary(c).unwrap();
    let mut s = String::new();
    for r in 0..u.nrows() {
        for col in 0..u.ncols() {
            let z = u[(r, col)];
            writeln!(s, "{:?} {:?}", z.re, z.im).unwrap();
        }
    }
    std::fs::write(path, s).unwrap();
}

/// `$QTT_PEER_PY`, else `$PEERS_VENV/bin/python`, else the default venv of
/// `../shared/bench/setup-peers.sh`.
fn python() -> PathBuf {
    std::env::var_os("QTT_PEER_PY")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let venv = std::env::var_os("PEERS_VENV")
                .map(PathBuf::from)
                .unwrap_or_else(|| {
                    let home = std::env::var_os("HOME").expect("HOME is set");
                    Path::new(&home).join(".cache/qtt-peers")
                });
            venv.join("bin/python")
        })
}

#[test]
#[ignore = "needs Python with Qiskit (QTT_PEER_PY)"]
fn exported_qasm_runs_in_qiskit_with_the_same_unitary() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("out/qasm");
    std::fs::create_dir_all(&dir).unwrap();
    for (name, c) in circuits() {
        std::fs::write(dir.join(format!("{name}.qasm")), to_qasm(&c).unwrap()).unwrap();
        write_unitary(&dir.join(format!("{name}.unitary")), &c);
    }
    let py = python();
    assert!(
        py.exists(),
        "no Python at {} (set QTT_PEER_PY)",
        py.display()
    );
    let out = std::process::Command::new(&py)
        .arg(root.join("benches/peers/qasm_roundtrip.py"))
        .arg(&dir)
        .arg("--tol")
        .arg("1e-10")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    println!("{stdout}");
    assert!(
        out.status.success(),
        "Qiskit check failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        stdout
            .lines()
            .filter(|l| l.contains("\"ok\": true"))
            .count(),
        8
    );
}

/// The committed fixtures' folder.
fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/qasm_qiskit")
}

/// A `<name>.unitary` file: a `#` header, then row-major `re im` lines.
fn read_unitary(path: &Path) -> Vec<num_complex::Complex64> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| {
            let mut it = l.split_whitespace().map(|v| v.parse::<f64>().unwrap());
            num_complex::Complex64::new(it.next().unwrap(), it.next().unwrap())
        })
        .collect()
}

/// The largest entry-wise difference between a dense unitary and row-major entries.
fn max_diff(u: &nalgebra::DMatrix<num_complex::Complex64>, rows: &[num_complex::Complex64]) -> f64 {
    assert_eq!(u.len(), rows.len(), "sizes differ");
    let n = u.nrows();
    (0..n)
        .flat_map(|r| (0..n).map(move |c| (r, c)))
        .map(|(r, c)| (u[(r, c)] - rows[r * n + c]).norm())
        .fold(0.0, f64::max)
}

#[test]
fn export_and_import_match_qiskits_stored_unitaries() {
    let dir = fixtures();
    for (name, c) in circuits() {
        let qasm = std::fs::read_to_string(dir.join(format!("{name}.qasm"))).unwrap();
        assert_eq!(
            to_qasm(&c).unwrap(),
            qasm,
            "{name}: the export changed; regenerate the fixtures (write_qiskit_fixtures)"
        );
        let theirs = read_unitary(&dir.join(format!("{name}.unitary")));
        let ours = max_diff(&circuit_unitary(&c).unwrap(), &theirs);
        assert!(
            ours < 1e-10,
            "{name}: our unitary differs from Qiskit's by {ours:e}"
        );
        let imported = from_qasm(&qasm, &format!("{name}.qasm")).unwrap();
        let back = max_diff(&circuit_unitary(&imported).unwrap(), &theirs);
        assert!(
            back < 1e-10,
            "{name}: the imported unitary differs from Qiskit's by {back:e}"
        );
    }
}

#[test]
#[ignore = "needs Python with Qiskit (QTT_PEER_PY); rewrites tests/fixtures/qasm_qiskit"]
fn write_qiskit_fixtures() {
    let dir = fixtures();
    std::fs::create_dir_all(&dir).unwrap();
    for (name, c) in circuits() {
        std::fs::write(dir.join(format!("{name}.qasm")), to_qasm(&c).unwrap()).unwrap();
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = std::process::Command::new(python())
        .arg(root.join("benches/peers/qasm_fixtures.py"))
        .arg(&dir)
        .output()
        .unwrap();
    println!("{}", String::from_utf8_lossy(&out.stdout));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
