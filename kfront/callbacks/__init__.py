"""``kfront.callbacks``: hooks into ``fit``, ``evaluate`` and ``predict``."""
from kfront.callbacks.callback import Callback  # noqa: F401
from kfront.callbacks.callback_list import CallbackList  # noqa: F401
from kfront.callbacks.early_stopping import EarlyStopping  # noqa: F401
from kfront.callbacks.history import History  # noqa: F401
from kfront.callbacks.lambda_callback import LambdaCallback  # noqa: F401
from kfront.callbacks.progbar_logger import ProgbarLogger  # noqa: F401
