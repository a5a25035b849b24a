"""Benchmarks kfront against hand-written native loops and Keras 3, engine by engine.

    .venv/bin/python benchmarks/run.py [--workloads mlp,convnet,lstm,transformer,dataloader]
        [--engines torch,jax,tensorflow] [--impls native,kfront,kfront-compiled,keras]
        [--rounds N] [--steps N]
        [--device cpu|gpu]

Each (workload, engine, implementation) runs in its own subprocess, pinned to one core with
one thread per engine. The implementations of a cell run side by side and take turns on the
core, a fraction of a second each (turns.py), so that drift in the machine's speed hits them
alike; a new set of processes runs each round. Prints a markdown table (see benchmarks/README.md).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import report
import turns
from measure import ALLOCATOR_ENV, THREAD_ENV
from worker import MARK
from workloads import ORDER

HERE = os.path.dirname(os.path.abspath(__file__))
ENGINES = ("torch", "jax", "tensorflow")
IMPLS = ("native", "kfront", "keras")
# Run only when named in --impls: kfront with compile(jit_compile=True).
EXTRA_IMPLS = ("kfront-compiled",)


def _csv(text, allowed):
    items = [s.strip() for s in text.split(",") if s.strip()]
    bad = [s for s in items if s not in allowed]
    if bad:
        raise SystemExit(f"unknown {bad}; choose from {', '.join(allowed)}")
    return items


def _env(engine, device):
    env = {**os.environ, **THREAD_ENV, **ALLOCATOR_ENV, "KFRONT_BACKEND": engine, "KERAS_BACKEND": engine,
           "BENCH_DEVICE": device, turns.ENV: "1"}
    # Bytecode caching on, as a user's install has it: the engines and Keras 3 are wheels
    # whose .pyc files pip wrote, while kfront from a source checkout would otherwise
    # compile its ~370 modules on every import (0.26 s) where PYTHONDONTWRITEBYTECODE is set.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if device == "gpu":
        # The engines' defaults then take the GPU (kfront's and Keras's as the natives' do).
        for hidden in ("CUDA_VISIBLE_DEVICES", "JAX_PLATFORMS"):
            env.pop(hidden, None)
        # A cell's processes are alive together: none may claim the whole GPU up front.
        env.update(XLA_PYTHON_CLIENT_PREALLOCATE="false", TF_FORCE_GPU_ALLOW_GROWTH="true")
    return env


def run_cell(impls, engine, workload, steps, core, timeout, device="cpu", worker=None,
             extra=()):
    """Runs each implementation in its own process, all pinned to ``core`` and taking turns
    (see turns.py). Returns impl -> its result, or ``{"skip": why}``. ``worker``: the worker
    script (worker.py unless given), called with the same arguments and then ``extra``."""
    env = _env(engine, device)
    procs, logs = {}, {}
    for impl in impls:
        logs[impl] = tempfile.TemporaryFile(mode="w+")  # a file, not a pipe: never fills up
        cmd = [sys.executable, worker or os.path.join(HERE, "worker.py"), impl, engine,
               workload, str(steps), str(core), *extra]
        procs[impl] = subprocess.Popen(cmd, env=env, stdin=subprocess.PIPE,
                                       stdout=subprocess.PIPE, stderr=logs[impl], text=True)
    cell = turns.Turns(procs, MARK, timeout)
    raw = cell.run()
    out = {}
    for impl in impls:
        if impl in raw:
            out[impl] = json.loads(raw[impl])
            continue
        logs[impl].seek(0)
        tail = (logs[impl].read().strip().splitlines() or ["no output"])[-1]
        why = f"worker exited {procs[impl].returncode}: {tail[:160]}"
        if impl in cell.timed_out:
            why = f"killed after {timeout}s without yielding its turn"
        out[impl] = {"skip": why}
    for f in logs.values():
        f.close()
    return out


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--workloads", default=",".join(ORDER))
    p.add_argument("--engines", default=",".join(ENGINES))
    p.add_argument("--impls", default=",".join(IMPLS))
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--steps", type=int, default=50, help="timed steps, and steps per epoch")
    p.add_argument("--core", type=int, default=max(os.sched_getaffinity(0)),
                   help="the CPU core every run is pinned to")
    p.add_argument("--timeout", type=int, default=900,
                   help="seconds a run may go without yielding its turn")
    p.add_argument("--json", help="also write the raw per-round results here")
    p.add_argument("--from-json", help="print the table of a saved --json file instead of "
                                       "running (pass the --rounds/--steps it ran with)")
    p.add_argument("--device", choices=("cpu", "gpu"), default="cpu",
                   help="gpu: the GPU is visible to every engine and the native torch loop "
                        "moves its model and batches there")
    a = p.parse_args(argv)
    workloads = _csv(a.workloads, ORDER)
    engines = _csv(a.engines, ENGINES)
    impls = _csv(a.impls, IMPLS + EXTRA_IMPLS)

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
                print(f"round {r + 1}/{a.rounds}: {w} {e} {','.join(order)}",
                      file=sys.stderr, flush=True)
                cell = run_cell(order, e, w, a.steps, a.core, a.timeout, a.device)
                for impl in order:
                    results.setdefault((w, e, impl), []).append(cell[impl])
    if a.json:
        save_json(results, a.json)
    print(report.table(results, workloads, engines, impls, a))


def save_json(results, path):
    """Writes ``{(workload, engine, impl): [round, ...]}`` as the ``--json`` file that
    ``--from-json`` reads back."""
    with open(path, "w") as f:
        json.dump([{"workload": w, "engine": e, "impl": i, "rounds": v}
                   for (w, e, i), v in results.items()], f, indent=1)


if __name__ == "__main__":
    main()
