"""The rest of keras.ops.nn beyond the NumPy cases: CTC against the installed Keras,
gradients by finite differences, symbolic shapes and argument errors."""
import warnings

import numpy as np
import pytest

import kfront as keras
from kfront import ops

rng = np.random.default_rng(3)


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


@pytest.fixture(scope="module")
def keras_ops():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import keras as reference
    return reference.ops


# ---------------------------------------------------------------------------------------------
# CTC against Keras 3 (TensorFlow backend: tf.nn.ctc_loss and tf.nn's decoders).

LOGITS = (rng.normal(size=(3, 8, 5)) * 2).astype("float32")
LENGTHS = np.array([8, 5, 2], "int32")


@pytest.mark.parametrize("mask_index", [0, 2, 4])
def test_ctc_loss_matches_keras(keras_ops, mask_index):
    target = rng.integers(0, 5, (3, 4)).astype("int32")
    target = np.where(target == mask_index, (mask_index + 1) % 5, target)
    target_length = np.array([4, 2, 1], "int32")
    output_length = np.array([8, 6, 3], "int32")
    want = np.asarray(keras_ops.ctc_loss(target, LOGITS, target_length, output_length,
                                         mask_index=mask_index))
    got = ops.ctc_loss(target, LOGITS, target_length, output_length, mask_index=mask_index)
    assert ops.dtype(got) == "float32"
    np.testing.assert_allclose(_np(got), want, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("merge_repeated", [True, False])
@pytest.mark.parametrize("mask_index", [0, 3])
def test_ctc_greedy_decode_matches_keras(keras_ops, merge_repeated, mask_index):
    want = keras_ops.ctc_decode(LOGITS, LENGTHS, merge_repeated=merge_repeated,
                                mask_index=mask_index)
    got = ops.ctc_decode(LOGITS, LENGTHS, merge_repeated=merge_repeated, mask_index=mask_index)
    assert ops.dtype(got[0]) == "int32" and ops.dtype(got[1]) == "float32"
    np.testing.assert_array_equal(_np(got[0]), np.asarray(want[0]))
    np.testing.assert_allclose(_np(got[1]), np.asarray(want[1]), rtol=1e-5)


@pytest.mark.parametrize("mask_index", [0, 2])
def test_ctc_beam_search_matches_keras(keras_ops, mask_index):
    # With beams wide enough, TensorFlow's decoder and a plain prefix beam search agree.
    want = keras_ops.ctc_decode(LOGITS, LENGTHS, strategy="beam_search", beam_width=10,
                                top_paths=3, mask_index=mask_index)
    got = ops.ctc_decode(LOGITS, LENGTHS, strategy="beam_search", beam_width=10, top_paths=3,
                         mask_index=mask_index)
    np.testing.assert_array_equal(_np(got[0]), np.asarray(want[0]))
    np.testing.assert_allclose(_np(got[1]), np.asarray(want[1]), rtol=1e-4, atol=1e-4)


# Keras 3.15 on its JAX backend (and NumPy backend) for LOGITS, LENGTHS with beam_width=3;
# its TensorFlow backend prunes narrow beams differently.
KERAS_JAX_NARROW_PATHS = [
    [[4, 3, 1, 2, -1, -1, -1, -1], [1, 2, 3, -1, -1, -1, -1, -1], [3, -1, -1, -1, -1, -1, -1, -1]],
    [[4, 1, 2, -1, -1, -1, -1, -1], [1, 3, -1, -1, -1, -1, -1, -1], [2, 3, -1, -1, -1, -1, -1, -1]],
]
KERAS_JAX_NARROW_SCORES = [[-2.1305447, -2.8231492], [-2.7796328, -2.7822404],
                           [-0.29309267, -2.4445102]]


def test_ctc_beam_search_narrow_beam_matches_keras_jax_backend():
    paths, scores = ops.ctc_decode(LOGITS, LENGTHS, strategy="beam_search", beam_width=3,
                                   top_paths=2)
    np.testing.assert_array_equal(_np(paths), np.array(KERAS_JAX_NARROW_PATHS))
    np.testing.assert_allclose(_np(scores), np.array(KERAS_JAX_NARROW_SCORES), rtol=1e-5)


def test_ctc_decode_runs_in_a_compiled_predict_step():
    # predict compiles its step (jax.jit, tf.function with an unknown batch size).
    logits, lengths = keras.Input((8, 5)), keras.Input((), dtype="int32")
    scores = ops.ctc_decode(logits, lengths, strategy="beam_search", beam_width=4,
                            top_paths=2)[1]
    model = keras.Model([logits, lengths], scores)
    got = model.predict([LOGITS, LENGTHS], batch_size=2, verbose=0)
    want = ops.ctc_decode(LOGITS, LENGTHS, strategy="beam_search", beam_width=4, top_paths=2)
    np.testing.assert_allclose(got, _np(want[1]), rtol=1e-5)


# ---------------------------------------------------------------------------------------------
# Gradients by central finite differences (float64 NumPy perturbations of float32 inputs).

def _numeric_grad(fn, x, eps=1e-2):
    grad = np.zeros_like(x, dtype="float64")
    for idx in np.ndindex(x.shape):
        up, down = x.copy(), x.copy()
        up[idx] += eps
        down[idx] -= eps
        grad[idx] = (float(_np(fn(up))) - float(_np(fn(down)))) / (2 * eps)
    return grad


def _autodiff_grad(fn, x):
    var = keras.Variable(x)
    _, grads = keras.backend.value_and_grad(lambda: fn(var), [var])
    return _np(grads[0])


WEIGHTS = rng.normal(size=(2, 4)).astype("float32")


def _sparsemax_objective(x):
    return ops.sum(ops.multiply(ops.sparsemax(x), WEIGHTS))


def test_sparsemax_gradient_matches_finite_differences():
    x = np.array([[0.9, 0.5, -0.4, 0.45], [0.1, 1.4, 0.0, 1.2]], "float32")
    np.testing.assert_allclose(_autodiff_grad(_sparsemax_objective, x),
                               _numeric_grad(_sparsemax_objective, x), rtol=1e-2, atol=1e-3)


CTC_TARGET = np.array([[1, 2], [2, 2]], "int32")


def _ctc_objective(logits):
    return ops.sum(ops.ctc_loss(CTC_TARGET, logits, np.array([2, 2], "int32"),
                                np.array([5, 4], "int32")))


def test_ctc_loss_gradient_matches_finite_differences():
    logits = rng.normal(size=(2, 5, 3)).astype("float32")
    np.testing.assert_allclose(_autodiff_grad(_ctc_objective, logits),
                               _numeric_grad(_ctc_objective, logits, eps=1e-2),
                               rtol=2e-2, atol=2e-3)


# ---------------------------------------------------------------------------------------------
# Properties, symbolic calls, dtypes.

def test_sparsemax_rows_are_probabilities():
    out = _np(ops.sparsemax(rng.normal(size=(6, 7)).astype("float32") * 3))
    np.testing.assert_allclose(out.sum(-1), 1.0, rtol=1e-5)
    assert (out >= 0).all() and (out == 0).any()


def test_fold_inverts_unfold_for_disjoint_blocks():
    x = rng.normal(size=(2, 3, 4, 6)).astype("float32")
    back = ops.fold(ops.unfold(x, 2, stride=2), (4, 6), 2, stride=2)
    np.testing.assert_allclose(_np(back), x, rtol=1e-6)


def test_space_to_depth_inverts_depth_to_space():
    for fmt, shape in (("channels_last", (2, 2, 3, 12)), ("channels_first", (2, 12, 2, 3))):
        x = rng.normal(size=shape).astype("float32")
        np.testing.assert_array_equal(
            _np(ops.space_to_depth(ops.depth_to_space(x, 2, fmt), 2, fmt)), x)


@pytest.mark.parametrize("call, shape", [
    (lambda t: ops.glu(t), (None, 3, 2)),
    (lambda t: ops.sparsemax(t, axis=1), (None, 3, 4)),
    (lambda t: ops.adaptive_average_pool(t[..., None], 2), (None, 2, 2, 1)),
    (lambda t: ops.depth_to_space(t[:, :2, :, None] * ops.ones((1, 1, 1, 4)), 2),
     (None, 4, 8, 1)),
])
def test_symbolic_calls_infer_shapes(call, shape):
    out = call(keras.Input((3, 4)))
    assert tuple(out.shape) == shape


def test_layer_normalization_rms_scaling_warns_and_scales_by_variance():
    x = rng.normal(size=(2, 5)).astype("float32")
    with pytest.warns(UserWarning, match="rms_scaling"):
        out = ops.layer_normalization(x, rms_scaling=True)
    np.testing.assert_allclose(_np(out), x / np.sqrt(x.var(-1, keepdims=True) + 1e-7),
                               rtol=1e-4)


# ---------------------------------------------------------------------------------------------
# Argument errors.

X4 = np.zeros((1, 4, 4, 8), "float32")


@pytest.mark.parametrize("call, error, match", [
    (lambda: ops.glu(np.zeros((2, 3))), ValueError, r"divisible by 2.*x.shape=\(2, 3\)"),
    (lambda: ops.sparsemax(np.zeros((2, 3)), axis=2), ValueError, r"`axis`.*axis=2"),
    (lambda: ops.normalize(np.ones(3), order=0), ValueError, r"`order` must be an int >= 1"),
    (lambda: ops.normalize(np.ones(3), order=1.5), ValueError, r"order=1.5"),
    (lambda: ops.psnr(np.ones((2, 2)), np.ones((2, 3)), 1.0), ValueError,
     r"\(2, 2\) and \(2, 3\) must match"),
    (lambda: ops.multi_hot([1, 2]), ValueError, r"`num_classes` must be specified"),
    (lambda: ops.multi_hot([1, 2], 3, sparse=True), ValueError, r"sparse=True"),
    (lambda: ops.multi_hot([1, 2], 3, bogus=1), TypeError, r"bogus"),
    (lambda: ops.layer_normalization(np.ones((2, 2)), bogus=1), TypeError, r"bogus"),
    (lambda: ops.adaptive_max_pool(np.ones((2, 3)), 2), ValueError, r"rank 3, 4 or 5"),
    (lambda: ops.adaptive_max_pool(X4, (2, 2, 2)), ValueError, r"output_size=\(2, 2, 2\)"),
    (lambda: ops.adaptive_average_pool(X4, 0), ValueError, r"`output_size`.*>= 1"),
    (lambda: ops.adaptive_average_pool(X4, 2, data_format="nhwc"), ValueError,
     r"data_format='nhwc'"),
    (lambda: ops.unfold(np.ones((2, 3, 4)), 2), ValueError, r"4D tensor.*\(2, 3, 4\)"),
    (lambda: ops.unfold(X4, 5), ValueError, r"does not fit"),
    (lambda: ops.fold(np.ones((1, 6, 4)), (3, 3), 2), ValueError, r"divisible by the "
     r"kernel_size product \(4\)"),
    (lambda: ops.fold(np.ones((1, 8, 5)), (3, 3), 2), ValueError, r"expected 4 blocks"),
    (lambda: ops.depth_to_space(X4, 1), ValueError, r"`block_size` must be an int of at "
     r"least 2.*block_size=1"),
    (lambda: ops.depth_to_space(X4, 3), ValueError, r"channels \(8\).*block_size\*\*2 \(9\)"),
    (lambda: ops.space_to_depth(X4[:, :3], 2), ValueError, r"height \(3\)"),
    (lambda: ops.space_to_depth(np.ones((4, 4)), 2), ValueError, r"4D input"),
    (lambda: ops.ctc_decode(LOGITS, LENGTHS, strategy="best"), ValueError,
     r"invalid strategy 'best'"),
    (lambda: ops.ctc_decode(LOGITS, LENGTHS, strategy="beam_search", beam_width=2, top_paths=3),
     ValueError, r"`top_paths` must be <= `beam_width`"),
    (lambda: ops.ctc_decode(LOGITS, LENGTHS, mask_index=7), ValueError, r"mask_index=7"),
    (lambda: ops.ctc_decode(LOGITS[0], LENGTHS), ValueError, r"\(batch, steps, classes\)"),
])
def test_bad_arguments_raise_clear_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()
