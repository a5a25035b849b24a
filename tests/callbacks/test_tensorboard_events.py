"""TensorBoard: event files written without TensorFlow, read back by TensorBoard's own
EventAccumulator."""
import glob
import json
import os
import struct
import sys
import types

import numpy as np
import pytest
from callback_helpers import WeightsRecorder, make_data, make_model

from kfront.callbacks import LearningRateScheduler, TensorBoard
from kfront.callbacks.tensorboard.crc32c import crc32c, masked_crc32c
from kfront.callbacks.tensorboard.event_file_writer import EventFileWriter, histogram_buckets


def _load(directory):
    if "tensorflow" not in sys.modules:
        # TensorBoard's own TensorFlow-free reader (its stub), the one a TensorBoard
        # installed without TensorFlow uses; it also spares loading TensorFlow here.
        sys.modules.setdefault("tensorboard.compat.notf", types.ModuleType("notf"))
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
    acc = EventAccumulator(directory, size_guidance={"scalars": 0, "histograms": 0,
                                                     "tensors": 0})
    acc.Reload()
    return acc


def _scalars(acc, tag):
    return [(e.step, e.value) for e in acc.Scalars(tag)]


def test_crc32c_known_values():
    assert crc32c(b"123456789") == 0xE3069283  # the standard check value
    assert crc32c(b"") == 0
    assert masked_crc32c(b"") == 0xA282EAD8


def test_fit_writes_scalars_histograms_and_graph(tmp_path):
    had_tf = "tensorflow" in sys.modules
    model = make_model(metrics=["mae"])
    rec = WeightsRecorder()
    x, y = make_data()
    tb = TensorBoard(str(tmp_path), histogram_freq=1, update_freq=2)
    history = model.fit(x, y, batch_size=8, epochs=2, verbose=0, validation_data=(x, y),
                        callbacks=[LearningRateScheduler(lambda e, lr: 0.1 / (e + 1)), rec,
                                   tb])
    if not had_tf:
        assert "tensorflow" not in sys.modules
    h = history.history
    train, val = _load(str(tmp_path / "train")), _load(str(tmp_path / "validation"))
    for key in ("loss", "mae", "learning_rate"):
        got = _scalars(train, f"epoch_{key}")
        assert [s for s, _ in got] == [0, 1]
        np.testing.assert_allclose([v for _, v in got], h[key], rtol=1e-6)
    for key in ("loss", "mae"):
        np.testing.assert_allclose([v for _, v in _scalars(val, f"epoch_{key}")],
                                   h[f"val_{key}"], rtol=1e-6)
    # Four batches an epoch, global batch count, every second batch.
    assert [s for s, _ in _scalars(train, "batch_loss")] == [2, 4, 6, 8]
    tags = train.Tags()["histograms"]
    kernel_tag, bias_tag = (f"{w.path}/histogram" for w in model.layers[0].weights)
    assert kernel_tag.endswith("/kernel/histogram")
    assert sorted(tags) == sorted([kernel_tag, bias_tag])
    for epoch in (0, 1):
        kernel = rec.weights[epoch][0]
        histo = train.Histograms(kernel_tag)[epoch]
        assert histo.step == epoch
        value = histo.histogram_value
        assert value.num == kernel.size and sum(value.bucket) == kernel.size
        np.testing.assert_allclose([value.min, value.max, value.sum, value.sum_squares],
                                   [kernel.min(), kernel.max(), kernel.sum(),
                                    (kernel.astype("float64") ** 2).sum()], rtol=1e-6)
    graph = train.Tensors("keras")[0].tensor_proto.string_val[0]
    assert json.loads(graph)["class_name"] == "Sequential"
    # evaluate() with the callback logs against the optimizer's iteration count.
    result = model.evaluate(x, y, batch_size=8, verbose=0, callbacks=[tb], return_dict=True)
    got = _scalars(_load(str(tmp_path / "validation")), "evaluation_loss_vs_iterations")
    assert len(got) == 1 and got[0][0] == 8
    np.testing.assert_allclose(got[0][1], result["loss"], rtol=1e-6)


def test_writer_framing_and_histogram_buckets(tmp_path):
    writer = EventFileWriter(str(tmp_path))
    writer.scalar("a", 1.5, step=7)
    writer.histogram("h", np.full(4, 2.0), step=1)
    writer.close()
    (path,) = glob.glob(os.path.join(str(tmp_path), "events.out.tfevents.*"))
    data = open(path, "rb").read()
    length = struct.unpack("<Q", data[:8])[0]
    assert struct.unpack("<I", data[8:12])[0] == masked_crc32c(data[:8])
    assert struct.unpack("<I", data[12 + length:16 + length])[0] == \
        masked_crc32c(data[12:12 + length])
    acc = _load(str(tmp_path))
    assert _scalars(acc, "a") == [(7, 1.5)]
    constant = acc.Histograms("h")[0].histogram_value
    assert (constant.min, constant.max, constant.num, constant.sum) == (2.0, 2.0, 4.0, 8.0)
    limits, counts = histogram_buckets([0.0, 1.0, 1.0, 3.0], bins=3)
    assert limits == [1.0, 2.0, 3.0] and counts == [1.0, 2.0, 1.0]


def test_bad_arguments_and_ignored_options(tmp_path):
    with pytest.raises(ValueError, match="`update_freq` must be 'epoch', 'batch' or a "
                                         "positive integer"):
        TensorBoard(str(tmp_path), update_freq="step")
    with pytest.raises(ValueError, match="`histogram_freq` must be a non-negative integer"):
        TensorBoard(str(tmp_path), histogram_freq=-1)
    with pytest.warns(UserWarning, match="profile_batch=2 is ignored"):
        TensorBoard(str(tmp_path), profile_batch=2)
