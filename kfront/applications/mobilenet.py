"""MobileNet (v1): depthwise-separable convolutions with a width multiplier ``alpha``.

Reference: Howard et al., "MobileNets: Efficient Convolutional Neural Networks for Mobile
Vision Applications" (https://arxiv.org/abs/1704.04861).
"""
import warnings

from kfront import layers
from kfront.applications import _builder, _docs, _weights, imagenet_utils
from kfront.models import Functional

# Folder of the published weights under the bucket (kfront.applications._weights).
WEIGHTS_FOLDER = _weights.KERAS_APPLICATIONS + "mobilenet/"
_IMAGENET_SIZES = (128, 160, 192, 224)
_ALPHA_TEXT = {1.0: "1_0", 0.75: "7_5", 0.5: "5_0", 0.25: "2_5"}

# (pointwise filters, strides) of the 13 depthwise-separable blocks.
_BLOCKS = ((64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2), (512, 1), (512, 1),
           (512, 1), (512, 1), (512, 1), (1024, 2), (1024, 1))


def MobileNet(input_shape=None, alpha=1.0, depth_multiplier=1, dropout=1e-3,
              include_top=True, weights="imagenet", input_tensor=None, pooling=None,
              classes=1000, classifier_activation="softmax", name=None):
    """Instantiates the MobileNet architecture.

    Args:
        input_shape: optional image shape without the batch axis; at least 32x32 with
            3 channels. Defaults to (224, 224, 3) with ``include_top``.
        alpha: width multiplier: scales the filters of every layer.
        depth_multiplier: depthwise channels per input channel (resolution multiplier).
        dropout: dropout rate before the classifier.
        include_top: whether to end with the 1000-way (or ``classes``) classifier.
        weights: ``None``, ``"imagenet"`` or a path to a weights file.
        input_tensor: optional tensor to use as the image input.
        pooling: ``None``, ``"avg"`` or ``"max"`` global pooling when
            ``include_top=False``.
        classes: number of classes when ``include_top`` and no ``weights``.
        classifier_activation: activation of the top layer (``None`` for logits).
        name: the model's name; defaults to ``"mobilenet_{alpha:.2f}_{rows}"``.

    Returns:
        A ``Functional`` model.

    Example:
        >>> model = MobileNet(weights=None, input_shape=(32, 32, 3), classes=10)
    """
    input_shape, rows, cols = _builder.sized_input_shape(
        weights=weights, include_top=include_top, classes=classes, pooling=pooling,
        input_shape=input_shape, sizes=_IMAGENET_SIZES)
    if weights == "imagenet":
        if depth_multiplier != 1:
            raise ValueError("If imagenet weights are being loaded, depth multiplier must "
                             f"be 1. Received: depth_multiplier={depth_multiplier!r}")
        if alpha not in _ALPHA_TEXT:
            raise ValueError("If imagenet weights are being loaded, alpha can be one of "
                             f"0.25, 0.50, 0.75 or 1.0 only. Received: alpha={alpha!r}")
        if rows != cols or rows not in _IMAGENET_SIZES:
            rows = 224
            warnings.warn("`input_shape` is undefined or non-square, or `rows` is not in "
                          "[128, 160, 192, 224]. Weights for input shape (224, 224) will "
                          "be loaded as the default.", stacklevel=2)

    img_input = _builder.image_input(input_shape, input_tensor)
    x = _conv_block(img_input, 32, alpha, strides=(2, 2))
    for block_id, (filters, stride) in enumerate(_BLOCKS, start=1):
        x = _depthwise_conv_block(x, filters, alpha, depth_multiplier,
                                  strides=(stride, stride), block_id=block_id)
    if include_top:
        x = layers.GlobalAveragePooling2D(keepdims=True)(x)
        x = layers.Dropout(dropout, name="dropout")(x)
        x = layers.Conv2D(classes, (1, 1), padding="same", name="conv_preds")(x)
        x = layers.Reshape((classes,), name="reshape_2")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Activation(activation=classifier_activation, name="predictions")(x)
    else:
        x = _builder.pool(x, pooling)
    if name is None:
        name = f"mobilenet_{alpha:0.2f}_{rows}"
    model = Functional(_builder.model_inputs(input_tensor, img_input), x, name=name)
    file_name = None
    if weights == "imagenet":
        suffix = "" if include_top else "_no_top"
        file_name = f"mobilenet_{_ALPHA_TEXT[alpha]}_{rows}_tf{suffix}.h5"
    return _builder.load_weights(model, weights, WEIGHTS_FOLDER, file_name)


def _conv_block(inputs, filters, alpha, kernel=(3, 3), strides=(1, 1)):
    x = layers.Conv2D(int(filters * alpha), kernel, padding="same", use_bias=False,
                      strides=strides, name="conv1")(inputs)
    x = layers.BatchNormalization(axis=_builder.channel_axis(), name="conv1_bn")(x)
    return layers.ReLU(6.0, name="conv1_relu")(x)


def _depthwise_conv_block(inputs, pointwise_conv_filters, alpha, depth_multiplier=1,
                          strides=(1, 1), block_id=1):
    axis = _builder.channel_axis()
    x = inputs
    if strides != (1, 1):
        # TF-style "same" padding for a strided 3x3 kernel pads bottom/right only.
        x = layers.ZeroPadding2D(((0, 1), (0, 1)), name=f"conv_pad_{block_id}")(x)
    x = layers.DepthwiseConv2D((3, 3), padding="same" if strides == (1, 1) else "valid",
                               depth_multiplier=depth_multiplier, strides=strides,
                               use_bias=False, name=f"conv_dw_{block_id}")(x)
    x = layers.BatchNormalization(axis=axis, name=f"conv_dw_{block_id}_bn")(x)
    x = layers.ReLU(6.0, name=f"conv_dw_{block_id}_relu")(x)
    x = layers.Conv2D(int(pointwise_conv_filters * alpha), (1, 1), padding="same",
                      use_bias=False, strides=(1, 1), name=f"conv_pw_{block_id}")(x)
    x = layers.BatchNormalization(axis=axis, name=f"conv_pw_{block_id}_bn")(x)
    return layers.ReLU(6.0, name=f"conv_pw_{block_id}_relu")(x)


preprocess_input, decode_predictions = _docs.preprocessing("mobilenet", "tf")
