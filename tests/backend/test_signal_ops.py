"""Signal ops (keras.ops.math) beyond the NumPy cases: agreement with the installed keras
for stft/istft, gradients, compiled use, symbolic shapes, and bad-argument messages."""
import numpy as np
import pytest

import kfront
from kfront import config, ops

_rng = np.random.default_rng(4)
SIG = _rng.normal(size=(2, 50)).astype("float32")
RE = _rng.normal(size=(2, 8)).astype("float32")
IM = _rng.normal(size=(2, 8)).astype("float32")


def _np(x):
    return np.asarray(ops.convert_to_numpy(x), np.float64)


@pytest.mark.slow
@pytest.mark.parametrize("args,kwargs", [
    ((16, 4, 16), {}),
    ((10, 5, 16), {"window": "hamming", "center": False}),
    ((8, 8, 8), {"window": None}),
    ((12, 3, 16), {"length": 37}),
])
def test_stft_and_istft_match_installed_keras(args, kwargs):
    import keras  # the reference (TensorFlow backend)
    forward = {k: v for k, v in kwargs.items() if k != "length"}
    want = keras.ops.stft(SIG, *args, **forward)
    got = ops.stft(SIG, *args, **forward)
    for g, w in zip(got, want):
        np.testing.assert_allclose(_np(g), np.asarray(w), rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(_np(ops.istft(got, *args, **kwargs)),
                               np.asarray(keras.ops.istft(want, *args, **kwargs)),
                               rtol=1e-4, atol=1e-4)


def test_rfft_gradient_matches_finite_differences():
    v = kfront.Variable(RE[0])
    weights = _rng.normal(size=(5,)).astype("float32")

    def loss(x):
        real, imag = ops.rfft(x)
        return ops.sum(ops.multiply(ops.square(real) + ops.square(imag), weights))

    _, (grad,) = kfront.backend.value_and_grad(lambda: loss(v), [v])

    def reference(x):
        return np.sum(np.abs(np.fft.rfft(x)) ** 2 * weights)

    x, eps = RE[0].astype(np.float64), 1e-4
    numeric = np.array([(reference(x + eps * e) - reference(x - eps * e)) / (2 * eps)
                        for e in np.eye(8)])
    np.testing.assert_allclose(_np(grad), numeric, rtol=1e-3, atol=1e-3)


def test_signal_ops_run_inside_a_compiled_function():
    def fn(x, re, im):
        return ops.stft(x, 16, 4, 16) + ops.fft((re, im)) + (ops.irfft((re, im)),)

    if config.backend() == "jax":
        import jax
        compiled = jax.jit(fn)
    elif config.backend() == "tensorflow":
        import tensorflow as tf
        compiled = tf.function(fn)
    else:
        pytest.skip("torch runs eagerly; the eager results are the conformance cases")
    for got, want in zip(compiled(SIG, RE, IM), fn(SIG, RE, IM)):
        np.testing.assert_allclose(_np(got), _np(want), rtol=1e-5, atol=1e-5)


def test_symbolic_calls_infer_shapes():
    x = kfront.Input(shape=(50,))
    real, imag = ops.stft(x, 16, 4, 16)
    assert tuple(real.shape) == (None, 13, 9) and tuple(imag.shape) == (None, 13, 9)
    assert tuple(ops.extract_sequences(x, 10, 5).shape) == (None, 9, 10)
    back = ops.istft((real, imag), 16, 4, 16, length=50)
    assert tuple(back.shape) == (None, 50)
    model = kfront.Model(x, back)
    np.testing.assert_allclose(_np(model.predict(SIG, verbose=0))[:, 8:-8], SIG[:, 8:-8],
                               rtol=1e-4, atol=1e-4)


def test_window_functions_are_floatx_and_top_level():
    assert ops.dtype(ops.hanning(4)) == "float32"
    assert ops.math.kaiser is ops.kaiser and "stft" in ops.math.__all__
    assert tuple(ops.shape(ops.bartlett(0))) == (0,)


@pytest.mark.parametrize("call,error,message", [
    (lambda: ops.fft(RE), ValueError, r"fft: `x` must be a tuple \(real, imag\)"),
    (lambda: ops.fft((RE, IM[:, :4])), ValueError,
     r"fft: the real and imaginary parts must have the same shape; received \(2, 8\) and "
     r"\(2, 4\)"),
    (lambda: ops.fft2((RE[0], IM[0])), ValueError, r"fft2: `x` must have rank >= 2"),
    (lambda: ops.irfft((RE.astype("int32"), IM.astype("int32"))), ValueError,
     r"irfft: the real and imaginary parts must be float tensors; received dtype int32"),
    (lambda: ops.view_as_complex(np.ones((3, 3), "float32")), ValueError,
     r"view_as_complex: the last axis of `x` must have size 2"),
    (lambda: ops.stft(SIG.astype("int32"), 8, 4, 8), TypeError,
     r"stft: `x` must be float32 or float64; received dtype int32"),
    (lambda: ops.stft(SIG, 16, 4, 8), ValueError, r"stft: `fft_length` must be >= "
                                                   r"`sequence_length`"),
    (lambda: ops.stft(SIG, 8, 4, 8, window="blackman"), ValueError,
     r"stft: a string `window` must be 'hann' or 'hamming'; received window='blackman'"),
    (lambda: ops.stft(SIG, 8, 4, 8, window=np.ones(5, "float32")), ValueError,
     r"stft: `window` must have shape \(sequence_length,\) = \(8,\); received \(5,\)"),
    (lambda: ops.istft(RE, 8, 4, 8), ValueError, r"istft: `x` must be a tuple \(real, imag\)"),
    (lambda: ops.istft((RE[0], IM[0]), 8, 4, 14), ValueError, r"istft: `x` must have rank >= 2"),
    (lambda: ops.extract_sequences(SIG, 60, 4), ValueError,
     r"extract_sequences: the last axis of `x` must be known and at least "
     r"`sequence_length`=60 long"),
    (lambda: ops.extract_sequences(SIG, 8, 0), ValueError,
     r"extract_sequences: `sequence_stride` must be a positive int; received "
     r"sequence_stride=0"),
    (lambda: ops.hanning(-1), ValueError, r"hanning: `x` must be a non-negative int"),
    (lambda: ops.kaiser(2.5, 1.0), ValueError, r"kaiser: `x` must be a non-negative int"),
])
def test_bad_arguments_raise_clear_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()
