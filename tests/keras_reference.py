"""Numbers from the installed Keras 3 (TensorFlow backend unless asked), computed in a
subprocess.

``keras_numbers(script, **arrays)`` runs ``script`` with ``keras``, ``np``, the input arrays
in a dict ``inp`` and an empty dict ``out``; the arrays it puts in ``out`` come back.
Tests that call it skip when keras is not installed. Results are cached in the temporary
directory by a hash of the script, the inputs and the Keras version, so the runs of the
three kfront backends start Keras once.
"""
import hashlib
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
    import importlib.metadata
    digest = hashlib.sha256(script.encode() + keras_backend.encode()
                            + importlib.metadata.version("keras").encode())
    for name in sorted(arrays):
        value = np.ascontiguousarray(arrays[name])
        digest.update(f"{name}{value.dtype}{value.shape}".encode() + value.tobytes())
    cache = os.path.join(tempfile.gettempdir(), "kfront_keras_reference",
                         digest.hexdigest()[:32] + ".npz")
    if os.path.exists(cache):
        with np.load(cache, allow_pickle=False) as data:
            return {k: data[k] for k in data.files}
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
            out = {k: data[k] for k in data.files}
    os.makedirs(os.path.dirname(cache), exist_ok=True)
    partial = f"{cache}.{os.getpid()}.npz"
    np.savez(partial, **out)
    os.replace(partial, cache)  # atomic: parallel runs never read half a file
    return out
