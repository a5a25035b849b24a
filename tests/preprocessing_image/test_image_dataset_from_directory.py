"""``image_dataset_from_directory``: shapes, labels, splits, errors, and ``fit``."""
import os

import numpy as np
import pytest

import kfront as keras
from kfront.utils import image_dataset_from_directory as _image_dataset_from_directory


def image_dataset_from_directory(*args, **kwargs):
    # kfront's own Dataset: the same loader as the tf.data one, without importing TF
    # (tests/utils/test_dataset_pipelines.py covers format="tf").
    return _image_dataset_from_directory(*args, format="kfront", **kwargs)


def batch(ds, index):
    return list(ds)[index]


def test_batches_labels_and_class_names(stripes_dir):
    ds = image_dataset_from_directory(stripes_dir, image_size=(8, 8), batch_size=16,
                                      shuffle=False, verbose=False)
    assert ds.class_names == ["horizontal", "vertical"] and len(ds) == 3
    x, y = batch(ds, 0)
    assert x.shape == (16, 8, 8, 3) and x.dtype == np.float32 and y.dtype == np.int32
    assert 0 <= x.min() and x.max() <= 255
    labels = np.concatenate([b[1] for b in ds])
    np.testing.assert_array_equal(labels, [0] * 20 + [1] * 20)
    assert batch(ds, 2)[0].shape[0] == 8
    cat = image_dataset_from_directory(stripes_dir, image_size=(8, 8), label_mode="categorical",
                                       shuffle=False, color_mode="grayscale", verbose=False)
    x, y = batch(cat, 0)
    assert x.shape == (32, 8, 8, 1) and y.shape == (32, 2)
    binary = image_dataset_from_directory(stripes_dir, image_size=4, label_mode="binary",
                                          batch_size=None, seed=2, verbose=False)
    x, y = batch(binary, 0)
    assert x.shape == (4, 4, 3) and y.shape == (1,)
    images_only = image_dataset_from_directory(stripes_dir, labels=None, image_size=(4, 4),
                                               verbose=False)
    assert batch(images_only, 0).shape == (32, 4, 4, 3)


def test_resize_and_crop_to_aspect_ratio_match_ops(stripes_dir):
    from kfront.ops import image as image_ops
    from kfront.utils import img_to_array, load_img
    ds = image_dataset_from_directory(stripes_dir, image_size=(8, 4), batch_size=1,
                                      shuffle=False, crop_to_aspect_ratio=True, verbose=False)
    raw = img_to_array(load_img(ds.file_paths[0]))
    expected = image_ops.resize(raw, (8, 4), crop_to_aspect_ratio=True,
                                xp=image_ops.numpy_namespace)
    np.testing.assert_allclose(batch(ds, 0)[0][0], expected, rtol=1e-6)


def test_validation_split_is_disjoint_and_seeded(stripes_dir):
    train, val = image_dataset_from_directory(stripes_dir, image_size=(4, 4), batch_size=8,
                                              validation_split=0.25, subset="both", seed=7,
                                              verbose=False)
    assert len(train.file_paths) == 30 and len(val.file_paths) == 10
    assert not set(train.file_paths) & set(val.file_paths)
    again = image_dataset_from_directory(stripes_dir, image_size=(4, 4), validation_split=0.25,
                                         subset="validation", seed=7, verbose=False)
    assert again.file_paths == val.file_paths


def test_fit_accepts_the_dataset(stripes_dir):
    ds = image_dataset_from_directory(stripes_dir, image_size=(8, 8), batch_size=20, seed=1,
                                      label_mode="binary", verbose=False)
    model = keras.Sequential([keras.Input((8, 8, 3)), keras.layers.Rescaling(1 / 255.0),
                              keras.layers.Flatten(), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    history = model.fit(ds, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2
    assert history.history["loss"][1] < history.history["loss"][0]


def test_errors(tmp_path, stripes_dir):
    empty = tmp_path / "empty"
    os.makedirs(empty / "a")
    (empty / "a" / "readme.txt").write_text("no images here")
    with pytest.raises(ValueError, match="No images found in directory"):
        image_dataset_from_directory(str(empty), verbose=False)
    with pytest.raises(ValueError, match="Could not find directory"):
        image_dataset_from_directory(str(tmp_path / "nowhere"))
    with pytest.raises(ValueError, match="`label_mode` argument must be"):
        image_dataset_from_directory(stripes_dir, label_mode="onehot")
    with pytest.raises(ValueError, match="`color_mode` must be"):
        image_dataset_from_directory(stripes_dir, color_mode="cmyk")
    with pytest.raises(ValueError, match="must provide a `seed`"):
        image_dataset_from_directory(stripes_dir, validation_split=0.2, subset="training")
    with pytest.raises(ValueError, match="did not match the names of the subdirectories"):
        image_dataset_from_directory(stripes_dir, class_names=["diagonal"], verbose=False)
    with pytest.raises(ValueError, match="same size|lengths of `labels`"):
        image_dataset_from_directory(stripes_dir, labels=[0, 1], verbose=False)
    broken = tmp_path / "broken"
    os.makedirs(broken / "cls")
    (broken / "cls" / "bad.jpg").write_bytes(b"definitely not a jpeg")
    ds = image_dataset_from_directory(str(broken), verbose=False)
    with pytest.raises(ValueError, match="bad.jpg"):
        batch(ds, 0)
