"""``kfront.optimizers.legacy``: the Keras 2 (TF 2.11+) path ``keras.optimizers.legacy.Adam``.

Keras 3 refuses this module with an ImportError. Keras 2 code that names it still runs on
kfront: each name is the current optimizer, with a DeprecationWarning saying what to write.
"""
import warnings

from kfront.optimizers.adagrad import Adagrad as _Adagrad
from kfront.optimizers.adam import Adam as _Adam
from kfront.optimizers.ftrl import Ftrl as _Ftrl
from kfront.optimizers.optimizer import Optimizer
from kfront.optimizers.rmsprop import RMSprop as _RMSprop
from kfront.optimizers.sgd import SGD as _SGD

__all__ = ["Adagrad", "Adam", "Ftrl", "Optimizer", "RMSprop", "SGD"]


def _legacy(current):
    def make(*args, **kwargs):
        warnings.warn(f"`optimizers.legacy.{current.__name__}` is a Keras 2 name; kfront gives "
                      f"the current `optimizers.{current.__name__}`. Write "
                      f"`keras.optimizers.{current.__name__}(...)` instead.",
                      DeprecationWarning, stacklevel=2)
        return current(*args, **kwargs)

    make.__name__ = make.__qualname__ = current.__name__
    make.__doc__ = f"Keras 2 name of ``kfront.optimizers.{current.__name__}`` (warns)."
    return make


Adagrad = _legacy(_Adagrad)
Adam = _legacy(_Adam)
Ftrl = _legacy(_Ftrl)
RMSprop = _legacy(_RMSprop)
SGD = _legacy(_SGD)
