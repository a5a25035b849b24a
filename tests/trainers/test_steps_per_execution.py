"""``compile(steps_per_execution=N)``: N steps per compiled call, same numbers as N=1."""
import numpy as np
import pytest

import kfront
from kfront import optimizers
from trainer_helpers import X, Y_REGRESSION, linear_model


class BatchLog(kfront.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.events = []

    def on_train_batch_begin(self, batch, logs=None):
        self.events.append(("begin", batch))

    def on_train_batch_end(self, batch, logs=None):
        self.events.append(("end", batch))

    def on_test_batch_end(self, batch, logs=None):
        self.events.append(("test_end", batch))


def _fit(steps_per_execution, callbacks=None):
    m = linear_model()
    m.compile(optimizer=optimizers.SGD(0.05, momentum=0.5), loss="mse", metrics=["mae"],
              steps_per_execution=steps_per_execution)
    # 64 samples in batches of 8: 8 batches, i.e. two executions of 3 and a remainder of 2.
    history = m.fit(X, Y_REGRESSION, batch_size=8, epochs=2, shuffle=False, verbose=0,
                    callbacks=callbacks)
    return m, history


def test_several_steps_per_call_give_the_same_training():
    one, h1 = _fit(1)
    log = BatchLog()
    three, h3 = _fit(3, [log])
    np.testing.assert_allclose(h3.history["loss"], h1.history["loss"], rtol=1e-5)
    np.testing.assert_allclose(h3.history["mae"], h1.history["mae"], rtol=1e-5)
    for a, b in zip(three.weights, one.weights):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-5, atol=1e-7)
    assert int(three.optimizer.iterations.numpy()) == 16
    # Callbacks run once per execution: begin at its first step, end at its last.
    assert log.events[:6] == [("begin", 0), ("end", 2), ("begin", 3), ("end", 5),
                              ("begin", 6), ("end", 7)]
    assert three.evaluate(X, Y_REGRESSION, batch_size=8, verbose=0) == pytest.approx(
        one.evaluate(X, Y_REGRESSION, batch_size=8, verbose=0), rel=1e-5)


@pytest.mark.parametrize("value", [0, -2, 1.5, True, "4"])
def test_bad_steps_per_execution_is_refused(value):
    with pytest.raises(ValueError, match=r"`steps_per_execution` must be an integer >= 1"):
        linear_model().compile("sgd", "mse", steps_per_execution=value)


def test_bad_jit_compile_is_refused():
    with pytest.raises(ValueError, match=r"`jit_compile` must be 'auto', True or False"):
        linear_model().compile("sgd", "mse", jit_compile="xla")


def test_predict_with_several_steps_per_call():
    one, _ = _fit(1)
    m = linear_model()
    m.compile("sgd", "mse", steps_per_execution=3)
    m.set_weights(one.get_weights())
    # 64 samples in batches of 8: two calls of 3 steps and a remainder of 2.
    np.testing.assert_allclose(m.predict(X, batch_size=8, verbose=0),
                               one.predict(X, batch_size=8, verbose=0), rtol=1e-6)
    np.testing.assert_allclose(m.predict(X, batch_size=8, verbose=0),
                               X @ one.get_weights()[0] + one.get_weights()[1], rtol=1e-5,
                               atol=1e-6)
