"""KerasFileEditor: reads .kfront archives and .weights.h5 files safely, compares with a
model, edits objects and weights, and writes a .weights.h5 file models load."""
import h5py
import numpy as np
import pytest

import kfront as keras
from kfront.saving import KerasFileEditor


def _model(units=(4, 2)):
    model = keras.Sequential([keras.Input((3,))] + [keras.layers.Dense(u) for u in units])
    model.compile(optimizer="adam", loss="mse")
    model.fit(np.ones((4, 3), "float32"), np.ones((4, units[-1]), "float32"), verbose=0)
    return model


def _weights(model):
    return [np.asarray(w) for w in model.get_weights()]


def test_reads_an_archive_and_compares_with_models(tmp_path, capsys):
    model = _model()
    model.save(tmp_path / "m.kfront")
    editor = KerasFileEditor(tmp_path / "m.kfront")
    assert editor.metadata["kfront_version"] and editor.config["class_name"] == "Sequential"
    layers = editor.weights_dict["layers"]
    assert list(layers) == ["dense", "dense_1"]
    np.testing.assert_array_equal(layers["dense"]["0"], _weights(model)[0])
    np.testing.assert_array_equal(layers["dense_1"]["1"], _weights(model)[3])
    assert len(editor.weights_dict["optimizer"]) == len(model.optimizer.variables)
    editor.summary()
    out = capsys.readouterr().out
    assert "dense_1/" in out and "0: shape=(3, 4), dtype=float32" in out
    assert editor.compare(model) == {"status": "success", "error_count": 0,
                                     "match_count": 4 + len(model.optimizer.variables)}
    other = _model(units=(5, 2))
    result = editor.compare(other)
    assert result["status"] == "error" and result["error_count"] > 0
    assert "Weight shape mismatch for /layers/dense/0" in capsys.readouterr().out


def test_edit_and_resave_then_load(tmp_path):
    model = _model()
    model.save_weights(tmp_path / "w.weights.h5")
    editor = KerasFileEditor(str(tmp_path / "w.weights.h5"))
    new_kernel = np.full((4, 2), 0.5, "float32")
    editor.delete_weight("dense_1", "0")
    editor.add_weights("layers/dense_1", {"0": new_kernel})
    editor.rename_object("dense", "renamed")
    editor.rename_object("layers/renamed", "dense")
    editor.resave_weights(tmp_path / "edited.weights.h5")
    fresh = _model()
    fresh.load_weights(tmp_path / "edited.weights.h5")
    got, before = _weights(fresh), _weights(model)
    np.testing.assert_array_equal(got[0], before[0])
    np.testing.assert_array_equal(got[2], new_kernel)
    np.testing.assert_array_equal(got[3], before[3])
    with h5py.File(tmp_path / "edited.weights.h5", "r") as f:
        # The layers' own names are kept.
        assert f["layers/dense"].attrs["name"] == model.layers[0].name


def test_delete_and_add_objects(tmp_path):
    model = _model(units=(4, 2))
    model.save_weights(tmp_path / "w.weights.h5")
    editor = KerasFileEditor(str(tmp_path / "w.weights.h5"))
    editor.delete_object("layers/dense_1")
    assert list(editor.weights_dict["layers"]) == ["dense"]
    bigger = _model(units=(4, 2, 3))
    assert editor.compare(bigger)["status"] == "error"
    editor.add_object("layers/dense_1", {"0": _weights(model)[2], "1": _weights(model)[3]})
    editor.add_object("layers/dense_2", {"0": np.ones((2, 3)), "1": np.zeros(3)})
    editor.save(tmp_path / "grown.weights.h5")
    fresh = _model(units=(4, 2, 3))
    fresh.load_weights(tmp_path / "grown.weights.h5")
    np.testing.assert_array_equal(_weights(fresh)[4], np.ones((2, 3)))
    np.testing.assert_array_equal(_weights(fresh)[2], _weights(model)[2])


def test_mistakes_get_clear_errors(tmp_path):
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2),
                              keras.Sequential([keras.Input((2,)), keras.layers.Dense(2)])])
    model.save_weights(tmp_path / "w.weights.h5")
    editor = KerasFileEditor(str(tmp_path / "w.weights.h5"))
    with pytest.raises(ValueError, match="Name 'dense' occurs more than once"):
        editor.delete_object("dense")
    with pytest.raises(ValueError, match="Name 'nope' does not appear in the file"):
        editor.delete_object("nope")
    with pytest.raises(ValueError, match="Path 'layers/nope' not found"):
        editor.delete_object("layers/nope")
    with pytest.raises(ValueError, match="`new_name` should be a leaf name"):
        editor.rename_object("layers/dense", "a/b")
    with pytest.raises(ValueError, match="that name already exists"):
        editor.rename_object("layers/dense", "sequential")
    with pytest.raises(ValueError, match="Weight 7 not found in object layers/dense"):
        editor.delete_weight("layers/dense", "7")
    with pytest.raises(ValueError, match="`weights` should be a dict"):
        editor.add_weights("layers/dense", [np.ones(2)])
    with pytest.raises(ValueError, match="expected a numeric array"):
        editor.add_object("layers/new", {"0": np.array(["a"])})
    with pytest.raises(ValueError, match="already exists"):
        editor.add_object("layers/dense", {"0": np.ones(2)})
    with pytest.raises(ValueError, match="expected a `.weights.h5` extension"):
        editor.save(tmp_path / "x.h5")
    with pytest.raises(ValueError, match="expected a `.kfront`, `.keras` or `.weights.h5`"):
        KerasFileEditor(str(tmp_path / "w.h5"))


def test_unsafe_files_are_refused(tmp_path):
    path = tmp_path / "bad.weights.h5"
    with h5py.File(path, "w") as f:
        f.create_group("layers/dense/vars").create_dataset("0", data=np.ones(2))
        f["layers/dense/vars/1"] = h5py.ExternalLink("/etc/passwd", "/")
    with pytest.raises(ValueError, match="external link"):
        KerasFileEditor(str(path))
