"""Learning-rate schedules against their formulas in NumPy, at several steps."""
import math

import numpy as np
import pytest

from kfront import ops, optimizers
from kfront.optimizers import schedules

STEPS = [0, 1, 2, 3, 5, 7, 10, 13, 25]


def values(schedule):
    return np.array([float(ops.convert_to_numpy(schedule(ops.convert_to_tensor(s, "int32"))))
                     for s in STEPS])


def np_cosine(fraction, alpha):
    return (1 - alpha) * 0.5 * (1 + np.cos(np.pi * fraction)) + alpha


def np_restarts(step, initial, first, t_mul, m_mul, alpha):
    # Walk the periods one by one (the closed form in the schedule must agree).
    period, start, peak = first, 0.0, 1.0
    while step >= start + period:
        start += period
        period *= t_mul
        peak *= m_mul
    return initial * ((1 - alpha) * 0.5 * peak * (1 + math.cos(math.pi * (step - start)
                                                                / period)) + alpha)


def np_piecewise(step, boundaries, vals):
    for b, v in zip(boundaries, vals):
        if step <= b:
            return v
    return vals[-1]


CASES = [
    ("exponential", schedules.ExponentialDecay(0.1, 4, 0.5),
     lambda s: 0.1 * 0.5 ** (s / 4)),
    ("exponential_staircase", schedules.ExponentialDecay(0.1, 4, 0.5, staircase=True),
     lambda s: 0.1 * 0.5 ** (s // 4)),
    ("inverse_time", schedules.InverseTimeDecay(0.2, 3, 0.5),
     lambda s: 0.2 / (1 + 0.5 * s / 3)),
    ("inverse_time_staircase", schedules.InverseTimeDecay(0.2, 3, 0.5, staircase=True),
     lambda s: 0.2 / (1 + 0.5 * (s // 3))),
    ("polynomial", schedules.PolynomialDecay(0.1, 10, end_learning_rate=0.01, power=2.0),
     lambda s: (0.1 - 0.01) * (1 - min(s, 10) / 10) ** 2 + 0.01),
    ("polynomial_cycle", schedules.PolynomialDecay(0.1, 4, cycle=True),
     lambda s: (0.1 - 1e-4) * (1 - s / (4 * max(1, math.ceil(s / 4)))) + 1e-4),
    ("piecewise", schedules.PiecewiseConstantDecay([2, 7, 12], [1.0, 0.5, 0.1, 0.01]),
     lambda s: np_piecewise(s, [2, 7, 12], [1.0, 0.5, 0.1, 0.01])),
    ("cosine", schedules.CosineDecay(0.1, 10, alpha=0.2),
     lambda s: 0.1 * np_cosine(min(s, 10) / 10, 0.2)),
    ("cosine_warmup", schedules.CosineDecay(0.0, 10, warmup_target=0.3, warmup_steps=5),
     lambda s: 0.3 * s / 5 if s < 5 else 0.3 * np_cosine((min(s, 15) - 5) / 10, 0.0)),
    ("cosine_restarts", schedules.CosineDecayRestarts(0.1, 3, t_mul=2.0, m_mul=0.5,
                                                      alpha=0.1),
     lambda s: np_restarts(s, 0.1, 3, 2.0, 0.5, 0.1)),
    ("cosine_restarts_constant", schedules.CosineDecayRestarts(0.1, 4, t_mul=1.0),
     lambda s: np_restarts(s, 0.1, 4, 1.0, 1.0, 0.0)),
]


@pytest.mark.parametrize("schedule,formula", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_schedule_values(schedule, formula):
    np.testing.assert_allclose(values(schedule), [formula(s) for s in STEPS], rtol=1e-5,
                               atol=1e-7)


@pytest.mark.parametrize("schedule", [c[1] for c in CASES], ids=[c[0] for c in CASES])
def test_serialize_round_trip(schedule):
    config = schedules.serialize(schedule)
    assert config["class_name"] == type(schedule).__name__
    clone = schedules.deserialize(config)
    assert type(clone) is type(schedule)
    assert clone.get_config() == schedule.get_config()
    np.testing.assert_array_equal(values(clone), values(schedule))


def test_keras_config_keys():
    assert schedules.CosineDecayRestarts(0.1, 3).get_config() == {
        "initial_learning_rate": 0.1, "first_decay_steps": 3, "t_mul": 2.0, "m_mul": 1.0,
        "alpha": 0.0, "name": "SGDRDecay"}
    assert schedules.PiecewiseConstantDecay([1], [1.0, 0.5]).get_config()["name"] == \
        "PiecewiseConstant"


def test_optimizer_reads_the_current_rate():
    opt = optimizers.SGD(schedules.PiecewiseConstantDecay([1], [0.5, 0.25]))
    assert float(opt.learning_rate) == 0.5
    opt.iterations.assign(2)
    assert float(opt.learning_rate) == 0.25


def test_custom_schedule_subclass():
    class Halving(schedules.LearningRateSchedule):
        def __call__(self, step):
            return 0.1 * ops.power(0.5, ops.cast(step, "float32"))

    assert float(ops.convert_to_numpy(Halving()(3))) == pytest.approx(0.0125)
    with pytest.raises(NotImplementedError, match="must override `get_config"):
        Halving().get_config()
    with pytest.raises(NotImplementedError, match=r"must override `__call__"):
        schedules.LearningRateSchedule()(1)


@pytest.mark.parametrize("make,match", [
    (lambda: schedules.ExponentialDecay(0.1, 0, 0.5), "`decay_steps` must be > 0"),
    (lambda: schedules.InverseTimeDecay(0.1, -2, 0.5), "`decay_steps` must be > 0"),
    (lambda: schedules.PolynomialDecay(0.1, 0), "`decay_steps` must be > 0"),
    (lambda: schedules.CosineDecay(0.1, 0), "`decay_steps` must be > 0"),
    (lambda: schedules.CosineDecay(0.1, 5, warmup_steps=-1), "`warmup_steps` must be >= 0"),
    (lambda: schedules.CosineDecayRestarts(0.1, 0), "`first_decay_steps` must be > 0"),
    (lambda: schedules.CosineDecayRestarts(0.1, 3, t_mul=0.0), "`t_mul` must be > 0"),
    (lambda: schedules.PiecewiseConstantDecay([1, 2], [1.0, 0.5]),
     "length of boundaries should be 1 less"),
    (lambda: schedules.PiecewiseConstantDecay([3, 2], [1.0, 0.5, 0.1]),
     "must be strictly increasing"),
])
def test_invalid_arguments(make, match):
    with pytest.raises(ValueError, match=match):
        make()
