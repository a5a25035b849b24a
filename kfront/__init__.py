"""kfront: the Keras API on PyTorch, JAX and TensorFlow.

Set ``KFRONT_BACKEND=torch|jax|tensorflow`` before ``import kfront as keras``.
"""
from kfront import (  # noqa: F401
    activations, backend, callbacks, config, constraints, datasets, distribution, initializers,
    layers, losses, metrics, mixed_precision, models, ops, optimizers, preprocessing, random,
    regularizers, utils,
)
from kfront.backend.device import device  # noqa: F401
from kfront.backend.variable import Variable  # noqa: F401
from kfront.layers import Input, Layer  # noqa: F401
from kfront.models import Model, Sequential  # noqa: F401
from kfront.version import __version__  # noqa: F401
