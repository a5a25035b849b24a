"""Turns what users pass to fit/evaluate/predict into batches of engine tensors.

Accepted here: NumPy arrays (nested in lists/tuples/dicts), engine tensors, Python lists,
Python generators/iterators and ``PyDataset``-style objects (``__len__`` + ``__getitem__``).
"""
import math

import numpy as np

from kfront import config
from kfront.backend.loader import adapter
from kfront.random.global_state import global_rng
from kfront.utils import tree

_B = adapter()


def unpack_x_y_sample_weight(data):
    """(x,), (x, y) or (x, y, sample_weight) -> (x, y, sample_weight)."""
    if isinstance(data, tuple):
        if len(data) == 1:
            return data[0], None, None
        if len(data) == 2:
            return data[0], data[1], None
        if len(data) == 3:
            return data
        raise ValueError(
            "Data should be a tuple (x,), (x, y) or (x, y, sample_weight); received a tuple of "
            f"{len(data)} elements."
        )
    return data, None, None


def _to_array(x, arg):
    if x is None:
        return x
    if isinstance(x, np.ndarray):
        arr = x
    elif _B.is_tensor(x):
        return _B.convert_to_numpy(x)
    elif hasattr(x, "to_numpy"):  # pandas
        arr = x.to_numpy()
    else:
        try:
            arr = np.asarray(x)
        except ValueError as e:
            raise ValueError(
                f"`{arg}` could not be converted to an array (a ragged list?): {e}"
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
        return _to_array(structure, arg)
    if isinstance(structure, dict):
        return {k: to_arrays(v, f"{arg}[{k!r}]") for k, v in structure.items()}
    if isinstance(structure, (list, tuple)):
        return type(structure)(to_arrays(v, arg) for v in structure)
    return _to_array(structure, arg)


def _is_array_like(x):
    return all(isinstance(v, np.ndarray) or _B.is_tensor(v) or isinstance(v, (list, float, int))
               or hasattr(v, "to_numpy") for v in tree.flatten(x)) and x is not None


def is_array_data(x):
    """Whether ``x`` is arrays/tensors/number lists (batched here), not a generator or dataset."""
    return isinstance(x, (dict, np.ndarray, list, np.generic, int, float)) or _B.is_tensor(x) \
        or hasattr(x, "to_numpy") or (isinstance(x, tuple) and _is_array_like(x))


def _to_tensor(arr):
    if arr.dtype.kind == "f":
        return _B.convert_to_tensor(arr, dtype=config.floatx())
    return _B.convert_to_tensor(arr)


def class_weight_to_sample_weight(y, class_weight):
    y = np.asarray(y)
    if y.ndim > 1 and y.shape[-1] > 1:
        labels = np.argmax(y, axis=-1)
    else:
        labels = y.reshape(len(y), -1)[:, 0]
    labels = labels.astype(int)
    missing = sorted(set(np.unique(labels).tolist()) - set(int(k) for k in class_weight))
    if missing:
        raise ValueError(f"`class_weight` has no entry for class(es) {missing} found in y. "
                         f"Classes given: {sorted(class_weight)}.")
    return np.array([class_weight[int(c)] for c in labels], dtype="float32")


class ArrayDataAdapter:
    """Batches arrays; shuffles each epoch with kfront's seeded generator."""

    def __init__(self, x, y=None, sample_weight=None, batch_size=None, steps=None,
                 shuffle=False, class_weight=None):
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
        self.num_samples = all_sizes.pop() if all_sizes else 0
        self.batch_size = batch_size or 32
        self.shuffle = shuffle
        self.num_batches = max(1, math.ceil(self.num_samples / self.batch_size))
        self.steps = steps or self.num_batches

    def __iter__(self):
        n = self.num_samples
        order = global_rng().permutation(n) if self.shuffle else None
        step = 0
        while step < self.steps:
            for start in range(0, n, self.batch_size):
                if step >= self.steps:
                    return
                idx = order[start:start + self.batch_size] if order is not None \
                    else slice(start, start + self.batch_size)
                take = lambda a: None if a is None else _to_tensor(a[idx])  # noqa: E731
                batch = (tree.map_structure(take, self.x),)
                if self.y is not None:
                    batch += (tree.map_structure(take, self.y),)
                    if self.sample_weight is not None:
                        batch += (tree.map_structure(take, self.sample_weight),)
                yield batch
                step += 1
            if self.steps == self.num_batches:
                return


class IteratorDataAdapter:
    """Generators, iterators and ``PyDataset``/``Sequence`` objects of (x[, y[, sw]])."""

    def __init__(self, data, steps=None):
        self.data = data
        self.indexable = hasattr(data, "__getitem__") and hasattr(data, "__len__") and \
            not isinstance(data, (list, tuple))
        self.num_batches = len(data) if self.indexable else steps
        self.steps = steps or self.num_batches
        self._iterator = None
        self._structure = None

    def __iter__(self):
        if self.indexable:
            source = (self.data[i] for i in range(len(self.data)))
        else:
            if self._iterator is None:
                self._iterator = iter(self.data)
            source = self._iterator
        step = 0
        # The step count is checked before a batch is drawn, so a generator shared by
        # several epochs loses no batch at an epoch boundary.
        while self.steps is None or step < self.steps:
            try:
                batch = next(source)
            except StopIteration:
                break
            yield self._convert(batch, step)
            step += 1
        if self.indexable and hasattr(self.data, "on_epoch_end"):
            self.data.on_epoch_end()

    def _convert(self, batch, step):
        if isinstance(batch, list):
            batch = tuple(batch)
        batch = batch if isinstance(batch, tuple) else (batch,)
        structure = tree.map_structure(lambda _: 0, batch)
        if self._structure is None:
            self._structure = structure
        elif structure != self._structure:
            raise ValueError(
                "The data generator yielded batches of inconsistent structure: first "
                f"{self._structure}, now {structure} (at step {step})."
            )
        names = ("x", "y", "sample_weight")
        return tuple(
            tree.map_structure(lambda a, arg=names[min(i, 2)]: None if a is None
                               else _to_tensor(_to_array(a, arg)), part)
            for i, part in enumerate(batch))


def get_data_adapter(x, y=None, sample_weight=None, batch_size=None, steps=None, shuffle=False,
                     class_weight=None):
    if x is None:
        raise ValueError("No input data: pass `x` (arrays, a generator or a dataset).")
    if is_array_data(x):
        return ArrayDataAdapter(x, y, sample_weight, batch_size, steps, shuffle, class_weight)
    if y is not None:
        raise ValueError(
            f"`y` must not be given when `x` is a generator or dataset ({type(x).__name__}): "
            "the dataset should yield (x, y) tuples."
        )
    if hasattr(x, "__iter__") or hasattr(x, "__getitem__"):
        return IteratorDataAdapter(x, steps)
    raise ValueError(f"Unrecognized data type for `x`: {type(x).__name__}. Expected NumPy arrays, "
                     "tensors, lists, dicts, a generator or a PyDataset.")


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
