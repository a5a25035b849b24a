"""``kfront.applications.resnet50``: ResNet50 under its Keras 2 module name (the same
constructor and preprocessing as ``kfront.applications.resnet``)."""
from kfront.applications.resnet import ResNet50, decode_predictions, preprocess_input  # noqa: F401
