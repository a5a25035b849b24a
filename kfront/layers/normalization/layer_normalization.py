"""``LayerNormalization``: normalizes each example over ``axis`` (the features)."""
import warnings

from kfront import ops
from kfront.backend.loader import adapter
from kfront.layers.layer import Layer
from kfront.layers.normalization._common import AffineParams, check_axes


class LayerNormalization(Layer):
    def __init__(self, axis=-1, epsilon=1e-3, center=True, scale=True, rms_scaling=False,
                 beta_initializer="zeros", gamma_initializer="ones", beta_regularizer=None,
                 gamma_regularizer=None, beta_constraint=None, gamma_constraint=None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axis, (list, tuple)):
            self.axis = list(axis)
        elif isinstance(axis, int) and not isinstance(axis, bool):
            self.axis = axis
        else:
            raise TypeError("LayerNormalization: expected an int or a list/tuple of ints for "
                            f"`axis`, received axis={axis!r}.")
        if rms_scaling:
            warnings.warn("LayerNormalization: rms_scaling=True scales by the variance (as "
                          "Keras 3 does), not by the root mean square.")
        self.epsilon = epsilon
        self.center = center
        self.scale = scale
        self.rms_scaling = rms_scaling
        self._params = AffineParams(beta_initializer, gamma_initializer, beta_regularizer,
                                    gamma_regularizer, beta_constraint, gamma_constraint)
        self.supports_masking = True
        self.gamma = self.beta = None

    def _axes(self):
        return self.axis if isinstance(self.axis, list) else [self.axis]

    def build(self, input_shape):
        rank = len(input_shape)
        self._norm_axes = sorted(check_axes("LayerNormalization", self._axes(), rank))
        shape = tuple(input_shape[a] for a in self._norm_axes)
        if any(d is None for d in shape):
            raise ValueError(f'LayerNormalization "{self.name}": the normalized axes must have '
                             f"known sizes. Received input shape {input_shape}.")
        self._broadcast = [input_shape[i] if i in self._norm_axes else 1 for i in range(rank)]
        self._params.add(self, shape, self.center, self.scale)
        self.built = True

    def _shaped(self, v):
        if v is None:
            return None
        value = v.value
        if self._norm_axes != [len(self._broadcast) - 1]:
            value = ops.reshape(value, self._broadcast)
        return value

    def _fused_kernel(self):
        """The engine's fused ``layer_norm`` kernel when it computes this layer's formula
        (trailing normalized axes, no rms_scaling), else None: see ``contract.OPTIONAL``."""
        rank = len(self._broadcast)
        if self.rms_scaling or self._norm_axes != list(range(rank - len(self._norm_axes), rank)):
            return None
        return getattr(adapter(), "layer_norm", None)

    def call(self, inputs):
        kernel = self._fused_kernel()
        if kernel is not None:
            return kernel(inputs, None if self.gamma is None else self.gamma.value,
                          None if self.beta is None else self.beta.value,
                          self._norm_axes, self.epsilon)
        gamma, beta = self._shaped(self.gamma), self._shaped(self.beta)
        mean, variance = ops.moments(inputs, self._norm_axes, keepdims=True)
        inv = 1.0 / ops.sqrt(variance + self.epsilon)
        if self.rms_scaling:
            # Keras 3's rms_scaling divides by the standard deviation and skips beta.
            return inputs * inv * gamma if gamma is not None else inputs * inv
        if gamma is not None:
            inv = inv * gamma
        res = -mean * inv
        if beta is not None:
            res = res + beta
        return inputs * inv + res

    def compute_output_shape(self, input_shape):
        check_axes("LayerNormalization", self._axes(), len(input_shape))
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis, "epsilon": self.epsilon,
                "center": self.center, "scale": self.scale, "rms_scaling": self.rms_scaling,
                **self._params.config()}
