"""``Concatenate``: joins a list of tensors along one axis."""
from kfront import ops
from kfront.backend.keras_tensor import KerasTensor
from kfront.layers.layer import Layer, _shape


class Concatenate(Layer):
    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis

    def build(self, input_shape):
        if not isinstance(input_shape, (list, tuple)) or len(input_shape) < 2 or \
                not isinstance(input_shape[0], (list, tuple)):
            raise ValueError(f'Layer "{self.name}" (Concatenate) should be called on a list of at '
                             f"least 2 inputs. Received: input_shape={input_shape}")
        self._output_shape(input_shape)
        self.built = True

    def _output_shape(self, shapes):
        ranks = {len(s) for s in shapes}
        if len(ranks) != 1:
            raise ValueError(f'Layer "{self.name}" (Concatenate) needs inputs of the same rank. '
                             f"Received input shapes: {list(shapes)}")
        rank = ranks.pop()
        axis = self.axis % rank
        out = list(shapes[0])
        for s in shapes[1:]:
            for i in range(rank):
                if i == axis:
                    out[i] = None if out[i] is None or s[i] is None else out[i] + s[i]
                elif out[i] is not None and s[i] is not None and out[i] != s[i]:
                    raise ValueError(
                        f'Layer "{self.name}" (Concatenate) needs inputs with matching shapes '
                        f"except for the concatenation axis {self.axis}. Received input shapes: "
                        f"{list(shapes)}"
                    )
        return tuple(out)

    def call(self, inputs):
        return ops.concatenate(list(inputs), axis=self.axis)

    def compute_output_spec(self, inputs):
        return KerasTensor(self._output_shape([tuple(_shape(x)) for x in inputs]),
                           dtype=inputs[0].dtype)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}


def concatenate(inputs, axis=-1, **kwargs):
    return Concatenate(axis=axis, **kwargs)(inputs)
