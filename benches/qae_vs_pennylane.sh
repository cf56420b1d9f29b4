#!/usr/bin/env bash
# Canonical QAE of the sin^2 example: qtt (`cargo bench --bench qae`, one
# thread) and PennyLane's QuantumMonteCarlo (shared qae_gaussian.py, one
# thread, CPU clock) back to back in one session, then the ratio table.
#
# usage: benches/qae_vs_pennylane.sh [OUTDIR]   (default bench-results)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$here/bench-results}
peers=${QTT_PEERS:-$here/../shared/bench/peers}
py=${QTT_PEER_PY:-${PEERS_VENV:-$HOME/.cache/qtt-peers}/bin/python}
cd "$here"
cargo bench --bench qae --no-run --quiet 2>/dev/null
RAYON_NUM_THREADS=1 cargo bench --quiet --bench qae -- --ns 6,8,10,12 --dense-ns 6,8,10,12 --gate-ns 6,8 \
  >"$out/qtt_qae.jsonl"
"$py" benches/peers/qae_gaussian_cpu.py "$peers/qae_gaussian.py" --ns 6,8,10,12 --repeats 10 \
  >"$out/peer_qae.jsonl"
"$py" benches/peers/qae_ratios.py "$out/qtt_qae.jsonl" "$out/peer_qae.jsonl" | tee "$out/qae_vs_pennylane.md"
