#!/usr/bin/env python
"""Peer benchmark: teneva's TT-cross of a smoothed kink on a QTT grid.

Protocol (the same as `cargo bench --bench qtt -- cross`):
  grid   x_i = lo + i h, i = 0..2^L-1, h = (hi - lo) / (2^L - 1), lo = -1, hi = 1
  bits   L binary modes, most significant bit first: i = sum_k b_k 2^(L-1-k)
  f(x)   softplus_mu(x - k) = mu ln(1 + exp((x - k) / mu)), k = 0.1234567
  run    teneva.cross(f, teneva.rand([2]*L, r0), e=tol, dr_max, cache) then
         teneva.truncate(Y, tol)   (both timed; cache on, so repeats are free)
  report evaluations = distinct points requested (info['m']), seconds,
         final max rank, max relative error at 1000 random points (not timed:
         |Y(i) - f(x_i)| / max|f| on the sample).

One JSON object per line on stdout.
"""
import argparse
import json
import os
import platform
import statistics
import sys
import time

for _k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
    os.environ.setdefault(_k, "1")

import numpy as np  # noqa: E402
import teneva  # noqa: E402


def softplus(x, mu):
    return np.maximum(x, 0.0) + mu * np.log1p(np.exp(-np.abs(x) / mu))


def make_f(L, lo, hi, kink, mu):
    h = (hi - lo) / float(2**L - 1)
    weights = np.array([2 ** (L - 1 - k) for k in range(L)], dtype=np.int64)

    def f(I):
        idx = np.asarray(I, dtype=np.int64) @ weights
        return softplus(lo + idx.astype(np.float64) * h - kink, mu)

    return f


def run_once(L, lo, hi, kink, mu, tol, r0, dr_max, nswp, seed):
    f = make_f(L, lo, hi, kink, mu)
    info, cache = {}, {}
    t0 = time.perf_counter()
    Y0 = teneva.rand([2] * L, r0, seed=seed)
    Y = teneva.cross(f, Y0, e=tol, nswp=nswp, dr_max=dr_max, info=info, cache=cache)
    Y = teneva.truncate(Y, tol)
    secs = time.perf_counter() - t0
    rng = np.random.default_rng(seed + 1)
    I = rng.integers(0, 2, size=(1000, L))
    want = f(I)
    got = teneva.get_many(Y, I)
    err = float(np.max(np.abs(got - want)) / np.max(np.abs(want)))
    return secs, int(info.get("m", len(cache))), max(G.shape[2] for G in Y), err, info


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bits", type=int, default=40)
    ap.add_argument("--mu", type=float, default=1e-3)
    ap.add_argument("--tol", type=float, default=1e-10)
    ap.add_argument("--kink", type=float, default=0.1234567)
    ap.add_argument("--r0", type=int, default=2, help="rank of the random initial guess")
    ap.add_argument("--dr-max", type=int, default=2, help="rows added per maxvol_rect step")
    ap.add_argument("--nswp", type=int, default=50)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    env = {"python": platform.python_version(), "numpy": np.__version__, "teneva": teneva.__version__,
           "blas_threads": os.environ.get("OPENBLAS_NUM_THREADS")}
    print(json.dumps({"peer": "env", "task": "env", "params": env}), flush=True)
    secs = []
    for rep in range(args.reps):
        s, m, r, err, info = run_once(args.bits, -1.0, 1.0, args.kink, args.mu, args.tol,
                                      args.r0, args.dr_max, args.nswp, args.seed)
        secs.append(s)
    print(json.dumps({
        "bench": "qtt_cross_kink", "peer": "teneva",
        "params": {"bits": args.bits, "mu": args.mu, "tol": args.tol, "r0": args.r0,
                   "dr_max": args.dr_max, "nswp": args.nswp},
        "seconds_median": statistics.median(secs), "seconds_min": min(secs), "reps": len(secs),
        "evaluations": m, "max_rank": int(r), "max_rel_error": err,
        "sweeps": int(info.get("nswp", -1)), "stop": str(info.get("stop")),
    }), flush=True)


if __name__ == "__main__":
    sys.exit(main())
