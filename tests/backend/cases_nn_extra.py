"""Conformance cases for ``contract.NN_EXTRA_OPS`` and the nn_extra composites.

References are written here in NumPy (float64, rounded once to float32), from each op's
definition: loops over windows for pooling and (un)folding, per-index formulas for the
pixel shuffles, and for CTC a sum over every alignment of a short sequence.
"""
import itertools

import numpy as np

import kfront.ops as ops
from cases_core import X, X3, Exact, case, f32, i32, special
from kfront import config

f64 = np.float64
_rng = np.random.default_rng(11)
XN = X * 2  # spans [-4, 4]: both sides of every threshold below
x = XN.astype(f64)
EPS = config.epsilon()


def r(a):
    return np.asarray(a, f64).astype(f32)


def _sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


# ---------------------------------------------------------------------------------------------
# References.

def np_sparsemax(a, axis=-1):
    """Sparsemax by the sort-and-threshold rule, one slice at a time."""
    a = np.moveaxis(np.asarray(a, f64), axis, -1)
    out = np.empty_like(a)
    for idx in np.ndindex(a.shape[:-1]):
        z = np.sort(a[idx])[::-1]
        k = np.arange(1, z.size + 1)
        support = k[1 + k * z > np.cumsum(z)].max()
        tau = (z[:support].sum() - 1) / support
        out[idx] = np.maximum(a[idx] - tau, 0)
    return np.moveaxis(out, -1, axis)


def np_adaptive_pool(a, output_size, mode, data_format="channels_last"):
    a = np.asarray(a, f64)
    if data_format == "channels_first":
        a = np.moveaxis(a, 1, -1)
    spatial = a.shape[1:-1]
    out = np.empty((a.shape[0],) + tuple(output_size) + (a.shape[-1],))
    reduce = np.mean if mode == "average" else np.max
    for pos in np.ndindex(*output_size):
        window = tuple(slice((p * n) // o, -((-(p + 1) * n) // o))
                       for p, n, o in zip(pos, spatial, output_size))
        out[(slice(None),) + pos] = reduce(a[(slice(None),) + window], axis=tuple(
            range(1, len(spatial) + 1)))
    if data_format == "channels_first":
        out = np.moveaxis(out, -1, 1)
    return out


def np_unfold(a, k, d=(1, 1), p=(0, 0), s=(1, 1)):
    a = np.pad(a, ((0, 0), (0, 0), (p[0], p[0]), (p[1], p[1])))
    n, c, h, w = a.shape
    oh, ow = (h - d[0] * (k[0] - 1) - 1) // s[0] + 1, (w - d[1] * (k[1] - 1) - 1) // s[1] + 1
    out = np.zeros((n, c, k[0], k[1], oh, ow), a.dtype)
    for i, j, y, z in itertools.product(range(k[0]), range(k[1]), range(oh), range(ow)):
        out[:, :, i, j, y, z] = a[:, :, y * s[0] + i * d[0], z * s[1] + j * d[1]]
    return out.reshape(n, c * k[0] * k[1], oh * ow)


def np_fold(a, size, k, d=(1, 1), p=(0, 0), s=(1, 1)):
    n, ckk, _ = a.shape
    c = ckk // (k[0] * k[1])
    hp, wp = size[0] + 2 * p[0], size[1] + 2 * p[1]
    nh, nw = (hp - d[0] * (k[0] - 1) - 1) // s[0] + 1, (wp - d[1] * (k[1] - 1) - 1) // s[1] + 1
    blocks = a.reshape(n, c, k[0], k[1], nh, nw)
    out = np.zeros((n, c, hp, wp), a.dtype)
    for i, j, y, z in itertools.product(range(k[0]), range(k[1]), range(nh), range(nw)):
        out[:, :, y * s[0] + i * d[0], z * s[1] + j * d[1]] += blocks[:, :, i, j, y, z]
    return out[:, :, p[0]:p[0] + size[0], p[1]:p[1] + size[1]]


def np_depth_to_space(a, r_, data_format):
    if data_format == "channels_first":
        n, c, h, w = a.shape
        nc = c // (r_ * r_)
        out = np.empty((n, nc, h * r_, w * r_), a.dtype)
        for ch, y, z, i, j in itertools.product(range(nc), range(h), range(w), range(r_),
                                                range(r_)):
            out[:, ch, y * r_ + i, z * r_ + j] = a[:, ch * r_ * r_ + i * r_ + j, y, z]
        return out
    n, h, w, c = a.shape
    nc = c // (r_ * r_)
    out = np.empty((n, h * r_, w * r_, nc), a.dtype)
    for ch, y, z, i, j in itertools.product(range(nc), range(h), range(w), range(r_),
                                            range(r_)):
        out[:, y * r_ + i, z * r_ + j, ch] = a[:, y, z, (i * r_ + j) * nc + ch]
    return out


def np_space_to_depth(a, r_, data_format):
    if data_format == "channels_first":
        n, c, h, w = a.shape
        out = np.empty((n, c * r_ * r_, h // r_, w // r_), a.dtype)
        for ch, y, z, i, j in itertools.product(range(c), range(h // r_), range(w // r_),
                                                range(r_), range(r_)):
            out[:, ch * r_ * r_ + i * r_ + j, y, z] = a[:, ch, y * r_ + i, z * r_ + j]
        return out
    n, h, w, c = a.shape
    out = np.empty((n, h // r_, w // r_, c * r_ * r_), a.dtype)
    for ch, y, z, i, j in itertools.product(range(c), range(h // r_), range(w // r_),
                                            range(r_), range(r_)):
        out[:, y, z, (i * r_ + j) * c + ch] = a[:, y * r_ + i, z * r_ + j, ch]
    return out


def _log_softmax(a):
    a = np.asarray(a, f64)
    m = a.max(-1, keepdims=True)
    return a - m - np.log(np.exp(a - m).sum(-1, keepdims=True))


def collapse(path, blank):
    """The labeling a CTC alignment stands for: repeats merged, then blanks dropped."""
    out = []
    for t, c in enumerate(path):
        if c != blank and (t == 0 or c != path[t - 1]):
            out.append(int(c))
    return tuple(out)


def labeling_log_probs(logits, length, blank):
    """log P(labeling) for every labeling of one sample, summing all alignments."""
    logp = _log_softmax(logits[:length])
    totals = {}
    for path in itertools.product(range(logits.shape[-1]), repeat=length):
        p = np.exp(logp[np.arange(length), list(path)].sum())
        key = collapse(path, blank)
        totals[key] = totals.get(key, 0.0) + p
    return {k: np.log(v) for k, v in totals.items()}


def np_ctc_loss(target, logits, target_length, logits_length, blank=0):
    return np.array([-labeling_log_probs(logits[b], logits_length[b], blank)[
        tuple(int(v) for v in target[b, :target_length[b]])] for b in range(len(target))])


def np_greedy(logits, lengths, merge_repeated=True, blank=0):
    b, t, _ = logits.shape
    paths = np.full((1, b, t), -1, np.int32)
    scores = np.zeros((b, 1), f32)
    for i in range(b):
        best = logits[i, :lengths[i]].argmax(-1)
        scores[i, 0] = -logits[i, :lengths[i]].max(-1).astype(f64).sum()
        out = [int(c) for s, c in enumerate(best)
               if c != blank and not (merge_repeated and s and best[s - 1] == c)]
        paths[0, i, :len(out)] = out
    return paths, scores


def np_exact_top_paths(logits, lengths, top_paths, blank=0):
    """The ``top_paths`` most probable labelings: what a beam search wide enough to keep
    every prefix finds."""
    b, t, _ = logits.shape
    paths = np.full((top_paths, b, t), -1, np.int32)
    scores = np.zeros((b, top_paths), f32)
    for i in range(b):
        ranked = sorted(labeling_log_probs(logits[i], lengths[i], blank).items(),
                        key=lambda kv: -kv[1])[:top_paths]
        for k, (labels, score) in enumerate(ranked):
            paths[k, i, :len(labels)] = labels
            scores[i, k] = score
    return paths, scores


# ---------------------------------------------------------------------------------------------
# Inputs.

SM = np.array([[0.5, 0.4, -1.0, 0.1], [3.0, 0.2, 2.5, -2.0], [0.0, 0.0, 0.0, 0.0]], f32)
A1 = _rng.uniform(-1, 1, (2, 7, 3)).astype(f32)
A2 = _rng.uniform(-1, 1, (2, 7, 5, 3)).astype(f32)
A3 = _rng.uniform(-1, 1, (1, 5, 4, 3, 2)).astype(f32)
IMG = _rng.uniform(-1, 1, (2, 2, 5, 6)).astype(f32)
D2S = _rng.uniform(-1, 1, (2, 2, 3, 8)).astype(f32)
S2D = _rng.uniform(-1, 1, (2, 4, 6, 3)).astype(f32)
CTC_LOGITS = (_rng.normal(size=(3, 5, 4)) * 1.5).astype(f32)
CTC_TARGET = np.array([[1, 2, 0], [3, 3, 0], [2, 0, 0]], i32)
CTC_TARGET_LEN = np.array([2, 2, 0], i32)
CTC_LOGITS_LEN = np.array([5, 4, 3], i32)
CTC_TARGET_BLANK2 = np.array([[1, 3, 0], [0, 0, 3], [1, 0, 0]], i32)
CTC_TARGET_BLANK2_LEN = np.array([2, 3, 1], i32)
PRED = _rng.uniform(0, 1, (2, 4, 4, 1)).astype(f32)
TRUTH = _rng.uniform(0, 1, (2, 4, 4, 1)).astype(f32)
GAMMA = _rng.uniform(0.5, 1.5, (4,)).astype(f32)
BETA = _rng.uniform(-0.5, 0.5, (4,)).astype(f32)
X3_GAMMA = _rng.uniform(0.5, 1.5, (3, 4)).astype(f32)


def _layer_norm(a, axes, gamma=None, beta=None, eps=EPS):
    a = np.asarray(a, f64)
    mean = a.mean(axes, keepdims=True)
    var = a.var(axes, keepdims=True)
    out = (a - mean) / np.sqrt(var + eps)
    if gamma is not None:
        out = out * gamma
    if beta is not None:
        out = out + beta
    return out


def _polar_parts():
    out = ops.convert_to_numpy(ops.polar(np.abs(X), X3[0]))
    return np.stack([out.real, out.imag])


def _ctc_decode_call(*args, **kwargs):
    return lambda: ops.ctc_decode(*args, **kwargs)


CASES = [
    # Elementwise activations.
    case("celu", "default_alpha", XN, expected=r(np.maximum(x, 0) + np.expm1(np.minimum(x, 0)))),
    case("celu", "alpha_2", XN, alpha=2.0,
         expected=r(np.maximum(x, 0) + 2 * np.expm1(np.minimum(x, 0) / 2))),
    case("glu", "last_axis", XN, expected=r(x[:, :2] * _sigmoid(x[:, 2:]))),
    case("glu", "axis_0", XN[:2], axis=0, expected=r(x[:1] * _sigmoid(x[1:2]))),
    case("hard_shrink", "default", XN, expected=r(np.where(np.abs(x) > 0.5, x, 0))),
    case("hard_shrink", "threshold_2", XN, threshold=2.0, expected=r(np.where(np.abs(x) > 2, x, 0))),
    case("hard_swish", "float", XN, expected=r(x * np.clip((x + 3) / 6, 0, 1))),
    case("hard_tanh", "float", XN, expected=r(np.clip(x, -1, 1))),
    case("soft_shrink", "default", XN,
         expected=r(np.where(x > 0.5, x - 0.5, np.where(x < -0.5, x + 0.5, 0)))),
    case("soft_shrink", "threshold_1", XN, threshold=1.0,
         expected=r(np.where(x > 1, x - 1, np.where(x < -1, x + 1, 0)))),
    case("sparse_plus", "float", XN,
         expected=r(np.where(x <= -1, 0, np.where(x < 1, (x + 1) ** 2 / 4, x)))),
    case("sparse_plus", "float16_keeps_dtype", XN.astype(np.float16),
         expected=np.where(x <= -1, 0, np.where(x < 1, (x + 1) ** 2 / 4, x)).astype(np.float16),
         rtol=2e-3, atol=2e-3),
    case("sparse_sigmoid", "float", XN,
         expected=r(np.where(x <= -1, 0, np.where(x >= 1, 1, (x + 1) / 2)))),
    case("squareplus", "default_b", XN, expected=r((x + np.sqrt(x * x + 4)) / 2)),
    case("squareplus", "b_1", XN, b=1, expected=r((x + np.sqrt(x * x + 1)) / 2)),
    case("tanh_shrink", "float", XN, expected=r(x - np.tanh(x))),
    case("threshold", "keeps_above", XN, 0.5, -3.0, expected=r(np.where(x > 0.5, x, -3.0))),
    case("celu", "int_input_is_floatx", np.array([-2, 0, 3], i32),
         expected=r([np.expm1(-2.0), 0.0, 3.0])),
    case("sparsemax", "rows", SM, expected=r(np_sparsemax(SM))),
    case("sparsemax", "axis_0", SM, axis=0, expected=r(np_sparsemax(SM, 0))),
    case("sparsemax", "rank3_axis_1", X3, axis=1, expected=r(np_sparsemax(X3, 1))),

    # Normalizations and metrics.
    case("normalize", "l2_rows", X, expected=r(X / np.linalg.norm(X.astype(f64), axis=-1,
                                                                  keepdims=True))),
    case("normalize", "l1_axis_0", X, axis=0, order=1,
         expected=r(X / np.abs(X.astype(f64)).sum(0, keepdims=True))),
    case("normalize", "zero_row_stays_zero", np.zeros((2, 3), f32), expected=np.zeros((2, 3), f32)),
    case("normalize", "float16_keeps_dtype", X.astype(np.float16),
         expected=(X / np.linalg.norm(X.astype(f64), axis=-1, keepdims=True)).astype(np.float16),
         rtol=2e-3, atol=2e-3),
    case("normalize", "int_input", np.array([[3, 4]], i32), expected=r([[0.6, 0.8]])),
    case("psnr", "max_1", PRED, TRUTH, 1.0,
         expected=r(10 * np.log10(1.0 / np.mean((PRED.astype(f64) - TRUTH) ** 2)))),
    case("psnr", "max_255", PRED * 255, TRUTH * 255, 255.0,
         expected=r(10 * np.log10(255.0 ** 2 / np.mean((PRED.astype(f64) * 255 - TRUTH * 255)
                                                       ** 2))), rtol=1e-4),
    case("rms_normalization", "last_axis", X,
         expected=r(X / np.sqrt((X.astype(f64) ** 2).mean(-1, keepdims=True) + EPS))),
    case("rms_normalization", "scale_axis_0", X, scale=GAMMA[:1], axis=0, epsilon=1e-3,
         expected=r(X / np.sqrt((X.astype(f64) ** 2).mean(0, keepdims=True) + 1e-3) * GAMMA[0])),
    case("rms_normalization", "float16_keeps_dtype", X.astype(np.float16),
         expected=(X / np.sqrt((X.astype(f64) ** 2).mean(-1, keepdims=True) + EPS)).astype(
             np.float16), rtol=2e-3, atol=2e-3),
    case("layer_normalization", "last_axis", X, expected=r(_layer_norm(X, -1))),
    case("layer_normalization", "gamma_beta", X, GAMMA, BETA, epsilon=1e-3,
         expected=r(_layer_norm(X, -1, GAMMA, BETA, 1e-3))),
    case("layer_normalization", "two_axes_gamma", X3, X3_GAMMA, axis=(1, 2),
         expected=r(_layer_norm(X3, (1, 2), X3_GAMMA))),
    case("layer_normalization", "middle_axis_gamma", X3, GAMMA[:3], None, axis=1,
         expected=r(_layer_norm(X3, 1, GAMMA[:3].reshape(1, 3, 1)))),
    case("multi_hot", "batch", np.array([[0, 4], [1, 1], [3, 2]], i32), num_classes=5,
         expected=np.array([[1, 0, 0, 0, 1], [0, 1, 0, 0, 0], [0, 0, 1, 1, 0]], f32)),
    case("multi_hot", "one_sample_num_tokens_int32", np.array([0, 2], i32), num_tokens=3,
         dtype="int32", expected=np.array([1, 0, 1], i32)),

    # Windows.
    case("adaptive_average_pool", "1d_uneven", A1, 3, expected=r(np_adaptive_pool(A1, (3,), "average"))),
    case("adaptive_max_pool", "1d_uneven", A1, 3, expected=r(np_adaptive_pool(A1, (3,), "max"))),
    case("adaptive_average_pool", "2d_tuple", A2, (3, 2), data_format="channels_last",
         expected=r(np_adaptive_pool(A2, (3, 2), "average"))),
    case("adaptive_max_pool", "2d_upsample", A2, (9, 5), data_format="channels_last",
         expected=r(np_adaptive_pool(A2, (9, 5), "max"))),
    case("adaptive_average_pool", "2d_channels_first", np.moveaxis(A2, -1, 1), 4,
         data_format="channels_first",
         expected=r(np_adaptive_pool(np.moveaxis(A2, -1, 1), (4, 4), "average", "channels_first"))),
    case("adaptive_max_pool", "3d", A3, (2, 3, 2), data_format="channels_last",
         expected=r(np_adaptive_pool(A3, (2, 3, 2), "max"))),
    case("adaptive_average_pool", "3d_even_windows", A3[:, :4, :4, :2], 2,
         data_format="channels_last", expected=r(np_adaptive_pool(A3[:, :4, :4, :2], (2, 2, 2),
                                                                  "average"))),
    case("unfold", "kernel_2", IMG, 2, expected=np_unfold(IMG, (2, 2))),
    case("unfold", "dilated_padded_strided", IMG, (2, 3), dilation=(2, 1), padding=1, stride=(1, 2),
         expected=np_unfold(IMG, (2, 3), (2, 1), (1, 1), (1, 2))),
    case("fold", "kernel_2_overlapping", np_unfold(IMG, (2, 2)), (5, 6), 2,
         expected=np_fold(np_unfold(IMG, (2, 2)), (5, 6), (2, 2))),
    case("fold", "dilated_padded_strided",
         np_unfold(IMG, (2, 3), (2, 1), (1, 1), (1, 2)), (5, 6), (2, 3), dilation=(2, 1),
         padding=1, stride=(1, 2),
         expected=np_fold(np_unfold(IMG, (2, 3), (2, 1), (1, 1), (1, 2)), (5, 6), (2, 3),
                          (2, 1), (1, 1), (1, 2))),
    case("depth_to_space", "channels_last", D2S, 2, expected=np_depth_to_space(D2S, 2,
                                                                              "channels_last")),
    case("depth_to_space", "channels_first", np.moveaxis(D2S, -1, 1), 2,
         data_format="channels_first",
         expected=np_depth_to_space(np.moveaxis(D2S, -1, 1), 2, "channels_first")),
    case("space_to_depth", "channels_last", S2D, 2,
         expected=np_space_to_depth(S2D, 2, "channels_last")),
    case("space_to_depth", "channels_first", np.moveaxis(S2D, -1, 1), 2,
         data_format="channels_first",
         expected=np_space_to_depth(np.moveaxis(S2D, -1, 1), 2, "channels_first")),
    case("space_to_depth", "int_input_keeps_dtype", np.arange(16, dtype=i32).reshape(1, 2, 2, 4), 2,
         expected=np_space_to_depth(np.arange(16, dtype=i32).reshape(1, 2, 2, 4), 2,
                                    "channels_last")),

    # Engine kernels.
    special("polar", "real_and_imaginary_parts", _polar_parts,
            np.stack([np.abs(X) * np.cos(X3[0]), np.abs(X) * np.sin(X3[0])]).astype(f32)),
    special("polar", "complex64_dtype", lambda: ops.dtype(ops.polar(X, X)), Exact("complex64")),
    case("ctc_loss", "blank_0", CTC_TARGET, CTC_LOGITS, CTC_TARGET_LEN, CTC_LOGITS_LEN,
         expected=r(np_ctc_loss(CTC_TARGET, CTC_LOGITS, CTC_TARGET_LEN, CTC_LOGITS_LEN)),
         rtol=1e-5),
    case("ctc_loss", "blank_2", CTC_TARGET_BLANK2, CTC_LOGITS, CTC_TARGET_BLANK2_LEN,
         CTC_LOGITS_LEN, mask_index=2,
         expected=r(np_ctc_loss(CTC_TARGET_BLANK2, CTC_LOGITS, CTC_TARGET_BLANK2_LEN,
                                CTC_LOGITS_LEN, blank=2)), rtol=1e-5),

    # CTC decoding.
    case("ctc_decode", "greedy", CTC_LOGITS, CTC_LOGITS_LEN,
         expected=np_greedy(CTC_LOGITS, CTC_LOGITS_LEN)),
    case("ctc_decode", "greedy_no_merge_blank_3", CTC_LOGITS, CTC_LOGITS_LEN,
         merge_repeated=False, mask_index=3,
         expected=np_greedy(CTC_LOGITS, CTC_LOGITS_LEN, False, 3)),
    case("ctc_decode", "beam_search_exhaustive", CTC_LOGITS, CTC_LOGITS_LEN,
         strategy="beam_search", beam_width=64, top_paths=3,
         expected=np_exact_top_paths(CTC_LOGITS, CTC_LOGITS_LEN, 3), rtol=1e-5, atol=1e-5),
    case("ctc_decode", "beam_search_exhaustive_blank_1", CTC_LOGITS, CTC_LOGITS_LEN,
         strategy="beam_search", beam_width=64, top_paths=2, mask_index=1,
         expected=np_exact_top_paths(CTC_LOGITS, CTC_LOGITS_LEN, 2, 1), rtol=1e-5, atol=1e-5),
]
COVERED = []
