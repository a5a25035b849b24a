"""NumPy helpers for labels and vectors: ``to_categorical`` and ``normalize``."""
import numpy as np


def to_categorical(x, num_classes=None):
    """One-hot encodes integer class labels.

    Args:
        x: integer labels, any shape; a trailing dimension of 1 is dropped.
        num_classes: the number of classes; defaults to ``max(x) + 1``.

    Returns:
        A float32 NumPy array of shape ``x.shape + (num_classes,)``.

    >>> to_categorical([0, 2], num_classes=3)
    array([[1., 0., 0.],
           [0., 0., 1.]], dtype=float32)
    """
    x = np.asarray(x)
    if x.dtype.kind == "f":
        if not np.all(np.equal(np.mod(x, 1), 0)):
            raise ValueError("to_categorical expects integer class labels; got non-integer "
                             "values.")
    x = x.astype("int64")
    shape = x.shape
    if len(shape) > 1 and shape[-1] == 1:
        shape = shape[:-1]
    x = x.reshape(-1)
    if num_classes is None or num_classes == 0:
        num_classes = int(x.max()) + 1 if x.size else 0
    num_classes = int(num_classes)
    if x.size and (x.min() < 0 or x.max() >= num_classes):
        raise ValueError(
            f"to_categorical: labels must lie in [0, {num_classes}); got values from "
            f"{int(x.min())} to {int(x.max())} with num_classes={num_classes}."
        )
    categorical = np.zeros((x.size, num_classes), dtype="float32")
    categorical[np.arange(x.size), x] = 1.0
    return categorical.reshape(shape + (num_classes,))


def normalize(x, axis=-1, order=2):
    """Scales ``x`` to unit ``order``-norm along ``axis`` (zero vectors stay zero).

    NumPy arrays (and lists) give a NumPy array; engine tensors give a tensor.
    """
    if not isinstance(x, (np.ndarray, list, tuple)):
        from kfront import ops
        norm = ops.norm(x, ord=order, axis=axis, keepdims=True)
        norm = ops.where(ops.equal(norm, 0), ops.ones_like(norm), norm)
        return ops.divide(x, norm)
    x = np.asarray(x)
    norm = np.atleast_1d(np.linalg.norm(x, order, axis))
    norm[norm == 0] = 1
    return x / np.expand_dims(norm, axis)
