"""``split_dataset`` and ``ArrayDataset``, the in-memory batched dataset it returns."""
import math

import numpy as np

from kfront.trainers.data_adapters.engine_tensors import engine_to_numpy, is_engine_tensor
from kfront.utils import tree
from kfront.utils.py_dataset import PyDataset


def _as_numpy(leaf):
    return engine_to_numpy(leaf) if is_engine_tensor(leaf) else np.asarray(leaf)


class ArrayDataset(PyDataset):
    """Samples held in memory as arrays (one array, or a tuple/dict of them), served in
    batches by index; ``fit``, ``evaluate`` and ``predict`` accept it on every backend.

    Args:
        arrays: an array, or a tuple/list/dict of arrays with the same first dimension. A
            tuple of two or three arrays is read by ``fit`` as ``(x, y[, sample_weight])``.
        batch_size: samples per batch (the last batch holds the remainder); None serves
            single samples, without a batch dimension.

    >>> ds = ArrayDataset((x, y), batch_size=32)
    >>> model.fit(ds, epochs=2)
    """

    def __init__(self, arrays, batch_size=32, **kwargs):
        super().__init__(**kwargs)
        if isinstance(arrays, list):
            arrays = tuple(arrays)
        self.arrays = tree.map_structure(_as_numpy, arrays)
        sizes = {len(a) for a in tree.flatten(self.arrays)}
        if len(sizes) != 1:
            raise ValueError("All arrays of a dataset must have the same number of samples; "
                             f"received lengths {sorted(sizes)}.")
        self.num_samples = sizes.pop()
        if batch_size is not None and (not isinstance(batch_size, int) or batch_size < 1):
            raise ValueError(f"`batch_size` must be a positive integer or None, received "
                             f"{batch_size!r}.")
        self.batch_size = batch_size

    def __len__(self):
        if self.batch_size is None:
            return self.num_samples
        return math.ceil(self.num_samples / self.batch_size)

    def __getitem__(self, index):
        if not -len(self) <= index < len(self):
            raise IndexError(f"Batch index {index} is out of range for a dataset of "
                             f"{len(self)} batches.")
        index %= len(self)
        if self.batch_size is None:
            part = index
        else:
            part = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return tree.map_structure(lambda a: a[part], self.arrays)

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    def batch(self, batch_size):
        """The same samples in batches of ``batch_size``."""
        return ArrayDataset(self.arrays, batch_size)

    def unbatch(self):
        """The same samples, one at a time."""
        return ArrayDataset(self.arrays, None)

    def cardinality(self):
        """The number of elements (batches, or samples when unbatched)."""
        return len(self)


def _samples_of(dataset):
    """``(arrays, batch_size)`` for what ``split_dataset`` accepts."""
    if isinstance(dataset, ArrayDataset):
        return dataset.arrays, dataset.batch_size
    if isinstance(dataset, (np.ndarray, tuple, list, dict)) or is_engine_tensor(dataset):
        if isinstance(dataset, list):
            dataset = tuple(dataset)
        return tree.map_structure(_as_numpy, dataset), None
    module = type(dataset).__module__
    if module.startswith("tensorflow") and hasattr(dataset, "element_spec"):
        elements = [tree.map_structure(_as_numpy, e) for e in dataset]
        batch_size = getattr(dataset, "_batch_size", None)
        if batch_size is not None:
            return _join(elements, np.concatenate), int(batch_size)
        return _join(elements, np.stack), None
    if any(c.__module__.startswith("torch.utils.data") for c in type(dataset).__mro__) and \
            hasattr(dataset, "__len__"):
        samples = [dataset[i] for i in range(len(dataset))]
        samples = [tuple(s) if isinstance(s, list) else s for s in samples]
        return _join([tree.map_structure(_as_numpy, s) for s in samples], np.stack), None
    raise TypeError("The `dataset` argument must be an array, a tuple/list/dict of arrays, a "
                    "kfront ArrayDataset, a tf.data.Dataset or a torch Dataset. Received: "
                    f"{type(dataset).__name__}.")


def _join(elements, combine):
    if not elements:
        raise ValueError("The dataset to split is empty.")
    first = elements[0]
    if isinstance(first, dict):
        return {k: combine([e[k] for e in elements]) for k in first}
    if isinstance(first, tuple):
        return tuple(combine([e[i] for e in elements]) for i in range(len(first)))
    return combine(elements)


def _split_sizes(left_size, right_size, total):
    """Sample counts of the two sides, with Keras's checks and rounding."""
    if left_size is None and right_size is None:
        raise ValueError("At least one of the `left_size` or `right_size` must be specified. "
                         "Received: left_size=None and right_size=None")
    sizes = []
    for name, size in (("left_size", left_size), ("right_size", right_size)):
        if size is not None and (type(size) not in (int, float)):
            raise TypeError(f"Invalid `{name}` type. Expected: int or float or None, "
                            f"Received: type({name})={type(size)}.")
        if isinstance(size, int) and not 0 < size < total or \
                isinstance(size, float) and not 0 < size < 1:
            raise ValueError(f"`{name}` should be either a positive integer smaller than "
                             f"{total}, or a float within the range `(0, 1)`. Received: "
                             f"{name}={size}")
        sizes.append(round(size * total) if isinstance(size, float) else size)
    if isinstance(left_size, float) and isinstance(right_size, float) and \
            left_size + right_size > 1:
        raise ValueError("The sum of `left_size` and `right_size` is greater than 1. It must "
                         "be less than or equal to 1.")
    left, right = sizes
    left = total - right if left is None else left
    right = total - left if right is None else right
    if left + right > total:
        raise ValueError(f"The sum of `left_size` and `right_size` should be smaller than the "
                         f"{total} samples. Received: left_size + right_size = {left + right}")
    for size, side in ((left, "left"), (right, "right")):
        if size == 0:
            raise ValueError(f"With a dataset of {total} samples, left_size={left_size} and "
                             f"right_size={right_size}, the {side} split would be empty.")
    return int(left), int(right)


def split_dataset(dataset, left_size=None, right_size=None, shuffle=False, seed=None):
    """Splits a dataset into a left and a right part (for example train and test).

    Args:
        dataset: an array, a tuple/list/dict of arrays with the same length, a kfront
            ``ArrayDataset``, a ``tf.data.Dataset`` or a ``torch.utils.data.Dataset``.
        left_size: a float in (0, 1): the fraction of samples on the left; an int: their
            number; None: the complement of ``right_size``.
        right_size: likewise for the right part (samples are taken from the end).
        shuffle: shuffle the samples before splitting.
        seed: the shuffling seed.

    Returns:
        Two ``ArrayDataset`` objects (kfront-native, accepted by ``fit`` on every backend).
        They keep the batch size of a batched input and use batches of 32 otherwise
        (``.batch(n)`` rebatches, ``.unbatch()`` serves single samples). Keras 3 returns
        ``tf.data.Dataset`` objects (unbatched for array inputs) instead.

    >>> left, right = kfront.utils.split_dataset((x, y), left_size=0.8)
    """
    arrays, batch_size = _samples_of(dataset)
    lengths = sorted({len(a) for a in tree.flatten(arrays)})
    if len(lengths) != 1:
        raise ValueError("All arrays of a dataset must have the same number of samples; "
                         f"received lengths {lengths}.")
    total = lengths[0]
    left, right = _split_sizes(left_size, right_size, total)
    order = np.arange(total)
    if shuffle:
        order = np.random.RandomState(seed).permutation(total)
    pick = lambda idx: tree.map_structure(lambda a: a[idx], arrays)  # noqa: E731
    batch_size = batch_size or 32
    return (ArrayDataset(pick(order[:left]), batch_size),
            ArrayDataset(pick(order[total - right:]), batch_size))
