"""``TerminateOnNaN``: stops training at the first batch whose loss is NaN or infinite."""
import math

from kfront import ops
from kfront.callbacks.callback import Callback


class TerminateOnNaN(Callback):
    """Stops ``fit`` (``model.stop_training = True``) as soon as a batch's loss is NaN or
    infinite, or raises when ``raise_error``.

    Args:
        raise_error: raise a ``RuntimeError`` instead of stopping quietly.
    """

    def __init__(self, raise_error=False):
        super().__init__()
        self.raise_error = raise_error

    def on_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is None:
            return
        loss = float(ops.convert_to_numpy(loss))
        if math.isfinite(loss):
            return
        if self.raise_error:
            raise RuntimeError(f"NaN or Inf loss encountered at batch {batch}. Loss value: "
                               f"{loss}. Terminating training immediately.")
        print(f"Batch {batch}: Invalid loss, terminating training")
        self.model.stop_training = True
