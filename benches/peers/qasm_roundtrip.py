#!/usr/bin/env python
"""Loads every DIR/<name>.qasm written by qtt (tests/qasm_qiskit.rs) with
qiskit.qasm2.load in strict mode (original qelib1.inc gates only), builds its Operator and compares it with qtt's own unitary
DIR/<name>.unitary (row-major, one "re im" pair per line).

OpenQASM 2 has no global phase; qtt writes it as a `// qtt-global-phase PHI`
comment, which is added to the Qiskit circuit before the comparison, so the
unitaries must agree entry-wise (not only up to phase). Qubit q of qtt is q[q],
and both use little-endian basis indices (qubit 0 = least significant bit), so
no reordering is applied. One JSON line per file; exit status 1 on any failure.

Usage: python benches/peers/qasm_roundtrip.py DIR [--tol 1e-10]
"""
import argparse
import glob
import json
import os
import sys

import numpy as np
import qiskit
from qiskit import qasm2
from qiskit.quantum_info import Operator


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--tol", type=float, default=1e-10)
    args = ap.parse_args()
    files = sorted(glob.glob(os.path.join(args.dir, "*.qasm")))
    if not files:
        print(f"no .qasm files in {args.dir}", file=sys.stderr)
        return 1
    failed = 0
    for path in files:
        name = os.path.basename(path)[:-5]
        rec = {"check": "qasm2_qiskit", "circuit": name, "qiskit": qiskit.__version__}
        try:
            phase = 0.0
            with open(path) as f:
                for line in f:
                    if line.startswith("// qtt-global-phase"):
                        phase = float(line.split()[-1])
            qc = qasm2.load(path, strict=True)
            qc.global_phase += phase
            theirs = Operator(qc).data
            raw = np.loadtxt(path[:-5] + ".unitary")
            ours = (raw[:, 0] + 1j * raw[:, 1]).reshape(theirs.shape)
            diff = float(np.max(np.abs(theirs - ours)))
            # also up to a global phase, to tell a phase slip from a wrong gate
            k = np.unravel_index(np.argmax(np.abs(ours)), ours.shape)
            rot = theirs[k] / ours[k] if abs(ours[k]) > 0 else 1.0
            diff_phase = float(np.max(np.abs(theirs - rot / abs(rot) * ours)))
            ops = {k2: int(v) for k2, v in qc.count_ops().items()}
            rec.update({"n_qubits": qc.num_qubits, "gates": int(sum(ops.values())), "ops": ops,
                        "max_abs_diff": diff, "max_abs_diff_up_to_phase": diff_phase,
                        "ok": diff < args.tol})
        except Exception as e:  # noqa: BLE001
            rec.update({"ok": False, "error": repr(e)[:500]})
        failed += not rec["ok"]
        print(json.dumps(rec), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
