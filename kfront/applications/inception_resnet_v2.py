"""InceptionResNetV2 (Szegedy et al., "Inception-v4, Inception-ResNet and the Impact of
Residual Connections on Learning", AAAI 2017)."""
from kfront.applications import _builder, _docs
from kfront.layers import Layer
from kfront.saving import register_keras_serializable

_HASHES = ("e693bd0210a403b3192acc6073ad2e96", "d19885ff4a710c122648d3b5c3b684e4")


@register_keras_serializable(package="kfront.applications")
class CustomScaleLayer(Layer):
    """``inputs[0] + scale * inputs[1]``: the scaled residual sum of an Inception-ResNet
    block."""

    def __init__(self, scale, **kwargs):
        super().__init__(**kwargs)
        self.scale = scale

    def get_config(self):
        return {**super().get_config(), "scale": self.scale}

    def call(self, inputs):
        from kfront import ops
        return ops.add(inputs[0], ops.multiply(inputs[1], self.scale))


def conv2d_bn(x, filters, kernel_size, strides=1, padding="same", activation="relu",
              use_bias=False, name=None):
    """Conv2D, then (without bias) BatchNormalization without scale, then the activation;
    a ``name`` names them ``name``, ``name_bn`` and ``name_ac``."""
    from kfront import layers
    x = layers.Conv2D(filters, kernel_size, strides=strides, padding=padding,
                      use_bias=use_bias, name=name)(x)
    if not use_bias:
        x = layers.BatchNormalization(axis=_builder.channel_axis(), scale=False,
                                      name=None if name is None else f"{name}_bn")(x)
    if activation is not None:
        x = layers.Activation(activation, name=None if name is None else f"{name}_ac")(x)
    return x


def _chain(x, spec):
    """conv2d_bn after conv2d_bn: ``spec`` lists (filters, kernel[, strides, padding])."""
    for step in spec:
        x = conv2d_bn(x, *step)
    return x


_BRANCHES = {
    "block35": ([(32, 1)], [(32, 1), (32, 3)], [(32, 1), (48, 3), (64, 3)]),
    "block17": ([(192, 1)], [(128, 1), (160, [1, 7]), (192, [7, 1])]),
    "block8": ([(192, 1)], [(192, 1), (224, [1, 3]), (256, [3, 1])]),
}


def inception_resnet_block(x, scale, block_type, block_idx, activation="relu"):
    """An Inception-ResNet block ("block35", "block17" or "block8"): its branches are
    concatenated, projected back to the input's channels by a 1x1 conv, and added to the
    input as ``x + scale * r``; layers are named ``{block_type}_{block_idx}_*``."""
    from kfront import layers
    if block_type not in _BRANCHES:
        raise ValueError('Unknown Inception-ResNet block type. Expects "block35", "block17" '
                         f'or "block8", but got: {block_type}')
    axis = _builder.channel_axis()
    block_name = f"{block_type}_{block_idx}"
    branches = [_chain(x, spec) for spec in _BRANCHES[block_type]]
    mixed = layers.Concatenate(axis=axis, name=f"{block_name}_mixed")(branches)
    up = conv2d_bn(mixed, x.shape[axis], 1, activation=None, use_bias=True,
                   name=f"{block_name}_conv")
    x = CustomScaleLayer(scale)([x, up])
    if activation is not None:
        x = layers.Activation(activation, name=f"{block_name}_ac")(x)
    return x


def InceptionResNetV2(include_top=True, weights="imagenet", input_tensor=None,
                      input_shape=None, pooling=None, classes=1000,
                      classifier_activation="softmax", name="inception_resnet_v2"):
    from kfront import layers
    img_input = _builder.checked_input(
        weights=weights, include_top=include_top, classes=classes, input_tensor=input_tensor,
        input_shape=input_shape, pooling=pooling, default_size=299, min_size=75)
    axis = _builder.channel_axis()
    x = _chain(img_input, [(32, 3, 2, "valid"), (32, 3, 1, "valid"), (64, 3)])
    x = layers.MaxPooling2D(3, strides=2)(x)
    x = _chain(x, [(80, 1, 1, "valid"), (192, 3, 1, "valid")])
    x = layers.MaxPooling2D(3, strides=2)(x)

    pool = layers.AveragePooling2D(3, strides=1, padding="same")
    x = layers.Concatenate(axis=axis, name="mixed_5b")([  # stem: 35 x 35 x 320
        conv2d_bn(x, 96, 1),
        _chain(x, [(48, 1), (64, 5)]),
        _chain(x, [(64, 1), (96, 3), (96, 3)]),
        conv2d_bn(pool(x), 64, 1)])
    for block_idx in range(1, 11):
        x = inception_resnet_block(x, scale=0.17, block_type="block35", block_idx=block_idx)

    x = layers.Concatenate(axis=axis, name="mixed_6a")([  # reduction-A: 17 x 17 x 1088
        conv2d_bn(x, 384, 3, strides=2, padding="valid"),
        _chain(x, [(256, 1), (256, 3), (384, 3, 2, "valid")]),
        layers.MaxPooling2D(3, strides=2, padding="valid")(x)])
    for block_idx in range(1, 21):
        x = inception_resnet_block(x, scale=0.1, block_type="block17", block_idx=block_idx)

    x = layers.Concatenate(axis=axis, name="mixed_7a")([  # reduction-B: 8 x 8 x 2080
        _chain(x, [(256, 1), (384, 3, 2, "valid")]),
        _chain(x, [(256, 1), (288, 3, 2, "valid")]),
        _chain(x, [(256, 1), (288, 3), (320, 3, 2, "valid")]),
        layers.MaxPooling2D(3, strides=2, padding="valid")(x)])
    for block_idx in range(1, 10):
        x = inception_resnet_block(x, scale=0.2, block_type="block8", block_idx=block_idx)
    x = inception_resnet_block(x, scale=1.0, activation=None, block_type="block8",
                               block_idx=10)

    x = conv2d_bn(x, 1536, 1, name="conv_7b")  # 8 x 8 x 1536
    x = _builder.top(x, include_top=include_top, pooling=pooling, classes=classes,
                     classifier_activation=classifier_activation, weights=weights)
    return _builder.finish(
        input_tensor=input_tensor, img_input=img_input, outputs=x, name=name,
        weights=weights,
        imagenet_file=_builder.imagenet_file("inception_resnet_v2/", "inception_resnet_v2",
                                             include_top, _HASHES))


_docs.document(InceptionResNetV2, "Instantiates the Inception-ResNet v2 architecture.",
               299, 75, "tf")
preprocess_input, decode_predictions = _docs.preprocessing("inception_resnet_v2", "tf")
