"""Turning logged values into Python numbers, and reading the learning rate."""
import numpy as np

from kfront import ops


def scalar_logs(logs):
    """``logs`` with every scalar value (an engine scalar in batch logs) as a Python
    float; other values are kept as they are."""
    out = {}
    for k, v in (logs or {}).items():
        if isinstance(v, (str, float, int)):
            out[k] = v
            continue
        try:
            value = ops.convert_to_numpy(v)
        except (TypeError, ValueError):
            out[k] = v
            continue
        out[k] = float(value) if np.ndim(value) == 0 else value
    return out


def current_learning_rate(optimizer):
    """The optimizer's learning rate as a Python float."""
    if not hasattr(optimizer, "learning_rate"):
        raise ValueError('Optimizer must have a "learning_rate" attribute.')
    lr = optimizer.learning_rate
    if hasattr(lr, "numpy"):
        lr = lr.numpy()
    return float(ops.convert_to_numpy(lr))


def add_learning_rates(model, logs):
    """Puts ``learning_rate`` (or ``learning_rate_<name>`` per inner optimizer of a
    multi-optimizer) into ``logs``, as Keras does, and returns ``logs``."""
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None:
        return logs
    optimizer = getattr(optimizer, "inner_optimizer", optimizer)
    if hasattr(optimizer, "optimizers"):
        for opt in optimizer.optimizers:
            logs[f"learning_rate_{opt.name}"] = current_learning_rate(opt)
    elif hasattr(optimizer, "learning_rate"):
        logs["learning_rate"] = current_learning_rate(optimizer)
    return logs
