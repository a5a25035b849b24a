"""``SpectralNormalization``: divides a wrapped layer's kernel by its largest singular
value (estimated by power iteration) in training."""
from kfront import config, initializers, ops
from kfront.layers.core.wrapper import Wrapper
from kfront.layers.input_spec import InputSpec


def _l2_normalize(x):
    """``x`` divided by its L2 norm over all entries (the norm floored at epsilon)."""
    inv_norm = ops.minimum(1.0 / ops.sqrt(ops.sum(ops.square(x))), 1.0 / config.epsilon())
    return x * inv_norm


class SpectralNormalization(Wrapper):
    """Spectral normalization of the ``kernel`` (or ``embeddings``) of ``layer``
    (Miyato et al., 2018).

    Each training call runs ``power_iterations`` steps of power iteration on the kernel
    reshaped to ``(-1, units)``, writes ``kernel / sigma`` into the wrapped layer's kernel
    and keeps the estimated singular vector in the non-trainable weight ``vector_u``.
    Inference calls use the kernel as it is. An all-zero kernel is left unchanged.

    Args:
        layer: a layer with a ``kernel`` or ``embeddings`` weight (Dense, Conv2D, ...).
        power_iterations: the number of power iterations per training call (> 0).

    Example: ``SpectralNormalization(Dense(10))(x, training=True)``.
    """

    def __init__(self, layer, power_iterations=1, **kwargs):
        super().__init__(layer, **kwargs)
        if isinstance(power_iterations, bool) or not isinstance(power_iterations, int) or \
                power_iterations <= 0:
            raise ValueError("`power_iterations` should be greater than zero. Received: "
                             f"`power_iterations={power_iterations!r}`")
        self.power_iterations = power_iterations

    def build(self, input_shape):
        super().build(input_shape)
        self.input_spec = InputSpec(min_ndim=1, axes={-1: input_shape[-1]})
        if hasattr(self.layer, "kernel"):
            self.kernel = self.layer.kernel
        elif hasattr(self.layer, "embeddings"):
            self.kernel = self.layer.embeddings
        else:
            raise ValueError(f"{type(self.layer).__name__} object has no attribute 'kernel' "
                             "nor 'embeddings'")
        self.kernel_shape = tuple(self.kernel.shape)
        self.vector_u = self.add_weight(
            shape=(1, self.kernel_shape[-1]),
            initializer=initializers.TruncatedNormal(stddev=0.02), trainable=False,
            name="vector_u", dtype=self.kernel.dtype)
        self.built = True

    def normalized_weights(self):
        """``(new vector_u, kernel / sigma)`` after ``power_iterations`` steps."""
        kernel = self.kernel.value
        weights = ops.reshape(kernel, (-1, self.kernel_shape[-1]))
        vector_u = self.vector_u.value
        for _ in range(self.power_iterations):
            vector_v = _l2_normalize(ops.matmul(vector_u, ops.transpose(weights)))
            vector_u = _l2_normalize(ops.matmul(vector_v, weights))
        vector_u = ops.stop_gradient(vector_u)
        vector_v = ops.stop_gradient(vector_v)
        sigma = ops.matmul(ops.matmul(vector_v, weights), ops.transpose(vector_u))
        return vector_u, ops.reshape(kernel / sigma, self.kernel_shape)

    def call(self, inputs, training=False):
        if training:
            new_u, new_kernel = self.normalized_weights()
            # Selected rather than branched, so compiled steps need no control flow.
            zero = ops.all(ops.equal(self.kernel.value, 0))
            self.vector_u.assign(ops.where(zero, self.vector_u.value, new_u))
            self.kernel.assign(ops.where(zero, self.kernel.value, new_kernel))
        output = self.layer(inputs)
        return ops.cast(output, ops.dtype(inputs))

    def compute_output_spec(self, inputs, training=False):
        return self.layer.compute_output_spec(inputs)

    def get_config(self):
        return {**super().get_config(), "power_iterations": self.power_iterations}
