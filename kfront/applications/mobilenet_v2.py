"""MobileNetV2: inverted residual blocks with linear bottlenecks.

Reference: Sandler et al., "MobileNetV2: Inverted Residuals and Linear Bottlenecks"
(https://arxiv.org/abs/1801.04381).
"""
import warnings

from kfront import backend, layers
from kfront.applications import _builder, _docs, _weights, imagenet_utils
from kfront.models import Functional

# Folder of the published weights under the bucket (kfront.applications._weights).
WEIGHTS_FOLDER = _weights.KERAS_APPLICATIONS + "mobilenet_v2/"
_IMAGENET_SIZES = (96, 128, 160, 192, 224)
_IMAGENET_ALPHAS = (0.35, 0.50, 0.75, 1.0, 1.3, 1.4)

# (filters, stride, expansion) of the 17 inverted residual blocks.
_BLOCKS = ((16, 1, 1), (24, 2, 6), (24, 1, 6), (32, 2, 6), (32, 1, 6), (32, 1, 6),
           (64, 2, 6), (64, 1, 6), (64, 1, 6), (64, 1, 6), (96, 1, 6), (96, 1, 6),
           (96, 1, 6), (160, 2, 6), (160, 1, 6), (160, 1, 6), (320, 1, 6))


def MobileNetV2(input_shape=None, alpha=1.0, include_top=True, weights="imagenet",
                input_tensor=None, pooling=None, classes=1000,
                classifier_activation="softmax", name=None):
    """Instantiates the MobileNetV2 architecture.

    Args:
        input_shape: optional image shape without the batch axis; at least 32x32.
        alpha: width multiplier: scales the filters of every block.
        include_top: whether to end with the classifier.
        weights: ``None``, ``"imagenet"`` or a path to a weights file.
        input_tensor: optional tensor to use as the image input.
        pooling: ``None``, ``"avg"`` or ``"max"`` when ``include_top=False``.
        classes: number of classes when ``include_top`` and no ``weights``.
        classifier_activation: activation of the top layer (``None`` for logits).
        name: the model's name; defaults to ``"mobilenetv2_{alpha:.2f}_{rows}"``.

    Returns:
        A ``Functional`` model.

    Example:
        >>> model = MobileNetV2(weights=None, input_shape=(32, 32, 3), classes=10)
    """
    if input_tensor is not None and not backend.is_keras_tensor(input_tensor) and \
            not hasattr(input_tensor, "shape"):
        _builder.check_arguments(weights, include_top, classes, pooling)
        raise ValueError("`input_tensor` must be a tensor. Received: "
                         f"input_tensor={input_tensor!r} of type {type(input_tensor)}")
    given_shape = None
    if input_shape is None and input_tensor is not None and \
            backend.is_keras_tensor(input_tensor):
        given_shape = tuple(input_tensor.shape[1:])
    input_shape, rows, cols = _builder.sized_input_shape(
        weights=weights, include_top=include_top, classes=classes, pooling=pooling,
        input_shape=input_shape, sizes=_IMAGENET_SIZES, given_shape=given_shape)
    if weights == "imagenet":
        if alpha not in _IMAGENET_ALPHAS:
            raise ValueError("If imagenet weights are being loaded, alpha must be one of "
                             "0.35, 0.50, 0.75, 1.0, 1.3 or 1.4 only. "
                             f"Received: alpha={alpha!r}")
        if rows != cols or rows not in _IMAGENET_SIZES:
            rows = 224
            warnings.warn("`input_shape` is undefined or non-square, or `rows` is not in "
                          "[96, 128, 160, 192, 224]. Weights for input shape (224, 224) "
                          "will be loaded as the default.", stacklevel=2)

    img_input = _builder.image_input(input_shape, input_tensor)
    x = layers.Conv2D(_make_divisible(32 * alpha, 8), kernel_size=3, strides=(2, 2),
                      padding="same", use_bias=False, name="Conv1")(img_input)
    x = _batch_norm(x, "bn_Conv1")
    x = layers.ReLU(6.0, name="Conv1_relu")(x)
    for block_id, (filters, stride, expansion) in enumerate(_BLOCKS):
        x = _inverted_res_block(x, expansion=expansion, stride=stride, alpha=alpha,
                                filters=filters, block_id=block_id)
    last_block_filters = _make_divisible(1280 * alpha, 8) if alpha > 1.0 else 1280
    x = layers.Conv2D(last_block_filters, kernel_size=1, use_bias=False, name="Conv_1")(x)
    x = _batch_norm(x, "Conv_1_bn")
    x = layers.ReLU(6.0, name="out_relu")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D()(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = _builder.pool(x, pooling)
    if name is None:
        name = f"mobilenetv2_{alpha:0.2f}_{rows}"
    model = Functional(_builder.model_inputs(input_tensor, img_input), x, name=name)
    file_name = None
    if weights == "imagenet":
        suffix = "" if include_top else "_no_top"
        file_name = ("mobilenet_v2_weights_tf_dim_ordering_tf_kernels_"
                     f"{float(alpha)}_{rows}{suffix}.h5")
    return _builder.load_weights(model, weights, WEIGHTS_FOLDER, file_name)


def _batch_norm(x, name):
    return layers.BatchNormalization(axis=_builder.channel_axis(), epsilon=1e-3,
                                     momentum=0.999, name=name)(x)


def _inverted_res_block(inputs, expansion, stride, alpha, filters, block_id):
    in_channels = inputs.shape[_builder.channel_axis()]
    pointwise_filters = _make_divisible(int(filters * alpha), 8)
    x = inputs
    prefix = f"block_{block_id}_"
    if block_id:
        x = layers.Conv2D(expansion * in_channels, kernel_size=1, padding="same",
                          use_bias=False, activation=None, name=f"{prefix}expand")(x)
        x = _batch_norm(x, f"{prefix}expand_BN")
        x = layers.ReLU(6.0, name=f"{prefix}expand_relu")(x)
    else:
        prefix = "expanded_conv_"
    if stride == 2:
        x = layers.ZeroPadding2D(padding=imagenet_utils.correct_pad(x, 3),
                                 name=f"{prefix}pad")(x)
    x = layers.DepthwiseConv2D(kernel_size=3, strides=stride, activation=None,
                               use_bias=False, padding="same" if stride == 1 else "valid",
                               name=f"{prefix}depthwise")(x)
    x = _batch_norm(x, f"{prefix}depthwise_BN")
    x = layers.ReLU(6.0, name=f"{prefix}depthwise_relu")(x)
    x = layers.Conv2D(pointwise_filters, kernel_size=1, padding="same", use_bias=False,
                      activation=None, name=f"{prefix}project")(x)
    x = _batch_norm(x, f"{prefix}project_BN")
    if in_channels == pointwise_filters and stride == 1:
        return layers.Add(name=f"{prefix}add")([inputs, x])
    return x


def _make_divisible(v, divisor=8, min_value=None):
    """``v`` rounded to a multiple of ``divisor``, never more than 10% below ``v``."""
    min_value = divisor if min_value is None else min_value
    rounded = max(min_value, int(v + divisor / 2) // divisor * divisor)
    return rounded + divisor if rounded < 0.9 * v else rounded


preprocess_input, decode_predictions = _docs.preprocessing("mobilenet_v2", "tf")
