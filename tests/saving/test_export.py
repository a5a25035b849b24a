"""Weights exported to each engine's own format hold the model's values."""
import numpy as np
import pytest

import kfront as keras
from kfront import saving
from saving_models import functional_model


def test_numpy_dict_keys_are_layer_paths():
    model = functional_model()
    flat = saving.to_numpy_dict(model)
    assert list(flat) == ["d1.kernel", "d1.bias", "d2.kernel", "d2.bias", "out.kernel",
                          "out.bias"]
    for value, var in zip(flat.values(), model.weights):
        np.testing.assert_array_equal(value, var.numpy())


def test_torch_state_dict_loads_into_a_torch_module(backend_name):
    if backend_name != "torch":
        pytest.skip("checked on the torch backend (importing torch elsewhere costs time)")
    import torch
    model = functional_model()
    state = saving.to_torch_state_dict(model)
    module = torch.nn.Module()
    for key, value in state.items():
        layer, name = key.split(".")
        if not hasattr(module, layer):
            module.add_module(layer, torch.nn.Module())
        getattr(module, layer).register_parameter(name, torch.nn.Parameter(torch.zeros_like(value)))
    module.load_state_dict(state)
    np.testing.assert_array_equal(module.d1.kernel.detach().numpy(),
                                  model.get_layer("d1").kernel.numpy())


def test_jax_dict(backend_name):
    if backend_name != "jax":
        pytest.skip("checked on the jax backend (importing jax elsewhere costs time)")
    import jax
    flat = saving.to_jax_dict(functional_model())
    assert all(isinstance(v, jax.Array) for v in flat.values())
    assert flat["out.kernel"].shape == (8, 2)


def test_tf_checkpoint(backend_name, tmp_path):
    if backend_name != "tensorflow":
        pytest.skip("checked on the tensorflow backend (importing TF elsewhere costs time)")
    import tensorflow as tf
    model = functional_model()
    prefix = saving.save_tf_checkpoint(model, str(tmp_path / "ckpt"))
    reader = tf.train.load_checkpoint(prefix)
    names = {k for k in reader.get_variable_to_shape_map() if k.startswith("d1")}
    assert any("d1_kernel" in k for k in names)
    key = [k for k in names if "d1_kernel" in k][0]
    np.testing.assert_array_equal(reader.get_tensor(key), model.get_layer("d1").kernel.numpy())
