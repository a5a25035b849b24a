"""Computes outputs of the real Keras 3 layers for the conv/pool layer tests.

    KERAS_BACKEND=torch python conv_pool_keras_reference.py CASES.npz OUT.npz

CASES.npz holds, for each case id, the layer class name and config (JSON), the input
and the weights; OUT.npz gets each case's output.
"""
import json
import sys

import numpy as np


def main(src, dst):
    import keras
    data = np.load(src, allow_pickle=False)
    ids = json.loads(str(data["__ids__"]))
    out = {}
    for case_id in ids:
        spec = json.loads(str(data[f"{case_id}/spec"]))
        layer = getattr(keras.layers, spec["class"])(**spec["kwargs"])
        x = data[f"{case_id}/x"]
        layer.build(x.shape)
        n = int(data[f"{case_id}/n_weights"])
        layer.set_weights([data[f"{case_id}/w{i}"] for i in range(n)])
        out[case_id] = keras.ops.convert_to_numpy(layer(x))
    np.savez(dst, **out)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
