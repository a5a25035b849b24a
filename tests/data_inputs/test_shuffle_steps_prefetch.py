"""Seeded per-epoch shuffling, steps_per_epoch / validation_steps / validation_freq, the
prefetch thread, and bad input."""
import os
import threading

import numpy as np
import pytest

import kfront
from input_data import BATCH, N, X, Y, Trainer, batches
from kfront.trainers.data_adapter import ArrayDataAdapter, get_data_adapter


@pytest.fixture(scope="module")
def trainer():
    return Trainer()


def _epoch_rows(adapter):
    return np.concatenate([kfront.ops.convert_to_numpy(b[0]) for b in adapter])


def test_shuffle_order_is_a_function_of_seed_and_epoch():
    kfront.utils.set_random_seed(5)
    data = ArrayDataAdapter(X, Y, batch_size=BATCH, shuffle=True)
    first, second = _epoch_rows(data), _epoch_rows(data)
    for epoch, rows in enumerate((first, second)):
        order = np.random.default_rng([5, epoch]).permutation(N)
        np.testing.assert_array_equal(rows, X[order])
    assert not np.array_equal(first, second)
    data.set_epoch(1)  # a resumed run asks for epoch 1 directly
    np.testing.assert_array_equal(_epoch_rows(data), second)
    kfront.utils.set_random_seed(6)
    other = ArrayDataAdapter(X, Y, batch_size=BATCH, shuffle=True)
    assert not np.array_equal(_epoch_rows(other), first)


def test_shuffled_fit_is_reproducible_and_resumes_identically(trainer):
    kfront.utils.set_random_seed(9)
    full = trainer.weights_after(X, Y, batch_size=BATCH, epochs=3)
    kfront.utils.set_random_seed(9)
    again = trainer.weights_after(X, Y, batch_size=BATCH, epochs=3)
    for a, b in zip(full, again):
        np.testing.assert_array_equal(a, b)
    kfront.utils.set_random_seed(9)
    unshuffled = trainer.weights_after(X, Y, batch_size=BATCH, epochs=3, shuffle=False)
    assert not np.allclose(unshuffled[0], full[0])
    # Two epochs, then a fresh fit() resuming at epoch 2: the same third permutation.
    kfront.utils.set_random_seed(9)
    trainer.weights_after(X, Y, batch_size=BATCH, epochs=2)
    kfront.utils.set_random_seed(9)
    trainer.model.fit(X, Y, batch_size=BATCH, epochs=3, initial_epoch=2, verbose=0)
    for a, b in zip(trainer.model.get_weights(), full):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)


def test_last_partial_batch_and_extra_passes():
    data = ArrayDataAdapter(X, Y, batch_size=BATCH)
    assert [int(b[0].shape[0]) for b in data] == [16, 16, 8]
    longer = ArrayDataAdapter(X, Y, batch_size=BATCH, steps=5)
    rows = np.concatenate([kfront.ops.convert_to_numpy(b[0]) for b in longer])
    np.testing.assert_array_equal(rows, np.concatenate([X, X[:32]]))


class Counted(kfront.utils.PyDataset):
    def __init__(self):
        super().__init__()
        self.requested = []

    def __len__(self):
        return 3

    def __getitem__(self, index):
        self.requested.append(index)
        return next(b for i, b in enumerate(batches()) if i == index)


def test_validation_steps_and_freq(trainer):
    val = Counted()
    trainer.model.set_weights(trainer.initial)
    history = trainer.model.fit(X, Y, batch_size=BATCH, epochs=4, verbose=0,
                                validation_data=val, validation_steps=2, validation_freq=2)
    assert val.requested == [0, 1, 0, 1]  # after epochs 2 and 4, two batches each
    assert len(history.history["loss"]) == 4
    assert len(history.history["val_loss"]) == 2
    want = np.mean((trainer.model.predict(X[:32], verbose=0) - Y[:32]) ** 2)
    assert history.history["val_loss"][-1] == pytest.approx(want, rel=1e-5)


def test_py_dataset_shuffle_permutes_batches():
    kfront.utils.set_random_seed(4)
    data = Counted()
    adapter = get_data_adapter(data, shuffle=True)
    list(adapter)
    list(adapter)
    want = [np.random.default_rng([4, e]).permutation(3).tolist() for e in (0, 1)]
    assert data.requested == want[0] + want[1]


def test_batches_are_built_in_the_prefetch_thread(trainer):
    threads = []

    def source():
        for batch in batches():
            threads.append(threading.current_thread().name)
            yield batch

    trainer.model.fit(source(), epochs=1, verbose=0)
    assert threads == ["kfront-prefetch"] * 3


def test_arrays_are_prefetched_only_for_an_accelerator(monkeypatch):
    from kfront.trainers.data_adapters import array_data_adapter

    def prefetch_threads_while_iterating():
        seen = []
        for _ in ArrayDataAdapter(X, Y, batch_size=BATCH):
            seen.append(sum(t.name == "kfront-prefetch" for t in threading.enumerate()))
        return seen

    # On the CPU the engine's threads have the cores: batches are sliced inline.
    monkeypatch.setattr(array_data_adapter, "_runs_on_cpu", lambda: True)
    assert prefetch_threads_while_iterating() == [0] * 3  # 16 + 16 + 8 samples
    monkeypatch.setattr(array_data_adapter, "_runs_on_cpu", lambda: False)
    # (The thread ends once it has queued the last batch.)
    assert prefetch_threads_while_iterating()[0] == 1


def test_early_stop_leaves_no_thread_and_no_lost_generator_step(trainer):
    drawn = []

    def endless():
        i = 0
        while True:
            drawn.append(i)
            yield next(b for j, b in enumerate(batches()) if j == i % 3)
            i += 1

    class StopAtFirstBatch(kfront.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            self.model.stop_training = True

    trainer.model.fit(endless(), steps_per_epoch=3, epochs=2, verbose=0,
                      callbacks=[StopAtFirstBatch()])
    assert not [t for t in threading.enumerate() if t.name == "kfront-prefetch"]
    assert drawn == list(range(len(drawn))) and len(drawn) <= 3


def test_errors_in_the_source_reach_the_caller(trainer):
    def failing():
        yield next(batches())
        raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError, match="disk on fire"):
        trainer.model.fit(failing(), epochs=1, verbose=0)


def test_bad_inputs_get_clear_messages(trainer):
    with pytest.raises(ValueError, match=r"Data cardinality is ambiguous.*x: \[40\].*y: \[39\]"):
        trainer.model.fit(X, Y[:39], verbose=0)
    with pytest.raises(ValueError, match="could not be converted to an array.*ragged"):
        trainer.model.fit([[1.0, 2.0, 3.0, 4.0, 5.0], [1.0]], Y[:2], verbose=0)
    with pytest.raises(ValueError, match="`y` must not be given when `x` is a generator"):
        trainer.model.fit(batches(), Y, verbose=0)
    with pytest.raises(ValueError, match="`sample_weight` must not be given"):
        trainer.model.fit(Counted(), sample_weight=Y[:, 0], verbose=0)
    with pytest.raises(ValueError, match="`steps` / `steps_per_epoch` must be a positive"):
        trainer.model.fit(X, Y, steps_per_epoch=0, verbose=0)
    with pytest.raises(ValueError, match="`batch_size` must be a positive integer"):
        trainer.model.fit(X, Y, batch_size=-3, verbose=0)
    with pytest.raises(ValueError, match="yielded a tuple of 4 elements"):
        trainer.model.fit(iter([(X, Y, Y[:, 0], Y)]), verbose=0)
    with pytest.raises(ValueError, match=r"inconsistent structure: first \(0, 0\), now "
                                         r"\(0, 0, 0\)"):
        trainer.model.fit(iter([(X[:8], Y[:8]), (X[8:16], Y[8:16], Y[8:16, 0])]), verbose=0)
    with pytest.raises(ValueError, match="Unrecognized data type for `x`: object"):
        trainer.model.fit(object(), verbose=0)
    with pytest.raises(ValueError, match="`workers` must be a positive integer"):
        kfront.utils.PyDataset(workers=0)


class Recorded(kfront.utils.PyDataset):
    """Ten batches whose x is the id of the process that built them."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.requested = []

    def __len__(self):
        return 10

    def __getitem__(self, index):
        self.requested.append(index)
        return np.array([os.getpid(), index])


def test_py_dataset_queue_is_bounded_by_max_queue_size():
    data = Recorded(workers=2, max_queue_size=2)
    host = get_data_adapter(data).host_batches(0)
    first = next(host)
    assert first[1] == 0
    # Two batches submitted ahead, one more when the first is taken: never the whole epoch.
    assert sorted(data.requested) == list(range(len(data.requested)))
    assert len(data.requested) <= 3
    rest = list(host)
    assert [b[1] for b in rest] == list(range(1, 10))


def test_py_dataset_multiprocessing_builds_batches_in_other_processes():
    data = Recorded(workers=2, use_multiprocessing=True)
    built = list(get_data_adapter(data).host_batches(0))
    assert [b[1] for b in built] == list(range(10))
    assert os.getpid() not in {int(b[0]) for b in built}
