"""A Functional model takes inputs one trailing size-1 axis short or long, as Keras does."""
import numpy as np
import pytest

import kfront as keras


def _model():
    keras.utils.set_random_seed(0)
    inp = keras.Input((6, 6, 1))
    out = keras.layers.Dense(2)(keras.layers.Flatten()(keras.layers.Conv2D(3, 3)(inp)))
    return keras.Model(inp, out)


def test_missing_channel_axis_is_added():
    model = _model()
    x = np.random.default_rng(0).normal(size=(4, 6, 6)).astype("float32")
    want = model.predict(x[..., None], verbose=0)
    np.testing.assert_allclose(model.predict(x, verbose=0), want, rtol=1e-6)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(model(x)), want, rtol=1e-6, atol=1e-6)
    model.compile("sgd", "mse")
    history = model.fit(x, np.zeros((4, 2), "float32"), epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])


def test_extra_trailing_axis_of_size_one_is_dropped():
    inp = keras.Input((5,))
    model = keras.Model(inp, keras.layers.Dense(1)(inp))
    x = np.ones((3, 5, 1), "float32")
    np.testing.assert_allclose(model.predict(x, verbose=0), model.predict(x[..., 0], verbose=0))


def test_other_rank_mismatch_is_refused_with_the_shapes():
    model = _model()
    with pytest.raises(ValueError, match="expected ndim=4, found ndim=2"):
        model.predict(np.ones((4, 36), "float32"), verbose=0)
