//! Decomposition of any circuit into the basis {RX, RY, RZ, CNOT} (plus a global
//! phase, so the unitary is reproduced exactly, not only up to phase).
//!
//! - single-qubit gates: ZYZ Euler angles;
//! - singly controlled gates: the A X B X C construction (Nielsen and Chuang, 4.3);
//! - Toffoli: 6 CNOTs and T gates;
//! - multi-controlled X: linear size with borrowed (dirty) qubits, Barenco et
//!   al. 1995, lemmas 7.2 and 7.3 (4(k-2) Toffolis with k-2 idle qubits, about
//!   8k with one); when the circuit has no idle qubit at all, lemma 7.9 with the
//!   target borrowed (quadratic);
//! - multi-controlled single-qubit gates: lemma 7.9 (`C^k U` from `C V`, `V^2 = U`);
//! - swaps: three CNOTs; dense blocks: two-level (Givens) factors, each a
//!   multi-controlled single-qubit gate between Gray-code neighbours.

use num_complex::Complex64 as C64;

use super::circuit::{Circuit, Op};
use super::gate::{adjoint2, c64, mul2, zyz_angles, Gate, Mat2};
use crate::Result;

/// The gates an [`Op`] may use after [`decompose`].
pub fn is_basis(op: &Op) -> bool {
    match op {
        Op::Gate {
            gate: Gate::Rx(_) | Gate::Ry(_) | Gate::Rz(_),
            controls,
            ..
        } => controls.is_empty(),
        Op::Gate {
            gate: Gate::X,
            controls,
            ..
        } => controls.len() == 1,
        _ => false,
    }
}

/// `circuit` rewritten over {RX, RY, RZ, CNOT} with the same unitary.
pub fn decompose(circuit: &Circuit) -> Result<Circuit> {
    let mut out = Circuit::new(circuit.n_qubits());
    out.global_phase = circuit.global_phase;
    let n = circuit.n_qubits();
    for op in circuit.ops() {
        lower(&mut out, op, n)?;
    }
    Ok(out)
}

/// Qubits not touched by `used`, which a decomposition may borrow in any state.
fn idle_qubits(n: usize, used: &[usize]) -> Vec<usize> {
    (0..n).filter(|q| !used.contains(q)).collect()
}

fn lower(out: &mut Circuit, op: &Op, n: usize) -> Result<()> {
    match op {
        Op::Gate {
            gate,
            target,
            controls,
        } => controlled_1q(out, gate, controls, *target, n),
        Op::Swap { a, b, controls } => {
            out.cx(*b, *a)?;
            let mut cs = controls.clone();
            cs.push(*a);
            controlled_1q(out, &Gate::X, &cs, *b, n)?;
            out.cx(*b, *a)?;
            Ok(())
        }
        Op::Unitary {
            qubits,
            matrix,
            controls,
        } => dense_block(out, qubits, matrix, controls, n),
    }
}

/// `e^{i a} RZ(b) RY(g) RZ(d)` emitted in time order, skipping zero angles.
fn euler(out: &mut Circuit, m: &Mat2, q: usize) -> Result<()> {
    let (alpha, beta, gamma, delta) = zyz_angles(m);
    for (g, t) in [
        (Gate::Rz(delta), delta),
        (Gate::Ry(gamma), gamma),
        (Gate::Rz(beta), beta),
    ] {
        if t != 0.0 {
            out.gate(g, q)?;
        }
    }
    out.global_phase += alpha;
    Ok(())
}

fn controlled_1q(
    out: &mut Circuit,
    gate: &Gate,
    controls: &[usize],
    t: usize,
    n: usize,
) -> Result<()> {
    let m = gate.matrix();
    match controls {
        [] => euler(out, &m, t),
        [c] if *gate == Gate::X => out.cx(*c, t).map(|_| ()),
        [c] => {
            // U = e^{ia} A X B X C with ABC = I.
            let (alpha, beta, gamma, delta) = zyz_angles(&m);
            let cm = Gate::Rz((delta - beta) / 2.0).matrix();
            let bm = mul2(
                &Gate::Ry(-gamma / 2.0).matrix(),
                &Gate::Rz(-(delta + beta) / 2.0).matrix(),
            );
            let am = mul2(&Gate::Rz(beta).matrix(), &Gate::Ry(gamma / 2.0).matrix());
            euler(out, &cm, t)?;
            out.cx(*c, t)?;
            euler(out, &bm, t)?;
            out.cx(*c, t)?;
            euler(out, &am, t)?;
            // The phase e^{i alpha} on the control: Phase(alpha) = e^{i alpha/2} RZ(alpha).
            if alpha != 0.0 {
                out.rz(alpha, *c)?;
                out.global_phase += alpha / 2.0;
            }
            Ok(())
        }
        [c0, c1] if *gate == Gate::X => toffoli(out, *c0, *c1, t),
        _ if *gate == Gate::X => mcx(out, controls, t, n),
        _ => multi_controlled_u(out, &m, controls, t, n),
    }
}

fn toffoli(out: &mut Circuit, a: usize, b: usize, t: usize) -> Result<()> {
    // Nielsen and Chuang, figure 4.9 (6 CNOTs).
    let (h, tt, td) = (Gate::H.matrix(), Gate::T.matrix(), Gate::Tdg.matrix());
    euler(out, &h, t)?;
    out.cx(b, t)?;
    euler(out, &td, t)?;
    out.cx(a, t)?;
    euler(out, &tt, t)?;
    out.cx(b, t)?;
    euler(out, &td, t)?;
    out.cx(a, t)?;
    euler(out, &tt, b)?;
    euler(out, &mul2(&h, &tt), t)?;
    out.cx(a, b)?;
    euler(out, &tt, a)?;
    euler(out, &td, b)?;
    out.cx(a, b)?;
    Ok(())
}

/// `C^k X` with `k - 2` dirty ancillas (Barenco et al., lemma 7.2): 4(k-2) Toffolis.
fn mcx_chain(out: &mut Circuit, c: &[usize], t: usize, a: &[usize], n: usize) -> Result<()> {
    let k = c.len();
    if k <= 2 {
        return controlled_1q(out, &Gate::X, c, t, n);
    }
    let tgt = |i: usize| if i == k - 1 { t } else { a[i - 1] };
    // tgt(i) ^= c[i] & a[i-2] for i = 2..k (a[-1] stands for c[1] at i = 1... handled below)
    let step = |out: &mut Circuit, i: usize| -> Result<()> {
        // i in 2..k: Toffoli(c[i], a[i-2] -> tgt(i)); i == 1: Toffoli(c[0], c[1] -> a[0]).
        if i == 1 {
            toffoli(out, c[0], c[1], a[0])
        } else {
            toffoli(out, c[i], a[i - 2], tgt(i))
        }
    };
    for round in 0..2 {
        let top = if round == 0 { k - 1 } else { k - 2 };
        for i in (2..=top).rev() {
            step(out, i)?;
        }
        step(out, 1)?;
        for i in 2..=top {
            step(out, i)?;
        }
    }
    Ok(())
}

/// Multi-controlled X in linear size when an idle qubit exists.
fn mcx(out: &mut Circuit, c: &[usize], t: usize, n: usize) -> Result<()> {
    let k = c.len();
    let mut used = c.to_vec();
    used.push(t);
    let idle = idle_qubits(n, &used);
    if idle.len() >= k - 2 {
        return mcx_chain(out, c, t, &idle[..k - 2], n);
    }
    if let Some(&anc) = idle.first() {
        // Lemma 7.3: split the controls, borrow one qubit.
        let k1 = k.div_ceil(2);
        let (ca, cb) = c.split_at(k1);
        let mut cb_anc = cb.to_vec();
        cb_anc.push(anc);
        let borrow_a: Vec<usize> = cb.iter().copied().chain([t]).collect();
        for _ in 0..2 {
            mcx_chain(
                out,
                &cb_anc,
                t,
                &ca[..cb_anc.len().saturating_sub(2).min(ca.len())],
                n,
            )?;
            mcx_chain(out, ca, anc, &borrow_a[..k1.saturating_sub(2)], n)?;
        }
        return Ok(());
    }
    multi_controlled_u(out, &Gate::X.matrix(), c, t, n)
}

/// A square root of a 2x2 unitary.
fn sqrt2(m: &Mat2) -> Mat2 {
    let det = m[0] * m[3] - m[1] * m[2];
    let tr = m[0] + m[3];
    let s1 = det.sqrt();
    let pick = |s: C64| (tr + s * 2.0).sqrt();
    let (s, d) = if pick(s1).norm() >= pick(-s1).norm() {
        (s1, pick(s1))
    } else {
        (-s1, pick(-s1))
    };
    [(m[0] + s) / d, m[1] / d, m[2] / d, (m[3] + s) / d]
}

/// `C^k U` by lemma 7.9: `C V`, `C^{k-1} X`, `C V^dagger`, `C^{k-1} X`, `C^{k-1} V`.
fn multi_controlled_u(out: &mut Circuit, m: &Mat2, c: &[usize], t: usize, n: usize) -> Result<()> {
    if c.len() == 1 {
        return controlled_1q(out, &Gate::Unitary(*m), c, t, n);
    }
    let v = sqrt2(m);
    let (&last, rest) = c.split_last().expect("at least two controls");
    controlled_1q(out, &Gate::Unitary(v), &[last], t, n)?;
    controlled_1q(out, &Gate::X, rest, last, n)?;
    controlled_1q(out, &Gate::Unitary(adjoint2(&v)), &[last], t, n)?;
    controlled_1q(out, &Gate::X, rest, last, n)?;
    multi_controlled_u(out, &v, rest, t, n)
}

/// A dense block as a product of two-level unitaries (Givens eliminations), each
/// applied between Gray-code neighbours as a multi-controlled single-qubit gate.
fn dense_block(
    out: &mut Circuit,
    qubits: &[usize],
    u: &[C64],
    controls: &[usize],
    n: usize,
) -> Result<()> {
    let k = qubits.len();
    let dim = 1usize << k;
    // Work in Gray-code order so consecutive basis states differ in one bit.
    let gray: Vec<usize> = (0..dim).map(|i| i ^ (i >> 1)).collect();
    let mut w: Vec<C64> = vec![c64(0.0, 0.0); dim * dim];
    for r in 0..dim {
        for s in 0..dim {
            w[r * dim + s] = u[gray[r] * dim + gray[s]];
        }
    }
    // Eliminate below the diagonal column by column: G_l ... G_1 W = D (diagonal),
    // so W = G_1^dagger ... G_l^dagger D; in time order D first, then G_l^dagger, ..., G_1^dagger.
    let mut factors: Vec<(usize, Mat2)> = Vec::new(); // rotation acting on gray rows (r-1, r)
    for col in 0..dim {
        for r in (col + 1..dim).rev() {
            let (x, y) = (w[(r - 1) * dim + col], w[r * dim + col]);
            if y.norm() < 1e-15 {
                continue;
            }
            let nrm = (x.norm_sqr() + y.norm_sqr()).sqrt();
            let g: Mat2 = [x.conj() / nrm, y.conj() / nrm, -y / nrm, x / nrm];
            for s in 0..dim {
                let (a, b) = (w[(r - 1) * dim + s], w[r * dim + s]);
                w[(r - 1) * dim + s] = g[0] * a + g[1] * b;
                w[r * dim + s] = g[2] * a + g[3] * b;
            }
            factors.push((r, g));
        }
    }
    let mut ops: Vec<(usize, usize, Mat2)> = Vec::new(); // (basis a, basis b, 2x2 on (a, b))
    for r in 0..dim {
        let d = w[r * dim + r];
        if (d - c64(1.0, 0.0)).norm() > 1e-15 {
            let partner = if r == 0 { 1 } else { r - 1 };
            let (lo, hi) = (partner.min(r), partner.max(r));
            let one = c64(1.0, 0.0);
            let zero = c64(0.0, 0.0);
            let m = if r == hi {
                [one, zero, zero, d]
            } else {
                [d, zero, zero, one]
            };
            ops.push((lo, hi, m));
        }
    }
    for (r, g) in factors.into_iter().rev() {
        ops.push((r - 1, r, adjoint2(&g)));
    }
    for (ga, gb, m) in ops {
        two_level(out, qubits, gray[ga], gray[gb], &m, controls, n)?;
    }
    Ok(())
}

/// A 2x2 unitary on basis states `a`, `b` (differing in one bit) of the block.
fn two_level(
    out: &mut Circuit,
    qubits: &[usize],
    a: usize,
    b: usize,
    m: &Mat2,
    controls: &[usize],
    n: usize,
) -> Result<()> {
    let diff = a ^ b;
    let bit = diff.trailing_zeros() as usize;
    // Orient so that `a` has the bit 0.
    let m = if a >> bit & 1 == 0 {
        *m
    } else {
        [m[3], m[2], m[1], m[0]]
    };
    let zeros: Vec<usize> = (0..qubits.len())
        .filter(|&j| j != bit && a >> j & 1 == 0)
        .map(|j| qubits[j])
        .collect();
    let mut cs: Vec<usize> = controls.to_vec();
    cs.extend((0..qubits.len()).filter(|&j| j != bit).map(|j| qubits[j]));
    let x = Gate::X.matrix();
    for &q in &zeros {
        euler(out, &x, q)?;
    }
    controlled_1q(out, &Gate::Unitary(m), &cs, qubits[bit], n)?;
    for &q in &zeros {
        euler(out, &x, q)?;
    }
    Ok(())
}
