"""``TensorBoard``: writes training curves, weight histograms and the model graph."""
import os
import time
import warnings

from kfront import ops
from kfront.callbacks.callback import Callback
from kfront.callbacks.log_values import add_learning_rates, scalar_logs
from kfront.callbacks.tensorboard.event_file_writer import EventFileWriter


class TensorBoard(Callback):
    """Logs for TensorBoard, written in its event-file format by kfront itself (no
    TensorFlow needed, on any backend).

    Writes to ``log_dir/train`` and ``log_dir/validation``: ``epoch_<metric>`` scalars
    (``epoch_loss``, ``epoch_accuracy``, ``epoch_learning_rate``, ...) per epoch,
    ``batch_<metric>`` per ``update_freq`` batches, ``<weight path>/histogram`` every
    ``histogram_freq`` epochs, and the model's config as the conceptual graph (the
    "keras" tag TensorBoard's graph dashboard reads). Op-level graphs and profiling are
    engine-specific and not written.

    Args:
        log_dir: the directory for the event files.
        histogram_freq: epochs between weight histograms (0: none).
        write_graph: write the model's conceptual graph.
        write_images: not supported; a warning says so when True.
        write_steps_per_second: also log ``epoch_steps_per_second``.
        update_freq: "epoch", "batch", or an integer number of batches between
            batch-level scalars.
        profile_batch: accepted for compatibility; profiling is left to the engine's own
            profiler (a warning says so when set).
        embeddings_freq, embeddings_metadata: accepted; embeddings are not written.

    >>> model.fit(x, y, callbacks=[TensorBoard("logs", histogram_freq=1)])
    """

    # Writes files or prints: in a multi-process job only process 0 runs it.
    _chief_only = True

    def __init__(self, log_dir="logs", histogram_freq=0, write_graph=True,
                 write_images=False, write_steps_per_second=False, update_freq="epoch",
                 profile_batch=0, embeddings_freq=0, embeddings_metadata=None):
        super().__init__()
        if update_freq != "epoch" and update_freq != "batch" and (
                isinstance(update_freq, bool) or not isinstance(update_freq, int)
                or update_freq < 1):
            raise ValueError("`update_freq` must be 'epoch', 'batch' or a positive integer. "
                             f"Received: update_freq={update_freq!r}")
        if isinstance(histogram_freq, bool) or not isinstance(histogram_freq, int) or \
                histogram_freq < 0:
            raise ValueError("`histogram_freq` must be a non-negative integer. Received: "
                             f"histogram_freq={histogram_freq!r}")
        for name, value, what in (("write_images", write_images, "weight images"),
                                  ("profile_batch", profile_batch, "profiles (use the "
                                   "engine's own profiler)"),
                                  ("embeddings_freq", embeddings_freq, "embeddings")):
            if value:
                warnings.warn(f"TensorBoard: {name}={value!r} is ignored; kfront does not "
                              f"write {what}.", UserWarning, stacklevel=2)
        self.log_dir = os.fspath(log_dir)
        self.histogram_freq = histogram_freq
        self.write_graph = write_graph
        self.write_images = write_images
        self.write_steps_per_second = write_steps_per_second
        self.update_freq = 1 if update_freq == "batch" else update_freq
        self.profile_batch = profile_batch
        self.embeddings_freq = embeddings_freq
        self.embeddings_metadata = embeddings_metadata
        self._train_dir = os.path.join(self.log_dir, "train")
        self._val_dir = os.path.join(self.log_dir, "validation")
        self._writers = {}
        self._graph_written = False
        self._global_train_batch = 0
        self._epoch_start = None
        self._epoch_start_iterations = 0

    def _writer(self, which):
        if which not in self._writers:
            self._writers[which] = EventFileWriter(
                self._train_dir if which == "train" else self._val_dir)
        return self._writers[which]

    def set_model(self, model):
        super().set_model(model)
        self._writers = {}
        self._graph_written = False

    def _write_graph(self):
        try:
            config = self.model.to_json()
        except Exception as e:  # noqa: BLE001 - a subclassed model may have no config
            warnings.warn(f"TensorBoard: the model graph is not written ({e}).", stacklevel=3)
            return
        self._writer("train").text("keras", config, 0, plugin_name="graph_keras_model",
                                   content=b"1")

    def on_train_begin(self, logs=None):
        self._global_train_batch = 0
        if self.write_graph and not self._graph_written:
            self._write_graph()
            self._graph_written = True

    def on_train_end(self, logs=None):
        self._close_writers()

    def on_test_end(self, logs=None):
        optimizer = getattr(self.model, "optimizer", None)
        iterations = getattr(optimizer, "iterations", None)
        if iterations is None:
            return
        step = int(ops.convert_to_numpy(iterations.value))
        writer = self._writer("validation")
        for name, value in scalar_logs(logs).items():
            writer.scalar(f"evaluation_{name}_vs_iterations", value, step)
        writer.flush()

    def on_epoch_begin(self, epoch, logs=None):
        if self.write_steps_per_second:
            self._epoch_start = time.time()
            self._epoch_start_iterations = self._iterations()

    def on_train_batch_end(self, batch, logs=None):
        self._global_train_batch += 1
        if self.update_freq == "epoch" or self._global_train_batch % self.update_freq:
            return
        writer = self._writer("train")
        for name, value in scalar_logs(logs).items():
            writer.scalar(f"batch_{name}", value, self._global_train_batch)

    def on_epoch_end(self, epoch, logs=None):
        logs = scalar_logs(logs)
        train_logs = {k: v for k, v in logs.items() if not k.startswith("val_")}
        val_logs = {k[4:]: v for k, v in logs.items() if k.startswith("val_")}
        add_learning_rates(self.model, train_logs)
        if self.write_steps_per_second and self._epoch_start is not None:
            elapsed = max(time.time() - self._epoch_start, 1e-9)
            train_logs["steps_per_second"] = \
                (self._iterations() - self._epoch_start_iterations) / elapsed
        for which, values in (("train", train_logs), ("validation", val_logs)):
            if not values:
                continue
            writer = self._writer(which)
            for name, value in values.items():
                writer.scalar(f"epoch_{name}", value, epoch)
            writer.flush()
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            self._log_weights(epoch)

    def _iterations(self):
        iterations = getattr(getattr(self.model, "optimizer", None), "iterations", None)
        return 0 if iterations is None else int(ops.convert_to_numpy(iterations.value))

    def _log_weights(self, epoch):
        writer = self._writer("train")
        for layer in self.model.layers:
            for weight in layer.weights:
                name = weight.path.replace(":", "_")
                writer.histogram(f"{name}/histogram", weight.numpy(), epoch)
        writer.flush()

    def _close_writers(self):
        for writer in self._writers.values():
            writer.close()
        self._writers = {}
