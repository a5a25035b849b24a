"""Adafactor, Muon, ScheduleFreeAdamW, MultiOptimizer and OptimizerMap: steps against
NumPy references written here and against Keras 3 (same weights and gradients), fit on
every backend, configs, saved state and argument errors."""
import numpy as np
import pytest

import kfront as keras
from keras_reference import keras_numbers
from kfront import ops, optimizers

RNG = np.random.default_rng(4)
SHAPES = {"w": (4, 3), "tall": (6, 2), "b": (3,), "embedding": (5, 2)}
INIT = {k: RNG.normal(size=s).astype("float32") for k, s in SHAPES.items()}
STEPS = 3
GRADS = [{k: RNG.normal(size=s).astype("float32") for k, s in SHAPES.items()}
         for _ in range(STEPS)]

CASES = {
    "adafactor": ("Adafactor", {"learning_rate": 0.05}),
    "adafactor_clip": ("Adafactor", {"learning_rate": 0.5, "clip_threshold": 0.5,
                                     "beta_2_decay": -0.5, "epsilon_2": 0.01}),
    "muon": ("Muon", {"learning_rate": 0.02}),
    "muon_plain": ("Muon", {"learning_rate": 0.05, "nesterov": False, "rms_rate": None,
                            "weight_decay": 0.1, "adam_weight_decay": 0.0,
                            "exclude_layers": ["tall"], "adam_lr_ratio": 0.5}),
    "sf_adamw": ("ScheduleFreeAdamW", {"learning_rate": 0.01}),
    "sf_adamw_warmup": ("ScheduleFreeAdamW", {"learning_rate": 0.05, "warmup_steps": 2,
                                              "beta_1": 0.8, "weight_decay": 0.01}),
}

KERAS_SCRIPT = """
cases = %r
names = %r
for case, (cls, kwargs) in cases.items():
    opt = getattr(keras.optimizers, cls)(**kwargs)
    variables = [keras.Variable(inp["init/" + n], name=n) for n in names]
    for t in range(%d):
        opt.apply([inp["g%%d/%%s" %% (t, n)] for n in names], variables)
    for n, v in zip(names, variables):
        out[case + "/" + n] = keras.ops.convert_to_numpy(v)
inner = {"w": keras.optimizers.Adam(0.01), "b": keras.optimizers.SGD(0.2, momentum=0.5)}
opt = keras.optimizers.MultiOptimizer(keras.optimizers.OptimizerMap(
    keras.optimizers.SGD(0.1), {"w": inner["w"], "b": inner["b"]}))
variables = [keras.Variable(inp["init/" + n], name=n) for n in names]
for t in range(%d):
    opt.apply([inp["g%%d/%%s" %% (t, n)] for n in names], variables)
for n, v in zip(names, variables):
    out["multi/" + n] = keras.ops.convert_to_numpy(v)
out["multi/iterations"] = keras.ops.convert_to_numpy(opt.iterations)
out["multi/n_variables"] = np.array(len(opt.variables))
""" % (CASES, list(SHAPES), STEPS, STEPS)


@pytest.fixture(scope="module")
def keras_ref():
    arrays = {f"init/{k}": v for k, v in INIT.items()}
    arrays.update({f"g{t}/{k}": v for t, g in enumerate(GRADS) for k, v in g.items()})
    out = keras_numbers(KERAS_SCRIPT, **arrays)
    # Keras 3.15's ScheduleFreeAdamW on TensorFlow reads the "old" fast iterate after
    # updating it (a variable read that aliases); on JAX it follows the paper's formula,
    # as kfront does on every engine, so that is the reference for it.
    jax_script = KERAS_SCRIPT.replace("for case, (cls, kwargs) in cases.items():",
                                      "for case, (cls, kwargs) in cases.items():\n"
                                      "    if not case.startswith('sf_'): continue")
    jax_out = keras_numbers(jax_script, keras_backend="jax", **arrays)
    out.update({k: v for k, v in jax_out.items() if k.startswith("sf_")})
    return out


# ---- NumPy references (float64, written from the formulas) ----

def _rms(x):
    return np.sqrt(np.mean(np.square(x)))


def np_adafactor(w, grads, learning_rate=0.001, beta_2_decay=-0.8, epsilon_1=1e-30,
                 epsilon_2=1e-3, clip_threshold=1.0):
    w = w.astype("float64")
    r = c = v = None
    for t, g in enumerate(grads, start=1):
        g = g.astype("float64")
        rho = min(learning_rate, 1 / np.sqrt(t))
        alpha = max(epsilon_2, _rms(w)) * rho
        sq = g * g + epsilon_1
        beta = 1 - t ** beta_2_decay
        if w.ndim >= 2:
            r = beta * (0 if r is None else r) + (1 - beta) * sq.mean(-1)
            c = beta * (0 if c is None else c) + (1 - beta) * sq.mean(-2)
            v = (r / r.mean(-1, keepdims=True))[..., None] * c[..., None, :]
        else:
            v = beta * (0 if v is None else v) + (1 - beta) * sq
        u = g / np.sqrt(v)
        w = w - alpha * u / max(1.0, _rms(u) / clip_threshold)
    return w


def _newton_schulz(x, steps=5, a=3.4445, b=-4.775, c=2.0315):
    tall = x.shape[0] > x.shape[1]
    x = x.T if tall else x
    x = x / (np.linalg.norm(x) + 1e-7)
    for _ in range(steps):
        gram = x @ x.T
        x = a * x + (b * gram + c * gram @ gram) @ x
    return x.T if tall else x


def np_muon(name, w, grads, learning_rate=0.001, adam_beta_1=0.9, adam_beta_2=0.999,
            adam_weight_decay=0.004, epsilon=1e-7, weight_decay=0.004, exclude_layers=(),
            adam_lr_ratio=1, momentum=0.95, nesterov=True, rms_rate=0.2):
    w = w.astype("float64")
    adam = w.ndim != 2 or "embedding" in name or any(p in name for p in exclude_layers)
    m = np.zeros_like(w)
    u = np.zeros_like(w)
    for t, g in enumerate(grads, start=1):
        g = g.astype("float64")
        decay = adam_weight_decay if adam else weight_decay
        w = w - w * decay * learning_rate
        if adam:
            lr = learning_rate * adam_lr_ratio
            m += (g - m) * (1 - adam_beta_1)
            u += (g * g - u) * (1 - adam_beta_2)
            alpha = lr * np.sqrt(1 - adam_beta_2 ** t) / (1 - adam_beta_1 ** t)
            w = w - m * alpha / (np.sqrt(u) + epsilon)
        else:
            m = momentum * m + g
            direction = g + momentum * m if nesterov else m
            update = learning_rate * _newton_schulz(direction)
            if rms_rate is not None:
                update = update * np.sqrt(max(w.shape)) * rms_rate
            w = w - update
    return w


def np_schedule_free(w, grads, learning_rate=0.0025, beta_1=0.9, beta_2=0.999, epsilon=1e-8,
                     warmup_steps=0, weight_decay=None):
    w = w.astype("float64")
    z = w.copy()
    u = np.zeros_like(w)
    for t, g in enumerate(grads, start=1):
        g = g.astype("float64")
        lr = learning_rate * (min(t / warmup_steps, 1.0) if warmup_steps else 1.0)
        if weight_decay:
            w = w - w * weight_decay * learning_rate
        z_old = z
        u = u + (g * g - u) * (1 - beta_2)
        z = z_old - lr * g / (np.sqrt(u / (1 - beta_2 ** t)) + epsilon)
        x = (w - (1 - beta_1) * z_old) / beta_1
        x = (1 - 1 / t) * x + z / t
        w = (1 - beta_1) * z + beta_1 * x
    return w


def numpy_reference(case, name):
    cls, kwargs = CASES[case]
    grads = [g[name] for g in GRADS]
    if cls == "Adafactor":
        return np_adafactor(INIT[name], grads, **kwargs)
    if cls == "Muon":
        return np_muon(name, INIT[name], grads, **kwargs)
    return np_schedule_free(INIT[name], grads, **kwargs)


def _run(case):
    cls, kwargs = CASES[case]
    opt = getattr(optimizers, cls)(**kwargs)
    variables = [keras.Variable(INIT[n], name=n) for n in SHAPES]
    for g in GRADS:
        opt.apply([ops.convert_to_tensor(g[n]) for n in SHAPES], variables)
    return opt, {n: np.asarray(v.numpy()) for n, v in zip(SHAPES, variables)}


@pytest.mark.parametrize("case", list(CASES))
def test_steps_match_numpy_and_keras(keras_ref, case):
    _, got = _run(case)
    for name in SHAPES:
        np.testing.assert_allclose(got[name], numpy_reference(case, name), rtol=1e-5,
                                   atol=1e-5, err_msg=f"{case} {name} vs NumPy")
        np.testing.assert_allclose(got[name], keras_ref[f"{case}/{name}"], rtol=1e-5,
                                   atol=1e-5, err_msg=f"{case} {name} vs Keras")


def test_multi_optimizer_routes_variables_as_keras(keras_ref):
    adam, sgd_momentum = optimizers.Adam(0.01), optimizers.SGD(0.2, momentum=0.5)
    opt = optimizers.MultiOptimizer(optimizers.OptimizerMap(
        optimizers.SGD(0.1), {"w": adam, "b": sgd_momentum}))
    variables = [keras.Variable(INIT[n], name=n) for n in SHAPES]
    for g in GRADS:
        opt.apply([g[n] for n in SHAPES], variables)
    for n, v in zip(SHAPES, variables):
        np.testing.assert_allclose(v.numpy(), keras_ref[f"multi/{n}"], rtol=1e-5, atol=1e-6)
    assert int(opt.iterations.numpy()) == STEPS == int(keras_ref["multi/iterations"])
    assert int(adam.iterations.numpy()) == STEPS
    assert len(opt.variables) == int(keras_ref["multi/n_variables"])
    assert opt.optimizers[:2] == [adam, sgd_momentum]
    # "w" went to Adam alone: its result is plain Adam's.
    alone = keras.Variable(INIT["w"])
    reference = optimizers.Adam(0.01)
    for g in GRADS:
        reference.apply([g["w"]], [alone])
    np.testing.assert_allclose(variables[0].numpy(), alone.numpy(), rtol=1e-6)


def test_optimizer_map_lookup_rules():
    sgd, adam, rms = optimizers.SGD(), optimizers.Adam(), optimizers.RMSprop()
    m = optimizers.OptimizerMap(default_optimizer=rms)
    m["encoder/layer_0/dense"] = adam
    m["encoder/.*"] = sgd
    m["decoder"] = adam
    assert m["decoder"] is adam and m["encoder/layer_0/dense"] is adam
    assert m["encoder/layer_0/attention/query"] is sgd
    assert m["decoder/layer_0/dense"] is rms
    assert len(m) == 3 and sorted(m) == ["decoder", "encoder/.*", "encoder/layer_0/dense"]
    m["enc.*"] = rms
    with pytest.raises(ValueError, match="Multiple optimizers assigned to variable "
                                         "encoder/x"):
        m["encoder/x"]
    with pytest.raises(ValueError, match="'decoder' already exists in the OptimizerMap"):
        m["decoder"] = sgd
    with pytest.raises(ValueError, match="cannot be LossScaleOptimizer"):
        m["x"] = optimizers.LossScaleOptimizer(optimizers.SGD())
    with pytest.raises(TypeError, match="default_optimizer must be a Keras Optimizer "
                                        "instance. Received: 'sgd'"):
        optimizers.OptimizerMap("sgd")


def test_multi_optimizer_learning_rate_is_refused_and_loss_scale_passes_on():
    inner = optimizers.SGD(0.1)
    opt = optimizers.MultiOptimizer(optimizers.OptimizerMap(inner), loss_scale_factor=4.0)
    assert inner.loss_scale_factor == 4.0
    with pytest.raises(AttributeError, match="Learning rate cannot be accessed on a "
                                             "MultiOptimizer"):
        opt.learning_rate
    v = keras.Variable(np.ones(2, "float32"))
    opt.apply([np.full(2, 4.0, "float32")], [v])
    np.testing.assert_allclose(v.numpy(), [0.9, 0.9], rtol=1e-6)  # gradient divided by 4


def _model():
    keras.utils.set_random_seed(0)
    inp = keras.Input((4,))
    h = keras.layers.Dense(5, activation="tanh", name="encoder")(inp)
    return keras.Model(inp, keras.layers.Dense(2, name="head")(h))


FIT_OPTIMIZERS = {
    "adafactor": lambda: optimizers.Adafactor(learning_rate=0.1),
    "muon": lambda: optimizers.Muon(learning_rate=0.02),
    "sf_adamw": lambda: optimizers.ScheduleFreeAdamW(learning_rate=0.02, warmup_steps=2),
    "multi": lambda: optimizers.MultiOptimizer(optimizers.OptimizerMap(
        optimizers.SGD(0.05), {"encoder/.*": optimizers.Adam(0.01)})),
}
X = RNG.normal(size=(32, 4)).astype("float32")
Y = np.stack([X[:, 0] - X[:, 1], X[:, 2] * 0.5], axis=1).astype("float32")


@pytest.mark.parametrize("which", list(FIT_OPTIMIZERS))
def test_fit_and_saved_state_resume_exactly(tmp_path, which):
    """Compiled fit steps (jit on JAX, tf.function on TF) equal eager steps, and a model
    saved mid-training resumes with the same optimizer state."""
    model = _model()
    model.compile(optimizer=FIT_OPTIMIZERS[which](), loss="mse")
    first = model.fit(X, Y, batch_size=8, epochs=2, verbose=0, shuffle=False)
    losses = first.history["loss"]
    assert np.all(np.isfinite(losses)) and losses[-1] < losses[0]
    path = tmp_path / "m.keras"
    model.save(path)
    loaded = keras.models.load_model(path)
    assert type(loaded.optimizer) is type(model.optimizer)
    saved = [np.asarray(v.numpy()) for v in model.optimizer.variables]
    for a, b in zip(saved, [np.asarray(v.numpy()) for v in loaded.optimizer.variables]):
        np.testing.assert_array_equal(a, b)
    model.fit(X, Y, batch_size=8, epochs=1, verbose=0, shuffle=False)
    loaded.fit(X, Y, batch_size=8, epochs=1, verbose=0, shuffle=False)
    for a, b in zip(model.weights, loaded.weights):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-5, atol=1e-6)


def test_compiled_step_equals_eager_step():
    from kfront import config
    cls, kwargs = CASES["muon"]
    _, eager = _run("muon")
    opt = getattr(optimizers, cls)(**kwargs)
    variables = [keras.Variable(INIT[n], name=n) for n in SHAPES]
    opt.build(variables)
    if config.backend() == "tensorflow":
        import tensorflow as tf
        step = tf.function(lambda gs: opt.apply(gs, variables))
        for g in GRADS:
            step([ops.convert_to_tensor(g[n]) for n in SHAPES])
    else:
        pytest.skip("JAX's compiled path is covered by fit; torch runs eagerly")
    for n, v in zip(SHAPES, variables):
        np.testing.assert_allclose(v.numpy(), eager[n], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("make", [
    lambda: optimizers.Adafactor(learning_rate=0.2, beta_2_decay=-0.6, clip_threshold=2.0,
                                 relative_step=False, name="af"),
    lambda: optimizers.Muon(exclude_layers=["head"], ns_steps=3, rms_rate=None),
    lambda: optimizers.ScheduleFreeAdamW(beta_1=0.8, warmup_steps=10),
    lambda: optimizers.MultiOptimizer(optimizers.OptimizerMap(
        optimizers.SGD(0.3), {"a.*": optimizers.Adam(0.02)}), name="multi"),
])
def test_configs_round_trip(make):
    opt = make()
    config = opt.get_config()
    again = type(opt).from_config(config)
    assert again.get_config() == config
    via_serialize = optimizers.deserialize(optimizers.serialize(opt))
    assert type(via_serialize) is type(opt) and via_serialize.get_config() == config


def test_names_resolve():
    assert isinstance(optimizers.get("adafactor"), optimizers.Adafactor)
    assert isinstance(optimizers.get("muon"), optimizers.Muon)
    assert isinstance(optimizers.get("ScheduleFreeAdamW"), optimizers.ScheduleFreeAdamW)
    assert optimizers.ScheduleFreeAdamW().learning_rate.numpy() == np.float32(0.0025)


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="ScheduleFreeAdamW: `beta_1` must be a number in "
                                         r"\[0, 1\], received 1.5"):
        optimizers.ScheduleFreeAdamW(beta_1=1.5)
    with pytest.raises(ValueError, match="Adafactor: `clip_threshold` must be a number >= 0, "
                                         "received -1"):
        optimizers.Adafactor(clip_threshold=-1)
    with pytest.raises(ValueError, match="Muon: `ns_steps` must be a non-negative int, "
                                         "received 2.5"):
        optimizers.Muon(ns_steps=2.5)
    with pytest.raises(ValueError, match="Muon: `exclude_layers` must be a list of regular "
                                         "expressions, received 'head'"):
        optimizers.Muon(exclude_layers="head")
    with pytest.raises(ValueError, match="`optimizer_map` must be an OptimizerMap or a "
                                         "callable"):
        optimizers.MultiOptimizer(3)
    with pytest.raises(ValueError, match="The optimizer for variable 'v' must be a Keras "
                                         "Optimizer instance"):
        optimizers.MultiOptimizer(lambda v: "sgd").build([keras.Variable(np.ones(2), name="v")])
