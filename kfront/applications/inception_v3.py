"""InceptionV3 (Szegedy et al., "Rethinking the Inception Architecture for Computer
Vision", CVPR 2016)."""
from kfront.applications import _builder, _docs

_HASHES = ("9a0d58056eeedaa3f26cb7ebd46da564", "bcbd6486424b2319ff4ef7d526e38f63")


def conv2d_bn(x, filters, num_row, num_col, padding="same", strides=(1, 1), name=None):
    """Conv2D (no bias) -> BatchNormalization (no scale) -> ReLU; a ``name`` names them
    ``name_conv``, ``name_bn`` and ``name``."""
    from kfront import layers
    x = layers.Conv2D(filters, (num_row, num_col), strides=strides, padding=padding,
                      use_bias=False, name=None if name is None else f"{name}_conv")(x)
    x = layers.BatchNormalization(axis=_builder.channel_axis(), scale=False,
                                  name=None if name is None else f"{name}_bn")(x)
    return layers.Activation("relu", name=name)(x)


def _avg_pool_branch(x, filters):
    from kfront import layers
    x = layers.AveragePooling2D((3, 3), strides=(1, 1), padding="same")(x)
    return conv2d_bn(x, filters, 1, 1)


def _double(x, spec):
    """A chain of conv2d_bn: ``spec`` lists (filters, rows, cols[, strides, padding])."""
    for step in spec:
        x = conv2d_bn(x, step[0], step[1], step[2], *(() if len(step) == 3 else
                                                      (step[4], step[3])))
    return x


def _block_35(x, pool_filters, name):
    """A 35x35 Inception block (mixed0-2)."""
    from kfront import layers
    branches = [conv2d_bn(x, 64, 1, 1),
                _double(x, [(48, 1, 1), (64, 5, 5)]),
                _double(x, [(64, 1, 1), (96, 3, 3), (96, 3, 3)]),
                _avg_pool_branch(x, pool_filters)]
    return layers.concatenate(branches, axis=_builder.channel_axis(), name=name)


def _block_17(x, width, name):
    """A 17x17 Inception block with factorized 7x7 convolutions (mixed4-7)."""
    from kfront import layers
    branches = [conv2d_bn(x, 192, 1, 1),
                _double(x, [(width, 1, 1), (width, 1, 7), (192, 7, 1)]),
                _double(x, [(width, 1, 1), (width, 7, 1), (width, 1, 7), (width, 7, 1),
                            (192, 1, 7)]),
                _avg_pool_branch(x, 192)]
    return layers.concatenate(branches, axis=_builder.channel_axis(), name=name)


def _block_8(x, i):
    """An 8x8 Inception block with split 1x3/3x1 convolutions (mixed9, mixed10)."""
    from kfront import layers
    axis = _builder.channel_axis()
    branch1x1 = conv2d_bn(x, 320, 1, 1)
    branch3x3 = conv2d_bn(x, 384, 1, 1)
    branch3x3 = layers.concatenate([conv2d_bn(branch3x3, 384, 1, 3),
                                    conv2d_bn(branch3x3, 384, 3, 1)],
                                   axis=axis, name=f"mixed9_{i}")
    branch3x3dbl = _double(x, [(448, 1, 1), (384, 3, 3)])
    branch3x3dbl = layers.concatenate([conv2d_bn(branch3x3dbl, 384, 1, 3),
                                       conv2d_bn(branch3x3dbl, 384, 3, 1)], axis=axis)
    return layers.concatenate([branch1x1, branch3x3, branch3x3dbl, _avg_pool_branch(x, 192)],
                              axis=axis, name=f"mixed{9 + i}")


def InceptionV3(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
                pooling=None, classes=1000, classifier_activation="softmax",
                name="inception_v3"):
    from kfront import layers
    img_input = _builder.checked_input(
        weights=weights, include_top=include_top, classes=classes, input_tensor=input_tensor,
        input_shape=input_shape, pooling=pooling, default_size=299, min_size=75)
    axis = _builder.channel_axis()
    x = conv2d_bn(img_input, 32, 3, 3, strides=(2, 2), padding="valid")
    x = conv2d_bn(x, 32, 3, 3, padding="valid")
    x = conv2d_bn(x, 64, 3, 3)
    x = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    x = conv2d_bn(x, 80, 1, 1, padding="valid")
    x = conv2d_bn(x, 192, 3, 3, padding="valid")
    x = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)

    x = _block_35(x, 32, "mixed0")
    x = _block_35(x, 64, "mixed1")
    x = _block_35(x, 64, "mixed2")
    x = layers.concatenate(  # reduction to 17x17
        [conv2d_bn(x, 384, 3, 3, strides=(2, 2), padding="valid"),
         _double(x, [(64, 1, 1), (96, 3, 3), (96, 3, 3, (2, 2), "valid")]),
         layers.MaxPooling2D((3, 3), strides=(2, 2))(x)], axis=axis, name="mixed3")
    x = _block_17(x, 128, "mixed4")
    x = _block_17(x, 160, "mixed5")
    x = _block_17(x, 160, "mixed6")
    x = _block_17(x, 192, "mixed7")
    x = layers.concatenate(  # reduction to 8x8
        [_double(x, [(192, 1, 1), (320, 3, 3, (2, 2), "valid")]),
         _double(x, [(192, 1, 1), (192, 1, 7), (192, 7, 1), (192, 3, 3, (2, 2), "valid")]),
         layers.MaxPooling2D((3, 3), strides=(2, 2))(x)], axis=axis, name="mixed8")
    x = _block_8(x, 0)
    x = _block_8(x, 1)
    x = _builder.top(x, include_top=include_top, pooling=pooling, classes=classes,
                     classifier_activation=classifier_activation, weights=weights)
    return _builder.finish(
        input_tensor=input_tensor, img_input=img_input, outputs=x, name=name,
        weights=weights,
        imagenet_file=_builder.imagenet_file("inception_v3/", "inception_v3", include_top,
                                             _HASHES))


_docs.document(InceptionV3, "Instantiates the Inception v3 architecture.", 299, 75, "tf")
preprocess_input, decode_predictions = _docs.preprocessing("inception_v3", "tf")
