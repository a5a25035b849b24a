"""``kfront.tuners``: hyper-parameter search for any kfront model, on every backend.

KerasTuner's user-facing API (``HyperParameters``, ``HyperModel``, ``Objective``,
``RandomSearch``, ``BayesianOptimization``, ``Hyperband``), so its tutorials port by
changing the import; the searching and pruning are Optuna's (``pip install "kfront[tune]"``).
"""
from kfront.tuners.hypermodel import HyperModel  # noqa: F401
from kfront.tuners.hyperparameters import HyperParameters  # noqa: F401
from kfront.tuners.objective import Objective  # noqa: F401
from kfront.tuners.tuner import Tuner  # noqa: F401
from kfront.tuners.tuners import BayesianOptimization, Hyperband, RandomSearch  # noqa: F401
