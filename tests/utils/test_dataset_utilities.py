"""The dataset utilities return a tf.data.Dataset (format="tf", Keras 3's default) or
kfront's own Dataset (format="kfront", or where TensorFlow cannot be imported); both chain
map -> shuffle -> batch -> prefetch -> cache -> take and train with fit on every backend."""
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import kfront as keras
from dataset_folders import audio_folder, image_folder, text_folder
from kfront.utils.dataset_pipeline import Dataset

SERIES = np.sin(np.arange(60, dtype="float32") / 4)[:, None]


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    root = tmp_path_factory.mktemp("folders")
    return {"image": image_folder(root / "images"), "text": text_folder(root / "texts"),
            "audio": audio_folder(root / "audio")}


def _build(kind, folders, fmt):
    """Single (unbatched) elements of one utility, in ``fmt`` (None: the default)."""
    extra = {} if fmt is None or kind == "audio" else {"format": fmt}
    if kind == "image":
        return keras.utils.image_dataset_from_directory(
            folders["image"], image_size=(4, 4), batch_size=None, label_mode="binary",
            seed=1, verbose=False, **extra)
    if kind == "text":
        return keras.utils.text_dataset_from_directory(
            folders["text"], batch_size=None, label_mode="binary", seed=1, verbose=False,
            **extra)
    if kind == "audio":
        return keras.utils.audio_dataset_from_directory(
            folders["audio"], batch_size=None, label_mode="binary", output_sequence_length=64,
            seed=1, verbose=False)
    return keras.utils.timeseries_dataset_from_array(SERIES[:-4], SERIES[4:, 0],
                                                     sequence_length=4, batch_size=None,
                                                     **extra)


def _features(kind, on_tf):
    """A map function for the elements: scaled floats, as a tutorial would write it."""
    if kind == "text":
        if on_tf:
            import tensorflow as tf
            return lambda x, y: (tf.cast(tf.strings.length(x), "float32")[None] / 10.0, y)
        return lambda x, y: (np.array([len(x)], "float32") / 10.0, y)
    if kind == "image":
        return lambda x, y: (x / 255.0, y)
    if kind == "audio":
        return lambda x, y: (x[:, 0], y)
    return lambda x, y: (x * 0.5, y)


def _chain(ds, fn, autotune):
    return ds.map(fn, num_parallel_calls=autotune).shuffle(8, seed=2).batch(4) \
        .prefetch(autotune).cache().take(2)


class _Steps(keras.callbacks.Callback):
    def on_train_begin(self, logs=None):
        self.steps = 0

    def on_train_batch_end(self, batch, logs=None):
        self.steps += 1


def _train(pipeline):
    model = keras.Sequential([keras.layers.Flatten(), keras.layers.Dense(1)])
    model.compile(keras.optimizers.SGD(0.05), "mse")
    steps = _Steps()
    history = model.fit(pipeline, epochs=2, verbose=0, callbacks=[steps])
    return history.history["loss"], steps.steps, model


SHAPES = {"image": (4, 4, 4, 3), "text": (4, 1), "audio": (4, 64), "timeseries": (4, 4, 1)}


@pytest.mark.parametrize("kind", ["image", "text", "timeseries", "audio"])
@pytest.mark.parametrize("fmt", ["tf", "kfront"])
def test_pipeline_chain_trains(kind, fmt, folders):
    if fmt == "tf":
        tf = pytest.importorskip("tensorflow")
    elif kind == "audio":
        pytest.skip("audio_dataset_from_directory has no `format` (as in Keras): its own "
                    "Dataset is checked with TensorFlow hidden, in a subprocess, below")
    ds = _build(kind, folders, fmt)
    on_tf = fmt == "tf"
    assert isinstance(ds, tf.data.Dataset if on_tf else Dataset)
    if kind != "timeseries":
        assert ds.class_names and len(ds.file_paths) == 12
    autotune = tf.data.AUTOTUNE if on_tf else Dataset.AUTOTUNE
    pipeline = _chain(ds, _features(kind, on_tf), autotune)
    assert int(pipeline.cardinality()) == 2
    batches = [tuple(np.asarray(v) for v in b) for b in pipeline]
    assert [b[0].shape for b in batches] == [SHAPES[kind]] * 2
    assert all(b[0].dtype == np.float32 for b in batches)
    losses, steps, model = _train(pipeline)
    assert steps == 4 and len(losses) == 2 and np.all(np.isfinite(losses))
    assert model.layers[-1].kernel.numpy().any()


def test_default_format_and_unknown_format(folders):
    # format="grain" (and grain missing) is checked in test_grain_datasets.py.
    tf = pytest.importorskip("tensorflow")
    assert isinstance(_build("timeseries", folders, None), tf.data.Dataset)
    audio = _build("audio", folders, None)
    assert isinstance(audio, tf.data.Dataset)
    x, y = next(iter(audio))
    assert tuple(x.shape) == (64, 1) and tuple(y.shape) == (1,)
    for fn, args in ((keras.utils.image_dataset_from_directory, (folders["image"],)),
                     (keras.utils.text_dataset_from_directory, (folders["text"],)),
                     (keras.utils.timeseries_dataset_from_array, (SERIES, None, 4))):
        with pytest.raises(ValueError, match=r'`format` should be either "tf", "grain" or '
                                             r'"kfront". Received: format=\'torch\''):
            fn(*args, format="torch")


def test_tf_batches_equal_kfront_batches(folders):
    pytest.importorskip("tensorflow")
    for kind in ("image", "timeseries"):
        a = _build(kind, folders, "tf").batch(5)
        b = _build(kind, folders, "kfront").batch(5)
        for x, y in zip(a, b):
            for u, v in zip(x, y):
                np.testing.assert_allclose(np.asarray(u), np.asarray(v), rtol=1e-6)


HIDDEN_TF = """
import sys
sys.modules["tensorflow"] = None  # `import tensorflow` now raises ImportError
import numpy as np
sys.path.insert(0, {tests!r})
import test_dataset_utilities as t
from kfront.utils.dataset_pipeline import Dataset
folders = {folders!r}
for kind in ("image", "text", "timeseries", "audio"):
    ds = t._build(kind, folders, None)
    assert isinstance(ds, Dataset), type(ds)
    pipeline = t._chain(ds, t._features(kind, False), Dataset.AUTOTUNE)
    losses, steps, _ = t._train(pipeline)
    assert steps == 4 and np.all(np.isfinite(losses)), (kind, steps, losses)
print("engines:", sorted(m for m in ("tensorflow",) if sys.modules.get(m) is not None))
"""


@pytest.mark.skipif(keras.backend.backend() == "tensorflow",
                    reason="the TensorFlow backend cannot run without TensorFlow")
def test_without_tensorflow_the_utilities_give_kfront_datasets(folders):
    tests = os.path.dirname(__file__)
    script = HIDDEN_TF.format(tests=tests, folders=folders)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([tests, os.path.dirname(tests)]))
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(script)], env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().splitlines()[-1] == "engines: []"
