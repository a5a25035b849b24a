"""Where the published ImageNet weights live, and how a constructor's ``weights`` argument
is checked and loaded.

Every address is ``BASE_URL`` + a path, read when a file is fetched, so one assignment
(``kfront.applications._weights.BASE_URL = "http://mirror/"``) or the environment variable
``KFRONT_APPLICATIONS_BASE_URL`` (read at import) points every model and the class index at
a mirror with the same layout; tests point it at a loopback server.
"""
import os

# The bucket Keras publishes its application weights in.
BASE_URL = os.environ.get("KFRONT_APPLICATIONS_BASE_URL", "https://storage.googleapis.com/")
# The folder most families' files sit in (EfficientNet's sit in "keras-applications/").
KERAS_APPLICATIONS = "tensorflow/keras-applications/"


def url(path):
    """The address of ``path`` under ``BASE_URL``."""
    return BASE_URL + path


def fetch(fname, path, file_hash, cache_subdir="models"):
    """Downloads ``BASE_URL + path`` into the cache as ``fname`` (unless cached and intact)
    and returns its local path; a file whose hash is not ``file_hash`` is refused."""
    from kfront.utils.file_utils import get_file
    return get_file(fname, url(path), cache_subdir=cache_subdir, file_hash=file_hash)


def check_weights(weights, include_top, classes):
    """Keras's checks on ``weights`` and ``classes``: ``None``, ``"imagenet"`` or an existing
    file, and 1000 classes with the ImageNet top."""
    is_keyword = weights is None or (isinstance(weights, str) and weights == "imagenet")
    if not is_keyword and not (isinstance(weights, (str, os.PathLike))
                               and os.path.exists(weights)):
        raise ValueError(
            "The `weights` argument should be either `None` (random initialization), "
            "'imagenet' (pre-training on ImageNet), or the path to the weights file to be "
            f"loaded.  Received: weights={weights}"
        )
    if is_imagenet(weights) and include_top and classes != 1000:
        raise ValueError(
            "If using `weights='imagenet'` with `include_top=True`, `classes` should be "
            f"1000.  Received classes={classes}"
        )


def is_imagenet(weights):
    return isinstance(weights, str) and weights == "imagenet"


def load(model, weights, imagenet_file=None):
    """Loads ``weights`` into ``model``: the published file for ``"imagenet"``
    (``imagenet_file`` is ``(fname, path, file_hash)``; ``None`` when the configuration has
    none), a local file's weights for a path, nothing for ``None``. Returns ``model``."""
    if is_imagenet(weights):
        if imagenet_file is None:
            raise ValueError(f"{model.name}: no ImageNet weights are published for this "
                             "configuration; pass `weights=None` or a path to a weights file.")
        path = fetch(*imagenet_file)
        _load_file(model, path)
    elif weights is not None:
        _load_file(model, os.fspath(weights))
    return model


def _load_file(model, path):
    try:
        model.load_weights(path)
    except (ValueError, OSError) as e:
        raise ValueError(
            f"Could not load the weights file {path!r} into the model {model.name!r}: {e} "
            "Check that the file was saved from the same architecture with the same "
            "`include_top` (and `classes`, `input_shape` where they change weight shapes)."
        ) from e
