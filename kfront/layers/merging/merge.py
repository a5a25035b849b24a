"""Merge layers: combine a list of same-shaped tensors into one."""
from kfront import ops
from kfront.layers.layer import Layer, _shape


class Merge(Layer):
    """Base: checks the inputs form a list of at least two broadcast-compatible tensors."""

    def build(self, input_shape):
        if not isinstance(input_shape, (list, tuple)) or not input_shape or \
                not isinstance(input_shape[0], (list, tuple)) or len(input_shape) < 2:
            raise ValueError(f'A merge layer ("{self.name}") should be called on a list of at '
                             f"least 2 inputs. Received: input_shape={input_shape}")
        self._check_shapes(input_shape)
        self.built = True

    def _check_shapes(self, shapes):
        ranks = {len(s) for s in shapes}
        if len(ranks) == 1:
            for axis in range(1, len(shapes[0])):
                sizes = {s[axis] for s in shapes if s[axis] is not None} - {1}
                if len(sizes) > 1:
                    raise ValueError(
                        f'Layer "{self.name}" needs inputs with matching shapes except for the '
                        f"batch axis. Received input shapes: {list(shapes)}"
                    )

    def call(self, inputs):
        out = inputs[0]
        for x in inputs[1:]:
            out = self._merge(out, x)
        return out

    def compute_output_spec(self, inputs):
        from kfront.backend.keras_tensor import KerasTensor
        shapes = [tuple(_shape(x)) for x in inputs]
        out = list(shapes[0])
        for s in shapes[1:]:
            out = [a if b in (None, 1) else b for a, b in zip(out, s)]
        return KerasTensor(tuple(out), dtype=inputs[0].dtype)


class Add(Merge):
    def _merge(self, a, b):
        return ops.add(a, b)


class Subtract(Merge):
    def build(self, input_shape):
        super().build(input_shape)
        if len(input_shape) != 2:
            raise ValueError(f'Layer "{self.name}" (Subtract) needs exactly 2 inputs, received '
                             f"{len(input_shape)}.")

    def _merge(self, a, b):
        return ops.subtract(a, b)


class Multiply(Merge):
    def _merge(self, a, b):
        return ops.multiply(a, b)


class Maximum(Merge):
    def _merge(self, a, b):
        return ops.maximum(a, b)


class Minimum(Merge):
    def _merge(self, a, b):
        return ops.minimum(a, b)


class Average(Merge):
    def call(self, inputs):
        return super().call(inputs) / float(len(inputs))

    def _merge(self, a, b):
        return ops.add(a, b)


def add(inputs, **kwargs):
    return Add(**kwargs)(inputs)


def subtract(inputs, **kwargs):
    return Subtract(**kwargs)(inputs)


def multiply(inputs, **kwargs):
    return Multiply(**kwargs)(inputs)


def maximum(inputs, **kwargs):
    return Maximum(**kwargs)(inputs)


def minimum(inputs, **kwargs):
    return Minimum(**kwargs)(inputs)


def average(inputs, **kwargs):
    return Average(**kwargs)(inputs)
