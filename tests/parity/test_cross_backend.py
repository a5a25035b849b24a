"""The promise across engines: the same seed gives bit-identical initial weights, and the
same weights and inputs give the same forward pass, gradients and optimizer step.

Each engine runs in its own process (the backend is fixed at import). The comparison
runs once, in the session of the first installed engine.
"""
import os
import subprocess
import sys

import numpy as np
import pytest

from kfront import config

WORKER = os.path.join(os.path.dirname(__file__), "worker.py")
installed = config.installed_backends()

pytestmark = pytest.mark.skipif(
    config.backend() != installed[0] or len(installed) < 2,
    reason="cross-backend comparison runs once, in the first installed backend's session")


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    out = {}
    for name in installed:
        path = tmp_path_factory.mktemp(name) / "out.npz"
        env = dict(os.environ, KFRONT_BACKEND=name, OMP_NUM_THREADS="1",
                   TF_CPP_MIN_LOG_LEVEL="3")
        proc = subprocess.run([sys.executable, WORKER, str(path)], env=env,
                              capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, f"{name} worker failed:\n{proc.stderr[-3000:]}"
        with np.load(path) as data:
            out[name] = dict(data)
    return out


def test_initial_weights_are_bit_identical(results):
    reference_name = installed[0]
    reference = results[reference_name]
    keys = [k for k in reference if "/init/" in k]
    assert len(keys) >= 16
    for name in installed[1:]:
        for key in keys:
            assert results[name][key].dtype == reference[key].dtype
            assert np.array_equal(results[name][key], reference[key]), \
                f"{key}: {name} differs from {reference_name}"


@pytest.mark.parametrize("stage", ["forward", "loss", "grad", "after_adam"])
def test_numbers_agree_to_float32_rounding(results, stage):
    reference = results[installed[0]]
    keys = [k for k in reference if f"/{stage}" in k]
    assert keys
    for name in installed[1:]:
        for key in keys:
            np.testing.assert_allclose(results[name][key], reference[key], rtol=1e-5, atol=1e-6,
                                       err_msg=f"{key} on {name}")
