"""Import-compatible entry point: the adapters live in ``kfront.trainers.data_adapters``."""
from kfront.trainers.data_adapters import (
    ArrayDataAdapter, DataAdapter, GeneratorDataAdapter, PyDatasetAdapter, TFDatasetAdapter,
    TorchDataLoaderAdapter, class_weight_to_sample_weight, get_data_adapter, is_array_data,
    to_array, to_arrays, train_validation_split, unpack_x_y_sample_weight,
)

__all__ = [
    "ArrayDataAdapter", "DataAdapter", "GeneratorDataAdapter", "PyDatasetAdapter",
    "TFDatasetAdapter", "TorchDataLoaderAdapter", "class_weight_to_sample_weight",
    "get_data_adapter", "is_array_data", "to_array", "to_arrays", "train_validation_split",
    "unpack_x_y_sample_weight",
]
