"""``BatchNormalization``: normalizes with batch statistics while training and with their
moving averages at inference."""
from kfront import initializers, ops
from kfront.layers.input_spec import InputSpec
from kfront.layers.layer import Layer
from kfront.layers.normalization._common import AffineParams, check_axes


class BatchNormalization(Layer):
    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones",
                 moving_mean_initializer="zeros", moving_variance_initializer="ones",
                 beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                 gamma_constraint=None, renorm=False, renorm_clipping=None,
                 renorm_momentum=0.99, synchronized=False, **kwargs):
        super().__init__(**kwargs)
        if renorm:
            raise NotImplementedError("BatchNormalization: renorm=True is not supported.")
        self.axis = int(axis)
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        self.center = center
        self.scale = scale
        self.synchronized = synchronized
        self._params = AffineParams(beta_initializer, gamma_initializer, beta_regularizer,
                                    gamma_regularizer, beta_constraint, gamma_constraint)
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        self.supports_masking = True
        self.gamma = self.beta = None

    def build(self, input_shape):
        rank = len(input_shape)
        axis = check_axes("BatchNormalization", [self.axis], rank)[0]
        size = input_shape[axis]
        if size is None:
            raise ValueError(f'BatchNormalization "{self.name}": axis {self.axis} of the input '
                             f"must have a known size. Received input shape {input_shape}.")
        self._axis = axis
        self._reduction_axes = [i for i in range(rank) if i != axis]
        self._params.add(self, (size,), self.center, self.scale)
        self.moving_mean = self.add_weight(shape=(size,), name="moving_mean",
                                           initializer=self.moving_mean_initializer,
                                           trainable=False)
        self.moving_variance = self.add_weight(shape=(size,), name="moving_variance",
                                               initializer=self.moving_variance_initializer,
                                               trainable=False)
        self.input_spec = InputSpec(ndim=rank, axes={axis: size})
        self.built = True

    def _moments(self, x, mask):
        if mask is None:
            return ops.moments(x, self._reduction_axes)
        weights = ops.cast(ops.expand_dims(mask, -1), ops.dtype(x))
        count = ops.maximum(ops.sum(ops.broadcast_to(weights, ops.shape(x)),
                                    axis=self._reduction_axes), 1.0)
        mean = ops.sum(x * weights, axis=self._reduction_axes) / count
        centered = x - ops.reshape(mean, self._broadcast_shape(len(ops.shape(x))))
        variance = ops.sum(ops.square(centered) * weights, axis=self._reduction_axes) / count
        return mean, variance

    def _broadcast_shape(self, rank):
        shape = [1] * rank
        shape[self._axis] = -1
        return shape

    def call(self, inputs, training=None, mask=None):
        if mask is not None and len(ops.shape(mask)) != len(ops.shape(inputs)) - 1:
            raise ValueError("BatchNormalization: the mask must have one dimension less than "
                             f"the inputs. Received: mask.shape={ops.shape(mask)}, "
                             f"inputs.shape={ops.shape(inputs)}")
        gamma = self.gamma.value if self.gamma is not None else None
        beta = self.beta.value if self.beta is not None else None
        # A frozen layer keeps its statistics: inference mode even when training (Keras 3).
        if training and self.trainable:
            mean, variance = self._moments(inputs, mask)
            m = self.momentum
            self.moving_mean.assign(self.moving_mean.value * m
                                    + ops.stop_gradient(mean) * (1.0 - m))
            self.moving_variance.assign(self.moving_variance.value * m
                                        + ops.stop_gradient(variance) * (1.0 - m))
        else:
            mean, variance = self.moving_mean.value, self.moving_variance.value
        return ops.batch_normalization(inputs, mean, variance, axis=self._axis, offset=beta,
                                       scale=gamma, epsilon=self.epsilon)

    def compute_output_shape(self, input_shape):
        check_axes("BatchNormalization", [self.axis], len(input_shape))
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis, "momentum": self.momentum,
                "epsilon": self.epsilon, "center": self.center, "scale": self.scale,
                **self._params.config(),
                "moving_mean_initializer": initializers.serialize(self.moving_mean_initializer),
                "moving_variance_initializer":
                    initializers.serialize(self.moving_variance_initializer),
                "synchronized": self.synchronized}
