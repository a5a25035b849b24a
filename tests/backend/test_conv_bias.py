"""The optional ``conv_bias`` kernel (conv + bias in one engine call, used by Conv2D/Conv3D
where the adapter has it): values against NumPy, gradients against ``conv`` then ``add``."""
import numpy as np
import pytest

import kfront as keras
from kfront import ops
from kfront.backend.loader import adapter

from cases_conv import np_conv  # pytest puts this folder on sys.path

KERNEL = getattr(adapter(), "conv_bias", None)
if KERNEL is None:
    pytest.skip("this engine's adapter has no conv_bias kernel", allow_module_level=True)

RNG = np.random.default_rng(5)
TOL = dict(rtol=1e-5, atol=1e-5)

# x shape, kernel shape, strides, padding, dilation
CASES = [
    ((2, 9, 3), (3, 3, 4), 1, "valid", 1),
    ((2, 7, 6, 4), (3, 3, 4, 5), 2, "same", 1),
    ((1, 8, 8, 4), (3, 3, 2, 6), 1, "same", 2),  # two groups
    ((2, 4, 5, 6, 2), (2, 2, 2, 2, 3), 1, "valid", 1),
]


def _normal(shape):
    return RNG.normal(size=shape).astype("float32")


@pytest.mark.parametrize("x_shape,k_shape,strides,padding,dilation", CASES)
def test_values_match_numpy(x_shape, k_shape, strides, padding, dilation):
    x, k, b = _normal(x_shape), _normal(k_shape), _normal(k_shape[-1:])
    out = KERNEL(x, k, b, strides=strides, padding=padding, data_format="channels_last",
                 dilation_rate=dilation)
    want = np_conv(x, k, strides, padding, dilation) + b
    np.testing.assert_allclose(ops.convert_to_numpy(out), want, **TOL)


def test_channels_first_values():
    x, k, b = _normal((2, 4, 6, 6)), _normal((3, 3, 4, 5)), _normal((5,))
    out = KERNEL(x, k, b, strides=1, padding="same", data_format="channels_first",
                 dilation_rate=1)
    want = np_conv(x.transpose(0, 2, 3, 1), k, 1, "same", 1) + b
    np.testing.assert_allclose(ops.convert_to_numpy(out), want.transpose(0, 3, 1, 2), **TOL)


def test_gradients_equal_conv_then_add():
    x, k, b = _normal((2, 6, 6, 3)), _normal((3, 3, 3, 4)), _normal((4,))
    g = _normal((2, 3, 3, 4))

    def grads(fn):
        variables = [keras.Variable(v) for v in (x, k, b)]

        def loss():
            return ops.sum(ops.multiply(fn(*(v.value for v in variables)), g))
        _, found = keras.backend.value_and_grad(loss, variables)
        return [ops.convert_to_numpy(d) for d in found]

    fused = grads(lambda x, k, b: KERNEL(x, k, b, strides=2, padding="same",
                                         data_format="channels_last", dilation_rate=1))
    plain = grads(lambda x, k, b: ops.add(ops.conv(x, k, strides=2, padding="same"), b))
    for got, want in zip(fused, plain):
        np.testing.assert_allclose(got, want, **TOL)


def test_wrong_bias_shape_is_refused():
    with pytest.raises(ValueError, match=r"bias must have shape \(5,\).*received shape \(4,\)"):
        KERNEL(_normal((1, 5, 5, 2)), _normal((3, 3, 2, 5)), _normal((4,)), strides=1,
               padding="valid", data_format="channels_last", dilation_rate=1)
