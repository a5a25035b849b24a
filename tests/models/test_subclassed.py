"""Subclassed Model: layers set in __init__, weights tracked, training flag reaches Dropout."""
import numpy as np
import pytest

import kfront as keras
from kfront import layers

X = np.random.default_rng(0).normal(size=(6, 3)).astype("float32")


def to_np(x):
    return np.asarray(keras.ops.convert_to_numpy(x))


class MLP(keras.Model):
    def __init__(self, hidden=8, **kwargs):
        super().__init__(**kwargs)
        self.hidden = layers.Dense(hidden, activation="relu", name="hidden")
        self.drop = layers.Dropout(0.5, seed=1)
        self.out = layers.Dense(2, name="out")

    def call(self, x, training=None):
        return self.out(self.drop(self.hidden(x), training=training))


class NoTrainingArg(keras.Model):
    """`call` without `training`: nested Dropout must still see the flag."""

    def __init__(self):
        super().__init__()
        self.body = [layers.Dense(16, kernel_initializer="ones", bias_initializer="ones"),
                     layers.Dropout(0.5, seed=3)]

    def call(self, x):
        for layer in self.body:
            x = layer(x)
        return x


def mlp_numpy(model, x):
    w1, b1 = model.hidden.get_weights()
    w2, b2 = model.out.get_weights()
    return np.maximum(x @ w1 + b1, 0) @ w2 + b2


def test_weights_tracked_in_order():
    model = MLP()
    assert model.weights == []
    model(X)
    assert [v.path for v in model.weights] == ["hidden/kernel", "hidden/bias", "out/kernel",
                                               "out/bias"]
    assert model.count_params() == 3 * 8 + 8 + 8 * 2 + 2
    assert [layer.name for layer in model.layers][0::2] == ["hidden", "out"]


def test_inference_matches_numpy():
    model = MLP()
    np.testing.assert_allclose(to_np(model(X)), mlp_numpy(model, X), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(model.predict(X, verbose=0), mlp_numpy(model, X), rtol=1e-5,
                               atol=1e-6)


def test_training_flag_reaches_dropout():
    model = MLP()
    model(X)
    ref = mlp_numpy(model, X)
    np.testing.assert_allclose(to_np(model(X, training=False)), ref, rtol=1e-5, atol=1e-6)
    assert not np.allclose(to_np(model(X, training=True)), ref, atol=1e-3)


@pytest.mark.parametrize("training", [True, False])
def test_training_flag_without_call_argument(training):
    model = NoTrainingArg()
    out = to_np(model(np.ones((4, 3), "float32"), training=training))
    if training:
        assert set(np.unique(out)) == {0.0, 8.0}
    else:
        np.testing.assert_array_equal(out, np.full((4, 16), 4.0))


def test_list_of_layers_tracked_and_frozen():
    model = NoTrainingArg()
    model(np.ones((1, 3), "float32"))
    assert len(model.trainable_weights) == 2
    model.body[0].trainable = False
    assert model.trainable_weights == []
    assert len(model.non_trainable_weights) == 2


def test_train_on_batch_updates_weights():
    model = MLP()
    model.compile(optimizer="sgd", loss="mse")
    model(X)
    before = model.get_weights()
    model.train_on_batch(X, np.zeros((6, 2), "float32"))
    after = model.get_weights()
    assert any(not np.array_equal(a, b) for a, b in zip(before, after))


def test_fit_with_call_lacking_training_argument():
    model = NoTrainingArg()
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(np.ones((4, 3), "float32"), np.zeros((4, 16), "float32"), epochs=1,
                        verbose=0)
    assert np.isfinite(history.history["loss"][0])


def test_build_with_shape():
    model = MLP()
    model.build((None, 3))
    assert model.built
    assert [tuple(w.shape) for w in model.weights][:2] == [(3, 8), (8,)]


def test_build_failure_names_model():
    class Broken(keras.Model):
        def call(self, x):
            raise RuntimeError("boom")

    with pytest.raises(ValueError, match=r'Model "broken" could not be built for input shape '
                                         r"\(None, 3\): boom"):
        Broken(name="broken").build((None, 3))
