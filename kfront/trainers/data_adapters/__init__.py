"""Turns what users pass to fit/evaluate/predict into batches of engine tensors.

One adapter per input kind: in-memory arrays (NumPy, engine tensors, pandas, nested
lists/dicts), Python generators and iterables, ``PyDataset``, ``tf.data.Dataset``,
``torch.utils.data.DataLoader`` and Grain datasets. Every adapter converts the next batch in a
background thread while the current step runs (``prefetch.py``).
"""
from kfront.trainers.data_adapters.array_data_adapter import (
    ArrayDataAdapter, is_array_data, to_array, to_arrays, train_validation_split,
)
from kfront.trainers.data_adapters.data_adapter import DataAdapter
from kfront.trainers.data_adapters.data_adapter_utils import (
    class_weight_to_sample_weight, unpack_x_y_sample_weight,
)
from kfront.trainers.data_adapters.generator_data_adapter import GeneratorDataAdapter
from kfront.trainers.data_adapters.grain_dataset_adapter import (
    GrainDatasetAdapter, is_grain_dataset,
)
from kfront.trainers.data_adapters.py_dataset_adapter import PyDatasetAdapter
from kfront.trainers.data_adapters.tf_dataset_adapter import TFDatasetAdapter, is_tf_dataset
from kfront.trainers.data_adapters.torch_data_loader_adapter import (
    TorchDataLoaderAdapter, is_torch_data_loader,
)

__all__ = [
    "ArrayDataAdapter", "DataAdapter", "GeneratorDataAdapter", "GrainDatasetAdapter",
    "PyDatasetAdapter",
    "TFDatasetAdapter", "TorchDataLoaderAdapter", "class_weight_to_sample_weight",
    "get_data_adapter", "is_array_data", "to_array", "to_arrays", "train_validation_split",
    "unpack_x_y_sample_weight",
]


def _is_py_dataset(x):
    from kfront.utils.py_dataset import PyDataset
    return isinstance(x, PyDataset) or (hasattr(x, "__getitem__") and hasattr(x, "__len__")
                                        and not isinstance(x, (str, bytes, tuple)))


def get_data_adapter(x, y=None, sample_weight=None, batch_size=None, steps=None, shuffle=False,
                     class_weight=None):
    """The adapter for ``x`` (and ``y``/``sample_weight`` when ``x`` holds arrays)."""
    if x is None:
        raise ValueError("No input data: pass `x` (arrays, a generator or a dataset).")
    if steps is not None and (not isinstance(steps, int) or isinstance(steps, bool)
                              or steps < 1):
        raise ValueError(f"`steps` / `steps_per_epoch` must be a positive integer or None, "
                         f"received {steps!r}.")
    if is_array_data(x):
        return ArrayDataAdapter(x, y, sample_weight, batch_size, steps, shuffle, class_weight)
    kind = type(x).__name__
    for arg, value in (("y", y), ("sample_weight", sample_weight)):
        if value is not None:
            raise ValueError(
                f"`{arg}` must not be given when `x` is a generator or dataset ({kind}): the "
                "dataset should yield (x, y) or (x, y, sample_weight) tuples."
            )
    if is_tf_dataset(x):
        return TFDatasetAdapter(x, steps, class_weight)
    if is_torch_data_loader(x):
        return TorchDataLoaderAdapter(x, steps, class_weight)
    if is_grain_dataset(x):
        # Before the PyDataset test: a MapDataset also has __getitem__ and __len__.
        return GrainDatasetAdapter(x, steps, class_weight)
    if _is_py_dataset(x):
        return PyDatasetAdapter(x, steps, shuffle, class_weight)
    if hasattr(x, "__iter__") or hasattr(x, "__next__"):
        return GeneratorDataAdapter(x, steps, class_weight)
    raise ValueError(f"Unrecognized data type for `x`: {kind}. Expected NumPy arrays, tensors, "
                     "pandas objects, lists, dicts, a generator, a PyDataset, a tf.data.Dataset, "
                     "a torch DataLoader or a Grain dataset.")
