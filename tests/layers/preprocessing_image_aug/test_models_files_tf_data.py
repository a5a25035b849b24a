"""Augmentation layers in a model (fit, predict, compiled steps), in .kfront/.keras files
and in a tf.data map on every backend."""
import numpy as np
import pytest

import kfront as keras
from kfront import layers, ops
from aug_layers import jax_slow

X = np.random.RandomState(2).randint(0, 256, (8, 12, 12, 3)).astype("float32")
Y = np.random.RandomState(3).rand(8, 1).astype("float32")


def _augmenter():
    return [layers.RandomBrightness(0.1, seed=1), layers.RandomShear(0.1, 0.1, seed=2),
            layers.RandAugment(num_ops=1, seed=3), layers.AutoContrast(),
            layers.Pipeline([layers.RandomInvert(0.5, seed=4), layers.RandomHue(0.2, seed=5)]),
            layers.CutMix(seed=6)]


def _model():
    return keras.Sequential([keras.Input((12, 12, 3))] + _augmenter() + [
        layers.Rescaling(1 / 255.0), layers.Conv2D(2, 3), layers.GlobalAveragePooling2D(),
        layers.Dense(1)])


def test_fit_in_a_compiled_step_then_predict_and_save_both_formats(tmp_path):
    model = _model()
    model.compile("sgd", "mse")
    rand_augment = model.layers[2]
    before = ops.convert_to_numpy(rand_augment.generator.state.value).copy()
    history = model.fit(X, Y, batch_size=4, epochs=2, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    # The compiled step drew new parameters at each of its 4 steps (the seed state moved
    # on by the same count each step).
    moved = ops.convert_to_numpy(rand_augment.generator.state.value)[1] - before[1]
    assert moved > 0 and moved % 4 == 0
    expected = model.predict(X, verbose=0)
    # At inference only AutoContrast acts: the model equals its deterministic part.
    deterministic = keras.Sequential([layers.AutoContrast()] + model.layers[-4:])
    np.testing.assert_allclose(expected, deterministic.predict(X, verbose=0), rtol=1e-5,
                               atol=1e-5)
    for suffix in ("kfront", "keras"):
        model.save(tmp_path / f"m.{suffix}")
        loaded = keras.models.load_model(tmp_path / f"m.{suffix}")
        assert [type(l).__name__ for l in loaded.layers] == [type(l).__name__
                                                             for l in model.layers]
        assert loaded.layers[2].get_config() == model.layers[2].get_config()
        np.testing.assert_allclose(loaded.predict(X, verbose=0), expected, rtol=1e-5,
                                   atol=1e-5)


@jax_slow
def test_in_a_tf_data_map():
    tf = pytest.importorskip("tensorflow")
    flat = np.full((8, 12, 12, 3), 120.0, "float32")
    pipeline = layers.Pipeline([layers.RandomBrightness(0.3, seed=1), layers.AutoContrast(),
                                layers.RandomPosterization((3, 3), seed=2)])
    ds = tf.data.Dataset.from_tensor_slices(flat).batch(4)
    bright = layers.RandomBrightness(0.3, seed=1)
    batches = [np.asarray(b) for b in ds.map(lambda x: bright(x))]
    assert batches[0].shape == (4, 12, 12, 3)
    assert len({round(float(v), 3) for b in batches for v in b[:, 0, 0, 0]}) == 8
    eq = [np.asarray(b) for b in ds.map(lambda x: pipeline(x, training=False))]
    np.testing.assert_array_equal(np.concatenate(eq), flat)  # AutoContrast: flat stays
    invert, shear = layers.RandomInvert((1.0, 1.0), seed=1), layers.RandomShear(0.2, seed=3)
    single = ds.unbatch().map(lambda x: invert(x))
    np.testing.assert_array_equal(np.stack([np.asarray(s) for s in single]), 255 - flat)
    shaped = ds.map(lambda x: shear(x))
    assert shaped.element_spec.shape.as_list() == [None, 12, 12, 3]
    assert np.asarray(next(iter(shaped))).shape == (4, 12, 12, 3)
