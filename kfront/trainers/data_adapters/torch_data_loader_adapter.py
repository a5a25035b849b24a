"""``torch.utils.data.DataLoader`` on every backend: batches stay torch tensors on torch and
are copied to NumPy once on JAX and TensorFlow."""
from kfront.trainers.data_adapters.generator_data_adapter import GeneratorDataAdapter


def is_torch_data_loader(x):
    return any(cls.__module__.startswith("torch.utils.data") and cls.__name__ == "DataLoader"
               for cls in type(x).__mro__)


class TorchDataLoaderAdapter(GeneratorDataAdapter):
    """A ``DataLoader`` whose batches are ``x``, ``[x, y]`` or ``[x, y, sample_weight]``.

    Shuffling is the loader's own (``shuffle=True`` on the loader, seeded with its
    ``generator``); each epoch starts a new pass over the loader.
    """

    # Drawn inline, as a hand-written loop draws them. Without workers the loader collates
    # in Python, holding the GIL: a prefetch thread doing that competes with the training
    # step for the interpreter (stalls of up to the switch interval) and gains nothing on
    # one core. With ``num_workers > 0`` the loader already prefetches in its processes.
    prefetch_depth = 0

    def _length(self):
        try:
            return len(self.data)
        except TypeError:  # an IterableDataset without __len__
            return None
