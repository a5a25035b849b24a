"""``flow_from_directory`` and ``flow_from_dataframe``: labels, modes, errors, and a convnet
trained from a folder of PNGs on the current backend."""
import os

import numpy as np
import pytest

import kfront as keras
from kfront.preprocessing.image import ImageDataGenerator


def test_convnet_learns_stripes_from_a_folder_of_pngs(stripes_dir):
    keras.utils.set_random_seed(0)
    augment = ImageDataGenerator(rescale=1 / 255.0, horizontal_flip=True, vertical_flip=True,
                                 width_shift_range=0.1, fill_mode="wrap")
    train = augment.flow_from_directory(stripes_dir, target_size=(16, 16), batch_size=8,
                                        class_mode="binary", seed=1)
    model = keras.Sequential([
        keras.Input((16, 16, 3)),
        keras.layers.Conv2D(6, 3, activation="relu"),
        keras.layers.GlobalAveragePooling2D(),
        keras.layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(keras.optimizers.Adam(0.03), "binary_crossentropy", metrics=["accuracy"])
    model.fit(train, epochs=12, verbose=0)
    plain = ImageDataGenerator(rescale=1 / 255.0).flow_from_directory(
        stripes_dir, target_size=(16, 16), batch_size=8, class_mode="binary", shuffle=False)
    _, accuracy = model.evaluate(plain, verbose=0)
    assert accuracy >= 0.95


def test_fit_generator_accepts_flow():
    x = np.random.RandomState(0).rand(12, 4, 4, 1).astype("float32")
    y = (x.mean(axis=(1, 2, 3)) > 0.5).astype("float32")
    model = keras.Sequential([keras.Input((4, 4, 1)), keras.layers.Flatten(),
                              keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    flow = ImageDataGenerator(horizontal_flip=True).flow(x, y, batch_size=4, seed=0)
    with pytest.warns(DeprecationWarning, match="fit_generator"):
        history = model.fit_generator(flow, steps_per_epoch=3, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2


def test_class_modes_and_attributes(stripes_dir):
    gen = ImageDataGenerator()
    it = gen.flow_from_directory(stripes_dir, target_size=(8, 8), batch_size=40,
                                 shuffle=False)
    assert it.class_indices == {"horizontal": 0, "vertical": 1}
    assert it.samples == 40 and len(it.filenames) == 40
    np.testing.assert_array_equal(it.classes, [0] * 20 + [1] * 20)
    x, y = it[0]
    assert x.shape == (40, 8, 8, 3) and y.shape == (40, 2)
    np.testing.assert_array_equal(y.argmax(1), it.classes)
    _, sparse = gen.flow_from_directory(stripes_dir, target_size=(8, 8), batch_size=40,
                                        class_mode="sparse", shuffle=False)[0]
    np.testing.assert_array_equal(sparse, it.classes)
    x_in, x_out = gen.flow_from_directory(stripes_dir, target_size=(8, 8), batch_size=4,
                                          class_mode="input")[0]
    np.testing.assert_array_equal(x_in, x_out)
    only_x = gen.flow_from_directory(stripes_dir, target_size=(8, 8), batch_size=4,
                                     class_mode=None, color_mode="grayscale")[0]
    assert only_x.shape == (4, 8, 8, 1)
    picked = gen.flow_from_directory(stripes_dir, target_size=(8, 8), classes=["vertical"])
    assert picked.samples == 20 and picked.class_indices == {"vertical": 0}


def test_validation_split_per_class(stripes_dir):
    gen = ImageDataGenerator(validation_split=0.25)
    train = gen.flow_from_directory(stripes_dir, target_size=(8, 8), subset="training")
    val = gen.flow_from_directory(stripes_dir, target_size=(8, 8), subset="validation")
    assert (train.samples, val.samples) == (30, 10)
    assert not set(train.filenames) & set(val.filenames)
    assert np.bincount(val.classes).tolist() == [5, 5]


def test_directory_errors(tmp_path, stripes_dir):
    gen = ImageDataGenerator()
    with pytest.raises(ValueError, match="Invalid class_mode"):
        gen.flow_from_directory(stripes_dir, class_mode="onehot")
    with pytest.raises(ValueError, match="Invalid color mode"):
        gen.flow_from_directory(stripes_dir, color_mode="cmyk")
    with pytest.raises(ValueError, match="does not exist"):
        gen.flow_from_directory(str(tmp_path / "missing"))
    os.makedirs(tmp_path / "cls")
    (tmp_path / "cls" / "notes.txt").write_text("not an image")
    (tmp_path / "cls" / "broken.png").write_bytes(b"\x89PNG garbage")
    it = gen.flow_from_directory(str(tmp_path), target_size=(4, 4), batch_size=2)
    assert it.filenames == [os.path.join("cls", "broken.png")]
    with pytest.raises(ValueError, match="broken.png"):
        it[0]


def test_flow_from_dataframe(stripes_dir):
    pd = pytest.importorskip("pandas")
    rows = [(os.path.join(c, f), c) for c in ("horizontal", "vertical")
            for f in sorted(os.listdir(os.path.join(stripes_dir, c)))[:3]]
    df = pd.DataFrame(rows + [("missing.png", "vertical")], columns=["path", "label"])
    gen = ImageDataGenerator(rescale=1 / 255.0)
    with pytest.warns(UserWarning, match="1 invalid image filename"):
        it = gen.flow_from_dataframe(df, stripes_dir, x_col="path", y_col="label",
                                     target_size=(8, 8), batch_size=6, shuffle=False)
    x, y = it[0]
    assert x.shape == (6, 8, 8, 3) and x.max() <= 1.0
    np.testing.assert_array_equal(y.argmax(1), [0, 0, 0, 1, 1, 1])
    df["score"] = np.arange(len(df), dtype="float32")
    raw = gen.flow_from_dataframe(df, stripes_dir, x_col="path", y_col="score",
                                  class_mode="raw", target_size=(8, 8), batch_size=6,
                                  shuffle=False, validate_filenames=False)
    assert raw.samples == 7
    np.testing.assert_array_equal(raw[0][1], np.arange(6))
    with pytest.raises(ValueError, match='x_col="file" is not a column'):
        gen.flow_from_dataframe(df, stripes_dir, x_col="file", y_col="label")
