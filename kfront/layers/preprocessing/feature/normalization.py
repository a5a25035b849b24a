"""``Normalization``: feature-wise ``(x - mean) / sqrt(variance)``, statistics from ``adapt``."""
import numpy as np

from kfront import config, ops
from kfront.layers.layer import Layer
from kfront.layers.preprocessing.feature.host import batches


class Normalization(Layer):
    """Shifts and scales inputs to zero mean and unit variance per feature.

    Args:
        axis: the axis (or axes) with one statistic per index; the others are reduced.
            ``None`` gives one scalar mean and variance.
        mean, variance: fixed statistics (broadcastable to the kept axes); otherwise they
            come from ``adapt(data)``.
        invert: apply the inverse, ``mean + x * sqrt(variance)``.

    >>> layer = Normalization()
    >>> layer.adapt(np.array([[0.0], [2.0]]))
    >>> layer(np.array([[4.0]]))   # (4 - 1) / 1
    """

    def __init__(self, axis=-1, mean=None, variance=None, invert=False, **kwargs):
        super().__init__(**kwargs)
        if axis is None:
            axis = ()
        elif isinstance(axis, int):
            axis = (axis,)
        elif not all(isinstance(a, int) for a in axis):
            raise ValueError(f"Normalization: `axis` must be an int, a tuple of ints or None, "
                             f"received {axis!r}.")
        self.axis = tuple(axis)
        if (mean is None) != (variance is None):
            raise ValueError("Normalization: pass both `mean` and `variance`, or neither "
                             f"(then call `adapt`). Received: mean={mean}, variance={variance}")
        self.input_mean = mean
        self.input_variance = variance
        self.invert = bool(invert)
        self._keep = None

    def _kept_axes(self, ndim):
        if not all(-ndim <= a < ndim for a in self.axis):
            raise ValueError(f"Normalization: `axis` {self.axis} is out of range for inputs of "
                             f"rank {ndim}.")
        return sorted(a % ndim for a in self.axis)

    def build(self, input_shape):
        ndim = len(input_shape)
        keep = self._kept_axes(ndim)
        if any(input_shape[d] is None for d in keep):
            raise ValueError("Normalization: all `axis` values to be kept must have a known "
                             f"size. Received axis={self.axis}, input shape="
                             f"{tuple(input_shape)}.")
        self._keep = keep
        self._broadcast = tuple(input_shape[d] if d in keep else 1 for d in range(ndim))
        stat_shape = tuple(input_shape[d] for d in keep)
        if self.input_mean is None:
            self.adapt_mean = self.add_weight(name="mean", shape=stat_shape,
                                              initializer="zeros", trainable=False)
            self.adapt_variance = self.add_weight(name="variance", shape=stat_shape,
                                                  initializer="ones", trainable=False)
            # Unused by the computation; Keras keeps it (third) so that weight files
            # written by either library load in the other.
            self.count = self.add_weight(name="count", shape=(), dtype="int64",
                                         initializer="zeros", trainable=False)
        self.built = True

    def _stats(self):
        if self.input_mean is not None:
            mean = np.broadcast_to(np.asarray(self.input_mean, "float32"), self._broadcast)
            var = np.broadcast_to(np.asarray(self.input_variance, "float32"), self._broadcast)
            return (ops.convert_to_tensor(np.ascontiguousarray(mean)),
                    ops.convert_to_tensor(np.ascontiguousarray(var)))
        return (ops.reshape(self.adapt_mean.value, self._broadcast),
                ops.reshape(self.adapt_variance.value, self._broadcast))

    def adapt(self, data, batch_size=None, steps=None):
        """Computes the mean and variance of ``data`` (an array, or a dataset of batches)."""
        count, mean, m2 = 0, None, None
        for i, batch in enumerate(batches(data)):
            if steps is not None and i >= steps:
                break
            x = np.asarray(batch if isinstance(batch, np.ndarray) else
                           ops.convert_to_numpy(batch) if ops.is_tensor(batch) else batch,
                           dtype="float64")
            if x.ndim == 1 and self.axis == (-1,):
                x = x[:, None]  # a vector of samples of one feature
            if not self.built:
                self.build((None,) + x.shape[1:])
            reduce = tuple(d for d in range(x.ndim) if d not in self._keep)
            n = int(np.prod([x.shape[d] for d in reduce])) if reduce else 1
            b_mean = x.mean(axis=reduce)
            b_m2 = ((x - x.mean(axis=reduce, keepdims=True)) ** 2).sum(axis=reduce)
            if mean is None:
                count, mean, m2 = n, b_mean, b_m2
                continue
            # Chan et al.'s pairwise update: exact, without keeping the batches.
            delta = b_mean - mean
            total = count + n
            mean = mean + delta * n / total
            m2 = m2 + b_m2 + delta ** 2 * count * n / total
            count = total
        if mean is None:
            raise ValueError("Normalization.adapt received no data.")
        if self.input_mean is not None:
            raise ValueError("Normalization: `adapt` cannot be used when `mean` and `variance` "
                             "were passed to the constructor.")
        self.adapt_mean.assign(np.asarray(mean, "float32").reshape(self.adapt_mean.shape))
        self.adapt_variance.assign(np.asarray(m2 / count, "float32")
                                   .reshape(self.adapt_variance.shape))

    def call(self, inputs):
        inputs = ops.cast(inputs, self.dtype if "float" in self.dtype else "float32")
        mean, var = self._stats()
        scale = ops.maximum(ops.sqrt(var), config.epsilon())
        if self.invert:
            return mean + inputs * scale
        return (inputs - mean) / scale

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        def listify(v):
            return None if v is None else np.asarray(v).tolist()
        axis = self.axis[0] if len(self.axis) == 1 else (None if not self.axis else
                                                         list(self.axis))
        return {**super().get_config(), "axis": axis, "invert": self.invert,
                "mean": listify(self.input_mean), "variance": listify(self.input_variance)}
