"""MobileNetV3Small and MobileNetV3Large: inverted residual blocks with squeeze-and-excite
and hard-swish, found by architecture search.

Reference: Howard et al., "Searching for MobileNetV3" (https://arxiv.org/abs/1905.02244).
The models rescale their input themselves (``include_preprocessing=True``): feed pixels in
[0, 255].
"""
import warnings

from kfront import backend, layers
from kfront.applications import _builder, _docs, _weights, imagenet_utils
from kfront.applications.mobilenet_v2 import _make_divisible as _depth
from kfront.models import Functional

# Folder of the published weights under the bucket (kfront.applications._weights).
WEIGHTS_FOLDER = _weights.KERAS_APPLICATIONS + "mobilenet_v3/"
WEIGHTS_HASHES = {
    "large_224_0.75_float": ("765b44a33ad4005b3ac83185abf1d0eb",
                             "40af19a13ebea4e2ee0c676887f69a2e"),
    "large_224_1.0_float": ("59e551e166be033d707958cf9e29a6a7",
                            "07fb09a5933dd0c8eaafa16978110389"),
    "large_minimalistic_224_1.0_float": ("675e7b876c45c57e9e63e6d90a36599c",
                                         "ec5221f64a2f6d1ef965a614bdae7973"),
    "small_224_0.75_float": ("cb65d4e5be93758266aa0a7f2c6708b7",
                             "ebdb5cc8e0b497cd13a7c275d475c819"),
    "small_224_1.0_float": ("8768d4c2e7dee89b9d02b2d03d65d862",
                            "d3e8ec802a04aa4fc771ee12a9a9b836"),
    "small_minimalistic_224_1.0_float": ("99cd97fb2fcdad2bf028eb838de69e37",
                                         "cde8136e733e811080d9fcd8a252f7e4"),
}

# Blocks as (expansion, filters, kernel, stride, squeeze-excite, activation); "k" and
# "se"/"act" stand for the kernel, SE ratio and activation that ``minimalistic`` picks.
_SMALL = ((1, 16, 3, 2, "se", "relu"), (72 / 16, 24, 3, 2, None, "relu"),
          (88 / 24, 24, 3, 1, None, "relu"), (4, 40, "k", 2, "se", "act"),
          (6, 40, "k", 1, "se", "act"), (6, 40, "k", 1, "se", "act"),
          (3, 48, "k", 1, "se", "act"), (3, 48, "k", 1, "se", "act"),
          (6, 96, "k", 2, "se", "act"), (6, 96, "k", 1, "se", "act"),
          (6, 96, "k", 1, "se", "act"))
_LARGE = ((1, 16, 3, 1, None, "relu"), (4, 24, 3, 2, None, "relu"),
          (3, 24, 3, 1, None, "relu"), (3, 40, "k", 2, "se", "relu"),
          (3, 40, "k", 1, "se", "relu"), (3, 40, "k", 1, "se", "relu"),
          (6, 80, 3, 2, None, "act"), (2.5, 80, 3, 1, None, "act"),
          (2.3, 80, 3, 1, None, "act"), (2.3, 80, 3, 1, None, "act"),
          (6, 112, 3, 1, "se", "act"), (6, 112, 3, 1, "se", "act"),
          (6, 160, "k", 2, "se", "act"), (6, 160, "k", 1, "se", "act"),
          (6, 160, "k", 1, "se", "act"))


def _mobilenet_v3(blocks, last_point_ch, input_shape, alpha, model_type, minimalistic,
                  include_top, weights, input_tensor, classes, pooling, dropout_rate,
                  classifier_activation, include_preprocessing, name):
    _builder.check_arguments(weights, include_top, classes, pooling)
    if input_shape is None and input_tensor is not None and \
            backend.is_keras_tensor(input_tensor):
        input_shape = tuple(input_tensor.shape[1:])
    if input_shape is None:
        input_shape = (None, None, 3) if _builder.channels_last() else (3, None, None)
    rows, cols = _builder.spatial_size(input_shape)
    if rows and cols and (rows < 32 or cols < 32):
        raise ValueError(f"Input size must be at least 32x32; Received: "
                         f"input_shape={input_shape}")
    if weights == "imagenet":
        if (alpha not in (0.75, 1.0)) if not minimalistic else alpha != 1.0:
            raise ValueError("If imagenet weights are being loaded, alpha can be one of "
                             "0.75, 1.0 for non minimalistic or 1.0 for minimalistic "
                             f"only. Received: alpha={alpha!r}")
        if rows != cols or rows != 224:
            warnings.warn("`input_shape` is undefined or non-square, or `rows` is not "
                          "224. Weights for input shape (224, 224) will be loaded as the "
                          "default.", stacklevel=3)

    img_input = _builder.image_input(input_shape, input_tensor)
    kernel, activation, se_ratio = (3, _relu, None) if minimalistic else \
        (5, _hard_swish, 0.25)
    x = img_input
    if include_preprocessing:
        x = layers.Rescaling(scale=1.0 / 127.5, offset=-1.0)(x)
    x = layers.Conv2D(16, kernel_size=3, strides=(2, 2), padding="same", use_bias=False,
                      name="conv")(x)
    x = _batch_norm(x, "conv_bn")
    x = activation(x)
    for block_id, (expansion, filters, k, stride, se, act) in enumerate(blocks):
        x = _inverted_res_block(
            x, expansion, _depth(filters * alpha), kernel if k == "k" else k, stride,
            se_ratio if se else None, activation if act == "act" else _relu, block_id)
    last_conv_ch = _depth(x.shape[_builder.channel_axis()] * 6)
    if alpha > 1.0:
        last_point_ch = _depth(last_point_ch * alpha)
    x = layers.Conv2D(last_conv_ch, kernel_size=1, padding="same", use_bias=False,
                      name="conv_1")(x)
    x = _batch_norm(x, "conv_1_bn")
    x = activation(x)
    if include_top:
        x = layers.GlobalAveragePooling2D(keepdims=True)(x)
        x = layers.Conv2D(last_point_ch, kernel_size=1, padding="same", use_bias=True,
                          name="conv_2")(x)
        x = activation(x)
        if dropout_rate > 0:
            x = layers.Dropout(dropout_rate)(x)
        x = layers.Conv2D(classes, kernel_size=1, padding="same", name="logits")(x)
        x = layers.Flatten()(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Activation(activation=classifier_activation, name="predictions")(x)
    else:
        x = _builder.pool(x, pooling, avg_name="avg_pool", max_name="max_pool")
    model = Functional(_builder.model_inputs(input_tensor, img_input), x, name=name)
    file_name = file_hash = None
    if weights == "imagenet":
        model_name = f"{model_type}{'_minimalistic' if minimalistic else ''}_224_{alpha}_float"
        if include_top:
            file_name = f"weights_mobilenet_v3_{model_name}.h5"
            file_hash = WEIGHTS_HASHES[model_name][0]
        else:
            file_name = f"weights_mobilenet_v3_{model_name}_no_top_v2.h5"
            file_hash = WEIGHTS_HASHES[model_name][1]
    return _builder.load_weights(model, weights, WEIGHTS_FOLDER, file_name, file_hash)


_DOC = """Instantiates the {name} architecture.

    The model includes its input rescaling by default: feed pixels in [0, 255].

    Args:
        input_shape: optional image shape without the batch axis; at least 32x32.
        alpha: width multiplier: scales the filters of every block.
        minimalistic: drop squeeze-and-excite, hard-swish and 5x5 kernels.
        include_top: whether to end with the classifier.
        weights: ``None``, ``"imagenet"`` or a path to a weights file.
        input_tensor: optional tensor to use as the image input.
        classes: number of classes when ``include_top`` and no ``weights``.
        pooling: ``None``, ``"avg"`` or ``"max"`` when ``include_top=False``.
        dropout_rate: dropout rate before the last (logits) layer.
        classifier_activation: activation of the top layer (``None`` for logits).
        include_preprocessing: whether to rescale [0, 255] inputs to [-1, 1] in the
            model.
        name: the model's name.

    Returns:
        A ``Functional`` model.

    Example:
        >>> model = {name}(weights=None, input_shape=(32, 32, 3), classes=10)
    """


def MobileNetV3Small(input_shape=None, alpha=1.0, minimalistic=False, include_top=True,
                     weights="imagenet", input_tensor=None, classes=1000, pooling=None,
                     dropout_rate=0.2, classifier_activation="softmax",
                     include_preprocessing=True, name="MobileNetV3Small"):
    return _mobilenet_v3(_SMALL, 1024, input_shape, alpha, "small", minimalistic,
                         include_top, weights, input_tensor, classes, pooling,
                         dropout_rate, classifier_activation, include_preprocessing, name)


def MobileNetV3Large(input_shape=None, alpha=1.0, minimalistic=False, include_top=True,
                     weights="imagenet", input_tensor=None, classes=1000, pooling=None,
                     dropout_rate=0.2, classifier_activation="softmax",
                     include_preprocessing=True, name="MobileNetV3Large"):
    return _mobilenet_v3(_LARGE, 1280, input_shape, alpha, "large", minimalistic,
                         include_top, weights, input_tensor, classes, pooling,
                         dropout_rate, classifier_activation, include_preprocessing, name)


MobileNetV3Small.__doc__ = _DOC.format(name="MobileNetV3Small")
MobileNetV3Large.__doc__ = _DOC.format(name="MobileNetV3Large")


def _relu(x):
    return layers.ReLU()(x)


def _hard_sigmoid(x):
    return layers.ReLU(6.0)(x + 3.0) * (1.0 / 6.0)


def _hard_swish(x):
    return layers.Activation("hard_swish")(x)


def _batch_norm(x, name):
    return layers.BatchNormalization(axis=_builder.channel_axis(), epsilon=1e-3,
                                     momentum=0.999, name=name)(x)


def _se_block(inputs, filters, se_ratio, prefix):
    x = layers.GlobalAveragePooling2D(keepdims=True,
                                      name=f"{prefix}squeeze_excite_avg_pool")(inputs)
    x = layers.Conv2D(_depth(filters * se_ratio), kernel_size=1, padding="same",
                      name=f"{prefix}squeeze_excite_conv")(x)
    x = layers.ReLU(name=f"{prefix}squeeze_excite_relu")(x)
    x = layers.Conv2D(filters, kernel_size=1, padding="same",
                      name=f"{prefix}squeeze_excite_conv_1")(x)
    x = _hard_sigmoid(x)
    return layers.Multiply(name=f"{prefix}squeeze_excite_mul")([inputs, x])


def _inverted_res_block(x, expansion, filters, kernel_size, stride, se_ratio, activation,
                        block_id):
    shortcut = x
    prefix = "expanded_conv_"
    infilters = x.shape[_builder.channel_axis()]
    if block_id:
        prefix = f"expanded_conv_{block_id}_"
        x = layers.Conv2D(_depth(infilters * expansion), kernel_size=1, padding="same",
                          use_bias=False, name=f"{prefix}expand")(x)
        x = _batch_norm(x, f"{prefix}expand_bn")
        x = activation(x)
    if stride == 2:
        x = layers.ZeroPadding2D(padding=imagenet_utils.correct_pad(x, kernel_size),
                                 name=f"{prefix}depthwise_pad")(x)
    x = layers.DepthwiseConv2D(kernel_size, strides=stride,
                               padding="same" if stride == 1 else "valid", use_bias=False,
                               name=f"{prefix}depthwise")(x)
    x = _batch_norm(x, f"{prefix}depthwise_bn")
    x = activation(x)
    if se_ratio:
        x = _se_block(x, _depth(infilters * expansion), se_ratio, prefix)
    x = layers.Conv2D(filters, kernel_size=1, padding="same", use_bias=False,
                      name=f"{prefix}project")(x)
    x = _batch_norm(x, f"{prefix}project_bn")
    if stride == 1 and infilters == filters:
        x = layers.Add(name=f"{prefix}add")([shortcut, x])
    return x


preprocess_input, decode_predictions = _docs.preprocessing("mobilenet_v3", None)
