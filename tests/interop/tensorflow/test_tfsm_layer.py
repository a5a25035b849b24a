"""``TFSMLayer``: a SavedModel written by ``tf.saved_model.save`` runs as a kfront layer
on TensorFlow (its numbers are the SavedModel's), its variables fine-tune under ``fit``,
and a kfront file holding one loads only with ``safe_mode=False``."""
import numpy as np
import pytest

import kfront as keras

ON_TF = keras.backend.backend() == "tensorflow"


@pytest.mark.skipif(ON_TF, reason="the error of the other backends")
def test_other_backends_refuse_tfsm_layer(tmp_path):
    with pytest.raises(NotImplementedError, match="TFSMLayer is only currently supported "
                       "with the TensorFlow backend"):
        keras.layers.TFSMLayer(str(tmp_path))


@pytest.fixture(scope="module")
def saved_model(tmp_path_factory):
    """A SavedModel of ``x @ w + b`` with a ``serve`` function, a ``serve_train`` function
    that adds 1, and a ``serving_default`` signature."""
    tf = pytest.importorskip("tensorflow")

    class Affine(tf.Module):
        def __init__(self):
            super().__init__()
            self.w = tf.Variable(np.arange(6, dtype="float32").reshape(3, 2) / 10, name="w")
            self.b = tf.Variable(np.array([0.5, -0.5], "float32"), name="b")
            self.count = tf.Variable(0.0, trainable=False, name="count")

        @tf.function(input_signature=[tf.TensorSpec((None, 3), tf.float32)])
        def serve(self, x):
            return tf.matmul(x, self.w) + self.b + 0.0 * self.count

        @tf.function(input_signature=[tf.TensorSpec((None, 3), tf.float32)])
        def serve_train(self, x):
            return tf.matmul(x, self.w) + self.b + 1.0

    module = Affine()
    path = str(tmp_path_factory.mktemp("saved") / "affine")
    tf.saved_model.save(module, path, signatures={"serving_default": module.serve})
    return path


def _x():
    return np.random.RandomState(0).randn(8, 3).astype("float32")


def _expected(x):
    return x @ (np.arange(6, dtype="float32").reshape(3, 2) / 10) + np.array([0.5, -0.5])


@pytest.mark.skipif(not ON_TF, reason="SavedModels run on the TensorFlow backend")
class TestTFSMLayer:
    def test_endpoints_give_the_saved_numbers(self, saved_model):
        layer = keras.layers.TFSMLayer(saved_model, call_endpoint="serve",
                                       call_training_endpoint="serve_train")
        x = _x()
        np.testing.assert_allclose(np.asarray(layer(x)), _expected(x), rtol=1e-6)
        np.testing.assert_allclose(np.asarray(layer(x, training=True)), _expected(x) + 1,
                                   rtol=1e-6)
        assert sorted(v.name for v in layer.trainable_weights) == ["b", "w"]
        assert [v.name for v in layer.non_trainable_weights] == ["count"]
        signature = keras.layers.TFSMLayer(saved_model, call_endpoint="serving_default")
        out = signature(x)
        (value,) = out.values()
        np.testing.assert_allclose(np.asarray(value), _expected(x), rtol=1e-6)

    def test_fit_fine_tunes_the_saved_variables(self, saved_model):
        x = _x()
        y = np.zeros((8, 2), "float32")
        layer = keras.layers.TFSMLayer(saved_model)
        model = keras.Sequential([keras.Input((3,)), layer])
        model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
        history = model.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
        w = np.arange(6, dtype="float32").reshape(3, 2) / 10
        b = np.array([0.5, -0.5], "float32")
        losses = []
        for _ in range(2):  # gradient descent on mean((xw + b)^2), by hand
            pred = x @ w + b
            losses.append(np.mean(pred ** 2))
            g = 2 * pred / pred.size
            w, b = w - 0.1 * x.T @ g, b - 0.1 * g.sum(0)
        np.testing.assert_allclose(history.history["loss"], losses, rtol=1e-5)
        got = {v.name: v.numpy() for v in layer.weights}
        np.testing.assert_allclose(got["w"], w, rtol=1e-5, atol=1e-6)
        # The endpoint reads the trained variables.
        np.testing.assert_allclose(np.asarray(layer(x)), x @ w + b, rtol=1e-5, atol=1e-6)

    def test_loading_a_file_with_a_tfsm_layer_needs_unsafe_mode(self, saved_model,
                                                                tmp_path):
        model = keras.Sequential([keras.Input((3,)), keras.layers.TFSMLayer(saved_model)])
        path = str(tmp_path / "tfsm.keras")
        model.save(path)
        with pytest.raises(ValueError, match="deserialization of a `TFSMLayer`, which "
                           "loads an external SavedModel.*safe_mode=False"):
            keras.saving.load_model(path)
        loaded = keras.saving.load_model(path, safe_mode=False)
        np.testing.assert_allclose(loaded.predict(_x(), verbose=0), _expected(_x()),
                                   rtol=1e-6)
        with pytest.raises(ValueError, match="disallowed by default"):
            keras.layers.TFSMLayer.from_config(model.layers[0].get_config())

    def test_argument_errors(self, saved_model, tmp_path):
        with pytest.raises(ValueError, match=r"The endpoint 'nope' is neither an attribute "
                           r".*`call_endpoint` argument.*'serving_default'"):
            keras.layers.TFSMLayer(saved_model, call_endpoint="nope")
        with pytest.raises(ValueError, match="`call_training_endpoint` argument"):
            keras.layers.TFSMLayer(saved_model, call_training_endpoint="nope")
        with pytest.raises(ValueError, match="is not a directory"):
            keras.layers.TFSMLayer(str(tmp_path / "missing"))


@pytest.mark.skipif(not ON_TF, reason="SavedModels run on the TensorFlow backend")
def test_an_artifact_exported_by_keras(tmp_path):
    keras3 = pytest.importorskip("keras")
    if keras3.backend.backend() != "tensorflow":
        pytest.skip("the installed keras runs on another backend")
    reference = keras3.Sequential([keras3.Input((3,)), keras3.layers.Dense(4, "relu"),
                                   keras3.layers.Dense(2)])
    path = str(tmp_path / "exported")
    reference.export(path, format="tf_saved_model", verbose=False)
    layer = keras.layers.TFSMLayer(path)
    x = _x()
    np.testing.assert_allclose(np.asarray(layer(x)), reference.predict(x, verbose=0),
                               rtol=1e-5, atol=1e-6)
    assert len(layer.trainable_weights) == 4
