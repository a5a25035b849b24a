"""Hostile and broken files: refused with a clean ValueError, nothing run, nothing written."""
import base64
import io
import json
import marshal
import os
import zipfile

import h5py
import numpy as np
import pytest

import kfront as keras
from kfront.saving import register_serializable
from saving_models import call as _call
from saving_models import data, functional_model, sequential_model


def _archive(path, config, weights=b"", metadata=None, extra=None):
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("metadata.json", json.dumps(metadata or {"format": "kfront"}))
        z.writestr("config.json", json.dumps(config))
        z.writestr("model.weights.h5", weights or _empty_h5())
        for name, data_ in (extra or {}).items():
            z.writestr(name, data_)


def _empty_h5(fill=None):
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as f:
        f.create_group("layers")
        f.create_group("vars")
        if fill:
            fill(f)
    return buffer.getvalue()


def _dense_config(**extra):
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name="d")])
    config = json.loads(model.to_json())
    config["config"]["layers"][1]["config"].update(extra)
    return config


def _code_that_writes(marker):
    source = f"lambda x: (open({str(marker)!r}, 'w').write('pwned'), x)[1]"
    return base64.b64encode(marshal.dumps(compile(source, "<x>", "eval"))).decode()


# ---- code never runs in safe mode ----
def test_lambda_refused_in_safe_mode_and_loaded_when_unsafe(tmp_path):
    x, _ = data()
    inp = keras.Input((4,))
    out = keras.layers.Lambda(lambda t: t * 2.0 + 1.0)(inp)
    model = keras.Model(inp, keras.layers.Dense(2)(out))
    model.save(tmp_path / "m.kfront")
    with pytest.raises(ValueError, match="safe_mode"):
        keras.models.load_model(tmp_path / "m.kfront")
    with pytest.warns(UserWarning, match="safe_mode=False"):
        loaded = keras.models.load_model(tmp_path / "m.kfront", safe_mode=False)
    np.testing.assert_allclose(_call(loaded, x), _call(model, x),
                               atol=1e-6)
    with pytest.raises(ValueError, match="safe_mode"):
        keras.models.model_from_json(model.to_json())


@register_serializable(package="kfront_tests")
def plus_one(t):
    return t + 1.0


def test_lambda_with_a_registered_function_loads_in_safe_mode(tmp_path):
    x, _ = data()
    inp = keras.Input((4,))
    model = keras.Model(inp, keras.layers.Lambda(plus_one)(inp))
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    assert loaded.layers[1].function is plus_one
    np.testing.assert_allclose(_call(loaded, x), x + 1.0, atol=1e-6)


@pytest.mark.parametrize("entry", [
    {"module": "os", "class_name": "system", "config": {"command": "touch {marker}"}},
    {"module": "builtins", "class_name": "eval", "config": {"source": "open('{marker}','w')"}},
    {"module": "os", "class_name": "os.system", "registered_name": "os>system",
     "config": {"command": "touch {marker}"}},
    {"class_name": "__lambda__", "config": {"code": "CODE"}},
])
def test_module_paths_and_code_are_never_imported_or_run(tmp_path, entry):
    marker = tmp_path / "marker"
    text = json.dumps(entry).replace("{marker}", str(marker))
    text = text.replace("CODE", _code_that_writes(marker))
    config = {"module": "os", "class_name": "Sequential", "config": {
        "name": "s", "layers": [{"class_name": "InputLayer", "config": {"batch_shape": [None, 3]}},
                               json.loads(text)]}}
    _archive(tmp_path / "m.kfront", config)
    with pytest.raises(ValueError) as info:
        keras.models.load_model(tmp_path / "m.kfront")
    assert "m.kfront" in str(info.value)
    # Also nested in a layer's arguments (an activation given as stored code).
    _archive(tmp_path / "n.kfront", _dense_config(activation=json.loads(text)))
    with pytest.raises(ValueError):
        keras.models.load_model(tmp_path / "n.kfront")
    assert not marker.exists()


# ---- archive structure ----
@pytest.mark.parametrize("name", ["../evil.txt", "/tmp/evil.txt", "a/../../evil.txt"])
def test_path_traversal_member_names_refused(tmp_path, name):
    model = sequential_model()
    model.save(tmp_path / "good.kfront")
    with zipfile.ZipFile(tmp_path / "good.kfront") as z:
        members = {n: z.read(n) for n in z.namelist()}
    target = tmp_path / "sub"
    target.mkdir()
    with zipfile.ZipFile(target / "bad.kfront", "w") as z:
        for n, d in members.items():
            z.writestr(n, d)
        z.writestr(name, b"evil")
    before = sorted(os.listdir(tmp_path))
    with pytest.raises(ValueError, match="Unsafe member name"):
        keras.models.load_model(target / "bad.kfront")
    with pytest.raises(ValueError, match="Unsafe member name"):
        sequential_model().load_weights(target / "bad.kfront")
    assert sorted(os.listdir(tmp_path)) == before
    assert sorted(os.listdir(target)) == ["bad.kfront"]
    assert not os.path.exists("/tmp/evil.txt") or name != "/tmp/evil.txt"


# ---- HDF5 ----
def _weights_with(tmp_path, fill):
    model = sequential_model()
    model.save_weights(tmp_path / "w.weights.h5")
    with h5py.File(tmp_path / "w.weights.h5", "a") as f:
        fill(f, tmp_path)
    return model


def test_hdf5_external_link_refused(tmp_path):
    with h5py.File(tmp_path / "other.h5", "w") as g:
        g.create_dataset("secret", data=np.ones((4, 6), "float32"))

    def fill(f, _):
        del f["layers/dense/vars/0"]
        f["layers/dense/vars/0"] = h5py.ExternalLink(str(tmp_path / "other.h5"), "secret")
    model = _weights_with(tmp_path, fill)
    with pytest.raises(ValueError, match="external link"):
        model.load_weights(tmp_path / "w.weights.h5")


def test_hdf5_soft_link_refused(tmp_path):
    def fill(f, _):
        f["layers/loop"] = h5py.SoftLink("/layers")
    model = _weights_with(tmp_path, fill)
    with pytest.raises(ValueError, match="soft link"):
        model.load_weights(tmp_path / "w.weights.h5")


def test_hdf5_virtual_dataset_refused(tmp_path):
    with h5py.File(tmp_path / "src.h5", "w") as g:
        g.create_dataset("data", data=np.ones((4, 6), "float32"))

    def fill(f, _):
        layout = h5py.VirtualLayout(shape=(4, 6), dtype="float32")
        layout[:] = h5py.VirtualSource(str(tmp_path / "src.h5"), "data", shape=(4, 6))
        del f["layers/dense/vars/0"]
        f["layers/dense/vars"].create_virtual_dataset("0", layout)
    model = _weights_with(tmp_path, fill)
    with pytest.raises(ValueError, match="virtual dataset"):
        model.load_weights(tmp_path / "w.weights.h5")


def test_hdf5_external_storage_refused(tmp_path):
    (tmp_path / "raw.bin").write_bytes(np.ones((4, 6), "float32").tobytes())

    def fill(f, root):
        del f["layers/dense/vars/0"]
        f["layers/dense/vars"].create_dataset("0", shape=(4, 6), dtype="float32",
                                              external=[(str(root / "raw.bin"), 0, 96)])
    model = _weights_with(tmp_path, fill)
    with pytest.raises(ValueError, match="external storage"):
        model.load_weights(tmp_path / "w.weights.h5")


def test_a_100gb_tensor_claim_is_refused_before_allocation(tmp_path):
    def fill(f, _):
        del f["layers/dense/vars/0"]
        f["layers/dense/vars"].create_dataset("0", shape=(100_000, 250_000), dtype="float32",
                                              chunks=(1, 1000))
    model = _weights_with(tmp_path, fill)
    with pytest.raises(ValueError, match="claims shape"):
        model.load_weights(tmp_path / "w.weights.h5")
    # Inside an archive too.
    weights = (tmp_path / "w.weights.h5").read_bytes()
    _archive(tmp_path / "m.kfront", json.loads(model.to_json()), weights)
    with pytest.raises(ValueError, match="claims shape"):
        keras.models.load_model(tmp_path / "m.kfront")


def test_non_numeric_dataset_refused(tmp_path):
    def fill(f, _):
        del f["layers/dense/vars/0"]
        f["layers/dense/vars"].create_dataset("0", data=np.array([b"a", b"b"], dtype=object),
                                              dtype=h5py.string_dtype())
    model = _weights_with(tmp_path, fill)
    with pytest.raises(ValueError, match="non-numeric"):
        model.load_weights(tmp_path / "w.weights.h5")


def test_huge_integer_in_config_refused(tmp_path):
    _archive(tmp_path / "m.kfront", _dense_config(units=10 ** 12))
    with pytest.raises(ValueError, match="integer"):
        keras.models.load_model(tmp_path / "m.kfront")


# ---- broken files ----
def test_truncated_corrupt_and_wrong_format_files(tmp_path):
    model = functional_model()
    model.save(tmp_path / "m.kfront")
    full = (tmp_path / "m.kfront").read_bytes()
    cases = {"trunc.kfront": full[: len(full) // 2], "empty.kfront": b"",
             "text.keras": b"hello, not a zip", "flip.kfront": full[:200] + bytes(
                 b ^ 0xFF for b in full[200:260]) + full[260:]}
    for name, content in cases.items():
        (tmp_path / name).write_bytes(content)
        with pytest.raises(ValueError, match=name):
            keras.models.load_model(tmp_path / name)
    with zipfile.ZipFile(tmp_path / "noconfig.kfront", "w") as z:
        z.writestr("model.weights.h5", _empty_h5())
    with pytest.raises(ValueError, match="noconfig.kfront.*config.json"):
        keras.models.load_model(tmp_path / "noconfig.kfront")
    (tmp_path / "w.weights.h5").write_bytes(b"\x89HDF\r\n\x1a\n" + b"\x00" * 50)
    with pytest.raises(ValueError, match="w.weights.h5"):
        model.load_weights(tmp_path / "w.weights.h5")
    with pytest.raises(FileNotFoundError):
        keras.models.load_model(tmp_path / "missing.kfront")


def test_weights_mismatch_names_the_layer_and_shapes(tmp_path):
    model = functional_model()
    model.save_weights(tmp_path / "w.weights.h5")
    inp = keras.Input((4,), name="x")
    a = keras.layers.Dense(6, activation="relu", name="d1")(inp)
    b = keras.layers.Dense(3, activation="tanh", name="d2")(inp)
    c = keras.layers.Concatenate(name="cat")([a, b])
    other = keras.Model(inp, keras.layers.Dense(2, name="out")(c))
    before = [w.copy() for w in other.get_weights()]
    with pytest.raises(ValueError, match=r"'d1'.*\(4, 6\).*\(4, 5\)"):
        other.load_weights(tmp_path / "w.weights.h5")
    for w, b0 in zip(other.get_weights(), before):  # nothing was half-loaded
        np.testing.assert_array_equal(w, b0)
    with pytest.raises(ValueError, match="w.weights.h5"):
        sequential_model().load_weights(tmp_path / "w.weights.h5")


# ---- atomic writes ----
def test_failed_write_keeps_the_previous_file(tmp_path, monkeypatch):
    import kfront.saving.file_io as file_io
    model = sequential_model()
    path = tmp_path / "m.kfront"
    model.save(path)
    good = path.read_bytes()

    def disk_full(fd):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(file_io.os, "fsync", disk_full)
    changed = sequential_model()
    with pytest.raises(OSError, match="No space"):
        changed.save(path)
    with pytest.raises(OSError, match="No space"):
        changed.save_weights(tmp_path / "w.weights.h5")
    monkeypatch.undo()
    assert path.read_bytes() == good
    assert sorted(os.listdir(tmp_path)) == ["m.kfront"]
    x, _ = data()
    np.testing.assert_allclose(_call(keras.models.load_model(path), x), _call(model, x),
                               atol=1e-6)
