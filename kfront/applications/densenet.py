"""DenseNet121/169/201 (Huang et al., "Densely Connected Convolutional Networks",
CVPR 2017)."""
from kfront.applications import _builder, _docs

_EPSILON = 1.001e-5
# (with top, without top) md5 of Keras's published files, by block layout.
_WEIGHTS = {
    (6, 12, 24, 16): ("densenet121", ("9d60b8095a5708f2dcce2bca79d332c7",
                                      "30ee3e1110167f948a6b9946edeeb738")),
    (6, 12, 32, 32): ("densenet169", ("d699b8f76981ab1b30698df4c175e90b",
                                      "b8c4d4c20dd625c148057b9ff1c1176b")),
    (6, 12, 48, 32): ("densenet201", ("1ceb130c1ea1b78c3bf6114dbdfd8807",
                                      "c13680b51ded0fb44dff2d8f86ac8bb1")),
}


def _bn(x, name):
    from kfront import layers
    return layers.BatchNormalization(axis=_builder.channel_axis(), epsilon=_EPSILON,
                                     name=name)(x)


def conv_block(x, growth_rate, name):
    """A dense layer: BN-ReLU-1x1 conv (4 * ``growth_rate``), BN-ReLU-3x3 conv
    (``growth_rate``), concatenated to its input."""
    from kfront import layers
    y = layers.Activation("relu", name=f"{name}_0_relu")(_bn(x, f"{name}_0_bn"))
    y = layers.Conv2D(4 * growth_rate, 1, use_bias=False, name=f"{name}_1_conv")(y)
    y = layers.Activation("relu", name=f"{name}_1_relu")(_bn(y, f"{name}_1_bn"))
    y = layers.Conv2D(growth_rate, 3, padding="same", use_bias=False,
                      name=f"{name}_2_conv")(y)
    return layers.Concatenate(axis=_builder.channel_axis(), name=f"{name}_concat")([x, y])


def dense_block(x, blocks, name):
    """``blocks`` dense layers of growth rate 32."""
    for i in range(blocks):
        x = conv_block(x, 32, name=f"{name}_block{i + 1}")
    return x


def transition_block(x, reduction, name):
    """BN-ReLU-1x1 conv to ``reduction`` times the channels, then 2x2 average pooling."""
    from kfront import layers
    x = layers.Activation("relu", name=f"{name}_relu")(_bn(x, f"{name}_bn"))
    channels = int(x.shape[_builder.channel_axis()] * reduction)
    x = layers.Conv2D(channels, 1, use_bias=False, name=f"{name}_conv")(x)
    return layers.AveragePooling2D(2, strides=2, name=f"{name}_pool")(x)


def DenseNet(blocks, include_top=True, weights="imagenet", input_tensor=None,
             input_shape=None, pooling=None, classes=1000, classifier_activation="softmax",
             name="densenet"):
    """A DenseNet with ``blocks[i]`` dense layers in dense block ``i + 1``."""
    from kfront import layers
    img_input = _builder.checked_input(
        weights=weights, include_top=include_top, classes=classes, input_tensor=input_tensor,
        input_shape=input_shape, pooling=pooling, default_size=224, min_size=32)
    x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)))(img_input)
    x = layers.Conv2D(64, 7, strides=2, use_bias=False, name="conv1_conv")(x)
    x = layers.Activation("relu", name="conv1_relu")(_bn(x, "conv1_bn"))
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)))(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1")(x)
    for i, count in enumerate(blocks):
        x = dense_block(x, count, name=f"conv{i + 2}")
        if i < len(blocks) - 1:
            x = transition_block(x, 0.5, name=f"pool{i + 2}")
    x = layers.Activation("relu", name="relu")(_bn(x, "bn"))
    x = _builder.top(x, include_top=include_top, pooling=pooling, classes=classes,
                     classifier_activation=classifier_activation, weights=weights,
                     pool_names=("avg_pool", "max_pool"))
    known = _WEIGHTS.get(tuple(blocks))
    imagenet_file = None if known is None else \
        _builder.imagenet_file("densenet/", known[0], include_top, known[1])
    return _builder.finish(input_tensor=input_tensor, img_input=img_input, outputs=x,
                           name=name, weights=weights, imagenet_file=imagenet_file)


def DenseNet121(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
                pooling=None, classes=1000, classifier_activation="softmax",
                name="densenet121"):
    return DenseNet([6, 12, 24, 16], include_top, weights, input_tensor, input_shape,
                    pooling, classes, classifier_activation, name)


def DenseNet169(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
                pooling=None, classes=1000, classifier_activation="softmax",
                name="densenet169"):
    return DenseNet([6, 12, 32, 32], include_top, weights, input_tensor, input_shape,
                    pooling, classes, classifier_activation, name)


def DenseNet201(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
                pooling=None, classes=1000, classifier_activation="softmax",
                name="densenet201"):
    return DenseNet([6, 12, 48, 32], include_top, weights, input_tensor, input_shape,
                    pooling, classes, classifier_activation, name)


for _f, _depth in ((DenseNet121, 121), (DenseNet169, 169), (DenseNet201, 201)):
    _docs.document(_f, f"Instantiates the DenseNet{_depth} architecture.", 224, 32, "torch")
preprocess_input, decode_predictions = _docs.preprocessing("densenet", "torch")
