#!/usr/bin/env python
"""Markdown r* table and Richardson extrapolation from hact_fd.py JSON lines.

The scheme is first order in da, so r(L) ~ r_inf + C h_L with h_L = da_L =
(amax - amin)/(2^L - 1). For consecutive L:
  R1(L) = (h_{L-1} r(L) - h_L r(L-1)) / (h_{L-1} - h_L)     (removes C h)
  R2(L) = (h_{L-2} R1(L) - h_L R1(L-1)) / (h_{L-2} - h_L)   (removes the next, ~h^2, term)
  ratio(L) = (r(L-1) - r(L-2)) / (r(L) - r(L-1))             (2 when first order)
(L-1 and L-2 mean the previous rows present; a gap of 2 in L is allowed.) The
limit is quoted as R1 at the finest L, with |R1(L) - R1(prev)| as its error
estimate, R2 and a geometric tail of the R1 sequence beside it as cross-checks.

Usage: python benches/peers/hact_rstar.py bench-results/econ_peer.jsonl [more.jsonl ...]
"""
import json
import sys

SPAN = {"huggett": 5.0 + 0.15, "aiyagari": 20.0}


def main():
    rows = {}
    for path in sys.argv[1:]:
        for line in open(path):
            line = line.strip()
            if not line.startswith("{"):
                continue
            d = json.loads(line)
            if d.get("bench") != "econ_peer" or "r_star" not in d or d["params"].get("literal_x"):
                continue
            rows.setdefault(d["params"]["model"], {})[d["params"]["bits"]] = d
    for model in ("huggett", "aiyagari"):
        if model not in rows:
            continue
        by = rows[model]
        Ls = sorted(by)
        h = {L: SPAN[model] / (2**L - 1) for L in Ls}
        r = {L: by[L]["r_star"] for L in Ls}
        R1, R2 = {}, {}
        print(f"\n### {model}\n")
        print("| L | N | r*(L) | r(L) - r(prev) | ratio | R1(L) | R2(L) | seconds | HJB its | S(r*) |")
        print("|---|---|---|---|---|---|---|---|---|---|")
        for k, L in enumerate(Ls):
            d = by[L]
            p1 = Ls[k - 1] if k >= 1 else None
            p2 = Ls[k - 2] if k >= 2 else None
            cells = ["", "", "", ""]
            if p1 is not None:
                cells[0] = f"{r[L] - r[p1]:.3e}"
                R1[L] = (h[p1] * r[L] - h[L] * r[p1]) / (h[p1] - h[L])
                cells[2] = f"{R1[L]:.12f}"
            if p2 is not None:
                cells[1] = f"{(r[p1] - r[p2]) / (r[L] - r[p1]):.3f}"
                if p1 in R1:
                    R2[L] = (h[p2] * R1[L] - h[L] * R1[p1]) / (h[p2] - h[L])
                    cells[3] = f"{R2[L]:.12f}"
            step = f" (L-{L - p1})" if p1 is not None and L - p1 != 1 else ""
            print(f"| {L}{step} | {2**L} | {r[L]:.15f} | {cells[0]} | {cells[1]} | {cells[2]} | {cells[3]} | "
                  f"{d['seconds']:.3f} | {d['hjb_iterations']} | {d['excess_at_root']:.1e} |")
        k1 = sorted(R1)
        Lf, Lp = k1[-1], k1[-2]
        err1 = abs(R1[Lf] - R1[Lp])
        print(f"\nr_inf ~ R1({Lf}) = {R1[Lf]:.10f} +- {err1:.1e} (|R1({Lf}) - R1({Lp})|); "
              f"R2({Lf}) = {R2[Lf]:.10f}; r*({Lf}) - R1({Lf}) = {r[Lf] - R1[Lf]:.2e}")
        if len(k1) >= 3 and all(b - a == 1 for a, b in zip(k1[-3:], k1[-2:])):
            q = (R1[k1[-2]] - R1[k1[-3]]) / (R1[Lf] - R1[Lp])
            print(f"R1 itself converges with ratio {q:.2f} per level; geometric tail: "
                  f"R1({Lf}) + (R1({Lf}) - R1({Lp}))/(q - 1) = {R1[Lf] + (R1[Lf] - R1[Lp]) / (q - 1):.10f}")

if __name__ == "__main__":
    main()
