"""``OrbaxCheckpoint``: Keras's checkpoint callback on Orbax (an optional dependency)."""
import importlib.util

from kfront.callbacks.callback import Callback


class OrbaxCheckpoint(Callback):
    """Keras's Orbax-backed checkpointing callback (same arguments as Keras).

    Orbax is optional: without ``orbax-checkpoint`` installed, constructing it raises an
    ``ImportError`` that says how to install it. kfront does not write Orbax checkpoints
    yet, so with Orbax installed it raises ``NotImplementedError``; ``ModelCheckpoint``
    and ``BackupAndRestore`` save portable checkpoints on every backend.
    """

    def __init__(self, directory, monitor="val_loss", verbose=0, save_best_only=False,
                 mode="auto", save_freq="epoch", initial_value_threshold=None, max_to_keep=1,
                 save_on_background=True, save_weights_only=False):
        if importlib.util.find_spec("orbax") is None or \
                importlib.util.find_spec("orbax.checkpoint") is None:
            raise ImportError("OrbaxCheckpoint requires the Orbax checkpointing library. "
                              "Install it with `pip install orbax-checkpoint`.")
        raise NotImplementedError(
            "kfront does not write Orbax checkpoints yet. Use "
            "kfront.callbacks.ModelCheckpoint (or BackupAndRestore to resume an interrupted "
            f"run) to checkpoint into {directory!r}.")
