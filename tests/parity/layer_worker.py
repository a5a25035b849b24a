"""One process per engine: runs every layer parity spec and writes the numbers to npz.

    KFRONT_BACKEND=jax python tests/parity/layer_worker.py OUT.npz
"""
import glob
import importlib.util
import os
import sys
import traceback
import zlib

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))

import kfront  # noqa: E402
from kfront import ops  # noqa: E402
from kfront.utils import tree  # noqa: E402


def load_specs():
    specs = []
    for path in sorted(glob.glob(os.path.join(os.path.dirname(__file__), "layer_cases", "*.py"))):
        module_spec = importlib.util.spec_from_file_location(os.path.basename(path)[:-3], path)
        module = importlib.util.module_from_spec(module_spec)
        module_spec.loader.exec_module(module)
        specs.extend(module.SPECS)
    return specs


def make_inputs(s):
    rng = np.random.default_rng(zlib.crc32(s.id.encode()))
    arrays = []
    for i in s.inputs:
        if "int" in i.dtype:
            arrays.append(rng.integers(0, i.maxval, size=i.shape).astype(i.dtype))
        elif i.dtype == "bool":
            arrays.append(rng.random(size=i.shape) > 0.3)
        else:
            arrays.append(rng.normal(size=i.shape).astype(i.dtype))
    return arrays


def run(s, out):
    kfront.utils.set_random_seed(1234)
    layer = s.make()
    arrays = make_inputs(s)
    float_inputs = [kfront.Variable(a) if a.dtype.kind == "f" else None for a in arrays]
    values = [v if v is not None else ops.convert_to_tensor(a)
              for v, a in zip(float_inputs, arrays)]

    def call():
        args = [[x.value if isinstance(x, kfront.Variable) else x for x in values]] if s.as_list \
            else [x.value if isinstance(x, kfront.Variable) else x for x in values]
        return layer(*args, **s.call_kwargs)

    # Build first, outside the gradient, so weights exist to differentiate.
    first = call()
    weights = list(layer.trainable_weights)
    for i, w in enumerate(layer.get_weights()):
        out[f"{s.id}/init/{i}"] = w
    outputs = [o for o in tree.flatten(first) if o is not None]
    rng = np.random.default_rng(7)
    probes = [rng.normal(size=tuple(ops.shape(o))).astype("float32") for o in outputs]

    def loss():
        result = [o for o in tree.flatten(call()) if o is not None]
        return sum(ops.sum(ops.multiply(ops.cast(o, "float32"), p))
                   for o, p in zip(result, probes)), result

    differentiable = [v for v in float_inputs if v is not None] + weights
    (_, result), grads = kfront.backend.value_and_grad(loss, differentiable, has_aux=True)
    for i, o in enumerate(result):
        out[f"{s.id}/output/{i}"] = ops.convert_to_numpy(o)
    for i, g in enumerate(grads):
        out[f"{s.id}/grad/{i}"] = ops.convert_to_numpy(g)
    for i, w in enumerate(layer.non_trainable_weights):
        out[f"{s.id}/state/{i}"] = w.numpy()


def main(path):
    out, failures = {}, {}
    for s in load_specs():
        try:
            run(s, out)
        except Exception:
            failures[s.id] = traceback.format_exc()[-1500:]
    out["__failures__"] = np.array(repr(failures))
    np.savez(path, **out)


if __name__ == "__main__":
    main(sys.argv[1])
