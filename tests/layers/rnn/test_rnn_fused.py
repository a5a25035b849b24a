"""LSTM and GRU through the engine's fused kernel (torch, TensorFlow) give the loop's numbers
and the real Keras 3 layers' numbers; the loop runs wherever the fused kernel does not apply."""
import os
import sys

import numpy as np
import pytest

import kfront as keras
from kfront import config, layers, ops

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "convolutional"))
from conv_pool_reference import keras_outputs  # noqa: E402

RNG = np.random.default_rng(23)
X = RNG.normal(size=(3, 7, 4)).astype("float32")
TOL = dict(rtol=1e-5, atol=1e-6)
# The engines whose adapter provides the fused ``lstm``/``gru`` kernels.
FUSED_ENGINES = ("torch", "tensorflow")


def np_(t):
    return np.asarray(ops.convert_to_numpy(t))


def _pair(make):
    """The same layer twice, with equal non-trivial weights: fused (auto) and the loop."""
    fused, loop = make(use_cudnn="auto"), make(use_cudnn=False)
    fused(X)
    loop(X)
    weights = [w + RNG.normal(scale=0.3, size=w.shape).astype("float32")
               for w in fused.get_weights()]
    fused.set_weights(weights)
    loop.set_weights(weights)
    return fused, loop


def _value_and_grads(layer, x):
    xv = keras.Variable(x)

    def loss():
        out = layer(xv.value)
        out = out[0] if isinstance(out, list) else out
        return ops.sum(out * ops.sin(out)), out

    (_, out), grads = keras.backend.value_and_grad(loss, [xv] + layer.trainable_weights,
                                                   has_aux=True)
    return np_(out), [np_(g) for g in grads]


CASES = {
    "lstm_seq": lambda **k: layers.LSTM(5, return_sequences=True, **k),
    "lstm_backwards_state": lambda **k: layers.LSTM(5, go_backwards=True, return_state=True,
                                                    **k),
    "lstm_no_bias": lambda **k: layers.LSTM(3, use_bias=False, **k),
    "gru_seq": lambda **k: layers.GRU(5, return_sequences=True, **k),
    "gru_backwards_state": lambda **k: layers.GRU(4, go_backwards=True, return_state=True, **k),
    "gru_no_bias": lambda **k: layers.GRU(3, use_bias=False, return_sequences=True, **k),
}


@pytest.mark.parametrize("case", list(CASES))
def test_fused_equals_loop_outputs_and_gradients(case):
    if config.backend() not in FUSED_ENGINES:
        pytest.skip("no fused kernels on this engine: both layers run the same loop")
    fused, loop = _pair(CASES[case])
    out_f, grads_f = _value_and_grads(fused, X)
    out_l, grads_l = _value_and_grads(loop, X)
    np.testing.assert_allclose(out_f, out_l, **TOL)
    for gf, gl in zip(grads_f, grads_l):
        np.testing.assert_allclose(gf, gl, rtol=1e-5, atol=1e-5)
    if case.endswith("state"):
        for a, b in zip(fused(X), loop(X)):
            np.testing.assert_allclose(np_(a), np_(b), **TOL)


def test_fused_path_is_taken_only_for_the_standard_case():
    from kfront.layers.rnn._fused import fused_kernel
    has_kernel = config.backend() in FUSED_ENGINES
    lstm = layers.LSTM(3)
    lstm(X)
    assert (fused_kernel(lstm, "lstm", False, None) is not None) == has_kernel
    assert fused_kernel(lstm, "lstm", False, np.ones((3, 7), bool)) is None
    assert fused_kernel(layers.LSTM(3, activation="relu"), "lstm", False, None) is None
    assert fused_kernel(layers.LSTM(3, dropout=0.5), "lstm", True, None) is None
    assert fused_kernel(layers.LSTM(3, dropout=0.5), "lstm", False, None) is not None \
        or not has_kernel
    assert fused_kernel(layers.GRU(3, use_cudnn=False), "gru", False, None) is None


def test_stateful_fused_lstm_carries_state():
    fused, loop = _pair(lambda **k: layers.LSTM(4, stateful=True, **k))
    fused.reset_states()
    loop.reset_states()
    for _ in range(2):
        np.testing.assert_allclose(np_(fused(X)), np_(loop(X)), **TOL)


KERAS_CASES = {
    "lstm_seq": ("LSTM", dict(units=5, return_sequences=True)),
    "lstm_backwards": ("LSTM", dict(units=4, go_backwards=True)),
    "gru_seq": ("GRU", dict(units=5, return_sequences=True)),
    "gru_backwards": ("GRU", dict(units=3, go_backwards=True)),
}


def test_matches_real_keras(tmp_path):
    if config.backend() != "torch":
        pytest.skip("compared with real Keras once, in the torch session; the parity suite "
                    "holds the other engines to its numbers")
    cases, mine = {}, {}
    for case_id, (cls, kwargs) in KERAS_CASES.items():
        layer = getattr(layers, cls)(**kwargs)
        layer(X)
        weights = [w + RNG.normal(scale=0.3, size=w.shape).astype("float32")
                   for w in layer.get_weights()]
        layer.set_weights(weights)
        mine[case_id] = np_(layer(X))
        cases[case_id] = (cls, kwargs, X, weights)
    theirs = keras_outputs(cases, tmp_path)
    for case_id in KERAS_CASES:
        np.testing.assert_allclose(mine[case_id], theirs[case_id], **TOL, err_msg=case_id)
