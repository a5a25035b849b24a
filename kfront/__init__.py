"""kfront: the Keras API on PyTorch, JAX and TensorFlow.

Set ``KFRONT_BACKEND=torch|jax|tensorflow`` before ``import kfront as keras``.
"""
import gc as _gc

# The cyclic garbage collector stays off while kfront (and its engine) import: its full
# passes over the engine's large heap took about half of kfront's own import time (70 of
# 160 ms on torch). It is switched back on however the import ends.
_collecting = _gc.isenabled()
_gc.disable()
try:
    from kfront import (  # noqa: F401
        activations, backend, callbacks, config, constraints, datasets,
        distribution, dtype_policies, export, initializers, layers, losses, metrics,
        mixed_precision, models, ops, optimizers, preprocessing, random, regularizers, tree, tuners,
        utils, visualization, wrappers,
    )
    from kfront.backend.device import device  # noqa: F401
    from kfront.backend.function import Function  # noqa: F401
    from kfront.backend.keras_tensor import KerasTensor  # noqa: F401
    from kfront.backend.name_scope import SymbolicScope, name_scope  # noqa: F401
    from kfront.backend.operation import Operation  # noqa: F401
    from kfront.backend.stateless_scope import StatelessScope  # noqa: F401
    from kfront.backend.variable import Variable  # noqa: F401
    from kfront.dtype_policies import DTypePolicy, FloatDTypePolicy  # noqa: F401
    from kfront.initializers import Initializer  # noqa: F401
    from kfront.layers import Input, InputSpec, Layer  # noqa: F401
    from kfront.losses import Loss  # noqa: F401
    from kfront.metrics import Metric  # noqa: F401
    from kfront.models import Model, Sequential  # noqa: F401
    from kfront.optimizers import Optimizer  # noqa: F401
    from kfront import quantizers  # noqa: F401,E402
    from kfront.quantizers import Quantizer  # noqa: F401
    from kfront.regularizers import Regularizer  # noqa: F401
    from kfront.version import __version__  # noqa: F401
finally:
    if _collecting:
        _gc.enable()
    del _collecting


def __getattr__(name):
    # kfront.applications (40 model builders, a third of a second to import) loads on first
    # use, as `import kfront.applications` or `kfront.applications.X` would.
    if name == "applications":
        import importlib
        return importlib.import_module("kfront.applications")
    raise AttributeError(f"module 'kfront' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | {"applications"})
