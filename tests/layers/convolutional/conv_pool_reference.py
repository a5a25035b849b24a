"""Shared by the conv and pooling layer tests: NumPy references and the real-Keras runner."""
import json
import os
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "backend"))
from cases_conv import np_conv, np_conv_transpose, np_depthwise, np_pool  # noqa: E402

__all__ = ["keras_outputs", "np_conv", "np_conv_transpose", "np_depthwise", "np_pool"]


def keras_outputs(cases, tmp_path):
    """{case id: output of the real Keras layer} for ``{id: (class, kwargs, x, weights)}``.

    Runs the installed ``keras`` package on torch in a subprocess (its TensorFlow backend has
    no channels_first convolution on CPU; torch runs eagerly, with no compile per shape).
    """
    src, dst = str(tmp_path / "cases.npz"), str(tmp_path / "out.npz")
    arrays = {"__ids__": np.array(json.dumps(list(cases)))}
    for case_id, (cls, kwargs, x, weights) in cases.items():
        arrays[f"{case_id}/spec"] = np.array(json.dumps({"class": cls, "kwargs": kwargs}))
        arrays[f"{case_id}/x"] = x
        arrays[f"{case_id}/n_weights"] = np.array(len(weights))
        for i, w in enumerate(weights):
            arrays[f"{case_id}/w{i}"] = w
    np.savez(src, **arrays)
    env = dict(os.environ, KERAS_BACKEND="torch", TF_CPP_MIN_LOG_LEVEL="3",
               OMP_NUM_THREADS="1", CUDA_VISIBLE_DEVICES="")
    proc = subprocess.run([sys.executable, os.path.join(HERE, "conv_pool_keras_reference.py"),
                           src, dst], env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    with np.load(dst) as data:
        return dict(data)
