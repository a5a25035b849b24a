"""A model used as a layer gets its output shape from its layers' own specs (as Keras), and a
layer whose call needs larger inputs than the small probe sizes still infers its shape:
sizes left unknown (images of any size) stay unknown through strided windows."""
import numpy as np
import pytest

import kfront as keras
from kfront import layers, ops


def _patchify_stem():
    # ConvNeXt's stem: a 4x4 stride-4 convolution, the window larger than a small probe.
    return keras.Sequential([layers.Conv2D(8, 4, strides=4), layers.LayerNormalization()])


def test_a_nested_sequential_keeps_unknown_image_sizes():
    inp = keras.Input((None, None, 3))
    out = _patchify_stem()(inp)
    out = keras.Sequential([layers.Conv2D(8, 2, strides=2)])(out)
    assert tuple(out.shape) == (None, None, None, 8)
    model = keras.Model(inp, layers.GlobalAveragePooling2D()(out))
    assert model.predict(np.ones((2, 32, 24, 3), "float32"), verbose=0).shape == (2, 8)


def test_a_nested_functional_model_keeps_unknown_sizes_and_known_ones():
    inner_in = keras.Input((None, None, 3))
    inner = keras.Model(inner_in, layers.MaxPooling2D(4)(layers.Conv2D(5, 3)(inner_in)))
    inp = keras.Input((None, None, 3))
    assert tuple(inner(inp).shape) == (None, None, None, 5)
    fixed = keras.Input((34, 18, 3))
    assert tuple(inner(fixed).shape) == (None, 8, 4, 5)


def test_convnext_without_an_input_shape_is_a_feature_extractor_of_any_size():
    model = keras.applications.ConvNeXtTiny(weights=None, include_top=False)
    assert tuple(model.output.shape) == (None, None, None, 768)


class _Downsample4(layers.Layer):
    """A custom layer with no compute_output_shape whose call needs a window of 4."""

    def call(self, x):
        return ops.average_pool(x, 4, strides=4, padding="valid")


def test_a_custom_strided_layer_infers_its_shape_beyond_the_small_probe_sizes():
    out = _Downsample4()(keras.Input((None, None, 2)))
    assert tuple(out.shape) == (None, None, None, 2)


def test_a_genuine_shape_error_is_still_reported():
    # Known sizes are never replaced by probe sizes: the window really is too large.
    with pytest.raises(ValueError, match="the window is larger than the"):
        layers.Conv2D(2, 40)(keras.Input((8, 8, 1)))
    # An unknown size that no probe size fits either: the layer's own error comes through.
    with pytest.raises(ValueError, match="must have 5 channels"):
        _NeedsFiveChannels()(keras.Input((None, None, 3)))


class _NeedsFiveChannels(layers.Layer):
    def call(self, x):
        if x.shape[-1] != 5:
            raise ValueError("the input must have 5 channels")
        return x
