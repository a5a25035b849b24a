"""``SwapEMAWeights``: evaluation and prediction see the EMA weights, training the raw."""
import numpy as np
import pytest

import kfront
from kfront import optimizers
from kfront.callbacks import SwapEMAWeights

RNG = np.random.default_rng(9)
X = RNG.normal(size=(8, 3)).astype("float32")
Y = RNG.normal(size=(8, 1)).astype("float32")


def trained(optimizer, epochs=1, callbacks=None):
    kfront.utils.set_random_seed(2)
    model = kfront.Sequential([kfront.Input((3,)), kfront.layers.Dense(1)])
    model.compile(optimizer=optimizer, loss="mse")
    model.fit(X, Y, batch_size=4, epochs=epochs, shuffle=False, verbose=0,
              callbacks=callbacks)
    return model


def np_predict(weights):
    return X @ weights[0] + weights[1]


def test_evaluate_and_predict_use_the_averages():
    opt = optimizers.SGD(0.1, use_ema=True, ema_momentum=0.5)
    model = trained(opt)
    # fit ends with finalize_variable_values: the model holds the averages; put raw
    # weights back in to see the swap.
    raw = [w + 1.0 for w in model.get_weights()]
    model.set_weights(raw)
    averages = [a.numpy() for a in opt._averages]
    cb = SwapEMAWeights()
    mse = model.evaluate(X, Y, verbose=0, callbacks=[cb])
    np.testing.assert_allclose(mse, np.mean((np_predict(averages) - Y) ** 2), rtol=1e-5)
    pred = model.predict(X, verbose=0, callbacks=[cb])
    np.testing.assert_allclose(pred, np_predict(averages), rtol=1e-5, atol=1e-6)
    for w, r in zip(model.get_weights(), raw):  # swapped back afterwards
        np.testing.assert_allclose(w, r, rtol=1e-6)
    for a, want in zip(opt._averages, averages):
        np.testing.assert_allclose(a.numpy(), want, rtol=1e-6)


def test_swap_on_epoch_leaves_the_averages_after_fit():
    opt = optimizers.SGD(0.1, use_ema=True, ema_momentum=0.5)
    reference_opt = optimizers.SGD(0.1, use_ema=True, ema_momentum=0.5)
    plain = trained(reference_opt, epochs=2)  # finalize writes the averages in
    swapped = trained(opt, epochs=2, callbacks=[SwapEMAWeights(swap_on_epoch=True)])
    # Epoch 1 trained from the raw weights again (the swap was undone at its start).
    for a, b in zip(swapped.get_weights(), plain.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    for a, b in zip(opt._averages, reference_opt._averages):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-5, atol=1e-6)


def test_requires_an_ema_optimizer():
    model = trained(optimizers.SGD(0.1))
    with pytest.raises(ValueError, match="must be used when `use_ema=True`"):
        model.evaluate(X, Y, verbose=0, callbacks=[SwapEMAWeights()])
