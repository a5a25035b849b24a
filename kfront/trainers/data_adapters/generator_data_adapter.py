"""Python generators, iterators and other iterables of ``(x[, y[, sample_weight]])``."""
from kfront.trainers.data_adapters.data_adapter import DataAdapter
from kfront.trainers.data_adapters.data_adapter_utils import batch_to_tensors
from kfront.utils import tree


def as_batch_tuple(batch):
    """Lists (as a DataLoader's default collate makes them) count as ``(x, y[, sw])``."""
    if isinstance(batch, list):
        batch = tuple(batch)
    return batch if isinstance(batch, tuple) else (batch,)


class GeneratorDataAdapter(DataAdapter):
    """Draws batches from an iterable; checks each batch has the structure of the first.

    With ``steps`` an iterator is kept across epochs (an endless generator is read on, not
    restarted); without, an epoch ends when the source is exhausted. A re-iterable source
    (a list of batches, a ``tf.data.Dataset``, a ``DataLoader``) is restarted once exhausted.
    """

    def __init__(self, data, steps=None, class_weight=None):
        super().__init__()
        self.data = data
        self.steps = steps
        self.num_batches = steps if steps is not None else self._length()
        self.class_weight = class_weight
        self._iterator = None
        self._structure = None
        self._step = 0

    def _length(self):
        # kfront's own Dataset (what the dataset utilities return without TensorFlow)
        # knows its length unless filtered or repeated forever.
        from kfront.utils.dataset_pipeline import Dataset
        if isinstance(self.data, Dataset) and self.data.cardinality() >= 0:
            return self.data.cardinality()
        return None

    def host_batches(self, epoch):
        if self._iterator is None or self.steps is None:
            self._iterator = iter(self.data)
        step = 0
        # The step count is checked before a batch is drawn, so a generator shared by
        # several epochs loses no batch at an epoch boundary.
        while self.steps is None or step < self.steps:
            try:
                batch = next(self._iterator)
            except StopIteration:
                self._iterator = None
                return
            yield batch
            step += 1

    def convert(self, batch):
        batch = as_batch_tuple(batch)
        structure = tree.map_structure(lambda _: 0, batch)
        if self._structure is None:
            if len(batch) > 3:
                raise ValueError(
                    "The data source should yield x, (x,), (x, y) or (x, y, sample_weight); it "
                    f"yielded a tuple of {len(batch)} elements.")
            self._structure = structure
        elif structure != self._structure:
            raise ValueError(
                "The data generator yielded batches of inconsistent structure: first "
                f"{self._structure}, now {structure} (at batch {self._step})."
            )
        self._step += 1
        return batch_to_tensors(batch, self.class_weight)
