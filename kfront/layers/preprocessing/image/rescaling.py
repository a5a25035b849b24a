"""``Rescaling``: multiplies inputs by ``scale`` and adds ``offset`` (e.g. [0, 255] to [0, 1])."""
import numpy as np

from kfront import ops
from kfront.layers.layer import Layer


class Rescaling(Layer):
    """``outputs = inputs * scale + offset``, in the layer's float dtype.

    Args:
        scale: a number, or one number per channel (a list broadcast on the last axis).
        offset: a number, or one per channel.
    """

    def __init__(self, scale, offset=0.0, **kwargs):
        super().__init__(**kwargs)
        for arg, value in (("scale", scale), ("offset", offset)):
            try:
                np.asarray(value, dtype="float64")
            except (TypeError, ValueError):
                raise ValueError(f"Rescaling: `{arg}` must be a number or a list of numbers. "
                                 f"Received: {arg}={value!r}") from None
        self.scale = scale
        self.offset = offset
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        x = ops.cast(inputs, self.dtype)
        scale = ops.convert_to_tensor(np.asarray(self.scale), dtype=self.dtype)
        offset = ops.convert_to_tensor(np.asarray(self.offset), dtype=self.dtype)
        return x * scale + offset

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "scale": self.scale, "offset": self.offset}
