"""Numbers from the installed Keras 3 (TensorFlow backend unless asked), computed in a
subprocess.

``keras_numbers(script, **arrays)`` runs ``script`` with ``keras``, ``np``, the input arrays
in a dict ``inp`` and an empty dict ``out``; the arrays it puts in ``out`` come back.
Tests that call it skip when keras is not installed.
"""
import os
import subprocess
import sys
import tempfile

import numpy as np
import pytest

_RUNNER = """
import sys
import numpy as np
import keras
inp = dict(np.load(sys.argv[1], allow_pickle=False))
out = {}
exec(open(sys.argv[2]).read())
np.savez(sys.argv[3], **{k: np.asarray(v) for k, v in out.items()})
"""


def keras_numbers(script, keras_backend="tensorflow", **arrays):
    """The dict ``out`` that ``script`` fills, run by Keras 3 on ``keras_backend``."""
    try:
        import importlib.util
        if importlib.util.find_spec("keras") is None:
            pytest.skip("keras is not installed")
    except ValueError:
        pytest.skip("keras is not installed")
    with tempfile.TemporaryDirectory() as tmp:
        src, code, dst = (os.path.join(tmp, n) for n in ("in.npz", "script.py", "out.npz"))
        np.savez(src, **arrays)
        with open(code, "w") as f:
            f.write(script)
        env = dict(os.environ, KERAS_BACKEND=keras_backend, TF_CPP_MIN_LOG_LEVEL="3",
                   CUDA_VISIBLE_DEVICES="")
        done = subprocess.run([sys.executable, "-c", _RUNNER, src, code, dst],
                              capture_output=True, text=True, env=env, timeout=600)
        if done.returncode != 0:
            raise AssertionError(f"the Keras reference script failed:\n{done.stderr[-3000:]}")
        with np.load(dst, allow_pickle=False) as data:
            return {k: data[k] for k in data.files}
