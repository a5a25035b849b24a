"""Computes reference outputs with the real Keras 3 package (its NumPy backend).

    python keras_attention_worker.py CASES.pkl OUT.npz

Each case: layer class name, constructor kwargs, call args/kwargs (NumPy arrays) and the
weights to load. The layer is called once to build, loaded, and called again.
"""
import os
import pickle
import sys

os.environ["KERAS_BACKEND"] = "numpy"

import numpy as np  # noqa: E402
import keras  # noqa: E402


def main(cases_path, out_path):
    with open(cases_path, "rb") as f:
        cases = pickle.load(f)
    out = {}
    for c in cases:
        layer = getattr(keras.layers, c["cls"])(**c["init"])
        layer(*c["args"], **c["kwargs"])
        layer.set_weights(c["weights"])
        result = layer(*c["args"], **c["kwargs"])
        result = result if isinstance(result, (list, tuple)) else [result]
        for i, r in enumerate(result):
            out[f"{c['id']}/{i}"] = np.asarray(keras.ops.convert_to_numpy(r))
    np.savez(out_path, **out)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
