"""``CSVLogger``: writes each epoch's logs as a row of a CSV file."""
import collections
import csv
import io
import os
import warnings

import numpy as np

from kfront.callbacks.callback import Callback
from kfront.saving.file_io import atomic_write, read_own_file


class CSVLogger(Callback):
    """Streams epoch results to a CSV file: an ``epoch`` column (0-based) then the log
    keys in sorted order.

    Args:
        filename: the CSV file.
        separator: the column separator.
        append: add to an existing file (no second header) instead of overwriting it.

    >>> model.fit(x, y, callbacks=[CSVLogger("training.log")])
    """

    # Writes files or prints: in a multi-process job only process 0 runs it.
    _chief_only = True

    def __init__(self, filename, separator=",", append=False):
        super().__init__()
        if not isinstance(separator, str) or len(separator) != 1:
            raise ValueError(f"`separator` must be a single character. Received: "
                             f"{separator!r}")
        self.sep = separator
        self.filename = os.fspath(filename)
        self.append = append
        self.writer = None
        self.keys = None
        self.append_header = True
        self.csv_file = None

    def on_train_begin(self, logs=None):
        previous = read_own_file(self.filename) if self.append else None
        if previous is None and self.append and os.path.islink(self.filename):
            warnings.warn(f"CSVLogger: {self.filename!r} is a symbolic link; it is replaced by "
                          "a new file, not followed.", UserWarning, stacklevel=2)
        self._previous = previous.decode("utf-8", "replace") if previous else ""
        self.append_header = not self._previous
        if self._previous and not self._previous.endswith("\n"):
            self._previous += "\n"
        self.csv_file = io.StringIO()
        self.writer = None
        self.keys = None

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        if self.keys is None:
            self.keys = sorted(logs)
            # Without validation the val_ columns are still written (as NA), so a later
            # run that validates can append to the same file.
            if self.keys and not any(k.startswith("val_") for k in self.keys):
                self.keys.extend([f"val_{k}" for k in self.keys])
        if self.writer is None:
            sep = self.sep

            class Dialect(csv.excel):
                delimiter = sep

            self.writer = csv.DictWriter(self.csv_file, fieldnames=["epoch"] + self.keys,
                                         dialect=Dialect)
            if self.append_header:
                self.writer.writeheader()
        row = collections.OrderedDict(epoch=epoch)
        row.update((k, _cell(logs.get(k, "NA"))) for k in self.keys)
        self.writer.writerow(row)
        # The whole file is rewritten each epoch through a temporary file renamed into
        # place: a reader never sees half a row, and a symbolic link planted at the path
        # is replaced, never written through.
        text = (self._previous + self.csv_file.getvalue()).encode("utf-8")
        atomic_write(self.filename, lambda f: f.write(text))

    def on_train_end(self, logs=None):
        self.writer = None


def _cell(value):
    if isinstance(value, str):
        return value
    if isinstance(value, np.ndarray) and value.ndim == 0:
        return value.item()
    if isinstance(value, (list, tuple, np.ndarray)):
        return f'"[{", ".join(map(str, value))}]"'
    return value
