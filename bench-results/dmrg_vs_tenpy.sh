#!/usr/bin/env bash
# Two-site DMRG, open spin-1 Heisenberg chain L = 100, chi = 128 and 256:
# qtt (U(1), benches/dmrg.rs) next to TeNPy (the peer script), one session,
# single thread each. Writes the raw JSON lines to dmrg_vs_tenpy.jsonl and
# prints the ratio table (scripts/dmrg_ratios.py reads the same file).
#
# TeNPy reports wall-clock sweep times only, so its CPU seconds to its own
# final energy within 1e-8 come from a second run stopped (--max-sweeps)
# after the sweep that reached it (the ratio script checks that the stopped
# run repeats the same energies and has exactly that many sweeps); qtt's
# bench does the same internally.
set -euo pipefail
# The peers' Python and scripts: $QTT_PEER_PY (else $PEERS_VENV/bin/python,
# setup-peers.sh's default $HOME/.cache/qtt-peers) and $QTT_PEERS (else
# ../shared/bench/peers beside the repository).
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
PY=${QTT_PEER_PY:-${PEERS_VENV:-$HOME/.cache/qtt-peers}/bin/python}
PEER=${QTT_PEERS:-$here/../shared/bench/peers}/dmrg_heisenberg.py
OUT=bench-results/dmrg_vs_tenpy.jsonl
cargo build --release --bench dmrg >/dev/null 2>&1
BIN=$(ls -t target/release/deps/dmrg-* | grep -v '\.d$' | head -1)
: > "$OUT"
echo '{"note": "qtt U(1) two-site DMRG vs TeNPy 1.1 (conserve=Sz, mixer, svd_min 1e-10), open spin-1 Heisenberg L=100; same session, one thread each; see dmrg_vs_tenpy.sh"}' >> "$OUT"
"$BIN" --chi 128,256 | tee -a "$OUT"
"$PY" "$PEER" --L 100 --chi 128,256 --reps 1 | tee -a "$OUT"
# TeNPy stopped at the first sweep within 1e-8 of its final energy.
for chi in 128 256; do
  n=$("$PY" - "$OUT" "$chi" <<'PYEOF'
import json, sys
for line in open(sys.argv[1]):
    d = json.loads(line)
    if d.get("peer") == "tenpy" and d.get("params", {}).get("chi_max") == int(sys.argv[2]):
        E = d["E"]
        print(next(i + 1 for i, e in enumerate(d["sweep_E"]) if abs(e - E) <= 1e-8))
PYEOF
)
  # TeNPy runs one sweep more than --max-sweeps (it counts from 0).
  m=$(( n > 1 ? n - 1 : 1 ))
  "$PY" "$PEER" --L 100 --chi "$chi" --reps 1 --max-sweeps "$m" | grep -v '"env"' \
    | sed 's/"task": "dmrg2_heisenberg_spin1"/"task": "dmrg2_heisenberg_spin1(stopped at the sweep reaching 1e-8)"/' | tee -a "$OUT"
done
"$PY" bench-results/dmrg_ratios.py "$OUT"
