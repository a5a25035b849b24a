"""``kfront.random``: seeded random tensors, identical in distribution on every backend."""
from kfront.backend.loader import adapter as _adapter
from kfront.random.global_state import set_random_seed  # noqa: F401
from kfront.random.seed_generator import SeedGenerator  # noqa: F401

_B = _adapter()


def _seed(seed):
    if isinstance(seed, SeedGenerator):
        return seed.next()
    return seed


def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    return _B.random_uniform(shape, minval=minval, maxval=maxval, dtype=dtype, seed=_seed(seed))


def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    return _B.random_normal(shape, mean=mean, stddev=stddev, dtype=dtype, seed=_seed(seed))


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    return _B.random_truncated_normal(shape, mean=mean, stddev=stddev, dtype=dtype,
                                      seed=_seed(seed))


def randint(shape, minval, maxval, dtype="int32", seed=None):
    return _B.random_randint(shape, minval, maxval, dtype=dtype, seed=_seed(seed))


def dropout(inputs, rate, noise_shape=None, seed=None):
    return _B.random_dropout(inputs, rate, noise_shape=noise_shape, seed=_seed(seed))


def _shape_tuple(fn, shape):
    if isinstance(shape, int):
        return (shape,)
    try:
        return tuple(int(d) for d in shape)
    except (TypeError, ValueError):
        raise ValueError(f"kfront.random.{fn}: `shape` must be a tuple of integers, "
                         f"received shape={shape!r}.") from None


def categorical(logits, num_samples, dtype="int32", seed=None):
    """Class indices drawn from the softmax of each row of ``logits``.

    Args:
        logits: a 2-D tensor ``(batch_size, num_classes)`` of unnormalised log-probabilities.
        num_samples: how many indices to draw per row (with replacement).
        dtype: an integer dtype of the result.
        seed: an int, a ``SeedGenerator`` or None.

    Returns:
        A ``(batch_size, num_samples)`` tensor of indices.

    Example: ``categorical([[0.0, 10.0]], 4)`` is almost surely ``[[1, 1, 1, 1]]``.
    """
    logits = _B.convert_to_tensor(logits)
    if len(_B.shape(logits)) != 2:
        raise ValueError("kfront.random.categorical: `logits` should be a 2-D tensor with "
                         "shape [batch_size, num_classes]. Received: logits of shape "
                         f"{tuple(_B.shape(logits))}.")
    if isinstance(num_samples, bool) or not isinstance(num_samples, int) or num_samples < 0:
        raise ValueError("kfront.random.categorical: `num_samples` must be a non-negative "
                         f"integer, received num_samples={num_samples!r}.")
    return _B.random_categorical(logits, num_samples, dtype=dtype, seed=_seed(seed))


def shuffle(x, axis=0, seed=None):
    """``x`` with its slices along ``axis`` in a random order (one permutation).

    Args:
        x: the tensor to shuffle.
        axis: the axis to shuffle along.
        seed: an int, a ``SeedGenerator`` or None.
    """
    x = _B.convert_to_tensor(x)
    rank = len(_B.shape(x))
    if isinstance(axis, bool) or not isinstance(axis, int) or not -rank <= axis < max(rank, 1):
        raise ValueError(f"kfront.random.shuffle: `axis` must be an integer in [{-rank}, "
                         f"{rank}) for a tensor of rank {rank}, received axis={axis!r}.")
    return _B.random_shuffle(x, axis=axis % rank if rank else 0, seed=_seed(seed))


def gamma(shape, alpha, dtype=None, seed=None):
    """Samples of the gamma distribution with concentration ``alpha`` and scale 1.

    Args:
        shape: the output shape.
        alpha: the concentration (a float or a tensor broadcastable to ``shape``).
        dtype: a floating dtype (default: floatx).
        seed: an int, a ``SeedGenerator`` or None.
    """
    return _B.random_gamma(_shape_tuple("gamma", shape), alpha, dtype=dtype, seed=_seed(seed))


def binomial(shape, counts, probabilities, dtype=None, seed=None):
    """Samples of the binomial distribution: successes in ``counts`` trials of probability
    ``probabilities`` (both broadcastable to ``shape``), as floats of ``dtype``."""
    return _B.random_binomial(_shape_tuple("binomial", shape), counts, probabilities,
                              dtype=dtype, seed=_seed(seed))


def beta(shape, alpha, beta, dtype=None, seed=None):
    """Samples of the beta distribution with concentrations ``alpha`` and ``beta``
    (floats or tensors broadcastable to ``shape``), in [0, 1]."""
    return _B.random_beta(_shape_tuple("beta", shape), alpha, beta, dtype=dtype,
                          seed=_seed(seed))
