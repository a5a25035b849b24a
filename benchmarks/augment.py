"""Augmentation throughput: kfront against Keras 3 on the same engine.

    .venv/bin/python benchmarks/augment.py [--engines torch,jax,tensorflow]
        [--impls kfront,keras] [--batch 32] [--size 224] [--steps 5] [--warmup 2]

The workload is a model of RandomFlip, RandomRotation(0.1), RandomZoom(0.1) and
RandAugment() (2 operations, factor 0.5) called with ``training=True`` on seeded
(batch, size, size, 3) float batches in [0, 255], as a model applies it at each training
step. Each (engine, implementation) runs in its own process with the thread settings of
``measure.THREAD_ENV``; the figure is images per second over ``--steps`` timed calls after
``--warmup`` calls (the median call). Prints a markdown table.
"""
import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))

_WORKER = r"""
import json, sys, time
import numpy as np
impl, batch, size, steps, warmup = sys.argv[1], *map(int, sys.argv[2:6])
if impl == "kfront":
    import kfront as keras
else:
    import keras
from_numpy = keras.ops.convert_to_numpy
keras.utils.set_random_seed(0)
model = keras.Sequential([
    keras.Input((size, size, 3)),
    keras.layers.RandomFlip(seed=1),
    keras.layers.RandomRotation(0.1, seed=2),
    keras.layers.RandomZoom(0.1, seed=3),
    keras.layers.RandAugment(seed=4),
])
x = np.random.RandomState(0).uniform(0, 255, (batch, size, size, 3)).astype("float32")
x = keras.ops.convert_to_tensor(x)
times = []
for i in range(warmup + steps):
    start = time.perf_counter()
    from_numpy(model(x, training=True))
    if i >= warmup:
        times.append(time.perf_counter() - start)
times.sort()
print("RESULT " + json.dumps({"median_s": times[len(times) // 2], "times": times}))
"""


def run(impl, engine, args):
    env = dict(os.environ, KFRONT_BACKEND=engine, KERAS_BACKEND=engine, TF_CPP_MIN_LOG_LEVEL="3")
    sys.path.insert(0, HERE)
    from measure import THREAD_ENV
    env.update(THREAD_ENV)
    done = subprocess.run([sys.executable, "-c", _WORKER, impl, str(args.batch),
                           str(args.size), str(args.steps), str(args.warmup)],
                          capture_output=True, text=True, env=env, timeout=args.timeout)
    for line in done.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    return {"skip": (done.stderr.strip().splitlines() or ["no output"])[-1][:160]}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--engines", default="torch,jax,tensorflow")
    parser.add_argument("--impls", default="kfront,keras")
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--size", type=int, default=224)
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--timeout", type=int, default=1800)
    args = parser.parse_args()
    impls = args.impls.split(",")
    print(f"| engine | " + " | ".join(f"{i} images/s" for i in impls) + " | kfront / keras |")
    print("|---|" + "---|" * (len(impls) + 1))
    for engine in args.engines.split(","):
        results = {}
        for impl in impls:
            started = time.time()
            results[impl] = run(impl, engine, args)
            print(f"{engine} {impl}: {results[impl]} ({time.time() - started:.0f} s)",
                  file=sys.stderr)
        rate = {i: args.batch / r["median_s"] for i, r in results.items() if "median_s" in r}
        cells = [f"{rate[i]:.1f}" if i in rate else f"skipped ({results[i]['skip']})"
                 for i in impls]
        ratio = f"{rate['kfront'] / rate['keras']:.2f}" if {"kfront", "keras"} <= set(rate) \
            else "-"
        print(f"| {engine} | " + " | ".join(cells) + f" | {ratio} |")


if __name__ == "__main__":
    main()
