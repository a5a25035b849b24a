"""``JaxLayer``: a JAX model's params and state become kfront variables that ``fit``
trains (checked against gradient descent written in JAX), that ``stateless_call`` and
saving see; other backends get a clear error."""
import numpy as np
import pytest

import kfront as keras

RUNS_JAX = keras.backend.backend() in ("jax", "tensorflow")  # TensorFlow via jax2tf


def _data():
    rng = np.random.RandomState(0)
    x = rng.randn(32, 3).astype("float32")
    return x, (x @ rng.randn(3, 2)).astype("float32")


def linear_init(rng, inputs):
    import jax
    import jax.numpy as jnp
    return {"w": jax.random.normal(rng, (inputs.shape[-1], 2)) * 0.5, "b": jnp.zeros(2)}


def linear_call(params, inputs):
    return inputs @ params["w"] + params["b"]


@pytest.mark.skipif(RUNS_JAX, reason="the error of the other backends")
def test_other_backends_refuse_jax_layer():
    with pytest.raises(ValueError, match=r"JaxLayer is only supported with the JAX or TensorFlow "
                       r"backend\. Current backend: torch"):
        keras.layers.JaxLayer(linear_call, linear_init)


if RUNS_JAX:
    import jax
    import jax.numpy as jnp


@pytest.mark.skipif(not RUNS_JAX, reason="JAX models run on the JAX backend")
class TestJaxLayer:
    def test_fit_matches_gradient_descent_written_in_jax(self):
        x, y = _data()
        keras.utils.set_random_seed(1)
        layer = keras.layers.JaxLayer(linear_call, linear_init)
        model = keras.Sequential([keras.Input((3,)), layer])
        assert sorted(v.name for v in model.trainable_weights) == ["b", "w"]
        params = {"w": jnp.asarray(layer.params["w"].numpy()),
                  "b": jnp.asarray(layer.params["b"].numpy())}
        model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
        history = model.fit(x, y, batch_size=32, epochs=3, shuffle=False, verbose=0)

        def loss(p):
            return jnp.mean((linear_call(p, x) - y) ** 2)
        expected = []
        for _ in range(3):
            value, grads = jax.value_and_grad(loss)(params)
            expected.append(float(value))
            params = jax.tree_util.tree_map(lambda p, g: p - 0.1 * g, params, grads)
        np.testing.assert_allclose(history.history["loss"], expected, rtol=1e-5)
        np.testing.assert_allclose(layer.params["w"].numpy(), params["w"], rtol=1e-5,
                                   atol=1e-6)
        np.testing.assert_allclose(model.predict(x, verbose=0), linear_call(params, x),
                                   rtol=1e-5, atol=1e-5)

    def test_state_rng_and_training_reach_call_fn(self):
        def call_fn(params, state, rng, inputs, training):
            noise = 0.0 if rng is None else jax.random.uniform(rng, inputs.shape)
            outputs = inputs * params["scale"] + noise
            new_state = {"calls": state["calls"] + 1,
                         "trained": state["trained"] + jnp.asarray(training, "float32")}
            return outputs, new_state

        def init_fn(rng, inputs, training):
            assert training is True
            return {"scale": jnp.ones(inputs.shape[-1])}, \
                {"calls": jnp.zeros((), "int32"), "trained": jnp.zeros(())}

        layer = keras.layers.JaxLayer(call_fn, init_fn, seed=7)
        x = np.ones((2, 4), "float32")
        np.testing.assert_array_equal(np.asarray(layer(x)), x)   # inference: rng is None
        assert layer(x, training=True).shape == (2, 4)
        out = np.asarray(layer(x, training=True))
        assert np.all((out >= 1.0) & (out < 2.0)) and not np.allclose(out, 1.0)
        assert int(layer.state["calls"].numpy()) == 3
        assert float(layer.state["trained"].numpy()) == 2.0
        assert [v.trainable for v in layer.weights].count(False) == 2
        # stateless_call returns the new state and leaves the layer alone.
        _, (calls, trained, seed) = layer.stateless_call(
            [v.value for v in layer.trainable_variables],
            [v.value for v in layer.non_trainable_variables], x, training=True)
        assert int(calls) == 4 and int(layer.state["calls"].numpy()) == 3

    def test_params_given_build_the_layer_at_once(self):
        params = {"w": np.eye(3, 2, dtype="float32"), "b": np.ones(2, "float32")}
        layer = keras.layers.JaxLayer(linear_call, params=params)
        assert layer.built and layer.count_params() == 8
        x, _ = _data()
        np.testing.assert_allclose(np.asarray(layer(x)), x[:, :2] + 1.0, rtol=1e-6)

    def test_argument_errors(self):
        with pytest.raises(ValueError, match="Missing required argument in `call_fn`: "
                           "`inputs`"):
            keras.layers.JaxLayer(lambda params, x: x, linear_init)
        with pytest.raises(ValueError, match="Unsupported argument in `call_fn`: `extra`"):
            keras.layers.JaxLayer(lambda params, inputs, extra: inputs, linear_init)
        with pytest.raises(ValueError, match="Unsupported argument in `init_fn`: `key`"):
            keras.layers.JaxLayer(linear_call, lambda key, inputs: {})
        with pytest.raises(ValueError, match="`init_fn`, `params` and `state` cannot all "
                           "be `None`"):
            keras.layers.JaxLayer(linear_call)
        if keras.backend.backend() == "jax":
            with pytest.raises(ValueError, match="native_serialization_platforms=...\\) only "
                               "applies to the TensorFlow backend"):
                keras.layers.JaxLayer(linear_call, linear_init,
                                      native_serialization_platforms=["cpu"])
        else:
            layer = keras.layers.JaxLayer(linear_call, linear_init,
                                          native_serialization_platforms=["cpu"])
            assert layer.get_config()["native_serialization_platforms"] == ["cpu"]

        def bad_state(params, state, inputs):
            return inputs, {"other": inputs}
        layer = keras.layers.JaxLayer(bad_state, params={"w": np.ones(1, "float32")},
                                      state={"count": np.zeros((), "float32")})
        with pytest.raises(ValueError, match="Structure mismatch"):
            layer(np.ones((1, 1), "float32"))

    @(pytest.mark.slow if keras.backend.backend() == "tensorflow" else (lambda test: test))
    def test_save_and_load(self, tmp_path):
        def call_fn(params, inputs):
            return linear_call(params, inputs)

        def init_fn(rng, inputs):
            return linear_init(rng, inputs)

        register = keras.saving.register_keras_serializable("jaxtest")
        register(call_fn), register(init_fn)
        try:
            keras.utils.set_random_seed(2)
            model = keras.Sequential([keras.Input((3,)),
                                      keras.layers.JaxLayer(call_fn, init_fn)])
            x, y = _data()
            model.compile(optimizer="adam", loss="mse")
            model.fit(x, y, epochs=2, verbose=0)
            path = str(tmp_path / "jax_layer.keras")
            model.save(path)
            loaded = keras.saving.load_model(path)
            assert loaded.layers[0].call_fn is call_fn
            np.testing.assert_allclose(loaded.predict(x, verbose=0),
                                       model.predict(x, verbose=0), rtol=1e-6)
        finally:
            for key in ("jaxtest>call_fn", "jaxtest>init_fn"):
                keras.saving.get_custom_objects().pop(key, None)

    def test_unregistered_functions_load_only_outside_safe_mode(self, tmp_path):
        def call_fn(params, inputs):
            return inputs @ params["w"]

        model = keras.Sequential([keras.Input((3,)), keras.layers.JaxLayer(
            call_fn, params={"w": np.ones((3, 2), "float32")})])
        path = str(tmp_path / "code.keras")
        model.save(path)
        with pytest.raises(ValueError, match="disallowed in safe_mode"):
            keras.saving.load_model(path)
