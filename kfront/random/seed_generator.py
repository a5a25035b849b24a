"""``SeedGenerator``: random state that lives in a variable, so compiled steps advance it."""
import numpy as np

from kfront.backend.loader import adapter
from kfront.backend.variable import Variable
from kfront.random.global_state import draw_seed


_STEP = np.array([0, 1], dtype="int32")


class SeedGenerator:
    """Hands out a new seed each call of ``next()``; the state is a non-trainable variable.

    Args:
        seed: an int for a reproducible stream, or None to draw one from the global seed.
    """

    def __init__(self, seed=None, name=None):
        if seed is not None and (not isinstance(seed, (int, np.integer)) or isinstance(seed, bool)):
            raise ValueError(f"SeedGenerator expects an integer seed or None, received {seed!r}.")
        self._initial_seed = draw_seed() if seed is None else int(seed)
        self.state = Variable(
            np.array([self._initial_seed % (2**31 - 1), 0], dtype="int32"),
            dtype="int32", trainable=False, name=name or "seed_generator_state",
        )

    def next(self):
        seed = self.state.value
        self.state.assign(adapter().add(seed, _STEP))
        return seed

    def get_config(self):
        return {"seed": self._initial_seed}
