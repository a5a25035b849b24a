"""``PyDataset`` (Keras 2's ``Sequence``): batches by index, for fit, evaluate and predict."""


def _setting(name, default):
    """A loader setting read with a default, so a subclass that forgets
    ``super().__init__()`` still works."""
    key = "_" + name
    return property(lambda self: self.__dict__.get(key, default),
                    lambda self, value: self.__dict__.__setitem__(key, value))


class PyDataset:
    """A dataset of batches addressed by index.

    Subclass it with ``__len__`` (batches per epoch) and ``__getitem__(index)`` returning
    ``x``, ``(x, y)`` or ``(x, y, sample_weight)``; ``on_epoch_end`` runs after each epoch.

    Args:
        workers: how many threads (or processes) build batches in parallel; 1 builds them
            in the training loop's prefetch thread.
        use_multiprocessing: build batches in ``workers`` processes instead of threads (the
            dataset must then be picklable or forkable; ``on_epoch_end`` runs in the parent).
        max_queue_size: how many batches may be built ahead of the training step.

    >>> class Batches(kfront.utils.PyDataset):
    ...     def __init__(self, x, y, batch_size, **kwargs):
    ...         super().__init__(**kwargs)
    ...         self.x, self.y, self.batch_size = x, y, batch_size
    ...     def __len__(self):
    ...         return -(-len(self.x) // self.batch_size)
    ...     def __getitem__(self, i):
    ...         part = slice(i * self.batch_size, (i + 1) * self.batch_size)
    ...         return self.x[part], self.y[part]
    """

    def __init__(self, workers=1, use_multiprocessing=False, max_queue_size=10):
        if not isinstance(workers, int) or isinstance(workers, bool) or workers < 1:
            raise ValueError(f"`workers` must be a positive integer, received {workers!r}.")
        if not isinstance(max_queue_size, int) or isinstance(max_queue_size, bool) \
                or max_queue_size < 1:
            raise ValueError("`max_queue_size` must be a positive integer, received "
                             f"{max_queue_size!r}.")
        self._workers = workers
        self._use_multiprocessing = bool(use_multiprocessing)
        self._max_queue_size = max_queue_size

    workers = _setting("workers", 1)
    use_multiprocessing = _setting("use_multiprocessing", False)
    max_queue_size = _setting("max_queue_size", 10)

    @property
    def num_batches(self):
        """Batches per epoch: ``len(self)``."""
        return len(self)

    def __len__(self):
        raise NotImplementedError(f"{type(self).__name__} must define __len__ (batches per "
                                  "epoch).")

    def __getitem__(self, index):
        raise NotImplementedError(f"{type(self).__name__} must define __getitem__(index) "
                                  "returning a batch.")

    def on_epoch_begin(self):
        pass

    def on_epoch_end(self):
        pass


Sequence = PyDataset
