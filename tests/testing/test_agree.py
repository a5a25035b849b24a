"""kfront.testing.assert_backends_agree: one function in a process per backend."""
import numpy as np
import pytest

import backend_models
import kfront
from kfront import testing
from kfront.testing import agree


def test_function_must_be_importable():
    with pytest.raises(TypeError, match="must be importable by name in a fresh process"):
        testing.assert_backends_agree(lambda: 1)
    with pytest.raises(ValueError, match=r"`backends` names \['mxnet'\], not installed"):
        testing.assert_backends_agree(backend_models.dense_forward, 0, backends=["mxnet"])


def test_message_names_the_value_the_backends_and_the_numbers(monkeypatch):
    results = {"torch": {"out": np.array([[0.5, 0.25]]), "name": "a"},
               "jax": {"out": np.array([[0.5, 0.2500101]]), "name": "a"},
               "tensorflow": {"out": np.array([[0.5, 0.25]]), "name": "b"}}
    monkeypatch.setattr(agree, "run_on_backends", lambda *a, **k: results)
    with pytest.raises(AssertionError) as info:
        testing.assert_backends_agree(backend_models.dense_forward, 0)
    message = str(info.value)
    assert message.startswith("backend_models.dense_forward gives different results on "
                              "torch, jax, tensorflow (rtol=1e-05, atol=1e-06):")
    assert ("out: torch vs jax: 1 of 2 element(s) differ beyond rtol=1e-05, atol=1e-06; "
            "largest |diff| 1.01e-05 at index (0, 1) (torch 0.25, jax 0.2500101)") in message
    assert "name: torch vs tensorflow: 'a' != 'b'" in message
    results["tensorflow"]["name"] = "a"
    assert testing.assert_backends_agree(backend_models.dense_forward, 0, rtol=1e-4) is results


@pytest.mark.slow
def test_real_processes_agree():
    results = testing.assert_backends_agree(backend_models.dense_forward, 3)
    assert sorted(results) == sorted(kfront.config.installed_backends())
    first = results[kfront.config.installed_backends()[0]]
    x = np.linspace(-1, 1, 8, dtype="float32").reshape(2, 4)
    np.testing.assert_allclose(first["out"], np.tanh(x @ first["kernel"]), rtol=1e-5)

