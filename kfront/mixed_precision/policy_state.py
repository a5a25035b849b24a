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
    """The ``DTypePolicy`` a layer runs under, from its ``dtype`` argument: ``None`` (the
    global policy), a name, a policy, a serialized policy dict or an engine/NumPy dtype
    (``kfront.dtype_policies.get``).

    Raises:
        NotImplementedError: for a quantized policy: only the layers that can be quantized
            (``Dense``, ``EinsumDense``, ``Embedding``) take one, and they do not call this.
    """
    from kfront import dtype_policies
    policy = dtype_policies.get(identifier)
    if policy.quantization_mode is not None:
        raise NotImplementedError(
            f"This layer does not compute with quantized weights: received dtype policy "
            f"{policy.name!r} (quantization mode {policy.quantization_mode!r}). Only Dense, "
            "EinsumDense and Embedding take quantized policies; use a float policy such as "
            "'float32', 'mixed_float16' or 'mixed_bfloat16'.")
    return policy
