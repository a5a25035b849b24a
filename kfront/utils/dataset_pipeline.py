"""``Dataset``: kfront's own input pipeline with the ``tf.data.Dataset`` methods that
tutorials chain (``map``, ``shuffle``, ``batch``, ``prefetch``, ``cache``, ``take``...).

The dataset utilities return it where TensorFlow is not installed (or with
``format="kfront"``). Elements are NumPy arrays, tuples or dicts of them; ``fit``,
``evaluate`` and ``predict`` accept the dataset on every backend.
"""
import math
import os

import numpy as np

from kfront.utils import tree

AUTOTUNE = -1
INFINITE_CARDINALITY = -1
UNKNOWN_CARDINALITY = -2


def _check_count(method, name, value, allow_none=False, minimum=0):
    if value is None and allow_none:
        return value
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or \
            (value < minimum and value != -1):
        raise ValueError(f"Dataset.{method}: `{name}` must be an integer >= {minimum}"
                         f"{' or None' if allow_none else ''}, received {value!r}.")
    return int(value)


def _check_parallel(method, num_parallel_calls):
    # The elements are built in the training loop's prefetch thread; extra parallelism
    # is accepted for tf.data compatibility and not needed.
    if num_parallel_calls is not None and (
            isinstance(num_parallel_calls, bool)
            or not isinstance(num_parallel_calls, (int, np.integer))
            or not (num_parallel_calls > 0 or num_parallel_calls == AUTOTUNE)):
        raise ValueError(f"Dataset.{method}: `num_parallel_calls` must be a positive integer, "
                         f"AUTOTUNE (-1) or None, received {num_parallel_calls!r}.")


def _stack(elements):
    """Elements of one structure stacked along a new first axis."""
    first = elements[0]
    if isinstance(first, dict):
        return {k: _stack([e[k] for e in elements]) for k in first}
    if isinstance(first, (tuple, list)):
        return type(first)(_stack([e[i] for e in elements]) for i in range(len(first)))
    if isinstance(first, str):
        out = np.empty(len(elements), dtype=object)
        out[:] = elements
        return out
    return np.stack([np.asarray(e) for e in elements])


def _apply(fn, element):
    return fn(*element) if isinstance(element, tuple) else fn(element)


class Dataset:
    """An iterable of elements, rebuilt on every pass, transformed lazily.

    Build one with ``Dataset.from_tensor_slices(arrays)`` or
    ``Dataset.from_generator(fn)`` (or get one from a dataset utility), then chain:

    >>> from kfront.utils.dataset_pipeline import AUTOTUNE, Dataset
    >>> ds = Dataset.from_tensor_slices((x, y))
    >>> ds = ds.map(lambda x, y: (x / 255.0, y)).shuffle(100, seed=1).batch(32)
    >>> model.fit(ds.prefetch(AUTOTUNE), epochs=2)

    Args:
        make_iterator: a function of no argument returning a fresh iterator of elements.
        cardinality: the number of elements, ``INFINITE_CARDINALITY`` (-1) or
            ``UNKNOWN_CARDINALITY`` (-2).
    """

    AUTOTUNE = AUTOTUNE

    def __init__(self, make_iterator, cardinality=UNKNOWN_CARDINALITY):
        self._make_iterator = make_iterator
        self._cardinality = int(cardinality)

    @classmethod
    def from_tensor_slices(cls, tensors):
        """Elements are the slices of ``tensors`` (an array or a tuple/dict of arrays)
        along their first axis."""
        from kfront.trainers.data_adapters.engine_tensors import (
            engine_to_numpy, is_engine_tensor,
        )
        if isinstance(tensors, list):
            tensors = tuple(tensors)
        arrays = tree.map_structure(
            lambda a: engine_to_numpy(a) if is_engine_tensor(a) else np.asarray(a), tensors)
        sizes = {len(a) for a in tree.flatten(arrays)}
        if len(sizes) != 1:
            raise ValueError("Dataset.from_tensor_slices: all arrays must have the same first "
                             f"dimension; received lengths {sorted(sizes)}.")
        n = sizes.pop()
        return cls(lambda: (tree.map_structure(lambda a: a[i], arrays) for i in range(n)), n)

    @classmethod
    def from_generator(cls, generator, cardinality=UNKNOWN_CARDINALITY):
        """Elements are what ``generator()`` yields (it is called again on every pass)."""
        if not callable(generator):
            raise TypeError("Dataset.from_generator: `generator` must be a callable returning "
                            f"an iterator, received {type(generator).__name__}.")
        return cls(lambda: iter(generator()), cardinality)

    # -- reading ----------------------------------------------------------------------------
    def __iter__(self):
        return iter(self._make_iterator())

    def as_numpy_iterator(self):
        """An iterator of the elements as NumPy arrays (strings stay Python objects)."""
        for element in self:
            yield tree.map_structure(
                lambda a: a if isinstance(a, (str, bytes)) else np.asarray(a), element)

    def cardinality(self):
        """The number of elements; -1 if infinite, -2 if unknown (after ``filter``)."""
        return self._cardinality

    def __len__(self):
        if self._cardinality == INFINITE_CARDINALITY:
            raise TypeError("The dataset is infinite.")
        if self._cardinality == UNKNOWN_CARDINALITY:
            raise TypeError("The dataset length is unknown.")
        return self._cardinality

    def __repr__(self):
        return f"<kfront Dataset cardinality={self._cardinality}>"

    def _derive(self, make_iterator, cardinality):
        # Like tf.data, a transformed dataset does not carry attributes such as
        # ``class_names`` over.
        return Dataset(make_iterator, cardinality)

    # -- transformations --------------------------------------------------------------------
    def map(self, map_func, num_parallel_calls=None, deterministic=None, name=None):
        """Applies ``map_func`` to each element (a tuple element is unpacked into
        positional arguments, as in ``tf.data``)."""
        if not callable(map_func):
            raise TypeError(f"Dataset.map: `map_func` must be callable, received "
                            f"{type(map_func).__name__}.")
        _check_parallel("map", num_parallel_calls)
        return self._derive(lambda: (_apply(map_func, e) for e in self), self._cardinality)

    def filter(self, predicate, name=None):
        """Keeps the elements for which ``predicate`` is true."""
        if not callable(predicate):
            raise TypeError(f"Dataset.filter: `predicate` must be callable, received "
                            f"{type(predicate).__name__}.")
        card = INFINITE_CARDINALITY if self._cardinality == INFINITE_CARDINALITY \
            else UNKNOWN_CARDINALITY
        return self._derive(lambda: (e for e in self if bool(np.asarray(_apply(predicate, e)))),
                            card)

    def batch(self, batch_size, drop_remainder=False, num_parallel_calls=None,
              deterministic=None, name=None):
        """Stacks ``batch_size`` consecutive elements into one (the last may be smaller
        unless ``drop_remainder``)."""
        batch_size = _check_count("batch", "batch_size", batch_size, minimum=1)
        if batch_size == -1:
            raise ValueError("Dataset.batch: `batch_size` must be an integer >= 1, received -1.")
        _check_parallel("batch", num_parallel_calls)

        def batches():
            pending = []
            for element in self:
                pending.append(element)
                if len(pending) == batch_size:
                    yield _stack(pending)
                    pending = []
            if pending and not drop_remainder:
                yield _stack(pending)

        card = self._cardinality
        if card >= 0:
            card = card // batch_size if drop_remainder else math.ceil(card / batch_size)
        return self._derive(batches, card)

    def unbatch(self, name=None):
        """Splits each element along its first axis into single elements."""
        def singles():
            for element in self:
                leaves = tree.flatten(element)
                n = len(leaves[0])
                for i in range(n):
                    yield tree.map_structure(lambda a: a[i], element)

        card = INFINITE_CARDINALITY if self._cardinality == INFINITE_CARDINALITY \
            else UNKNOWN_CARDINALITY
        return self._derive(singles, card)

    def shuffle(self, buffer_size, seed=None, reshuffle_each_iteration=True, name=None):
        """Shuffles through a buffer of ``buffer_size`` elements, as ``tf.data`` does: each
        output is drawn at random from the buffer, which refills from the input. A new
        order every pass unless ``reshuffle_each_iteration=False``."""
        buffer_size = _check_count("shuffle", "buffer_size", buffer_size, minimum=1)
        if buffer_size == -1:
            raise ValueError("Dataset.shuffle: `buffer_size` must be an integer >= 1, "
                             "received -1.")
        if seed is None:
            seed = int(np.random.randint(2**31 - 1))
        passes = [0]

        def shuffled():
            rng = np.random.default_rng([seed, passes[0]])
            if reshuffle_each_iteration:
                passes[0] += 1
            buffer = []
            for element in self:
                if len(buffer) < buffer_size:
                    buffer.append(element)
                    continue
                i = int(rng.integers(len(buffer)))
                yield buffer[i]
                buffer[i] = element
            while buffer:
                yield buffer.pop(int(rng.integers(len(buffer))))

        return self._derive(shuffled, self._cardinality)

    def prefetch(self, buffer_size, name=None):
        """Returns the dataset unchanged: ``fit``/``evaluate``/``predict`` already build the
        next batch in a background thread while a step runs."""
        _check_count("prefetch", "buffer_size", buffer_size)
        return self

    def cache(self, filename="", name=None):
        """Keeps the elements after the first complete pass; later passes replay them
        (random ``map`` results are frozen, as with ``tf.data``).

        Args:
            filename: "" keeps them in memory. A path keeps them in the file
                ``filename + ".npz"`` (``filename`` itself if it ends with ``.npz``): the
                first complete pass writes it, later passes and later programs read it
                without running the pipeline above. A pass stopped early writes nothing.
                The file holds only arrays and is read with ``allow_pickle=False``;
                delete it to rebuild the cache.
            name: unused (``tf.data`` names the op).

        >>> ds = ds.map(decode).cache("/tmp/decoded")  # decode runs in the first pass only
        """
        if not isinstance(filename, (str, os.PathLike)):
            raise TypeError("Dataset.cache: `filename` must be a string or path ('' for a "
                            f"cache in memory); received {type(filename).__name__}.")
        if os.fspath(filename):
            return self._file_cache(os.fspath(filename))
        store = {}

        def cached():
            if "elements" in store:
                yield from store["elements"]
                return
            seen = []
            for element in self:
                seen.append(element)
                yield element
            store["elements"] = seen

        return self._derive(cached, self._cardinality)

    def _file_cache(self, filename):
        from kfront.utils import dataset_pipeline_cache as cache_file
        path = cache_file.cache_path(filename)
        folder = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(folder):
            raise ValueError(f"Dataset.cache: the folder of `filename` does not exist; "
                             f"received filename={filename!r} (folder {folder}).")
        if self._cardinality == INFINITE_CARDINALITY:
            raise ValueError("Dataset.cache(filename): the dataset is infinite, so a first "
                             "pass never completes; put `repeat()` after `cache()`.")

        def cached():
            if os.path.exists(path):
                yield from cache_file.read(path)
                return
            seen = []
            for element in self:
                seen.append(element)
                yield element
            cache_file.write(path, seen)

        return self._derive(cached, self._cardinality)

    def take(self, count, name=None):
        """The first ``count`` elements (all with ``count=-1``)."""
        count = _check_count("take", "count", count)
        if count == -1:
            return self

        def taken():
            if count == 0:
                return
            for i, element in enumerate(self):
                yield element
                if i + 1 == count:
                    return

        card = self._cardinality
        card = count if card == INFINITE_CARDINALITY else min(card, count) if card >= 0 \
            else UNKNOWN_CARDINALITY
        return self._derive(taken, card)

    def skip(self, count, name=None):
        """All but the first ``count`` elements (none with ``count=-1``)."""
        count = _check_count("skip", "count", count)
        if count == -1:
            return self._derive(lambda: iter(()), 0)

        def skipped():
            for i, element in enumerate(self):
                if i >= count:
                    yield element

        card = self._cardinality
        card = max(card - count, 0) if card >= 0 else card
        return self._derive(skipped, card)

    def repeat(self, count=None, name=None):
        """The elements ``count`` times over (forever with None or -1)."""
        count = _check_count("repeat", "count", count, allow_none=True)
        if count is None:
            count = -1

        def repeated():
            n = 0
            while count == -1 or n < count:
                empty = True
                for element in self:
                    empty = False
                    yield element
                n += 1
                if empty:
                    return

        card = self._cardinality
        if count == -1:
            card = 0 if card == 0 else INFINITE_CARDINALITY if card != UNKNOWN_CARDINALITY \
                else UNKNOWN_CARDINALITY
        elif card >= 0:
            card *= count
        return self._derive(repeated, card)
