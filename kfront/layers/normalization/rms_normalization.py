"""``RMSNormalization``: scales inputs by the reciprocal of their root mean square."""
from kfront import ops
from kfront.layers.layer import Layer
from kfront.layers.normalization._common import check_axes


class RMSNormalization(Layer):
    """``x * rsqrt(mean(square(x), axis) + epsilon) * scale`` (Zhang and Sennrich, 2019),
    computed in at least float32.

    Args:
        axis: the axis or axes to normalize over (default -1, the features).
        epsilon: added to the mean square (default 1e-6).

    Example: ``RMSNormalization()(x)`` on ``(batch, seq, 64)`` has a trainable ``scale``
    of shape ``(64,)``.
    """

    def __init__(self, axis=-1, epsilon=1e-6, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axis, (list, tuple)) and all(
                isinstance(a, int) and not isinstance(a, bool) for a in axis):
            axis = list(axis)
        elif not isinstance(axis, int) or isinstance(axis, bool):
            raise TypeError("RMSNormalization: expected an int or a list/tuple of ints for "
                            f"`axis`, received axis={axis!r}.")
        self.axis = axis
        self.epsilon = epsilon
        self.supports_masking = True

    def _axes(self):
        return self.axis if isinstance(self.axis, list) else [self.axis]

    def build(self, input_shape):
        rank = len(input_shape)
        self._norm_axes = sorted(check_axes("RMSNormalization", self._axes(), rank))
        shape = tuple(input_shape[a] for a in self._norm_axes)
        if any(d is None for d in shape):
            raise ValueError(f'RMSNormalization "{self.name}": the normalized axes must have '
                             f"known sizes. Received input shape {tuple(input_shape)}.")
        self._broadcast = [input_shape[i] if i in self._norm_axes else 1 for i in range(rank)]
        self.scale = self.add_weight(name="scale", shape=shape, initializer="ones")
        self.built = True

    def call(self, x):
        dtype = ops.dtype(x)
        work = "float64" if dtype == "float64" else "float32"
        x32 = ops.cast(x, work)
        rrms = 1.0 / ops.sqrt(ops.mean(ops.square(x32), axis=self._norm_axes, keepdims=True)
                              + self.epsilon)
        scale = ops.cast(self.scale.value, work)
        if self._norm_axes != [len(self._broadcast) - 1]:
            scale = ops.reshape(scale, self._broadcast)
        return ops.cast(x32 * rrms * scale, dtype)

    def compute_output_shape(self, input_shape):
        check_axes("RMSNormalization", self._axes(), len(input_shape))
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis, "epsilon": self.epsilon}
