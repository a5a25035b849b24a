"""Every layer computes the same function on every engine.

For each spec in ``tests/parity/layer_cases``: identical initial weights (bit for bit),
then outputs, input gradients and weight gradients within the spec's tolerance (float32,
rtol 1e-5 unless the spec says why not), and updated state (moving statistics).
Each engine runs in its own process; the comparison runs once, in the session of the
first installed engine. Run it alone with:

    KFRONT_BACKEND=torch pytest tests/parity
"""
import ast
import os
import subprocess
import sys

import numpy as np
import pytest

from kfront import config

HERE = os.path.dirname(__file__)
sys.path.insert(0, HERE)
from layer_worker import load_specs  # noqa: E402

installed = config.installed_backends()
SPECS = load_specs()

pytestmark = pytest.mark.skipif(
    config.backend() != installed[0] or len(installed) < 2,
    reason="cross-backend comparison runs once, in the first installed backend's session")


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    out = {}
    for name in installed:
        path = tmp_path_factory.mktemp(f"layers_{name}") / "out.npz"
        env = dict(os.environ, KFRONT_BACKEND=name, OMP_NUM_THREADS="1",
                   TF_CPP_MIN_LOG_LEVEL="3")
        proc = subprocess.run([sys.executable, os.path.join(HERE, "layer_worker.py"), str(path)],
                              env=env, capture_output=True, text=True, timeout=1200)
        assert proc.returncode == 0, f"{name} worker crashed:\n{proc.stderr[-3000:]}"
        with np.load(path) as data:
            out[name] = dict(data)
            out[name]["__failures__"] = ast.literal_eval(str(data["__failures__"]))
    return out


@pytest.mark.parametrize("s", SPECS, ids=[s.id for s in SPECS])
def test_layer_agrees_across_engines(results, s):
    for name in installed:
        failure = results[name]["__failures__"].get(s.id)
        assert failure is None, f"{s.id} failed on {name}:\n{failure}"
    reference = results[installed[0]]
    keys = [k for k in reference if k.startswith(f"{s.id}/")]
    assert any("/output/" in k for k in keys)
    for name in installed[1:]:
        other = results[name]
        assert sorted(k for k in other if k.startswith(f"{s.id}/")) == sorted(keys)
        for key in keys:
            if "/init/" in key:
                assert np.array_equal(other[key], reference[key]), f"{key}: {name}"
            else:
                np.testing.assert_allclose(
                    np.asarray(other[key], dtype="float64"),
                    np.asarray(reference[key], dtype="float64"),
                    rtol=s.rtol, atol=s.atol, err_msg=f"{key} on {name} ({s.why})")
