"""``Reshape``: gives each sample a new shape (one -1 allowed)."""
import math

from kfront import ops
from kfront.layers.layer import Layer


class Reshape(Layer):
    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        target_shape = tuple(target_shape)
        if sum(1 for d in target_shape if d == -1) > 1:
            raise ValueError(f"Reshape: at most one -1 allowed in target_shape, received "
                             f"{target_shape}.")
        self.target_shape = target_shape
        self.built = True

    def compute_output_shape(self, input_shape):
        known = [d for d in input_shape[1:]]
        out = list(self.target_shape)
        if all(d is not None for d in known):
            total = math.prod(known)
            fixed = math.prod(d for d in out if d != -1)
            if -1 in out:
                if fixed == 0 or total % fixed:
                    raise ValueError(self._mismatch(input_shape))
                out[out.index(-1)] = total // fixed
            elif fixed != total:
                raise ValueError(self._mismatch(input_shape))
        else:
            out = [None if d == -1 else d for d in out]
        return (input_shape[0],) + tuple(out)

    def _mismatch(self, input_shape):
        return (f'Reshape layer "{self.name}": cannot reshape an input of shape {input_shape} '
                f"to target_shape {self.target_shape}: the number of elements per sample differs.")

    def call(self, inputs):
        shape = ops.shape(inputs)
        out = self.compute_output_shape(tuple(shape))
        return ops.reshape(inputs, (-1,) + tuple(-1 if d is None else d for d in out[1:]))

    def get_config(self):
        return {**super().get_config(), "target_shape": self.target_shape}
