"""Bad arguments and inputs get a clear error naming the layer, expected vs received.

(Wrong ranks, windows larger than the padded input and merge shape mismatches are checked
in each family's tests; these are the checks that family tests do not cover.)
"""
import numpy as np
import pytest

import kfront
from kfront import layers, ops

SEQ = np.zeros((3, 6, 4), "float32")


@pytest.mark.parametrize("make", [
    lambda: layers.Conv2D(2, 3, padding="full"),
    lambda: layers.Conv1DTranspose(2, 3, padding="causal"),
    lambda: layers.SeparableConv2D(2, 3, padding="wide"),
    lambda: layers.MaxPooling2D(padding="full"),
    lambda: layers.AveragePooling1D(padding=None),
])
def test_unknown_padding(make):
    with pytest.raises(ValueError, match=r"the `padding` argument must be one of .*"
                                         r"Received: padding="):
        make()


@pytest.mark.parametrize("make", [
    lambda: layers.Conv2D(2, 3, data_format="nhwc"),
    lambda: layers.DepthwiseConv1D(3, data_format="NWC"),
    lambda: layers.MaxPooling3D(data_format="channels_middle"),
    lambda: layers.GlobalAveragePooling2D(data_format="x"),
])
def test_unknown_data_format(make):
    with pytest.raises(ValueError, match=r"the `data_format` argument must be one of "
                                         r"\('channels_last', 'channels_first'\)"):
        make()


@pytest.mark.parametrize("cls", ["SimpleRNN", "LSTM", "GRU"])
def test_rnn_mask_of_the_wrong_shape(cls):
    layer = getattr(layers, cls)(3, name="rec")
    with pytest.raises(ValueError, match=r'"rec": the mask must have shape \(batch, '
                                         r"timesteps\) = \(3, 6\), received a mask of shape "
                                         r"\(3, 5\)"):
        layer(SEQ, mask=np.ones((3, 5), bool))
    with pytest.raises(ValueError, match=r"received a mask of shape \(3,\)"):
        layer(SEQ, mask=np.ones((3,), bool))


@pytest.mark.parametrize("cls", ["Attention", "AdditiveAttention"])
def test_attention_mask_of_the_wrong_shape(cls):
    layer = getattr(layers, cls)(name="att")
    with pytest.raises(ValueError, match=r'layer "att": `value_mask` must have the shape of '
                                         r"its input without the last axis, \(3, 6\); "
                                         r"received shape \(3, 4\)"):
        layer([SEQ, SEQ], mask=[None, np.ones((3, 4), bool)])


def test_a_shape_accepted_once_does_not_let_a_wrong_one_through():
    # A layer remembers the last shape its input spec accepted, to skip the check when
    # the same shape comes again: any other shape is still checked.
    dense = layers.Dense(3)
    dense(np.zeros((2, 4), "float32"))
    dense(ops.convert_to_tensor(np.zeros((5, 4), "float32")))  # an engine tensor
    with pytest.raises(ValueError, match=r'Input 0 of layer "dense.*" is incompatible with '
                                         r"the layer: expected axis -1 of input shape to have "
                                         r"value 4, but received input with shape \(5, 6\)"):
        dense(ops.convert_to_tensor(np.zeros((5, 6), "float32")))
    # A new spec is checked even on a shape the old one accepted.
    dense.input_spec = layers.InputSpec(ndim=3)
    with pytest.raises(ValueError, match="expected ndim=3, found ndim=2"):
        dense(np.zeros((5, 4), "float32"))


def test_a_sublayer_called_inside_another_checks_its_input_and_keeps_its_losses():
    # Inside another layer's call a built sublayer skips most of the call machinery: its
    # input check and an activity regularizer set after its first call still apply.
    class Outer(layers.Layer):
        def __init__(self):
            super().__init__()
            self.inner = layers.Dense(2, kernel_initializer="ones")

        def call(self, x):
            return self.inner(x)

    outer = Outer()
    x = ops.convert_to_tensor(np.ones((3, 4), "float32"))
    outer(x)
    with pytest.raises(ValueError, match=r'Input 0 of layer "dense.*" is incompatible with '
                                         r"the layer: expected axis -1 of input shape to have "
                                         r"value 4, but received input with shape \(3, 5\)"):
        outer(ops.convert_to_tensor(np.ones((3, 5), "float32")))
    outer.inner.activity_regularizer = kfront.regularizers.L1(0.5)
    out = ops.convert_to_numpy(outer(x))
    np.testing.assert_allclose(out, np.full((3, 2), 4.0))
    assert len(outer.losses) == 1
    # L1 of the output, per example (divided by the batch size), as Keras 3 does.
    np.testing.assert_allclose(float(ops.convert_to_numpy(outer.losses[0])),
                               0.5 * np.abs(out).sum() / 3, rtol=1e-6)
