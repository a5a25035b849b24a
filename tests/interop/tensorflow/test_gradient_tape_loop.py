"""A user's own ``tf.GradientTape`` loop over a kfront model on TensorFlow: the tape
differentiates with respect to ``model.trainable_weights`` (kfront variables hold
``tf.Variable``s) and ``optimizer.apply_gradients`` trains to the losses of ``fit``."""
import numpy as np
import pytest

import kfront as keras

pytestmark = pytest.mark.skipif(keras.backend.backend() != "tensorflow",
                                reason="a hand-written tf.GradientTape training loop")
tf = pytest.importorskip("tensorflow")

STEPS = 4


def _data():
    rng = np.random.RandomState(0)
    x = rng.randn(16, 5).astype("float32")
    return x, (x @ rng.randn(5, 2)).astype("float32")


def _model():
    keras.utils.set_random_seed(3)
    return keras.Sequential([keras.Input((5,)), keras.layers.Dense(8, activation="relu"),
                             keras.layers.Dense(2)])


@pytest.fixture(scope="module")
def fit_losses():
    x, y = _data()
    model = _model()
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    history = model.fit(x, y, batch_size=16, epochs=STEPS, shuffle=False, verbose=0)
    return history.history["loss"], model.get_weights()


@pytest.mark.parametrize("compiled", [False, True], ids=["eager", "tf.function"])
def test_gradient_tape_loop_matches_fit(fit_losses, compiled):
    expected, fitted_weights = fit_losses
    x, y = _data()
    model = _model()
    optimizer = keras.optimizers.Adam(0.01)  # built by its first apply_gradients
    loss_fn = keras.losses.MeanSquaredError()

    def train_step(x, y):
        with tf.GradientTape() as tape:
            loss = loss_fn(y, model(x, training=True))
        grads = tape.gradient(loss, model.trainable_weights)
        optimizer.apply_gradients(zip(grads, model.trainable_weights))
        return loss

    step = tf.function(train_step) if compiled else train_step
    losses = [float(step(tf.constant(x), tf.constant(y))) for _ in range(STEPS)]
    np.testing.assert_allclose(losses, expected, rtol=1e-5, atol=1e-6)
    for got, want in zip(model.get_weights(), fitted_weights):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    assert int(optimizer.iterations.numpy()) == STEPS


def test_tape_gradient_of_a_variable_matches_the_closed_form():
    v = keras.Variable(np.array([1.0, 2.0], "float32"))
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(v * v) + tf.reduce_sum(keras.ops.square(v))
    (g,) = tape.gradient(loss, [v])
    np.testing.assert_allclose(g.numpy(), [4.0, 8.0])
    assert isinstance(v._storage, tf.Variable)
