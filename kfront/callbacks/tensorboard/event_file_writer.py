"""``EventFileWriter``: writes TensorBoard event files without TensorFlow."""
import os
import socket
import struct
import time

import numpy as np

from kfront.callbacks.tensorboard import protobuf
from kfront.callbacks.tensorboard.crc32c import masked_crc32c

_FILE_COUNTER = [0]


def _record(data):
    """One TFRecord: length, masked CRC of the length, data, masked CRC of the data."""
    length = struct.pack("<Q", len(data))
    return length + struct.pack("<I", masked_crc32c(length)) + data + \
        struct.pack("<I", masked_crc32c(data))


def histogram_buckets(values, bins=30):
    """``(bucket_limits, counts)`` of ``values`` over ``bins`` equal-width buckets,
    as TensorBoard expects (a bucket ends at its limit)."""
    values = np.asarray(values, dtype="float64").ravel()
    if values.size == 0:
        return [0.0], [0.0]
    low, high = float(values.min()), float(values.max())
    if low == high:
        # One bucket around a constant tensor, so it still shows as a spike.
        return [low - 0.5, low + 0.5], [0.0, float(values.size)]
    counts, edges = np.histogram(values, bins=bins, range=(low, high))
    return [float(e) for e in edges[1:]], [float(c) for c in counts]


class EventFileWriter:
    """Appends summaries to ``events.out.tfevents.<time>.<host>.<pid>.<n>.v2`` in
    ``log_dir``, in the format TensorBoard reads.

    Args:
        log_dir: the directory (created when missing).
    """

    def __init__(self, log_dir):
        os.makedirs(log_dir, exist_ok=True)
        _FILE_COUNTER[0] += 1
        name = (f"events.out.tfevents.{int(time.time())}.{socket.gethostname()}."
                f"{os.getpid()}.{_FILE_COUNTER[0]}.v2")
        self.path = os.path.join(log_dir, name)
        self._file = open(self.path, "wb")
        self._write(protobuf.event(time.time(), 0, file_version="brain.Event:2"))
        self.flush()

    def _write(self, event_bytes):
        self._file.write(_record(event_bytes))

    def _write_values(self, step, values):
        self._write(protobuf.event(time.time(), step, summary=protobuf.summary(values)))

    def scalar(self, tag, value, step):
        self._write_values(step, [protobuf.scalar_value(tag, float(value))])

    def histogram(self, tag, values, step, bins=30):
        values = np.asarray(values, dtype="float64").ravel()
        limits, counts = histogram_buckets(values, bins)
        finite = values if values.size else np.zeros(1)
        self._write_values(step, [protobuf.histogram_value(
            tag, finite.min(), finite.max(), values.size, values.sum(),
            float(np.dot(values, values)), limits, counts)])

    def text(self, tag, text, step, plugin_name="text", content=b""):
        self._write_values(step, [protobuf.tensor_string_value(tag, text, plugin_name,
                                                               content)])

    def flush(self):
        if not self._file.closed:
            self._file.flush()

    def close(self):
        if not self._file.closed:
            self._file.close()
