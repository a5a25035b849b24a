"""A subclassed Layer: build/add_weight/call/get_config, tracking of sublayers, freezing."""
import numpy as np
import pytest

import kfront as keras
from kfront import layers

X = np.random.default_rng(0).normal(size=(4, 3)).astype("float32")


def to_np(x):
    return np.asarray(keras.ops.convert_to_numpy(x))


class Affine(layers.Layer):
    """y = x * scale + offset, with a frozen step counter, and dropout-like training branch."""

    def __init__(self, factor=1.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor
        self.build_shapes = []

    def build(self, input_shape):
        self.build_shapes.append(input_shape)
        self.scale = self.add_weight(name="scale", shape=(input_shape[-1],), initializer="ones")
        self.offset = self.add_weight(name="offset", shape=(input_shape[-1],),
                                      initializer="zeros")
        self.count = self.add_weight(name="count", shape=(), initializer="zeros",
                                     trainable=False)

    def call(self, x, training=None):
        y = x * self.scale + self.offset
        return y * self.factor if training else y

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


class Block(layers.Layer):
    """A layer holding a sublayer attribute and a list of layers."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.first = Affine(name="first")
        self.stack = [layers.Dense(2, name="d0"), layers.Dense(2, name="d1")]

    def call(self, x):
        x = self.first(x)
        for layer in self.stack:
            x = layer(x)
        return x


def test_build_runs_once_with_input_shape():
    layer = Affine()
    assert not layer.built
    layer(X)
    layer(X)
    assert layer.built
    assert layer.build_shapes == [(4, 3)]


def test_add_weight_values_names_trainability():
    layer = Affine()
    layer(X)
    assert [v.name for v in layer.weights] == ["scale", "offset", "count"]
    assert [v.name for v in layer.trainable_weights] == ["scale", "offset"]
    assert [v.name for v in layer.non_trainable_weights] == ["count"]
    np.testing.assert_array_equal(to_np(layer.scale), np.ones(3))
    assert layer.scale.path.endswith("/scale")


def test_call_uses_weights_and_training_flag():
    layer = Affine(factor=10.0)
    layer(X)
    layer.set_weights([np.full(3, 2.0), np.full(3, 0.5), np.array(0.0)])
    np.testing.assert_allclose(to_np(layer(X)), X * 2 + 0.5, rtol=1e-6)
    np.testing.assert_allclose(to_np(layer(X, training=True)), (X * 2 + 0.5) * 10, rtol=1e-6)


def test_get_config_round_trip():
    layer = Affine(factor=3.0, name="aff", trainable=False)
    config = layer.get_config()
    assert config["factor"] == 3.0 and config["name"] == "aff" and config["trainable"] is False
    clone = Affine.from_config(config)
    assert clone.factor == 3.0 and clone.name == "aff" and not clone.trainable


def test_add_weight_name_first_positional_errors():
    class Keras2Style(layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight("w", shape=(2,))

    with pytest.raises(ValueError, match=r"`name` must be passed as a keyword.*"
                                         r"add_weight\(shape=\.\.\., name='w'\)"):
        Keras2Style(name="k2")(X)


def test_add_weight_positional_shape_initializer_dtype():
    layer = layers.Layer()
    w = layer.add_weight((2, 3), "ones", "float32", name="w")
    assert w.shape == (2, 3) and w.dtype == "float32"
    np.testing.assert_array_equal(w.numpy(), np.ones((2, 3)))
    with pytest.raises(ValueError, match="`shape` was passed both positionally and as a keyword"):
        layer.add_weight((2,), shape=(2,))
    with pytest.raises(TypeError, match="at most 3 positional arguments"):
        layer.add_weight((2,), "ones", "float32", True)


def test_nested_and_list_sublayers_are_tracked():
    block = Block()
    out = block(X)
    assert tuple(out.shape) == (4, 2)
    names = [v.path for v in block.weights]
    assert names == ["first/scale", "first/offset", "first/count",
                     "d0/kernel", "d0/bias", "d1/kernel", "d1/bias"]
    assert len(block.trainable_weights) == 6
    assert block.count_params() == 3 + 3 + 1 + (3 * 2 + 2) + (2 * 2 + 2)


def test_trainable_false_freezes_all_weights():
    block = Block()
    block(X)
    block.trainable = False
    assert block.trainable_weights == []
    assert len(block.non_trainable_weights) == 7
    assert not block.stack[0].trainable
    block.trainable = True
    assert len(block.trainable_weights) == 6


def test_frozen_sublayer_only():
    block = Block()
    block(X)
    block.stack[1].trainable = False
    assert [v.path for v in block.non_trainable_weights] == ["first/count", "d1/kernel",
                                                             "d1/bias"]


def test_get_set_weights_round_trip():
    block = Block()
    block(X)
    new = [np.random.default_rng(i).normal(size=w.shape).astype("float32")
           for i, w in enumerate(block.get_weights())]
    block.set_weights(new)
    for got, want in zip(block.get_weights(), new):
        np.testing.assert_array_equal(got, want)
    first = new[0] * X + new[1]
    h = first @ new[3] + new[4]
    np.testing.assert_allclose(to_np(block(X)), h @ new[5] + new[6], rtol=1e-5, atol=1e-6)


def test_set_weights_wrong_count_errors():
    layer = Affine(name="aff2")
    layer(X)
    with pytest.raises(ValueError, match=r'"aff2" expects 3 weight arrays, but set_weights '
                                         r"received 2"):
        layer.set_weights([np.ones(3), np.ones(3)])


def test_set_weights_wrong_shape_errors():
    layer = Affine(name="aff3")
    layer(X)
    with pytest.raises(ValueError, match=r"'aff3/offset' has shape \(3,\), but set_weights "
                                         r"received an array of shape \(4,\)"):
        layer.set_weights([np.ones(3), np.ones(4), np.array(0.0)])


def test_count_params_unbuilt_errors():
    with pytest.raises(ValueError, match='"never" is not built yet'):
        Affine(name="never").count_params()


def test_symbolic_call_builds_and_infers_shape():
    layer = Affine()
    out = layer(keras.Input(shape=(3,)))
    assert out.shape == (None, 3)
    assert layer.build_shapes == [(None, 3)]


def test_unknown_constructor_kwarg_errors():
    with pytest.raises(TypeError, match=r"Affine: unrecognized keyword argument\(s\) \['foo'\]"):
        Affine(foo=1)


def test_call_without_inputs_errors():
    with pytest.raises(ValueError, match='"nothing" was called without an input'):
        Affine(name="nothing")()


def test_inputs_by_keyword():
    layer = Affine()
    np.testing.assert_allclose(to_np(layer(x=X)), X, rtol=1e-6)
    np.testing.assert_allclose(to_np(layers.Add()(inputs=[X, X])), 2 * X, rtol=1e-6)
