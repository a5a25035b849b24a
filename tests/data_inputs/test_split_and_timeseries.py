"""split_dataset and timeseries_dataset_from_array against NumPy loops; fit takes both."""
import numpy as np
import pytest

import kfront
from input_data import BATCH, X, Y, Trainer
from kfront.utils import split_dataset
from kfront.utils import timeseries_dataset_from_array as _timeseries


def timeseries_dataset_from_array(*args, **kwargs):
    # kfront's own Dataset, without importing TF (format="tf" is covered in
    # tests/utils/test_dataset_pipelines.py).
    return _timeseries(*args, format="kfront", **kwargs)


def _all(ds):
    return list(ds)


def test_split_sizes_and_order():
    data = np.arange(10)
    left, right = split_dataset(data, left_size=0.8)
    assert left.num_samples == 8 and right.num_samples == 2
    np.testing.assert_array_equal(np.concatenate(_all(left)), np.arange(8))
    np.testing.assert_array_equal(np.concatenate(_all(right)), [8, 9])
    # Both sizes given: the middle is left out; the right part is taken from the end.
    left, right = split_dataset((data, data * 10), left_size=3, right_size=0.2)
    np.testing.assert_array_equal(left[0][1], [0, 10, 20])
    np.testing.assert_array_equal(right[0][0], [8, 9])
    order = np.random.RandomState(4).permutation(10)
    left, right = split_dataset({"a": data}, right_size=4, shuffle=True, seed=4)
    np.testing.assert_array_equal(left[0]["a"], order[:6])
    np.testing.assert_array_equal(right[0]["a"], order[6:])
    assert len(split_dataset(np.arange(100), left_size=0.5)[0]) == 2  # batches of 32
    assert len(left.batch(4)) == 2 and len(left.unbatch()) == 6


def test_split_keeps_batching_of_tf_and_torch_datasets():
    tf = pytest.importorskip("tensorflow")
    torch = pytest.importorskip("torch")
    ds = tf.data.Dataset.from_tensor_slices((X, Y)).batch(8)
    left, right = split_dataset(ds, left_size=0.75)
    assert left.batch_size == 8 and left.num_samples == 30 and right.num_samples == 10
    np.testing.assert_array_equal(left[1][0], X[8:16])
    np.testing.assert_array_equal(right[0][1], Y[30:38])
    tds = torch.utils.data.TensorDataset(torch.from_numpy(X), torch.from_numpy(Y))
    left, right = split_dataset(tds, right_size=5)
    np.testing.assert_array_equal(right[0][0], X[35:])


def test_split_errors():
    with pytest.raises(ValueError, match="At least one of the `left_size` or `right_size`"):
        split_dataset(np.arange(10))
    with pytest.raises(ValueError, match="`left_size` should be either a positive integer "
                                         "smaller than 10"):
        split_dataset(np.arange(10), left_size=10)
    with pytest.raises(ValueError, match="sum of `left_size` and `right_size` is greater than 1"):
        split_dataset(np.arange(10), left_size=0.6, right_size=0.6)
    with pytest.raises(ValueError, match="should be smaller than the 10 samples"):
        split_dataset(np.arange(10), left_size=6, right_size=6)
    with pytest.raises(TypeError, match="Invalid `left_size` type"):
        split_dataset(np.arange(10), left_size="half")
    with pytest.raises(TypeError, match="must be an array, a tuple/list/dict of arrays"):
        split_dataset("abc", left_size=0.5)
    with pytest.raises(ValueError, match=r"same number of samples; received lengths \[3, 4\]"):
        split_dataset((np.arange(3), np.arange(4)), left_size=0.5)


def _windows_reference(data, targets, length, stride, rate, start, end):
    windows, labels = [], []
    s = start
    while s + (length - 1) * rate < end and (targets is None or s < len(targets)):
        windows.append(data[s:s + (length - 1) * rate + 1:rate])
        if targets is not None:
            labels.append(targets[s])
        s += stride
    return np.array(windows), np.array(labels)


@pytest.mark.parametrize("kwargs", [
    dict(sequence_length=5),
    dict(sequence_length=3, sequence_stride=2, sampling_rate=3, batch_size=4),
    dict(sequence_length=4, start_index=5, end_index=30, batch_size=7),
])
def test_timeseries_windows_match_numpy(kwargs):
    series = np.arange(40 * 2, dtype="float32").reshape(40, 2)
    targets = np.arange(40) * 10
    ds = timeseries_dataset_from_array(series, targets, **kwargs)
    got_x = np.concatenate([b[0] for b in _all(ds)])
    got_y = np.concatenate([b[1] for b in _all(ds)])
    want_x, want_y = _windows_reference(
        series, targets, kwargs["sequence_length"], kwargs.get("sequence_stride", 1),
        kwargs.get("sampling_rate", 1), kwargs.get("start_index", 0),
        kwargs.get("end_index", 40))
    np.testing.assert_array_equal(got_x, want_x)
    np.testing.assert_array_equal(got_y, want_y)
    assert all(len(b[0]) <= kwargs.get("batch_size", 128) for b in _all(ds))


def test_timeseries_forecasting_targets_shuffle_and_unbatched():
    series = np.arange(20)
    ds = timeseries_dataset_from_array(series[:-3], series[3:], sequence_length=3,
                                       batch_size=None)
    x0, y0 = _all(ds)[0]
    np.testing.assert_array_equal(x0, [0, 1, 2])
    assert y0 == 3  # the value right after the window
    assert len(ds) == 15
    shuffled = timeseries_dataset_from_array(series, None, sequence_length=2, shuffle=True,
                                             seed=3, batch_size=50)
    order = np.arange(19)
    np.random.RandomState(3).shuffle(order)
    np.testing.assert_array_equal(_all(shuffled)[0][:, 0], order)


def test_timeseries_errors():
    data = np.arange(10)
    with pytest.raises(ValueError, match="`start_index` must be 0 or greater"):
        timeseries_dataset_from_array(data, None, 2, start_index=-1)
    with pytest.raises(ValueError, match="`end_index` must be higher than `start_index`"):
        timeseries_dataset_from_array(data, None, 2, start_index=5, end_index=3)
    with pytest.raises(ValueError, match="`end_index` must be lower than the length"):
        timeseries_dataset_from_array(data, None, 2, end_index=10)
    with pytest.raises(ValueError, match="`sampling_rate` must be higher than 0"):
        timeseries_dataset_from_array(data, None, 2, sampling_rate=0)
    with pytest.raises(ValueError, match="`sequence_stride` must be lower than the length"):
        timeseries_dataset_from_array(data, None, 2, sequence_stride=10)


def test_fit_accepts_both_and_trains_like_arrays():
    trainer = Trainer()
    want = trainer.weights_after(X, Y, batch_size=BATCH, shuffle=False)
    left, _ = split_dataset((X, Y), left_size=len(X) - 1)
    got = trainer.weights_after(left.batch(BATCH), shuffle=False)
    want_left = trainer.weights_after(X[:-1], Y[:-1], batch_size=BATCH, shuffle=False)
    for a, b in zip(got, want_left):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)
    assert not np.allclose(want[0], want_left[0])
    # A window of one timestep over X is X itself: the same training as the arrays.
    ds = timeseries_dataset_from_array(X, Y, sequence_length=1, batch_size=BATCH)
    flat = kfront.Sequential([kfront.layers.Reshape((5,), input_shape=(1, 5))]
                             + trainer.model.layers)
    flat.compile(optimizer=kfront.optimizers.SGD(0.1), loss="mse")
    trainer.model.set_weights(trainer.initial)
    flat.fit(ds, epochs=2, shuffle=False, verbose=0)
    for a, b in zip(trainer.model.get_weights(), want):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)
