"""Every optimizer's update rule against its NumPy version (optimizer_references.py), for
several steps, with the variants each rule has (weight decay, clipping, amsgrad, ...)."""
import numpy as np
import pytest
from optimizer_references import reference

import kfront
from kfront import optimizers

RNG = np.random.default_rng(11)
SHAPES = [(3, 4), (4,), (2, 1, 3)]
INITIAL = [RNG.normal(size=s).astype("float32") for s in SHAPES]
GRADS = [[RNG.normal(size=s).astype("float32") for s in SHAPES] for _ in range(6)]

# (case id, class name, reference name, keyword arguments shared by both)
CASES = [
    ("adamw", "AdamW", "adamw", {"learning_rate": 0.05}),
    ("adamw_amsgrad", "AdamW", "adamw", {"learning_rate": 0.05, "weight_decay": 0.1,
                                         "amsgrad": True}),
    ("adagrad", "Adagrad", "adagrad", {"learning_rate": 0.1}),
    ("adagrad_initial", "Adagrad", "adagrad", {"learning_rate": 0.1,
                                               "initial_accumulator_value": 0.5,
                                               "epsilon": 1e-3}),
    ("adadelta", "Adadelta", "adadelta", {"learning_rate": 1.0}),
    ("adadelta_rho", "Adadelta", "adadelta", {"learning_rate": 0.5, "rho": 0.8,
                                              "epsilon": 1e-4}),
    ("adamax", "Adamax", "adamax", {"learning_rate": 0.05}),
    ("adamax_betas", "Adamax", "adamax", {"learning_rate": 0.05, "beta_1": 0.5,
                                          "beta_2": 0.9}),
    ("nadam", "Nadam", "nadam", {"learning_rate": 0.05}),
    ("nadam_betas", "Nadam", "nadam", {"learning_rate": 0.05, "beta_1": 0.8,
                                       "beta_2": 0.95, "epsilon": 1e-4}),
    ("ftrl", "Ftrl", "ftrl", {"learning_rate": 0.1}),
    ("ftrl_regularized", "Ftrl", "ftrl", {
        "learning_rate": 0.1, "learning_rate_power": -0.7, "initial_accumulator_value": 0.2,
        "l1_regularization_strength": 0.01, "l2_regularization_strength": 0.02,
        "l2_shrinkage_regularization_strength": 0.03, "beta": 0.5}),
    ("lion", "Lion", "lion", {"learning_rate": 0.01}),
    ("lion_betas", "Lion", "lion", {"learning_rate": 0.01, "beta_1": 0.5, "beta_2": 0.9}),
    ("lamb", "Lamb", "lamb", {"learning_rate": 0.05}),
    ("lamb_betas", "Lamb", "lamb", {"learning_rate": 0.05, "beta_1": 0.7, "beta_2": 0.9}),
    # The base-class features around every rule.
    ("adagrad_weight_decay", "Adagrad", "adagrad", {"learning_rate": 0.1,
                                                    "weight_decay": 0.05}),
    ("nadam_clipnorm", "Nadam", "nadam", {"learning_rate": 0.05, "clipnorm": 0.5}),
    ("lamb_global_clipnorm", "Lamb", "lamb", {"learning_rate": 0.05,
                                              "global_clipnorm": 1.0}),
    ("lion_clipvalue_decay", "Lion", "lion", {"learning_rate": 0.01, "clipvalue": 0.3,
                                              "weight_decay": 0.1}),
    ("adamax_clipnorm_decay", "Adamax", "adamax", {"learning_rate": 0.05, "clipnorm": 1.0,
                                                   "weight_decay": 0.02}),
    ("adadelta_clipvalue", "Adadelta", "adadelta", {"learning_rate": 1.0, "clipvalue": 0.2}),
    ("ftrl_global_clipnorm", "Ftrl", "ftrl", {"learning_rate": 0.1, "global_clipnorm": 0.8}),
    ("adam_amsgrad_decay", "Adam", "adam", {"learning_rate": 0.05, "amsgrad": True,
                                            "weight_decay": 0.01}),
    ("sgd_nesterov_clip", "SGD", "sgd", {"learning_rate": 0.1, "momentum": 0.9,
                                         "nesterov": True, "clipnorm": 1.0}),
    ("rmsprop_centered_decay", "RMSprop", "rmsprop", {"learning_rate": 0.01,
                                                      "centered": True, "momentum": 0.5,
                                                      "weight_decay": 0.1}),
]


def run(opt, grads=GRADS):
    variables = [kfront.Variable(w.copy()) for w in INITIAL]
    for step in grads:
        opt.apply(step, variables)
    return [v.numpy() for v in variables]


def assert_close(got, want):
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=2e-5, atol=2e-6)


@pytest.mark.parametrize("cls_name,ref_name,kwargs", [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_rule_matches_numpy(cls_name, ref_name, kwargs):
    opt = getattr(optimizers, cls_name)(**kwargs)
    got = run(opt)
    lr = kwargs.get("learning_rate")
    hyper = {k: v for k, v in kwargs.items() if k != "learning_rate"}
    assert_close(got, reference(ref_name, INITIAL, GRADS, lr=lr, **hyper))
    assert int(opt.iterations.numpy()) == len(GRADS)
    assert not np.allclose(got[0], INITIAL[0])


@pytest.mark.parametrize("cls_name,ref_name", [
    ("AdamW", "adamw"), ("Adagrad", "adagrad"), ("Adadelta", "adadelta"), ("Adamax", "adamax"),
    ("Nadam", "nadam"), ("Ftrl", "ftrl"), ("Lion", "lion"), ("Lamb", "lamb")])
def test_defaults_match_keras(cls_name, ref_name):
    """Default hyperparameters (learning rate 0.001 everywhere) give Keras 3's numbers."""
    grads = [[g * 50 for g in step] for step in GRADS[:3]]
    got = run(getattr(optimizers, cls_name)(), grads)
    assert_close(got, reference(ref_name, INITIAL, grads))


def test_lamb_zero_weights_take_plain_steps():
    """A zero weight norm makes the trust ratio 1 instead of 0 (the weight still moves)."""
    variables = [kfront.Variable(np.zeros(3, "float32"))]
    optimizers.Lamb(0.1).apply([np.array([1.0, -2.0, 3.0], "float32")], variables)
    want = reference("lamb", [np.zeros(3)], [[np.array([1.0, -2.0, 3.0])]], lr=0.1)
    # 1 - beta_1 cancels: float32 keeps about 5 digits of the step here.
    np.testing.assert_allclose(variables[0].numpy(), want[0], rtol=2e-5)
    assert np.all(variables[0].numpy() != 0)


def test_nadam_running_product_is_optimizer_state():
    opt = optimizers.Nadam(0.05)
    run(opt)
    want = np.prod([0.9 * (1 - 0.5 * 0.96 ** k) for k in range(1, len(GRADS) + 1)])
    assert float(opt.u_product.numpy()) == pytest.approx(want, rel=1e-6)
    assert opt.u_product in opt.variables


def test_subset_update_uses_each_variables_slots():
    opt = optimizers.Adamax(0.05)
    variables = [kfront.Variable(w.copy()) for w in INITIAL]
    opt.build(variables)
    for step in GRADS:
        opt.apply([step[2], step[0]], [variables[2], variables[0]])
    want = reference("adamax", INITIAL, GRADS, lr=0.05)
    np.testing.assert_allclose(variables[2].numpy(), want[2], rtol=2e-5, atol=2e-6)
    np.testing.assert_array_equal(variables[1].numpy(), INITIAL[1])


@pytest.mark.parametrize("cls_name,kwargs,match", [
    ("AdamW", {"weight_decay": None}, "`weight_decay` must be a float"),
    ("Lion", {"beta_1": 0.0}, r"`beta_1` must be in the \(0, 1\] range"),
    ("Lion", {"beta_2": 1.5}, r"`beta_2` must be a number in \[0, 1\]"),
    ("Adagrad", {"initial_accumulator_value": -1.0}, "`initial_accumulator_value` must be"),
    ("Adadelta", {"rho": 2.0}, r"`rho` must be a number in \[0, 1\]"),
    ("Adamax", {"beta_1": -0.1}, r"`beta_1` must be a number in \[0, 1\]"),
    ("Nadam", {"beta_2": "high"}, r"`beta_2` must be a number in \[0, 1\]"),
    ("Lamb", {"beta_1": 1.1}, r"`beta_1` must be a number in \[0, 1\]"),
    ("Ftrl", {"learning_rate_power": 0.5}, "`learning_rate_power` needs to be negative or"),
    ("Ftrl", {"l1_regularization_strength": -1.0}, "`l1_regularization_strength` needs to"),
    ("Ftrl", {"initial_accumulator_value": -0.1}, "`initial_accumulator_value` needs to"),
])
def test_invalid_hyperparameters(cls_name, kwargs, match):
    with pytest.raises(ValueError, match=match):
        getattr(optimizers, cls_name)(**kwargs)
