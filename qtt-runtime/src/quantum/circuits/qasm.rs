//! OpenQASM 2 export (runs in Qiskit: `QuantumCircuit.from_qasm_str`) and a
//! parser for the subset it writes, so that a round trip can be checked.
//!
//! Only the gates of the original `qelib1.inc` (Cross et al. 2017) are written,
//! with a decimal point in every number, so that Qiskit's `qasm2.load` reads the
//! file in strict mode (tests/qasm_qiskit.rs checks the unitaries): swap, cswap,
//! crx and cry are written as exact expansions into qelib1 gates; everything
//! else (more controls, dense blocks) is decomposed to {rx, ry, rz, cx} first.
//! Qubit `q` is `q[q]`, and Qiskit's little-endian order is ours, so Qiskit's
//! statevector equals ours up to the global phase, which OpenQASM 2 cannot
//! express: it is written as a `// qtt-global-phase` comment that the parser reads.

use super::circuit::{Circuit, Op};
use super::decompose::decompose;
use super::gate::{c64, zyz_angles, Gate};
use crate::{Error, Result};

/// Angles are written with Rust's shortest round-trip formatting (exact on
/// re-read), with the decimal point OpenQASM 2 requires (`1e-7` -> `1.0e-7`).
fn ang(t: f64) -> String {
    let s = format!("{t:?}");
    match s.find('e') {
        Some(i) if !s[..i].contains('.') => format!("{}.0{}", &s[..i], &s[i..]),
        _ => s,
    }
}

/// The circuit as OpenQASM 2 text.
pub fn to_qasm(circuit: &Circuit) -> Result<String> {
    let mut body = String::new();
    let mut phase = circuit.global_phase;
    for op in circuit.ops() {
        match direct(op) {
            Some((line, p)) => {
                body.push_str(&line);
                phase += p;
            }
            None => {
                let mut one = Circuit::new(circuit.n_qubits());
                one.push(op.clone())?;
                let d = decompose(&one)?;
                phase += d.global_phase;
                for op in d.ops() {
                    let (line, p) = direct(op).expect("basis gates have a qelib1 name");
                    body.push_str(&line);
                    phase += p;
                }
            }
        }
    }
    let mut s = String::from("OPENQASM 2.0;\ninclude \"qelib1.inc\";\n");
    s.push_str(&format!("// qtt-global-phase {}\n", ang(phase)));
    s.push_str(&format!("qreg q[{}];\n", circuit.n_qubits()));
    s.push_str(&body);
    Ok(s)
}

/// A qelib1 line for `op` and the global phase it leaves out, if there is one.
fn direct(op: &Op) -> Option<(String, f64)> {
    let q = |i: usize| format!("q[{i}]");
    match op {
        Op::Gate {
            gate,
            target,
            controls,
        } => {
            let t = q(*target);
            match (gate, controls.as_slice()) {
                (Gate::Unitary(m), []) => {
                    // m = e^{i a} RZ(b) RY(g) RZ(d) = e^{i (a - (b + d)/2)} u3(g, b, d)
                    let (a, b, g, d) = zyz_angles(m);
                    Some((
                        format!("u3({},{},{}) {t};\n", ang(g), ang(b), ang(d)),
                        a - (b + d) / 2.0,
                    ))
                }
                (Gate::Phase(th), []) => Some((format!("u1({}) {t};\n", ang(*th)), 0.0)),
                (g, []) => Some((
                    match g.angle() {
                        Some(th) => format!("{}({}) {t};\n", g.name(), ang(th)),
                        None => format!("{} {t};\n", g.name()),
                    },
                    0.0,
                )),
                (Gate::X | Gate::Y | Gate::Z | Gate::H, [c]) => {
                    Some((format!("c{} {},{t};\n", gate.name(), q(*c)), 0.0))
                }
                // crx and cry are not in the original qelib1.inc that Qiskit's
                // `qasm2.load` reads: exact expansions (RX = H RZ H; X RY(a) X = RY(-a)).
                (Gate::Rx(th), [c]) => Some((
                    format!("h {t};\ncrz({}) {},{t};\nh {t};\n", ang(*th), q(*c)),
                    0.0,
                )),
                (Gate::Ry(th), [c]) => Some((
                    format!(
                        "ry({}) {t};\ncx {c},{t};\nry({}) {t};\ncx {c},{t};\n",
                        ang(th / 2.0),
                        ang(-th / 2.0),
                        c = q(*c)
                    ),
                    0.0,
                )),
                (Gate::Rz(th), [c]) => Some((format!("crz({}) {},{t};\n", ang(*th), q(*c)), 0.0)),
                (Gate::Phase(th), [c]) => {
                    Some((format!("cu1({}) {},{t};\n", ang(*th), q(*c)), 0.0))
                }
                (Gate::X, [c0, c1]) => Some((format!("ccx {},{},{t};\n", q(*c0), q(*c1)), 0.0)),
                _ => None,
            }
        }
        // swap and cswap are not in the original qelib1.inc either: three CNOTs,
        // and a Toffoli between two CNOTs (Fredkin).
        Op::Swap { a, b, controls } => {
            let (a, b) = (q(*a), q(*b));
            match controls.as_slice() {
                [] => Some((format!("cx {a},{b};\ncx {b},{a};\ncx {a},{b};\n"), 0.0)),
                [c] => Some((
                    format!("cx {b},{a};\nccx {},{a},{b};\ncx {b},{a};\n", q(*c)),
                    0.0,
                )),
                _ => None,
            }
        }
        Op::Unitary { .. } => None,
    }
}

/// Parses the OpenQASM 2 subset written by [`to_qasm`] (one `qreg`, qelib1 gates).
pub fn from_qasm(text: &str, source_name: &str) -> Result<Circuit> {
    let err = |line: usize, message: String| Error::Parse {
        source_name: source_name.to_string(),
        line,
        message,
    };
    let mut circuit: Option<Circuit> = None;
    let mut phase = 0.0;
    for (ln, raw) in text.lines().enumerate() {
        let line_no = ln + 1;
        let line = raw.trim();
        if let Some(rest) = line.strip_prefix("// qtt-global-phase") {
            phase = rest
                .trim()
                .parse::<f64>()
                .map_err(|e| err(line_no, format!("bad global phase `{}`: {e}", rest.trim())))?;
            continue;
        }
        let line = line.split("//").next().unwrap_or("").trim();
        if line.is_empty() || line.starts_with("OPENQASM") || line.starts_with("include") {
            continue;
        }
        let stmt = line
            .strip_suffix(';')
            .ok_or_else(|| err(line_no, format!("expected `;` at the end of `{line}`")))?
            .trim();
        if let Some(rest) = stmt.strip_prefix("qreg") {
            let n = parse_index(rest.trim(), "q").map_err(|m| err(line_no, m))?;
            if circuit.is_some() {
                return Err(err(line_no, "only one `qreg` is supported".into()));
            }
            circuit = Some(Circuit::new(n));
            continue;
        }
        let c = circuit
            .as_mut()
            .ok_or_else(|| err(line_no, "a gate before `qreg q[n];`".into()))?;
        let (head, args) = match stmt.find(|ch: char| ch.is_whitespace()) {
            Some(i) if !stmt[..i].contains('(') || stmt[..i].contains(')') => {
                (stmt[..i].trim(), stmt[i..].trim())
            }
            _ => {
                // a parameter list containing spaces: split after the closing parenthesis
                let close = stmt
                    .find(')')
                    .ok_or_else(|| err(line_no, format!("cannot read `{stmt}`")))?;
                (stmt[..=close].trim(), stmt[close + 1..].trim())
            }
        };
        let (name, params) = match head.find('(') {
            Some(i) => {
                let inner = head[i + 1..]
                    .strip_suffix(')')
                    .ok_or_else(|| err(line_no, format!("unclosed `(` in `{head}`")))?;
                let ps: std::result::Result<Vec<f64>, String> =
                    inner.split(',').map(|p| parse_angle(p.trim())).collect();
                (&head[..i], ps.map_err(|m| err(line_no, m))?)
            }
            None => (head, vec![]),
        };
        let qubits: std::result::Result<Vec<usize>, String> = args
            .split(',')
            .map(|a| parse_index(a.trim(), "q"))
            .collect();
        let qubits = qubits.map_err(|m| err(line_no, m))?;
        let want = |np: usize, nq: usize| -> Result<()> {
            if params.len() != np || qubits.len() != nq {
                Err(err(
                    line_no,
                    format!(
                        "`{name}` takes {np} parameters and {nq} qubits, got {} and {}",
                        params.len(),
                        qubits.len()
                    ),
                ))
            } else {
                Ok(())
            }
        };
        let simple = |n: &str| -> Option<Gate> {
            Some(match n {
                "h" => Gate::H,
                "x" => Gate::X,
                "y" => Gate::Y,
                "z" => Gate::Z,
                "s" => Gate::S,
                "sdg" => Gate::Sdg,
                "t" => Gate::T,
                "tdg" => Gate::Tdg,
                _ => return None,
            })
        };
        let rot = |n: &str, t: f64| -> Option<Gate> {
            Some(match n {
                "rx" => Gate::Rx(t),
                "ry" => Gate::Ry(t),
                "rz" => Gate::Rz(t),
                "u1" | "p" => Gate::Phase(t),
                _ => return None,
            })
        };
        let res = if let Some(g) = simple(name) {
            want(0, 1)?;
            c.gate(g, qubits[0])
        } else if let Some(g) = name
            .strip_prefix('c')
            .and_then(simple)
            .filter(|_| name != "cswap")
        {
            want(0, 2)?;
            c.controlled_gate(g, &qubits[..1], qubits[1])
        } else if let Some(g) = params.first().and_then(|&t| rot(name, t)) {
            want(1, 1)?;
            c.gate(g, qubits[0])
        } else if name == "cu1"
            || (name.starts_with('c') && params.len() == 1 && rot(&name[1..], 0.0).is_some())
        {
            want(1, 2)?;
            let g = rot(if name == "cu1" { "u1" } else { &name[1..] }, params[0]).expect("checked");
            c.controlled_gate(g, &qubits[..1], qubits[1])
        } else {
            match name {
                "u3" | "u" => {
                    want(3, 1)?;
                    let (th, phi, lam) = (params[0], params[1], params[2]);
                    let (s, co) = (th / 2.0).sin_cos();
                    let m = [
                        c64(co, 0.0),
                        -num_complex::Complex64::from_polar(s, lam),
                        num_complex::Complex64::from_polar(s, phi),
                        num_complex::Complex64::from_polar(co, phi + lam),
                    ];
                    c.gate(Gate::Unitary(m), qubits[0])
                }
                "ccx" => {
                    want(0, 3)?;
                    c.ccx(qubits[0], qubits[1], qubits[2])
                }
                "swap" => {
                    want(0, 2)?;
                    c.swap(qubits[0], qubits[1])
                }
                "cswap" => {
                    want(0, 3)?;
                    c.push(Op::Swap {
                        a: qubits[1],
                        b: qubits[2],
                        controls: vec![qubits[0]],
                    })
                }
                other => return Err(err(line_no, format!("unknown gate `{other}`"))),
            }
        };
        res.map_err(|e| err(line_no, e.to_string()))?;
    }
    let mut c = circuit.ok_or_else(|| err(0, "no `qreg` declaration".into()))?;
    c.global_phase = phase;
    Ok(c)
}

/// `q[3]` -> 3.
fn parse_index(s: &str, reg: &str) -> std::result::Result<usize, String> {
    s.strip_prefix(reg)
        .and_then(|r| r.trim().strip_prefix('['))
        .and_then(|r| r.strip_suffix(']'))
        .and_then(|r| r.trim().parse().ok())
        .ok_or_else(|| format!("expected `{reg}[index]`, got `{s}`"))
}

/// A number, `pi`, or a product/quotient of them with an optional sign (`-pi/2`).
fn parse_angle(s: &str) -> std::result::Result<f64, String> {
    let (sign, body) = match s.strip_prefix('-') {
        Some(r) => (-1.0, r.trim()),
        None => (1.0, s),
    };
    if let Ok(v) = body.parse::<f64>() {
        return Ok(sign * v);
    }
    let mut val = 1.0;
    let mut op = '*';
    let mut rest = body;
    loop {
        let end = rest.find(['*', '/']).unwrap_or(rest.len());
        let tok = rest[..end].trim();
        let v = if tok == "pi" {
            std::f64::consts::PI
        } else {
            tok.parse::<f64>()
                .map_err(|_| format!("cannot read the angle `{s}`"))?
        };
        val = if op == '*' { val * v } else { val / v };
        if end == rest.len() {
            break;
        }
        op = rest.as_bytes()[end] as char;
        rest = &rest[end + 1..];
    }
    Ok(sign * val)
}
