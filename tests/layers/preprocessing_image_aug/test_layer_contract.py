"""What every augmentation layer does the same way: inference, data formats, batching,
integer inputs and configs."""
import numpy as np
import pytest

from kfront import layers, ops
from aug_layers import ALWAYS, LAYERS, jax_slow, layer_params

X = np.random.RandomState(3).randint(0, 256, (3, 12, 10, 3)).astype("float32")
NAMES = sorted(LAYERS)


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


@pytest.mark.parametrize("name", layer_params(NAMES))
def test_inference_training_formats_and_config(name):
    make = LAYERS[name]
    layer = make()
    trained = _np(layer(X, training=True))
    assert trained.shape == X.shape and trained.dtype == np.float32
    assert np.isfinite(trained).all()
    assert trained.min() >= -1e-3 and trained.max() <= 255 + 1e-3
    at_inference = _np(layer(X, training=False))
    if name in ALWAYS:
        np.testing.assert_allclose(at_inference, trained, atol=1e-4)
    else:
        np.testing.assert_array_equal(at_inference, X)
    # channels_first: the same draws (same seed) on the transposed batch.
    first = _np(make(data_format="channels_first")(X.transpose(0, 3, 1, 2)))
    np.testing.assert_allclose(first.transpose(0, 2, 3, 1), _np(make()(X)), atol=1e-3)
    # Integer images give the float result of the same values.
    np.testing.assert_allclose(_np(make()(X.astype("uint8"))), _np(make()(X)), atol=1e-3)
    # A single image.
    assert _np(make()(X[0])).shape == X[0].shape
    # Config round trip: same config, same numbers.
    config = layer.get_config()
    clone = type(layer).from_config(config)
    assert clone.get_config() == config
    np.testing.assert_allclose(_np(clone(X)), _np(make()(X)), atol=1e-3)


@pytest.mark.parametrize("name", layer_params(["AutoContrast", "Equalization", "RandomInvert",
                                               "ContrastLimitedAdaptiveHistogramEqualization"]))
def test_unbatched_equals_batch_of_one(name):
    single = _np(LAYERS[name]()(X[1]))
    np.testing.assert_allclose(single, _np(LAYERS[name]()(X[1:2]))[0], atol=1e-4)


@jax_slow
def test_value_range_zero_one_matches_the_scaled_0_255_result():
    for cls, kwargs in ((layers.AutoContrast, {}), (layers.Equalization, {}),
                        (layers.Solarization, {"threshold_factor": (0.5, 0.5), "seed": 2}),
                        (layers.RandomPosterization, {"factor": (3, 3), "seed": 2}),
                        (layers.ContrastLimitedAdaptiveHistogramEqualization,
                         {"tile_grid_size": (2, 2)})):
        full = _np(cls(**kwargs)(X, training=True))
        unit = _np(cls(value_range=(0, 1), **kwargs)(X / 255.0, training=True))
        np.testing.assert_allclose(unit * 255.0, full, atol=2e-3, err_msg=cls.__name__)


def test_wrong_rank_names_the_layer_and_shape():
    with pytest.raises(ValueError, match=r"expected images of rank 4.*\(12, 10\)"):
        layers.RandomHue(0.2)(X[0, :, :, 0])
    with pytest.raises(ValueError, match=r"rank 4 .*\(1, 3, 12, 10, 3\)"):
        layers.AutoContrast()(X[None])
