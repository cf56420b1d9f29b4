#!/usr/bin/env python
"""teneva's TT-cross on the workload of `cargo bench --bench tt -- --only cross`:
f(x) = 1 / (1 + sum x_i^2) on a 16^10 grid, x_i = i_i / 15, stopped once the
relative error on 20,000 seeded random points is below --target (1e-8).

teneva.cross is rank-adaptive (maxvol_rect with dr_max added rows per sweep);
it starts from a random rank-2 TT and stops on the validation error. One JSON
object per line, in the format of ../shared/bench/peers.

Usage: ~/.cache/qtt-peers/bin/python benches/peers/tt_cross.py [--target 1e-8]
"""
import argparse
import json
import os
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import teneva  # noqa: E402


def f(idx):
    x = idx / 15.0
    return 1.0 / (1.0 + np.sum(x * x, axis=1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--d", type=int, default=10)
    ap.add_argument("--n", type=int, default=16)
    ap.add_argument("--target", type=float, default=1e-8)
    ap.add_argument("--dr-max", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--reps", type=int, default=3)
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)
    i_vld = rng.integers(0, args.n, size=(20000, args.d))
    y_vld = f(i_vld)
    walls, cpus, info = [], [], {}
    for rep in range(args.reps):
        y0 = teneva.rand([args.n] * args.d, 2, seed=args.seed + rep)
        info = {}
        c0, t0 = time.process_time(), time.perf_counter()
        y = teneva.cross(f, y0, m=10**8, e=1e-14, nswp=200, dr_min=1, dr_max=args.dr_max,
                         info=info, I_vld=i_vld, y_vld=y_vld, e_vld=args.target)
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    err = float(np.linalg.norm(teneva.get_many(y, i_vld) - y_vld) / np.linalg.norm(y_vld))
    print(json.dumps({
        "peer": "teneva", "task": "tt_cross(rank-adaptive maxvol_rect)",
        "params": {"d": args.d, "n": args.n, "target": args.target, "dr_max": args.dr_max},
        "seconds_median": sorted(walls)[len(walls) // 2], "cpu_seconds_median": sorted(cpus)[len(cpus) // 2],
        "evaluations": int(info.get("m", -1)), "max_rank": int(max(teneva.props.ranks(y))) if hasattr(teneva, "props") else None,
        "rel_err_samples": err, "stop": str(info.get("stop")),
    }), flush=True)


if __name__ == "__main__":
    main()
