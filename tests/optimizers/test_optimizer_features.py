"""Base-class features of every optimizer: EMA, gradient accumulation, loss scale factor,
weight-decay exclusions, learning-rate schedules and their errors, lookup and configs."""
import warnings

import numpy as np
import pytest
from optimizer_references import reference

import kfront
from kfront import ops, optimizers
from kfront.optimizers import schedules

RNG = np.random.default_rng(5)
SHAPES = [(2, 3), (3,)]
INITIAL = [RNG.normal(size=s).astype("float32") for s in SHAPES]
GRADS = [[RNG.normal(size=s).astype("float32") for s in SHAPES] for _ in range(6)]


def make_variables():
    return [kfront.Variable(w.copy(), name=n) for w, n in zip(INITIAL, ("kernel", "bias"))]


def run(opt, grads=GRADS, variables=None):
    variables = variables or make_variables()
    for step in grads:
        opt.apply(step, variables)
    return variables


def assert_close(got, want, rtol=2e-5):
    for g, w in zip(got, want):
        np.testing.assert_allclose(np.asarray(g), w, rtol=rtol, atol=2e-6)


# ---- EMA ----

def np_ema(grads, lr, momentum, overwrite=None):
    """SGD weights and their averages after ``grads``, as Keras 3 computes them."""
    ws = [w.astype("float64") for w in INITIAL]
    averages = [w.copy() for w in ws]
    for t, step in enumerate(grads):
        ws = [w - lr * g for w, g in zip(ws, step)]
        m = momentum if t else 0.0  # the first step copies the weights
        averages = [m * a + (1 - m) * w for a, w in zip(averages, ws)]
        if overwrite and (t + 1) % overwrite == 0:
            ws = [a.copy() for a in averages]
    return ws, averages


def test_ema_tracks_the_weights():
    opt = optimizers.SGD(0.1, use_ema=True, ema_momentum=0.8)
    variables = run(opt)
    ws, averages = np_ema(GRADS, 0.1, 0.8)
    assert_close([v.numpy() for v in variables], ws)
    assert_close([a.numpy() for a in opt._averages], averages)
    assert all(a in opt.variables for a in opt._averages)


def test_ema_overwrite_frequency():
    opt = optimizers.SGD(0.1, use_ema=True, ema_momentum=0.5, ema_overwrite_frequency=4)
    variables = run(opt, GRADS[:5])
    ws, averages = np_ema(GRADS[:5], 0.1, 0.5, overwrite=4)
    assert_close([v.numpy() for v in variables], ws)
    assert_close([a.numpy() for a in opt._averages], averages)


def test_finalize_variable_values_writes_the_averages():
    opt = optimizers.SGD(0.1, use_ema=True, ema_momentum=0.8)
    variables = run(opt)
    opt.finalize_variable_values(variables)
    assert_close([v.numpy() for v in variables], np_ema(GRADS, 0.1, 0.8)[1])
    with pytest.raises(ValueError, match=r"length of model variables \(1\) to override"):
        opt.finalize_variable_values(variables[:1])
    plain = optimizers.SGD(0.1)
    variables = run(plain)
    before = [v.numpy() for v in variables]
    plain.finalize_variable_values(variables)  # no EMA: nothing changes
    assert_close([v.numpy() for v in variables], before, rtol=0)


# ---- gradient accumulation ----

def test_gradient_accumulation_updates_with_the_mean_every_n_steps():
    def lr(step):
        return 0.1 / (1.0 + ops.cast(step, "float32"))

    opt = optimizers.Adam(lr, gradient_accumulation_steps=3, clipnorm=1.0, weight_decay=0.1)
    variables = make_variables()
    for k, step in enumerate(GRADS):
        opt.apply(step, variables)
        if k == 1:  # mid-accumulation: weights untouched, gradients summed
            assert_close([v.numpy() for v in variables], INITIAL, rtol=0)
            assert_close([a.numpy() for a in opt._accumulators],
                         [GRADS[0][i].astype("float64") + GRADS[1][i] for i in range(2)])
    means = [[(GRADS[3 * u][i].astype("float64") + GRADS[3 * u + 1][i] + GRADS[3 * u + 2][i])
              / 3 for i in range(2)] for u in range(2)]
    # The schedule sees the raw iteration count of the updating call (2, then 5).
    want = reference("adam", INITIAL, means, lr=lambda u: 0.1 / (1.0 + 3 * u + 2),
                     clipnorm=1.0, weight_decay=0.1)
    assert_close([v.numpy() for v in variables], want)
    assert int(opt.iterations.numpy()) == 6
    assert_close([a.numpy() for a in opt._accumulators], [np.zeros(s) for s in SHAPES], rtol=0)


def test_gradient_accumulation_keeps_slots_between_updates():
    opt = optimizers.RMSprop(0.01, momentum=0.5, gradient_accumulation_steps=2)
    variables = run(opt, GRADS[:5])
    means = [[(GRADS[2 * u][i].astype("float64") + GRADS[2 * u + 1][i]) / 2
              for i in range(2)] for u in range(2)]
    assert_close([v.numpy() for v in variables],
                 reference("rmsprop", INITIAL, means, lr=0.01, momentum=0.5))
    assert_close([a.numpy() for a in opt._accumulators], GRADS[4])


# ---- loss scale factor ----

def test_scale_loss_and_unscaled_gradients():
    opt = optimizers.Lion(0.01, loss_scale_factor=8.0)
    assert float(ops.convert_to_numpy(opt.scale_loss(ops.convert_to_tensor(1.5)))) == 12.0
    assert optimizers.Lion().scale_loss(2.5) == 2.5
    scaled = [[g * 8.0 for g in step] for step in GRADS]
    assert_close([v.numpy() for v in run(opt, scaled)],
                 reference("lion", INITIAL, GRADS, lr=0.01))


# ---- weight decay exclusions ----

def test_exclude_from_weight_decay_by_name_and_by_variable():
    opt = optimizers.AdamW(0.05, weight_decay=0.5)
    opt.exclude_from_weight_decay(var_names=["bias"])
    got = [v.numpy() for v in run(opt)]
    want_decayed = reference("adamw", INITIAL, GRADS, lr=0.05, weight_decay=0.5)
    want_plain = reference("adam", INITIAL, GRADS, lr=0.05)
    assert_close([got[0]], [want_decayed[0]])
    assert_close([got[1]], [want_plain[1]])

    variables = make_variables()
    opt = optimizers.SGD(0.1, weight_decay=0.5)
    opt.exclude_from_weight_decay(var_list=[variables[0]])
    got = [v.numpy() for v in run(opt, variables=variables)]
    assert_close(got, reference("sgd", INITIAL, GRADS, lr=0.1, weight_decay=0.5,
                                decay_mask=[False, True]))


def test_exclude_from_weight_decay_errors():
    opt = optimizers.AdamW()
    opt.build(make_variables())
    with pytest.raises(ValueError, match=r"can only be configured before the optimizer is"):
        opt.exclude_from_weight_decay(var_names=["bias"])
    with pytest.raises(ValueError, match="must be a list of strings"):
        optimizers.AdamW().exclude_from_weight_decay(var_names="bias")
    with pytest.raises(ValueError, match="invalid regular expression"):
        optimizers.AdamW().exclude_from_weight_decay(var_names=["bias["])


# ---- learning rates ----

def test_schedule_object_drives_the_optimizer():
    schedule = schedules.ExponentialDecay(0.1, decay_steps=2, decay_rate=0.5)
    opt = optimizers.Adagrad(schedule)
    variables = run(opt)
    want = reference("adagrad", INITIAL, GRADS, lr=lambda t: 0.1 * 0.5 ** (t / 2))
    assert_close([v.numpy() for v in variables], want)
    # `learning_rate` reads the schedule at the current step (6).
    assert float(opt.learning_rate) == pytest.approx(0.1 * 0.5 ** 3, rel=1e-6)


def test_non_scalar_schedule_is_refused():
    opt = optimizers.SGD(lambda step: ops.ones((2,)) * 0.1)
    with pytest.raises(ValueError, match=r"must return a scalar.*shape \(2,\)"):
        run(opt)


@pytest.mark.parametrize("cls_name", ["Adagrad", "Nadam", "Lamb"])
def test_lr_alias_warns_on_new_optimizers(cls_name):
    with pytest.warns(DeprecationWarning, match="`lr` argument is deprecated"):
        opt = getattr(optimizers, cls_name)(lr=0.2)
    assert float(opt.learning_rate) == pytest.approx(0.2)


# ---- lookup and configs ----

NEW = ["AdamW", "Adagrad", "Adadelta", "Adamax", "Nadam", "Ftrl", "Lion", "Lamb"]


@pytest.mark.parametrize("cls_name", NEW)
def test_get_by_name_and_default_name(cls_name):
    cls = getattr(optimizers, cls_name)
    assert type(optimizers.get(cls_name.lower())) is cls
    assert type(optimizers.get(cls_name)) is cls
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert cls().name == cls_name.lower()


CONFIGS = {
    "AdamW": {"learning_rate": 0.02, "weight_decay": 0.1, "amsgrad": True},
    "Adagrad": {"initial_accumulator_value": 0.3, "epsilon": 1e-5},
    "Adadelta": {"rho": 0.7},
    "Adamax": {"beta_1": 0.8},
    "Nadam": {"beta_2": 0.9, "use_ema": True, "ema_momentum": 0.9},
    "Ftrl": {"l1_regularization_strength": 0.1, "beta": 0.2},
    "Lion": {"beta_1": 0.7, "gradient_accumulation_steps": 2},
    "Lamb": {"epsilon": 1e-4, "clipnorm": 0.5},
}


@pytest.mark.parametrize("cls_name", NEW)
def test_config_round_trip(cls_name):
    opt = getattr(optimizers, cls_name)(**CONFIGS[cls_name])
    config = optimizers.serialize(opt)
    assert config["class_name"] == cls_name
    for key, value in CONFIGS[cls_name].items():
        assert config["config"][key] == pytest.approx(value)  # lr: a float32 variable
    clone = optimizers.deserialize(config)
    assert type(clone) is type(opt)
    assert clone.get_config() == opt.get_config()
    assert_close([v.numpy() for v in run(clone)], [v.numpy() for v in run(opt)], rtol=1e-6)


def test_schedule_config_round_trip():
    opt = optimizers.Adam(schedules.CosineDecay(0.1, 10, alpha=0.1, warmup_target=0.2,
                                                warmup_steps=3))
    config = optimizers.serialize(opt)
    assert config["config"]["learning_rate"]["class_name"] == "CosineDecay"
    clone = optimizers.get(config)
    assert isinstance(clone._schedule, schedules.CosineDecay)
    assert clone._schedule.get_config() == opt._schedule.get_config()


def test_schedule_cannot_replace_a_number_after_construction():
    opt = optimizers.SGD(0.1)
    with pytest.raises(TypeError, match="schedule can only be given at construction"):
        opt.learning_rate = schedules.ExponentialDecay(0.1, 2, 0.5)
    assert float(opt.learning_rate) == pytest.approx(0.1)


def test_gradient_of_the_wrong_shape_is_refused():
    opt = optimizers.Adagrad()
    with pytest.raises(ValueError, match=r"gradient of variable 'bias' has shape \(4,\), "
                                         r"expected the variable's shape \(3,\)"):
        opt.apply([GRADS[0][0], np.ones(4, "float32")], make_variables())
