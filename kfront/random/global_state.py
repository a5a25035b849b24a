"""The global seed. Initial weights come from a NumPy generator, never from an engine, so
the same seed gives bit-identical weights on torch, JAX and TensorFlow."""
import random as _py_random

import numpy as np

_state = {"rng": np.random.default_rng(), "seed": None}


def set_random_seed(seed):
    """Seeds kfront's initializers, shuffling and seed generators, plus Python and NumPy.

    >>> kfront.utils.set_random_seed(1337)
    """
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool):
        raise ValueError(f"set_random_seed expects an integer seed, received {seed!r}.")
    seed = int(seed)
    _py_random.seed(seed)
    np.random.seed(seed % (2**32))
    _state["rng"] = np.random.default_rng(seed)
    _state["seed"] = seed


def global_rng():
    """The NumPy generator behind unseeded initializers and shuffles."""
    return _state["rng"]


def draw_seed():
    """A fresh integer seed from the global generator."""
    return int(_state["rng"].integers(0, 2**31 - 1))
