"""The adapters' fused optimizer kernels (torch ``_foreach`` updates, TensorFlow's training
kernel) give the weights of the generic rules: exactly, or within the tolerance the kernel's
arithmetic allows (``TOLERANCE``)."""
import numpy as np
import pytest

import kfront
from kfront import optimizers
from kfront.optimizers import optimizer as optimizer_module

# The kernels each adapter registers; JAX needs none (XLA fuses the generic rule).
EXPECTED = {"torch": {"sgd", "adam", "rmsprop", "adagrad", "lion"},
            "tensorflow": {"adam"}}
BACKEND = kfront.backend.backend()
pytestmark = pytest.mark.skipif(BACKEND not in EXPECTED,
                                reason="this backend has no fused optimizer kernels")

RNG = np.random.default_rng(1)
SHAPES = [(5, 3), (3,), (2, 2, 4)]
INITIAL = [RNG.normal(size=s).astype("float32") for s in SHAPES]
GRADS = [[RNG.normal(size=s).astype("float32") for s in SHAPES] for _ in range(5)]
NAMES = ["kernel", "bias", "kernel"]
# How close each kernel is to its generic rule (exact where not listed): torch's adam
# regroups the arithmetic (in-place lerp/addcmul/addcdiv, as torch.optim does), a few
# float32 ulps; TensorFlow's ResourceApplyAdam computes 1 - beta in float32, not double,
# which moves the second moment by ~1e-5 relative.
TOLERANCE = {("torch", "adam"): {"rtol": 1e-6, "atol": 1e-7},
             ("tensorflow", "adam"): {"rtol": 1e-4, "atol": 1e-7}}


def assert_matches(kernel, fused, generic):
    tolerance = TOLERANCE.get((BACKEND, kernel))
    if tolerance is None:
        np.testing.assert_array_equal(fused, generic)
    else:
        np.testing.assert_allclose(fused, generic, **tolerance)

CONFIGS = {
    "sgd": lambda: optimizers.SGD(0.1),
    "sgd_momentum": lambda: optimizers.SGD(0.1, momentum=0.9),
    "sgd_nesterov": lambda: optimizers.SGD(0.1, momentum=0.9, nesterov=True),
    "adam": lambda: optimizers.Adam(0.05),
    "adam_amsgrad": lambda: optimizers.Adam(0.05, amsgrad=True),
    "rmsprop": lambda: optimizers.RMSprop(0.01),
    "rmsprop_momentum": lambda: optimizers.RMSprop(0.01, momentum=0.5),
    "rmsprop_centered": lambda: optimizers.RMSprop(0.01, centered=True, momentum=0.3),
    "adam_weight_decay_clip": lambda: optimizers.Adam(0.05, weight_decay=0.01, clipnorm=1.0),
    "sgd_schedule": lambda: optimizers.SGD(_decay(0.1), momentum=0.5),
    "adamw_excluded": lambda: _excluding_bias(optimizers.AdamW(0.05, weight_decay=0.1)),
    "adam_accumulation_ema": lambda: optimizers.Adam(0.05, gradient_accumulation_steps=2,
                                                     use_ema=True),
    "rmsprop_loss_scale_factor": lambda: optimizers.RMSprop(0.01, loss_scale_factor=4.0),
    "adagrad": lambda: optimizers.Adagrad(0.1, initial_accumulator_value=0.2),
    "adagrad_schedule_decay": lambda: optimizers.Adagrad(_decay(0.1), weight_decay=0.01),
    "lion": lambda: optimizers.Lion(0.01),
    "lion_betas_clip": lambda: optimizers.Lion(0.01, beta_1=0.5, beta_2=0.9, clipnorm=1.0),
}


def _decay(lr):
    return lambda step: lr / (1.0 + kfront.ops.cast(step, "float32"))


def _excluding_bias(opt):
    opt.exclude_from_weight_decay(var_names=["bias"])
    return opt


def run(opt):
    variables = [kfront.Variable(w.copy(), name=n) for w, n in zip(INITIAL, NAMES)]
    for step_grads in GRADS:
        opt.apply(step_grads, variables)
    slots = [s.numpy() for s in opt.variables]
    return [v.numpy() for v in variables], slots


@pytest.fixture
def calls(monkeypatch):
    """Counts the calls of every fused kernel."""
    counts = {}
    kernels = dict(optimizer_module._KERNELS)
    for key, fn in kernels.items():
        def spy(*args, _fn=fn, _key=key):
            counts[_key] = counts.get(_key, 0) + 1
            return _fn(*args)
        kernels[key] = spy
    monkeypatch.setattr(optimizer_module, "_KERNELS", kernels)
    return counts


def test_kernels_are_registered():
    from kfront.backend.loader import adapter
    assert set(adapter().optimizer_kernels) == EXPECTED[BACKEND]
    assert set(optimizer_module._KERNELS) == EXPECTED[BACKEND]


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_fused_equals_generic(name, calls, monkeypatch):
    if CONFIGS[name]()._kernel_key not in EXPECTED[BACKEND]:
        pytest.skip(f"no {BACKEND} kernel for {name}")
    fused_weights, fused_slots = run(CONFIGS[name]())
    assert sum(calls.values()) == len(GRADS)
    monkeypatch.setattr(optimizer_module, "_KERNELS", {})
    generic_weights, generic_slots = run(CONFIGS[name]())
    assert len(fused_slots) == len(generic_slots)
    (kernel,) = calls
    for a, b in zip(fused_weights + fused_slots, generic_weights + generic_slots):
        assert_matches(kernel, a, b)
    assert not np.allclose(fused_weights[0], INITIAL[0])


def test_subclass_with_its_own_rule_gets_no_kernel(calls):
    class SignSGD(optimizers.SGD):
        def update(self, grads, variables, lr):
            for g, v in zip(grads, variables):
                v.assign(v.value - lr * kfront.ops.sign(g))

    weights, _ = run(SignSGD(0.1))
    assert calls == {}
    want = INITIAL[0] - 0.1 * sum(np.sign(g[0]) for g in GRADS)
    np.testing.assert_allclose(weights[0], want, rtol=1e-6)


def test_subset_of_variables(calls, monkeypatch):
    def run_subset():
        opt = optimizers.Adam(0.05)
        variables = [kfront.Variable(w.copy()) for w in INITIAL]
        opt.build(variables)
        for step_grads in GRADS:
            opt.apply([step_grads[2], step_grads[0]], [variables[2], variables[0]])
        return [v.numpy() for v in variables]

    fused = run_subset()
    assert calls == {"adam": len(GRADS)}
    monkeypatch.setattr(optimizer_module, "_KERNELS", {})
    for a, b in zip(fused, run_subset()):
        assert_matches("adam", a, b)
    np.testing.assert_array_equal(fused[1], INITIAL[1])


@pytest.mark.skipif(BACKEND == "tensorflow", reason="the generic rules do not promote a "
                    "float32 learning rate against float64 variables on TensorFlow")
def test_mixed_dtypes_fall_back_to_the_generic_rule():
    opt = optimizers.SGD(0.5, momentum=0.5)
    variables = [kfront.Variable(np.ones(3, "float32")), kfront.Variable(np.ones(3, "float64"),
                                                                         dtype="float64")]
    opt.apply([np.ones(3, "float32"), np.ones(3, "float64")], variables)
    np.testing.assert_allclose(variables[0].numpy(), 0.5)
    np.testing.assert_allclose(variables[1].numpy(), 0.5)
    assert variables[1].numpy().dtype == np.float64


def test_fit_with_fused_and_generic_rules_is_identical(monkeypatch):
    x = RNG.normal(size=(64, 5)).astype("float32")
    y = (x.sum(-1, keepdims=True) > 0).astype("float32")

    def train():
        kfront.utils.set_random_seed(3)
        model = kfront.Sequential([kfront.layers.Dense(4, activation="relu", input_shape=(5,)),
                                   kfront.layers.Dense(1, activation="sigmoid")])
        model.compile(optimizer=optimizers.RMSprop(0.01, momentum=0.2, centered=True),
                      loss="binary_crossentropy")
        history = model.fit(x, y, batch_size=16, epochs=2, verbose=0, shuffle=False)
        return model.get_weights(), history.history["loss"]

    fused_weights, fused_loss = train()
    monkeypatch.setattr(optimizer_module, "_KERNELS", {})
    generic_weights, generic_loss = train()
    assert fused_loss == generic_loss
    for a, b in zip(fused_weights, generic_weights):
        np.testing.assert_array_equal(a, b)
