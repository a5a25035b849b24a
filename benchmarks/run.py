"""Benchmarks kfront against hand-written native loops and Keras 3, engine by engine.

    .venv/bin/python benchmarks/run.py [--workloads mlp,convnet,lstm,transformer,dataloader]
        [--engines torch,jax,tensorflow] [--impls native,kfront,keras] [--rounds N] [--steps N]
        [--device cpu|gpu]

Each (workload, engine, implementation) runs in its own subprocess, pinned to one core with
one thread per engine. Rounds interleave the implementations of a cell so that load on the
machine hits them alike. Prints a markdown table (see benchmarks/README.md).
"""
import argparse
import json
import os
import subprocess
import sys

import report
from measure import THREAD_ENV
from workloads import ORDER

HERE = os.path.dirname(os.path.abspath(__file__))
ENGINES = ("torch", "jax", "tensorflow")
IMPLS = ("native", "kfront", "keras")


def _csv(text, allowed):
    items = [s.strip() for s in text.split(",") if s.strip()]
    bad = [s for s in items if s not in allowed]
    if bad:
        raise SystemExit(f"unknown {bad}; choose from {', '.join(allowed)}")
    return items


def run_one(impl, engine, workload, steps, core, timeout, device="cpu"):
    env = {**os.environ, **THREAD_ENV, "KFRONT_BACKEND": engine, "KERAS_BACKEND": engine,
           "BENCH_DEVICE": device}
    if device == "gpu":
        # The engines' defaults then take the GPU (kfront's and Keras's as the natives' do).
        for hidden in ("CUDA_VISIBLE_DEVICES", "JAX_PLATFORMS"):
            env.pop(hidden, None)
    cmd = [sys.executable, os.path.join(HERE, "worker.py"), impl, engine, workload,
           str(steps), str(core)]
    try:
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"skip": f"timed out after {timeout}s"}
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT "):])
    tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
    return {"skip": f"worker exited {proc.returncode}: {tail[:160]}"}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--workloads", default=",".join(ORDER))
    p.add_argument("--engines", default=",".join(ENGINES))
    p.add_argument("--impls", default=",".join(IMPLS))
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--steps", type=int, default=50, help="timed steps, and steps per epoch")
    p.add_argument("--core", type=int, default=max(os.sched_getaffinity(0)),
                   help="the CPU core every run is pinned to")
    p.add_argument("--timeout", type=int, default=900, help="seconds per subprocess")
    p.add_argument("--json", help="also write the raw per-round results here")
    p.add_argument("--from-json", help="print the table of a saved --json file instead of "
                                       "running (pass the --rounds/--steps it ran with)")
    p.add_argument("--device", choices=("cpu", "gpu"), default="cpu",
                   help="gpu: the GPU is visible to every engine and the native torch loop "
                        "moves its model and batches there")
    a = p.parse_args(argv)
    workloads = _csv(a.workloads, ORDER)
    engines = _csv(a.engines, ENGINES)
    impls = _csv(a.impls, IMPLS)

    results = {}
    if a.from_json:
        with open(a.from_json) as f:
            for row in json.load(f):
                results[(row["workload"], row["engine"], row["impl"])] = row["rounds"]
        print(report.table(results, workloads, engines, impls, a))
        return
    for r in range(a.rounds):
        # Rotating the order each round: no implementation always runs first (cold caches)
        # or last.
        order = impls[r % len(impls):] + impls[:r % len(impls)]
        for w in workloads:
            for e in engines:
                for impl in order:
                    print(f"round {r + 1}/{a.rounds}: {w} {e} {impl}", file=sys.stderr,
                          flush=True)
                    out = run_one(impl, e, w, a.steps, a.core, a.timeout, a.device)
                    results.setdefault((w, e, impl), []).append(out)
    if a.json:
        with open(a.json, "w") as f:
            json.dump([{"workload": w, "engine": e, "impl": i, "rounds": v}
                       for (w, e, i), v in results.items()], f, indent=1)
    print(report.table(results, workloads, engines, impls, a))


if __name__ == "__main__":
    main()
