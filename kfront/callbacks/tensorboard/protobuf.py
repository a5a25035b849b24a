"""The few protocol-buffer messages of a TensorBoard event file, encoded by hand.

Field numbers follow ``tensorflow/core/util/event.proto`` and
``tensorflow/core/framework/summary.proto``: Event{wall_time=1 (double), step=2 (int64),
file_version=3 (string), summary=5}, Summary{value=1}, Summary.Value{tag=1,
simple_value=2 (float), histo=5, tensor=8, metadata=9}, HistogramProto{min=1, max=2,
num=3, sum=4, sum_squares=5, bucket_limit=6, bucket=7 (packed doubles)},
SummaryMetadata{plugin_data=1}, PluginData{plugin_name=1, content=2},
TensorProto{dtype=1, tensor_shape=2, string_val=8}.
"""
import struct

_VARINT, _FIXED64, _BYTES, _FIXED32 = 0, 1, 2, 5
_DT_STRING = 7


def _varint(value):
    value &= (1 << 64) - 1  # negative int64 values are sent as ten-byte two's complement
    out = bytearray()
    while True:
        bits = value & 0x7F
        value >>= 7
        if value:
            out.append(bits | 0x80)
        else:
            out.append(bits)
            return bytes(out)


def _key(field, wire_type):
    return _varint((field << 3) | wire_type)


def _bytes_field(field, payload):
    if isinstance(payload, str):
        payload = payload.encode("utf-8")
    return _key(field, _BYTES) + _varint(len(payload)) + payload


def _double_field(field, value):
    return _key(field, _FIXED64) + struct.pack("<d", value)


def event(wall_time, step=0, summary=None, file_version=None):
    """An ``Event`` message; ``summary`` is an encoded ``Summary``."""
    out = _double_field(1, wall_time) + _key(2, _VARINT) + _varint(int(step))
    if file_version is not None:
        out += _bytes_field(3, file_version)
    if summary is not None:
        out += _bytes_field(5, summary)
    return out


def summary(values):
    """A ``Summary`` message from encoded ``Summary.Value`` messages."""
    return b"".join(_bytes_field(1, v) for v in values)


def scalar_value(tag, value):
    """A ``Summary.Value`` holding a float scalar (``simple_value``)."""
    return _bytes_field(1, tag) + _key(2, _FIXED32) + struct.pack("<f", float(value))


def histogram_value(tag, minimum, maximum, num, total, sum_squares, bucket_limits, buckets):
    """A ``Summary.Value`` holding a ``HistogramProto``; a bucket counts the values up to
    its limit (and above the previous one)."""
    histo = b"".join(_double_field(i, float(v)) for i, v in
                     enumerate((minimum, maximum, num, total, sum_squares), start=1))
    histo += _bytes_field(6, struct.pack(f"<{len(bucket_limits)}d", *bucket_limits))
    histo += _bytes_field(7, struct.pack(f"<{len(buckets)}d", *buckets))
    return _bytes_field(1, tag) + _bytes_field(5, histo)


def tensor_string_value(tag, text, plugin_name, content=b""):
    """A ``Summary.Value`` holding a scalar string tensor for the plugin ``plugin_name``
    ("text" for the text dashboard, "graph_keras_model" for the conceptual graph)."""
    plugin_data = _bytes_field(1, plugin_name) + (_bytes_field(2, content) if content else b"")
    metadata = _bytes_field(1, plugin_data)
    tensor = _key(1, _VARINT) + _varint(_DT_STRING) + _bytes_field(2, b"") + \
        _bytes_field(8, text)
    return _bytes_field(1, tag) + _bytes_field(8, tensor) + _bytes_field(9, metadata)
