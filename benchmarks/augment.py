"""Augmentation throughput: kfront against Keras 3 on the same engine.

    .venv/bin/python benchmarks/augment.py [--modes model,tfdata]
        [--engines torch,jax,tensorflow] [--impls kfront,keras] [--batch 32] [--size 224]
        [--steps 5] [--warmup 2]

The augmentation is RandomFlip, RandomRotation(0.1), RandomZoom(0.1) and RandAugment()
(2 operations, factor 0.5) with ``training=True`` on seeded (batch, size, size, 3) float
batches in [0, 255]. Modes:

- ``model``: the layers in a ``Sequential`` model called on an engine tensor, as a model
  applies them at each training step; a step is one call, read back as NumPy.
- ``tfdata``: the layers in a ``layers.Pipeline`` inside a ``tf.data`` ``map`` (sequential,
  no prefetch) over the batch, as tutorials augment; a step is drawing one batch from the
  dataset's iterator, as NumPy. On torch and JAX, Keras 3 runs the layers with TensorFlow
  ops inside the graph; kfront runs them with the chosen engine on the host (see
  ``kfront/layers/preprocessing/image/_tf_data.py``).

Each (mode, engine, implementation) runs in its own process with the thread settings of
``measure.THREAD_ENV``; the figure is images per second over ``--steps`` timed steps after
``--warmup`` steps (the median step). Prints a markdown table.
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
mode, impl, batch, size, steps, warmup = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:7])
if impl == "kfront":
    import kfront as keras
else:
    import keras
keras.utils.set_random_seed(0)
layers = [
    keras.layers.RandomFlip(seed=1),
    keras.layers.RandomRotation(0.1, seed=2),
    keras.layers.RandomZoom(0.1, seed=3),
    keras.layers.RandAugment(seed=4),
]
x = np.random.RandomState(0).uniform(0, 255, (batch, size, size, 3)).astype("float32")
if mode == "model":
    model = keras.Sequential([keras.Input((size, size, 3))] + layers)
    x = keras.ops.convert_to_tensor(x)
    from_numpy = keras.ops.convert_to_numpy
    step = lambda: from_numpy(model(x, training=True))
else:
    import tensorflow as tf
    augment = keras.layers.Pipeline(layers)
    dataset = tf.data.Dataset.from_tensors(x).repeat(warmup + steps).map(
        lambda images: augment(images, training=True))
    batches = iter(dataset)
    step = lambda: next(batches).numpy()
times = []
for i in range(warmup + steps):
    start = time.perf_counter()
    out = step()
    if i >= warmup:
        times.append(time.perf_counter() - start)
assert out.shape == (batch, size, size, 3), out.shape
times.sort()
print("RESULT " + json.dumps({"median_s": times[len(times) // 2], "times": times}))
"""


def run(mode, impl, engine, args):
    env = dict(os.environ, KFRONT_BACKEND=engine, KERAS_BACKEND=engine, TF_CPP_MIN_LOG_LEVEL="3")
    sys.path.insert(0, HERE)
    from measure import THREAD_ENV
    env.update(THREAD_ENV)
    done = subprocess.run([sys.executable, "-c", _WORKER, mode, impl, str(args.batch),
                           str(args.size), str(args.steps), str(args.warmup)],
                          capture_output=True, text=True, env=env, timeout=args.timeout)
    for line in done.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    return {"skip": (done.stderr.strip().splitlines() or ["no output"])[-1][:160]}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--modes", default="model",
                        help="model (layers in a model), tfdata (in a tf.data map), or both")
    parser.add_argument("--engines", default="torch,jax,tensorflow")
    parser.add_argument("--impls", default="kfront,keras")
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--size", type=int, default=224)
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--timeout", type=int, default=1800)
    args = parser.parse_args()
    impls = args.impls.split(",")
    modes = args.modes.split(",")
    unknown = sorted(set(modes) - {"model", "tfdata"})
    if unknown:
        parser.error(f"--modes: unknown mode(s) {unknown}; expected model and/or tfdata")
    print("| mode | engine | " + " | ".join(f"{i} images/s" for i in impls)
          + " | kfront / keras |")
    print("|---|---|" + "---|" * (len(impls) + 1))
    for mode in modes:
        for engine in args.engines.split(","):
            results = {}
            for impl in impls:
                started = time.time()
                results[impl] = run(mode, impl, engine, args)
                print(f"{mode} {engine} {impl}: {results[impl]} "
                      f"({time.time() - started:.0f} s)", file=sys.stderr)
            rate = {i: args.batch / r["median_s"] for i, r in results.items()
                    if "median_s" in r}
            cells = [f"{rate[i]:.1f}" if i in rate else f"skipped ({results[i]['skip']})"
                     for i in impls]
            ratio = f"{rate['kfront'] / rate['keras']:.2f}" \
                if {"kfront", "keras"} <= set(rate) else "-"
            print(f"| {mode} | {engine} | " + " | ".join(cells) + f" | {ratio} |")


if __name__ == "__main__":
    main()
