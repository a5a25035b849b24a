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
