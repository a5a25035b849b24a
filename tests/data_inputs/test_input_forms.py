"""Every input form trains the same model to the same weights as NumPy arrays do."""
import threading

import numpy as np
import pytest

import kfront
from input_data import BATCH, SW, X, Y, Trainer, batches


@pytest.fixture(scope="module")
def trainer():
    return Trainer()


@pytest.fixture(scope="module")
def reference(trainer):
    return trainer.weights_after(X, Y, batch_size=BATCH, shuffle=False)


@pytest.fixture(scope="module")
def weighted_reference(trainer):
    return trainer.weights_after(X, Y, sample_weight=SW, batch_size=BATCH, shuffle=False)


def assert_same(weights, want):
    assert len(weights) == len(want)
    for got, ref in zip(weights, want):
        np.testing.assert_allclose(got, ref, rtol=1e-6, atol=1e-7)


def test_numpy_reference_matches_a_numpy_training_loop(trainer, reference):
    # Two epochs of plain SGD on mean squared error, batches of 16, 16 and the last 8.
    k1, b1, k2, b2 = [w.astype("float64") for w in trainer.initial]
    for _ in range(2):
        for start in range(0, len(X), BATCH):
            x, y = X[start:start + BATCH].astype("float64"), Y[start:start + BATCH]
            h = np.tanh(x @ k1 + b1)
            err = 2 * (h @ k2 + b2 - y) / len(x)
            dh = (err @ k2.T) * (1 - h ** 2)
            k2, b2 = k2 - 0.1 * h.T @ err, b2 - 0.1 * err.sum(0)
            k1, b1 = k1 - 0.1 * x.T @ dh, b1 - 0.1 * dh.sum(0)
    assert_same([w.astype("float64") for w in reference], [k1, b1, k2, b2])
    for got, ref in zip(reference, [k1, b1, k2, b2]):
        np.testing.assert_allclose(got, ref, rtol=1e-5, atol=1e-6)


def test_python_lists(trainer, reference):
    assert_same(trainer.weights_after(X.tolist(), Y.tolist(), batch_size=BATCH,
                                      shuffle=False), reference)


def test_pandas_dataframe_and_series(trainer, reference):
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(X, columns=list("abcde"))
    assert_same(trainer.weights_after(frame, pd.Series(Y[:, 0]).to_frame(), batch_size=BATCH,
                                      shuffle=False), reference)


@pytest.mark.parametrize("engine", ["torch", "jax", "tensorflow"])
def test_engine_tensors_of_every_engine(trainer, reference, engine):
    if engine == "torch":
        torch = pytest.importorskip("torch")
        x, y = torch.from_numpy(X), torch.from_numpy(Y)
    elif engine == "jax":
        jnp = pytest.importorskip("jax.numpy")
        x, y = jnp.asarray(X), jnp.asarray(Y)
    else:
        tf = pytest.importorskip("tensorflow")
        x, y = tf.constant(X), tf.constant(Y)
    assert_same(trainer.weights_after(x, y, batch_size=BATCH, shuffle=False), reference)


def test_generator_with_steps_per_epoch(trainer, reference):
    def endless():
        while True:
            yield from batches()

    assert_same(trainer.weights_after(endless(), steps_per_epoch=3), reference)


def test_generator_with_sample_weights(trainer, weighted_reference):
    def endless():
        while True:
            yield from batches(with_weights=True)

    assert_same(trainer.weights_after(endless(), steps_per_epoch=3), weighted_reference)


class Batches(kfront.utils.PyDataset):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.threads = set()

    def __len__(self):
        return 3

    def __getitem__(self, index):
        self.threads.add(threading.current_thread().name)
        part = slice(index * BATCH, (index + 1) * BATCH)
        return X[part], Y[part]


@pytest.mark.parametrize("options", [{}, {"workers": 2, "max_queue_size": 2},
                                     {"workers": 2, "use_multiprocessing": True}])
def test_py_dataset_with_workers(trainer, reference, options):
    data = Batches(**options)
    assert_same(trainer.weights_after(data, shuffle=False), reference)
    if options.get("workers", 1) > 1 and not options.get("use_multiprocessing"):
        assert data.threads and all(t.startswith("kfront-pydataset") for t in data.threads)
    elif not options:
        assert data.threads == {"kfront-prefetch"}  # built ahead, off the training thread


def test_tf_data_dataset(trainer, reference, weighted_reference):
    tf = pytest.importorskip("tensorflow")
    dataset = tf.data.Dataset.from_tensor_slices((X, Y)).batch(BATCH)
    assert_same(trainer.weights_after(dataset), reference)
    weighted = tf.data.Dataset.from_tensor_slices((X, Y, SW)).batch(BATCH)
    assert_same(trainer.weights_after(weighted), weighted_reference)


def test_torch_data_loader(trainer, reference, weighted_reference):
    torch = pytest.importorskip("torch")
    from torch.utils.data import DataLoader, TensorDataset
    loader = DataLoader(TensorDataset(torch.from_numpy(X), torch.from_numpy(Y)),
                        batch_size=BATCH, shuffle=False)
    assert_same(trainer.weights_after(loader), reference)
    weighted = DataLoader(TensorDataset(*(torch.from_numpy(a) for a in (X, Y, SW))),
                          batch_size=BATCH)
    assert_same(trainer.weights_after(weighted), weighted_reference)
    predicted = trainer.model.predict(DataLoader(TensorDataset(torch.from_numpy(X)),
                                                 batch_size=BATCH), verbose=0)
    np.testing.assert_allclose(predicted, trainer.model.predict(X, verbose=0), rtol=1e-6)


def test_torch_data_loader_is_read_inline():
    # No read-ahead thread: each batch is collated when the step asks for it, as a
    # hand-written loop does (see TorchDataLoaderAdapter.prefetch_depth).
    torch = pytest.importorskip("torch")
    from torch.utils.data import DataLoader, Dataset
    from kfront.trainers.data_adapters import get_data_adapter

    class Recording(Dataset):
        def __init__(self):
            self.seen = []

        def __len__(self):
            return 4 * BATCH

        def __getitem__(self, i):
            self.seen.append(i)
            return torch.from_numpy(X[i % len(X)]), torch.from_numpy(Y[i % len(Y)])

    data = Recording()
    batches = iter(get_data_adapter(DataLoader(data, batch_size=BATCH)))
    next(batches)
    assert "kfront-prefetch" not in [t.name for t in threading.enumerate()]
    assert sorted(data.seen) == list(range(BATCH))
    next(batches)
    assert sorted(data.seen) == list(range(2 * BATCH))


def test_dataset_sizes_reach_the_progress_bar(trainer):
    tf = pytest.importorskip("tensorflow")
    torch = pytest.importorskip("torch")
    from torch.utils.data import DataLoader, TensorDataset
    from kfront.trainers.data_adapter import get_data_adapter
    assert get_data_adapter(tf.data.Dataset.from_tensor_slices((X, Y)).batch(BATCH)
                            ).num_batches == 3
    assert get_data_adapter(tf.data.Dataset.from_tensor_slices((X, Y)).repeat()
                            ).num_batches is None
    loader = DataLoader(TensorDataset(torch.from_numpy(X)), batch_size=BATCH)
    assert get_data_adapter(loader).num_batches == 3
    assert get_data_adapter(X, batch_size=BATCH).num_batches == 3


def test_class_weight_with_a_generator(trainer):
    labels = (Y > 0).astype("float32")
    weights = {0: 1.0, 1: 3.0}
    want = trainer.weights_after(X, labels, batch_size=BATCH, shuffle=False,
                                 class_weight=weights)
    source = ((X[i:i + BATCH], labels[i:i + BATCH]) for i in range(0, len(X), BATCH))
    assert_same(trainer.weights_after(source, epochs=1, class_weight=weights),
                trainer.weights_after(X, labels, batch_size=BATCH, shuffle=False, epochs=1,
                                      class_weight=weights))
    assert not np.allclose(want[0], trainer.weights_after(X, labels, batch_size=BATCH,
                                                          shuffle=False)[0])
