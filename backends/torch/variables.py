"""Variables on torch: a ``torch.nn.Parameter`` (frozen ones have ``requires_grad=False``)."""
import torch

from kfront.backends.torch.core import convert_to_tensor, without_grad

__all__ = ["variable_create", "variable_read", "variable_assign", "variable_set_trainable"]


def variable_create(value, dtype, trainable, name, aggregation="mean"):
    # A fresh copy: the value may be a broadcast view or a caller's tensor.
    tensor = convert_to_tensor(value, dtype=dtype).detach().clone()
    return torch.nn.Parameter(tensor, requires_grad=bool(trainable) and tensor.is_floating_point())


def variable_read(storage):
    return storage


def variable_assign(storage, value):
    without_grad(storage.copy_, value)


def variable_set_trainable(storage, trainable):
    """A frozen variable's storage takes no gradient: autograd then records nothing for
    ops that only read frozen weights (a frozen base under a trained head), as in Keras."""
    storage.requires_grad_(bool(trainable) and storage.is_floating_point())
