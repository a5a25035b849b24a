"""``RandomGaussianBlur`` and a Gaussian blur whose sigma may be a traced tensor."""
from kfront import ops, random
from kfront.layers.preprocessing.image._augment import (AugmentationLayer, keras_factor,
                                                         per_image, value_range_arg)


def _gaussian_weights(size, sigma, dtype):
    x = ops.arange(size, dtype=dtype) - (size - 1) / 2.0
    k = ops.exp(-0.5 * ops.square(x / sigma))
    return k / ops.sum(k)


def blur(images, kernel_size, sigma):
    """Blurs a channels-last batch with a (kh, kw) Gaussian, zeros past the edges.

    ``sigma`` is a (2,) tensor or pair; as in Keras's ``gaussian_blur``, the rows are
    weighted with ``sigma[1]`` and the columns with ``sigma[0]``. Sigma may be drawn inside
    a compiled step: the kernel is built from ops, only its size must be static.
    """
    dtype = ops.dtype(images)
    sigma = ops.cast(sigma, dtype)
    rows = _gaussian_weights(kernel_size[0], sigma[1], dtype)
    cols = _gaussian_weights(kernel_size[1], sigma[0], dtype)
    kernel = ops.reshape(rows, (-1, 1)) * ops.reshape(cols, (1, -1))
    channels = ops.shape(images)[-1]
    kernel = ops.tile(ops.reshape(kernel, (kernel_size[0], kernel_size[1], 1, 1)),
                      (1, 1, channels, 1))
    return ops.depthwise_conv(images, kernel, strides=1, padding="same",
                              data_format="channels_last")


def kernel_size_arg(kernel_size):
    values = kernel_size if isinstance(kernel_size, (list, tuple)) else (kernel_size,) * 2
    if len(values) != 2 or not all(isinstance(v, int) and not isinstance(v, bool) and v > 0
                                   for v in values):
        raise ValueError("RandomGaussianBlur: the `kernel_size` argument should be a positive "
                         f"int (or a list of two). Received: kernel_size={kernel_size!r}")
    if any(v % 2 == 0 for v in values):
        raise ValueError("RandomGaussianBlur: kernel_size must be an odd number. Received: "
                         f"kernel_size={kernel_size!r}")
    return tuple(values)


class RandomGaussianBlur(AugmentationLayer):
    """Blurs images with a Gaussian kernel at random while training.

    Each image draws a blurring chance from ``factor`` and is blurred when a second draw
    falls below it; the two sigmas are drawn once per batch from ``sigma``. The result is
    clipped to ``value_range``.

    Args:
        factor: a float in [0, 1] or a pair: the range of the blurring chance.
        kernel_size: an odd int or a pair of odd ints (default 3).
        sigma: a float in [0, 1] or a pair: the range of the Gaussian's standard deviation.
        value_range: the (low, high) range of the inputs.
        seed: an int for reproducible draws.
    """

    boxes_unchanged = True  # no geometry moves: boxes and masks pass through

    def __init__(self, factor=1.0, kernel_size=3, sigma=1.0, value_range=(0, 255),
                 data_format=None, seed=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.factor = keras_factor("RandomGaussianBlur", "factor", factor, 0.0, 1.0)
        self.kernel_size = kernel_size_arg(kernel_size)
        self.sigma = keras_factor("RandomGaussianBlur", "sigma", sigma, 0.0, 1.0)
        self.value_range = value_range_arg("RandomGaussianBlur", value_range)

    def get_random_transformation(self, images, training=True, seed=None):
        seed = self._seed(seed)
        return {"should_apply_blur": self.coin(images, self.factor, seed=seed),
                "blur_factor": random.uniform((2,), self.sigma[0], self.sigma[1],
                                              seed=seed) + 1e-6}

    def transform_images(self, images, transformation, training=True):
        blurred = blur(images, self.kernel_size, transformation["blur_factor"])
        out = ops.where(per_image(transformation["should_apply_blur"]), blurred, images)
        return ops.clip(out, self.value_range[0], self.value_range[1])

    def get_config(self):
        return {**super().get_config(), "factor": self.factor,
                "kernel_size": self.kernel_size, "sigma": self.sigma,
                "value_range": self.value_range}
