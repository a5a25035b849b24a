"""Imports the one adapter that ``kfront.config`` picked; every engine call goes through it."""
import importlib

from kfront import config
from kfront.backend import contract

_adapter = importlib.import_module(f"kfront.backends.{config.backend()}")

_missing = contract.missing_names(_adapter)
if _missing:
    raise ImportError(
        f"The {config.backend()!r} adapter does not fulfil the kfront backend contract; "
        f"missing: {_missing}"
    )


def adapter():
    """The imported adapter module (``kfront.backends.<name>``)."""
    return _adapter
