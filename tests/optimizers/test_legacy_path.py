"""Keras 2's ``keras.optimizers.legacy.Adam(...)`` gives the current optimizer, with a warning."""
import contextlib

import numpy as np
import pytest

import kfront as keras


@pytest.mark.parametrize("name", ["Adagrad", "Adam", "Ftrl", "RMSprop", "SGD"])
def test_legacy_name_builds_the_current_optimizer(name):
    with pytest.warns(DeprecationWarning, match=f"keras.optimizers.{name}"):
        opt = getattr(keras.optimizers.legacy, name)(learning_rate=0.5)
    assert type(opt) is getattr(keras.optimizers, name)
    assert float(np.asarray(keras.ops.convert_to_numpy(opt.learning_rate))) == 0.5


def test_legacy_adam_trains_like_adam():
    x = np.linspace(-1, 1, 32, dtype="float32").reshape(-1, 1)
    y = 3 * x
    losses = []
    for make in (keras.optimizers.Adam, keras.optimizers.legacy.Adam):
        keras.utils.set_random_seed(1)
        model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
        legacy = make is keras.optimizers.legacy.Adam
        with pytest.warns(DeprecationWarning) if legacy else contextlib.nullcontext():
            opt = make(learning_rate=0.1)
        model.compile(optimizer=opt, loss="mse")
        losses.append(model.fit(x, y, epochs=3, verbose=0).history["loss"])
    np.testing.assert_allclose(losses[0], losses[1], rtol=1e-6)

