"""``weights="imagenet"`` and ``decode_predictions`` against a loopback HTTP server (never
the internet): the published layout under ``_weights.BASE_URL``, the cache, and the
refusals (hash mismatch, cut download, a file for another architecture)."""
import hashlib
import json
import os
import sys

import h5py
import numpy as np
import pytest

import kfront
from kfront.applications import _weights, densenet, imagenet_utils
from kfront.utils import file_utils
from keras_apps import keras_application

sys.path.insert(0, os.path.join(os.path.dirname(__file__), os.pardir, "datasets"))
from loopback_server import LoopbackServer  # noqa: E402

DENSENET121 = "/tensorflow/keras-applications/densenet/" \
              "densenet121_weights_tf_dim_ordering_tf_kernels.h5"


@pytest.fixture
def server(tmp_path, monkeypatch):
    monkeypatch.setenv("KFRONT_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(file_utils, "RETRY_WAIT_SECONDS", 0.0)
    with LoopbackServer() as s:
        monkeypatch.setattr(_weights, "BASE_URL", s.url + "/")
        yield s


def _models_dir(tmp_path):
    folder = tmp_path / "home" / "models"
    return sorted(os.listdir(folder)) if folder.exists() else []


@pytest.fixture(scope="module")
def densenet_file():
    """A DenseNet121 weights file in the published (Keras 2) layout, written by Keras."""
    ref = keras_application("DenseNet121", (32, 32, 3))
    return np.asarray(ref["weights_legacy"]).tobytes()


def _publish(server, monkeypatch, body):
    server.files[DENSENET121] = body
    hashes = ("densenet121", (hashlib.md5(body).hexdigest(), "0" * 32))
    monkeypatch.setitem(densenet._WEIGHTS, (6, 12, 24, 16), hashes)


def test_imagenet_weights_download_once_and_load(server, monkeypatch, tmp_path,
                                                 densenet_file):
    _publish(server, monkeypatch, densenet_file)
    kfront.backend.clear_session()
    model = kfront.applications.DenseNet121(weights="imagenet")
    assert server.requests == [(DENSENET121, None)]
    cached = tmp_path / "home" / "models" / os.path.basename(DENSENET121)
    assert _models_dir(tmp_path) == [cached.name]
    with h5py.File(cached, "r") as f:
        for layer in ("conv1_conv", "conv5_block16_2_conv", "predictions"):
            group = f[layer]
            stored = [group[n.decode() if isinstance(n, bytes) else n][()]
                      for n in group.attrs["weight_names"]]
            for value, var in zip(stored, model.get_layer(layer).weights):
                np.testing.assert_array_equal(var.numpy(), value)
    # A second model is served from the cache.
    kfront.backend.clear_session()
    kfront.applications.densenet.DenseNet121(weights="imagenet")
    assert len(server.requests) == 1


def test_hash_mismatch_is_refused_and_removed(server, monkeypatch, tmp_path, densenet_file):
    server.files[DENSENET121] = densenet_file  # Keras's real hash does not match this file
    with pytest.raises(ValueError, match="corrupted file downloaded from http://127.0.0.1:"
                                         r"\d+/tensorflow/keras-applications/densenet/"
                                         "densenet121_weights_tf_dim_ordering_tf_kernels.h5: "
                                         "its md5 hash is [0-9a-f]{32}, expected "
                                         "9d60b8095a5708f2dcce2bca79d332c7. The file was "
                                         "removed"):
        kfront.applications.DenseNet121(weights="imagenet")
    assert _models_dir(tmp_path) == []


def test_cut_download_is_refused_without_a_partial_file(server, monkeypatch, tmp_path,
                                                       densenet_file):
    _publish(server, monkeypatch, densenet_file)
    monkeypatch.setattr(file_utils, "DOWNLOAD_ATTEMPTS", 1)
    server.truncate_next[DENSENET121] = 1000
    with pytest.raises(OSError, match="Could not download .*densenet121_weights_tf_dim_"
                                      "ordering_tf_kernels.h5: the connection closed before "
                                      "the end of the file"):
        kfront.applications.DenseNet121(weights="imagenet")
    assert _models_dir(tmp_path) == []


def test_weights_of_another_architecture_are_refused(server, monkeypatch, tmp_path,
                                                     densenet_file):
    # DenseNet121's file published under VGG16's name.
    path = "/tensorflow/keras-applications/vgg16/" \
           "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5"
    server.files[path] = densenet_file
    monkeypatch.setattr(kfront.applications.vgg16, "_HASHES",
                        ("0" * 32, hashlib.md5(densenet_file).hexdigest()))
    with pytest.raises(ValueError, match=r"Could not load the weights file '.*vgg16_weights_"
                                         r"tf_dim_ordering_tf_kernels_notop.h5' into the "
                                         r"model 'vgg16': .*the file has weights for 242 "
                                         r"layers .* the model has 13 layers with weights"):
        kfront.applications.VGG16(weights="imagenet", include_top=False)
    assert not [n for n in _models_dir(tmp_path) if n.endswith(".part")]


def test_decode_predictions_fetches_the_class_index_once(server, monkeypatch, tmp_path):
    index = {str(i): [f"n{i:08d}", f"class_{i}"] for i in range(1000)}
    body = json.dumps(index).encode()
    server.files["/download.tensorflow.org/data/imagenet_class_index.json"] = body
    monkeypatch.setattr(imagenet_utils, "CLASS_INDEX", None)
    monkeypatch.setattr(imagenet_utils, "CLASS_INDEX_HASH", hashlib.md5(body).hexdigest())
    preds = np.random.default_rng(0).random((2, 1000)).astype("float32")
    decoded = kfront.applications.vgg16.decode_predictions(preds, top=3)
    for row, result in zip(preds, decoded):
        best = np.argsort(-row)[:3]
        assert result == [(f"n{i:08d}", f"class_{i}", row[i]) for i in best]
    decoded = imagenet_utils.decode_predictions(kfront.ops.convert_to_tensor(preds), top=1)
    assert decoded[1][0][1] == f"class_{np.argmax(preds[1])}"
    assert len(server.requests) == 1
    assert _models_dir(tmp_path) == ["imagenet_class_index.json"]
