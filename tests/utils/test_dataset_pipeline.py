"""kfront's own Dataset: each tf.data method against tf.data's results on the same data
(where TensorFlow is installed) or against the Python semantics tf.data documents."""
import numpy as np
import pytest

from kfront.utils.dataset_pipeline import (
    AUTOTUNE, INFINITE_CARDINALITY, UNKNOWN_CARDINALITY, Dataset,
)

X = np.arange(20, dtype="float32").reshape(10, 2)
Y = np.arange(10, dtype="int32")


def _rows(ds):
    return [tuple(np.asarray(v).tolist() for v in e) if isinstance(e, tuple)
            else np.asarray(e).tolist() for e in ds]


def _pipelines(D):
    """The same chains, built on kfront's Dataset or on tf.data.Dataset (``D``)."""
    base = D.from_tensor_slices((X, Y))
    return {
        "map_batch": base.map(lambda x, y: (x * 2, y + 1), num_parallel_calls=AUTOTUNE)
        .batch(4),
        "batch_drop": base.batch(3, drop_remainder=True),
        "unbatch": base.batch(4).unbatch(),
        "take_skip": base.skip(3).take(4),
        "repeat": base.take(3).repeat(2),
        "filter": base.filter(lambda x, y: y % 3 == 0),
        "cache_prefetch": base.cache().prefetch(2).take(-1),
        "take_all": base.take(-1).skip(0),
    }


def test_methods_match_tf_data():
    tf = pytest.importorskip("tensorflow")
    ours, theirs = _pipelines(Dataset), _pipelines(tf.data.Dataset)
    for name in ours:
        assert _rows(ours[name]) == _rows(theirs[name]), name
        assert ours[name].cardinality() == int(theirs[name].cardinality()), name


def test_semantics_without_tensorflow():
    ds = _pipelines(Dataset)
    assert _rows(ds["take_skip"]) == [(X[i].tolist(), int(Y[i])) for i in range(3, 7)]
    assert len(ds["map_batch"]) == 3 and ds["map_batch"].cardinality() == 3
    assert ds["filter"].cardinality() == UNKNOWN_CARDINALITY
    assert [int(y) for _, y in ds["filter"]] == [0, 3, 6, 9]
    forever = Dataset.from_tensor_slices(Y).repeat()
    assert forever.cardinality() == INFINITE_CARDINALITY
    assert [int(v) for v in forever.take(23)] == list(range(10)) * 2 + [0, 1, 2]
    with pytest.raises(TypeError, match="The dataset is infinite"):
        len(forever)
    with pytest.raises(TypeError, match="The dataset length is unknown"):
        len(ds["filter"])
    first = next(ds["map_batch"].as_numpy_iterator())
    np.testing.assert_array_equal(first[0], X[:4] * 2)
    strings = Dataset.from_tensor_slices(np.array(["a", "bb", "ccc"])).batch(2)
    assert [b.tolist() for b in strings] == [["a", "bb"], ["ccc"]]
    as_dict = Dataset.from_tensor_slices({"a": X, "b": Y}).batch(5)
    assert [sorted(b) for b in as_dict] == [["a", "b"]] * 2
    gen = Dataset.from_generator(lambda: iter(range(4)), cardinality=4).map(lambda v: v * v)
    assert list(gen) == [0, 1, 4, 9] and list(gen) == [0, 1, 4, 9]  # re-iterable


def test_shuffle_is_a_seeded_buffer_permutation():
    ds = Dataset.from_tensor_slices(np.arange(50))
    one = [int(v) for v in ds.shuffle(10, seed=3)]
    assert sorted(one) == list(range(50)) and one != list(range(50))
    # An element can move at most buffer_size - 1 places ahead of its turn.
    assert all(v <= i + 9 for i, v in enumerate(one))
    shuffled = ds.shuffle(10, seed=3)
    epoch1, epoch2 = [int(v) for v in shuffled], [int(v) for v in shuffled]
    assert epoch1 == one and epoch2 != epoch1  # reshuffled every pass
    frozen = ds.shuffle(10, seed=3, reshuffle_each_iteration=False)
    assert [int(v) for v in frozen] == [int(v) for v in frozen]
    calls = []
    cached = ds.map(lambda v: calls.append(1) or v).shuffle(50, seed=1).cache()
    assert [int(v) for v in cached] == [int(v) for v in cached] and len(calls) == 50


def test_bad_arguments():
    ds = Dataset.from_tensor_slices(Y)
    with pytest.raises(ValueError, match=r"Dataset.batch: `batch_size` must be an integer >= 1"):
        ds.batch(0)
    with pytest.raises(ValueError, match=r"Dataset.shuffle: `buffer_size` must be an integer"):
        ds.shuffle("big")
    with pytest.raises(ValueError, match=r"Dataset.take: `count` must be an integer >= 0"):
        ds.take(2.5)
    with pytest.raises(ValueError, match=r"Dataset.map: `num_parallel_calls` must be"):
        ds.map(abs, num_parallel_calls=0)
    with pytest.raises(TypeError, match=r"Dataset.map: `map_func` must be callable"):
        ds.map(3)
    with pytest.raises(ValueError, match=r"same first dimension; received lengths \[3, 10\]"):
        Dataset.from_tensor_slices((Y[:3], Y))
