#!/usr/bin/env python
"""Ratio table of a qae_vs_pennylane.sh run: peer CPU seconds / qtt CPU seconds
per (n_est, qtt backend, PennyLane device), from the two JSON-line files.

Usage: python benches/peers/qae_ratios.py QTT.jsonl PEER.jsonl
"""
import json
import sys


def lines(path):
    with open(path) as f:
        return [json.loads(s) for s in f if s.strip().startswith("{")]


def main():
    qtt, peer = lines(sys.argv[1]), lines(sys.argv[2])
    ours = {}
    for o in qtt:
        p = o["params"]
        ours[(p["backend"], p["n_est"])] = (o["cpu_seconds_median"], o["results"]["mu_hat"])
    theirs = {}
    for o in peer:
        if o.get("task") == "qae_gaussian" and o["peer"].startswith("pennylane/") and o["seconds_median"]:
            theirs[(o["peer"].split("/")[1], o["params"]["n_est"])] = (o["seconds_median"], o["results"]["mu_hat"])
    backends = sorted({b for b, _ in ours})
    devices = sorted({d for d, _ in theirs})
    ns = sorted({n for _, n in ours})
    head = ["n_est"] + [f"qtt {b} [s]" for b in backends] + [f"{d} [s]" for d in devices]
    head += [f"{d}/{b}" for d in devices for b in backends]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for n in ns:
        row = [str(n)]
        row += [f"{ours[(b, n)][0]:.3e}" if (b, n) in ours else "-" for b in backends]
        row += [f"{theirs[(d, n)][0]:.3e}" if (d, n) in theirs else "-" for d in devices]
        for d in devices:
            for b in backends:
                if (b, n) in ours and (d, n) in theirs:
                    same = abs(ours[(b, n)][1] - theirs[(d, n)][1]) < 1e-12
                    row.append(f"{theirs[(d, n)][0] / ours[(b, n)][0]:.1f}x" + ("" if same else " (estimates differ!)"))
                else:
                    row.append("-")
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
