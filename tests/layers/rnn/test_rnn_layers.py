"""SimpleRNN, LSTM, GRU, RNN with cells, StackedRNNCells, Bidirectional, TimeDistributed."""
import numpy as np
import pytest

import kfront as keras
from kfront import layers, ops

RNG = np.random.default_rng(3)
X = RNG.normal(size=(3, 6, 4)).astype("float32")
MASK = np.ones((3, 6), bool)
MASK[0, 4:] = False
MASK[1, :2] = False
MASK[2, 3] = False


def np_(t):
    return np.asarray(ops.convert_to_numpy(t))


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def simple_step(w):
    k, rk, b = w

    def step(x, states):
        h = np.tanh(x @ k + b + states[0] @ rk)
        return h, [h]
    return step


def lstm_step(w):
    k, rk, b = w

    def step(x, states):
        h, c = states
        zi, zf, zc, zo = np.split(x @ k + h @ rk + b, 4, axis=-1)
        c = sigmoid(zf) * c + sigmoid(zi) * np.tanh(zc)
        h = sigmoid(zo) * np.tanh(c)
        return h, [h, c]
    return step


def gru_step(w, reset_after=True):
    k, rk, b = w
    u = rk.shape[0]

    def step(x, states):
        h = states[0]
        xz, xr, xh = np.split(x @ k + (b[0] if reset_after else b), 3, axis=-1)
        if reset_after:
            rz, rr, rh = np.split(h @ rk + b[1], 3, axis=-1)
            z, r = sigmoid(xz + rz), sigmoid(xr + rr)
            hh = np.tanh(xh + r * rh)
        else:
            rz, rr = np.split(h @ rk[:, :2 * u], 2, axis=-1)
            z, r = sigmoid(xz + rz), sigmoid(xr + rr)
            hh = np.tanh(xh + (r * h) @ rk[:, 2 * u:])
        h = z * h + (1 - z) * hh
        return h, [h]
    return step


def np_rnn(step, x, states, mask=None, go_backwards=False, zero_output=False):
    """Keras semantics: masked steps keep states and repeat the previous output."""
    x = x.astype(np.float64)
    order = range(x.shape[1] - 1, -1, -1) if go_backwards else range(x.shape[1])
    prev = None
    outs = []
    for t in order:
        out, new = step(x[:, t], states)
        if mask is not None:
            keep = mask[:, t][:, None]
            prev = np.zeros_like(out) if prev is None else prev
            out = np.where(keep, out, 0 * out if zero_output else prev)
            new = [np.where(keep, n, s) for n, s in zip(new, states)]
        states, prev = new, out
        outs.append(out)
    return np.stack(outs, 1), states


def zeros(n, units=5):
    return [np.zeros((3, units)) for _ in range(n)]


@pytest.mark.parametrize("mask,backwards", [(None, False), (MASK, True)])
def test_simple_rnn_matches_numpy(mask, backwards):
    layer = layers.SimpleRNN(5, return_sequences=True, go_backwards=backwards)
    got = layer(X, mask=mask)
    want, _ = np_rnn(simple_step(layer.get_weights()), X, zeros(1), mask, backwards)
    np.testing.assert_allclose(np_(got), want, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("mask", [None, MASK])
def test_lstm_matches_numpy(mask):
    layer = layers.LSTM(5, return_sequences=True, return_state=True)
    out, h, c = layer(X, mask=mask)
    want, (wh, wc) = np_rnn(lstm_step(layer.get_weights()), X, zeros(2), mask)
    np.testing.assert_allclose(np_(out), want, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(np_(h), wh, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(np_(c), wc, rtol=1e-5, atol=1e-6)
    # unit_forget_bias: the forget block of the bias starts at one.
    np.testing.assert_array_equal(layer.get_weights()[2], np.repeat([0, 1, 0, 0], 5))


@pytest.mark.parametrize("reset_after", [True, False])
def test_gru_matches_numpy(reset_after):
    layer = layers.GRU(5, reset_after=reset_after)
    got = layer(X, mask=MASK)
    assert layer.get_weights()[2].shape == ((2, 15) if reset_after else (15,))
    want, _ = np_rnn(gru_step(layer.get_weights(), reset_after), X, zeros(1), MASK)
    np.testing.assert_allclose(np_(got), want[:, -1], rtol=1e-5, atol=1e-6)


def test_initial_state_and_zero_output_for_mask():
    h0 = RNG.normal(size=(3, 5)).astype("float32")
    c0 = RNG.normal(size=(3, 5)).astype("float32")
    layer = layers.LSTM(5, return_sequences=True, zero_output_for_mask=True)
    got = layer(X, initial_state=[h0, c0], mask=MASK)
    want, _ = np_rnn(lstm_step(layer.get_weights()), X, [h0, c0], MASK, zero_output=True)
    np.testing.assert_allclose(np_(got), want, rtol=1e-5, atol=1e-6)
    assert np.all(np_(got)[0, 4:] == 0)


def test_stateful_carries_state_between_calls_and_resets():
    full = layers.GRU(5)
    want = np_(full(X))
    stateful = layers.GRU(5, stateful=True)
    stateful(X[:, :3])
    stateful.set_weights(full.get_weights())
    stateful.reset_states()
    stateful(X[:, :3])
    np.testing.assert_allclose(np_(stateful(X[:, 3:])), want, rtol=1e-5, atol=1e-6)
    assert len(stateful.weights) == 3  # states are variables, not weights
    assert len(stateful.non_trainable_variables) == 1
    stateful.reset_states()
    np.testing.assert_array_equal(stateful.states[0].numpy(), np.zeros((3, 5)))
    with pytest.raises(ValueError, match="batch size"):
        stateful(X[:2])


def test_dropout_only_in_training_and_one_mask_per_sequence():
    layer = layers.SimpleRNN(5, dropout=0.5, recurrent_dropout=0.5, seed=1,
                             return_sequences=True)
    plain = layers.SimpleRNN(5, return_sequences=True)
    plain(X)
    inference = layer(X)
    plain.set_weights(layer.get_weights())
    np.testing.assert_allclose(np_(inference), np_(plain(X)), rtol=1e-6)
    trained = np_(layer(X, training=True))
    assert not np.allclose(trained, np_(inference))
    # The same input-dropout mask at every step: a constant sequence keeps dropped features
    # dropped. Zero recurrent weights make each output depend on x_t alone.
    layer.set_weights([layer.get_weights()[0], np.zeros((5, 5)), np.zeros(5)])
    const = np.repeat(X[:, :1], 6, axis=1)
    out = np_(layer(const, training=True))
    np.testing.assert_allclose(out, np.repeat(out[:, :1], 6, axis=1), rtol=1e-6)


class MinimalCell(layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = units

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units), name="kernel")
        self.recurrent_kernel = self.add_weight(shape=(self.units, self.units), name="rk")

    def call(self, inputs, states):
        h = ops.matmul(inputs, self.kernel) + ops.matmul(states[0], self.recurrent_kernel)
        return h, [h]


def test_rnn_with_custom_cell_matches_numpy():
    layer = layers.RNN(MinimalCell(5), return_sequences=True, go_backwards=True)
    got = layer(X)
    k, rk = layer.get_weights()
    want, _ = np_rnn(lambda x, s: (x @ k + s[0] @ rk,) * 1 + ([x @ k + s[0] @ rk],), X,
                     zeros(1), go_backwards=True)
    np.testing.assert_allclose(np_(got), want, rtol=1e-5, atol=1e-5)
    with pytest.raises(ValueError, match="state_size"):
        layers.RNN(layers.Dense(3))


def test_stacked_cells_equal_stacked_layers():
    stacked = layers.RNN([layers.LSTMCell(5), layers.GRUCell(4)], return_state=True)
    out, (h1, c1), h2 = stacked(X, mask=MASK)
    first = layers.LSTM(5, return_sequences=True)
    second = layers.GRU(4)
    first(X)
    w = stacked.get_weights()
    first.set_weights(w[:3])
    second(np_(first(X)))
    second.set_weights(w[3:])
    want = second(first(X, mask=MASK), mask=MASK)
    np.testing.assert_allclose(np_(out), np_(want), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(np_(h2), np_(want), rtol=1e-5, atol=1e-6)
    assert np_(c1).shape == (3, 5)


@pytest.mark.parametrize("merge_mode", ["concat", "sum", "ave", "mul", None])
def test_bidirectional_merges_forward_and_flipped_backward(merge_mode):
    bi = layers.Bidirectional(layers.SimpleRNN(5, return_sequences=True), merge_mode=merge_mode)
    got = bi(X)
    fw = layers.SimpleRNN(5, return_sequences=True)
    bw = layers.SimpleRNN(5, return_sequences=True, go_backwards=True)
    fw(X), bw(X)
    w = bi.get_weights()
    fw.set_weights(w[:3])
    bw.set_weights(w[3:])
    y, y_rev = np_(fw(X)), np_(bw(X))[:, ::-1]
    want = {"concat": lambda: np.concatenate([y, y_rev], -1), "sum": lambda: y + y_rev,
            "ave": lambda: (y + y_rev) / 2, "mul": lambda: y * y_rev,
            None: lambda: [y, y_rev]}[merge_mode]()
    if merge_mode is None:
        for g, w_ in zip(got, want):
            np.testing.assert_allclose(np_(g), w_, rtol=1e-5, atol=1e-6)
    else:
        np.testing.assert_allclose(np_(got), want, rtol=1e-5, atol=1e-6)


def test_bidirectional_return_state_and_errors():
    bi = layers.Bidirectional(layers.LSTM(5, return_state=True))
    out = bi(X)
    assert [tuple(ops.shape(t)) for t in out] == [(3, 10)] + [(3, 5)] * 4
    with pytest.raises(ValueError, match="merge_mode"):
        layers.Bidirectional(layers.LSTM(2), merge_mode="max")
    with pytest.raises(ValueError, match="Layer instance"):
        layers.Bidirectional("lstm")


def test_time_distributed_applies_layer_per_step():
    dense = layers.Dense(3)
    td = layers.TimeDistributed(dense)
    got = td(X)
    k, b = dense.get_weights()
    np.testing.assert_allclose(np_(got), X @ k + b, rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="TimeDistributed.*rank 3"):
        layers.TimeDistributed(layers.Dense(3))(X[:, 0])


def test_errors_name_layer_and_shapes():
    lstm = layers.LSTM(5, name="my_lstm")
    with pytest.raises(ValueError, match=r'"my_lstm" expects inputs of shape \(batch, '
                       r'timesteps, features\), received input shape \(3, 4\)'):
        lstm(X[:, 0])
    with pytest.raises(ValueError, match="expects 2 initial state"):
        layers.LSTM(5)(X, initial_state=[np.zeros((3, 5), "float32")])
    with pytest.raises(ValueError, match="units"):
        layers.GRU(0)
    with pytest.raises(ValueError, match="dropout"):
        layers.LSTM(3, dropout=1.5)
    with pytest.raises(ValueError, match="static batch size"):
        keras.Sequential([keras.Input((6, 4)), layers.LSTM(3, stateful=True)])


@pytest.mark.parametrize("make", [
    lambda: layers.SimpleRNN(4, activation="relu", return_sequences=True, dropout=0.1),
    lambda: layers.LSTM(4, go_backwards=True, unit_forget_bias=False, return_state=True),
    lambda: layers.GRU(4, reset_after=False, recurrent_activation="hard_sigmoid"),
    lambda: layers.RNN(layers.LSTMCell(3), return_sequences=True),
    lambda: layers.RNN([layers.SimpleRNNCell(3), layers.GRUCell(2)]),
    lambda: layers.Bidirectional(layers.GRU(3, return_sequences=True), merge_mode="ave"),
    lambda: layers.TimeDistributed(layers.Dense(2, activation="relu")),
    lambda: layers.LSTMCell(3, recurrent_dropout=0.2),
])
def test_config_round_trip(make):
    layer = make()
    config = layer.get_config()
    clone = type(layer).from_config(config)
    assert clone.get_config() == {**config, "name": clone.name} or clone.get_config() == config


def test_symbolic_shapes_and_models_train():
    inputs = keras.Input((6, 4))
    seq = layers.Bidirectional(layers.LSTM(5, return_sequences=True))(inputs)
    seq = layers.TimeDistributed(layers.Dense(3))(seq)
    out, h = layers.GRU(4, return_state=True)(seq)
    assert seq.shape == (None, 6, 3) and out.shape == (None, 4) and h.shape == (None, 4)
    model = keras.Model(inputs, layers.Dense(1)(out))
    y = X.sum(axis=(1, 2))[:, None]
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="mse")
    first = model.evaluate(X, y, verbose=0)
    model.fit(X, y, epochs=15, batch_size=3, verbose=0)
    assert model.evaluate(X, y, verbose=0) < 0.5 * first
    np.testing.assert_allclose(np_(model.predict(X, verbose=0)), np_(model(X)), rtol=1e-5,
                               atol=1e-5)


def test_subclassed_model_with_rnn_trains():
    class Model(keras.Model):
        def __init__(self):
            super().__init__()
            self.rnn = layers.SimpleRNN(4)
            self.out = layers.Dense(1)

        def call(self, x):
            return self.out(self.rnn(x))

    model = Model()
    y = X[:, -1, :1]
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="mse")
    first = model.evaluate(X, y, verbose=0)
    model.fit(X, y, epochs=15, batch_size=3, verbose=0)
    assert model.evaluate(X, y, verbose=0) < 0.5 * first


def test_stateful_model_fits_and_carries_state_in_compiled_steps():
    model = keras.Sequential([keras.Input((6, 4), batch_size=3),
                              layers.LSTM(4, stateful=True, dropout=0.2), layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    model.fit(X, X[:, -1, :1], batch_size=3, epochs=2, verbose=0, shuffle=False)
    lstm = model.layers[0]
    assert len(model.weights) == 5 and len(model.non_trainable_variables) == 3
    assert np.abs(lstm.states[0].numpy()).sum() > 0
    first = model.predict(X, batch_size=3, verbose=0)
    assert not np.allclose(first, model.predict(X, batch_size=3, verbose=0))
    lstm.reset_states()
    again = model.predict(X, batch_size=3, verbose=0)
    lstm.reset_states()
    np.testing.assert_allclose(model.predict(X, batch_size=3, verbose=0), again, rtol=1e-6)
