"""What the drawing and plotting functions share: argument checks, NumPy images and the
lazy matplotlib import."""
import numpy as np

from kfront import config, ops


def pyplot(owner):
    """``matplotlib.pyplot``, imported on first use (matplotlib is the ``plot`` extra)."""
    try:
        import matplotlib.pyplot as plt
    except ImportError as error:
        raise ImportError(f"{owner} needs matplotlib: install it with "
                          '`pip install "kfront[plot]"`.') from error
    return plt


def data_format_of(data_format):
    data_format = data_format or config.image_data_format()
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError("`data_format` must be 'channels_last' or 'channels_first'. "
                         f"Received: data_format={data_format!r}")
    return data_format


def batched_images(owner, images, data_format):
    """A channels-last NumPy batch, or a ValueError naming the received shape."""
    shape = tuple(ops.shape(images))
    if len(shape) != 4:
        raise ValueError(f"{owner}: `images` must be a batched 4D tensor (batch, height, "
                         f"width, channels). Received: images.shape={shape}")
    images = ops.convert_to_numpy(images)
    return images.transpose(0, 2, 3, 1) if data_format == "channels_first" else images


def to_uint8(images):
    """Images as uint8, as Keras draws them: floats up to 1 are scaled by 255, others clipped
    to [0, 255]."""
    if images.dtype.kind == "f" and images.size:
        images = np.clip(images, 0, 1) * 255 if images.max() <= 1.0 else np.clip(images, 0, 255)
    return images.astype("uint8")
