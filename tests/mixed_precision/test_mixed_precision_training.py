"""Training under ``mixed_float16`` and ``mixed_bfloat16``: float32 variables, 16-bit compute,
float32 losses and final outputs, dynamic loss scaling for float16."""
import numpy as np
import pytest

import kfront
from kfront import layers, ops, optimizers

RNG = np.random.default_rng(0)
X = RNG.normal(size=(64, 5)).astype("float32")
Y = (X[:, :1] - X[:, 1:2] > 0).astype("float32")
POLICIES = ["mixed_float16", "mixed_bfloat16"]
# Relative error of one 16-bit rounding, with room for a few of them in a small network.
TOLERANCE = {"mixed_float16": 5e-3, "mixed_bfloat16": 4e-2}


@pytest.fixture(autouse=True)
def reset_policy():
    yield
    kfront.mixed_precision.set_global_policy(None)


def _model(policy):
    kfront.mixed_precision.set_global_policy(policy)
    kfront.utils.set_random_seed(0)
    inputs = kfront.Input(shape=(5,))
    hidden = layers.Dense(8, activation="relu", name="hidden")(inputs)
    # The output layer computes in float32, as the Keras mixed precision guide advises.
    outputs = layers.Dense(1, activation="sigmoid", dtype="float32", name="out")(hidden)
    return kfront.Model(inputs, outputs)


def _np_forward(model, x):
    hidden = model.get_layer("hidden")
    out = model.get_layer("out")
    h = np.maximum(x @ hidden.kernel.numpy() + hidden.bias.numpy(), 0)
    return 1 / (1 + np.exp(-(h @ out.kernel.numpy() + out.bias.numpy())))


@pytest.mark.parametrize("policy", POLICIES)
def test_a_small_model_trains_in_mixed_precision(policy):
    model = _model(policy)
    compute = kfront.mixed_precision.DTypePolicy(policy).compute_dtype
    hidden = model.get_layer("hidden")
    assert ops.dtype(hidden(X)) == compute
    assert ops.dtype(model(X)) == "float32"
    np.testing.assert_allclose(kfront.backend.convert_to_numpy(model(X)), _np_forward(model, X),
                               rtol=TOLERANCE[policy], atol=TOLERANCE[policy])
    model.compile(optimizer=optimizers.Adam(0.05), loss="binary_crossentropy",
                  metrics=["accuracy"])
    wrapped = isinstance(model.optimizer, optimizers.LossScaleOptimizer)
    assert wrapped == (compute == "float16")
    history = model.fit(X, Y, batch_size=32, epochs=6, verbose=0)
    losses = history.history["loss"]
    assert all(np.isfinite(losses)) and losses[-1] < 0.8 * losses[0]
    assert {v.dtype for v in model.weights} == {"float32"}
    assert history.history["accuracy"][-1] > 0.8


@pytest.mark.parametrize("policy", POLICIES)
def test_variables_are_read_in_the_compute_dtype_inside_call(policy):
    seen = {}

    class Probe(layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones")
            self.count = self.add_weight(shape=(), initializer="zeros", dtype="int32",
                                         trainable=False)

        def call(self, x, ids):
            seen.update(w=ops.dtype(self.w.value), count=ops.dtype(self.count.value),
                        x=ops.dtype(x), ids=ops.dtype(ids))
            return x * self.w

    kfront.mixed_precision.set_global_policy(policy)
    probe = Probe()
    compute = probe.compute_dtype
    out = probe(X[:4], ids=ops.convert_to_tensor(np.arange(4, dtype="int32")))
    assert seen == {"w": compute, "count": "int32", "x": compute, "ids": "int32"}
    assert ops.dtype(out) == compute
    # Outside `call` the variable keeps its own dtype.
    assert probe.w.dtype == "float32" and ops.dtype(probe.w.value) == "float32"


def test_losses_compute_in_float32_from_16_bit_predictions():
    kfront.mixed_precision.set_global_policy("mixed_float16")
    pred = ops.cast(ops.convert_to_tensor(np.array([[0.2], [0.9]], "float32")), "float16")
    loss = kfront.losses.BinaryCrossentropy()(np.array([[0.0], [1.0]], "float32"), pred)
    assert ops.dtype(loss) == "float32"
    p = np.array([0.2, 0.9], "float16").astype("float64")
    expected = -(np.log(1 - p[0]) + np.log(p[1])) / 2
    assert float(kfront.backend.convert_to_numpy(loss)) == pytest.approx(expected, rel=1e-5)


def test_without_a_float32_output_layer_outputs_stay_16_bit():
    kfront.mixed_precision.set_global_policy("mixed_float16")
    model = kfront.Sequential([kfront.Input(shape=(5,)), layers.Dense(2)])
    assert ops.dtype(model(X)) == "float16"
    assert model.predict(X[:3], verbose=0).dtype == np.float16


def test_auto_scale_loss_false_keeps_the_optimizer():
    model = _model("mixed_float16")
    model.compile(optimizer="sgd", loss="binary_crossentropy", auto_scale_loss=False)
    assert isinstance(model.optimizer, optimizers.SGD)


def test_autocast_false_keeps_variables_in_their_dtype():
    class Raw(layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones")

        def call(self, x):
            return ops.dtype(x), ops.dtype(self.w.value)

    kfront.mixed_precision.set_global_policy("mixed_bfloat16")
    assert Raw(autocast=False)(X[:2]) == ("bfloat16", "float32")
    assert Raw()(X[:2]) == ("bfloat16", "bfloat16")


@pytest.mark.parametrize("rnn", ["LSTM", "GRU", "SimpleRNN"])
def test_recurrent_layers_run_in_mixed_float16(rnn):
    """Recurrent states start in the compute dtype (torch's kernels refuse mixed dtypes)."""
    kfront.mixed_precision.set_global_policy("mixed_float16")
    kfront.utils.set_random_seed(0)
    model = kfront.Sequential([kfront.Input((6,), dtype="int32"), layers.Embedding(20, 8),
                               getattr(layers, rnn)(4),
                               layers.Dense(1, activation="sigmoid", dtype="float32")])
    assert ops.dtype(model.layers[1](np.zeros((2, 6, 8), "float32"))) == "float16"
    model.compile(optimizer=optimizers.Adam(0.05), loss="binary_crossentropy")
    tokens = RNG.integers(0, 20, size=(32, 6))
    labels = (tokens[:, :1] > 9).astype("float32")
    history = model.fit(tokens, labels, batch_size=16, epochs=3, verbose=0)
    assert all(np.isfinite(history.history["loss"]))
    assert {v.dtype for v in model.weights} == {"float32"}


@pytest.mark.parametrize("policy", POLICIES)
def test_softmax_activation_outputs_float32(policy):
    kfront.mixed_precision.set_global_policy(policy)
    dense = layers.Dense(3, activation="softmax")
    out = dense(X)
    assert dense.compute_dtype == kfront.mixed_precision.DTypePolicy(policy).compute_dtype
    assert ops.dtype(out) == "float32"
    np.testing.assert_allclose(kfront.backend.convert_to_numpy(ops.sum(out, axis=-1)), 1.0,
                               rtol=1e-6)
    assert ops.dtype(layers.Activation("softmax")(ops.cast(X, "float16"))) == "float32"
