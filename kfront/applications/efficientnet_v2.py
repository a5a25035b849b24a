"""EfficientNetV2 (B0-B3, S, M, L): fused and plain mobile inverted bottlenecks, trained
with progressive resizing.

Reference: Tan and Le, "EfficientNetV2: Smaller Models and Faster Training"
(https://arxiv.org/abs/2104.00298). The models rescale their input themselves
(``include_preprocessing=True``): feed pixels in [0, 255].
"""
import math

from kfront import backend, initializers, layers
from kfront.applications import _builder, _docs, _weights, imagenet_utils
from kfront.applications.efficientnet import (
    CONV_KERNEL_INITIALIZER, DENSE_KERNEL_INITIALIZER, squeeze_excite)
from kfront.models import Functional

# Folder of the published weights under the bucket (kfront.applications._weights).
WEIGHTS_FOLDER = _weights.KERAS_APPLICATIONS + "efficientnet_v2/"
WEIGHTS_HASHES = {
    "b0": ("21ecbf6da12460d5c40bb2f29ceb2188", "893217f2bb855e2983157299931e43ff"),
    "b1": ("069f0534ff22adf035c89e2d9547a9dc", "0e80663031ca32d657f9caa404b6ec37"),
    "b2": ("424e49f28180edbde1e94797771950a7", "1dfe2e7a5d45b6632553a8961ea609eb"),
    "b3": ("1f1fc43bd98a6e4fd8fdfd551e02c7a0", "f6abf7b5849ac99a89b50dd3fd532856"),
    "-s": ("e1d88a8495beba45748fedd0cecbe016", "af0682fb74e8c54910f2d4393339c070"),
    "-m": ("a3bf6aa3276309f4fc6a34aa114c95cd", "1b8dc055df72dde80d614482840fe342"),
    "-l": ("27e6d408b53c7ebc868fefa357689935", "b0b66b5c863aef5b46e8608fe1711615"),
}


def _stage(kernel_size, num_repeat, input_filters, output_filters, expand_ratio,
           se_ratio, strides, conv_type):
    return {"kernel_size": kernel_size, "num_repeat": num_repeat,
            "input_filters": input_filters, "output_filters": output_filters,
            "expand_ratio": expand_ratio, "se_ratio": se_ratio, "strides": strides,
            "conv_type": conv_type}


# conv_type 1 is a fused block, 0 a plain (depthwise) one.
_B_STAGES = [_stage(3, 1, 32, 16, 1, 0, 1, 1), _stage(3, 2, 16, 32, 4, 0, 2, 1),
             _stage(3, 2, 32, 48, 4, 0, 2, 1), _stage(3, 3, 48, 96, 4, 0.25, 2, 0),
             _stage(3, 5, 96, 112, 6, 0.25, 1, 0), _stage(3, 8, 112, 192, 6, 0.25, 2, 0)]
DEFAULT_BLOCKS_ARGS = {
    "efficientnetv2-s": [
        _stage(3, 2, 24, 24, 1, 0.0, 1, 1), _stage(3, 4, 24, 48, 4, 0.0, 2, 1),
        _stage(3, 4, 48, 64, 4, 0, 2, 1), _stage(3, 6, 64, 128, 4, 0.25, 2, 0),
        _stage(3, 9, 128, 160, 6, 0.25, 1, 0), _stage(3, 15, 160, 256, 6, 0.25, 2, 0)],
    "efficientnetv2-m": [
        _stage(3, 3, 24, 24, 1, 0, 1, 1), _stage(3, 5, 24, 48, 4, 0, 2, 1),
        _stage(3, 5, 48, 80, 4, 0, 2, 1), _stage(3, 7, 80, 160, 4, 0.25, 2, 0),
        _stage(3, 14, 160, 176, 6, 0.25, 1, 0), _stage(3, 18, 176, 304, 6, 0.25, 2, 0),
        _stage(3, 5, 304, 512, 6, 0.25, 1, 0)],
    "efficientnetv2-l": [
        _stage(3, 4, 32, 32, 1, 0, 1, 1), _stage(3, 7, 32, 64, 4, 0, 2, 1),
        _stage(3, 7, 64, 96, 4, 0, 2, 1), _stage(3, 10, 96, 192, 4, 0.25, 2, 0),
        _stage(3, 19, 192, 224, 6, 0.25, 1, 0), _stage(3, 25, 224, 384, 6, 0.25, 2, 0),
        _stage(3, 7, 384, 640, 6, 0.25, 1, 0)],
    "efficientnetv2-b0": _B_STAGES, "efficientnetv2-b1": _B_STAGES,
    "efficientnetv2-b2": _B_STAGES, "efficientnetv2-b3": _B_STAGES,
}


def round_filters(filters, width_coefficient, min_depth, depth_divisor):
    """``filters`` scaled by ``width_coefficient`` and rounded to ``depth_divisor``."""
    filters *= width_coefficient
    minimum_depth = min_depth or depth_divisor
    return int(max(minimum_depth,
                   int(filters + depth_divisor / 2) // depth_divisor * depth_divisor))


def round_repeats(repeats, depth_coefficient):
    """``repeats`` scaled by ``depth_coefficient``, rounded up."""
    return int(math.ceil(depth_coefficient * repeats))


def _batch_norm(x, momentum, name):
    return layers.BatchNormalization(axis=_builder.channel_axis(), momentum=momentum,
                                     name=name)(x)


def _conv(filters, kernel_size, strides, name):
    return layers.Conv2D(filters, kernel_size=kernel_size, strides=strides,
                         kernel_initializer=CONV_KERNEL_INITIALIZER, padding="same",
                         data_format=backend.image_data_format(), use_bias=False,
                         name=name)


def _residual(x, inputs, strides, input_filters, output_filters, survival_probability,
              name):
    if strides == 1 and input_filters == output_filters:
        if survival_probability:
            x = layers.Dropout(survival_probability, noise_shape=(None, 1, 1, 1),
                               name=f"{name}drop")(x)
        x = layers.add([x, inputs], name=f"{name}add")
    return x


def MBConvBlock(input_filters, output_filters, expand_ratio=1, kernel_size=3, strides=1,
                se_ratio=0.0, bn_momentum=0.9, activation="swish",
                survival_probability=0.8, name=None):
    """A mobile inverted bottleneck: 1x1 expand, depthwise conv, squeeze-excite, 1x1
    project. Returns a function of the input tensor."""
    if name is None:
        name = backend.get_uid("block0")

    def apply(inputs):
        filters = input_filters * expand_ratio
        x = inputs
        if expand_ratio != 1:
            x = _conv(filters, 1, 1, f"{name}expand_conv")(x)
            x = _batch_norm(x, bn_momentum, f"{name}expand_bn")
            x = layers.Activation(activation, name=f"{name}expand_activation")(x)
        x = layers.DepthwiseConv2D(kernel_size=kernel_size, strides=strides,
                                   depthwise_initializer=CONV_KERNEL_INITIALIZER,
                                   padding="same", data_format=backend.image_data_format(),
                                   use_bias=False, name=f"{name}dwconv2")(x)
        x = _batch_norm(x, bn_momentum, f"{name}bn")
        x = layers.Activation(activation, name=f"{name}activation")(x)
        if 0 < se_ratio <= 1:
            x = squeeze_excite(x, filters, max(1, int(input_filters * se_ratio)),
                               activation, name)
        x = _conv(output_filters, 1, 1, f"{name}project_conv")(x)
        x = _batch_norm(x, bn_momentum, f"{name}project_bn")
        return _residual(x, inputs, strides, input_filters, output_filters,
                         survival_probability, name)

    return apply


def FusedMBConvBlock(input_filters, output_filters, expand_ratio=1, kernel_size=3,
                     strides=1, se_ratio=0.0, bn_momentum=0.9, activation="swish",
                     survival_probability=0.8, name=None):
    """A fused inverted bottleneck: one full conv replaces expand + depthwise. Returns a
    function of the input tensor."""
    if name is None:
        name = backend.get_uid("block0")

    def apply(inputs):
        filters = input_filters * expand_ratio
        x = inputs
        if expand_ratio != 1:
            x = _conv(filters, kernel_size, strides, f"{name}expand_conv")(x)
            x = _batch_norm(x, bn_momentum, f"{name}expand_bn")
            x = layers.Activation(activation=activation,
                                  name=f"{name}expand_activation")(x)
        if 0 < se_ratio <= 1:
            x = squeeze_excite(x, filters, max(1, int(input_filters * se_ratio)),
                               activation, name)
        fused = expand_ratio == 1
        x = layers.Conv2D(output_filters, kernel_size=kernel_size if fused else 1,
                          strides=strides if fused else 1,
                          kernel_initializer=CONV_KERNEL_INITIALIZER, padding="same",
                          use_bias=False, name=f"{name}project_conv")(x)
        x = _batch_norm(x, bn_momentum, f"{name}project_bn")
        if fused:
            x = layers.Activation(activation=activation,
                                  name=f"{name}project_activation")(x)
        return _residual(x, inputs, strides, input_filters, output_filters,
                         survival_probability, name)

    return apply


def EfficientNetV2(width_coefficient, depth_coefficient, default_size, dropout_rate=0.2,
                   drop_connect_rate=0.2, depth_divisor=8, min_depth=8, bn_momentum=0.9,
                   activation="swish", blocks_args="default", name="efficientnetv2",
                   include_top=True, weights="imagenet", input_tensor=None,
                   input_shape=None, pooling=None, classes=1000,
                   classifier_activation="softmax", include_preprocessing=True,
                   weights_name=None):
    """Builds an EfficientNetV2 from its scaling coefficients and stages (the named
    constructors call this)."""
    if blocks_args == "default":
        blocks_args = DEFAULT_BLOCKS_ARGS[name]
    _builder.check_arguments(weights, include_top, classes, pooling)
    input_shape = _builder.input_shape_for(input_shape, default_size, include_top, weights)
    img_input = _builder.image_input(input_shape, input_tensor)
    bn_axis = 3 if _builder.channels_last() else 1

    def filters_of(n):
        return round_filters(n, width_coefficient, min_depth, depth_divisor)

    x = img_input
    if include_preprocessing:
        num_channels = input_shape[bn_axis - 1]
        if name.split("-")[-1].startswith("b") and num_channels == 3:
            x = layers.Rescaling(scale=1.0 / 255)(x)
            x = layers.Normalization(mean=[0.485, 0.456, 0.406],
                                     variance=[0.229**2, 0.224**2, 0.225**2],
                                     axis=bn_axis)(x)
        else:
            x = layers.Rescaling(scale=1.0 / 128.0, offset=-1)(x)

    x = layers.Conv2D(filters=filters_of(blocks_args[0]["input_filters"]), kernel_size=3,
                      strides=2, kernel_initializer=CONV_KERNEL_INITIALIZER,
                      padding="same", use_bias=False, name="stem_conv")(x)
    x = _batch_norm(x, bn_momentum, "stem_bn")
    x = layers.Activation(activation, name="stem_activation")(x)

    total = float(sum(args["num_repeat"] for args in blocks_args))
    index = 0
    for i, stage in enumerate(blocks_args):
        if stage["num_repeat"] <= 0:
            raise ValueError("The number of repeats in `EfficientNetV2` must be > 0. "
                             f"Received: num_repeat={stage['num_repeat']}")
        args = {k: v for k, v in stage.items() if k not in ("num_repeat", "conv_type")}
        args["input_filters"] = filters_of(args["input_filters"])
        args["output_filters"] = filters_of(args["output_filters"])
        make_block = FusedMBConvBlock if stage["conv_type"] == 1 else MBConvBlock
        for j in range(round_repeats(stage["num_repeat"], depth_coefficient)):
            if j > 0:
                args["strides"] = 1
                args["input_filters"] = args["output_filters"]
            x = make_block(activation=activation, bn_momentum=bn_momentum,
                           survival_probability=drop_connect_rate * index / total,
                           name=f"block{i + 1}{chr(j + 97)}_", **args)(x)
            index += 1

    x = _conv(filters_of(1280), 1, 1, "top_conv")(x)
    x = _batch_norm(x, bn_momentum, "top_bn")
    x = layers.Activation(activation=activation, name="top_activation")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        if dropout_rate > 0:
            x = layers.Dropout(dropout_rate, name="top_dropout")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation,
                         kernel_initializer=DENSE_KERNEL_INITIALIZER,
                         bias_initializer=initializers.Constant(0.0),
                         name="predictions")(x)
    else:
        x = _builder.pool(x, pooling, avg_name="avg_pool", max_name="max_pool")
    model = Functional(_builder.model_inputs(input_tensor, img_input), x, name=name)
    file_name = file_hash = None
    if weights == "imagenet":
        file_name = name + (".h5" if include_top else "_notop.h5")
        file_hash = WEIGHTS_HASHES[weights_name][0 if include_top else 1]
    return _builder.load_weights(model, weights, WEIGHTS_FOLDER, file_name, file_hash)


_DOC = """Instantiates the {name} architecture.

    The model rescales its input itself by default: feed pixels in [0, 255].

    Args:
        include_top: whether to end with the classifier.
        weights: ``None``, ``"imagenet"`` or a path to a weights file.
        input_tensor: optional tensor to use as the image input.
        input_shape: optional image shape without the batch axis; at least 32x32.
        pooling: ``None``, ``"avg"`` or ``"max"`` when ``include_top=False``.
        classes: number of classes when ``include_top`` and no ``weights``.
        classifier_activation: activation of the top layer (``None`` for logits).
        include_preprocessing: whether the model rescales (and for B0-B3 normalizes)
            its [0, 255] input.
        name: the model's name.

    Returns:
        A ``Functional`` model.

    Example:
        >>> model = {name}(weights=None, input_shape=(32, 32, 3), classes=10)
    """

# suffix: (width, depth, default size)
_VARIANTS = {"b0": (1.0, 1.0, 224), "b1": (1.0, 1.1, 240), "b2": (1.1, 1.2, 260),
             "b3": (1.2, 1.4, 300), "s": (1.0, 1.0, 384), "m": (1.0, 1.0, 480),
             "l": (1.0, 1.0, 480)}


def _constructor(variant):
    width, depth, size = _VARIANTS[variant]
    weights_name = variant if variant.startswith("b") else f"-{variant}"

    def constructor(include_top=True, weights="imagenet", input_tensor=None,
                    input_shape=None, pooling=None, classes=1000,
                    classifier_activation="softmax", include_preprocessing=True,
                    name=f"efficientnetv2-{variant}"):
        return EfficientNetV2(width_coefficient=width, depth_coefficient=depth,
                              default_size=size, name=name, include_top=include_top,
                              weights=weights, input_tensor=input_tensor,
                              input_shape=input_shape, pooling=pooling, classes=classes,
                              classifier_activation=classifier_activation,
                              include_preprocessing=include_preprocessing,
                              weights_name=weights_name)

    constructor.__name__ = constructor.__qualname__ = f"EfficientNetV2{variant.upper()}"
    constructor.__doc__ = _DOC.format(name=constructor.__name__)
    return constructor


EfficientNetV2B0 = _constructor("b0")
EfficientNetV2B1 = _constructor("b1")
EfficientNetV2B2 = _constructor("b2")
EfficientNetV2B3 = _constructor("b3")
EfficientNetV2S = _constructor("s")
EfficientNetV2M = _constructor("m")
EfficientNetV2L = _constructor("l")


preprocess_input, decode_predictions = _docs.preprocessing("efficientnet_v2", None)
