"""Benchmarks kfront.applications against Keras 3 and (torch) a hand-written nn.Module.

    .venv/bin/python benchmarks/applications.py [--models resnet50,mobilenetv2]
        [--tasks predict1,predict32,head] [--engines torch,jax,tensorflow]
        [--impls native,kfront,keras] [--rounds N] [--steps N] [--size 224] [--json FILE]

Tasks: ``predict1`` / ``predict32``, inference on one batch of 1 / 32 images through
``model.predict_on_batch(x)`` (NumPy in, NumPy out; native: the module under
``torch.inference_mode()``, the result as NumPy); ``head``, one training step of a new
Dense(10) head on a frozen base (``include_top=False, pooling="avg"``,
``base.trainable = False``, Adam) through ``model.train_on_batch(x, y)`` (native: the base
under ``torch.no_grad()``, the head's forward, backward and Adam step). Each cell's
implementations run as fresh processes pinned to one core with one thread, taking turns
(turns.py), as in run.py; see benchmarks/README.md.
"""
import argparse
import json
import os
import sys
import traceback

import numpy as np

import report
import turns
from measure import now, peak_rss_mib, pin_engine_threads, pin_process, time_inference, \
    time_native
from run import _csv, run_cell, save_json
from worker import MARK, _short

MODELS = {"resnet50": "ResNet50", "mobilenetv2": "MobileNetV2"}  # name -> constructor
TASKS = ("predict1", "predict32", "head")
ENGINES = ("torch", "jax", "tensorflow")
IMPLS = ("native", "kfront", "keras")
HEAD_BATCH = 32
HEAD_CLASSES = 10
SEED = 1234


def _batch(task):
    return 1 if task == "predict1" else 32 if task == "predict32" else HEAD_BATCH


def _data(task, steps, size, channels_first=False):
    """Seeded images in [0, 1) (and labels for ``head``), one batch per step."""
    rng = np.random.default_rng(SEED)
    shape = (_batch(task), 3, size, size) if channels_first else (_batch(task), size, size, 3)
    xs = [rng.random(shape, dtype=np.float32) for _ in range(steps)]
    ys = [rng.integers(0, HEAD_CLASSES, _batch(task)).astype("int32") for _ in range(steps)]
    return xs, ys


# ---- front-ends (kfront and Keras 3 alike) ----

def _frontend(keras, model_name, task, steps, size):
    ctor = getattr(keras.applications, MODELS[model_name])
    keras.utils.set_random_seed(SEED)
    xs, ys = _data(task, steps, size)
    if task != "head":
        def make_predict():
            model = ctor(weights=None, input_shape=(size, size, 3))
            make_predict.params = model.count_params()
            return model.predict_on_batch
        out = time_inference(make_predict, xs)
        out["params"] = make_predict.params
        return out

    def make_step():
        base = ctor(weights=None, include_top=False, input_shape=(size, size, 3),
                    pooling="avg")
        base.trainable = False
        inputs = keras.Input((size, size, 3))
        outputs = keras.layers.Dense(HEAD_CLASSES)(base(inputs, training=False))
        model = keras.Model(inputs, outputs)
        model.compile(optimizer=keras.optimizers.Adam(1e-3),
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        make_step.params = model.count_params()
        return lambda b: model.train_on_batch(*b)

    out = time_native(make_step, list(zip(xs, ys)), lambda: zip(xs, ys), float)
    out["params"] = make_step.params
    return out


# ---- native torch ----

def _native(model_name, task, steps, size):
    import torch
    import native_torch_applications as N
    torch.manual_seed(SEED)
    xs, ys = _data(task, steps, size, channels_first=True)
    if task != "head":
        def make_predict():
            model = N.MODELS[model_name]().eval()
            make_predict.params = N.param_count(model)

            def call(x):
                with torch.inference_mode():
                    return model(torch.from_numpy(x)).numpy()
            return call
        out = time_inference(make_predict, xs)
        out["params"] = make_predict.params
        return out

    batches = [(torch.from_numpy(x), torch.from_numpy(y).long()) for x, y in zip(xs, ys)]

    def make_step():
        base = N.MODELS[model_name](include_top=False).eval()
        base.requires_grad_(False)
        head = torch.nn.Linear(base.out_features, HEAD_CLASSES)
        opt = torch.optim.Adam(head.parameters(), lr=1e-3, foreach=True)
        make_step.params = N.param_count(base) + N.param_count(head)

        def step(batch):
            x, y = batch
            with torch.no_grad():
                features = base(x)
            loss = torch.nn.functional.cross_entropy(head(features), y)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            return loss
        return step

    out = time_native(make_step, batches, lambda: batches, lambda loss: float(loss.item()))
    out["params"] = make_step.params
    return out


def work(impl, engine, workload, steps, core, size):
    """One run in this process (the worker side); returns its result dict."""
    pin_process(core)
    turns.take_turn()  # wait until the cell's other implementations are up
    os.environ["KFRONT_BACKEND"] = os.environ["KERAS_BACKEND"] = engine
    entry = {"native": engine}.get(impl, impl)
    t = now()
    try:
        module = __import__(entry)
    except Exception as exc:
        return {"skip": f"import {entry} failed: {_short(exc)}"}
    import_s = now() - t
    note = pin_engine_threads(engine)
    model_name, task = workload.split("/")
    try:
        if impl == "native":
            out = _native(model_name, task, steps, size)
        else:
            out = _frontend(module, model_name, task, steps, size)
    except Exception as exc:
        traceback.print_exc(file=sys.stderr)
        return {"skip": _short(exc)}
    first_epoch = out.pop("first_epoch_s")
    out.update(import_s=import_s, peak_rss_mib=peak_rss_mib(), thread_note=note,
               to_first_epoch_s=import_s + first_epoch)
    return out


# ---- runner side ----

def versus_keras(results, workloads, engines):
    """kfront's time over Keras 3's per (workload, engine): step and epoch columns."""
    lines = ["| workload | engine | kfront ÷ Keras 3 step | kfront ÷ Keras 3 epoch "
             "| params kfront / Keras 3 / native |", "|" + "---|" * 5]
    for w in workloads:
        for e in engines:
            rows = {i: report.aggregate(results.get((w, e, i), [])) for i in IMPLS}
            params = "/".join(str(next((r.get("params") for r in results.get((w, e, i), [])
                                        if "params" in r), "–")) for i in IMPLS)
            k, ref = rows["kfront"], rows["keras"]
            if "step_ms" in k and "step_ms" in ref:
                lines.append(f"| {w} | {e} | {k['step_ms'] / ref['step_ms']:.2f} "
                             f"| {k['epoch_ms'] / ref['epoch_ms']:.2f} | {params} |")
    return "\n".join(lines)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--models", default=",".join(MODELS))
    p.add_argument("--tasks", default=",".join(TASKS))
    p.add_argument("--engines", default=",".join(ENGINES))
    p.add_argument("--impls", default=",".join(IMPLS))
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--steps", type=int, default=10, help="timed steps, and steps per epoch")
    p.add_argument("--size", type=int, default=224, help="image height and width (>= 32)")
    p.add_argument("--core", type=int, default=max(os.sched_getaffinity(0)))
    p.add_argument("--timeout", type=int, default=1800,
                   help="seconds a run may go without yielding its turn")
    p.add_argument("--json", help="also write the raw per-round results here")
    a = p.parse_args(argv)
    workloads = [f"{m}/{t}" for m in _csv(a.models, tuple(MODELS))
                 for t in _csv(a.tasks, TASKS)]
    engines = _csv(a.engines, ENGINES)
    impls = _csv(a.impls, IMPLS)
    results = {}
    for r in range(a.rounds):
        for w in workloads:
            for e in engines:
                # The hand-written reference exists for torch only.
                here = [i for i in impls if i != "native" or e == "torch"]
                order = here[r % len(here):] + here[:r % len(here)]
                print(f"round {r + 1}/{a.rounds}: {w} {e} {','.join(order)}",
                      file=sys.stderr, flush=True)
                cell = run_cell(order, e, w, a.steps, a.core, a.timeout,
                                worker=os.path.abspath(__file__), extra=(str(a.size),))
                for impl in order:
                    results.setdefault((w, e, impl), []).append(cell[impl])
    if a.json:
        save_json(results, a.json)
    print(report.table(results, workloads, engines, impls, a))
    print()
    print(versus_keras(results, workloads, engines))


if __name__ == "__main__":
    if sys.argv[1:2] and sys.argv[1] in IMPLS:  # a worker, started by run.run_cell
        impl, engine, workload, steps, core, size = sys.argv[1:7]
        result = work(impl, engine, workload, int(steps), int(core), int(size))
        sys.stdout.flush()
        print(MARK + json.dumps(result), flush=True)
    else:
        main()
