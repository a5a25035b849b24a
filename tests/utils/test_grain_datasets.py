"""format="grain": the dataset utilities return grain.IterDataset objects holding the
elements format="kfront" gives (in Keras's Grain order), and fit/evaluate/predict train on
them and on Grain datasets users build, on every backend. Without grain, a clear ImportError
names the kfront[grain] extra, and `import kfront` never loads grain."""
import os
import subprocess
import sys

import numpy as np
import pytest

import kfront as keras
from dataset_folders import audio_folder, image_folder, text_folder
from test_dataset_utilities import _Steps, _train  # the step counter; two epochs with it
from keras_reference import keras_numbers

grain = pytest.importorskip("grain")

SERIES = np.sin(np.arange(60, dtype="float32") / 4)[:, None]
KINDS = ("image", "text", "audio", "timeseries")


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    root = tmp_path_factory.mktemp("grain_folders")
    return {"image": image_folder(root / "images"), "text": text_folder(root / "texts"),
            "audio": audio_folder(root / "audio")}


def _build(kind, folders, fmt, **kwargs):
    if kind == "image":
        return keras.utils.image_dataset_from_directory(
            folders["image"], image_size=(6, 6), verbose=False, format=fmt, **kwargs)
    if kind == "text":
        return keras.utils.text_dataset_from_directory(folders["text"], verbose=False,
                                                       format=fmt, **kwargs)
    if kind == "audio":
        return keras.utils.audio_dataset_from_directory(folders["audio"], verbose=False,
                                                        format=fmt, **kwargs)
    return keras.utils.timeseries_dataset_from_array(SERIES[:-4], SERIES[4:, 0], 4,
                                                     format=fmt, **kwargs)


def _elements(ds):
    """The elements (or batches) of one pass as tuples of NumPy arrays."""
    return [tuple(np.asarray(v) for v in e) for e in ds]


def _key(element):
    return tuple((v.dtype.str, v.shape, v.tobytes()) if v.dtype != object else
                 tuple(v.ravel().tolist()) for v in element)


def _assert_same(a, b):
    assert len(a) == len(b)
    for u, v in zip(a, b):
        assert len(u) == len(v)
        for p, q in zip(u, v):
            assert p.dtype == q.dtype and p.shape == q.shape
            if p.dtype == object:
                assert p.tolist() == q.tolist()
            else:
                np.testing.assert_array_equal(p, q)


@pytest.mark.parametrize("kind", KINDS)
def test_grain_batches_equal_kfront_batches(kind, folders):
    # Unshuffled: the same batches, element for element (audio padded to the longest clip
    # of its batch, texts as object arrays of str).
    ds = _build(kind, folders, "grain", batch_size=5, shuffle=False)
    assert isinstance(ds, grain.IterDataset)
    if kind != "timeseries":
        reference = _build(kind, folders, "kfront", batch_size=5, shuffle=False)
        assert ds.class_names == reference.class_names and len(ds.class_names) == 2
        assert ds.file_paths == reference.file_paths and len(ds.file_paths) == 12
    else:
        reference = _build(kind, folders, "kfront", batch_size=5)
    got = _elements(ds)
    _assert_same(got, _elements(reference))
    _assert_same(_elements(ds), got)  # a second pass gives the same batches


@pytest.mark.parametrize("kind", KINDS)
def test_grain_shuffle_is_a_seeded_permutation(kind, folders):
    args = dict(batch_size=None, shuffle=True, seed=3)
    if kind == "audio":
        args["output_sequence_length"] = 350
    ds = _build(kind, folders, "grain", **args)
    got = _elements(ds)
    reference = _elements(_build(kind, folders, "kfront", **args))
    assert sorted(map(_key, got)) == sorted(map(_key, reference))
    # Keras's Grain datasets shuffle once: every pass, and every build with the seed, agree.
    _assert_same(_elements(ds), got)
    _assert_same(_elements(_build(kind, folders, "grain", **args)), got)
    other = _elements(_build(kind, folders, "grain", **dict(args, seed=4)))
    assert [_key(e) for e in other] != [_key(e) for e in got]


KERAS_ORDER = """
import os
folders = {folders!r}
series = inp["series"]
def labels(ds):
    return np.stack([np.asarray(y) for _, y in ds]).ravel()
img = keras.utils.image_dataset_from_directory(
    folders["image"], image_size=(6, 6), batch_size=None, seed=3, verbose=False,
    format="grain")
out["image_y"] = labels(img)
out["image_x"] = np.stack([np.asarray(x)[0, 0, 0] for x, _ in img])
txt = keras.utils.text_dataset_from_directory(folders["text"], batch_size=None, seed=3,
                                              verbose=False, format="grain")
out["text_len"] = np.array([len(x) for x, _ in txt])
out["text_y"] = labels(txt)
ts = keras.utils.timeseries_dataset_from_array(series[:-4], series[4:, 0], 4,
                                               batch_size=None, shuffle=True, seed=3,
                                               format="grain")
out["ts_y"] = labels(ts)
tr, va = keras.utils.image_dataset_from_directory(
    folders["image"], image_size=(6, 6), batch_size=4, seed=5, verbose=False,
    validation_split=0.25, subset="both", format="grain")
out["train_y"] = np.concatenate([np.asarray(y) for _, y in tr])
out["val_y"] = np.concatenate([np.asarray(y) for _, y in va])
"""


@pytest.mark.slow  # starts Keras in a subprocess; the order does not depend on the backend
def test_grain_order_matches_keras(folders):
    ref = keras_numbers(KERAS_ORDER.format(folders=folders), keras_backend="jax",
                        series=SERIES)
    img = _elements(_build("image", folders, "grain", batch_size=None, seed=3))
    np.testing.assert_array_equal([y for _, y in img], ref["image_y"])
    np.testing.assert_allclose([x[0, 0, 0] for x, _ in img], ref["image_x"])
    txt = _elements(_build("text", folders, "grain", batch_size=None, seed=3))
    np.testing.assert_array_equal([len(str(x)) for x, _ in txt], ref["text_len"])
    np.testing.assert_array_equal([y for _, y in txt], ref["text_y"])
    ts = _elements(_build("timeseries", folders, "grain", batch_size=None, shuffle=True,
                          seed=3))
    np.testing.assert_allclose([y for _, y in ts], ref["ts_y"])
    tr, va = _build("image", folders, "grain", batch_size=4, seed=5, validation_split=0.25,
                    subset="both")
    np.testing.assert_array_equal(np.concatenate([y for _, y in _elements(tr)]),
                                  ref["train_y"])
    np.testing.assert_array_equal(np.concatenate([y for _, y in _elements(va)]), ref["val_y"])


def _features(kind):
    if kind == "text":
        return lambda e: (np.array([[len(t)] for t in e[0]], "float32") / 10.0, e[1])
    if kind == "image":
        return lambda e: (e[0] / 255.0, e[1])
    if kind == "audio":
        return lambda e: (e[0][:, :64, 0], e[1])
    return lambda e: (e[0] * 0.5, e[1])


@pytest.mark.parametrize("kind", KINDS)
def test_utility_grain_dataset_trains(kind, folders):
    args = {} if kind == "timeseries" else {"label_mode": "binary", "seed": 1}
    ds = _build(kind, folders, "grain", batch_size=4, **args).map(_features(kind))
    losses, steps, model = _train(ds)
    # 12 files in batches of 4; 53 windows of the 56-step series in batches of 4.
    batches, samples = (3, 12) if kind != "timeseries" else (14, 53)
    assert steps == 2 * batches
    assert np.all(np.isfinite(losses))
    assert model.predict(ds, verbose=0).shape == (samples, 1)


def _user_data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(12, 3)).astype("float32")
    y = (x @ np.array([1.0, -2.0, 0.5], "float32"))[:, None]
    return x, y


def _fitted(data, **kwargs):
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(keras.optimizers.SGD(0.1), "mse")
    history = model.fit(data, epochs=2, verbose=0, **kwargs)
    return model, history.history["loss"]


@pytest.mark.parametrize("source", ["map", "iter", "loader"])
def test_user_grain_dataset_trains_as_the_arrays_do(source):
    x, y = _user_data()
    pairs = grain.MapDataset.source(list(zip(x, y))).map(lambda e: (e[0] * 2.0, e[1]))
    if source == "map":
        data = pairs.batch(4)
    elif source == "iter":
        data = pairs.to_iter_dataset().batch(4)
    else:
        data = grain.DataLoader(
            data_source=list(zip(2.0 * x, y)),
            sampler=grain.samplers.IndexSampler(12, shuffle=False, num_epochs=1,
                                                shard_options=grain.sharding.NoSharding()),
            operations=[grain.transforms.Batch(4)], worker_count=0)
    model, losses = _fitted(data)
    reference, expected = _fitted(2.0 * x, y=y, batch_size=4, shuffle=False)
    np.testing.assert_allclose(losses, expected, rtol=1e-5)
    np.testing.assert_allclose(model.layers[-1].kernel.numpy(),
                               reference.layers[-1].kernel.numpy(), rtol=1e-5)
    loss = model.evaluate(data, verbose=0)
    np.testing.assert_allclose(loss, reference.evaluate(2.0 * x, y, verbose=0), rtol=1e-5)
    np.testing.assert_allclose(model.predict(data, verbose=0),
                               reference.predict(2.0 * x, verbose=0), rtol=1e-5)


def test_endless_grain_dataset_with_steps_and_validation():
    x, y = _user_data()
    endless = grain.MapDataset.source(list(zip(x, y))).batch(4).repeat()
    val = grain.MapDataset.source(list(zip(x, y))).to_iter_dataset().batch(6)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(keras.optimizers.SGD(0.1), "mse")
    steps = _Steps()
    history = model.fit(endless, epochs=2, steps_per_epoch=5, validation_data=val, verbose=0,
                        callbacks=[steps])
    assert steps.steps == 10
    np.testing.assert_allclose(history.history["val_loss"][-1],
                               model.evaluate(x, y, verbose=0), rtol=1e-5)


def test_grain_dataset_with_y_is_rejected():
    x, y = _user_data()
    data = grain.MapDataset.source(list(x)).batch(4)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    with pytest.raises(ValueError, match=r"`y` must not be given when `x` is a generator or "
                                         r"dataset \(BatchMapDataset\)"):
        model.fit(data, y, verbose=0)


def test_missing_grain_names_the_extra(folders, monkeypatch):
    monkeypatch.setitem(sys.modules, "grain", None)  # `import grain` now raises ImportError
    for kind in KINDS:
        with pytest.raises(ImportError, match=r'format="grain" requires the grain package, '
                                              r"which is not installed\. Install it with "
                                              r"`pip install kfront\[grain\]`"):
            _build(kind, folders, "grain")


@pytest.mark.slow  # a fresh interpreter importing kfront
def test_import_kfront_does_not_import_grain():
    script = ("import sys, kfront\n"
              f"kfront.utils.timeseries_dataset_from_array({SERIES.tolist()!r}, None, 4, "
              "format='kfront')\n"
              "print('grain' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=dict(os.environ), timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "False"
