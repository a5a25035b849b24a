"""``DTypePolicy``: the dtype a layer keeps its variables in and the dtype it computes in.

``"mixed_float16"`` and ``"mixed_bfloat16"`` keep variables in float32 (stable updates)
and compute in the 16-bit type (speed and memory); any dtype name is a plain policy.
"""
from kfront.backend.variable import standardize_dtype

_MIXED = {"mixed_float16": "float16", "mixed_bfloat16": "bfloat16"}
# Dtype names a policy accepts besides the mixed ones.
_KNOWN_DTYPES = frozenset({
    "float16", "bfloat16", "float32", "float64", "int8", "int16", "int32", "int64",
    "uint8", "uint16", "uint32", "uint64", "bool", "complex64", "complex128", "string",
})
LOW_PRECISION = frozenset({"float16", "bfloat16"})
QUANTIZATION_MODES = ("int8", "float8", "int4", "gptq", "awq")


class DTypePolicy:
    """A dtype policy for a layer.

    Args:
        name: ``"mixed_float16"``, ``"mixed_bfloat16"`` or a dtype name such as
            ``"float32"``. ``None`` takes the global policy
            (``kfront.mixed_precision.global_policy()``).

    >>> policy = DTypePolicy("mixed_float16")
    >>> policy.compute_dtype, policy.variable_dtype
    ('float16', 'float32')
    """

    def __init__(self, name=None):
        if isinstance(name, str) and name.startswith(QUANTIZATION_MODES):
            raise ValueError(f"{name!r} names a quantized policy: use "
                             "kfront.dtype_policies.get(name) or QuantizedDTypePolicy.")
        if name is None:
            from kfront.mixed_precision.policy_state import global_policy
            name = global_policy().name
        self._name = name
        self._compute_dtype, self._variable_dtype = _parse_name(name)
        if self._compute_dtype in LOW_PRECISION:
            _note_low_precision()

    @property
    def name(self):
        return self._name

    @property
    def compute_dtype(self):
        """The dtype of the layer's computations and outputs."""
        return self._compute_dtype

    @property
    def variable_dtype(self):
        """The dtype the layer creates its variables in."""
        return self._variable_dtype

    @property
    def quantization_mode(self):
        return None

    def get_config(self):
        return {"name": self._name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        name = "DTypePolicy" if type(self) is FloatDTypePolicy else type(self).__name__
        return f'<{name} "{self._name}">'

    def __eq__(self, other):
        # A float policy equals a float policy of the same name; a quantized one (a
        # subclass in kfront.dtype_policies) only its own kind.
        plain = (DTypePolicy, FloatDTypePolicy)
        if type(self) in plain:
            if type(other) not in plain:
                return False
        elif type(other) is not type(self):
            return False
        return other._name == self._name

    def __hash__(self):
        return hash(self._name)


class FloatDTypePolicy(DTypePolicy):
    """Keras's other name for a float ``DTypePolicy``."""


# The Keras 2 name.
Policy = DTypePolicy


def _parse_name(name):
    if not isinstance(name, str):
        raise TypeError("A DTypePolicy name must be a string such as 'mixed_float16'. "
                        f"Received: name={name!r} (of type {type(name).__name__}).")
    if name in _MIXED:
        return _MIXED[name], "float32"
    dtype = standardize_dtype(name)
    if dtype not in _KNOWN_DTYPES:
        raise ValueError(f"Cannot convert {name!r} to a mixed precision DTypePolicy. Valid "
                         "policies include 'mixed_float16', 'mixed_bfloat16', and the name of "
                         "any float dtype such as 'float32'.")
    return dtype, dtype


# Set once a 16-bit policy exists; until then layers skip every mixed precision check.
_low_precision_used = [False]


def _note_low_precision():
    _low_precision_used[0] = True


def low_precision_used():
    return _low_precision_used[0]
