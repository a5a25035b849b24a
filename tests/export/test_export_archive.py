"""``kfront.export.ExportArchive``: SavedModels with several endpoints, from every backend
(torch and jax rebuild the tracked models on TensorFlow in one child process)."""
import numpy as np
import pytest

import kfront as keras
from export_models import MODELS, batch, slow_on

SPECS = {
    "mlp": [keras.InputSpec(shape=(None, 6), dtype="float32")],
    "convnet": [keras.InputSpec(shape=(None, 10, 10, 3), dtype="float32")],
    "lstm": [keras.InputSpec(shape=(None, 5, 3), dtype="float32")],
    "two_inputs": [[keras.InputSpec(shape=(None, 4), dtype="float32"),
                    keras.InputSpec(shape=(None, 3), dtype="float32")]],
}


@slow_on("torch")  # torch's default run checks the four models as torch programs
def test_four_models_in_one_archive_match_predict(tmp_path):
    import tensorflow as tf
    keras.utils.set_random_seed(3)
    models = {name: make() for name, make in MODELS.items()}
    archive = keras.export.ExportArchive()
    for name, model in models.items():
        archive.track(model)
        archive.add_endpoint(name, model.call if name == "lstm" else model, SPECS[name])
    mlp_kernel = models["mlp"].layers[1].kernel
    archive.add_variable_collection("mlp_kernel", [mlp_kernel])
    archive.write_out(str(tmp_path / "archive"), verbose=False)

    loaded = tf.saved_model.load(str(tmp_path / "archive"))
    assert set(loaded.signatures) == set(MODELS) | {"serving_default"}
    for name, model in models.items():
        for n in (7, 1):  # the batch size is dynamic
            args = batch(name, n)
            expected = model.predict(args[0] if len(args) == 1 else args, verbose=0)
            served = np.asarray(getattr(loaded, name)(*args))
            np.testing.assert_allclose(served, expected, rtol=0, atol=1e-5)
    np.testing.assert_array_equal(loaded.mlp_kernel[0].numpy(), mlp_kernel.numpy())
    # The first endpoint is what TensorFlow Serving calls by default.
    default = loaded.signatures["serving_default"]
    x = batch("mlp", 2)[0]
    out = list(default(tf.constant(x)).values())[0].numpy()
    np.testing.assert_allclose(out, models["mlp"].predict(x, verbose=0), atol=1e-5)


def test_archive_errors():
    model = MODELS["mlp"]()
    archive = keras.export.ExportArchive()
    with pytest.raises(ValueError, match="No endpoints have been set yet"):
        archive.write_out("unused")
    with pytest.raises(ValueError, match="needs an `input_signature`"):
        archive.add_endpoint("serve", model.call)
    with pytest.raises(ValueError, match="must be a list with one entry per positional"):
        archive.add_endpoint("serve", model, keras.InputSpec(shape=(None, 6),
                                                             dtype="float32"))
    with pytest.raises(ValueError, match="needs both `shape` and `dtype`"):
        archive.add_endpoint("serve", model, [keras.InputSpec(shape=(None, 6))])
    with pytest.raises(ValueError, match="Expected `variables` to be a list/tuple/set"):
        archive.add_variable_collection("v", model.weights[0])
    unbuilt = keras.layers.Dense(2)
    with pytest.raises(ValueError, match='"dense.*" provided to track\\(\\) has not yet been '
                                         "built"):
        archive.track(unbuilt)
    with pytest.raises(ValueError, match="Invalid resource type for track"):
        archive.track(object())
    with pytest.raises(ValueError, match="Unsupported ExportArchive format 'neptune_model'"):
        keras.export.ExportArchive(format="neptune_model")
    archive.track(model)
    assert [v.path for v in archive.trainable_variables] == [v.path for v in model.weights]
    assert archive.non_trainable_variables == []
    archive.add_endpoint("serve", model, SPECS["mlp"])
    with pytest.raises(ValueError, match="Endpoint name 'serve' is already taken"):
        archive.add_endpoint("serve", model, SPECS["mlp"])
    with pytest.raises(ValueError, match="Unsupported keyword argument.*jax2tf_kwargs"):
        archive.add_endpoint("other", model, SPECS["mlp"], jax2tf_kwargs={})


def test_arbitrary_functions_need_tensorflow(tmp_path):
    model = MODELS["mlp"]()
    archive = keras.export.ExportArchive()
    archive.track(model)
    spec = SPECS["mlp"]
    if keras.config.backend() != "tensorflow":
        with pytest.raises(ValueError, match="`fn` must be a tracked model, its `call` or its "
                                             "`__call__`.*KFRONT_BACKEND=tensorflow"):
            archive.add_endpoint("double", lambda x: model(x) * 2, spec)
        with pytest.raises(ValueError, match="takes variables of one tracked model"):
            archive.add_variable_collection("other", [keras.Variable(np.zeros(2))])
        return
    import tensorflow as tf
    archive.add_endpoint("double", lambda x: model(x) * 2.0, spec)

    @tf.function(autograph=False)  # autograph would rewrite all of kfront's call path
    def halve(x):
        return model(x) / 2.0
    halve(tf.ones((3, 6)))  # traced once: then no signature is needed
    archive.add_endpoint("halve", halve)
    archive.write_out(str(tmp_path / "fns"), verbose=False)
    loaded = tf.saved_model.load(str(tmp_path / "fns"))
    x = batch("mlp", 3)[0]
    expected = model.predict(x, verbose=0)
    np.testing.assert_allclose(loaded.double(x).numpy(), 2 * expected, atol=1e-5)
    np.testing.assert_allclose(loaded.halve(x).numpy(), expected / 2, atol=1e-5)
    assert len(loaded.variables) == len(model.weights)
