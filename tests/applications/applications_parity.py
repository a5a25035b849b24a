"""Shared check for the application parity tests: a Keras 3 model with non-trivial weights,
saved the ways Keras saves them, loaded into kfront's constructor of the same architecture,
predicting the same softmax on the same images."""
import numpy as np
import pytest

import kfront

SOFTMAX_ATOL = 1e-4


def _keras():
    return pytest.importorskip("keras")


def _spread_weights(model, keras, scale, gamma=(0.5, 1.5)):
    """Random BatchNormalization statistics (fresh ones are an identity) and a larger last
    kernel, so the softmax is far from uniform and differences show. ``gamma``: the range
    of the random BatchNormalization scales."""
    rng = np.random.RandomState(0)
    for layer in model._flatten_layers(include_self=False):
        if isinstance(layer, keras.layers.BatchNormalization):
            shape = layer.gamma.shape
            layer.set_weights([rng.uniform(*gamma, shape), rng.normal(0, 0.2, shape),
                               rng.normal(0, 0.2, shape), rng.uniform(0.5, 1.5, shape)])
    last = [layer for layer in model.layers if layer.weights][-1]
    values = last.get_weights()
    values[0] = values[0] * scale
    last.set_weights(values)


def keras_reference(tmp_path, build, size, scale=10.0, legacy_h5=False, batch=2,
                    gamma=(0.5, 1.5)):
    """Builds ``build(keras)`` (``weights=None``) with a fixed seed, spreads its weights
    and saves them; returns (files, images, Keras's predictions)."""
    keras = _keras()
    keras.utils.set_random_seed(0)
    model = build(keras)
    _spread_weights(model, keras, scale, gamma)
    files = [str(tmp_path / "x.weights.h5")]
    model.save_weights(files[0])
    if legacy_h5:
        files.append(str(tmp_path / "x.h5"))
        model.save(files[1])
    images = np.random.RandomState(1).uniform(0, 255, (batch, size, size, 3)).astype("float32")
    # An eager call: predict() would trace a tf.function, several times slower here.
    return files, images, np.asarray(model(images, training=False))


def assert_same_predictions(actual, expected):
    """Softmax within SOFTMAX_ATOL and the same top-5 classes (where Keras's own top-5
    ranks are separated by more than the tolerance)."""
    actual = np.asarray(actual)
    assert actual.shape == expected.shape
    # A near-uniform softmax would pass any comparison; the weights are spread to avoid it.
    assert expected.max() > 5.0 / expected.shape[-1], expected.max()
    np.testing.assert_allclose(actual, expected, rtol=0, atol=SOFTMAX_ATOL)
    for got, want in zip(actual, expected):
        order = np.argsort(-want)
        gaps = -np.diff(want[order[:6]])
        clear = int(np.argmax(gaps < 2 * SOFTMAX_ATOL)) if (gaps < 2 * SOFTMAX_ATOL).any() \
            else 5
        assert list(np.argsort(-got)[:clear]) == list(order[:clear])


def _predict(model, images):
    # Under JAX a first eager call compiles every op for its shapes (tens of seconds for
    # these graphs) and predict() compiles the graph once; TensorFlow is the other way
    # round. The layers compute the same either way.
    if kfront.backend.backend() == "jax":
        return model.predict(images, verbose=0)
    return kfront.ops.convert_to_numpy(model(images, training=False))


def check_parity(tmp_path, keras_build, kfront_build, size, scale=10.0, legacy_h5=False,
                 gamma=(0.5, 1.5)):
    """Keras's saved weights, loaded by kfront's constructor (``weights=``), give Keras's
    predictions; with ``legacy_h5`` Keras's legacy ``.h5`` file loads the same arrays.
    ``gamma``: the range of the random BatchNormalization scales (see _spread_weights)."""
    files, images, expected = keras_reference(tmp_path, keras_build, size, scale, legacy_h5,
                                              gamma=gamma)
    model = kfront_build(files[0])
    assert_same_predictions(_predict(model, images), expected)
    for path in files[1:]:
        again = kfront_build(path)
        for ours, theirs in zip(again.weights, model.weights, strict=True):
            assert ours.shape == theirs.shape
            np.testing.assert_array_equal(kfront.ops.convert_to_numpy(ours.value),
                                          kfront.ops.convert_to_numpy(theirs.value))
    return model
