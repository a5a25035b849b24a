"""``Dot``: per-example dot product of two tensors along given axes (``dot`` functional
form)."""
from kfront import config, ops
from kfront.layers.layer import Layer

_LETTERS = "bcdefghijklmnopqrstuvwxyz"


def _l2_normalize(x, axis):
    norm = ops.sqrt(ops.sum(ops.square(x), axis=axis, keepdims=True))
    return x / ops.maximum(norm, config.epsilon())


def _batch_dot_spec(rank1, rank2, axes):
    """The einsum equation contracting ``axes`` per example; a 1-D result gains an axis."""
    x1 = ["a"] + [_LETTERS[i] for i in range(rank1 - 1)]
    x2 = ["a"] + [_LETTERS[rank1 - 1 + i] for i in range(rank2 - 1)]
    x2[axes[1]] = x1[axes[0]]
    out = [c for i, c in enumerate(x1) if i != axes[0]] + \
        [c for i, c in enumerate(x2) if i not in (0, axes[1])]
    return f"{''.join(x1)},{''.join(x2)}->{''.join(out)}", len(out) == 1


class Dot(Layer):
    def __init__(self, axes, normalize=False, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(axes, int):
            if not isinstance(axes, (list, tuple)):
                raise TypeError("Dot: invalid type for argument `axes`: it should be a list or "
                                f"an int. Received: axes={axes!r}")
            if len(axes) != 2:
                raise ValueError("Dot: invalid format for argument `axes`: it should contain "
                                 f"two elements. Received: axes={axes!r}")
            if not all(isinstance(a, int) for a in axes):
                raise ValueError("Dot: invalid format for argument `axes`: list elements "
                                 f"should be integers. Received: axes={axes!r}")
        self.axes = axes
        self.normalize = normalize
        self.supports_masking = True

    def _resolve_axes(self, rank1, rank2):
        axes = [self.axes, self.axes] if isinstance(self.axes, int) else list(self.axes)
        axes = [axes[0] % rank1, axes[1] % rank2]
        if 0 in axes:
            raise ValueError(f'Dot "{self.name}": cannot take the dot product over the batch '
                             f"axis. Received: axes={self.axes}")
        return axes

    def _check(self, input_shape):
        if not isinstance(input_shape, (list, tuple)) or len(input_shape) != 2 or \
                not isinstance(input_shape[0], (list, tuple)):
            raise ValueError("A `Dot` layer should be called on a list of 2 inputs. "
                             f"Received: input_shape={input_shape}")
        shape1, shape2 = (tuple(s) for s in input_shape)
        if len(shape1) < 2 or len(shape2) < 2:
            raise ValueError(f'Dot "{self.name}": inputs need a batch axis and at least one '
                             f"more. Received input shapes {shape1}, {shape2}")
        axes = self._resolve_axes(len(shape1), len(shape2))
        d1, d2 = shape1[axes[0]], shape2[axes[1]]
        if d1 is not None and d2 is not None and d1 != d2:
            raise ValueError(f"Dot: incompatible input shapes: axis values {d1} (at axis "
                             f"{axes[0]}) != {d2} (at axis {axes[1]}). Full input shapes: "
                             f"{shape1}, {shape2}")
        return shape1, shape2, axes

    def build(self, input_shape):
        self._check(input_shape)
        self.built = True

    def call(self, inputs):
        if len(inputs) != 2:
            raise ValueError("A `Dot` layer should be called on exactly 2 inputs. "
                             f"Received {len(inputs)} inputs.")
        x1, x2 = inputs
        r1, r2 = len(ops.shape(x1)), len(ops.shape(x2))
        axes = self._resolve_axes(r1, r2)
        if self.normalize:
            x1 = _l2_normalize(x1, axes[0])
            x2 = _l2_normalize(x2, axes[1])
        equation, expand = _batch_dot_spec(r1, r2, axes)
        out = ops.einsum(equation, x1, x2)
        return ops.expand_dims(out, 1) if expand else out

    def compute_output_shape(self, input_shape):
        shape1, shape2, axes = self._check(input_shape)
        out = [d for i, d in enumerate(shape1) if i != axes[0]] + \
            [d for i, d in enumerate(shape2) if i not in (0, axes[1])]
        return tuple(out) if len(out) > 1 else (out[0], 1)

    def compute_output_spec(self, inputs):
        from kfront.backend.keras_tensor import KerasTensor
        shape = self.compute_output_shape([tuple(x.shape) for x in inputs])
        return KerasTensor(shape, dtype=inputs[0].dtype)

    def get_config(self):
        return {**super().get_config(), "axes": self.axes, "normalize": self.normalize}


def dot(inputs, axes=-1, **kwargs):
    """Functional form of ``Dot``: ``dot([x1, x2], axes)``."""
    return Dot(axes=axes, **kwargs)(inputs)
