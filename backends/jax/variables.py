"""Variables on JAX: arrays are immutable, so storage is a holder whose array is replaced."""
import jax

from kfront.backends.jax.core import convert_to_tensor

__all__ = ["variable_create", "variable_read", "variable_assign"]


class VariableStorage:
    __slots__ = ("array",)

    def __init__(self, array):
        self.array = array


def variable_create(value, dtype, trainable, name, aggregation="mean"):
    # A layer may be built while JAX traces (eval_shape); its weights must stay concrete.
    with jax.ensure_compile_time_eval():
        return VariableStorage(convert_to_tensor(value, dtype=dtype))


def variable_read(storage):
    return storage.array


def variable_assign(storage, value):
    storage.array = value
