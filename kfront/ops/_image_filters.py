"""Filters of ``kfront.ops.image``: gaussian_blur, sobel_edges, ssim.

Written once from kfront's depthwise convolution, with the kernels built in NumPy.
"""
import numpy as np

from kfront.ops._export import composite
from kfront.ops._image_args import as_float, check_rank, data_format_of, ops, to_channels_last


def _gaussian_1d(size, sigma):
    x = np.arange(size, dtype=np.float64) - (size - 1) / 2.0
    k = np.exp(-0.5 * (x / sigma) ** 2)
    return k / k.sum()


def _pair(op, name, value, kind):
    """``value`` (one number or two, maybe a tensor) as two float64s."""
    if ops().is_tensor(value):
        value = ops().convert_to_numpy(value)
    value = np.asarray(value, dtype=np.float64)
    value = np.broadcast_to(value, (2,)) if value.ndim == 0 else value
    if value.shape != (2,):
        raise ValueError(f"{op}: `{name}` must be one {kind} or two; received {name}="
                         f"{value.tolist()}.")
    return value


def _depthwise(images, kernel_2d, channels, padding):
    """Each channel filtered by every (H, W) kernel in ``kernel_2d`` (K, H, W): (B, H', W',
    C * K), the K results of a channel next to each other."""
    o = ops()
    kernel = np.transpose(kernel_2d, (1, 2, 0))[:, :, None, :]
    kernel = np.tile(kernel, (1, 1, channels, 1))
    kernel = o.cast(kernel, o.dtype(images))
    return o.depthwise_conv(images, kernel, strides=1, padding=padding,
                            data_format="channels_last")


@composite
def gaussian_blur(images, kernel_size=(3, 3), sigma=(1.0, 1.0), data_format=None):
    """Blurs each channel with a Gaussian kernel (zeros beyond the edges, output the size of
    the input).

    Written from kfront ops. ``kernel_size`` and ``sigma`` are (height-axis, width-axis)
    pairs, or one value for both.
    """
    check_rank("gaussian_blur", images, (3, 4))
    size = _pair("gaussian_blur", "kernel_size", kernel_size, "int")
    if not np.all(size == np.round(size)) or np.any(size < 1):
        raise ValueError("gaussian_blur: `kernel_size` must hold positive ints; received "
                         f"kernel_size={kernel_size!r}.")
    size = size.astype(int)
    sigma = _pair("gaussian_blur", "sigma", sigma, "number")
    if np.any(sigma <= 0):
        raise ValueError(f"gaussian_blur: `sigma` must be positive; received sigma={sigma!r}.")
    # Keras builds the kernel as outer(k(size[1], sigma[1]), k(size[0], sigma[0])) laid out
    # as (size[0], size[1]); the same numbers here.
    kernel = np.outer(_gaussian_1d(size[1], sigma[1]), _gaussian_1d(size[0], sigma[0]))
    kernel = kernel.reshape(size[0], size[1])
    x, restore = to_channels_last(images, data_format)
    x, dtype = as_float(x)
    out = _depthwise(x, kernel[None], ops().shape(x)[-1], "same")
    return restore(ops().cast(out, dtype))


_SOBEL_DY = np.array([[-1, -2, -1], [0, 0, 0], [1, 2, 1]], np.float64)
_SOBEL_DX = _SOBEL_DY.T


@composite
def sobel_edges(images, data_format=None):
    """Sobel gradients of each channel, edges reflected: (B, H, W, C, 2) holding [dy, dx]
    ((B, C, H, W, 2) with channels first), as ``tf.image.sobel_edges``.

    Written from kfront ops.
    """
    o = ops()
    check_rank("sobel_edges", images, (4,))
    x, _ = to_channels_last(images, data_format)
    x, _ = as_float(x)
    x = o.pad(x, [(0, 0), (1, 1), (1, 1), (0, 0)], mode="reflect")
    batch_free = o.shape(x)[1:]
    out = _depthwise(x, np.stack([_SOBEL_DY, _SOBEL_DX]), batch_free[-1], "valid")
    h, w, c = batch_free[0] - 2, batch_free[1] - 2, batch_free[2]
    out = o.reshape(out, (-1, h, w, c, 2))
    if data_format_of(data_format) == "channels_first":
        out = o.transpose(out, (0, 3, 1, 2, 4))
    return out


@composite
def ssim(image1, image2, max_val=1.0, filter_size=11, filter_sigma=1.5, k1=0.01, k2=0.03,
         data_format=None):
    """The structural similarity of two images (Wang et al., 2004): one value per image pair,
    averaged over channels and the valid positions of a Gaussian window.

    Written from kfront ops. Images are (B, H, W, C) or (H, W, C); ``max_val`` is the range of
    their values (1.0, or 255.0 for 8-bit images).
    """
    o = ops()
    for name, image in (("image1", image1), ("image2", image2)):
        check_rank("ssim", image, (3, 4), name)
    if tuple(o.shape(image1)) != tuple(o.shape(image2)):
        raise ValueError("ssim: `image1` and `image2` must have the same shape; received "
                         f"{tuple(o.shape(image1))} and {tuple(o.shape(image2))}.")
    if not isinstance(filter_size, (int, np.integer)) or filter_size < 1:
        raise ValueError(f"ssim: `filter_size` must be a positive int; received "
                         f"filter_size={filter_size!r}.")
    x, _ = to_channels_last(image1, data_format)
    y, _ = to_channels_last(image2, data_format)
    height, width = o.shape(x)[1:3]
    if (height is not None and height < filter_size) or (width is not None and width < filter_size):
        raise ValueError(f"ssim: images must be at least `filter_size`={filter_size} pixels "
                         f"high and wide; received shape {tuple(o.shape(image1))}.")
    x, dtype = as_float(x)
    y = o.cast(y, o.dtype(x))
    g = _gaussian_1d(filter_size, float(filter_sigma))
    kernel = np.outer(g, g)[None]
    channels = o.shape(x)[-1]

    def blur(t):
        return _depthwise(t, kernel, channels, "valid")

    mu1, mu2 = blur(x), blur(y)
    sigma1 = blur(x * x) - mu1 * mu1
    sigma2 = blur(y * y) - mu2 * mu2
    sigma12 = blur(x * y) - mu1 * mu2
    c1, c2 = (k1 * max_val) ** 2, (k2 * max_val) ** 2
    value = ((2.0 * mu1 * mu2 + c1) * (2.0 * sigma12 + c2)
             / ((mu1 * mu1 + mu2 * mu2 + c1) * (sigma1 + sigma2 + c2)))
    out = o.mean(value, axis=(1, 2, 3))
    out = out[0] if len(o.shape(image1)) == 3 else out
    return o.cast(out, dtype)
