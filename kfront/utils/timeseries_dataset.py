"""``timeseries_dataset_from_array``: sliding windows over a series, built batch by batch."""
import math

import numpy as np

from kfront.trainers.data_adapters.engine_tensors import engine_to_numpy, is_engine_tensor
from kfront.utils.dataset_formats import check_format, wrap
from kfront.utils.py_dataset import PyDataset


def _as_numpy(x):
    return engine_to_numpy(x) if is_engine_tensor(x) else np.asarray(x)


class TimeseriesDataset(PyDataset):
    """Windows of ``data`` (and their targets) in batches; a window is gathered when its
    batch is requested, so memory holds the series once, not once per window."""

    def __init__(self, data, targets, starts, sequence_length, sampling_rate, batch_size):
        super().__init__()
        self.data, self.targets, self.starts = data, targets, starts
        self.offsets = np.arange(sequence_length) * sampling_rate
        self.batch_size = batch_size

    def __len__(self):
        if self.batch_size is None:
            return len(self.starts)
        return math.ceil(len(self.starts) / self.batch_size)

    def __getitem__(self, index):
        if not 0 <= index < len(self):
            raise IndexError(f"Batch index {index} is out of range for a dataset of "
                             f"{len(self)} batches.")
        if self.batch_size is None:
            starts = self.starts[index]
        else:
            starts = self.starts[index * self.batch_size:(index + 1) * self.batch_size]
        windows = self.data[np.asarray(starts)[..., None] + self.offsets]
        if self.targets is None:
            return windows
        return windows, self.targets[starts]

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    def cardinality(self):
        return len(self)


def _check_positive(name, value, length):
    if not isinstance(value, (int, np.integer)) or value <= 0:
        raise ValueError(f"`{name}` must be higher than 0. Received: {name}={value}")
    if value >= length:
        raise ValueError(f"`{name}` must be lower than the length of the data. Received: "
                         f"{name}={value}, for data of length {length}")


def timeseries_dataset_from_array(data, targets, sequence_length, sequence_stride=1,
                                  sampling_rate=1, batch_size=128, shuffle=False, seed=None,
                                  start_index=None, end_index=None, format="tf"):
    """Sliding windows over a time series, as a dataset of ``(windows, targets)`` batches.

    Window ``i`` holds the timesteps ``s_i, s_i + sampling_rate, ...`` (``sequence_length``
    of them) with ``s_i = start_index + i * sequence_stride``; its target is
    ``targets[s_i]``. To predict the value after a window, pass ``targets=data[length:]``.

    Args:
        data: array-like of timesteps, axis 0 is time.
        targets: targets per timestep (the window starting there), or None.
        sequence_length: timesteps per window.
        sequence_stride: step between the starts of consecutive windows.
        sampling_rate: step between the timesteps within a window.
        batch_size: windows per batch (the last may be smaller); None serves single windows.
        shuffle: shuffle the window order (once, with ``seed``).
        seed: the shuffling seed.
        start_index, end_index: only the timesteps ``data[start_index:end_index]`` are used.
        format: "tf" (default), "kfront", or "grain" (needs ``kfront[grain]``; a
            ``grain.IterDataset`` of NumPy batches).

    Returns:
        A ``tf.data.Dataset``, as in Keras 3; with ``format="kfront"`` or where TensorFlow
        is not installed, kfront's own ``Dataset``. ``fit``/``evaluate``/``predict`` accept
        either on every backend. Keras passes shuffled windows through a shuffle buffer;
        here the order is ``np.random.RandomState(seed)``'s permutation of all windows.

    >>> ds = kfront.utils.timeseries_dataset_from_array(
    ...     series[:-10], series[10:], sequence_length=10, batch_size=32)
    """
    check_format(format)
    data = _as_numpy(data)
    length = len(data)
    if start_index:
        if start_index < 0:
            raise ValueError(f"`start_index` must be 0 or greater. Received: "
                             f"start_index={start_index}")
        if start_index >= length:
            raise ValueError(f"`start_index` must be lower than the length of the data. "
                             f"Received: start_index={start_index}, for data of length {length}")
    if end_index:
        if start_index and end_index <= start_index:
            raise ValueError(f"`end_index` must be higher than `start_index`. Received: "
                             f"start_index={start_index}, and end_index={end_index}")
        if end_index >= length:
            raise ValueError(f"`end_index` must be lower than the length of the data. "
                             f"Received: end_index={end_index}, for data of length {length}")
        if end_index <= 0:
            raise ValueError(f"`end_index` must be higher than 0. Received: end_index={end_index}")
    _check_positive("sampling_rate", sampling_rate, length)
    _check_positive("sequence_stride", sequence_stride, length)
    if not isinstance(sequence_length, (int, np.integer)) or sequence_length <= 0:
        raise ValueError(f"`sequence_length` must be a positive integer. Received: "
                         f"sequence_length={sequence_length}")
    if batch_size is not None and (not isinstance(batch_size, (int, np.integer))
                                   or batch_size <= 0):
        raise ValueError(f"`batch_size` must be a positive integer or None. Received: "
                         f"batch_size={batch_size}")
    start_index = start_index or 0
    end_index = end_index or length
    num_seqs = end_index - start_index - (sequence_length - 1) * sampling_rate
    if targets is not None:
        targets = _as_numpy(targets)
        num_seqs = min(num_seqs, len(targets) - start_index)
    starts = np.arange(0, max(num_seqs, 0), sequence_stride, dtype="int64")
    if shuffle:
        if seed is None:
            seed = np.random.randint(1_000_000)
        np.random.RandomState(seed).shuffle(starts)
    starts = starts + start_index
    windows = TimeseriesDataset(data, targets, starts, sequence_length, sampling_rate,
                                batch_size)
    # Grain shuffles the (already permuted) windows once more, with the same seed, as Keras.
    return wrap(windows, format, batched=batch_size is not None, shuffle=shuffle, seed=seed)
