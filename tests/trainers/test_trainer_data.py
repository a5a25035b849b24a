"""What fit/evaluate/predict accept: generators, PyDataset, dicts, lists."""
import numpy as np
import pytest

import kfront
from kfront import layers, optimizers
from trainer_helpers import (
    X, Y_BINARY, compiled_binary_model, np_bce, np_forward, np_loss, weighted_mean,
)


@pytest.fixture(scope="module")
def model():
    return compiled_binary_model()


class CountingGenerator:
    """An endless generator of (x, y) batches of 16 that counts what it yields."""

    def __init__(self, with_weights=False):
        self.drawn = []
        self.with_weights = with_weights

    def __call__(self):
        i = 0
        while True:
            start = (i % 4) * 16
            self.drawn.append(start)
            i += 1
            batch = (X[start:start + 16], Y_BINARY[start:start + 16])
            if self.with_weights:
                batch += (np.full(16, 2.0 if start == 0 else 1.0, "float32"),)
            yield batch


def test_generator_with_steps_per_epoch_draws_exactly_the_steps(model):
    source = CountingGenerator()
    history = model.fit(source(), steps_per_epoch=4, epochs=3, verbose=0)
    assert len(source.drawn) == 12  # no batch is drawn and dropped at epoch ends
    assert source.drawn == [0, 16, 32, 48] * 3
    assert history.history["loss"] == pytest.approx([np_loss(model, X, Y_BINARY)] * 3, rel=1e-5)


def test_generator_with_sample_weights(model):
    source = CountingGenerator(with_weights=True)
    logs = model.evaluate(source(), steps=4, verbose=0, return_dict=True)
    sw = np.where(np.arange(64) < 16, 2.0, 1.0)
    assert logs["loss"] == pytest.approx(np_loss(model, X, Y_BINARY, sw), rel=1e-5)


def test_finite_generator_without_steps(model):
    batches = ((X[i:i + 16], Y_BINARY[i:i + 16]) for i in range(0, 64, 16))
    history = model.fit(batches, epochs=1, verbose=0)
    assert history.history["loss"][0] == pytest.approx(np_loss(model, X, Y_BINARY), rel=1e-5)


def test_exhausted_generator_in_a_later_epoch(model):
    batches = ((X[i:i + 16], Y_BINARY[i:i + 16]) for i in range(0, 64, 16))
    with pytest.raises(ValueError, match="yielded no batches.*steps_per_epoch"):
        model.fit(batches, epochs=2, verbose=0)


class Batches(kfront.utils.PyDataset):
    def __init__(self, batch_size, with_y=True):
        super().__init__()
        self.batch_size = batch_size
        self.with_y = with_y
        self.epochs_ended = 0
        self.requested = []

    def __len__(self):
        return int(np.ceil(64 / self.batch_size))

    def __getitem__(self, index):
        self.requested.append(index)
        part = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return (X[part], Y_BINARY[part]) if self.with_y else X[part]

    def on_epoch_end(self):
        self.epochs_ended += 1


def test_py_dataset_fit_evaluate_predict(model):
    data = Batches(batch_size=24)
    history = model.fit(data, epochs=2, verbose=0, shuffle=False,
                        validation_data=Batches(batch_size=32))
    assert data.requested == [0, 1, 2, 0, 1, 2]
    assert data.epochs_ended == 2
    want = np_loss(model, X, Y_BINARY)
    assert history.history["loss"] == pytest.approx([want, want], rel=1e-5)
    assert history.history["val_loss"] == pytest.approx([want, want], rel=1e-5)
    assert model.evaluate(Batches(batch_size=10), verbose=0)[0] == pytest.approx(want, rel=1e-5)
    out = model.predict(Batches(batch_size=10, with_y=False), verbose=0)
    np.testing.assert_allclose(out, np_forward(model, X), rtol=1e-5, atol=1e-6)


def test_py_dataset_with_steps_per_epoch(model):
    data = Batches(batch_size=16)
    model.fit(data, epochs=1, steps_per_epoch=2, shuffle=False, verbose=0)
    assert data.requested == [0, 1]


def test_dict_inputs_by_input_name():
    kfront.utils.set_random_seed(0)
    left = kfront.Input(shape=(2,), name="left")
    right = kfront.Input(shape=(3,), name="right")
    merged = layers.Concatenate()([left, right])
    out = layers.Dense(1, activation="sigmoid", name="out")(merged)
    m = kfront.Model([left, right], out)
    m.compile(optimizer=optimizers.SGD(0.0), loss="binary_crossentropy")
    dense = m.get_layer("out")
    p = 1 / (1 + np.exp(-(X @ dense.kernel.numpy() + dense.bias.numpy())))
    want = weighted_mean(np_bce(Y_BINARY, p))
    as_dict = {"right": X[:, 2:], "left": X[:, :2]}
    history = m.fit(as_dict, Y_BINARY, batch_size=16, epochs=1, verbose=0)
    assert history.history["loss"][0] == pytest.approx(want, rel=1e-5)
    assert m.evaluate([X[:, :2], X[:, 2:]], Y_BINARY, verbose=0) == pytest.approx(want, rel=1e-5)
    np.testing.assert_allclose(m.predict(as_dict, batch_size=20, verbose=0), p, rtol=1e-5,
                               atol=1e-6)


def test_integer_labels_and_int64_arrays(model):
    y_int = Y_BINARY.astype("int64")
    assert model.evaluate(X, y_int, verbose=0)[0] == pytest.approx(
        np_loss(model, X, Y_BINARY), rel=1e-5)
    assert model.evaluate(X.astype("float64"), Y_BINARY, verbose=0)[0] == pytest.approx(
        np_loss(model, X, Y_BINARY), rel=1e-5)
