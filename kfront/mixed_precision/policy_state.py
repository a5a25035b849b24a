"""The global dtype policy, and turning a ``dtype=`` argument into a policy."""
from kfront import config
from kfront.mixed_precision.dtype_policy import DTypePolicy

_state = {"policy": None}


def global_policy():
    """The policy layers get when they are given no ``dtype`` (``floatx()`` unless set)."""
    policy = _state["policy"]
    if policy is None:
        return DTypePolicy(config.floatx())
    return policy


def set_global_policy(policy):
    """Sets the global dtype policy: ``"mixed_float16"``, ``"mixed_bfloat16"``, a dtype
    name, a ``DTypePolicy``, or ``None`` to go back to ``floatx()``.

    Layers created afterwards use it; existing layers keep theirs.

    >>> kfront.mixed_precision.set_global_policy("mixed_float16")
    """
    if policy is not None and not isinstance(policy, DTypePolicy):
        if not isinstance(policy, str):
            raise ValueError("Invalid `policy` argument: expected the name of a policy (such "
                             "as 'mixed_float16') or a DTypePolicy instance. Received: "
                             f"policy={policy!r} (of type {type(policy).__name__}).")
        policy = DTypePolicy(policy)
    _state["policy"] = policy


def get(identifier):
    """A ``DTypePolicy`` from ``None`` (the global policy), a name, a policy, a serialized
    policy dict (``{"class_name": "DTypePolicy", "config": {"name": ...}}``) or an engine or
    NumPy dtype."""
    if identifier is None:
        return global_policy()
    if isinstance(identifier, DTypePolicy):
        return identifier
    if isinstance(identifier, dict):
        name = identifier.get("config", {}).get("name") if "config" in identifier \
            else identifier.get("name")
        if name is None:
            raise ValueError(f"Cannot interpret the dtype policy config {identifier!r}: it has "
                             "no policy name.")
        return DTypePolicy(name)
    if isinstance(identifier, str):
        return DTypePolicy(identifier)
    from kfront.backend.variable import standardize_dtype
    try:
        return DTypePolicy(standardize_dtype(identifier))
    except (TypeError, ValueError):
        raise ValueError("Cannot interpret the `dtype` argument: expected a string or a "
                         f"DTypePolicy. Received: dtype={identifier!r}.") from None
