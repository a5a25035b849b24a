"""Keras 3 semantics of the single-batch methods, the Keras 2 generator methods, and a NaN
loss in the History."""
import math

import numpy as np
import pytest

from trainer_helpers import (
    X, Y_BINARY, Y_REGRESSION, compiled_binary_model, linear_model, np_forward, np_loss,
)


def test_metrics_accumulate_across_on_batch_calls_until_reset():
    model = compiled_binary_model()  # learning rate 0: the weights stay put
    first, second = (X[:16], Y_BINARY[:16]), (X[16:32], Y_BINARY[16:32])
    l1 = np_loss(model, *first)
    l2 = np_loss(model, *second)
    model.train_on_batch(*second)
    model.reset_metrics()
    assert model.train_on_batch(*first)[0] == pytest.approx(l1, rel=1e-5)
    # The running mean over both batches (equal sizes), not the second batch alone.
    assert model.train_on_batch(*second)[0] == pytest.approx((l1 + l2) / 2, rel=1e-5)
    logs = model.test_on_batch(*second, return_dict=True)
    assert set(logs) == {"loss", "accuracy"}
    assert logs["loss"] == pytest.approx((l1 + 2 * l2) / 3, rel=1e-5)
    model.reset_metrics()
    assert model.test_on_batch(*second)[0] == pytest.approx(l2, rel=1e-5)


def test_keras2_generator_methods_warn_and_delegate():
    model = compiled_binary_model()

    def batches():
        while True:
            for start in range(0, 64, 32):
                yield X[start:start + 32], Y_BINARY[start:start + 32]

    with pytest.warns(DeprecationWarning, match="fit_generator` is deprecated"):
        history = model.fit_generator(batches(), steps_per_epoch=2, epochs=1, verbose=0)
    assert history.history["loss"][0] == pytest.approx(np_loss(model, X, Y_BINARY), rel=1e-5)
    with pytest.warns(DeprecationWarning, match="evaluate_generator` is deprecated"):
        loss, _ = model.evaluate_generator(batches(), steps=2, verbose=0)
    assert loss == pytest.approx(np_loss(model, X, Y_BINARY), rel=1e-5)
    with pytest.warns(DeprecationWarning, match="predict_generator` is deprecated"):
        out = model.predict_generator((X[i:i + 32] for i in (0, 32)), steps=2, verbose=0)
    np.testing.assert_allclose(out, np_forward(model, X), rtol=1e-5, atol=1e-6)


def test_a_nan_loss_shows_plainly_in_the_history():
    model = linear_model()
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    x = X.copy()
    x[3, 0] = np.nan
    history = model.fit(x, Y_REGRESSION, batch_size=64, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2
    assert all(math.isnan(v) for v in history.history["loss"] + history.history["mae"])
