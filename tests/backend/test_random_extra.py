"""``kfront.random`` beta, binomial, categorical, gamma and shuffle: signatures, seeding
and statistics against the distributions' known moments (and SciPy-free NumPy checks)."""
import numpy as np
import pytest

import kfront
from kfront import config, ops, random

N = 20000


# JAX runs with x64 off: 64-bit requests give 32-bit values there, as in kfront.random.
WIDE_FLOAT = np.float32 if config.backend() == "jax" else np.float64
WIDE_INT = np.int32 if config.backend() == "jax" else np.int64


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


DRAWS = {
    "gamma": lambda seed: random.gamma((N,), alpha=2.5, seed=seed),
    "beta": lambda seed: random.beta((N,), alpha=2.0, beta=5.0, seed=seed),
    "binomial": lambda seed: random.binomial((N,), counts=10, probabilities=0.3, seed=seed),
    "categorical": lambda seed: random.categorical(np.log([[0.2, 0.3, 0.5]]), N, seed=seed),
    "shuffle": lambda seed: random.shuffle(np.arange(N), seed=seed),
}


@pytest.mark.parametrize("name", list(DRAWS))
def test_same_seed_same_numbers_other_seed_differs(name):
    a, b, c = (_np(DRAWS[name](s)) for s in (7, 7, 8))
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


@pytest.mark.parametrize("name", list(DRAWS))
def test_seed_generator_advances(name):
    gen = random.SeedGenerator(3)
    first, second = _np(DRAWS[name](gen)), _np(DRAWS[name](gen))
    assert not np.array_equal(first, second)
    again = random.SeedGenerator(3)
    np.testing.assert_array_equal(_np(DRAWS[name](again)), first)


@pytest.mark.parametrize("name", ["gamma", "beta", "binomial", "categorical", "shuffle"])
def test_traced_seed_gives_the_eager_numbers(name):
    seed = np.array([5, 9], np.int32)
    eager = _np(DRAWS[name](seed))
    if config.backend() == "jax":
        import jax
        traced = jax.jit(DRAWS[name])(seed)
    elif config.backend() == "tensorflow":
        import tensorflow as tf
        traced = tf.function(DRAWS[name])(tf.constant(seed))
    else:
        pytest.skip("torch seeds are read eagerly")
    # Gamma's rejection loop may fuse differently inside an outer program: ulp-level only.
    np.testing.assert_allclose(_np(traced), eager, rtol=1e-5, atol=1e-7)


def test_gamma_moments_and_dtype():
    s = _np(random.gamma((N,), alpha=2.5, seed=1))
    assert s.dtype == np.float32 and s.shape == (N,)
    assert s.min() > 0
    assert abs(s.mean() - 2.5) < 0.06 and abs(s.var() - 2.5) < 0.15


def test_gamma_alpha_broadcasts_per_column():
    s = _np(random.gamma((N, 2), alpha=np.array([1.0, 9.0]), dtype="float64", seed=2))
    assert s.dtype == WIDE_FLOAT and s.shape == (N, 2)
    np.testing.assert_allclose(s.mean(axis=0), [1.0, 9.0], rtol=0.03)


def test_beta_moments_and_range():
    a, b = 2.0, 5.0
    s = _np(random.beta((N,), alpha=a, beta=b, seed=3)).astype(np.float64)
    assert 0.0 <= s.min() and s.max() <= 1.0
    assert abs(s.mean() - a / (a + b)) < 0.005
    var = a * b / ((a + b) ** 2 * (a + b + 1))
    assert abs(s.var() - var) < 0.002


def test_binomial_moments_and_integer_values():
    s = _np(random.binomial((N,), counts=10, probabilities=0.3, seed=4)).astype(np.float64)
    assert set(np.unique(s)) <= set(range(11))
    assert abs(s.mean() - 3.0) < 0.05 and abs(s.var() - 2.1) < 0.1


def test_binomial_counts_and_probabilities_broadcast():
    s = _np(random.binomial((N, 2), counts=np.array([5.0, 20.0]),
                            probabilities=np.array([0.5, 0.1]), seed=5))
    np.testing.assert_allclose(s.mean(axis=0), [2.5, 2.0], rtol=0.04)
    assert s[:, 0].max() <= 5 and s[:, 1].max() <= 20


def test_categorical_frequencies_follow_softmax_of_logits():
    logits = np.array([[1.0, 2.0, 0.5], [0.0, 0.0, 4.0]], np.float32)
    s = _np(random.categorical(logits, N, seed=6))
    assert s.shape == (2, N) and s.dtype == np.int32
    probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    for row in range(2):
        freq = np.bincount(s[row], minlength=3) / N
        np.testing.assert_allclose(freq, probs[row], atol=0.012)


def test_categorical_dtype_argument():
    assert _np(random.categorical([[0.0, 0.0]], 3, dtype="int64", seed=1)).dtype == WIDE_INT


def test_categorical_rejects_non_2d_logits():
    with pytest.raises(ValueError, match=r"`logits` should be a 2-D tensor.*\(3,\)"):
        random.categorical([0.0, 1.0, 2.0], 2, seed=1)


def test_categorical_rejects_bad_num_samples():
    with pytest.raises(ValueError, match="`num_samples` must be a non-negative integer, "
                                         "received num_samples=-1"):
        random.categorical([[0.0, 1.0]], -1, seed=1)


def test_shuffle_is_a_permutation_of_whole_slices():
    x = np.arange(24).reshape(6, 4)
    s = _np(random.shuffle(x, seed=8))
    assert sorted(s[:, 0].tolist()) == x[:, 0].tolist()
    np.testing.assert_array_equal(s - s[:, :1], x - x[:, :1])  # rows move whole
    assert not np.array_equal(s, x)


def test_shuffle_along_axis_1():
    x = np.arange(24).reshape(4, 6)
    s = _np(random.shuffle(x, axis=1, seed=9))
    assert sorted(s[0].tolist()) == x[0].tolist()
    np.testing.assert_array_equal(s - s[:1], x - x[:1])  # columns move whole


def test_shuffle_positions_are_uniform():
    counts = np.zeros((4, 4))
    for seed in range(400):
        s = _np(random.shuffle(np.arange(4), seed=seed))
        counts[np.arange(4), s] += 1
    np.testing.assert_allclose(counts / 400, 0.25, atol=0.08)


def test_shuffle_rejects_bad_axis():
    with pytest.raises(ValueError, match=r"`axis` must be an integer in \[-2, 2\).*axis=2"):
        random.shuffle(np.zeros((2, 3)), axis=2, seed=1)


def test_shape_must_be_integers():
    with pytest.raises(ValueError, match="`shape` must be a tuple of integers, received "
                                         "shape='a'"):
        random.gamma("a", alpha=1.0)


def test_exported_as_in_keras():
    import inspect
    for name, params in {"beta": ["shape", "alpha", "beta", "dtype", "seed"],
                         "binomial": ["shape", "counts", "probabilities", "dtype", "seed"],
                         "categorical": ["logits", "num_samples", "dtype", "seed"],
                         "gamma": ["shape", "alpha", "dtype", "seed"],
                         "shuffle": ["x", "axis", "seed"]}.items():
        assert list(inspect.signature(getattr(kfront.random, name)).parameters) == params
