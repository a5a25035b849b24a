"""The steps every application constructor shares: argument checks and the input layer,
the classifier top or pooling, and the final Functional model with its weights."""
from kfront.applications import _weights, imagenet_utils


def channel_axis():
    """The channel axis of a 4D image batch in the current image data format."""
    from kfront.config import image_data_format
    return 1 if image_data_format() == "channels_first" else 3


def image_input(*, weights, include_top, classes, input_tensor, input_shape, pooling,
                default_size, min_size):
    """Checks the constructor's arguments as Keras does and returns the image input: a new
    ``Input`` of the checked shape, ``input_tensor`` itself when it is a symbolic tensor, or
    an ``Input`` wrapping it otherwise."""
    from kfront import layers
    from kfront.backend.keras_tensor import is_keras_tensor
    from kfront.config import image_data_format
    _weights.check_weights(weights, include_top, classes)
    if not include_top and pooling not in (None, "avg", "max"):
        raise ValueError("`pooling` must be None, 'avg' or 'max' (with include_top=False). "
                         f"Received: pooling={pooling!r}")
    shape = imagenet_utils.obtain_input_shape(
        input_shape, default_size=default_size, min_size=min_size,
        data_format=image_data_format(), require_flatten=include_top, weights=weights)
    if input_tensor is None:
        return layers.Input(shape=shape)
    if is_keras_tensor(input_tensor):
        return input_tensor
    return layers.Input(tensor=input_tensor, shape=shape)


def top(x, *, include_top, pooling, classes, classifier_activation, weights,
        pool_names=(None, None)):
    """The ImageNet classifier (global average pooling, then a Dense layer named
    "predictions") when ``include_top``, else the optional ``pooling`` ("avg"/"max"), its
    layer named by ``pool_names`` (Keras names them in some families only)."""
    from kfront import layers
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        return layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    if pooling == "avg":
        return layers.GlobalAveragePooling2D(name=pool_names[0])(x)
    if pooling == "max":
        return layers.GlobalMaxPooling2D(name=pool_names[1])(x)
    return x


def finish(*, input_tensor, img_input, outputs, name, weights, imagenet_file):
    """The Functional model from the image input (or ``input_tensor``'s sources) to
    ``outputs``, with ``weights`` loaded (see ``_weights.load``)."""
    from kfront.models import Functional
    from kfront.utils import get_source_inputs
    inputs = get_source_inputs(input_tensor) if input_tensor is not None else img_input
    model = Functional(inputs, outputs, name=name)
    return _weights.load(model, weights, imagenet_file)


def imagenet_file(folder, stem, include_top, hashes):
    """``(fname, path, file_hash)`` of Keras's published "<stem>_weights_tf_dim_ordering_
    tf_kernels[_notop].h5" in ``folder``; ``hashes`` is (with top, without top)."""
    fname = f"{stem}_weights_tf_dim_ordering_tf_kernels{'' if include_top else '_notop'}.h5"
    return (fname, _weights.KERAS_APPLICATIONS + folder + fname,
            hashes[0] if include_top else hashes[1])
