"""``Model.export``'s errors: each names what was wrong and what to do."""
import sys

import numpy as np
import pytest

import kfront as keras
from export_models import mlp


def test_unbuilt_model():
    model = keras.Sequential([keras.layers.Dense(2)])
    with pytest.raises(ValueError, match='has not yet been built.*model.build'):
        model.export("unused", format="onnx")


def test_unknown_and_unsupported_formats():
    model = mlp()
    with pytest.raises(ValueError, match=r"Unrecognized format='keras'. Supported formats "
                                         r"are: \['tf_saved_model', 'onnx', 'torch'\]"):
        model.export("unused", format="keras")
    with pytest.raises(ValueError, match=r"format='litert' \(LiteRT.*not supported by kfront"
                                         r".*Supported formats are: \['tf_saved_model'"):
        model.export("unused", format="litert")


@pytest.mark.parametrize("package", ["onnx", "onnxscript"])
def test_missing_onnx_dependency(package, monkeypatch):
    monkeypatch.setitem(sys.modules, package, None)  # as if it were not installed
    with pytest.raises(ImportError, match=f'needs the `{package}` package.*'
                                          r'pip install "kfront\[onnx\]"'):
        mlp().export("unused.onnx", format="onnx")


def test_unsupported_arguments():
    model = mlp()
    with pytest.raises(ValueError, match=r"for format='onnx': \['optimize'\]"):
        model.export("unused.onnx", format="onnx", optimize=True)
    with pytest.raises(ValueError, match="`opset_version` must be an int"):
        model.export("unused.onnx", format="onnx", opset_version="18")
    with pytest.raises(ValueError, match=r"for format='torch': \['bogus'\]"):
        model.export("unused.pt2", format="torch", bogus=1)
    with pytest.raises(ValueError, match=r"format='tf_saved_model': \['is_static'\]"):
        model.export("unused", is_static=True)


def test_subclassed_model_never_called():
    class Net(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = keras.layers.Dense(2)

        def call(self, x):
            return self.dense(x)

    net = Net()
    net.built = True  # built by hand: no input shape was ever seen
    with pytest.raises(ValueError, match='"net.*" has never been called.*input_signature'):
        net.export("unused")


def test_subclassed_model_needs_its_backend_to_cross_engines(tmp_path):
    class Net(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = keras.layers.Dense(2)

        def call(self, x):
            return self.dense(x)

    net = Net()
    net(np.ones((2, 3), "float32"))
    if keras.config.backend() == "torch":
        net.export(str(tmp_path / "net.onnx"), format="onnx", verbose=False)
        import onnxruntime
        session = onnxruntime.InferenceSession(str(tmp_path / "net.onnx"))
        x = np.random.rand(5, 3).astype("float32")
        np.testing.assert_allclose(session.run(None, {session.get_inputs()[0].name: x})[0],
                                   net.predict(x, verbose=0), atol=1e-5)
    else:
        with pytest.raises(ValueError, match="rebuilds the model on torch.*Net \\('net.*'\\) "
                                             "is neither a kfront class nor registered.*"
                                             "KFRONT_BACKEND=torch"):
            net.export(str(tmp_path / "net.onnx"), format="onnx")
