"""``LossScaleOptimizer``: unscaling, skipped steps and the dynamic scale, eagerly and
inside a compiled train step."""
import numpy as np
import pytest

import kfront
from kfront import ops, optimizers

W = np.array([1.0, -2.0, 3.0], "float32")
G = np.array([0.5, 1.0, -1.5], "float32")


def state(opt):
    return float(opt.dynamic_scale.numpy()), int(opt.step_counter.numpy())


def test_finite_steps_unscale_and_grow_the_scale():
    opt = optimizers.LossScaleOptimizer(optimizers.SGD(0.1), initial_scale=8.0,
                                        dynamic_growth_steps=2)
    v = kfront.Variable(W.copy())
    opt.apply([G * 8.0], [v])
    np.testing.assert_allclose(v.numpy(), W - 0.1 * G, rtol=1e-6)
    assert state(opt) == (8.0, 1)
    opt.apply([G * 8.0], [v])  # the second finite step in a row doubles the scale
    np.testing.assert_allclose(v.numpy(), W - 0.2 * G, rtol=1e-6)
    assert state(opt) == (16.0, 0)
    assert int(opt.iterations.numpy()) == 2


@pytest.mark.parametrize("bad", [np.inf, -np.inf, np.nan])
def test_non_finite_step_is_skipped_and_halves_the_scale(bad):
    inner = optimizers.Adam(0.1)
    opt = optimizers.LossScaleOptimizer(inner, initial_scale=4.0, dynamic_growth_steps=3)
    v = kfront.Variable(W.copy())
    opt.apply([G * 4.0], [v])
    after_one = v.numpy()
    slots = [s.numpy() for s in inner.variables]
    grads = G * 4.0
    grads[1] = bad
    opt.apply([grads], [v])
    np.testing.assert_array_equal(v.numpy(), after_one)
    for s, before in zip(inner.variables, slots):  # iterations and moments untouched
        np.testing.assert_array_equal(s.numpy(), before)
    assert state(opt) == (2.0, 0)
    assert int(opt.iterations.numpy()) == 1


def test_scale_loss_and_delegation():
    inner = optimizers.SGD(0.3)
    opt = optimizers.LossScaleOptimizer(inner)
    assert float(ops.convert_to_numpy(opt.scale_loss(ops.convert_to_tensor(0.5)))) == 2.0 ** 14
    assert float(opt.learning_rate) == pytest.approx(0.3)
    opt.learning_rate = 0.2
    assert float(inner.learning_rate) == pytest.approx(0.2)
    v = kfront.Variable(W.copy())
    opt.build([v])
    assert opt.variables[:2] == [opt.step_counter, opt.dynamic_scale]
    assert opt.variables[2:] == inner.variables
    assert float(ops.convert_to_numpy(opt.scale_loss(1.0))) == 2.0 ** 15


def test_inner_loss_scale_factor_is_replaced():
    inner = optimizers.SGD(0.1, loss_scale_factor=4.0)
    optimizers.LossScaleOptimizer(inner)
    assert inner.loss_scale_factor is None


def test_in_a_compiled_train_step():
    """Overflowing batches are skipped inside fit's compiled step, as eagerly."""
    x = np.array([[1.0, 2.0], [3.0, 1e30], [0.5, -1.0], [2.0, 1.0]], "float32")
    y = np.ones((4, 1), "float32")

    def train(run_eagerly):
        kfront.utils.set_random_seed(1)
        model = kfront.Sequential([kfront.Input((2,)), kfront.layers.Dense(1)])
        opt = optimizers.LossScaleOptimizer(optimizers.SGD(0.01), initial_scale=2.0 ** 10,
                                            dynamic_growth_steps=2)
        model.compile(optimizer=opt, loss="mse", run_eagerly=run_eagerly)
        model.fit(x, y, batch_size=1, epochs=1, shuffle=False, verbose=0)
        return model, opt

    compiled, opt = train(False)
    eager, eager_opt = train(True)
    # Batch 2 overflows: halve; batches 3 and 4 are finite: double after two.
    assert state(opt) == state(eager_opt) == (2.0 ** 10, 0)
    assert int(opt.iterations.numpy()) == 3
    for a, b in zip(compiled.get_weights(), eager.get_weights()):
        assert np.all(np.isfinite(a))
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_config_round_trip():
    opt = optimizers.LossScaleOptimizer(optimizers.Adam(0.01), initial_scale=128.0,
                                        dynamic_growth_steps=10)
    config = optimizers.serialize(opt)
    assert config["config"]["inner_optimizer"]["class_name"] == "Adam"
    clone = optimizers.deserialize(config)
    assert type(clone.inner_optimizer) is optimizers.Adam
    assert (clone.initial_scale, clone.dynamic_growth_steps) == (128.0, 10)
    assert float(clone.learning_rate) == pytest.approx(0.01)
    assert kfront.mixed_precision.LossScaleOptimizer is optimizers.LossScaleOptimizer


@pytest.mark.parametrize("kwargs,match", [
    ({"dynamic": False}, "no longer supports `dynamic=False`"),
    ({"clipnorm": 1.0}, "does not support `clipnorm`. Instead, set `clipnorm` on the"),
    ({"use_ema": True}, "does not support `use_ema`"),
    ({"foo": 1}, "does not support arguments: `foo`"),
    ({"initial_scale": 0.0}, "`initial_scale` must be a number > 0"),
    ({"dynamic_growth_steps": 0}, "`dynamic_growth_steps` must be an integer >= 1"),
])
def test_invalid_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        optimizers.LossScaleOptimizer(optimizers.SGD(), **kwargs)


def test_inner_must_be_an_optimizer():
    with pytest.raises(ValueError, match="`inner_optimizer` must be a kfront optimizer"):
        optimizers.LossScaleOptimizer(42)
    with pytest.raises(ValueError, match=r"call `build\(variables\)` first"):
        optimizers.LossScaleOptimizer(optimizers.SGD()).apply([G])
