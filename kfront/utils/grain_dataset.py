"""Grain datasets for the dataset utilities (``format="grain"``), built as Keras 3 builds them:
a ``grain.MapDataset`` over the single elements, shuffled once by ``MapDataset.shuffle(seed)``
when asked, then ``to_iter_dataset()`` and ``batch(batch_size)``: the result is a
``grain.IterDataset``.

Elements are NumPy arrays (texts: object arrays of ``str``), the same values
``format="kfront"`` gives, so a Grain pipeline also runs in worker processes. Grain is imported
only when a Grain dataset is asked for: ``import kfront`` never loads it.
"""
import copy
import functools

import numpy as np

from kfront.utils.dataset_pipeline import _stack

GRAIN_MISSING = ('format="grain" requires the grain package, which is not installed. Install '
                 'it with `pip install kfront[grain]` (or `pip install grain`), or use '
                 'format="tf" or format="kfront".')


def import_grain():
    """The ``grain`` module, or an ImportError naming the ``kfront[grain]`` extra."""
    try:
        import grain
    except ImportError:
        raise ImportError(GRAIN_MISSING) from None
    return grain


def _pad_to_longest(values):
    # Clips of different lengths in one batch are zero-padded to the longest, as the
    # other formats of audio_dataset_from_directory pad them.
    longest = max(len(v) for v in values)
    return [np.pad(v, [(0, longest - len(v))] + [(0, 0)] * (v.ndim - 1)) for v in values]


def make_batch(values, varying_length=()):
    """Grain's ``batch_fn``: elements stacked along a new first axis; the positions in
    ``varying_length`` (of a tuple element, or 0 for a bare one) are zero-padded first."""
    if not values:
        raise ValueError("Cannot batch 0 elements.")
    if varying_length:
        if isinstance(values[0], tuple):
            columns = [list(c) for c in zip(*values)]
            for i in varying_length:
                columns[i] = _pad_to_longest(columns[i])
            values = [tuple(c[k] for c in columns) for k in range(len(values))]
        else:
            values = _pad_to_longest(values)
    return _stack(values)


def to_grain(batches, batch_size, shuffle=False, seed=None, varying_length=()):
    """The ``grain.IterDataset`` of a utility's PyDataset ``batches`` (built unshuffled).

    Args:
        batches: a PyDataset with a ``batch_size`` attribute; a copy with
            ``batch_size=None`` serves the single elements.
        batch_size: elements per batch (the last may be smaller); None: single elements.
        shuffle: shuffle the elements with ``MapDataset.shuffle(seed)`` (one order, the same
            on every pass, as in Keras).
        seed: the shuffling seed.
        varying_length: element positions zero-padded to the longest of their batch.
    """
    grain = import_grain()
    elements = copy.copy(batches)
    elements.batch_size = None
    dataset = grain.MapDataset.source(elements)
    if shuffle:
        dataset = dataset.shuffle(seed=int(seed))
    dataset = dataset.to_iter_dataset()
    if batch_size is not None:
        dataset = dataset.batch(batch_size, batch_fn=functools.partial(
            make_batch, varying_length=tuple(varying_length)))
    return dataset
