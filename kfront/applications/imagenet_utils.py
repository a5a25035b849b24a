"""ImageNet helpers shared by the application models: input preprocessing, decoding of
predictions into class names, and the input-shape and padding rules the constructors use."""
import json
import warnings

import numpy as np

from kfront.applications import _weights

# The class index (1000 entries "i": [wordnet id, name]), fetched on first use.
CLASS_INDEX = None
CLASS_INDEX_FILE = "imagenet_class_index.json"
CLASS_INDEX_PATH = "download.tensorflow.org/data/imagenet_class_index.json"
CLASS_INDEX_HASH = "c2c37ea517e94d9795004a39431a14cb"

_MODES = ("caffe", "tf", "torch")
_CAFFE_MEAN = (103.939, 116.779, 123.68)  # BGR order
_TORCH_MEAN = (0.485, 0.456, 0.406)
_TORCH_STD = (0.229, 0.224, 0.225)


def preprocess_input(x, data_format=None, mode="caffe"):
    """Preprocesses a batch of images (a NumPy array or a tensor, 3D or 4D, 3 channels,
    values in [0, 255]) the way an ImageNet model was trained.

    Args:
        x: the images. A floating NumPy array is preprocessed in place (as in Keras; pass
            ``np.copy(x)`` to keep it); an integer one is converted to ``floatx`` first.
        data_format: "channels_last" or "channels_first"; ``None`` uses
            ``kfront.config.image_data_format()``.
        mode: "caffe" (RGB to BGR, then subtract the ImageNet mean per channel), "tf"
            (scale to [-1, 1]) or "torch" (scale to [0, 1], then normalize each channel by
            the ImageNet mean and standard deviation).

    Returns:
        The preprocessed images (same kind as ``x``).

    >>> x = np.random.uniform(0, 255, (2, 224, 224, 3)).astype("float32")
    >>> y = preprocess_input(x, mode="tf")  # values in [-1, 1]
    """
    if mode not in _MODES:
        raise ValueError("Expected mode to be one of `caffe`, `tf` or `torch`. "
                         f"Received: mode={mode}")
    data_format = _data_format(data_format)
    if isinstance(x, np.ndarray):
        return _preprocess_numpy(x, data_format, mode)
    return _preprocess_tensor(x, data_format, mode)


def _data_format(data_format):
    if data_format is None:
        from kfront.config import image_data_format
        return image_data_format()
    if data_format not in ("channels_first", "channels_last"):
        raise ValueError("Expected data_format to be one of `channels_first` or "
                         f"`channels_last`. Received: data_format={data_format}")
    return data_format


def _channel_view(x, data_format, channel):
    """Index of one channel of a 3D or 4D image batch."""
    if data_format == "channels_last":
        return (Ellipsis, channel)
    return (channel,) if x.ndim == 3 else (slice(None), channel)


def _preprocess_numpy(x, data_format, mode):
    if not np.issubdtype(x.dtype, np.floating):
        from kfront.config import floatx
        x = x.astype(floatx(), copy=False)
    if mode == "tf":
        x /= 127.5
        x -= 1.0
        return x
    if mode == "torch":
        x /= 255.0
        mean, std = _TORCH_MEAN, _TORCH_STD
    else:
        axis = -1 if data_format == "channels_last" else (0 if x.ndim == 3 else 1)
        x = np.flip(x, axis=axis)  # RGB -> BGR, a view as in Keras
        mean, std = _CAFFE_MEAN, None
    for c in range(3):
        index = _channel_view(x, data_format, c)
        x[index] -= mean[c]
        if std is not None:
            x[index] /= std[c]
    return x


def _preprocess_tensor(x, data_format, mode):
    from kfront import ops
    from kfront.backend.dtypes import standardize_dtype
    if not standardize_dtype(x.dtype).startswith(("float", "bfloat")):
        from kfront.config import floatx
        x = ops.cast(x, floatx())
    ndim = len(x.shape)
    if mode == "tf":
        return ops.subtract(ops.divide(x, 127.5), 1.0)
    channel_axis = -1 if data_format == "channels_last" else (0 if ndim == 3 else 1)
    if mode == "torch":
        x = ops.divide(x, 255.0)
        mean, std = _TORCH_MEAN, _TORCH_STD
    else:
        x = ops.flip(x, axis=channel_axis)
        mean, std = _CAFFE_MEAN, None
    shape = [1] * ndim
    shape[channel_axis] = 3
    x = ops.subtract(x, ops.reshape(ops.convert_to_tensor(np.array(mean), x.dtype), shape))
    if std is not None:
        x = ops.divide(x, ops.reshape(ops.convert_to_tensor(np.array(std), x.dtype), shape))
    return x


def decode_predictions(preds, top=5):
    """Decodes a batch of ImageNet predictions (shape ``(samples, 1000)``) into the ``top``
    classes of each sample: a list (per sample) of ``(class_name, class_description,
    score)`` tuples, best first. The class index is downloaded once into the cache.

    >>> decode_predictions(model.predict(images), top=3)[0][0]
    ('n02504458', 'African_elephant', 0.82)
    """
    global CLASS_INDEX
    if len(preds.shape) != 2 or preds.shape[1] != 1000:
        raise ValueError("`decode_predictions` expects a batch of predictions (i.e. a 2D "
                         "array of shape (samples, 1000)). Received array with shape: "
                         f"{tuple(preds.shape)}")
    if CLASS_INDEX is None:
        path = _weights.fetch(CLASS_INDEX_FILE, CLASS_INDEX_PATH, CLASS_INDEX_HASH)
        with open(path) as f:
            CLASS_INDEX = json.load(f)
    if not isinstance(preds, np.ndarray):
        from kfront import ops
        preds = ops.convert_to_numpy(preds)
    results = []
    for pred in preds:
        best = np.argsort(pred, kind="stable")[-top:][::-1]
        results.append([tuple(CLASS_INDEX[str(i)]) + (pred[i],) for i in best])
    return results


def obtain_input_shape(input_shape, default_size, min_size, data_format, require_flatten,
                       weights=None):
    """The input shape a constructor builds with: ``input_shape`` checked against the
    model's rules, or the default one.

    Args:
        input_shape: ``None`` (use the default) or the user's 3-tuple.
        default_size: the default height and width.
        min_size: the smallest height and width the model accepts.
        data_format: "channels_last" or "channels_first".
        require_flatten: whether the classifier top (a fixed input size) is included.
        weights: ``None``, "imagenet" (then 3 channels), or a path.
    """
    imagenet = weights == "imagenet"
    channels_first = data_format == "channels_first"
    if not imagenet and input_shape and len(input_shape) == 3:
        channels = input_shape[0] if channels_first else input_shape[-1]
        if channels not in {1, 3}:
            warnings.warn("This model usually expects 1 or 3 input channels. However, it was "
                          f"passed an input_shape with {channels} input channels.",
                          stacklevel=2)
        default_shape = (channels, default_size, default_size) if channels_first else \
            (default_size, default_size, channels)
    else:
        default_shape = (3, default_size, default_size) if channels_first else \
            (default_size, default_size, 3)
    if imagenet and require_flatten:
        if input_shape is not None and tuple(input_shape) != default_shape:
            raise ValueError("When setting `include_top=True` and loading `imagenet` "
                             f"weights, `input_shape` should be {default_shape}.  "
                             f"Received: input_shape={input_shape}")
        return default_shape
    if input_shape:
        if len(input_shape) != 3:
            raise ValueError("`input_shape` must be a tuple of three integers.")
        channels = input_shape[0] if channels_first else input_shape[-1]
        spatial = input_shape[1:] if channels_first else input_shape[:2]
        if channels != 3 and imagenet:
            raise ValueError(f"The input must have 3 channels; Received "
                             f"`input_shape={input_shape}`")
        if any(size is not None and size < min_size for size in spatial):
            raise ValueError(f"Input size must be at least {min_size}x{min_size}; Received: "
                             f"input_shape={input_shape}")
    elif require_flatten:
        input_shape = default_shape
    else:
        input_shape = (3, None, None) if channels_first else (None, None, 3)
    if require_flatten and None in input_shape:
        raise ValueError("If `include_top` is True, you should specify a static "
                         f"`input_shape`. Received: input_shape={input_shape}")
    return input_shape


def correct_pad(inputs, kernel_size):
    """The ``ZeroPadding2D`` padding that makes a stride-2 "valid" convolution of
    ``kernel_size`` on ``inputs`` match TensorFlow's "same" downsampling:
    ``((top, bottom), (left, right))``."""
    from kfront.config import image_data_format
    first = 2 if image_data_format() == "channels_first" else 1
    size = tuple(inputs.shape[first:first + 2])
    if isinstance(kernel_size, int):
        kernel_size = (kernel_size, kernel_size)
    adjust = (1, 1) if size[0] is None else (1 - size[0] % 2, 1 - size[1] % 2)
    half = (kernel_size[0] // 2, kernel_size[1] // 2)
    return ((half[0] - adjust[0], half[0]), (half[1] - adjust[1], half[1]))


def validate_activation(classifier_activation, weights):
    """Refuses a classifier activation other than ``None``/"softmax" with pretrained
    weights (the published top was trained with softmax)."""
    if weights is None:
        return
    from kfront import activations
    activation = activations.get(classifier_activation)
    if activation not in (activations.get("softmax"), activations.get(None)):
        raise ValueError("Only `None` and `softmax` activations are allowed for the "
                         "`classifier_activation` argument when using pretrained weights, "
                         "with `include_top=True`; Received: "
                         f"classifier_activation={classifier_activation}")
