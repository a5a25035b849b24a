"""``Layer.stateless_call``, ``Optimizer.stateless_apply`` and the metrics' stateless methods
on every backend: given values in, new values out, the objects' own variables unchanged."""
import numpy as np
import pytest

import kfront as keras
from kfront import ops


def _np(x):
    return keras.ops.convert_to_numpy(x)


def _values(variables):
    return [v.value for v in variables]


def _bn_model():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([
        keras.Input((3,)),
        keras.layers.Dense(4, kernel_regularizer=keras.regularizers.L2(0.5)),
        keras.layers.BatchNormalization(momentum=0.5),
    ])
    return model


def test_stateless_call_uses_given_values_and_returns_new_state():
    model = _bn_model()
    dense, bn = model.layers
    before = [v.numpy().copy() for v in model.variables]
    x = np.arange(6, dtype="float32").reshape(2, 3)
    kernel = np.ones((3, 4), "float32")
    trainable = [kernel if v is dense.kernel else v.value for v in model.trainable_variables]
    out, non_trainable, losses = model.stateless_call(
        trainable, _values(model.non_trainable_variables), x, training=True,
        return_losses=True)
    h = x @ kernel
    mean, var = h.mean(0), h.var(0)
    np.testing.assert_allclose(_np(out), (h - mean) / np.sqrt(var + 1e-3), rtol=1e-4,
                               atol=1e-4)
    names = [v.name for v in model.non_trainable_variables]
    got = dict(zip(names, map(_np, non_trainable)))
    np.testing.assert_allclose(got["moving_mean"], 0.5 * mean, rtol=1e-6)
    np.testing.assert_allclose(got["moving_variance"], 0.5 + 0.5 * var, rtol=1e-6)
    # The regularization loss is computed from the kernel that was passed in.
    assert len(losses) == 1
    np.testing.assert_allclose(float(_np(losses[0])), 0.5 * kernel.sum(), rtol=1e-6)
    for v, b in zip(model.variables, before):
        np.testing.assert_array_equal(v.numpy(), b)
    two = model.stateless_call(_values(model.trainable_variables),
                               _values(model.non_trainable_variables), x)
    assert len(two) == 2


def test_stateless_call_leaves_the_layers_losses_alone():
    keras.utils.set_random_seed(0)
    inner = keras.layers.Dense(2, activity_regularizer=keras.regularizers.L1(1.0))
    model = keras.Sequential([keras.Input((3,)), inner])
    x = np.ones((2, 3), "float32")
    model(x)
    before = [float(_np(v)) for v in model.losses]
    assert len(before) == 1
    kernel = np.full((3, 2), 2.0, "float32")
    _, _, losses = model.stateless_call([kernel, np.zeros(2, "float32")], [], x,
                                        return_losses=True)
    # L1 of the activations (6 each), per example: 4 * 6 / 2.
    np.testing.assert_allclose([float(_np(v)) for v in losses], [12.0], rtol=1e-6)
    np.testing.assert_allclose([float(_np(v)) for v in model.losses], before, rtol=1e-6)
    model(x)  # the next call starts from no losses, as any outermost call
    np.testing.assert_allclose([float(_np(v)) for v in model.losses], before, rtol=1e-6)


def test_stateless_call_takes_variables_and_matches_the_stateful_call():
    model = _bn_model()
    x = np.random.RandomState(1).randn(4, 3).astype("float32")
    out, _ = model.stateless_call(model.trainable_variables, model.non_trainable_variables,
                                  x)
    np.testing.assert_allclose(_np(out), _np(model(x)), rtol=1e-6)


def test_stateless_call_checks_its_arguments():
    model = _bn_model()
    t, nt = _values(model.trainable_variables), _values(model.non_trainable_variables)
    with pytest.raises(ValueError, match=r"`trainable_variables` must be a list of tensors "
                       r"corresponding 1:1 to Sequential\(\)\.trainable_variables\. Received "
                       r"list with length 3, but expected 4"):
        model.stateless_call(t[:3], nt, np.zeros((1, 3), "float32"))
    with pytest.raises(ValueError, match=r"`non_trainable_variables`.*length 0, but "
                       r"expected 2"):
        model.stateless_call(t, [], np.zeros((1, 3), "float32"))
    with pytest.raises(ValueError, match="must be built"):
        keras.layers.Dense(2).stateless_call([], [], np.zeros((1, 3), "float32"))
    with pytest.raises(ValueError, match="shape of their variable"):
        model.stateless_call([np.zeros((2, 2), "float32")] + t[1:], nt,
                             np.zeros((1, 3), "float32"))


def test_stateless_call_returns_the_seed_state_of_dropout():
    keras.utils.set_random_seed(0)
    layer = keras.layers.Dropout(0.5, seed=1)
    layer.build((2, 8))
    (seed_var,) = layer.non_trainable_variables
    seed = seed_var.numpy().copy()
    x = np.ones((2, 8), "float32")
    out1, (s1,) = layer.stateless_call([], [seed], x, training=True)
    out2, (s2,) = layer.stateless_call([], [seed], x, training=True)
    np.testing.assert_array_equal(_np(out1), _np(out2))  # the same seed, the same mask
    assert not np.array_equal(_np(s1), seed)
    np.testing.assert_array_equal(seed_var.numpy(), seed)


def test_stateless_apply_matches_apply():
    keras.utils.set_random_seed(0)
    w = [keras.Variable(np.ones((2, 3), "float32")), keras.Variable(np.zeros(3, "float32"))]
    grads = [np.full((2, 3), 0.5, "float32"), np.arange(3, dtype="float32")]
    opt = keras.optimizers.Adam(0.1)
    opt.build(w)
    new_w, new_opt = opt.stateless_apply(_values(opt.variables), grads, _values(w))
    np.testing.assert_array_equal(w[0].numpy(), np.ones((2, 3)))
    assert int(opt.iterations.numpy()) == 0
    opt.apply(grads)
    for v, value in zip(w, new_w):
        # (an adapter's fused kernel and the op-by-op rule round differently)
        np.testing.assert_allclose(_np(value), v.numpy(), rtol=1e-5, atol=1e-6)
    for v, value in zip(opt.variables, new_opt):
        np.testing.assert_allclose(_np(value), v.numpy(), rtol=1e-5, atol=1e-6)
    assert int(_np(new_opt[0])) == 1


def test_stateless_apply_checks_its_arguments():
    w = [keras.Variable(np.ones(2, "float32"))]
    opt = keras.optimizers.SGD(0.1)
    with pytest.raises(ValueError, match=r"SGD must be built.*optimizer\.build"):
        opt.stateless_apply([], [np.ones(2, "float32")], _values(w))
    opt.build(w)
    n = len(opt.variables)
    with pytest.raises(ValueError, match=rf"`optimizer_variables` must be a list of tensors "
                       rf"corresponding 1:1 to SGD\(\)\.variables\. Received list with length "
                       rf"{n + 1}, but expected {n}"):
        opt.stateless_apply([0] * (n + 1), [np.ones(2, "float32")], _values(w))
    with pytest.raises(ValueError, match=r"len\(trainable_variables\) == 0 whereas the "
                       r"optimizer was built with 1 variables"):
        opt.stateless_apply(_values(opt.variables), [], [])


def test_metric_stateless_methods():
    m = keras.metrics.Mean()
    state = m.stateless_update_state(_values(m.variables), np.array([1.0, 3.0], "float32"))
    np.testing.assert_allclose(float(_np(m.stateless_result(state))), 2.0)
    assert float(m.result()) == 0.0
    zeros = m.stateless_reset_state()
    np.testing.assert_array_equal([_np(z) for z in zeros], [0.0, 0.0])
    with pytest.raises(ValueError, match="expected 2 values, received 1"):
        m.stateless_result(state[:1])


def test_stateless_scope_signature_matches_keras():
    import inspect
    params = inspect.signature(keras.StatelessScope).parameters
    assert list(params) == ["state_mapping", "collect_losses", "initialize_variables"]
    assert params["state_mapping"].default is None
    assert params["collect_losses"].default is False
    assert params["initialize_variables"].default is True


def test_gradient_through_stateless_call():
    # The same loss differentiated by each engine through stateless_call, against the
    # closed form: d/dW mean((xW)^2) = 2 x^T (xW) / size.
    keras.utils.set_random_seed(0)
    layer = keras.layers.Dense(2, use_bias=False)
    x = np.random.RandomState(2).randn(4, 3).astype("float32")
    layer(x)
    w = layer.kernel.numpy()
    grads = keras.backend.backend()
    expected = 2 * x.T @ (x @ w) / (x @ w).size
    if grads == "jax":
        import jax

        def loss(values):
            y, _ = layer.stateless_call(values, [], x)
            return ops.mean(ops.square(y))
        (g,) = jax.grad(loss)([layer.kernel.value])
    elif grads == "tensorflow":
        import tensorflow as tf
        value = tf.constant(w)
        with tf.GradientTape() as tape:
            tape.watch(value)
            y, _ = layer.stateless_call([value], [], x)
            out = tf.reduce_mean(tf.square(y))
        g = tape.gradient(out, value)
    else:
        import torch
        value = torch.tensor(w, requires_grad=True)
        y, _ = layer.stateless_call([value], [], x)
        torch.mean(torch.square(y)).backward()
        g = value.grad
    np.testing.assert_allclose(_np(g), expected, rtol=1e-5, atol=1e-6)
