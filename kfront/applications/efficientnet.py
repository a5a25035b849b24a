"""EfficientNetB0 to EfficientNetB7: mobile inverted bottlenecks with squeeze-and-excite,
scaled in width, depth and resolution together.

Reference: Tan and Le, "EfficientNet: Rethinking Model Scaling for Convolutional Neural
Networks" (https://arxiv.org/abs/1905.11946). The models normalize their input
themselves: feed pixels in [0, 255].
"""
import math

from kfront import layers
from kfront.applications import _builder, _docs, imagenet_utils
from kfront.models import Functional

# Folder of the published weights under the bucket (kfront.applications._weights).
WEIGHTS_FOLDER = "keras-applications/"
WEIGHTS_HASHES = {
    "b0": ("902e53a9f72be733fc0bcb005b3ebbac", "50bc09e76180e00e4465e1a485ddc09d"),
    "b1": ("1d254153d4ab51201f1646940f018540", "74c4e6b3e1f6a1eea24c589628592432"),
    "b2": ("b15cce36ff4dcbd00b6dd88e7857a6ad", "111f8e2ac8aa800a7a99e3239f7bfb39"),
    "b3": ("ffd1fdc53d0ce67064dc6a9c7960ede0", "af6d107764bb5b1abb91932881670226"),
    "b4": ("18c95ad55216b8f92d7e70b3a046e2fc", "ebc24e6d6c33eaebbd558eafbeedf1ba"),
    "b5": ("ace28f2a6363774853a83a0b21b9421a", "38879255a25d3c92d5e44e04ae6cec6f"),
    "b6": ("165f6e37dce68623721b423839de8be5", "9ecce42647a20130c1f39a5d4cb75743"),
    "b7": ("8c03f828fec3ef71311cd463b6759d99", "cbcfe4450ddf6f3ad90b1b398090fe4a"),
}


def _stage(kernel_size, repeats, filters_in, filters_out, expand_ratio, strides):
    return {"kernel_size": kernel_size, "repeats": repeats, "filters_in": filters_in,
            "filters_out": filters_out, "expand_ratio": expand_ratio, "id_skip": True,
            "strides": strides, "se_ratio": 0.25}


DEFAULT_BLOCKS_ARGS = [
    _stage(3, 1, 32, 16, 1, 1), _stage(3, 2, 16, 24, 6, 2), _stage(5, 2, 24, 40, 6, 2),
    _stage(3, 3, 40, 80, 6, 2), _stage(5, 3, 80, 112, 6, 1), _stage(5, 4, 112, 192, 6, 2),
    _stage(3, 1, 192, 320, 6, 1),
]
CONV_KERNEL_INITIALIZER = {"class_name": "VarianceScaling", "config": {
    "scale": 2.0, "mode": "fan_out", "distribution": "truncated_normal"}}
DENSE_KERNEL_INITIALIZER = {"class_name": "VarianceScaling", "config": {
    "scale": 1.0 / 3.0, "mode": "fan_out", "distribution": "uniform"}}
IMAGENET_STDDEV_RGB = [0.229, 0.224, 0.225]


def EfficientNet(width_coefficient, depth_coefficient, default_size, dropout_rate=0.2,
                 drop_connect_rate=0.2, depth_divisor=8, activation="swish",
                 blocks_args="default", name="efficientnet", include_top=True,
                 weights="imagenet", input_tensor=None, input_shape=None, pooling=None,
                 classes=1000, classifier_activation="softmax", weights_name=None):
    """Builds an EfficientNet from its scaling coefficients (the B0-B7 constructors
    call this)."""
    if blocks_args == "default":
        blocks_args = DEFAULT_BLOCKS_ARGS
    _builder.check_arguments(weights, include_top, classes, pooling)
    input_shape = _builder.input_shape_for(input_shape, default_size, include_top, weights)
    img_input = _builder.image_input(input_shape, input_tensor)
    bn_axis = _builder.channel_axis()

    def round_filters(filters):
        filters *= width_coefficient
        rounded = max(depth_divisor,
                      int(filters + depth_divisor / 2) // depth_divisor * depth_divisor)
        return int(rounded + depth_divisor if rounded < 0.9 * filters else rounded)

    def round_repeats(repeats):
        return int(math.ceil(depth_coefficient * repeats))

    x = layers.Rescaling(1.0 / 255.0)(img_input)
    x = layers.Normalization(axis=bn_axis)(x)
    if weights == "imagenet":
        # The published weights' normalization stores the variance where the standard
        # deviation belongs; this rescaling undoes that.
        x = layers.Rescaling([1.0 / math.sqrt(s) for s in IMAGENET_STDDEV_RGB])(x)
    x = layers.ZeroPadding2D(padding=imagenet_utils.correct_pad(x, 3),
                             name="stem_conv_pad")(x)
    x = layers.Conv2D(round_filters(32), 3, strides=2, padding="valid", use_bias=False,
                      kernel_initializer=CONV_KERNEL_INITIALIZER, name="stem_conv")(x)
    x = layers.BatchNormalization(axis=bn_axis, name="stem_bn")(x)
    x = layers.Activation(activation, name="stem_activation")(x)

    total = float(sum(round_repeats(args["repeats"]) for args in blocks_args))
    index = 0
    for i, stage in enumerate(blocks_args):
        if stage["repeats"] <= 0:
            raise ValueError("The number of repeats in `EfficientNet` must be > 0. "
                             f"Received: repeats={stage['repeats']}")
        args = {k: v for k, v in stage.items() if k != "repeats"}
        args["filters_in"] = round_filters(args["filters_in"])
        args["filters_out"] = round_filters(args["filters_out"])
        for j in range(round_repeats(stage["repeats"])):
            if j > 0:
                args["strides"] = 1
                args["filters_in"] = args["filters_out"]
            x = block(x, activation, drop_connect_rate * index / total,
                      name=f"block{i + 1}{chr(j + 97)}_", **args)
            index += 1

    x = layers.Conv2D(round_filters(1280), 1, padding="same", use_bias=False,
                      kernel_initializer=CONV_KERNEL_INITIALIZER, name="top_conv")(x)
    x = layers.BatchNormalization(axis=bn_axis, name="top_bn")(x)
    x = layers.Activation(activation, name="top_activation")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        if dropout_rate > 0:
            x = layers.Dropout(dropout_rate, name="top_dropout")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation,
                         kernel_initializer=DENSE_KERNEL_INITIALIZER, name="predictions")(x)
    else:
        x = _builder.pool(x, pooling, avg_name="avg_pool", max_name="max_pool")
    model = Functional(_builder.model_inputs(input_tensor, img_input), x, name=name)
    file_name = file_hash = None
    if weights == "imagenet":
        file_name = name + (".h5" if include_top else "_notop.h5")
        file_hash = WEIGHTS_HASHES[weights_name][0 if include_top else 1]
    return _builder.load_weights(model, weights, WEIGHTS_FOLDER, file_name, file_hash)


def squeeze_excite(x, filters, filters_se, activation, name):
    """Squeeze-and-excite as both EfficientNet generations use it: pooled channel
    gates from two 1x1 convolutions, multiplied into ``x``."""
    se = layers.GlobalAveragePooling2D(name=f"{name}se_squeeze")(x)
    shape = (1, 1, filters) if _builder.channels_last() else (filters, 1, 1)
    se = layers.Reshape(shape, name=f"{name}se_reshape")(se)
    se = layers.Conv2D(filters_se, 1, padding="same", activation=activation,
                       kernel_initializer=CONV_KERNEL_INITIALIZER, name=f"{name}se_reduce")(se)
    se = layers.Conv2D(filters, 1, padding="same", activation="sigmoid",
                       kernel_initializer=CONV_KERNEL_INITIALIZER, name=f"{name}se_expand")(se)
    return layers.multiply([x, se], name=f"{name}se_excite")


def block(inputs, activation="swish", drop_rate=0.0, name="", filters_in=32,
          filters_out=16, kernel_size=3, strides=1, expand_ratio=1, se_ratio=0.0,
          id_skip=True):
    """One mobile inverted bottleneck: expand, depthwise conv, squeeze-excite, project."""
    bn_axis = _builder.channel_axis()
    filters = filters_in * expand_ratio
    x = inputs
    if expand_ratio != 1:
        x = layers.Conv2D(filters, 1, padding="same", use_bias=False,
                          kernel_initializer=CONV_KERNEL_INITIALIZER,
                          name=f"{name}expand_conv")(x)
        x = layers.BatchNormalization(axis=bn_axis, name=f"{name}expand_bn")(x)
        x = layers.Activation(activation, name=f"{name}expand_activation")(x)
    conv_pad = "same"
    if strides == 2:
        x = layers.ZeroPadding2D(padding=imagenet_utils.correct_pad(x, kernel_size),
                                 name=f"{name}dwconv_pad")(x)
        conv_pad = "valid"
    x = layers.DepthwiseConv2D(kernel_size, strides=strides, padding=conv_pad,
                               use_bias=False, depthwise_initializer=CONV_KERNEL_INITIALIZER,
                               name=f"{name}dwconv")(x)
    x = layers.BatchNormalization(axis=bn_axis, name=f"{name}bn")(x)
    x = layers.Activation(activation, name=f"{name}activation")(x)
    if 0 < se_ratio <= 1:
        x = squeeze_excite(x, filters, max(1, int(filters_in * se_ratio)), activation, name)
    x = layers.Conv2D(filters_out, 1, padding="same", use_bias=False,
                      kernel_initializer=CONV_KERNEL_INITIALIZER,
                      name=f"{name}project_conv")(x)
    x = layers.BatchNormalization(axis=bn_axis, name=f"{name}project_bn")(x)
    if id_skip and strides == 1 and filters_in == filters_out:
        if drop_rate > 0:
            x = layers.Dropout(drop_rate, noise_shape=(None, 1, 1, 1), name=f"{name}drop")(x)
        x = layers.add([x, inputs], name=f"{name}add")
    return x


_DOC = """Instantiates the {name} architecture.

    The model normalizes its input itself: feed pixels in [0, 255].

    Args:
        include_top: whether to end with the classifier.
        weights: ``None``, ``"imagenet"`` or a path to a weights file.
        input_tensor: optional tensor to use as the image input.
        input_shape: optional image shape without the batch axis; at least 32x32.
        pooling: ``None``, ``"avg"`` or ``"max"`` when ``include_top=False``.
        classes: number of classes when ``include_top`` and no ``weights``.
        classifier_activation: activation of the top layer (``None`` for logits).
        name: the model's name.

    Returns:
        A ``Functional`` model.

    Example:
        >>> model = {name}(weights=None, input_shape=(32, 32, 3), classes=10)
    """

# name: (width, depth, default size, dropout)
_VARIANTS = {"b0": (1.0, 1.0, 224, 0.2), "b1": (1.0, 1.1, 240, 0.2),
             "b2": (1.1, 1.2, 260, 0.3), "b3": (1.2, 1.4, 300, 0.3),
             "b4": (1.4, 1.8, 380, 0.4), "b5": (1.6, 2.2, 456, 0.4),
             "b6": (1.8, 2.6, 528, 0.5), "b7": (2.0, 3.1, 600, 0.5)}


def _constructor(variant):
    width, depth, size, dropout = _VARIANTS[variant]

    def constructor(include_top=True, weights="imagenet", input_tensor=None,
                    input_shape=None, pooling=None, classes=1000,
                    classifier_activation="softmax", name=f"efficientnet{variant}"):
        return EfficientNet(width, depth, size, dropout, name=name,
                            include_top=include_top, weights=weights,
                            input_tensor=input_tensor, input_shape=input_shape,
                            pooling=pooling, classes=classes,
                            classifier_activation=classifier_activation,
                            weights_name=variant)

    constructor.__name__ = constructor.__qualname__ = f"EfficientNet{variant.upper()}"
    constructor.__doc__ = _DOC.format(name=constructor.__name__)
    return constructor


EfficientNetB0 = _constructor("b0")
EfficientNetB1 = _constructor("b1")
EfficientNetB2 = _constructor("b2")
EfficientNetB3 = _constructor("b3")
EfficientNetB4 = _constructor("b4")
EfficientNetB5 = _constructor("b5")
EfficientNetB6 = _constructor("b6")
EfficientNetB7 = _constructor("b7")


preprocess_input, decode_predictions = _docs.preprocessing("efficientnet", None)
