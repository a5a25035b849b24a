"""``evaluate``, ``predict`` and the single-batch methods, against NumPy."""
import numpy as np
import pytest

import kfront
from kfront import layers, optimizers
from trainer_helpers import (
    X, Y_BINARY, Y_REGRESSION, binary_model, compiled_binary_model, linear_model,
    np_forward, np_loss, two_output_forward, two_output_model, weighted_mean,
)


@pytest.fixture(scope="module")
def model():
    return compiled_binary_model()


def test_evaluate_return_types(model):
    result = model.evaluate(X, Y_BINARY, batch_size=16, verbose=0)
    assert isinstance(result, list) and len(result) == 2
    assert result[0] == pytest.approx(np_loss(model, X, Y_BINARY), rel=1e-5)
    p = np_forward(model, X)
    assert result[1] == pytest.approx(float(((p > 0.5) == (Y_BINARY > 0.5)).mean()), rel=1e-6)
    logs = model.evaluate(X, Y_BINARY, batch_size=16, verbose=0, return_dict=True)
    assert logs == {"loss": result[0], "accuracy": result[1]}
    assert model.metrics_names == ["loss", "accuracy"]


def test_evaluate_with_only_a_loss_returns_a_float():
    m = binary_model()
    m.compile(optimizer="sgd", loss="binary_crossentropy")
    result = m.evaluate(X, Y_BINARY, verbose=0)
    assert isinstance(result, float)
    assert result == pytest.approx(np_loss(m, X, Y_BINARY), rel=1e-5)


@pytest.mark.parametrize("batch_size", [None, 7, 64, 100])
def test_evaluate_loss_is_the_full_data_loss_for_any_batching(model, batch_size):
    """Batch losses are averaged weighted by batch size, so every batching gives the
    loss of the whole data set."""
    sw = np.linspace(0.0, 3.0, 64).astype("float32")
    got = model.evaluate(X, Y_BINARY, sample_weight=sw, batch_size=batch_size, verbose=0)[0]
    assert got == pytest.approx(np_loss(model, X, Y_BINARY, sw), rel=1e-5)


def test_evaluate_steps_and_verbose_output(model, capsys):
    logs = model.evaluate(X, Y_BINARY, batch_size=16, steps=2, verbose=0, return_dict=True)
    assert logs["loss"] == pytest.approx(np_loss(model, X[:32], Y_BINARY[:32]), rel=1e-5)
    assert capsys.readouterr().out == ""
    model.evaluate(X, Y_BINARY, batch_size=16, verbose=1)
    out = capsys.readouterr().out
    assert "4/4" in out and "loss:" in out and "accuracy:" in out


def test_predict_batches_and_last_partial_batch(model):
    x = X[:10]
    for batch_size in (None, 3, 4, 10, 32):
        out = model.predict(x, batch_size=batch_size, verbose=0)
        assert isinstance(out, np.ndarray) and out.shape == (10, 1)
        np.testing.assert_allclose(out, np_forward(model, x), rtol=1e-5, atol=1e-6)


def test_predict_steps_and_generator(model):
    out = model.predict(X, batch_size=8, steps=2, verbose=0)
    assert out.shape == (16, 1)
    batches = (X[i:i + 5] for i in range(0, 20, 5))
    out = model.predict(batches, verbose=0)
    np.testing.assert_allclose(out, np_forward(model, X[:20]), rtol=1e-5, atol=1e-6)


def test_predict_list_outputs():
    m = two_output_model()
    out = m.predict(X, batch_size=24, verbose=0)
    assert isinstance(out, list) and [o.shape for o in out] == [(64, 1), (64, 3)]
    pa, pb = two_output_forward(m, X)
    np.testing.assert_allclose(out[0], pa, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(out[1], pb, rtol=1e-5, atol=1e-6)


def test_predict_dict_outputs():
    kfront.utils.set_random_seed(0)
    inputs = kfront.Input(shape=(5,))
    hidden = layers.Dense(4, activation="relu", name="hidden")(inputs)
    m = kfront.Model(inputs, {"zeta": layers.Dense(1, name="a")(hidden),
                              "alpha": layers.Dense(3, name="b")(hidden)})
    out = m.predict(X, batch_size=24, verbose=0)
    assert set(out) == {"zeta", "alpha"}
    h = np.maximum(X @ m.get_layer("hidden").kernel.numpy() + m.get_layer("hidden").bias.numpy(),
                   0)
    np.testing.assert_allclose(out["zeta"], h @ m.get_layer("a").kernel.numpy()
                               + m.get_layer("a").bias.numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(out["alpha"], h @ m.get_layer("b").kernel.numpy()
                               + m.get_layer("b").bias.numpy(), rtol=1e-5, atol=1e-6)


def test_predict_without_compile():
    m = binary_model()
    np.testing.assert_allclose(m.predict(X, verbose=0), np_forward(m, X), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(m.predict_on_batch(X[:5]), np_forward(m, X[:5]), rtol=1e-5,
                               atol=1e-6)


def test_test_on_batch_and_predict_on_batch(model):
    x, y = X[:12], Y_BINARY[:12]
    # Metrics accumulate across single-batch calls until reset_metrics(), as in Keras 3.
    model.reset_metrics()
    loss, accuracy = model.test_on_batch(x, y)
    assert loss == pytest.approx(np_loss(model, x, y), rel=1e-5)
    assert model.test_on_batch(x, y, return_dict=True) == {"loss": loss, "accuracy": accuracy}
    sw = np.arange(12, dtype="float32")
    model.reset_metrics()
    assert model.test_on_batch(x, y, sample_weight=sw)[0] == pytest.approx(
        np_loss(model, x, y, sw), rel=1e-5)
    out = model.predict_on_batch(x)
    assert out.shape == (12, 1)
    np.testing.assert_allclose(out, np_forward(model, x), rtol=1e-5, atol=1e-6)


def test_train_on_batch_is_one_sgd_step_of_the_mse_gradient():
    """For a linear model and MSE the gradient is known: 2/N X^T (X w + b - y)."""
    m = linear_model()
    m.compile(optimizer=optimizers.SGD(0.1), loss="mse")
    x, y = X[:16].astype("float64"), Y_REGRESSION[:16].astype("float64")
    w, b = m.layers[0].kernel.numpy().astype("float64"), m.layers[0].bias.numpy()
    residual = x @ w + b - y
    loss = m.train_on_batch(X[:16], Y_REGRESSION[:16])
    assert loss == pytest.approx(float((residual ** 2).mean()), rel=1e-5)  # before the step
    np.testing.assert_allclose(m.layers[0].kernel.numpy(), w - 0.1 * 2 / 16 * x.T @ residual,
                               rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(m.layers[0].bias.numpy(), b - 0.1 * 2 / 16 * residual.sum(0),
                               rtol=1e-5, atol=1e-6)
    assert int(m.optimizer.iterations.numpy()) == 1
    logs = m.train_on_batch(X[:16], Y_REGRESSION[:16], return_dict=True)
    assert list(logs) == ["loss"]


def test_train_on_batch_with_class_weight_and_sample_weight():
    m = linear_model()
    m.compile(optimizer=optimizers.SGD(0.0), loss="mse")
    y = (Y_REGRESSION[:16] > 0).astype("float32")
    p = X[:16] @ m.layers[0].kernel.numpy() + m.layers[0].bias.numpy()
    per_sample = ((y - p) ** 2).mean(-1)
    sw = np.where(y[:, 0] > 0, 3.0, 0.5)
    got = m.train_on_batch(X[:16], y, class_weight={0: 0.5, 1: 3.0})
    assert got == pytest.approx(weighted_mean(per_sample, sw), rel=1e-5)
    got = m.train_on_batch(X[:16], y, sample_weight=sw.astype("float32"))
    assert got == pytest.approx(weighted_mean(per_sample, sw), rel=1e-5)


def test_step_functions_are_made_once_and_reused(monkeypatch):
    from kfront.trainers import trainer as trainer_module
    made = []
    original = trainer_module._B.compile_step

    def counting(step_fn, state, kind, jit):
        made.append(kind)
        return original(step_fn, state, kind, jit)

    monkeypatch.setattr(trainer_module._B, "compile_step", counting)
    m = binary_model()
    m.predict(X, verbose=0)
    m.predict(X[:10], batch_size=4, verbose=0)
    assert made == ["predict"]
    m.compile(optimizer="sgd", loss="binary_crossentropy")
    m.fit(X, Y_BINARY, batch_size=24, epochs=3, verbose=0, validation_data=(X, Y_BINARY))
    m.evaluate(X, Y_BINARY, verbose=0)
    m.train_on_batch(X[:24], Y_BINARY[:24])
    assert made == ["predict", "train", "test"]
    # A new inner shape or dtype gets its own step; the batch size does not.
    m.evaluate(X, Y_BINARY[:, 0], verbose=0)
    assert made == ["predict", "train", "test", "test"]
