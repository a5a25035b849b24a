"""Optimizers against NumPy versions of Keras 3's update rules, and their argument checks."""
import warnings

import numpy as np
import pytest

import kfront
from kfront import ops, optimizers

RNG = np.random.default_rng(0)
SHAPES = [(3, 4), (4,), (2, 3, 2)]
INITIAL = [RNG.normal(size=s).astype("float32") for s in SHAPES]
GRADS = [[RNG.normal(size=s).astype("float32") for s in SHAPES] for _ in range(5)]


def make_variables():
    return [kfront.Variable(w.copy()) for w in INITIAL]


def run(opt, grads=GRADS, variables=None):
    variables = variables or make_variables()
    for step_grads in grads:
        opt.apply(step_grads, variables)
    return [v.numpy() for v in variables]


# ---- NumPy references (float64), one function per Keras 3 rule ----

def np_sgd(grads, lr=0.01, momentum=0.0, nesterov=False):
    ws = [w.astype("float64") for w in INITIAL]
    ms = [np.zeros_like(w) for w in ws]
    for step_grads in grads:
        for i, g in enumerate(step_grads):
            if momentum:
                ms[i] = momentum * ms[i] - lr * g
                ws[i] = ws[i] + (momentum * ms[i] - lr * g if nesterov else ms[i])
            else:
                ws[i] = ws[i] - lr * g
    return ws


def np_adam(grads, lr=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False):
    ws = [w.astype("float64") for w in INITIAL]
    ms = [np.zeros_like(w) for w in ws]
    us = [np.zeros_like(w) for w in ws]
    hats = [np.zeros_like(w) for w in ws]
    for t, step_grads in enumerate(grads, start=1):
        alpha = lr * np.sqrt(1 - beta_2 ** t) / (1 - beta_1 ** t)
        for i, g in enumerate(step_grads):
            ms[i] += (g - ms[i]) * (1 - beta_1)
            us[i] += (g * g - us[i]) * (1 - beta_2)
            u = us[i]
            if amsgrad:
                hats[i] = np.maximum(hats[i], us[i])
                u = hats[i]
            ws[i] = ws[i] - alpha * ms[i] / (np.sqrt(u) + epsilon)
    return ws


def np_rmsprop(grads, lr=0.001, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False):
    ws = [w.astype("float64") for w in INITIAL]
    vel = [np.zeros_like(w) for w in ws]
    avg = [np.zeros_like(w) for w in ws]
    mom = [np.zeros_like(w) for w in ws]
    for step_grads in grads:
        for i, g in enumerate(step_grads):
            vel[i] = rho * vel[i] + (1 - rho) * g * g
            if centered:
                avg[i] = rho * avg[i] + (1 - rho) * g
                denominator = vel[i] - avg[i] ** 2 + epsilon
            else:
                denominator = vel[i] + epsilon
            increment = lr * g / np.sqrt(denominator)
            if momentum > 0:
                mom[i] = momentum * mom[i] + increment
                ws[i] = ws[i] - mom[i]
            else:
                ws[i] = ws[i] - increment
    return ws


def assert_weights(got, want):
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-5, atol=1e-6)


CASES = [
    ("sgd", lambda: optimizers.SGD(0.1), lambda g: np_sgd(g, 0.1)),
    ("sgd_momentum", lambda: optimizers.SGD(0.1, momentum=0.9),
     lambda g: np_sgd(g, 0.1, momentum=0.9)),
    ("sgd_nesterov", lambda: optimizers.SGD(0.1, momentum=0.9, nesterov=True),
     lambda g: np_sgd(g, 0.1, momentum=0.9, nesterov=True)),
    ("adam", lambda: optimizers.Adam(0.05), lambda g: np_adam(g, 0.05)),
    ("adam_betas", lambda: optimizers.Adam(0.05, beta_1=0.5, beta_2=0.9, epsilon=1e-3),
     lambda g: np_adam(g, 0.05, beta_1=0.5, beta_2=0.9, epsilon=1e-3)),
    ("adam_amsgrad", lambda: optimizers.Adam(0.05, amsgrad=True),
     lambda g: np_adam(g, 0.05, amsgrad=True)),
    ("rmsprop", lambda: optimizers.RMSprop(0.01), lambda g: np_rmsprop(g, 0.01)),
    ("rmsprop_momentum", lambda: optimizers.RMSprop(0.01, momentum=0.5),
     lambda g: np_rmsprop(g, 0.01, momentum=0.5)),
    ("rmsprop_centered", lambda: optimizers.RMSprop(0.01, centered=True),
     lambda g: np_rmsprop(g, 0.01, centered=True)),
    ("rmsprop_centered_momentum", lambda: optimizers.RMSprop(0.01, rho=0.8, momentum=0.5,
                                                             centered=True),
     lambda g: np_rmsprop(g, 0.01, rho=0.8, momentum=0.5, centered=True)),
]


@pytest.mark.parametrize("make,reference", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_five_steps_match_numpy(make, reference):
    opt = make()
    assert_weights(run(opt), reference(GRADS))
    assert int(opt.iterations.numpy()) == 5


def test_default_learning_rates_are_keras_defaults():
    assert float(optimizers.SGD().learning_rate) == pytest.approx(0.01)
    assert float(optimizers.Adam().learning_rate) == pytest.approx(0.001)
    assert float(optimizers.RMSprop().learning_rate) == pytest.approx(0.001)
    assert_weights(run(optimizers.Adam()), np_adam(GRADS))


def test_slots_and_variables():
    opt = optimizers.Adam(amsgrad=True)
    variables = make_variables()
    opt.build(variables)
    # iterations, learning rate, then momentum/velocity/velocity_hat per variable.
    assert len(opt.variables) == 2 + 3 * len(variables)
    assert [tuple(v.shape) for v in opt.momentums] == SHAPES
    assert opt.iterations.dtype == "int32"
    assert optimizers.SGD().built is False
    sgd = optimizers.SGD()
    sgd.build(variables)
    assert sgd.momentums == []  # no momentum, no slots


def test_iterations_count_and_apply_gradients():
    opt = optimizers.SGD(0.1)
    variables = make_variables()
    for k in range(3):
        returned = opt.apply_gradients(zip(GRADS[k], variables))
        assert int(returned.numpy()) == k + 1
    assert int(opt.iterations.numpy()) == 3
    # Once built, apply(grads) alone updates the variables it was built on.
    opt.apply(GRADS[3])
    opt.apply(GRADS[4])
    assert int(opt.iterations.numpy()) == 5
    assert_weights([v.numpy() for v in variables], np_sgd(GRADS, 0.1))


def test_apply_without_variables_before_build():
    with pytest.raises(ValueError, match=r"call `build\(variables\)` first"):
        optimizers.SGD().apply(GRADS[0])


def test_apply_count_mismatch():
    with pytest.raises(ValueError, match="received 2 gradients for 3 variables"):
        optimizers.SGD().apply(GRADS[0][:2], make_variables())


def test_subset_of_variables_uses_their_own_slots():
    """After build on [a, b, c], updating [c, a] must read and write c's and a's slots."""
    opt = optimizers.Adam(0.05)
    variables = make_variables()
    opt.build(variables)
    subset = [variables[2], variables[0]]
    for step_grads in GRADS:
        opt.apply([step_grads[2], step_grads[0]], subset)
    want = np_adam(GRADS, 0.05)
    np.testing.assert_allclose(variables[0].numpy(), want[0], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(variables[2].numpy(), want[2], rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(variables[1].numpy(), INITIAL[1])
    np.testing.assert_array_equal(opt.momentums[1].numpy(), np.zeros(SHAPES[1]))


def test_unknown_variable_is_refused():
    opt = optimizers.SGD(0.1, momentum=0.9)
    variables = make_variables()
    opt.build(variables[:2])
    with pytest.raises(ValueError, match="Unknown variable.*originally built with"):
        opt.apply(GRADS[0], variables)


def test_none_gradients_are_skipped_with_a_warning():
    opt = optimizers.SGD(0.1)
    variables = make_variables()
    with pytest.warns(UserWarning, match="Gradients do not exist for variables"):
        opt.apply([GRADS[0][0], None, GRADS[0][2]], variables)
    np.testing.assert_array_equal(variables[1].numpy(), INITIAL[1])
    np.testing.assert_allclose(variables[0].numpy(), INITIAL[0] - 0.1 * GRADS[0][0], rtol=1e-6)
    with pytest.raises(ValueError, match="No gradients provided for any variable"):
        opt.apply([None, None, None], variables)


# ---- clipping, weight decay, constraints ----

def np_clipnorm(g, c):
    return g * c / max(np.sqrt((g.astype("float64") ** 2).sum()), c)


def test_clipnorm():
    grads = [[g * 10 for g in step] for step in GRADS]
    clipped = [[np_clipnorm(g, 1.0) for g in step] for step in grads]
    assert_weights(run(optimizers.SGD(0.1, clipnorm=1.0), grads), np_sgd(clipped, 0.1))


def test_clipnorm_leaves_small_gradients():
    grads = [[g * 1e-3 for g in step] for step in GRADS]
    assert_weights(run(optimizers.SGD(0.1, clipnorm=1.0), grads), np_sgd(grads, 0.1))


def test_global_clipnorm():
    grads = [[g * 10 for g in step] for step in GRADS]
    clipped = []
    for step in grads:
        norm = np.sqrt(sum((g.astype("float64") ** 2).sum() for g in step))
        clipped.append([g * min(1.0, 2.0 / norm) for g in step])
    assert_weights(run(optimizers.Adam(0.05, global_clipnorm=2.0), grads),
                   np_adam(clipped, 0.05))


def test_clipvalue():
    clipped = [[np.clip(g, -0.5, 0.5) for g in step] for step in GRADS]
    assert_weights(run(optimizers.RMSprop(0.01, clipvalue=0.5)), np_rmsprop(clipped, 0.01))


def test_zero_clip_values_mean_no_clipping():
    assert_weights(run(optimizers.SGD(0.1, clipnorm=0.0)), np_sgd(GRADS, 0.1))


def test_weight_decay_applies_before_the_update():
    ws = [w.astype("float64") for w in INITIAL]
    for step in GRADS:
        ws = [w - w * 0.1 * 0.05 - 0.05 * g for w, g in zip(ws, step)]
    assert_weights(run(optimizers.SGD(0.05, weight_decay=0.1)), ws)


def test_loss_scale_factor_divides_gradients():
    scaled = [[g * 4 for g in step] for step in GRADS]
    assert_weights(run(optimizers.SGD(0.1, loss_scale_factor=4.0), scaled), np_sgd(GRADS, 0.1))


def test_variable_constraint_after_update():
    variables = make_variables()
    variables[0].constraint = lambda w: ops.clip(w, -0.1, 0.1)
    optimizers.SGD(0.1).apply(GRADS[0], variables)
    np.testing.assert_allclose(variables[0].numpy(),
                               np.clip(INITIAL[0] - 0.1 * GRADS[0][0], -0.1, 0.1), rtol=1e-6)


# ---- learning rates ----

def test_learning_rate_schedule_of_iterations():
    def schedule(step):
        return 0.1 * ops.power(0.5, ops.cast(step, "float32"))

    got = run(optimizers.SGD(learning_rate=schedule))
    ws = [w.astype("float64") for w in INITIAL]
    for t, step in enumerate(GRADS):
        ws = [w - 0.1 * 0.5 ** t * g for w, g in zip(ws, step)]
    assert_weights(got, ws)


def test_learning_rate_callable_without_arguments():
    assert_weights(run(optimizers.Adam(learning_rate=lambda: 0.05)), np_adam(GRADS, 0.05))


def test_learning_rate_setter_and_schedule_refusal():
    opt = optimizers.SGD(0.1)
    assert isinstance(opt.learning_rate, kfront.Variable)  # as in Keras
    assert opt.learning_rate in opt.variables
    opt.learning_rate = 0.5
    assert float(opt.learning_rate) == pytest.approx(0.5)
    assert float(opt.lr) == pytest.approx(0.5)
    opt.learning_rate.assign(0.25)
    assert float(ops.convert_to_numpy(opt.learning_rate)) == pytest.approx(0.25)
    assert_weights(run(opt), np_sgd(GRADS, 0.25))
    scheduled = optimizers.SGD(lambda step: 0.1)
    with pytest.raises(TypeError, match="schedule"):
        scheduled.learning_rate = 0.2


def test_lr_alias_warns_and_is_used():
    with pytest.warns(DeprecationWarning, match="`lr` argument is deprecated"):
        opt = optimizers.SGD(lr=0.1)
    assert float(opt.learning_rate) == pytest.approx(0.1)
    assert_weights(run(opt), np_sgd(GRADS, 0.1))


def test_decay_argument_warns():
    with pytest.warns(UserWarning, match="`decay` argument is no longer supported"):
        optimizers.Adam(decay=0.1)


# ---- invalid arguments ----

@pytest.mark.parametrize("kwargs,error,match", [
    ({"learning_rate": -0.1}, ValueError, "`learning_rate` must be a non-negative number"),
    ({"learning_rate": "fast"}, ValueError, "`learning_rate` must be a non-negative number"),
    ({"clipnorm": -1.0}, ValueError, "`clipnorm` must be a number >= 0"),
    ({"clipnorm": 1.0, "clipvalue": 1.0}, ValueError, "only one of `clipnorm`, `clipvalue`"),
    ({"weight_decay": -1.0}, ValueError, "`weight_decay` must be a number >= 0"),
    ({"betta_1": 0.9}, ValueError, r"argument\(s\) not recognized: \['betta_1'\]"),
    ({"use_ema": True, "ema_momentum": 1.5}, ValueError, r"`ema_momentum` must be in the range"),
    ({"use_ema": True, "ema_overwrite_frequency": 0}, ValueError,
     "`ema_overwrite_frequency` must be an integer >= 1"),
    ({"gradient_accumulation_steps": 1}, ValueError,
     "`gradient_accumulation_steps` must be an integer >= 2"),
    ({"loss_scale_factor": 0.0}, ValueError, "`loss_scale_factor` must be a number > 0"),
    ({"clipvalue": -0.5}, ValueError, "`clipvalue` must be a number >= 0"),
    ({"global_clipnorm": -2}, ValueError, "`global_clipnorm` must be a number >= 0"),
])
def test_invalid_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        optimizers.Adam(**kwargs)


@pytest.mark.parametrize("momentum", [-0.1, 1.5, "high"])
def test_sgd_momentum_range(momentum):
    with pytest.raises(ValueError, match=r"`momentum` must be a float in \[0, 1\]"):
        optimizers.SGD(momentum=momentum)


# ---- lookup and config ----

@pytest.mark.parametrize("name,cls", [("sgd", optimizers.SGD), ("SGD", optimizers.SGD),
                                      ("adam", optimizers.Adam), ("Adam", optimizers.Adam),
                                      ("rmsprop", optimizers.RMSprop),
                                      ("RMSprop", optimizers.RMSprop)])
def test_get_by_name(name, cls):
    opt = optimizers.get(name)
    assert type(opt) is cls
    assert optimizers.get(name) is not opt  # a fresh optimizer each time


def test_get_passes_instances_and_classes():
    opt = optimizers.Adam(0.3)
    assert optimizers.get(opt) is opt
    assert type(optimizers.get(optimizers.RMSprop)) is optimizers.RMSprop


def test_get_unknown_name():
    with pytest.raises(ValueError, match=r"Unknown optimizer: 'adamm'.*Did you mean"):
        optimizers.get("adamm")
    with pytest.raises(ValueError, match="Could not interpret optimizer identifier"):
        optimizers.get(42)


def test_config_round_trip():
    opt = optimizers.RMSprop(0.02, rho=0.8, momentum=0.3, centered=True, clipvalue=0.5,
                             name="my_rms")
    config = optimizers.serialize(opt)
    assert config["class_name"] == "RMSprop"
    assert config["config"]["learning_rate"] == pytest.approx(0.02)
    clone = optimizers.deserialize(config)
    assert type(clone) is optimizers.RMSprop
    assert (clone.rho, clone.momentum, clone.centered, clone.clipvalue, clone.name) == \
        (0.8, 0.3, True, 0.5, "my_rms")
    assert_weights(run(clone), run(optimizers.RMSprop(0.02, rho=0.8, momentum=0.3,
                                                      centered=True, clipvalue=0.5)))


def test_default_names():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert optimizers.SGD().name == "SGD"
        assert optimizers.Adam().name == "adam"
        assert optimizers.RMSprop().name == "rmsprop"
