"""Ratio table of bench-results/dmrg_vs_tenpy.jsonl (TeNPy / qtt, CPU seconds)."""
import json
import sys

rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
ours = {r["params"]["chi_max"]: r for r in rows if r.get("bench") == "dmrg2_heisenberg_spin1"}
full = {r["params"]["chi_max"]: r for r in rows
        if r.get("peer") == "tenpy" and r.get("task") == "dmrg2_heisenberg_spin1"}
stop = {r["params"]["chi_max"]: r for r in rows
        if r.get("peer") == "tenpy" and "stopped" in r.get("task", "")}
print("| chi | E qtt | E TeNPy | dE | CPU to 1e-8 qtt / TeNPy | ratio | CPU total qtt / TeNPy | ratio |")
print("|---|---|---|---|---|---|---|---|")
for chi in sorted(ours):
    q, t = ours[chi], full.get(chi)
    if t is None:
        continue
    s = stop.get(chi)
    q_to = q["cpu_seconds_to_tenpy_E_1e-8"]
    n = next(i + 1 for i, e in enumerate(t["sweep_E"]) if abs(e - t["E"]) <= 1e-8)
    t_to = float("nan")
    if s is not None:
        assert s["sweep_E"] == t["sweep_E"][: len(s["sweep_E"])], "the stopped run differs"
        t_to = s["cpu_seconds_median"]
        if len(s["sweep_E"]) != n:
            # More sweeps than needed: scale by the wall-clock share.
            t_to *= s["sweep_time"][n - 1] / s["sweep_time"][-1]
            print(f"(chi {chi}: TeNPy's stopped run has {len(s['sweep_E'])} sweeps, {n} needed; scaled)")
    print(f"| {chi} | {q['E']:.11f} | {t['E']:.11f} | {q['E'] - t['E']:.1e} | "
          f"{q_to:.2f} / {t_to:.2f} | {t_to / q_to:.1f}x | "
          f"{q['cpu_seconds_median']:.2f} / {t['cpu_seconds_median']:.2f} | "
          f"{t['cpu_seconds_median'] / q['cpu_seconds_median']:.1f}x |")
