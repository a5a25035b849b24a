"""Quantized dtype policies: ``"<mode>_from_<float policy>"`` names as Keras writes them
(``"int8_from_float32"``, ``"int4/128_from_mixed_bfloat16"``, ``"gptq/4/128_from_float32"``).

They parse, compare, serialize and load as in Keras so configs that name them can be read.
``Dense``, ``EinsumDense`` and ``Embedding`` run ``int8`` policies (``Model.quantize``
sets them); other modes and other layers raise ``NotImplementedError``.
"""
from kfront.mixed_precision.dtype_policy import QUANTIZATION_MODES, DTypePolicy, _parse_name


class QuantizedDTypePolicy(DTypePolicy):
    """A policy for weights quantized with ``mode`` (``"int8"``, ``"int4"``, ...) from the
    float policy ``source_name`` (default: the global policy).

    >>> policy = QuantizedDTypePolicy("int8", "mixed_bfloat16")
    >>> policy.name, policy.compute_dtype
    ('int8_from_mixed_bfloat16', 'bfloat16')
    """

    def __init__(self, mode, source_name=None):
        if source_name is None:
            from kfront.mixed_precision.policy_state import global_policy
            source_name = global_policy().name
        self._compute_dtype, self._variable_dtype = _parse_name(source_name)
        if mode not in QUANTIZATION_MODES:
            raise ValueError(f"Invalid quantization mode. Expected one of {QUANTIZATION_MODES}. "
                             f"Received: mode={mode!r}")
        if self._compute_dtype == "float16" and mode == "int8":
            raise ValueError(f"Quantization mode='{mode}' doesn't work well with "
                             "compute_dtype='float16'.")
        self._name = f"{mode}_from_{source_name}"
        self._source_name = source_name
        self._quantization_mode = mode

    @property
    def quantization_mode(self):
        """The quantization mode: ``"int8"``, ``"float8"``, ``"int4"``, ``"gptq"`` or
        ``"awq"``."""
        return self._quantization_mode

    def __eq__(self, other):
        return (super().__eq__(other) and
                self._quantization_mode == other._quantization_mode and
                self._source_name == other._source_name)

    def __hash__(self):
        return hash(self._name)

    def get_config(self):
        return {"mode": self._quantization_mode, "source_name": self._source_name}


class QuantizedFloat8DTypePolicy(QuantizedDTypePolicy):
    """``float8`` quantization; ``amax_history_length`` is the window of absolute maxima
    the scaling factors are computed from."""

    default_amax_history_length = 1024

    def __init__(self, mode, source_name=None, amax_history_length=1024):
        super().__init__(mode, source_name)
        if isinstance(amax_history_length, bool) or not isinstance(amax_history_length, int):
            raise TypeError("`amax_history_length` must be an integer. Received: "
                            f"amax_history_length={amax_history_length!r}")
        self._amax_history_length = amax_history_length

    @property
    def amax_history_length(self):
        return self._amax_history_length

    def __eq__(self, other):
        return super().__eq__(other) and \
            self._amax_history_length == other._amax_history_length

    __hash__ = QuantizedDTypePolicy.__hash__

    def get_config(self):
        return {**super().get_config(), "amax_history_length": self._amax_history_length}


def _mode_numbers(cls_name, mode, base, fields):
    """``"base/1/2"`` -> [1, 2], with Keras's messages for a wrong format."""
    parts = mode.split("/") if isinstance(mode, str) else []
    expected = "'" + "/".join([base] + [f"<{f}>" for f in fields]) + "'"
    if len(parts) != len(fields) + 1 or parts[0] != base:
        raise ValueError(f"Invalid mode for {cls_name}. Expected format {expected}, but got "
                         f"'{mode}'.")
    try:
        return [int(p) for p in parts[1:]]
    except ValueError:
        raise ValueError(f"Invalid mode for {cls_name}. " +
                         " and ".join(f"<{f}>" for f in fields) +
                         f" must be integers. Expected format {expected}, but got "
                         f"'{mode}'.") from None


def _check_group(value, what, mode):
    if value < -1 or value == 0:
        raise ValueError(f"Invalid {what} in mode. Supported values are -1 (per-channel) or "
                         f"a positive integer, but got {value} from '{mode}'.")


class Int4DTypePolicy(QuantizedDTypePolicy):
    """int4 sub-channel quantization: ``mode`` is ``"int4/<block_size>"`` (-1: per
    channel)."""

    def __init__(self, mode, source_name=None):
        (block_size,) = _mode_numbers("Int4DTypePolicy", mode, "int4", ["block_size"])
        _check_group(block_size, "block_size", mode)
        super().__init__("int4", source_name)
        self._name = f"{mode}_from_{self._source_name}"
        self.mode, self.block_size = "int4", block_size

    def __eq__(self, other):
        return super().__eq__(other) and self.block_size == other.block_size

    __hash__ = QuantizedDTypePolicy.__hash__

    def get_config(self):
        return {**super().get_config(), "mode": f"int4/{self.block_size}"}


class _GroupedPolicy(QuantizedDTypePolicy):
    """``"<base>/<weight_bits>/<group_size>"`` modes (GPTQ, AWQ)."""

    _base, _bits = None, ()

    def __init__(self, mode, source_name=None):
        cls_name = type(self).__name__
        bits, group = _mode_numbers(cls_name, mode, self._base, ["weight_bits", "group_size"])
        if bits not in self._bits:
            raise ValueError(f"Invalid weight_bits in mode. {cls_name} supports "
                             f"{list(self._bits)}, but got {bits} from '{mode}'.")
        _check_group(group, "group_size", mode)
        super().__init__(self._base, source_name)
        self._name = f"{mode}_from_{self._source_name}"
        self.mode, self.weight_bits, self.group_size = self._base, bits, group

    def __eq__(self, other):
        return super().__eq__(other) and self.weight_bits == other.weight_bits and \
            self.group_size == other.group_size

    __hash__ = QuantizedDTypePolicy.__hash__

    def get_config(self):
        return {**super().get_config(),
                "mode": f"{self._base}/{self.weight_bits}/{self.group_size}"}


class GPTQDTypePolicy(_GroupedPolicy):
    """GPTQ quantization: ``mode`` is ``"gptq/<weight_bits>/<group_size>"`` (bits 2, 3, 4
    or 8)."""

    _base, _bits = "gptq", (2, 3, 4, 8)


class AWQDTypePolicy(_GroupedPolicy):
    """AWQ quantization: ``mode`` is ``"awq/4/<group_size>"``."""

    _base, _bits = "awq", (4,)


def quantized_policy_from_name(name):
    """The quantized policy a name such as ``"int8_from_float32"`` stands for."""
    parts = name.split("_from_")
    if len(parts) != 2:
        raise ValueError("Cannot convert `policy` into a valid pair (`mode`, `source_name`) "
                         f"to instantiate `QuantizedDTypePolicy`. Received: policy={name!r}")
    mode, source = parts
    if mode.startswith("int4") and "/" in mode:
        return Int4DTypePolicy(mode, source)
    cls = {"gptq": GPTQDTypePolicy, "awq": AWQDTypePolicy,
           "float8": QuantizedFloat8DTypePolicy}.get(mode.split("/")[0], QuantizedDTypePolicy)
    return cls(mode, source)
