"""What the dataset utilities return, by ``format``: a ``tf.data.Dataset`` (``"tf"``, the
default, as in Keras 3), a Grain dataset (``"grain"``) or kfront's own ``Dataset``
(``"kfront"``, and what ``"tf"`` gives where TensorFlow is not installed).

Every utility first builds a ``PyDataset`` of batches (kfront's loader, the same on every
backend); this module wraps it. TensorFlow is imported only here, and only when a
``tf.data`` result is asked for, so ``import kfront`` on torch or JAX never loads it.
"""
import numpy as np

from kfront.utils import tree
from kfront.utils.dataset_pipeline import Dataset

FORMATS = ("tf", "grain", "kfront")


def check_format(format):
    if format not in FORMATS:
        raise ValueError('`format` should be either "tf", "grain" or "kfront". Received: '
                         f"format={format!r}")
    if format == "grain":
        from kfront.utils.grain_dataset import import_grain
        import_grain()


def _passes(batches):
    """One pass over the batches of a PyDataset, then its ``on_epoch_end`` (a new
    shuffle order for the next pass)."""
    for i in range(len(batches)):
        yield batches[i]
    batches.on_epoch_end()


def _tensorflow():
    try:
        import tensorflow as tf
    except ImportError:
        return None
    return tf


def _tf_spec(tf, value, batched):
    value = np.asarray(value) if not isinstance(value, str) else np.asarray(value, object)
    if value.dtype == object or value.dtype.kind in "US":
        dtype = tf.string
    else:
        dtype = tf.as_dtype(value.dtype)
    shape = list(value.shape)
    if batched and shape:
        shape[0] = None
    return tf.TensorSpec(shape, dtype)


def _to_tf(tf, batches, batched, ragged_axes=()):
    first = batches[0]
    signature = tree.map_structure(lambda v: _tf_spec(tf, v, batched), first)
    for path in ragged_axes:
        # Lengths that vary between elements (audio clips of different durations).
        spec = signature[path] if isinstance(signature, tuple) else signature
        shape = list(spec.shape)
        shape[1 if batched else 0] = None
        spec = tf.TensorSpec(shape, spec.dtype)
        if isinstance(signature, tuple):
            signature = signature[:path] + (spec,) + signature[path + 1:]
        else:
            signature = spec
    dataset = tf.data.Dataset.from_generator(lambda: _passes(batches),
                                             output_signature=signature)
    return dataset.apply(tf.data.experimental.assert_cardinality(len(batches)))


def wrap(batches, format, batched=True, attributes=None, varying_length=(), shuffle=False,
         seed=None):
    """The dataset to return for the PyDataset ``batches``, in ``format`` (checked by
    ``check_format``); ``attributes`` (``class_names``, ``file_paths``) are set on it.

    Args:
        batches: a PyDataset whose items are the dataset's elements (for "grain", built
            unshuffled, with a ``batch_size`` attribute: see ``grain_dataset.to_grain``).
        format: "tf", "grain" or "kfront".
        batched: whether the elements carry a batch dimension.
        attributes: a dict of attributes to set on the result.
        varying_length: positions (in the element tuple) whose length (the axis after the
            batch axis) varies between elements.
        shuffle, seed: for "grain", shuffle the elements once with this seed (the other
            formats shuffle inside ``batches``).
    """
    tf = _tensorflow() if format == "tf" else None
    if format == "grain":
        from kfront.utils.grain_dataset import to_grain
        dataset = to_grain(batches, batches.batch_size, shuffle, seed, varying_length)
    elif tf is not None:
        dataset = _to_tf(tf, batches, batched, varying_length)
    else:
        dataset = Dataset(lambda: _passes(batches), len(batches))
    for key, value in (attributes or {}).items():
        setattr(dataset, key, value)
    return dataset
