"""``Discretization``: numbers to bucket indices by boundaries (given, or learned by ``adapt``)."""
import numpy as np

from kfront import ops
from kfront.layers.layer import Layer
from kfront.layers.preprocessing.feature import encoding
from kfront.layers.preprocessing.feature.host import batches


class Discretization(Layer):
    """Buckets numbers: index ``i`` holds ``bin_boundaries[i-1] <= x < bin_boundaries[i]``.

    Args:
        bin_boundaries: sorted boundaries; ``len + 1`` buckets.
        num_bins: the number of buckets to learn with ``adapt`` (quantiles of the data).
        epsilon: the precision of the quantile summary ``adapt`` keeps (Keras's sketch).
        output_mode: ``"int"`` (bucket index), ``"one_hot"``, ``"multi_hot"`` or ``"count"``.
        sparse: must be False (kfront has no sparse outputs).

    >>> Discretization(bin_boundaries=[0.0, 1.0])(np.array([-1.0, 0.5, 3.0]))  # [0, 1, 2]
    """

    def __init__(self, bin_boundaries=None, num_bins=None, epsilon=0.01, output_mode="int",
                 sparse=False, dtype=None, name=None, **kwargs):
        super().__init__(name=name, dtype=dtype, **kwargs)
        encoding.check_output_mode("Discretization", output_mode, encoding.OUTPUT_MODES)
        if sparse:
            raise ValueError("Discretization: `sparse=True` is not supported; kfront produces "
                             "dense outputs only.")
        if bin_boundaries is not None and num_bins is not None:
            raise ValueError("Discretization: both `num_bins` and `bin_boundaries` should not "
                             f"be set. Received: num_bins={num_bins} and "
                             f"bin_boundaries={bin_boundaries}")
        if num_bins is not None and (not isinstance(num_bins, int) or num_bins < 1):
            raise ValueError(f"Discretization: `num_bins` must be a positive int, received "
                             f"{num_bins!r}.")
        if bin_boundaries is not None:
            bin_boundaries = [float(b) for b in bin_boundaries]
            if any(b > a for a, b in zip(bin_boundaries[1:], bin_boundaries)):
                raise ValueError("Discretization: `bin_boundaries` must be sorted in "
                                 f"increasing order, received {bin_boundaries}.")
        self.bin_boundaries = bin_boundaries
        self.num_bins = num_bins
        self.epsilon = epsilon
        self.output_mode = output_mode
        self.sparse = False

    def adapt(self, data, steps=None):
        """Learns ``num_bins - 1`` boundaries at the quantiles of ``data``."""
        if self.num_bins is None:
            raise ValueError("Discretization: cannot adapt without `num_bins`. Pass "
                             "`num_bins` to the constructor, or give `bin_boundaries`.")
        summary = None
        for i, batch in enumerate(batches(data)):
            if steps is not None and i >= steps:
                break
            values = np.asarray(ops.convert_to_numpy(batch) if ops.is_tensor(batch) else batch,
                                dtype="float64")
            part = _summarize(values, self.epsilon)
            summary = part if summary is None else _merge(summary, part, self.epsilon)
        if summary is None:
            raise ValueError("Discretization.adapt received no data.")
        self.bin_boundaries = _compress(summary, 1.0 / self.num_bins)[0, :-1].tolist()

    def call(self, inputs):
        if self.bin_boundaries is None:
            raise ValueError("Discretization: pass `bin_boundaries` to the constructor or call "
                             "`adapt(data)` before using the layer.")
        x = ops.convert_to_tensor(inputs)
        if "float" not in ops.dtype(x):
            x = ops.cast(x, "float32")
        if not self.bin_boundaries:
            indices = ops.cast(ops.zeros_like(x), "int32")
        else:
            bounds = ops.convert_to_tensor(np.asarray(self.bin_boundaries, "float32"))
            # The number of boundaries at or below x is its bucket.
            indices = ops.sum(ops.cast(ops.greater_equal(ops.expand_dims(x, -1), bounds),
                                       "int32"), axis=-1)
        depth = len(self.bin_boundaries) + 1
        out_dtype = "int32" if self.output_mode == "int" else "float32"
        return encoding.encode(indices, self.output_mode, depth, out_dtype)

    def get_config(self):
        config = {**super().get_config(), "bin_boundaries": self.bin_boundaries,
                  "num_bins": self.num_bins, "epsilon": self.epsilon,
                  "output_mode": self.output_mode, "sparse": self.sparse}
        # Keras's config has no "trainable" (its constructor refuses it).
        config.pop("trainable", None)
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if config.get("bin_boundaries") is not None:
            config["num_bins"] = None  # adapted boundaries win over the count they came from
        return cls(**config)


# A weighted quantile summary (Keras's algorithm, so learned boundaries match): every row
# of a summary is (value, weight); merging concatenates and re-compresses.
def _summarize(values, epsilon):
    values = np.sort(values.reshape(-1))
    step = max(values.size * epsilon, 1)
    picked = values[int(step - 1)::int(step)]
    return np.stack([picked, np.full(picked.shape, float(step))])


def _merge(a, b, epsilon):
    merged = np.concatenate((a, b), axis=1)
    return _compress(merged[:, np.argsort(merged[0])], epsilon)


def _compress(summary, epsilon):
    if summary.shape[1] * epsilon < 1:
        return summary
    targets = epsilon + np.arange(0.0, 1.0, epsilon)
    cum = summary[1].cumsum()
    fractions = cum / cum[-1]
    values = np.interp(targets, fractions, summary[0])
    cum_at = np.interp(targets, fractions, cum)
    weights = np.diff(cum_at, prepend=0.0)
    return np.stack((values, weights)).astype("float32")
