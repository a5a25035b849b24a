"""``Dataset.cache(filename)``: the first complete pass writes the file, later passes and
later datasets read it; an interrupted pass leaves no file; the file is arrays only."""
import os
import zipfile

import numpy as np
import pytest

from kfront.utils.dataset_pipeline import Dataset
from kfront.utils.dataset_pipeline_cache import cache_path

X = np.arange(24, dtype="float32").reshape(6, 4)
Y = np.arange(6, dtype="int32")


def _counted(calls):
    def mark(x, y):
        calls.append(1)
        return x * 2, y
    return mark


def _same(a, b):
    assert len(a) == len(b)
    for (xa, ya), (xb, yb) in zip(a, b):
        np.testing.assert_array_equal(xa, xb)
        np.testing.assert_array_equal(ya, yb)


def test_first_pass_writes_later_passes_and_datasets_read(tmp_path):
    calls = []
    ds = Dataset.from_tensor_slices((X, Y)).map(_counted(calls)).cache(tmp_path / "c")
    first = list(ds)
    assert len(calls) == 6 and os.path.exists(tmp_path / "c.npz")
    _same(list(ds), first)
    assert len(calls) == 6  # read from the file, the map does not run again
    # A new pipeline (another program) over the same file reads it without mapping.
    again = Dataset.from_tensor_slices((X, Y)).map(_counted(calls)).cache(str(tmp_path / "c"))
    _same(list(again), first)
    assert len(calls) == 6 and ds.cardinality() == 6
    np.testing.assert_array_equal(first[2][0], X[2] * 2)
    assert first[2][1].dtype == np.int32 and first[2][0].dtype == np.float32
    # Batching, shuffling and repeating after the cache work on what it replays.
    batches = list(again.shuffle(6, seed=1).batch(4).repeat(2))
    assert [len(b[1]) for b in batches] == [4, 2, 4, 2]
    assert sorted(np.concatenate([b[1] for b in batches[:2]]).tolist()) == list(range(6))


def test_an_interrupted_first_pass_leaves_no_file(tmp_path):
    calls = []
    ds = Dataset.from_tensor_slices((X, Y)).map(_counted(calls)).cache(tmp_path / "c.npz")
    for i, _ in enumerate(ds):
        if i == 2:
            break
    assert os.listdir(tmp_path) == []
    # Failing midway also writes nothing.

    def broken(x, y):
        if int(y) == 4:
            raise RuntimeError("decode failed")
        return x, y
    with pytest.raises(RuntimeError, match="decode failed"):
        list(Dataset.from_tensor_slices((X, Y)).map(broken).cache(tmp_path / "c.npz"))
    assert os.listdir(tmp_path) == []
    assert len(list(ds)) == 6 and os.listdir(tmp_path) == ["c.npz"]


def test_structures_strings_and_ragged_elements_round_trip(tmp_path):
    elements = [{"text": "première", "ids": np.arange(n, dtype="int64"), "w": 0.5 * n,
                 "pair": (np.bool_(n % 2), b"raw"), "names": np.array(["a", "bb"], object)}
                for n in (1, 3, 2)]
    ds = Dataset.from_generator(lambda: iter(elements), cardinality=3).cache(tmp_path / "s")
    list(ds)
    back = list(ds)
    for got, want in zip(back, elements):
        assert got["text"] == want["text"] and got["pair"][1] == b"raw"
        assert got["w"] == want["w"] and isinstance(got["w"], float)
        assert isinstance(got["pair"], tuple) and bool(got["pair"][0]) == bool(want["pair"][0])
        np.testing.assert_array_equal(got["ids"], want["ids"])
        assert got["names"].dtype == object and got["names"].tolist() == ["a", "bb"]


def test_the_file_is_arrays_only_and_read_without_pickle(tmp_path):
    ds = Dataset.from_tensor_slices((X, Y)).cache(tmp_path / "c")
    list(ds)
    with zipfile.ZipFile(cache_path(tmp_path / "c")) as z:
        for name in z.namelist():
            with z.open(name) as f:
                header = f.read(200)
            assert b"'descr': '|O'" not in header  # no object (pickled) arrays
    with np.load(tmp_path / "c.npz", allow_pickle=False) as data:
        assert "__meta__" in data.files
    # A file that is not a cache (here a pickle-bearing npz) is refused, not executed.
    np.savez(tmp_path / "evil.npz", __meta__=np.array([{"format": "x"}], dtype=object))
    evil = Dataset.from_tensor_slices((X, Y)).cache(tmp_path / "evil")
    with pytest.raises(ValueError, match=r"evil.npz is not a kfront dataset cache file"):
        list(evil)


def test_cache_argument_errors(tmp_path):
    ds = Dataset.from_tensor_slices((X, Y))
    with pytest.raises(ValueError, match=r"Dataset.cache: the folder of `filename` does not "
                                         r"exist; received filename='.*missing/c'"):
        ds.cache(str(tmp_path / "missing" / "c"))
    with pytest.raises(TypeError, match=r"`filename` must be a string or path .*received int"):
        ds.cache(3)
    with pytest.raises(ValueError, match=r"the dataset is infinite.*`repeat\(\)` after"):
        ds.repeat().cache(tmp_path / "c")
    objects = Dataset.from_generator(lambda: iter([np.array([{}], object)]), 1)
    with pytest.raises(ValueError, match=r"holds an array of Python objects"):
        list(objects.cache(tmp_path / "o"))
    mixed = Dataset.from_generator(lambda: iter([(1, 2), (1,)]), 2)
    with pytest.raises(ValueError, match=r"every element must have the same structure"):
        list(mixed.cache(tmp_path / "m"))
