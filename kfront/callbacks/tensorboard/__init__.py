"""TensorBoard logging without TensorFlow: the callback and its event-file writer."""
from kfront.callbacks.tensorboard.callback import TensorBoard  # noqa: F401
from kfront.callbacks.tensorboard.event_file_writer import EventFileWriter  # noqa: F401
