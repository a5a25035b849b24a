"""NumPy arrays, engine tensors, pandas objects and nested lists/dicts of them."""
import math

import numpy as np

from kfront.backend.loader import adapter
from kfront.trainers.data_adapters.data_adapter import PREFETCH_DEPTH, DataAdapter
from kfront.trainers.data_adapters.data_adapter_utils import (
    class_weight_to_sample_weight, pack_x_y_sample_weight, to_tensor,
)
from kfront.trainers.data_adapters.engine_tensors import engine_to_numpy, is_engine_tensor
from kfront.utils import tree

_runs_on_cpu = getattr(adapter(), "runs_on_cpu", lambda: False)

def _is_pandas(x):
    return type(x).__module__.split(".", 1)[0] == "pandas" and hasattr(x, "to_numpy")


def to_array(x, arg):
    """One leaf (array, tensor of any engine, pandas object, list of numbers) as a NumPy
    array of numbers; strings and ragged lists are refused with a message naming ``arg``."""
    if x is None:
        return x
    if isinstance(x, np.ndarray):
        arr = x
    elif is_engine_tensor(x):
        return engine_to_numpy(x)
    elif hasattr(x, "to_numpy"):  # pandas DataFrame / Series
        arr = x.to_numpy()
    else:
        try:
            arr = np.asarray(x)
        except ValueError as e:
            raise ValueError(
                f"`{arg}` could not be converted to an array (a ragged list? pad its "
                f"sequences to one length first): {e}"
            ) from None
    if arr.dtype == object:
        # Object arrays of numbers (e.g. from pandas) convert; anything else is refused.
        try:
            arr = np.asarray(arr.tolist())
        except ValueError:
            pass
    if arr.dtype == object or arr.dtype.kind in "USV":
        raise ValueError(
            f"`{arg}` must hold numbers, but it has dtype {arr.dtype} (strings, or a ragged "
            "list of sequences? Encode strings as numbers first; pad sequences to one length). "
            f"Received: {str(x)[:80]}"
        )
    return arr


def _is_number_list(x):
    """A (nested) list of plain numbers or strings: one array, not a structure of arrays."""
    if not isinstance(x, (list, tuple)):
        return False
    for item in x:
        if isinstance(item, (list, tuple)):
            if not _is_number_list(item):
                return False
        elif not isinstance(item, (int, float, bool, str, bytes, np.generic)):
            return False
    return True


def to_arrays(structure, arg):
    """Every array leaf of ``structure`` as a NumPy array; a nested list of numbers is one
    array (``[[1, 2], [3, 4]]`` has shape (2, 2))."""
    if _is_number_list(structure):
        return to_array(structure, arg)
    if isinstance(structure, dict):
        return {k: to_arrays(v, f"{arg}[{k!r}]") for k, v in structure.items()}
    if isinstance(structure, (list, tuple)):
        return type(structure)(to_arrays(v, arg) for v in structure)
    return to_array(structure, arg)


def _is_array_leaf(v):
    return isinstance(v, (np.ndarray, list, float, int, np.generic)) or is_engine_tensor(v) \
        or _is_pandas(v)


def is_array_data(x):
    """Whether ``x`` is arrays/tensors/number lists (batched here), not a generator or dataset."""
    if isinstance(x, (dict, np.ndarray, list, np.generic, int, float)) or is_engine_tensor(x) \
            or _is_pandas(x):
        return True
    return isinstance(x, tuple) and all(_is_array_leaf(v) for v in tree.flatten(x))


class ArrayDataAdapter(DataAdapter):
    """Batches in-memory arrays; with ``shuffle`` each epoch draws a permutation from
    (seed, epoch). The last batch holds the remainder when the sample count is not a
    multiple of ``batch_size``."""

    def __init__(self, x, y=None, sample_weight=None, batch_size=None, steps=None,
                 shuffle=False, class_weight=None):
        super().__init__()
        self.x = to_arrays(x, "x")
        self.y = to_arrays(y, "y")
        self.sample_weight = to_arrays(sample_weight, "sample_weight")
        sizes = {}
        for name, part in (("x", self.x), ("y", self.y), ("sample_weight", self.sample_weight)):
            for arr in tree.flatten(part):
                if arr is not None:
                    if arr.ndim == 0:
                        raise ValueError(f"`{name}` must have a batch dimension, received a "
                                         "scalar.")
                    sizes.setdefault(name, set()).add(arr.shape[0])
        all_sizes = set().union(*sizes.values()) if sizes else set()
        if len(all_sizes) > 1:
            detail = ", ".join(f"{k}: {sorted(v)}" for k, v in sizes.items())
            raise ValueError(
                f"Data cardinality is ambiguous: x, y and sample_weight must have the same number "
                f"of samples. Received sizes {detail}."
            )
        if class_weight is not None and self.y is not None:
            if self.sample_weight is not None:
                raise ValueError("Pass either `class_weight` or `sample_weight`, not both.")
            self.sample_weight = class_weight_to_sample_weight(tree.flatten(self.y)[0],
                                                               class_weight)
        if batch_size is not None and (not isinstance(batch_size, (int, np.integer))
                                       or isinstance(batch_size, bool) or batch_size < 1):
            raise ValueError(f"`batch_size` must be a positive integer, received {batch_size!r}.")
        self.num_samples = all_sizes.pop() if all_sizes else 0
        self.batch_size = int(batch_size or 32)
        self.shuffle = shuffle
        self.num_batches = max(1, math.ceil(self.num_samples / self.batch_size))
        self.steps = steps or self.num_batches

    def host_batches(self, epoch):
        n, size = self.num_samples, self.batch_size
        step = 0
        # steps_per_epoch beyond one pass continues into the next pass over the data.
        while step < self.steps:
            order = self.epoch_permutation(n, epoch) if self.shuffle else None
            for start in range(0, n, size):
                if step >= self.steps:
                    return
                yield order[start:start + size] if order is not None \
                    else slice(start, start + size)
                step += 1
            if self.steps == self.num_batches:
                return
            epoch += 1 << 20  # a different order for each extra pass, still seed-derived

    @property
    def prefetch_depth(self):
        # Slicing in-memory arrays waits on no I/O. On the CPU the engine's own threads
        # already have the cores, so a converting thread adds a queue hand-off per batch and
        # contention for the interpreter and overlaps nothing; on an accelerator it overlaps
        # the host-to-device copy with the running step.
        return 0 if _runs_on_cpu() else PREFETCH_DEPTH

    def convert(self, idx):
        def take(a):
            return None if a is None else to_tensor(a[idx])

        if self.y is None:
            return pack_x_y_sample_weight(tree.map_structure(take, self.x))
        return pack_x_y_sample_weight(tree.map_structure(take, self.x),
                                      tree.map_structure(take, self.y),
                                      tree.map_structure(take, self.sample_weight))


def train_validation_split(arrays, validation_split):
    """Splits off the last ``validation_split`` fraction of samples (before shuffling)."""
    if not 0.0 < validation_split < 1.0:
        raise ValueError(f"`validation_split` must be in (0, 1), received {validation_split}.")
    flat = [a for a in tree.flatten(arrays) if a is not None]
    if not all(isinstance(a, np.ndarray) for a in flat):
        raise ValueError("`validation_split` is only supported for NumPy arrays and tensors; "
                         "pass `validation_data` for generators and datasets.")
    n = flat[0].shape[0]
    cut = int(math.floor(n * (1.0 - validation_split)))
    if cut == 0 or cut == n:
        raise ValueError(f"validation_split={validation_split} leaves an empty training or "
                         f"validation set with {n} samples.")
    train = tree.map_structure(lambda a: None if a is None else a[:cut], arrays)
    val = tree.map_structure(lambda a: None if a is None else a[cut:], arrays)
    return train, val
