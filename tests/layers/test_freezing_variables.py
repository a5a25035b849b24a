"""Freezing a layer turns off the variables it made trainable, as in Keras 3, and on torch
a frozen variable takes no gradient (no autograd graph is recorded through a frozen base)."""
import numpy as np
import pytest

import kfront as keras


def _model():
    keras.utils.set_random_seed(0)
    base = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3),
                             keras.layers.BatchNormalization()], name="base")
    return base, keras.Sequential([base, keras.layers.Dense(1)])


def test_variable_flags_follow_the_layer_as_in_keras():
    base, model = _model()
    dense, bn = base.layers
    base.trainable = False
    assert [v.trainable for v in dense.weights] == [False, False]
    assert [v.trainable for v in bn.weights] == [False, False, False, False]
    assert len(model.trainable_weights) == 2 and len(model.non_trainable_weights) == 6
    base.trainable = True
    assert [v.trainable for v in dense.weights] == [True, True]
    # The moving statistics were never trainable: unfreezing leaves them so.
    assert [v.trainable for v in bn.weights] == [True, True, False, False]
    assert len(model.trainable_weights) == 6


def test_a_variable_made_by_a_frozen_layer_is_frozen_until_the_layer_thaws():
    layer = keras.layers.Dense(2)
    layer.trainable = False
    layer.build((None, 3))
    assert not layer.kernel.trainable
    layer.trainable = True
    assert layer.kernel.trainable


def test_frozen_base_trains_only_the_head():
    base, model = _model()
    base.trainable = False
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    x = np.random.default_rng(0).normal(size=(8, 4)).astype("float32")
    y = np.ones((8, 1), "float32")
    frozen = [np.array(w) for w in base.get_weights()]
    head = model.layers[-1].get_weights()
    model.fit(x, y, epochs=2, batch_size=4, verbose=0)
    for before, after in zip(frozen, base.get_weights()):
        np.testing.assert_array_equal(before, after)
    assert not np.allclose(head[0], model.layers[-1].get_weights()[0])


def test_on_torch_a_frozen_variable_takes_no_gradient():
    if keras.backend.backend() != "torch":
        pytest.skip("requires_grad is torch's")
    import torch
    base, _ = _model()
    base.trainable = False
    assert not any(v.value.requires_grad for v in base.weights)
    with torch.enable_grad():
        out = base(torch.ones(2, 4), training=False)
    assert not out.requires_grad  # nothing recorded for backward
    base.trainable = True
    assert [v.value.requires_grad for v in base.layers[0].weights] == [True, True]
