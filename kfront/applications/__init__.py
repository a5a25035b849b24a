"""``kfront.applications``: ImageNet model constructors, one module per family, as in
Keras (``kfront.applications.VGG16`` and ``kfront.applications.vgg16.VGG16`` both work).

Each family module also has its ``preprocess_input`` and ``decode_predictions``.
"""
from kfront.applications import imagenet_utils  # noqa: F401
