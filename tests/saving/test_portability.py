"""A file saved on any backend loads on this one, predicts the same and trains on."""
import os

import numpy as np
import pytest

import kfront as keras
from saving_models import ROOT, data, finish_python, portable_run, start_python

BACKENDS = ("torch", "jax", "tensorflow")


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    directory = str(tmp_path_factory.mktemp("portable"))
    here = keras.backend.backend()
    code = ("import sys; sys.path.insert(0, %r)\nfrom saving_models import portable_run\n"
            "portable_run(%r)" % (os.path.join(ROOT, "tests", "saving"), directory))
    others = [start_python(code, backend=name) for name in BACKENDS if name != here]
    portable_run(directory)
    for proc in others:
        finish_python(proc)
    return directory


@pytest.mark.parametrize("source", BACKENDS)
def test_load_predict_and_continue_training(saved, source):
    x, y = data(32, seed=5)
    model = keras.models.load_model(os.path.join(saved, f"{source}.kfront"))
    with np.load(os.path.join(saved, f"{source}.npz")) as recorded:
        want_pred = recorded["pred"]
        want_weights = [recorded[f"arr_{i}"] for i in range(len(recorded.files) - 1)]
    np.testing.assert_allclose(keras.ops.convert_to_numpy(model(x, training=False)), want_pred,
                               atol=1e-5)
    assert int(model.optimizer.iterations.numpy()) == 4
    model.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    got = model.get_weights()
    assert len(got) == len(want_weights)
    for a, b in zip(got, want_weights):
        np.testing.assert_allclose(a, b, atol=1e-4)
