"""The argument documentation every application constructor shares."""

CONSTRUCTOR_ARGS = """
    Args:
        include_top: whether to include the ImageNet classifier at the top.
        weights: ``None`` (random initialization), ``"imagenet"`` (the published ImageNet
            weights, downloaded once into the cache), or the path of a weights file.
        input_tensor: optional tensor (e.g. the output of ``kfront.Input()``) to use as the
            image input.
        input_shape: optional shape tuple, only with ``include_top=False`` (the top needs
            {default}x{default}); 3 channels, height and width at least {minimum}.
        pooling: with ``include_top=False``: ``None`` (the 4D output of the last block),
            ``"avg"`` or ``"max"`` (global pooling to a 2D output).
        classes: number of classes, only with ``include_top=True`` and no ``weights``.
        classifier_activation: activation of the top layer (``None`` gives logits); only
            ``None`` or ``"softmax"`` with pretrained weights.
        name: the model's name.

    Returns:
        A ``kfront.Model``. Inputs are preprocessed with this module's
        ``preprocess_input`` ({mode} mode).
"""


def document(function, title, default, minimum, mode):
    """Sets ``function``'s docstring: ``title`` and the shared argument list."""
    function.__doc__ = title + "\n" + CONSTRUCTOR_ARGS.format(
        default=default, minimum=minimum, mode=mode)
    return function


def preprocessing(module_name, mode):
    """The ``preprocess_input`` and ``decode_predictions`` of a family module. ``mode=None``
    is for families whose models rescale their input themselves: ``preprocess_input``
    returns it unchanged, as Keras's does."""
    from kfront.applications import imagenet_utils

    def preprocess_input(x, data_format=None):
        if mode is None:
            return x
        return imagenet_utils.preprocess_input(x, data_format=data_format, mode=mode)

    def decode_predictions(preds, top=5):
        return imagenet_utils.decode_predictions(preds, top=top)

    preprocess_input.__doc__ = (
        f"Returns images unchanged: {module_name} models normalize their input themselves "
        "(pixels in [0, 255]); kept for API compatibility." if mode is None else
        f"Preprocesses images for {module_name} models: ``imagenet_utils.preprocess_input`` "
        f"with ``mode={mode!r}``.")
    decode_predictions.__doc__ = imagenet_utils.decode_predictions.__doc__
    for f in (preprocess_input, decode_predictions):
        f.__module__ = f"kfront.applications.{module_name}"
        f.__qualname__ = f.__name__
    return preprocess_input, decode_predictions
