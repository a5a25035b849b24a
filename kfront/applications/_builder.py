"""The steps every image-classification constructor shares: checking ``weights``,
``classes`` and ``pooling``, making the image input, the pooled feature head when
``include_top=False``, and loading the weights once the model exists.
"""
from kfront import backend, layers
from kfront.applications import _weights, imagenet_utils
from kfront.utils import get_source_inputs

POOLING_MODES = (None, "avg", "max")


def check_arguments(weights, include_top, classes, pooling=None):
    """Keras's checks on ``weights`` and ``classes``, and a ValueError for a ``pooling``
    other than None, "avg" or "max" (Keras would silently skip it)."""
    _weights.check_weights(weights, include_top, classes)
    if pooling not in POOLING_MODES:
        raise ValueError(
            f"The `pooling` argument should be one of None, 'avg' or 'max'. "
            f"Received: pooling={pooling!r}")


def channels_last():
    """True when images are laid out (rows, cols, channels)."""
    return backend.image_data_format() == "channels_last"


def channel_axis():
    """The channel axis of a batch of images: -1 or 1."""
    return -1 if channels_last() else 1


def spatial_size(shape):
    """(rows, cols) of an image shape without its batch axis."""
    return (shape[0], shape[1]) if channels_last() else (shape[1], shape[2])


def input_shape_for(input_shape, default_size, include_top, weights, min_size=32):
    """The full image shape (no batch axis) the model is built for, checked against
    ``min_size`` and, with ImageNet weights and the top, the ``default_size``."""
    return imagenet_utils.obtain_input_shape(
        input_shape, default_size=default_size, min_size=min_size,
        data_format=backend.image_data_format(), require_flatten=include_top,
        weights=weights)


def image_input(input_shape, input_tensor):
    """The tensor the network starts from: a new ``Input``, or ``input_tensor``
    (wrapped in an ``Input`` when it is not already a symbolic tensor)."""
    if input_tensor is None:
        return layers.Input(shape=input_shape)
    if backend.is_keras_tensor(input_tensor):
        return input_tensor
    return layers.Input(tensor=input_tensor, shape=input_shape)


def model_inputs(input_tensor, img_input):
    """The model's inputs: the sources of ``input_tensor`` when one was given."""
    if input_tensor is not None:
        return get_source_inputs(input_tensor)
    return img_input


def pool(x, pooling, avg_name=None, max_name=None):
    """The feature-extractor head: global pooling by ``pooling`` (or none)."""
    if pooling == "avg":
        return layers.GlobalAveragePooling2D(name=avg_name)(x)
    if pooling == "max":
        return layers.GlobalMaxPooling2D(name=max_name)(x)
    return x


def load_weights(model, weights, folder, file_name=None, file_hash=None):
    """Loads ``weights`` into ``model``: a local file path, or for ``"imagenet"`` the
    published ``file_name`` from ``folder`` of the weights bucket (downloaded once)."""
    imagenet_file = None if file_name is None else (file_name, folder + file_name, file_hash)
    return _weights.load(model, weights, imagenet_file)


def checked_input(*, weights, include_top, classes, input_tensor, input_shape, pooling,
                  default_size, min_size):
    """Keras's argument checks, then the image input of the checked shape (see
    ``image_input``): the first step of the classic families (VGG, ResNet, Inception...)."""
    check_arguments(weights, include_top, classes, pooling)
    shape = input_shape_for(input_shape, default_size, include_top, weights, min_size)
    return image_input(shape, input_tensor)


def sized_input_shape(*, weights, include_top, classes, pooling, input_shape, sizes,
                      given_shape=None):
    """Keras's argument checks, then the image shape for a family published at several
    square sizes (MobileNet, MobileNetV2): its default size is the side of ``given_shape``
    (``input_shape`` unless given) when that is square and one of ``sizes``, else 224.
    Returns ``(input_shape, rows, cols)``."""
    check_arguments(weights, include_top, classes, pooling)
    given_shape = input_shape if given_shape is None else given_shape
    default_size = 224
    if given_shape is not None:
        rows, cols = spatial_size(given_shape)
        if rows == cols and rows in sizes:
            default_size = rows
    input_shape = input_shape_for(input_shape, default_size, include_top, weights)
    return (input_shape, *spatial_size(input_shape))


def top(x, *, include_top, pooling, classes, classifier_activation, weights,
        pool_names=(None, None)):
    """The ImageNet classifier (global average pooling, then a Dense layer named
    "predictions") when ``include_top``, else the optional ``pooling``, its layer named by
    ``pool_names`` (Keras names them in some families only)."""
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        return layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    return pool(x, pooling, *pool_names)


def finish(*, input_tensor, img_input, outputs, name, weights, imagenet_file):
    """The Functional model from the image input (or ``input_tensor``'s sources) to
    ``outputs``, with ``weights`` loaded (see ``_weights.load``)."""
    from kfront.models import Functional
    model = Functional(model_inputs(input_tensor, img_input), outputs, name=name)
    return _weights.load(model, weights, imagenet_file)


def imagenet_file(folder, stem, include_top, hashes):
    """``(fname, path, file_hash)`` of Keras's published "<stem>_weights_tf_dim_ordering_
    tf_kernels[_notop].h5" in ``folder``; ``hashes`` is (with top, without top)."""
    fname = f"{stem}_weights_tf_dim_ordering_tf_kernels{'' if include_top else '_notop'}.h5"
    return (fname, _weights.KERAS_APPLICATIONS + folder + fname,
            hashes[0] if include_top else hashes[1])
