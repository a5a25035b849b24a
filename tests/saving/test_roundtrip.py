"""model.save / load_model, weights files, JSON and clone_model give back the same model."""
import json
import os

import numpy as np
import pytest

import kfront as keras
from saving_models import data, functional_model, sequential_model


def _predict(model, x):
    # A direct call: no compiled predict step to build for each new model.
    return keras.ops.convert_to_numpy(model(x, training=False))


@pytest.mark.parametrize("make,ext", [(functional_model, ".kfront"),
                                      (sequential_model, ".keras")])
def test_save_load_predicts_the_same(tmp_path, make, ext):
    x, y = data()
    model = make()
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    model.fit(x, y, epochs=1, batch_size=8, verbose=0)
    path = tmp_path / f"m{ext}"
    model.save(path)
    loaded = keras.models.load_model(path)
    assert type(loaded).__name__ == type(model).__name__
    assert [layer.name for layer in loaded.layers] == [layer.name for layer in model.layers]
    np.testing.assert_allclose(_predict(loaded, x), _predict(model, x), atol=1e-6)
    assert loaded.compiled and type(loaded.optimizer).__name__ == "Adam"
    assert int(loaded.optimizer.iterations.numpy()) == 2
    for a, b in zip(loaded.optimizer.variables, model.optimizer.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    logs = loaded.evaluate(x, y, verbose=0, return_dict=True)
    want = model.evaluate(x, y, verbose=0, return_dict=True)
    np.testing.assert_allclose([logs["loss"], logs["mae"]], [want["loss"], want["mae"]], rtol=1e-5)


def test_archive_layout_and_metadata(tmp_path, backend_name):
    import zipfile
    model = functional_model()
    model.save(tmp_path / "m.kfront")
    with zipfile.ZipFile(tmp_path / "m.kfront") as z:
        assert sorted(z.namelist()) == ["config.json", "metadata.json", "model.weights.h5"]
        meta = json.loads(z.read("metadata.json"))
        config = json.loads(z.read("config.json"))
    assert meta["backend"] == backend_name
    assert meta["kfront_version"] == keras.__version__
    assert config["class_name"] == "Functional"
    assert [entry["name"] for entry in config["config"]["layers"]] == \
        ["x", "d1", "d2", "cat", "drop", "out"]


def test_uncompiled_and_compile_false(tmp_path):
    x, _ = data()
    model = sequential_model()
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    assert not loaded.compiled
    np.testing.assert_allclose(_predict(loaded, x), _predict(model, x), atol=1e-6)
    model.compile("sgd", "mse")
    model.save(tmp_path / "c.keras")
    assert not keras.models.load_model(tmp_path / "c.keras", compile=False).compiled


def test_save_weights_load_weights(tmp_path):
    x, _ = data()
    model = functional_model()
    path = tmp_path / "w.weights.h5"
    model.save_weights(path)
    other = functional_model()
    assert not np.allclose(_predict(other, x), _predict(model, x))
    other.load_weights(path)
    np.testing.assert_array_equal(_predict(other, x), _predict(model, x))
    with pytest.raises(ValueError, match="weights.h5"):
        model.save_weights(tmp_path / "w.h5")
    # Weights also load from a whole-model archive.
    model.save(tmp_path / "m.kfront")
    third = functional_model()
    third.load_weights(tmp_path / "m.kfront")
    np.testing.assert_array_equal(_predict(third, x), _predict(model, x))


def test_legacy_h5_round_trip(tmp_path):
    x, y = data()
    model = functional_model()
    model.compile("rmsprop", "mse")
    model.save(tmp_path / "m.h5")
    loaded = keras.models.load_model(tmp_path / "m.h5")
    np.testing.assert_allclose(_predict(loaded, x), _predict(model, x), atol=1e-6)
    assert type(loaded.optimizer).__name__ == "RMSprop"
    seq = sequential_model()
    seq.save(tmp_path / "s.h5")
    np.testing.assert_allclose(_predict(keras.models.load_model(tmp_path / "s.h5"), x),
                               _predict(seq, x), atol=1e-6)


def test_to_json_and_model_from_json():
    x, _ = data()
    for make in (functional_model, sequential_model):
        model = make()
        text = model.to_json()
        assert json.loads(text)["class_name"] in ("Functional", "Sequential")
        rebuilt = keras.models.model_from_json(text)
        assert [type(layer) for layer in rebuilt.layers] == [type(layer) for layer in model.layers]
        assert [v.shape for v in rebuilt.weights] == [v.shape for v in model.weights]
        rebuilt.set_weights(model.get_weights())
        np.testing.assert_allclose(_predict(rebuilt, x), _predict(model, x), atol=1e-6)
        # get_config / from_config is the same round trip.
        again = type(model).from_config(model.get_config())
        assert again.get_config()["layers"] == model.get_config()["layers"]


def test_functional_multi_io_and_ops(tmp_path):
    a = keras.Input((3,), name="a")
    b = keras.Input((3,), name="b")
    s = keras.ops.add(a, b) * 2.0
    h = keras.layers.Dense(4, name="h")(s)
    out1 = keras.layers.Dense(1, name="o1")(h)
    out2 = keras.layers.Dense(2, name="o2")(keras.layers.Add()([h, keras.layers.Dense(4)(a)]))
    model = keras.Model({"a": a, "b": b}, {"o1": out1, "o2": out2})
    rng = np.random.default_rng(1)
    x = {"a": rng.normal(size=(5, 3)).astype("float32"),
         "b": rng.normal(size=(5, 3)).astype("float32")}
    model.save(tmp_path / "m.kfront")
    loaded = keras.models.load_model(tmp_path / "m.kfront")
    want, got = model(x), loaded(x)
    assert sorted(got) == ["o1", "o2"]
    for k in want:
        np.testing.assert_allclose(keras.ops.convert_to_numpy(got[k]),
                                   keras.ops.convert_to_numpy(want[k]), atol=1e-6)


def test_nested_model_round_trip(tmp_path):
    x, _ = data()
    inner = keras.Sequential([keras.layers.Dense(3, activation="relu"), keras.layers.Dense(3)],
                             name="inner")
    inp = keras.Input((4,))
    out = keras.layers.Dense(2)(inner(inp))
    model = keras.Model(inp, out)
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(_predict(loaded, x), _predict(model, x), atol=1e-6)


def test_clone_model():
    x, _ = data()
    for make in (functional_model, sequential_model):
        model = make()
        clone = keras.models.clone_model(model)
        assert all(a is not b for a, b in zip(clone.layers, model.layers))
        assert [layer.name for layer in clone.layers] == [layer.name for layer in model.layers]
        clone.set_weights(model.get_weights())
        np.testing.assert_allclose(_predict(clone, x), _predict(model, x), atol=1e-6)
    seen = []

    def swap(layer):
        seen.append(layer.name)
        config = layer.get_config()
        if isinstance(layer, keras.layers.Dense):
            config["activation"] = "sigmoid"
        return type(layer).from_config(config)

    clone = keras.models.clone_model(functional_model(), clone_function=swap)
    assert seen == ["d1", "d2", "cat", "drop", "out"]
    assert clone.get_layer("d1").activation is keras.activations.sigmoid


def test_overwrite_false_and_bad_extension(tmp_path):
    model = sequential_model()
    model.save(tmp_path / "m.kfront")
    with pytest.raises(FileExistsError):
        model.save(tmp_path / "m.kfront", overwrite=False)
    with pytest.raises(ValueError, match="extension"):
        model.save(tmp_path / "m.pkl")


def test_no_temporary_files_left(tmp_path):
    model = sequential_model()
    model.save(tmp_path / "m.kfront")
    model.save(tmp_path / "m.kfront")
    model.save_weights(tmp_path / "w.weights.h5")
    assert sorted(os.listdir(tmp_path)) == ["m.kfront", "w.weights.h5"]
