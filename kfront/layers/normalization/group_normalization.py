"""``GroupNormalization``: normalizes each example over groups of channels."""
from kfront import ops
from kfront.layers.input_spec import InputSpec
from kfront.layers.layer import Layer
from kfront.layers.normalization._common import AffineParams, check_axes


class GroupNormalization(Layer):
    def __init__(self, groups=32, axis=-1, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones", beta_regularizer=None,
                 gamma_regularizer=None, beta_constraint=None, gamma_constraint=None, **kwargs):
        super().__init__(**kwargs)
        self.groups = groups
        self.axis = axis
        self.epsilon = epsilon
        self.center = center
        self.scale = scale
        self._params = AffineParams(beta_initializer, gamma_initializer, beta_regularizer,
                                    gamma_regularizer, beta_constraint, gamma_constraint)
        self.supports_masking = True
        self.gamma = self.beta = None

    def build(self, input_shape):
        rank = len(input_shape)
        axis = check_axes("GroupNormalization", [self.axis], rank)[0]
        dim = input_shape[axis]
        if dim is None:
            raise ValueError(f"GroupNormalization: axis {self.axis} of the input should have a "
                             f"defined dimension, but received input shape {input_shape}.")
        if self.groups == -1:
            self.groups = dim
        if dim < self.groups:
            raise ValueError(f"GroupNormalization: number of groups ({self.groups}) cannot be "
                             f"more than the number of channels ({dim}).")
        if dim % self.groups != 0:
            raise ValueError(f"GroupNormalization: the number of channels ({dim}) must be a "
                             f"multiple of the number of groups ({self.groups}).")
        self._axis = axis
        self._broadcast = [1] * (rank + 1)
        self._broadcast[axis:axis + 2] = [self.groups, dim // self.groups]
        self.input_spec = InputSpec(ndim=rank, axes={axis: dim})
        self._params.add(self, (dim,), self.center, self.scale)
        self.built = True

    def call(self, inputs):
        shape = list(ops.shape(inputs))
        shape[0] = -1
        a = self._axis
        grouped = ops.reshape(inputs, shape[:a] + [self.groups, shape[a] // self.groups]
                              + shape[a + 1:])
        axes = [i for i in range(1, len(shape) + 1) if i != a]
        mean, variance = ops.moments(grouped, axes, keepdims=True)
        inv = 1.0 / ops.sqrt(variance + self.epsilon)
        if self.gamma is not None:
            inv = inv * ops.reshape(self.gamma.value, self._broadcast)
        res = -mean * inv
        if self.beta is not None:
            res = res + ops.reshape(self.beta.value, self._broadcast)
        return ops.reshape(grouped * inv + res, shape)

    def compute_output_shape(self, input_shape):
        check_axes("GroupNormalization", [self.axis], len(input_shape))
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "groups": self.groups, "axis": self.axis,
                "epsilon": self.epsilon, "center": self.center, "scale": self.scale,
                **self._params.config()}
