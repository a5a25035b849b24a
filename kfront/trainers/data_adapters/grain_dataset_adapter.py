"""Grain datasets (``grain.MapDataset``, ``grain.IterDataset``, ``grain.DataLoader``) on every
backend. Grain is never imported here: a Grain object is recognised by its class's module."""
from kfront.trainers.data_adapters.generator_data_adapter import GeneratorDataAdapter

_GRAIN_CLASSES = ("MapDataset", "IterDataset", "DataLoader")


def is_grain_dataset(x):
    return any(cls.__name__ in _GRAIN_CLASSES and cls.__module__.startswith("grain.")
               for cls in type(x).__mro__)


class GrainDatasetAdapter(GeneratorDataAdapter):
    """A batched Grain dataset yielding ``x``, ``(x, y)`` or ``(x, y, sample_weight)``
    (NumPy arrays or tensors of any installed engine); each epoch is a new pass over it.

    The order is the dataset's own (``shuffle`` of ``fit`` does not reorder it, as in Keras).
    The epoch length is unknown until the first pass ends, as in Keras: a ``MapDataset``'s
    ``len`` counts the elements a ``filter`` drops, and a repeated one reports ``sys.maxsize``.
    """

    def _length(self):
        return None
