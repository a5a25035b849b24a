"""Encoding scikit-learn targets for a kfront model and decoding its outputs."""
import numpy as np


def check_target_type(y, owner, allowed=None):
    """The sklearn target type of ``y``; raises for unknown types or types not ``allowed``."""
    from sklearn.utils.multiclass import type_of_target
    target_type = type_of_target(y)
    if target_type == "unknown":
        raise ValueError(f"{owner}: Unknown label type for `y`: {y!r}")
    if allowed is not None and target_type not in allowed:
        expected = ", ".join(allowed) if allowed else "a known target type"
        raise ValueError(
            f"{owner}: `y` must be {expected} targets; received a target of type "
            f"{target_type!r}.")
    return target_type


def one_hot(y, classes):
    """``y`` (1D labels) as one-hot rows over ``classes`` (sorted), float32."""
    encoded = np.zeros((len(y), len(classes)), dtype="float32")
    encoded[np.arange(len(y)), np.searchsorted(classes, y)] = 1.0
    return encoded


def probabilities(raw, n_classes):
    """Model outputs as class probabilities: a single column is P(second class)."""
    raw = np.asarray(raw)
    if raw.ndim == 1:
        raw = raw[:, None]
    if raw.shape[1] == 1 and n_classes == 2:
        return np.concatenate([1.0 - raw, raw], axis=1)
    return raw
