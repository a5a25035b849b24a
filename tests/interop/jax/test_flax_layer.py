"""``FlaxLayer``: a Flax Linen module's "params" train under ``fit``, its other
collections (batch statistics) are non-trainable variables the call updates, and the
numbers are Flax's own ``module.apply`` with the layer's variables."""
import sys

import numpy as np
import pytest

import kfront as keras

RUNS_JAX = keras.backend.backend() in ("jax", "tensorflow")  # TensorFlow via jax2tf
# Through jax2tf a Flax model converts and compiles slowly: on TensorFlow these run with
# the slow tests (JaxLayer's tests keep a fast TensorFlow sample).
slow_on_tf = pytest.mark.slow if keras.backend.backend() == "tensorflow" else \
    (lambda test: test)


def test_missing_flax_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "flax", None)
    monkeypatch.setitem(sys.modules, "flax.linen", None)
    expected = ImportError if RUNS_JAX else ValueError
    match = r'pip install "kfront\[flax\]"' if RUNS_JAX else "only supported with the JAX"
    with pytest.raises(expected, match=match):
        keras.layers.FlaxLayer(object())


@pytest.mark.skipif(RUNS_JAX, reason="the error of the other backends")
def test_other_backends_refuse_flax_layer():
    with pytest.raises(ValueError, match=r"FlaxLayer is only supported with the JAX or "
                       r"TensorFlow backend\. Current backend: torch"):
        keras.layers.FlaxLayer(object())


if RUNS_JAX:
    flax = pytest.importorskip("flax")
    import jax.numpy as jnp
    from flax import linen as nn

    @keras.saving.register_keras_serializable("flaxtest")
    class MLP(nn.Module):
        units: int = 2

        @nn.compact
        def __call__(self, inputs, training):
            x = nn.Dense(8)(inputs)
            x = nn.BatchNorm(use_running_average=not training, momentum=0.5)(x)
            x = nn.relu(x)
            x = nn.Dropout(0.25, deterministic=not training)(x)
            return nn.Dense(self.units)(x)

        def get_config(self):
            return {"units": self.units}

        @classmethod
        def from_config(cls, config):
            return cls(**config)

        @nn.compact
        def features(self, inputs):
            return nn.Dense(3, name="head")(inputs)


def _data():
    rng = np.random.RandomState(0)
    x = rng.randn(32, 4).astype("float32")
    return x, (x @ rng.randn(4, 2)).astype("float32")


def _variables(layer):
    """The layer's variables as the dict of collections Flax's ``apply`` takes."""
    import jax
    return jax.tree_util.tree_map(lambda v: jnp.asarray(v.numpy()),
                                  {**layer.params, **layer.state})


@pytest.mark.skipif(not RUNS_JAX, reason="Flax modules run on the JAX backend")
class TestFlaxLayer:
    @slow_on_tf
    def test_fit_trains_params_and_updates_batch_stats_and_saves(self, tmp_path):
        x, y = _data()
        keras.utils.set_random_seed(0)
        layer = keras.layers.FlaxLayer(MLP())
        model = keras.Sequential([keras.Input((4,)), layer])
        trainable = sorted(v.name for v in model.trainable_weights)
        assert trainable == ["params/BatchNorm_0/bias", "params/BatchNorm_0/scale",
                             "params/Dense_0/bias", "params/Dense_0/kernel",
                             "params/Dense_1/bias", "params/Dense_1/kernel"]
        assert sorted(v.name for v in model.non_trainable_weights) == [
            "batch_stats/BatchNorm_0/mean", "batch_stats/BatchNorm_0/var"]
        before = _variables(layer)
        np.testing.assert_allclose(model.predict(x, verbose=0),
                                   MLP().apply(before, x, training=False), rtol=1e-5,
                                   atol=1e-6)
        model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
        history = model.fit(x, y, batch_size=32, epochs=5, shuffle=False, verbose=0)
        assert history.history["loss"][-1] < history.history["loss"][0]
        after = _variables(layer)
        assert not np.allclose(after["params"]["Dense_0"]["kernel"],
                               before["params"]["Dense_0"]["kernel"])
        # Five training batches moved the running mean (momentum 0.5) off zero.
        assert np.abs(after["batch_stats"]["BatchNorm_0"]["mean"]).max() > 1e-3
        predictions = model.predict(x, verbose=0)
        np.testing.assert_allclose(predictions, MLP().apply(after, x, training=False),
                                   rtol=1e-5, atol=1e-5)
        # A registered module (with get_config) round-trips through a kfront file.
        path = str(tmp_path / "flax.keras")
        model.save(path)
        loaded = keras.saving.load_model(path)
        assert loaded.layers[0].module.units == 2
        np.testing.assert_allclose(loaded.predict(x, verbose=0), predictions, rtol=1e-6)

    @slow_on_tf
    def test_variables_given_and_a_method(self):
        import jax
        x, _ = _data()
        module = MLP()
        variables = jax.jit(lambda k: module.init(k, x, training=False))(jax.random.PRNGKey(3))
        layer = keras.layers.FlaxLayer(module, variables=variables)
        assert layer.built
        np.testing.assert_allclose(np.asarray(layer(x)),
                                   module.apply(variables, x, training=False), rtol=1e-6)
        head = keras.layers.FlaxLayer(module, method=module.features)
        out = np.asarray(head(x))
        assert out.shape == (32, 3)
        assert [v.name for v in head.weights] == ["params/head/bias", "params/head/kernel"]
        np.testing.assert_allclose(
            out, module.apply(_variables(head), x, method=module.features), rtol=1e-6)

    def test_argument_errors(self):
        with pytest.raises(ValueError, match="`module` must be a flax.linen.Module instance"):
            keras.layers.FlaxLayer(object())
        with pytest.raises(ValueError, match="FlaxLayer takes no `call_fn` argument"):
            keras.layers.FlaxLayer(MLP(), call_fn=lambda inputs: inputs)
        with pytest.raises(ValueError, match="`variables` must be a dict of collections"):
            keras.layers.FlaxLayer(MLP(), variables=[1, 2])
