"""ConvNeXt against Keras 3 (nested Sequential stems, grouped convolutions, LayerScale,
StochasticDepth): Keras's saved weights give Keras's predictions in kfront."""
import numpy as np
import pytest
from applications_parity import check_parity

import kfront
from kfront.applications import convnext

SHAPE = (32, 32, 3)
# A narrow, shallow ConvNeXt keeps the default run short; the named sizes run as slow tests.
SMALL = {"depths": [1, 1, 2, 1], "projection_dims": [8, 16, 32, 64], "weights_name": "tiny"}


def test_convnext_matches_keras(tmp_path):
    from keras.src.applications import convnext as keras_convnext
    check_parity(tmp_path,
                 lambda keras: keras_convnext.ConvNeXt(weights=None, input_shape=SHAPE,
                                                       drop_path_rate=0.1, **SMALL),
                 lambda w: convnext.ConvNeXt(weights=w, input_shape=SHAPE,
                                             drop_path_rate=0.1, **SMALL),
                 32, legacy_h5=True)


@pytest.mark.slow
@pytest.mark.sampled("applications")
@pytest.mark.parametrize("ctor", ["ConvNeXtTiny", "ConvNeXtSmall", "ConvNeXtBase",
                                  "ConvNeXtLarge", "ConvNeXtXLarge"])
def test_convnext_sizes_match_keras(tmp_path, ctor):
    check_parity(tmp_path,
                 lambda keras: getattr(keras.applications, ctor)(weights=None,
                                                                 input_shape=SHAPE),
                 lambda w: getattr(convnext, ctor)(weights=w, input_shape=SHAPE), 32,
                 scale=1.0)


def test_layer_scale_and_stochastic_depth():
    scale = convnext.LayerScale(0.5, 3)
    x = np.arange(6.0, dtype="float32").reshape(2, 3)
    np.testing.assert_allclose(kfront.ops.convert_to_numpy(scale(x)), x * 0.5)
    assert [w.shape for w in scale.weights] == [(3,)]
    depth = convnext.StochasticDepth(0.5, seed=1)
    ones = np.ones((64, 4), "float32")
    np.testing.assert_array_equal(kfront.ops.convert_to_numpy(depth(ones)), ones)
    dropped = kfront.ops.convert_to_numpy(depth(ones, training=True))
    # Whole samples are kept (scaled by 1 / keep) or dropped.
    assert set(np.unique(dropped)) <= {0.0, 2.0} and 0 < (dropped == 0).all(1).sum() < 64
    assert (dropped == dropped[:, :1]).all()
    with pytest.raises(ValueError, match="drop_path_rate"):
        convnext.StochasticDepth(1.0)
    with pytest.raises(ValueError, match="projection_dim=4"):
        convnext.LayerScale(1.0, 4)(np.ones((1, 3), "float32"))


def test_convnext_errors_and_paths():
    with pytest.raises(ValueError, match="does not match weights variant"):
        convnext.ConvNeXtTiny(weights="imagenet", name="mine")
    model = convnext.ConvNeXt(weights=None, input_shape=SHAPE, include_top=False,
                              pooling="avg", **SMALL)
    assert model.output_shape == (None, 64)
    assert kfront.applications.ConvNeXtXLarge is convnext.ConvNeXtXLarge
