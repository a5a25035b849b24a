"""``kfront.device`` and ``KFRONT_DEVICE``: device names checked, the CPU always usable."""
import os
import subprocess
import sys

import numpy as np
import pytest

import kfront as keras
from kfront import config


def test_cpu_scope_runs_ops_and_training():
    with keras.device("cpu:0"):
        np.testing.assert_allclose(keras.ops.convert_to_numpy(keras.ops.add(np.ones(3), 1.0)),
                                   [2.0, 2.0, 2.0])
        model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
        model.compile("sgd", "mse")
        model.fit(np.ones((4, 2), "float32"), np.ones((4, 1), "float32"), verbose=0)
        assert model.predict(np.ones((1, 2), "float32"), verbose=0).shape == (1, 1)


@pytest.mark.parametrize("name", ["npu", "gpu:x", "cuda:0", ""])
def test_malformed_device_names(name):
    with pytest.raises(ValueError, match="Invalid device name"):
        keras.device(name)


def test_missing_device_is_refused():
    if keras.distribution.list_devices("gpu"):
        pytest.skip("this machine has a GPU")
    with pytest.raises(ValueError, match=r"'gpu:7' is not available"):
        with keras.device("gpu:7"):
            pass


def test_kfront_device_environment_variable():
    env = dict(os.environ, KFRONT_BACKEND=config.backend(), KFRONT_DEVICE="cpu",
               TF_CPP_MIN_LOG_LEVEL="3")
    code = ("import kfront, numpy as np; "
            "print(kfront.ops.convert_to_numpy(kfront.ops.multiply(np.ones(2), 3.0)).sum())")
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip().splitlines()[-1] == "6.0"
    env["KFRONT_DEVICE"] = "quantum:1"
    proc = subprocess.run([sys.executable, "-c", "import kfront"], env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode != 0 and "Invalid device name 'quantum:1'" in proc.stderr
