#!/usr/bin/env bash
# Side-by-side quadratic knapsack run: qtt's constrained-MPS optimiser and
# SCIP (bench/peers/qkp_scip.py) on the same seeded instances, ONE solver at
# a time, each line a JSON record with the load average appended.
#
# usage: benches/qkp_vs_scip.sh SECONDS "SIZES" "SEEDS" [OUT.jsonl]
#   e.g. benches/qkp_vs_scip.sh 10 "50 100 200 400" "0 1 2"
set -euo pipefail
secs=$1; sizes=$2; seeds=$3; out=${4:-/dev/stdout}
here=$(cd "$(dirname "$0")/.." && pwd)
peers=${QTT_PEERS:-$here/../shared/bench/peers}
py=${QTT_PEER_PY:-${PEERS_VENV:-$HOME/.cache/qtt-peers}/bin/python}
cd "$here"
cargo build --release --quiet
dir=target/qkp
cargo bench --bench qkp -- --n "$(echo $sizes | tr ' ' ,)" --instances 10 --dir "$dir" --generate-only >/dev/null
for n in $sizes; do
  for s in $seeds; do
    f="$dir/qkp_n${n}_s${s}.txt"
    load=$(cut -d' ' -f1-3 /proc/loadavg)
    ./target/release/qtt knapsack "$f" --seconds "$secs" --seed "$s" --json \
      | sed "s/}\$/,\"loadavg\":\"$load\"}/" >>"$out"
    load=$(cut -d' ' -f1-3 /proc/loadavg)
    (cd "$peers" && "$py" qkp_scip.py "$OLDPWD/$f" "$secs") \
      | sed "s/}\$/, \"loadavg\": \"$load\"}/" >>"$out"
  done
done
