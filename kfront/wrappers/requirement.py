"""The optional scikit-learn dependency of the wrappers."""
import importlib

INSTALL_HINT = 'pip install "kfront[sklearn]"'


def require_sklearn(symbol_name):
    """Returns the ``sklearn`` module, or raises ImportError saying how to install it.

    Args:
        symbol_name: the wrapper being built, named in the message.
    """
    try:
        return importlib.import_module("sklearn")
    except ImportError as err:
        raise ImportError(
            f"{symbol_name} requires scikit-learn, which is not installed. "
            f"Install it with: {INSTALL_HINT}") from err


try:  # The wrappers subclass scikit-learn's base classes when it is there.
    from sklearn.base import (  # noqa: F401
        BaseEstimator, ClassifierMixin, RegressorMixin, TransformerMixin)
except ImportError:  # Placeholders, so the module imports; building a wrapper then raises.
    class BaseEstimator:  # noqa: D101
        pass

    class ClassifierMixin:  # noqa: D101
        pass

    class RegressorMixin:  # noqa: D101
        pass

    class TransformerMixin:  # noqa: D101
        pass
