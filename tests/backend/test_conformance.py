"""Conformance of the selected engine adapter to ``kfront.backend.contract``.

Every tensor, NumPy, nn and math name of the contract is called through ``kfront.ops`` and
compared with NumPy (values and output dtype); random names are called on the adapter and
checked statistically. The adapter is the one ``KFRONT_BACKEND`` selects, so the suite runs
once per engine:

    KFRONT_BACKEND=jax OMP_NUM_THREADS=1 pytest tests/backend
"""
import glob
import importlib
import os

import numpy as np
import pytest

import kfront.ops as ops
from cases_core import TENSOR_CASES, Exact
from cases_nn import MATH_CASES, NN_CASES
from cases_numpy import NUMPY_CASES
from kfront import config
from kfront.backend import contract
from kfront.backend.loader import adapter
from kfront.ops._export import COMPOSITE_OPS

B = adapter()


def _family_modules():
    """Every other ``cases_<family>.py`` beside this file (layer kernels, op families)."""
    here = os.path.dirname(__file__)
    return [importlib.import_module(os.path.basename(path)[:-3])
            for path in sorted(glob.glob(os.path.join(here, "cases_*.py")))
            if os.path.basename(path)[:-3] not in ("cases_core", "cases_nn", "cases_numpy")]


# A family module lists its cases in ``CASES``; ``COVERED`` names the ops its own tests
# (test_<family>.py beside it) check in ways a NumPy case cannot, e.g. random draws.
FAMILIES = _family_modules()
CASES = (TENSOR_CASES + NUMPY_CASES + NN_CASES + MATH_CASES
         + [c for m in FAMILIES for c in m.CASES])
FAMILY_COVERED = {n for m in FAMILIES for n in getattr(m, "COVERED", ())}
CHECKED_GROUPS = (contract.TENSOR_OPS + contract.NUMPY_OPS + contract.NN_OPS
                  + contract.MATH_OPS + contract.LAYER_OPS + contract.RANDOM_OPS
                  + contract.EXTRA_OPS + contract.RANDOM_EXTRA_OPS + tuple(COMPOSITE_OPS))


# ---------------------------------------------------------------------------------------------
# Deterministic ops against NumPy.

def _as_tensors(value):
    """NumPy arrays (also inside a list) become engine tensors; everything else stays."""
    if isinstance(value, np.ndarray):
        return ops.convert_to_tensor(value)
    if isinstance(value, list) and any(isinstance(v, np.ndarray) for v in value):
        return [_as_tensors(v) for v in value]
    return value


def _params():
    params = []
    for c in CASES:
        if c.call is not None:
            params.append(pytest.param(c, None, id=c.id))
        else:
            params.append(pytest.param(c, "numpy", id=f"{c.id}-numpy_in"))
            params.append(pytest.param(c, "tensor", id=f"{c.id}-tensor_in"))
    return params


def _run(c, inputs):
    if c.call is not None:
        return c.call()
    args, kwargs = c.args, c.kwargs
    if inputs == "tensor":
        args = tuple(_as_tensors(a) for a in args)
        kwargs = {k: _as_tensors(v) for k, v in kwargs.items()}
    return getattr(ops, c.op)(*args, **kwargs)


def _check_exact(got, want, where):
    assert type(got) is type(want), f"{where}: got {type(got).__name__} {got!r}, want {want!r}"
    if isinstance(want, tuple):
        assert len(got) == len(want), f"{where}: got {got!r}, want {want!r}"
        for i, (g, w) in enumerate(zip(got, want)):
            _check_exact(g, w, f"{where}[{i}]")
    else:
        assert got == want, f"{where}: got {got!r}, want {want!r}"


def _check_array(got, want, c, where):
    want = np.asarray(want)
    if isinstance(got, np.ndarray) and c.call is not None:
        arr = got  # a custom call that already returned NumPy
    else:
        assert ops.is_tensor(got), f"{where}: expected an engine tensor, got {type(got).__name__}"
        allowed = c.out_dtype
        if allowed == "auto":
            allowed = want.dtype.name
        if allowed is not None:
            allowed = (allowed,) if isinstance(allowed, str) else allowed
            assert ops.dtype(got) in allowed, f"{where}: dtype {ops.dtype(got)}, want {allowed}"
        arr = np.asarray(ops.convert_to_numpy(got))
    assert arr.shape == want.shape, f"{where}: shape {arr.shape}, want {want.shape}"
    if want.dtype.kind in "biu":
        np.testing.assert_array_equal(arr, want, err_msg=where)
    else:
        np.testing.assert_allclose(arr.astype(np.float64), want.astype(np.float64),
                                   rtol=c.rtol, atol=c.atol, equal_nan=True, err_msg=where)


def _check(got, want, c, where="result"):
    if isinstance(want, Exact):
        _check_exact(got, want.value, where)
    elif isinstance(want, (list, tuple)):
        assert isinstance(got, (list, tuple)), f"{where}: got {type(got).__name__}, want a sequence"
        assert len(got) == len(want), f"{where}: {len(got)} items, want {len(want)}"
        for i, (g, w) in enumerate(zip(got, want)):
            _check_array(g, w, c, f"{where}[{i}]")
    else:
        _check_array(got, want, c, where)


@pytest.mark.parametrize("c,inputs", _params())
def test_op_matches_numpy(c, inputs):
    _check(_run(c, inputs), c.expected, c)


def test_shape_inside_graph_reports_unknown_dims_as_run_time_sizes():
    if config.backend() != "tensorflow":
        pytest.skip("only TensorFlow graphs have dims unknown at trace time")
    import tensorflow as tf
    seen = []

    @tf.function(input_signature=[tf.TensorSpec((None, 4), tf.float32)])
    def fn(t):
        seen.append(ops.shape(t))
        return ops.cast(ops.shape(t)[0], "int32")

    # As Keras's: the unknown size is a scalar tensor (its value at run time).
    assert int(fn(tf.constant(np.zeros((2, 4), np.float32)))) == 2
    assert len(seen) == 1 and tf.is_tensor(seen[0][0]) and seen[0][1] == 4


# ---------------------------------------------------------------------------------------------
# Random ops: shape, dtype, seeding, moments. Called on the adapter (kfront.random wraps them).

# One shape for every draw (10k samples, enough for the moment checks): engines that compile
# a kernel per shape then compile once per sampler.
N = (100, 100)
GENERATORS = {
    # name: (kwargs, default dtype)
    "random_uniform": ({"minval": -1.0, "maxval": 3.0}, "float32"),
    "random_normal": ({"mean": 2.0, "stddev": 3.0}, "float32"),
    "random_truncated_normal": ({"mean": 1.0, "stddev": 2.0}, "float32"),
    "random_randint": ({"minval": -3, "maxval": 5}, "int32"),
}
FLOAT_GENERATORS = [n for n, (_, dt) in GENERATORS.items() if dt == "float32"]
DROPOUT_X = np.arange(1, 10_001, dtype=np.float32).reshape(N)
SEED_KINDS = {
    "python_int": lambda: 42,
    "numpy_pair": lambda: np.array([3, 7], np.int32),
    "tensor_pair": lambda: ops.convert_to_tensor(np.array([3, 7], np.int32)),
}
DIFFERENT_SEEDS = {
    "python_int": (1, 2),
    "pair_second": (np.array([3, 7], np.int32), np.array([3, 8], np.int32)),
    "pair_first": (np.array([3, 7], np.int32), np.array([4, 7], np.int32)),
}


def _draw(name, shape=N, seed=None, **overrides):
    kwargs = dict(GENERATORS[name][0], **overrides)
    return getattr(B, name)(shape, seed=seed, **kwargs)


def _dropout(seed, rate=0.3, x=DROPOUT_X, noise_shape=None):
    return B.random_dropout(x, rate, noise_shape=noise_shape, seed=seed)


# Each random test covers the names listed in its parametrization; the coverage test reads them.
RANDOM_SAMPLERS = {**{n: (lambda seed, n=n: _draw(n, N, seed)) for n in GENERATORS},
                   "random_dropout": _dropout}


def _np(t):
    return np.asarray(B.convert_to_numpy(t))


@pytest.mark.parametrize("name", list(GENERATORS))
def test_random_shape_and_default_dtype(name):
    out = _draw(name, N, seed=1)
    assert B.is_tensor(out)
    assert tuple(B.shape(out)) == N
    assert B.dtype(out) == GENERATORS[name][1]


@pytest.mark.parametrize("name", FLOAT_GENERATORS)
def test_random_float16_dtype(name):
    out = _draw(name, N, seed=1, dtype="float16")
    assert B.dtype(out) == "float16"
    assert np.isfinite(_np(out).astype(np.float32)).all()


@pytest.mark.parametrize("kind", list(SEED_KINDS))
@pytest.mark.parametrize("name", list(RANDOM_SAMPLERS))
def test_random_same_seed_same_values(name, kind):
    sample = RANDOM_SAMPLERS[name]
    np.testing.assert_array_equal(_np(sample(SEED_KINDS[kind]())),
                                  _np(sample(SEED_KINDS[kind]())))


@pytest.mark.parametrize("pair", list(DIFFERENT_SEEDS))
@pytest.mark.parametrize("name", list(RANDOM_SAMPLERS))
def test_random_different_seeds_differ(name, pair):
    sample = RANDOM_SAMPLERS[name]
    a, b = DIFFERENT_SEEDS[pair]
    assert not np.array_equal(_np(sample(a)), _np(sample(b)))


@pytest.mark.parametrize("name", list(RANDOM_SAMPLERS))
def test_random_seed_none_draws_fresh_values(name):
    sample = RANDOM_SAMPLERS[name]
    assert not np.array_equal(_np(sample(None)), _np(sample(None)))


# Bounds below are > 4 standard errors for 10k samples, so a correct sampler passes.
def test_random_uniform_moments():
    s = _np(_draw("random_uniform", seed=11)).astype(np.float64)
    assert s.min() >= -1.0 and s.max() < 3.0
    assert abs(s.mean() - 1.0) < 0.06
    assert abs(s.std() - 4 / np.sqrt(12)) < 0.04


def test_random_normal_moments():
    s = _np(_draw("random_normal", seed=12)).astype(np.float64)
    assert abs(s.mean() - 2.0) < 0.15
    assert abs(s.std() - 3.0) < 0.1
    assert s.min() < 2.0 - 2 * 3.0 and s.max() > 2.0 + 2 * 3.0  # tails are not cut


def test_random_truncated_normal_within_two_stddev():
    s = _np(_draw("random_truncated_normal", seed=13)).astype(np.float64)
    assert s.min() >= 1.0 - 2 * 2.0 and s.max() <= 1.0 + 2 * 2.0
    assert abs(s.mean() - 1.0) < 0.1
    # Resampling beyond 2 stddev leaves 0.88 * stddev, clipping 0.96 * stddev.
    assert 1.6 < s.std() < 2.0


def test_random_randint_range():
    s = _np(_draw("random_randint", seed=14))
    assert s.dtype == np.int32
    assert s.min() >= -3 and s.max() < 5
    assert set(np.unique(s).tolist()) == set(range(-3, 5))
    assert abs(s.mean() - 0.5) < 0.1


def test_random_dropout_rate_and_scale():
    out = _dropout(seed=np.array([1, 2], np.int32), rate=0.3)
    assert B.dtype(out) == "float32" and tuple(B.shape(out)) == N
    s = _np(out)
    kept = s != 0
    assert abs(1 - kept.mean() - 0.3) < 0.03
    np.testing.assert_allclose(s[kept], DROPOUT_X[kept] / 0.7, rtol=1e-6)
    assert abs(s.mean() / DROPOUT_X.mean() - 1.0) < 0.05  # the expected value is kept


def test_random_dropout_noise_shape_drops_whole_rows():
    out = _np(_dropout(seed=5, rate=0.5, noise_shape=(N[0], 1)))
    kept_rows = (out != 0).all(axis=1)
    dropped_rows = (out == 0).all(axis=1)
    assert (kept_rows | dropped_rows).all()
    assert 25 < kept_rows.sum() < 75
    np.testing.assert_allclose(out[kept_rows], DROPOUT_X[kept_rows] / 0.5, rtol=1e-6)


def test_random_dropout_rate_zero_keeps_input():
    np.testing.assert_allclose(_np(_dropout(seed=5, rate=0.0)), DROPOUT_X, rtol=1e-6)


@pytest.mark.parametrize("name", list(RANDOM_SAMPLERS))
def test_random_seed_may_be_a_traced_value(name):
    sample = RANDOM_SAMPLERS[name]
    seed = np.array([5, 9], np.int32)
    eager = _np(sample(seed))
    if config.backend() == "jax":
        import jax
        traced = jax.jit(sample)(seed)
    elif config.backend() == "tensorflow":
        import tensorflow as tf
        traced = tf.function(sample)(tf.constant(seed))
    else:
        pytest.skip("torch has no traced seed values")
    np.testing.assert_array_equal(_np(traced), eager)


# ---------------------------------------------------------------------------------------------
# Coverage of the contract by this suite.

RANDOM_COVERED = set(RANDOM_SAMPLERS) | FAMILY_COVERED


def test_every_contract_name_has_a_case():
    covered = {c.op for c in CASES} | RANDOM_COVERED
    missing = [n for n in CHECKED_GROUPS if n not in covered]
    assert not missing, f"contract names without a conformance case: {missing}"


def test_cases_name_only_contract_ops():
    unknown = sorted({c.op for c in CASES} - set(CHECKED_GROUPS))
    assert not unknown, f"cases for names outside the contract: {unknown}"


def test_case_ids_are_unique():
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
