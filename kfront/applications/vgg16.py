"""VGG16 (Simonyan & Zisserman, "Very Deep Convolutional Networks for Large-Scale Image
Recognition", ICLR 2015)."""
from kfront.applications import _builder, _docs

_HASHES = ("64373286793e3c8b2b4e3219cbf3544b", "6d6bbae143d832006294945121d1f1fc")


def build_vgg(convs_per_block, stem, hashes, *, include_top, weights, input_tensor,
              input_shape, pooling, classes, classifier_activation, name):
    """A VGG network with ``convs_per_block[i]`` 3x3 convolutions in block ``i + 1``."""
    from kfront import layers
    img_input = _builder.checked_input(
        weights=weights, include_top=include_top, classes=classes, input_tensor=input_tensor,
        input_shape=input_shape, pooling=pooling, default_size=224, min_size=32)
    x = img_input
    for block, (filters, convs) in enumerate(zip((64, 128, 256, 512, 512), convs_per_block),
                                             start=1):
        for i in range(1, convs + 1):
            x = layers.Conv2D(filters, (3, 3), activation="relu", padding="same",
                              name=f"block{block}_conv{i}")(x)
        x = layers.MaxPooling2D((2, 2), strides=(2, 2), name=f"block{block}_pool")(x)
    if include_top:
        from kfront.applications import imagenet_utils
        x = layers.Flatten(name="flatten")(x)
        x = layers.Dense(4096, activation="relu", name="fc1")(x)
        x = layers.Dense(4096, activation="relu", name="fc2")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = _builder.top(x, include_top=False, pooling=pooling, classes=classes,
                         classifier_activation=classifier_activation, weights=weights)
    return _builder.finish(
        input_tensor=input_tensor, img_input=img_input, outputs=x, name=name,
        weights=weights,
        imagenet_file=_builder.imagenet_file(f"{stem}/", stem, include_top, hashes))


def VGG16(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
          pooling=None, classes=1000, classifier_activation="softmax", name="vgg16"):
    return build_vgg((2, 2, 3, 3, 3), "vgg16", _HASHES, include_top=include_top,
                     weights=weights, input_tensor=input_tensor, input_shape=input_shape,
                     pooling=pooling, classes=classes,
                     classifier_activation=classifier_activation, name=name)


_docs.document(VGG16, "Instantiates the VGG16 model (13 convolutions, 3 dense layers).",
               224, 32, "caffe")
preprocess_input, decode_predictions = _docs.preprocessing("vgg16", "caffe")
