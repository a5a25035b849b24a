"""TensorFlow's fused LSTM/GRU kernels against a NumPy reference of Keras's formulas: the
recurrence unrolled whole (few time steps known while tracing), looped over blocks plus an
unrolled remainder (more steps), and looped step by step (steps unknown), under
``tf.function`` and eagerly; their hand-written gradients; 16-bit compute under mixed
precision."""
import importlib

import numpy as np
import pytest

import kfront as keras
from kfront import config, layers, ops

pytestmark = pytest.mark.skipif(config.backend() != "tensorflow",
                                reason="TensorFlow adapter kernels")

RNG = np.random.default_rng(5)
B, T, F, U = 2, 6, 3, 4
X = RNG.normal(size=(B, T, F)).astype("float32")
TOL = dict(rtol=1e-5, atol=1e-6)


def _kernels():
    # The module, not the package's ``rnn`` function of the same name.
    return importlib.import_module("kfront.backends.tensorflow.rnn_fused")


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def np_lstm(x, h, c, k, rk, b, go_backwards):
    """Keras's LSTM step by step in float64: gates i, f, c, o."""
    outs = []
    for t in (reversed(range(x.shape[1])) if go_backwards else range(x.shape[1])):
        z = x[:, t] @ k + h @ rk + (0 if b is None else b)
        i, f, g, o = np.split(z, 4, axis=-1)
        c = _sigmoid(f) * c + _sigmoid(i) * np.tanh(g)
        h = _sigmoid(o) * np.tanh(c)
        outs.append(h)
    return h, np.stack(outs, 1), [h, c]


def np_gru(x, h, k, rk, b, go_backwards):
    """Keras's GRU (reset_after=True) step by step in float64: gates z, r, h."""
    outs = []
    for t in (reversed(range(x.shape[1])) if go_backwards else range(x.shape[1])):
        xp = x[:, t] @ k + (0 if b is None else b[0])
        inner = h @ rk + (0 if b is None else b[1])
        x_z, x_r, x_h = np.split(xp, 3, axis=-1)
        r_z, r_r, r_h = np.split(inner, 3, axis=-1)
        z, r = _sigmoid(x_z + r_z), _sigmoid(x_r + r_r)
        h = z * h + (1 - z) * np.tanh(x_h + r * r_h)
        outs.append(h)
    return h, np.stack(outs, 1), [h]


def _weights(gates, bias_shape):
    k = RNG.normal(scale=0.5, size=(F, gates * U)).astype("float32")
    rk = RNG.normal(scale=0.5, size=(U, gates * U)).astype("float32")
    b = RNG.normal(scale=0.5, size=bias_shape).astype("float32")
    return k, rk, b


def _use_blocks(monkeypatch):
    """Blocks of 4 steps: T=6 runs one looped block and an unrolled remainder of 2."""
    monkeypatch.setattr(_kernels(), "UNROLL_MAX_STEPS", 0)
    monkeypatch.setattr(_kernels(), "BLOCK_STEPS", 4)


def _run(kind, how, go_backwards, use_bias=True):
    import tensorflow as tf
    rnn = _kernels()

    h0 = RNG.normal(size=(B, U)).astype("float32")
    c0 = RNG.normal(size=(B, U)).astype("float32")
    if kind == "lstm":
        k, rk, b = _weights(4, (4 * U,))
        b = b if use_bias else None
        args = (h0, c0, k, rk, b)
        want = np_lstm(X.astype("float64"), h0, c0, k, rk, b, go_backwards)
    else:
        k, rk, b = _weights(3, (2, 3 * U))
        b = b if use_bias else None
        args = (h0, k, rk, b)
        want = np_gru(X.astype("float64"), h0, k, rk, b, go_backwards)
    kernel = getattr(rnn, kind)

    def call(x):
        return kernel(x, *args, go_backwards=go_backwards)

    if how == "unknown_steps":
        # Batch and time unknown while tracing: the while_loop recurrence.
        call = tf.function(call, input_signature=[tf.TensorSpec([None, None, F], tf.float32)])
    elif how == "blocks":
        # Steps known, batch unknown while tracing.
        call = tf.function(call, input_signature=[tf.TensorSpec([None, T, F], tf.float32)])
    elif how == "traced":
        call = tf.function(call)
    return call(tf.constant(X)), want


@pytest.mark.parametrize("kind", ["lstm", "gru"])
@pytest.mark.parametrize("how,go_backwards,use_bias", [
    ("eager", False, True), ("traced", True, True), ("blocks", True, True),
    ("unknown_steps", False, True), ("unknown_steps", True, False)])
def test_kernel_matches_numpy_reference(kind, how, go_backwards, use_bias, monkeypatch):
    if how == "blocks":
        _use_blocks(monkeypatch)
    (last, outputs, states), (w_last, w_outputs, w_states) = _run(kind, how, go_backwards,
                                                                   use_bias)
    assert tuple(outputs.shape) == (B, T, U)
    np.testing.assert_allclose(outputs.numpy(), w_outputs, **TOL)
    np.testing.assert_allclose(last.numpy(), w_last, **TOL)
    assert len(states) == len(w_states)
    for s, w in zip(states, w_states):
        np.testing.assert_allclose(s.numpy(), w, **TOL)


def _tf_reference(kind, x, states, k, rk, b):
    """Keras's formula step by step in TensorFlow ops, differentiated by the tape."""
    import tensorflow as tf
    h, outs = states[0], []
    c = states[-1]
    for t in reversed(range(T)):
        if kind == "lstm":
            i, f, g, o = tf.split(x[:, t] @ k + h @ rk + b, 4, axis=-1)
            c = tf.sigmoid(f) * c + tf.sigmoid(i) * tf.tanh(g)
            h = tf.sigmoid(o) * tf.tanh(c)
        else:
            x_z, x_r, x_h = tf.split(x[:, t] @ k + b[0], 3, axis=-1)
            r_z, r_r, r_h = tf.split(h @ rk + b[1], 3, axis=-1)
            z, r = tf.sigmoid(x_z + r_z), tf.sigmoid(x_r + r_r)
            h = z * h + (1 - z) * tf.tanh(x_h + r * r_h)
        outs.append(h)
    return h, tf.stack(outs, 1), [h, c] if kind == "lstm" else [h]


@pytest.mark.parametrize("kind", ["lstm", "gru"])
@pytest.mark.parametrize("use", ["sequence_and_state", "last_output"])
def test_gradients_match_autodiff_for_every_recurrence(kind, use, monkeypatch):
    """The hand-written backward pass against the tape differentiating the formula, for the
    unrolled, blocked and step-by-step recurrences (go_backwards)."""
    import tensorflow as tf
    rnn = _kernels()
    k, rk, b = [tf.constant(w) for w in
                _weights(4 if kind == "lstm" else 3, (4 * U,) if kind == "lstm" else (2, 3 * U))]
    states = [tf.constant(RNG.normal(size=(B, U)).astype("float32"))
              for _ in range(2 if kind == "lstm" else 1)]
    sources = [k, rk, b] + states

    def grads(fn, x):
        with tf.GradientTape() as tape:
            tape.watch([x] + sources)
            last, outputs, final = fn(x, states, k, rk, b)
            if use == "last_output":
                value = tf.reduce_sum(tf.sin(last))
            else:
                value = tf.reduce_sum(outputs * tf.sin(outputs)) + tf.reduce_sum(final[-1] ** 2)
        return tape.gradient(value, [x] + sources)

    def fused(x, states, k, rk, b):
        return getattr(rnn, kind)(x, *states, k, rk, b, go_backwards=True)

    want = grads(lambda x, *a: _tf_reference(kind, x, *a), tf.constant(X))
    got = {"unrolled": tf.function(lambda x: grads(fused, x))(tf.constant(X)),
           "unknown_steps": tf.function(
               lambda x: grads(fused, x),
               input_signature=[tf.TensorSpec([None, None, F], tf.float32)])(tf.constant(X))}
    _use_blocks(monkeypatch)
    got["blocks"] = tf.function(lambda x: grads(fused, x))(tf.constant(X))
    for how, values in got.items():
        for w, g in zip(want, values):
            np.testing.assert_allclose(g.numpy(), w.numpy(), rtol=1e-5, atol=1e-5, err_msg=how)


@pytest.mark.parametrize("policy,atol", [("mixed_float16", 5e-3), ("mixed_bfloat16", 4e-2)])
def test_mixed_precision_fused_matches_loop(policy, atol):
    for make in (lambda **k: layers.LSTM(U, return_sequences=True, **k),
                 lambda **k: layers.GRU(U, go_backwards=True, **k)):
        fused, loop = make(dtype=policy), make(dtype=policy, use_cudnn=False)
        fused(X)
        loop(X)
        loop.set_weights(fused.get_weights())
        out_f, out_l = fused(X), loop(X)
        compute = policy.split("_")[1]
        assert keras.backend.standardize_dtype(out_f.dtype) == compute
        assert keras.backend.standardize_dtype(out_l.dtype) == compute
        np.testing.assert_allclose(np.asarray(ops.convert_to_numpy(out_f), "float32"),
                                   np.asarray(ops.convert_to_numpy(out_l), "float32"),
                                   atol=atol)


def test_fit_compiled_equals_eager_and_loop():
    """Fused layers train to the loop's weights, in a tf.function (23 steps: two looped
    blocks and an unrolled remainder; a last, smaller batch retraces with a relaxed batch
    dimension) and eagerly."""
    x = RNG.normal(size=(5, 23, F)).astype("float32")
    y = RNG.normal(size=(5, 1)).astype("float32")
    results = []
    for use_cudnn, run_eagerly in (("auto", False), ("auto", True), (False, False)):
        keras.utils.set_random_seed(3)
        model = keras.Sequential([
            keras.Input((23, F)), layers.GRU(U, return_sequences=True, use_cudnn=use_cudnn),
            layers.LSTM(U, go_backwards=True, use_cudnn=use_cudnn), layers.Dense(1)])
        model.compile(optimizer="sgd", loss="mse", run_eagerly=run_eagerly)
        history = model.fit(x, y, epochs=2, batch_size=3, verbose=0, shuffle=False)
        results.append((history.history["loss"], model.get_weights()))
    for losses, weights in results[1:]:
        np.testing.assert_allclose(losses, results[0][0], rtol=1e-5)
        for w, w0 in zip(weights, results[0][1]):
            np.testing.assert_allclose(w, w0, rtol=1e-5, atol=1e-6)
