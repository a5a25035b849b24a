"""``kfront.models``: ``Model``, ``Sequential`` and the Functional graph."""
from kfront.models.functional import Functional  # noqa: F401
from kfront.models.model import Model  # noqa: F401
from kfront.models.sequential import Sequential  # noqa: F401
