"""Each ``kfront.datasets`` loader, end to end: tiny files in the real formats, served from a
loopback HTTP server through ``KFRONT_DATASETS_ORIGIN``."""
import gzip
import hashlib
import io
import json
import os
import pickle
import tarfile

import numpy as np
import pytest

import kfront
from kfront.datasets import dataset_files
from loopback_server import LoopbackServer

R = np.random.default_rng(1)


def _npz(**arrays):
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def _object_array(lists):
    out = np.empty(len(lists), dtype="object")
    for i, seq in enumerate(lists):
        out[i] = list(seq)
    return out


@pytest.fixture
def mirror(tmp_path, monkeypatch):
    """Serves files under their published names; the hash table is set to their hashes."""
    monkeypatch.setenv("KFRONT_HOME", str(tmp_path / "home"))
    with LoopbackServer() as server:
        monkeypatch.setenv("KFRONT_DATASETS_ORIGIN", server.url + "/mirror/")
        hashes = {}
        monkeypatch.setattr(dataset_files, "HASHES", hashes)

        def publish(name, data, hashed=True):
            server.files["/mirror/" + name] = data
            if hashed:
                hashes[name] = hashlib.sha256(data).hexdigest()

        server.publish = publish
        yield server


def test_mnist(mirror):
    x_train = R.integers(0, 256, (5, 28, 28), dtype=np.uint8)
    y_train = np.arange(5, dtype=np.uint8)
    x_test = R.integers(0, 256, (2, 28, 28), dtype=np.uint8)
    y_test = np.array([7, 9], np.uint8)
    mirror.publish("mnist.npz", _npz(x_train=x_train, y_train=y_train, x_test=x_test,
                                     y_test=y_test))
    (a, b), (c, d) = kfront.datasets.mnist.load_data()
    for got, want in ((a, x_train), (b, y_train), (c, x_test), (d, y_test)):
        assert got.dtype == np.uint8
        np.testing.assert_array_equal(got, want)
    assert os.path.exists(os.path.join(os.environ["KFRONT_HOME"], "datasets", "mnist.npz"))


def test_published_hash_is_enforced(mirror):
    mirror.publish("mnist.npz", _npz(x_train=np.zeros((1, 28, 28), np.uint8)), hashed=False)
    dataset_files.HASHES["mnist.npz"] = \
        "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"
    with pytest.raises(ValueError, match="expected 731c5ac6.*The file was removed"):
        kfront.datasets.mnist.load_data()
    assert os.listdir(os.path.join(os.environ["KFRONT_HOME"], "datasets")) == []


def _idx(data, header):
    return gzip.compress(header + data.tobytes())


def test_fashion_mnist(mirror):
    x_train = R.integers(0, 256, (3, 28, 28), dtype=np.uint8)
    y_train = np.array([1, 2, 3], np.uint8)
    x_test = R.integers(0, 256, (2, 28, 28), dtype=np.uint8)
    y_test = np.array([9, 0], np.uint8)
    mirror.publish("train-labels-idx1-ubyte.gz", _idx(y_train, b"\0\0\x08\x01" + b"\0" * 4))
    mirror.publish("train-images-idx3-ubyte.gz", _idx(x_train, b"\0\0\x08\x03" + b"\0" * 12))
    mirror.publish("t10k-labels-idx1-ubyte.gz", _idx(y_test, b"\0\0\x08\x01" + b"\0" * 4))
    mirror.publish("t10k-images-idx3-ubyte.gz", _idx(x_test, b"\0\0\x08\x03" + b"\0" * 12))
    (a, b), (c, d) = kfront.datasets.fashion_mnist.load_data()
    for got, want in ((a, x_train), (b, y_train), (c, x_test), (d, y_test)):
        np.testing.assert_array_equal(got, want)
    assert os.path.isdir(os.path.join(os.environ["KFRONT_HOME"], "datasets", "fashion-mnist"))


def _cifar_archive(top, batches):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, content in batches.items():
            data = pickle.dumps({k.encode(): v for k, v in content.items()})
            info = tarfile.TarInfo(f"{top}/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def test_cifar10(mirror):
    images = R.integers(0, 256, (7, 3072), dtype=np.uint8)
    labels = [3, 1, 4, 1, 5, 9, 2]
    batches = {f"data_batch_{i}": {"data": images[i - 1:i], "labels": labels[i - 1:i]}
               for i in range(1, 6)}
    batches["test_batch"] = {"data": images[5:], "labels": labels[5:]}
    mirror.publish("cifar-10-python.tar.gz", _cifar_archive("cifar-10-batches-py", batches))
    (a, b), (c, d) = kfront.datasets.cifar10.load_data()
    planar = images.reshape(7, 3, 32, 32)
    np.testing.assert_array_equal(a, planar[:5].transpose(0, 2, 3, 1))
    np.testing.assert_array_equal(c, planar[5:].transpose(0, 2, 3, 1))
    np.testing.assert_array_equal(b, np.array(labels[:5], np.uint8)[:, None])
    np.testing.assert_array_equal(d, np.array(labels[5:], np.uint8)[:, None])
    assert a.shape == (5, 32, 32, 3) and b.dtype == np.uint8 and d.shape == (2, 1)


def test_cifar100_label_modes(mirror):
    images = R.integers(0, 256, (3, 3072), dtype=np.uint8)
    batches = {"train": {"data": images[:2], "fine_labels": [55, 99], "coarse_labels": [3, 19]},
               "test": {"data": images[2:], "fine_labels": [7], "coarse_labels": [0]}}
    mirror.publish("cifar-100-python.tar.gz", _cifar_archive("cifar-100-python", batches))
    (a, b), (c, d) = kfront.datasets.cifar100.load_data()
    np.testing.assert_array_equal(b[:, 0], [55, 99])
    np.testing.assert_array_equal(a, images[:2].reshape(2, 3, 32, 32).transpose(0, 2, 3, 1))
    (_, b), (_, d) = kfront.datasets.cifar100.load_data(label_mode="coarse")
    np.testing.assert_array_equal(b[:, 0], [3, 19])
    np.testing.assert_array_equal(d[:, 0], [0])
    with pytest.raises(ValueError, match='`label_mode` must be one of `"fine"`, `"coarse"`'):
        kfront.datasets.cifar100.load_data(label_mode="medium")


def _reference_split(x, y, test_split, seed):
    order = np.arange(len(x))
    np.random.RandomState(seed).shuffle(order)
    cut = int(len(x) * (1 - test_split))
    return x[order[:cut]], y[order[:cut]], x[order[cut:]], y[order[cut:]]


@pytest.mark.parametrize("name,features", [("boston_housing", 13),
                                           ("california_housing", 8)])
def test_housing(mirror, name, features):
    x = R.normal(size=(10, features))
    y = R.normal(size=(10,))
    mirror.publish(f"{name}.npz", _npz(x=x, y=y))
    loader = getattr(kfront.datasets, name)
    (a, b), (c, d) = loader.load_data(test_split=0.3, seed=5)
    for got, want in zip((a, b, c, d), _reference_split(x, y, 0.3, 5)):
        np.testing.assert_array_equal(got, want)
    assert a.shape == (7, features) and d.shape == (3,)
    with pytest.raises(ValueError, match="Invalid `test_split` argument: 1.5"):
        loader.load_data(test_split=1.5)


def test_california_small_version(mirror):
    x, y = R.normal(size=(700, 8)), R.normal(size=(700,))
    mirror.publish("california_housing.npz", _npz(x=x, y=y))
    (a, _), (c, _) = kfront.datasets.california_housing.load_data(version="small")
    assert len(a) + len(c) == 600 and len(a) == 480
    assert set(map(tuple, np.concatenate([a, c]))) == set(map(tuple, x[:600]))
    with pytest.raises(ValueError, match="`version` must be one of 'small', 'large'"):
        kfront.datasets.california_housing.load_data(version="huge")


IMDB_TRAIN = [[1, 2, 3], [4, 5], [6, 7, 8, 9]]
IMDB_TEST = [[2, 2], [9, 1, 5, 5, 5]]


def _imdb_reference(seed, num_words, skip_top, maxlen, start_char, oov_char, index_from):
    rng = np.random.RandomState(seed)
    out = []
    for seqs, labels in ((IMDB_TRAIN, [0, 1, 1]), (IMDB_TEST, [1, 0])):
        order = np.arange(len(seqs))
        rng.shuffle(order)
        pairs = []
        for i in order:
            seq = ([start_char] if start_char is not None else []) + \
                  [w + index_from for w in seqs[i]]
            if maxlen is None or len(seq) < maxlen:
                pairs.append((seq, labels[i]))
        out.append(pairs)
    top = num_words or max(max(s) for part in out for s, _ in part)
    cap = (lambda s: [w if skip_top <= w < top else oov_char for w in s]) \
        if oov_char is not None else (lambda s: [w for w in s if skip_top <= w < top])
    return [([cap(s) for s, _ in part], [lab for _, lab in part]) for part in out]


@pytest.mark.parametrize("kwargs", [
    {}, {"num_words": 8, "skip_top": 4}, {"maxlen": 5, "oov_char": None, "num_words": 9},
    {"start_char": None, "index_from": 0, "seed": 7},
])
def test_imdb(mirror, kwargs):
    mirror.publish("imdb.npz", _npz(x_train=_object_array(IMDB_TRAIN), y_train=[0, 1, 1],
                                    x_test=_object_array(IMDB_TEST), y_test=[1, 0]))
    args = dict(seed=113, num_words=None, skip_top=0, maxlen=None, start_char=1, oov_char=2,
                index_from=3)
    args.update(kwargs)
    (a, b), (c, d) = kfront.datasets.imdb.load_data(**kwargs)
    (want_a, want_b), (want_c, want_d) = _imdb_reference(**args)
    assert a.dtype == object and a.ndim == 1
    assert [list(s) for s in a] == want_a and [list(s) for s in c] == want_c
    assert b.tolist() == want_b and d.tolist() == want_d


def test_imdb_errors_and_word_index(mirror):
    mirror.publish("imdb.npz", _npz(x_train=_object_array(IMDB_TRAIN), y_train=[0, 1, 1],
                                    x_test=_object_array(IMDB_TEST), y_test=[1, 0]))
    with pytest.raises(ValueError, match="no sequence was kept. Increase maxlen"):
        kfront.datasets.imdb.load_data(maxlen=2)
    with pytest.raises(ValueError, match="`nb_words` argument was renamed `num_words`"):
        kfront.datasets.imdb.load_data(nb_words=10)
    mirror.publish("imdb_word_index.json", json.dumps({"the": 1, "film": 19}).encode())
    assert kfront.datasets.imdb.get_word_index() == {"the": 1, "film": 19}


def test_imdb_refuses_pickled_code(mirror):
    class Evil:
        def __reduce__(self):
            return (os.system, ("echo pwned",))

    evil = np.empty(1, dtype=object)
    evil[0] = Evil()
    mirror.publish("imdb.npz", _npz(x_train=evil, y_train=[0], x_test=evil, y_test=[0]))
    with pytest.raises(pickle.UnpicklingError, match="Refusing to load `posix.system`"):
        kfront.datasets.imdb.load_data()


def test_reuters(mirror):
    xs = [[1, 2], [3, 4, 5], [6], [7, 8, 9, 10], [2, 2, 2]]
    labels = np.array([0, 5, 45, 3, 3])
    mirror.publish("reuters.npz", _npz(x=_object_array(xs), y=labels))
    (a, b), (c, d) = kfront.datasets.reuters.load_data(test_split=0.4, num_words=9)
    order = np.arange(5)
    np.random.RandomState(113).shuffle(order)
    seqs = [[1] + [w + 3 for w in xs[i]] for i in order]
    seqs = [[w if w < 9 else 2 for w in s] for s in seqs]
    assert [list(s) for s in a] == seqs[:3] and [list(s) for s in c] == seqs[3:]
    np.testing.assert_array_equal(np.concatenate([b, d]), labels[order])
    assert len(kfront.datasets.reuters.get_label_names()) == 46
    mirror.publish("reuters_word_index.json", json.dumps({"oil": 4}).encode())
    assert kfront.datasets.reuters.get_word_index() == {"oil": 4}


def test_digits_still_ship_with_the_package():
    (x_train, y_train), (x_test, y_test) = kfront.datasets.digits.load_data()
    assert x_train.shape[1:] == (8, 8) and len(x_train) + len(x_test) == 1797
    assert set(np.unique(y_train)) == set(range(10))
