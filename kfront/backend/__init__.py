"""``kfront.backend``: which engine runs, its settings, and the engine-neutral tensor tools.

Names that need the adapter resolve on first use: the adapters themselves import leaf
modules of this package (``scope``, ``shape_inference``) while they are being loaded.
"""
from kfront.backend.dtypes import (  # noqa: F401
    is_float_dtype, is_int_dtype, result_type, standardize_dtype,
)
from kfront.backend.keras_tensor import KerasTensor, is_keras_tensor  # noqa: F401
from kfront.config import (  # noqa: F401
    backend, epsilon, floatx, image_data_format, set_epsilon, set_floatx,
    set_image_data_format,
)

from kfront.utils.naming import get_uid  # noqa: F401

_FROM_ADAPTER = ("convert_to_numpy", "convert_to_tensor", "is_tensor")


def __getattr__(name):
    if name == "Variable":
        from kfront.backend import variable
        return getattr(variable, name)
    if name in _FROM_ADAPTER:
        from kfront.backend.loader import adapter
        return getattr(adapter(), name)
    raise AttributeError(f"module 'kfront.backend' has no attribute {name!r}")


def value_and_grad(fn, variables, has_aux=False):
    """Calls ``fn()`` and returns ``(fn(), gradients of its value w.r.t. variables)``.

    Written once, it runs on every engine, inside a compiled step too::

        loss, grads = kfront.backend.value_and_grad(lambda: loss_fn(model(x), y),
                                                    model.trainable_variables)

    With ``has_aux=True``, ``fn`` returns ``(value, aux)`` and the result is
    ``((value, aux), grads)``.
    """
    from kfront.backend.loader import adapter
    return adapter().value_and_grad(fn, list(variables), has_aux=has_aux)


def clear_session():
    """Resets default layer names (``dense``, ``dense_1``...) as Keras does."""
    from kfront.utils.naming import reset_names
    reset_names()


# ---- Keras 2 backend functions (``from kfront import backend as K; K.mean(...)``) ----
# They live in ``kfront.legacy.backend`` and load on first use (they need the adapter,
# which imports this package while it loads). Names defined above take precedence.
from kfront.legacy.backend_names import NAMES as _KERAS2_NAMES  # noqa: E402

_getattr_before_keras2 = __getattr__


def __getattr__(name):  # noqa: F811
    if name in _KERAS2_NAMES:
        from kfront.legacy import backend as keras2
        return getattr(keras2, name)
    return _getattr_before_keras2(name)


class _CallableModule(type(__import__("sys"))):
    """The ``kfront.backend.variable`` module, callable as Keras 2's ``K.variable(value)``
    (the submodule's name hides the function of the same name)."""

    def __call__(self, value, dtype=None, name=None, constraint=None):
        from kfront.legacy.backend import variable as make_variable
        return make_variable(value, dtype=dtype, name=name, constraint=constraint)


from kfront.backend import variable as _variable_module  # noqa: E402

_variable_module.__class__ = _CallableModule
