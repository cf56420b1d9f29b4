#!/usr/bin/env python
"""Writes the Qiskit-computed unitary of every DIR/<name>.qasm (written by
qtt's to_qasm; tests/qasm_qiskit.rs) to DIR/<name>.unitary: row-major, one
"re im" pair per line, the `// qtt-global-phase PHI` comment applied, as
qiskit.qasm2.load (strict) and qiskit.quantum_info.Operator compute it.
These files are the committed fixtures that CI compares qtt against without
Python; regenerate them only when the export changes.

Usage: python benches/peers/qasm_fixtures.py DIR
"""
import glob
import os
import sys

import qiskit
from qiskit import qasm2
from qiskit.quantum_info import Operator


def main():
    files = sorted(glob.glob(os.path.join(sys.argv[1], "*.qasm")))
    if not files:
        print(f"no .qasm files in {sys.argv[1]}", file=sys.stderr)
        return 1
    for path in files:
        phase = 0.0
        with open(path) as f:
            for line in f:
                if line.startswith("// qtt-global-phase"):
                    phase = float(line.split()[-1])
        qc = qasm2.load(path, strict=True)
        qc.global_phase += phase
        u = Operator(qc).data
        with open(path[:-5] + ".unitary", "w") as out:
            out.write(f"# qiskit {qiskit.__version__}: Operator(qasm2.load(strict=True)), "
                      f"{u.shape[0]}x{u.shape[1]}, row-major, re im\n")
            for z in u.reshape(-1):
                out.write(f"{float(z.real)!r} {float(z.imag)!r}\n")
        print(f"{os.path.basename(path)}: {u.shape[0]}x{u.shape[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
