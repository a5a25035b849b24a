"""NumPy (float64) versions of Keras 3's optimizer update rules, written from the formulas.

``reference(name, initial, grads, lr=..., **hyper)`` runs one rule for ``len(grads)``
steps over a list of weights and returns the final weights. Clipping and decoupled
weight decay are applied around the rule as the base ``Optimizer`` does.
"""
import numpy as np


def _sgd(w, g, s, t, lr, momentum=0.0, nesterov=False):
    if not momentum:
        return w - lr * g
    s["m"] = momentum * s.get("m", 0.0) - lr * g
    return w + (momentum * s["m"] - lr * g if nesterov else s["m"])


def _adam(w, g, s, t, lr, beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False):
    s["m"] = s.get("m", 0.0) + (g - s.get("m", 0.0)) * (1 - beta_1)
    s["u"] = s.get("u", 0.0) + (g * g - s.get("u", 0.0)) * (1 - beta_2)
    u = s["u"]
    if amsgrad:
        s["hat"] = u = np.maximum(s.get("hat", 0.0), u)
    alpha = lr * np.sqrt(1 - beta_2 ** t) / (1 - beta_1 ** t)
    return w - alpha * s["m"] / (np.sqrt(u) + epsilon)


def _rmsprop(w, g, s, t, lr, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False):
    s["v"] = rho * s.get("v", 0.0) + (1 - rho) * g * g
    denominator = s["v"] + epsilon
    if centered:
        s["a"] = rho * s.get("a", 0.0) + (1 - rho) * g
        denominator = s["v"] - s["a"] ** 2 + epsilon
    increment = lr * g / np.sqrt(denominator)
    if momentum > 0:
        s["m"] = momentum * s.get("m", 0.0) + increment
        return w - s["m"]
    return w - increment


def _adagrad(w, g, s, t, lr, initial_accumulator_value=0.1, epsilon=1e-7):
    s["a"] = s.get("a", initial_accumulator_value) + g * g
    return w - lr * g / np.sqrt(s["a"] + epsilon)


def _adadelta(w, g, s, t, lr, rho=0.95, epsilon=1e-7):
    s["a"] = rho * s.get("a", 0.0) + (1 - rho) * g * g
    delta = -np.sqrt(s.get("b", 0.0) + epsilon) * g / np.sqrt(s["a"] + epsilon)
    s["b"] = rho * s.get("b", 0.0) + (1 - rho) * delta * delta
    return w + lr * delta


def _adamax(w, g, s, t, lr, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
    s["m"] = s.get("m", 0.0) + (g - s.get("m", 0.0)) * (1 - beta_1)
    s["u"] = np.maximum(beta_2 * s.get("u", 0.0), np.abs(g))
    return w - lr * s["m"] / ((1 - beta_1 ** t) * (s["u"] + epsilon))


def _nadam(w, g, s, t, lr, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
    mu_t = beta_1 * (1 - 0.5 * 0.96 ** t)
    mu_next = beta_1 * (1 - 0.5 * 0.96 ** (t + 1))
    # The running product of the mu's over steps 1..t (the same for every variable).
    product = np.prod([beta_1 * (1 - 0.5 * 0.96 ** k) for k in range(1, t + 1)])
    s["m"] = s.get("m", 0.0) + (g - s.get("m", 0.0)) * (1 - beta_1)
    s["u"] = s.get("u", 0.0) + (g * g - s.get("u", 0.0)) * (1 - beta_2)
    m_hat = mu_next * s["m"] / (1 - product * mu_next) + (1 - mu_t) * g / (1 - product)
    u_hat = s["u"] / (1 - beta_2 ** t)
    return w - m_hat * lr / (np.sqrt(u_hat) + epsilon)


def _ftrl(w, g, s, t, lr, learning_rate_power=-0.5, initial_accumulator_value=0.1,
          l1_regularization_strength=0.0, l2_regularization_strength=0.0,
          l2_shrinkage_regularization_strength=0.0, beta=0.0):
    p = -learning_rate_power
    n = s.get("n", np.full_like(w, initial_accumulator_value))
    z = s.get("z", np.zeros_like(w))
    n_new = n + g * g
    z = z + (g + 2 * l2_shrinkage_regularization_strength * w) - \
        (n_new ** p - n ** p) / lr * w
    l1 = l1_regularization_strength
    quadratic = n_new ** p / lr + 2 * (l2_regularization_strength + beta / (2 * lr))
    s["n"], s["z"] = n_new, z
    return (np.clip(z, -l1, l1) - z) / quadratic


def _lion(w, g, s, t, lr, beta_1=0.9, beta_2=0.99):
    m = s.get("m", 0.0)
    w = w - lr * np.sign(m * beta_1 + g * (1 - beta_1))
    s["m"] = m * beta_2 + g * (1 - beta_2)
    return w


def _lamb(w, g, s, t, lr, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
    s["m"] = s.get("m", 0.0) + (g - s.get("m", 0.0)) * (1 - beta_1)
    s["u"] = s.get("u", 0.0) + (g * g - s.get("u", 0.0)) * (1 - beta_2)
    r = (s["m"] / (1 - beta_1 ** t)) / (np.sqrt(s["u"] / (1 - beta_2 ** t)) + epsilon)
    w_norm, r_norm = np.sqrt((w * w).sum()), np.sqrt((r * r).sum())
    ratio = w_norm / r_norm if w_norm > 0 and r_norm > 0 else 1.0
    return w - ratio * lr * r


RULES = {"sgd": _sgd, "adam": _adam, "adamw": _adam, "rmsprop": _rmsprop,
         "adagrad": _adagrad, "adadelta": _adadelta, "adamax": _adamax, "nadam": _nadam,
         "ftrl": _ftrl, "lion": _lion, "lamb": _lamb}
DEFAULT_LR = {"sgd": 0.01}


def clip(grads, clipnorm=None, clipvalue=None, global_clipnorm=None):
    if clipvalue:
        return [np.clip(g, -clipvalue, clipvalue) for g in grads]
    if clipnorm:
        return [g * clipnorm / max(np.sqrt((g * g).sum()), clipnorm) for g in grads]
    if global_clipnorm:
        norm = np.sqrt(sum((g * g).sum() for g in grads))
        return [g * min(1.0, global_clipnorm / norm) for g in grads]
    return grads


def reference(name, initial, grads, lr=None, weight_decay=None, clipnorm=None,
              clipvalue=None, global_clipnorm=None, decay_mask=None, **hyper):
    """The weights after ``len(grads)`` steps of rule ``name`` from ``initial``."""
    rule = RULES[name]
    lr = DEFAULT_LR.get(name, 0.001) if lr is None else lr
    if name == "adamw" and weight_decay is None:
        weight_decay = 0.004
    ws = [np.asarray(w, "float64") for w in initial]
    states = [{} for _ in ws]
    for t, step in enumerate(grads, start=1):
        step = clip([np.asarray(g, "float64") for g in step], clipnorm, clipvalue,
                    global_clipnorm)
        step_lr = lr(t - 1) if callable(lr) else lr
        for i, g in enumerate(step):
            if weight_decay and (decay_mask is None or decay_mask[i]):
                ws[i] = ws[i] - ws[i] * weight_decay * step_lr
            ws[i] = rule(ws[i], g, states[i], t, step_lr, **hyper)
    return ws
