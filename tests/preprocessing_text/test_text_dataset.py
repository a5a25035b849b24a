"""text_dataset_from_directory on a generated folder of text files."""
import numpy as np
import pytest

import kfront as keras


def text_dataset(*args, **kwargs):
    # kfront's own Dataset (texts as str); tests/utils/test_dataset_pipelines.py covers tf.
    return keras.utils.text_dataset_from_directory(*args, format="kfront", **kwargs)


def batch(ds, index):
    return list(ds)[index]


@pytest.fixture()
def corpus(tmp_path):
    for label, word in (("neg", "bad"), ("pos", "good")):
        (tmp_path / label).mkdir()
        for i in range(5):
            (tmp_path / label / f"{i}.txt").write_text(f"{word} text {i}", encoding="utf-8")
    (tmp_path / "pos" / "notes.md").write_text("ignored")
    return tmp_path


def test_labels_inferred_and_batches(corpus, capsys):
    ds = text_dataset(corpus, batch_size=4, shuffle=False)
    assert "Found 10 files belonging to 2 classes." in capsys.readouterr().out
    assert ds.class_names == ["neg", "pos"] and len(ds) == 3
    x, y = batch(ds, 0)
    assert x.dtype == object and x.tolist() == ["bad text 0", "bad text 1", "bad text 2",
                                                "bad text 3"]
    np.testing.assert_array_equal(y, [0, 0, 0, 0])
    texts = np.concatenate([b[0] for b in ds])
    labels = np.concatenate([b[1] for b in ds])
    assert len(texts) == 10
    assert all(t.startswith("good") == bool(lab) for t, lab in zip(texts, labels))
    assert keras.preprocessing.text_dataset_from_directory is \
        keras.utils.text_dataset_from_directory


def test_modes_shuffle_split_and_max_length(corpus):
    ds = text_dataset(corpus, label_mode="categorical",
                                                 batch_size=10, max_length=3, seed=1,
                                                 verbose=False)
    x, y = batch(ds, 0)
    assert y.shape == (10, 2) and y.dtype == np.float32
    assert all(len(t) == 3 for t in x)
    np.testing.assert_array_equal(y.argmax(1), [t == "goo" for t in x])
    binary = text_dataset(corpus, label_mode="binary",
                                                     batch_size=10, verbose=False, seed=1)
    assert batch(binary, 0)[1].shape == (10, 1)
    train, val = text_dataset(
        corpus, validation_split=0.2, subset="both", seed=3, batch_size=None, verbose=False)
    train_texts = {t for t, _ in train}
    val_texts = {t for t, _ in val}
    assert len(train_texts) == 8 and len(val_texts) == 2 and not train_texts & val_texts
    again = text_dataset(
        corpus, validation_split=0.2, subset="validation", seed=3, batch_size=None,
        verbose=False)
    assert {t for t, _ in again} == val_texts
    only = text_dataset(corpus, labels=None, verbose=False,
                                                   shuffle=False)
    assert batch(only, 0).shape == (10,)
    mapped = only.map(lambda t: np.array([len(s) for s in t]))
    np.testing.assert_array_equal(batch(mapped, 0), [10] * 5 + [11] * 5)


def test_errors(corpus, tmp_path_factory):
    empty = tmp_path_factory.mktemp("empty")
    (empty / "a").mkdir()
    with pytest.raises(ValueError, match="No text files found in directory"):
        text_dataset(empty)
    with pytest.raises(ValueError, match="`label_mode` argument must be one of"):
        text_dataset(corpus, label_mode="sparse")
    with pytest.raises(ValueError, match="you must provide a `seed`"):
        text_dataset(corpus, validation_split=0.2,
                                                subset="training")
    with pytest.raises(ValueError, match="`validation_split` must be set"):
        text_dataset(corpus, subset="training")
    with pytest.raises(ValueError, match="did not match the names of the subdirectories"):
        text_dataset(corpus, class_names=["x"])
    with pytest.raises(ValueError, match="lengths of `labels`"):
        text_dataset(corpus, labels=[0, 1])
    with pytest.raises(ValueError, match="is not a directory"):
        text_dataset(corpus / "missing")
