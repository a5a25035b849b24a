"""``tf.data.Dataset`` on every backend: tf tensors pass through on TensorFlow and are copied
to NumPy once on torch and JAX."""
from kfront.trainers.data_adapters.generator_data_adapter import GeneratorDataAdapter


def is_tf_dataset(x):
    return any(cls.__module__.startswith("tensorflow.python.data.ops")
               for cls in type(x).__mro__) and hasattr(x, "element_spec")


class TFDatasetAdapter(GeneratorDataAdapter):
    """A batched ``tf.data.Dataset`` yielding ``x``, ``(x, y)`` or ``(x, y, sample_weight)``.

    Its cardinality (when finite and known) is the epoch length the progress bar shows.
    """

    def _length(self):
        n = int(self.data.cardinality())
        return n if n >= 0 else None  # -1: infinite, -2: unknown
