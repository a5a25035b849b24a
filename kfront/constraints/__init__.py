"""``kfront.constraints``: projections applied to a weight after each optimizer update."""
from kfront.constraints.constraints import (  # noqa: F401
    Constraint, MaxNorm, MinMaxNorm, NonNeg, UnitNorm,
)
from kfront.utils.lookup import resolve

max_norm, min_max_norm, non_neg, unit_norm = MaxNorm, MinMaxNorm, NonNeg, UnitNorm
_ALL = {"Constraint": Constraint, "MaxNorm": MaxNorm, "MinMaxNorm": MinMaxNorm,
        "NonNeg": NonNeg, "UnitNorm": UnitNorm, "max_norm": MaxNorm,
        "min_max_norm": MinMaxNorm, "non_neg": NonNeg, "unit_norm": UnitNorm}


def get(identifier):
    """A constraint from a name ("max_norm"), a config dict, a class or a callable."""
    if identifier is None:
        return None
    obj = resolve(identifier, _ALL, "constraint")
    return obj() if isinstance(obj, type) else obj


def serialize(constraint):
    if constraint is None:
        return None
    if not isinstance(constraint, Constraint):
        raise ValueError(f"Cannot serialize constraint {constraint!r}: it is not a "
                         "kfront.constraints.Constraint.")
    return {"class_name": type(constraint).__name__, "config": constraint.get_config()}


def deserialize(config):
    return get(config)
