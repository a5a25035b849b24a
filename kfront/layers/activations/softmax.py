"""``Softmax``: softmax over ``axis``; masked positions get (nearly) zero probability."""
from kfront import ops
from kfront.layers.layer import Layer


def _large_negative(dtype):
    return -3e4 if dtype == "float16" else -1e9


class Softmax(Layer):
    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis
        self.supports_masking = True
        self.built = True

    def call(self, inputs, mask=None):
        if mask is not None:
            in_shape, m_shape = ops.shape(inputs), ops.shape(mask)
            if len(m_shape) > len(in_shape) or any(
                    m not in (None, 1, i) and i is not None
                    for m, i in zip(m_shape[::-1], in_shape[::-1])):
                raise ValueError("Softmax: the mask must be broadcastable to the inputs. "
                                 f"Received: inputs.shape={in_shape}, mask.shape={m_shape}")
            if ops.dtype(mask) != "bool":
                mask = ops.greater(mask, 0.5)
            inputs = ops.where(mask, inputs, _large_negative(ops.dtype(inputs)))
        if isinstance(self.axis, (list, tuple)) and len(self.axis) > 1:
            outputs = ops.exp(inputs - ops.logsumexp(inputs, axis=tuple(self.axis),
                                                     keepdims=True))
        else:
            axis = self.axis[0] if isinstance(self.axis, (list, tuple)) else self.axis
            outputs = ops.softmax(inputs, axis=axis)
        if mask is not None:
            # A fully masked axis would otherwise come out uniform.
            outputs = ops.where(mask, outputs, 0.0)
        return outputs

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}
