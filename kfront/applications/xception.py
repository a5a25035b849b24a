"""Xception (Chollet, "Xception: Deep Learning with Depthwise Separable Convolutions",
CVPR 2017)."""
from kfront.applications import _builder, _docs

_HASHES = ("0a58e3b7378bc2990ea3b43d5981f1f6", "b0042744bf5b25fce3cb969f33bebb97")


def _sep_bn(x, filters, name, relu_first=None):
    """[ReLU named ``relu_first``] -> 3x3 separable conv ``name`` -> BN ``name_bn``."""
    from kfront import layers
    if relu_first:
        x = layers.Activation("relu", name=relu_first)(x)
    x = layers.SeparableConv2D(filters, (3, 3), padding="same", use_bias=False, name=name)(x)
    return layers.BatchNormalization(axis=_builder.channel_axis(), name=f"{name}_bn")(x)


def _downsampling_block(x, block, filters, first_relu=True):
    """Entry/exit-flow block: two separable convs and a strided max pool, added to a 1x1
    strided projection of the input (whose layers Keras leaves unnamed)."""
    from kfront import layers
    residual = layers.Conv2D(filters[1], (1, 1), strides=(2, 2), padding="same",
                             use_bias=False)(x)
    residual = layers.BatchNormalization(axis=_builder.channel_axis())(residual)
    x = _sep_bn(x, filters[0], f"block{block}_sepconv1",
                f"block{block}_sepconv1_act" if first_relu else None)
    x = _sep_bn(x, filters[1], f"block{block}_sepconv2", f"block{block}_sepconv2_act")
    x = layers.MaxPooling2D((3, 3), strides=(2, 2), padding="same",
                            name=f"block{block}_pool")(x)
    return layers.add([x, residual])


def Xception(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
             pooling=None, classes=1000, classifier_activation="softmax", name="xception"):
    from kfront import layers
    img_input = _builder.checked_input(
        weights=weights, include_top=include_top, classes=classes, input_tensor=input_tensor,
        input_shape=input_shape, pooling=pooling, default_size=299, min_size=71)
    axis = _builder.channel_axis()
    x = layers.Conv2D(32, (3, 3), strides=(2, 2), use_bias=False,
                      name="block1_conv1")(img_input)
    x = layers.BatchNormalization(axis=axis, name="block1_conv1_bn")(x)
    x = layers.Activation("relu", name="block1_conv1_act")(x)
    x = layers.Conv2D(64, (3, 3), use_bias=False, name="block1_conv2")(x)
    x = layers.BatchNormalization(axis=axis, name="block1_conv2_bn")(x)
    x = layers.Activation("relu", name="block1_conv2_act")(x)

    x = _downsampling_block(x, 2, (128, 128), first_relu=False)
    x = _downsampling_block(x, 3, (256, 256))
    x = _downsampling_block(x, 4, (728, 728))
    for block in range(5, 13):  # middle flow
        residual = x
        for i in (1, 2, 3):
            x = _sep_bn(x, 728, f"block{block}_sepconv{i}", f"block{block}_sepconv{i}_act")
        x = layers.add([x, residual])
    x = _downsampling_block(x, 13, (728, 1024))

    x = _sep_bn(x, 1536, "block14_sepconv1")
    x = layers.Activation("relu", name="block14_sepconv1_act")(x)
    x = _sep_bn(x, 2048, "block14_sepconv2")
    x = layers.Activation("relu", name="block14_sepconv2_act")(x)
    x = _builder.top(x, include_top=include_top, pooling=pooling, classes=classes,
                     classifier_activation=classifier_activation, weights=weights)
    return _builder.finish(
        input_tensor=input_tensor, img_input=img_input, outputs=x, name=name,
        weights=weights,
        imagenet_file=_builder.imagenet_file("xception/", "xception", include_top, _HASHES))


_docs.document(Xception, "Instantiates the Xception architecture.", 299, 71, "tf")
preprocess_input, decode_predictions = _docs.preprocessing("xception", "tf")
