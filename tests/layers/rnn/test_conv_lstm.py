"""ConvLSTM1D/2D/3D: NumPy reference, real Keras 3 numbers, shapes, masks, state, errors."""
import os
import sys

import numpy as np
import pytest

import kfront as keras
from kfront import config, layers, ops

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "convolutional"))
from conv_pool_reference import keras_outputs, np_conv  # noqa: E402

RNG = np.random.default_rng(11)
X2 = RNG.normal(size=(2, 3, 5, 4, 2)).astype("float32")     # (batch, time, rows, cols, ch)
X1 = RNG.normal(size=(2, 4, 6, 3)).astype("float32")
TOL = dict(rtol=1e-5, atol=1e-5)


def np_(t):
    return np.asarray(ops.convert_to_numpy(t))


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def np_conv_lstm(x, weights, strides=1, padding="valid", mask=None, go_backwards=False,
                 state=None):
    """Channels-last ConvLSTM over time with Keras's gate order and mask rule."""
    k, rk, b = [w.astype(np.float64) for w in weights]
    f = rk.shape[-2]
    order = range(x.shape[1] - 1, -1, -1) if go_backwards else range(x.shape[1])
    h = c = None
    if state is not None:
        h, c = [s.astype(np.float64) for s in state]
    outs = []
    for t in order:
        xt = x[:, t]
        zx = np_conv(xt, k, strides, padding) + b
        if h is None:
            h = c = np.zeros(zx.shape[:-1] + (f,))
        z = zx + np_conv(h, rk, 1, "same")
        zi, zf, zc, zo = np.split(z, 4, axis=-1)
        c_new = sigmoid(zf) * c + sigmoid(zi) * np.tanh(zc)
        h_new = sigmoid(zo) * np.tanh(c_new)
        if mask is not None:
            keep = mask[:, t].reshape((-1,) + (1,) * (h.ndim - 1))
            h_new, c_new = np.where(keep, h_new, h), np.where(keep, c_new, c)
        h, c = h_new, c_new
        outs.append(h)
    return np.stack(outs, 1), h, c


def _perturb(layer):
    layer.set_weights([w + RNG.normal(scale=0.2, size=w.shape).astype("float32")
                       for w in layer.get_weights()])
    return layer.get_weights()


def test_weights_shapes_names_and_forget_bias():
    layer = layers.ConvLSTM2D(3, (3, 2))
    layer(X2)
    assert layer.name.startswith("conv_lstm2d")
    assert [v.path.split("/")[-1] for v in layer.weights] == ["kernel", "recurrent_kernel",
                                                              "bias"]
    assert [tuple(v.shape) for v in layer.weights] == [(3, 2, 2, 12), (3, 2, 3, 12), (12,)]
    np.testing.assert_array_equal(layer.get_weights()[2], np.repeat([0, 1, 0, 0], 3))


@pytest.mark.parametrize("padding,strides", [("same", 1), ("valid", 2)])
def test_conv_lstm2d_matches_numpy(padding, strides):
    layer = layers.ConvLSTM2D(3, 3, padding=padding, strides=strides, return_sequences=True,
                              return_state=True)
    layer(X2)
    w = _perturb(layer)
    seq, h, c = layer(X2)
    want_seq, want_h, want_c = np_conv_lstm(X2, w, strides, padding)
    np.testing.assert_allclose(np_(seq), want_seq, **TOL)
    np.testing.assert_allclose(np_(h), want_h, **TOL)
    np.testing.assert_allclose(np_(c), want_c, **TOL)


def test_conv_lstm1d_mask_backwards_and_initial_state():
    mask = np.array([[True, True, False, True], [False, True, True, True]])
    layer = layers.ConvLSTM1D(2, 3, padding="same", go_backwards=True)
    h0 = RNG.normal(size=(2, 6, 2)).astype("float32")
    c0 = RNG.normal(size=(2, 6, 2)).astype("float32")
    layer(X1, initial_state=[h0, c0])
    w = _perturb(layer)
    got = layer(X1, initial_state=[h0, c0], mask=mask)
    _, want, _ = np_conv_lstm(X1, w, 1, "same", mask=mask, go_backwards=True, state=(h0, c0))
    np.testing.assert_allclose(np_(got), want, **TOL)


def test_channels_first_equals_channels_last():
    last = layers.ConvLSTM2D(2, 2, return_sequences=True)
    first = layers.ConvLSTM2D(2, 2, return_sequences=True, data_format="channels_first")
    x_first = np.moveaxis(X2, -1, 2)
    last(X2)
    first(x_first)
    first.set_weights(_perturb(last))
    np.testing.assert_allclose(np.moveaxis(np_(first(x_first)), 2, -1), np_(last(X2)), **TOL)


def test_conv_lstm3d_symbolic_shape_and_config_round_trip():
    layer = layers.ConvLSTM3D(2, 2, strides=(1, 2, 1), return_sequences=True,
                              return_state=True)
    out, h, c = layer(keras.Input((3, 4, 5, 3, 1)))
    assert tuple(out.shape) == (None, 3, 3, 2, 2, 2)
    assert tuple(h.shape) == tuple(c.shape) == (None, 3, 2, 2, 2)
    config = layers.ConvLSTM2D(4, 3, padding="same", dropout=0.1).get_config()
    assert config["filters"] == 4 and config["kernel_size"] == (3, 3)
    assert config["unit_forget_bias"] is True and config["recurrent_initializer"]
    clone = layers.ConvLSTM2D.from_config(config)
    assert clone.get_config() == {**config, "name": clone.name}


def test_stateful_carries_state_and_dropout_only_in_training():
    layer = layers.ConvLSTM1D(2, 3, stateful=True, dropout=0.5, recurrent_dropout=0.5,
                              seed=1)
    first = np_(layer(X1))
    second = np_(layer(X1))
    assert not np.allclose(first, second)
    layer.reset_states()
    np.testing.assert_allclose(np_(layer(X1)), first, **TOL)
    layer.reset_states()
    dropped = np_(layer(X1, training=True))
    assert not np.allclose(dropped, first)
    # Keras draws one mask per gate for each of the input and the recurrent state.
    assert layer.cell.dropout_mask_count == 4


def test_model_trains_loss_decreases():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((3, 5, 4, 2)), layers.ConvLSTM2D(2, 3),
                              layers.Flatten(), layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="mse")
    y = X2.reshape(2, -1).mean(axis=1, keepdims=True)
    history = model.fit(X2, y, epochs=4, batch_size=2, verbose=0).history["loss"]
    assert history[-1] < history[0]


def test_errors_name_layer_and_shapes():
    with pytest.raises(ValueError, match=r"conv_lstm2d_bad.*expected ndim=5.*found ndim=4"):
        layers.ConvLSTM2D(2, 3, name="conv_lstm2d_bad")(np.zeros((2, 3, 4, 1), "float32"))
    with pytest.raises(ValueError, match=r"window is larger than the \(padded\) input"):
        layers.ConvLSTM2D(2, 6, name="too_big")(X2)
    with pytest.raises(ValueError, match="`padding` argument must be one of"):
        layers.ConvLSTM2D(2, 3, padding="full")
    with pytest.raises(ValueError, match="`data_format` argument must be one of"):
        layers.ConvLSTM2D(2, 3, data_format="nhwc")
    with pytest.raises(ValueError, match="`filters` must be a positive int"):
        layers.ConvLSTM1D(0, 3)


KERAS_CASES = {
    "conv_lstm2d_same_seq": (dict(filters=3, kernel_size=3, padding="same",
                                  return_sequences=True), X2),
    "conv_lstm2d_strided_backwards": (dict(filters=2, kernel_size=2, strides=2,
                                           go_backwards=True), X2),
    "conv_lstm1d_dilated": (dict(filters=2, kernel_size=2, dilation_rate=2,
                                 return_sequences=True), X1),
}


def test_matches_real_keras(tmp_path):
    if config.backend() != "torch":
        pytest.skip("compared with real Keras once, in the torch session; the parity suite "
                    "holds the other engines to torch's numbers")
    cases, mine = {}, {}
    for case_id, (kwargs, x) in KERAS_CASES.items():
        cls = "ConvLSTM2D" if x.ndim == 5 else "ConvLSTM1D"
        layer = getattr(layers, cls)(**kwargs)
        layer(x)
        weights = _perturb(layer)
        mine[case_id] = np_(layer(x))
        cases[case_id] = (cls, kwargs, x, weights)
    theirs = keras_outputs(cases, tmp_path)
    for case_id in KERAS_CASES:
        assert mine[case_id].shape == theirs[case_id].shape, case_id
        np.testing.assert_allclose(mine[case_id], theirs[case_id], **TOL, err_msg=case_id)
