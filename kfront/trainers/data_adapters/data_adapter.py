"""The base of every data adapter: epochs, seeded shuffling and prefetching."""
import numpy as np

from kfront.random import global_state
from kfront.trainers.data_adapters.prefetch import prefetched

# Batches converted ahead of the running step.
PREFETCH_DEPTH = 2


class DataAdapter:
    """Iterating an adapter gives one epoch of batches of engine tensors.

    Subclasses define ``host_batches(epoch)`` (batches as drawn from the source, at most
    ``steps`` of them) and ``convert(batch)`` (host batch -> engine tensors). ``convert`` runs
    in the prefetch thread. The epoch number counts iterations; ``set_epoch`` pins it (a run
    resumed with ``initial_epoch`` then reshuffles exactly as the original run did).
    """

    num_batches = None  # batches per epoch when known, else None
    steps = None  # batches drawn per epoch (steps_per_epoch), None: until exhausted
    prefetch_depth = PREFETCH_DEPTH

    def __init__(self):
        self._epoch = 0
        seed = global_state._state["seed"]
        # Under set_random_seed the shuffle seed is the global seed itself, so it does not
        # depend on how many numbers initializers drew before fit() was called.
        self._shuffle_seed = global_state.draw_seed() if seed is None else seed

    def set_epoch(self, epoch):
        self._epoch = int(epoch)

    def epoch_permutation(self, n, epoch):
        """The sample (or batch) order of ``epoch``: a function of (seed, epoch) only."""
        return np.random.default_rng([self._shuffle_seed, int(epoch)]).permutation(n)

    def host_batches(self, epoch):
        raise NotImplementedError

    def convert(self, batch):
        raise NotImplementedError

    def __iter__(self):
        epoch = self._epoch
        self._epoch += 1
        depth = self.prefetch_depth if self.steps is None or self.steps > 1 else 0
        return prefetched(self.host_batches(epoch), self.convert, depth)
