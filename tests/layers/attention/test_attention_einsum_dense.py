"""EinsumDense: kernel/bias shapes from the equation (with ellipses), NumPy numbers, errors,
config."""
import numpy as np
import pytest

import kfront as keras
from kfront import layers

RNG = np.random.default_rng(3)
TOL = dict(rtol=1e-5, atol=1e-5)


def to_np(x):
    return np.asarray(keras.ops.convert_to_numpy(x))


CASES = [
    # equation, output_shape, bias_axes, input shape, kernel shape, bias shape, output shape
    ("ab,bc->ac", 4, "c", (2, 3), (3, 4), (4,), (2, 4)),
    ("abc,cd->abd", (None, 4), "d", (2, 5, 3), (3, 4), (4,), (2, 5, 4)),
    ("abc,cde->abde", (None, 2, 4), "d", (2, 5, 3), (3, 2, 4), (2, 1), (2, 5, 2, 4)),
    ("abc,cde->abde", (None, 2, 4), "de", (2, 5, 3), (3, 2, 4), (2, 4), (2, 5, 2, 4)),
    ("...b,bc->...c", 4, "c", (2, 5, 3), (3, 4), (4,), (2, 5, 4)),
    ("ab...,bc->ac...", 4, "c", (2, 3, 6), (3, 4), (4, 1), (2, 4, 6)),
    ("abcd,cde->abe", (None, 4), None, (2, 5, 3, 2), (3, 2, 4), None, (2, 5, 4)),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] + "-" + str(c[2]) for c in CASES])
def test_einsum_dense_shapes_and_numbers(case):
    equation, output_shape, bias_axes, in_shape, k_shape, b_shape, out_shape = case
    layer = layers.EinsumDense(equation, output_shape, bias_axes=bias_axes,
                               activation="tanh", bias_initializer="random_normal")
    x = RNG.normal(size=in_shape).astype("float32")
    out = layer(x)
    assert tuple(layer.kernel.shape) == k_shape
    assert (None if layer.bias is None else tuple(layer.bias.shape)) == b_shape
    assert tuple(out.shape) == out_shape
    assert layer.compute_output_shape((None,) + in_shape[1:]) == (None,) + out_shape[1:]
    want = np.einsum(equation, x.astype("float64"), layer.kernel.numpy().astype("float64"))
    if layer.bias is not None:
        want = want + layer.bias.numpy()
    np.testing.assert_allclose(to_np(out), np.tanh(want), **TOL)


def test_einsum_dense_symbolic_and_model():
    inputs = keras.Input(shape=(5, 3))
    layer = layers.EinsumDense("abc,cd->abd", output_shape=(None, 4), bias_axes="d")
    out = layer(inputs)
    assert out.shape == (None, 5, 4)
    model = keras.Model(inputs, out)
    x = RNG.normal(size=(2, 5, 3)).astype("float32")
    want = x @ layer.kernel.numpy() + layer.bias.numpy()
    np.testing.assert_allclose(np.asarray(model.predict(x, verbose=0)), want, **TOL)


def test_einsum_dense_glorot_uses_input_and_output_axes():
    layer = layers.EinsumDense("abc,cde->abde", output_shape=(None, 8, 16))
    layer.build((None, 2, 32))
    kernel = layer.kernel.numpy()
    limit = np.sqrt(6.0 / (32 + 8 * 16))
    assert limit * 0.9 < np.abs(kernel).max() <= limit


def test_einsum_dense_config_round_trip():
    layer = layers.EinsumDense("abc,cde->abde", output_shape=(None, 2, 4), bias_axes="e",
                               activation="relu", kernel_initializer="he_uniform",
                               kernel_regularizer="l2", kernel_constraint="non_neg",
                               name="proj")
    config = layer.get_config()
    assert config["output_shape"] == (None, 2, 4)
    clone = layers.EinsumDense.from_config(config)
    assert clone.get_config() == config


@pytest.mark.parametrize("equation,output_shape,bias_axes,in_shape,match", [
    ("ab,bc", 4, None, (2, 3), "invalid einsum equation"),
    ("ab,bc->ac", 4, "x", (2, 3), "bias dimension 'x'"),
    ("abc,cd->abd", (7, 4), None, (2, 5, 3), "shared dimension 'b'.*5.*7"),
    ("ab,bcd->ac", 4, None, (2, 3), "kernel dimension 'd'"),
    ("ab,bc->acx", (4, 2), None, (2, 3), "dimension 'x' of the output"),
    ("abc,cd->abd", (None, 4), None, (2, 3), "rank 3, received input shape"),
    ("ab,bc->ac", (4, 2), None, (2, 3), "does not fit the equation"),
])
def test_einsum_dense_errors(equation, output_shape, bias_axes, in_shape, match):
    layer = layers.EinsumDense(equation, output_shape, bias_axes=bias_axes, name="ed")
    with pytest.raises(ValueError, match=match):
        layer.build(in_shape)
