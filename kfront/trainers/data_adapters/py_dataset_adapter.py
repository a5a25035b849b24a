"""``PyDataset`` / ``Sequence`` objects: batches by index, built by a thread or process pool
when the dataset asks for ``workers`` or ``use_multiprocessing``."""
import collections
import concurrent.futures
import multiprocessing

from kfront.trainers.data_adapters.generator_data_adapter import GeneratorDataAdapter

_WORKER_DATASET = {}


def _set_worker_dataset(dataset):
    _WORKER_DATASET["dataset"] = dataset


def _get_batch(index):
    return _WORKER_DATASET["dataset"][index]


class PyDatasetAdapter(GeneratorDataAdapter):
    """Draws ``dataset[i]`` for each index of the epoch, in order (or in a seeded
    per-epoch permutation with ``shuffle``), and calls ``on_epoch_end`` after the epoch.

    With ``workers > 1`` or ``use_multiprocessing``, up to ``max_queue_size`` batches are
    built ahead by a pool of threads (or processes); they still reach the model in order.
    """

    def __init__(self, dataset, steps=None, shuffle=False, class_weight=None):
        super().__init__(dataset, steps, class_weight)
        self.shuffle = bool(shuffle)
        self.num_batches = steps if steps is not None else len(dataset)

    def host_batches(self, epoch):
        n = len(self.data)
        order = self.epoch_permutation(n, epoch).tolist() if self.shuffle else range(n)
        if self.steps is not None:
            order = [order[i % n] for i in range(self.steps)]
        if hasattr(self.data, "on_epoch_begin"):
            self.data.on_epoch_begin()
        workers = getattr(self.data, "workers", 1) or 1
        use_processes = bool(getattr(self.data, "use_multiprocessing", False))
        if workers <= 1 and not use_processes:
            for i in order:
                yield self.data[i]
        else:
            yield from self._pooled(order, workers, use_processes)
        if hasattr(self.data, "on_epoch_end"):
            self.data.on_epoch_end()

    def _pooled(self, order, workers, use_processes):
        ahead = max(1, int(getattr(self.data, "max_queue_size", 10) or 10))
        if use_processes:
            # A new pool per epoch, so workers see what on_epoch_end changed.
            pool = concurrent.futures.ProcessPoolExecutor(
                max_workers=workers, mp_context=multiprocessing.get_context(),
                initializer=_set_worker_dataset, initargs=(self.data,))
            fetch = _get_batch
        else:
            pool = concurrent.futures.ThreadPoolExecutor(max_workers=workers,
                                                         thread_name_prefix="kfront-pydataset")
            fetch = self.data.__getitem__
        indices = iter(order)
        pending = collections.deque()
        try:
            for i in indices:
                pending.append(pool.submit(fetch, i))
                if len(pending) >= ahead:
                    break
            while pending:
                batch = pending.popleft().result()
                for i in indices:
                    pending.append(pool.submit(fetch, i))
                    break
                yield batch
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
