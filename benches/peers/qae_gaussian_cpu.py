#!/usr/bin/env python
"""Runs ../shared/bench/peers/qae_gaussian.py (PennyLane's QuantumMonteCarlo on the
N(0,1) / sin^2 example) on one thread, timed in CPU seconds of this process.

The shared script times with time.perf_counter (wall clock); on a shared, loaded
machine the process CPU time is the less disturbed figure, and it is what
`cargo bench --bench qae` reports as cpu_seconds_median. This wrapper pins the
BLAS/OpenMP pools to one thread and replaces perf_counter with process_time
before running the script unchanged, so its "seconds_median" and
"seconds_first_call" are CPU seconds (each line gets "clock": "process_time").

Usage: ~/.cache/qtt-peers/bin/python benches/peers/qae_gaussian_cpu.py PATH/qae_gaussian.py [args]
"""
import os
import sys

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
    os.environ[var] = "1"

import builtins  # noqa: E402
import json  # noqa: E402
import runpy  # noqa: E402
import time  # noqa: E402

script = sys.argv[1]
sys.argv = sys.argv[1:]
time.perf_counter = time.process_time
real_print = builtins.print


def tagged_print(*args, **kwargs):
    """Adds the clock to every JSON line the script prints."""
    if len(args) == 1 and isinstance(args[0], str) and args[0].startswith("{"):
        o = json.loads(args[0])
        o["clock"] = "process_time"
        o["threads"] = 1
        args = (json.dumps(o),)
    real_print(*args, **kwargs)


builtins.print = tagged_print
runpy.run_path(script, run_name="__main__")
